"""``smakg publish``: put a release into a SPARQL store so that a reader never sees half of it.

The steps, over the SPARQL 1.1 Graph Store HTTP Protocol and the SPARQL 1.1 Protocol (standard library HTTP only):

1. open ``dist/void.ttl`` and ``dist/smakg.nt`` once, both from the same folder (``smakg build`` swaps dist/ whole:
   the open folder and file stay the release that was checked), check the file against void.ttl (byte size and
   SHA-256), and read the version and the triple count from void.ttl;
2. ``PUT`` that open file, streamed in chunks (never whole in memory) and hashed again as it is sent, into the
   release's own named graph ``RELEASE_GRAPHS + version`` (a PUT replaces what the graph held); bytes that differ
   from void.ttl's SHA-256 (the file was changed in place meanwhile) are refused here;
3. ask the store how many triples that graph holds and compare with void.ttl's ``void:triples``;
4. only then ``COPY`` it to the graph readers query, ``CURRENT_GRAPH`` (one SPARQL Update: atomic in Oxigraph);
5. count the current graph too.

A failure before step 4 leaves the previous release current. Re-running puts the same triples into the same graph
again and copies them again: harmless. Release graphs live under their own namespace, so no version names the
current graph. Credentials come from the environment only (``SMAKG_STORE_USER`` and ``SMAKG_STORE_PASSWORD``, HTTP
basic), never from the command line, and never appear in a message. ``Expect: 100-continue`` is not sent:
http.client cannot wait for the interim answer, so a refusal is read after the body (or when the store closes).

>>> Target.of("http://127.0.0.1:7878", environ={}).store_url
'http://127.0.0.1:7878/store'
>>> Target.of("ftp://example.org", environ={})
Traceback (most recent call last):
smakg.errors.BadInputError: --endpoint ftp://example.org: give an http:// or https:// URL
>>> Target.of("http://store.example.org", environ={"SMAKG_STORE_USER": "u", "SMAKG_STORE_PASSWORD": "p"}).warnings
('warning: credentials would be sent in clear (plain http://) to store.example.org; use https://',)
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import ipaddress
import json
import math
import os
import socket
import ssl
import string
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import BinaryIO
from urllib.parse import urlencode, urlsplit

from smakg.errors import BadInputError, CountMismatchError, SmakgError, StoreFailedError
from smakg.kb.vocab import CURRENT_GRAPH, RELEASE_GRAPHS

USER_ENV = "SMAKG_STORE_USER"
PASSWORD_ENV = "SMAKG_STORE_PASSWORD"
NTRIPLES = "smakg.nt"
VOID_FILE = "void.ttl"
CHUNK = 1 << 20  # bytes read from the file and sent at a time
MAX_REPLY = 1 << 20  # the most of a store's answer read (a count is a few hundred bytes; an error page is cut)
VERSION_CHARS = frozenset(string.ascii_letters + string.digits + ".-_+")
# Characters an IRI written between <> in SPARQL must not hold (SPARQL 1.1 grammar, IRIREF).
IRI_FORBIDDEN = frozenset('<>"{}|^`\\') | {chr(c) for c in range(0x21)}
UNCHANGED = "the previous release is still current"
MIN_TIMEOUT, MAX_TIMEOUT = 0.1, 3600.0  # seconds (--timeout)


@dataclass(frozen=True)
class Release:
    """A built release as void.ttl describes it, its N-Triples file checked against that description and held open
    (``file``): publish sends these bytes, whatever the path names by then. Close it (or use ``with``) when done."""

    version: str
    path: Path  # dist/smakg.nt, for messages: the bytes come from ``file``
    size: int
    sha256: str
    triples: int
    file: BinaryIO = field(repr=False, compare=False)

    @property
    def graph(self) -> str:
        """The named graph this release is put into."""
        return RELEASE_GRAPHS + self.version

    def close(self) -> None:
        self.file.close()

    def __enter__(self) -> Release:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


class _Hashing:
    """A file read at most ``size`` bytes far, each chunk read added to a SHA-256."""

    def __init__(self, file: BinaryIO, size: int) -> None:
        self.file, self.left, self.read_bytes = file, size, 0
        self.digest = hashlib.sha256()

    def read(self, n: int = CHUNK) -> bytes:
        chunk = self.file.read(min(n, self.left))
        self.digest.update(chunk)
        self.left -= len(chunk)
        self.read_bytes += len(chunk)
        return chunk


def _open_in(folder: int, name: str, dist: Path, hint: str) -> BinaryIO:
    """``name`` in the open folder ``folder`` (a file descriptor), opened for reading."""
    try:
        fd = os.open(name, os.O_RDONLY, dir_fd=folder)
    except FileNotFoundError:
        raise BadInputError(f"{dist / name}: no such file; publish needs a built release", hint=hint) from None
    except OSError as exc:
        raise BadInputError(f"{dist / name}: cannot be read ({exc.strerror})", hint=hint) from None
    return os.fdopen(fd, "rb")


def read_release(dist: Path) -> Release:
    """The release in ``dist``: version and triple count from void.ttl, and smakg.nt checked against its size and
    SHA-256 there (a file changed since the build is refused). Both are opened from the same open folder, and
    smakg.nt stays open in the returned release."""
    build = "run `smakg build` (or pass --dist DIR, the folder a build wrote)"
    try:
        folder = os.open(dist, os.O_RDONLY | os.O_DIRECTORY)
    except FileNotFoundError:
        raise BadInputError(f"{dist / VOID_FILE}: no such file; publish needs a built release", hint=build) from None
    except OSError as exc:
        raise BadInputError(f"{dist}: cannot open the release folder ({exc.strerror})", hint=build) from None
    try:
        with _open_in(folder, VOID_FILE, dist, build) as void_file:
            void_bytes = void_file.read()
        nt = _open_in(folder, NTRIPLES, dist, build)
    finally:
        os.close(folder)
    try:
        return _check(dist, void_bytes, nt, build)
    except BaseException:
        nt.close()
        raise


def _check(dist: Path, void_bytes: bytes, nt: BinaryIO, build: str) -> Release:
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import DCTERMS, OWL, VOID

    from smakg.kb.vocab import DATASET, DCAT, SPDX

    void_path = dist / VOID_FILE
    graph = Graph()
    try:
        text_of_void = void_bytes.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadInputError(f"{void_path}: not UTF-8 text ({exc.reason} at byte {exc.start})", hint=build) from None
    try:
        graph.parse(data=text_of_void, format="turtle")
    except Exception as exc:  # rdflib raises several kinds for a malformed file
        raise BadInputError(f"{void_path}: not valid Turtle ({type(exc).__name__}: {str(exc)[:200]})",
                            hint=build) from None
    ds = URIRef(DATASET)
    version, triples = graph.value(ds, OWL.versionInfo), graph.value(ds, VOID.triples)
    if not isinstance(version, Literal) or not isinstance(triples, Literal) or not isinstance(triples.value, int):
        raise BadInputError(f"{void_path}: no owl:versionInfo and integer void:triples on <{DATASET}>", hint=build)
    text = str(version)
    if not text or not set(text) <= VERSION_CHARS:
        raise BadInputError(f"{void_path}: the version {text!r} cannot name a graph (letters, digits and . - _ + "
                            "only)", hint="set owl:versionInfo in ontology/smakg.ttl and rebuild")
    described = [d for d in graph.objects(ds, DCAT.distribution) if graph.value(d, DCTERMS.title) == Literal(NTRIPLES)]
    size = graph.value(described[0], DCAT.byteSize) if described else None
    checksum = graph.value(described[0], SPDX.checksum) if described else None
    value = graph.value(checksum, SPDX.checksumValue) if checksum is not None else None
    if not isinstance(size, Literal) or not isinstance(size.value, int) or value is None:
        raise BadInputError(f"{void_path}: no byte size and SHA-256 of {NTRIPLES}", hint=build)
    actual = os.fstat(nt.fileno()).st_size
    hashing = _Hashing(nt, actual)
    while hashing.read():
        pass
    if actual != size.value or hashing.digest.hexdigest() != str(value):
        raise BadInputError(f"{dist / NTRIPLES}: does not match {void_path} ({actual} bytes, void.ttl says "
                            f"{size.value}, or another SHA-256): the file changed after the build", hint=build)
    return Release(text, dist / NTRIPLES, actual, str(value), int(triples.value), nt)


def _check_url(option: str, url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadInputError(f"{option} {url}: give an http:// or https:// URL")
    if parts.username is not None or parts.password is not None:
        raise BadInputError(f"{option}: credentials do not belong in the URL (they would show in the process "
                            f"list); set {USER_ENV} and {PASSWORD_ENV} instead")
    try:
        parts.port  # noqa: B018 (urlsplit checks the port only when asked)
    except ValueError:
        raise BadInputError(f"{option} {url}: the port is not a number from 0 to 65535") from None
    if parts.fragment or url.endswith("#"):
        raise BadInputError(f"{option} {url}: a URL with a #fragment names no endpoint")
    return url


def _origin(url: str) -> tuple[str, str, int]:
    parts = urlsplit(url)
    return parts.scheme, (parts.hostname or "").lower(), parts.port or (443 if parts.scheme == "https" else 80)


def _loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _warnings(endpoint: str, urls: Mapping[str, str]) -> tuple[str, ...]:
    """What an operator sending credentials should hear: plain http to another machine, and URLs whose origin
    differs from --endpoint's (the credentials go there too)."""
    found = []
    clear = sorted({_origin(url)[1] for url in urls.values()
                    if urlsplit(url).scheme == "http" and not _loopback(_origin(url)[1])})
    if clear:
        found.append(f"warning: credentials would be sent in clear (plain http://) to {', '.join(clear)}; use "
                     "https://")
    elsewhere = [option for option, url in urls.items() if _origin(url) != _origin(endpoint)]
    if elsewhere:
        found.append(f"warning: credentials are sent to {', '.join(elsewhere)}, not on --endpoint's host and port "
                     f"({_origin(endpoint)[1]}:{_origin(endpoint)[2]}); check that you trust them")
    return tuple(found)


@dataclass(frozen=True)
class Target:
    """Where to publish: the store's query, update and Graph Store Protocol URLs, the graph readers query, the
    time-out of one network operation, and the credentials (from the environment)."""

    query_url: str
    update_url: str
    store_url: str
    current_graph: str = CURRENT_GRAPH
    timeout: float = 60.0
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    warnings: tuple[str, ...] = ()  # one line each, for standard error

    @classmethod
    def of(cls, endpoint: str, *, query_url: str | None = None, update_url: str | None = None,
           store_url: str | None = None, timeout: float = 60.0,
           environ: Mapping[str, str] = os.environ) -> Target:
        """A target from the store's base URL (Oxigraph's layout: /query, /update, /store) and the URLs that
        differ; credentials from ``environ``."""
        base = _check_url("--endpoint", endpoint).rstrip("/")
        if urlsplit(endpoint).query or "?" in endpoint:
            raise BadInputError(f"--endpoint {endpoint}: give the store's base URL without a ?query (the query, "
                                "update and store URLs are made from it)",
                                hint="give URLs with a query with --query-url, --update-url, --store-url")
        user, password = environ.get(USER_ENV), environ.get(PASSWORD_ENV)
        if (user is None) != (password is None):
            raise BadInputError(f"set both {USER_ENV} and {PASSWORD_ENV}, or neither")
        check_timeout(timeout)
        urls = {"--query-url": _check_url("--query-url", query_url or base + "/query"),
                "--update-url": _check_url("--update-url", update_url or base + "/update"),
                "--store-url": _check_url("--store-url", store_url or base + "/store")}
        return cls(urls["--query-url"], urls["--update-url"], urls["--store-url"], timeout=timeout, user=user,
                   password=password, warnings=_warnings(base, urls) if user is not None else ())

    def graph_url(self, graph: str) -> str:
        """The Graph Store Protocol URL of one named graph."""
        return self.store_url + ("&" if "?" in self.store_url else "?") + urlencode({"graph": graph})

    def auth_header(self) -> str | None:
        if self.user is None or self.password is None:
            return None
        token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode("ascii")
        return f"Basic {token}"


def check_timeout(timeout: float) -> float:
    """``timeout`` when it is a finite number of seconds a socket can wait, else bad input.

    >>> check_timeout(float("nan"))
    Traceback (most recent call last):
    smakg.errors.BadInputError: --timeout nan: give a number of seconds from 0.1 to 3600
    """
    if not (math.isfinite(timeout) and MIN_TIMEOUT <= timeout <= MAX_TIMEOUT):
        raise BadInputError(f"--timeout {timeout:g}: give a number of seconds from {MIN_TIMEOUT:g} to "
                            f"{MAX_TIMEOUT:g}")
    return timeout


@dataclass(frozen=True)
class Published:
    """What a publish did: the release, how long the upload and the whole took, the triples the store counted."""

    release: Release
    current_graph: str
    upload_seconds: float
    seconds: float
    triples: int


def _iri(iri: str) -> str:
    if not iri or set(iri) & IRI_FORBIDDEN:
        raise BadInputError(f"{iri!r}: not an IRI that can be written in SPARQL")
    return f"<{iri}>"


def count_query(graph: str) -> str:
    """The query that counts a named graph's triples.

    >>> count_query("https://w3id.org/smakg/graph/release/0.1.0")
    'SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/smakg/graph/release/0.1.0> { ?s ?p ?o } }'
    """
    return f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {_iri(graph)} {{ ?s ?p ?o }} }}"


def copy_update(source: str, target: str) -> str:
    """The update that makes ``target`` hold exactly what ``source`` holds (one operation).

    >>> copy_update("https://w3id.org/smakg/graph/release/0.1.0", "https://w3id.org/smakg/graph/current")
    'COPY <https://w3id.org/smakg/graph/release/0.1.0> TO <https://w3id.org/smakg/graph/current>'
    """
    return f"COPY {_iri(source)} TO {_iri(target)}"


def plan(release: Release, target: Target) -> list[str]:
    """What a publish does, step by step, in words (``--dry-run`` prints it)."""
    who = f"as {target.user} (HTTP basic, from {USER_ENV}/{PASSWORD_ENV})" if target.user else \
        f"without credentials ({USER_ENV}/{PASSWORD_ENV} not set)"
    return [
        f"release {release.version}: {release.path} ({release.size} bytes, {release.triples} triples, SHA-256 "
        "checked against void.ttl)",
        f"1. PUT {target.graph_url(release.graph)}  (application/n-triples, streamed)",
        f"2. POST {target.query_url}  {count_query(release.graph)}  expect {release.triples}",
        f"3. POST {target.update_url}  {copy_update(release.graph, target.current_graph)}",
        f"4. POST {target.query_url}  {count_query(target.current_graph)}  expect {release.triples}",
        f"connecting {who}, time-out {target.timeout:g} s per network operation",
    ]


class _Step:
    """One HTTP exchange with the store, every failure turned into a one-line error with its exit code. ``after``
    ends a message when the store answered or was never reached (what that leaves current); ``lost`` when the
    connection failed once the request was sent (the store may or may not have acted on it)."""

    def __init__(self, target: Target, method: str, url: str, *, after: str, lost: str | None = None) -> None:
        self.target = target
        self.method = method
        self.url = url
        self.after = f"; {after}" if after else ""
        self.lost = f"; {lost}" if lost else self.after

    def fail(self, what: str, kind: type[SmakgError], *, lost: bool = False) -> SmakgError:
        return kind(f"{self.method} {self.url}: {what}{self.lost if lost else self.after}")

    def send(self, body: bytes | _Hashing, size: int, headers: Mapping[str, str]) -> tuple[int, bytes]:
        """Send a request (a file is streamed in chunks, ``size`` bytes at most); the status and the (bounded) body
        of the answer."""
        parts = urlsplit(self.url)
        factory = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        conn = factory(parts.hostname or "", parts.port, timeout=self.target.timeout)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        sent = 0
        try:
            try:
                conn.putrequest(self.method, path, skip_accept_encoding=True)
                for key, value in headers.items():
                    conn.putheader(key, value)
                conn.putheader("Content-Length", str(size))
                auth = self.target.auth_header()
                if auth is not None:
                    conn.putheader("Authorization", auth)
                conn.endheaders()
                if isinstance(body, bytes):
                    conn.send(body)
                    sent = len(body)
                else:
                    while sent < size and (chunk := body.read(CHUNK)):
                        conn.send(chunk)
                        sent += len(chunk)
                    if sent < size:  # the file shrank under us: the store would wait for the rest
                        raise BadInputError(f"{self.method} {self.url}: the file ended after {sent} of {size} "
                                            f"bytes: it was changed while being sent{self.after}",
                                            hint="let the build finish, then re-run")
            except (BrokenPipeError, ConnectionResetError):
                pass  # the store may have answered early (a refusal) and closed: read its answer below
            reply = conn.getresponse()
            return reply.status, reply.read(MAX_REPLY)
        except ConnectionRefusedError:
            raise BadInputError(f"{self.method} {self.url}: connection refused: no store listens there (check the URL "
                                f"and that the store is running){self.after}") from None
        except socket.gaierror as exc:
            raise BadInputError(f"{self.method} {self.url}: unknown host {parts.hostname} ({exc.strerror}){self.after}"
                                ) from None
        except ssl.SSLCertVerificationError as exc:
            raise BadInputError(f"{self.method} {self.url}: the store's TLS certificate was not accepted "
                                f"({exc.verify_message or exc.reason}){self.after}",
                                hint="check the host name in the URL; a certificate signed by your own authority "
                                "needs its CA file in SSL_CERT_FILE") from None
        except TimeoutError:
            raise self.fail(f"no answer within {self.target.timeout:g} s (--timeout) after sending {sent} of {size} "
                            "bytes", StoreFailedError, lost=True) from None
        except (OSError, http.client.HTTPException) as exc:
            raise self.fail(f"the connection was lost after sending {sent} of {size} bytes "
                            f"({type(exc).__name__}: {exc})".replace(": )", ")"), StoreFailedError, lost=True) from None
        finally:
            conn.close()

    def check(self, status: int, body: bytes) -> bytes:
        """The body of a 2xx answer; any other status is a one-line error (4xx: exit 2, else exit 4)."""
        if 200 <= status < 300:
            return body
        said = " ".join(body.decode("utf-8", "replace").split())[:200]
        reason = http.client.responses.get(status, "")
        what = f"the store answered HTTP {status} {reason}".rstrip() + (f": {said}" if said else "")
        if status == 401:
            what += f" ({'check' if self.target.user else 'set'} {USER_ENV} and {PASSWORD_ENV})"
        raise self.fail(what, BadInputError if 300 <= status < 500 else StoreFailedError)


def _count(target: Target, graph: str, *, after: str) -> int:
    step = _Step(target, "POST", target.query_url, after=after)
    form = urlencode({"query": count_query(graph)}).encode("ascii")
    body = step.check(*step.send(form, len(form), {"Content-Type": "application/x-www-form-urlencoded",
                                                   "Accept": "application/sparql-results+json"}))
    try:
        value = json.loads(body)["results"]["bindings"][0]["n"]["value"]
        return int(value)
    except (ValueError, KeyError, IndexError, TypeError):
        raise step.fail(f"the answer to the count of <{graph}> is not SPARQL JSON results with one number",
                        StoreFailedError) from None


def publish(release: Release, target: Target, *, progress: Callable[[str], None] | None = None) -> Published:
    """Put ``release`` into its named graph, check the count, make it current, check again (module docstring)."""
    say = progress or (lambda _: None)
    if release.graph == target.current_graph:
        raise BadInputError(f"<{release.graph}> is both the release's graph and the graph readers query; {UNCHANGED}")
    started = time.perf_counter()
    put = _Step(target, "PUT", target.graph_url(release.graph), after=UNCHANGED)
    say(f"putting {release.size} bytes into <{release.graph}>…")
    release.file.seek(0)
    stream = _Hashing(release.file, release.size)
    put.check(*put.send(stream, release.size, {"Content-Type": "application/n-triples"}))
    if stream.read_bytes != release.size or stream.digest.hexdigest() != release.sha256:
        raise BadInputError(f"{release.path}: the bytes sent differ from the SHA-256 in void.ttl (the file was "
                            f"changed while being sent): <{release.graph}> holds them, unchecked; {UNCHANGED}",
                            hint="let the build finish, then re-run publish")
    upload = time.perf_counter() - started
    counted = _count(target, release.graph, after=UNCHANGED)
    if counted != release.triples:
        raise CountMismatchError(f"<{release.graph}> in the store holds {counted} triples, void.ttl says "
                                 f"{release.triples}: the store did not take the release whole; {UNCHANGED} "
                                 "(re-run to put it again)")
    say(f"{counted} triples in <{release.graph}>; making it current…")
    current_graph, rerun = f"<{target.current_graph}>", "re-run publish (harmless) to make sure"
    update = _Step(target, "POST", target.update_url,
                   after=f"{current_graph} is unchanged if the store applies an update whole (Oxigraph does); {rerun}",
                   lost=f"{current_graph} may or may not hold release {release.version} now (the store may have "
                   f"copied it before the connection failed); {rerun}")
    form = urlencode({"update": copy_update(release.graph, target.current_graph)}).encode("ascii")
    update.check(*update.send(form, len(form), {"Content-Type": "application/x-www-form-urlencoded"}))
    current = _count(target, target.current_graph,
                     after=f"the store accepted the copy: {current_graph} should hold release {release.version}; "
                     f"{rerun}")
    if current != release.triples:
        raise CountMismatchError(f"{current_graph} holds {current} triples after the copy, void.ttl says "
                                 f"{release.triples}: the store accepted the copy but does not hold the release "
                                 f"whole; check the store, and {rerun}")
    return Published(release, target.current_graph, upload, time.perf_counter() - started, current)
