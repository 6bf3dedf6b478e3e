"""The framed JSON-LD export with pyld's reverse-property scan indexed is byte for byte pyld's own framing, on the
real knowledge base and on a synthetic one of several copies (where the index changes the cost from quadratic to
linear)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT

from smakg.export.jsonld_framed import framed, read_frame
from smakg.kb.build import build_graph
from smakg.kb.jsonld import dumps
from smakg.kb.jsonld_flat import read_context
from smakg.project import Project
from smakg.qa.synthetic import generate


def _both(project: Project) -> tuple[str, str]:
    graph = build_graph(project).graph
    context = read_context(project.context)["@context"]
    frame = read_frame(project.conditions_frame)
    return tuple(dumps(framed(graph, context, frame, frame_context=context, engine=engine))  # type: ignore[return-value]
                 for engine in ("indexed", "pyld"))


def test_indexed_framing_is_pyld_framing_on_the_knowledge_base() -> None:
    fast, stock = _both(Project(ROOT))
    assert fast == stock and '"incomingStatements"' in fast and '"causalGenes"' in fast


@pytest.mark.parametrize("scale", [2])
def test_indexed_framing_is_pyld_framing_on_a_synthetic_knowledge_base(tmp_path: Path, scale: int) -> None:
    generate(tmp_path / "kb", scale, template=Project(ROOT))
    fast, stock = _both(Project(tmp_path / "kb"))
    assert fast == stock and fast.count('"Condition"') >= 8 * scale
