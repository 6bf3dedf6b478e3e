"""The synthetic knowledge base (smakg synth): valid by construction, byte-identical for a seed whatever the hash
seed, the real knowledge base's shape at scale 1, and its injected mistakes caught by the rules that must catch
them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib.compare import isomorphic
from rdflib.namespace import RDF

from smakg.findings import VIOLATION
from smakg.kb.build import build_graph
from smakg.kb.load import discover, load_files
from smakg.kb.vocab import SMAKG
from smakg.project import Project
from smakg.qa.mistakes import KINDS
from smakg.qa.synthetic import MISTAKES_FILE, SOURCES, generate, synthesize
from smakg.validation.run import validate_built

ROOT = Path(__file__).resolve().parents[1]


def _validate(folder: Path) -> list[tuple[str, str, str]]:
    project = Project(folder)
    outcome = validate_built(build_graph(project), project, sources_dir=folder / SOURCES, table=project.identifiers)
    return [(f.severity, f.rule, f.focus) for f in outcome.findings if f.severity != "Info"]


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_scale_one_is_the_knowledge_base() -> None:
    template = load_files(discover([Project(ROOT).kb])).graph
    one = synthesize(template, 1)
    assert isomorphic(one, template)


def test_small_scale_validates_with_every_check(tmp_path: Path) -> None:
    made = generate(tmp_path / "kb", 3, template=Project(ROOT))
    template = load_files(discover([Project(ROOT).kb])).graph
    assert made.claims == 3 * len(set(template.subjects(RDF.type, SMAKG.Claim))) > 0
    assert _validate(tmp_path / "kb") == []  # no violation, no warning: quotes, identifiers and shapes all pass
    assert (tmp_path / "kb" / SOURCES).is_dir() and not (tmp_path / "kb" / MISTAKES_FILE).exists()


def test_same_seed_same_bytes_whatever_the_hash_seed(tmp_path: Path) -> None:
    outputs = []
    for hash_seed in ("1", "2"):
        out = tmp_path / hash_seed
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(ROOT / "src")}
        done = subprocess.run([sys.executable, "-m", "smakg", "synth", str(out), "--scale", "2", "--mistakes", "3",
                               "--seed", "5", "--project", str(ROOT)], capture_output=True, text=True, env=env)
        assert done.returncode == 0, done.stderr
        outputs.append(_files(out))
    assert outputs[0] == outputs[1]
    other = generate(tmp_path / "other", 2, template=Project(ROOT), mistakes=3, seed=6)
    assert (tmp_path / "other" / MISTAKES_FILE).read_bytes() != outputs[0][MISTAKES_FILE] or other.mistakes == []


@pytest.mark.parametrize("seed", [1, 2])
def test_injected_mistakes_are_caught(tmp_path: Path, seed: int) -> None:
    made = generate(tmp_path / "kb", 2, template=Project(ROOT), mistakes=4, seed=seed)
    assert len(made.mistakes) == 4
    project = Project(tmp_path / "kb")
    outcome = validate_built(build_graph(project), project, sources_dir=tmp_path / "kb" / SOURCES,
                             table=project.identifiers)
    assert outcome.violations > 0
    kinds = {k.name: k for k in KINDS}
    for line in made.mistakes:
        kind = kinds[line.split("\t")[0]]
        assert any(rule.matches(f) for f in outcome.findings for rule in kind.expect), f"not caught: {line}"
    assert any(f.severity == VIOLATION for f in outcome.findings)
