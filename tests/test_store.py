"""`smakg serve --store DIR`: a persistent pyoxigraph store on disk, bulk-loaded once, reused while the release is
unchanged, reloaded into a fresh folder and swapped in when it changes; a load that fails leaves the previous store
current; the workers of a real server open it read-only and answer every competency question as `smakg query`
does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ROOT
from stores import disagreements
from test_serve import http, start, stop

from smakg.errors import BadInputError
from smakg.sparql.query import Engine, screen
from smakg.sparql.store import MARKER, prepare, sha256_of

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> Path:
    """The real release's N-Triples (built in memory, written as smakg build writes it)."""
    from smakg.kb.build import build_graph
    from smakg.kb.turtle import to_ntriples
    from smakg.project import Project

    path = tmp_path_factory.mktemp("release") / "smakg.nt"
    path.write_text(to_ntriples(build_graph(Project(ROOT)).graph), encoding="utf-8")
    return path


def changed(release: Path, folder: Path) -> Path:
    """The release without its last triple (a changed release)."""
    lines = release.read_text(encoding="utf-8").splitlines(keepends=True)
    path = folder / "changed.nt"
    path.write_text("".join(lines[:-1]), encoding="utf-8")
    return path


def count(path: Path) -> int:
    engine = Engine(path)
    result = engine.run(screen(COUNT))
    return int(result.rows[0]["n"].value) if result.rows else -1


def stores_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.is_dir())


def test_loaded_once_reused_then_swapped_when_the_release_changes(tmp_path: Path, release: Path) -> None:
    folder = tmp_path / "store"
    first = prepare(folder, release)
    first.release()
    lines = len(release.read_text(encoding="utf-8").splitlines())
    assert not first.reused and first.triples == lines == count(first.path)
    assert first.sha256 == sha256_of(release) == sha256_of(release.read_bytes())
    marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    assert marker["sha256"] == first.sha256 and marker["store"] == first.path.name

    again = prepare(folder, release)
    again.release()
    assert again.reused and again.path == first.path and again.triples == first.triples

    new = prepare(folder, changed(release, tmp_path))
    new.release()
    assert not new.reused and new.path != first.path and new.triples == lines - 1 == count(new.path)
    assert stores_in(folder) == [new.path.name], "the old store is removed once the new one is current"


def test_a_failed_load_leaves_the_previous_store_current(tmp_path: Path, release: Path) -> None:
    folder = tmp_path / "store"
    good = prepare(folder, release)
    good.release()
    marker = (folder / MARKER).read_bytes()
    with pytest.raises(BadInputError, match="not valid N-Triples"):
        prepare(folder, release.read_bytes() + b"<urn:x:a> <urn:x:b> .\n")
    assert (folder / MARKER).read_bytes() == marker
    assert stores_in(folder) == [good.path.name], "no half-loaded folder stays behind"
    after = prepare(folder, release)
    after.release()
    assert after.reused and count(after.path) == good.triples


def test_a_release_swapped_between_hash_and_load_is_not_what_the_marker_names(tmp_path: Path, release: Path) -> None:
    """`smakg build` replaces dist/ whole; a build finishing after the store hashed the file and before it loaded
    it must not leave a store whose marker names other triples than it holds."""
    nt = tmp_path / "smakg.nt"
    nt.write_bytes(release.read_bytes())
    new = changed(release, tmp_path)
    lines = len(release.read_text(encoding="utf-8").splitlines())
    folder = tmp_path / "store"
    swapped = prepare(folder, nt, progress=lambda _: new.replace(nt))  # said between the hash and the load
    swapped.release()
    marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    assert count(swapped.path) == swapped.triples == lines, "the file opened and hashed is the one loaded"
    assert marker["sha256"] == swapped.sha256 == sha256_of(release)
    after = prepare(folder, nt)  # now the changed release: loaded, not taken for the old one
    after.release()
    assert not after.reused and after.triples == count(after.path) == lines - 1


def test_a_release_rewritten_in_place_during_the_load_is_recorded_as_loaded(tmp_path: Path, release: Path) -> None:
    nt = tmp_path / "smakg.nt"
    data = release.read_bytes()
    nt.write_bytes(data)
    first = data.splitlines(keepends=True)[0]
    other = first.replace(b"<http://", b"<urn:xx:", 1)  # the same length, another subject
    assert len(other) == len(first) and other != first

    def rewrite(_: str) -> None:
        with nt.open("r+b") as f:  # the same file (inode), other bytes
            f.write(other)

    folder = tmp_path / "store"
    loaded = prepare(folder, nt, progress=rewrite)
    loaded.release()
    marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    assert marker["sha256"] == loaded.sha256 == sha256_of(nt), "the marker names the bytes the loader read"
    assert loaded.sha256 != sha256_of(release)
    assert prepare(folder, release).reused is False


def test_one_server_per_store(tmp_path: Path, release: Path) -> None:
    held = prepare(tmp_path / "store", release)
    try:
        with pytest.raises(BadInputError, match="another smakg serve uses this store"):
            prepare(tmp_path / "store", release)
    finally:
        held.release()
    prepare(tmp_path / "store", release).release()


def test_an_unusable_folder_is_bad_input(tmp_path: Path, release: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(BadInputError, match="cannot use this folder"):
        prepare(tmp_path / "file" / "store", release)


def health(url: str) -> dict:
    status, _, body = http(url + "/health")
    assert status == 200
    return json.loads(body)


def test_serve_store_answers_every_question_and_reuses_the_store(tmp_path: Path, release: Path) -> None:
    folder = tmp_path / "store"
    server = start(tmp_path, "--store", str(folder), "--data", str(release), "--workers", "2")
    try:
        state = health(server.url)
        assert state["live_workers"] == 2 and "(loaded;" in state["data"]
        assert state["triples"] == len(release.read_text(encoding="utf-8").splitlines())
        agree, differ = disagreements(server.endpoint, Engine(release.read_bytes()))
        assert not differ, "\n".join(differ)
        assert agree >= 32
    finally:
        stop(server)
    again = start(tmp_path, "--store", str(folder), "--data", str(release))
    try:
        assert "(reused;" in health(again.url)["data"]
    finally:
        stop(again)
    other = start(tmp_path, "--store", str(folder), "--data", str(changed(release, tmp_path)))
    try:
        state = health(other.url)
        assert "(loaded;" in state["data"] and state["triples"] == len(release.read_text().splitlines()) - 1
    finally:
        stop(other)


def test_serve_store_needs_the_oxigraph_engine(tmp_path: Path) -> None:
    from stores import smakg

    done = smakg("serve", "--store", str(tmp_path / "s"), "--engine", "rdflib", "--project", str(ROOT))
    assert done.returncode == 2 and "--store is read by the oxigraph engine" in done.stderr
