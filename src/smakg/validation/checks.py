"""Checks SHACL cannot express well: every IRI of ours resolves to a declared entity or vocabulary term, no IRI
was resolved against a local file (a relative IRI), and every typed literal anywhere is a valid form of its
datatype (shapes check only the properties they name)."""

from __future__ import annotations

import difflib
from collections.abc import Mapping

from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from smakg.findings import VIOLATION, Finding, Location, Rule
from smakg.kb.build import Built
from smakg.kb.lexical import ill_typed
from smakg.kb.vocab import DERIVED_KINDS, ID, SMAKG, show

RULE = Rule("smakg:check/declared-iris", "Every smakg entity IRI used anywhere is declared (has an rdf:type), "
            "every smakg vocabulary term is defined in ontology/smakg.ttl, and no IRI is relative (resolved "
            "against a local file).")


LEXICAL_RULE = Rule("smakg:check/lexical-form", "Every typed literal anywhere in the built graph and the vocabulary "
                    "(curated Turtle, JSON-LD input, imports) is in its datatype's lexical space (XSD 1.1 Part 2): "
                    "no month 13, no day 30 in February, no \"x\"^^xsd:boolean, no double beyond the largest.")


def ill_typed_literals(built: Built) -> list[Finding]:
    """Every typed literal whose lexical form its datatype does not allow, at the line it is written (else where
    its subject is described): a violation, so nothing is published with it."""
    findings = []
    for s, p, o, wrong in ill_typed([built.graph, built.vocabulary]):
        location = built.literal_locations.get(o) or built.locations.get(s)
        findings.append(Finding(VIOLATION, show(s) or str(s), wrong, LEXICAL_RULE.name,
                                path=show(p), value=str(o)[:200], location=location))
    return findings


def _kind(iri: str) -> str | None:
    if not iri.startswith(ID):
        return None
    return iri[len(ID):].split("/", 1)[0]


def undeclared_iris(graph: Graph, vocabulary: Graph, locations: Mapping[Node, Location]) -> list[Finding]:
    """Every smakg entity IRI used anywhere must be declared (have an rdf:type); every smakg vocabulary
    term must be defined in ontology/smakg.ttl. Each finding suggests the nearest declared name."""
    declared = {s for s in graph.subjects(RDF.type, None) if isinstance(s, URIRef)}
    declared_by_kind: dict[str | None, list[str]] = {}
    for entity in declared:
        declared_by_kind.setdefault(_kind(str(entity)), []).append(str(entity))
    terms = {str(s) for s in vocabulary.subjects() if isinstance(s, URIRef)}
    problems: dict[URIRef, str | None] = {}
    users: dict[URIRef, list[tuple[Node, Node]]] = {}
    for s, p, o in graph:
        for node in (s, p, o):
            if not isinstance(node, URIRef):
                continue
            if node not in problems:
                problems[node] = _problem(node, declared, terms, declared_by_kind)
            if problems[node] is not None:
                users.setdefault(node, []).append((s, p))
    findings: list[Finding] = []
    for node in sorted(users):
        # point at the place the curator wrote it: a claim (statement) first, else any located subject
        ranked = sorted(users[node], key=lambda sp: (_kind(str(sp[0])) != "statement", locations.get(sp[0]) is None,
                                                      str(sp[0]), str(sp[1])))
        subject, prop = ranked[0]
        findings.append(Finding(
            VIOLATION, show(node) or str(node), problems[node] or "", RULE.name,
            path=show(prop), value=f"used by {show(subject)}", location=locations.get(subject) or locations.get(node)))
    return findings

def _problem(node: URIRef, declared: set[URIRef], terms: set[str],
             declared_by_kind: dict[str | None, list[str]]) -> str | None:
    iri = str(node)
    if iri.startswith("file:"):
        return f"relative IRI {iri!r}: write a full IRI or a prefixed name"
    if iri.startswith(str(SMAKG)) and iri != str(SMAKG) and iri not in terms:
        near = difflib.get_close_matches(iri, sorted(terms), n=1, cutoff=0.8)
        return f"{show(node)} is not a term of the smakg vocabulary (ontology/smakg.ttl)" + (
            f"; did you mean {show(URIRef(near[0]))}?" if near else "")
    kind = _kind(iri)
    if kind is not None and kind not in DERIVED_KINDS and node not in declared:
        near = difflib.get_close_matches(iri, sorted(declared_by_kind.get(kind, [])), n=1, cutoff=0.6)
        return f"{show(node)} is used but never declared (no rdf:type): a typo in the IRI?" + (
            f" Did you mean {show(URIRef(near[0]))}?" if near else " Declare it in ontology/kb/entities/.")
    return None
