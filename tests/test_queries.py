"""The competency questions: every ``queries/NN-name.rq`` runs over the built graph in rdflib and in pyoxigraph, and
each engine gives exactly the rows of ``queries/NN-name.csv``.

The expected files use the SPARQL 1.1 CSV results format: a header row of variable names, IRIs in full, literals as
their lexical form, an unbound variable as an empty cell; an ASK query's file is the header ``boolean`` and ``true`` or
``false``. The ``# Expected:`` header line of each query says how its rows are compared: ``as a set`` (order ignored;
no expected file repeats a row, so an engine that returns a duplicate fails too) or ``as a list`` (the query orders its
rows, so the order must match).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from pathlib import Path

import pyoxigraph
import pytest
from conftest import ROOT
from rdflib import BNode, Graph

from smakg.export import to_turtle

QUERIES = ROOT / "queries"
RQ_FILES = sorted(QUERIES.glob("*.rq"))
ENGINES = ("rdflib", "pyoxigraph")
NAME = re.compile(r"^(\d\d)-[a-z0-9]+(?:-[a-z0-9]+)*$")
SERVICE = re.compile(r"\bSERVICE\b", re.IGNORECASE)
EXPECTED = re.compile(r"^(?P<file>\S+\.csv) \(compared as a (?P<mode>set|list)\b.*\)$")

Table = tuple[list[str], list[dict[str, str]]]


def header(rq: Path) -> dict[str, str]:
    """The ``# Key: value`` lines that open a query file."""
    fields: dict[str, str] = {}
    for line in rq.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        key, sep, value = line[1:].strip().partition(":")
        if sep:
            fields.setdefault(key.strip(), value.strip())
    return fields


def comparison(rq: Path) -> str:
    match = EXPECTED.match(header(rq).get("Expected", ""))
    assert match, f"{rq.name}: the header needs '# Expected: {rq.stem}.csv (compared as a set|list ...)'"
    assert match["file"] == f"{rq.stem}.csv", f"{rq.name}: Expected names {match['file']}"
    return match["mode"]


def read_expected(rq: Path) -> Table:
    with rq.with_suffix(".csv").open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        rows = [dict(row) for row in reader]
        return list(reader.fieldnames or []), rows


def _text(term) -> str:
    """An RDF term as the SPARQL CSV results format writes it: the IRI, the literal's lexical form, '' if unbound."""
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, pyoxigraph.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, (pyoxigraph.NamedNode, pyoxigraph.Literal)):
        return term.value
    return str(term)  # rdflib URIRef or Literal: the IRI or the lexical form


def run_rdflib(graph: Graph, query: str) -> Table:
    result = graph.query(query)
    if result.type == "ASK":
        return ["boolean"], [{"boolean": "true" if result.askAnswer else "false"}]
    names = [str(v) for v in result.vars or []]
    return names, [{name: _text(row[name]) for name in names} for row in result]


def run_oxigraph(store: pyoxigraph.Store, query: str) -> Table:
    result = store.query(query)
    if isinstance(result, pyoxigraph.QueryBoolean):
        return ["boolean"], [{"boolean": "true" if bool(result) else "false"}]
    assert isinstance(result, pyoxigraph.QuerySolutions), "competency questions are SELECT or ASK queries"
    names = [v.value for v in result.variables]
    return names, [{name: _text(solution[name]) for name in names} for solution in result]


@pytest.fixture(scope="module")
def engines(built) -> dict[str, Callable[[str], Table]]:
    """Both engines over the same built graph: rdflib on it directly, pyoxigraph on its Turtle export."""
    store = pyoxigraph.Store()
    store.load(to_turtle(built.graph).encode("utf-8"), format=pyoxigraph.RdfFormat.TURTLE)
    assert len(store) == len(built.graph)
    return {"rdflib": lambda q: run_rdflib(built.graph, q), "pyoxigraph": lambda q: run_oxigraph(store, q)}


def _key(row: dict[str, str], names: list[str]) -> tuple[str, ...]:
    return tuple(row.get(name, "") for name in names)


@pytest.mark.parametrize(("rq", "engine"), [pytest.param(rq, engine, id=f"{rq.stem}[{engine}]")
                                            for rq in RQ_FILES for engine in ENGINES])
def test_query_gives_expected_answer(rq: Path, engine: str, engines) -> None:
    mode = comparison(rq)
    want_names, want_rows = read_expected(rq)
    names, rows = engines[engine](rq.read_text(encoding="utf-8"))
    assert names == want_names, f"{rq.name}: {engine} projects {names}, the CSV header is {want_names}"
    got = [_key(row, names) for row in rows]
    want = [_key(row, names) for row in want_rows]
    if mode == "list":
        assert got == want, f"{rq.name} ({engine}): rows differ or are out of order"
    else:
        missing = sorted(set(want) - set(got))
        extra = sorted(set(got) - set(want))
        assert not missing and not extra, f"{rq.name} ({engine}): missing {missing}, unexpected {extra}"
        assert sorted(got) == sorted(want), f"{rq.name} ({engine}): the same rows, but some repeated"


def test_every_question_is_complete() -> None:
    assert len(RQ_FILES) >= 20, f"only {len(RQ_FILES)} competency questions"
    numbers = []
    for rq in RQ_FILES:
        match = NAME.match(rq.stem)
        assert match, f"{rq.name}: name it NN-short-name.rq (lower case, digits, hyphens)"
        numbers.append(int(match[1]))
        fields = header(rq)
        assert fields.get("Question"), f"{rq.name}: no '# Question:' header line"
        assert fields.get("Who asks"), f"{rq.name}: no '# Who asks:' header line"
        mode = comparison(rq)
        assert rq.with_suffix(".csv").is_file(), f"{rq.name}: no expected answer {rq.stem}.csv"
        names, rows = read_expected(rq)
        assert names and all(names), f"{rq.stem}.csv: no header row of variable names"
        keys = [_key(row, names) for row in rows]
        if mode == "set":
            assert len(set(keys)) == len(keys), f"{rq.stem}.csv repeats a row"
        body = "\n".join(line for line in rq.read_text(encoding="utf-8").splitlines() if not line.startswith("#"))
        assert not SERVICE.search(body), f"{rq.name}: no SERVICE (one store, offline)"
    assert numbers == list(range(1, len(numbers) + 1)), "questions are numbered 01, 02, ... without gaps"
    orphans = sorted(p.name for p in QUERIES.glob("*.csv") if not p.with_suffix(".rq").is_file())
    assert not orphans, f"expected answers without a query: {orphans}"
