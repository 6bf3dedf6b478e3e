"""Turtle and N-Triples parse back to a graph isomorphic with the build (JSON-LD: test_jsonld, test_interop)."""

from __future__ import annotations

from rdflib import BNode, Graph
from rdflib.compare import isomorphic, to_isomorphic


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


def test_no_blank_nodes_in_any_export(built) -> None:
    assert not any(isinstance(term, BNode) for triple in built.graph for term in triple)
