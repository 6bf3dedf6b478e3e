"""kb.terms reads rdflib's in-memory indexes only while they describe the graph exactly (rdflib's ``remove`` leaves
emptied entries behind), and otherwise builds the same indexes from the triples: what reads them (void.ttl, the
set-based engine) gives the same answers either way."""

from __future__ import annotations

from typing import Any

from conftest import ROOT
from rdflib import Literal, URIRef

from smakg.export.registry import render_exports
from smakg.kb.load import new_graph
from smakg.kb.terms import Index, indexes, indexes_or_built
from smakg.project import Project


def _plain(found: tuple[Index, Index, Index]) -> list[dict[Any, dict[Any, set[Any]]]]:
    return [{key: {inner: set(leaves) for inner, leaves in values.items()} for key, values in index.items()}
            for index in found]


def test_emptied_indexes_are_refused_and_built_alike(built: Any, exports: dict[str, str]) -> None:
    graph = new_graph()
    graph += built.graph
    fresh = indexes(graph)
    assert fresh is not None
    expected = _plain(fresh)  # a copy: the indexes are the store's own, changed by add and remove
    extra = (URIRef("urn:smakg-test:s"), URIRef("urn:smakg-test:p"), Literal("o"))
    graph.add(extra)
    graph.remove(extra)  # the same triples as before, but emptied entries for the extra terms
    assert indexes(graph) is None
    assert _plain(indexes_or_built(graph)) == expected
    assert render_exports(graph, Project(ROOT), jobs=1)["void.ttl"] == exports["void.ttl"]
