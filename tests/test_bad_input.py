"""Bad input, through the command line (in-process): the right exit code, a message naming the file (and line)
a curator must fix, never a traceback, and nothing written when a build fails.

Exit codes (DESIGN.md): 0 conforms, 1 violations, 2 bad input (missing file, parse error, unknown option).
Each case runs on a copy of the real project (``ontology/`` and ``shapes/``) with one bad input.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, SEEDS, TABLE
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from typer.testing import CliRunner, Result

from smakg.cli import app
from smakg.kb.vocab import COND, PREFIXES

runner = CliRunner()
SUMMARY = "claims/summary-smard1.ttl"
HEADER = "".join(f"@prefix {prefix}: <{ns}> .\n" for prefix, ns in PREFIXES.items()) + "\n"


def make_project(dest: Path) -> Path:
    """A copy of the curated project (ontology/ and shapes/) in ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("ontology", "shapes"):
        shutil.copytree(ROOT / name, dest / name)
    return dest


def edit(project: Path, file: str, old: str, new: str) -> int:
    """Replace ``old`` (which must occur once) in ontology/kb/``file``; return the line of the edit."""
    path = project / "ontology" / "kb" / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{file}: expected {old!r} once"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text.count("\n", 0, text.index(old)) + 1


def claim_line(project: Path, file: str, line: int) -> int:
    """The line a claim is reported at (the one after its opening ``[``) for a claim holding ``line``."""
    lines = (project / "ontology" / "kb" / file).read_text(encoding="utf-8").split("\n")
    start = max(i for i in range(line) if lines[i] == "[")
    return start + 2


def kb(project: Path, file: str) -> str:
    """A KB file's path as smakg prints it."""
    return str(project / "ontology" / "kb" / file)


def invoke(*args: object) -> Result:
    """Run smakg in-process; no command may end in a traceback, whatever the input."""
    result = runner.invoke(app, [str(a) for a in args])
    for stream in (result.output, result.stderr):
        assert "Traceback" not in stream, stream
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """An --out directory that must not exist after a failed build."""
    return tmp_path / "dist"


# --------------------------------------------------------------------------------------------------------------
# Bad input: exit 2


COMMANDS = {
    "validate": ["validate"],
    "build": ["build", "--out", "{out}"],
    "export": ["export", "--format", "nt"],
    "verify-quotes": ["verify-quotes", "--sources-dir", str(SEEDS)],
    "fmt-check": ["fmt", "--check"],
}


@pytest.mark.parametrize("command", COMMANDS.values(), ids=COMMANDS.keys())
def test_turtle_syntax_error_names_file_and_line(project: Path, out: Path, command: list[str]) -> None:
    line = edit(project, SUMMARY, "rdf:object cond:dhmn ;", "rdf:object cond:dhmn @@ ;")
    result = invoke(*[a.format(out=out) for a in command], "--project", project)
    assert result.exit_code == 2, result.output
    assert f"{kb(project, SUMMARY)}:{line}: Turtle syntax error" in result.stderr
    assert "near: rdf:object cond:dhmn @@ ;" in result.stderr
    assert not out.exists()


def test_unknown_prefix_names_file_line_and_prefix(project: Path, out: Path) -> None:
    line = edit(project, SUMMARY, "rdf:object cond:dhmn ;", "rdf:object cnd:dhmn ;")
    result = invoke("build", "--project", project, "--out", out)
    assert result.exit_code == 2, result.output
    assert f"{kb(project, SUMMARY)}:{line}: Turtle syntax error" in result.stderr
    assert 'Prefix "cnd:" not bound' in result.stderr
    assert "@prefix" in result.stderr  # the hint says what to do
    assert not out.exists()


def test_missing_kb_directory(project: Path, out: Path) -> None:
    shutil.rmtree(project / "ontology" / "kb")
    result = invoke("build", "--project", project, "--out", out)
    assert result.exit_code == 2, result.output
    assert f"{project / 'ontology' / 'kb'}: not found" in result.stderr
    assert "--project" in result.stderr
    assert not out.exists()


def test_missing_project_directory(tmp_path: Path) -> None:
    result = invoke("validate", "--project", tmp_path / "nowhere")
    assert result.exit_code == 2, result.output
    assert f"{tmp_path / 'nowhere' / 'ontology' / 'kb'}: not found" in result.stderr


def test_missing_file_passed_to_validate(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-claims.ttl"
    result = invoke("validate", missing, "--project", ROOT)
    assert result.exit_code == 2, result.output
    assert f"{missing}: no such file or directory" in result.stderr


def test_missing_sources_dir_and_table(project: Path, tmp_path: Path, out: Path) -> None:
    result = invoke("build", "--project", project, "--out", out, "--sources-dir", tmp_path / "no-seeds")
    assert result.exit_code == 2, result.output
    assert f"{tmp_path / 'no-seeds'}: sources directory not found" in result.stderr
    result = invoke("verify-xrefs", "--project", project, "--table", tmp_path / "no-table.tsv")
    assert result.exit_code == 2, result.output
    assert f"{tmp_path / 'no-table.tsv'}: reference table not found" in result.stderr
    assert not out.exists()


def test_empty_knowledge_base(project: Path, out: Path) -> None:
    files = sorted((project / "ontology" / "kb").rglob("*.ttl"))
    assert len(files) > 5
    for path in files:
        path.write_text("", encoding="utf-8")
    result = invoke("build", "--project", project, "--out", out)
    assert result.exit_code == 2, result.output
    assert "the knowledge base is empty (no triples)" in result.stderr
    assert str(files[0]) in result.stderr
    assert not out.exists()


def test_unknown_cli_option(project: Path, out: Path) -> None:
    result = invoke("build", "--project", project, "--out", out, "--bogus")
    assert result.exit_code == 2, result.output
    assert "No such option: --bogus" in result.stderr
    assert not out.exists()
    result = invoke("validate", "--project", project, "--format", "xml")
    assert result.exit_code == 2, result.output
    assert "xml" in result.stderr and "--format" in result.stderr


def test_unknown_command() -> None:
    result = invoke("bulid")
    assert result.exit_code == 2, result.output
    assert "No such command 'bulid'" in result.stderr


@pytest.mark.parametrize("where", ["below-a-file", "a-file"])
def test_out_not_writable_writes_nothing(project: Path, tmp_path: Path, where: str) -> None:
    blocker = tmp_path / "a-regular-file"
    blocker.write_text("keep me\n", encoding="utf-8")
    out = blocker / "dist" if where == "below-a-file" else blocker
    result = invoke("build", "--project", project, "--out", out)
    assert result.exit_code == 2, result.output
    assert f"{out}: cannot create the output directory" in result.stderr
    assert blocker.read_text(encoding="utf-8") == "keep me\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-regular-file", "project"]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes to read-only directories")
def test_out_read_only_directory_writes_nothing(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "read-only"
    out.mkdir()
    out.chmod(0o500)
    try:
        result = invoke("build", "--project", project, "--out", out)
        assert result.exit_code == 2, result.output
        assert f"{out}: cannot write the exports" in result.stderr
        assert list(out.iterdir()) == []
    finally:
        out.chmod(0o700)


def test_report_out_not_writable(tmp_path: Path) -> None:
    blocker = tmp_path / "a-regular-file"
    blocker.write_text("", encoding="utf-8")
    result = invoke("validate", "--project", ROOT, "--out", blocker / "report.json", "--format", "json")
    assert result.exit_code == 2, result.output
    assert f"{blocker}: cannot create the output directory" in result.stderr


# --------------------------------------------------------------------------------------------------------------
# Data that does not conform: exit 1, the finding names the file and line, nothing written


@pytest.fixture(scope="module")
def typo_project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """A project whose claim names an undeclared condition (a typo), and the line the claim is reported at.
    Shared by the tests below, which only read it."""
    project = make_project(tmp_path_factory.mktemp("typo") / "project")
    line = edit(project, SUMMARY, "rdf:subject cond:dhmn-milder-forms ;", "rdf:subject cond:dhmn-milder ;")
    return project, claim_line(project, SUMMARY, line)


def test_undeclared_entity_names_claim_and_suggests_iri(typo_project: tuple[Path, int], out: Path) -> None:
    project, line = typo_project
    result = invoke("build", "--project", project, "--out", out)
    assert result.exit_code == 1, result.output
    assert f"{kb(project, SUMMARY)}:{line}: cond:dhmn-milder" in result.stdout
    assert "cond:dhmn-milder is used but never declared" in result.stdout
    assert "Did you mean cond:dhmn-milder-forms?" in result.stdout
    assert "does not conform" in result.stdout
    assert f"nothing written to {out}/" in result.stderr
    assert not out.exists()


def test_json_report(typo_project: tuple[Path, int]) -> None:
    project, line = typo_project
    result = invoke("validate", "--project", project, "--format", "json")
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert report["conforms"] is False
    assert report["violations"] >= 1
    hits = [r for r in report["results"] if r["rule"] == "smakg:check/declared-iris"]
    assert hits == [{
        "severity": "Violation", "focus": "cond:dhmn-milder", "path": "rdf:subject",
        "value": hits[0]["value"], "message": hits[0]["message"], "rule": "smakg:check/declared-iris",
        "component": None, "file": kb(project, SUMMARY), "line": line,
    }], report["results"]
    assert "Did you mean cond:dhmn-milder-forms?" in hits[0]["message"]


def test_turtle_report(typo_project: tuple[Path, int], tmp_path: Path) -> None:
    project, _line = typo_project
    target = tmp_path / "reports" / "report.ttl"
    result = invoke("validate", "--project", project, "--format", "turtle", "--out", target)
    assert result.exit_code == 1, result.output
    graph = Graph().parse(data=target.read_text(encoding="utf-8"), format="turtle")
    (report,) = graph.subjects(RDF.type, SH.ValidationReport)
    assert graph.value(report, SH.conforms) == Literal(False)
    focus = {graph.value(r, SH.focusNode) for r in graph.objects(report, SH.result)
             if graph.value(r, SH.resultSeverity) == SH.Violation}
    assert URIRef(COND["dhmn-milder"]) in focus


def test_quote_not_in_source(project: Path, out: Path, seeds: Path) -> None:
    line = edit(project, "claims/smauk-smard1.ttl", '"More than 60 different mutations',
                '"More than 70 different mutations')
    result = invoke("build", "--project", project, "--out", out, "--sources-dir", seeds)
    assert result.exit_code == 1, result.output
    assert f"{kb(project, 'claims/smauk-smard1.ttl')}:{claim_line(project, 'claims/smauk-smard1.ttl', line)}: " \
           in result.stdout
    assert "the quote does not occur in its source document; closest text: " in result.stdout
    assert "More than 60 different mutations" in result.stdout  # what the document does say
    assert not out.exists()


def test_identifier_outside_verified_table(project: Path, out: Path) -> None:
    line = edit(project, "claims/mondo-2026-08-04.ttl", "rdf:object MONDO:0018894 ;", "rdf:object MONDO:0018895 ;")
    result = invoke("validate", "--project", project)
    assert result.exit_code == 1, "the project's own table (ontology/identifiers.tsv) is checked by default"
    (project / "ontology" / "identifiers.tsv").unlink()
    result = invoke("validate", "--project", project)
    assert result.exit_code == 0, "well-formed, so only the table can tell: " + result.output
    result = invoke("build", "--project", project, "--out", out.parent / "without-table")
    assert result.exit_code == 0 and "skipped: identifiers (no table: pass --table FILE)" in result.output
    result = invoke("build", "--project", project, "--out", out, "--table", TABLE)
    assert result.exit_code == 1, result.output
    file = "claims/mondo-2026-08-04.ttl"
    assert f"{kb(project, file)}:{claim_line(project, file, line)}: " in result.stdout
    assert "MONDO:0018895 is not an identifier of a verified row of the reference table" in result.stdout
    assert not out.exists()


def test_identifier_of_wrong_pattern(project: Path, out: Path) -> None:
    edit(project, "claims/mondo-2026-08-04.ttl", "rdf:object MONDO:0018894 ;", "rdf:object MONDO:018894 ;")
    result = invoke("build", "--project", project, "--out", out)
    assert result.exit_code == 1, result.output
    conditions = kb(project, "entities/conditions.ttl")
    line = 1 + (project / "ontology/kb/entities/conditions.ttl").read_text().split("\n").index(
        "cond:dhmn a smakg:Condition ;")
    assert f"{conditions}:{line}: cond:dhmn" in result.stdout
    assert "= MONDO:018894: a condition's cross-reference must be a MONDO, OMIM" in result.stdout
    assert not out.exists()


def test_duplicate_alias_on_two_conditions(project: Path, out: Path) -> None:
    (project / "ontology/kb/claims/duplicate-alias.ttl").write_text(HEADER + """[
    a smakg:Claim ;
    rdf:subject cond:dhmn ;
    rdf:predicate skos:altLabel ;
    rdf:object "SMARD1" ;
    prov:wasDerivedFrom src:summary-smard1 ;
    oa:exact "SMARD1"
] .
""", encoding="utf-8")
    result = invoke("build", "--project", project, "--out", out)
    assert result.exit_code == 1, result.output
    assert f"{kb(project, 'entities/conditions.ttl')}:" in result.stdout
    assert "alias SMARD1 is also a name of cond:smard1" in result.stdout
    assert "alias SMARD1 is also a name of cond:dhmn" in result.stdout
    assert not out.exists()


# --------------------------------------------------------------------------------------------------------------
# fmt and validate FILE


def test_fmt_check_then_fmt(project: Path) -> None:
    path = project / "ontology/kb/entities/conditions.ttl"
    canonical = path.read_text(encoding="utf-8")
    edit(project, "entities/conditions.ttl", 'rdfs:label "5q SMA" .', 'rdfs:label   "5q SMA"  .')
    result = invoke("fmt", "--check", "--project", project)
    assert result.exit_code == 1, result.output
    assert f"would reformat {path}\n" in result.stdout
    assert "1 not in canonical form" in result.stdout
    assert "run `smakg fmt`" in result.stderr
    result = invoke("fmt", "--project", project)
    assert result.exit_code == 0, result.output
    assert f"reformatted {path}\n" in result.stdout
    assert path.read_text(encoding="utf-8") == canonical
    result = invoke("fmt", "--check", "--project", project)
    assert result.exit_code == 0, result.output
    assert "0 not in canonical form" in result.stdout


def test_fmt_check_of_a_named_file(project: Path) -> None:
    path = project / "ontology/kb/entities/genes.ttl"
    path.write_text(path.read_text(encoding="utf-8") + "\n\n", encoding="utf-8")
    result = invoke("fmt", "--check", path)
    assert result.exit_code == 1, result.output
    assert f"would reformat {path}" in result.stdout


GOOD_CLAIM = HEADER + """[
    a smakg:Claim ;
    rdf:subject locus:hsa-chr11 ;
    rdf:predicate skos:altLabel ;
    rdf:object "chr11" ;
    prov:wasDerivedFrom src:smauk-smard1 ;
    oa:exact "found on chromosome 11"
] .
"""


def test_validate_extra_file_with_kb(tmp_path: Path) -> None:
    extra = tmp_path / "my-claims.ttl"
    extra.write_text(GOOD_CLAIM, encoding="utf-8")
    result = invoke("validate", extra, "--with-kb", "--project", ROOT, "--strict")
    assert result.exit_code == 0, result.output
    assert "conforms: 0 violations, 0 warnings" in result.stdout
    # alone, the file names entities and a source it does not declare
    result = invoke("validate", extra, "--project", ROOT)
    assert result.exit_code == 1, result.output
    assert f"{extra}:" in result.stdout and "locus:hsa-chr11 is used but never declared" in result.stdout


# --------------------------------------------------------------------------------------------------------------
# Regressions: an ill-typed date is a violation (not a traceback); an empty folder is named in the error.


def test_ill_typed_date_is_a_violation(project: Path) -> None:
    line = edit(project, "sources.ttl", '"2025-10-15"^^xsd:date', '"2025-10-35"^^xsd:date')
    result = invoke("validate", "--project", project, "--table", TABLE)
    assert result.exit_code == 1, result.output
    assert f"{kb(project, 'sources.ttl')}:{line - 3}" in result.stdout


def test_validate_empty_folder_names_it(tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    result = invoke("validate", folder, "--project", ROOT)
    assert result.exit_code == 2, result.output
    assert f"{folder}: " in result.stderr


def test_hpo_term_outside_verified_table(project: Path) -> None:
    """An HPO value that is in the import (an ancestor) but not a verified row is refused by verify-xrefs."""
    edit(project, "claims/smauk-smard1.ttl", "rdf:object HP:0000020 ;", "rdf:object HP:0000014 ;")
    result = invoke("verify-xrefs", "--table", TABLE, "--project", project)
    assert result.exit_code == 1, result.output
    assert "HP:0000014 is not a verified HPO term of the reference table" in result.output


# --------------------------------------------------------------------------------------------------------------
# JSON-LD files (the context, the frame, the JSON Schema, an integrator's own): a malformed file or a context
# named by URL is bad input, exit 2, before any JSON-LD processor runs, so nothing is fetched (the network guard in
# conftest would turn an attempt into an internal error, exit 3) and nothing is written.

CONTEXT = Path("ontology") / "context.jsonld"
FRAME = Path("ontology") / "frames" / "conditions.frame.jsonld"
SCHEMA = Path("ontology") / "schema" / "condition.schema.json"


def rewrite_json(project: Path, relative: Path, change) -> Path:
    """Load a JSON file of the project copy, let ``change`` edit it, write it back; return its path."""
    path = project / relative
    doc = json.loads(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(json.dumps(doc, indent=1), encoding="utf-8")
    return path


@pytest.mark.parametrize("relative", [CONTEXT, FRAME, SCHEMA], ids=["context", "frame", "schema"])
def test_malformed_json_names_file_and_line(project: Path, out: Path, relative: Path) -> None:
    path = project / relative
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[3] = lines[3] + ","  # a trailing comma on line 4
    path.write_text("\n".join(lines), encoding="utf-8")
    result = invoke("build", "--project", project, "--out", out)
    assert result.exit_code == 2, result.output
    assert f"{path}:" in result.stderr and "is not valid JSON" in result.stderr
    assert not out.exists()


REMOTE = {
    "whole context": lambda c: c.__setitem__("@context", "https://w3id.org/smakg/context.jsonld"),
    "in a list": lambda c: c.__setitem__("@context", ["https://schema.org/", c["@context"]]),
    "scoped in a term": lambda c: c["@context"]["Condition"].__class__ is str and c["@context"].__setitem__(
        "Condition", {"@id": "smakg:Condition", "@context": "http://example.org/scoped.jsonld"}),
    "@import": lambda c: c["@context"].__setitem__("@import", "https://example.org/base.jsonld"),
    "relative file": lambda c: c.__setitem__("@context", "../shared/context.jsonld"),
}


@pytest.mark.parametrize("change", REMOTE.values(), ids=REMOTE.keys())
def test_context_naming_a_document_is_refused_without_fetching(project: Path, out: Path, change) -> None:
    path = rewrite_json(project, CONTEXT, change)
    result = invoke("build", "--project", project, "--out", out)
    assert result.exit_code == 2, result.output
    assert f"{path}: the JSON-LD context names a" in result.stderr
    assert "smakg never loads documents" in result.stderr and "inline" in result.stderr
    assert not out.exists()


def test_invalid_term_definition_is_reported_with_the_file(project: Path, out: Path) -> None:
    path = rewrite_json(project, CONTEXT, lambda c: c["@context"].__setitem__(
        "label", {"@id": "rdfs:label", "@type": "@bogus"}))
    result = invoke("build", "--project", project, "--out", out)
    assert result.exit_code == 2, result.output
    assert f"{path}: the JSON-LD context is invalid" in result.stderr
    assert "in the definition of 'label'" in result.stderr and "invalid type mapping" in result.stderr
    assert not out.exists()


def test_context_that_is_not_an_object(project: Path, out: Path) -> None:
    path = project / CONTEXT
    path.write_text('["@context"]\n', encoding="utf-8")
    result = invoke("build", "--project", project, "--out", out)
    assert result.exit_code == 2, result.output
    assert f"{path}: the JSON-LD context must be a JSON object, found a JSON array" in result.stderr
    assert not out.exists()


def test_frame_with_a_remote_context_is_refused(project: Path, out: Path) -> None:
    path = rewrite_json(project, FRAME, lambda f: f.__setitem__("@context", "https://example.org/frame-context"))
    result = invoke("build", "--project", project, "--out", out)
    assert result.exit_code == 2, result.output
    assert f"{path}: the JSON-LD frame names a remote context at $.@context" in result.stderr
    assert not out.exists()


def test_invalid_frame_is_reported_with_the_file(project: Path, out: Path) -> None:
    path = rewrite_json(project, FRAME, lambda f: f.__setitem__("@embed", "@sometimes"))
    result = invoke("build", "--project", project, "--out", out)
    assert result.exit_code == 2, result.output
    assert "JSON-LD framing failed" in result.stderr and "@embed" in result.stderr
    assert str(path) in result.stderr
    assert not out.exists()


def test_invalid_schema_is_reported(project: Path, out: Path) -> None:
    path = rewrite_json(project, SCHEMA, lambda s: s.__setitem__("type", "objekt"))
    result = invoke("build", "--project", project, "--out", out)
    assert result.exit_code == 2, result.output
    assert f"{path}: not a valid draft 2020-12 JSON Schema" in result.stderr
    assert not out.exists()


def test_documents_that_break_the_schema_are_not_published(project: Path, out: Path) -> None:
    path = rewrite_json(project, SCHEMA, lambda s: s["required"].append("onsets"))
    result = invoke("build", "--project", project, "--out", out)
    assert result.exit_code == 2, result.output
    assert f"{path}: the condition document cond:" in result.stderr
    assert "'onsets' is a required property" in result.stderr
    assert not out.exists()


def test_export_with_an_integrators_context_and_frame(project: Path, tmp_path: Path) -> None:
    mine = tmp_path / "my-context.jsonld"
    mine.write_text(json.dumps({"@context": {"name": "http://www.w3.org/2000/01/rdf-schema#label",
                                             "cond": "https://w3id.org/smakg/id/condition/"}}), encoding="utf-8")
    result = invoke("export", "--format", "jsonld", "--context", mine, "--project", project)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert any(n.get("@id") == "cond:smard1" and n.get("name") for n in doc["@graph"])
    remote = tmp_path / "remote.jsonld"
    remote.write_text(json.dumps({"@context": ["https://schema.org/"]}), encoding="utf-8")
    for option in ("--context", "--frame"):
        result = invoke("export", "--format", "conditions", option, remote, "--project", project)
        assert result.exit_code == 2, result.output
        assert f"{remote}: the JSON-LD" in result.stderr and "'https://schema.org/'" in result.stderr
    broken = tmp_path / "broken.frame.jsonld"
    broken.write_text('{"type": "Condition",\n "label": }\n', encoding="utf-8")
    result = invoke("export", "--format", "conditions", "--frame", broken, "--project", project)
    assert result.exit_code == 2, result.output
    assert f"{broken}:2:11: the JSON-LD frame is not valid JSON" in result.stderr
    result = invoke("export", "--format", "nt", "--context", mine, "--project", project)
    assert result.exit_code == 2, result.output
    assert "--context and --frame apply to --format jsonld or conditions" in result.stderr


def test_validate_reads_json_ld_and_points_at_the_node(exports, tmp_path: Path) -> None:
    """JSON-LD given to validate: our exports conform; a broken node is reported at the line of its "id"."""
    for name in ("smakg.jsonld", "smakg.conditions.jsonld"):
        path = tmp_path / name
        path.write_text(exports[name], encoding="utf-8")
        result = invoke("validate", path, "--project", ROOT)
        assert result.exit_code == 0, result.output
    doc = json.loads(exports["smakg.jsonld"])
    node = next(n for n in doc["@graph"] if n["id"] == "gene:IGHMBP2")
    node["label"] = "ighmbp2"
    path = tmp_path / "broken.jsonld"
    text = json.dumps(doc, indent=1)
    path.write_text(text, encoding="utf-8")
    line = text[:text.index('"id": "gene:IGHMBP2"')].count("\n") + 1
    result = invoke("validate", path, "--project", ROOT)
    assert result.exit_code == 1, result.output
    assert f"{path}:{line}: gene:IGHMBP2" in result.stdout and '"ighmbp2"' in result.stdout


def test_validate_refuses_bad_json_ld_files(tmp_path: Path) -> None:
    cases = {
        "remote.jsonld": (json.dumps({"@context": "http://example.org/context.jsonld", "@id": "http://x.org/a"}),
                          "names a remote context at $.@context: 'http://example.org/context.jsonld'"),
        "broken.jsonld": ('{"@context": {},\n "@id": }', ":2:9: the JSON-LD file is not valid JSON"),
        "named.jsonld": (json.dumps({"@context": {"ex": "http://ex.org/"}, "@id": "ex:g",
                                     "@graph": [{"@id": "ex:a", "ex:p": "x"}]}), "holds named graphs (http://ex.org/g)"),
        "invalid.jsonld": (json.dumps({"@context": {"ex": {"@id": "http://ex.org/", "@type": 5}}, "@id": "ex:a"}),
                           "the JSON-LD could not be read"),
    }
    for name, (text, message) in cases.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        result = invoke("validate", path, "--project", ROOT)
        assert result.exit_code == 2, (name, result.output)
        assert f"{path}" in result.stderr and message in result.stderr, (name, result.stderr)


def test_validate_refuses_json_ld_keys_that_would_be_dropped(exports, tmp_path: Path) -> None:
    """Without @vocab a misspelt key (or one from another version's context) expands to nothing: refused with the
    line, instead of validating a graph that silently lost the value."""
    doc = json.loads(exports["smakg.jsonld"])
    node = next(n for n in doc["@graph"] if n["id"] == "gene:IGHMBP2")
    node["lable"] = node.pop("label")
    path = tmp_path / "typo.jsonld"
    text = json.dumps(doc, indent=1)
    path.write_text(text, encoding="utf-8")
    line = text[:text.index('"lable"')].count("\n") + 1
    result = invoke("validate", path, "--project", ROOT)
    assert result.exit_code == 2, result.output
    assert f"{path}:{line}: 1 key(s) the context does not define" in result.output and "lable" in result.output
    assert "Traceback" not in result.output


def test_validate_refuses_an_export_of_another_version(exports, tmp_path: Path) -> None:
    from smakg import __version__

    doc = json.loads(exports["smakg.jsonld"])
    dataset = next(n for n in doc["@graph"] if n.get("version") == __version__)
    dataset["version"] = "0.0.1"
    path = tmp_path / "old.jsonld"
    path.write_text(json.dumps(doc, indent=1), encoding="utf-8")
    result = invoke("validate", path, "--project", ROOT)
    assert result.exit_code == 2, result.output
    assert f"an export of smakg 0.0.1; this is smakg {__version__}" in result.output
    assert "Traceback" not in result.output
