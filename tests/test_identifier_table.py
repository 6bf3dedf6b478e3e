"""The verified identifier table is project data (ontology/identifiers.tsv): every identifier the build checks
comes from it. It starts from the team's reference table and only adds rows, each with its evidence; where that
reference table is beside the repository (../shared/reference/identifiers.tsv), none of its rows may be missing
or changed."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from conftest import ROOT, SHARED

TABLE = ROOT / "ontology" / "identifiers.tsv"
COLUMNS = ["entity_kind", "entity", "prefix", "local_id", "label", "evidence", "status"]


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t")
        assert reader.fieldnames == COLUMNS, f"{path}: columns {reader.fieldnames}"
        return list(reader)


def test_every_row_has_its_evidence_and_a_status() -> None:
    bad = [f"line {i + 2}: {r['prefix']}:{r['local_id']}" for i, r in enumerate(rows(TABLE))
           if not r["evidence"].strip() or r["status"] not in ("verified", "not found", "unverified")]
    assert not bad, "rows without evidence or with an unknown status:\n" + "\n".join(bad)


def test_verified_rows_are_unique_per_identifier_and_label() -> None:
    seen: dict[tuple[str, str, str], int] = {}
    for i, r in enumerate(rows(TABLE)):
        if r["status"] == "verified":
            key = (r["prefix"], r["local_id"], r["entity"])
            assert key not in seen, f"line {i + 2} repeats line {seen[key]}: {key}"
            seen[key] = i + 2


@pytest.mark.skipif(not (SHARED / "reference" / "identifiers.tsv").is_file(),
                    reason="the team's reference table (../shared/reference/identifiers.tsv) is not beside the clone")
def test_the_project_table_keeps_every_row_of_the_reference_table() -> None:
    ours = {tuple(r.values()) for r in rows(TABLE)}
    missing = [r for r in rows(SHARED / "reference" / "identifiers.tsv") if tuple(r.values()) not in ours]
    assert not missing, "rows of the reference table missing or changed in ontology/identifiers.tsv:\n" + "\n".join(
        f"{r['prefix']}:{r['local_id']} {r['label']}" for r in missing)
