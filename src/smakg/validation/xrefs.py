"""Check every imported cross-reference and identifier against the verified reference table.

A wrong identifier is worse than none: each ``skos:*Match`` or ``smakg:approvedName`` statement imported
from a reference release must name an identifier that a row marked ``verified`` lists, quote that row's
label, and cite the release the row names. DOIs, PMIDs and the HPO, GO and SO terms used as values anywhere must be
verified rows too.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from smakg.errors import BadInputError
from smakg.files import read_text
from smakg.findings import VIOLATION, Finding, Location, Outcome, Rule
from smakg.kb.terms import sorted_terms
from smakg.kb.vocab import BIBO, GO, HP, OA, PREFIXES, SMAKG, SO, compress_iri, show

RULE = "smakg:check/verified-identifier"
XREF_RULE = Rule(RULE, "Every imported cross-reference, approved name, DOI, PMID and HPO term is a row marked verified "
                 "in the identifier table, quoted with that row's label and citing its release (checked with --table).")
MATCHES = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch)
# how the reference table spells our prefixes
_TABLE_PREFIX = {"Orphanet": "ORPHA"}


@dataclass(frozen=True)
class Row:
    prefix: str
    local_id: str
    label: str
    evidence: str


def read_table(path: Path) -> dict[tuple[str, str], list[Row]]:
    """The verified rows of identifiers.tsv, keyed by (prefix, local id); an identifier may have several."""
    if not path.is_file():
        raise BadInputError(f"{path}: reference table not found", hint="pass --table path/to/identifiers.tsv")
    rows: dict[tuple[str, str], list[Row]] = {}
    reader = csv.DictReader(io.StringIO(read_text(path), newline=""), delimiter="\t", restval="")
    needed = {"prefix", "local_id", "label", "evidence", "status"}
    try:
        if not reader.fieldnames or not needed <= set(reader.fieldnames):
            raise BadInputError(f"{path}: not a reference table (needs columns {', '.join(sorted(needed))})")
        for row in reader:
            if row["status"].strip() == "verified":
                rows.setdefault((row["prefix"], row["local_id"]), []).append(
                    Row(row["prefix"], row["local_id"], row["label"], row["evidence"]))
    except csv.Error as exc:
        raise BadInputError(f"{path}:{reader.line_num}: the table cannot be read as TSV ({exc})") from None
    return rows


def _key(iri: str) -> tuple[str, str] | None:
    curie = compress_iri(iri)
    if curie is None:
        return None
    prefix, local = curie.split(":", 1)
    if prefix not in PREFIXES or prefix in ("obo",):
        return None
    return _TABLE_PREFIX.get(prefix, prefix), local


def _release_named(evidence: str, release: dt.date) -> bool:
    forms = {release.isoformat(), release.strftime("%Y-%b%d"), release.strftime("%Y-%b-%d")}
    return any(form in evidence for form in forms)


def verify_xrefs(graph: Graph, table: Path, locations: Mapping[Node, Location]) -> Outcome:
    rows = read_table(table)
    outcome = Outcome()
    checked = 0

    def fail(focus: Node, message: str, value: Node | None = None) -> None:
        outcome.add(Finding(VIOLATION, show(focus) or "", message, RULE, value=show(value),
                            location=locations.get(focus)))

    for stmt in sorted_terms(graph.subjects(RDF.type, SMAKG.Statement)):
        pred = graph.value(stmt, RDF.predicate)
        obj = graph.value(stmt, RDF.object)
        if pred not in MATCHES and pred != SMAKG.approvedName:
            continue
        checked += 1
        if pred == SMAKG.approvedName:
            subject_matches = [o for o in graph.objects(graph.value(stmt, RDF.subject), SKOS.exactMatch)
                               if str(o).startswith(PREFIXES["NCBIGene"])]
            key = _key(str(subject_matches[0])) if subject_matches else None
            if key is None:
                fail(stmt, "an approved name needs the gene's NCBI Gene cross-reference to check it against")
                continue
        else:
            key = _key(str(obj)) if isinstance(obj, URIRef) else None
        candidates = rows.get(key, []) if key else []
        if not candidates:
            fail(stmt, f"{show(obj)} is not an identifier of a verified row of the reference table", obj)
            continue
        releases = [r for r in graph.objects(stmt, PROV.wasDerivedFrom)
                    if (r, SMAKG.sourceKind, SMAKG.ReferenceRelease) in graph]
        if not releases:
            continue  # a curator's mapping stated with a document as its source: the identifier is verified
        quotes = {str(q) for ev in graph.objects(stmt, SMAKG.evidence)
                  for sel in graph.objects(ev, OA.hasSelector) for q in graph.objects(sel, OA.exact)}
        if pred == SMAKG.approvedName:
            labels = {r.label.split(" [cytoband")[0] for r in candidates}
            if str(obj) not in labels:
                fail(stmt, f"approved name {show(obj)} differs from the verified label(s) {sorted(labels)}", obj)
        elif not quotes & {r.label for r in candidates}:
            fail(stmt, f"the quote must be the verified row's label ({candidates[0].label!r})", obj)
        for source in releases:
            release = graph.value(source, SMAKG.releaseDate)
            if not isinstance(release, Literal) or not isinstance(release.value, dt.date):
                continue  # missing or ill-typed: the shapes report it
            if not any(_release_named(r.evidence, release.toPython()) for r in candidates):
                fail(stmt, f"{show(source)} is not the release the verified row names "
                           f"({candidates[0].evidence[:90]}…)", obj)

    # terms of other ontologies used as values (HPO phenotypes and qualifiers, GO processes, SO aspects)
    for space, prefix, what in ((HP, "HP", "HPO term"), (GO, "GO", "GO term"), (SO, "SO", "Sequence Ontology term")):
        values = {o for _s, p, o in graph if isinstance(o, URIRef) and str(o).startswith(str(space))
                  and p not in (RDFS.subClassOf, RDF.type)}
        for node in sorted_terms(values):
            checked += 1
            if (prefix, str(node)[len(str(space)):]) not in rows:
                fail(node, f"{show(node)} is not a verified {what} of the reference table")
    for prop, prefix in ((BIBO.doi, "DOI"), (BIBO.pmid, "PMID")):
        for source, value in sorted(graph.subject_objects(prop)):
            checked += 1
            if (prefix, str(value)) not in rows:
                fail(source, f"{prefix} {value} is not a verified row of the reference table", value)
    outcome.checked = {"identifiers": checked}
    outcome.add_rules([XREF_RULE])
    return outcome

