"""Every IRI the code names, in one place, and the one prefix map (no network, no rdflib defaults).

>>> str(SMAKG.Condition)
'https://w3id.org/smakg/vocab#Condition'
>>> expand_curie("MONDO:0011436")
'http://purl.obolibrary.org/obo/MONDO_0011436'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS, VOID, XSD
from rdflib.term import Node

BASE = "https://w3id.org/smakg/"
ID = BASE + "id/"

SMAKG = Namespace(BASE + "vocab#")
SHP = Namespace(BASE + "shapes#")
OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("http://schema.org/")
BIOLINK = Namespace("https://w3id.org/biolink/vocab/")
OBO = Namespace("http://purl.obolibrary.org/obo/")
OBOINOWL = Namespace("http://www.geneontology.org/formats/oboInOwl#")
PROBE = "urn:smakg:probe:"  # never data: the terms of a scratch store that tests how pyoxigraph keeps literals
FABIO = Namespace("http://purl.org/spar/fabio/")
BIBO = Namespace("http://purl.org/ontology/bibo/")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
PAV = Namespace("http://purl.org/pav/")
SPDX = Namespace("http://spdx.org/rdf/terms#")
HP = Namespace(str(OBO) + "HP_")
ECO = Namespace(str(OBO) + "ECO_")
SO = Namespace(str(OBO) + "SO_")
OMO = Namespace(str(OBO) + "OMO_")
GO = Namespace(str(OBO) + "GO_")

# Entity namespaces: https://w3id.org/smakg/id/{kind}/{slug}
DERIVED_KINDS = ("statement", "evidence", "selector")
COND = Namespace(ID + "condition/")
GENE = Namespace(ID + "gene/")
LOCUS = Namespace(ID + "locus/")
PHEN = Namespace(ID + "phenotype/")
COURSE = Namespace(ID + "course/")
METHOD = Namespace(ID + "method/")
TREATMENT = Namespace(ID + "treatment/")
FACTOR = Namespace(ID + "factor/")
SRC = Namespace(ID + "source/")
AGENT = Namespace(ID + "agent/")
STMT = Namespace(ID + "statement/")
EV = Namespace(ID + "evidence/")
SEL = Namespace(ID + "selector/")
DATASET = ID.rstrip("/") + "/dataset"
RELEASE = BASE + "release/"  # a release's files: {RELEASE}{version}/{file} (void.ttl's dcat:downloadURL)
# The named graphs `smakg publish` writes into a SPARQL store: one per release ({RELEASE_GRAPHS}{version}), and the
# graph readers query, which holds a copy of the release made current last. The release graphs have a namespace of
# their own, so that no version (not even one named "current") can name the graph readers query.
RELEASE_GRAPHS = BASE + "graph/release/"
CURRENT_GRAPH = BASE + "graph/current"

IMPORTS = BASE + "imports/"  # the named extracts of external ontologies (ontology/imports/)
CHECKS = Namespace(BASE + "checks#")  # the Python checks, as sh:sourceShape of their results
EXAMPLE_RESOURCE = COND["smard1"]

# Licences: of the data (CC BY 4.0) and of the code (MIT).
DATA_LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
CODE_LICENSE = URIRef("https://opensource.org/license/mit")

# Other vocabularies and standards the code names.
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
SEMAPV = "https://w3id.org/semapv/vocab/"
SSSOM = "https://w3id.org/sssom/"
SPARQL_RESULTS = "http://www.w3.org/2005/sparql-results#"
XSD_STRING = str(XSD.string)
RDF_LANGSTRING = str(RDF.langString)
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SVG = "http://www.w3.org/2000/svg"  # the SVG namespace of the diagrams (smakg.web.diagram)
XLINK = "http://www.w3.org/1999/xlink"
HP_PHENOTYPIC_ABNORMALITY = HP["0000118"]  # the body systems of HPO are its direct subclasses
# Link schemes a page may use in href: only the web's (a page never links javascript:, data: or file:).
WEB_SCHEMES = ("http", "https")
# Cross-reference prefixes an entity page lists as links, in this order (the IRI is the CURIE's expansion).
XREF_PREFIXES = ("MONDO", "OMIM", "OMIMPS", "Orphanet", "HGNC", "NCBIGene", "ENSEMBL", "HP", "GO", "SO")
# The standard each release file follows, by the end of its name (void.ttl's dcterms:conformsTo).
STANDARDS = {
    "turtle": "https://www.w3.org/TR/turtle/",
    "n-triples": "https://www.w3.org/TR/n-triples/",
    "json-ld": "https://www.w3.org/TR/json-ld11/",
    "json-schema": "https://json-schema.org/draft/2020-12/schema",
    "sssom": "https://w3id.org/sssom/schema/",
    "biolink": "https://w3id.org/biolink/vocab/",
}
# The same identifier space written with another IRI form in Biolink's prefix map (ours follows MONDO).
BIOLINK_SAME_SPACE = {
    "https://omim.org/entry/": "http://purl.obolibrary.org/obo/OMIM_",
    "https://omim.org/phenotypicSeries/": "https://www.omim.org/phenotypicSeries/",
    "http://identifiers.org/pubmed/": "http://www.ncbi.nlm.nih.gov/pubmed/",
}

# The one prefix map. Order matters only for output: longest namespace wins when compressing.
PREFIXES: dict[str, str] = {
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "dcat": str(DCAT),
    "void": str(VOID),
    "pav": str(PAV),
    "spdx": str(SPDX),
    "sh": str(SH),
    "oa": str(OA),
    "schema": str(SCHEMA),
    "biolink": str(BIOLINK),
    "fabio": str(FABIO),
    "bibo": str(BIBO),
    "oboInOwl": str(OBOINOWL),
    "obo": str(OBO),
    "smakg": str(SMAKG),
    "shp": str(SHP),
    "cond": str(COND),
    "gene": str(GENE),
    "locus": str(LOCUS),
    "phen": str(PHEN),
    "course": str(COURSE),
    "method": str(METHOD),
    "treatment": str(TREATMENT),
    "factor": str(FACTOR),
    "src": str(SRC),
    "agent": str(AGENT),
    "stmt": str(STMT),
    "ev": str(EV),
    "sel": str(SEL),
    # external identifier spaces, expanded as MONDO writes them
    "MONDO": str(OBO) + "MONDO_",
    "HP": str(HP),
    "ECO": str(ECO),
    "SO": str(SO),
    "OMO": str(OMO),
    "GO": str(GO),
    "RO": str(OBO) + "RO_",
    "CHR": str(OBO) + "CHR_",
    "GENO": str(OBO) + "GENO_",
    "Orphanet": "http://www.orpha.net/ORDO/Orphanet_",
    "OMIM": "https://omim.org/entry/",
    "OMIMPS": "https://omim.org/phenotypicSeries/PS",
    "HGNC": "http://identifiers.org/hgnc/",
    "NCBIGene": "http://identifiers.org/ncbigene/",
    "ENSEMBL": "http://identifiers.org/ensembl/",
    "PMID": "http://identifiers.org/pubmed/",
    "DOI": "https://doi.org/",
}



def expand_curie(curie: str) -> str:
    """Expand a CURIE with the project prefix map; raise KeyError for an unknown prefix."""
    prefix, _, local = curie.partition(":")
    return PREFIXES[prefix] + local


class Curies:
    """IRIs to CURIEs under a prefix map: the longest matching namespace wins (equal lengths: the prefix first in
    alphabetical order), and ``used`` records the prefixes written. ``local`` may refuse a local name (Turtle's
    grammar, or an empty one), and the next shorter namespace is tried. The one CURIE implementation of smakg: the
    Turtle writer, SSSOM, the Biolink view, reports and pages all compress through it. (The ``curies`` package does
    the same with a trie, but brings pydantic; the maps here hold a few dozen prefixes.)

    >>> Curies({"obo": "http://purl.obolibrary.org/obo/", "HP": "http://purl.obolibrary.org/obo/HP_"}).compress(
    ...     "http://purl.obolibrary.org/obo/HP_0002098")
    'HP:0002098'
    >>> Curies(PREFIXES).compress("https://example.org/x") is None
    True
    """

    def __init__(self, prefixes: Mapping[str, str], *, record: bool = True) -> None:
        self.order = sorted(prefixes.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        self.used: dict[str, str] = {}
        self.record = record

    def compress(self, iri: str, *, local: Callable[[str], object] | None = None) -> str | None:
        """The CURIE of ``iri``, or None when no namespace (with an acceptable local name) matches."""
        for prefix, ns in self.order:
            if iri.startswith(ns):
                rest = iri[len(ns):]
                if local is None or local(rest):
                    if self.record:
                        self.used[prefix] = ns
                    return f"{prefix}:{rest}"
        return None


_CURIES = Curies(PREFIXES, record=False)  # shared (by server threads too): records nothing


def compress_iri(iri: str) -> str | None:
    """The CURIE of an IRI under the longest matching namespace of the project prefix map, or None."""
    return _CURIES.compress(iri)


def show(node: Node | None) -> str | None:
    """A short readable form of a term for reports and pages: a CURIE where the prefix map knows one.

    >>> show(SMAKG.Condition), show(Literal("SMARD1", lang="en"))
    ('smakg:Condition', '"SMARD1"@en')
    """
    if node is None:
        return None
    if isinstance(node, URIRef):
        return compress_iri(str(node)) or f"<{node}>"
    if isinstance(node, Literal):
        text = str(node)
        text = text if len(text) <= 80 else text[:77] + "..."
        suffix = f"@{node.language}" if node.language else (
            f"^^{compress_iri(str(node.datatype))}" if node.datatype else "")
        return f'"{text}"{suffix}'
    return "[]"
