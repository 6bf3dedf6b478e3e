"""What an entity page reads: the entity's description plus the context a reader needs (the loci of its genes, the
body systems of its phenotypes, the kinds of its neighbours), the facts about it (one per statement, with every
source's evidence and qualifiers), and where each IRI's page is on the site.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD
from rdflib.term import Node

from smakg.kb.terms import sorted_terms
from smakg.kb.vocab import DERIVED_KINDS, ECO, HP_PHENOTYPIC_ABNORMALITY, ID, OA, OBOINOWL, SMAKG, compress_iri
from smakg.sparql.query import Engine
from smakg.web.pages import describe, is_empty

CURATOR_INFERENCE = ECO["0000305"]
_CONTEXT_LINKS = (SMAKG.locatedIn, SMAKG.partOf)  # gene -> locus -> chromosome, for the pages of conditions

# How a source states a fact, in the reader's words next to the quote (smakg's own qualifier values).
QUALIFIER_WORDS = {SMAKG.Possible: "may", SMAKG.Asserted: "stated firmly", SMAKG.Typical: "typically",
                   SMAKG.InSome: "in some", SMAKG.PresentingFeature: "first symptom",
                   SMAKG.EarlyFeature: "early symptom", SMAKG.ProminentFeature: "most noticeable",
                   SMAKG.Hallmark: "hallmark"}
_QUALIFIERS = ((SMAKG.certainty, ""), (SMAKG.generality, ""), (SMAKG.frequency, "frequency: "),
               (SMAKG.severityContext, "in cases: "), (SMAKG.course, "course: "), (SMAKG.onset, "onset: "),
               (SMAKG.featureRole, ""), (SMAKG.asOf, "as of "), (SMAKG.ageFrom, "from age "),
               (SMAKG.ageTo, "to age "), (SMAKG.knownVariantsMoreThan, "known variants: more than "),
               (SMAKG.subjectAspect, "aspect: "))
QUALIFIER_PROPERTIES = tuple(p for p, _ in _QUALIFIERS)


def page_graph(engine: Engine, iri: str) -> Graph:
    """The description of ``iri`` (pages.describe) with the context its page shows: the types and labels of its
    neighbours, the locus and chromosome of each gene, and each HPO term's ancestors up to the body systems."""
    graph = describe(engine, iri)
    if is_empty(graph):
        return graph
    _citing_statements(engine, graph, URIRef(iri))
    derived = tuple(ID + kind + "/" for kind in DERIVED_KINDS)  # statements and their parts: described already
    neighbours = {t for s, _, o in graph for t in (s, o) if isinstance(t, URIRef) and not str(t).startswith(derived)}
    todo: list[Node] = list(neighbours)
    seen: set[Node] = set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for triple in engine.triples(node, RDF.type, None):
            graph.add(triple)
        for p in (*_CONTEXT_LINKS, RDFS.subClassOf):
            for s, pp, o in engine.triples(node, p, None):
                graph.add((s, pp, o))
                if p != RDFS.subClassOf or o != HP_PHENOTYPIC_ABNORMALITY:
                    todo.append(o)
        for p in (RDFS.label, DCTERMS.title):
            for triple in engine.triples(node, p, None):
                graph.add(triple)
    return graph


def _citing_statements(engine: Engine, graph: Graph, node: URIRef) -> None:
    """For a work that evidence cites (dcterms:references): that evidence's source and the statement it supports
    (its subject, predicate, object and their names), so the page links the statement, not the evidence node."""
    for ev in list(graph.subjects(DCTERMS.references, node)):
        if not str(ev).startswith(ID + "evidence/"):
            continue
        for triple in engine.triples(ev, OA.hasSource, None):
            graph.add(triple)
        for st, p, _ in engine.triples(None, SMAKG.evidence, ev):
            graph.add((st, p, ev))
            for part in (RDF.subject, RDF.predicate, RDF.object):
                for triple in engine.triples(st, part, None):
                    graph.add(triple)


class Labels:
    """Names of terms: the page graph's labels first, then the vocabulary's, then the CURIE."""

    def __init__(self, graph: Graph, vocabulary: Mapping[str, str]) -> None:
        self.graph = graph
        self.vocabulary = vocabulary
        self._names: dict[Node, str] = {}  # an IRI's name, looked up once (a page names some IRIs many times)

    def name(self, node: Node | None) -> str:
        if isinstance(node, Literal):
            return str(node)
        if isinstance(node, URIRef) and node in self._names:
            return self._names[node]
        label = self.graph.value(node, RDFS.label) or self.graph.value(node, DCTERMS.title)
        if label is not None:
            found = str(label)
        else:
            text = str(node)
            found = self.vocabulary.get(text) or compress_iri(text) or text
        if isinstance(node, URIRef):
            self._names[node] = found
        return found


@dataclass
class Evidence:
    """One source's support of a fact: the quote, how the source qualifies it, and who drew the link."""

    source: Node | None
    quote: str
    qualifiers: list[str]
    kind: Node | None  # the ECO evidence type
    inferred: bool
    cites: list[Node] = field(default_factory=list)  # the works the quote cites (dcterms:references)
    via: list[Node] = field(default_factory=list)  # the document the quote was read in (smakg:quotedVia)
    prefix: str = ""  # the text just before the quote in its document (oa:prefix)
    node: Node | None = None  # the evidence node itself


@dataclass
class Fact:
    """One statement: subject, predicate, object, whether it is negated, the curator's notes, and all evidence."""

    statement: URIRef
    subject: Node
    predicate: Node
    object: Node
    negated: bool
    notes: list[str]
    evidence: list[Evidence]
    tags: list[Node] = field(default_factory=list)  # synonym scope and type of an alias
    see_also: list[Node] = field(default_factory=list)  # rdfs:seeAlso of the statement

    @property
    def sources(self) -> list[Node]:
        return list(sorted_terms({e.source for e in self.evidence if e.source is not None}))

    @property
    def inferred(self) -> bool:
        """Drawn by the curator (ECO:0000305) for every source that supports it."""
        return bool(self.evidence) and all(e.inferred for e in self.evidence)

    @property
    def anchor(self) -> str:
        return "f-" + str(self.statement).rsplit("/", 1)[-1]


class Word(str):
    """A qualifier word, with the value as the data writes it when the word rewords it (``raw``: 'P42D' for
    'from age 42 days'), for a title beside the word."""

    raw: str = ""


_DURATION_UNITS = {"Y": ("year", "years"), "M": ("month", "months"), "W": ("week", "weeks"), "D": ("day", "days")}


def readable_duration(text: str) -> str | None:
    """An xsd:duration of years, months, weeks and days in words; None for another form (with a time part, say).

    >>> readable_duration("P42D"), readable_duration("P1Y6M"), readable_duration("PT5H")
    ('42 days', '1 year 6 months', None)
    """
    if not text.startswith("P") or len(text) < 3:
        return None
    parts, number = [], ""
    for c in text[1:]:
        if c.isdigit():
            number += c
        elif c in _DURATION_UNITS and number:
            one, many = _DURATION_UNITS[c]
            parts.append(f"{int(number)} {one if int(number) == 1 else many}")
            number = ""
        else:
            return None
    return " ".join(parts) if parts and not number else None


def qualifier_words(graph: Graph, evidence: Node, labels: Labels) -> list[str]:
    """How one source states a fact, as short words: 'may', 'in some', 'typically', 'in cases: Severe', 'from
    age 42 days' (a duration in words, its raw value kept on the Word)."""
    words: list[str] = []
    for prop, lead in _QUALIFIERS:
        for value in sorted_terms(graph.objects(evidence, prop)):
            word = QUALIFIER_WORDS.get(value) if isinstance(value, URIRef) else None
            if word is None and isinstance(value, Literal) and value.datatype == XSD.duration:
                readable = readable_duration(str(value))
                if readable is not None:
                    out = Word(lead + readable)
                    out.raw = str(value)
                    words.append(out)
                    continue
            words.append(lead + (word or labels.name(value)))
    return words


def facts(graph: Graph, labels: Labels) -> list[Fact]:
    """Every statement in the page graph as a Fact, in a stable order."""
    out = []
    for st in sorted_terms(graph.subjects(RDF.type, SMAKG.Statement)):
        s, p, o = (graph.value(st, x) for x in (RDF.subject, RDF.predicate, RDF.object))
        if s is None or p is None or o is None or not isinstance(st, URIRef):
            continue
        evidence = []
        for ev in graph.objects(st, SMAKG.evidence):
            selector = graph.value(ev, OA.hasSelector)
            quote = graph.value(selector, OA.exact) if selector is not None else None
            prefix = graph.value(selector, OA.prefix) if selector is not None else None
            kind = graph.value(ev, SMAKG.evidenceType)
            evidence.append(Evidence(graph.value(ev, OA.hasSource), str(quote) if quote is not None else "",
                                     qualifier_words(graph, ev, labels), kind, kind == CURATOR_INFERENCE,
                                     list(sorted_terms(graph.objects(ev, DCTERMS.references))),
                                     list(sorted_terms(graph.objects(ev, SMAKG.quotedVia))),
                                     str(prefix) if prefix is not None else "", ev))
        if not evidence:
            evidence = [Evidence(src, "", [], None, False) for src in graph.objects(st, PROV.wasDerivedFrom)]
        evidence.sort(key=lambda e: (str(e.source), e.quote))
        tags: list[Node] = list(sorted_terms(t for p2 in (SMAKG.synonymScope, OBOINOWL.hasSynonymType)
                                             for t in graph.objects(st, p2)))
        out.append(Fact(st, s, p, o, (st, SMAKG.negated, Literal(True)) in graph,
                        sorted(str(c) for c in graph.objects(st, RDFS.comment)), evidence, tags,
                        list(sorted_terms(graph.objects(st, RDFS.seeAlso)))))
    return out

