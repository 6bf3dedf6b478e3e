"""The main job end to end, in-process: build writes every export and conforms; the console script imports."""

from __future__ import annotations

import os
import shutil
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from conftest import NO_DOCUMENTS, ROOT, SEEDS, TABLE
from typer.testing import CliRunner

from smakg.cli import app

runner = CliRunner()


def test_console_script_target_imports() -> None:
    (script,) = [e for e in entry_points(group="console_scripts") if e.name == "smakg"]
    assert callable(script.load())


def test_build_writes_all_exports_and_checks_everything(tmp_path) -> None:
    """The main job as the README runs it: identifiers against the project's table by default, quotes against the
    documents where they are beside the clone (../shared/seeds), and one line saying which checks ran."""
    if not SEEDS.is_dir() and os.environ.get("CI"):
        pytest.fail(NO_DOCUMENTS)
    out = tmp_path / "dist"
    result = runner.invoke(app, ["build", "--project", str(ROOT), "--out", str(out), "--strict"])
    assert result.exit_code == 0, result.output
    assert f"identifiers ({ROOT / 'ontology' / 'identifiers.tsv'})" in result.output
    assert "0 violations, 0 warnings" in result.output
    assert {"context.jsonld", "smakg.jsonld", "smakg.nt", "smakg.ttl", "vocab.ttl", "void.ttl", "smakg.sssom.tsv",
            "smakg.biolink.nodes.tsv", "smakg.biolink.edges.tsv", "smakg.conditions.jsonld",
            "condition.schema.json"} <= {p.name for p in out.iterdir()}
    if SEEDS.is_dir():
        assert "quotes 98" in result.output and f"quotes ({SEEDS.resolve()})" in result.output
    else:
        assert "skipped: quotes (the source documents are not in the repository" in result.output


def test_export_to_stdout_and_file(tmp_path) -> None:
    result = runner.invoke(app, ["export", "--format", "nt", "--project", str(ROOT)])
    assert result.exit_code == 0
    assert result.output.count(" .\n") > 1000
    target = tmp_path / "x.ttl"
    result = runner.invoke(app, ["export", "--format", "ttl", "--out", str(target), "--project", str(ROOT)])
    assert result.exit_code == 0 and target.read_text().startswith("@prefix")


def test_fmt_check_passes_on_the_repository() -> None:
    result = runner.invoke(app, ["fmt", "--check", "--project", str(ROOT)])
    assert result.exit_code == 0, result.output


def test_verify_quotes_passes(seeds: Path) -> None:
    result = runner.invoke(app, ["verify-quotes", "--sources-dir", str(seeds), "--project", str(ROOT)])
    assert result.exit_code == 0, result.output
    assert "quotes found: 98/98" in result.output


def test_verify_quotes_without_documents_is_bad_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(ROOT / "ontology", tmp_path / "project" / "ontology")
    shutil.copytree(ROOT / "shapes", tmp_path / "project" / "shapes")
    monkeypatch.delenv("SMAKG_SOURCES_DIR", raising=False)
    result = runner.invoke(app, ["verify-quotes", "--project", str(tmp_path / "project")])
    assert result.exit_code == 2 and "no source documents: pass --sources-dir DIR" in result.output


def test_verify_xrefs_passes() -> None:
    result = runner.invoke(app, ["verify-xrefs", "--table", str(TABLE), "--project", str(ROOT)])
    assert result.exit_code == 0, result.output


def test_verify_quotes_detects_a_changed_document(tmp_path: Path, seeds: Path) -> None:
    copied = tmp_path / "seeds"
    shutil.copytree(seeds, copied)
    seeds = copied
    doc = seeds / "001_057ce7d5135ac3a1.txt"
    doc.write_text(doc.read_text().replace("found to cause SMARD1", "found to cause it"), encoding="utf-8")
    result = runner.invoke(app, ["verify-quotes", "--sources-dir", str(seeds), "--project", str(ROOT)])
    assert result.exit_code == 1
    assert "does not occur" in result.output and "differs from the copy" in result.output
