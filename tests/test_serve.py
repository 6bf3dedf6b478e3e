"""`smakg serve`: the real server in a subprocess on a free local port, queried with SPARQLWrapper and plain HTTP.

One server (oxigraph, 2 workers, time limit 1 s, row limit 50, body limit 4096 bytes) serves the module; a second
one with the rdflib engine checks the same answers and the refusals that matter for rdflib (SERVICE, FROM).
"""

from __future__ import annotations

import csv
import io
import json
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ROOT
from pyld import jsonld
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from SPARQLWrapper import CSV, JSON, POST, TURTLE, XML, SPARQLWrapper

from smakg.kb.jsonld import offline_loader
from smakg.sparql.query import run, screen

CAUSAL = ("PREFIX smakg: <https://w3id.org/smakg/vocab#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
          "SELECT ?gene ?condition WHERE { ?g smakg:isCausalGeneFor ?c ; rdfs:label ?gene . ?c rdfs:label ?condition }"
          " ORDER BY ?gene ?condition")
RUNAWAY = ("SELECT (COUNT(*) AS ?n) WHERE { ?a (<urn:x:p>|!<urn:x:p>)* ?b . ?c (<urn:x:p>|!<urn:x:p>)* ?d }")
SMARD1 = "https://w3id.org/smakg/id/condition/smard1"
UPDATES = [
    "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "DELETE DATA { <https://w3id.org/smakg/id/condition/smard1> a <https://w3id.org/smakg/vocab#Condition> }",
    "LOAD <http://127.0.0.1:9/x.ttl>",
    "CLEAR DEFAULT",
    "DROP ALL",
    "CREATE GRAPH <urn:x:g>",
    "ADD DEFAULT TO <urn:x:g>",
    "MOVE DEFAULT TO <urn:x:g>",
    "COPY DEFAULT TO <urn:x:g>",
]


@dataclass
class Running:
    url: str
    process: subprocess.Popen
    log: Path

    @property
    def endpoint(self) -> str:
        return self.url + "/sparql"


def start(tmp: Path, *args: str) -> Running:
    log = tmp / "server.log"
    process = subprocess.Popen([sys.executable, "-m", "smakg", "serve", "--port", "0", "--project", str(ROOT), *args],
                               stdout=subprocess.PIPE, stderr=log.open("w"), text=True, cwd=ROOT)
    assert process.stdout is not None
    deadline = time.monotonic() + 120
    lines = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        found = re.search(r"SPARQL endpoint (http://127\.0\.0\.1:\d+)/sparql", line)
        if found:
            return Running(found.group(1), process, log)
    process.kill()
    raise AssertionError(f"the server did not start: {''.join(lines)} {log.read_text()}")


def stop(running: Running) -> None:
    running.process.terminate()
    try:
        running.process.wait(10)
    except subprocess.TimeoutExpired:
        running.process.kill()


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Running]:
    running = start(tmp_path_factory.mktemp("serve"), "--time-limit", "1", "--row-limit", "50", "--max-body", "4096")
    yield running
    stop(running)


@pytest.fixture(scope="module")
def rdflib_server(tmp_path_factory) -> Iterator[Running]:
    running = start(tmp_path_factory.mktemp("serve-rdflib"), "--engine", "rdflib", "--workers", "1")
    yield running
    stop(running)


def http(url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None, method: str | None = None):
    """(status, headers, body text) of one plain HTTP request; errors are answers too."""
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read().decode("utf-8")


def get(server: Running, query: str, accept: str | None = None, **params: str):
    headers = {"Accept": accept} if accept else {}
    return http(server.endpoint + "?" + urllib.parse.urlencode({"query": query, **params}), headers=headers)


def oracle(built, query: str) -> list[tuple[str, ...]]:
    """The rows the library gives in-process (pyoxigraph over the built graph), as value tuples."""
    result = run(screen(query), built.graph)
    return [tuple(row[v].value if v in row else "" for v in result.variables) for row in result.rows or []]


def triple_count(server: Running) -> int:
    status, _, body = get(server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "application/sparql-results+json")
    assert status == 200
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


# ---- SPARQLWrapper: a real client ---------------------------------------------------------------------------

@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_select_json(server: Running, method: str, built) -> None:
    client = SPARQLWrapper(server.endpoint)
    client.setQuery(CAUSAL)
    client.setReturnFormat(JSON)
    if method == "POST":
        client.setMethod(POST)
    doc = client.query().convert()
    rows = [(b["gene"]["value"], b["condition"]["value"]) for b in doc["results"]["bindings"]]
    assert rows == oracle(built, CAUSAL), "the endpoint answers as the library does in-process"
    assert ("IGHMBP2", "spinal muscular atrophy with respiratory distress type 1") in rows
    assert all(b["gene"]["type"] == "literal" and "datatype" not in b["gene"] for b in doc["results"]["bindings"])


def test_sparqlwrapper_xml_csv_ask_and_construct(server: Running, built) -> None:
    client = SPARQLWrapper(server.endpoint)
    client.setQuery(CAUSAL)
    client.setReturnFormat(XML)
    xml_doc = client.query().convert()  # a minidom Document
    assert len(xml_doc.getElementsByTagName("result")) == len(oracle(built, CAUSAL))
    client.setReturnFormat(CSV)
    rows = list(csv.DictReader(io.StringIO(client.query().convert().decode("utf-8"))))
    assert [(r["gene"], r["condition"]) for r in rows] == oracle(built, CAUSAL)
    client.setQuery("PREFIX smakg: <https://w3id.org/smakg/vocab#> ASK { ?g smakg:modifiesSeverityOf ?c }")
    client.setReturnFormat(JSON)
    assert client.query().convert()["boolean"] is True
    client.setQuery("PREFIX smakg: <https://w3id.org/smakg/vocab#> CONSTRUCT { ?g smakg:isCausalGeneFor ?c } "
                    "WHERE { ?g smakg:isCausalGeneFor ?c }")
    client.setReturnFormat(TURTLE)
    graph = Graph().parse(data=client.query().convert().decode("utf-8"), format="turtle")
    assert len(graph) == 7


def test_answers_match_the_competency_question(server: Running) -> None:
    query = (ROOT / "queries" / "01-causal-genes.rq").read_text(encoding="utf-8")
    status, headers, body = get(server, query, "text/csv")
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    expected = (ROOT / "queries" / "01-causal-genes.csv").read_text(encoding="utf-8")
    got = sorted(body.replace("\r\n", "\n").strip().splitlines()[1:])
    assert got == sorted(expected.replace("\r\n", "\n").strip().splitlines()[1:])


# ---- content negotiation ------------------------------------------------------------------------------------

@pytest.mark.parametrize("accept, media", [
    (None, "application/sparql-results+json"),
    ("*/*", "application/sparql-results+json"),
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
    ("text/html,application/xhtml+xml,*/*;q=0.8", "text/html"),
])
def test_select_content_negotiation(server: Running, accept: str | None, media: str, built) -> None:
    status, headers, body = get(server, CAUSAL, accept)
    assert status == 200, body
    assert headers["Content-Type"].split(";")[0] == media
    assert headers["Vary"] == "Accept"
    if media.endswith("xml"):
        root = ET.fromstring(body)
        assert len(root.findall("{http://www.w3.org/2005/sparql-results#}results/*")) == len(oracle(built, CAUSAL))
    if media == "text/tab-separated-values":
        assert body.splitlines()[0] == "?gene\t?condition" and '"IGHMBP2"' in body


@pytest.mark.parametrize("accept, media, fmt", [
    (None, "text/turtle", "turtle"),
    ("text/turtle", "text/turtle", "turtle"),
    ("application/n-triples", "application/n-triples", "nt"),
    ("application/ld+json", "application/ld+json", "json-ld"),
])
def test_construct_content_negotiation(server: Running, accept: str | None, media: str, fmt: str) -> None:
    query = ("PREFIX smakg: <https://w3id.org/smakg/vocab#> CONSTRUCT { ?g smakg:isCausalGeneFor ?c } "
             "WHERE { ?g smakg:isCausalGeneFor ?c }")
    status, headers, body = get(server, query, accept)
    assert status == 200 and headers["Content-Type"].split(";")[0] == media
    assert len(Graph().parse(data=body, format=fmt)) == 7


def test_nothing_acceptable_is_406(server: Running) -> None:
    status, _, body = get(server, CAUSAL, "image/png")
    assert status == 406 and "application/sparql-results+json" in body
    status, _, body = get(server, "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", "text/csv")
    assert status == 406 and "text/turtle" in body


def test_format_parameter_overrides_accept(server: Running) -> None:
    status, headers, _ = get(server, CAUSAL, "application/sparql-results+json", format="csv")
    assert status == 200 and headers["Content-Type"].startswith("text/csv")


# ---- CORS and the service description -----------------------------------------------------------------------

def test_cors_preflight_and_headers(server: Running) -> None:
    status, headers, _ = http(server.endpoint, method="OPTIONS", headers={
        "Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert status == 204
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in headers["Access-Control-Allow-Methods"]
    assert "content-type" in headers["Access-Control-Allow-Headers"].lower()
    _, headers, _ = get(server, CAUSAL, None)
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "Smakg-Truncated" in headers["Access-Control-Expose-Headers"]


@pytest.mark.parametrize("path", ["/sparql", "/"])
def test_service_description(server: Running, path: str) -> None:
    status, headers, body = http(server.url + path, headers={"Accept": "text/turtle"})
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    g = Graph().parse(data=body, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoint = URIRef(server.endpoint)
    assert (endpoint, URIRef(sd + "endpoint"), endpoint) in g
    assert (endpoint, URIRef(sd + "supportedLanguage"), URIRef(sd + "SPARQL11Query")) in g
    formats = set(g.objects(endpoint, URIRef(sd + "resultFormat")))
    assert len(formats) == 8 and URIRef("http://www.w3.org/ns/formats/RDF_XML") in formats
    status, headers, html = http(server.url + path, headers={"Accept": "text/html"})
    assert status == 200 and "<form" in html and 'href="index.html"' in html, "links are relative to the site"
    if path == "/":  # a browser at the top gets the site's landing page, which lists the entities
        assert 'href="id/condition/smard1.html"' in html


# ---- dereferenceable entities ----------------------------------------------------------------------------------

def test_entity_turtle_jsonld_and_html(server: Running) -> None:
    path = server.url + "/id/condition/smard1"
    status, headers, ttl = http(path, headers={"Accept": "text/turtle"})
    assert status == 200 and headers["Content-Type"].startswith("text/turtle") and headers["Vary"] == "Accept"
    g = Graph().parse(data=ttl, format="turtle")
    assert (URIRef(SMARD1), None, None) in g
    quotes = set(map(str, g.objects(None, URIRef("http://www.w3.org/ns/oa#exact"))))
    assert any("IGHMBP2" in q for q in quotes), "the causal gene's quote is on the page"

    status, headers, doc = http(path, headers={"Accept": "application/ld+json"})
    assert status == 200 and headers["Content-Type"].startswith("application/ld+json")
    expanded = jsonld.to_rdf(json.loads(doc), {"format": "application/n-quads", "documentLoader": offline_loader})
    assert isomorphic(Graph().parse(data=expanded, format="nt"), g), "JSON-LD and Turtle pages are one graph"

    status, headers, html = http(path, headers={"Accept": "text/html,*/*;q=0.8"})
    assert status == 200 and headers["Content-Type"].startswith("text/html") and headers["Vary"] == "Accept"
    assert "<h1>spinal muscular atrophy with respiratory distress type 1</h1>" in html
    assert "SMARD1" in html and "<blockquote>" in html
    assert 'href="../../id/gene/IGHMBP2.html"' in html, "related entities are linked, relatively, on this server"
    assert 'href="../../id/source/' in html, "each statement names its source"
    assert "default-src 'none'" in headers["Content-Security-Policy"] and "frame-ancestors 'none'" in \
        headers["Content-Security-Policy"] and headers["X-Content-Type-Options"] == "nosniff"


def test_entity_page_links_resolve(server: Running) -> None:
    base = server.url + "/id/condition/smard1"
    _, _, html = http(base, headers={"Accept": "text/html"})
    links = sorted({urllib.parse.urljoin(base, h) for h in re.findall(r'href="([^"#]+)"', html)
                    if not h.startswith("http")})
    assert len(links) > 10
    for link in links[:60]:
        status, _, _ = http(link)
        assert status == 200, link


@pytest.mark.parametrize("path", ["/id/condition/no-such-thing", "/id/../etc/passwd", "/id/condition/a%3Eb",
                                  "/nowhere"])
def test_unknown_paths_are_404(server: Running, path: str) -> None:
    status, _, body = http(server.url + path)
    assert status == 404 and "Traceback" not in body


# ---- safety ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("update", UPDATES, ids=lambda u: u.split()[0])
def test_updates_are_refused_and_the_graph_unchanged(server: Running, update: str) -> None:
    before = triple_count(server)
    answers = [
        get(server, update),
        http(server.endpoint, data=urllib.parse.urlencode({"update": update}).encode(),
             headers={"Content-Type": "application/x-www-form-urlencoded"}),
        http(server.endpoint, data=update.encode(), headers={"Content-Type": "application/sparql-update"}),
        http(server.endpoint, data=update.encode(), headers={"Content-Type": "application/sparql-query"}),
    ]
    for status, _, body in answers:
        assert status == 403, body
        assert "updates are refused" in body
    assert triple_count(server) == before


@pytest.fixture
def sentinel() -> Iterator[tuple[int, list]]:
    """A local TCP listener that records any connection: SERVICE or FROM must never reach it."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    sock.settimeout(0.1)
    hits: list = []
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                continue
            hits.append(conn.recv(1000))
            conn.close()

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    yield sock.getsockname()[1], hits
    done.set()
    thread.join(2)
    sock.close()


@pytest.mark.parametrize("which", ["server", "rdflib_server"])
def test_service_and_from_are_refused_without_a_connection(which: str, sentinel, request) -> None:
    running = request.getfixturevalue(which)
    port, hits = sentinel
    for query, word in [(f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}", "SERVICE"),
                        (f"SELECT * WHERE {{ SeRvIcE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}", "SERVICE"),
                        (f"SELECT * FROM <http://127.0.0.1:{port}/data.ttl> WHERE {{ ?s ?p ?o }}", "FROM"),
                        (f"SELECT * FROM NAMED <http://127.0.0.1:{port}/g.ttl> WHERE {{ ?s ?p ?o }}", "FROM")]:
        status, _, body = get(running, query)
        assert status == 403 and f"{word}" in body, body
    time.sleep(0.3)
    assert hits == [], "a refused query reached the network"


def test_runaway_query_stops_and_the_server_keeps_answering(server: Running) -> None:
    results: dict[str, tuple] = {}

    def runaway() -> None:
        started = time.monotonic()
        results["runaway"] = (*get(server, RUNAWAY), time.monotonic() - started)

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.2)
    started = time.monotonic()
    status, _, _ = get(server, CAUSAL)  # sent while the runaway query runs
    assert status == 200 and time.monotonic() - started < 1.0, "a simple query waited for the runaway one"
    thread.join(30)
    status, _, body, took = results["runaway"]
    assert status == 503 and "time limit of 1 s" in body
    assert took < 5, f"the runaway query was stopped after {took:.1f} s, not ~1 s"
    status, _, _ = get(server, CAUSAL)
    assert status == 200
    deadline = time.monotonic() + 30  # the stopped worker is replaced in the background
    while time.monotonic() < deadline:
        health = json.loads(http(server.url + "/health")[2])
        if health["idle_workers"] == 2:
            break
        time.sleep(0.2)
    assert health["idle_workers"] == 2 and health["stopped_queries"] >= 1


def test_result_size_limit_says_it_truncated(server: Running) -> None:
    status, headers, body = get(server, "SELECT * WHERE { ?s ?p ?o }", "application/sparql-results+json")
    assert status == 200
    assert len(json.loads(body)["results"]["bindings"]) == 50
    assert headers["Smakg-Truncated"] == "50" and "truncated" in headers["Warning"]
    status, headers, body = get(server, CAUSAL, "application/sparql-results+json")
    assert "Smakg-Truncated" not in headers


def test_body_size_limit(server: Running) -> None:
    big = CAUSAL + "\n#" + "x" * 5000
    status, _, body = http(server.endpoint, data=big.encode(), headers={"Content-Type": "application/sparql-query"})
    assert status == 413 and "4096" in body


def raw(server: Running, request: bytes) -> bytes:
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(request)
        chunks = []
        while chunk := s.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_post_without_length_and_bad_media_types(server: Running) -> None:
    answer = raw(server, b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                         b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 411")
    status, _, _ = http(server.endpoint, data=b"{}", headers={"Content-Type": "application/json"})
    assert status == 415
    status, headers, _ = http(server.endpoint, data=b"x", method="PUT")
    assert status == 405 and "GET" in headers["Allow"]


@pytest.mark.parametrize("query, message", [
    ("SELECT * WHERE {\n  ?s ?p }", "query:2:"),
    ("", "the query is empty"),
])
def test_bad_queries_are_400_with_a_position(server: Running, query: str, message: str) -> None:
    status, _, body = get(server, query)
    assert status == 400 and message in body and "Traceback" not in body


def test_repeated_or_dataset_parameters_are_400(server: Running) -> None:
    status, _, _ = http(server.endpoint + "?query=ASK%7B%7D&query=ASK%7B%7D")
    assert status == 400
    status, _, body = get(server, CAUSAL, None, **{"default-graph-uri": "urn:x:g"})
    assert status == 400 and "default-graph-uri" in body


# ---- health, logs, concurrency --------------------------------------------------------------------------------

def test_health(server: Running) -> None:
    status, headers, body = http(server.url + "/health")
    doc = json.loads(body)
    assert status == 200 and headers["Content-Type"] == "application/json"
    assert doc["status"] == "ok" and doc["triples"] > 2000 and doc["workers"] == doc["live_workers"] == 2


def test_request_log_line(server: Running) -> None:
    get(server, CAUSAL, "text/csv")
    time.sleep(0.2)
    lines = server.log.read_text(encoding="utf-8").splitlines()
    pattern = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} 127\.0\.0\.1 GET /sparql\?query=\S+ 200 \d+B "
                         r"\d+\.\dms \d+ rows$")
    assert any(pattern.match(line) for line in lines), lines[-5:]


def test_twenty_concurrent_queries_all_correct(server: Running) -> None:
    questions = sorted((ROOT / "queries").glob("*.rq"))[:20]
    barrier = threading.Barrier(20)

    def ask(rq: Path) -> tuple[Path, int, str]:
        barrier.wait(10)
        status, _, body = get(server, rq.read_text(encoding="utf-8"), "text/csv")
        return rq, status, body

    with ThreadPoolExecutor(20) as pool:
        answers = list(pool.map(ask, questions))
    assert len(answers) == 20
    for rq, status, body in answers:
        assert status == 200, (rq.name, body)
        expected = rq.with_suffix(".csv").read_text(encoding="utf-8").replace("\r\n", "\n").strip().splitlines()
        got = body.replace("\r\n", "\n").strip().splitlines()
        if len(expected) - 1 > 50:  # longer answers are cut at this server's row limit of 50
            assert len(got) == 51, rq.name
        else:
            assert got[0] == expected[0] and sorted(got[1:]) == sorted(expected[1:]), rq.name


def test_rdflib_engine_gives_the_same_answers(server: Running, rdflib_server: Running) -> None:
    for rq in sorted((ROOT / "queries").glob("*.rq"))[:8]:
        text = rq.read_text(encoding="utf-8")
        a = get(server, text, "application/sparql-results+json")
        b = get(rdflib_server, text, "application/sparql-results+json")
        assert a[0] == b[0] == 200
        key = lambda body: sorted(json.dumps(x, sort_keys=True) for x in json.loads(body)["results"]["bindings"])  # noqa: E731
        assert key(a[2]) == key(b[2]), rq.name


def test_port_in_use_is_a_clear_error(server: Running) -> None:
    port = server.url.rsplit(":", 1)[1]
    result = subprocess.run([sys.executable, "-m", "smakg", "serve", "--port", port, "--project", str(ROOT)],
                            capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 2
    assert "cannot listen" in result.stderr and "Traceback" not in result.stderr


def test_vocabulary_dereferences(server: Running) -> None:
    status, headers, ttl = http(server.url + "/vocab", headers={"Accept": "text/turtle"})
    assert status == 200 and headers["Vary"] == "Accept"
    vocab = Graph().parse(data=ttl, format="turtle")
    assert isomorphic(vocab, Graph().parse(ROOT / "ontology" / "smakg.ttl", format="turtle"))
    status, _, html = http(server.url + "/vocab", headers={"Accept": "text/html"})
    assert status == 200 and '<h3 id="isCausalGeneFor">' in html and '<h3 id="Condition">' in html
    _, _, page = http(server.url + "/id/gene/IGHMBP2", headers={"Accept": "text/html"})
    assert 'href="../../vocab.html#isCausalGeneFor"' in page, "relations link to their definition"


# ---- issue 12: predefined prefixes, readable errors, RDF/XML, search ------------------------------------------

BARE_CAUSAL = ("SELECT ?gene ?condition WHERE { ?g smakg:isCausalGeneFor ?c ; rdfs:label ?gene . "
               "?c rdfs:label ?condition } ORDER BY ?gene ?condition")


@pytest.mark.parametrize("which", ["server", "rdflib_server"])
def test_predefined_prefixes_over_http(which: str, request, built) -> None:
    running = request.getfixturevalue(which)
    status, _, body = get(running, BARE_CAUSAL, "text/csv")
    assert status == 200, body
    rows = [tuple(r) for r in csv.reader(io.StringIO(body))][1:]
    assert rows == oracle(built, CAUSAL)
    own = "PREFIX smakg: <http://example.org/other#>\n" + BARE_CAUSAL  # the query's own line wins
    status, _, body = get(running, own, "text/csv")
    assert status == 200 and body.replace("\r\n", "\n") == "gene,condition\n"


@pytest.mark.parametrize("which", ["server", "rdflib_server"])
def test_syntax_errors_are_400_with_line_column_and_token(which: str, request) -> None:
    from smakg.sparql.query import PREDEFINED

    running = request.getfixturevalue(which)
    status, headers, body = get(running, "SELECT * WHERE {\n ?s foo:bar ?o }")
    assert status == 400 and headers["Content-Type"].startswith("text/plain")
    assert body.splitlines()[0] == (f"query:2:5: prefix foo: is not declared; declare it or use one of: "
                                    f"{', '.join(PREDEFINED)}")
    status, _, body = get(running, "SELECT * WHERE { ?s ?p ?o } LIMT 5")
    assert status == 400 and 'query:1:29: SPARQL syntax error at "LIMT"' in body
    assert "expected one of" not in body and "internal error" not in body


def test_sparqlwrapper_default_construct_and_describe_get_rdfxml(server: Running) -> None:
    client = SPARQLWrapper(server.endpoint)  # no return format set: SPARQLWrapper asks for XML, RDF/XML for graphs
    client.setQuery("CONSTRUCT { ?g smakg:isCausalGeneFor ?c } WHERE { ?g smakg:isCausalGeneFor ?c }")
    graph = client.query().convert()
    assert isinstance(graph, Graph) and len(graph) == 7
    client.setQuery("DESCRIBE cond:smard1")
    response = client.query()
    assert response.response.headers["Content-Type"].startswith("application/rdf+xml")
    described = response.convert()
    assert (URIRef(SMARD1), None, None) in described
    client.setMethod(POST)
    assert len(client.query().convert()) == len(described)


def test_entity_page_as_rdfxml(server: Running) -> None:
    path = server.url + "/id/condition/smard1"
    status, headers, xml = http(path, headers={"Accept": "application/rdf+xml"})
    assert status == 200 and headers["Content-Type"].startswith("application/rdf+xml") and headers["Vary"] == "Accept"
    _, _, ttl = http(path, headers={"Accept": "text/turtle"})
    assert isomorphic(Graph().parse(data=xml, format="xml"), Graph().parse(data=ttl, format="turtle"))
    status, headers, _ = http(path + "?format=xml")
    assert status == 200 and headers["Content-Type"].startswith("application/rdf+xml")
    status, _, body = http(path, headers={"Accept": "image/png"})
    assert status == 406 and "application/rdf+xml" in body


def find(server: Running, text: str | None, accept: str | None = None, **params: str):
    query = urllib.parse.urlencode({**({"q": text} if text is not None else {}), **params})
    return http(f"{server.url}/find?{query}", headers={"Accept": accept} if accept else {})


@pytest.mark.parametrize("text, curie", [("SMARD1", "cond:smard1"), ("DSMA1", "cond:smard1"),
                                         ("MONDO:0011436", "cond:smard1"), ("hgnc:5542", "gene:IGHMBP2")])
def test_find_as_json(server: Running, text: str, curie: str) -> None:
    status, headers, body = find(server, text, "application/json")
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    doc = json.loads(body)
    assert doc["query"] == text and doc["matches"][0]["curie"] == curie
    assert doc["matches"][0]["kind"] == ("condition" if curie.startswith("cond:") else "gene")


def test_find_as_a_page_links_and_escapes(server: Running) -> None:
    status, headers, html = find(server, "SMARD1", "text/html,*/*;q=0.8")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert 'href="id/condition/smard1.html"' in html and "alias &quot;SMARD1&quot;" in html
    assert 'value="SMARD1"' in html, "the search box keeps the text"
    evil = '<script>alert("x")</script>'
    status, _, html = find(server, evil, "text/html")
    assert status == 200 and "<script>" not in html and "&lt;script&gt;" in html and "Nothing matches" in html
    status, _, body = find(server, evil, "application/json")
    assert status == 200 and json.loads(body) == {"query": evil, "matches": []}
    status, _, html = find(server, None, "text/html")
    assert status == 200 and 'action="find"' in html
    assert find(server, None, "application/json")[0] == 400
    assert find(server, "   ", "application/json")[0] == 400
    assert find(server, "SMARD1", None, format="json")[1]["Content-Type"].startswith("application/json")


def test_landing_page_has_search_and_the_prefixes(server: Running) -> None:
    from smakg.sparql.query import PREDEFINED

    status, _, html = http(server.url + "/", headers={"Accept": "text/html"})
    assert status == 200
    assert 'action="find" data-index="search.json"' in html and 'name="q"' in html
    for prefix, ns in PREDEFINED.items():
        assert f"<tr><td><code>{prefix}:</code></td><td><code>{ns}</code></td></tr>" in html, prefix
    example = re.search(r'<textarea [^>]*name="query"[^>]*>(.*?)</textarea>', html, re.S)
    assert example and "PREFIX" not in example.group(1)
    status, _, body = get(server, __import__("html").unescape(example.group(1)), "text/csv")
    assert status == 200 and "IGHMBP2" in body, "the landing page's example runs as shown"


def test_a_deeply_nested_query_is_400_and_no_worker_dies(server: Running) -> None:
    """Before the bound, each such request killed a worker (the engine segfaulted) and a few starved the pool."""
    deep = "SELECT * WHERE " + "{" * 600 + " ?s ?p ?o " + "}" * 600
    for _ in range(3):
        status, _, body = get(server, deep)
        assert status == 400 and "600 opening brackets" in body
    status, _, _ = get(server, CAUSAL)
    assert status == 200
    health = json.loads(http(server.url + "/health")[2])
    assert health["live_workers"] == 2 and health["status"] == "ok"
