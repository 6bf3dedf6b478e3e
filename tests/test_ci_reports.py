"""The CI report formats (``smakg validate --format github|junit|sarif``), on real violations.

The failing fixture is the real project with several of test_shapes' cases applied at once (a violation in an
entity file, one in the sources file, a check of claim shape, a SPARQL constraint and a warning in an added file).
Each format is read back by what CI reads it with: GitHub annotations by the documented workflow-command syntax,
JUnit XML by a JUnit parser (junitparser), SARIF by the official SARIF 2.1.0 JSON schema (tests/data/).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from junitparser import Failure, JUnitXml
from test_shapes import CASES, HEADER, KB, Add, Edit, copy_project
from typer.testing import CliRunner, Result

from smakg.cli import app
from smakg.findings import INFO, VIOLATION, WARNING, Finding, Location, Outcome
from smakg.kb.build import build_graph
from smakg.project import Project
from smakg.report.ci import github_escape_data, github_escape_property, relative_path, to_junit
from smakg.validation.run import validate_built

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
CASE_IDS = ["Gene.label.pattern", "Source.pmid.pattern", "expand.claim-shape#unknown-property",
            "AliasUnique.sparql:alias#alias", "ConditionCrossReferenced.or"]
runner = CliRunner()

# The workflow-command syntax GitHub documents: ::command prop=value,prop=value::message, where a property value
# has ':' and ',' escaped (%3A, %2C), and neither carries a raw CR or LF; '%' only starts an escape.
PROPERTY = r"(?:file|line|endLine|col|endColumn|title)=(?:[^,:%\r\n]|%(?:25|0D|0A|3A|2C))*"
ANNOTATION = re.compile(rf"^::(error|warning|notice)(?: ({PROPERTY}(?:,{PROPERTY})*))?::((?:[^%\r\n]|%(?:25|0D|0A))*)$")


def unescape(text: str) -> str:
    return re.sub("%(25|0D|0A|3A|2C)", lambda m: {"25": "%", "0D": "\r", "0A": "\n", "3A": ":", "2C": ","}[m[1]],
                  text)


@pytest.fixture(scope="module")
def failing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real project with the cases of CASE_IDS applied together (edits in place, additions in one file)."""
    project = copy_project(tmp_path_factory.mktemp("failing"))
    by_id = {c.id: c for c in CASES}
    added = []
    for mutation in (by_id[i].mutation for i in CASE_IDS):
        if isinstance(mutation, Edit):
            path = project / KB / mutation.file
            text = path.read_text(encoding="utf-8")
            assert text.count(mutation.old) == 1
            path.write_text(text.replace(mutation.old, mutation.new), encoding="utf-8")
        else:
            assert isinstance(mutation, Add)
            added.append(mutation.body)
    (project / KB / "zz-extra.ttl").write_text(HEADER + "".join(added), encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def outcome(failing: Path) -> Outcome:
    """What the library finds in the failing project, run from its root as the CLI runs: the reports must say
    exactly this."""
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(failing)
        project = Project(Path("."))
        result = validate_built(build_graph(project), project, table=project.identifiers)  # as the CLI does
    assert result.violations >= 4 and result.warnings >= 1, "the fixture should hold violations and a warning"
    return result


def findings_at(outcome: Outcome) -> list[tuple[Finding, str, int]]:
    """Each finding with its file (relative to the project root) and its line."""
    out = []
    for f in outcome.sorted():
        assert f.location is not None and not Path(f.location.file).is_absolute(), f
        out.append((f, Path(f.location.file).as_posix(), f.location.line))
    return out


def validate(project: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> Result:
    """``smakg validate`` run from the project root, as CI runs it; never a traceback."""
    monkeypatch.chdir(project)
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    result = runner.invoke(app, ["validate", "--project", ".", *args])
    assert "Traceback" not in result.output + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


# --------------------------------------------------------------------------------------------------------------
# GitHub Actions annotations


def test_github_escaping_follows_the_actions_toolkit() -> None:
    assert github_escape_data("100% a\r\nb: c, d") == "100%25 a%0D%0Ab: c, d"
    assert github_escape_property("shp:Gene › x, 100%\n") == "shp%3AGene › x%2C 100%25%0A"


def test_github_annotations_point_at_file_and_line(failing: Path, outcome: Outcome, monkeypatch) -> None:
    result = validate(failing, monkeypatch, "--format", "github")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    parsed = []
    for line in lines:
        match = ANNOTATION.match(line)
        assert match, f"not a workflow command: {line!r}"
        props = dict(p.split("=", 1) for p in match[2].split(",")) if match[2] else {}
        parsed.append((match[1], {k: unescape(v) for k, v in props.items()}, unescape(match[3])))
    *annotations, verdict = parsed
    assert verdict[0] == "notice" and verdict[2].startswith("does not conform: ")
    expected = findings_at(outcome)
    assert len(annotations) == len(expected)
    kinds = {VIOLATION: "error", WARNING: "warning", INFO: "notice"}
    for (kind, props, message), (f, file, line) in zip(annotations, expected, strict=True):
        assert kind == kinds[f.severity]
        assert props["file"] == file and (failing / file).is_file()
        assert props["line"] == str(line)
        assert props["title"].startswith(f.rule)
        assert message.startswith(f.focus) and message.endswith(f.message)
    assert {"error", "warning"} <= {a[0] for a in annotations}


def test_github_annotation_of_a_message_with_newline_and_percent(tmp_path: Path, monkeypatch) -> None:
    from smakg.report.ci import to_github

    finding = Finding(VIOLATION, "gene:X", "100% wrong,\nsee: here", "shp:Gene › rdfs:label",
                      location=Location(str(tmp_path / "a,b:c.ttl"), 3))
    text = to_github(Outcome([finding]), root=tmp_path)
    first = text.splitlines()[0]
    match = ANNOTATION.match(first)
    assert match, first
    assert "file=a%2Cb%3Ac.ttl,line=3," in first
    assert unescape(match[3]) == "gene:X: 100% wrong,\nsee: here"


# --------------------------------------------------------------------------------------------------------------
# JUnit XML


def test_junit_has_a_case_per_shape_and_focus_node(failing: Path, outcome: Outcome, monkeypatch,
                                                   tmp_path: Path) -> None:
    out = tmp_path / "reports" / "smakg-junit.xml"
    result = validate(failing, monkeypatch, "--format", "junit", "--out", str(out))
    assert result.exit_code == 1 and result.stdout == ""
    xml = JUnitXml.fromfile(str(out))
    cases = [(suite.name, case) for suite in xml for case in suite]
    failed = {(c.classname, c.name): c for _, c in cases if any(isinstance(r, Failure) for r in c.result)}
    expected_failing = {(f.rule, f.focus) for f in outcome.sorted() if f.severity == VIOLATION}
    assert set(failed) == expected_failing
    for case in failed.values():
        (failure,) = case.result
        assert failure.type == VIOLATION and failure.message
        assert case._elem.get("file", "").startswith("ontology/kb/") and int(case._elem.get("line")) > 0
    with_results = {(f.rule, f.focus) for f in outcome.sorted()}
    quiet_rules = set(outcome.rules) - {f.rule for f in outcome.sorted()}
    assert len(cases) == len(with_results) + len(quiet_rules)
    passing = {suite for suite, c in cases if c.name.startswith("no results")}
    assert passing == quiet_rules
    assert {suite for suite, _ in cases} == set(outcome.rules), "every rule run is a test suite"
    assert xml.tests == len(cases) and xml.failures == len(expected_failing)
    # the warning is reported, but does not fail a run without --strict
    warned = [c for _, c in cases if (c.classname, c.name) in {(f.rule, f.focus) for f in outcome.sorted()
                                                              if f.severity == WARNING}]
    assert warned and all(not c.result and "Warning" in (c.system_out or "") for c in warned)


def test_junit_strict_fails_warnings_too(failing: Path, outcome: Outcome, monkeypatch) -> None:
    result = validate(failing, monkeypatch, "--format", "junit", "--strict")
    assert result.exit_code == 1
    xml = JUnitXml.fromstring(result.stdout.encode("utf-8"))
    failed_types = {r.type for suite in xml for case in suite for r in case.result if isinstance(r, Failure)}
    assert failed_types == {VIOLATION, WARNING}


def test_junit_is_well_formed_whatever_the_text(tmp_path: Path) -> None:
    """Characters XML 1.0 cannot hold (NUL, other C0 controls, lone surrogates) are written as escapes."""
    odd = "nul\x00 bell\x07 surrogate\ud800 rtl\u202e combining e\u0301 & <tag>"
    finding = Finding(VIOLATION, "gene:X", odd, "shp:odd\x01", value=f'"{odd}"', location=Location("x.ttl", 1))
    text = to_junit(Outcome([finding]), root=tmp_path)
    ET.fromstring(text.encode("utf-8"))  # raises on ill-formed XML
    (case,) = [c for suite in JUnitXml.fromstring(text.encode("utf-8")) for c in suite]
    (failure,) = case.result
    assert "\\u0000" in failure.message and "e\u0301 & <tag>" in failure.message


# --------------------------------------------------------------------------------------------------------------
# SARIF 2.1.0


def sarif_errors(doc: dict) -> list[str]:
    validator = jsonschema.Draft7Validator(SCHEMA, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)]


def test_the_schema_is_the_official_one_and_rejects_bad_logs() -> None:
    assert SCHEMA["$id"] == "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json"
    jsonschema.Draft7Validator.check_schema(SCHEMA)
    assert sarif_errors({"version": "2.1.0", "runs": []}) == []
    assert sarif_errors({"version": "2.0.0", "runs": []})
    assert sarif_errors({"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]}), "a driver needs a name"
    assert sarif_errors({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}},
                                                        "results": [{"message": {"text": "m"}, "level": "fatal"}]}]})


def test_sarif_validates_and_locates_every_result(failing: Path, outcome: Outcome, monkeypatch) -> None:
    result = validate(failing, monkeypatch, "--format", "sarif")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert sarif_errors(doc) == []
    (run,) = doc["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted(outcome.rules) and len({r["id"] for r in rules}) == len(rules)
    by_id = {r["id"]: r for r in rules}
    # help text comes from the shapes: sh:message of a property shape, rdfs:comment of a node shape
    assert "HGNC symbol" in by_id["shp:Gene › rdfs:label"]["fullDescription"]["text"]
    assert "pattern ^[A-Z][A-Z0-9]*" in by_id["shp:Gene › rdfs:label"]["help"]["text"]
    assert "No two conditions share an alias" in by_id["shp:AliasUnique"]["help"]["text"]
    assert by_id["shp:ConditionCrossReferenced"]["defaultConfiguration"]["level"] == "warning"
    expected = findings_at(outcome)
    assert len(run["results"]) == len(expected)
    levels = {VIOLATION: "error", WARNING: "warning", INFO: "note"}
    for res, (f, file, line) in zip(run["results"], expected, strict=True):
        assert res["ruleId"] == f.rule and rules[res["ruleIndex"]]["id"] == f.rule
        assert res["level"] == levels[f.severity]
        assert res["message"]["text"].endswith(f.message)
        (loc,) = res["locations"]
        physical = loc["physicalLocation"]
        assert physical["artifactLocation"]["uri"] == file and not file.startswith("/")
        assert physical["region"]["startLine"] == line
        assert loc["logicalLocations"][0]["name"] == f.focus
    assert run["properties"]["conforms"] is False


def test_sarif_paths_are_relative_to_the_workspace(failing: Path, monkeypatch, tmp_path: Path) -> None:
    """Run from elsewhere with an absolute --project: paths are still relative to GITHUB_WORKSPACE."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GITHUB_WORKSPACE", str(failing))
    result = runner.invoke(app, ["validate", "--project", str(failing), "--format", "sarif"])
    assert result.exit_code == 1
    results = json.loads(result.stdout)["runs"][0]["results"]
    uris = {loc["physicalLocation"]["artifactLocation"]["uri"] for res in results for loc in res["locations"]}
    assert uris and all(u.startswith("ontology/kb/") for u in uris)
    assert relative_path(Location("/elsewhere/x.ttl", 1), failing) is None


# --------------------------------------------------------------------------------------------------------------
# The real knowledge base, and bad input


@pytest.mark.parametrize("fmt", ["github", "junit", "sarif"])
def test_real_kb_conforms_in_every_format(fmt: str, monkeypatch) -> None:
    result = validate(ROOT, monkeypatch, "--format", fmt)
    assert result.exit_code == 0, result.output
    if fmt == "github":
        assert result.stdout.splitlines() == ["::notice title=smakg validate::conforms: 0 violations, 0 warnings "
                                              "on 0 nodes"]
    elif fmt == "junit":
        xml = JUnitXml.fromstring(result.stdout.encode("utf-8"))
        assert xml.failures == 0 and xml.tests > 60
    else:
        doc = json.loads(result.stdout)
        assert sarif_errors(doc) == [] and doc["runs"][0]["results"] == []
        assert len(doc["runs"][0]["tool"]["driver"]["rules"]) > 60


def test_bad_input_exits_2_and_writes_no_report(failing: Path, monkeypatch, tmp_path: Path) -> None:
    out = tmp_path / "report.sarif"
    result = validate(failing, monkeypatch, "no-such-file.ttl", "--format", "sarif", "--out", str(out))
    assert result.exit_code == 2 and "no-such-file.ttl" in result.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == []
