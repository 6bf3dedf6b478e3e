"""Reports that CI systems read: GitHub Actions annotations, JUnit XML and SARIF 2.1.0.

Each points at the curated file and line of the offending node, as a path relative to the repository root
(the nearest folder at or above the working directory holding ``.git``, else ``GITHUB_WORKSPACE`` when set, else
the working directory), so the annotation lands on the line a curator edited.
"""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from itertools import groupby
from pathlib import Path
from typing import Any

from smakg import __version__
from smakg.findings import INFO, SEVERITY_ORDER, VIOLATION, WARNING, Finding, Location, Outcome, Rule
from smakg.kb.vocab import PREFIXES, SARIF_SCHEMA
from smakg.report.text import summary

_GITHUB = {VIOLATION: "error", WARNING: "warning", INFO: "notice"}
_SARIF_LEVEL = {VIOLATION: "error", WARNING: "warning", INFO: "note"}
# Characters XML 1.0 cannot carry at all (even escaped): C0 controls but tab, LF, CR; lone surrogates; U+FFFE/F.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


# ----------------------------------------------------------------------------------------------------------------
# Where: repository-relative paths


def repo_root(cwd: Path | None = None) -> Path:
    """The repository root that CI systems resolve report paths against (a checkout may sit in a folder of
    ``GITHUB_WORKSPACE``, so the ``.git`` folder decides first)."""
    here = (cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    workspace = os.environ.get("GITHUB_WORKSPACE")
    return Path(workspace).resolve() if workspace else here


def relative_path(location: Location | None, root: Path) -> str | None:
    """The file of a location as a POSIX path relative to ``root``, or None when it lies outside."""
    if location is None:
        return None
    path = Path(location.file)
    absolute = (path if path.is_absolute() else Path.cwd() / path).resolve()
    try:
        return absolute.relative_to(root.resolve()).as_posix()
    except ValueError:
        return None


def component_name(component: str | None) -> str | None:
    """``sh:PatternConstraintComponent`` -> ``Pattern``."""
    if not component:
        return None
    return component.removeprefix("sh:").removesuffix("ConstraintComponent")


def _what(f: Finding) -> str:
    """The node, property and value a finding is about, then its message."""
    value = f"= {f.value}" if f.value and f.value != f.focus else None
    head = " ".join(x for x in (f.focus, f.path, value) if x)
    return f"{head}: {f.message}" if head else f.message


def _rules(outcome: Outcome) -> dict[str, Rule]:
    """The rules that were run, plus any rule a finding names that the run did not list."""
    rules = dict(outcome.rules)
    for f in outcome.findings:
        if f.rule not in rules:
            rules[f.rule] = Rule(f.rule, f.message, f.severity)
    return dict(sorted(rules.items()))


# ----------------------------------------------------------------------------------------------------------------
# GitHub Actions workflow commands


def github_escape_data(text: str) -> str:
    """Escape a workflow command's message as the Actions toolkit does (``%``, CR, LF)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_escape_property(text: str) -> str:
    """Escape a workflow command's property value (``%``, CR, LF, ``:`` and ``,``)."""
    return github_escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(kind: str, message: str, **props: object) -> str:
    shown = ",".join(f"{k}={github_escape_property(str(v))}" for k, v in props.items() if v is not None)
    return f"::{kind}{' ' + shown if shown else ''}::{github_escape_data(message)}"


def to_github(outcome: Outcome, *, root: Path, strict: bool = False) -> str:
    """One annotation per finding (``::error``, ``::warning``, ``::notice``) at the file and line to fix,
    then the verdict as a notice."""
    lines = []
    for f in outcome.sorted():
        file = relative_path(f.location, root)
        part = component_name(f.component)
        title = f.rule + (f" ({part})" if part else "")
        lines.append(_command(_GITHUB.get(f.severity, "error"), _what(f), file=file,
                              line=f.location.line if file and f.location else None, title=title))
    lines.append(_command("notice", summary(outcome, strict=strict), title="smakg validate"))
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------------------------------------------
# JUnit XML


def _xml_text(text: str) -> str:
    return _XML_INVALID.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _fails(f: Finding, strict: bool) -> bool:
    return f.severity == VIOLATION or (strict and f.severity == WARNING)


def to_junit(outcome: Outcome, *, root: Path, strict: bool = False) -> str:
    """JUnit XML: one test suite per rule, one test case per (rule, focus node) with results, failing when its
    results fail the run (violations; warnings too with ``--strict``), and one passing test case for every rule
    that found nothing, so the number of rules run is visible."""
    by_rule: dict[str, list[Finding]] = {name: [] for name in _rules(outcome)}
    for f in outcome.sorted():
        by_rule[f.rule].append(f)
    suites = ET.Element("testsuites", name="smakg validate")
    total = failed = 0
    for name, findings in by_rule.items():
        suite = ET.SubElement(suites, "testsuite", name=_xml_text(name))
        cases = _cases(suite, name, findings, root, strict)
        total += cases[0]
        failed += cases[1]
        suite.set("tests", str(cases[0]))
        suite.set("failures", str(cases[1]))
        suite.set("errors", "0")
        suite.set("skipped", "0")
    suites.set("tests", str(total))
    suites.set("failures", str(failed))
    suites.set("errors", "0")
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def _cases(suite: ET.Element, rule: str, findings: list[Finding], root: Path, strict: bool) -> tuple[int, int]:
    if not findings:
        ET.SubElement(suite, "testcase", classname=_xml_text(rule), name="no results: every focus node conforms")
        return 1, 0
    tests = failures = 0
    ordered = sorted(findings, key=lambda f: (f.focus, f.sort_key()))
    for focus, group in groupby(ordered, key=lambda f: f.focus):
        items = list(group)
        tests += 1
        case = ET.SubElement(suite, "testcase", classname=_xml_text(rule), name=_xml_text(focus))
        located = next((f for f in items if relative_path(f.location, root)), None)
        if located is not None and located.location is not None:
            case.set("file", _xml_text(relative_path(located.location, root) or ""))
            case.set("line", str(located.location.line))
        failing = [f for f in items if _fails(f, strict)]
        details = "\n".join(_detail(f, root) for f in items)
        if failing:
            failures += 1
            worst = min(failing, key=lambda f: SEVERITY_ORDER.get(f.severity, 9))
            failure = ET.SubElement(case, "failure", message=_xml_text(_what(worst)), type=worst.severity)
            failure.text = _xml_text(details)
        else:
            ET.SubElement(case, "system-out").text = _xml_text(details)
    return tests, failures


def _detail(f: Finding, root: Path) -> str:
    where = relative_path(f.location, root) if f.location else None
    at = f"{where}:{f.location.line}: " if where and f.location else ""
    part = component_name(f.component)
    return f"{at}{f.severity}: {_what(f)} [{f.rule}{', ' + part if part else ''}]"


# ----------------------------------------------------------------------------------------------------------------
# SARIF 2.1.0


def _iri(curie: str) -> str | None:
    if curie.startswith("<") and curie.endswith(">"):
        return curie[1:-1]
    prefix, sep, local = curie.partition(":")
    if sep and prefix in PREFIXES and " " not in curie:
        return PREFIXES[prefix] + local
    return None


def _rule_descriptor(rule: Rule, root: Path) -> dict[str, Any]:
    first = re.split(r"(?<=\.)\s", rule.description, maxsplit=1)[0] if rule.description else rule.name
    help_lines = [rule.description] if rule.description else []
    if rule.constraints:
        help_lines += ["", "Constraints:", *(f"- {c}" for c in rule.constraints)]
    where = relative_path(rule.location, root)
    if where and rule.location:
        help_lines += ["", f"Defined in {where}, line {rule.location.line}."]
    return {
        "id": rule.name,
        "shortDescription": {"text": first or rule.name},
        "fullDescription": {"text": rule.description or rule.name},
        "help": {"text": "\n".join(help_lines) or rule.name},
        "defaultConfiguration": {"level": _SARIF_LEVEL.get(rule.severity, "error")},
        "properties": {"tags": ["check" if rule.name.startswith("smakg:check/") else "shacl"]},
    }


def _location(f: Finding, root: Path) -> dict[str, Any]:
    loc: dict[str, Any] = {}
    file = relative_path(f.location, root)
    if f.location is not None:
        if file is not None:
            artifact = {"uri": file, "uriBaseId": "%SRCROOT%"}
        else:
            artifact = {"uri": Path(f.location.file).resolve().as_uri()}
        loc["physicalLocation"] = {"artifactLocation": artifact, "region": {"startLine": max(1, f.location.line)}}
    logical = {"name": f.focus, "kind": "resource"}
    iri = _iri(f.focus)
    if iri:
        logical["fullyQualifiedName"] = iri
    loc["logicalLocations"] = [logical]
    return loc


def to_sarif(outcome: Outcome, *, root: Path, strict: bool = False) -> str:
    """A SARIF 2.1.0 log with one run: every rule run (help text from the shape's sh:message and rdfs:comment)
    and one result per finding, located at the repository-relative file and line of the focus node."""
    rules = _rules(outcome)
    index = {name: i for i, name in enumerate(rules)}
    results = []
    for f in outcome.sorted():
        result: dict[str, Any] = {
            "ruleId": f.rule,
            "ruleIndex": index[f.rule],
            "level": _SARIF_LEVEL.get(f.severity, "error"),
            "message": {"text": _what(f)},
            "locations": [_location(f, root)],
        }
        props = {k: v for k, v in (("focusNode", f.focus), ("resultPath", f.path), ("value", f.value),
                                   ("sourceConstraintComponent", f.component)) if v}
        result["properties"] = props
        results.append(result)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "smakg", "version": __version__, "semanticVersion": __version__,
                                "rules": [_rule_descriptor(r, root) for r in rules.values()]}},
            "invocations": [{"executionSuccessful": True}],
            "results": results,
            "properties": {"conforms": outcome.conforms(strict=strict), "strict": strict,
                           "violations": outcome.violations, "warnings": outcome.warnings,
                           "checked": dict(sorted(outcome.checked.items()))},
        }],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def render(kind: str, outcome: Outcome, *, root: Path, strict: bool = False) -> str:
    return {"github": to_github, "junit": to_junit, "sarif": to_sarif}[kind](outcome, root=root, strict=strict)

