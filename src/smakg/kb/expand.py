"""Turn authored claims into asserted triples plus Statement, Evidence and selector nodes with derived IRIs.

A curator writes one ``smakg:Claim`` block per (fact, source): subject, predicate, object, source, quote, and how
strongly the source states it (``QUALIFIERS``: certainty, generality, frequency, severity context, course, onset,
feature role, the date it holds as of, ...). Claims about the same triple from several sources become one
``smakg:Statement`` with one ``prov:wasDerivedFrom`` per source and one ``smakg:Evidence`` per quote; the
qualifiers go on that source's evidence, because two sources qualify one fact differently. A claim with
``smakg:negated true`` says the triple is not the case: its statement is marked negated and the triple itself is
never asserted, so a plain query cannot read it as positive. IRIs are SHA-256 digests of the content, so the same
input always yields the same IRIs, and no blank node survives.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS
from rdflib.term import Identifier, Node

from smakg.findings import VIOLATION, Finding, Location, Rule
from smakg.kb.load import Loaded, new_graph
from smakg.kb.terms import sorted_terms
from smakg.kb.vocab import ECO, EV, OA, OBOINOWL, SEL, SMAKG, STMT

# How a source states a fact: claim properties the build moves onto that source's evidence.
QUALIFIERS = (SMAKG.certainty, SMAKG.generality, SMAKG.frequency, SMAKG.severityContext, SMAKG.course, SMAKG.onset,
              SMAKG.featureRole, SMAKG.asOf, SMAKG.ageFrom, SMAKG.ageTo, SMAKG.knownVariantsMoreThan,
              SMAKG.subjectAspect, SMAKG.quotedVia)
# Claim properties that the build moves onto the statement, the evidence or the selector.
_CLAIM_KEYS = {
    RDF.type, RDF.subject, RDF.predicate, RDF.object, PROV.wasDerivedFrom, OA.exact, OA.prefix, OA.suffix,
    DCTERMS.references, SMAKG.evidenceType, RDFS.comment, SMAKG.synonymScope, OBOINOWL.hasSynonymType,
    SMAKG.negated, RDFS.seeAlso, *QUALIFIERS,
}
NEGATED = Literal(True)
CLAIM_SHAPE = Rule("smakg:check/claim-shape", "A claim (smakg:Claim) has exactly one rdf:subject, rdf:predicate "
                   "and rdf:object (subject and predicate IRIs), its source and quote, and no other property.")
NO_BLANK_NODES = Rule("smakg:check/no-blank-nodes", "No blank node outside a smakg:Claim block: every node the "
                      "exports carry has an IRI.")
ECO_STATED = ECO["0000303"]
ECO_STATED_WITH_REFERENCE = ECO["0000304"]
ECO_IMPORTED = ECO["0000311"]


@dataclass
class Expanded:
    """The built graph, where each node was written, and the problems that stopped a claim expanding."""

    graph: Graph
    locations: dict[Node, Location] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    claims: int = 0


def digest(*parts: Node | None) -> str:
    """A short, stable content hash of RDF terms (N-Triples forms, so literals keep datatype and language)."""
    text = "\x1f".join("" if p is None else p.n3() for p in parts)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def statement_iri(s: Node, p: Node, o: Node, *, negated: bool = False) -> URIRef:
    """The statement's IRI: a digest of its triple (and of its negation, so "not the case" never shares an IRI
    with the positive statement)."""
    return STMT[digest(s, p, o, NEGATED) if negated else digest(s, p, o)]


def _values(graph: Graph, node: Node, prop: URIRef) -> list[Identifier]:
    return sorted_terms(graph.objects(node, prop))


def _evidence_type(graph: Graph, source: Node | None, refs: list[Identifier]) -> URIRef:
    if source is not None and (source, SMAKG.sourceKind, SMAKG.ReferenceRelease) in graph:
        return ECO_IMPORTED
    return ECO_STATED_WITH_REFERENCE if refs else ECO_STATED


def expand(loaded: Loaded) -> Expanded:
    """Expand every claim; copy every other triple unchanged. Report blank nodes that are not claims."""
    src = loaded.graph
    out = new_graph()
    result = Expanded(graph=out, locations=dict(loaded.locations))
    claims = set(src.subjects(RDF.type, SMAKG.Claim))
    result.claims = len(claims)

    for s, p, o in src:
        if s in claims:
            continue
        if isinstance(s, BNode) or isinstance(o, BNode):
            bnode = s if isinstance(s, BNode) else o
            result.findings.append(Finding(
                VIOLATION, _show(bnode, loaded), "blank node outside a smakg:Claim block: give the node an IRI "
                "(exports carry no blank nodes)", NO_BLANK_NODES.name, path=p.n3(),
                location=loaded.where(bnode) or loaded.where(s)))
            continue
        out.add((s, p, o))

    for claim in sorted(claims, key=lambda c: (loaded.where(c) or Location("", 0), str(c))):
        _expand_claim(src, claim, loaded.where(claim), result)
    return result


def _show(node: Node, loaded: Loaded) -> str:
    loc = loaded.where(node)
    return f"claim at {loc}" if loc else str(node)


def _expand_claim(src: Graph, claim: Node, where: Location | None, result: Expanded) -> None:
    out = result.graph
    parts: dict[str, Node] = {}
    for name, prop in (("rdf:subject", RDF.subject), ("rdf:predicate", RDF.predicate), ("rdf:object", RDF.object)):
        values = _values(src, claim, prop)
        if len(values) != 1:
            result.findings.append(Finding(
                VIOLATION, f"claim at {where}" if where else str(claim),
                f"a claim needs exactly one {name}; it has {len(values)}", CLAIM_SHAPE.name,
                path=name, location=where))
            return
        parts[name] = values[0]
    s, p, o = parts["rdf:subject"], parts["rdf:predicate"], parts["rdf:object"]
    for extra in sorted_terms({pp for pp in src.predicates(claim, None)} - _CLAIM_KEYS):
        result.findings.append(Finding(
            VIOLATION, f"claim at {where}" if where else str(claim),
            f"unknown property {extra.n3()} on a claim", CLAIM_SHAPE.name, path=extra.n3(), location=where))
    if isinstance(s, Literal) or not isinstance(p, URIRef):
        result.findings.append(Finding(
            VIOLATION, f"claim at {where}", "a claim's subject and predicate must be IRIs",
            CLAIM_SHAPE.name, location=where))
        return

    negated = NEGATED in _values(src, claim, SMAKG.negated)
    stmt = statement_iri(s, p, o, negated=negated)
    if negated:
        out.add((stmt, SMAKG.negated, NEGATED))
        out.add((stmt, RDF.type, SMAKG.NegatedStatement))
    else:
        out.add((s, p, o))
    out.add((stmt, RDF.type, SMAKG.Statement))
    out.add((stmt, RDF.subject, s))
    out.add((stmt, RDF.predicate, p))
    out.add((stmt, RDF.object, o))
    if where:
        result.locations.setdefault(stmt, where)
    for prop in (RDFS.comment, RDFS.seeAlso, SMAKG.synonymScope, OBOINOWL.hasSynonymType):
        for value in _values(src, claim, prop):
            out.add((stmt, prop, value))

    sources = _values(src, claim, PROV.wasDerivedFrom)
    source = sources[0] if sources else None
    for each in sources:
        out.add((stmt, PROV.wasDerivedFrom, each))
    quotes = _values(src, claim, OA.exact)
    prefixes = _values(src, claim, OA.prefix)
    suffixes = _values(src, claim, OA.suffix)
    refs = _values(src, claim, DCTERMS.references)
    quote = quotes[0] if quotes else None
    ev_hash = digest(stmt, source, quote, prefixes[0] if prefixes else None, suffixes[0] if suffixes else None)
    ev, sel = EV[ev_hash], SEL[ev_hash]
    if (ev, RDF.type, SMAKG.Evidence) in out:  # two claims would silently merge (and mix their qualifiers)
        result.findings.append(Finding(
            VIOLATION, f"claim at {where}" if where else str(claim), "another claim states the same fact from the "
            "same source with the same quote: merge the two claims into one", CLAIM_SHAPE.name, location=where))
        return
    out.add((stmt, SMAKG.evidence, ev))
    out.add((ev, RDF.type, SMAKG.Evidence))
    for each in sources:
        out.add((ev, OA.hasSource, each))
    for ref in refs:
        out.add((ev, DCTERMS.references, ref))
    types = _values(src, claim, SMAKG.evidenceType) or [_evidence_type(src, source, refs)]
    for eco in types:
        out.add((ev, SMAKG.evidenceType, eco))
    for prop in QUALIFIERS:
        for value in _values(src, claim, prop):
            out.add((ev, prop, value))
    out.add((ev, OA.hasSelector, sel))
    out.add((sel, RDF.type, OA.TextQuoteSelector))
    for prop, values in ((OA.exact, quotes), (OA.prefix, prefixes), (OA.suffix, suffixes)):
        for value in values:
            out.add((sel, prop, value))
    if where:
        result.locations.setdefault(ev, where)
        result.locations.setdefault(sel, where)
