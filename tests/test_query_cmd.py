"""`smakg query`: read-only, offline, both engines, SPARQL 1.1 result formats, clear errors."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from conftest import ROOT
from rdflib import Graph
from typer.testing import CliRunner

from smakg.cli import app
from smakg.sparql.query import QueryError, RefusedQuery, check_query, run, screen
from smakg.sparql.results import Term

runner = CliRunner()
CAUSAL = ("PREFIX smakg: <https://w3id.org/smakg/vocab#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
          "SELECT ?gene ?condition WHERE { ?g smakg:isCausalGeneFor ?c . ?g rdfs:label ?gene . "
          "?c rdfs:label ?condition }")


def q(*args: str):
    return runner.invoke(app, ["query", *args, "--project", str(ROOT)])


@pytest.mark.parametrize("text, message", [
    ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE is refused"),
    ("INSERT DATA { <http://a> <http://b> <http://c> }", "updates are refused"),
    ("DROP ALL", "updates are refused"),
    ("LOAD <http://example.org/x.ttl>", "updates are refused"),
    ("SELECT * WHERE {\n  ?s ?p }", "query:2:"),
])
def test_refused_or_invalid_queries_exit_2(text: str, message: str) -> None:
    result = q(text)
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


def test_engines_agree_and_formats_parse() -> None:
    from smakg.kb.build import build_graph
    from smakg.project import Project

    graph = build_graph(Project(ROOT)).graph
    checked = check_query(CAUSAL)
    a = run(checked, graph, engine="rdflib").rows
    b = run(checked, graph, engine="oxigraph").rows
    assert a and sorted(map(sorted, (r.items() for r in a))) == sorted(map(sorted, (r.items() for r in b)))
    assert {"gene": Term.literal("IGHMBP2"),
            "condition": Term.literal("spinal muscular atrophy with respiratory distress type 1")} in a

    rows = list(csv.DictReader(io.StringIO(q(CAUSAL, "--format", "csv").output)))
    assert len(rows) == len(a)
    doc = json.loads(q(CAUSAL, "--format", "json").output)
    assert doc["head"]["vars"] == ["gene", "condition"] and len(doc["results"]["bindings"]) == len(a)
    root = ET.fromstring(q(CAUSAL, "--format", "xml").output)
    assert len(root.findall("{http://www.w3.org/2005/sparql-results#}results/*")) == len(a)
    assert q(CAUSAL, "--format", "tsv").output.startswith("?gene\t?condition\n")


def test_ask_and_construct() -> None:
    ask = q("PREFIX smakg: <https://w3id.org/smakg/vocab#> ASK { ?g smakg:modifiesSeverityOf ?c }",
            "--format", "json", "--engine", "rdflib")
    assert json.loads(ask.output)["boolean"] is True
    construct = q("PREFIX smakg: <https://w3id.org/smakg/vocab#> "
                  "CONSTRUCT { ?g smakg:isCausalGeneFor ?c } WHERE { ?g smakg:isCausalGeneFor ?c }")
    assert construct.exit_code == 0
    assert len(Graph().parse(data=construct.output, format="turtle")) == 7


def test_query_file(tmp_path) -> None:
    path = tmp_path / "q.rq"
    path.write_text(CAUSAL, encoding="utf-8")
    result = q(str(path), "--format", "csv")
    assert result.exit_code == 0 and result.output.startswith("gene,condition")
    with pytest.raises(QueryError):
        check_query("SELECT", source=str(path))


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "select * where { service <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",  # escapes are expanded before parsing
    'SELECT * WHERE { ?s ?p "a\\"b" . SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }',  # a quote escaped in a string
    "SELECT * WHERE { ?s ?p ?o FILTER(?o<5)SERVICE?v{?s ?p ?o} }",
    "SELECT * FROM <http://127.0.0.1:9/x.ttl> WHERE { ?s ?p ?o }",
    "SELECT * FROM NAMED <http://127.0.0.1:9/x.ttl> WHERE { GRAPH ?g { ?s ?p ?o } }",
    "ASK FROM <http://127.0.0.1:9/x.ttl> { ?s ?p ?o }",
])
@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_screen_refuses_service_and_from_on_both_engines(text: str, engine: str, built) -> None:
    """The screen refuses SERVICE and FROM on the parsed query (tests/test_no_network.py has the adversarial corpus);
    the network guard (conftest) would turn any attempt to connect into a different error."""
    with pytest.raises(RefusedQuery):
        run(screen(text), built.graph, engine=engine)


def test_typed_terms_in_results(built) -> None:
    text = ("PREFIX smakg: <https://w3id.org/smakg/vocab#> SELECT ?g (COUNT(?c) AS ?n) (STRLANG('x', 'EN') AS ?l) "
            "WHERE { ?g smakg:isCausalGeneFor ?c } GROUP BY ?g")
    for engine in ("oxigraph", "rdflib"):
        rows = run(screen(text), built.graph, engine=engine).rows
        row = next(r for r in rows if r["g"].value.endswith("/IGHMBP2"))
        assert row["g"] == Term("uri", "https://w3id.org/smakg/id/gene/IGHMBP2")
        assert row["n"] == Term("literal", "2", "http://www.w3.org/2001/XMLSchema#integer")
        assert row["l"] == Term("literal", "x", None, "en")


def test_query_reuses_dist_only_while_it_is_up_to_date(tmp_path) -> None:
    import os
    import shutil

    from smakg.project import Project
    from smakg.sparql.dataset import load_data

    project = tmp_path / "p"
    shutil.copytree(ROOT / "ontology", project / "ontology")
    shutil.copytree(ROOT / "shapes", project / "shapes")
    built = load_data(Project(project))
    assert "built in memory" in built.origin
    (project / "dist").mkdir()
    (project / "dist" / "smakg.nt").write_bytes(built.ntriples)
    assert "up to date" in load_data(Project(project)).origin
    claim = next((project / "ontology" / "kb" / "claims").glob("*.ttl"))
    later = (project / "dist" / "smakg.nt").stat().st_mtime + 10
    os.utime(claim, (later, later))
    again = load_data(Project(project))
    assert "built in memory" in again.origin and again.ntriples == built.ntriples


# ---- predefined prefixes (issue 12, item 3) ---------------------------------------------------------------------

BARE = "SELECT ?alias WHERE { cond:smard1 skos:altLabel ?alias } ORDER BY ?alias"
DECLARED = ("PREFIX cond: <https://w3id.org/smakg/id/condition/> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
            + BARE)


def values(result) -> list[tuple[str, ...]]:
    return [tuple(row[v].value for v in result.variables if v in row) for row in result.rows or []]


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_predefined_prefixes_need_no_prefix_line(engine: str, built) -> None:
    bare = values(run(screen(BARE), built.graph, engine=engine))
    assert ("DSMA1",) in bare and ("SMARD1",) in bare
    assert bare == values(run(screen(DECLARED), built.graph, engine=engine))


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_a_querys_own_prefix_line_wins(engine: str, built) -> None:
    nowhere = "PREFIX cond: <http://example.org/nowhere/>\n" + BARE
    assert values(run(screen(nowhere), built.graph, engine=engine)) == []
    # rdfs: redeclared as the SKOS namespace: rdfs:altLabel now means skos:altLabel
    swapped = ("PREFIX rdfs: <http://www.w3.org/2004/02/skos/core#>\n"
               "SELECT ?alias WHERE { cond:smard1 rdfs:altLabel ?alias } ORDER BY ?alias")
    assert values(run(screen(swapped), built.graph, engine=engine)) == values(run(screen(BARE), built.graph))


def test_the_engines_agree_on_predefined_prefixes(built) -> None:
    text = ("SELECT ?gene ?hgnc ?locus WHERE { ?g smakg:isCausalGeneFor cond:smard1 ; rdfs:label ?gene ; "
            "skos:exactMatch ?hgnc . FILTER(STRSTARTS(STR(?hgnc), STR(HGNC:))) "
            "OPTIONAL { ?g smakg:locatedIn ?l . ?l rdfs:label ?locus } }")
    a, b = (values(run(screen(text), built.graph, engine=e)) for e in ("oxigraph", "rdflib"))
    assert sorted(a) == sorted(b) and a and a[0][:2] == ("IGHMBP2", "http://identifiers.org/hgnc/5542")


def test_every_prefix_of_the_published_context_is_predefined() -> None:
    from smakg.sparql.query import PREDEFINED

    context = json.loads((ROOT / "ontology" / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    prefixes = {k: v if isinstance(v, str) else v["@id"] for k, v in context.items()
                if (isinstance(v, str) and v.endswith(("/", "#", "_")))
                or (isinstance(v, dict) and v.get("@prefix") is True)}
    assert {"smakg", "cond", "gene", "locus", "src", "HP", "MONDO", "Orphanet", "OMIM", "HGNC", "rdf", "rdfs", "skos",
            "oa", "prov", "dcterms", "xsd"} <= set(prefixes)
    assert {k: PREDEFINED.get(k) for k in prefixes} == prefixes


def test_the_prefixes_are_listed_in_help_and_docs() -> None:
    from smakg.cli import PREFIX_NAMES
    from smakg.sparql.query import PREDEFINED

    assert PREFIX_NAMES == ", ".join(PREDEFINED), "cli.PREFIX_NAMES lists the prefix map of kb/vocab.py"
    shown = " ".join(runner.invoke(app, ["query", "--help"], terminal_width=200).output.split())
    assert PREFIX_NAMES in shown
    docs = (ROOT / "docs" / "researchers.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `([^`]+):` \| `([^`]+)` \|$", docs, re.M))
    assert rows == dict(PREDEFINED), "docs/researchers.md#predefined-prefixes lists every prefix with its IRI"


def test_the_first_example_of_the_researchers_page_runs_without_prefix_lines(built) -> None:
    docs = (ROOT / "docs" / "researchers.md").read_text(encoding="utf-8")
    example = docs.split("## A first query", 1)[1].split("```sparql\n", 1)[1].split("```", 1)[0]
    assert "PREFIX" not in example
    for engine in ("oxigraph", "rdflib"):
        rows = values(run(screen(example), built.graph, engine=engine))
        assert any(r[0] == "IGHMBP2" for r in rows), engine


# ---- syntax errors: one readable message on both engines ------------------------------------------------------

SYNTAX_ERRORS = [
    ("SELECT * WHERE {\n  ?s ?p }", 'query:2:3: SPARQL syntax error at "?s"'),
    ("SELECT * WHERE { ?s ?p ?o } LIMT 5", 'query:1:29: SPARQL syntax error at "LIMT"'),
    ("SELECT *\tWHERE {\t?s\t?p ?o ?x }", 'query:1:27: SPARQL syntax error at "?x"'),  # a tab is one column
    ('SELECT * WHERE { ?s ?p "abc }', "query:1:24: SPARQL syntax error at \": a string that is not closed"),
    ("SELECT * WHERE { ?s ?p ?o", "query:1:26: SPARQL syntax error at the end of the query"),
    ("SELECT * WHERE { ?s foo:bar ?o }", "query:1:21: prefix foo: is not declared; declare it or use one of: rdf, "),
    ("PREFIX ex: <http://example.org/>\nSELECT * WHERE {\n\t?s ex:p ?o ;\n\t   bad:q ?r }",
     "query:4:5: prefix bad: is not declared"),
    ("SELECT * WHERE { ?s mondo:0011436 ?o }", "prefixes are case-sensitive: MONDO: is predefined"),
    ('SELECT * WHERE { ?s ?p "x"^^nope:t }', "query:1:29: prefix nope: is not declared"),
]


@pytest.mark.parametrize("text, message", SYNTAX_ERRORS)
def test_syntax_errors_exit_2_with_line_column_and_token_on_both_engines(text: str, message: str) -> None:
    outputs = []
    for engine in ("oxigraph", "rdflib"):
        result = q(text, "--engine", engine)
        assert result.exit_code == 2, (engine, result.output)
        assert message in result.output, (engine, result.output)
        assert "internal error" not in result.output and "expected one of" not in result.output
        assert "Traceback" not in result.output and "\\u{" not in result.output
        outputs.append(result.output)
    assert outputs[0] == outputs[1], "both engines word the error the same"


def test_unknown_prefix_names_every_predefined_prefix() -> None:
    from smakg.sparql.query import PREDEFINED

    with pytest.raises(QueryError) as caught:
        run(screen("SELECT * WHERE { ?s foo:bar ?o }"), Graph(), engine="rdflib")
    first = str(caught.value).splitlines()[0]
    assert first == f"query:1:21: prefix foo: is not declared; declare it or use one of: {', '.join(PREDEFINED)}"


# ---- the query argument: text unless it names a file ----------------------------------------------------------

def test_query_text_longer_than_a_file_name_is_text() -> None:
    text = "SELECT ?c WHERE { ?c a smakg:Condition } # " + "x" * 300
    assert len(text.encode()) > 255
    result = q(text, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert "https://w3id.org/smakg/id/condition/smard1" in result.output


def test_query_text_is_text_unless_it_names_an_existing_file(tmp_path) -> None:
    from smakg.sparql.query import query_text

    assert query_text("ASK { ?s ?p ?o }") == ("ASK { ?s ?p ?o }", "query")
    assert query_text("SELECT *\nWHERE { ?s ?p ?o }")[1] == "query"
    named = tmp_path / "ASK {}"  # a file whose name is also a query: the file wins
    named.write_text("SELECT * WHERE { ?s ?p ?o } LIMIT 1", encoding="utf-8")
    assert query_text(str(named)) == ("SELECT * WHERE { ?s ?p ?o } LIMIT 1", str(named))
    missing = q(str(tmp_path / "missing.rq"))
    assert missing.exit_code == 2 and "query file not found" in missing.output


# ---- the table, help, RDF/XML, progress (item 5) ---------------------------------------------------------------

LABELS = "SELECT ?label WHERE { ?c a smakg:Condition ; rdfs:label ?label } ORDER BY DESC(STRLEN(?label))"


def test_table_marks_cut_cells_and_takes_a_width() -> None:
    longest = "autosomal dominant spinal muscular atrophy caused by DYNC1H1"  # 60 characters: not cut
    smard1 = "spinal muscular atrophy with respiratory distress type 1"
    default = q(LABELS).output
    assert longest in default and "…" not in default.splitlines()[2]
    narrow = q(LABELS, "--width", "20").output.splitlines()
    assert narrow[2] == "autosomal dominant …" and all(len(line) <= 20 for line in narrow[:-1])
    assert "… marks a cell cut at 20 characters" in narrow[-1]
    whole = q(LABELS, "--width", "0").output
    assert smard1 in whole and "…" not in whole
    assert q(LABELS, "--width", "-1").exit_code == 2


def test_help_shows_no_type_noise() -> None:
    commands = ["build", "validate", "export", "verify-quotes", "verify-xrefs", "query", "find", "serve", "diff",
                "fmt", "shapes", "version"]
    for command in commands:
        text = runner.invoke(app, [command, "--help"], terminal_width=160).output
        assert "Usage:" in text, command
        noise = re.findall(r"<(?:bool|str|int|float|path)[^>]*>", text)
        assert not noise, f"smakg {command} --help shows {noise}"
    text = runner.invoke(app, ["query", "--help"], terminal_width=160).output
    assert re.search(r"--width\s+N", text) and re.search(r"--format\s+FORMAT", text)
    assert re.search(r"--project\s+DIR", text) and re.search(r"--help\s+Show this message", text)


def test_construct_as_rdfxml() -> None:
    result = q("CONSTRUCT { ?g smakg:isCausalGeneFor ?c } WHERE { ?g smakg:isCausalGeneFor ?c }", "--format",
               "rdfxml")
    assert result.exit_code == 0 and result.output.startswith("<?xml")
    assert len(Graph().parse(data=result.output, format="xml")) == 7


def _stderr_on_a_terminal(args: list[str], cwd) -> tuple[str, str]:
    """(stdout, stderr) of smakg run with standard error on a pseudo-terminal."""
    import os
    import pty
    import subprocess
    import sys

    main, secondary = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    with subprocess.Popen([sys.executable, "-m", "smakg", *args], stdout=subprocess.PIPE, stderr=secondary,
                          cwd=cwd, env=env) as process:
        os.close(secondary)
        chunks = []
        while True:
            try:
                chunk = os.read(main, 4096)
            except OSError:  # the terminal closed with the process
                break
            if not chunk:
                break
            chunks.append(chunk)
        out = process.stdout.read() if process.stdout else b""
        process.wait(120)
    os.close(main)
    return out.decode("utf-8"), b"".join(chunks).decode("utf-8")


def test_progress_on_a_terminal_and_quiet_when_piped(tmp_path) -> None:
    import shutil
    import subprocess
    import sys

    project = tmp_path / "p"  # no dist/: the graph is built in memory, which says so on a terminal
    shutil.copytree(ROOT / "ontology", project / "ontology")
    shutil.copytree(ROOT / "shapes", project / "shapes")
    args = ["query", "ASK { cond:smard1 a smakg:Condition }", "--project", str(project)]
    out, err = _stderr_on_a_terminal(args, tmp_path)
    assert out == "true\n"
    assert "building the graph in memory" in err
    piped = subprocess.run([sys.executable, "-m", "smakg", *args], capture_output=True, text=True, cwd=tmp_path,
                           env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"}, timeout=120)
    assert piped.returncode == 0 and piped.stdout == "true\n" and piped.stderr == ""


# ---- a query nested so deeply that the engines' parsers crash (issue 11): refused before any parser sees it

DEEP = "SELECT * WHERE " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_a_deeply_nested_query_is_bad_input_not_a_crash(engine: str) -> None:
    """pyoxigraph segfaults on this query (exit 139 before the bound) and rdflib's parser overflows its stack."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "smakg", "query", DEEP, "--engine", engine, "--project", str(ROOT)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, (done.returncode, done.stderr[-300:])
    assert "5000 opening brackets" in done.stderr and "Traceback" not in done.stderr


def test_the_bound_counts_brackets_a_string_cannot_hide() -> None:
    from smakg.sparql.query import MAX_BRACKETS, bound_nesting

    bound_nesting("SELECT * WHERE " + "{" * (MAX_BRACKETS // 2) + " ?s ?p ?o " + "}" * (MAX_BRACKETS // 2))
    hidden = "SELECT * WHERE { FILTER('" + "}" * 10_000 + "') " + "{" * MAX_BRACKETS + " }"
    with pytest.raises(QueryError, match="opening brackets"):
        screen(hidden)
