"""Ordering the joins of SHACL-SPARQL constraints from ``$this`` (validation.sparqlcache) changes what the
validation costs, never what it finds: the findings equal those of rdflib's own join order on the real knowledge
base and on a synthetic one carrying mistakes of many kinds."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT

from smakg.findings import Finding
from smakg.kb.build import Built, build_graph
from smakg.project import Project
from smakg.qa.synthetic import generate
from smakg.validation import sparqlcache
from smakg.validation.shacl import load_shapes, run_shacl


@pytest.fixture
def rdflib_order() -> Iterator[None]:
    """Whatever a test sets, the process goes back to ordering from ``$this`` afterwards."""
    yield
    sparqlcache.ORDER_FROM_THIS = True
    sparqlcache._prepared.cache_clear()


def _key(f: Finding) -> tuple[str, ...]:
    return f.severity, f.focus, f.rule, f.component or "", f.path or "", f.value or "", f.message


def _both(built: Built, project: Project) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    shapes = load_shapes(project.shapes)
    sparqlcache.ORDER_FROM_THIS = True
    sparqlcache._prepared.cache_clear()
    fast = sorted(_key(f) for f in run_shacl(built.graph, shapes, built.locations, engine="pyshacl"))
    sparqlcache.ORDER_FROM_THIS = False
    sparqlcache._prepared.cache_clear()
    slow = sorted(_key(f) for f in run_shacl(built.graph, shapes, built.locations, engine="pyshacl"))
    return fast, slow


def test_same_findings_on_the_knowledge_base(rdflib_order: None) -> None:
    project = Project(ROOT)
    fast, slow = _both(build_graph(project), project)
    assert fast == slow


@pytest.mark.parametrize("seed", [11, 12])
def test_same_findings_with_many_mistakes(tmp_path: Path, rdflib_order: None, seed: int) -> None:
    made = generate(tmp_path / "kb", 2, template=Project(ROOT), mistakes=40, seed=seed)
    assert len(made.mistakes) == 40
    project = Project(tmp_path / "kb")
    fast, slow = _both(build_graph(project), project)
    assert fast == slow and len(fast) >= 20
