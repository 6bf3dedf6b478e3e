"""Render findings for people (text grouped by node) and machines (JSON, SHACL report as Turtle)."""

from __future__ import annotations

import json
from collections.abc import Callable
from itertools import groupby

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD

from smakg.findings import INFO, VIOLATION, WARNING, Finding, Outcome
from smakg.kb.load import new_graph
from smakg.kb.turtle import serialize
from smakg.kb.vocab import CHECKS, PREFIXES, expand_curie

_STYLE = {VIOLATION: ("red", True), WARNING: ("yellow", True), INFO: ("blue", False)}


def summary(outcome: Outcome, *, strict: bool = False) -> str:
    v, w = outcome.violations, outcome.warnings
    verdict = "conforms" if outcome.conforms(strict=strict) else "does not conform"
    extra = " (--strict: warnings fail)" if strict and w and not v else ""
    nodes = len({f.focus for f in outcome.sorted() if f.severity in (VIOLATION, WARNING)})
    counts = f"{v} violation{'s' * (v != 1)}, {w} warning{'s' * (w != 1)}"
    return f"{verdict}: {counts} on {nodes} node{'s' * (nodes != 1)}{extra}"


def to_text(outcome: Outcome, *, style: Callable[..., str] | None = None, show_info: bool = False) -> str:
    """Findings grouped by focus node, each group headed by the file and line where the node is written."""
    style = style or (lambda text, **_: text)
    lines: list[str] = []
    shown = [f for f in outcome.sorted() if show_info or f.severity != INFO]
    for (_loc, focus), group in groupby(shown, key=lambda f: (f.location, f.focus)):
        items = list(group)
        where = f"{items[0].location}: " if items[0].location else ""
        lines.append(style(f"{where}{focus}", bold=True))
        for f in items:
            fg, bold = _STYLE.get(f.severity, (None, False))
            what = " ".join(x for x in (f.path, f"= {f.value}" if f.value else None) if x)
            rule = f.rule + (f", {f.component}" if f.component else "")
            lines.append("  " + style(f"{f.severity:<9}", fg=fg, bold=bold) + f" {what + ': ' if what else ''}"
                         f"{f.message}  [{rule}]")
    return "\n".join(lines)


def to_json(outcome: Outcome, *, strict: bool = False) -> str:
    def row(f: Finding) -> dict[str, str | int | None]:
        return {"severity": f.severity, "focus": f.focus, "path": f.path, "value": f.value, "message": f.message,
                "rule": f.rule, "component": f.component,
                "file": f.location.file if f.location else None, "line": f.location.line if f.location else None}
    doc = {"conforms": outcome.conforms(strict=strict), "violations": outcome.violations,
           "warnings": outcome.warnings, "checked": outcome.checked, "results": [row(f) for f in outcome.sorted()]}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _term(text: str) -> URIRef | Literal:
    if text.startswith('"'):
        return Literal(text.strip('"'))
    if text.startswith("<") and text.endswith(">"):
        return URIRef(text[1:-1])
    try:
        return URIRef(expand_curie(text))
    except KeyError:
        return Literal(text)


def to_turtle(outcome: Outcome, *, strict: bool = False) -> str:
    """The results as a SHACL validation report graph (sh:ValidationReport), in canonical Turtle."""
    g = new_graph()
    report = BNode()
    g.add((report, RDF.type, SH.ValidationReport))
    g.add((report, SH.conforms, Literal(outcome.conforms(strict=strict), datatype=XSD.boolean)))
    severity = {VIOLATION: SH.Violation, WARNING: SH.Warning, INFO: SH.Info}
    for f in outcome.sorted():
        r = BNode()
        g.add((report, SH.result, r))
        g.add((r, RDF.type, SH.ValidationResult))
        g.add((r, SH.resultSeverity, severity[f.severity]))
        g.add((r, SH.focusNode, _term(f.focus)))
        g.add((r, SH.resultMessage, Literal(f.message)))
        g.add((r, SH.sourceShape, _term(f.rule.split(" › ")[0]) if not f.rule.startswith("smakg:check/")
               else CHECKS[f.rule.split("/", 1)[1]]))
        if f.component:
            g.add((r, SH.sourceConstraintComponent, _term(f.component)))
        if f.path and f.path.count(":") == 1 and " " not in f.path and "/" not in f.path:
            g.add((r, SH.resultPath, _term(f.path)))
        if f.value:
            g.add((r, SH.value, _term(f.value)))
    return serialize(g, PREFIXES)
