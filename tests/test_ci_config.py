"""The CI that users copy: .github/workflows/validate.yml (valid, pinned, least privilege, the same smakg
commands as .ci/run) and .pre-commit-hooks.yaml (a valid pre-commit manifest whose hooks run smakg commands)."""

from __future__ import annotations

import json
import re
import shlex
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml
from pre_commit.clientlib import load_manifest
from typer.testing import CliRunner

from smakg.cli import app
from smakg.kb.fmt import curated_files
from smakg.project import Project

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "validate.yml"
HOOKS = ROOT / ".pre-commit-hooks.yaml"
CI_RUN = ROOT / ".ci" / "run"
# The releases the workflow pins, each SHA read from the release it names (see the report of issue 5).
PINS = {
    "actions/checkout": ("11bd71901bbe5b1630ceea73d27597364c9af683", "v4.2.2"),
    "actions/setup-python": ("a26af69be951a213d495a4c3e4e4022e16d87065", "v5.6.0"),
    "actions/upload-artifact": ("ea165f8d65b6e75b540449e92b4886f43607fa02", "v4.6.2"),
    "github/codeql-action/upload-sarif": ("ff0a06e83cb2de871e5a09832bc6a81e7276941f", "v3.28.18"),
}
runner = CliRunner()


@pytest.fixture(scope="module")
def workflow() -> dict:
    doc = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    if True in doc:  # YAML 1.1 reads the key `on` as a boolean
        doc["on"] = doc.pop(True)
    return doc


def steps(workflow: dict) -> list[tuple[str, dict]]:
    return [(name, step) for name, job in workflow["jobs"].items() for step in job["steps"]]


def smakg_commands(text: str) -> list[str]:
    """Every smakg command line in a shell text, without a .venv/bin/ prefix, whitespace normalised."""
    out = []
    for line in text.splitlines():
        line = line.strip()
        if re.match(r"^(\.venv/bin/)?smakg ", line):
            out.append(" ".join(line.removeprefix(".venv/bin/").split()))
    return out


def test_workflow_is_valid_github_actions_syntax(workflow: dict) -> None:
    schema = json.loads((ROOT / "tests" / "data" / "github-workflow.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema)
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(workflow)]
    assert errors == []
    broken = dict(workflow, jobs={"x": {"runs-on": "ubuntu-24.04", "steps": [{"uses": "a/b@c"}],
                                         "permissions": {"contents": "sometimes"}}})
    assert list(validator.iter_errors(broken)), "the schema should reject an unknown permission level"


def test_every_action_is_pinned_to_a_verified_commit(workflow: dict) -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    uses = re.findall(r"uses: ([^@\s]+)@(\S+)(?: # (\S+))?", text)
    assert {u[0] for u in uses} == set(PINS)
    for action, ref, comment in uses:
        assert re.fullmatch(r"[0-9a-f]{40}", ref), f"{action} is not pinned to a full commit SHA: {ref}"
        assert (ref, comment) == PINS[action], f"{action}@{ref} # {comment}: not the verified pin"
    assert len(uses) == sum(1 for _, s in steps(workflow) if "uses" in s)


def test_permissions_are_least(workflow: dict) -> None:
    assert workflow["permissions"] == {"contents": "read"}
    for name, job in workflow["jobs"].items():
        perms = job["permissions"]
        uploads_sarif = any(s.get("uses", "").startswith("github/codeql-action/upload-sarif") for s in job["steps"])
        writes = {k for k, v in perms.items() if v == "write"}
        assert writes == ({"security-events"} if uploads_sarif else set()), f"job {name}: {perms}"
        assert perms["contents"] == "read"
    assert any("security-events" in job["permissions"] for job in workflow["jobs"].values())


def test_workflow_runs_the_checks_and_uploads_reports(workflow: dict) -> None:
    commands = [c for _, s in steps(workflow) for c in smakg_commands(s.get("run", ""))]
    assert "smakg fmt --check" in commands
    # identifiers are checked against the project's own table by default; quotes need the documents beside it
    assert any(c.startswith("smakg build --strict --sources-dir") and "--table" not in c for c in commands)
    assert any(c.startswith("smakg verify-quotes") for c in commands)
    formats = {re.search(r"--format (\w+)", c)[1] for c in commands if "--format" in c}
    assert formats == {"github", "junit", "sarif"}
    artifacts = [s["with"]["path"] for _, s in steps(workflow) if s.get("uses", "").startswith("actions/upload-art")]
    assert any("dist/" in p and "reports/" in p for p in artifacts)
    sarif = [s for _, s in steps(workflow) if s.get("uses", "").startswith("github/codeql-action/upload-sarif")]
    assert len(sarif) == 1 and sarif[0]["with"]["sarif_file"].endswith("reports/smakg.sarif")


def test_ci_run_runs_the_workflow_commands(workflow: dict) -> None:
    ci = smakg_commands(CI_RUN.read_text(encoding="utf-8"))
    missing = [c for _, s in steps(workflow) for c in smakg_commands(s.get("run", "")) if c not in ci]
    assert not missing, "commands of the workflow that .ci/run does not run:\n  " + "\n  ".join(missing)
    assert workflow["env"]["SHARED"] == "../shared" and 'SHARED="${SHARED:-../shared}"' in CI_RUN.read_text()


def test_commands_exist_in_the_cli(workflow: dict) -> None:
    hooks = load_manifest(str(HOOKS))
    lines = [c for _, s in steps(workflow) for c in smakg_commands(s.get("run", ""))] + [h["entry"] for h in hooks]
    for line in lines:
        words = shlex.split(line)
        assert words[0] == "smakg"
        result = runner.invoke(app, [words[1], "--help"])
        assert result.exit_code == 0, f"{line}: {result.output}"
        options = set(re.findall(r"--[a-z-]+", result.output))
        assert {w for w in words if w.startswith("--")} <= options, f"{line}: unknown option"


# --------------------------------------------------------------------------------------------------------------
# pre-commit


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for name in ("ontology", "shapes"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path


def test_pre_commit_manifest_is_valid_and_matches_curated_files() -> None:
    hooks = {h["id"]: h for h in load_manifest(str(HOOKS))}  # pre-commit's own schema check
    assert set(hooks) == {"smakg-fmt", "smakg-validate"}
    for hook in hooks.values():
        assert hook["language"] == "python" and hook["entry"].startswith("smakg ")
        pattern = re.compile(hook["files"])
        curated = [p.relative_to(ROOT).as_posix() for p in curated_files(Project(ROOT))]
        assert len(curated) > 10 and all(pattern.search(p) for p in curated)
        assert not any(pattern.search(p) for p in ("README.md", "src/smakg/cli.py", "dist/smakg.ttl"))
    assert hooks["smakg-fmt"]["pass_filenames"] is True
    assert hooks["smakg-validate"]["pass_filenames"] is False


def test_pre_commit_hooks_run_as_pre_commit_runs_them(project: Path, monkeypatch) -> None:
    """pre-commit runs ``entry args... files...`` from the repository root."""
    hooks = {h["id"]: h for h in load_manifest(str(HOOKS))}
    monkeypatch.chdir(project)
    genes = Path("ontology/kb/entities/genes.ttl")
    canonical = genes.read_text(encoding="utf-8")
    genes.write_text(canonical.replace(" ;\n    rdfs:label", " ; rdfs:label"), encoding="utf-8")
    fmt_hook = shlex.split(hooks["smakg-fmt"]["entry"])[1:]
    result = runner.invoke(app, [*fmt_hook, str(genes), "shapes/entities.ttl"])
    assert result.exit_code == 0 and "reformatted ontology/kb/entities/genes.ttl" in result.output
    assert genes.read_text(encoding="utf-8") == canonical
    validate_hook = shlex.split(hooks["smakg-validate"]["entry"])[1:]
    assert runner.invoke(app, validate_hook).exit_code == 0
    genes.write_text(canonical.replace('"VAPB"', '"Vapb"'), encoding="utf-8")
    result = runner.invoke(app, validate_hook)
    assert result.exit_code == 1 and "ontology/kb/entities/genes.ttl" in result.output
