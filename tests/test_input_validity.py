"""Nothing skipped silently, nothing published that is not valid (issue 11): a file or folder that cannot be read,
a literal its datatype does not allow, a string that is no IRI, JSON nested thousands deep, a table that is not
UTF-8 and a file with CRLF line ends are each named (file, and line where there is one), never skipped, never an
internal error (exit 3), and never published.

How each is reported (docs/curators.md, "Invalid input"): what no RDF syntax can hold or no reader can read (an
unreadable file, an IRI that is none, JSON nested too deep, a table that is not UTF-8) is bad input, exit 2, like a
Turtle syntax error; a literal outside its datatype's lexical space is valid RDF syntax but wrong data, a violation
of ``smakg:check/lexical-form`` at its file and line, like the ill-typed date the shapes report: ``validate`` exits
1 and ``build`` writes nothing. ``query`` and ``serve``, which build without validating, refuse it (exit 2).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from test_bad_input import HEADER, invoke, make_project

import smakg
from smakg.kb.lexical import iri_problem, literal_problem
from smakg.kb.vocab import XSD_STRING

XSD = XSD_STRING.removesuffix("string")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


@pytest.fixture
def out(tmp_path: Path) -> Path:
    return tmp_path / "dist"


def add_kb_file(project: Path, name: str, body: str) -> Path:
    """A new Turtle file under ontology/kb/ with every prefix declared; ``body`` starts after the header."""
    path = project / "ontology" / "kb" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    text = path.read_text(encoding="utf-8")
    assert text.count(needle) == 1, needle
    return text.count("\n", 0, text.index(needle)) + 1


def export_nt(project: Path) -> str:
    result = invoke("export", "--format", "nt", "--project", project)
    assert result.exit_code == 0, result.output
    return result.stdout


# --------------------------------------------------------------------------------------------------------------
# 1. A file or folder that cannot be read is bad input, never skipped


def _permissions_enforced() -> list[str]:
    """A command prefix under which file permissions hold: none for an ordinary user; for root (CI runs as root,
    and root reads any file), setpriv dropping the two capabilities that let root read past permissions."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root, which reads any file, and setpriv (util-linux) is missing to drop that power")
    prefix = [setpriv, "--bounding-set=-dac_override,-dac_read_search", "--"]
    if subprocess.run([*prefix, "true"], capture_output=True).returncode != 0:
        pytest.skip("running as root, which reads any file, and this system lets no process drop that power "
                    "(setpriv --bounding-set failed)")
    return prefix


def run_smakg_with_permissions(*args: object) -> subprocess.CompletedProcess[str]:
    """``python -m smakg ARGS`` in a process that obeys file permissions, with the smakg this test imports."""
    code = str(Path(smakg.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [code, os.environ.get("PYTHONPATH")]))}
    return subprocess.run([*_permissions_enforced(), sys.executable, "-m", "smakg", *map(str, args)],
                          capture_output=True, text=True, env=env, timeout=300)


@pytest.mark.parametrize("what", ["folder", "file"])
def test_unreadable_folder_or_file_under_kb_is_bad_input(project: Path, out: Path, what: str) -> None:
    """The issue's reproduction: an unreadable folder was skipped without a word, and the build published a release
    without its data (exit 0)."""
    folder = project / "ontology" / "kb" / "claims" / "more"
    folder.mkdir()
    shutil.move(project / "ontology" / "kb" / "claims" / "summary-smard1.ttl", folder / "summary-smard1.ttl")
    target = folder if what == "folder" else folder / "summary-smard1.ttl"
    target.chmod(0)
    try:
        for command in (["build", "--out", out], ["validate"]):
            result = run_smakg_with_permissions(*command, "--project", project)
            assert result.returncode == 2, result.stdout + result.stderr
            assert f"{target}: cannot be read (Permission denied)" in result.stderr, result.stderr
            assert "Traceback" not in result.stderr
        assert not out.exists()
    finally:
        target.chmod(0o755)


@pytest.mark.parametrize("name", ["gone.ttl", "gone-folder"])
def test_link_to_nothing_under_kb_is_bad_input(project: Path, out: Path, name: str) -> None:
    """A symbolic link whose target is missing (a file, or a folder of claims on a disk not mounted)."""
    link = project / "ontology" / "kb" / "claims" / name
    link.symlink_to(project / "elsewhere" / name)
    result = invoke("build", "--project", project, "--out", out)
    assert result.exit_code == 2, result.output
    assert f"{link}: a symbolic link to nothing" in result.stderr
    assert not out.exists()


def test_link_loop_under_kb_is_bad_input(project: Path) -> None:
    link = project / "ontology" / "kb" / "loop"
    link.symlink_to(link)
    result = invoke("validate", "--project", project)
    assert result.exit_code == 2, result.output
    assert f"{link}: a loop of symbolic links" in result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_fifo_named_ttl_is_bad_input(project: Path, out: Path) -> None:
    """A FIFO is no regular file: skipped before, and reading it would wait forever."""
    fifo = project / "ontology" / "kb" / "claims" / "pipe.ttl"
    os.mkfifo(fifo)
    result = invoke("build", "--project", project, "--out", out)
    assert result.exit_code == 2, result.output
    assert f"{fifo}: not a regular file" in result.stderr
    assert not out.exists()


def test_symlinked_folder_is_read_and_a_link_back_up_reads_nothing_twice(project: Path, tmp_path: Path) -> None:
    """A folder of claims linked in from elsewhere is read (it was skipped without a word); a link back to a folder
    already read ends the walk instead of looping."""
    expected = export_nt(project)
    claims = project / "ontology" / "kb" / "claims"
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.move(claims / "summary-smard1.ttl", outside / "summary-smard1.ttl")
    (claims / "linked").symlink_to(outside, target_is_directory=True)
    (claims / "up").symlink_to(claims.parent, target_is_directory=True)
    assert export_nt(project) == expected


# --------------------------------------------------------------------------------------------------------------
# 2. Every typed literal has a valid lexical form for its datatype


# (datatype, lexical form) outside the datatype's lexical space (XSD 1.1 Part 2); rdflib's ill_typed misses most
INVALID = [
    ("gYearMonth", "2022-13"), ("boolean", "x"), ("double", "1e999999"), ("float", "1e39"), ("date", "2025-02-29"),
    ("date", "2025-10-35"), ("dateTime", "2025-10-01T25:00:00"), ("time", "24:30:00"), ("gYear", "22"),
    ("gMonthDay", "--02-30"), ("integer", " 1"), ("integer", "1_000"), ("integer", "\uff11"), ("integer", "1.0"),
    ("nonNegativeInteger", "-1"), ("positiveInteger", "0"), ("byte", "300"), ("unsignedLong", "18446744073709551616"),
    ("decimal", "1e3"), ("decimal", "NaN"), ("duration", "P"), ("duration", "PT"), ("duration", "P1YT"),
    ("yearMonthDuration", "P1D"), ("dayTimeDuration", "P1Y"), ("boolean", "true "), ("hexBinary", "abc"),
    ("base64Binary", "abc"), ("language", "en-"), ("anyURI", "http://example.org/a b"), ("interger", "1"),
    ("dateTimeStamp", "2025-10-01T12:00:00"),
]
VALID = [
    ("gYearMonth", "2022-12"), ("gYearMonth", "2022-12Z"), ("boolean", "1"), ("double", "NaN"), ("double", "-INF"),
    ("double", "1.5E3"), ("float", "3.4028235e38"), ("date", "2024-02-29"), ("date", "-0044-03-15"),
    ("dateTime", "2025-10-01T24:00:00"), ("gYear", "12345"), ("integer", "-007"), ("decimal", ".5"),
    ("duration", "P1Y2M3DT4H5M6.5S"), ("duration", "-PT0S"), ("nonNegativeInteger", "60"), ("anyURI", "../rel#x"),
    ("gMonthDay", "--02-29"), ("base64Binary", "YWJj"), ("hexBinary", "0aFF"), ("language", "en-GB"),
    ("string", "any \t text"),
]


@pytest.mark.parametrize(("name", "lexical"), INVALID, ids=[f"{n}:{v}" for n, v in INVALID])
def test_lexical_form_outside_the_datatype_is_named(name: str, lexical: str) -> None:
    assert literal_problem(lexical, XSD + name) is not None


@pytest.mark.parametrize(("name", "lexical"), VALID, ids=[f"{n}:{v}" for n, v in VALID])
def test_lexical_form_inside_the_datatype_passes(name: str, lexical: str) -> None:
    assert literal_problem(lexical, XSD + name) is None


def _literal_lines(cases: list[tuple[str, str]]) -> str:
    """One triple per case on a property no shape names, on a declared source, each on its own line."""
    rows = [f'    dcterms:extent {json.dumps(lexical, ensure_ascii=False)}^^xsd:{name}' for name, lexical in cases]
    return "src:eckart-2012\n" + " ;\n".join(rows) + " .\n"


def test_every_ill_typed_literal_is_a_violation_at_its_line(project: Path) -> None:
    """On a property with no shape: "x"^^xsd:boolean was published as "false", "1e999999"^^xsd:double as "inf",
    "2022-13"^^xsd:gYearMonth as it was; validate accepted them all (exit 0)."""
    extra = add_kb_file(project, "extra.ttl", _literal_lines(INVALID))
    result = invoke("validate", "--project", project, "--format", "json")
    assert result.exit_code == 1, result.output
    findings = [f for f in json.loads(result.stdout)["results"] if f["rule"] == "smakg:check/lexical-form"]
    lines = {(f["file"], f["line"]) for f in findings}
    for name, lexical in INVALID:
        written = f"{json.dumps(lexical, ensure_ascii=False)}^^xsd:{name}"
        assert (str(extra), line_of(extra, written)) in lines, (name, lexical)
    assert len(findings) == len(INVALID)
    assert all(f["severity"] == "Violation" for f in findings)


@pytest.mark.parametrize(("name", "lexical"), [("gYearMonth", "2022-13"), ("boolean", "x"), ("double", "1e999999")])
def test_build_publishes_no_ill_typed_literal(project: Path, out: Path, name: str, lexical: str) -> None:
    extra = add_kb_file(project, "extra.ttl", _literal_lines([(name, lexical)]))
    result = invoke("build", "--project", project, "--out", out)
    assert result.exit_code == 1, result.output
    written = f'"{lexical}"^^'
    assert f"{extra}:{line_of(extra, written)}" in result.stdout
    assert f"not a valid xsd:{name}" in result.stdout
    assert not out.exists()


def test_a_decimal_and_a_nan_double_on_one_subject_build(project: Path, out: Path) -> None:
    """Both valid: validate passed, then build crashed (exit 3) sorting them for the JSON-LD export."""
    add_kb_file(project, "extra.ttl", _literal_lines([("decimal", "1.5"), ("double", "NaN"), ("double", "INF")]))
    result = invoke("build", "--project", project, "--out", out)
    assert result.exit_code == 0, result.output
    nt = (out / "smakg.nt").read_text(encoding="utf-8")
    assert f'"NaN"^^<{XSD}double>' in nt and f'"1.5"^^<{XSD}decimal>' in nt and f'"INF"^^<{XSD}double>' in nt


def test_ill_typed_literals_in_imports_and_vocabulary_are_violations(project: Path) -> None:
    date = f'<http://purl.org/dc/terms/date> "2022-13"^^<{XSD}gYearMonth>'
    imports = project / "ontology" / "imports" / "hp.ttl"
    imports.write_text(imports.read_text(encoding="utf-8") + f"\nHP:0000020 {date} .\n", encoding="utf-8")
    vocabulary = project / "ontology" / "smakg.ttl"
    flag = f'<http://purl.org/dc/terms/valid> "x"^^<{XSD}boolean>'
    vocabulary.write_text(vocabulary.read_text(encoding="utf-8") + f"\nsmakg:Claim {flag} .\n", encoding="utf-8")
    result = invoke("validate", "--project", project)
    assert result.exit_code == 1, result.output
    assert f"{imports}:{line_of(imports, date)}" in result.stdout
    assert f"{vocabulary}:{line_of(vocabulary, flag)}" in result.stdout


def test_ill_typed_literal_in_json_ld_input_is_a_violation_at_its_line(tmp_path: Path) -> None:
    doc = tmp_path / "mine.jsonld"
    doc.write_text(json.dumps({
        "@context": {"dcterms": "http://purl.org/dc/terms/", "xsd": XSD},
        "@id": "https://w3id.org/smakg/id/source/eckart-2012",
        "dcterms:extent": {"@value": "2022-13", "@type": "xsd:gYearMonth"}}, indent=1), encoding="utf-8")
    result = invoke("validate", doc, "--with-kb", "--project", ROOT)
    assert result.exit_code == 1, result.output
    assert f"{doc}:{line_of(doc, '2022-13')}" in result.stdout and "not a valid xsd:gYearMonth" in result.stdout


def test_query_refuses_an_ill_typed_literal_when_it_builds(project: Path) -> None:
    extra = add_kb_file(project, "extra.ttl", _literal_lines([("boolean", "x")]))
    result = invoke("query", "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "--project", project)
    assert result.exit_code == 2, result.output
    where = f"{extra}:{line_of(extra, '^^xsd:boolean')}"
    assert where in result.stderr and "not a valid xsd:boolean" in result.stderr


def test_fmt_keeps_an_ill_typed_literal_as_written(project: Path) -> None:
    """rdflib reads "x"^^xsd:boolean as false: fmt rewrote the curator's text to "false"."""
    extra = add_kb_file(project, "extra.ttl", _literal_lines([("boolean", "x")]) + "\n\n\n")
    result = invoke("fmt", extra, "--project", project)
    assert result.exit_code == 0, result.output
    assert '"x"^^xsd:boolean' in extra.read_text(encoding="utf-8")


# --------------------------------------------------------------------------------------------------------------
# 3. An IRI that is not an IRI is bad input in every command, with file and line


BAD_IRIS = {
    "space": "http://example.org/a b", "quote": "http://example.org/a\\u0022b", "braces": "http://example.org/a{b}",
    "angle": "http://example.org/a\\u003Cb", "backslash": "http://example.org/a\\u005Cb", "pipe": "http://example.org/a|b",
    "control": "http://example.org/a\\u0007b", "escaped-space": "http://example.org/a\\u0020b",
    "percent": "http://example.org/a%zz",
}


@pytest.mark.parametrize("iri", BAD_IRIS.values(), ids=BAD_IRIS.keys())
def test_iri_that_is_no_iri_is_bad_input(project: Path, iri: str) -> None:
    extra = add_kb_file(project, "extra.ttl", f"src:eckart-2012 dcterms:relation <{iri}> .\n")
    result = invoke("validate", "--project", project)
    assert result.exit_code == 2, result.output
    assert f"{extra}:{line_of(extra, iri)}: <" in result.stderr and "is not a valid IRI" in result.stderr


COMMANDS = {
    "validate": ["validate"], "build": ["build", "--out", "{out}"], "export": ["export", "--format", "jsonld"],
    "query": ["query", "SELECT * WHERE { ?s ?p ?o } LIMIT 1"], "fmt-check": ["fmt", "--check"],
    "verify-xrefs": ["verify-xrefs"],
}


@pytest.mark.parametrize("command", COMMANDS.values(), ids=COMMANDS.keys())
def test_iri_with_a_space_is_bad_input_in_every_command(project: Path, out: Path, command: list[str]) -> None:
    """Before: build and export ended in an internal error (exit 3), validate accepted it (exit 0)."""
    extra = add_kb_file(project, "extra.ttl", "src:eckart-2012 dcterms:relation <http://example.org/a b> .\n")
    result = invoke(*[out if a == "{out}" else a for a in command], "--project", project)
    assert result.exit_code == 2, result.output
    assert f"{extra}:{line_of(extra, 'a b')}: <http://example.org/a b> is not a valid IRI" in result.stderr
    assert not out.exists()


@pytest.mark.parametrize(("where", "iri"), [("id", "http://example.org/a b"), ("key", "dcterms:rel ation"),
                                            ("type", "http://example.org/A{B}")])
def test_iri_that_is_no_iri_in_json_ld_input_is_bad_input(tmp_path: Path, where: str, iri: str) -> None:
    """pyld drops such a triple without a word: validate reported nothing."""
    node = {"@id": "https://w3id.org/smakg/id/source/eckart-2012", "dcterms:relation": {"@id": "http://example.org/x"}}
    if where == "id":
        node["dcterms:relation"] = {"@id": iri}
    elif where == "key":
        node[iri] = {"@id": "http://example.org/x"}
    else:
        node["@type"] = iri
    doc = tmp_path / "mine.jsonld"
    doc.write_text(json.dumps({"@context": {"dcterms": "http://purl.org/dc/terms/"}, **node}, indent=1),
                   encoding="utf-8")
    result = invoke("validate", doc, "--with-kb", "--project", ROOT)
    assert result.exit_code == 2, result.output
    assert f"{doc}:{line_of(doc, iri)}: <" in result.stderr and "is not a valid IRI" in result.stderr


def test_iri_problems() -> None:
    assert iri_problem("https://w3id.org/smakg/id/gene/SMN1") is None
    assert iri_problem("urn:isbn:0451450523") is None
    assert iri_problem("http://example.org/caf\u00e9?q=1#frag") is None
    assert iri_problem("no-scheme") is not None
    assert iri_problem("http://example.org/a`b") is not None


# --------------------------------------------------------------------------------------------------------------
# 4. JSON nested thousands deep


@pytest.mark.parametrize(("kind", "depth"), [("objects", 10_000), ("arrays", 10_000), ("objects", 150)])
def test_json_ld_nested_deep_is_bad_input(tmp_path: Path, kind: str, depth: int) -> None:
    """10,000 deep ended in a RecursionError (exit 3); 150 deep parses as JSON, and the bound refuses it before a
    JSON-LD processor recurses into it."""
    nest = ('{"dcterms:relation": ', "}") if kind == "objects" else ("[", "]")
    value = nest[0] * depth + "1" + nest[1] * depth
    doc = tmp_path / "deep.jsonld"
    doc.write_text('{"@context": {"dcterms": "http://purl.org/dc/terms/"}, '
                   f'"@id": "https://w3id.org/smakg/id/source/eckart-2012", "dcterms:relation": {value}}}',
                   encoding="utf-8")
    result = invoke("validate", doc, "--project", ROOT)
    assert result.exit_code == 2, result.output
    assert f"{doc}: the JSON-LD file nests arrays or objects more than 100 levels deep" in result.stderr


def test_json_schema_nested_deep_is_bad_input(project: Path, out: Path) -> None:
    schema = project / "ontology" / "schema" / "condition.schema.json"
    schema.write_text('{"$defs": ' + '{"a": ' * 5000 + "{}" + "}" * 5000 + "}\n", encoding="utf-8")
    result = invoke("build", "--project", project, "--out", out)
    assert result.exit_code == 2, result.output
    assert f"{schema}: the JSON Schema nests arrays or objects more than 100 levels deep" in result.stderr
    assert not out.exists()


# --------------------------------------------------------------------------------------------------------------
# 5. An identifier table that is not UTF-8


def test_identifier_table_not_utf8_names_file_line_and_byte(project: Path, tmp_path: Path) -> None:
    table = tmp_path / "table.tsv"
    raw = (ROOT / "ontology" / "identifiers.tsv").read_bytes()
    second = raw.index(b"\n") + 1
    table.write_bytes(raw[:second] + b"\xff" + raw[second:])
    for command in (["verify-xrefs", "--table", table], ["validate", "--table", table]):
        result = invoke(*command, "--project", project)
        assert result.exit_code == 2, result.output
        assert f"{table}:2: not UTF-8 text (invalid start byte at byte {second}: 0xff)" in result.stderr
    (project / "ontology" / "identifiers.tsv").write_bytes(table.read_bytes())  # the project's own table
    result = invoke("validate", "--project", project)
    assert result.exit_code == 2, result.output
    assert f"{project / 'ontology' / 'identifiers.tsv'}:2: not UTF-8 text" in result.stderr


def test_identifier_table_with_short_rows_is_read(project: Path, tmp_path: Path) -> None:
    """A row with fewer columns than the header ended in an internal error (exit 3); it is a row with empty cells."""
    table = tmp_path / "table.tsv"
    table.write_text("prefix\tlocal_id\tlabel\tevidence\tstatus\nHP\t0000020\n", encoding="utf-8")
    result = invoke("verify-xrefs", "--table", table, "--project", project)
    assert result.exit_code == 1, result.output
    assert "not a verified" in result.output


# --------------------------------------------------------------------------------------------------------------
# 6. smakg fmt: CRLF line ends are not canonical; a symbolic link stays a link


def test_fmt_check_reports_crlf_and_fmt_writes_lf(project: Path) -> None:
    sources = project / "ontology" / "kb" / "sources.ttl"
    sources.write_bytes(sources.read_bytes().replace(b"\n", b"\r\n"))
    result = invoke("fmt", "--check", "--project", project)
    assert result.exit_code == 1, result.output
    assert f"would reformat {sources}" in result.output
    result = invoke("fmt", "--project", project)
    assert result.exit_code == 0, result.output
    assert b"\r" not in sources.read_bytes()
    assert sources.read_bytes() == (ROOT / "ontology" / "kb" / "sources.ttl").read_bytes()
    assert invoke("fmt", "--check", "--project", project).exit_code == 0


def test_fmt_keeps_a_symbolic_link(project: Path, tmp_path: Path) -> None:
    sources = project / "ontology" / "kb" / "sources.ttl"
    target = tmp_path / "kept-elsewhere.ttl"
    target.write_bytes(sources.read_bytes() + b"\n\n")  # not canonical: blank lines at the end
    sources.unlink()
    sources.symlink_to(target)
    result = invoke("fmt", "--project", project)
    assert result.exit_code == 0, result.output
    assert sources.is_symlink() and sources.resolve() == target.resolve()
    assert target.read_bytes() == (ROOT / "ontology" / "kb" / "sources.ttl").read_bytes()
