"""Dereferenceable entities: what ``GET /id/...`` returns, as Turtle, N-Triples, JSON-LD or a readable HTML page.

An entity's description is its own triples, the triples that point at it, every statement about it (as subject or
object) or derived from it (a source) with the evidence and quote of each, and the labels of everything it links to,
so a page shows names, relations, quotes and sources without a second request.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from html import escape

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from smakg.kb.terms import sorted_terms
from smakg.kb.vocab import ECO, ID, OA, SMAKG, compress_iri
from smakg.sparql.find import Match
from smakg.sparql.query import Engine
from smakg.sparql.results import Term

# /id/{kind}/{slug} or /id/{name}: letters, digits and - . _ ~ only.
PATH = re.compile(r"^/id/(?:[a-z]+/)?[A-Za-z0-9][A-Za-z0-9._~-]*$")

_TRAIL = (RDF.subject, RDF.object, PROV.wasDerivedFrom)  # a statement about the entity, or from it (a source)
_NESTED = (SMAKG.evidence, OA.hasSelector)  # from a statement to its evidence, from evidence to its quote
_LABELS = (RDFS.label, DCTERMS.title)


def iri_for_path(path: str) -> str | None:
    """The entity IRI a local ``/id/...`` path names, or None when the path is not one."""
    return ID + path.removeprefix("/id/") if PATH.match(path) else None


def describe(engine: Engine, iri: str) -> Graph:
    """The description of one entity (see the module docstring); empty when the graph does not know it."""
    node = URIRef(iri)
    out = Graph()
    for triple in engine.triples(node, None, None):
        out.add(triple)
    starts: set[Node] = {node}
    for s, p, o in engine.triples(None, None, node):
        out.add((s, p, o))
        if p in _TRAIL:
            starts.add(s)
    seen: set[Node] = set()
    todo = list(starts)
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        for s, p, o in engine.triples(current, None, None):
            out.add((s, p, o))
            if p in _NESTED:
                todo.append(o)
    if len(out) == 0:
        return out
    neighbours = {t for s, _, o in out for t in (s, o) if isinstance(t, URIRef)}
    for x in neighbours:
        for p in _LABELS:
            for triple in engine.triples(x, p, None):
                out.add(triple)
    return out


def _href(iri: str) -> str:
    """Where a link goes: entities and vocabulary terms to this server's pages, anything else to its IRI."""
    if iri.startswith(ID):
        return "/id/" + iri.removeprefix(ID)
    if iri.startswith(str(SMAKG)):
        return "/vocab#" + iri.removeprefix(str(SMAKG))
    return iri


class _Labels:
    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def name(self, node: Node | None) -> str:
        if isinstance(node, Literal):
            return str(node)
        label = self.graph.value(node, RDFS.label) or self.graph.value(node, DCTERMS.title)
        return str(label) if label is not None else (compress_iri(str(node)) or str(node))

    def html(self, node: Node | None) -> str:
        """A value as HTML: a literal as text (with its language), an IRI as a link with its label and CURIE."""
        if isinstance(node, Literal):
            lang = f' <span class="tag">@{escape(node.language)}</span>' if node.language else ""
            return escape(str(node)) + lang
        iri = str(node)
        curie = compress_iri(iri)
        label = self.name(node)
        code = f' <code>{escape(curie)}</code>' if curie and curie != label else ""
        return f'<a href="{escape(_href(iri))}">{escape(label)}</a>{code}'


# How a source states a fact, in words a reader expects next to the quote (smakg's own qualifier values).
_QUALIFIER_WORDS = {SMAKG.Possible: "possible (may / can)", SMAKG.Asserted: "stated firmly",
                    SMAKG.Typical: "typical (usually / generally)", SMAKG.InSome: "in some",
                    SMAKG.PresentingFeature: "first symptom", SMAKG.EarlyFeature: "early symptom",
                    SMAKG.ProminentFeature: "most noticeable", SMAKG.Hallmark: "hallmark"}
_QUALIFIERS = ((SMAKG.certainty, ""), (SMAKG.generality, ""), (SMAKG.frequency, "frequency: "),
               (SMAKG.severityContext, "in cases: "), (SMAKG.course, "course: "), (SMAKG.onset, "onset: "),
               (SMAKG.featureRole, ""), (SMAKG.asOf, "as of "), (SMAKG.ageFrom, "from age "),
               (SMAKG.ageTo, "to age "), (SMAKG.knownVariantsMoreThan, "known variants: more than "),
               (SMAKG.subjectAspect, "aspect: "))
CURATOR_INFERENCE = ECO["0000305"]


def _evidence_rows(graph: Graph, statement: Node) -> list[tuple[Node | None, str, Node | None]]:
    """(source, quote, evidence) of each piece of evidence of a statement, sorted."""
    rows: list[tuple[Node | None, str, Node | None]] = []
    for ev in graph.objects(statement, SMAKG.evidence):
        source = graph.value(ev, OA.hasSource)
        selector = graph.value(ev, OA.hasSelector)
        quote = graph.value(selector, OA.exact) if selector is not None else None
        rows.append((source, str(quote) if quote is not None else "", ev))
    if not rows:
        rows = [(s, "", None) for s in graph.objects(statement, PROV.wasDerivedFrom)]
    return sorted(rows, key=lambda r: (str(r[0]), r[1]))


def qualifier_tags(graph: Graph, evidence: Node | None, name: Callable[[Node | None], str]) -> list[str]:
    """How one source states a fact, as short phrases: 'possible (may / can)', 'in cases: Severe', 'as of 2022-08',
    and "curator's inference" when the curator, not the source, drew the link."""
    if evidence is None:
        return []
    tags = []
    for prop, lead in _QUALIFIERS:
        for value in sorted_terms(graph.objects(evidence, prop)):
            word = _QUALIFIER_WORDS.get(value) if isinstance(value, URIRef) else None
            tags.append(lead + (word or name(value)))
    if (evidence, SMAKG.evidenceType, CURATOR_INFERENCE) in graph:
        tags.append("curator's inference")
    return tags


def page_html(graph: Graph, iri: str) -> str:
    """The readable page of one entity from its description graph."""
    node = URIRef(iri)
    labels = _Labels(graph)
    title = labels.name(node)
    types = ", ".join(labels.html(t) for t in sorted_terms(graph.objects(node, RDF.type)))
    statements = {st for st in graph.subjects(RDF.type, SMAKG.Statement)}
    about = defaultdict(list)  # "out": node is the subject; "in": node is the object; "from": a source's statements
    for st in sorted_terms(statements):
        s, p, o = (graph.value(st, x) for x in (RDF.subject, RDF.predicate, RDF.object))
        key = "out" if s == node else "in" if o == node else "self" if st == node else "from"
        about[key].append((st, s, p, o))
    stated = {(s, p, o) for _, s, p, o in about["out"]}
    other = sorted((p, o) for p, o in graph.predicate_objects(node) if (node, p, o) not in stated)

    def table(rows: Iterable[tuple[Node, Node | None, Node | None, Node | None]], *, subject: bool, obj: bool) -> str:
        head = "".join(f"<th>{h}</th>" for h in (["Subject"] if subject else []) + ["Relation"]
                       + (["Value"] if obj else []) + ["Source", "Quote"])
        body = []
        for st, s, p, o in sorted(rows, key=lambda r: (str(r[2]), labels.name(r[1]), labels.name(r[3]))):
            notes = [str(c) for c in graph.objects(st, RDFS.comment)]
            scope = graph.value(st, SMAKG.synonymScope)
            negated = (st, SMAKG.negated, Literal(True)) in graph
            for source, quote, ev in _evidence_rows(graph, st):
                relation = ('<span class="tag not">NOT</span> ' if negated else "") + labels.html(p)
                cells = ([labels.html(s)] if subject else []) + [relation] + ([labels.html(o)] if obj else [])
                if scope is not None:
                    cells[-1] += f' <span class="tag">{escape(compress_iri(str(scope)) or str(scope))}</span>'
                cells.append(labels.html(source) if source is not None else "")
                note = "".join(f'<div class="note">{escape(n)}</div>' for n in notes)
                tags = "".join(f' <span class="tag q">{escape(tag)}</span>'
                               for tag in qualifier_tags(graph, ev, labels.name))
                cells.append((f"<q>{escape(quote)}</q>" if quote else "") + tags + note
                             + f' <a class="st" href="{escape(_href(str(st)))}">statement</a>')
                body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        return f"<table><tr>{head}</tr>{''.join(body)}</table>"

    names = [graph.value(node, RDFS.label), graph.value(node, SKOS.prefLabel)]
    aliases = sorted(str(a) for a in graph.objects(node, SKOS.altLabel))
    parts = [f"<h1>{escape(title)}</h1>",
             f'<p class="iri"><code>{escape(iri)}</code>' + (f" · {types}" if types else "") + "</p>"]
    shown = sorted({str(n) for n in names if n is not None})
    if shown or aliases:
        parts.append("<h2>Names</h2><ul>" + "".join(f"<li>{escape(n)}</li>" for n in shown)
                     + "".join(f'<li>{escape(a)} <span class="tag">alias</span></li>' for a in aliases) + "</ul>")
    sections = (("out", "What the sources state about it", False, True),
                ("in", "Stated about other entities, pointing at it", True, False),
                ("from", "Statements from this source", True, True),
                ("self", "This statement", True, True))
    for key, heading, subject, obj in sections:
        if about[key]:
            parts.append(f"<h2>{heading} ({len(about[key])})</h2>" + table(about[key], subject=subject, obj=obj))
    if other:
        parts.append("<h2>Other properties</h2><table><tr><th>Property</th><th>Value</th></tr>" + "".join(
            f"<tr><td>{labels.html(p)}</td><td>{labels.html(o)}</td></tr>" for p, o in other) + "</table>")
    incoming = sorted({(s, p) for s, p in graph.subject_predicates(node)
                       if s not in statements and p not in (RDF.subject, RDF.object)})
    if incoming:
        parts.append("<h2>Referenced by</h2><ul>" + "".join(
            f"<li>{labels.html(s)} {labels.html(p)}</li>" for s, p in incoming) + "</ul>")
    alternates = "".join(f'<a href="?format={f}">{n}</a> ' for f, n in (("ttl", "Turtle"), ("jsonld", "JSON-LD"),
                                                                       ("nt", "N-Triples")))
    return document(title, "".join(parts) + f'<p class="alt">This page as data: {alternates}</p>')


STYLE = ("body{font:15px/1.45 system-ui,sans-serif;max-width:72em;margin:1em auto;padding:0 1em;color:#222}"
         "table{border-collapse:collapse;width:100%;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:.3em .5em;"
         "vertical-align:top;text-align:left}th{background:#f3f3f3}code{font-size:90%;color:#555}"
         ".tag{font-size:80%;background:#eef;padding:0 .3em;border-radius:3px}.note{font-size:90%;color:#555;"
         "margin-top:.3em}.st{font-size:80%}.not{background:#fdd;font-weight:bold}.q{background:#efe}"
         "q{font-style:italic}textarea{width:100%;font:13px monospace}")


def document(title: str, body: str) -> str:
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{escape(title)} · smakg</title><style>{STYLE}</style></head>\n"
            '<body><nav><a href="/">smakg</a> · <a href="/sparql">SPARQL endpoint</a> · <a href="/find">find</a>'
            f'</nav>\n{body}\n</body></html>\n')


def search_form(value: str = "") -> str:
    """The search box of the landing page and of /find: a name, an alias or an identifier."""
    return ('<form method="get" action="/find" class="find"><input type="search" name="q" size="40" '
            f'value="{escape(value)}" placeholder="a name, alias or identifier: SMARD1, MONDO:0011436, HGNC:5542" '
            'aria-label="find an entity"> <button type="submit">Find</button></form>')


def find_html(text: str, matches: list[Match], cut: bool) -> str:
    """The matches of a search as a page: each entity linked to its page (ours) or its IRI (imported terms)."""
    rows = "".join(
        f'<tr><td><a href="{escape(_href(m.iri))}">{escape(m.label)}</a></td>'
        f'<td><code>{escape(m.curie or m.iri)}</code></td><td>{escape(m.kind)}</td><td>{escape(m.matched())}</td></tr>'
        for m in matches)
    if matches:
        more = f" (the first {len(matches)})" if cut else ""
        found = (f"<p>{len(matches)} {'match' if len(matches) == 1 else 'matches'}{more} for <q>{escape(text)}</q>"
                 "</p><table><tr><th>Entity</th><th>IRI</th><th>Kind</th><th>Matched</th></tr>" + rows + "</table>")
    else:
        found = f"<p>Nothing matches <q>{escape(text)}</q>.</p>" if text else ""
    return document(f"Find {text}" if text else "Find", "<h1>Find an entity</h1>" + search_form(text) + found)


def results_html(variables: list[str], rows: list[dict[str, Term]], truncated: bool) -> str:
    """A SELECT result as an HTML table (for a browser that asks for text/html)."""
    def cell(term: Term | None) -> str:
        if term is None:
            return ""
        if term.kind == "uri":
            return f'<a href="{escape(_href(term.value))}">{escape(compress_iri(term.value) or term.value)}</a>'
        return escape(term.value)

    head = "".join(f"<th>?{escape(v)}</th>" for v in variables)
    body = "".join("<tr>" + "".join(f"<td>{cell(r.get(v))}</td>" for v in variables) + "</tr>" for r in rows)
    note = f"<p>{len(rows)} rows" + (" (truncated at the server's row limit)" if truncated else "") + "</p>"
    return document("Query results", f"<h1>Query results</h1>{note}<table><tr>{head}</tr>{body}</table>")


def vocabulary_html(graph: Graph) -> str:
    """The vocabulary as one page: every class, property and named individual with its definition and mappings,
    each under an anchor so ``https://w3id.org/smakg/vocab#Term`` maps to ``/vocab#Term``."""
    from rdflib.namespace import OWL

    labels = _Labels(graph)
    groups = (("Classes", OWL.Class), ("Object properties", OWL.ObjectProperty),
              ("Datatype properties", OWL.DatatypeProperty), ("Annotation properties", OWL.AnnotationProperty))
    grouped = set()
    parts = []
    ontology = next(iter(graph.subjects(RDF.type, OWL.Ontology)), None)
    title = labels.name(ontology) if ontology is not None else "smakg vocabulary"
    parts.append(f"<h1>{escape(title)}</h1>")
    if ontology is not None:
        for p in (DCTERMS.description, OWL.versionInfo):
            for o in graph.objects(ontology, p):
                parts.append(f"<p>{escape(str(o))}</p>")

    def term(node: Node) -> str:
        local = str(node).removeprefix(str(SMAKG))
        rows = []
        for p, o in sorted(graph.predicate_objects(node)):
            if p in (RDFS.label, SKOS.definition, RDF.type):
                continue
            rows.append(f"<tr><td>{labels.html(p)}</td><td>{labels.html(o)}</td></tr>")
        definition = graph.value(node, SKOS.definition) or graph.value(node, RDFS.comment)
        return (f'<h3 id="{escape(local)}">{escape(labels.name(node))} <code>smakg:{escape(local)}</code></h3>'
                + (f"<p>{escape(str(definition))}</p>" if definition else "")
                + (f"<table>{''.join(rows)}</table>" if rows else ""))

    for heading, kind in groups:
        nodes = sorted_terms(n for n in graph.subjects(RDF.type, kind) if str(n).startswith(str(SMAKG)))
        grouped.update(nodes)
        if nodes:
            parts.append(f"<h2>{heading} ({len(nodes)})</h2>" + "".join(term(n) for n in nodes))
    rest = sorted({s for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(str(SMAKG))} - grouped)
    if rest:
        parts.append(f"<h2>Other terms ({len(rest)})</h2>" + "".join(term(n) for n in rest))
    return document(title, "".join(parts))
