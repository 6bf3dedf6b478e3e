"""Named terms live in vocab.py; each smakg term it names exists in the ontology; one version everywhere."""

from __future__ import annotations

import tomllib

from conftest import ROOT
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL

from smakg.kb import vocab

ONTOLOGY = Graph().parse(ROOT / "ontology" / "smakg.ttl")


def _smakg_terms_named_in_code() -> set[URIRef]:
    names = set()
    for path in (ROOT / "src" / "smakg").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        for token in text.replace("(", " ").replace(")", " ").replace(",", " ").split():
            if token.startswith("SMAKG."):
                names.add(URIRef(str(vocab.SMAKG) + token.split(".")[1].rstrip(":;]")))
    return names


def test_every_smakg_term_used_in_code_is_defined_in_the_ontology() -> None:
    defined = set(ONTOLOGY.subjects())
    missing = sorted(str(t) for t in _smakg_terms_named_in_code() if t not in defined)
    assert not missing, f"terms used in code but not in ontology/smakg.ttl: {missing}"


def test_every_ontology_term_has_label_and_definition_or_is_a_kind() -> None:
    from rdflib.namespace import RDF, RDFS, SKOS

    bad = []
    for s in set(ONTOLOGY.subjects(RDF.type, OWL.Class)) | set(ONTOLOGY.subjects(RDF.type, OWL.ObjectProperty)) | set(
            ONTOLOGY.subjects(RDF.type, OWL.DatatypeProperty)):
        if not ONTOLOGY.value(s, RDFS.label) or not ONTOLOGY.value(s, SKOS.definition):
            bad.append(str(s))
    assert not bad, f"terms without rdfs:label or skos:definition: {sorted(bad)}"


def test_version_is_the_same_everywhere() -> None:
    import importlib.metadata

    import smakg

    version = smakg.__version__  # written once, in src/smakg/__init__.py; pyproject.toml reads it from there
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" in project["project"]["dynamic"] and "version" not in project["project"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "smakg.__version__"}
    assert importlib.metadata.version("smakg") == version, "reinstall: the installed metadata is stale"
    header = URIRef("https://w3id.org/smakg/vocab")
    assert ONTOLOGY.value(header, OWL.versionInfo) == Literal(version)
    assert str(ONTOLOGY.value(header, OWL.versionIRI)).endswith("/" + version)
    issued = ONTOLOGY.value(header, URIRef("http://purl.org/dc/terms/issued"))
    assert issued is not None and str(issued.datatype).endswith("#date"), "the release date goes with the version"


def test_curie_round_trip() -> None:
    for prefix, ns in vocab.PREFIXES.items():
        assert vocab.expand_curie(f"{prefix}:x") == ns + "x"
    assert vocab.compress_iri("http://purl.obolibrary.org/obo/HP_0000007") == "HP:0000007"
