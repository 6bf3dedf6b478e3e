"""What changed between two releases: statements added, removed and changed, per entity, with their evidence.

Either side is a build (a ``dist/`` folder or its ``smakg.nt``/``smakg.ttl``), a project folder (built in
memory), or a git revision of the project (``HEAD~1``, a tag, a commit), whose files are taken with
``git archive`` into a temporary folder and built there: no network, no checkout, the work tree untouched.

The comparison works on facts, not raw triples. Statement, evidence and selector nodes have IRIs derived from
their content, so a changed quote would otherwise read as one node removed and another added; here each
asserted triple carries its provenance (source, quote, prefix/suffix, ECO type, cited works, curator's notes)
and a difference in provenance is reported on the triple it supports. A subject and predicate that lost one
object and gained another read as one change. The dataset description (counts only) is left out.
"""

from __future__ import annotations

import io
import json
import subprocess
import tarfile
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, VOID, XSD
from rdflib.term import Node

from smakg.errors import BadInputError
from smakg.files import read_text
from smakg.kb.build import build_graph
from smakg.kb.expand import QUALIFIERS
from smakg.kb.load import new_graph, parse_turtle_text
from smakg.kb.vocab import DATASET, DCAT, OA, SMAKG, compress_iri
from smakg.project import Project

Triple = tuple[Node, Node, Node]
# What a statement says of its triple (rdf:subject, rdf:predicate, rdf:object; None where one is missing) and an
# item of its provenance: ("evidence", source, exact, prefix, suffix, types, references), ("note", p, o), ("source", s)
Stated = tuple[Node | None, Node | None, Node | None]
Item = tuple[Any, ...]
_STATEMENT_KEYS = {RDF.type, RDF.subject, RDF.predicate, RDF.object, SMAKG.evidence, PROV.wasDerivedFrom,
                   SMAKG.negated}


@dataclass
class Snapshot:
    """One side of a diff: what was given, how it was read, and the graph."""

    spec: str
    kind: str
    graph: Graph

    @property
    def version(self) -> str | None:
        value = self.graph.value(URIRef(DATASET), DCAT.version)
        return str(value) if value is not None else None

    def describe(self) -> str:
        parts = [self.kind] + ([f"version {self.version}"] if self.version else []) + [f"{len(self.graph)} triples"]
        return f"{self.spec} ({', '.join(parts)})"


# ---- reading either side ----

def _parse_file(path: Path) -> Graph:
    graph = new_graph()
    if path.suffix == ".ttl":
        parse_turtle_text(read_text(path), str(path), graph, {})
        return graph
    if path.suffix == ".nt":
        text = read_text(path)
        try:
            graph.parse(data=text, format="nt")
        except Exception as exc:  # rdflib raises several types for malformed N-Triples
            raise BadInputError(f"{path}: not valid N-Triples ({exc})",
                                hint="give the smakg.nt of a build, or rebuild it with smakg build") from None
        return graph
    raise BadInputError(f"{path}: cannot compare a {path.suffix or 'suffix-less'} file",
                        hint="give a build folder (dist/), its smakg.nt or smakg.ttl, a project folder or a git "
                             "revision")


def _build(root: Path) -> Graph:
    return build_graph(Project(root)).graph


def _git(project: Path, *args: str, binary: bool = False) -> subprocess.CompletedProcess[Any]:
    try:
        return subprocess.run(["git", "-C", str(project), *args], capture_output=True, text=not binary,
                              check=False, stdin=subprocess.DEVNULL)
    except FileNotFoundError:
        raise BadInputError("git is not installed, so a revision cannot be read",
                            hint="give two build folders or files instead") from None


def _from_git(spec: str, project: Path) -> Snapshot:
    found = _git(project, "rev-parse", "--verify", "--quiet", f"{spec}^{{commit}}")
    if found.returncode != 0:
        inside = _git(project, "rev-parse", "--is-inside-work-tree")
        where = (f"a git revision of {project}" if inside.returncode == 0
                 else f"a git revision ({project} is not in a git repository)")
        raise BadInputError(f"{spec}: not a file, a build folder, a project folder or {where}",
                            hint="give a dist/ folder, a smakg.nt or smakg.ttl file, or a revision such as HEAD~1")
    commit = found.stdout.strip()
    prefix = _git(project, "rev-parse", "--show-prefix").stdout.strip()
    archive = _git(project, "archive", "--format=tar", f"{commit}:{prefix}" if prefix else commit, binary=True)
    if archive.returncode != 0:
        raise BadInputError(f"{spec}: git archive failed: {archive.stderr.decode(errors='replace').strip()}")
    with tempfile.TemporaryDirectory(prefix="smakg-diff-") as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(tmp, filter="data")
        root = Path(tmp)
        if not Project(root).kb.is_dir():
            raise BadInputError(f"{spec} ({commit[:12]}): this revision holds no smakg knowledge base "
                                f"(no {prefix}ontology/kb)", hint="pick a later revision")
        try:
            graph = _build(root)
        except BadInputError as exc:
            raise BadInputError(f"{spec} ({commit[:12]}): cannot build this revision: {exc.message}",
                                hint=exc.hint) from None
    return Snapshot(spec, f"git {commit[:12]}", graph)


def _built(path: Path) -> Graph:
    """A build's graph, checked to be one: its dataset description counts exactly the triples it holds."""
    graph = _parse_file(path)
    counted = graph.value(URIRef(DATASET), VOID.triples)
    if counted is None:
        raise BadInputError(f"{path}: not a smakg build (no dataset description with void:triples)",
                            hint="give the smakg.nt or smakg.ttl that smakg build wrote, or its dist/ folder")
    if not isinstance(counted, Literal) or counted.toPython() != len(graph):
        raise BadInputError(f"{path}: an incomplete or edited build: its description counts {counted} triples, "
                            f"the file holds {len(graph)}", hint="rebuild it with smakg build")
    return graph


def load(spec: str, project: Path) -> Snapshot:
    """Read one side: a file, a build folder, a project folder, or else a git revision of ``project``."""
    path = Path(spec)
    if path.is_file():
        return Snapshot(spec, "build file", _built(path))
    if path.is_dir():
        for name in ("smakg.nt", "smakg.ttl"):
            if (path / name).is_file():
                return Snapshot(spec, f"build {name}", _built(path / name))
        if Project(path).kb.is_dir():
            return Snapshot(spec, "project", _build(path))
        raise BadInputError(f"{spec}: a folder that is neither a build (no smakg.nt or smakg.ttl) nor a project "
                            "(no ontology/kb)", hint="give the dist/ folder written by smakg build")
    return _from_git(spec, project)


# ---- facts and their provenance ----

@dataclass
class Facts:
    """The asserted triples of a graph, each with the provenance its statement gives."""

    graph: Graph
    triples: set[Triple] = field(default_factory=set)
    provenance: dict[Stated, frozenset[Item]] = field(default_factory=dict)

    def label(self, node: Node) -> str | None:
        value = self.graph.value(node, RDFS.label)
        return str(value) if value is not None else None


def _hidden(graph: Graph) -> set[Node]:
    statements = set(graph.subjects(RDF.type, SMAKG.Statement))
    evidence = set(graph.subjects(RDF.type, SMAKG.Evidence))
    selectors = {sel for ev in evidence for sel in graph.objects(ev, OA.hasSelector)}
    dataset = {s for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(DATASET)}
    return statements | evidence | selectors | dataset


class Negated(URIRef):
    """The predicate of a statement a source says does NOT hold: a fact of its own in a diff (its triple is never
    asserted), unequal to the positive predicate."""

    __slots__ = ()


def facts(graph: Graph) -> Facts:
    hidden = _hidden(graph)
    out = Facts(graph, {t for t in graph if t[0] not in hidden})
    for st in graph.subjects(SMAKG.negated, Literal(True)):
        s, p, o = graph.value(st, RDF.subject), graph.value(st, RDF.predicate), graph.value(st, RDF.object)
        if s is not None and p is not None and o is not None:
            out.triples.add((s, Negated(str(p)), o))
    for st in graph.subjects(RDF.type, SMAKG.Statement):
        negated = (st, SMAKG.negated, Literal(True)) in graph
        predicate = graph.value(st, RDF.predicate)
        triple = (graph.value(st, RDF.subject), Negated(str(predicate)) if negated and predicate is not None
                  else predicate, graph.value(st, RDF.object))
        items: set[Item] = set()
        for ev in graph.objects(st, SMAKG.evidence):
            sources: list[Node | None] = list(graph.objects(ev, OA.hasSource))
            for source in sources or [None]:
                for sel in graph.objects(ev, OA.hasSelector):
                    items.add(("evidence", source, graph.value(sel, OA.exact), graph.value(sel, OA.prefix),
                               graph.value(sel, OA.suffix), tuple(sorted(graph.objects(ev, SMAKG.evidenceType))),
                               tuple(sorted(graph.objects(ev, DCTERMS.references))),
                               tuple(sorted((q, v) for q in QUALIFIERS for v in graph.objects(ev, q)))))
        for p, o in graph.predicate_objects(st):
            if p not in _STATEMENT_KEYS:
                items.add(("note", p, o))
        items.update(("source", s) for s in graph.objects(st, PROV.wasDerivedFrom))
        out.provenance[triple] = frozenset(out.provenance.get(triple, frozenset()) | items)
    return out


@dataclass
class EntityChanges:
    added: list[Triple] = field(default_factory=list)
    removed: list[Triple] = field(default_factory=list)
    changed: list[tuple[Triple, Triple]] = field(default_factory=list)
    evidence: list[tuple[Triple, list[Item], list[Item]]] = field(default_factory=list)

    def count(self) -> int:
        return len(self.added) + len(self.removed) + len(self.changed) + len(self.evidence)


@dataclass
class Diff:
    old: Snapshot
    new: Snapshot
    old_facts: Facts
    new_facts: Facts
    entities: dict[Node, EntityChanges]

    @property
    def identical(self) -> bool:
        return not self.entities

    def totals(self) -> dict[str, int]:
        return {
            "entities": len(self.entities),
            "added": sum(len(e.added) for e in self.entities.values()),
            "removed": sum(len(e.removed) for e in self.entities.values()),
            "changed": sum(len(e.changed) for e in self.entities.values()),
            "evidence_changed": sum(len(e.evidence) for e in self.entities.values()),
        }


def _key(node: Node) -> tuple[int, str]:
    return (1 if isinstance(node, Literal) else 0, node.n3())


def compare(old: Snapshot, new: Snapshot) -> Diff:
    a, b = facts(old.graph), facts(new.graph)
    added, removed = b.triples - a.triples, a.triples - b.triples
    entities: dict[Node, EntityChanges] = defaultdict(EntityChanges)
    by_sp_added: dict[tuple[Node, Node], list[Triple]] = defaultdict(list)
    by_sp_removed: dict[tuple[Node, Node], list[Triple]] = defaultdict(list)
    for t in added:
        by_sp_added[t[:2]].append(t)
    for t in removed:
        by_sp_removed[t[:2]].append(t)
    for sp in set(by_sp_added) | set(by_sp_removed):
        plus, minus = by_sp_added.get(sp, []), by_sp_removed.get(sp, [])
        changes = entities[sp[0]]
        if len(plus) == 1 and len(minus) == 1:
            changes.changed.append((minus[0], plus[0]))
        else:
            changes.added.extend(plus)
            changes.removed.extend(minus)
    for t in a.triples & b.triples:
        before, after = a.provenance.get(t, frozenset()), b.provenance.get(t, frozenset())
        if before != after:
            entities[t[0]].evidence.append((t, sorted(after - before, key=_item_key),
                                            sorted(before - after, key=_item_key)))
    for changes in entities.values():
        changes.added.sort(key=lambda t: (_key(t[1]), _key(t[2])))
        changes.removed.sort(key=lambda t: (_key(t[1]), _key(t[2])))
        changes.changed.sort(key=lambda c: (_key(c[0][1]), _key(c[0][2])))
        changes.evidence.sort(key=lambda c: (_key(c[0][1]), _key(c[0][2])))
    ordered = {k: entities[k] for k in sorted(entities, key=_key) if entities[k].count()}
    return Diff(old, new, a, b, ordered)


def _item_key(item: Item) -> str:
    return "\x1f".join("" if x is None else (x.n3() if hasattr(x, "n3") else str(x)) for x in item)


# ---- rendering ----

def term(node: Node | None) -> str:
    """A term as people read it: a CURIE where the prefix map has one, else N-Triples."""
    if node is None:
        return "(none)"
    if isinstance(node, Negated):
        return "NOT " + term(URIRef(str(node)))
    if isinstance(node, URIRef):
        return compress_iri(str(node)) or node.n3()
    if isinstance(node, Literal) and node.datatype not in (None, XSD.string):
        return f'"{node}"^^{compress_iri(str(node.datatype)) or node.datatype.n3()}'
    return node.n3()


def _labelled(node: Node, d: Diff) -> str:
    label = d.new_facts.label(node) or d.old_facts.label(node)
    shown = term(node)
    return f"{shown} ({label})" if label and isinstance(node, URIRef) else shown


def _item_text(item: Item) -> str:
    if item[0] == "evidence":
        _, source, exact, prefix, suffix, types, refs, quals = item
        extra = "".join([f" prefix {term(prefix)}" if prefix else "", f" suffix {term(suffix)}" if suffix else "",
                         f" [{' '.join(term(t) for t in types)}]" if types else "",
                         f" citing {' '.join(term(r) for r in refs)}" if refs else "",
                         "".join(f" {term(q)} {term(v)}" for q, v in quals)])
        return f"evidence {term(source)} {term(exact)}{extra}"
    if item[0] == "note":
        return f"{term(item[1])} {term(item[2])}"
    return f"source {term(item[1])}"


def _evidence_lines(t: Triple, side: Facts) -> list[str]:
    items = sorted(side.provenance.get(t, ()), key=_item_key)
    return [f"      {_item_text(i)}" for i in items if i[0] == "evidence"]


def to_text(d: Diff) -> str:
    lines = [f"old: {d.old.describe()}", f"new: {d.new.describe()}"]
    if d.identical:
        lines.append("no differences: the two releases state the same facts with the same evidence")
        return "\n".join(lines) + "\n"
    n = d.totals()
    lines.append(f"{n['entities']} entities: {n['added']} added, {n['removed']} removed, {n['changed']} changed, "
                 f"{n['evidence_changed']} with changed evidence")
    for entity, ch in d.entities.items():
        lines.append("")
        lines.append(_labelled(entity, d))
        for t in ch.added:
            lines.append(f"  + {term(t[1])} {_labelled(t[2], d)}")
            lines.extend(_evidence_lines(t, d.new_facts))
        for t in ch.removed:
            lines.append(f"  - {term(t[1])} {_labelled(t[2], d)}")
        for before, after in ch.changed:
            lines.append(f"  ~ {term(before[1])} {_labelled(before[2], d)} -> {_labelled(after[2], d)}")
            lines.extend(_evidence_lines(after, d.new_facts))
        for t, plus, minus in ch.evidence:
            lines.append(f"  ~ {term(t[1])} {_labelled(t[2], d)}: provenance changed")
            lines.extend(f"      + {_item_text(i)}" for i in plus)
            lines.extend(f"      - {_item_text(i)}" for i in minus)
    return "\n".join(lines) + "\n"


def _term_json(node: Node | None, d: Diff) -> dict[str, Any] | None:
    if node is None:
        return None
    if isinstance(node, URIRef):
        out: dict[str, Any] = {"iri": str(node)}
        if isinstance(node, Negated):
            out["negated"] = True
        if compress_iri(str(node)):
            out["curie"] = compress_iri(str(node))
        label = d.new_facts.label(node) or d.old_facts.label(node)
        if label:
            out["label"] = label
        return out
    if isinstance(node, Literal):
        out = {"value": str(node)}
        if node.language:
            out["language"] = node.language
        elif node.datatype is not None and node.datatype != XSD.string:
            out["datatype"] = str(node.datatype)
        return out
    return {"blank": str(node)}


def _item_json(item: Item, d: Diff) -> dict[str, Any]:
    if item[0] == "evidence":
        _, source, exact, prefix, suffix, types, refs, quals = item
        return {"kind": "evidence", "source": _term_json(source, d), "exact": None if exact is None else str(exact),
                "prefix": None if prefix is None else str(prefix), "suffix": None if suffix is None else str(suffix),
                "evidence_types": [str(t) for t in types], "references": [str(r) for r in refs],
                "qualifiers": [{"property": str(q), "value": _term_json(v, d)} for q, v in quals]}
    if item[0] == "note":
        return {"kind": "note", "property": _term_json(item[1], d), "value": _term_json(item[2], d)}
    return {"kind": "source", "source": _term_json(item[1], d)}


def to_json(d: Diff) -> str:
    def fact(t: Triple, side: Facts) -> dict[str, Any]:
        return {"predicate": _term_json(t[1], d), "object": _term_json(t[2], d),
                "provenance": [_item_json(i, d) for i in sorted(side.provenance.get(t, ()), key=_item_key)]}

    doc = {
        "old": {"input": d.old.spec, "kind": d.old.kind, "version": d.old.version, "triples": len(d.old.graph)},
        "new": {"input": d.new.spec, "kind": d.new.kind, "version": d.new.version, "triples": len(d.new.graph)},
        "identical": d.identical,
        "summary": d.totals(),
        "entities": [{
            "entity": _term_json(entity, d),
            "added": [fact(t, d.new_facts) for t in ch.added],
            "removed": [fact(t, d.old_facts) for t in ch.removed],
            "changed": [{"predicate": _term_json(b[1], d), "old": fact(b, d.old_facts), "new": fact(a, d.new_facts)}
                        for b, a in ch.changed],
            "provenance_changed": [{"predicate": _term_json(t[1], d), "object": _term_json(t[2], d),
                                    "added": [_item_json(i, d) for i in plus],
                                    "removed": [_item_json(i, d) for i in minus]} for t, plus, minus in ch.evidence],
        } for entity, ch in d.entities.items()],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
