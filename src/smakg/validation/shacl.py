"""Run the SHACL shapes (no inference, no imports, nothing fetched) into findings; the other checks are in the modules
beside this one, and ``validation.run`` runs them all.

Two engines give the same findings: ``set`` (the default, ``validation.setbased``: pyshacl's reading of the shapes
evaluated for all focus nodes at once) and ``pyshacl`` itself, smakg's reference, which CI runs on the real
knowledge base and the tests compare with ``set`` on every shape fixture and mutation kind. Shapes that use what
the set-based engine does not evaluate itself are validated by pyshacl whichever engine is asked for."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyshacl
from pyparsing import ParseBaseException
from pyshacl.errors import ReportableRuntimeError, ValidationFailure
from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.term import Node

from smakg.errors import BadInputError
from smakg.findings import INFO, VIOLATION, WARNING, Finding, Location
from smakg.kb.load import discover, load_files
from smakg.kb.vocab import compress_iri, show
from smakg.validation import sparqlcache
from smakg.validation.setbased import Result, SetEngine, Unsupported

# Validation settings, decided once and used by the CLI and the tests alike.
SHACL_SETTINGS: Mapping[str, Any] = {  # keyword arguments of pyshacl.validate
    "inference": "none",  # shapes check explicit types; the built graph states every type it needs
    "abort_on_first": False,
    "allow_infos": True,
    "allow_warnings": True,  # warnings are counted by smakg, and fail only with --strict
    "meta_shacl": False,  # the shapes are checked against SHACL-SHACL by the test suite, once
    "advanced": False,
    "js": False,
    "do_owl_imports": False,  # never fetch anything
}
_SEVERITY: dict[Node | None, str] = {SH.Violation: VIOLATION, SH.Warning: WARNING, SH.Info: INFO}
# pyshacl logs its own errors to stderr; smakg reports them once, as one paragraph naming the shape (below).
logging.getLogger("pyshacl-validate").disabled = True


SHACL_ENGINES = ("set", "pyshacl")


@dataclass
class Shapes:
    graph: Graph
    files: list[str]
    locations: dict[Node, Location] = field(default_factory=dict)
    _set_engine: SetEngine | str | None = None  # made on first use; the reason when the shapes need pyshacl

    def set_engine(self) -> SetEngine | str:
        """The set-based engine for these shapes, or why it cannot validate them (then pyshacl does)."""
        if self._set_engine is None:
            settings = SHACL_SETTINGS
            try:
                self._set_engine = SetEngine(self.graph, allow_warnings=settings["allow_warnings"],
                                             allow_infos=settings["allow_infos"])
            except Unsupported as why:
                self._set_engine = str(why)
        return self._set_engine


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


def run_shacl(data: Graph, shapes: Shapes, locations: Mapping[Node, Location], *,
              engine: str = "set") -> list[Finding]:
    """Validate ``data``; one Finding per validation result (nested ``sh:detail`` results included), the same
    with either engine (``SHACL_ENGINES``)."""
    if engine not in SHACL_ENGINES:
        raise BadInputError(f"unknown SHACL engine {engine!r}: choose one of {', '.join(SHACL_ENGINES)}")
    sparqlcache.install()
    try:
        chosen = shapes.set_engine() if engine == "set" else None
        if isinstance(chosen, SetEngine):
            _conforms, results = chosen.validate(data)
            return [finding_of(r, shapes.graph, locations) for r in results]
        _conforms, report, _text = pyshacl.validate(data, shacl_graph=shapes.graph, **SHACL_SETTINGS)
        if isinstance(report, ValidationFailure):  # pyshacl returns this one instead of raising it
            raise report
    except ValidationFailure as exc:  # a SPARQL constraint SHACL does not allow (MINUS, VALUES, SERVICE, ...)
        raise BadInputError(f"{', '.join(shapes.files)}: a SPARQL constraint breaks SHACL's rules for them: "
                            f"{_clean(str(exc.message))}", hint="rewrite that query (SHACL 5.3.1: no MINUS, VALUES, "
                            "SERVICE, no nested SELECT without $this, no AS $this)") from None
    except (ReportableRuntimeError, re.error, ParseBaseException) as exc:  # a broken shape, not broken data
        raise BadInputError(shape_problem(shapes, exc), hint="fix that shape; `smakg shapes` lists every shape "
                            "with its constraints") from None
    return findings_from_report(report, shapes.graph, locations)


def finding_of(result: Result, shapes: Graph, locations: Mapping[Node, Location]) -> Finding:
    """The Finding ``findings_from_report`` makes of the same result in pyshacl's report."""
    message = result.messages[0] if result.messages else None
    return Finding(
        severity=_SEVERITY.get(result.severity, VIOLATION),
        focus=show(result.focus) or "?",
        message=_clean(str(message) if message is not None else "constraint not met"),
        rule=rule_name(shapes, result.shape),
        path=path_text(shapes, result.path) if isinstance(result.path, BNode) else show(result.path),
        value=show(result.value),
        component=show(result.component),
        location=locations.get(result.focus),
    )


def shape_problem(shapes: Shapes, exc: Exception) -> str:
    """Say which shape pyshacl could not load, and where it is written: a regular expression that does not
    compile, a SPARQL query that does not parse, or else the first result of SHACL's own shapes (SHACL-SHACL)."""
    from pyshacl.entrypoints import meta_validate

    g = shapes.graph

    def where(node: Node) -> str:
        loc = shapes.locations.get(node)
        return str(loc) if loc else ", ".join(shapes.files)

    for shape, pattern in sorted(g.subject_objects(SH.pattern), key=str):
        try:
            re.compile(str(pattern))
        except re.error as error:
            return (f"{where(shape)}: {rule_name(g, shape)}: sh:pattern {str(pattern)!r} is not a regular "
                    f"expression ({error})")
    for constraint, query in sorted((*g.subject_objects(SH.select), *g.subject_objects(SH.ask)), key=str):
        try:
            parseQuery(str(query))
        except ParseBaseException as error:
            owner = g.value(None, SH.sparql, constraint)
            name = rule_name(g, owner) if owner is not None else "a SPARQL constraint"
            return f"{where(constraint)}: {name}: the SPARQL query does not parse ({_clean(str(error))})"
    conforms, report, _text = meta_validate(g, inference="none", max_validation_depth=40)
    if not conforms:
        located = [(shapes.locations.get(report.value(r, SH.focusNode)) or Location("~", 0), str(
            report.value(r, SH.resultMessage)), r) for r in report.subjects(RDF.type, SH.ValidationResult)]
        for _loc, _message, result in sorted(located, key=lambda x: (x[0], x[1])):
            focus = report.value(result, SH.focusNode)
            message = report.value(result, SH.resultMessage)
            path = report.value(result, SH.resultPath)
            shown = rule_name(g, focus) if focus is not None and (focus, None, None) in g else show(focus)
            return (f"{where(focus) if focus is not None else ', '.join(shapes.files)}: {shown}: not valid SHACL"
                    + (f" ({show(path)}: {_clean(str(message))})" if message is not None else ""))
    return f"{', '.join(shapes.files)}: the shapes could not be loaded: {_clean(str(exc))}"


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
