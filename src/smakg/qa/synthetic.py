"""A synthetic knowledge base at any scale, in smakg's own authoring format, valid by construction.

Scale factor ``SF`` is the number of copies of a template knowledge base (the project's own ``ontology/kb``): copy
0 is the template as it is, copy ``k`` renames every smakg entity and source (``cond:smard1`` becomes
``cond:smard1-s3``) and the names a rule wants unique (a condition's label and aliases get `` s3``). So every entity
kind and every claim shape of the real knowledge base (qualifiers, negated statements, curator inferences,
several sources per fact, quotes read via a cited work) is present at every scale, and SF 1 is the real
knowledge base's shape. Each document source gets a synthetic document holding its quotes (with their
``oa:prefix``/``oa:suffix``) and printed dates, and the SHA-256 of that document, so the quote check runs with
``--sources-dir OUT/sources``. ``mistakes`` injects that many curator's mistakes of the kinds of
``qa.mistakes`` (authored-stage kinds), chosen by ``seed``; their names are returned and written to
``OUT/mistakes.txt``.

The output is a project folder: ``ontology/`` (the vocabulary, imports, identifier table, context, frame and
schema copied from the template project; ``kb/`` written), ``shapes/`` copied, ``sources/`` the documents.
Output bytes depend only on the template, ``SF``, ``mistakes`` and ``seed``.

>>> _renamed("https://w3id.org/smakg/id/condition/smard1", 3)
'https://w3id.org/smakg/id/condition/smard1-s3'
>>> _renamed("https://w3id.org/smakg/id/condition/smard1", 0)
'https://w3id.org/smakg/id/condition/smard1'
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from smakg.errors import BadInputError
from smakg.files import write_all
from smakg.kb.load import discover, load_files, new_graph
from smakg.kb.terms import sorted_terms
from smakg.kb.vocab import ID, OA, PREFIXES, SMAKG
from smakg.project import Project
from smakg.qa.kinds import AUTHORED, Kind
from smakg.qa.mistakes import content_key

SOURCES = "sources"
MISTAKES_FILE = "mistakes.txt"
# The copied inputs of a project (relative to its root); ontology/kb is written, the rest is the template's.
_COPIED = ("ontology/smakg.ttl", "ontology/imports", "ontology/identifiers.tsv", "ontology/context.jsonld",
           "ontology/frames", "ontology/schema", "shapes")
# Entity files, by class (the first class an entity has in this order names its file).
_ENTITY_FILES = (
    (SMAKG.Condition, "conditions"), (SMAKG.Gene, "genes"), (SMAKG.ChromosomeLocus, "loci"),
    (SMAKG.Phenotype, "phenotypes"), (SMAKG.ClinicalCourse, "courses"), (SMAKG.CausalFactor, "factors"),
    (SMAKG.DiagnosticMethod, "methods"), (SMAKG.Treatment, "treatments"))
_NAMES = (RDFS.label, SKOS.altLabel)  # literals a rule wants unique among conditions
_PN_LOCAL = re.compile(r"^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")


@dataclass
class Synthetic:
    """What was written: the files (relative names), triples and claims of the curated graph, mistakes made."""

    files: list[str] = field(default_factory=list)
    triples: int = 0
    claims: int = 0
    mistakes: list[str] = field(default_factory=list)


def _renamed(iri: str, copy: int) -> str:
    return iri if copy == 0 or not iri.startswith(ID) else f"{iri}-s{copy}"


def _clone(template: Graph, copy: int, out: Graph) -> None:
    """Add copy ``copy`` of the template's triples to ``out``: smakg IRIs renamed, condition names made unique."""
    conditions = set(template.subjects(RDF.type, SMAKG.Condition))
    named = {c for c in template.subjects(RDF.type, SMAKG.Claim)
             if template.value(c, RDF.predicate) in _NAMES and template.value(c, RDF.subject) in conditions}
    bnodes: dict[Node, BNode] = {}

    def term(node: Node) -> Node:
        if isinstance(node, URIRef):
            return URIRef(_renamed(str(node), copy))
        if isinstance(node, BNode):
            return bnodes.setdefault(node, BNode())
        return node

    for s, p, o in template:
        if copy and isinstance(o, Literal) and (
                (p in _NAMES and s in conditions) or (p == RDF.object and s in named)):
            o = Literal(f"{o} s{copy}", lang=o.language, datatype=o.datatype)
        out.add((term(s), term(p), term(o)))


def synthesize(graph: Graph, scale: int) -> Graph:
    """``scale`` copies of the curated graph ``graph`` in one graph."""
    if scale < 1:
        raise BadInputError(f"scale {scale}: the scale factor is a whole number of copies, at least 1")
    out = new_graph()
    for copy in range(scale):
        _clone(graph, copy, out)
    return out


def documents(graph: Graph) -> dict[Node, str]:
    """A synthetic document per source that has a document file: every quote read in it (with its prefix and
    suffix), and its printed date and version, one per line, sorted; a line inside another is left out."""
    lines: dict[Node, set[str]] = {s: set() for s in graph.subjects(SMAKG.documentFile, None)}
    for claim in graph.subjects(RDF.type, SMAKG.Claim):
        source = graph.value(claim, SMAKG.quotedVia) or graph.value(claim, PROV.wasDerivedFrom)
        exact = graph.value(claim, OA.exact)
        if source in lines and exact is not None:
            prefix, suffix = graph.value(claim, OA.prefix), graph.value(claim, OA.suffix)
            lines[source].add(f"{prefix or ''}{exact}{suffix or ''}")
    for source, found in lines.items():
        for prop in (SMAKG.printedDate, SMAKG.printedVersion):
            found.update(str(v) for v in graph.objects(source, prop))
    return {s: "".join(f"{line}\n" for line in _outermost(found)) for s, found in lines.items()}


def _outermost(lines: set[str]) -> list[str]:
    """The lines no other line contains, sorted (a quote inside a longer quote is found there, once).

    >>> _outermost({"b", "abc", "x"})
    ['abc', 'x']
    """
    ordered = sorted(lines, key=lambda line: (-len(line), line))
    kept: list[str] = []
    for line in ordered:
        if not any(line in longer for longer in kept):
            kept.append(line)
    return sorted(kept)


def _document_name(source: Node) -> str:
    return str(source).removeprefix(ID + "source/") + ".txt"


def attach_documents(graph: Graph) -> dict[str, str]:
    """Point every document source at its synthetic document (file name and SHA-256); return the documents."""
    texts: dict[str, str] = {}
    for source, text in sorted(documents(graph).items(), key=lambda item: str(item[0])):
        name = _document_name(source)
        graph.set((source, SMAKG.documentFile, Literal(name)))
        graph.set((source, SMAKG.textSha256, Literal(hashlib.sha256(text.encode("utf-8")).hexdigest())))
        texts[name] = text
    return texts


def authored_kinds() -> list[Kind]:
    """The mistake kinds made on the curated graph (the ones a generator can write out)."""
    from smakg.qa.mistakes import KINDS

    return [k for k in KINDS if k.stage == AUTHORED]


def inject(graph: Graph, count: int, seed: int) -> list[str]:
    """Make ``count`` mistakes in place, of kinds and on targets chosen by ``seed``; return what was made."""
    rng = random.Random(seed)
    kinds = authored_kinds()
    made: list[str] = []
    tried = 0
    while len(made) < count and tried < 50 * max(count, 1):
        tried += 1
        kind = kinds[rng.randrange(len(kinds))]
        targets = kind.targets(graph)
        if not targets:
            continue
        target = targets[rng.randrange(len(targets))]
        before = set(graph)
        kind.apply(graph, target)
        if set(graph) != before:
            made.append(f"{kind.name}\t{_describe(graph, target)}")
    return made


def _describe(graph: Graph, node: Node) -> str:
    if isinstance(node, BNode):
        return " ".join(str(graph.value(node, p)) for p in (RDF.subject, RDF.predicate, RDF.object))
    return str(node)


class _Writer:
    """Turtle in the authoring layout: prefixes used, one block per subject, claims as ``[ ... ]`` blocks."""

    def __init__(self) -> None:
        self.namespaces = sorted(((ns, name) for name, ns in PREFIXES.items()), key=lambda x: (-len(x[0]), x[1]))
        self.used: set[tuple[str, str]] = set()
        self.labels: dict[Node, str] = {}  # blank nodes outside claims (only a mistake makes them)

    def term(self, node: Node) -> str:
        if isinstance(node, URIRef):
            text = str(node)
            if node == RDF.type:
                return "a"
            for ns, name in self.namespaces:
                if text.startswith(ns) and _PN_LOCAL.match(text[len(ns):]):
                    self.used.add((name, ns))
                    return f"{name}:{text[len(ns):]}"
            return f"<{text}>"
        if isinstance(node, Literal):
            if node.datatype is not None:
                return f"{Literal(str(node)).n3()}^^{self.term(node.datatype)}"
            return node.n3()
        return self.labels.setdefault(node, f"_:b{len(self.labels)}")

    def block(self, graph: Graph, subject: Node) -> str:
        pairs = sorted(graph.predicate_objects(subject), key=lambda po: (po[0] != RDF.type, po[0], po[1]))
        grouped: dict[Node, list[Node]] = {}
        for p, o in pairs:
            grouped.setdefault(p, []).append(o)
        body = " ;\n    ".join(f"{self.term(p)} {', '.join(self.term(o) for o in objs)}"
                               for p, objs in grouped.items())
        if isinstance(subject, BNode) and subject not in self.labels:
            return f"[\n    {body}\n] .\n"
        return f"{self.term(subject)} {body} .\n"

    def file(self, graph: Graph, subjects: Iterable[Node]) -> str:
        blocks = [self.block(graph, s) for s in subjects]
        head = "".join(f"@prefix {name}: <{ns}> .\n" for name, ns in sorted(self.used, key=lambda x: x[0]))
        self.used = set()
        return head + "\n" + "\n".join(blocks)


def kb_files(graph: Graph) -> dict[str, str]:
    """The curated graph as authoring files: ``entities/<kind>.ttl``, ``sources.ttl``, ``claims/<source>.ttl``."""
    writer = _Writer()
    groups: dict[str, list[Node]] = {}
    claims = set(graph.subjects(RDF.type, SMAKG.Claim))
    others = {s for s in graph.subjects() if s not in claims}
    blank: list[Node] = sorted((s for s in others if isinstance(s, BNode)), key=lambda b: content_key(graph, b))
    for node in blank:
        writer.term(node)  # labelled in content order, before any claim mentions it
    for subject in [*sorted_terms(s for s in others if not isinstance(s, BNode)), *blank]:
        types = set(graph.objects(subject, RDF.type))
        name = next((f"entities/{file}.ttl" for cls, file in _ENTITY_FILES if cls in types), "sources.ttl")
        groups.setdefault(name, []).append(subject)
    by_source: dict[str, list[Node]] = {}
    for claim in claims:
        source = graph.value(claim, PROV.wasDerivedFrom)
        local = str(source).removeprefix(ID + "source/") if source is not None else "unsourced"
        by_source.setdefault(f"claims/{local if _PN_LOCAL.match(local) else 'unsourced'}.ttl", []).append(claim)
    for name, found in by_source.items():
        groups[name] = sorted(found, key=lambda c: content_key(graph, c))
    return {name: writer.file(graph, subjects) for name, subjects in sorted(groups.items())}


def generate(out: Path, scale: int, *, template: Project | None = None, mistakes: int = 0,
             seed: int = 0) -> Synthetic:
    """Write a synthetic project of ``scale`` copies of ``template``'s knowledge base into ``out``."""
    template = template or Project()
    template.check()
    if out.exists() and any(out.iterdir()):
        raise BadInputError(f"{out}: not empty", hint="give a new or empty folder")
    graph = synthesize(load_files(discover([template.kb])).graph, scale)
    texts = attach_documents(graph)
    made = inject(graph, mistakes, seed) if mistakes else []
    files = {f"ontology/kb/{name}": text for name, text in kb_files(graph).items()}
    files.update({f"{SOURCES}/{name}": text for name, text in texts.items()})
    if made:
        files[MISTAKES_FILE] = "".join(f"{line}\n" for line in made)
    for rel in _COPIED:
        source = template.root / rel
        if source.is_dir():
            for path in sorted(p for p in source.rglob("*") if p.is_file()):
                files[(Path(rel) / path.relative_to(source)).as_posix()] = path.read_text(encoding="utf-8")
        elif source.is_file():
            files[rel] = source.read_text(encoding="utf-8")
    folders: dict[Path, dict[str, str]] = {}
    for name, text in files.items():
        folders.setdefault(Path(name).parent, {})[Path(name).name] = text
    for folder in sorted(folders):
        write_all(folders[folder], out / folder)
    claims = len(set(graph.subjects(RDF.type, SMAKG.Claim)))
    return Synthetic(sorted(files), len(graph), claims, made)

