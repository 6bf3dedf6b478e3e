"""The framed JSON-LD written directly from the graph's node map (``export/jsonld_direct.py``) is byte for byte
pyld's framing: on the real knowledge base, on synthetic ones (several copies; one with injected curator's mistakes
for odd shapes), with an integrator's frame and context, and where the direct path hands over to pyld (a frame
feature it does not port). Its cost is linear in the size of a literal (no N-Triples round trip)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from smakg.export import jsonld_direct
from smakg.export.jsonld_framed import framed, read_frame
from smakg.kb.build import build_graph
from smakg.kb.jsonld import dumps
from smakg.kb.jsonld_flat import expanded, expanded_by_pyld, read_context, to_flat
from smakg.kb.turtle import to_turtle
from smakg.project import Project
from smakg.qa.synthetic import generate


def _texts(graph: Graph, context: dict[str, Any], frame: dict[str, Any], *engines: str,
           frame_context: dict[str, Any] | None = None) -> list[str]:
    return [dumps(framed(graph, context, frame, frame_context=frame_context or context, engine=engine))
            for engine in engines]


def _project_inputs(project: Project) -> tuple[Graph, dict[str, Any], dict[str, Any]]:
    return (build_graph(project).graph, read_context(project.context)["@context"],
            read_frame(project.conditions_frame))


def test_direct_framing_is_pyld_framing_on_the_knowledge_base() -> None:
    graph, context, frame = _project_inputs(Project(ROOT))
    direct, stock = _texts(graph, context, frame, "direct", "pyld")
    assert direct == stock and '"incomingStatements"' in direct


@pytest.mark.parametrize(("scale", "mistakes"), [(3, 0), (2, 25)], ids=["scale3", "scale2-with-mistakes"])
def test_direct_framing_is_pyld_framing_on_synthetic_knowledge_bases(tmp_path: Path, scale: int,
                                                                      mistakes: int) -> None:
    generate(tmp_path / "kb", scale, template=Project(ROOT), mistakes=mistakes, seed=7)
    graph, context, frame = _project_inputs(Project(tmp_path / "kb"))
    direct, indexed = _texts(graph, context, frame, "direct", "indexed")  # indexed = pyld: test_framing_index.py
    assert direct == indexed and direct.count('"Condition"') >= 8 * scale


def test_direct_framing_with_an_integrators_frame_and_context() -> None:
    graph, ours, _ = _project_inputs(Project(ROOT))
    theirs = {"@version": 1.1, "id": "@id", "type": "@type", "name": str(RDFS.label),
              "smakg": ours["smakg"], "forms": {"@reverse": ours["smakg"] + "isCausalGeneFor", "@container": "@set"}}
    frame = {"@context": theirs, "type": "smakg:Condition", "@explicit": True, "name": {},
             "forms": {"@embed": "@always", "@explicit": True, "name": {}}}
    direct, stock = _texts(graph, theirs, frame, "direct", "pyld")
    assert direct == stock and '"name"' in direct
    mixed_direct, mixed_stock = _texts(graph, theirs, {k: v for k, v in frame.items() if k != "@context"},
                                       "direct", "pyld", frame_context=ours)
    assert mixed_direct == mixed_stock


def test_a_frame_feature_the_direct_path_does_not_port_is_framed_by_pyld() -> None:
    graph, context, _ = _project_inputs(Project(ROOT))
    frame = {"type": "Condition", "@explicit": True, "label": {},
             "subtypeOf": {"@embed": "@link", "@explicit": True, "label": {}}}
    with pytest.raises(jsonld_direct.Unsupported):
        jsonld_direct.Framer(jsonld_direct.node_map(expanded(graph))).frame(
            jsonld_direct.expand_frame({"@context": context, **frame}))
    direct, stock = _texts(graph, context, frame, "direct", "pyld")
    assert direct == stock and '"subtypeOf"' in direct


def _one_condition(size: int) -> Graph:
    """A graph of one condition whose comment is ``size`` characters long."""
    graph = Graph()
    vocab = "https://w3id.org/smakg/"
    cond = URIRef(vocab + "id/condition/long")
    graph.add((cond, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), URIRef(vocab + "vocab#Condition")))
    graph.add((cond, RDFS.label, Literal("A condition with a long comment")))
    graph.add((cond, RDFS.comment, Literal("spinal muscular atrophy " * (size // 24))))
    return graph


def test_a_long_literal_is_exported_directly_whatever_its_size() -> None:
    """The direct path holds a 2 MB and a 4 MB literal without turning the documents back into N-Triples (the
    step that made a 10 MB literal cost 40 s, issue 11); the documents are pyld's. The Turtle writer escapes it in
    one pass. (``scripts/bench_scale.py --literal-mb 0 10 50`` measures the build.)"""
    context = read_context(ROOT / "ontology" / "context.jsonld")["@context"]
    frame = read_frame(ROOT / "ontology" / "frames" / "conditions.frame.jsonld")
    for size in (2_000_000, 4_000_000):
        graph = _one_condition(size)
        assert len(jsonld_direct.node_map(expanded(graph))) == 1  # one node; a type is no node
        text = dumps(framed(graph, context, frame, frame_context=context))
        (document,) = json.loads(text)["@graph"]
        assert len(document["comment"][0]) >= size - 24
        assert len(to_turtle(graph)) > size and len(to_flat(graph, {"@context": context})) > size
    small = _one_condition(20_000)
    assert _texts(small, context, frame, "direct", "pyld")[0] == _texts(small, context, frame, "pyld")[0]


@pytest.mark.parametrize("scale", [0, 2])
def test_flat_jsonld_written_directly_is_pyld_from_rdf_and_compaction(tmp_path: Path, scale: int) -> None:
    if scale:
        generate(tmp_path / "kb", scale, template=Project(ROOT), mistakes=10, seed=3)
    project = Project(tmp_path / "kb") if scale else Project(ROOT)
    graph = build_graph(project).graph
    context = read_context(project.context)
    assert expanded(graph) == expanded_by_pyld(graph)  # the RDF-to-JSON-LD algorithm written out is pyld's
    assert to_flat(graph, context) == to_flat(graph, context, direct=False)
