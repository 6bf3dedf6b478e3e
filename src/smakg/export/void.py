"""Release metadata: ``dist/void.ttl``, a VoID + DCAT description of this release and of every file beside it.

The version and the release date come from the ontology header (``owl:versionInfo``, ``dcterms:issued``), never
from the clock. Counts are exact: the whole graph, every class partition (entities, and triples about them) and
every property partition (triples, distinct subjects and objects). Each distribution has its media type, byte
size and SHA-256 of the bytes written. void.ttl describes the other files, not itself, and the checksums live
only here: the in-graph description (``describe``) cannot hold them without changing the files they describe.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, VOID, XSD

from smakg.errors import DataError
from smakg.kb.describe import partition_iri
from smakg.kb.load import new_graph
from smakg.kb.terms import indexes_or_built, sorted_terms
from smakg.kb.turtle import serialize
from smakg.kb.vocab import (
    BASE,
    CODE_LICENSE,
    DATA_LICENSE,
    DATASET,
    DCAT,
    IANA_MEDIA_TYPES,
    PAV,
    PREFIXES,
    RELEASE,
    SCHEMA,
    SMAKG,
    SPDX,
    STANDARDS,
)

NAME = "void.ttl"
VOCABULARY = URIRef(BASE + "vocab")
SOFTWARE = URIRef(BASE + "software")
IANA = IANA_MEDIA_TYPES
# Media type and the standard each file follows, by the end of its name (the longest ending wins).
FORMATS: dict[str, tuple[str, str | None]] = {
    ".ttl": ("text/turtle", STANDARDS["turtle"]),
    ".nt": ("application/n-triples", STANDARDS["n-triples"]),
    ".jsonld": ("application/ld+json", STANDARDS["json-ld"]),
    ".json": ("application/json", None),
    ".schema.json": ("application/schema+json", STANDARDS["json-schema"]),
    ".tsv": ("text/tab-separated-values", None),
    ".sssom.tsv": ("text/tab-separated-values", STANDARDS["sssom"]),
    ".biolink.nodes.tsv": ("text/tab-separated-values", STANDARDS["biolink"]),
    ".biolink.edges.tsv": ("text/tab-separated-values", STANDARDS["biolink"]),
}
_SOURCE_FACTS = (RDF.type, DCTERMS.title, DCTERMS.modified, DCTERMS.issued, DCTERMS.publisher,
                 SMAKG.printedVersion, SMAKG.printedDate, SMAKG.releaseDate, SMAKG.documentFile, SMAKG.textSha256,
                 SMAKG.sourceKind)


@dataclass(frozen=True)
class Release:
    """What names a release: its version and the date it was issued (both from the ontology header)."""

    version: str
    issued: str

    @classmethod
    def of(cls, vocabulary: Graph) -> Release:
        version = vocabulary.value(VOCABULARY, OWL.versionInfo)
        issued = vocabulary.value(VOCABULARY, DCTERMS.issued)
        if version is None or not isinstance(issued, Literal) or issued.datatype != XSD.date:
            raise DataError(f"{VOCABULARY.n3()}: the ontology header needs owl:versionInfo and dcterms:issued "
                            "(an xsd:date) to name the release",
                            hint='add dcterms:issued "YYYY-MM-DD"^^xsd:date to the header of ontology/smakg.ttl '
                                 "when you set the version")
        return cls(str(version), str(issued))


def media_type(name: str) -> tuple[str, str | None]:
    """The media type of a file and the standard it conforms to, from the end of its name."""
    endings = sorted((e for e in FORMATS if name.endswith(e)), key=len, reverse=True)
    if not endings:
        raise DataError(f"{name}: no media type is known for this export",
                        hint="add its file-name ending to FORMATS in src/smakg/export/void.py")
    return FORMATS[endings[0]]


def _count(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)


def _partitions(graph: Graph, out: Graph, ds: URIRef) -> None:
    spo, pos, osp = indexes_or_built(graph)
    for cls, entities in pos.get(RDF.type, {}).items():
        part = partition_iri("class", cls)
        out.add((ds, VOID.classPartition, part))
        out.add((part, RDF.type, VOID.Dataset))
        out.add((part, VOID["class"], cls))
        out.add((part, VOID.entities, _count(len(entities))))
        out.add((part, VOID.triples, _count(sum(len(objects) for e in entities for objects in spo[e].values()))))
    for prop, by_object in pos.items():
        part = partition_iri("property", prop)
        out.add((ds, VOID.propertyPartition, part))
        out.add((part, RDF.type, VOID.Dataset))
        out.add((part, VOID.property, prop))
        out.add((part, VOID.triples, _count(sum(len(subjects) for subjects in by_object.values()))))
        out.add((part, VOID.distinctSubjects, _count(len({s for subjects in by_object.values() for s in subjects}))))
        out.add((part, VOID.distinctObjects, _count(len(by_object))))
    out.add((ds, VOID.triples, _count(len(graph))))
    out.add((ds, VOID.classes, _count(len(pos.get(RDF.type, {})))))
    out.add((ds, VOID.properties, _count(len(pos))))
    out.add((ds, VOID.distinctSubjects, _count(len(spo))))
    out.add((ds, VOID.distinctObjects, _count(len(osp))))


def _sources(graph: Graph, out: Graph, ds: URIRef) -> None:
    """Each source a statement derives from (documents and reference releases), with its version and dates."""
    used = {s for st in graph.subjects(RDF.type, SMAKG.Statement) for s in graph.objects(st, PROV.wasDerivedFrom)}
    for source in sorted_terms(used):
        out.add((ds, PROV.wasDerivedFrom, source))
        for prop in _SOURCE_FACTS:
            for value in graph.objects(source, prop):
                out.add((source, prop, value))
        for publisher in graph.objects(source, DCTERMS.publisher):
            for label in graph.objects(publisher, RDFS.label):
                out.add((publisher, RDFS.label, label))


def _distributions(files: dict[str, str], out: Graph, ds: URIRef, release: Release) -> None:
    for name, text in sorted(files.items()):
        if name == NAME:
            continue
        data = text.encode("utf-8")
        mime, standard = media_type(name)
        dist = URIRef(f"{DATASET}/distribution/{name}")
        checksum = URIRef(f"{dist}/sha256")
        url = URIRef(f"{RELEASE}{release.version}/{name}")
        out.add((ds, DCAT.distribution, dist))
        if name.endswith((".nt", ".ttl")) and name.startswith("smakg."):
            out.add((ds, VOID.dataDump, url))
        out.add((dist, RDF.type, DCAT.Distribution))
        out.add((dist, DCTERMS.title, Literal(name)))
        out.add((dist, DCAT.downloadURL, url))
        out.add((dist, DCAT.mediaType, URIRef(IANA + mime)))
        if standard:
            out.add((dist, DCTERMS.conformsTo, URIRef(standard)))
        out.add((dist, DCAT.byteSize, Literal(len(data), datatype=XSD.nonNegativeInteger)))
        out.add((dist, DCTERMS.license, DATA_LICENSE))
        out.add((dist, SPDX.checksum, checksum))
        out.add((checksum, RDF.type, SPDX.Checksum))
        out.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        out.add((checksum, SPDX.checksumValue, Literal(hashlib.sha256(data).hexdigest(), datatype=XSD.hexBinary)))


def to_void(graph: Graph, vocabulary: Graph, files: dict[str, str]) -> str:
    """void.ttl for the built graph and the export files (name -> text) written beside it."""
    release = Release.of(vocabulary)
    out = new_graph()
    ds = URIRef(DATASET)
    add = out.add
    add((ds, RDF.type, VOID.Dataset))
    add((ds, RDF.type, DCAT.Dataset))
    for prop in (DCTERMS.title, DCTERMS.description, VOID.uriSpace, VOID.exampleResource, VOID.vocabulary):
        for value in graph.objects(ds, prop):
            add((ds, prop, value))
    add((ds, DCAT.version, Literal(release.version)))
    add((ds, OWL.versionInfo, Literal(release.version)))
    add((ds, DCTERMS.issued, Literal(release.issued, datatype=XSD.date)))
    add((ds, DCTERMS.license, DATA_LICENSE))
    add((ds, DCTERMS.conformsTo, VOCABULARY))
    add((ds, PAV.createdWith, SOFTWARE))
    add((SOFTWARE, RDF.type, PROV.SoftwareAgent))
    add((SOFTWARE, RDF.type, SCHEMA.SoftwareSourceCode))
    add((SOFTWARE, RDFS.label, Literal("smakg, the software that builds the knowledge graph")))
    add((SOFTWARE, SCHEMA.softwareVersion, Literal(release.version)))
    add((SOFTWARE, DCTERMS.license, CODE_LICENSE))
    _partitions(graph, out, ds)
    _sources(graph, out, ds)
    _distributions(files, out, ds, release)
    return serialize(out, PREFIXES)
