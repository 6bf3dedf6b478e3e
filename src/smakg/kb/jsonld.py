"""JSON-LD without the network: a pyld document loader that refuses every URL, a reader for the JSON-LD files
smakg is given (its context, frames, an integrator's own) that refuses remote references up front, pyld's errors on
one line, and the one byte form of every JSON-LD file smakg writes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal, overload

from pyld import jsonld

from smakg.errors import BadInputError
from smakg.files import read_text

REMOTE_SCHEMES = ("http://", "https://", "//")


def offline_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """Refuse every URL: smakg's JSON-LD embeds its context, so nothing needs fetching."""
    raise jsonld.JsonLdError(
        f"offline: refusing to load {url!r}; embed the context inline (smakg never fetches anything)",
        "jsonld.LoadDocumentError", {"url": url, "reason": "offline"}, code="loading document failed")


OPTIONS = {"documentLoader": offline_loader}


def remote_references(value: object, path: str = "$") -> list[tuple[str, str]]:
    """Every ``@context`` or ``@import`` that names a document to load, as (JSON path, reference).

    >>> remote_references({"@context": ["https://schema.org/", {"a": "http://x/a"}]})
    [('$.@context[0]', 'https://schema.org/')]
    """
    found: list[tuple[str, str]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}"
            if key in ("@context", "@import"):
                items = item if isinstance(item, list) else [item]
                for i, ref in enumerate(items):
                    spot = f"{where}[{i}]" if isinstance(item, list) else where
                    if isinstance(ref, str):
                        found.append((spot, ref))
                    else:
                        found.extend(remote_references(ref, spot))
            else:
                found.extend(remote_references(item, where))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found.extend(remote_references(item, f"{path}[{i}]"))
    return found


MAX_DEPTH = 100  # JSON nesting smakg reads; its own files nest 15 deep at most, and JSON-LD processors recurse


def depth(value: object) -> int:
    """How deeply JSON arrays and objects nest (a scalar: 0), found without recursion.

    >>> depth({"a": [1, {"b": 2}]}), depth("x")
    (3, 0)
    """
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def load_json(text: str, path: Path, what: str) -> Any:
    """``json.loads``, with nesting bounded: deeper than MAX_DEPTH is bad input (the parser itself recurses once
    per level, and so do the JSON-LD and JSON Schema processors after it)."""
    too_deep = BadInputError(f"{path}: {what} nests arrays or objects more than {MAX_DEPTH} levels deep",
                             hint="flatten the document: JSON-LD nodes can refer to each other by @id")
    try:
        doc = json.loads(text)
    except RecursionError:
        raise too_deep from None
    if depth(doc) > MAX_DEPTH:
        raise too_deep
    return doc


@overload
def read_jsonld(path: Path, what: str, *, top_level_list: Literal[False] = False) -> dict[str, Any]: ...


@overload
def read_jsonld(path: Path, what: str, *, top_level_list: bool) -> dict[str, Any] | list[Any]: ...


def read_jsonld(path: Path, what: str, *, top_level_list: bool = False) -> dict[str, Any] | list[Any]:
    """A JSON-LD file as a JSON object (or a list of them, if allowed); a parse error names the line, a context
    URL is refused before any processor sees it (no request is ever made)."""
    text = read_text(path)
    try:
        doc = load_json(text, path, what)
    except json.JSONDecodeError as exc:
        raise BadInputError(f"{path}:{exc.lineno}:{exc.colno}: {what} is not valid JSON: {exc.msg}",
                            hint="fix the JSON at that line (a trailing comma or a missing quote is the usual cause)"
                            ) from None
    if not isinstance(doc, dict) and not (top_level_list and isinstance(doc, list)):
        kind = {list: "array", str: "string", bool: "boolean", type(None): "null"}.get(type(doc), "number")
        raise BadInputError(f"{path}: {what} must be a JSON object, found a JSON {kind}")
    refs = remote_references(doc)
    if refs:
        spot, ref = refs[0]
        kind = "a remote context" if ref.startswith(REMOTE_SCHEMES) else "a context reference"
        raise BadInputError(
            f"{path}: {what} names {kind} at {spot}: {ref!r}; smakg never loads documents (no network, no files "
            "named inside JSON-LD)",
            hint="put the context inline as a JSON object (copy dist/context.jsonld's \"@context\"), "
                 "or leave \"@context\" out where smakg supplies its own")
    return doc


def jsonld_error(exc: BaseException) -> str:
    """pyld's error on one line: its message, code, short details (a URL, a term) and causes."""
    if not isinstance(exc, jsonld.JsonLdError):
        return str(exc)
    parts = [str(exc.args[0]).rstrip(".") if exc.args else exc.type]
    short = {k: v for k, v in (exc.details or {}).items() if isinstance(v, str | int) and len(str(v)) <= 100}
    if short:
        parts.append(", ".join(f"{k}={v!r}" for k, v in sorted(short.items())))
    if exc.code:
        parts.append(f"({exc.code})")
    cause = exc.__cause__ or (exc.details or {}).get("cause")
    if isinstance(cause, BaseException):
        parts.append(f"caused by: {jsonld_error(cause)}")
    return " ".join(parts)


def dumps(doc: dict[str, Any]) -> str:
    """The byte form of every JSON-LD file: UTF-8, one-space indent, a final newline. Because ``@context`` is
    always the first key at the same depth, its bytes are the same in every file that embeds it."""
    return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"
