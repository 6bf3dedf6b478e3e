"""Helpers for the tests against real SPARQL stores (test_publish.py, test_store.py): an Oxigraph server started on
loopback from the PyPI package ``oxigraph`` (pinned in pyproject's test extras), releases built into temporary
folders, and every competency question asked over HTTP with SPARQLWrapper and compared with ``smakg query``'s
answer over the same release."""

from __future__ import annotations

import csv
import io
import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ROOT
from SPARQLWrapper import JSON, POST, SPARQLWrapper

from smakg import __version__
from smakg.sparql.query import Engine, screen
from smakg.sparql.results import render_table

QUERIES = sorted((ROOT / "queries").glob("*.rq"))
RDFS_COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"
CHANGED = "Changed release "
CHANGED_VERSION = "9.9.9-test"  # the version of the changed release the tests publish after the real one
GRAPHS = "https://w3id.org/smakg/graph/"  # the namespace of smakg's graphs in a store
RELEASES = GRAPHS + "release/"  # each release's own graph: RELEASES + version
CURRENT = GRAPHS + "current"  # the graph readers query


def oxigraph_binary() -> str:
    """The ``oxigraph`` server executable beside this Python (the test extras install it), else on PATH; absent:
    skip, or fail under CI."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    if found is None:
        message = "the Oxigraph server is not installed (pip install '.[test]' installs the pinned `oxigraph`)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server exited ({process.returncode}): {log.read_text()[-800:]}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    process.kill()
    raise AssertionError(f"the server did not listen on {port} within {timeout} s: {log.read_text()[-800:]}")


class Server:
    """What the tests ask of any SPARQL store they started: its answers over HTTP (SPARQLWrapper), its named graphs
    with their counts, and which release is current."""

    query_path = "/query"

    @property
    def url(self) -> str:
        raise NotImplementedError

    @property
    def query_url(self) -> str:
        return self.url + self.query_path

    def select(self, query: str, *, default_graph: str | None = None) -> dict:
        client = SPARQLWrapper(self.query_url)
        client.setMethod(POST)
        client.setReturnFormat(JSON)
        if default_graph is not None:
            client.addDefaultGraph(default_graph)
        client.setQuery(query)
        return client.query().convert()

    def graphs(self) -> dict[str, int]:
        """Every named graph of smakg's (the release graphs and the current one) and its triple count; a store's
        own system graphs (Virtuoso has several) are left out."""
        found = self.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                            f"FILTER(STRSTARTS(STR(?g), \"{GRAPHS}\")) }} GROUP BY ?g")
        return {b["g"]["value"]: int(b["n"]["value"]) for b in found["results"]["bindings"]}

    def current_version(self) -> str | None:
        """The version of the release in the current graph: a changed release's (``build_release``), else the
        project's; None when the current graph is empty."""
        found = self.select(f"SELECT ?c WHERE {{ GRAPH <{CURRENT}> {{ ?s <{RDFS_COMMENT}> ?c "
                            f"FILTER(STRSTARTS(?c, \"{CHANGED}\")) }} }}")
        values = {b["c"]["value"].removeprefix(CHANGED).split(". ")[0] for b in found["results"]["bindings"]}
        assert len(values) <= 1, values
        if values:
            return values.pop()
        return __version__ if self.graphs().get(CURRENT) else None


@dataclass
class Oxigraph(Server):
    """An Oxigraph server on loopback over one store folder."""

    location: Path
    read_only: bool = False
    port: int = 0
    process: subprocess.Popen | None = None

    def start(self) -> Oxigraph:
        self.port = free_port()
        log = self.location.parent / f"{self.location.name}-{self.port}.log"
        command = [oxigraph_binary(), "serve-read-only" if self.read_only else "serve", "--location",
                   str(self.location), "--bind", f"127.0.0.1:{self.port}"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log.open("w"))
        wait_for_port(self.port, self.process, log)
        return self

    def stop(self) -> None:
        stop(self.process)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def stop(process: subprocess.Popen | None) -> None:
    """Stop a server the tests started (SIGTERM, then SIGKILL after 30 s)."""
    if process is not None and process.poll() is None:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


VIRTUOSO_INSTALL = "apt-get install -y --no-install-recommends virtuoso-opensource-7-bin"
VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
Striping = 0
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CheckpointInterval = 0
DirsAllowed = {dir}, {allowed}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 2
CaseMode = 2
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 4
MaxClientConnections = 4
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
"""


def virtuoso_binaries() -> tuple[str, str]:
    """Debian's Virtuoso server and its SQL client (``virtuoso-t``, ``isql-vt``); absent: skip, or fail under CI."""
    server, client = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if server is None or client is None:
        message = f"Virtuoso is not installed ({VIRTUOSO_INSTALL}; .ci/run installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return server, client


@dataclass
class Virtuoso(Server):
    """A Virtuoso server on loopback with its own database in ``folder`` (created by the first start: the
    administrator is ``dba`` with password ``dba``, and the anonymous SPARQL endpoint ``/sparql`` runs as the SQL
    user ``SPARQL``, which may read but not update until granted); files under ``allowed`` may be bulk loaded."""

    folder: Path
    allowed: Path
    http_port: int = 0
    sql_port: int = 0
    process: subprocess.Popen | None = None
    query_path = "/sparql"

    def start(self) -> Virtuoso:
        server, _ = virtuoso_binaries()
        self.folder.mkdir(parents=True, exist_ok=True)
        self.http_port, self.sql_port = free_port(), free_port()
        ini = self.folder / "virtuoso.ini"
        ini.write_text(VIRTUOSO_INI.format(dir=self.folder, allowed=self.allowed, sql_port=self.sql_port,
                                           http_port=self.http_port), encoding="utf-8")
        log = self.folder / "console.log"
        self.process = subprocess.Popen([server, "+foreground", "+configfile", str(ini)], cwd=self.folder,
                                        stdout=log.open("w"), stderr=subprocess.STDOUT)
        wait_for_port(self.sql_port, self.process, log)
        wait_for_port(self.http_port, self.process, log)
        return self

    def stop(self) -> None:
        stop(self.process)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    def sql(self, statements: str) -> str:
        """Run SQL as ``dba`` with Virtuoso's own client; any error fails the test."""
        _, client = virtuoso_binaries()
        done = subprocess.run([client, f"127.0.0.1:{self.sql_port}", "dba", "dba", "VERBOSE=OFF",
                               f"EXEC={statements}"], capture_output=True, text=True, timeout=120)
        out = done.stdout + done.stderr
        assert done.returncode == 0 and "Error" not in out, f"{statements}\n{out}"
        return out


def smakg(*args: str, env: dict[str, str] | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run the smakg command line (as a user would) in a subprocess; no traceback may ever reach the user."""
    done = subprocess.run([sys.executable, "-m", "smakg", *args], capture_output=True, text=True, timeout=timeout,
                          cwd=ROOT, env=env)
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
    return done


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path}: {old!r} is gone: update tests/stores.py"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def build_release(out: Path, *, version: str | None = None, work: Path | None = None) -> Path:
    """Build the real knowledge base into ``out``; with ``version``, from a copy of the project whose ontology
    header names that version instead, and whose first curator's note starts with ``CHANGED`` and the version (a
    changed release: the same number of triples, one literal different)."""
    project = ROOT
    if version is not None:
        assert work is not None
        project = work
        for part in ("ontology", "shapes"):
            shutil.copytree(ROOT / part, work / part)
        edit(work / "ontology" / "smakg.ttl", f'owl:versionInfo "{__version__}"', f'owl:versionInfo "{version}"')
        edit(work / "ontology" / "kb" / "claims" / "mondo-2026-08-04.ttl", 'rdfs:comment "Curator\'s link',
             f'rdfs:comment "{CHANGED}{version}. Curator\'s link')
    done = smakg("build", "--project", str(project), "--out", str(out))
    assert done.returncode == 0, done.stdout[-1500:] + done.stderr[-1500:]
    return out


Table = tuple[list[str], list[tuple[str, ...]]]


def has_order(rq: Path) -> bool:
    """Whether a competency question orders its rows (its header says how its answer is compared)."""
    header = next(line for line in rq.read_text(encoding="utf-8").splitlines() if line.startswith("# Expected:"))
    return "compared as a list" in header


def smakg_answer(engine: Engine, rq: Path) -> Table:
    """The answer of ``smakg query RQ --format csv`` over the engine's graph, as header and rows."""
    result = engine.run(screen(rq.read_text(encoding="utf-8"), source=rq.name))
    if result.boolean is not None:
        return ["boolean"], [("true" if result.boolean else "false",)]
    reader = csv.reader(io.StringIO(render_table(result, "csv"), newline=""))
    names = next(reader)
    return names, [tuple(row) for row in reader]


def http_answer(client: SPARQLWrapper, rq: Path) -> Table:
    """The answer of a SPARQL endpoint over HTTP (SPARQL JSON results), in the same shape: IRIs in full, literals
    by their lexical form, an unbound variable as an empty cell; an ASK as the one cell ``boolean``."""
    client.setQuery(rq.read_text(encoding="utf-8"))
    found = client.query().convert()
    assert isinstance(found, dict)
    if "boolean" in found:
        return ["boolean"], [("true" if found["boolean"] else "false",)]
    names = found["head"]["vars"]
    return names, [tuple(b[n]["value"] if n in b else "" for n in names) for b in found["results"]["bindings"]]


def disagreements(endpoint: str, engine: Engine, *, default_graph: str | None = None) -> tuple[int, list[str]]:
    """Ask every competency question at ``endpoint``; how many agree with ``smakg query``, and what differs
    (rows compared in order where the question orders them, as multisets otherwise)."""
    client = SPARQLWrapper(endpoint)
    client.setMethod(POST)
    client.setReturnFormat(JSON)
    if default_graph is not None:
        client.addDefaultGraph(default_graph)
    differ = []
    for rq in QUERIES:
        want_names, want = smakg_answer(engine, rq)
        names, got = http_answer(client, rq)
        if not has_order(rq):
            want, got = sorted(want), sorted(got)
        if names != want_names or got != want:
            differ.append(f"{rq.name}: {names} {got[:3]}... != {want_names} {want[:3]}...")
    return len(QUERIES) - len(differ), differ
