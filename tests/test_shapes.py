"""Every shape constraint (and every Python check) has a fixture that makes it fire and one that passes.

Each case copies the real project (``ontology/`` and ``shapes/``) into a temporary folder, applies one small
mutation to the knowledge base (an ``Edit`` of one curated file, or an ``Add`` of one extra file under
``ontology/kb/``), builds and validates it in-process, and asserts that the expected finding is reported with
the expected severity, at the file (and line) a curator would have to fix. The passing fixtures are the real
knowledge base and the templates the ``Add`` cases start from: all give no violation and no warning.

Adding a case is adding a line to ``CASES``. ``test_every_constraint_has_a_case`` reads ``shapes/*.ttl`` and
fails when a constraint has no case, so a new constraint cannot go untested.

The builds of all selected cases run once per test session, in parallel processes (``SMAKG_TEST_JOBS`` sets how
many; 1 runs them in this process), and serve test_engines.py too (``tests/fixture_runs.py``).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pytest
from fixture_runs import fixture_runs, session_wants
from pyshacl.entrypoints import meta_validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH, SKOS

from smakg.findings import VIOLATION, WARNING, Finding
from smakg.kb.vocab import PREFIXES, SHP
from smakg.validation.shacl import load_shapes

ROOT = Path(__file__).resolve().parents[1]
KB = "ontology/kb"
EXTRA = "zz-extra.ttl"  # sorts after entities/, so existing entities keep their locations
HEADER = "".join(f"@prefix {prefix}: <{ns}> .\n" for prefix, ns in PREFIXES.items()) + "\n"
V, W = VIOLATION, WARNING


# --------------------------------------------------------------------------------------------------------------
# Mutations


def copy_project(dest: Path) -> Path:
    """A copy of the curated project (ontology/ and shapes/) in ``dest``."""
    for name in ("ontology", "shapes"):
        shutil.copytree(ROOT / name, dest / name)
    return dest


def kb_text(file: str) -> str:
    return (ROOT / KB / file).read_text(encoding="utf-8")


@dataclass(frozen=True)
class Nothing:
    """The real knowledge base, unchanged."""

    def text(self, file: str) -> str:
        return kb_text(file)

    def apply(self, root: Path) -> None:
        pass


@dataclass(frozen=True)
class Edit:
    """Replace ``old`` (which must occur exactly once) by ``new`` in one file of ontology/kb/."""

    file: str
    old: str
    new: str

    def text(self, file: str) -> str:
        text = kb_text(file)
        if file != self.file:
            return text
        count = text.count(self.old)
        assert count == 1, f"{self.file}: the mutation expects {self.old!r} once, found it {count} times"
        return text.replace(self.old, self.new)

    def apply(self, root: Path) -> None:
        (root / KB / self.file).write_text(self.text(self.file), encoding="utf-8")

    def line(self) -> int:
        """The (first) line of the edit in the mutated file."""
        return kb_text(self.file).count("\n", 0, kb_text(self.file).index(self.old)) + 1


@dataclass(frozen=True)
class Add:
    """Add one Turtle file (every project prefix declared) under ontology/kb/."""

    body: str
    file: str = EXTRA

    def text(self, file: str) -> str:
        return HEADER + self.body if file == self.file else kb_text(file)

    def apply(self, root: Path) -> None:
        (root / KB / self.file).write_text(self.text(self.file), encoding="utf-8")


Mutation = Nothing | Edit | Add


def claim(s: str, p: str, o: str, *extra: str, source: str | None = "src:gard-sma",
          quote: str | None = '"a quote"') -> str:
    """A claim block as curators write them."""
    props = ["a smakg:Claim", f"rdf:subject {s}", f"rdf:predicate {p}", f"rdf:object {o}", *extra]
    props += [f"prov:wasDerivedFrom {source}"] if source else []
    props += [f"oa:exact {quote}"] if quote else []
    return "[\n    " + " ;\n    ".join(props) + "\n] .\n\n"


def ok_claim(*extra: str, **kwargs: str) -> str:
    """A valid claim (an alias of chromosome 11) to hang one bad claim property on."""
    return claim("locus:hsa-chr11", "skos:altLabel", '"chr11"', *extra, **kwargs)


def _block(subject: str, props: dict[str, str | None]) -> str:
    return subject + " " + " ;\n    ".join(f"{p} {o}" for p, o in props.items() if o is not None) + " .\n\n"


def handmade(stmt: dict[str, str | None] | None = None, ev: dict[str, str | None] | None = None,
             sel: dict[str, str | None] | None = None, *, asserted: bool = True, more: str = "") -> Add:
    """A Statement, Evidence and selector written by hand as the build would write them, for the triple
    gene:VAPB smakg:locatedIn locus:hsa-chr11; each override replaces a property (None drops it)."""
    s = {"a": "smakg:Statement", "rdf:subject": "gene:VAPB", "rdf:predicate": "smakg:locatedIn",
         "rdf:object": "locus:hsa-chr11", "prov:wasDerivedFrom": "src:gard-sma", "smakg:evidence": "ev:handmade"}
    e = {"a": "smakg:Evidence", "oa:hasSource": "src:gard-sma", "oa:hasSelector": "sel:handmade",
         "smakg:evidenceType": "ECO:0000303"}
    x = {"a": "oa:TextQuoteSelector", "oa:exact": '"a hand-written quote"'}
    triple = "gene:VAPB smakg:locatedIn locus:hsa-chr11 .\n\n" if asserted else ""
    return Add(triple + _block("stmt:handmade", {**s, **(stmt or {})}) + _block("ev:handmade", {**e, **(ev or {})})
               + _block("sel:handmade", {**x, **(sel or {})}) + more)


CHR12 = 'locus:hsa-chr12 a SO:0000340, smakg:ChromosomeLocus ;\n    rdfs:label "chromosome 12" .\n\n'
BAND = 'locus:hsa-{0} a SO:0000341, smakg:ChromosomeLocus ;\n    rdfs:label "{0}" .\n\n'
BAND_11Q13 = BAND.format("11q13") + claim("locus:hsa-11q13", "smakg:partOf", "locus:hsa-chr11")
SMARD1_DESC = '"spinal muscular atrophy with respiratory distress type 1" .'
SUMMARY_SHA = '"786aed32eaa85057d3460206a655ebf22e6d1073dbda5a81ae743dbcfd5008a7"'


# --------------------------------------------------------------------------------------------------------------
# The cases: one line per constraint (a few constraints have one line per way they can fail).


class Case(NamedTuple):
    """``id``: the constraint key (see ``constraint_keys``), optionally with ``#variant``; then the mutation,
    the expected finding's rule (a substring), severity, constraint component (short: ``MinCount``), focus
    node (``ev:*`` for any derived evidence IRI), location (``file`` or ``file@text on the line``, relative to
    ontology/kb/; default: the mutated paragraph or added file) and a substring of the message."""

    id: str
    mutation: Mutation
    rule: str
    severity: str
    component: str | None = None
    focus: str | None = None
    at: str | None = None
    message: str | None = None


C = Case
COND, GENES, LOCI = "entities/conditions.ttl", "entities/genes.ttl", "entities/loci.ttl"
SMAUK, SUMMARY, GARD = "claims/smauk-smard1.ttl", "claims/summary-smard1.ttl", "claims/gard-sma.ttl"
CHR, MONDO, NCBI = "claims/chr-2025-10-15.ttl", "claims/mondo-2026-08-04.ttl", "claims/ncbi-gene-2022-09-12.ttl"
SOURCES = "sources.ttl"
AT_SMARD1, AT_DHMN = f"{COND}@cond:smard1 a", f"{COND}@cond:dhmn a"
AT_CHR11, AT_BAND = f"{LOCI}@locus:hsa-chr11 a", f"{LOCI}@locus:hsa-11q13.3 a"
LOCUS, EVIDENCE = "shp:ChromosomeLocus", "shp:Evidence"
QUAL = "shp:EvidenceQualifiers › "
ALIAS_PREFIX = 'oa:prefix """08\n""" ;\n    prov:wasDerivedFrom src:summary-smard1 ;\n    smakg:synonymScope'

CASES: list[Case] = [
    # entities.ttl: node-level SPARQL constraints
    C("AliasUnique.sparql:alias#alias", Add(claim("cond:dhmn", "skos:altLabel", '"SMARD1"')), "shp:AliasUnique",
      V, "SPARQL", "cond:dhmn", AT_DHMN, "alias SMARD1 is also a name of"),
    C("AliasUnique.sparql:alias#label", Add(claim("cond:dhmn", "skos:altLabel", '"5q SMA"')), "shp:AliasUnique",
      V, "SPARQL", "cond:dhmn", AT_DHMN, "alias 5q SMA is also a name of cond:sma-5q"),
    C("BandOnItsChromosome.sparql:band", Edit(LOCI, 'rdfs:label "11q13.3"', 'rdfs:label "12q13.3"'),
      "shp:BandOnItsChromosome", V, "SPARQL", "locus:hsa-chr11", AT_CHR11),
    # a locus is exactly one of: a chromosome band, a chromosome (each nested constraint breaks the sh:xone)
    C("ChromosomeLocus.xone", Add('locus:hsa-x a smakg:ChromosomeLocus ;\n    rdfs:label "X" .\n'), LOCUS, V,
      "Xone", "locus:hsa-x"),
    C("Chromosome.type.hasValue", Edit(LOCI, "hsa-chr11 a SO:0000340, smakg:", "hsa-chr11 a smakg:"), LOCUS, V,
      "Xone", "locus:hsa-chr11"),
    C("Chromosome.partOf.maxCount", Add(CHR12 + claim("locus:hsa-chr12", "smakg:partOf", "locus:hsa-chr11")),
      LOCUS, V, "Xone", "locus:hsa-chr12", f"{EXTRA}@locus:hsa-chr12 a"),
    C("Chromosome.label.pattern", Edit(LOCI, '"chromosome 11"', '"Chromosome 11"'), LOCUS, V, "Xone",
      "locus:hsa-chr11"),
    C("ChromosomeBand.type.hasValue", Edit(LOCI, "hsa-11q13.3 a SO:0000341, smakg:", "hsa-11q13.3 a smakg:"),
      LOCUS, V, "Xone", "locus:hsa-11q13.3"),
    C("ChromosomeBand.partOf.minCount", Add(BAND.format("5q13")), LOCUS, V, "Xone", "locus:hsa-5q13"),
    C("ChromosomeBand.partOf.maxCount", Add(CHR12 + claim("locus:hsa-11q13.3", "smakg:partOf", "locus:hsa-chr12")),
      LOCUS, V, "Xone", "locus:hsa-11q13.3", AT_BAND),
    C("ChromosomeBand.partOf.node", Add(BAND_11Q13 + BAND.format("11q13.4")
                                        + claim("locus:hsa-11q13.4", "smakg:partOf", "locus:hsa-11q13")),
      LOCUS, V, "Xone", "locus:hsa-11q13.4", f"{EXTRA}@locus:hsa-11q13.4 a"),
    C("ChromosomeBand.label.pattern", Add(BAND.format("11q") + claim("locus:hsa-11q", "smakg:partOf",
                                                                     "locus:hsa-chr11")),
      LOCUS, V, "Xone", "locus:hsa-11q", f"{EXTRA}@locus:hsa-11q a"),
    C("ChromosomeLocus.match.pattern", Edit(CHR, "CHR_9606-chr11>", "CHR_9606-chr23>"), f"{LOCUS} › (", V, "Pattern",
      "locus:hsa-chr11", AT_CHR11),
    C("ChromosomeLocus.match.nodeKind", Edit(CHR, "<http://purl.obolibrary.org/obo/CHR_9606-chr11>",
                                             '"CHR:9606-chr11"'),
      f"{LOCUS} › (", V, "NodeKind", "locus:hsa-chr11", AT_CHR11),
    C("ChromosomeLocus.label-one#minCount", Add(CHR12.replace(' ;\n    rdfs:label "chromosome 12"', "")),
      "shp:label-one", V, "MinCount", "locus:hsa-chr12"),
    C("ChromosomeLocus.alias-clean#pattern", Add(claim("locus:hsa-chr11", "skos:altLabel", '"chr  11"')),
      "shp:alias-clean", V, "Pattern", "locus:hsa-chr11", AT_CHR11),
    C("ChromosomeLocus.alias-not-label", Add(claim("locus:hsa-chr11", "skos:altLabel", '"chromosome 11"')),
      "shp:alias-not-label", V, "Disjoint", "locus:hsa-chr11", AT_CHR11),
    C("ClinicalCourse.alias-not-label", Add(claim("course:rapid-progression", "skos:altLabel",
                                                  '"rapid progression of distal weakness after breathing '
                                                  'difficulties start"')),
      "shp:alias-not-label", V, "Disjoint", "course:rapid-progression",
      "entities/courses.ttl@course:rapid-progression a"),
    C("ClinicalCourse.match.node", Edit(SMAUK, "rdf:object HP:0031915 ;", "rdf:object HP:0012828 ;"),
      "shp:ClinicalCourse › (skos:exactMatch|", V, "Node", "course:disease-plateau",
      "entities/courses.ttl@course:disease-plateau a"),
    C("ClinicalCourse.label-one#maxCount", Edit("entities/courses.ttl", 'within 2 years" .',
                                                'within 2 years", "plateau" .'),
      "shp:label-one", V, "MaxCount", "course:disease-plateau"),
    C("ClinicalCourse.alias-clean#datatype", Add(claim("course:disease-plateau", "skos:altLabel", '"plateau"@en')),
      "shp:alias-clean", V, "Datatype", "course:disease-plateau", "entities/courses.ttl@course:disease-plateau a"),
    # conditions
    C("Condition.hasClinicalCourse.class", Edit(SMAUK, "object course:disease-plateau", "object method:muscle-biopsy"),
      "shp:Condition › smakg:hasClinicalCourse", V, "Class", "cond:smard1", AT_SMARD1),
    C("Condition.subtypeOf.class", Edit(SUMMARY, "rdf:object cond:dhmn ;", "rdf:object gene:IGHMBP2 ;"),
      "shp:Condition › smakg:subtypeOf", V, "Class", "cond:dhmn-milder-forms", f"{COND}@cond:dhmn-milder-forms a"),
    C("Condition.hasDiagnosticMethod.class", Edit(SMAUK, "object method:electromyogram",
                                                  "object course:rapid-progression"),
      "shp:Condition › smakg:hasDiagnosticMethod", V, "Class", "cond:smard1", AT_SMARD1),
    C("Condition.match.nodeKind", Edit(MONDO, "rdf:object MONDO:0018894 ;", 'rdf:object "MONDO:0018894" ;'),
      "shp:Condition › (skos:exactMatch|", V, "NodeKind", "cond:dhmn", AT_DHMN),
    C("Condition.match.pattern", Edit(MONDO, "rdf:object MONDO:0018894 ;", "rdf:object MONDO:018894 ;"),
      "shp:Condition › (skos:exactMatch|", V, "Pattern", "cond:dhmn", AT_DHMN, "MONDO, OMIM"),
    C("InheritanceModeTerm.nodeKind", Edit(SUMMARY, "object HP:0000007 ;", 'object "HP:0000007" ;'),
      "shp:Condition › smakg:hasInheritanceMode", V, "Node", "cond:smard1", AT_SMARD1),
    C("InheritanceModeTerm.subClassOf+.hasValue", Edit(SUMMARY, "object HP:0000007 ;", "object HP:0003593 ;"),
      "shp:Condition › smakg:hasInheritanceMode", V, "Node", "cond:smard1", AT_SMARD1, "HP:0000005"),
    C("OnsetTerm.nodeKind", Edit(SMAUK, "object HP:0003593 ;", 'object "HP:0003593" ;'),
      "shp:Condition › smakg:hasOnset", V, "Node", "cond:smard1", AT_SMARD1),
    C("OnsetTerm.subClassOf+.hasValue", Edit(SMAUK, "object HP:0003593 ;", "object HP:0000007 ;"),
      "shp:Condition › smakg:hasOnset", V, "Node", "cond:smard1", AT_SMARD1, "HP:0003674"),
    C("Condition.hasPhenotype.or", Edit(SUMMARY, "object HP:0002098 ;", "object cond:dhmn ;"),
      "shp:Condition › smakg:hasPhenotype", V, "Or", "cond:smard1", AT_SMARD1),
    C("PhenotypeTerm.nodeKind", Edit(SUMMARY, "object HP:0002098 ;", 'object "HP:0002098" ;'),
      "shp:Condition › smakg:hasPhenotype", V, "Or", "cond:smard1", AT_SMARD1),
    C("PhenotypeTerm.pattern", Add("obo:HP_12345 rdfs:subClassOf HP:0000118 .\n\n"
                                   + claim("cond:smard1", "smakg:hasPhenotype", "obo:HP_12345")),
      "shp:Condition › smakg:hasPhenotype", V, "Or", "cond:smard1", AT_SMARD1),
    C("PhenotypeTerm.subClassOf+.hasValue", Edit(SUMMARY, "object HP:0002098 ;", "object HP:0000007 ;"),
      "shp:Condition › smakg:hasPhenotype", V, "Or", "cond:smard1", AT_SMARD1),
    C("Condition.alias-clean#datatype", Edit(SMAUK, 'object "DSMA1" ;', 'object "DSMA1"@en ;'),
      "shp:alias-clean", V, "Datatype", "cond:smard1", AT_SMARD1),
    C("Condition.alias-clean#pattern", Edit(SMAUK, 'object "HMN6" ;', 'object "HMN6 " ;'),
      "shp:alias-clean", V, "Pattern", "cond:smard1", AT_SMARD1),
    C("Condition.alias-not-label", Add(claim("cond:dhmn", "skos:altLabel", '"distal hereditary motor neuropathy"')),
      "shp:alias-not-label", V, "Disjoint", "cond:dhmn", AT_DHMN),
    C("Condition.label-one#minCount", Edit(COND, f'Condition ;\n    rdfs:label {SMARD1_DESC}', "Condition ."),
      "shp:label-one", V, "MinCount", "cond:smard1"),
    C("Condition.label-one#datatype", Edit(COND, '"5q SMA" .', '"5q SMA"@en .'), "shp:label-one", V, "Datatype",
      "cond:sma-5q"),
    C("Condition.label-one#pattern", Edit(COND, 'rdfs:label "spinal muscular atrophy" .',
                                          'rdfs:label "spinal muscular  atrophy" .'),
      "shp:label-one", V, "Pattern", "cond:spinal-muscular-atrophy"),
    C("Condition.label-one#maxCount", Edit(COND, 'label "distal hereditary motor neuropathy" .',
                                           'label "distal hereditary motor neuropathy", "dHMN" .'),
      "shp:label-one", V, "MaxCount", "cond:dhmn"),
    C("ConditionCrossReferenced.or", Add('cond:new-condition a smakg:Condition ;\n    rdfs:label "new" .\n'),
      "shp:ConditionCrossReferenced", W, "Or", "cond:new-condition"),
    C("DiagnosticMethod.label-one#pattern", Edit("entities/methods.ttl", '"muscle biopsy"', '" muscle biopsy"'),
      "shp:label-one", V, "Pattern", "method:muscle-biopsy"),
    C("DiagnosticMethod.alias-not-label", Add(claim("method:muscle-biopsy", "skos:altLabel", '"muscle biopsy"')),
      "shp:alias-not-label", V, "Disjoint", "method:muscle-biopsy", "entities/methods.ttl@method:muscle-biopsy a"),
    C("DiagnosticMethod.alias-clean#pattern", Add(claim("method:muscle-biopsy", "skos:altLabel", '"biopsy "')),
      "shp:alias-clean", V, "Pattern", "method:muscle-biopsy", "entities/methods.ttl@method:muscle-biopsy a"),
    # genes
    C("Gene.locatedIn.class", Edit(SUMMARY, "object locus:hsa-chr11 ;", "object cond:smard1 ;"),
      "shp:Gene › smakg:locatedIn", V, "Class", "gene:IGHMBP2", f"{GENES}@gene:IGHMBP2 a"),
    C("Gene.isCausalGeneFor.class", Edit(SMAUK, "object cond:sma-5q ;", "object gene:SMN2 ;"),
      "shp:Gene › smakg:isCausalGeneFor", V, "Class", "gene:SMN1", f"{GENES}@gene:SMN1 a"),
    C("Gene.modifiesSeverityOf.class", Edit(GARD, "modifiesSeverityOf ;\n    rdf:object cond:spinal-muscular-atrophy",
                                            "modifiesSeverityOf ;\n    rdf:object gene:SMN1"),
      "shp:Gene › smakg:modifiesSeverityOf", V, "Class", "gene:SMN2", f"{GENES}@gene:SMN2 a"),
    C("Gene.approvedName.datatype", Edit(NCBI, 'object "dynein cytoplasmic 1 heavy chain 1" ;',
                                         'object "dynein cytoplasmic 1 heavy chain 1"@en ;'),
      "shp:Gene › smakg:approvedName", V, "Datatype", "gene:DYNC1H1", f"{GENES}@gene:DYNC1H1 a"),
    C("Gene.approvedName.maxCount", Add(claim("gene:SMN1", "smakg:approvedName", '"survival motor neuron 1"')),
      "shp:Gene › smakg:approvedName", V, "MaxCount", "gene:SMN1", f"{GENES}@gene:SMN1 a"),
    C("Gene.approvedName.pattern", Edit(NCBI, 'object "dynein cytoplasmic 1 heavy chain 1" ;',
                                        'object "dynein  cytoplasmic 1 heavy chain 1" ;'),
      "shp:Gene › smakg:approvedName", V, "Pattern", "gene:DYNC1H1", f"{GENES}@gene:DYNC1H1 a"),
    C("Gene.approvedName.minCount", Edit(NCBI, 'smakg:approvedName ;\n    rdf:object "dynein',
                                         'skos:altLabel ;\n    rdf:object "dynein'),
      "shp:Gene › smakg:approvedName", W, "MinCount", "gene:DYNC1H1", f"{GENES}@gene:DYNC1H1 a"),
    C("Gene.label.datatype", Edit(GENES, '"SMN1" .', '"SMN1"@en .'), "shp:Gene › rdfs:label", V, "Datatype",
      "gene:SMN1"),
    C("Gene.label.maxCount", Edit(GENES, '"SMN2" .', '"SMN2", "SMNC" .'), "shp:Gene › rdfs:label", V, "MaxCount",
      "gene:SMN2"),
    C("Gene.label.minCount", Edit(GENES, 'UBA1 a smakg:Gene ;\n    rdfs:label "UBA1" .', "UBA1 a smakg:Gene ."),
      "shp:Gene › rdfs:label", V, "MinCount", "gene:UBA1"),
    C("Gene.label.pattern", Edit(GENES, '"VAPB"', '"Vapb"'), "shp:Gene › rdfs:label", V, "Pattern", "gene:VAPB"),
    C("Gene.match.nodeKind", Edit(NCBI, "object ENSEMBL:ENSG00000197102 ;", 'object "ENSG00000197102" ;'),
      "shp:Gene › (skos:exactMatch|", V, "NodeKind", "gene:DYNC1H1", f"{GENES}@gene:DYNC1H1 a"),
    C("Gene.match.pattern", Edit(NCBI, "object NCBIGene:1778 ;", "object NCBIGene:01778 ;"),
      "shp:Gene › (skos:exactMatch|", V, "Pattern", "gene:DYNC1H1", f"{GENES}@gene:DYNC1H1 a", "HGNC, NCBI Gene"),
    C("Gene.exactMatch.qualifiedMinCount", Edit("claims/mondo-hgnc-import-2023-05-25.ttl",
                                                "exactMatch ;\n    rdf:object HGNC:2961",
                                                "closeMatch ;\n    rdf:object HGNC:2961"),
      "shp:Gene › skos:exactMatch", W, "QualifiedMinCount", "gene:DYNC1H1", f"{GENES}@gene:DYNC1H1 a"),
    C("Gene.alias-clean#datatype", Edit(SMAUK, '"immunoglobulin mu-binding protein 2" ;',
                                        '"immunoglobulin mu-binding protein 2"@en ;'),
      "shp:alias-clean", V, "Datatype", "gene:IGHMBP2", f"{GENES}@gene:IGHMBP2 a"),
    C("Gene.alias-not-label", Add(claim("gene:SMN1", "skos:altLabel", '"SMN1"')), "shp:alias-not-label", V,
      "Disjoint", "gene:SMN1", f"{GENES}@gene:SMN1 a"),
    C("GeneSymbol.sparql:HGNC-symbol", Edit(GENES, 'rdfs:label "IGHMBP2"', 'rdfs:label "IGHMPB2"'),
      "shp:GeneSymbol", V, "SPARQL", "gene:IGHMBP2", None, "is not the HGNC symbol IGHMBP2"),
    # phenotypes
    C("Phenotype.match.node", Edit(SMAUK, "object HP:0001212 ;", "object HP:0000007 ;"), "shp:Phenotype › (", V,
      "Node", "phen:fatty-finger-pads", "entities/phenotypes.ttl@phen:fatty-finger-pads a"),
    C("Phenotype.label-one#datatype", Edit("entities/phenotypes.ttl", '"fatty finger pads" .',
                                           '"fatty finger pads"@en .'),
      "shp:label-one", V, "Datatype", "phen:fatty-finger-pads"),
    C("Phenotype.alias-clean#pattern", Add(claim("phen:fatty-finger-pads", "skos:altLabel", '"fatty  pads"')),
      "shp:alias-clean", V, "Pattern", "phen:fatty-finger-pads", "entities/phenotypes.ttl@phen:fatty-finger-pads a"),
    C("Phenotype.alias-not-label", Add(claim("phen:fatty-finger-pads", "skos:altLabel", '"fatty finger pads"')),
      "shp:alias-not-label", V, "Disjoint", "phen:fatty-finger-pads",
      "entities/phenotypes.ttl@phen:fatty-finger-pads a"),
    # provenance.ttl: coverage
    C("Coverage.sparql:merge", handmade({"rdf:subject": "gene:SMN1", "rdf:object": "cond:sma-5q",
                                         "rdf:predicate": "smakg:isCausalGeneFor"}, asserted=False),
      "shp:Coverage", V, "SPARQL", "gene:SMN1", f"{GENES}@gene:SMN1 a", "more than one smakg:Statement"),
    C("Coverage.sparql:has-no", Add("gene:VAPB smakg:locatedIn locus:hsa-chr11 .\n"), "shp:Coverage", V, "SPARQL",
      "gene:VAPB", f"{GENES}@gene:VAPB a", "no smakg:Statement"),
    # evidence
    C("EcoTerm.nodeKind", Add(ok_claim('smakg:evidenceType "ECO:0000303"')), "shp:Evidence › smakg:evidenceType",
      V, "Node", "ev:*"),
    C("EcoTerm.pattern", Add(ok_claim("smakg:evidenceType HP:0000007")), "shp:Evidence › smakg:evidenceType", V,
      "Node", "ev:*"),
    C("EcoTerm.label.minCount", Add(ok_claim("smakg:evidenceType ECO:0000000")),
      "shp:Evidence › smakg:evidenceType", V, "Node", "ev:*", None, "ontology/imports/eco.ttl"),
    C("Evidence.hasSelector.minCount", handmade(ev={"oa:hasSelector": None}), "shp:Evidence › oa:hasSelector", V,
      "MinCount", "ev:handmade", f"{EXTRA}@ev:handmade a"),
    C("Evidence.hasSelector.maxCount", handmade(ev={"oa:hasSelector": "sel:handmade, sel:other"},
                                                more='sel:other a oa:TextQuoteSelector ; oa:exact "q" .\n'),
      "shp:Evidence › oa:hasSelector", V, "MaxCount", "ev:handmade", f"{EXTRA}@ev:handmade a"),
    C("Evidence.hasSelector.class", handmade(sel={"a": None}), "shp:Evidence › oa:hasSelector", V, "Class",
      "ev:handmade", f"{EXTRA}@ev:handmade a"),
    C("Evidence.hasSource.minCount", Edit(CHR, '"11q13.3 (Human)" ;\n    prov:wasDerivedFrom src:chr-2025-10-15',
                                          '"11q13.3 (Human)"'), "shp:Evidence › oa:hasSource", V, "MinCount", "ev:*"),
    C("Evidence.hasSource.maxCount", Edit(CHR, '11 (Human)" ;\n    prov:wasDerivedFrom src:chr-2025-10-15',
                                          '11 (Human)" ;\n    prov:wasDerivedFrom src:chr-2025-10-15, src:gard-sma'),
      "shp:Evidence › oa:hasSource", V, "MaxCount", "ev:*"),
    C("Evidence.hasSource.class", Add(ok_claim(source="agent:gard")), "shp:Evidence › oa:hasSource", V, "Class",
      "ev:*"),
    C("Evidence.references.class", Add(ok_claim("dcterms:references agent:gard")),
      "shp:Evidence › dcterms:references", V, "Class", "ev:*"),
    C("Evidence.hasSelector/exact.datatype", Edit(CHR, '"11q13.3 (Human)"', '"11q13.3 (Human)"@en'),
      "shp:Evidence › oa:hasSelector/oa:exact", V, "Datatype", "ev:*"),
    C("Evidence.hasSelector/exact.maxCount", Add(ok_claim(quote='"chr11", "chromosome 11"')),
      "shp:Evidence › oa:hasSelector/oa:exact", V, "MaxCount", "ev:*"),
    C("Evidence.hasSelector/exact.minCount", Edit(CHR, 'oa:exact "11q13.3 (Human)" ;\n    ', ""),
      "shp:Evidence › oa:hasSelector/oa:exact", V, "MinCount", "ev:*"),
    C("Evidence.hasSelector/exact.minLength", Add(ok_claim(quote='""')), "shp:Evidence › oa:hasSelector/oa:exact",
      V, "MinLength", "ev:*"),
    C("Evidence.hasSelector/exact.pattern", Add(ok_claim(quote='" chr11"')),
      "shp:Evidence › oa:hasSelector/oa:exact", V, "Pattern", "ev:*"),
    C("Evidence.hasSelector/prefix.datatype", Edit(SUMMARY, ALIAS_PREFIX, ALIAS_PREFIX.replace('"""08\n"""',
                                                                                          '"""08\n"""@en')),
      "shp:Evidence › oa:hasSelector/oa:prefix", V, "Datatype", "ev:*"),
    C("Evidence.hasSelector/prefix.maxCount", Add(ok_claim('oa:prefix "a ", "b "')),
      "shp:Evidence › oa:hasSelector/oa:prefix", V, "MaxCount", "ev:*"),
    C("Evidence.hasSelector/prefix.minLength", Add(ok_claim('oa:prefix ""')),
      "shp:Evidence › oa:hasSelector/oa:prefix", V, "MinLength", "ev:*"),
    C("Evidence.hasSelector/suffix.datatype", Add(ok_claim('oa:suffix " b"@en')),
      "shp:Evidence › oa:hasSelector/oa:suffix", V, "Datatype", "ev:*"),
    C("Evidence.hasSelector/suffix.maxCount", Add(ok_claim('oa:suffix " a", " b"')),
      "shp:Evidence › oa:hasSelector/oa:suffix", V, "MaxCount", "ev:*"),
    C("Evidence.hasSelector/suffix.minLength", Add(ok_claim('oa:suffix ""')),
      "shp:Evidence › oa:hasSelector/oa:suffix", V, "MinLength", "ev:*"),
    C("Evidence.evidenceType.maxCount", Add(ok_claim("smakg:evidenceType ECO:0000303, ECO:0000304")),
      "shp:Evidence › smakg:evidenceType", V, "MaxCount", "ev:*"),
    C("Evidence.evidenceType.minCount", handmade(ev={"smakg:evidenceType": None}),
      "shp:Evidence › smakg:evidenceType", V, "MinCount", "ev:handmade", f"{EXTRA}@ev:handmade a"),
    # statements
    C("Statement.evidence.minCount", handmade({"smakg:evidence": None}), "shp:Statement › smakg:evidence", V,
      "MinCount", "stmt:handmade", f"{EXTRA}@stmt:handmade a"),
    C("Statement.evidence.class", handmade({"smakg:evidence": "sel:handmade"}), "shp:Statement › smakg:evidence",
      V, "Class", "stmt:handmade", f"{EXTRA}@stmt:handmade a"),
    C("Statement.wasDerivedFrom.minCount", Edit(CHR, '"11q13.3 (Human)" ;\n    prov:wasDerivedFrom src:chr-2025-10-15',
                                                '"11q13.3 (Human)"'),
      "shp:Statement › prov:wasDerivedFrom", V, "MinCount", "stmt:*"),
    C("Statement.wasDerivedFrom.class", Add(ok_claim(source="agent:gard")), "shp:Statement › prov:wasDerivedFrom",
      V, "Class", "stmt:*"),
    C("Statement.hasSynonymType.in", Add(ok_claim("oboInOwl:hasSynonymType OMO:0003004")),
      "shp:Statement › oboInOwl:hasSynonymType", V, "In", "stmt:*"),
    C("Statement.synonymScope.in", Add(ok_claim("smakg:synonymScope oboInOwl:hasSynonym")),
      "shp:Statement › smakg:synonymScope", V, "In", "stmt:*"),
    C("Statement.synonymScope.maxCount", Add(ok_claim("smakg:synonymScope oboInOwl:hasExactSynonym, "
                                                      "oboInOwl:hasRelatedSynonym")),
      "shp:Statement › smakg:synonymScope", V, "MaxCount", "stmt:*"),
    C("Statement.predicate.in", Add(claim("cond:smard1", "rdfs:seeAlso", "cond:dhmn")),
      "shp:Statement › rdf:predicate", V, "In", "stmt:*"),
    C("Statement.predicate.maxCount", handmade({"rdf:predicate": "smakg:locatedIn, smakg:isCausalGeneFor"}),
      "shp:Statement › rdf:predicate", V, "MaxCount", "stmt:handmade", f"{EXTRA}@stmt:handmade a"),
    C("Statement.predicate.minCount", handmade({"rdf:predicate": None}), "shp:Statement › rdf:predicate", V,
      "MinCount", "stmt:handmade", f"{EXTRA}@stmt:handmade a"),
    C("Statement.object.maxCount", handmade({"rdf:object": "locus:hsa-chr11, locus:hsa-11q13.3"}),
      "shp:Statement › rdf:object", V, "MaxCount", "stmt:handmade", f"{EXTRA}@stmt:handmade a"),
    C("Statement.object.minCount", handmade({"rdf:object": None}), "shp:Statement › rdf:object", V, "MinCount",
      "stmt:handmade", f"{EXTRA}@stmt:handmade a"),
    C("Statement.subject.maxCount", handmade({"rdf:subject": "gene:VAPB, gene:SMN1"}),
      "shp:Statement › rdf:subject", V, "MaxCount", "stmt:handmade", f"{EXTRA}@stmt:handmade a"),
    C("Statement.subject.minCount", handmade({"rdf:subject": None}), "shp:Statement › rdf:subject", V, "MinCount",
      "stmt:handmade", f"{EXTRA}@stmt:handmade a"),
    C("Statement.subject.nodeKind", handmade({"rdf:subject": '"VAPB"'}), "shp:Statement › rdf:subject", V,
      "NodeKind", "stmt:handmade", f"{EXTRA}@stmt:handmade a"),
    C("Statement.sparql:synonym-scope", Add(claim("gene:VAPB", "smakg:locatedIn", "locus:hsa-chr11",
                                                  "smakg:synonymScope oboInOwl:hasExactSynonym")),
      "shp:Statement", V, "SPARQL", "stmt:*", None, "synonym scope and type belong on alias"),
    C("Statement.sparql:not-asserted", handmade(asserted=False), "shp:Statement", V, "SPARQL", "stmt:handmade",
      f"{EXTRA}@stmt:handmade a", "not asserted in the graph"),
    C("Statement.sparql:does-not-name", handmade(ev={"oa:hasSource": "src:smauk-smard1"}), "shp:Statement", V,
      "SPARQL", "stmt:handmade", f"{EXTRA}@stmt:handmade a", "src:smauk-smard1, which the statement does not"),
    # sources.ttl
    C("Organization.label-one#datatype", Edit(SOURCES, '"SMA UK" .', '"SMA UK"@en .'), "shp:label-one", V,
      "Datatype", "agent:sma-uk"),
    C("Source.creator.class", Edit(SOURCES, "creator agent:sma-uk-information-production-team",
                                   "creator src:gard-sma"),
      "shp:Source › dcterms:creator", V, "Class", "src:smauk-smard1"),
    C("Source.publisher.class", Edit(SOURCES, "publisher agent:gard ;", "publisher src:nord-2012 ;"),
      "shp:Source › dcterms:publisher", V, "Class", "src:gard-sma"),
    C("Source.references.class", Edit(SOURCES, "references src:ghr-2013,", "references agent:gard, src:ghr-2013,"),
      "shp:Source › dcterms:references", V, "Class", "src:gard-sma"),
    C("Source.documentFile.datatype", Edit(SOURCES, '"002_31ff2320cbe0e39f.txt"', '"002_31ff2320cbe0e39f.txt"@en'),
      "shp:Source › smakg:documentFile", V, "Datatype", "src:gard-sma"),
    C("Source.documentFile.maxCount", Edit(SOURCES, '"002_31ff2320cbe0e39f.txt"',
                                           '"002_31ff2320cbe0e39f.txt", "copy.txt"'),
      "shp:Source › smakg:documentFile", V, "MaxCount", "src:gard-sma"),
    C("Source.documentFile.pattern", Edit(SOURCES, '"002_31ff2320cbe0e39f.txt"', '"seeds/002_31ff2320cbe0e39f.txt"'),
      "shp:Source › smakg:documentFile", V, "Pattern", "src:gard-sma"),
    C("Source.title.datatype", Edit(SOURCES, '"Learning About Spinal Muscular Atrophy" ;',
                                    '"Learning About Spinal Muscular Atrophy"@en ;'),
      "shp:Source › dcterms:title", V, "Datatype", "src:nhgri-2012"),
    C("Source.title.maxCount", Edit(SOURCES, '"2017 Standards of Care (SoC) for SMA" ;',
                                    '"2017 Standards of Care (SoC) for SMA", "SoC" ;'),
      "shp:Source › dcterms:title", V, "MaxCount", "src:sma-standards-of-care-2017"),
    C("Source.title.minCount", Edit(SOURCES, 'dcterms:title "2017 Standards of Care (SoC) for SMA" ;\n    ', ""),
      "shp:Source › dcterms:title", V, "MinCount", "src:sma-standards-of-care-2017"),
    C("Source.title.pattern", Edit(SOURCES, '"The Inheritance Patterns of Some Rarer Forms of SMA"',
                                   '"The Inheritance Patterns of Some Rarer Forms of SMA "'),
      "shp:Source › dcterms:title", V, "Pattern", "src:smauk-inheritance-sheet"),
    C("Source.sourceKind.in", Edit(SOURCES, "sourceKind smakg:WorkshopReport", "sourceKind smakg:Condition"),
      "shp:Source › smakg:sourceKind", V, "In", "src:vanderpol-enmc-190"),
    C("Source.sourceKind.maxCount", Edit(SOURCES, "sourceKind smakg:ReviewedSummaryPage ;",
                                         "sourceKind smakg:ReviewedSummaryPage, smakg:WebResource ;"),
      "shp:Source › smakg:sourceKind", V, "MaxCount", "src:summary-smard1"),
    C("Source.sourceKind.minCount", Edit(SOURCES, 'date ;\n    smakg:sourceKind smakg:ReferenceRelease .\n\nsrc:eckart',
                                         'date .\n\nsrc:eckart'),
      "shp:Source › smakg:sourceKind", V, "MinCount", "src:chr-2025-10-15"),
    C("SourceDates.releaseDate.datatype", Edit(SOURCES, '"2025-10-15"^^xsd:date', '"2025-10-35"^^xsd:date'),
      "shp:SourceDates › smakg:releaseDate", V, "Datatype", "src:chr-2025-10-15"),
    C("SourceDates.releaseDate.maxCount", Edit(SOURCES, '"2025-10-15"^^xsd:date',
                                                                  '"2025-10-15"^^xsd:date, "2025-10-16"^^xsd:date'),
      "shp:SourceDates › smakg:releaseDate", V, "MaxCount", "src:chr-2025-10-15"),
    C("SourceDates.modified.or", Edit(SOURCES, 'modified "2016-01-07"^^xsd:date', 'modified "1/7/2016"'),
      "shp:SourceDates › dcterms:modified", V, "Or", "src:gard-sma"),
    C("SourceDates.modified.maxCount", Edit(SOURCES, 'modified "2016-01-07"^^xsd:date',
                                                          'modified "2016-01-07"^^xsd:date, "2016"^^xsd:gYear'),
      "shp:SourceDates › dcterms:modified", V, "MaxCount", "src:gard-sma"),
    C("SourceDates.issued.or", Edit(SOURCES, 'issued "2003"^^xsd:gYear', 'issued "2003"^^xsd:integer'),
      "shp:SourceDates › dcterms:issued", V, "Or", "src:pitt-2003"),
    C("SourceDates.issued.maxCount", Edit(SOURCES, 'issued "2012"^^xsd:gYear',
                                                        'issued "2012"^^xsd:gYear, "2011"^^xsd:gYear'),
      "shp:SourceDates › dcterms:issued", V, "MaxCount", "src:eckart-2012"),
    C("Source.doi.maxCount", Edit(SOURCES, '"10.1093/brain/awg278"', '"10.1093/brain/awg278", "10.1093/brain/x"'),
      "shp:Source › bibo:doi", V, "MaxCount", "src:pitt-2003"),
    C("Source.doi.pattern", Edit(SOURCES, '"10.1093/brain/awg278"', '"doi:10.1093/brain/awg278"'),
      "shp:Source › bibo:doi", V, "Pattern", "src:pitt-2003", None, "10.1093/brain/awg278"),
    C("Source.pmid.maxCount", Edit(SOURCES, 'pmid "22157136"', 'pmid "22157136", "22157137"'),
      "shp:Source › bibo:pmid", V, "MaxCount", "src:eckart-2012"),
    C("Source.pmid.pattern", Edit(SOURCES, 'pmid "22157136"', 'pmid "PMID:22157136"'), "shp:Source › bibo:pmid", V,
      "Pattern", "src:eckart-2012"),
    C("Source.textSha256.maxCount", Edit(SOURCES, SUMMARY_SHA, f'{SUMMARY_SHA}, "{"0" * 64}"'),
      "shp:Source › smakg:textSha256", V, "MaxCount", "src:summary-smard1"),
    C("Source.textSha256.pattern", Edit(SOURCES, SUMMARY_SHA, SUMMARY_SHA.upper()), "shp:Source › smakg:textSha256",
      V, "Pattern", "src:summary-smard1"),
    C("SourceDocument.textSha256.minCount", Edit(SOURCES, f"ReviewedSummaryPage ;\n    smakg:textSha256 {SUMMARY_SHA}",
                                                 "ReviewedSummaryPage"),
      "shp:SourceDocument › smakg:textSha256", V, "MinCount", "src:summary-smard1"),
    # provenance.ttl: how strongly one source states a fact (qualifiers of its evidence)
    C("EvidenceQualifiers.certainty.in", Add(ok_claim("smakg:certainty smakg:Typical")), QUAL + "smakg:certainty",
      V, "In", "ev:*"),
    C("EvidenceQualifiers.certainty.maxCount", Add(ok_claim("smakg:certainty smakg:Possible, smakg:Asserted")),
      QUAL + "smakg:certainty", V, "MaxCount", "ev:*"),
    C("EvidenceQualifiers.generality.in", Add(ok_claim("smakg:generality smakg:Possible")),
      QUAL + "smakg:generality", V, "In", "ev:*"),
    C("EvidenceQualifiers.generality.maxCount", Add(ok_claim("smakg:generality smakg:Typical, smakg:InSome")),
      QUAL + "smakg:generality", V, "MaxCount", "ev:*"),
    C("EvidenceQualifiers.featureRole.in", Add(ok_claim("smakg:featureRole smakg:Typical")),
      QUAL + "smakg:featureRole", V, "In", "ev:*"),
    C("EvidenceQualifiers.frequency.maxCount", Add(ok_claim("smakg:frequency HP:0040281, HP:0040282")),
      QUAL + "smakg:frequency", V, "MaxCount", "ev:*"),
    C("FrequencyTerm.nodeKind", Add(ok_claim('smakg:frequency "HP:0040281"')), QUAL + "smakg:frequency", V, "Node",
      "ev:*"),
    C("FrequencyTerm.subClassOf+.hasValue", Add(ok_claim("smakg:frequency HP:0012828")), QUAL + "smakg:frequency", V,
      "Node", "ev:*"),
    C("SeverityTerm.nodeKind", Add(ok_claim('smakg:severityContext "severe"')), QUAL + "smakg:severityContext", V,
      "Node", "ev:*"),
    C("SeverityTerm.subClassOf+.hasValue", Add(ok_claim("smakg:severityContext HP:0003678")),
      QUAL + "smakg:severityContext", V, "Node", "ev:*"),
    C("CourseTerm.nodeKind", Add(ok_claim('smakg:course "rapidly"')), QUAL + "smakg:course", V, "Node", "ev:*"),
    C("CourseTerm.subClassOf+.hasValue", Add(ok_claim("smakg:course HP:0012828")), QUAL + "smakg:course", V, "Node",
      "ev:*"),
    C("CourseTerm.not", Add(ok_claim("smakg:course HP:0003593")), QUAL + "smakg:course", V, "Node", "ev:*"),
    C("EvidenceQualifiers.onset.node", Add(ok_claim("smakg:onset HP:0000007")), QUAL + "smakg:onset", V, "Node",
      "ev:*"),
    C("EvidenceQualifiers.asOf.or", Add(ok_claim('smakg:asOf "August 2022"')), QUAL + "smakg:asOf", V, "Or", "ev:*"),
    C("EvidenceQualifiers.asOf.maxCount", Add(ok_claim('smakg:asOf "2022"^^xsd:gYear, "2023"^^xsd:gYear')),
      QUAL + "smakg:asOf", V, "MaxCount", "ev:*"),
    C("EvidenceQualifiers.ageFrom.datatype", Add(ok_claim('smakg:ageFrom "6 weeks"')), QUAL + "smakg:ageFrom", V,
      "Datatype", "ev:*"),
    C("EvidenceQualifiers.ageFrom.maxCount", Add(ok_claim('smakg:ageFrom "P42D"^^xsd:duration, '
                                                          '"P43D"^^xsd:duration')),
      QUAL + "smakg:ageFrom", V, "MaxCount", "ev:*"),
    C("EvidenceQualifiers.ageTo.datatype", Add(ok_claim('smakg:ageTo "6 months"')), QUAL + "smakg:ageTo", V,
      "Datatype", "ev:*"),
    C("EvidenceQualifiers.ageTo.maxCount", Add(ok_claim('smakg:ageTo "P6M"^^xsd:duration, "P7M"^^xsd:duration')),
      QUAL + "smakg:ageTo", V, "MaxCount", "ev:*"),
    C("EvidenceQualifiers.knownVariantsMoreThan.datatype", Add(ok_claim('smakg:knownVariantsMoreThan "60"')),
      QUAL + "smakg:knownVariantsMoreThan", V, "Datatype", "ev:*"),
    C("EvidenceQualifiers.knownVariantsMoreThan.maxCount",
      Add(ok_claim('smakg:knownVariantsMoreThan 60, 61')),
      QUAL + "smakg:knownVariantsMoreThan", V, "MaxCount", "ev:*"),
    C("EvidenceQualifiers.knownVariantsMoreThan.minInclusive", Add(ok_claim('smakg:knownVariantsMoreThan -1')),
      QUAL + "smakg:knownVariantsMoreThan", V, "MinInclusive", "ev:*"),
    C("EvidenceQualifiers.knownVariantsMoreThan.datatype#derived",
      Add(ok_claim('smakg:knownVariantsMoreThan "60"^^xsd:nonNegativeInteger')),
      QUAL + "smakg:knownVariantsMoreThan", V, "Datatype", "ev:*"),
    C("SoTerm.nodeKind", Add(ok_claim('smakg:subjectAspect "SO:0001742"')), QUAL + "smakg:subjectAspect", V, "Node",
      "ev:*"),
    C("SoTerm.pattern", Add(ok_claim("smakg:subjectAspect HP:0000007")), QUAL + "smakg:subjectAspect", V, "Node",
      "ev:*"),
    C("SoTerm.label.minCount", Add(ok_claim("smakg:subjectAspect SO:0009999")), QUAL + "smakg:subjectAspect", V,
      "Node", "ev:*"),
    C("DocumentSource.class", Add(ok_claim("smakg:quotedVia agent:gard")), QUAL + "smakg:quotedVia", V, "Node",
      "ev:*"),
    C("DocumentSource.documentFile.minCount", Add(ok_claim("smakg:quotedVia src:pitt-2003")),
      QUAL + "smakg:quotedVia", V, "Node", "ev:*"),
    C("EvidenceQualifiers.quotedVia.maxCount", Add(ok_claim("smakg:quotedVia src:smauk-smard1, src:gard-sma")),
      QUAL + "smakg:quotedVia", V, "MaxCount", "ev:*"),
    # provenance.ttl: what a source says is NOT the case, dated treatment facts, notes' references
    C("NegatedStatement.sparql:negated-but-its-triple-is-asserted",
      handmade({"a": "smakg:Statement, smakg:NegatedStatement", "smakg:negated": "true"}),
      "shp:NegatedStatement", V, "SPARQL", "stmt:handmade", f"{EXTRA}@stmt:handmade a"),
    C("NegatedStatement.sparql:negated-true-and-the-type",
      handmade({"smakg:negated": "true"}, asserted=False),
      "shp:NegatedStatement", V, "SPARQL", "stmt:handmade", f"{EXTRA}@stmt:handmade a"),
    C("NegatedStatement.negated.in", handmade({"smakg:negated": "false"}), "shp:NegatedStatement › smakg:negated",
      V, "In", "stmt:handmade", f"{EXTRA}@stmt:handmade a"),
    C("NegatedStatement.negated.datatype", handmade({"smakg:negated": '"true"'}),
      "shp:NegatedStatement › smakg:negated", V, "Datatype", "stmt:handmade", f"{EXTRA}@stmt:handmade a"),
    C("NegatedStatement.negated.maxCount", handmade({"smakg:negated": "true, false"}, asserted=False),
      "shp:NegatedStatement › smakg:negated", V, "MaxCount", "stmt:handmade", f"{EXTRA}@stmt:handmade a"),
    C("Statement.sparql:treatment-facts-change", Add(claim("cond:dhmn", "smakg:hasTreatment",
                                                            "treatment:symptom-based")),
      "shp:Statement", V, "SPARQL", "stmt:*", None, "needs the date it holds as of"),
    C("Statement.seeAlso.class", Add(ok_claim("rdfs:seeAlso agent:gard")), "shp:Statement › rdfs:seeAlso", V,
      "Class", "stmt:*"),
    # entities.ttl: the new relations of conditions and genes, treatments and causal factors
    C("Condition.hasTreatment.class", Add(claim("cond:dhmn", "smakg:hasTreatment", "factor:diet",
                                                'smakg:asOf "2020"^^xsd:gYear')),
      "shp:Condition › smakg:hasTreatment", V, "Class", "cond:dhmn", AT_DHMN),
    C("Condition.causedBy.class", Add(claim("cond:dhmn", "smakg:causedBy", "treatment:symptom-based")),
      "shp:Condition › smakg:causedBy", V, "Class", "cond:dhmn", AT_DHMN),
    C("Condition.hasRarity.in", Add(claim("cond:dhmn", "smakg:hasRarity", "smakg:Typical")),
      "shp:Condition › smakg:hasRarity", V, "In", "cond:dhmn", AT_DHMN),
    C("ClinicalModifierTerm.nodeKind", Add(claim("cond:dhmn", "smakg:hasClinicalModifier", '"variable"')),
      "shp:Condition › smakg:hasClinicalModifier", V, "Node", "cond:dhmn", AT_DHMN),
    C("ClinicalModifierTerm.subClassOf+.hasValue", Add(claim("cond:dhmn", "smakg:hasClinicalModifier",
                                                             "HP:0000007")),
      "shp:Condition › smakg:hasClinicalModifier", V, "Node", "cond:dhmn", AT_DHMN),
    C("ClinicalModifierTerm.not", Add(claim("cond:dhmn", "smakg:hasClinicalModifier", "HP:0003678")),
      "shp:Condition › smakg:hasClinicalModifier", V, "Node", "cond:dhmn", AT_DHMN),
    C("UnderClinicalCourse.subClassOf+.hasValue", Add(claim("cond:dhmn", "smakg:hasClinicalModifier", "HP:0003593")),
      "shp:Condition › smakg:hasClinicalModifier", V, "Node", "cond:dhmn", AT_DHMN),
    C("GoTerm.nodeKind", Add(claim("gene:VAPB", "smakg:involvedIn", '"GO:0006260"')), "shp:Gene › smakg:involvedIn",
      V, "Node", "gene:VAPB", f"{GENES}@gene:VAPB a"),
    C("GoTerm.pattern", Add(claim("gene:VAPB", "smakg:involvedIn", "HP:0000007")), "shp:Gene › smakg:involvedIn", V,
      "Node", "gene:VAPB", f"{GENES}@gene:VAPB a"),
    C("GoTerm.label.minCount", Add(claim("gene:VAPB", "smakg:involvedIn", "GO:0099999")),
      "shp:Gene › smakg:involvedIn", V, "Node", "gene:VAPB", f"{GENES}@gene:VAPB a"),
    C("Treatment.label-one", Add('treatment:new a smakg:Treatment .\n'), "shp:label-one", V, "MinCount",
      "treatment:new"),
    C("CausalFactor.label-one", Add('factor:new a smakg:CausalFactor .\n'), "shp:label-one", V, "MinCount",
      "factor:new"),
    # Python check (validation/hedges.py): a quote that hedges records how on its evidence
    C("check.hedge-without-qualifier", Add(ok_claim(quote='"chr11 may be meant"')),
      "smakg:check/hedge-without-qualifier", W, None, "stmt:*", None, "the quote says 'may'"),
    C("check.negation-not-recorded", Add(ok_claim(quote='"chr11 is not meant"')),
      "smakg:check/negation-not-recorded", W, None, "stmt:*", None, "the quote says 'not'"),
    # Python checks (checks.py): every IRI of ours is declared, every vocabulary term defined, no relative IRI
    C("check.declared-iris#entity", Edit(SUMMARY, "subject cond:dhmn-milder-forms ;", "subject cond:dhmn-milder ;"),
      "smakg:check/declared-iris", V, None, "cond:dhmn-milder", None, "Did you mean cond:dhmn-milder-forms?"),
    C("check.declared-iris#vocabulary", Edit(SUMMARY, "predicate smakg:subtypeOf ;", "predicate smakg:subtypOf ;"),
      "smakg:check/declared-iris", V, None, "smakg:subtypOf", None, "did you mean smakg:subtypeOf?"),
    C("check.declared-iris#relative-iri", Edit(SUMMARY, "object cond:dhmn ;", "object <dhmn> ;"),
      "smakg:check/declared-iris", V, None, None, None, "relative IRI"),
    # Python check (checks.py): every typed literal is in its datatype's lexical space, at the line it is written
    C("check.lexical-form", Add('src:chr-2025-10-15 dcterms:valid "2022-13"^^xsd:gYearMonth .\n'),
      "smakg:check/lexical-form", V, None, "src:chr-2025-10-15", f"{EXTRA}@2022-13", "not a valid xsd:gYearMonth"),
    # Python checks (expand.py): the shape of a claim, no blank node outside a claim
    C("expand.claim-shape#no-subject", Edit(SUMMARY, "    rdf:subject cond:dhmn-milder-forms ;\n", ""),
      "smakg:check/claim-shape", V, None, None, None, "exactly one rdf:subject; it has 0"),
    C("expand.claim-shape#unknown-property", Edit(SUMMARY, '"milder forms of distal hereditary motor neuropathy" ;',
                                                  '"milder forms of distal hereditary motor neuropathy" ;\n'
                                                  '    skos:note "n" ;'),
      "smakg:check/claim-shape", V, None, None, None, "unknown property <http://www.w3.org/2004/02/skos/core#note>"),
    C("expand.claim-shape#literal-subject", Add(claim('"VAPB"', "smakg:locatedIn", "locus:hsa-chr11")),
      "smakg:check/claim-shape", V, None, None, None, "subject and predicate must be IRIs"),
    C("expand.claim-shape#duplicate-claim", Add(ok_claim() + ok_claim()), "smakg:check/claim-shape", V, None, None,
      None, "merge the two claims into one"),
    C("expand.no-blank-nodes", Add('gene:SMN1 rdfs:seeAlso [ rdfs:label "a blank node" ] .\n'),
      "smakg:check/no-blank-nodes", V, None, None, None, "blank node outside a smakg:Claim"),
]

# The passing fixtures: the real knowledge base and every template the Add cases start from.
PASSING: list[tuple[str, Mutation]] = [
    ("real-kb", Nothing()),
    ("claim-template", Add(ok_claim())),
    ("claim-template-with-every-optional-property", Add(ok_claim(
        'oa:prefix "a "', 'oa:suffix " b"', "smakg:evidenceType ECO:0000304", "dcterms:references src:pitt-2003",
        "oboInOwl:hasSynonymType OMO:0003000", "smakg:synonymScope oboInOwl:hasExactSynonym", 'rdfs:comment "c"'))),
    ("claim-template-with-every-qualifier", Add(ok_claim(
        "smakg:certainty smakg:Possible", "smakg:generality smakg:Typical", "smakg:frequency HP:0040282",
        "smakg:severityContext HP:0012828", "smakg:course HP:0003678", "smakg:onset HP:0003593",
        "smakg:featureRole smakg:EarlyFeature, smakg:Hallmark", 'smakg:asOf "2022-08"^^xsd:gYearMonth',
        'smakg:ageFrom "P42D"^^xsd:duration', 'smakg:ageTo "P6M"^^xsd:duration',
        'smakg:knownVariantsMoreThan 60', "smakg:subjectAspect SO:0001742",
        "smakg:quotedVia src:smauk-smard1", "rdfs:seeAlso src:pitt-2003", 'oa:exact "chr11 may be meant"',
        quote=None))),
    ("negated-claim", Add(claim("cond:dhmn", "smakg:hasTreatment", "treatment:treatment-or-cure",
                                "smakg:negated true", 'smakg:asOf "2022-08"^^xsd:gYearMonth'))),
    ("handmade-statement", handmade()),
    ("new-chromosome-and-band", Add(CHR12 + BAND_11Q13)),
]


# --------------------------------------------------------------------------------------------------------------
# Running the builds: once per distinct mutation, shared with test_engines.py (tests/fixture_runs.py).


@pytest.fixture(scope="module")
def outcomes(request: pytest.FixtureRequest) -> dict:
    """The findings (or the error, as text) of every mutation that a selected test of this module needs; the
    first of the two modules to ask builds what both need."""
    runs = fixture_runs(session_wants(request.session.items))
    return {mutation: run.findings for mutation, run in runs.items() if run.findings is not None}


def findings_of(outcomes: dict, mutation: Mutation) -> list[Finding]:
    result = outcomes[mutation]
    if isinstance(result, str):
        pytest.fail(f"the mutated project did not build: {result}")
    return result


def show_findings(findings: Iterable[Finding]) -> str:
    return "\n".join(f"  {f.severity} {f.location} {f.focus} [{f.rule}, {f.component}] {f.path} {f.value}: "
                     f"{f.message}" for f in findings) or "  (none)"


# --------------------------------------------------------------------------------------------------------------
# The tests


@pytest.mark.parametrize("mutation", [m for _, m in PASSING], ids=[name for name, _ in PASSING])
def test_passing_fixture_has_no_violation_or_warning(outcomes: dict, mutation: Mutation) -> None:
    findings = [f for f in findings_of(outcomes, mutation) if f.severity in (VIOLATION, WARNING)]
    assert not findings, "expected no violation and no warning, got:\n" + show_findings(findings)


def anchors(text: str, first: int = 1) -> list[int]:
    """The line each paragraph (blank-line separated block) starting at or after line ``first`` is located
    at: its first line, or for a claim the line after the opening ``[``."""
    lines = text.split("\n")
    return [i + 1 + (line.strip() == "[") for i, line in enumerate(lines)
            if i + 1 >= first and line.strip() and (i == 0 or not lines[i - 1].strip())]


def expected_lines(case: Case, file: str, snippet: str) -> list[int]:
    """Where the finding must point: the snippet's line, else the edited paragraph, else any paragraph of the
    added file."""
    text = case.mutation.text(file)
    if snippet:
        assert text.count(snippet) == 1, f"{file}: {snippet!r} should occur once"
        return [text.count("\n", 0, text.index(snippet)) + 1]
    if isinstance(case.mutation, Edit) and file == case.mutation.file:
        return [max(a for a in anchors(text) if a <= case.mutation.line() + 1)]
    return anchors(text, HEADER.count("\n") + 1 if isinstance(case.mutation, Add) else 1)


def matches(case: Case, f: Finding) -> bool:
    focus = case.focus
    return (case.rule in f.rule and f.severity == case.severity
            and (case.component is None or f.component == f"sh:{case.component}ConstraintComponent")
            and (focus is None or f.focus == focus or (focus.endswith("*") and f.focus.startswith(focus[:-1])))
            and (case.message is None or case.message in f.message))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_constraint_fires(outcomes: dict, case: Case) -> None:
    findings = findings_of(outcomes, case.mutation)
    hits = [f for f in findings if matches(case, f)]
    assert hits, (f"expected a {case.severity} from {case.rule} ({case.component}) on {case.focus}, got:\n"
                  + show_findings(findings))
    file, _, snippet = (case.at or case.mutation.file).partition("@")
    lines = expected_lines(case, file, snippet)
    placed = [f for f in hits if f.location and f.location.file == f"{KB}/{file}" and f.location.line in lines]
    assert placed, (f"expected the finding at {KB}/{file}, line {' or '.join(map(str, lines))}, got:\n"
                    + show_findings(hits))


# --------------------------------------------------------------------------------------------------------------
# Every constraint of shapes/*.ttl has a case

_PARAMS = {
    "class", "datatype", "nodeKind", "minCount", "maxCount", "minLength", "maxLength", "pattern", "languageIn",
    "uniqueLang", "equals", "disjoint", "lessThan", "lessThanOrEquals", "not", "and", "or", "xone", "node",
    "hasValue", "in", "closed", "qualifiedMinCount", "qualifiedMaxCount", "minExclusive", "minInclusive",
    "maxExclusive", "maxInclusive",
}


def _local(iri: URIRef) -> str:
    return re.split(r"[#/]", str(iri))[-1]


def _path_key(g: Graph, path) -> str:
    if isinstance(path, URIRef):
        return _local(path)
    if (path, RDF.first, None) in g:
        return "/".join(_path_key(g, p) for p in Collection(g, path))
    alt = g.value(path, SH.alternativePath)
    if alt is not None:
        members = [str(m) for m in Collection(g, alt)]
        if all(m.startswith(str(SKOS)) and m.endswith("Match") for m in members):
            return "match"
        return "|".join(_local(URIRef(m)) for m in members)
    for prop, fmt in ((SH.oneOrMorePath, "{}+"), (SH.zeroOrMorePath, "{}*"), (SH.zeroOrOnePath, "{}?"),
                      (SH.inversePath, "^{}")):
        inner = g.value(path, prop)
        if inner is not None:
            return fmt.format(_path_key(g, inner))
    raise AssertionError(f"unknown path form {path}")


def constraint_keys(g: Graph) -> set[str]:
    """One key per constraint: ``Shape.param`` (node level), ``Shape.path.param`` (anonymous property shape),
    ``PropertyShape.param`` (named property shape), ``Shape.PropertyShape`` (where a named property shape is
    attached) and ``Shape.sparql:<message>``. Shapes nested in sh:or/sh:xone lists are covered by the list."""
    keys: set[str] = set()

    def add(prefix: str, shape) -> None:
        for p, o in g.predicate_objects(shape):
            if str(p).startswith(str(SH)) and _local(p) in _PARAMS:
                keys.add(f"{prefix}.{_local(p)}")
            elif p == SH.sparql:
                keys.add(f"{prefix}.sparql:{g.value(o, SH.message)}")

    for shape in g.subjects(RDF.type, SH.NodeShape):
        if isinstance(shape, BNode):
            continue
        add(_local(shape), shape)
        for prop in g.objects(shape, SH.property):
            if isinstance(prop, URIRef):
                keys.add(f"{_local(shape)}.{_local(prop)}")
            else:
                add(f"{_local(shape)}.{_path_key(g, g.value(prop, SH.path))}", prop)
    for shape in g.subjects(RDF.type, SH.PropertyShape):
        if isinstance(shape, URIRef):
            add(_local(shape), shape)
    return keys


def _reported_key(case: Case) -> str | None:
    """The key of the constraint that reports the case's finding (for a nested shape: its parent's)."""
    if not case.rule.startswith("shp:") or case.component in (None, "SPARQL"):
        return None
    owner, _, path = case.rule.removeprefix("shp:").partition(" › ")
    if path.startswith("("):
        path = "match"
    path = re.sub(r"[A-Za-z]+:", "", path)
    param = case.component[0].lower() + case.component[1:]
    return ".".join(x for x in (owner, path, param) if x)


def _covers(case_key: str, key: str) -> bool:
    if ".sparql:" in case_key and ".sparql:" in key:
        (shape, needle), (shape2, message) = case_key.split(".sparql:"), key.split(".sparql:")
        return shape == shape2 and needle.replace("-", " ") in message
    return case_key == key


def test_every_constraint_has_a_case() -> None:
    keys = constraint_keys(load_shapes(ROOT / "shapes").graph)
    assert len(keys) > 100, "the enumeration of constraints found too few: is it broken?"
    case_keys = {c.id.split("#")[0] for c in CASES} | {k for c in CASES if (k := _reported_key(c))}
    uncovered = sorted(k for k in keys if not any(_covers(ck, k) for ck in case_keys))
    assert not uncovered, "constraints with no case in CASES:\n  " + "\n  ".join(uncovered)
    unknown = sorted(ck for ck in case_keys if not ck.startswith(("check.", "expand."))
                     and not any(_covers(ck, k) for k in keys))
    assert not unknown, "cases naming no constraint of shapes/ (renamed or removed?):\n  " + "\n  ".join(unknown)


def test_case_ids_are_unique() -> None:
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids))


# --------------------------------------------------------------------------------------------------------------
# The shapes themselves are valid SHACL


def _meta_conforms(shapes: Graph) -> tuple[bool, str]:
    # pyshacl's default depth (15) is too shallow for an sh:or of property shapes with an sh:alternativePath
    # list (shp:ConditionCrossReferenced): it raises "Validation path too deep" on valid shapes.
    conforms, _graph, text = meta_validate(shapes, inference="none", max_validation_depth=40)
    return conforms, text


def test_shapes_conform_to_shacl_shacl() -> None:
    conforms, text = _meta_conforms(load_shapes(ROOT / "shapes").graph)
    assert conforms, text


@pytest.mark.parametrize("break_it", [
    pytest.param(lambda g, ps: g.add((ps, SH.minCount, Literal("x"))), id="minCount-not-integer"),
    pytest.param(lambda g, ps: g.add((ps, SH.maxCount, Literal(1.5))), id="maxCount-not-integer"),
    pytest.param(lambda g, ps: g.add((ps, SH["in"], Literal("x"))), id="in-not-a-list"),
    pytest.param(lambda g, ps: g.add((ps, SH.pattern, Literal(5))), id="pattern-not-string"),
    pytest.param(lambda g, ps: g.add((ps, SH.datatype, Literal("xsd:string"))), id="datatype-not-iri"),
    pytest.param(lambda g, ps: g.remove((ps, SH.path, None)), id="property-without-path"),
    pytest.param(lambda g, ps: g.add((ps, SH.nodeKind, URIRef(PREFIXES["xsd"] + "string"))), id="nodeKind-not-a-kind"),
])
def test_shacl_shacl_check_catches_a_broken_shape(break_it) -> None:
    shapes = load_shapes(ROOT / "shapes").graph
    prop = next(o for o in shapes.objects(SHP.Gene, SH.property) if isinstance(o, BNode))
    break_it(shapes, prop)
    conforms, text = _meta_conforms(shapes)
    assert not conforms, "the SHACL-SHACL check accepted a broken shape:\n" + text
