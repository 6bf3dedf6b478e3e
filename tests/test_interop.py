"""Both JSON-LD exports read by three independent implementations give one graph: expanded and turned into N-Quads
by pyld and by jsonld.js (Node, ``tests/interop/``), canonicalised with RDFC-1.0 / URDNA2015, they equal rdflib's
built graph canonicalised the same way. jsonld.js runs offline by construction (a loader that refuses every URL,
and sockets, DNS and fetch trapped), and the tests prove both guards fire.

jsonld.js is installed by ``npm ci --prefix tests/interop`` (``.ci/run`` does it). Where Node or the package is
missing these tests fail under CI (``CI`` set) and are skipped, with the command to run, elsewhere.
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
from pyld import jsonld
from rdflib import Graph
from rdflib.compare import isomorphic

from smakg.kb.jsonld import offline_loader
from smakg.kb.jsonld_flat import keyword_value_objects, ordered

INTEROP = ROOT / "tests" / "interop"
SCRIPT = INTEROP / "jsonld_nquads.mjs"
JSONLD_FILES = ("smakg.jsonld", "smakg.conditions.jsonld")
FRAME = ROOT / "ontology" / "frames" / "conditions.frame.jsonld"


def _node() -> str:
    node = shutil.which("node")
    problem = None
    if node is None:
        problem = "Node.js (`node`) is not on PATH; install Node 18+ to run the jsonld.js interop tests"
    elif not (INTEROP / "node_modules" / "jsonld" / "package.json").is_file():
        problem = "jsonld.js is not installed: run `npm ci --prefix tests/interop` (needs the npm registry once)"
    if problem:
        if os.environ.get("CI"):
            pytest.fail(problem)
        pytest.skip(problem + "; CI fails here instead of skipping")
    return str(node)


def _run(*args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run([_node(), str(SCRIPT), *map(str, args)], capture_output=True, text=True, timeout=120,
                          cwd=INTEROP)


@pytest.fixture(scope="module")
def written(exports, tmp_path_factory) -> Path:
    """The exports on disk, as integrators get them."""
    out = tmp_path_factory.mktemp("dist")
    for name in (*JSONLD_FILES, "smakg.nt"):
        (out / name).write_text(exports[name], encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def jsonld_js(written) -> dict:
    """jsonld.js's expansion, N-Quads, RDFC-1.0 canonical form and framing of each export, in one Node run."""
    result = _run("--frame", FRAME, *(written / n for n in (*JSONLD_FILES, "smakg.nt")))
    assert result.returncode == 0, result.stderr
    return {Path(k).name: v for k, v in json.loads(result.stdout).items()}


@pytest.fixture(scope="module")
def reference(built) -> str:
    """rdflib's built graph, canonicalised with URDNA2015 (pyld)."""
    nquads = built.graph.serialize(format="nt")
    return jsonld.normalize(nquads, {"algorithm": "URDNA2015", "inputFormat": "application/n-quads",
                                     "format": "application/n-quads"})


def test_reference_canonical_form_is_the_whole_graph(built, reference) -> None:
    assert len(reference.splitlines()) == len(built.graph)


@pytest.mark.parametrize("name", JSONLD_FILES)
def test_pyld_canonical_form_equals_rdflib(exports, reference, name) -> None:
    doc = json.loads(exports[name])
    canonical = jsonld.normalize(doc, {"algorithm": "URDNA2015", "format": "application/n-quads",
                                       "documentLoader": offline_loader})
    assert canonical == reference


@pytest.mark.parametrize("name", JSONLD_FILES)
def test_pyld_expands_to_nquads_of_the_built_graph(built, exports, name) -> None:
    expanded = jsonld.expand(json.loads(exports[name]), {"documentLoader": offline_loader})
    nquads = jsonld.to_rdf(expanded, {"format": "application/n-quads", "documentLoader": offline_loader})
    assert isomorphic(Graph().parse(data=nquads, format="nt"), built.graph)


@pytest.mark.parametrize("name", JSONLD_FILES)
def test_jsonld_js_canonical_form_equals_rdflib(jsonld_js, reference, name) -> None:
    assert jsonld_js[name]["canonical"] == reference


@pytest.mark.parametrize("name", JSONLD_FILES)
def test_jsonld_js_expands_to_nquads_of_the_built_graph(built, jsonld_js, name) -> None:
    graph = Graph().parse(data=jsonld_js[name]["nquads"], format="nt")
    assert len(graph) == len(built.graph)
    assert isomorphic(graph, built.graph)


def test_two_canonicalisers_agree_on_rdflib_ntriples(jsonld_js, reference) -> None:
    """rdf-canonize (RDFC-1.0) and pyld (URDNA2015) give the same bytes for rdflib's N-Triples."""
    assert jsonld_js["smakg.nt"]["canonical"] == reference


def test_jsonld_js_frames_the_same_condition_documents(exports, jsonld_js) -> None:
    """The frame is portable: jsonld.js framing the flat export gives pyld's condition documents."""
    ours = [d for d in json.loads(exports["smakg.conditions.jsonld"])["@graph"] if "Condition" in d["type"]]
    framed = jsonld_js["smakg.jsonld"]["framed"]
    theirs = [ordered(d) for d in keyword_value_objects(framed["@graph"], framed["@context"])]
    assert sorted(d["id"] for d in theirs) == [d["id"] for d in ours]
    assert {d["id"]: d for d in theirs} == {d["id"]: d for d in ours}


def _remote_doc(tmp_path: Path) -> Path:
    path = tmp_path / "remote.jsonld"
    path.write_text(json.dumps({"@context": "https://w3id.org/smakg/context.jsonld",
                                "@id": "https://w3id.org/smakg/id/condition/smard1", "label": "x"}))
    return path


def test_jsonld_js_loader_refuses_a_remote_context(tmp_path) -> None:
    result = _run(_remote_doc(tmp_path))
    assert result.returncode == 2
    assert 'offline loader refused "https://w3id.org/smakg/context.jsonld"' in result.stderr
    assert "network refused" not in result.stderr, "the loader must refuse before anything tries to connect"


def test_network_trap_stops_jsonld_js_own_loader(tmp_path) -> None:
    """Even jsonld.js's network loader cannot connect: the trap fires (no DNS error, no timeout)."""
    result = _run("--default-loader", _remote_doc(tmp_path))
    assert result.returncode == 2
    assert "smakg-interop: network refused" in result.stderr, result.stderr
    assert "ENOTFOUND" not in result.stderr and "EAI_AGAIN" not in result.stderr


def test_jsonld_js_safe_mode_rejects_a_key_the_context_does_not_define(tmp_path, exports) -> None:
    """Safe mode fails on a key that would be dropped, so the agreement above means no key of ours is lost."""
    doc = json.loads(exports["smakg.jsonld"])
    doc["@graph"][0]["labl"] = "a misspelt key"
    path = tmp_path / "typo.jsonld"
    path.write_text(json.dumps(doc))
    result = _run(path)
    assert result.returncode == 2 and "labl" in result.stderr, result.stderr


def test_lockfile_pins_jsonld_js() -> None:
    package = json.loads((INTEROP / "package.json").read_text())
    lock = json.loads((INTEROP / "package-lock.json").read_text())
    version = package["dependencies"]["jsonld"]
    assert version[0].isdigit(), "pin an exact jsonld.js version"
    assert lock["packages"]["node_modules/jsonld"]["version"] == version


INTEGRATORS_PAGE = ROOT / "docs" / "integrators.md"


def _docs_example(language: str) -> str:
    """The first ``language`` code block of docs/integrators.md, exactly as an integrator would copy it."""
    text = INTEGRATORS_PAGE.read_text(encoding="utf-8")
    start = text.index(f"```{language}\n") + len(language) + 4
    return text[start:text.index("```", start)]


@pytest.fixture
def integrator_dir(written, tmp_path) -> Path:
    """A folder like an integrator's, with the exports in dist/."""
    (tmp_path / "dist").mkdir()
    for name in JSONLD_FILES:
        shutil.copy(written / name, tmp_path / "dist" / name)
    return tmp_path


def test_docs_python_example_runs(integrator_dir, built) -> None:
    code = _docs_example("python")
    assert len(code.strip().splitlines()) <= 5
    result = subprocess.run([sys.executable, "-c", code], cwd=integrator_dir, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("IGHMBP2 ['11q13.3', 'chromosome 11'] [")
    assert "More than 60 different" in result.stdout


def test_docs_javascript_example_runs(integrator_dir, built) -> None:
    code = _docs_example("js")
    assert len(code.strip().splitlines()) <= 5
    node = _node()
    (integrator_dir / "node_modules").symlink_to(INTEROP / "node_modules")
    (integrator_dir / "example.mjs").write_text(code, encoding="utf-8")
    result = subprocess.run([node, "example.mjs"], cwd=integrator_dir, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("IGHMBP2 [ '11q13.3', 'chromosome 11' ] [")
    assert "More than 60 different" in result.stdout
