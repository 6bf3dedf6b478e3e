"""The SPARQL 1.1 Service Description of the endpoint (Turtle, JSON-LD, N-Triples) and its HTML landing page."""

from __future__ import annotations

from typing import Protocol

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, VOID, XSD

from smakg import __version__
from smakg.kb.vocab import DATASET, FORMATS, SD
from smakg.web.html import document, esc, link
from smakg.web.jobs import Config
from smakg.web.pages import EXAMPLE, prefix_table, query_form, search_form
from smakg.web.workers import WorkerPool


class Endpoint(Protocol):
    """What the pages of the service need of the running server: its settings and its pool of query workers."""

    @property
    def config(self) -> Config: ...

    @property
    def pool(self) -> WorkerPool: ...

_RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                   "Turtle", "N-Triples", "JSON-LD", "RDF_XML")


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


def landing_page(base: str, server: Endpoint) -> str:
    """The endpoint's own page (``/sparql`` in a browser): its address, limits and formats, the query box."""
    config = server.config
    body = (f"<h1>smakg SPARQL endpoint</h1><p>{server.pool.triples} triples; read-only SPARQL 1.1 at "
            f"<code>{esc(base)}/sparql</code> (GET or POST). Each query runs at most {config.time_limit:g} s "
            f"and returns at most {config.row_limit} rows. Service description: "
            f'{link("sparql?format=ttl", "Turtle")}, {link("sparql?format=jsonld", "JSON-LD")}; '
            f'{link("health", "health")}; the {link("index.html", "home page")} lists every entity and the '
            "competency questions.</p><h2>Find an entity</h2>" + search_form()
            + query_form(EXAMPLE, heading="Query") + prefix_table())
    return document("SPARQL endpoint", body)
