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
from smakg.query import QueryError, check_query, run

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
    from smakg.build import Project, build_graph

    graph = build_graph(Project(ROOT)).graph
    checked = check_query(CAUSAL)
    a = run(checked, graph, engine="rdflib").rows
    b = run(checked, graph, engine="oxigraph").rows
    assert a and sorted(map(sorted, (r.items() for r in a))) == sorted(map(sorted, (r.items() for r in b)))
    assert {"gene": "IGHMBP2", "condition": "spinal muscular atrophy with respiratory distress type 1"} in a

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
