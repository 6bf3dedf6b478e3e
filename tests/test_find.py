"""`smakg find` and the search behind it: entities by label, alias or identifier, on both engines (issue 12, item 4)."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT
from typer.testing import CliRunner

from smakg.cli import app
from smakg.errors import BadInputError
from smakg.kb.turtle import to_ntriples
from smakg.sparql.find import Index, as_iri
from smakg.sparql.query import Engine

runner = CliRunner()
SMARD1 = "https://w3id.org/smakg/id/condition/smard1"


@pytest.fixture(scope="module", params=["oxigraph", "rdflib"])
def index(request, built) -> Index:
    return Index(Engine(to_ntriples(built.graph).encode("utf-8"), request.param))


@pytest.mark.parametrize("text, iri, field, value", [
    ("SMARD1", SMARD1, "alias", "SMARD1"),
    ("DSMA1", SMARD1, "alias", "DSMA1"),
    ("dsma1", SMARD1, "alias", "DSMA1"),
    ("smard-1", SMARD1, "alias", "SMARD 1"),  # spaces and punctuation inside a name do not matter
    ("Spinal muscular atrophy with respiratory distress type 1", SMARD1, "label",
     "spinal muscular atrophy with respiratory distress type 1"),
    ("MONDO:0011436", SMARD1, "identifier", "MONDO:0011436"),
    ("mondo:0011436", SMARD1, "identifier", "MONDO:0011436"),
    ("MONDO_0011436", SMARD1, "identifier", "MONDO:0011436"),
    ("OMIM:604320", SMARD1, "identifier", "OMIM:604320"),
    ("https://omim.org/entry/604320", SMARD1, "identifier", "OMIM:604320"),
    ("<http://purl.obolibrary.org/obo/MONDO_0011436>", SMARD1, "identifier", "MONDO:0011436"),
    ("cond:smard1", SMARD1, "IRI", "cond:smard1"),
    ("HGNC:5542", "https://w3id.org/smakg/id/gene/IGHMBP2", "identifier", "HGNC:5542"),
    ("IGHMBP2", "https://w3id.org/smakg/id/gene/IGHMBP2", "label", "IGHMBP2"),
    ("ORPHA:70", "https://w3id.org/smakg/id/condition/sma-5q", "identifier", "Orphanet:70"),
    ("PMID:22157136", "https://w3id.org/smakg/id/source/eckart-2012", "identifier", "PMID:22157136"),
    ("Respiratory distress", "http://purl.obolibrary.org/obo/HP_0002098", "label", "Respiratory distress"),
])
def test_finds_by_label_alias_and_identifier(index: Index, text: str, iri: str, field: str, value: str) -> None:
    first = index.search(text)[0]
    assert (first.iri, first.field, first.value, first.exact) == (iri, field, value, True)


def test_what_a_match_says(index: Index) -> None:
    (smard1,) = [m for m in index.search("SMARD1") if m.iri == SMARD1]
    assert (smard1.curie, smard1.kind, smard1.label, smard1.prop) == (
        "cond:smard1", "condition", "spinal muscular atrophy with respiratory distress type 1", "skos:altLabel")
    assert smard1.matched() == 'alias "SMARD1"'
    (mondo,) = index.search("MONDO:0011436")
    assert mondo.matched() == "identifier MONDO:0011436 (skos:exactMatch)"
    hp = index.search("HP:0002098")[0]
    assert (hp.curie, hp.kind, hp.matched()) == ("HP:0002098", "HP term", "its own IRI")


def test_exact_matches_first_then_names_containing_the_text(index: Index) -> None:
    matches = index.search("SMA")
    assert matches[0].curie == "cond:spinal-muscular-atrophy" and matches[0].exact
    partial = [m for m in matches if not m.exact]
    assert partial and all(m.matched().startswith("in ") for m in partial)
    assert "cond:sma-5q" in {m.curie for m in partial}
    assert all(m.field != "IRI" for m in matches)
    assert len({m.iri for m in matches}) == len(matches), "each entity once"


def test_statements_evidence_and_the_release_are_not_entities(index: Index) -> None:
    iris = {e.iri for e in index.entities}
    assert len(iris) > 100, "the index holds the entities"
    assert not any("/statement/" in i or "/evidence/" in i or "/selector/" in i or "/dataset" in i for i in iris)
    assert index.search("smakg.ttl") == []


def test_the_engines_find_the_same(built) -> None:
    data = to_ntriples(built.graph).encode("utf-8")
    ox, rl = Index(Engine(data, "oxigraph")), Index(Engine(data, "rdflib"))
    for text in ("SMA", "SMARD1", "respiratory", "OMIM:604320", "5542"):
        assert ox.search(text) == rl.search(text), text


@pytest.mark.parametrize("text", ["", "   ", "a\nb", "x" * 201])
def test_bad_search_text(index: Index, text: str) -> None:
    with pytest.raises(BadInputError):
        index.search(text)


def test_as_iri() -> None:
    assert as_iri("OMIM:604320") == "https://omim.org/entry/604320"
    assert as_iri("hgnc:5542") == "http://identifiers.org/hgnc/5542"
    assert as_iri("SMARD1") is None and as_iri("no prefix:x") is None and as_iri("foo:bar") is None


# ---- the command ---------------------------------------------------------------------------------------------

def find(*args: str):
    return runner.invoke(app, ["find", *args, "--project", str(ROOT)])


@pytest.mark.parametrize("text", ["SMARD1", "DSMA1", "MONDO:0011436"])
def test_find_prints_iri_kind_label_and_what_matched(text: str) -> None:
    result = find(text)
    assert result.exit_code == 0, result.output
    header, rule, first, *_ = result.output.splitlines()
    assert [c.strip() for c in header.split("|")] == ["entity", "kind", "label", "matched"] and set(rule) == {"-"}
    cells = [c.strip() for c in first.split(" | ")]
    assert cells[:3] == ["cond:smard1", "condition", "spinal muscular atrophy with respiratory distress type 1"]
    assert text in cells[3]


def test_find_json_and_exit_codes() -> None:
    result = find("DSMA1", "--format", "json", "--engine", "rdflib")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["query"] == "DSMA1"
    assert doc["matches"] == [{"iri": SMARD1, "curie": "cond:smard1", "kind": "condition",
                               "label": "spinal muscular atrophy with respiratory distress type 1",
                               "field": "alias", "value": "DSMA1", "prop": "skos:altLabel", "exact": True,
                               "matched": 'alias "DSMA1"'}]
    none = find("xyzzy-nothing")
    assert none.exit_code == 1 and "(0 matches)" in none.stdout and "nothing matches" in none.stderr
    for bad in ("", "  ", "a\tb"):
        result = find(bad)
        assert result.exit_code == 2 and "Traceback" not in result.output, bad
    assert find("SMARD1", "--format", "yaml").exit_code == 2
