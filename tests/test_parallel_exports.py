"""The export files are made on every core (export.registry: ``jobs``, ``smakg build --jobs``): the same bytes
whatever the number of processes, an error in another process raised here with its hint, no process left
behind."""

from __future__ import annotations

import os
import pickle
from typing import Any

import pytest
from conftest import ROOT

from smakg.errors import BadInputError, DataError
from smakg.export.registry import EXPORTS, _share, render_exports
from smakg.kb.build import build_graph
from smakg.project import Project


@pytest.fixture(scope="module")
def graph() -> Any:
    return build_graph(Project(ROOT)).graph


def test_same_files_on_one_two_and_four_processes(graph: Any) -> None:
    one = render_exports(graph, Project(ROOT), jobs=1)
    assert list(one) == list(EXPORTS)
    for jobs in (2, 4):
        assert render_exports(graph, Project(ROOT), jobs=jobs) == one


def test_no_process_to_be_had_makes_every_file_here(graph: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    one = render_exports(graph, Project(ROOT), jobs=1)

    def no_fork() -> int:
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    assert render_exports(graph, Project(ROOT), jobs=2) == one


def test_every_file_but_void_is_shared_out_once() -> None:
    for jobs in (1, 2, 3, 8):
        groups = _share(jobs)
        made = [n for group in groups for n in group]
        assert sorted(made) == sorted(n for n in EXPORTS if n != "void.ttl")
        assert len(groups) <= max(1, jobs)
        assert not any({"smakg.biolink.nodes.tsv", "smakg.biolink.edges.tsv"} & set(g)
                       and not {"smakg.biolink.nodes.tsv", "smakg.biolink.edges.tsv"} <= set(g) for g in groups)


def _refuse(job: Any) -> str:
    raise BadInputError("the documents do not match the schema", hint="fix the frame")


def test_an_error_in_another_process_is_raised_here(graph: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    (far,) = [n for n in _share(2)[1] if n == "smakg.nt"]
    monkeypatch.setitem(EXPORTS, far, _refuse)
    children_before = _children()
    with pytest.raises(BadInputError) as caught:
        render_exports(graph, Project(ROOT), jobs=2)
    assert caught.value.hint == "fix the frame" and "do not match" in caught.value.message
    assert _children() == children_before


def test_errors_keep_their_hint_when_pickled() -> None:
    again = pickle.loads(pickle.dumps(DataError("bad", hint="do this")))
    assert type(again) is DataError and again.hint == "do this" and str(again) == "bad\n  What to do: do this"


def test_build_jobs_option_writes_the_same_release(tmp_path: Any) -> None:
    from typer.testing import CliRunner

    from smakg.cli import app

    runner = CliRunner()
    texts = []
    for jobs in ("1", "2"):
        out = tmp_path / f"dist{jobs}"
        result = runner.invoke(app, ["build", "--project", str(ROOT), "--out", str(out), "--jobs", jobs])
        assert result.exit_code == 0, result.output
        texts.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert texts[0] == texts[1] and len(texts[0]) == len(EXPORTS)
    refused = runner.invoke(app, ["build", "--project", str(ROOT), "--out", str(tmp_path / "x"), "--jobs", "0"])
    assert refused.exit_code == 2


def _children() -> set[int]:
    """This process's child processes (from /proc), to show none is left behind."""
    me = str(os.getpid())
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="utf-8") as stat:
                    if stat.read().rsplit(")", 1)[1].split()[1] == me:
                        found.add(int(entry))
            except OSError:
                pass
    return found



def test_background_exports_equal_and_leave_no_process(graph: Any) -> None:
    from smakg.export.registry import Background, read_export_inputs

    one = render_exports(graph, Project(ROOT), jobs=1)
    before = _children()
    with Background(graph, Project(ROOT), read_export_inputs(Project(ROOT)), jobs=2) as background:
        assert len(_children() - before) == 2  # both groups are being made elsewhere
        assert background.result() == one
    assert _children() == before
    stopped = Background(graph, Project(ROOT), read_export_inputs(Project(ROOT)), jobs=2)
    stopped.cancel()  # a graph that does not conform: the files are never collected
    assert _children() == before


def test_build_that_does_not_conform_stops_its_export_processes(tmp_path: Any) -> None:
    import shutil

    from typer.testing import CliRunner

    from smakg.cli import app

    project = tmp_path / "p"
    shutil.copytree(ROOT / "ontology", project / "ontology")
    shutil.copytree(ROOT / "shapes", project / "shapes")
    gene = project / "ontology" / "kb" / "entities" / "wrong.ttl"
    gene.write_text('@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n'
                    '@prefix smakg: <https://w3id.org/smakg/vocab#> .\n'
                    '<https://w3id.org/smakg/id/gene/SMN1> rdfs:label "smn1" .\n', encoding="utf-8")
    before = _children()
    result = CliRunner().invoke(app, ["build", "--project", str(project), "--jobs", "2"])
    assert result.exit_code == 1, result.output
    assert not (project / "dist").exists()
    assert _children() == before
