"""Every script of scripts/ runs (CI runs the benchmarks; a script that no longer imports would stop CI): each
answers --help, and the quick ones run for real."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = sorted((ROOT / "scripts").glob("*.py"))


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.stem for s in SCRIPTS])
def test_script_answers_help(script: Path) -> None:
    done = subprocess.run([sys.executable, str(script), "--help"], capture_output=True, text=True, timeout=120,
                          cwd=ROOT)
    assert done.returncode == 0, done.stderr[-800:]
    assert "usage" in done.stdout.lower()


@pytest.mark.parametrize("args", [["bench_jsonld.py", "--runs", "1"], ["release_checksums.py", "--check"],
                                  ["docs_shapes.py", "--check"], ["bench_publish.py", "--runs", "1"],
                                  ["bench_pages.py", "--runs", "1", "--no-site"],
                                  ["bench_scale.py", "--sizes", "2500"],
                                  ["bench_scale.py", "--literal-mb", "0", "0.5"]],
                         ids=["bench_jsonld", "release_checksums", "docs_shapes", "bench_publish", "bench_pages",
                              "bench_scale", "bench_scale_literal"])
def test_script_runs(args: list[str]) -> None:
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / args[0]), *args[1:]], capture_output=True,
                          text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stdout[-800:] + done.stderr[-800:]
