"""The same inputs give byte-identical exports, whatever the hash seed or file load order."""

from __future__ import annotations

import hashlib
import os
import random
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

from smakg.export.registry import render_exports
from smakg.kb.build import build_graph
from smakg.kb.load import discover
from smakg.project import Project

_SCRIPT = """
import hashlib, sys
from pathlib import Path
from smakg.project import Project
from smakg.kb.build import build_graph
from smakg.export.registry import render_exports
files = [Path(p) for p in sys.argv[2:]] or None
project = Project(Path(sys.argv[1]))
out = render_exports(build_graph(project, files).graph, project)
for name in sorted(out):
    print(name, hashlib.sha256(out[name].encode()).hexdigest())
"""


def _digests(seed: str, files: list[Path]) -> str:
    env = dict(os.environ, PYTHONHASHSEED=seed)
    result = subprocess.run([sys.executable, "-c", _SCRIPT, str(ROOT), *map(str, files)],
                            env=env, capture_output=True, text=True, check=True)
    return result.stdout


def test_byte_identical_across_hash_seeds_and_file_order() -> None:
    files = discover([ROOT / "ontology" / "kb"])
    shuffled = files[:]
    random.Random(7).shuffle(shuffled)
    assert shuffled != files
    first = _digests("1", files)
    second = _digests("4242", list(reversed(shuffled)))
    assert first == second
    assert len(first.splitlines()) == len(render_exports(build_graph(Project(ROOT)).graph, Project(ROOT)))
    assert "void.ttl" in first and "smakg.biolink.edges.tsv" in first and "smakg.sssom.tsv" in first
    assert "smakg.conditions.jsonld" in first and "condition.schema.json" in first


def test_in_process_rebuild_is_identical() -> None:
    project = Project(ROOT)
    a = render_exports(build_graph(project).graph, project)
    b = render_exports(build_graph(project).graph, project)
    assert {k: hashlib.sha256(v.encode()).hexdigest() for k, v in a.items()} == {
        k: hashlib.sha256(v.encode()).hexdigest() for k, v in b.items()}
