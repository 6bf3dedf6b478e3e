"""A schema.org ``Dataset`` description of the release on the dataset node, for search engines (which read
schema.org, not VoID or DCAT): name, description, version, licence, creator, sources, keywords and one
``DataDownload`` per serialisation of the graph. It is part of the built graph, so every export carries it.

Added before ``describe`` so the VoID counts include these triples. Name and description are the same as the
VoID/DCAT title and description (a test compares them), the licence is describe's. Nothing here reads the clock.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from smakg import __version__
from smakg.kb.terms import sorted_terms
from smakg.kb.vocab import AGENT, DATA_LICENSE, DATASET, RELEASE, SCHEMA, SMAKG

NAME = "smakg: the spinal muscular atrophy knowledge graph"
DESCRIPTION = ("Conditions, genes, chromosome loci, inheritance, onset, phenotypes and aliases of SMARD1 and the "
               "spinal muscular atrophies, each fact with the source that states it and a verbatim quote.")
KEYWORDS = ("spinal muscular atrophy", "SMARD1", "rare disease", "knowledge graph", "gene-disease relation",
            "HPO phenotype", "provenance", "linked data")
CREATOR = AGENT["smakg"]
CREATOR_NAME = "the smakg project"
# Every serialisation of the graph in dist/, with its media type.
DISTRIBUTIONS = (
    ("smakg.ttl", "text/turtle", "the knowledge graph as Turtle"),
    ("smakg.nt", "application/n-triples", "the knowledge graph as sorted N-Triples"),
    ("smakg.jsonld", "application/ld+json", "the knowledge graph as flat JSON-LD 1.1"),
    ("smakg.conditions.jsonld", "application/ld+json",
     "the knowledge graph as JSON-LD 1.1, one framed document per condition"),
)


def download_url(file: str, version: str = __version__) -> URIRef:
    """Where a release's file is published: ``https://w3id.org/smakg/release/{version}/{file}``."""
    return URIRef(f"{RELEASE}{version}/{file}")


def describe_for_search(graph: Graph, version: str = __version__) -> URIRef:
    """Type the dataset node ``schema:Dataset`` and add its schema.org description; return the node."""
    ds = URIRef(DATASET)
    add = graph.add
    add((ds, RDF.type, SCHEMA.Dataset))
    add((ds, SCHEMA.name, Literal(NAME)))
    add((ds, SCHEMA.description, Literal(DESCRIPTION)))
    add((ds, SCHEMA.version, Literal(version)))
    add((ds, SCHEMA.license, DATA_LICENSE))
    add((ds, SCHEMA.inLanguage, Literal("en")))
    add((ds, SCHEMA.isAccessibleForFree, Literal(True)))
    for keyword in KEYWORDS:
        add((ds, SCHEMA.keywords, Literal(keyword)))
    add((ds, SCHEMA.creator, CREATOR))
    add((CREATOR, RDF.type, SCHEMA.Organization))
    add((CREATOR, SCHEMA.name, Literal(CREATOR_NAME)))
    for source in sorted_terms(graph.subjects(SMAKG.documentFile, None)):
        add((ds, SCHEMA.isBasedOn, source))
    for file, media_type, description in DISTRIBUTIONS:
        node = URIRef(f"{DATASET}/distribution/{file}")  # the node void.ttl describes as a dcat:Distribution
        add((ds, SCHEMA.distribution, node))
        add((node, RDF.type, SCHEMA.DataDownload))
        add((node, SCHEMA.name, Literal(file)))
        add((node, SCHEMA.description, Literal(description)))
        add((node, SCHEMA.encodingFormat, Literal(media_type)))
        add((node, SCHEMA.contentUrl, download_url(file, version)))
    return ds
