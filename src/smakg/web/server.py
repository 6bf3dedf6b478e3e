"""``smakg serve``: a read-only SPARQL 1.1 Protocol endpoint with dereferenceable entity IRIs, on the standard
library's threading HTTP server; queries run in worker processes (workers.py) so a time limit can stop them.

Routes: ``/sparql`` (and ``/``): a query by GET or POST (``query`` parameter, form body, or an
``application/sparql-query`` body); without a query, the service description (``/`` in a browser: the site's
landing page). ``/id/...``: an entity as Turtle, JSON-LD, N-Triples, RDF/XML or HTML by ``Accept``; ``/vocab``: the
vocabulary, the same way. The files of the site (web.site: ``/index.html``, ``/id/.../X.html``, ``.svg``, ``.ttl``,
``.jsonld``, ``/term/...``, ``/vocab.html``, ``/search.json``, ``/static/...``) are the bytes ``smakg site`` writes.
``/find?q=TEXT``: entities by name, alias or identifier, as JSON or an HTML page. ``/health``: a JSON health check.
Every answer carries CORS headers and the security headers (Content-Security-Policy, nosniff, no framing).
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import parse_qs, urlsplit

from rdflib import Graph
from rdflib.namespace import OWL, RDF, RDFS

from smakg import __version__
from smakg.errors import BadInputError
from smakg.kb.turtle import to_ntriples
from smakg.sparql.query import graph_text
from smakg.web.conneg import (
    FIND_FORMATS,
    GRAPH_FORMATS,
    HTML,
    JSONLD,
    NTRIPLES,
    PAGE_FORMATS,
    RDFXML,
    TABLE_FORMATS,
    TURTLE,
    Format,
    choose,
)
from smakg.web.html import SECURITY_HEADERS
from smakg.web.jobs import Config, FindJob, PageJob, QueryJob, Reply, Settings, SiteInputs, SiteJob, problem
from smakg.web.pages import find_html, iri_for_path
from smakg.web.service import description_graph, landing_page
from smakg.web.site import MEDIA
from smakg.web.workers import WorkerPool

ENDPOINT_PATHS = ("/", "/sparql")
SITE_SUFFIXES = tuple(MEDIA)  # the suffixes of the site's files (web.site)
DESCRIPTION_FORMATS = (TURTLE, HTML, JSONLD, NTRIPLES, RDFXML)
UPDATE_WORDS = "INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ADD, MOVE, COPY"


class Server(ThreadingHTTPServer):
    """The HTTP server: one thread per connection, at most ``config.max_connections`` at once (more get a short
    503 and are closed), each socket read bounded by ``config.idle_timeout`` and each request (its line, headers
    and body) by ``config.request_timeout`` in all, so idle, slow-header and partial-body clients cannot hold
    threads."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, config: Config, pool: WorkerPool, origin: str, log: TextIO = sys.stderr,
                 vocabulary: Graph | None = None) -> None:
        super().__init__((config.host, config.port), Handler)
        self.vocabulary = vocabulary  # an rdflib Graph of ontology/smakg.ttl, served at /vocab
        self.config = config
        self.pool = pool
        self.origin = origin
        self.log = log
        self.started = time.time()
        self.answered = 0
        self.refused_connections = 0
        self.timed_out = 0
        self._log_lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(config.max_connections)
        self._deadlines: dict[Any, float] = {}  # socket -> when its request must have been read
        self._deadline_lock = threading.Lock()
        threading.Thread(target=self._reap, daemon=True, name="smakg-reaper").start()

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._slots.acquire(blocking=False):
            self.refused_connections += 1
            with contextlib.suppress(OSError):
                request.sendall(b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
                                b"Retry-After: 1\r\nConnection: close\r\nContent-Length: 33\r\n\r\n"
                                b"too many connections; try again\r\n")
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.request_read(request)
            self._slots.release()

    def reading_request(self, request: Any) -> None:
        """A request starts (its line, headers and body are being read): it has ``request_timeout`` seconds."""
        with self._deadline_lock:
            self._deadlines[request] = time.monotonic() + self.config.request_timeout

    def request_read(self, request: Any) -> None:
        with self._deadline_lock:
            self._deadlines.pop(request, None)

    def _reap(self) -> None:
        """Shut the sockets of requests that are still being read after their deadline (a slow-header or
        slow-body client), which ends their threads' reads at once."""
        while True:
            time.sleep(0.25)
            now = time.monotonic()
            with self._deadline_lock:
                late = [sock for sock, deadline in self._deadlines.items() if deadline < now]
                for sock in late:
                    del self._deadlines[sock]
            for sock in late:
                self.timed_out += 1
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        assert isinstance(host, str)  # the address the server bound (config.host), not bytes
        return f"http://{host}:{port}"

    def write_log(self, line: str) -> None:
        with self._log_lock:
            print(line, file=self.log, flush=True)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = f"smakg/{__version__}"
    server: Server

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self.server.config.idle_timeout)  # each read: an idle client is let go

    def handle_one_request(self) -> None:
        """One request, whose line, headers and body must all arrive within ``request_timeout``."""
        self.server.reading_request(self.request)
        try:
            super().handle_one_request()
        except (TimeoutError, ConnectionError):
            self.close_connection = True
        finally:
            self.server.request_read(self.request)

    def parse_request(self) -> bool:
        """The standard parsing, then what it lets through: more than one Content-Length (or one with
        Transfer-Encoding) is a smuggling attempt or a broken client: 400, connection closed."""
        if not super().parse_request():
            return False
        lengths = self.headers.get_all("Content-Length") or []
        if len(lengths) > 1 or (lengths and self.headers.get("Transfer-Encoding")):
            self.close_connection = True
            self._begin()
            self._close = True
            self._send(problem(400, "more than one Content-Length, or Content-Length with Transfer-Encoding: "
                                    "send one Content-Length"))
            return False
        if self.command != "POST":
            if lengths:  # a body nobody reads would be taken for the next request
                self.close_connection = True
            self.server.request_read(self.request)  # the request is in; answering it is bounded by the time limit
        return True

    # ---- plumbing -------------------------------------------------------------------------------------------
    def log_message(self, format: str, *args: Any) -> None:
        """Silence the default access log: ``_send`` writes one line per request with status and duration."""

    def _begin(self) -> None:
        self._t0 = time.perf_counter()
        self._close = False

    def _send(self, reply: Reply, *, vary: bool = False, head: bool = False) -> None:
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Expose-Headers", "Smakg-Truncated, Warning, Content-Length, Vary")
        if vary:
            self.send_header("Vary", "Accept")
        for key, value in SECURITY_HEADERS.items():
            if key not in reply.headers:
                self.send_header(key, value)
        for key, value in reply.headers.items():
            self.send_header(key, value)
        if self._close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if not head:
            self.wfile.write(reply.body)
        ms = (time.perf_counter() - self._t0) * 1000
        self.server.answered += 1
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S%z")
        path = self.path if len(self.path) <= 200 else self.path[:200] + "..."
        self.server.write_log(f"{stamp} {self.client_address[0]} {self.command} {path} {reply.status} "
                              f"{len(reply.body)}B {ms:.1f}ms {reply.note}".rstrip())
        if reply.log:
            self.server.write_log(reply.log.rstrip())

    def _guard(self, handler: Callable[[], tuple[Reply, bool]], head: bool = False) -> None:
        self._begin()
        try:
            reply, vary = handler()
        except Exception as exc:  # never a traceback to the client; the log gets one line
            reply, vary = problem(500, f"internal error: {type(exc).__name__}: {exc}"), False
        self._send(reply, vary=vary, head=head)

    # ---- methods --------------------------------------------------------------------------------------------
    def do_GET(self) -> None:
        self._guard(self._get)

    def do_HEAD(self) -> None:
        self._guard(self._get, head=True)

    def do_POST(self) -> None:
        self._guard(self._post)

    def do_OPTIONS(self) -> None:
        self._begin()
        self.send_response(204)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Methods", "GET, POST, HEAD, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "Accept, Content-Type")
        self.send_header("Access-Control-Max-Age", "86400")
        self.send_header("Allow", "GET, POST, HEAD, OPTIONS")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _not_allowed(self) -> None:
        self._begin()
        self._close = True
        self._send(problem(405, f"{self.command} is not allowed: this endpoint is read-only (GET, POST, HEAD, "
                                "OPTIONS)", Allow="GET, POST, HEAD, OPTIONS"))

    do_PUT = do_DELETE = do_PATCH = _not_allowed

    # ---- routes ---------------------------------------------------------------------------------------------
    def _get(self) -> tuple[Reply, bool]:
        url = urlsplit(self.path)
        if url.path == "/health":
            return self._health(), False
        if url.path.endswith(SITE_SUFFIXES) or url.path.startswith(("/static/", "/term/")):
            return self.server.pool.run(SiteJob(url.path.removeprefix("/"))), False
        if url.path.startswith("/id/"):
            return self._page(url.path, url.query)
        if url.path == "/vocab":
            return self._vocabulary(url.query)
        if url.path == "/find":
            return self._find(url.query)
        if url.path in ENDPOINT_PATHS:
            params, error = _params(url.query)
            if error:
                return error, False
            if url.path == "/" and "query" not in params and "update" not in params:
                fmt = choose(self.headers.get("Accept"), DESCRIPTION_FORMATS, (params.get("format") or [""])[0] or None)
                if fmt is not None and fmt.name == "html":  # a browser at the top: the site's landing page
                    return self.server.pool.run(SiteJob("index.html")), True
            return self._endpoint(params)
        return problem(404, f"{url.path}: not found; the SPARQL endpoint is /sparql, entities are under /id/, "
                            "/find?q=TEXT finds them by name"), False

    def _post(self) -> tuple[Reply, bool]:
        url = urlsplit(self.path)
        if url.path not in ENDPOINT_PATHS:
            self._close = True
            return problem(405, f"POST {url.path}: only the SPARQL endpoint (/sparql) takes POST",
                           Allow="GET, HEAD, OPTIONS"), False
        length = self.headers.get("Content-Length")
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked" or length is None:
            self._close = True
            return problem(411, "a POST needs a Content-Length header (chunked bodies are not accepted)"), False
        try:
            size = int(length)
        except ValueError:
            self._close = True
            return problem(400, f"Content-Length {length!r} is not a number"), False
        if size > self.server.config.max_body:
            self._close = True  # the body is not read: the connection cannot be reused
            return problem(413, f"the request body ({size} bytes) is above the limit of "
                                f"{self.server.config.max_body} bytes"), False
        if size < 0:
            self._close = True
            return problem(400, f"Content-Length {length!r} is negative"), False
        raw = b""
        try:
            while len(raw) < size:
                chunk = self.rfile.read1(size - len(raw))
                if not chunk:
                    break
                raw += chunk
        except (TimeoutError, OSError):
            pass
        self.server.request_read(self.request)
        if len(raw) < size:  # the client sent less than it announced and then stopped (or was too slow)
            self._close = True
            return problem(408, f"the request body ended after {len(raw)} of the {size} bytes its Content-Length "
                                "announced (or arrived too slowly)"), False
        try:
            body = raw.decode("utf-8")
        except UnicodeDecodeError:
            return problem(400, "the request body is not UTF-8"), False
        params, error = _params(url.query)
        if error:
            return error, False
        media = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if media == "application/sparql-update":
            return _update_refused(), False
        if media == "application/sparql-query":
            if "query" in params:
                return problem(400, "give the query either in the body or as a parameter, not both"), False
            params["query"] = [body]
        elif media == "application/x-www-form-urlencoded":
            form, error = _params(body)
            if error:
                return error, False
            for key, values in form.items():
                params.setdefault(key, []).extend(values)
        else:
            return problem(415, f"Content-Type {media or '(none)'} is not accepted: send application/sparql-query "
                                "or application/x-www-form-urlencoded"), False
        if "query" not in params and "update" not in params:
            return problem(400, "no query: send the SPARQL text in a query parameter or as the body"), False
        return self._endpoint(params)

    def _endpoint(self, params: dict[str, list[str]]) -> tuple[Reply, bool]:
        if "update" in params:
            return _update_refused(), False
        for name in ("default-graph-uri", "named-graph-uri"):
            if name in params:
                return problem(400, f"{name} is not supported: the dataset is the one local graph"), False
        fmt_param = (params.get("format") or params.get("output") or (None,))[0]
        if "query" not in params:
            return self._description(fmt_param), True
        if len(params["query"]) != 1:
            return problem(400, "exactly one query parameter, please"), False
        text = params["query"][0]
        if not text.strip():
            return problem(400, "the query is empty"), False
        accept = self.headers.get("Accept")
        table, graph = choose(accept, TABLE_FORMATS, fmt_param), choose(accept, GRAPH_FORMATS, fmt_param)
        if table is None and graph is None:
            offered = ", ".join(f.media_type for f in TABLE_FORMATS + GRAPH_FORMATS)
            return problem(406, f"nothing this endpoint writes fits Accept: {accept}; it writes {offered}"), True
        return self.server.pool.run(QueryJob(text, table, graph)), True

    def _negotiate(self, formats: Sequence[Format], params: Mapping[str, list[str]],
                   message: str) -> tuple[Format | None, Reply]:
        """The format the Accept header (or a ``format`` parameter) asks for among ``formats``; when none fits, a
        406 whose ``message`` names the formats offered (``{}``)."""
        given = params.get("format")
        fmt = choose(self.headers.get("Accept"), formats, given[0] if given else None)
        offered = ", ".join(f.media_type for f in formats)
        return fmt, problem(406, message.format(offered))

    def _page(self, path: str, query: str) -> tuple[Reply, bool]:
        iri = iri_for_path(path)
        if iri is None:
            return problem(404, f"{path}: not an entity path (/id/KIND/NAME)"), False
        params, error = _params(query)
        if error:
            return error, False
        fmt, refused = self._negotiate(PAGE_FORMATS, params, f"{path} is available as {{}}; the Accept header allows "
                                       "none")
        if fmt is None:
            return refused, True
        if fmt.name == "html":  # the site's page of the entity, the same bytes as its .html file
            return self.server.pool.run(SiteJob(path.removeprefix("/") + ".html")), True
        return self.server.pool.run(PageJob(iri, fmt)), True

    def _find(self, query: str) -> tuple[Reply, bool]:
        params, error = _params(query)
        if error:
            return error, False
        fmt, refused = self._negotiate(FIND_FORMATS, params, "/find is available as {}; the Accept header allows none")
        if fmt is None:
            return refused, True
        texts = params.get("q", [])
        if len(texts) > 1:
            return problem(400, "exactly one q parameter, please"), False
        if not texts and fmt.name == "html":  # the empty search page
            return Reply(200, fmt.content_type, find_html("", [], False).encode("utf-8"), note="find"), True
        if not texts:
            return problem(400, "/find needs a q parameter: a name, an alias or an identifier "
                                "(/find?q=SMARD1, /find?q=MONDO:0011436)"), False
        return self.server.pool.run(FindJob(texts[0], fmt)), True

    def _vocabulary(self, query: str) -> tuple[Reply, bool]:
        graph = self.server.vocabulary
        if graph is None:
            return problem(404, "/vocab: this server was started without the project's vocabulary"), False
        params, error = _params(query)
        if error:
            return error, False
        fmt, refused = self._negotiate(PAGE_FORMATS, params, "/vocab is available as {}; the Accept header allows none")
        if fmt is None:
            return refused, True
        if fmt.name == "html":
            return self.server.pool.run(SiteJob("vocab.html")), True
        body = graph_text(to_ntriples(graph), fmt.name, context=self.server.pool.settings.context)
        return Reply(200, fmt.content_type, body.encode("utf-8"), note="vocabulary"), True

    def _health(self) -> Reply:
        pool = self.server.pool
        body = {"status": "ok" if pool.live == pool.size else "degraded", "version": __version__,
                "triples": pool.triples, "engine": self.server.config.engine, "workers": pool.size,
                "live_workers": pool.live,
                "idle_workers": pool.idle.qsize(), "stopped_queries": pool.stopped_queries,
                "workers_offline": pool.no_guard is None, "crashed_workers": pool.crashed_workers,
                "refused_repeats": pool.refused_repeats, "timed_out_requests": self.server.timed_out,
                "refused_connections": self.server.refused_connections,
                "uptime_s": round(time.time() - self.server.started, 1), "data": self.server.origin}
        return Reply(200, "application/json", (json.dumps(body, indent=1) + "\n").encode("utf-8"), note="health")

    def _description(self, fmt_param: str | None) -> Reply:
        fmt, refused = self._negotiate(DESCRIPTION_FORMATS, {"format": [fmt_param]} if fmt_param else {},
                                       "the service description is available as {}")
        if fmt is None:
            return refused
        base = f"http://{_host(self.headers.get('Host')) or self.server.url.removeprefix('http://')}"
        if fmt.name == "html":
            body = landing_page(base, self.server)
        else:
            body = graph_text(to_ntriples(description_graph(base, self.server)), fmt.name)
        return Reply(200, fmt.content_type, body.encode("utf-8"), note="service description")


def _host(header: str | None) -> str | None:
    """The Host header as host[:port] when it is one (parsed, not pattern-matched), else None (the server's own
    address is used instead).

    >>> _host("example.org:8000"), _host("[::1]:80"), _host("a b"), _host("x/y"), _host("h:99999"), _host("u@h")
    ('example.org:8000', '[::1]:80', None, None, None, None)
    """
    if not header or len(header) > 255:
        return None
    try:
        parts = urlsplit(f"//{header}")
        port = parts.port
    except ValueError:
        return None
    name = parts.hostname
    if not name or parts.path or parts.query or parts.fragment or parts.username is not None:
        return None
    if ":" in name:  # an IPv6 address, which urlsplit took from between brackets
        try:
            ipaddress.IPv6Address(name)
        except ValueError:
            return None
        name = f"[{name}]"
    elif not all(label and label.isascii() and all(c.isalnum() or c == "-" for c in label)
                 for label in name.rstrip(".").split(".")):
        return None
    return name if port is None else f"{name}:{port}"


def _params(query: str) -> tuple[dict[str, list[str]], Reply | None]:
    try:
        return parse_qs(query, keep_blank_values=True, strict_parsing=False, errors="strict"), None
    except UnicodeDecodeError:
        return {}, problem(400, "the parameters are not UTF-8 (percent-encode UTF-8 bytes)")
    except ValueError as exc:
        return {}, problem(400, f"malformed parameters: {exc}")


def _update_refused() -> Reply:
    return problem(403, f"updates are refused: this endpoint is read-only ({UPDATE_WORDS} are never run)")


def serve(config: Config, data: bytes | Path, origin: str, *, context: dict[str, Any] | None = None,
          vocabulary: Graph | None = None, site: SiteInputs | None = None, out: TextIO = sys.stdout,
          ready: threading.Event | None = None) -> None:
    """Start the workers and the server; serve until interrupted (Ctrl-C or SIGTERM)."""
    labels = None
    if vocabulary is not None:  # the kinds /find names: each class's label in the vocabulary
        labels = {str(c): str(label) for c in vocabulary.subjects(RDF.type, OWL.Class)
                  for label in vocabulary.objects(c, RDFS.label)}
    pool = WorkerPool(data, Settings(config.engine, config.row_limit, context, labels, site or SiteInputs(),
                                     config.max_answer_bytes, config.worker_memory_mb),
                      size=config.workers, time_limit=config.time_limit)
    pool.start()
    try:
        server = Server(config, pool, origin, vocabulary=vocabulary)
    except OSError as exc:
        pool.close()
        raise BadInputError(f"cannot listen on {config.host}:{config.port}: {exc.strerror}",
                            hint="choose another --port (0 picks a free one) or stop the other server") from None

    def stop(*_: object) -> None:
        threading.Thread(target=server.shutdown, daemon=True).start()

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, stop)
    print(f"smakg serve: {pool.triples} triples from {origin}\n"
          f"  SPARQL endpoint {server.url}/sparql ({config.workers} {config.engine} workers, time limit "
          f"{config.time_limit:g} s, row limit {config.row_limit}, body limit {config.max_body} bytes)\n"
          f"  entities at {server.url}/id/..., search at {server.url}/find?q=..., health at {server.url}/health; "
          "Ctrl-C stops\n"
          + ("  network: the query workers cannot open network sockets (seccomp)" if pool.no_guard is None else
             f"  WARNING: the query workers keep network access ({pool.no_guard}); SERVICE is refused by the "
             "query parser alone"), file=out, flush=True)
    if ready is not None:
        ready.set()
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        pool.close()
