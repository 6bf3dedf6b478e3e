"""Every IRI the code names, in one place, and the one prefix map (no network, no rdflib defaults).

>>> str(SMAKG.Condition)
'https://w3id.org/smakg/vocab#Condition'
>>> expand_curie("MONDO:0011436")
'http://purl.obolibrary.org/obo/MONDO_0011436'
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS, VOID, XSD

BASE = "https://w3id.org/smakg/"
ID = BASE + "id/"

SMAKG = Namespace(BASE + "vocab#")
SHP = Namespace(BASE + "shapes#")
OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("http://schema.org/")
BIOLINK = Namespace("https://w3id.org/biolink/vocab/")
OBO = Namespace("http://purl.obolibrary.org/obo/")
OBOINOWL = Namespace("http://www.geneontology.org/formats/oboInOwl#")
FABIO = Namespace("http://purl.org/spar/fabio/")
BIBO = Namespace("http://purl.org/ontology/bibo/")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
PAV = Namespace("http://purl.org/pav/")
SPDX = Namespace("http://spdx.org/rdf/terms#")
HP = Namespace(str(OBO) + "HP_")
ECO = Namespace(str(OBO) + "ECO_")
SO = Namespace(str(OBO) + "SO_")
OMO = Namespace(str(OBO) + "OMO_")

# Entity namespaces: https://w3id.org/smakg/id/{kind}/{slug}
DERIVED_KINDS = ("statement", "evidence", "selector")
COND = Namespace(ID + "condition/")
GENE = Namespace(ID + "gene/")
LOCUS = Namespace(ID + "locus/")
PHEN = Namespace(ID + "phenotype/")
COURSE = Namespace(ID + "course/")
METHOD = Namespace(ID + "method/")
SRC = Namespace(ID + "source/")
AGENT = Namespace(ID + "agent/")
STMT = Namespace(ID + "statement/")
EV = Namespace(ID + "evidence/")
SEL = Namespace(ID + "selector/")
DATASET = ID.rstrip("/") + "/dataset"
RELEASE = BASE + "release/"  # a release's files: {RELEASE}{version}/{file} (void.ttl's dcat:downloadURL)

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


def compress_iri(iri: str) -> str | None:
    """The CURIE of an IRI under the longest matching namespace, or None."""
    best: tuple[int, str] | None = None
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and (best is None or len(ns) > best[0]):
            best = (len(ns), prefix)
    if best is None:
        return None
    return f"{best[1]}:{iri[best[0]:]}"
