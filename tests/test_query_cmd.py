"""`smakg query`: read-only, offline, both engines, SPARQL 1.1 result formats, clear errors."""

from __future__ import annotations

import csv
import io
import json
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
    """The fast screen sends anything that could name SERVICE or FROM to the full parse, which refuses it; the
    network guard (conftest) would turn any attempt to connect into a different error."""
    with pytest.raises(RefusedQuery):
        run(screen(text), built.graph, engine=engine)


@pytest.mark.parametrize("text", [
    "SELECT ?s WHERE { ?s <http://example.org/from> ?o } # from a comment; SERVICE too",
    "SELECT ?s WHERE { ?s ?p 'service from' }",
    'SELECT ?s WHERE { ?s ?p """multi\nline FROM""" }',
])
def test_screen_lets_words_in_iris_strings_and_comments_through(text: str) -> None:
    assert screen(text).form is None, "no full parse needed"


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
