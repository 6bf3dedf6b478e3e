"""Every export parses back, offline, to a graph isomorphic with the build (rdflib, and pyld for JSON-LD)."""

from __future__ import annotations

import json

from pyld import jsonld
from rdflib import BNode, Graph
from rdflib.compare import isomorphic, to_isomorphic

from smakg.jsonld_offline import offline_loader


def _diff(a: Graph, b: Graph) -> str:
    ia, ib = to_isomorphic(a), to_isomorphic(b)
    only_a = sorted(str(t) for t in ia - ib)[:5]
    only_b = sorted(str(t) for t in ib - ia)[:5]
    return f"only in build: {only_a}; only in export: {only_b}"


def test_turtle_round_trip(built, exports) -> None:
    g = Graph().parse(data=exports["smakg.ttl"], format="turtle")
    assert isomorphic(g, built.graph), _diff(built.graph, g)


def test_ntriples_round_trip_and_sorted(built, exports) -> None:
    text = exports["smakg.nt"]
    g = Graph().parse(data=text, format="nt")
    assert isomorphic(g, built.graph), _diff(built.graph, g)
    lines = text.splitlines()
    assert lines == sorted(lines) and len(lines) == len(built.graph)


def test_jsonld_round_trip_rdflib(built, exports) -> None:
    g = Graph().parse(data=exports["smakg.jsonld"], format="json-ld")
    assert isomorphic(g, built.graph), _diff(built.graph, g)


def test_jsonld_round_trip_pyld_offline(built, exports) -> None:
    doc = json.loads(exports["smakg.jsonld"])
    nquads = jsonld.to_rdf(doc, {"format": "application/n-quads", "documentLoader": offline_loader})
    g = Graph().parse(data=nquads, format="nt")
    assert isomorphic(g, built.graph), _diff(built.graph, g)


def test_jsonld_context_is_inline_and_published_identically(exports) -> None:
    doc = json.loads(exports["smakg.jsonld"])
    assert isinstance(doc["@context"], dict), "the context must be embedded, never a URL"
    assert doc["@context"] == json.loads(exports["context.jsonld"])["@context"]
    assert doc["@context"]["@version"] == 1.1 and doc["@context"]["@protected"] is True
    assert "@vocab" not in doc["@context"]


def test_jsonld_flat_graph_nodes_have_id(exports) -> None:
    nodes = json.loads(exports["smakg.jsonld"])["@graph"]
    assert nodes and all("id" in n for n in nodes)
    assert all("@graph" not in n for n in nodes)


def test_no_blank_nodes_in_any_export(built) -> None:
    assert not any(isinstance(term, BNode) for triple in built.graph for term in triple)
