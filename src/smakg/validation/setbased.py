"""SHACL validation for all focus nodes at once: pyshacl's meaning, without its per-node cost.

pyshacl validates one focus node at a time: every ``sh:node``, ``sh:or`` or ``sh:not`` value re-reads its shape's
constraints from the shapes graph, and every SHACL-SPARQL constraint is a separate rdflib query per focus node.
At 100,000 triples that is 25 s, most of a build. This engine keeps pyshacl's reading of the shapes (its
``ShapesGraph``, targets, paths, messages, severities) and its constraint components for every constraint that
looks at one node's values (sh:class, sh:datatype, sh:pattern, sh:minCount, ...: their ``evaluate`` is handed
every focus node at once, so their results are pyshacl's own); it evaluates itself only what pyshacl does per
node:

- the value nodes of a property path, from rdflib's in-memory indexes (pyshacl's own path code for anything but a
  predicate path);
- shape-based constraints (sh:property, sh:node, sh:not, sh:and, sh:or, sh:xone, sh:qualifiedValueShape): each
  shape is validated once on every distinct value node that needs it;
- SHACL-SPARQL constraints: a constraint whose ``$this`` is bound by every solution of its query (checked on the
  parsed query, ``this_is_bound``) runs once, with ``$this`` free, in pyoxigraph, and its solutions are handed to
  the focus nodes they bind, which is what binding ``$this`` beforehand gives (SHACL's pre-binding); any other
  constraint, and every constraint when the graph holds a term pyoxigraph would store in another form (a number
  written ``01``, ``"x"^^xsd:string``, a blank node), runs per focus node through rdflib as pyshacl runs it.

Shapes that use anything else (SHACL-AF, custom constraint components, recursive shapes, ``$PATH``) are refused
with ``Unsupported``, and ``validation.shacl`` then runs pyshacl. The results are pyshacl's, field for field and
message for message: tests/test_setbased.py compares the two on every shape fixture, every mutation kind and
synthetic knowledge bases with injected mistakes.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import pyoxigraph as ox
from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP
from pyshacl.constraints.core.logical_constraints import (
    AndConstraintComponent,
    NotConstraintComponent,
    OrConstraintComponent,
    XoneConstraintComponent,
)
from pyshacl.constraints.core.shape_based_constraints import (
    NodeConstraintComponent,
    PropertyConstraintComponent,
    QualifiedValueShapeConstraintComponent,
)
from pyshacl.constraints.sparql.sparql_based_constraints import SPARQLBasedConstraint
from pyshacl.errors import ConstraintLoadError, ConstraintLoadWarning, ReportableRuntimeError
from pyshacl.helper.expression_helper import value_nodes_from_path
from pyshacl.pytypes import SHACLExecutor
from pyshacl.shape import Shape
from pyshacl.shapes_graph import ShapesGraph
from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.namespace import RDF, SH, XSD
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.term import Node

from smakg.kb.terms import indexes_or_built
from smakg.kb.turtle import to_ntriples
from smakg.kb.vocab import PROBE

THIS = Variable("this")
_EMPTY: dict[Any, Any] = {}
_SHAPE_BASED = (PropertyConstraintComponent, NodeConstraintComponent, NotConstraintComponent,
                AndConstraintComponent, OrConstraintComponent, XoneConstraintComponent,
                QualifiedValueShapeConstraintComponent, SPARQLBasedConstraint)
# Components whose evaluate reads only the values handed to it (and the data graph around them).
_PER_VALUE = {c for c in CONSTRAINT_PARAMETERS_MAP.values() if c not in _SHAPE_BASED}
_KNOWN = set(ALL_CONSTRAINT_PARAMETERS)
# Everything else a shape may say that changes nothing here (pyshacl reads it through the Shape) or is read above.
_ALLOWED = {SH.path, SH.message, SH.severity, SH.name, SH.description, SH.order, SH.group, SH.defaultValue,
            SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.deactivated,
            SH.flags, SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.qualifiedValueShapesDisjoint,
            SH.ignoredProperties}
logging.getLogger("pyshacl.shape").disabled = True


class Unsupported(Exception):
    """The shapes use something this engine does not evaluate itself; pyshacl validates them instead."""


@dataclass(frozen=True)
class _Deferred:
    """A constraint pyshacl could not load: the error it raises when a focus node meets that shape."""

    error: Exception


@dataclass(frozen=True)
class Result:
    """One validation result, as pyshacl writes it into its report."""

    focus: Node
    path: Node | None
    value: Node | None
    component: Node
    shape: Node
    severity: Node
    messages: tuple[Literal, ...]
    detail: bool = False  # a result under another's sh:detail (sh:node gives the value's own results there)


@dataclass
class _Outcome:
    conforms: bool
    results: list[Result]


_OK = _Outcome(True, [])  # shared by every node that conforms with no result; never changed


def _result(triples: Iterable[tuple[Any, Any, Any]]) -> Result:
    """A Result from the triples pyshacl's ``make_v_result`` returns (objects may be (graph, node) pairs)."""
    fields: dict[Any, Any] = {}
    messages = []
    for _s, p, o in triples:
        o = o[1] if isinstance(o, tuple) else o
        if p == SH.resultMessage:
            messages.append(o)
        elif p != SH.detail:
            fields[p] = o
    return Result(fields[SH.focusNode], fields.get(SH.resultPath), fields.get(SH.value),
                  fields[SH.sourceConstraintComponent], fields[SH.sourceShape], fields[SH.resultSeverity],
                  tuple(messages))


def this_is_bound(query: Any) -> bool:
    """Whether every solution of the query binds ``$this``, read from rdflib's algebra of the parsed query: then
    running it once with ``$this`` free gives, for each focus node, the solutions binding ``$this`` to it in
    advance gives. ``$this`` must come from a triple pattern outside OPTIONAL, MINUS and VALUES, no expression may
    read it where that pattern does not bind it, no LIMIT or OFFSET may count solutions, and a sub-query may use it
    only as a projected GROUP BY key or projected variable (then each group is the one pre-binding makes).

    >>> this_is_bound(translateQuery(parseQuery("SELECT $this WHERE { $this a ?t }")))
    True
    >>> this_is_bound(translateQuery(parseQuery("SELECT $this WHERE { ?s a ?t OPTIONAL { $this ?p ?s } }")))
    False
    """
    algebra = query.algebra
    if algebra.name != "SelectQuery" or THIS not in (algebra.get("PV") or []):
        return False
    unsafe = False
    samples_of_this: set[Variable] = set()  # what GROUP BY ... $this hands on as $this

    def bound(part: Any) -> set[Variable]:
        nonlocal unsafe
        name = getattr(part, "name", None)
        if name == "BGP":
            return {t for triple in part.triples for t in triple if isinstance(t, Variable)}
        if name in ("Join",):
            return bound(part.p1) | bound(part.p2)
        if name == "LeftJoin":  # OPTIONAL: $this inside it (or in its filter) only where the left binds it
            left = bound(part.p1)
            bound(part.p2)
            if THIS not in left and (THIS in _mentions(part.p2) or THIS in _mentions(part.get("expr"))):
                unsafe = True
            return left
        if name == "Extend":  # BIND (?v AS ?w) keeps ?w bound where ?v is (how GROUP BY hands its keys on)
            inner = bound(part.p)
            if THIS in _mentions(part.expr) and THIS not in inner:
                unsafe = True  # an expression reading $this before a pattern binds it
            if part.var == THIS and not (isinstance(part.expr, Variable) and part.expr in samples_of_this):
                unsafe = True  # BIND (... AS $this): pre-binding has no meaning for it; only a GROUP BY key passes
            return inner | ({part.var} if isinstance(part.expr, Variable) and part.expr in inner else set())
        if name == "Filter":  # a FILTER (EXISTS ...) reading $this is the same either way where $this is bound
            inner = bound(part.p)
            if THIS in _mentions(part.expr) and THIS not in inner:
                unsafe = True
            return inner
        if name in ("ToMultiSet", "Distinct", "Reduced", "OrderBy"):
            return bound(part.p)
        if name == "Slice":  # LIMIT/OFFSET count the solutions of every focus node together: per node only
            unsafe = True
            return bound(part.p)
        if name == "AggregateJoin":  # GROUP BY: each group key bound in every row of the group is bound after it
            group = part.p
            inner = bound(group.p)
            keys = {e for e in group.expr or [] if isinstance(e, Variable)} & inner
            if THIS in _mentions(group.p) and THIS not in keys:
                unsafe = True
            samples = {a.res: a.vars for a in part.A if a.name == "Aggregate_Sample" and a.vars in keys}
            samples_of_this.update(r for r, v in samples.items() if v == THIS)
            return set(samples)
        if name == "Project":
            if THIS in _mentions(part.p) and THIS not in part.PV:
                unsafe = True
            return bound(part.p) & set(part.PV)
        if name == "Union":
            return bound(part.p1) & bound(part.p2)
        if name == "SelectQuery":
            return bound(part.p)
        unsafe = unsafe or THIS in _mentions(part)
        return set()

    result = THIS in bound(algebra)
    return result and not unsafe


def _mentions(part: Any) -> set[Variable]:
    found: set[Variable] = set()

    def walk(node: Any) -> None:
        if isinstance(node, Variable):
            found.add(node)
        elif isinstance(node, Mapping):
            for value in node.values():
                walk(value)
        elif isinstance(node, (list, tuple, set)):
            for value in node:
                walk(value)

    walk(part)
    return found


class _Data:
    """The data graph with fast reads of its in-memory indexes, and (on first use) a pyoxigraph copy."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.spo, self.pos, self.osp = indexes_or_built(graph)
        self._store: ox.Store | None = None
        self._exact: bool | None = None

    def objects(self, s: Node, p: Node) -> Mapping[Node, Any]:
        """The objects of (s, p): the index's own dict (iterate it, test membership, take its length)."""
        found: Mapping[Node, Any] = self.spo.get(s, _EMPTY).get(p, _EMPTY)
        return found

    def subjects(self, p: Node, o: Node) -> Mapping[Node, Any]:
        found: Mapping[Node, Any] = self.pos.get(p, _EMPTY).get(o, _EMPTY)
        return found

    def exact_in_oxigraph(self) -> bool:
        """Whether pyoxigraph holds every term of the graph as rdflib does: no blank node (pyoxigraph renames
        them), no ``"x"^^xsd:string`` (one term in RDF 1.1, two in rdflib), no upper-case language tag, and no
        typed literal that pyoxigraph stores in canonical form (``"01"^^xsd:integer`` as ``"1"``)."""
        if self._exact is None:
            self._exact = self._check_exact()
        return self._exact

    def _check_exact(self) -> bool:
        if any(isinstance(t, BNode) for t in self.spo) or any(isinstance(t, BNode) for t in self.osp):
            return False
        typed = []
        for term in self.osp:
            if isinstance(term, Literal):
                if term.language is not None:
                    if term.language != term.language.lower():
                        return False
                elif term.datatype == XSD.string:
                    return False
                elif term.datatype is not None:
                    typed.append(term)
        if not typed:
            return True
        probe = ox.Store()
        subject = ox.NamedNode(PROBE + "s")
        for i, term in enumerate(typed):
            probe.add(ox.Quad(subject, ox.NamedNode(f"{PROBE}p{i}"),
                              ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))))
        for quad in probe:
            term = typed[int(quad.predicate.value[len(PROBE) + 1:])]
            literal = quad.object
            if not isinstance(literal, ox.Literal) or literal.value != str(term) or \
                    literal.datatype.value != str(term.datatype):
                return False
        return True

    def store(self) -> ox.Store:
        if self._store is None:
            store = ox.Store()
            try:
                store.bulk_load(to_ntriples(self.graph, ordered=False).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
            except (SyntaxError, ValueError, OSError):
                self._exact = False  # a term pyoxigraph refuses (rdflib is laxer): every query per focus node
                raise
            self._store = store
        return self._store


def _from_ox(term: Any) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value, datatype=None if datatype == str(XSD.string) else URIRef(datatype))
    raise Unsupported(f"a query returned {term!r}")


def _report(step: Any, graph: Graph, focus: Any, **kwargs: Any) -> tuple[str, Any, list[Any]]:
    """The component's own ``make_v_result``: pyshacl's message, severity, path and shape for the result."""
    report: tuple[str, Any, list[Any]] = step.make_v_result(graph, focus, **kwargs)
    return report


def _other(shape: Any, node: Node) -> Any:
    """The shape ``node`` names, as pyshacl finds it (and fails when it is not a shape)."""
    other = shape.get_other_shape(node)
    if other is None:
        raise ReportableRuntimeError(f"The shape {node} referenced by {shape.node} does not exist or is not a "
                                     "well-formed SHACL shape.")
    return other


def _other_path(shape: Any) -> Any:
    return shape.path()


class SetEngine:
    """The shapes read once (by pyshacl); ``validate`` runs them on a data graph."""

    def __init__(self, shapes: Graph, *, allow_warnings: bool = True, allow_infos: bool = True) -> None:
        self.sg = ShapesGraph(shapes)
        self.sg.shapes  # harvest them  # noqa: B018
        self.executor = SHACLExecutor()
        self.executor.allow_warnings = allow_warnings
        self.executor.allow_infos = allow_infos
        if self.sg.custom_constraints:
            raise Unsupported("custom constraint components")
        self._steps: dict[Shape, list[Any]] = {}
        self._queries: dict[str, bool] = {}  # query text -> whether it runs set-based
        self._paths: dict[Node, Any] = {}
        for shape in self.sg.shapes:
            self._steps[shape] = self._compile(shape)
        self._refuse_recursion()

    def _compile(self, shape: Shape) -> list[Any]:
        steps: list[Any] = []
        done: set[type] = set()
        for p, _o in self.sg.graph.predicate_objects(shape.node):
            if p in _KNOWN:
                component = CONSTRAINT_PARAMETERS_MAP[p]
                if component not in done:  # once per shape, each reading all its values, as pyshacl does
                    done.add(component)
                    try:
                        steps.append(component(shape))
                    except ConstraintLoadWarning:
                        pass  # pyshacl logs it and goes on without that component
                    except ConstraintLoadError as error:
                        steps.append(_Deferred(error))  # pyshacl fails only when the shape has a focus node
            elif str(p).startswith(str(SH)) and p not in _ALLOWED and p != RDF.type:
                raise Unsupported(f"{p} on a shape")
        for step in steps:
            if isinstance(step, _Deferred):
                continue
            if isinstance(step, QualifiedValueShapeConstraintComponent) and step.is_disjoint:
                raise Unsupported("sh:qualifiedValueShapesDisjoint")
            if isinstance(step, SPARQLBasedConstraint):
                for helper in step.sparql_constraints:
                    if shape.is_property_shape:
                        raise Unsupported("a SPARQL constraint on a property shape ($PATH)")
                    text = helper.apply_prefixes(helper.select_text)
                    if text not in self._queries:
                        pre_bound = helper.bind_cs_regex.search(text) or helper.bind_sg_regex.search(text)
                        self._queries[text] = not pre_bound and this_is_bound(translateQuery(parseQuery(text)))
        return steps

    def _refuse_recursion(self) -> None:
        edges: dict[Node, set[Node]] = defaultdict(set)
        g = self.sg.graph
        for shape in self.sg.shapes:
            for p in (SH.property, SH.node, SH["not"], SH.qualifiedValueShape):
                edges[shape.node].update(g.objects(shape.node, p))
            for p in (SH["and"], SH["or"], SH.xone):
                for lst in g.objects(shape.node, p):
                    edges[shape.node].update(g.items(lst))
        state: dict[Node, int] = {}

        def visit(node: Node) -> None:
            state[node] = 1
            for nxt in edges.get(node, ()):
                if state.get(nxt) == 1:
                    raise Unsupported("recursive shapes")
                if nxt not in state:
                    visit(nxt)
            state[node] = 2

        for node in list(edges):
            if node not in state:
                visit(node)

    # -- validation -----------------------------------------------------------------------------------------

    def validate(self, graph: Graph) -> tuple[bool, list[Result]]:
        """Conformance as pyshacl computes it with these settings, and every result of the report."""
        data = _Data(graph)
        memo: dict[tuple[Shape, Node], _Outcome] = {}
        answers: dict[str, dict[Node, list[Any]] | None] = {}
        conforms = True
        results: list[Result] = []
        for shape in self.sg.shapes:
            if shape.deactivated:
                continue
            focus = list(shape.focus_nodes(graph))
            if not focus:
                continue
            for outcome in self._run(shape, focus, data, memo, answers).values():
                conforms = conforms and outcome.conforms
                results.extend(outcome.results)
        return conforms, results

    def _values(self, shape: Shape, focus: list[Node], data: _Data) -> dict[Node, Any]:
        if not shape.is_property_shape:
            return {f: (f,) for f in focus}
        path = _other_path(shape)
        if isinstance(path, URIRef):
            return {f: data.objects(f, path) for f in focus}
        step = self._paths.get(path)
        if step is None:
            step = self._paths[path] = self._path(path)
        if step is False:
            return {f: value_nodes_from_path(self.sg, f, path, data.graph) for f in focus}
        return {f: step(f, data) for f in focus}

    def _path(self, path: Node) -> Any:
        """A function (node, data) -> value nodes for a path made of IRIs, sequences, alternatives and the
        repetitions (what ``value_nodes_from_path`` computes, from the indexes); False for anything else."""
        g = self.sg.graph
        if isinstance(path, URIRef):
            return lambda node, data: set(data.objects(node, path))
        if (path, RDF.first, None) in g:
            steps = [self._path(p) for p in g.items(path)]
            if len(steps) < 2 or not all(steps):
                return False

            def sequence(node: Node, data: _Data) -> set[Node]:
                current = {node}
                for step in steps:
                    current = {v for c in current for v in step(c, data)}
                return current
            return sequence
        alternatives = g.value(path, SH.alternativePath)
        if alternatives is not None:
            options = [self._path(p) for p in g.items(alternatives)]
            if len(options) < 2 or not all(options):
                return False
            return lambda node, data: {v for option in options for v in option(node, data)}
        for kind in (SH.oneOrMorePath, SH.zeroOrMorePath):
            inner_path = g.value(path, kind)
            if inner_path is not None:
                inner = self._path(inner_path)
                if not inner:
                    return False
                zero = kind == SH.zeroOrMorePath

                def repeat(node: Node, data: _Data, inner: Any = inner, zero: bool = zero) -> set[Node]:
                    seen: set[Node] = {node} if zero else set()
                    todo = list(inner(node, data))
                    while todo:
                        current = todo.pop()
                        if current not in seen:
                            seen.add(current)
                            todo.extend(inner(current, data))
                    return seen
                return repeat
        return False

    def _allowed(self, shape: Shape) -> tuple[bool, bool, set[Node]]:
        allowed: set[Node] = set()
        if self.executor.allow_infos:
            allowed.add(SH.Info)
        if self.executor.allow_warnings:
            allowed |= {SH.Info, SH.Warning}
        allow_conform = filter_reports = False
        if self.executor.allow_infos or self.executor.allow_warnings:
            if shape.severity in allowed:
                allow_conform = True
            else:
                filter_reports = True
        return allow_conform, filter_reports, allowed

    def _outcomes(self, shape: Shape, nodes: Iterable[Node], data: _Data, memo: dict[tuple[Shape, Node], _Outcome],
                  answers: dict[str, dict[Node, list[Any]] | None]) -> dict[Node, _Outcome]:
        """The outcome of ``shape`` on each node, each computed once per validation."""
        wanted = [n for n in dict.fromkeys(nodes) if (shape, n) not in memo]
        if wanted:
            outcomes = self._run(shape, wanted, data, memo, answers)
            for node in wanted:
                memo[(shape, node)] = outcomes.get(node, _OK)
        return {n: memo[(shape, n)] for n in nodes}

    def _run(self, shape: Shape, focus: list[Node], data: _Data, memo: dict[tuple[Shape, Node], _Outcome],
             answers: dict[str, dict[Node, list[Any]] | None]) -> dict[Node, _Outcome]:
        """``shape.validate`` for each focus node on its own, computed for all of them together: the outcome of
        each focus node that has results or does not conform (the others conform with no result)."""
        out: dict[Node, _Outcome] = {}
        if shape.deactivated:
            return out
        values = self._values(shape, focus, data)
        allow_conform, filter_reports, allowed = self._allowed(shape)
        for step in self._steps[shape]:
            by_focus, failed = self._step(step, shape, values, data, memo, answers)
            for f in by_focus.keys() | failed:
                outcome = out.get(f)
                if outcome is None:
                    outcome = out[f] = _Outcome(True, [])
                reports = by_focus.get(f, [])
                outcome.results.extend(reports)
                if f not in failed or allow_conform:
                    continue
                if not filter_reports or not all(r.severity in allowed for r in reports):
                    outcome.conforms = False
        return out

    def _step(self, step: Any, shape: Shape, values: dict[Node, set[Node]], data: _Data,
              memo: dict[tuple[Shape, Node], _Outcome], answers: dict[str, dict[Node, list[Any]] | None],
              ) -> tuple[dict[Node, list[Result]], set[Node]]:
        """One constraint component on every focus node: the results of each, and the focus nodes for which it
        is not met (pyshacl's ``_is_conform`` of the component had it been given that focus node alone)."""
        by_focus: dict[Node, list[Result]] = defaultdict(list)
        failed: set[Node] = set()
        graph = data.graph

        def add(f: Node, report: tuple[str, Any, list[Any]]) -> None:
            by_focus[f].append(_result(report[2]))
            failed.add(f)

        if isinstance(step, _Deferred):
            raise step.error
        if type(step) in _PER_VALUE:
            _conform, reports = step.evaluate(self.executor, graph, values, [])
            for report in reports:
                result = _result(report[2])
                by_focus[result.focus].append(result)
                failed.add(result.focus)
            return by_focus, failed
        everyone = [v for vs in values.values() for v in vs]

        def of(other: Shape) -> dict[Node, _Outcome]:
            """The other shape's outcome on every value node (each computed once per validation)."""
            return self._outcomes(other, everyone, data, memo, answers)

        if isinstance(step, PropertyConstraintComponent):
            for node in step.property_shapes:
                prop = _other(shape, node)
                if not prop.is_property_shape:
                    raise ReportableRuntimeError(f"'{node}' exists but is not a well-formed SHACL PropertyShape.")
                outcomes = of(prop)
                for f, vs in values.items():
                    for v in vs:
                        by_focus[f].extend(outcomes[v].results)
                        if not outcomes[v].conforms:
                            failed.add(f)
            return by_focus, failed
        if isinstance(step, NodeConstraintComponent):
            if not any(values.values()):
                return by_focus, failed  # pyshacl's shortcut: no value node, nothing checked
            for node in step.node_shapes:
                other = _other(shape, node)
                if other.is_property_shape:
                    raise ReportableRuntimeError("Shape pointed to by sh:node is not a well-formed SHACL NodeShape.")
                outcomes = of(other)
                for f, vs in values.items():
                    for v in vs:
                        if not outcomes[v].conforms or outcomes[v].results:
                            add(f, _report(step, graph, f, value_node=v))
                            by_focus[f].extend(replace(r, detail=True) for r in outcomes[v].results)
            return by_focus, failed
        if isinstance(step, NotConstraintComponent):
            for node in step.not_list:
                other = _other(shape, node)
                outcomes = of(other)
                for f, vs in values.items():
                    for v in vs:
                        if outcomes[v].conforms:
                            add(f, _report(step, graph, f, value_node=v))
            return by_focus, failed
        if isinstance(step, (AndConstraintComponent, OrConstraintComponent, XoneConstraintComponent)):
            lists = {AndConstraintComponent: "and_list", OrConstraintComponent: "or_list",
                     XoneConstraintComponent: "xone_nodes"}[type(step)]
            for lst in getattr(step, lists):
                members = list(self.sg.graph.items(lst))
                if not members:
                    raise ReportableRuntimeError(f"The list associated with {shape.node}'s {lists} is not a valid "
                                                 "RDF list.")
                others = [_other(shape, m) for m in members]
                if isinstance(step, OrConstraintComponent):
                    others = list(set(others))
                per_shape = [of(o) for o in others]
                for f, vs in values.items():
                    for v in vs:
                        passed = sum(1 for o in per_shape if o[v].conforms)
                        ok = (passed == len(per_shape) if isinstance(step, AndConstraintComponent) else
                              passed >= 1 if isinstance(step, OrConstraintComponent) else passed == 1)
                        if not ok:
                            add(f, _report(step, graph, f, value_node=v))
            return by_focus, failed
        if isinstance(step, QualifiedValueShapeConstraintComponent):
            for node in step.value_shapes:
                other = _other(shape, node)
                outcomes = of(other)
                for f, vs in values.items():
                    number = sum(1 for v in vs if outcomes[v].conforms)
                    if step.max_count is not None and number > step.max_count:
                        add(f, _report(step, graph, f, constraint_component=SH.QualifiedMaxCountConstraintComponent))
                    if step.min_count is not None and number < step.min_count:
                        add(f, _report(step, graph, f, constraint_component=SH.QualifiedMinCountConstraintComponent))
            return by_focus, failed
        if isinstance(step, SPARQLBasedConstraint):
            for helper in step.sparql_constraints:
                if helper.deactivated:
                    continue
                kwargs = {"source_constraint": helper.node, "extra_messages": helper.messages or None}
                violations = self._sparql(step, helper, list(values), data, answers)
                for f, found in violations.items():
                    for v in found:
                        add(f, self._sparql_result(step, graph, f, v, kwargs))
            return by_focus, failed
        raise Unsupported(f"{type(step).__name__}")  # pragma: no cover - _compile admits only the above

    @staticmethod
    def _sparql_result(step: SPARQLBasedConstraint, graph: Graph, f: Node, v: Any,
                       kwargs: dict[str, Any]) -> tuple[str, Any, list[Any]]:
        """pyshacl's ``_evaluate_sparql_constraint`` for one violation ``v`` of a node shape's constraint."""
        if isinstance(v, bool) and v is True:
            return _report(step, graph, f, value_node=f, **kwargs)
        if len(v) == 2:
            return _report(step, graph, f, value_node=f, bound_vars=v[1], **kwargs)
        t, p, value, var_dict = v
        value = f if value is None else value
        return _report(step, graph, t or f, value_node=value, result_path=p, bound_vars=(t, p, value, var_dict),
                                  **kwargs)

    def _sparql(self, step: SPARQLBasedConstraint, helper: Any, focus: list[Node], data: _Data,
                answers: dict[str, dict[Node, list[Any]] | None]) -> dict[Node, list[Any]]:
        """pyshacl's ``_validate_sparql_query`` for each focus node: its violations, in pyshacl's form."""
        helper.check_invalid_sparql(helper.select_text)  # pyshacl's refusals (MINUS, VALUES, ...), either way
        text = helper.apply_prefixes(helper.select_text)
        rows = None
        if self._queries[text] and data.exact_in_oxigraph():
            if text not in answers:
                try:
                    answers[text] = self._answers(text, data)
                except (Unsupported, SyntaxError, ValueError, OSError):  # pyoxigraph cannot run it as rdflib does
                    answers[text] = None
            rows = answers[text]
        if rows is None:
            out = {}
            for f in focus:
                init, sparql = helper.pre_bind_variables(f)
                run_query: Any = step._validate_sparql_query
                out[f] = run_query(helper.apply_prefixes(sparql), init, data.graph)
            return out
        return {f: rows.get(f, []) for f in focus}

    @staticmethod
    def _answers(text: str, data: _Data) -> dict[Node, list[Any]]:
        """Run the query once with ``$this`` free; its solutions grouped by ``$this`` and deduplicated per focus
        node as pyshacl does (``failure`` first, then (this, path, value, other variables))."""
        solutions = data.store().query(text)
        assert isinstance(solutions, ox.QuerySolutions)
        names = [v.value for v in solutions.variables]
        grouped: dict[Node, list[Any]] = defaultdict(list)
        failures: set[Node] = set()
        for row in solutions:
            bound = {name: _from_ox(row[name]) for name in names if row[name] is not None}
            f = bound.get("this")
            if f is None:
                continue
            violations = grouped[f]
            if bound.pop("failure", None) is not None:
                if f not in failures:
                    violations.append((True, bound))
                    failures.add(f)
                continue
            p, v, t = bound.pop("path", None), bound.pop("value", None), bound.pop("this", None)
            key = (t, p, v, bound)
            if key not in violations:
                violations.append(key)
        return grouped
