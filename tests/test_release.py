"""dist/void.ttl: every number in it is recounted here from the files smakg build wrote (triples per class and per
property from smakg.nt, sizes and SHA-256 of the bytes on disk); version and date come from the ontology."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from pathlib import Path

import pytest
from conftest import ROOT, TABLE
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, VOID
from typer.testing import CliRunner

from smakg.cli import app
from smakg.errors import DataError
from smakg.export.registry import render_exports
from smakg.export.void import FORMATS, NAME, Release, media_type, to_void
from smakg.kb.vocab import DATASET, DCAT, SPDX
from smakg.project import Project

DS = URIRef(DATASET)
XSD_NS = "http://www.w3.org/2001/XMLSchema#"


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    """A real build written by the command line, as a user runs it."""
    out = tmp_path_factory.mktemp("release") / "dist"
    result = CliRunner().invoke(app, ["build", "--project", str(ROOT), "--out", str(out), "--strict",
                                      "--table", str(TABLE)])  # the documents, where beside the clone, by default
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def void(dist) -> Graph:
    return Graph().parse(dist / NAME, format="turtle")


@pytest.fixture(scope="module")
def nt(dist) -> Graph:
    return Graph().parse(dist / "smakg.nt", format="nt")


def _int(graph: Graph, node, prop) -> int:
    value = graph.value(node, prop)
    assert isinstance(value, Literal), f"{node} has no {prop}"
    return int(value)


def test_every_other_file_is_a_distribution_with_matching_size_and_sha256(dist, void) -> None:
    files = sorted(p.name for p in dist.iterdir() if p.name != NAME)
    dists = {str(void.value(d, DCTERMS.title)): d for d in void.objects(DS, DCAT.distribution)}
    assert sorted(dists) == files
    for name in files:
        data = (dist / name).read_bytes()
        node = dists[name]
        assert _int(void, node, DCAT.byteSize) == len(data), name
        assert void.value(node, DCAT.byteSize).datatype == URIRef(XSD_NS + "nonNegativeInteger")
        checksum = void.value(node, SPDX.checksum)
        assert void.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        assert str(void.value(checksum, SPDX.checksumValue)) == hashlib.sha256(data).hexdigest(), name
        mime = str(void.value(node, DCAT.mediaType))
        assert mime.startswith("https://www.iana.org/assignments/media-types/"), mime
    assert NAME not in dists, "void.ttl describes the other files, not itself"


def test_media_types_follow_the_file_names(void) -> None:
    expect = {"smakg.ttl": "text/turtle", "smakg.nt": "application/n-triples", "smakg.jsonld": "application/ld+json",
              "context.jsonld": "application/ld+json", "smakg.sssom.tsv": "text/tab-separated-values",
              "smakg.biolink.nodes.tsv": "text/tab-separated-values"}
    dists = {str(void.value(d, DCTERMS.title)): d for d in void.objects(DS, DCAT.distribution)}
    for name, mime in expect.items():
        assert str(void.value(dists[name], DCAT.mediaType)).endswith("/" + mime), name
    assert media_type("x.schema.json")[0] == "application/schema+json"
    with pytest.raises(DataError, match="no media type"):
        media_type("notes.docx")


def test_every_export_has_a_media_type(exports) -> None:
    for name in exports:
        assert media_type(name)[0] in {m for m, _ in FORMATS.values()}


def test_triple_counts_match_the_ntriples(nt, void, dist) -> None:
    lines = (dist / "smakg.nt").read_text(encoding="utf-8").splitlines()
    assert _int(void, DS, VOID.triples) == len(lines) == len(nt)
    assert _int(void, DS, VOID.distinctSubjects) == len(set(nt.subjects()))
    assert _int(void, DS, VOID.distinctObjects) == len(set(nt.objects()))


def test_property_partitions_are_exact(nt, void) -> None:
    expected = defaultdict(list)
    for s, p, o in nt:
        expected[p].append((s, o))
    parts = {void.value(part, VOID.property): part for part in void.objects(DS, VOID.propertyPartition)}
    assert set(parts) == set(expected)
    assert _int(void, DS, VOID.properties) == len(expected)
    for prop, pairs in expected.items():
        part = parts[prop]
        assert _int(void, part, VOID.triples) == len(pairs), prop
        assert _int(void, part, VOID.distinctSubjects) == len({s for s, _ in pairs}), prop
        assert _int(void, part, VOID.distinctObjects) == len({o for _, o in pairs}), prop


def test_class_partitions_are_exact(nt, void) -> None:
    members = defaultdict(set)
    for s, cls in nt.subject_objects(RDF.type):
        members[cls].add(s)
    parts = {void.value(part, VOID["class"]): part for part in void.objects(DS, VOID.classPartition)}
    assert set(parts) == set(members)
    assert _int(void, DS, VOID.classes) == len(members)
    for cls, entities in members.items():
        assert _int(void, parts[cls], VOID.entities) == len(entities), cls
        about = sum(1 for e in entities for _ in nt.predicate_objects(e))
        assert _int(void, parts[cls], VOID.triples) == about, cls


def test_in_graph_description_agrees_with_void_and_has_no_checksums(nt, void) -> None:
    assert _int(nt, DS, VOID.triples) == _int(void, DS, VOID.triples)
    for part in nt.objects(DS, VOID.classPartition):
        assert _int(nt, part, VOID.entities) == _int(void, part, VOID.entities), part
    assert not list(nt.triples((None, SPDX.checksum, None))), "checksums in the graph would change the files"
    merged = nt + void
    assert len(set(merged.objects(DS, VOID.triples))) == 1


def test_version_date_and_licences(void) -> None:
    from smakg import __version__ as version

    vocabulary = Graph().parse(ROOT / "ontology" / "smakg.ttl")
    header = URIRef("https://w3id.org/smakg/vocab")
    assert str(void.value(DS, DCAT.version)) == str(void.value(DS, OWL.versionInfo)) == version
    issued = void.value(DS, DCTERMS.issued)
    assert issued.datatype == URIRef(XSD_NS + "date") and issued == vocabulary.value(header, DCTERMS.issued)
    assert void.value(DS, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    software = void.value(DS, URIRef("http://purl.org/pav/createdWith"))
    assert void.value(software, DCTERMS.license) == URIRef("https://opensource.org/license/mit")


def test_sources_with_their_versions(void, nt) -> None:
    from rdflib.namespace import PROV

    from smakg.kb.vocab import SMAKG, SRC

    sources = set(void.objects(DS, PROV.wasDerivedFrom))
    stated = {s for st in nt.subjects(RDF.type, SMAKG.Statement) for s in nt.objects(st, PROV.wasDerivedFrom)}
    assert sources == stated
    assert str(void.value(SRC["smauk-smard1"], SMAKG.printedVersion)) == "Version 2"
    assert str(void.value(SRC["mondo-2026-08-04"], SMAKG.releaseDate)) == "2026-08-04"
    assert void.value(SRC["gard-sma"], SMAKG.textSha256) is not None


def test_no_blank_nodes_and_dump_links(void) -> None:
    assert not any(isinstance(t, BNode) for triple in void for t in triple)
    dumps = {str(u).rsplit("/", 1)[1] for u in void.objects(DS, VOID.dataDump)}
    assert dumps == {"smakg.nt", "smakg.ttl"}


def test_release_needs_a_dated_ontology_header() -> None:
    vocabulary = Graph().parse(ROOT / "ontology" / "smakg.ttl")
    header = URIRef("https://w3id.org/smakg/vocab")
    assert Release.of(vocabulary).issued == str(vocabulary.value(header, DCTERMS.issued))
    vocabulary.remove((header, DCTERMS.issued, None))
    with pytest.raises(DataError, match="dcterms:issued"):
        Release.of(vocabulary)


def test_a_changed_file_changes_its_checksum(built) -> None:
    files = render_exports(built.graph, Project(ROOT))
    vocabulary = Graph().parse(ROOT / "ontology" / "smakg.ttl")
    before = Graph().parse(data=files[NAME], format="turtle")
    files["smakg.ttl"] += "# one more line\n"
    after = Graph().parse(data=to_void(built.graph, vocabulary, files), format="turtle")
    node = URIRef(f"{DATASET}/distribution/smakg.ttl")
    assert _int(after, node, DCAT.byteSize) == _int(before, node, DCAT.byteSize) + len("# one more line\n")
    assert after.value(after.value(node, SPDX.checksum), SPDX.checksumValue) != before.value(
        before.value(node, SPDX.checksum), SPDX.checksumValue)


def test_every_literal_survives_a_triple_store(dist) -> None:
    """Data integrators load smakg.nt into their own store: every literal must come back with the same lexical
    form and datatype (Oxigraph and Virtuoso store derived integer types such as xsd:nonNegativeInteger as
    xsd:integer, so the release uses none)."""
    import pyoxigraph as ox

    data = (dist / "smakg.nt").read_bytes()
    store = ox.Store()
    store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES)
    sent = {(str(o), str(o.datatype or ""), o.language or "") for _, _, o in Graph().parse(data=data, format="nt")
            if isinstance(o, Literal)}
    back = set()
    for quad in store:
        o = quad.object
        if isinstance(o, ox.Literal):
            datatype = "" if o.language else o.datatype.value
            back.add((o.value, "" if datatype.endswith("#string") else datatype, o.language or ""))
    sent = {(v, "" if d.endswith("#string") else d, lang) for v, d, lang in sent}
    assert sent == back, f"changed by the store: {sorted(sent ^ back)[:6]}"
