"""Measure publishing the real release into a real Oxigraph server on loopback (figures, not a test): the time of
`smakg publish` (streamed Graph Store Protocol PUT, count, COPY, count) against the naive alternative (one SPARQL
Update INSERT DATA holding every triple), the bulk-load time of the dump into a fresh store (the Oxigraph CLI's
`oxigraph load`, and pyoxigraph's bulk loader, which `smakg serve --store` uses), and how many competency questions
the store answers as `smakg query` does.

    python scripts/bench_publish.py --runs 5
"""

from __future__ import annotations

import argparse
import json
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _median(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(binary: str, location: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    process = subprocess.Popen([binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return process, f"http://127.0.0.1:{port}"
        time.sleep(0.05)
    process.kill()
    raise SystemExit(f"the Oxigraph server did not start on port {port}")


def _post(url: str, form: dict[str, str], accept: str = "application/sparql-results+json") -> bytes:
    data = urllib.parse.urlencode(form).encode("utf-8")
    request = urllib.request.Request(url, data=data, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=600) as reply:
        return bytes(reply.read())


def _table(found: dict) -> tuple[list[str], list[tuple[str, ...]]]:
    if "boolean" in found:
        return ["boolean"], [("true" if found["boolean"] else "false",)]
    names = found["head"]["vars"]
    return names, [tuple(b[n]["value"] if n in b else "" for n in names) for b in found["results"]["bindings"]]


def agreement(query_url: str, graph: str, ntriples: bytes) -> tuple[int, int]:
    """(agreeing, asked): every competency question at the store (the current graph as the default graph) against
    the library's answer over the same N-Triples, rows sorted unless the question orders them."""
    from smakg.sparql.query import Engine, screen

    engine = Engine(ntriples)
    queries = sorted((ROOT / "queries").glob("*.rq"))
    agree = 0
    for rq in queries:
        text = rq.read_text(encoding="utf-8")
        result = engine.run(screen(text, source=rq.name))
        if result.boolean is not None:
            want = (["boolean"], [("true" if result.boolean else "false",)])
        else:
            names = result.variables
            want = (names, [tuple(row[n].value if n in row else "" for n in names) for row in result.rows or []])
        got = _table(json.loads(_post(query_url, {"query": text, "default-graph-uri": graph})))
        ordered = "compared as a list" in text
        if got[0] == want[0] and (got[1] == want[1] if ordered else sorted(got[1]) == sorted(want[1])):
            agree += 1
    return agree, len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each timing (the median is printed)")
    parser.add_argument("--dist", type=Path, help="a built release (default: build the project into a temporary "
                                                  "folder)")
    parser.add_argument("--oxigraph", help="the oxigraph executable (default: beside this Python, else on PATH)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    import pyoxigraph as ox

    from smakg.kb.vocab import CURRENT_GRAPH
    from smakg.web.publish import Target, publish, read_release

    beside = Path(sys.executable).parent / "oxigraph"
    binary = args.oxigraph or (str(beside) if beside.is_file() else shutil.which("oxigraph"))
    if binary is None:
        raise SystemExit("no oxigraph executable: pip install oxigraph (pyproject's test extras pin it)")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        dist = args.dist
        if dist is None:
            dist = tmp / "dist"
            subprocess.run([sys.executable, "-m", "smakg", "build", "--project", str(ROOT), "--out", str(dist)],
                           check=True, capture_output=True, cwd=ROOT, env={"PYTHONPATH": str(ROOT / "src"),
                                                                           "PATH": "/usr/bin:/bin"})
        release = read_release(dist)
        nt = release.path.read_bytes()
        process, url = _start(binary, tmp / "server")
        try:
            target = Target.of(url, environ={})
            first = publish(release, target)
            again = _median(lambda: publish(release, target), args.runs)
            insert = "INSERT DATA { GRAPH <urn:smakg:bench> {\n" + nt.decode("utf-8") + "} }"

            def naive_insert() -> None:
                _post(url + "/update", {"update": "DROP SILENT GRAPH <urn:smakg:bench>"})
                _post(url + "/update", {"update": insert})

            naive = _median(naive_insert, args.runs)
            agree, asked = agreement(url + "/query", CURRENT_GRAPH, nt)
        finally:
            process.terminate()
            process.wait(10)
        counter = iter(range(10**6))

        def cli_load() -> None:
            location = tmp / f"cli-{next(counter)}"
            subprocess.run([binary, "load", "--location", str(location), "--file", str(release.path)], check=True,
                           capture_output=True)

        def bulk_load() -> None:
            store = ox.Store(str(tmp / f"py-{next(counter)}"))
            store.bulk_load(path=str(release.path), format=ox.RdfFormat.N_TRIPLES)
            store.flush()

        cli = _median(cli_load, args.runs)
        py = _median(bulk_load, args.runs)
    print(f"release {release.version}: {release.triples} triples, {release.size} bytes; median of {args.runs} runs")
    print(f"  smakg publish, first (PUT + count + COPY + count): {first.seconds:.3f} s "
          f"(upload {first.upload_seconds:.3f} s)")
    print(f"  smakg publish, again (the same release): {again:.3f} s")
    print(f"  naive: one SPARQL Update INSERT DATA of every triple: {naive:.3f} s "
          f"(publish/naive = {again / naive:.2f}, publish also checks counts and switches the current graph)")
    print(f"  load into a fresh store: oxigraph load (CLI) {cli:.3f} s; pyoxigraph bulk_load (serve --store) "
          f"{py:.3f} s")
    print(f"  competency questions answered by the store as by smakg query: {agree}/{asked}")


if __name__ == "__main__":
    main()
