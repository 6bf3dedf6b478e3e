"""Load curated Turtle, remembering the file and line where every subject is first described.

rdflib's own Turtle parser does the parsing; a sink of ours records, for each triple, the line the parser
is on, so any report can point a curator at ``file:line``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from rdflib import Graph, Literal, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax, Formula, RDFSink, SinkParser
from rdflib.term import Node

from smakg.errors import BadInputError
from smakg.files import read_text
from smakg.findings import Location
from smakg.kb.jsonld_input import parse_jsonld_file

# rdflib logs a traceback for every ill-typed literal (say "2025-10-35"^^xsd:date); the shapes report those
# as violations with file and line instead.
logging.getLogger("rdflib.term").setLevel(logging.CRITICAL)

# A \uD800-style escape decodes to a lone surrogate: not a Unicode character, and no UTF-8 file can hold it.
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass
class Loaded:
    """A graph with the location of every subject and the prefixes each file declared."""

    graph: Graph
    locations: dict[Node, Location] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    prefixes: dict[str, dict[str, str]] = field(default_factory=dict)

    def where(self, node: Node) -> Location | None:
        return self.locations.get(node)


class _TrackingSink(RDFSink):
    """An RDFSink that records the parser's current line for each subject it sees."""

    def __init__(self, graph: Graph, file: str, locations: dict[Node, Location]) -> None:
        super().__init__(graph)
        self.parser: SinkParser | None = None
        self.file = file
        self.locations = locations

    def makeStatement(self, quadruple: tuple[Formula | Graph | None, Node, Node, Node], why: Any = None) -> None:
        for term in quadruple[1:]:
            if isinstance(term, Literal | URIRef) and _SURROGATE.search(term):
                line = self.parser.lines + 1 if self.parser is not None else 0
                raise BadInputError(
                    f"{self.file}:{line}: a \\uD800-\\uDFFF escape (a lone surrogate) is not a Unicode character",
                    hint="write the character itself, or a \\U0001F600-style escape for characters beyond U+FFFF")
        super().makeStatement(quadruple, why)
        _f, _p, s, _o = quadruple
        # rdflib types normalise's formula as Formula | None, narrower than makeStatement's (it only tests isinstance)
        subject = self.normalise(cast("Formula | None", _f), s)
        if subject not in self.locations and self.parser is not None:
            self.locations[subject] = Location(self.file, self.parser.lines + 1)


def new_graph() -> Graph:
    """A graph with no prefixes bound (rdflib's defaults would leak into output)."""
    return Graph(bind_namespaces="none")


def parse_turtle_text(
    text: str, file: str, graph: Graph, locations: dict[Node, Location]
) -> dict[str, str]:
    """Parse Turtle text into ``graph``; return the prefixes it declared. Raise BadInputError on bad syntax."""
    sink = _TrackingSink(graph, file, locations)
    parser = SinkParser(sink, baseURI=Path(file).resolve().as_uri(), turtle=True)
    sink.parser = parser
    try:
        parser.loadBuf(text.removeprefix("\ufeff"))  # a byte order mark is no Turtle, but editors write one
    except BadSyntax as exc:
        line = exc.lines + 1
        lines = text.splitlines()
        shown = lines[line - 1].strip() if 0 < line <= len(lines) else ""
        raise BadInputError(
            f"{file}:{line}: Turtle syntax error: {exc._why}" + (f"\n  near: {shown[:120]}" if shown else ""),
            hint="fix the Turtle at that line (an undeclared prefix needs an @prefix line at the top)",
        ) from None
    except RecursionError:  # rdflib's parser recurses once per nested list or blank node
        raise BadInputError(
            f"{file}:{parser.lines + 1}: Turtle nested too deeply (lists or [ ] blank nodes inside each other, "
            "more than about a hundred levels)", hint="flatten the structure: give the inner nodes IRIs") from None
    except IndexError:  # rdflib's tokenizer reads past the end of a text cut short ("@", "@pre")
        raise BadInputError(f"{file}:{parser.lines + 1}: Turtle syntax error: the file ends in the middle of a "
                            "directive or statement", hint="complete or remove the last statement") from None
    except (ValueError, TypeError, AssertionError) as exc:  # rdflib raises these for some malformed terms
        raise BadInputError(f"{file}:{parser.lines + 1}: Turtle could not be read: {exc}",
                            hint="fix the Turtle at that line") from None
    return {str(k): str(v) for k, v in parser._bindings.items()}


def discover(paths: Iterable[Path]) -> list[Path]:
    """Expand directories to the ``*.ttl`` files below them, sorted; keep files as given."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*.ttl") if p.is_file()))
        elif path.exists():
            found.append(path)
        else:
            raise BadInputError(f"{path}: no such file or directory", hint="check the path")
    return found


def load_files(paths: Sequence[Path], *, into: Loaded | None = None) -> Loaded:
    """Parse every Turtle file (and JSON-LD file, ``.jsonld``/``.json``) into one graph. Files are read in sorted
    order so results never depend on the order given."""
    loaded = into or Loaded(graph=new_graph())
    for path in sorted(set(paths), key=lambda p: str(p)):
        name = str(path)
        if path.suffix in (".jsonld", ".json"):
            loaded.prefixes[name] = parse_jsonld_file(path, loaded.graph, loaded.locations)
        else:
            loaded.prefixes[name] = parse_turtle_text(read_text(path), name, loaded.graph, loaded.locations)
        loaded.files.append(name)
    return loaded
