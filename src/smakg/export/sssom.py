"""Every cross-reference as an SSSOM mapping set (SSSOM 1.0, TSV with a YAML metadata header).

Rows come from the graph's SKOS mapping triples on entities (one row per piece of evidence: the reference
release the identifier was read from, its quote, the curator's note) and from the vocabulary's SKOS mappings
of smakg classes and properties to RO, Biolink, ORDO, MONDO, SO and schema.org. Every mapping was made by a
curator, so the justification is ``semapv:ManualMappingCuration``. CURIEs use the project's one prefix map;
the header's ``curie_map`` declares every prefix used except SSSOM's built-in ones.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from smakg.errors import DataError
from smakg.kb.terms import sorted_terms
from smakg.kb.vocab import BASE, OA, PREFIXES, SEMAPV, SMAKG, SSSOM, Curies

NAME = "smakg.sssom.tsv"
MAPPING_PREDICATES = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch)
JUSTIFICATION = "semapv:ManualMappingCuration"
# SSSOM 1.0 built-in prefixes: never redeclared in a curie_map.
BUILTIN = {"owl": str(OWL), "rdf": str(RDF), "rdfs": str(RDFS), "skos": str(SKOS),
           "semapv": SEMAPV, "sssom": SSSOM}
COLUMNS = ["subject_id", "subject_label", "predicate_id", "object_id", "mapping_justification", "mapping_source",
           "comment"]
MAPPING_SET_ID = BASE + "mappings/smakg.sssom.tsv"
VOCABULARY = URIRef(BASE + "vocab")


@dataclass(frozen=True, order=True)
class Row:
    subject_id: str
    predicate_id: str
    object_id: str
    mapping_source: str
    subject_label: str
    comment: str

    def cells(self) -> dict[str, str]:
        return {"subject_id": self.subject_id, "subject_label": self.subject_label,
                "predicate_id": self.predicate_id, "object_id": self.object_id,
                "mapping_justification": JUSTIFICATION, "mapping_source": self.mapping_source,
                "comment": self.comment}


class _Curies(Curies):
    """The project prefix map, refusing an IRI it cannot shorten (every SSSOM identifier is a CURIE)."""

    def __init__(self) -> None:
        super().__init__(PREFIXES)

    def __call__(self, iri: str) -> str:
        curie = self.compress(iri, local=bool)
        if curie is not None:
            return curie
        raise DataError(f"{iri}: a mapping uses an IRI with no prefix in the smakg prefix map",
                        hint="add its identifier space to PREFIXES in src/smakg/kb/vocab.py")


def _text(value: object) -> str:
    return " ".join(str(value).split())


def _entity_rows(graph: Graph, curie: _Curies) -> list[Row]:
    rows = []
    for predicate in MAPPING_PREDICATES:
        for s, o in graph.subject_objects(predicate):
            if not isinstance(s, URIRef) or not isinstance(o, URIRef):
                continue
            label = _text(graph.value(s, RDFS.label) or "")
            statements = [st for st in graph.subjects(RDF.subject, s)
                          if (st, RDF.predicate, predicate) in graph and (st, RDF.object, o) in graph]
            notes = sorted(_text(c) for st in statements for c in graph.objects(st, RDFS.comment))
            evidence = sorted_terms(ev for st in statements for ev in graph.objects(st, SMAKG.evidence))
            if not evidence:
                rows.append(Row(curie(str(s)), curie(str(predicate)), curie(str(o)), "", label, "; ".join(notes)))
            for ev in evidence:
                source = graph.value(ev, OA.hasSource)
                selectors = list(graph.objects(ev, OA.hasSelector))
                quotes = sorted(_text(q) for sel in selectors for q in graph.objects(sel, OA.exact))
                parts = []
                if source is not None:
                    parts.append(f"Source: {_text(graph.value(source, DCTERMS.title) or source)}.")
                parts.extend(f"Quote: \u201c{q}\u201d." for q in quotes)
                parts.extend(f"Note: {n}" for n in notes)
                rows.append(Row(curie(str(s)), curie(str(predicate)), curie(str(o)),
                                curie(str(source)) if source is not None else "", label, " ".join(parts)))
    return rows


def _vocabulary_rows(vocabulary: Graph, curie: _Curies) -> list[Row]:
    version = vocabulary.value(VOCABULARY, OWL.versionInfo)
    rows = []
    for predicate in MAPPING_PREDICATES:
        for s, o in vocabulary.subject_objects(predicate):
            if isinstance(s, URIRef) and isinstance(o, URIRef) and str(s).startswith(str(SMAKG)):
                rows.append(Row(curie(str(s)), curie(str(predicate)), curie(str(o)), "",
                                _text(vocabulary.value(s, RDFS.label) or ""),
                                f"smakg vocabulary {version} (vocab.ttl): mapping of a smakg term."))
    return rows


def _yaml(value: object) -> str:
    """A YAML scalar: JSON's double-quoted strings are valid YAML and need no further escaping rules."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value)


def to_sssom(graph: Graph, vocabulary: Graph, *, version: str, issued: str, license_iri: str) -> str:
    """The SSSOM/TSV text: metadata header (``#`` lines of YAML), then one row per mapping, sorted."""
    curie = _Curies()
    rows = sorted(set(_entity_rows(graph, curie) + _vocabulary_rows(vocabulary, curie)))
    curie_map = {p: ns for p, ns in sorted(curie.used.items()) if BUILTIN.get(p) != ns}
    clash = [p for p in curie_map if p in BUILTIN]
    if clash:
        raise DataError(f"prefixes {clash} would redefine SSSOM built-in prefixes",
                        hint="rename them in src/smakg/kb/vocab.py")
    header = {
        "mapping_set_id": MAPPING_SET_ID,
        "mapping_set_version": version,
        "mapping_set_title": "smakg cross-references",
        "mapping_set_description": "Cross-references of smakg conditions, genes, loci and phenotypes to MONDO, "
        "Orphanet, OMIM, HGNC, NCBI Gene, Ensembl, CHR and HPO, each read by a curator in the reference release "
        "named in mapping_source; and the mappings of the smakg vocabulary to RO, Biolink, ORDO, MONDO, SO and "
        "schema.org.",
        "license": license_iri,
        "publication_date": issued,
        "mapping_provider": BASE,
        "creator_label": ["smakg curators"],
    }
    lines = ["#curie_map:"]
    lines += [f"#  {prefix}: {_yaml(ns)}" for prefix, ns in curie_map.items()]
    for key, value in header.items():
        if isinstance(value, list):
            lines.append(f"#{key}:")
            lines += [f"#  - {_yaml(v)}" for v in value]
        else:
            lines.append(f"#{key}: {_yaml(value)}")
    lines.append("\t".join(COLUMNS))
    for row in rows:
        cells = row.cells()
        lines.append("\t".join(cells[c] for c in COLUMNS))
    return "\n".join(lines) + "\n"
