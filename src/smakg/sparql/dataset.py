"""The graph that queries and the endpoint run over, as N-Triples: a given dump, ``dist/smakg.nt`` when it is newer
than every curated file, or a fresh in-process build (no validation) otherwise; for a store on disk
(``sparql.store``), the file itself when there is one."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.term import Node

from smakg.errors import BadInputError
from smakg.findings import Location
from smakg.kb.build import build_graph
from smakg.kb.lexical import ill_typed
from smakg.kb.load import discover, load_files
from smakg.kb.turtle import to_ntriples
from smakg.kb.vocab import show
from smakg.project import Project


@dataclass(frozen=True)
class Data:
    ntriples: bytes
    origin: str  # where it came from, for messages and logs


def curated_mtime(project: Project) -> float:
    """The newest modification time of the files a build reads."""
    files = [p for p in project.ontology.rglob("*") if p.is_file()]
    return max((p.stat().st_mtime for p in files), default=0.0)


def current_dump(project: Project, dist: Path | None = None) -> Path | None:
    """``dist/smakg.nt`` when it is newer than every curated file (so it is the graph a build would make)."""
    dump = (dist or project.dist) / "smakg.nt"
    if dump.is_file() and dump.stat().st_size and dump.stat().st_mtime >= curated_mtime(project):
        return dump
    return None


def dump_or_data(project: Project, *, data: Path | None = None,
                 progress: Callable[[], None] | None = None) -> tuple[Path | bytes, str]:
    """The graph as an N-Triples file to read straight from disk when there is one (a given .nt dump, or an
    up-to-date dist/smakg.nt), else as the bytes ``load_data`` makes; and where it came from."""
    if data is not None and data.suffix == ".nt" and data.is_file():
        return data, str(data)
    if data is None:
        project.check()
        dump = current_dump(project)
        if dump is not None:
            return dump, f"{dump} (up to date)"
    loaded = load_data(project, data=data, progress=progress)
    return loaded.ntriples, loaded.origin


def load_data(project: Project, *, data: Path | None = None, dist: Path | None = None,
              progress: Callable[[], None] | None = None) -> Data:
    """N-Triples of the graph to query (see the module docstring); ``progress`` is called before a fresh build."""
    if data is not None:
        if data.suffix not in (".ttl", ".nt"):
            raise BadInputError(f"{data}: give a Turtle (.ttl) or N-Triples (.nt) dump of the graph",
                                hint="smakg build writes dist/smakg.ttl and dist/smakg.nt")
        loaded = load_files(discover([data]))
        if len(loaded.graph) == 0:
            raise BadInputError(f"{data}: the file holds no triples")
        _refuse_ill_typed([loaded.graph], loaded.literals, loaded.locations)
        return Data(to_ntriples(loaded.graph).encode("utf-8"), str(data))
    project.check()
    dump = current_dump(project, dist)
    if dump is not None:
        return Data(dump.read_bytes(), f"{dump} (up to date)")
    if progress is not None:
        progress()
    built = build_graph(project)
    _refuse_ill_typed([built.graph, built.vocabulary], built.literal_locations, built.locations)
    return Data(to_ntriples(built.graph).encode("utf-8"), f"{project.kb} (built in memory; dist/ is stale)")


def _refuse_ill_typed(graphs: list[Graph], literals: Mapping[Literal, Location],
                      locations: Mapping[Node, Location]) -> None:
    """A graph to query holds no literal its datatype does not allow (``smakg validate`` reports each one): bad
    input, naming the first."""
    found = ill_typed(graphs)
    if found:
        s, _p, o, wrong = found[0]
        where = literals.get(o) or locations.get(s)
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        raise BadInputError(f"{where or show(s)}: {show(o)}: {wrong}{more}",
                            hint="smakg validate lists every one; correct them, then query")
