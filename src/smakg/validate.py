"""Run the SHACL shapes (pyshacl) and the checks SHACL cannot express, into one list of findings."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyshacl
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from . import sparqlcache
from .errors import BadInputError
from .findings import INFO, VIOLATION, WARNING, Finding
from .load import Location, discover, load_files
from .vocab import compress_iri

# Validation settings, decided once and used by the CLI and the tests alike.
SHACL_SETTINGS: Mapping[str, object] = {
    "inference": "none",  # shapes check explicit types; the built graph states every type it needs
    "abort_on_first": False,
    "allow_infos": True,
    "allow_warnings": True,  # warnings are counted by smakg, and fail only with --strict
    "meta_shacl": False,  # the shapes are checked against SHACL-SHACL by the test suite, once
    "advanced": False,
    "js": False,
    "do_owl_imports": False,  # never fetch anything
}
_SEVERITY = {SH.Violation: VIOLATION, SH.Warning: WARNING, SH.Info: INFO}


@dataclass
class Shapes:
    graph: Graph
    files: list[str]
    locations: dict[Node, Location] = field(default_factory=dict)


def load_shapes(shapes_dir: Path) -> Shapes:
    """Load every ``*.ttl`` below ``shapes_dir`` into one shapes graph."""
    if not shapes_dir.is_dir():
        raise BadInputError(f"{shapes_dir}: shapes directory not found",
                            hint="run from the project root or pass --project DIR")
    files = discover([shapes_dir])
    if not files:
        raise BadInputError(f"{shapes_dir}: no *.ttl shape files")
    loaded = load_files(files)
    return Shapes(loaded.graph, loaded.files, loaded.locations)


def show(node: Node | None) -> str | None:
    """A short readable form of a term: a CURIE where the prefix map knows one."""
    if node is None:
        return None
    if isinstance(node, URIRef):
        return compress_iri(str(node)) or f"<{node}>"
    if isinstance(node, Literal):
        text = str(node)
        text = text if len(text) <= 80 else text[:77] + "..."
        suffix = f"@{node.language}" if node.language else (
            f"^^{compress_iri(str(node.datatype))}" if node.datatype else "")
        return f'"{text}"{suffix}'
    return "[]"


def path_text(shapes: Graph, path: Node | None) -> str | None:
    """A SHACL property path written the SPARQL way."""
    if path is None:
        return None
    if isinstance(path, URIRef):
        return show(path)
    if (path, RDF.first, None) in shapes:
        return "/".join(path_text(shapes, p) or "?" for p in Collection(shapes, path))
    for prop, fmt in ((SH.inversePath, "^{}"), (SH.zeroOrMorePath, "{}*"), (SH.oneOrMorePath, "{}+"),
                      (SH.zeroOrOnePath, "{}?")):
        inner = shapes.value(path, prop)
        if inner is not None:
            return fmt.format(path_text(shapes, inner))
    alt = shapes.value(path, SH.alternativePath)
    if alt is not None:
        return "(" + "|".join(path_text(shapes, p) or "?" for p in Collection(shapes, alt)) + ")"
    return "?"


def rule_name(shapes: Graph, shape: Node) -> str:
    """Name a shape for people: its IRI, or for an anonymous property shape, its node shape and path."""
    if isinstance(shape, URIRef):
        return show(shape) or str(shape)
    parent = shapes.value(None, SH.property, shape)
    path = path_text(shapes, shapes.value(shape, SH.path))
    owner = rule_name(shapes, parent) if parent is not None else "[]"
    return f"{owner} › {path}" if path else owner


def run_shacl(data: Graph, shapes: Shapes, locations: Mapping[Node, Location]) -> list[Finding]:
    """Validate ``data`` with pyshacl; one Finding per validation result."""
    sparqlcache.install()
    _conforms, report, _text = pyshacl.validate(data, shacl_graph=shapes.graph, **SHACL_SETTINGS)
    return findings_from_report(report, shapes.graph, locations)


def findings_from_report(report: Graph, shapes: Graph, locations: Mapping[Node, Location]) -> list[Finding]:
    out = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        message = report.value(result, SH.resultMessage)
        shape = report.value(result, SH.sourceShape)
        component = report.value(result, SH.sourceConstraintComponent)
        severity = _SEVERITY.get(report.value(result, SH.resultSeverity), VIOLATION)
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        out.append(Finding(
            severity=severity,
            focus=show(focus) or "?",
            message=_clean(str(message) if message is not None else "constraint not met"),
            rule=rule_name(shapes, shape) if shape is not None else "?",
            path=path_text(report, path) if isinstance(path, BNode) else show(path),
            value=show(value),
            component=show(component),
            location=locations.get(focus) if focus is not None else None,
        ))
    return out


def _clean(message: str) -> str:
    """One line, with full IRIs (as pyshacl substitutes them into messages) shortened to CURIEs."""
    message = re.sub(r"\s+", " ", message).strip()
    return re.sub(r"https?://[^\s'\"<>(){},]+", lambda m: compress_iri(m.group()) or m.group(), message)
