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
    retire: bool = False  # the worker that made it should be replaced (it ran out of memory)


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
    max_answer_bytes: int = 16 * 1024 * 1024  # the values of one answer, in characters, before it is cut
    worker_memory_mb: int = 2048  # the address space of a worker process (0: no limit)


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
    idle_timeout: float = 10.0  # seconds any one read of a client's socket may wait
    request_timeout: float = 30.0  # seconds a request's line, headers and body may take to arrive, in all
    max_connections: int = 64  # connections served at once; more get 503 and are closed
    max_answer_bytes: int = 16 * 1024 * 1024  # an answer is cut where its values pass this many characters
    worker_memory_mb: int = 2048  # each worker's address space; a query needing more gets 503
