"""The shape fixtures (the real project with one mutation each, test_shapes.py) built once per test session for
both files that use them: test_shapes.py reads smakg's findings (set-based engine and Python checks, with file and
line) and test_engines.py compares pyshacl, rudof and the set-based engine on the same built graph.

Each distinct mutation is copied, applied and built once, in ``SMAKG_TEST_JOBS`` forked processes (default: every
core). The shapes and the set-based engine that smakg runs are made once, before the fork (no fixture changes the
shapes: a mutation edits or adds a file under ``ontology/kb/``); the three compared engines once per process.
Under pytest-xdist both files run in one worker (``conftest.py``'s scheduler gives them to the same one), so the
builds are shared there too; a file run alone builds only what its own tests need.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from conftest import ROOT, build_jobs

from smakg.findings import Finding, Location
from smakg.kb.build import build_graph
from smakg.project import Project
from smakg.qa.engines import STANDARD_SETTINGS, Pyshacl, Rudof, Run, SetBased
from smakg.validation.run import validate_built
from smakg.validation.shacl import Shapes, load_shapes


@dataclass(frozen=True)
class FixtureRun:
    """What one mutated project gave: smakg's findings (locations relative to the project) and the three engines'
    runs (pyshacl, rudof, set-based), each the error as text where the project did not build or validate, or
    ``None`` where nobody asked for it."""

    findings: list[Finding] | str | None
    engines: tuple[Run, Run, Run] | str | None


_SHAPES: Shapes | None = None
_ENGINES: dict[int, tuple[Pyshacl, Rudof, SetBased]] = {}  # by process: rudof writes into its own folder
_DONE: dict[Any, FixtureRun] = {}


def _shapes() -> Shapes:
    global _SHAPES
    if _SHAPES is None:
        _SHAPES = load_shapes(ROOT / "shapes")
        _SHAPES.set_engine()  # made once, before the fork
    return _SHAPES


def _engines() -> tuple[Pyshacl, Rudof, SetBased]:
    pid = os.getpid()
    if pid not in _ENGINES:
        graph = _shapes().graph
        _ENGINES[pid] = Pyshacl(graph, STANDARD_SETTINGS), Rudof(graph), SetBased(graph, STANDARD_SETTINGS)
    return _ENGINES[pid]


def _relative(finding: Finding, root: Path) -> Finding:
    loc = finding.location
    if loc is None or not Path(loc.file).is_absolute():
        return finding
    return replace(finding, location=Location(Path(loc.file).relative_to(root).as_posix(), loc.line))


def _error(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"


def run_one(job: tuple[Any, bool, bool]) -> FixtureRun:
    """Copy the project, apply the mutation, build once; then the engines and/or smakg's validation."""
    mutation, want_findings, want_engines = job
    root = Path(tempfile.mkdtemp(prefix="smakg-fixture-"))
    try:
        try:
            from test_shapes import copy_project

            copy_project(root)
            mutation.apply(root)
            project = Project(root)
            built = build_graph(project)
        except Exception as exc:  # reported by the tests of that fixture
            return FixtureRun(_error(exc) if want_findings else None, _error(exc) if want_engines else None)
        engines: tuple[Run, Run, Run] | str | None = None
        if want_engines:
            try:
                first, second, third = _engines()
                engines = first.validate(built.graph), second.validate(built.graph), third.validate(built.graph)
            except Exception as exc:
                engines = _error(exc)
        findings: list[Finding] | str | None = None
        if want_findings:
            try:
                found = validate_built(built, project, shapes=_shapes()).findings
                findings = [_relative(f, root) for f in found]
            except Exception as exc:
                findings = _error(exc)
        return FixtureRun(findings, engines)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _jobs(count: int) -> int:
    return min(build_jobs(), count) if "fork" in multiprocessing.get_all_start_methods() else 1


def fixture_runs(wanted: Iterable[tuple[Any, bool, bool]]) -> dict[Any, FixtureRun]:
    """The runs of every (mutation, findings wanted, engines wanted), each mutation built once per session: the
    first call should name everything the session will ask for."""
    jobs: dict[Any, tuple[bool, bool]] = {}
    for mutation, want_findings, want_engines in wanted:
        done = _DONE.get(mutation)
        need_f = want_findings and (done is None or done.findings is None)
        need_e = want_engines and (done is None or done.engines is None)
        if need_f or need_e:
            before = jobs.get(mutation, (False, False))
            jobs[mutation] = (before[0] or need_f, before[1] or need_e)
    todo = [(m, f, e) for m, (f, e) in jobs.items()]
    if todo:
        _shapes()
        count = _jobs(len(todo))
        if count == 1:
            results = [run_one(job) for job in todo]
        else:
            with ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("fork")) as pool:
                results = list(pool.map(run_one, todo))
        for (mutation, _, _), result in zip(todo, results, strict=True):
            old = _DONE.get(mutation, FixtureRun(None, None))  # keep what an earlier call made
            _DONE[mutation] = FixtureRun(old.findings if result.findings is None else result.findings,
                                         old.engines if result.engines is None else result.engines)
    return _DONE


def session_wants(items: Iterable[Any]) -> list[tuple[Any, bool, bool]]:
    """What the selected tests of test_shapes.py and test_engines.py ask for, so that one call builds it all."""
    wanted: list[tuple[Any, bool, bool]] = []
    for item in items:
        module = getattr(item, "module", None)
        params = getattr(getattr(item, "callspec", None), "params", {})
        name = getattr(module, "__name__", "")
        if name == "test_shapes":
            if "case" in params:
                wanted.append((params["case"].mutation, True, False))
            if "mutation" in params:
                wanted.append((params["mutation"], True, False))
        elif name == "test_engines" and "fixture" in params:
            wanted.append((module.FIXTURES[params["fixture"]], False, True))  # type: ignore[union-attr]
    return wanted
