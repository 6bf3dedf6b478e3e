"""The JSON Schema of a framed condition document: itself a valid draft 2020-12 schema, published unchanged in
dist/, met by every condition document of the framed export, and failed by broken documents."""

from __future__ import annotations

import copy
import json

import pytest
from conftest import ROOT
from jsonschema import Draft202012Validator

from smakg.export.condition_schema import condition_documents, errors, validator

SCHEMA_FILE = ROOT / "ontology" / "schema" / "condition.schema.json"


@pytest.fixture(scope="module")
def schema() -> dict:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def documents(exports) -> list[dict]:
    return condition_documents(json.loads(exports["smakg.conditions.jsonld"]))


def test_schema_is_valid_draft_2020_12(schema) -> None:
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_schema_is_published_unchanged(schema, exports) -> None:
    assert json.loads(exports["condition.schema.json"]) == schema


def test_every_condition_document_is_valid(documents, schema) -> None:
    assert len(documents) >= 8
    found = {d["id"]: [f"{e.json_path}: {e.message}" for e in errors(d, schema)] for d in documents}
    assert not any(found.values()), {k: v[:3] for k, v in found.items() if v}


def _broken(doc: dict, how: str) -> dict:
    doc = copy.deepcopy(doc)
    statement = doc["statements"][0]
    if how == "no label":
        del doc["label"]
    elif how == "unknown key":
        doc["lable"] = doc["label"]
    elif how == "id of a gene":
        doc["id"] = "gene:IGHMBP2"
    elif how == "not typed Condition":
        doc["type"] = ["Gene"]
    elif how == "statement without evidence":
        statement["evidence"] = []
    elif how == "evidence without quote":
        del statement["evidence"][0]["selector"]["exact"]
    elif how == "ECO code that is not one":
        statement["evidence"][0]["evidenceType"]["id"] = "ECO:303"
    elif how == "aliases as one string":
        doc["aliases"] = "SMARD1"
    elif how == "phenotype without label":
        del doc["phenotypes"][0]["label"]
    elif how == "gene without symbol":
        del doc["causalGenes"][0]["label"]
    return doc


BROKEN = ["no label", "unknown key", "id of a gene", "not typed Condition", "statement without evidence",
          "evidence without quote", "ECO code that is not one", "aliases as one string", "phenotype without label",
          "gene without symbol"]


@pytest.mark.parametrize("how", BROKEN)
def test_a_broken_document_fails(documents, schema, how) -> None:
    smard1 = next(d for d in documents if d["id"] == "cond:smard1")
    assert not errors(smard1, schema)
    assert errors(_broken(smard1, how), schema), f"the schema accepts a document with {how}"


def test_the_memoising_validator_finds_what_jsonschema_finds(documents, schema) -> None:
    """One validator reused over every document (its lookups and valid verdicts remembered) reports each broken
    document exactly as a fresh jsonschema validator does, valid parts met before included."""
    checker = validator(schema)
    plain = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    smard1 = next(d for d in documents if d["id"] == "cond:smard1")
    for doc in [*documents, *(_broken(smard1, how) for how in BROKEN)]:
        ours = [(e.json_path, e.message, list(e.schema_path)) for e in errors(doc, schema, checker)]
        theirs = sorted(((e.json_path, e.message, list(e.schema_path)) for e in plain.iter_errors(doc)),
                        key=lambda e: (e[0], e[1]))
        assert ours == theirs
