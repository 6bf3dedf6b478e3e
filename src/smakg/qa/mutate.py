"""Mutation testing of the validation: does it catch every kind of mistake a curator makes?

Each ``Kind`` (``kinds.py``; catalogued in ``mistakes.py``) is one mistake (drop a source, misspell an IRI, ...)
with the rule that should catch it. The run loads the real knowledge base once, then for each kind and each of a few
chosen targets (a claim, an entity, a source) applies the mistake to a copy of the curated graph (or, for
mistakes only hand-written statements can make, of the built graph), checks that the copy really differs,
runs the full validation as ``smakg build --strict`` does (shapes, Python checks, quotes against the source
documents, identifiers against the verified table) and records the rules of the new violations and warnings.
A mutant is caught when a new finding comes from an expected rule; a finding from another rule alone is
reported as caught elsewhere, and counts as a miss, as does a mutant that was not caught at all.

    python scripts/mutation_test.py --sources-dir ../shared/seeds --table ../shared/reference/identifiers.tsv
"""

from __future__ import annotations

import multiprocessing
import re
import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from smakg.errors import BadInputError
from smakg.findings import VIOLATION, WARNING, Finding, Location
from smakg.kb.build import Built, assemble
from smakg.kb.load import Loaded, discover, load_files, new_graph
from smakg.kb.vocab import SMAKG, show
from smakg.project import Project
from smakg.qa.kinds import AUTHORED, Kind
from smakg.qa.mistakes import KINDS
from smakg.validation.run import validate_built
from smakg.validation.shacl import SHACL_ENGINES, Shapes, load_shapes, rule_name, run_shacl


@dataclass(frozen=True)
class Mutant:
    """What happened to one mistake made at one target."""

    kind: str
    target: str
    where: str | None
    applied: bool
    caught_by: tuple[str, ...]  # the rules (with component) of the new violations and warnings
    expected: bool  # one of them is an expected rule
    error: str | None = None
    engines_differ: str = ""  # with compare_engines: the findings pyshacl and the set-based engine do not share

    @property
    def status(self) -> str:
        if self.error:
            return "error"
        if not self.applied:
            return "not applied"
        if self.expected:
            return "caught"
        return "caught elsewhere" if self.caught_by else "missed"


@dataclass
class KindScore:
    kind: Kind
    mutants: list[Mutant] = field(default_factory=list)

    @property
    def applied(self) -> int:
        return sum(1 for m in self.mutants if m.applied)

    @property
    def caught(self) -> int:
        return sum(1 for m in self.mutants if m.status == "caught")

    @property
    def ok(self) -> bool:
        return bool(self.mutants) and all(m.status == "caught" for m in self.mutants)

    def rules(self) -> Counter[str]:
        return Counter(rule for m in self.mutants for rule in m.caught_by)


@dataclass
class Report:
    scores: list[KindScore]
    seconds: float
    constraints: frozenset[str] = frozenset()  # every top-level constraint of the shapes, as findings name them

    def exercised(self) -> frozenset[str]:
        """The constraints that fired on at least one mutant."""
        return self.constraints & {rule for s in self.scores for rule in s.rules()}

    @property
    def applied(self) -> int:
        return sum(s.applied for s in self.scores)

    @property
    def caught(self) -> int:
        return sum(s.caught for s in self.scores)

    @property
    def ok(self) -> bool:
        return bool(self.scores) and all(s.ok for s in self.scores)

    def failures(self) -> list[Mutant]:
        return [m for s in self.scores for m in s.mutants if m.status != "caught"] + [
            Mutant(s.kind.name, "(no target found)", None, False, (), False) for s in self.scores if not s.mutants]

    def text(self) -> str:
        """A table for people: caught/applied by kind, the expected rule, every rule that fired, then the misses."""
        width = max(len(s.kind.name) for s in self.scores)
        lines = [f"{'mutation kind':<{width}}  caught/applied  expected rule -> rules that fired (mutants)"]
        for s in self.scores:
            fired = ", ".join(f"{_short(rule)} ({n})" for rule, n in sorted(s.rules().items()))
            mark = "" if s.ok else "   <-- MISS"
            lines.append(f"{s.kind.name:<{width}}  {s.caught:>6}/{len(s.mutants):<7}  "
                         f"{' | '.join(_short(str(r)) for r in s.kind.expect)} -> {fired or 'nothing'}{mark}")
        kinds_ok = sum(1 for s in self.scores if s.ok)
        lines.append(f"\nmutation score: {self.caught}/{sum(len(s.mutants) for s in self.scores)} mutants caught "
                     f"by the expected rule; {kinds_ok}/{len(self.scores)} kinds fully caught "
                     f"({self.seconds:.1f} s)")
        if self.constraints:
            idle = sorted(self.constraints - self.exercised())
            lines.append(f"shape constraints that fired on a mutant: {len(self.exercised())}/{len(self.constraints)}"
                         + (f"; never: {', '.join(map(_short, idle))}" if 0 < len(idle) <= 15 else ""))
        for m in self.failures():
            at = f" at {m.where}" if m.where else ""
            fired = ", ".join(m.caught_by) or "no rule"
            lines.append(f"  {m.status.upper()}: {m.kind} on {m.target}{at}: {m.error or fired}")
        return "\n".join(lines)


def _short(rule: str) -> str:
    """A rule name for a table: a long alternative path of SKOS mappings shortened."""
    return re.sub(r"\((skos:\w+\|){2,}skos:\w+\)", "(skos:*Match)", rule)


_PARAMETERS = {
    "class", "datatype", "nodeKind", "minCount", "maxCount", "minLength", "maxLength", "pattern", "languageIn",
    "uniqueLang", "equals", "disjoint", "lessThan", "lessThanOrEquals", "not", "and", "or", "xone", "node",
    "hasValue", "in", "closed", "qualifiedMinCount", "minExclusive", "minInclusive", "maxExclusive", "maxInclusive",
    "sparql",
}
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


def shape_constraints(shapes: Graph) -> frozenset[str]:
    """Every constraint of a targeted shape or of its property shapes, named as findings name it
    (``shp:Gene › rdfs:label [Pattern]``). Constraints of shapes reached only through sh:node, sh:or or sh:xone
    report as the constraint that reaches them."""
    def components(shape: Node) -> set[str]:
        found = set()
        for prop in set(shapes.predicates(shape)):
            local = str(prop).removeprefix(str(SH))
            if str(prop).startswith(str(SH)) and local in _PARAMETERS:
                found.add("SPARQL" if local == "sparql" else local[0].upper() + local[1:])
        return found

    names = set()
    for shape in {s for t in _TARGETS for s in shapes.subjects(t, None)}:
        names |= {f"{rule_name(shapes, shape)} [{c}]" for c in components(shape)}
        for prop in shapes.objects(shape, SH.property):
            names |= {f"{rule_name(shapes, prop)} [{c}]" for c in components(prop)}
    return frozenset(names)


# --------------------------------------------------------------------------------------------------------------
# The run

# What identifies a finding across runs (see _key).
_FindingKey = tuple[str, str, str, str | None, str | None, str | None, str]


@dataclass
class _Baseline:
    """The unmutated knowledge base, loaded once and shared (by fork) with worker processes."""

    project: Project
    loaded: Loaded
    built: Built
    shapes: Shapes
    sources_dir: Path | None
    table: Path | None
    known: frozenset[_FindingKey]
    targets: dict[str, list[Node]]
    kinds: dict[str, Kind]
    compare_engines: bool = False


_BASE: _Baseline | None = None


def _key(f: Finding) -> _FindingKey:
    return f.severity, f.focus, f.rule, f.component, f.path, f.value, f.message


def _blocking(findings: Sequence[Finding]) -> list[Finding]:
    """What fails ``--strict``: violations and warnings."""
    return [f for f in findings if f.severity in (VIOLATION, WARNING)]


def _copy(graph: Graph) -> Graph:
    out = new_graph()
    out += graph
    return out


def describe_target(graph: Graph, node: Node) -> str:
    """A readable name for a target: an IRI as a CURIE, a claim as its triple."""
    if isinstance(node, BNode) and (node, RDF.type, SMAKG.Claim) in graph:
        parts = [show(graph.value(node, p)) or "?" for p in (RDF.subject, RDF.predicate, RDF.object)]
        return "claim " + " ".join(parts)
    return show(node) or str(node)


def _run_one(kind_name: str, index: int) -> Mutant:
    base = _BASE
    assert base is not None, "mutation run not prepared"
    kind = base.kinds[kind_name]
    stage_graph = base.loaded.graph if kind.stage == AUTHORED else base.built.graph
    target = base.targets[kind_name][index]
    label = describe_target(stage_graph, target)
    location = base.loaded.locations.get(target) or base.built.locations.get(target)
    where = _relative(location, base.project.root) if isinstance(location, Location) else None
    try:
        graph = _copy(stage_graph)
        kind.apply(graph, target)
        if set(graph) == set(stage_graph):
            return Mutant(kind.name, label, where, False, (), False)
        if kind.stage == AUTHORED:
            built = assemble(base.project, Loaded(graph, base.loaded.locations, base.loaded.files,
                                                  base.loaded.prefixes))
        else:
            b = base.built
            built = Built(graph, b.vocabulary, b.locations, list(b.findings), b.files, b.claims)
        outcome = validate_built(built, base.project, sources_dir=base.sources_dir, table=base.table,
                                 shapes=base.shapes)
        differ = _engines_differ(built, base.shapes) if base.compare_engines else ""
    except Exception as exc:  # a mutant that breaks the build is reported, never hidden
        return Mutant(kind.name, label, where, True, (), False, error=f"{type(exc).__name__}: {exc}")
    new = [f for f in _blocking(outcome.findings) if _key(f) not in base.known]
    rules = tuple(sorted({_rule_text(f) for f in new}))
    expected = any(rule.matches(f) for f in new for rule in kind.expect)
    return Mutant(kind.name, label, where, True, rules, expected, engines_differ=differ)


def _engines_differ(built: Built, shapes: Shapes) -> str:
    """The SHACL findings (every field, counted) that one engine gives and the other does not."""
    found = {engine: Counter(map(repr, run_shacl(built.graph, shapes, built.locations, engine=engine)))
             for engine in SHACL_ENGINES}
    first, second = (found[e] for e in SHACL_ENGINES)
    return "\n".join([f"only {SHACL_ENGINES[0]}: {f}" for f in first - second]
                     + [f"only {SHACL_ENGINES[1]}: {f}" for f in second - first])


def _relative(location: Location, root: Path) -> str:
    """``file:line`` with the file relative to the project root where it is below it."""
    path = Path(location.file)
    try:
        path = path.resolve().relative_to(root.resolve())
    except ValueError:
        pass
    return f"{path.as_posix()}:{location.line}"


def _rule_text(f: Finding) -> str:
    component = (f.component or "").removeprefix("sh:").removesuffix("ConstraintComponent")
    return f"{f.rule} [{component}]" if component else f.rule


def _run_pair(pair: tuple[str, int]) -> Mutant:
    return _run_one(*pair)


def run(project: Project, kinds: Sequence[Kind], *, sources_dir: Path | None, table: Path | None,
        per_kind: int = 3, jobs: int = 1, compare_engines: bool = False) -> Report:
    """Apply each kind of mistake to up to ``per_kind`` targets, one at a time, and validate each mutant;
    ``compare_engines``: also validate each with both SHACL engines and record where their findings differ."""
    global _BASE
    start = time.perf_counter()
    project.check()
    loaded = load_files(discover([project.kb]))
    built = assemble(project, loaded)
    shapes = load_shapes(project.shapes)
    baseline = validate_built(built, project, sources_dir=sources_dir, table=table, shapes=shapes)
    if not baseline.conforms(strict=True):
        raise BadInputError("the knowledge base does not pass `smakg build --strict` before any mutation",
                            hint="mutation testing starts from a valid knowledge base: fix it first")
    names = [k.name for k in kinds]
    if len(set(names)) != len(names):
        raise ValueError("mutation kind names must be unique")
    targets = {k.name: k.choose(loaded.graph if k.stage == AUTHORED else built.graph, per_kind) for k in kinds}
    _BASE = _Baseline(project, loaded, built, shapes, sources_dir, table,
                      frozenset(_key(f) for f in baseline.findings), targets, {k.name: k for k in kinds},
                      compare_engines)
    todo = [(k.name, i) for k in kinds for i in range(len(targets[k.name]))]
    try:
        if jobs > 1 and "fork" in multiprocessing.get_all_start_methods() and len(todo) > 1:
            with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
                mutants = list(pool.map(_run_pair, todo, chunksize=4))
        else:
            mutants = [_run_pair(pair) for pair in todo]
    finally:
        _BASE = None
    scores = {k.name: KindScore(k) for k in kinds}
    for mutant in mutants:
        scores[mutant.kind].mutants.append(mutant)
    return Report(list(scores.values()), time.perf_counter() - start, shape_constraints(shapes.graph))


def run_project(root: Path, *, sources_dir: Path | None, table: Path | None, per_kind: int = 3, jobs: int = 1,
                only: Sequence[str] = (), compare_engines: bool = False) -> Report:
    """Run the catalogue of mistakes (``mistakes.KINDS``, or those named in ``only``) on the project at ``root``."""

    kinds = [k for k in KINDS if not only or k.name in only]
    unknown = sorted(set(only) - {k.name for k in KINDS})
    if unknown:
        raise BadInputError(f"unknown mutation kind(s): {', '.join(unknown)}",
                            hint="scripts/mutation_test.py --list names them")
    return run(Project(root), kinds, sources_dir=sources_dir, table=table, per_kind=per_kind, jobs=jobs,
               compare_engines=compare_engines)

