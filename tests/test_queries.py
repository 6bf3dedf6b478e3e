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
import io
import re
from pathlib import Path

import pytest
from conftest import ROOT

from smakg.kb.turtle import to_ntriples
from smakg.sparql.query import ENGINES, Engine, screen
from smakg.sparql.results import Result, render_table

QUERIES = ROOT / "queries"
RQ_FILES = sorted(QUERIES.glob("*.rq"))
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


def _table(result: Result) -> Table:
    """A result as the SPARQL 1.1 CSV results format would write it."""
    if result.boolean is not None:
        return ["boolean"], [{"boolean": "true" if result.boolean else "false"}]
    assert result.rows is not None, "competency questions are SELECT or ASK queries"
    text = render_table(result, "csv")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    return list(reader.fieldnames or []), [dict(row) for row in reader]


@pytest.fixture(scope="module")
def engines(built) -> dict[str, Engine]:
    """Both engines over the same built graph, loaded from its N-Triples export as `smakg query` loads them."""
    data = to_ntriples(built.graph).encode("utf-8")
    loaded = {name: Engine(data, name) for name in ENGINES}
    assert all(len(e) == len(built.graph) for e in loaded.values())
    return loaded


def _key(row: dict[str, str], names: list[str]) -> tuple[str, ...]:
    return tuple(row.get(name, "") for name in names)


@pytest.mark.parametrize(("rq", "engine"), [pytest.param(rq, engine, id=f"{rq.stem}[{engine}]")
                                            for rq in RQ_FILES for engine in ENGINES])
def test_query_gives_expected_answer(rq: Path, engine: str, engines) -> None:
    mode = comparison(rq)
    want_names, want_rows = read_expected(rq)
    names, rows = _table(engines[engine].run(screen(rq.read_text(encoding="utf-8"), source=rq.name)))
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


@pytest.mark.parametrize("rq", RQ_FILES, ids=lambda p: p.stem)
def test_engines_give_identical_typed_results(rq: Path, engines) -> None:
    """Not just the same lexical forms: the same term kinds, datatypes and language tags, so the JSON and XML
    results are byte-identical whichever engine answers (rows sorted when the question does not order them)."""
    checked = screen(rq.read_text(encoding="utf-8"), source=rq.name)
    results = {name: engine.run(checked) for name, engine in engines.items()}
    if comparison(rq) == "set":
        for result in results.values():
            if result.rows is not None:
                result.rows.sort(key=lambda row: sorted(row.items()))
    rendered = {name: (render_table(r, "json"), render_table(r, "xml"), render_table(r, "tsv"))
                for name, r in results.items()}
    assert rendered["rdflib"] == rendered["oxigraph"], f"{rq.name}: the engines type some value differently"


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
