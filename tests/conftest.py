"""Test-wide guards: no test may open a network connection (an audit hook refuses any socket connect
to a non-local address), and every test can find the project root and the shared folder."""

from __future__ import annotations

import os
import socket
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
TABLE = ROOT / "ontology" / "identifiers.tsv"  # the project's verified identifier table
_LOCAL = ("127.", "::1", "localhost")


class NetworkAccessError(RuntimeError):
    """Raised when code under test tries to reach the network."""


def _audit(event: str, args: tuple) -> None:
    if event == "socket.connect":
        address = args[1]
        host = address[0] if isinstance(address, tuple) else str(address)
        if not str(host).startswith(_LOCAL):
            raise NetworkAccessError(f"network access attempted: {address!r}")
    elif event == "socket.getaddrinfo":
        host = args[0]
        if host is not None and not str(host).startswith(_LOCAL):
            raise NetworkAccessError(f"name lookup attempted: {host!r}")


sys.addaudithook(_audit)


# Under pytest-xdist (``--dist loadfile``, pyproject.toml) each file runs whole in one worker; files that share a
# costly session-scoped build run in the same worker, which then makes it once: the shape fixtures
# (tests/fixture_runs.py) and the two releases of the store tests. (xdist's ``loadgroup`` cannot do it: it renames
# items through ``item._nodeid``, which pytest 9.2 no longer reads.)
_SHARED_WORKER = {"test_shapes.py": "shape-fixtures", "test_engines.py": "shape-fixtures",
                  "test_publish.py": "store-releases", "test_publish_virtuoso.py": "store-releases"}


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """``--dist loadfile`` with the files of ``_SHARED_WORKER`` scheduled as one."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class SharedFileScheduling(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            file = super()._split_scope(nodeid)
            return _SHARED_WORKER.get(file.rsplit("/", 1)[-1], file)

    return SharedFileScheduling(config, log)


def build_jobs() -> int:
    """Processes for a file's parallel builds: ``SMAKG_TEST_JOBS``, default every core smakg would use."""
    from smakg.export.registry import default_jobs

    return max(1, int(os.environ.get("SMAKG_TEST_JOBS", default_jobs())))


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


NO_DOCUMENTS = (f"the source documents are not beside the clone ({SEEDS}): the team's copy, never part of the "
                "repository; quote checks against them run where they are (CI fails here instead of skipping)")


def need_documents() -> None:
    """Skip a test that checks quotes against the real source documents when they are absent, except under CI
    (``CI`` set), where their absence must fail the run, not hide the quote checks."""
    if not SEEDS.is_dir():
        if os.environ.get("CI"):
            pytest.fail(NO_DOCUMENTS)
        pytest.skip(NO_DOCUMENTS)


@pytest.fixture
def seeds() -> Path:
    """The source documents' folder, for tests that check quotes against them (see ``need_documents``)."""
    need_documents()
    return SEEDS



@pytest.fixture(scope="session")
def built():
    """The real knowledge base, built once per session (in-process, no network)."""
    from smakg.kb.build import build_graph
    from smakg.project import Project

    return build_graph(Project(ROOT))


@pytest.fixture(scope="session")
def store_releases(tmp_path_factory) -> dict[str, Path]:
    """The real release and a changed one, built once for the tests against real stores (test_publish.py,
    test_publish_virtuoso.py), keyed by version (tests/stores.py: build_release)."""
    from stores import CHANGED_VERSION, build_release

    from smakg import __version__

    tmp = tmp_path_factory.mktemp("releases")
    return {__version__: build_release(tmp / "a"),
            CHANGED_VERSION: build_release(tmp / "b", version=CHANGED_VERSION, work=tmp / "project-b")}


@pytest.fixture(scope="session")
def exports(built) -> dict[str, str]:
    from smakg.export.registry import render_exports
    from smakg.project import Project

    return render_exports(built.graph, Project(ROOT))


class Listener:
    """A TCP listener on loopback that records every connection made to it (and the first bytes sent): the proof
    that a query did or did not reach the network."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.05)
        self.port: int = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/sparql"
        self.hits: list[bytes] = []
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._done.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            conn.settimeout(0.5)
            try:
                self.hits.append(conn.recv(1000))
            except OSError:
                self.hits.append(b"")
            conn.close()

    def close(self) -> None:
        self._done.set()
        self._thread.join(2)
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    """A loopback listener recording connections (see ``Listener``)."""
    running = Listener()
    yield running
    running.close()
