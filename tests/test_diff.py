"""smakg diff on real builds and real git revisions: a copy of the knowledge base with claims added, removed and
changed is built next to the original, and the diff names each change on its entity with its evidence."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT
from typer.testing import CliRunner, Result

from smakg.cli import app

runner = CliRunner()
SMAUK = "ontology/kb/claims/smauk-smard1.ttl"
NEW_CLAIM = """
[
    a smakg:Claim ;
    rdf:subject cond:sma-5q ;
    rdf:predicate smakg:hasPhenotype ;
    rdf:object HP:0003202 ;
    oa:exact "muscle wasting" ;
    prov:wasDerivedFrom src:smauk-smard1
] .
"""


def invoke(*args: object) -> Result:
    result = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


def copy_project(dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("ontology", "shapes"):
        shutil.copytree(ROOT / name, dest / name)
    return dest


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def remove_claim(path: Path, marker: str) -> None:
    """Delete the one claim block holding ``marker``."""
    text = path.read_text(encoding="utf-8")
    at = text.index(marker)
    start, end = text.rindex("\n[\n", 0, at), text.index("\n] .\n", at) + len("\n] .\n")
    path.write_text(text[:start] + "\n" + text[end:], encoding="utf-8")


def change(project: Path) -> None:
    """One of each kind of change a curator makes."""
    claims = project / SMAUK
    replace(claims, 'rdf:object "Distal Hereditary Motor Neuropathy Type VI" ;',
            'rdf:object "Distal Hereditary Motor Neuropathy Type 6" ;')
    replace(claims, 'rdf:object "DSMA1" ;\n    oboInOwl:hasSynonymType OMO:0003000 ;\n'
                    '    oa:exact "Distal Spinal Muscular Atrophy 1 (DSMA1)" ;',
            'rdf:object "DSMA1" ;\n    oboInOwl:hasSynonymType OMO:0003000 ;\n'
            '    oa:exact "also called Distal Spinal Muscular Atrophy 1 (DSMA1)" ;')
    remove_claim(claims, 'rdf:object phen:fatty-finger-pads ;')
    claims.write_text(claims.read_text(encoding="utf-8") + NEW_CLAIM, encoding="utf-8")
    replace(project / "ontology/kb/entities/conditions.ttl", 'rdfs:label "autosomal dominant spinal muscular atrophy '
            'caused by VAPB"', 'rdfs:label "autosomal dominant SMA caused by VAPB"')


def build(project: Path, out: Path) -> Path:
    result = invoke("build", "--project", project, "--out", out)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("diff")
    old = build(ROOT, tmp / "old-dist")
    project = copy_project(tmp / "changed")
    change(project)
    return old, build(project, tmp / "new-dist")


def test_text_diff_names_each_change_on_its_entity(builds) -> None:
    old, new = builds
    result = invoke("diff", old, new)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "3 entities: 1 added, 1 removed, 2 changed, 1 with changed evidence" in out
    smard1 = out[out.index("\ncond:smard1 ("):]
    smard1 = smard1[:smard1.index("\n\n")] if "\n\n" in smard1 else smard1
    assert ('~ skos:altLabel "Distal Hereditary Motor Neuropathy Type VI" -> '
            '"Distal Hereditary Motor Neuropathy Type 6"') in smard1
    assert "- smakg:hasPhenotype phen:fatty-finger-pads (fatty finger pads)" in smard1
    assert '~ skos:altLabel "DSMA1": provenance changed' in smard1
    assert '+ evidence src:smauk-smard1 "also called Distal Spinal Muscular Atrophy 1 (DSMA1)"' in smard1
    assert '- evidence src:smauk-smard1 "Distal Spinal Muscular Atrophy 1 (DSMA1)"' in smard1
    assert "+ smakg:hasPhenotype HP:0003202 (Skeletal muscle atrophy)" in out
    assert 'evidence src:smauk-smard1 "muscle wasting"' in out
    assert ('~ rdfs:label "autosomal dominant spinal muscular atrophy caused by VAPB" -> '
            '"autosomal dominant SMA caused by VAPB"') in out
    assert "statement/" not in out and "evidence/" not in out, "derived nodes never show as entities"


def test_json_diff_for_review(builds) -> None:
    old, new = builds
    result = invoke("diff", old / "smakg.nt", new / "smakg.ttl", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["identical"] is False
    assert doc["summary"] == {"entities": 3, "added": 1, "removed": 1, "changed": 2, "evidence_changed": 1}
    by_entity = {e["entity"]["curie"]: e for e in doc["entities"]}
    assert set(by_entity) == {"cond:smard1", "cond:sma-5q", "cond:sma-ad-vapb"}
    (added,) = by_entity["cond:sma-5q"]["added"]
    assert added["object"]["curie"] == "HP:0003202"
    assert [p["exact"] for p in added["provenance"] if p["kind"] == "evidence"] == ["muscle wasting"]
    (removed,) = by_entity["cond:smard1"]["removed"]
    assert removed["object"]["curie"] == "phen:fatty-finger-pads"
    (prov,) = by_entity["cond:smard1"]["provenance_changed"]
    assert prov["object"] == {"value": "DSMA1"}
    assert [p["exact"] for p in prov["added"] if p["kind"] == "evidence"] == [
        "also called Distal Spinal Muscular Atrophy 1 (DSMA1)"]
    (label,) = by_entity["cond:sma-ad-vapb"]["changed"]
    assert label["new"]["object"] == {"value": "autosomal dominant SMA caused by VAPB"}


def test_identical_builds(builds) -> None:
    old, _ = builds
    result = invoke("diff", old, old / "smakg.ttl", "--exit-code")
    assert result.exit_code == 0
    assert "no differences" in result.output
    doc = json.loads(invoke("diff", old, old, "--format", "json").output)
    assert doc["identical"] is True and doc["entities"] == []


def test_exit_code_option_reports_differences(builds) -> None:
    old, new = builds
    assert invoke("diff", old, new, "--exit-code").exit_code == 1
    assert invoke("diff", old, new).exit_code == 0


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org",
                           "-c", "commit.gpgsign=false", *args],
                          capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    repo = tmp_path_factory.mktemp("repo")
    _git(repo, "init", "-q")
    (repo / "README.md").write_text("before the knowledge base\n")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "empty")
    copy_project(repo)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "knowledge base")
    change(repo)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "changes")
    return repo


def test_git_revisions(repo) -> None:
    result = invoke("diff", "HEAD~1", "HEAD", "--project", repo)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("old: HEAD~1 (git ")
    assert "3 entities: 1 added, 1 removed, 2 changed, 1 with changed evidence" in result.output
    assert '-> "autosomal dominant SMA caused by VAPB"' in result.output
    assert _git(repo, "status", "--porcelain") == "", "the work tree is untouched"


def test_git_revision_against_a_build(repo, builds) -> None:
    old, _ = builds
    result = invoke("diff", old, "HEAD~1", "--project", repo)
    assert result.exit_code == 0, result.output
    assert "no differences" in result.output


def test_git_revision_without_a_knowledge_base(repo) -> None:
    result = invoke("diff", "HEAD~2", "HEAD", "--project", repo)
    assert result.exit_code == 2
    assert "holds no smakg knowledge base" in result.output


@pytest.mark.parametrize("spec", ["no-such-branch", "HEAD~9"])
def test_unknown_revision(repo, spec) -> None:
    result = invoke("diff", spec, "HEAD", "--project", repo)
    assert result.exit_code == 2
    assert f"{spec}: not a file, a build folder, a project folder or a git revision" in result.output


def test_not_a_git_repository(tmp_path) -> None:
    result = invoke("diff", "HEAD~1", "HEAD", "--project", tmp_path)
    assert result.exit_code == 2
    assert "is not in a git repository" in result.output


def test_not_a_build(builds, tmp_path) -> None:
    old, _ = builds
    assert "not a smakg build" in invoke("diff", ROOT / "ontology" / "smakg.ttl", old).output
    truncated = tmp_path / "smakg.nt"
    truncated.write_text("".join((old / "smakg.nt").read_text().splitlines(keepends=True)[:-1]))
    result = invoke("diff", truncated, old)
    assert result.exit_code == 2 and "an incomplete or edited build" in result.output
    result = invoke("diff", tmp_path / "..", old)
    assert result.exit_code == 2
    (tmp_path / "x.json").write_text("{}")
    result = invoke("diff", tmp_path / "x.json", old)
    assert result.exit_code == 2 and "cannot compare a .json file" in result.output
    broken = tmp_path / "broken.nt"
    broken.write_text("<a> <b> .\n")
    result = invoke("diff", broken, old)
    assert result.exit_code == 2 and "not valid N-Triples" in result.output
