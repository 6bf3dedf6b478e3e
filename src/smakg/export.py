"""One function per export format; each returns the text, ``write_all`` writes them atomically."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path

from rdflib import Graph
from rdflib.plugins.serializers.nt import _nt_row

from .errors import BadInputError
from .turtle import serialize
from .vocab import PREFIXES


def to_turtle(graph: Graph) -> str:
    return serialize(graph, PREFIXES)


def to_ntriples(graph: Graph) -> str:
    return "".join(sorted(_nt_row(t) for t in graph))


def load_context(path: Path) -> dict:
    """The JSON-LD context document (``{"@context": {...}}``), read locally."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BadInputError(f"{path}: JSON-LD context not found") from None
    except json.JSONDecodeError as exc:
        raise BadInputError(f"{path}:{exc.lineno}: not valid JSON: {exc.msg}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("@context"), dict):
        raise BadInputError(f"{path}: a context file must be an object with an inline \"@context\" object")
    return doc


def _canonical(value):
    """Sort keys, and the members of every unordered JSON-LD array, so the bytes never vary."""
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in sorted(value.items())}
    if isinstance(value, list):
        items = [_canonical(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def to_jsonld(graph: Graph, context: dict) -> str:
    """Compact JSON-LD 1.1 with the context inline and a flat, sorted ``@graph`` (the data has no lists)."""
    ctx = context["@context"]
    text = graph.serialize(format="json-ld", context=ctx, auto_compact=False)
    doc = json.loads(text)
    nodes = doc.get("@graph", [doc] if "@id" in doc or "id" in doc else [])
    nodes = [{k: v for k, v in n.items() if k != "@context"} for n in nodes]
    nodes = sorted((_canonical(n) for n in nodes), key=lambda n: str(n.get("id", n.get("@id", ""))))
    out = {"@context": ctx, "@graph": nodes}
    return json.dumps(out, indent=1, ensure_ascii=False) + "\n"


def to_context(context: dict) -> str:
    return json.dumps(context, indent=2, ensure_ascii=False) + "\n"


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
