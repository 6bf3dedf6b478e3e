"""One function per export format; each returns the text, ``write_all`` writes them atomically."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from rdflib import Graph
from rdflib.plugins.serializers.nt import _nt_row

from . import __version__
from .errors import BadInputError
from .jsonld_flat import dumps, read_context, to_flat
from .jsonld_framed import to_conditions
from .schemaorg import download_url
from .turtle import serialize
from .vocab import PREFIXES


def to_turtle(graph: Graph) -> str:
    return serialize(graph, PREFIXES)


def to_ntriples(graph: Graph) -> str:
    return "".join(sorted(_nt_row(t) for t in graph))


def load_context(path: Path) -> dict:
    """The JSON-LD context document (``{"@context": {...}}``), read locally and checked by pyld."""
    return read_context(path)


def to_jsonld(graph: Graph, context: dict) -> str:
    """Compact JSON-LD 1.1 with the context inline and a flat, sorted ``@graph`` (pyld's compaction)."""
    return to_flat(graph, context)


def to_conditions_jsonld(graph: Graph, context: dict, frame: dict, *, source: str = "the frame") -> str:
    """One framed JSON-LD document per condition, then the nodes they do not hold, the context inline."""
    return to_conditions(graph, context, frame, source=source)


def to_context(context: dict, version: str = __version__) -> str:
    """The published context document: the same ``@context`` bytes as every export, named by its release."""
    return dumps({"@context": context["@context"], "id": str(download_url("context.jsonld", version)),
                  "version": version})


def write_all(outputs: dict[str, str], out_dir: Path) -> list[Path]:
    """Write every file or none: all go to temporary files first, then each is renamed into place. On any
    failure no temporary file stays behind, and a directory this call created is removed again."""
    created = not out_dir.exists()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BadInputError(f"{out_dir}: cannot create the output directory ({exc.strerror})",
                            hint="choose a writable --out directory") from None
    temps: list[tuple[Path, Path]] = []
    try:
        for name, text in sorted(outputs.items()):
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=out_dir)
            temps.append((Path(tmp), out_dir / name))
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
            os.chmod(tmp, 0o644)
        for tmp, final in temps:
            os.replace(tmp, final)
    except BaseException as exc:  # whatever went wrong (a full disk, an unencodable character, Ctrl-C)
        for tmp, _ in temps:
            tmp.unlink(missing_ok=True)
        if created:
            with contextlib.suppress(OSError):
                out_dir.rmdir()
        if isinstance(exc, OSError):
            raise BadInputError(f"{out_dir}: cannot write the exports ({exc.strerror})",
                                hint="make the directory writable or choose another --out") from None
        raise
    return [final for _, final in temps]


def write_one(text: str, path: Path) -> Path:
    """Atomically write one file."""
    return write_all({path.name: text}, path.parent)[0]
