"""`smakg publish` against a real Oxigraph server started on loopback: publish, re-publish (harmless), publish a
changed release, every competency question asked of the store agrees with `smakg query`; a store that refuses,
fails, stalls, takes half a release or dies half-way leaves the previous release current; credentials come from the
environment only; --dry-run connects to nothing; errors are one line with their exit codes, never a traceback.

Refusals and failures are made by a small HTTP proxy in front of the real server (it forwards everything except
what a test has it refuse, cut or drop), and by a real server started read-only.
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import select
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote

import pytest
import typer
from stores import CHANGED_VERSION, CURRENT, Oxigraph, disagreements, oxigraph_binary, smakg

from smakg import __version__
from smakg.errors import BadInputError
from smakg.files import _exchange
from smakg.sparql.query import Engine
from smakg.web.publish import Target, read_release
from smakg.web.publish import publish as publish_release

VERSION_GRAPH = "https://w3id.org/smakg/graph/release/"
A, B = __version__, CHANGED_VERSION  # the real release, and a changed one (tests/stores.py: build_release)


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMAKG_STORE_")}
    return {**env, **extra}


def publish(endpoint: str, dist: Path, *args: str, env: dict[str, str] | None = None):
    return smakg("publish", "--endpoint", endpoint, "--dist", str(dist), *args, env=env or clean_env())


@pytest.fixture(scope="module")
def releases(request: pytest.FixtureRequest) -> dict[str, Path]:
    oxigraph_binary()  # skip (or fail under CI) before building anything
    return request.getfixturevalue("store_releases")


@pytest.fixture
def store(tmp_path) -> Iterator[Oxigraph]:
    server = Oxigraph(tmp_path / "store").start()
    yield server
    server.stop()


def triples(dist: Path) -> int:
    return sum(1 for line in (dist / "smakg.nt").read_text(encoding="utf-8").splitlines() if line.strip())


# ---- the proxy ------------------------------------------------------------------------------------------------

class Proxy(ThreadingHTTPServer):
    """Forwards requests to ``upstream`` except where ``mode`` says otherwise for the PUT of a release: refuse
    (403), fail (500), stall (answer nothing for 3 s), drop (read half the body, then close), kill (read half, stop
    the real server, close), truncate (forward the first half of the lines); for the COPY that makes a release
    current: copy-fail (500, not forwarded), copy-drop (close without forwarding), copy-stall (answer nothing for 3
    s, not forwarded), copy-lost (forward it, then close without the answer); for the count of the current graph
    after the copy: count-wrong (answer 7). With ``auth``, every request without that Authorization header gets
    401. ``seen`` records each request's method and headers."""

    daemon_threads = True

    def __init__(self, upstream: Oxigraph, mode: str = "forward", auth: str | None = None) -> None:
        super().__init__(("127.0.0.1", 0), ProxyHandler)
        self.upstream, self.mode, self.auth = upstream, mode, auth
        self.seen: list[tuple[str, dict[str, str]]] = []
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def close(self) -> None:
        self.shutdown()
        self.server_close()


class ProxyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Proxy

    def log_message(self, format: str, *args: object) -> None:
        pass

    def answer(self, status: int, body: bytes, content_type: str = "text/plain", **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def cut(self, length: int) -> None:
        """Read half the body, then drop the connection without an answer."""
        self.rfile.read(length // 2)
        self.close_connection = True
        self.connection.shutdown(socket.SHUT_RDWR)

    def relay(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        self.server.seen.append((self.command, dict(self.headers)))
        mode = self.server.mode
        if self.server.auth is not None and self.headers.get("Authorization") != self.server.auth:
            self.rfile.read(length)
            return self.answer(401, b"credentials needed", **{"WWW-Authenticate": 'Basic realm="store"'})
        if self.command == "PUT" and mode in ("drop", "kill"):
            if mode == "kill":
                self.server.upstream.stop()
            return self.cut(length)
        if self.command == "PUT" and mode == "stall":
            time.sleep(3)
            self.close_connection = True
            return None
        body = self.rfile.read(length)
        form = parse_qs(body.decode("utf-8", "replace")) if self.command == "POST" else {}
        copy = form.get("update", [""])[0].startswith("COPY ")
        if copy and mode in ("copy-drop", "copy-stall"):
            if mode == "copy-stall":
                time.sleep(3)
            self.close_connection = True
            return self.connection.shutdown(socket.SHUT_RDWR)
        if copy and mode == "copy-fail":
            return self.answer(500, b"transaction aborted")
        if mode == "count-wrong" and f"GRAPH <{CURRENT}>" in form.get("query", [""])[0]:
            seven = {"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": "literal", "value": "7"}}]}}
            return self.answer(200, json.dumps(seven).encode(), "application/sparql-results+json")
        if self.command == "PUT" and mode == "refuse":
            return self.answer(403, b"this store takes no writes")
        if self.command == "PUT" and mode == "fail":
            return self.answer(500, b"disk full\nsecond line of the error page")
        if self.command == "PUT" and mode == "truncate":
            lines = body.splitlines(keepends=True)
            body = b"".join(lines[: len(lines) // 2])
        conn = http.client.HTTPConnection("127.0.0.1", self.server.upstream.port, timeout=30)
        headers = {k: v for k, v in self.headers.items() if k.lower() in ("content-type", "accept")}
        conn.request(self.command, self.path, body=body, headers=headers)
        reply = conn.getresponse()
        data = reply.read()
        conn.close()
        if copy and mode == "copy-lost":  # the store copied; the answer never reaches publish
            self.close_connection = True
            return self.connection.shutdown(socket.SHUT_RDWR)
        return self.answer(reply.status, data, reply.getheader("Content-Type") or "text/plain")

    do_GET = do_POST = do_PUT = relay


@pytest.fixture
def proxy(store: Oxigraph) -> Iterator[Proxy]:
    running = Proxy(store)
    yield running
    running.close()


# ---- publishing -----------------------------------------------------------------------------------------------

def test_publish_republish_and_a_changed_release(store: Oxigraph, releases: dict[str, Path]) -> None:
    first = publish(store.url, releases[A])
    assert first.returncode == 0, first.stderr
    assert f"published release {A} ({triples(releases[A])} triples" in first.stdout
    assert store.graphs() == {VERSION_GRAPH + A: triples(releases[A]), CURRENT: triples(releases[A])}
    assert store.current_version() == A

    again = publish(store.url, releases[A])  # harmless: the same graphs, the same counts, nothing doubled
    assert again.returncode == 0, again.stderr
    assert store.graphs() == {VERSION_GRAPH + A: triples(releases[A]), CURRENT: triples(releases[A])}

    changed = publish(store.url, releases[B])
    assert changed.returncode == 0, changed.stderr
    assert store.current_version() == B
    assert store.graphs() == {VERSION_GRAPH + A: triples(releases[A]), VERSION_GRAPH + B: triples(releases[B]),
                              CURRENT: triples(releases[B])}
    assert not store.select("SELECT * WHERE { ?s ?p ?o } LIMIT 1")["results"]["bindings"], \
        "the default graph stays empty: readers name the current graph"


def test_every_competency_question_agrees_with_smakg_query(store: Oxigraph, releases: dict[str, Path]) -> None:
    assert publish(store.url, releases[B]).returncode == 0
    assert publish(store.url, releases[A]).returncode == 0  # current again after a newer one
    engine = Engine((releases[A] / "smakg.nt").read_bytes())
    agree, differ = disagreements(store.url + "/query", engine, default_graph=CURRENT)
    assert not differ, "\n".join(differ)
    assert agree >= 32


# ---- a store that refuses or fails leaves the previous release current ----------------------------------------

@pytest.mark.parametrize(("mode", "code", "said"), [
    ("refuse", 2, "HTTP 403 Forbidden: this store takes no writes"),
    ("fail", 4, "HTTP 500 Internal Server Error: disk full second line of the error page"),
    ("drop", 4, "the connection was lost"),
    ("truncate", 5, "void.ttl says"),
    ("stall", 4, "no answer within 1 s (--timeout)"),
])
def test_a_failing_store_leaves_the_previous_release_current(mode: str, code: int, said: str, store: Oxigraph,
                                                             proxy: Proxy, releases: dict[str, Path]) -> None:
    assert publish(store.url, releases[A]).returncode == 0
    proxy.mode = mode
    done = publish(proxy.url, releases[B], "--timeout", "1")
    assert done.returncode == code, done.stdout + done.stderr
    assert said in done.stderr
    assert done.stderr.startswith("error: ") and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "the previous release is still current" in done.stderr
    assert store.current_version() == A
    assert store.graphs()[CURRENT] == triples(releases[A])


@pytest.mark.parametrize(("mode", "code", "said", "current"), [
    ("copy-fail", 4, "HTTP 500 Internal Server Error: transaction aborted; <{current}> is unchanged if the store "
     "applies an update whole (Oxigraph does); re-run publish (harmless) to make sure", A),
    ("copy-drop", 4, "the connection was lost after sending", A),
    ("copy-stall", 4, "no answer within 1 s (--timeout)", A),
    ("copy-lost", 4, "the connection was lost after sending", B),  # the store did copy: "may or may not" is right
    ("count-wrong", 5, "<{current}> holds 7 triples after the copy, void.ttl says", B),
])
def test_a_failure_at_the_copy_or_the_last_count_says_what_is_current(
        mode: str, code: int, said: str, current: str, store: Oxigraph, proxy: Proxy,
        releases: dict[str, Path]) -> None:
    assert publish(store.url, releases[A]).returncode == 0
    proxy.mode = mode
    done = publish(proxy.url, releases[B], "--timeout", "1")
    assert done.returncode == code, done.stdout + done.stderr
    assert said.format(current=CURRENT) in done.stderr, done.stderr
    assert done.stderr.startswith("error: ") and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "the previous release is still current" not in done.stderr, "past the PUT, publish cannot know that"
    if mode in ("copy-drop", "copy-stall", "copy-lost"):
        assert f"<{CURRENT}> may or may not hold release {B} now" in done.stderr, done.stderr
        assert "re-run publish (harmless)" in done.stderr
    assert store.current_version() == current
    again = publish(store.url, releases[B])  # re-running is harmless, and settles it
    assert again.returncode == 0, again.stderr
    assert store.current_version() == B and store.graphs()[CURRENT] == triples(releases[B])


# ---- publish sends the bytes it checked -----------------------------------------------------------------------

def test_a_build_swapping_dist_between_check_and_send_does_not_change_what_is_sent(
        tmp_path: Path, store: Oxigraph, releases: dict[str, Path]) -> None:
    dist, built = tmp_path / "dist", tmp_path / "dist.new"
    shutil.copytree(releases[A], dist)
    shutil.copytree(releases[B], built)
    with read_release(dist) as release:  # checked: release A
        if not _exchange(built, dist):  # `smakg build` of B finishes now: dist/ swapped whole, the old one removed
            dist.rename(tmp_path / "dist.old")
            built.rename(dist)
        shutil.rmtree(built if built.exists() else tmp_path / "dist.old")
        done = publish_release(release, Target.of(store.url, environ={}))
    assert done.release.version == A
    assert store.current_version() == A, "the bytes checked against A's void.ttl are the ones sent"
    assert store.graphs() == {VERSION_GRAPH + A: triples(releases[A]), CURRENT: triples(releases[A])}


def test_a_file_rewritten_in_place_between_check_and_send_is_refused(
        tmp_path: Path, store: Oxigraph, releases: dict[str, Path]) -> None:
    assert publish(store.url, releases[A]).returncode == 0
    dist = tmp_path / "dist"
    shutil.copytree(releases[B], dist)
    nt = dist / "smakg.nt"
    with read_release(dist) as release:
        data = nt.read_bytes()
        changed = data.replace(f"Changed release {B}".encode(), f"Changed release {B[:-1]}X".encode(), 1)
        assert changed != data and len(changed) == len(data)
        with nt.open("r+b") as f:  # the same file (inode), other bytes, the same size and triple count
            f.write(changed)
        with pytest.raises(BadInputError, match=r"the bytes sent differ from the SHA-256 in void\.ttl") as refused:
            publish_release(release, Target.of(store.url, environ={}))
    assert "the previous release is still current" in str(refused.value)
    assert store.current_version() == A


def test_a_version_named_current_cannot_be_the_graph_readers_query(
        tmp_path: Path, store: Oxigraph, releases: dict[str, Path]) -> None:
    assert publish(store.url, releases[B]).returncode == 0
    dist = tmp_path / "dist"
    shutil.copytree(releases[A], dist)
    void = dist / "void.ttl"
    void.write_text(void.read_text(encoding="utf-8").replace(f'owl:versionInfo "{A}"', 'owl:versionInfo "current"'),
                    encoding="utf-8")
    dry = publish(store.url, dist, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert f"COPY <{VERSION_GRAPH}current> TO <{CURRENT}>" in dry.stdout
    done = publish(store.url, dist)
    assert done.returncode == 0, done.stderr
    assert VERSION_GRAPH + "current" != CURRENT
    assert store.graphs() == {VERSION_GRAPH + B: triples(releases[B]), VERSION_GRAPH + "current": triples(dist),
                              CURRENT: triples(dist)}
    assert store.current_version() == A


def test_a_store_killed_half_way_keeps_the_previous_release(tmp_path: Path, releases: dict[str, Path]) -> None:
    location = tmp_path / "store"
    first = Oxigraph(location).start()
    try:
        assert publish(first.url, releases[A]).returncode == 0
        dying = Proxy(first, "kill")
        done = publish(dying.url, releases[B])
        dying.close()
    finally:
        first.stop()
    assert done.returncode == 4, done.stderr
    assert "the previous release is still current" in done.stderr
    restarted = Oxigraph(location).start()  # the store on disk, after the crash
    try:
        assert restarted.current_version() == A
        assert restarted.graphs()[CURRENT] == triples(releases[A])
        assert publish(restarted.url, releases[B]).returncode == 0, "publishing again after the crash works"
        assert restarted.current_version() == B
    finally:
        restarted.stop()


def test_a_read_only_store_refuses_and_keeps_the_previous_release(tmp_path: Path, releases: dict[str, Path]) -> None:
    location = tmp_path / "store"
    writable = Oxigraph(location).start()
    try:
        assert publish(writable.url, releases[A]).returncode == 0
    finally:
        writable.stop()
    read_only = Oxigraph(location, read_only=True).start()
    try:
        done = publish(read_only.url, releases[B])
        assert done.returncode == 2, done.stderr
        assert "HTTP 403" in done.stderr and "the previous release is still current" in done.stderr
        assert read_only.current_version() == A
    finally:
        read_only.stop()


def test_connection_refused_and_time_out(tmp_path: Path, releases: dict[str, Path]) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    refused = publish(f"http://127.0.0.1:{port}", releases[A])
    assert refused.returncode == 2 and "connection refused" in refused.stderr, refused.stderr
    with socket.socket() as silent:  # accepts connections (the kernel does) and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(4)
        stalled = publish(f"http://127.0.0.1:{silent.getsockname()[1]}", releases[A], "--timeout", "0.5")
    assert stalled.returncode == 4 and "no answer within 0.5 s (--timeout)" in stalled.stderr, stalled.stderr


def test_dry_run_connects_to_nothing(releases: dict[str, Path]) -> None:
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen(4)
        url = f"http://127.0.0.1:{listening.getsockname()[1]}"
        done = publish(url, releases[A], "--dry-run")
        pending, _, _ = select.select([listening], [], [], 0.2)
    assert done.returncode == 0, done.stderr
    assert not pending, "--dry-run opened a connection"
    assert f"PUT {url}/store?graph={quote(VERSION_GRAPH + A, safe='')}" in done.stdout
    assert f"COPY <{VERSION_GRAPH}{A}> TO <{CURRENT}>" in done.stdout
    assert f"expect {triples(releases[A])}" in done.stdout


# ---- credentials -----------------------------------------------------------------------------------------------

def test_credentials_come_from_the_environment_only(store: Oxigraph, releases: dict[str, Path]) -> None:
    secret = "s3cret-Pa55"
    token = "Basic " + base64.b64encode(f"curator:{secret}".encode()).decode()
    guarded = Proxy(store, auth=token)
    try:
        without = publish(guarded.url, releases[A])
        assert without.returncode == 2, without.stderr
        assert "HTTP 401" in without.stderr and "SMAKG_STORE_USER" in without.stderr
        wrong = publish(guarded.url, releases[A], env=clean_env(SMAKG_STORE_USER="curator",
                                                                SMAKG_STORE_PASSWORD="wrong"))
        assert wrong.returncode == 2 and "check SMAKG_STORE_USER" in wrong.stderr
        guarded.seen.clear()
        done = publish(guarded.url, releases[A], env=clean_env(SMAKG_STORE_USER="curator",
                                                               SMAKG_STORE_PASSWORD=secret))
        assert done.returncode == 0, done.stderr
        assert [method for method, _ in guarded.seen] == ["PUT", "POST", "POST", "POST"]
        assert all(headers.get("Authorization") == token for _, headers in guarded.seen)
        dry = publish(guarded.url, releases[A], "--dry-run", env=clean_env(SMAKG_STORE_USER="curator",
                                                                           SMAKG_STORE_PASSWORD=secret))
        assert "as curator" in dry.stdout
        for run in (without, wrong, done, dry):
            assert secret not in run.stdout + run.stderr
    finally:
        guarded.close()
    assert store.current_version() == A


def test_the_command_line_takes_no_credentials(releases: dict[str, Path]) -> None:
    from smakg.cli import app

    command = typer.main.get_command(app).commands["publish"]  # type: ignore[attr-defined]
    names = [name for param in command.params for name in param.opts]
    assert "--endpoint" in names
    assert not [n for n in names if any(w in n for w in ("user", "password", "passwd", "auth", "token", "cred"))]
    in_url = publish("http://curator:secret@127.0.0.1:9", releases[A], "--dry-run")
    assert in_url.returncode == 2 and "credentials do not belong in the URL" in in_url.stderr
    assert "secret" not in in_url.stderr
    half = publish("http://127.0.0.1:9", releases[A], "--dry-run", env=clean_env(SMAKG_STORE_USER="curator"))
    assert half.returncode == 2 and "set both SMAKG_STORE_USER and SMAKG_STORE_PASSWORD" in half.stderr


# ---- bad input -------------------------------------------------------------------------------------------------

def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, releases: dict[str, Path]) -> None:
    missing = publish("http://127.0.0.1:9", tmp_path / "nothing", "--dry-run")
    assert missing.returncode == 2 and "void.ttl: no such file" in missing.stderr
    changed = tmp_path / "changed"
    changed.mkdir()
    for name in ("void.ttl", "smakg.nt"):
        (changed / name).write_bytes((releases[A] / name).read_bytes())
    with (changed / "smakg.nt").open("a", encoding="utf-8") as f:
        f.write("<urn:x:a> <urn:x:b> <urn:x:c> .\n")
    tampered = publish("http://127.0.0.1:9", changed, "--dry-run")
    assert tampered.returncode == 2 and "does not match" in tampered.stderr, tampered.stderr
    for url, said in [("ftp://127.0.0.1/x", "give an http:// or https:// URL"),
                      ("http://127.0.0.1:99999", "the port is not a number"),
                      ("not a url", "give an http:// or https:// URL"),
                      ("http://127.0.0.1:9/?graph=x", "without a ?query"),
                      ("http://127.0.0.1:9/sparql?", "without a ?query"),
                      ("http://127.0.0.1:9/#top", "a URL with a #fragment names no endpoint"),
                      ("http://127.0.0.1:9/#", "a URL with a #fragment names no endpoint")]:
        done = publish(url, releases[A], "--dry-run")
        assert done.returncode == 2 and said in done.stderr, (url, done.stderr)
    for seconds in ("0", "-1", "0.01", "nan", "inf", "-inf", "1e300", "3601"):
        bad = publish("http://127.0.0.1:9", releases[A], "--timeout", seconds, "--dry-run")
        assert bad.returncode == 2 and "--timeout" in bad.stderr, (seconds, bad.stderr)
        assert "internal error" not in bad.stderr
    for seconds in (float("nan"), float("inf"), 1e300, 0.0):  # the library holds to it too
        with pytest.raises(BadInputError, match=r"give a number of seconds from 0\.1 to 3600"):
            Target.of("http://127.0.0.1:9", timeout=seconds, environ={})


def test_a_time_out_out_of_range_never_reaches_a_socket(store: Oxigraph, releases: dict[str, Path]) -> None:
    for seconds in ("nan", "inf", "1e300"):
        done = publish(store.url, releases[A], "--timeout", seconds)
        assert done.returncode == 2 and "--timeout" in done.stderr, (seconds, done.stdout + done.stderr)
    assert store.graphs() == {}


# ---- what an operator is warned of ------------------------------------------------------------------------------

def test_warnings_when_credentials_would_leave_in_clear_or_elsewhere(releases: dict[str, Path]) -> None:
    creds = clean_env(SMAKG_STORE_USER="curator", SMAKG_STORE_PASSWORD="s3cret")
    clear = publish("http://store.example.org:7878", releases[A], "--dry-run", env=creds)
    assert clear.returncode == 0, clear.stderr
    assert clear.stderr.splitlines() == ["warning: credentials would be sent in clear (plain http://) to "
                                         "store.example.org; use https://"]
    elsewhere = publish("http://127.0.0.1:7878", releases[A], "--dry-run", "--query-url",
                        "http://127.0.0.2:7878/query", "--store-url", "http://127.0.0.1:7879/store", env=creds)
    assert elsewhere.returncode == 0, elsewhere.stderr
    assert elsewhere.stderr.splitlines() == ["warning: credentials are sent to --query-url, --store-url, not on "
                                             "--endpoint's host and port (127.0.0.1:7878); check that you trust "
                                             "them"]
    for quiet in (publish("http://127.0.0.1:7878", releases[A], "--dry-run", env=creds),  # loopback, one origin
                  publish("https://store.example.org", releases[A], "--dry-run", env=creds),
                  publish("http://store.example.org", releases[A], "--dry-run", "--query-url",
                          "http://other.example.org/sparql")):  # no credentials: nothing to leak
        assert quiet.returncode == 0 and quiet.stderr == "", quiet.stderr
        assert "s3cret" not in quiet.stdout


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[str]:
    """An HTTPS server on loopback whose certificate is self-signed (no client trusts it)."""
    if shutil.which("openssl") is None:
        if os.environ.get("CI"):
            pytest.fail("the openssl command is needed to make a test certificate")
        pytest.skip("the openssl command is needed to make a test certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                    "/CN=localhost", "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    listening = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listening.accept()
            except OSError:
                return
            try:
                with context.wrap_socket(conn, server_side=True) as tls:
                    tls.recv(1)
            except (OSError, ssl.SSLError):
                pass  # the client refuses the certificate
            finally:
                conn.close()

    threading.Thread(target=serve, daemon=True).start()
    yield f"https://127.0.0.1:{listening.getsockname()[1]}"
    stop.set()
    listening.close()


def test_a_certificate_the_client_does_not_trust_is_bad_input(tls_server: str, releases: dict[str, Path]) -> None:
    done = publish(tls_server, releases[A], "--timeout", "5")
    assert done.returncode == 2, done.stderr
    assert "the store's TLS certificate was not accepted (self-signed certificate" in done.stderr, done.stderr
    assert "SSL_CERT_FILE" in done.stderr and "the previous release is still current" in done.stderr
