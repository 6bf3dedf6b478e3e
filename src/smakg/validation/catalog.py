"""Describe the SHACL shapes from ``shapes/`` itself: every node and property shape, its target, its constraints
(path, constraint components with their values, SPARQL constraints by their message) and its severity.

``smakg shapes`` prints the catalog as a table, Markdown or JSON; the CI reports (SARIF rules, JUnit test cases)
name the same shapes, so what CI checks is documented by the shapes and nothing else.
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from smakg.findings import INFO, VIOLATION, WARNING, Location, Rule
from smakg.kb.vocab import show
from smakg.validation.shacl import Shapes, load_shapes, path_text, rule_name

_SEVERITY: dict[Node | None, str] = {SH.Violation: VIOLATION, SH.Warning: WARNING, SH.Info: INFO}
_TARGETS = ((SH.targetClass, "class"), (SH.targetNode, "node"), (SH.targetSubjectsOf, "subjects of"),
            (SH.targetObjectsOf, "objects of"))
# Parameters that are part of another constraint, or say how a shape reports, not what it demands.
_NOT_CONSTRAINTS = {RDF.type, SH.path, SH.property, SH.severity, SH.message, SH.deactivated, SH.name,
                    SH.description, SH.order, SH.group, SH.targetClass, SH.targetNode, SH.targetSubjectsOf,
                    SH.targetObjectsOf, SH.sparql, SH.flags, SH.qualifiedMinCount, SH.qualifiedMaxCount,
                    SH.qualifiedValueShapesDisjoint, SH.ignoredProperties, SH.declare, SH.prefixes}
_LISTS = {SH["in"], SH["and"], SH["or"], SH.xone, SH.languageIn, SH.ignoredProperties}


@dataclass(frozen=True)
class ShapeInfo:
    """One shape as a curator reads it."""

    name: str
    kind: str  # "node" or "property"
    targets: tuple[str, ...]
    path: str | None
    constraints: tuple[str, ...]
    severity: str
    message: str | None
    comment: str | None
    reports: bool  # has a target, or is a property of a shape that has one: its results carry its name
    location: Location | None

    def rule(self) -> Rule:
        description = " ".join(x for x in (self.message, self.comment) if x) or "; ".join(self.constraints)
        return Rule(self.name, description, self.severity, self.location, self.constraints)


def _text(g: Graph, node: Node, prop: URIRef) -> str | None:
    values = sorted(str(v) for v in g.objects(node, prop) if isinstance(v, Literal))
    return " / ".join(values) or None


def _value(g: Graph, node: Node) -> str:
    """A parameter value: a CURIE, a literal's text, a list, or a nested shape written inline."""
    if isinstance(node, Literal):
        return str(node)
    if isinstance(node, URIRef):
        return show(node) or str(node)
    if node == RDF.nil or (node, RDF.first, None) in g:
        return "(" + " ".join(_value(g, m) for m in Collection(g, node)) + ")"
    inner = "; ".join(_constraints(g, node, nested=True))
    return f"[{inner}]"


def _constraints(g: Graph, shape: Node, *, nested: bool = False) -> list[str]:
    """Every constraint of a shape in words: ``minCount 1``, ``pattern ^...$``, ``SPARQL: <message>``."""
    out: list[str] = []
    path = g.value(shape, SH.path)
    if nested and path is not None:
        out.append(f"path {path_text(g, path)}")
    for p, o in sorted(g.predicate_objects(shape), key=lambda po: (str(po[0]), str(po[1]))):
        if not str(p).startswith(str(SH)) or p in _NOT_CONSTRAINTS:
            continue
        name = str(p)[len(str(SH)):]
        text = f"{name} {_value(g, o)}"
        if p == SH.pattern and g.value(shape, SH.flags) is not None:
            text += f" (flags {g.value(shape, SH.flags)})"
        if p == SH.qualifiedValueShape:
            for q in (SH.qualifiedMinCount, SH.qualifiedMaxCount):
                if g.value(shape, q) is not None:
                    text += f", {str(q)[len(str(SH)):]} {g.value(shape, q)}"
        if p == SH.closed and (ignored := g.value(shape, SH.ignoredProperties)) is not None:
            text += f", ignoring {_value(g, ignored)}"
        out.append(text)
    for ps in sorted(g.objects(shape, SH.property), key=str):
        if isinstance(ps, URIRef):
            out.append(f"property {show(ps)}")
        elif nested:
            out.append(f"property [{'; '.join(_constraints(g, ps, nested=True))}]")
    for sparql in sorted(g.objects(shape, SH.sparql), key=lambda s: _text(g, s, SH.message) or ""):
        said = _text(g, sparql, SH.message) or _text(g, sparql, RDFS.comment) or "(a SPARQL constraint)"
        out.append(f"SPARQL: {said}")
    return out


def _targets(g: Graph, shape: Node) -> list[str]:
    out = []
    for prop, word in _TARGETS:
        values = sorted(show(v) or str(v) for v in g.objects(shape, prop))
        if values:
            out.append(f"{word} {', '.join(values)}")
    return out


def _list_owner(g: Graph, node: Node) -> Node | None:
    """The node whose sh:and/sh:or/sh:xone list holds ``node``, if any."""
    for cell in g.subjects(RDF.first, node):
        head = cell
        while True:
            previous = next(g.subjects(RDF.rest, head), None)
            if previous is None:
                break
            head = previous
        owner = next((s for p in (SH["and"], SH["or"], SH.xone) for s in g.subjects(p, head)), None)
        if owner is not None:
            return owner
    return None


def _is_shape(g: Graph, node: Node) -> bool:
    return isinstance(node, URIRef) or (None, SH.property, node) in g


def _users(g: Graph, shape: Node, seen: frozenset[Node] = frozenset()) -> set[str]:
    """The named or property shapes that use ``shape`` (through sh:node, sh:not, a logical list ...)."""
    users: set[str] = set()
    referrers = [s for p in (SH.node, SH["not"], SH.qualifiedValueShape) for s in g.subjects(p, shape)]
    owner = _list_owner(g, shape)
    if owner is not None:
        referrers.append(owner)
    for ref in referrers:
        if ref in seen:
            continue
        if _is_shape(g, ref):
            users.add(rule_name(g, ref))
        else:
            users |= _users(g, ref, seen | {shape})
    return users


def _all_shapes(g: Graph) -> list[Node]:
    shapes: set[Node] = set(g.subjects(RDF.type, SH.NodeShape)) | set(g.subjects(RDF.type, SH.PropertyShape))
    shapes = {s for s in shapes if isinstance(s, URIRef)}
    for prop, _ in _TARGETS:
        shapes |= {s for s in g.subjects(prop, None) if isinstance(s, URIRef)}
    shapes |= set(g.objects(None, SH.property))
    return sorted(shapes, key=str)


def catalog(shapes: Shapes) -> list[ShapeInfo]:
    """Every shape of the shapes graph, sorted by name (a node shape is followed by its property shapes)."""
    g = shapes.graph
    infos = []
    for shape in _all_shapes(g):
        is_property = (shape, SH.path, None) in g
        targets = _targets(g, shape)
        owners = sorted(rule_name(g, o) for o in g.subjects(SH.property, shape))
        used_by = sorted(_users(g, shape))
        reports = bool(targets) or any(_targets(g, o) for o in g.subjects(SH.property, shape))
        if owners:
            targets.append(f"property of {', '.join(owners)}")
        if used_by:
            targets.append(f"used by {', '.join(used_by)}")
        severity = _SEVERITY.get(g.value(shape, SH.severity), VIOLATION)
        path = g.value(shape, SH.path)
        constraints = _constraints(g, shape)
        infos.append(ShapeInfo(
            name=rule_name(g, shape), kind="property" if is_property else "node", targets=tuple(targets),
            path=path_text(g, path), constraints=tuple(constraints), severity=severity,
            message=_text(g, shape, SH.message), comment=_text(g, shape, RDFS.comment), reports=reports,
            location=shapes.locations.get(shape)))
    return sorted(infos, key=lambda i: (i.name, i.severity, i.constraints))


def shape_rules(shapes: Shapes) -> list[Rule]:
    """The rules the shapes run: every shape whose results carry its name."""
    return [info.rule() for info in catalog(shapes) if info.reports]


# ----------------------------------------------------------------------------------------------------------------
# Rendering


def _constraint_lines(info: ShapeInfo) -> list[str]:
    return ([f"path {info.path}"] if info.path else []) + list(info.constraints)


def to_table(infos: list[ShapeInfo], *, shape_width: int = 44, target_width: int = 36) -> str:
    """Aligned columns for a terminal: long names and targets wrap, one line per constraint."""
    head = ("SHAPE", "SEVERITY", "TARGET", "CONSTRAINTS")
    rows = []
    for info in infos:
        cells = [textwrap.wrap(info.name, shape_width, break_on_hyphens=False) or ["-"], [info.severity],
                 [line for t in info.targets for line in textwrap.wrap(t, target_width, break_on_hyphens=False)]
                 or ["-"], _constraint_lines(info) or ["-"]]
        rows.append(cells)
    widths = [max(len(head[i]), *(len(line) for r in rows for line in r[i])) for i in range(3)]

    def fmt(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, [*widths, 0], strict=True)).rstrip()

    out = [fmt(list(head))]
    for cells in rows:
        height = max(len(c) for c in cells)
        out.extend(fmt([c[i] if i < len(c) else "" for c in cells]) for i in range(height))
    return "\n".join(out) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def _code(text: str) -> str:
    return f"`{_md(text)}`"


def to_markdown(infos: list[ShapeInfo]) -> str:
    """A GitHub-flavoured Markdown table (pipes escaped, constraints as code, one per line)."""
    lines = ["| shape | target | constraints | severity |", "|---|---|---|---|"]
    for info in infos:
        constraints = "<br>".join(_code(c) for c in _constraint_lines(info)) or "-"
        target = "<br>".join(_md(t) for t in info.targets) or "-"
        lines.append(f"| {_code(info.name)} | {target} | {constraints} | {info.severity} |")
    return "\n".join(lines) + "\n"


def to_json(infos: list[ShapeInfo]) -> str:
    def row(info: ShapeInfo) -> dict[str, Any]:
        doc = asdict(info)
        loc = doc.pop("location")
        doc["targets"], doc["constraints"] = list(info.targets), list(info.constraints)
        doc["file"], doc["line"] = (loc["file"], loc["line"]) if loc else (None, None)
        return doc

    return json.dumps([row(i) for i in infos], indent=2, ensure_ascii=False) + "\n"


def render(shapes_dir: Path, fmt: str) -> str:
    infos = catalog(load_shapes(shapes_dir))
    return {"table": to_table, "markdown": to_markdown, "json": to_json}[fmt](infos)

