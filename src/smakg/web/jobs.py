"""What the server hands a worker (a query or a page to make, with the settings) and what it gets back (a Reply),
and how ``smakg serve`` runs (Config: address, workers, limits).

>>> problem(404, "not found").status
404
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from smakg.web.conneg import Format


@dataclass
class Reply:
    """An HTTP answer: status, content type, body, extra headers, and a note for the request log."""

    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    note: str = ""
    log: str = ""  # for the server's log only (an internal error's traceback), never sent


def problem(status: int, message: str, **headers: str) -> Reply:
    """A plain-text error reply (one paragraph, never a traceback)."""
    return Reply(status, "text/plain; charset=utf-8", (message.rstrip() + "\n").encode("utf-8"), dict(headers),
                 note=message.splitlines()[0][:200])


@dataclass(frozen=True)
class QueryJob:
    text: str
    table_format: Format | None  # what to send for SELECT/ASK; None: the client accepts none (406)
    graph_format: Format | None  # for CONSTRUCT/DESCRIBE


@dataclass(frozen=True)
class PageJob:
    iri: str
    format: Format


@dataclass(frozen=True)
class FindJob:
    """A search by name or identifier (``/find?q=...``), answered as JSON or an HTML page."""

    text: str
    format: Format


@dataclass(frozen=True)
class SiteJob:
    """A file of the site (``id/condition/smard1.html``, ``index.html``, ``search.json``, an SVG ...), the same
    bytes ``smakg site`` writes."""

    path: str


@dataclass(frozen=True)
class SiteInputs:
    """What the pages need besides the graph: the vocabulary (N-Triples), the release's void.ttl (empty when there
    is none), the competency questions (file name, text) and the JSON-LD context."""

    vocabulary: str = ""
    void: str = ""
    queries: tuple[tuple[str, str], ...] = ()
    context: str = ""  # the JSON-LD context document (JSON text) of the pages' JSON-LD forms


@dataclass(frozen=True)
class Settings:
    engine: str = "oxigraph"
    row_limit: int = 10_000
    context: dict[str, Any] | None = None  # the JSON-LD context for graph answers
    class_labels: dict[str, str] | None = None  # class IRI -> its label in the vocabulary (the kinds of /find)
    site: SiteInputs = field(default_factory=SiteInputs)


@dataclass(frozen=True)
class Config:
    """How ``smakg serve`` runs: address, workers and the limits of one query."""

    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 2
    time_limit: float = 5.0
    row_limit: int = 10_000
    max_body: int = 256 * 1024
    engine: str = "oxigraph"
