"""Run the shapes with independent SHACL engines and compare what they report.

pyshacl (Python, on rdflib) is the engine of record (``validation.shacl``); rudof (Rust, through ``pyrudof``) is a
second implementation of the same W3C recommendation, SHACL-SPARQL included. Both produce a SHACL validation
report graph; the comparison reads each report the same way: conformance, and for each top-level result its
focus node, result path, constraint component, severity, value and (for a named shape) source shape. Identical
results on the same data and shapes show that the shapes mean what the standard says, not what one engine does.
smakg's own set-based engine (``SetBased``, ``validation.setbased``), the default of ``smakg build``, must give
pyshacl's results exactly, and the same findings, messages included (``findings_differ``).

pyrudof is a test dependency (``pip install '.[test]'``); nothing here runs at build time.
"""

from __future__ import annotations

import tempfile
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyshacl
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD
from rdflib.term import Node

from smakg.errors import BadInputError
from smakg.kb.vocab import show
from smakg.validation import sparqlcache
from smakg.validation.setbased import SetEngine
from smakg.validation.shacl import SHACL_SETTINGS, finding_of, findings_from_report, path_text


@dataclass(frozen=True, order=True)
class Result:
    """One validation result, engine-neutral: terms in N-Triples form (blank nodes as ``[]``), the path the
    SPARQL way, the component and severity as CURIEs, the source shape only when it has an IRI (blank node
    labels differ between engines)."""

    focus: str
    path: str
    component: str
    severity: str
    value: str
    shape: str

    def key(self) -> tuple[str, str, str]:
        """(focus node, result path, constraint component): the triple the comparison is about."""
        return self.focus, self.path, self.component

    def __str__(self) -> str:
        path = f" {self.path}" if self.path else ""
        shape = f" ({self.shape})" if self.shape else ""
        return f"{self.severity} {self.focus}{path} [{self.component}]{shape} value {self.value or '-'}"


@dataclass(frozen=True)
class Run:
    """What one engine reported for one data graph, and how long it took; ``findings``, for smakg's two engines,
    every result as smakg reports it (nested ones included, each field, messages too), sorted."""

    engine: str
    conforms: bool
    results: frozenset[Result]
    seconds: float
    findings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Difference:
    """Where two runs disagree; empty when they agree."""

    conforms: tuple[bool, bool] | None
    only_first: tuple[Result, ...]
    only_second: tuple[Result, ...]

    def __bool__(self) -> bool:
        return self.conforms is not None or bool(self.only_first) or bool(self.only_second)

    def describe(self, first: str, second: str) -> str:
        lines = []
        if self.conforms is not None:
            lines.append(f"conforms: {first} {self.conforms[0]}, {second} {self.conforms[1]}")
        lines += [f"only {first}: {r}" for r in self.only_first]
        lines += [f"only {second}: {r}" for r in self.only_second]
        return "\n".join(lines)


def findings_differ(first: Run, second: Run) -> str:
    """The findings (as smakg reports them, counted) one run has more of than the other; empty when equal."""
    a, b = Counter(first.findings), Counter(second.findings)
    return "\n".join([f"only {first.engine} ({n}x): {f}" for f, n in (a - b).items()]
                     + [f"only {second.engine} ({n}x): {f}" for f, n in (b - a).items()])


def _term(node: Node | None) -> str:
    """N-Triples form; a blank node as ``[]``; ``"x"^^xsd:string`` as ``"x"`` (one term in RDF 1.1, which rdflib
    keeps apart and rudof writes plain)."""
    if node is None:
        return ""
    if isinstance(node, BNode):
        return "[]"
    if isinstance(node, Literal) and node.datatype == XSD.string:
        return Literal(str(node)).n3()
    return node.n3()


def results_of(report: Graph) -> tuple[bool, frozenset[Result]]:
    """Conformance and the top-level results (``sh:result`` of the report, not nested ``sh:detail``)."""
    node = report.value(None, RDF.type, SH.ValidationReport)
    if node is None:
        raise ValueError("not a SHACL validation report: no sh:ValidationReport node")
    conforms = report.value(node, SH.conforms)
    results = set()
    for result in report.objects(node, SH.result):
        shape = report.value(result, SH.sourceShape)
        path = report.value(result, SH.resultPath)
        results.add(Result(
            focus=_term(report.value(result, SH.focusNode)),
            path=(path_text(report, path) or "") if path is not None else "",
            component=show(report.value(result, SH.sourceConstraintComponent)) or "",
            severity=show(report.value(result, SH.resultSeverity)) or "",
            value=_term(report.value(result, SH.value)),
            shape=(show(shape) or "") if isinstance(shape, URIRef) else "",
        ))
    return bool(isinstance(conforms, Literal) and conforms.toPython() is True), frozenset(results)


def compare(first: Run, second: Run) -> Difference:
    """The results one run has and the other has not, and whether conformance differs."""
    return Difference(
        conforms=None if first.conforms == second.conforms else (first.conforms, second.conforms),
        only_first=tuple(sorted(first.results - second.results)),
        only_second=tuple(sorted(second.results - first.results)),
    )


# The standard's conformance: sh:conforms is true only when there is no result at all, whatever its severity.
# smakg's settings let warnings conform (``allow_warnings``), a pyshacl option the standard does not have, so
# engines are compared with it off; the results are the same either way.
STANDARD_SETTINGS: Mapping[str, Any] = {**SHACL_SETTINGS, "allow_warnings": False, "allow_infos": False}


class Pyshacl:
    """pyshacl with the project's settings (``SHACL_SETTINGS``, or ``settings``), the shapes graph shared by
    every run."""

    name = "pyshacl"

    def __init__(self, shapes: Graph, settings: Mapping[str, Any] = SHACL_SETTINGS) -> None:
        self.shapes = shapes
        self.settings = dict(settings)
        sparqlcache.install()

    def validate(self, data: Graph) -> Run:
        start = time.perf_counter()
        _conforms, report, _text = pyshacl.validate(data, shacl_graph=self.shapes, **self.settings)
        seconds = time.perf_counter() - start
        conforms, results = results_of(report)
        findings = tuple(sorted(repr(f) for f in findings_from_report(report, self.shapes, {})))
        return Run(self.name, conforms, results, seconds, findings)


class SetBased:
    """smakg's set-based engine (``validation.setbased``) with the same settings as ``Pyshacl``; its results read
    the way ``results_of`` reads a report (top-level results only) and its findings as smakg makes them."""

    name = "set"

    def __init__(self, shapes: Graph, settings: Mapping[str, Any] = SHACL_SETTINGS) -> None:
        self.shapes = shapes
        self.engine = SetEngine(shapes, allow_warnings=settings["allow_warnings"],
                                allow_infos=settings["allow_infos"])
        sparqlcache.install()

    def validate(self, data: Graph) -> Run:
        start = time.perf_counter()
        conforms, raw = self.engine.validate(data)
        seconds = time.perf_counter() - start
        results = frozenset(Result(
            focus=_term(r.focus),
            path=(path_text(self.shapes, r.path) or "") if r.path is not None else "",
            component=show(r.component) or "",
            severity=show(r.severity) or "",
            value=_term(r.value),
            shape=(show(r.shape) or "") if isinstance(r.shape, URIRef) else "",
        ) for r in raw if not r.detail)
        findings = tuple(sorted(repr(finding_of(r, self.shapes, {})) for r in raw))
        return Run(self.name, conforms, results, seconds, findings)


class Rudof:
    """rudof's native SHACL engine through pyrudof: the shapes read once, each data graph handed over as
    N-Triples in a temporary file (pyrudof reads files, so no inline text is ever taken for an address), the
    report read back as Turtle. Data is read strictly: an engine that silently dropped a triple would agree
    for the wrong reason."""

    name = "rudof"

    def __init__(self, shapes: Graph) -> None:
        try:
            import pyrudof
        except ImportError:
            raise BadInputError("the second SHACL engine is not installed (pyrudof)",
                                hint="pip install '.[test]' installs it") from None
        self._pyrudof = pyrudof
        self._dir = tempfile.TemporaryDirectory(prefix="smakg-rudof-")
        self._rudof = pyrudof.Rudof(pyrudof.RudofConfig())
        shapes_file = Path(self._dir.name) / "shapes.nt"
        shapes.serialize(shapes_file, format="nt", encoding="utf-8")
        self._rudof.read_shacl(shapes_file, format=pyrudof.ShaclFormat.NTriples, reader_mode=pyrudof.ReaderMode.Strict)

    def validate(self, data: Graph) -> Run:
        pyrudof = self._pyrudof
        start = time.perf_counter()
        data_file = Path(self._dir.name) / "data.nt"
        data.serialize(data_file, format="nt", encoding="utf-8")
        self._rudof.reset_data()
        self._rudof.read_data(data_file, format=pyrudof.RDFFormat.NTriples, reader_mode=pyrudof.ReaderMode.Strict)
        self._rudof.validate_shacl(mode=pyrudof.ShaclValidationMode.Native)
        text = self._rudof.serialize_shacl_validation_results(format=pyrudof.ResultShaclValidationFormat.NTriples)
        seconds = time.perf_counter() - start
        report = Graph(bind_namespaces="none")
        report.parse(data=text, format="nt")
        conforms, results = results_of(report)
        return Run(self.name, conforms, results, seconds)

    def close(self) -> None:
        self._dir.cleanup()
