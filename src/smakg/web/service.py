"""The SPARQL 1.1 Service Description of the endpoint (Turtle, JSON-LD, N-Triples) and its HTML landing page."""

from __future__ import annotations

import json
from html import escape
from typing import Protocol

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, VOID, XSD

from smakg import __version__
from smakg.kb.vocab import DATASET, FORMATS, SD
from smakg.sparql.syntax import PREDEFINED
from smakg.web.conneg import JSON
from smakg.web.jobs import Config, QueryJob
from smakg.web.pages import document, search_form
from smakg.web.workers import WorkerPool


class Endpoint(Protocol):
    """What the pages of the service need of the running server: its settings and its pool of query workers."""

    @property
    def config(self) -> Config: ...

    @property
    def pool(self) -> WorkerPool: ...

_RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                   "Turtle", "N-Triples", "JSON-LD", "RDF_XML")
EXAMPLE = """# smakg:, rdfs:, cond: and the other prefixes listed below are predefined
SELECT ?gene ?condition WHERE {
  ?g smakg:isCausalGeneFor ?c ; rdfs:label ?gene .
  ?c rdfs:label ?condition .
} ORDER BY ?gene ?condition"""


def description_graph(base: str, server: Endpoint) -> Graph:
    """sd:Service for the endpoint at ``base``/sparql: language, result formats, the limits, the dataset size."""
    g = Graph()
    g.bind("sd", SD)
    service = URIRef(f"{base}/sparql")
    dataset, default = BNode("dataset"), BNode("defaultGraph")
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, service))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    for name in _RESULT_FORMATS:
        g.add((service, SD.resultFormat, FORMATS[name]))
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, DCTERMS.source, URIRef(DATASET)))
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    g.add((default, VOID.triples, Literal(server.pool.triples, datatype=XSD.integer)))
    config = server.config
    g.add((service, DCTERMS.title, Literal("smakg: the spinal muscular atrophy knowledge graph (read-only SPARQL)")))
    g.add((service, DCTERMS.description, Literal(
        f"Read-only SPARQL 1.1 Query over one default graph; updates, SERVICE and FROM are refused. Each query "
        f"runs at most {config.time_limit:g} s and returns at most {config.row_limit} rows (the Smakg-Truncated "
        f"header says when a result was cut). Entities dereference under {base}/id/. smakg {__version__}.")))
    return g


def _listing(server: Endpoint) -> str:
    """Links to every condition and gene, from the graph itself (one query through the pool)."""

    text = ("SELECT ?kind ?e ?label WHERE { VALUES ?kind { smakg:Condition smakg:Gene } ?e a ?kind ; rdfs:label "
            "?label } ORDER BY ?kind ?label")  # the predefined prefixes
    reply = server.pool.run(QueryJob(text, JSON, None))
    if reply.status != 200:
        return ""
    items: dict[str, list[str]] = {}
    for row in json.loads(reply.body)["results"]["bindings"]:
        kind = row["kind"]["value"].rsplit("#", 1)[-1]
        iri = row["e"]["value"]
        path = "/id/" + iri.split("/id/", 1)[1]
        items.setdefault(kind, []).append(f'<li><a href="{escape(path)}">{escape(row["label"]["value"])}</a></li>')
    return "".join(f"<h2>{kind}s</h2><ul>{''.join(links)}</ul>" for kind, links in items.items())


def prefix_table() -> str:
    """The predefined prefixes, each with its IRI, as an HTML table."""
    rows = "".join(f"<tr><td><code>{escape(p)}:</code></td><td><code>{escape(ns)}</code></td></tr>"
                   for p, ns in PREDEFINED.items())
    return ("<h2 id=\"prefixes\">Predefined prefixes</h2><p>Every query may use these without a PREFIX line; a "
            "query's own PREFIX line for the same name wins.</p>"
            f"<table><tr><th>Prefix</th><th>IRI</th></tr>{rows}</table>")


def landing_page(base: str, server: Endpoint) -> str:

    config = server.config
    body = (f"<h1>smakg SPARQL endpoint</h1><p>{server.pool.triples} triples; read-only SPARQL 1.1 at "
            f"<code>{escape(base)}/sparql</code> (GET or POST). Each query runs at most {config.time_limit:g} s "
            f"and returns at most {config.row_limit} rows. Service description: "
            '<a href="/sparql?format=ttl">Turtle</a>, <a href="/sparql?format=jsonld">JSON-LD</a>; '
            '<a href="/health">health</a>.</p>'
            "<h2>Find an entity</h2>" + search_form() +
            "<h2>Query</h2>"
            '<form method="get" action="/sparql"><textarea name="query" rows="8">'
            f'{escape(EXAMPLE)}</textarea><br><button type="submit">Run</button> '
            '<a href="#prefixes">the predefined prefixes</a></form>'
            + _listing(server) + prefix_table())
    return document("SPARQL endpoint", body)
