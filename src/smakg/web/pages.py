"""Dereferenceable entities: what ``GET /id/...`` returns, as Turtle, N-Triples, JSON-LD or a readable HTML page.

An entity's description is its own triples, the triples that point at it, every statement about it (as subject or
object) or derived from it (a source) with the evidence and quote of each, and the labels of everything it links to,
so a page shows names, relations, quotes and sources without a second request.
"""

from __future__ import annotations

from urllib.parse import urlencode

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS
from rdflib.term import Node

from smakg.kb.vocab import ID, OA, SMAKG, compress_iri
from smakg.sparql.find import Match
from smakg.sparql.query import Engine
from smakg.sparql.results import Term
from smakg.sparql.syntax import PREDEFINED
from smakg.web.html import PATH, Paths, document, esc, link

_TRAIL = (RDF.subject, RDF.object, PROV.wasDerivedFrom)  # a statement about the entity, or from it (a source)
_NESTED = (SMAKG.evidence, OA.hasSelector)  # from a statement to its evidence, from evidence to its quote
_LABELS = (RDFS.label, DCTERMS.title)


def iri_for_path(path: str) -> str | None:
    """The entity IRI a local ``/id/...`` path names, or None when the path is not one."""
    return ID + path.removeprefix("/id/") if PATH.match(path) else None


def is_empty(graph: Graph) -> bool:
    """Whether a graph holds no triple, without counting them (``len`` of a SimpleMemory graph walks it all).

    >>> is_empty(Graph(store="SimpleMemory")), is_empty(Graph().parse(data="<urn:a> <urn:b> <urn:c> .", format="nt"))
    (True, False)
    """
    return next(iter(graph.triples((None, None, None))), None) is None


def describe(engine: Engine, iri: str) -> Graph:
    """The description of one entity (see the module docstring); empty when the graph does not know it. Held in
    rdflib's SimpleMemory store: a page adds some 1,400 triples and then looks them up often, and this store (no
    named graphs to keep) does both two to three times faster than the default one."""
    node = URIRef(iri)
    out = Graph(store="SimpleMemory")
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
    if is_empty(out):
        return out
    neighbours = {t for s, _, o in out for t in (s, o) if isinstance(t, URIRef)}
    for x in neighbours:
        for p in _LABELS:
            for triple in engine.triples(x, p, None):
                out.add(triple)
    return out


def _href(iri: str) -> str:
    """Where a link goes: entities and vocabulary terms to this site's pages, anything else to its IRI
    (pages.html.link refuses what is not http(s))."""
    return _PATHS.of(iri) or iri


_PATHS = Paths(())


def search_form(value: str = "") -> str:
    """The search box of /find (a server round trip; the landing page searches in the browser)."""
    return ('<form method="get" action="find" class="find" role="search"><label for="find-q">Name, alias or '
            f'identifier</label> <input type="search" id="find-q" name="q" size="40" value="{esc(value)}" '
            'placeholder="SMARD1, MONDO:0011436, HGNC:5542"> <button type="submit">Find</button></form>')


def find_html(text: str, matches: list[Match], cut: bool) -> str:
    """The matches of a search as a page: each entity linked to its page (ours) or its IRI (imported terms)."""
    rows = "".join(
        f"<tr><td>{link(_href(m.iri), m.label)}</td>"
        f"<td><code>{esc(m.curie or m.iri)}</code></td><td>{esc(m.kind)}</td><td>{esc(m.matched())}</td></tr>"
        for m in matches)
    if matches:
        more = f" (the first {len(matches)})" if cut else ""
        found = (f"<p>{len(matches)} {'match' if len(matches) == 1 else 'matches'}{more} for <q>{esc(text)}</q>"
                 '</p><table><thead><tr><th scope="col">Entity</th><th scope="col">IRI</th><th scope="col">Kind</th>'
                 f'<th scope="col">Matched</th></tr></thead><tbody>{rows}</tbody></table>')
    else:
        found = f"<p>Nothing matches <q>{esc(text)}</q>.</p>" if text else ""
    return document(f"Find {text}" if text else "Find", "<h1>Find an entity</h1>" + search_form(text) + found)


FORMAT_LINKS = (("csv", "CSV"), ("tsv", "TSV"), ("json", "SPARQL JSON"), ("xml", "SPARQL XML"))


def query_form(text: str, *, heading: str = "Edit the query") -> str:
    """The query box, holding ``text``: runs at sparql (GET), answered as a page in a browser."""
    return (f'<form method="get" action="sparql" class="query" id="query"><h2>{esc(heading)}</h2>'
            '<label for="query-text">SPARQL query (the <a href="index.html#prefixes">predefined prefixes</a> need '
            'no PREFIX line)</label><textarea id="query-text" name="query" rows="10" cols="80">'
            f'{esc(text)}</textarea><br><button type="submit">Run</button></form>')


def results_html(variables: list[str], rows: list[dict[str, Term]], truncated: bool, text: str = "") -> str:
    """A SELECT result as an HTML page: the table, the query (editable, to run again) and the other formats."""
    def cell(term: Term | None) -> str:
        if term is None:
            return ""
        if term.kind == "uri":
            return link(_href(term.value), compress_iri(term.value) or term.value)
        return esc(term.value)

    head = "".join(f'<th scope="col">?{esc(v)}</th>' for v in variables)
    body = "".join("<tr>" + "".join(f"<td>{cell(r.get(v))}</td>" for v in variables) + "</tr>" for r in rows)
    note = f"<p>{len(rows)} rows" + (" (truncated at the server's row limit)" if truncated else "") + "</p>"
    formats = ""
    if text:
        formats = ('<p class="alt">This result as ' + " · ".join(
            link("sparql?" + urlencode({"query": text, "format": f}), name) for f, name in FORMAT_LINKS) + "</p>")
    return document("Query results", f"<h1>Query results</h1>{note}{formats}<table><thead><tr>{head}</tr></thead>"
                    f"<tbody>{body}</tbody></table>" + (query_form(text) if text else ""))


def query_error_html(text: str, message: str) -> str:
    """A query that could not run, as a page: what is wrong, in words, above the query to fix."""
    return document("Query error", '<h1>The query could not run</h1><div class="error" role="alert"><pre>'
                    f"{esc(message)}</pre></div>" + query_form(text, heading="Fix the query"))


EXAMPLE = """# smakg:, rdfs:, cond: and the other prefixes listed below are predefined
SELECT ?gene ?condition WHERE {
  ?g smakg:isCausalGeneFor ?c ; rdfs:label ?gene .
  ?c rdfs:label ?condition .
} ORDER BY ?gene ?condition"""


def prefix_table() -> str:
    """The predefined prefixes, each with its IRI, as an HTML section."""
    rows = "".join(f"<tr><td><code>{esc(p)}:</code></td><td><code>{esc(ns)}</code></td></tr>"
                   for p, ns in PREDEFINED.items())
    return ('<section><h2 id="prefixes">Predefined prefixes</h2><p>Every query may use these without a PREFIX line; '
            "a query's own PREFIX line for the same name wins.</p><table><thead><tr><th scope=\"col\">Prefix</th>"
            f'<th scope="col">IRI</th></tr></thead><tbody>{rows}</tbody></table></section>')
