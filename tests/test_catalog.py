"""``smakg shapes``: the catalog of every shape is generated from shapes/ itself, names every shape with its
target, constraints and severity, and the copy of it in docs/shapes.md is current."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from rdflib import BNode, URIRef
from rdflib.namespace import RDF, SH
from typer.testing import CliRunner

from smakg.cli import app
from smakg.kb.vocab import show
from smakg.validation.catalog import ShapeInfo, catalog, to_markdown
from smakg.validation.shacl import load_shapes, rule_name

ROOT = Path(__file__).resolve().parents[1]
SHAPES_PAGE = ROOT / "docs" / "shapes.md"
BEGIN, END = "<!-- smakg shapes --format markdown: begin -->", "<!-- smakg shapes --format markdown: end -->"
runner = CliRunner()


@pytest.fixture(scope="module")
def shapes():
    return load_shapes(ROOT / "shapes")


@pytest.fixture(scope="module")
def infos(shapes) -> list[ShapeInfo]:
    return catalog(shapes)


def test_every_node_and_property_shape_appears(shapes, infos) -> None:
    g = shapes.graph
    names = {i.name for i in infos}
    typed = {s for t in (SH.NodeShape, SH.PropertyShape) for s in g.subjects(RDF.type, t)}
    assert len(typed) > 20
    assert {show(s) for s in typed if isinstance(s, URIRef)} <= names
    anonymous = [p for p in g.objects(None, SH.property) if isinstance(p, BNode)]
    assert len(anonymous) > 40
    assert {rule_name(g, p) for p in anonymous} <= names
    # one row per shape: as many rows as distinct shapes (two property shapes may share a name and path)
    assert len(infos) == len({s for s in typed if isinstance(s, URIRef)} | set(g.objects(None, SH.property)))


def test_severities_are_those_of_the_shapes(shapes, infos) -> None:
    g = shapes.graph
    expected: dict[str, list[str]] = {}
    for shape in {*g.subjects(RDF.type, SH.NodeShape), *g.objects(None, SH.property)}:
        if isinstance(shape, BNode) and (None, SH.property, shape) not in g:
            continue
        severity = g.value(shape, SH.severity)
        expected.setdefault(rule_name(g, shape), []).append(
            {SH.Warning: "Warning", SH.Info: "Info", None: "Violation"}[severity])
    got: dict[str, list[str]] = {}
    for info in infos:
        got.setdefault(info.name, []).append(info.severity)
    assert {k: sorted(v) for k, v in got.items() if k in expected} == {k: sorted(v) for k, v in expected.items()}
    # the advisory checks, spelled out
    assert got["shp:ConditionCrossReferenced"] == ["Warning"]
    assert got["shp:Gene › skos:exactMatch"] == ["Warning"]
    assert sorted(got["shp:Gene › smakg:approvedName"]) == ["Violation", "Warning"]
    assert got["shp:Gene › rdfs:label"] == ["Violation"]


def test_targets_constraints_and_sparql_messages(infos) -> None:
    by = {i.name: i for i in infos}
    gene_label = by["shp:Gene › rdfs:label"]
    assert gene_label.kind == "property" and gene_label.path == "rdfs:label"
    assert gene_label.targets == ("property of shp:Gene",) and gene_label.reports
    assert {"datatype xsd:string", "minCount 1", "maxCount 1", "pattern ^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$"} <= set(
        gene_label.constraints)
    assert by["shp:Gene"].targets == ("class smakg:Gene",)
    assert "property shp:label-one" in by["shp:Condition"].constraints
    assert by["shp:label-one"].targets[0].startswith(
        "property of shp:CausalFactor, shp:ChromosomeLocus, shp:ClinicalCourse")
    assert by["shp:ChromosomeLocus"].constraints[0] == "xone (shp:ChromosomeBand shp:Chromosome)"
    assert not by["shp:Chromosome"].reports and by["shp:Chromosome"].targets == (
        "used by shp:ChromosomeBand › smakg:partOf, shp:ChromosomeLocus",)
    assert "SPARQL: the statement describes a triple that is not asserted in the graph" in by[
        "shp:Statement"].constraints
    assert any(c.startswith("qualifiedValueShape [pattern ^http://identifiers\\.org/hgnc/], qualifiedMinCount 1")
               for c in by["shp:Gene › skos:exactMatch"].constraints)
    assert by["shp:Evidence › oa:hasSelector/oa:exact"].location.file.endswith("provenance.ttl")


def test_a_new_shape_appears_without_code_changes(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "shapes", tmp_path / "shapes")
    (tmp_path / "shapes" / "extra.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix shp: <https://w3id.org/smakg/shapes#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n@prefix smakg: <https://w3id.org/smakg/vocab#> .\n"
        "shp:Brand a sh:NodeShape ; sh:targetClass smakg:Brand ; sh:severity sh:Info ;\n"
        "    sh:property [ sh:path skos:notation ; sh:minLength 3 ; sh:severity sh:Warning ] .\n",
        encoding="utf-8")
    by = {i.name: i for i in catalog(load_shapes(tmp_path / "shapes"))}
    assert by["shp:Brand"].severity == "Info" and by["shp:Brand"].targets == ("class smakg:Brand",)
    assert by["shp:Brand › skos:notation"].constraints == ("minLength 3",)
    assert by["shp:Brand › skos:notation"].severity == "Warning"


@pytest.mark.parametrize("fmt", ["table", "markdown", "json"])
def test_cli_prints_every_shape(fmt: str, infos) -> None:
    result = runner.invoke(app, ["shapes", "--format", fmt, "--project", str(ROOT)])
    assert result.exit_code == 0, result.output
    if fmt == "json":
        rows = json.loads(result.stdout)
        assert [r["name"] for r in rows] == [i.name for i in infos]
        assert all(r["file"] and r["line"] for r in rows)
    elif fmt == "markdown":
        rows = result.stdout.splitlines()[2:]
        assert len(rows) == len(infos)
        assert all(len(re.split(r"(?<!\\)\|", row)) == 6 for row in rows), "a cell has an unescaped pipe"
    else:
        head, *lines = result.stdout.splitlines()
        assert head.split() == ["SHAPE", "SEVERITY", "TARGET", "CONSTRAINTS"]
        column = head.index("SEVERITY")
        severities = [line[column:].split(" ", 1)[0] for line in lines if line[column:column + 1].strip()]
        assert severities == [i.severity for i in infos], "one row (one severity) per shape"


def test_docs_page_shows_the_current_catalog(infos) -> None:
    text = SHAPES_PAGE.read_text(encoding="utf-8")
    assert text.count(BEGIN) == 1 and text.count(END) == 1, "docs/shapes.md lacks the generated shapes block"
    block = text.split(BEGIN, 1)[1].split(END, 1)[0].strip("\n")
    assert block == to_markdown(infos).strip("\n"), (
        "docs/shapes.md's table of shapes is out of date: run `python scripts/docs_shapes.py` to regenerate it")
