"""Dataset metadata (VoID + DCAT) added to the built graph: version, licence, sources, counts.

Nothing here reads the clock: the same inputs give the same description.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, VOID, XSD
from rdflib.term import Node

from smakg import __version__
from smakg.kb.terms import sorted_terms
from smakg.kb.vocab import DATA_LICENSE, DATASET, DCAT, EXAMPLE_RESOURCE, ID, SMAKG, compress_iri


def partition_iri(kind: str, term: Node) -> URIRef:
    """The IRI of the VoID class or property partition of ``term``: ``{dataset}/{kind}/{name}``, where the name
    is the local name of a smakg term and ``prefix-local`` of any other."""
    text = str(term)
    if text.startswith(str(SMAKG)):
        name = text[len(str(SMAKG)):]
    else:
        compact = compress_iri(text)
        name = compact.replace(":", "-", 1) if compact else "iri-" + text.replace("://", "-").replace("/", "-")
    return URIRef(f"{DATASET}/{kind}/{name}")


def describe(graph: Graph, version: str = __version__) -> URIRef:
    """Add the dataset node; ``void:triples`` counts the whole graph including this description."""
    ds = URIRef(DATASET)
    add = graph.add
    add((ds, RDF.type, VOID.Dataset))
    add((ds, RDF.type, DCAT.Dataset))
    add((ds, DCTERMS.title, Literal("smakg: the spinal muscular atrophy knowledge graph")))
    add((ds, DCTERMS.description, Literal(
        "Conditions, genes, chromosome loci, inheritance, onset, phenotypes and aliases of SMARD1 and the "
        "spinal muscular atrophies, each fact with the source that states it and a verbatim quote.")))
    add((ds, DCTERMS.license, DATA_LICENSE))
    add((ds, DCAT.version, Literal(version)))
    add((ds, VOID.uriSpace, Literal(ID)))
    add((ds, VOID.exampleResource, EXAMPLE_RESOURCE))
    add((ds, VOID.vocabulary, URIRef(str(SMAKG))))
    for source in sorted_terms(graph.subjects(SMAKG.documentFile, None)):
        add((ds, PROV.wasDerivedFrom, source))
    counts = {cls: len(set(graph.subjects(RDF.type, cls))) for cls in (
        SMAKG.Condition, SMAKG.Gene, SMAKG.ChromosomeLocus, SMAKG.Phenotype, SMAKG.ClinicalCourse,
        SMAKG.DiagnosticMethod, SMAKG.Statement, SMAKG.Evidence,
        SMAKG.Source)}
    for cls, n in counts.items():
        part = partition_iri("class", cls)
        add((ds, VOID.classPartition, part))
        add((part, RDF.type, VOID.Dataset))
        add((part, VOID["class"], cls))
        add((part, VOID.entities, Literal(n, datatype=XSD.integer)))
    add((ds, VOID.triples, Literal(len(graph) + 1, datatype=XSD.integer)))
    return ds
