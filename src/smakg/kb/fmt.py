"""The canonical form of curated Turtle (ontology/ and shapes/) and of the JSON-LD context (whose bytes every
export embeds): ``smakg fmt`` writes it, ``--check`` tests it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from smakg.files import read_text, write_one
from smakg.kb.jsonld import dumps, read_jsonld
from smakg.kb.load import discover, new_graph, parse_turtle_text
from smakg.kb.turtle import serialize
from smakg.project import Project


@dataclass(frozen=True)
class FmtResult:
    path: Path
    changed: bool


def canonical(path: Path) -> tuple[str, str]:
    """The file's current text and its canonical text (same triples, same declared prefixes; for a JSON-LD
    context, the same JSON in the byte form of the exports)."""
    if path.suffix == ".jsonld":
        return read_text(path, exact=True), dumps(read_jsonld(path, "the JSON-LD context"))
    text = read_text(path, exact=True)  # a file with \r\n line ends is not in canonical form
    graph: Graph = new_graph()
    prefixes = parse_turtle_text(text, str(path), graph, {})
    return text, serialize(graph, prefixes)


def curated_files(project: Project) -> list[Path]:
    """Every hand-edited file with a canonical form: the Turtle under ontology/ and shapes/, and the context."""
    context = project.context
    return discover(project.curated_dirs()) + ([context] if context.is_file() else [])


def fmt(paths: Sequence[Path], *, check: bool) -> list[FmtResult]:
    """Compare (and unless ``check``, rewrite) each file; nothing is written when any file fails to parse."""
    results = []
    planned: list[tuple[Path, str]] = []
    for path in discover(paths):
        text, canon = canonical(path)
        results.append(FmtResult(path, text != canon))
        if text != canon:
            planned.append((path, canon))
    if not check:
        for path, canon in planned:
            write_one(canon, path)
    return results
