"""What a client sends cannot hold, crash or exhaust the server (issue 11): idle, slow-header and partial-body
connections are let go, Content-Length tricks are refused, a bad Host header is ignored, connections are bounded, a
worker that runs out of memory or crashes is replaced (and the same request is not run again), and answers are cut
in bytes as well as rows. Each test talks to a real ``smakg serve`` over raw sockets."""

from __future__ import annotations

import json
import socket
import time
import urllib.parse
from collections.abc import Iterator

import pytest
from rdflib import Graph
from test_serve import CAUSAL, Running, get, http, start, stop


@pytest.fixture(scope="module")
def strict(tmp_path_factory) -> Iterator[Running]:
    running = start(tmp_path_factory.mktemp("serve-strict"), "--workers", "2", "--idle-timeout", "1",
                    "--request-timeout", "2", "--max-connections", "6", "--max-answer-bytes", "2048",
                    "--time-limit", "20", "--worker-memory", "400")
    yield running
    stop(running)


def connect(server: Running) -> socket.socket:
    host, port = server.url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=10)
    return sock


def read_all(sock: socket.socket, limit: float = 10) -> tuple[bytes, float]:
    """Everything the server sends until it closes the connection, and how long that took."""
    started = time.monotonic()
    sock.settimeout(limit)
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except (TimeoutError, ConnectionResetError):
        pass
    return data, time.monotonic() - started


def status_of(raw: bytes) -> int:
    return int(raw.split(b" ", 2)[1]) if raw.startswith(b"HTTP/") else 0


def healthy(server: Running) -> dict:
    return json.loads(http(server.url + "/health")[2])


def test_an_idle_connection_is_closed(strict: Running) -> None:
    with connect(strict) as sock:
        data, took = read_all(sock)
    assert data == b"" and took < 5, f"an idle connection stayed open {took:.1f} s"


def test_a_slow_header_client_is_cut_off(strict: Running) -> None:
    """One byte every 0.4 s never trips the 1 s idle timeout; the 2 s request deadline ends it."""
    started = time.monotonic()
    with connect(strict) as sock:
        request = b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 100
        try:
            for byte in request:
                sock.sendall(bytes([byte]))
                time.sleep(0.4)
                if time.monotonic() - started > 15:
                    break
        except OSError:
            pass  # the server shut the connection: what this test wants
        read_all(sock, 2)
    took = time.monotonic() - started
    assert took < 8, f"a slow-header client held a connection {took:.1f} s"


def test_a_body_shorter_than_its_content_length_gets_408(strict: Running) -> None:
    with connect(strict) as sock:
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                     b"Content-Length: 100\r\n\r\nSELECT")
        data, took = read_all(sock)
    assert status_of(data) == 408 and took < 5, (data[:200], took)
    assert b"6 of the 100 bytes" in data


@pytest.mark.parametrize("headers", [
    b"Content-Length: 6\r\nContent-Length: 6\r\n",
    b"Content-Length: 6\r\nContent-Length: 60\r\n",
    b"Content-Length: 6\r\nTransfer-Encoding: chunked\r\n",
    b"Content-Length: -6\r\n",
])
def test_content_length_tricks_are_refused(strict: Running, headers: bytes) -> None:
    with connect(strict) as sock:
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n" + headers
                     + b"\r\nSELECT")
        data, _ = read_all(sock)
    assert status_of(data) in (400, 411), data[:300]
    assert b"Connection: close" in data


@pytest.mark.parametrize("host", [b"a b", b"x/y", b"<script>", b"h:99999", b"user@h", b'"q"', b"\xff\xfe",
                                  b"[zz]:80", b"a" * 300])
def test_a_bad_host_header_still_gets_the_service_description(strict: Running, host: bytes) -> None:
    with connect(strict) as sock:
        sock.sendall(b"GET /sparql HTTP/1.1\r\nHost: " + host + b"\r\nAccept: text/turtle\r\nConnection: close\r\n\r\n")
        data, _ = read_all(sock)
    assert status_of(data) == 200, data[:300]
    body = data.split(b"\r\n\r\n", 1)[1].decode("utf-8")
    graph = Graph().parse(data=body, format="turtle")
    assert len(graph) > 0 and strict.url in body


def test_a_good_host_header_names_the_endpoint(strict: Running) -> None:
    status, _, body = http(strict.endpoint, headers={"Accept": "text/turtle", "Host": "sparql.example.org:8443"})
    assert status == 200 and "http://sparql.example.org:8443/sparql" in body


def test_connections_are_bounded_and_the_server_recovers(strict: Running) -> None:
    held = [connect(strict) for _ in range(6)]
    try:
        time.sleep(0.3)
        with connect(strict) as extra:
            data, _ = read_all(extra, 5)
        assert status_of(data) == 503 and b"too many connections" in data
    finally:
        for sock in held:
            sock.close()
    time.sleep(0.5)
    assert get(strict, CAUSAL)[0] == 200


def test_answers_are_cut_in_bytes_with_the_truncation_headers(strict: Running) -> None:
    status, headers, body = get(strict, "SELECT ?s ?p ?o WHERE { ?s ?p ?o }", "text/csv")
    assert status == 200
    kept = int(headers["Smakg-Truncated"])
    assert 0 < kept < 50 and "answer size limit is 2048 bytes" in headers["Warning"]
    assert len(body.splitlines()) == kept + 1
    assert len(body.encode("utf-8")) < 2048 + kept * 16, "values within the limit, plus each row's separators"


def test_a_huge_literal_is_cut_not_sent(strict: Running) -> None:
    big = ("CONSTRUCT { ?s <http://example.org/p> ?big } WHERE { ?s ?p ?o BIND(CONCAT(STR(?o), STR(?o), STR(?o), "
           "STR(?o)) AS ?big) } LIMIT 40")
    status, headers, body = get(strict, big, "application/n-triples")
    assert status == 200 and "Smakg-Truncated" in headers
    assert len(body) < 2048 * 2


MEMORY_HOG = ("SELECT (STRLEN(GROUP_CONCAT(CONCAT(STR(?s), STR(?o), STR(?c)))) AS ?n) "
              "WHERE { ?s ?p ?o . ?a ?b ?c }")


def test_a_query_over_the_memory_limit_is_refused_and_not_run_again(strict: Running) -> None:
    before = healthy(strict)
    status, _, body = get(strict, MEMORY_HOG)
    assert status == 503 and "memory" in body, body
    assert get(strict, CAUSAL)[0] == 200, "the server keeps answering"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and healthy(strict)["live_workers"] < 2:
        time.sleep(0.2)
    assert healthy(strict)["live_workers"] == 2, "the spent worker was replaced"
    after = healthy(strict)
    status, _, body = get(strict, MEMORY_HOG)
    if after["crashed_workers"] > before["crashed_workers"]:  # the engine aborted: the same request is refused
        assert status == 400 and "crash" in body
        assert healthy(strict)["refused_repeats"] > before["refused_repeats"]
    else:  # Python's MemoryError: the worker answered 503 and was retired; a repeat runs (and fails) again
        assert status == 503 and "memory" in body, body


def test_workers_cannot_be_starved_by_repeating_a_crashing_request(strict: Running) -> None:
    """A request that killed a worker is refused before it reaches one, so repeating it costs nothing."""
    get(strict, MEMORY_HOG)
    before = healthy(strict)
    started = time.monotonic()
    for _ in range(20):
        status, _, _ = get(strict, MEMORY_HOG)
        assert status in (400, 503)
    if before["crashed_workers"]:  # the hog crashed a worker: every repeat was refused before reaching one
        assert healthy(strict)["refused_repeats"] == before["refused_repeats"] + 20
        assert healthy(strict)["crashed_workers"] == before["crashed_workers"]
    served = 0
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        served += get(strict, CAUSAL)[0] == 200
    assert served >= 10, f"normal traffic fell to {served} answers in 5 s after {time.monotonic() - started:.0f} s"


def test_health_reports_the_limits_counters(strict: Running) -> None:
    health = healthy(strict)
    assert {"crashed_workers", "refused_repeats", "timed_out_requests", "refused_connections"} <= set(health)


def test_post_still_works(strict: Running) -> None:
    status, _, body = http(strict.endpoint, data=urllib.parse.urlencode({"query": CAUSAL}).encode(),
                           headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/csv"})
    assert status == 200 and body.startswith("gene")


def hrefs(html: str) -> list[str]:
    from html.parser import HTMLParser

    found: list[str] = []

    class Links(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.extend(v or "" for k, v in attrs if k in ("href", "src", "action"))

    Links().feed(html)
    return found


@pytest.mark.parametrize("iri", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<script>x</script>",
                                 "vbscript:x", "file:///etc/passwd"])
def test_a_results_page_never_links_a_script_scheme(strict: Running, iri: str) -> None:
    """The reproduction of issue 11: a query that makes a javascript: IRI rendered as a link."""
    status, headers, body = get(strict, f'SELECT ?x WHERE {{ BIND(IRI("{iri}") AS ?x) }}', "text/html")
    assert status == 200 and "text/html" in headers["Content-Type"]
    links = hrefs(body)
    assert links and not any(link.lower().startswith(("javascript:", "data:", "vbscript:", "file:")) for link in links)
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_an_entity_page_never_links_a_script_iri_from_the_data(tmp_path_factory) -> None:
    data = tmp_path_factory.mktemp("evil") / "evil.nt"
    data.write_text('<https://w3id.org/smakg/id/condition/x> <http://www.w3.org/2000/01/rdf-schema#seeAlso> '
                    '<javascript:alert(1)> .\n<https://w3id.org/smakg/id/condition/x> '
                    '<http://www.w3.org/2000/01/rdf-schema#label> "x" .\n', encoding="utf-8")
    running = start(tmp_path_factory.mktemp("serve-evil"), "--workers", "1", "--data", str(data))
    try:
        status, _, body = http(running.url + "/id/condition/x", headers={"Accept": "text/html"})
        assert status == 200, body
        assert "javascript:alert(1)" in body, "the IRI is shown as text"
        assert not any(link.lower().startswith("javascript:") for link in hrefs(body))
    finally:
        stop(running)
