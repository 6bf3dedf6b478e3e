"""No query reaches the network (issue 11): a corpus of adversarial queries and generated ones, each proven by a
loopback listener that records zero connections, on both engines, in-process, through the CLI and through a server;
and the second guard (no network sockets in a query process) tested on its own, with the screen bypassed."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
import urllib.parse
import urllib.request

import pyoxigraph as ox
import pytest
from conftest import ROOT, Listener
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph

from smakg.sandbox import network_guard_available
from smakg.sparql.query import QueryError, check_query, run, screen

U = "{U}"  # the listener's URL, filled in per test
# Each query names the listener in a SERVICE (or FROM) clause that some naive reading of the text would miss.
CORPUS = [
    # the reproduction of issue 11: a regex screen read <?z&&'> as an IRI and lost track of the quotes
    "SELECT * WHERE { { ?s ?p ?o FILTER(?o<?z&&'>'=' ') } UNION { SERVICE <{U}> { ?a ?b ?c } FILTER('x'='x') } } "
    "LIMIT 3",
    "SELECT * WHERE { SERVICE <{U}> { ?a ?b ?c } }",
    "select * where { service <{U}> { ?a ?b ?c } }",
    "SELECT * WHERE { sErViCe <{U}> { ?a ?b ?c } }",
    "SELECT * WHERE { SERVICE SILENT <{U}> { ?a ?b ?c } }",
    # strings holding <, >, quotes and #
    "SELECT * WHERE { ?s ?p \"<\" . SERVICE <{U}> { ?a ?b ?c } FILTER(?o != \">\") }",
    "SELECT * WHERE { ?s ?p '\"' . SERVICE <{U}> { ?a ?b ?c } FILTER(?o != \"'\") }",
    "SELECT * WHERE { ?s ?p \"#\" . SERVICE <{U}> { ?a ?b ?c } }",
    "SELECT * WHERE { ?s ?p \"\"\"a \" < > # ' \"\"\" . SERVICE <{U}> { ?a ?b ?c } }",
    "SELECT * WHERE { ?s ?p '''it's\n<''' . SERVICE <{U}> { ?a ?b ?c } }",
    'SELECT * WHERE { ?s ?p "a\\"b<" . SERVICE <{U}> { ?a ?b ?c } }',
    # IRIs holding # and characters that look like other tokens
    "SELECT * WHERE { ?s <http://example.org/p#'> ?o . SERVICE <{U}> { ?a ?b ?c } }",
    "SELECT * WHERE { ?s <http://example.org/\"> ?o . SERVICE <{U}> { ?a ?b ?c } }",
    # comments
    "SELECT * WHERE { ?s ?p ?o # a comment with a quote ' and <\n SERVICE <{U}> { ?a ?b ?c } }",
    "SELECT * WHERE { SERVICE # between the keyword and the IRI\n <{U}> { ?a ?b ?c } }",
    "# SERVICE in a comment first\nSELECT * WHERE { SERVICE <{U}> { ?a ?b ?c } }",
    # \\u escapes: expanded before parsing by rdflib, only in strings and IRIs by Oxigraph
    "SELECT * WHERE { \\u0053ERVICE <{U}> { ?a ?b ?c } }",
    "SELECT * WHERE { SERVIC\\u0045 <{U}> { ?a ?b ?c } }",
    'SELECT * WHERE { BIND("a\\u005C" AS ?x) SERVICE <{U}> { ?a ?b ?c } } #" AS ?x) }',  # rdflib alone misses it
    'SELECT * WHERE { BIND("a\\u0022" AS ?x) SERVICE <{U}> { ?a ?b ?c } }',
    "SELECT * WHERE { ?s ?p ?o # \\u000A SERVICE <{U}> { ?a ?b ?c }\n }",
    # prefixed and variable SERVICE
    "PREFIX remote: <{U}#> SELECT * WHERE { SERVICE remote: { ?a ?b ?c } }",
    "PREFIX r: <{B}> SELECT * WHERE { SERVICE r:sparql { ?a ?b ?c } }",
    "SELECT * WHERE { BIND(<{U}> AS ?e) SERVICE ?e { ?a ?b ?c } }",
    "SELECT * WHERE { VALUES ?e { <{U}> } SERVICE ?e { ?a ?b ?c } }",
    # nested
    "SELECT * WHERE { OPTIONAL { { SELECT * WHERE { SERVICE <{U}> { ?a ?b ?c } } } } }",
    "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <{U}> { ?a ?b ?c } } }",
    "SELECT * WHERE { ?s ?p ?o MINUS { SERVICE <{U}> { ?s ?p ?o } } }",
    "ASK { GRAPH ?g { SERVICE <{U}> { ?a ?b ?c } } }",
    "CONSTRUCT { ?a ?b ?c } WHERE { SERVICE <{U}> { ?a ?b ?c } }",
    "DESCRIBE ?a WHERE { SERVICE <{U}> { ?a ?b ?c } }",
    "SELECT * WHERE { ?s ?p ?o FILTER(?o<5)SERVICE<{U}>{?a ?b ?c} }",
    # FROM (rdflib would fetch the graph)
    "SELECT * FROM <{U}> WHERE { ?s ?p ?o }",
    "SELECT * FROM NAMED <{U}> WHERE { GRAPH ?g { ?s ?p ?o } }",
    "ask from <{U}> { ?s ?p ?o }",
]


def fill(template: str, listener: Listener) -> str:
    return template.replace(U, listener.url).replace("{B}", listener.url.removesuffix("sparql"))


def settle(listener: Listener) -> list[bytes]:
    time.sleep(0.2)
    return listener.hits


@pytest.fixture(scope="module")
def small() -> Graph:
    return Graph().parse(data="<http://example.org/s> <http://example.org/p> <http://example.org/o> .", format="nt")


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
@pytest.mark.parametrize("template", CORPUS)
def test_the_screen_refuses_every_adversarial_query(template: str, engine: str, listener: Listener,
                                                     small: Graph) -> None:
    text = fill(template, listener)
    with pytest.raises(QueryError):
        run(screen(text), small, engine=engine)
    assert settle(listener) == [], "a query reached the network"


def test_the_escape_differential_is_real(listener: Listener) -> None:
    """rdflib's reading alone (escapes expanded first) sees no SERVICE where Oxigraph runs one: this is why the
    screen parses a text with a backslash both ways."""
    from rdflib.plugins.sparql.parser import parseQuery

    from smakg.sparql.query import _names

    text = fill(CORPUS[18], listener)
    assert "ServiceGraphPattern" not in _names(parseQuery(text))
    with pytest.raises(QueryError, match="escape"):
        check_query(text)


@pytest.mark.parametrize("text", [
    "SELECT ?s WHERE { ?s <http://example.org/service> ?o } # SERVICE <http://127.0.0.1:9/> { }",
    "SELECT ?s WHERE { ?s ?p 'SERVICE <http://127.0.0.1:9/> { ?a ?b ?c }' }",
    'SELECT ?s WHERE { ?s ?p """FROM <x:y>""" }',
    'SELECT ?s WHERE { ?s ?p "a\\"b" }',
    "PREFIX ex: <http://example.org/> SELECT ?s WHERE { ?s ex:a\\#b ?o }",
])
def test_words_in_iris_strings_and_comments_are_not_clauses(text: str) -> None:
    assert screen(text).form == "SELECT"


def test_an_escape_in_a_string_gets_a_clear_answer() -> None:
    with pytest.raises(QueryError, match="write the character itself"):
        screen('SELECT * WHERE { ?s ?p "caf\\u00e9" }')


# ---- generated queries ----------------------------------------------------------------------------------------

# pieces that confuse a reader of text: quotes, angle brackets, hashes, escapes, line breaks, keywords
NOISE = st.sampled_from(["<", ">", "'", '"', "#", "\\", "\\u0022", "\\u005C", "\\u0027", "\\u003E", "\\u000A",
                         "\n", " ", "{", "}", "SERVICE", "service", "FROM", "?z", "&&", "<?z&&'>", "x", "1"])
HOLDERS = st.sampled_from([
    "?s ?p \"{n}\" .", "?s ?p '{n}' .", "?s ?p '''{n}''' .", '?s ?p """{n}""" .', "# {n}\n",
    "?s <http://example.org/{n}> ?o .", "FILTER(?o<?z&&'{n}'=' ')", "BIND(\"{n}\" AS ?x{i})",
])
SERVICES = st.sampled_from([
    "SERVICE <{U}> { ?a ?b ?c }", "service silent <{U}> { ?a ?b ?c }", "{ SERVICE <{U}> { ?a ?b ?c } }",
    "OPTIONAL { SERVICE <{U}> { ?a ?b ?c } }", "FILTER EXISTS { SERVICE <{U}> { ?a ?b ?c } }",
    "BIND(<{U}> AS ?e{i}) SERVICE ?e{i} { ?a ?b ?c }",
])


@st.composite
def adversarial(draw: st.DrawFn) -> str:
    parts = []
    for i in range(draw(st.integers(1, 4))):
        noise = "".join(draw(st.lists(NOISE, min_size=0, max_size=6)))
        parts.append(draw(HOLDERS).replace("{n}", noise).replace("{i}", str(i)))
    parts.insert(draw(st.integers(0, len(parts))), draw(SERVICES).replace("{i}", "9"))
    return "SELECT * WHERE { " + " ".join(parts) + " }"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(template=adversarial())
def test_generated_queries_never_reach_the_network(template: str, listener: Listener) -> None:
    """Whatever strings, comments and escapes surround a SERVICE clause, either the screen refuses the query or
    Oxigraph, given what the screen let through, makes no connection (Oxigraph runs SERVICE over HTTP)."""
    text = template.replace(U, listener.url)
    store = ox.Store()
    try:
        checked = screen(text)
    except QueryError:
        return
    try:
        list(store.query(checked.text))  # type: ignore[arg-type]
    except (SyntaxError, OSError, ValueError):
        pass
    assert listener.hits == [], f"the screen let through a query that reached the network: {text!r}"


# ---- the CLI and the server -----------------------------------------------------------------------------------

@pytest.mark.parametrize("template", [CORPUS[0], CORPUS[18], CORPUS[23]])
@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_the_cli_refuses_without_a_connection(template: str, engine: str, listener: Listener) -> None:
    result = subprocess.run([sys.executable, "-m", "smakg", "query", fill(template, listener), "--engine", engine,
                             "--project", str(ROOT)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert settle(listener) == []


@pytest.fixture(scope="module")
def serving(tmp_path_factory):
    from test_serve import start, stop

    running = start(tmp_path_factory.mktemp("serve-offline"), "--workers", "1")
    yield running
    stop(running)


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def test_the_server_refuses_the_whole_corpus_without_a_connection(serving, listener: Listener) -> None:
    for template in CORPUS:
        status, body = _get(serving.endpoint + "?" + urllib.parse.urlencode({"query": fill(template, listener)}))
        assert status in (400, 403), (template, status, body)
    assert settle(listener) == []


@pytest.mark.skipif(network_guard_available() is not None, reason=f"no network guard here: {network_guard_available()}")
def test_server_workers_have_no_network(serving) -> None:
    health = json.loads(_get(serving.url + "/health")[1])
    assert health["workers_offline"] is True


# ---- the second guard alone -----------------------------------------------------------------------------------

GUARDED = textwrap.dedent("""
    import sys
    import pyoxigraph as ox
    from rdflib import Graph
    from smakg.sandbox import deny_network

    url = sys.argv[1]
    assert deny_network() is None
    query = "SELECT * WHERE { SERVICE <%s> { ?a ?b ?c } }" % url
    for name, call in [("oxigraph", lambda: list(ox.Store().query(query))),
                       ("rdflib", lambda: list(Graph().query(query)))]:
        try:
            call()
            print(name, "ran")
        except Exception as exc:
            print(name, "failed:", type(exc).__name__, str(exc)[:200])
    import multiprocessing
    a, b = multiprocessing.Pipe()
    a.send("pipes still work")
    print(b.recv())
""")


@pytest.mark.skipif(network_guard_available() is not None, reason=f"no network guard here: {network_guard_available()}")
def test_a_process_without_network_cannot_connect_even_past_the_screen(listener: Listener) -> None:
    """The screen bypassed on purpose: both engines are handed a SERVICE query directly, in a process that has
    given up the network, and nothing reaches the listener."""
    result = subprocess.run([sys.executable, "-c", GUARDED, listener.url], capture_output=True, text=True,
                            timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "oxigraph failed" in result.stdout and "rdflib failed" in result.stdout, result.stdout
    assert "pipes still work" in result.stdout
    assert settle(listener) == []


def test_without_the_guard_the_listener_does_see_a_connection(listener: Listener) -> None:
    """The control: the same direct SERVICE query in a process that keeps the network does reach the listener,
    so the zero counts above are not an artefact of the listener."""
    code = ("import sys, pyoxigraph as ox\ntry:\n list(ox.Store().query('SELECT * WHERE { SERVICE <%s> "
            "{ ?a ?b ?c } }' % sys.argv[1]))\nexcept Exception: pass\n")
    subprocess.run([sys.executable, "-c", code, listener.url], capture_output=True, text=True, timeout=120)
    assert len(settle(listener)) >= 1
