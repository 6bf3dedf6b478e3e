"""Load curated Turtle, remembering the file and line where every subject is first described.

rdflib's own Turtle parser does the parsing; a sink of ours records, for each triple, the line the parser
is on, so any report can point a curator at ``file:line``.
"""

from __future__ import annotations

import errno
import logging
import os
import re
import stat
import warnings
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
from smakg.kb.lexical import refuse_iri

# rdflib logs a traceback for every ill-typed literal (say "2025-10-35"^^xsd:date); the shapes report those
# as violations with file and line instead.
logging.getLogger("rdflib.term").setLevel(logging.CRITICAL)
# and warns of a boolean that is none ("x"^^xsd:boolean); the lexical check reports it, with file and line
warnings.filterwarnings("ignore", message="Parsing weird boolean", category=UserWarning)

# A \uD800-style escape decodes to a lone surrogate: not a Unicode character, and no UTF-8 file can hold it.
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass
class Loaded:
    """A graph with the location of every subject and the prefixes each file declared."""

    graph: Graph
    locations: dict[Node, Location] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    prefixes: dict[str, dict[str, str]] = field(default_factory=dict)
    literals: dict[Literal, Location] = field(default_factory=dict)  # where each typed literal is first written

    def where(self, node: Node) -> Location | None:
        return self.locations.get(node)


class _TrackingSink(RDFSink):
    """An RDFSink that records the parser's current line for each subject it sees (and each typed literal), keeps
    literals as written (rdflib would rewrite "x"^^xsd:boolean as "false"), and refuses what is no IRI."""

    def __init__(self, graph: Graph, file: str, locations: dict[Node, Location],
                 literals: dict[Literal, Location] | None = None) -> None:
        super().__init__(graph)
        self.parser: SinkParser | None = None
        self.file = file
        self.locations = locations
        self.literals = literals if literals is not None else {}
        self.valid_iris: set[str] = set()

    def _line(self) -> int:
        return self.parser.lines + 1 if self.parser is not None else 0

    def newLiteral(self, s: str, dt: URIRef | None = None, lang: str | None = None) -> Literal:
        if not dt:
            return Literal(s, lang=lang)
        literal = Literal(s, datatype=dt, normalize=False)  # the form as written: the lexical check sees it
        if literal not in self.literals:
            self.literals[literal] = Location(self.file, self._line())
        return literal

    def makeStatement(self, quadruple: tuple[Formula | Graph | None, Node, Node, Node], why: Any = None) -> None:
        for term in quadruple[1:]:
            if isinstance(term, Literal | URIRef) and _SURROGATE.search(term):
                raise BadInputError(
                    f"{self.file}:{self._line()}: a \\uD800-\\uDFFF escape (a lone surrogate) is not a Unicode "
                    "character", hint="write the character itself, or a \\U0001F600-style escape for characters "
                    "beyond U+FFFF")
            iri = term.datatype if isinstance(term, Literal) else term
            if isinstance(iri, URIRef) and iri not in self.valid_iris:
                refuse_iri(str(iri), f"{self.file}:{self._line()}")
                self.valid_iris.add(iri)
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
    text: str, file: str, graph: Graph, locations: dict[Node, Location],
    literals: dict[Literal, Location] | None = None,
) -> dict[str, str]:
    """Parse Turtle text into ``graph``; return the prefixes it declared. Raise BadInputError on bad syntax and on
    an IRI that is not one. ``literals``: where each typed literal is first written (filled in)."""
    sink = _TrackingSink(graph, file, locations, literals)
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


def _unreadable(path: Path, exc: OSError) -> BadInputError:
    if exc.errno == errno.ELOOP:
        return BadInputError(f"{path}: a loop of symbolic links, so it cannot be read",
                             hint="point the link at a real file or folder, or remove it")
    return BadInputError(f"{path}: cannot be read ({exc.strerror or exc}), so its data would be left out",
                         hint="make it readable (chmod u+rX), or move it out of the folder")


def _regular(path: Path) -> Path:
    """``path`` if it is a regular file (or a link to one); BadInputError naming it otherwise: a link to nothing, a
    link loop, a FIFO or a device would be skipped (or, read, block forever), and its data left out."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise BadInputError(f"{path}: a symbolic link to nothing (its target {os.readlink(path)!r} is missing)"
                            if path.is_symlink() else f"{path}: no such file or directory",
                            hint="restore the target, or remove the link") from None
    except OSError as exc:
        raise _unreadable(path, exc) from None
    if not stat.S_ISREG(info.st_mode) and not stat.S_ISDIR(info.st_mode):
        raise BadInputError(f"{path}: not a regular file (a FIFO, socket or device), so it cannot be read as Turtle",
                            hint="replace it with the file itself, or move it out of the folder")
    return path


def _walk(folder: Path) -> list[Path]:
    """Every ``*.ttl`` file below ``folder``, following symbolic links to folders (each folder once, so a link loop
    ends). A folder that cannot be listed, a link to nothing and a ``*.ttl`` that is no regular file are bad input:
    nothing below the folder is ever skipped without a word."""
    found: list[Path] = []
    seen: set[tuple[int, int]] = set()

    def refuse(exc: OSError) -> None:
        raise _unreadable(Path(exc.filename or folder), exc)

    for top, dirs, files in os.walk(folder, onerror=refuse, followlinks=True):
        here = Path(top)
        info = here.stat()
        if (info.st_dev, info.st_ino) in seen:  # a link back to a folder already read
            dirs.clear()
            continue
        seen.add((info.st_dev, info.st_ino))
        dirs.sort()  # folders in name order, so which path a linked folder is read under never varies
        for name in files:  # os.walk lists links to nothing, FIFOs and devices among the files
            path = here / name
            if name.endswith(".ttl") or path.is_symlink():
                if _regular(path).is_file() and name.endswith(".ttl"):
                    found.append(path)
    return sorted(found)


def discover(paths: Iterable[Path]) -> list[Path]:
    """Expand directories to the ``*.ttl`` files below them, sorted; keep files as given. Anything that cannot be
    read is bad input, never skipped (see ``_walk``)."""
    found: list[Path] = []
    for path in paths:
        if not path.exists() and not path.is_symlink():
            try:
                path.stat()
            except FileNotFoundError:
                raise BadInputError(f"{path}: no such file or directory", hint="check the path") from None
            except OSError as exc:
                raise _unreadable(path, exc) from None
        if _regular(path).is_dir():
            found.extend(_walk(path))
        else:
            found.append(path)
    return found


def load_files(paths: Sequence[Path], *, into: Loaded | None = None) -> Loaded:
    """Parse every Turtle file (and JSON-LD file, ``.jsonld``/``.json``) into one graph. Files are read in sorted
    order so results never depend on the order given."""
    loaded = into or Loaded(graph=new_graph())
    for path in sorted(set(paths), key=lambda p: str(p)):
        name = str(path)
        if path.suffix in (".jsonld", ".json"):
            loaded.prefixes[name] = parse_jsonld_file(path, loaded.graph, loaded.locations, loaded.literals)
        else:
            loaded.prefixes[name] = parse_turtle_text(read_text(path), name, loaded.graph, loaded.locations,
                                                      loaded.literals)
        loaded.files.append(name)
    return loaded
