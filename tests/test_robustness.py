"""Robustness: hostile input to ``validate``, ``build`` and ``fmt`` never ends in a traceback.

Property-based (hypothesis): random mutations of the real curated Turtle (byte flips, truncation, deleted and
duplicated lines, lines moved between files), random bytes, literals of a few megabytes, lists and blank nodes
nested up to 10 000 deep, and unusual Unicode (NUL and other controls, lone surrogates as escapes and as bytes,
right-to-left marks, combining marks, a byte order mark). For every input: an exit code of the documented ones
(0 conforms, 1 violations, 2 bad input; 3, an internal error, is a bug), no traceback, ``build`` leaves a dist/
from an earlier run exactly as it was unless it succeeds, and ``fmt`` either rewrites a file into a canonical form
that is a fixed point and holds the same graph, or leaves it untouched.

The runs are reproducible (``derandomize``, no example database) and bounded to about a minute on two cores;
``SMAKG_FUZZ_SCALE=10`` runs ten times as many examples. Below the properties, one regression test per bug the
properties found.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context
from rdflib.compare import isomorphic
from typer.testing import CliRunner, Result

from smakg.cli import app
from smakg.errors import BadInputError
from smakg.files import write_all
from smakg.kb.load import new_graph, parse_turtle_text
from smakg.kb.vocab import PREFIXES

ROOT = Path(__file__).resolve().parents[1]
HEADER = "".join(f"@prefix {prefix}: <{ns}> .\n" for prefix, ns in PREFIXES.items()) + "\n"
CURATED = sorted(p.relative_to(ROOT).as_posix() for d in ("ontology", "shapes") for p in (ROOT / d).rglob("*.ttl"))
KB_LINES = sorted({line for f in CURATED if f.startswith("ontology/kb/")
                   for line in (ROOT / f).read_bytes().splitlines(keepends=True)})
EXTRA = "ontology/kb/zz-extra.ttl"
SCALE = float(os.environ.get("SMAKG_FUZZ_SCALE", "1"))
runner = CliRunner()


def fuzz(examples: int):
    """Reproducible, bounded hypothesis settings (no deadline: one build takes about a second)."""
    return settings(max_examples=max(1, round(examples * SCALE)), derandomize=True, database=None, deadline=None,
                    print_blob=False, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                             HealthCheck.large_base_example])


# --------------------------------------------------------------------------------------------------------------
# One project for the module; each example changes one file and puts it back.

PREVIOUS = {"smakg.ttl": "# the export of an earlier build\n", "smakg.nt": "", "notes.txt": "kept\n"}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fuzz")
    for name in ("ontology", "shapes"):
        shutil.copytree(ROOT / name, root / name)
    return root


def reset_dist(project: Path) -> Path:
    dist = project / "dist"
    shutil.rmtree(dist, ignore_errors=True)
    dist.mkdir()
    for name, text in PREVIOUS.items():
        (dist / name).write_text(text, encoding="utf-8")
    return dist


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def invoke(*args: object) -> Result:
    result = runner.invoke(app, [str(a) for a in args])
    text = result.output + result.stderr
    assert "Traceback" not in text, text[-3000:]
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 1, 2), f"exit {result.exit_code} for {args[0]}:\n{text[-3000:]}"
    if currently_in_test_context():  # counted by pytest --hypothesis-show-statistics
        event(f"{args[0]} exit {result.exit_code}")
    return result


def check_validate(project: Path) -> None:
    invoke("validate", "--project", project)


def check_build(project: Path) -> None:
    dist = reset_dist(project)
    before, tree = snapshot(dist), snapshot(project)
    result = invoke("build", "--project", project, "--out", dist)
    if result.exit_code != 0:
        assert snapshot(dist) == before, "a failed build changed dist/"
        assert snapshot(project) == tree, "a failed build wrote files"


def check_fmt(path: Path) -> None:
    invoke("fmt", "--check", path)
    before = path.read_bytes()
    result = invoke("fmt", path)
    if result.exit_code != 0:
        assert path.read_bytes() == before, "fmt failed but changed the file"
        return
    assert invoke("fmt", "--check", path).exit_code == 0, "fmt's output is not in canonical form"
    original, formatted = new_graph(), new_graph()
    parse_turtle_text(before.decode("utf-8"), str(path), original, {})
    parse_turtle_text(path.read_text(encoding="utf-8"), str(path), formatted, {})
    assert isomorphic(original, formatted), "fmt changed the graph"


def feed(project: Path, file: str, data: bytes, *, fmt: bool = True, validate: bool = True,
         build: bool = True) -> None:
    """Put ``data`` in place of ``file`` (or as a new file), run the commands, and restore the project."""
    path = project / file
    original = path.read_bytes() if path.exists() else None
    try:
        path.write_bytes(data)
        if validate:
            check_validate(project)
        if build:
            check_build(project)
        if fmt:
            check_fmt(path)
    finally:
        if original is None:
            path.unlink(missing_ok=True)
        else:
            path.write_bytes(original)


# --------------------------------------------------------------------------------------------------------------
# Strategies


@st.composite
def mutated(draw: st.DrawFn, files: list[str] = CURATED) -> tuple[str, bytes]:
    """A curated file with one to three mistakes of the kinds an editor (or a disk) makes."""
    file = draw(st.sampled_from(files))
    data = bytearray((ROOT / file).read_bytes())
    for op in draw(st.lists(st.sampled_from(["flip", "truncate", "delete", "duplicate", "transplant", "swap"]),
                            min_size=1, max_size=3)):
        lines = bytes(data).splitlines(keepends=True)
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        if op == "flip":
            at = draw(st.integers(0, len(data) - 1))
            data[at] = draw(st.integers(0, 255))
            continue
        if op == "truncate":
            data = data[: draw(st.integers(0, len(data)))]
            continue
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(draw(st.integers(0, len(lines))), lines[i])
        elif op == "transplant":  # a line from another file of the knowledge base
            lines.insert(i, draw(st.sampled_from(KB_LINES)))
        else:
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        data = bytearray(b"".join(lines))
    return file, bytes(data)


def nested(kind: str, depth: int) -> str:
    if kind == "list":
        return "( " * depth + '"x"' + " )" * depth
    if kind == "bnode":
        return "[ rdfs:comment " * depth + '"x"' + " ]" * depth
    return "( [ rdfs:comment " * (depth // 2) + '"x"' + " ] )" * (depth // 2)


def claim(obj: str, quote: str = '"a quote"', predicate: str = "skos:altLabel") -> str:
    return (f"[ a smakg:Claim ;\n    rdf:subject gene:SMN1 ;\n    rdf:predicate {predicate} ;\n    rdf:object {obj} ;\n"
            f"    prov:wasDerivedFrom src:gard-sma ;\n    oa:exact {quote} ] .\n")


# Characters that trip up parsers, writers, terminals and XML: controls, bidi and combining marks, a BOM,
# line and paragraph separators, the edges of the BMP, an astral emoji, and Turtle escapes of surrogates.
ODD = ["\x00", "\x01", "\x1b", "\x7f", "\x85", "\u200b", "\u200f", "\u202e", "\u2066", "\u0301", "\u0336", "\ufeff",
       "\u2028", "\u2029", "\ud7ff", "\ue000", "\ufffd", "\uffff", "\U0001f600", "\U0010fffd", "é", "İ", "ﬀ", "Σ",
       "\\uD800", "\\uDFFF", "\\uD83D\\uDE00", "\\U0001F600", "\\u0000", "\\U0010FFFF", "\\t", "\t", "\r", "\n",
       '\\"', "%", ":", ",", "<", ">", "&", "]]>", " ", "  "]
odd_text = st.lists(st.sampled_from(ODD) | st.text(max_size=3), max_size=12).map("".join)


@st.composite
def unicode_file(draw: st.DrawFn) -> bytes:
    """A small Turtle file with unusual Unicode in a literal, an IRI, a local name, a comment or the raw bytes."""
    text = draw(odd_text)
    place = draw(st.sampled_from(["quote", "label", "alias", "iri", "local", "comment", "bom", "raw-surrogate"]))
    body = {
        "quote": claim('"chr11"', quote=f'"{text}"', predicate="skos:altLabel").replace("gene:SMN1", "locus:hsa-chr11"),
        "label": f'gene:SMN1 rdfs:comment "{text}" .\n',
        "alias": claim(f'"{text}"'),
        "iri": f"gene:SMN1 rdfs:seeAlso <http://example.org/{text}> .\n",
        "local": f'gene:{text} rdfs:comment "x" .\n',
        "comment": f"# {text}\ngene:SMN1 rdfs:comment \"x\" .\n",
        "bom": 'gene:SMN1 rdfs:comment "x" .\n',
        "raw-surrogate": f'gene:SMN1 rdfs:comment "{text}@SURROGATE@" .\n',
    }[place]
    data = (HEADER + body).encode("utf-8").replace(b"@SURROGATE@", b"\xed\xa0\x80")  # U+D800 as (CESU) bytes
    return (b"\xef\xbb\xbf" + data) if place == "bom" else data


# --------------------------------------------------------------------------------------------------------------
# Properties


@fuzz(40)
@given(mutated())
def test_fmt_survives_mutated_turtle(project: Path, case: tuple[str, bytes]) -> None:
    file, data = case
    feed(project, file, data, validate=False, build=False)


@fuzz(20)
@given(mutated())
def test_validate_survives_mutated_turtle(project: Path, case: tuple[str, bytes]) -> None:
    file, data = case
    feed(project, file, data, fmt=False, build=False)


@fuzz(8)
@given(mutated([f for f in CURATED if f.startswith("ontology/kb/")]))
def test_build_survives_mutated_turtle(project: Path, case: tuple[str, bytes]) -> None:
    file, data = case
    feed(project, file, data, fmt=False, validate=False)


@fuzz(10)
@given(st.binary(max_size=2048), st.sampled_from([EXTRA, "shapes/entities.ttl", "ontology/smakg.ttl"]))
def test_random_bytes(project: Path, data: bytes, file: str) -> None:
    feed(project, file, data, build=file == EXTRA)


@fuzz(5)
@given(st.sampled_from(["list", "bnode", "mixed"]), st.one_of(st.integers(1, 150), st.integers(150, 10_000)),
       st.booleans(), st.booleans())
def test_deep_nesting(project: Path, kind: str, depth: int, in_claim: bool, build: bool) -> None:
    obj = nested(kind, depth)
    body = claim(obj) if in_claim else f"gene:SMN1 rdfs:seeAlso {obj} .\n"
    feed(project, EXTRA, (HEADER + body).encode("utf-8"), build=build)


@fuzz(3)
@given(st.integers(1_000_000, 3_000_000), st.sampled_from(["AB ", "é", "\u202e", "x\u0301", "\U0001f600"]),
       st.sampled_from(["label", "quote", "comment"]))
def test_huge_literals(project: Path, size: int, unit: str, where: str) -> None:
    text = (unit * (size // len(unit.encode("utf-8")) + 1))
    body = {"label": f'gene:SMN1 rdfs:label "{text}" .\n', "quote": claim('"SMN"', quote=f'"{text}"'),
            "comment": f'gene:SMN1 rdfs:comment """{text}""" .\n'}[where]
    feed(project, EXTRA, (HEADER + body).encode("utf-8"), fmt=where != "comment")


@fuzz(12)
@given(unicode_file(), st.booleans())
def test_unusual_unicode(project: Path, data: bytes, build: bool) -> None:
    feed(project, EXTRA, data, build=build)


# --------------------------------------------------------------------------------------------------------------
# Regressions: each bug the properties found, as a plain test


@pytest.fixture
def fresh(tmp_path: Path) -> Path:
    for name in ("ontology", "shapes"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path


@pytest.mark.parametrize("kind", ["list", "bnode"])
def test_deep_nesting_is_bad_input_not_a_crash(fresh: Path, kind: str) -> None:
    """rdflib's parser recursed until RecursionError (exit 3, "internal error") from about 120 levels on."""
    (fresh / EXTRA).write_text(HEADER + f"gene:SMN1 rdfs:seeAlso {nested(kind, 10_000)} .\n", encoding="utf-8")
    for args in (["validate", "--project", fresh], ["fmt", "--check", fresh / EXTRA]):
        result = invoke(*args)
        assert result.exit_code == 2
        assert f"{fresh / EXTRA}:" in result.stderr and "nested too deeply" in result.stderr


def test_a_surrogate_escape_is_bad_input_and_nothing_is_half_written(fresh: Path) -> None:
    """A \\uD800 escape parsed into a lone surrogate that no UTF-8 file can hold: build crashed while writing the
    exports (exit 3) and left temporary files in dist/."""
    (fresh / EXTRA).write_text(HEADER + 'gene:SMN1 rdfs:comment "a \\uD800 b" .\n', encoding="utf-8")
    dist = reset_dist(fresh)
    before = snapshot(dist)
    result = invoke("build", "--project", fresh, "--out", dist)
    assert result.exit_code == 2 and f"{fresh / EXTRA}:" in result.stderr and "surrogate" in result.stderr
    assert snapshot(dist) == before


def test_write_all_leaves_no_temporary_file_whatever_fails(tmp_path: Path) -> None:
    out = tmp_path / "new-dist"
    with pytest.raises(UnicodeEncodeError):
        write_all({"a.ttl": "fine\n", "b.ttl": "lone \ud800 surrogate\n"}, out)
    assert not out.exists(), "the directory the call created (with a temporary file in it) stayed"
    kept = tmp_path / "dist"
    kept.mkdir()
    (kept / "a.ttl").write_text("old\n", encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        write_all({"a.ttl": "new\n", "b.ttl": "\udfff"}, kept)
    assert snapshot(kept) == {"a.ttl": b"old\n"}


def test_a_byte_order_mark_is_accepted_and_fmt_removes_it(fresh: Path) -> None:
    """A file an editor saved with a BOM failed with "expected directive or statement" on an invisible character."""
    genes = fresh / "ontology" / "kb" / "entities" / "genes.ttl"
    canonical = genes.read_bytes()
    genes.write_bytes(b"\xef\xbb\xbf" + canonical)
    assert invoke("validate", "--project", fresh).exit_code == 0
    assert invoke("fmt", "--check", genes).exit_code == 1
    assert invoke("fmt", genes).exit_code == 0 and genes.read_bytes() == canonical


@pytest.mark.parametrize(("file", "old", "new", "said"), [
    ("sources.ttl", 'sh:pattern "^[0-9a-f]{64}$"', 'sh:pattern "([0-9"',
     "shp:Source › smakg:textSha256: sh:pattern '([0-9' is not a regular expression"),
    ("entities.ttl", "SELECT $this ?value ?other WHERE {", "SELECT $this ?value ?other WHERE { {",
     "shp:AliasUnique: the SPARQL query does not parse"),
    ("sources.ttl", 'sh:message "a PMID is a number" ;\n        sh:path bibo:pmid ;',
     'sh:message "a PMID is a number" ;\n        sh:minCount "one" ;\n        sh:path bibo:pmid ;',
     "shp:Source › bibo:pmid: not valid SHACL"),
])
def test_a_broken_shape_is_bad_input_naming_the_shape(fresh: Path, file: str, old: str, new: str, said: str) -> None:
    """pyshacl's errors on a broken shape (a bad regex, a SPARQL syntax error, sh:minCount "one") ended as
    "internal error" (exit 3), printed twice, without saying which shape."""
    path = fresh / "shapes" / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    line = text[: text.index(old)].count("\n") + 1
    result = invoke("validate", "--project", fresh)
    assert result.exit_code == 2, result.output
    assert said in result.stderr and f"{path}:" in result.stderr
    reported = int(result.stderr.split(f"{path}:", 1)[1].split(":", 1)[0])
    assert abs(reported - line) <= 12, f"reported line {reported}, edited line {line}"
    assert result.stderr.count(said) == 1


@pytest.mark.parametrize("text", ["@", "@pre", "@prefix"])
def test_a_file_cut_short_is_a_syntax_error(text: str) -> None:
    """rdflib's tokenizer raised IndexError on a file cut short inside a directive (exit 3, "internal error")."""
    with pytest.raises(BadInputError, match=r"^x\.ttl:1: Turtle syntax error: the file ends in the middle"):
        parse_turtle_text(text, "x.ttl", new_graph(), {})
