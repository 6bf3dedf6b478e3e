"""Query latency and endpoint throughput on the real graph (figures, not a test).

    python scripts/bench_queries.py --runs 20 --requests 400

1. Each competency question (queries/*.rq) in-process with each engine, as `smakg query` runs it (screen, run,
   render as SPARQL JSON): median and max per question over ``--runs`` runs, after one warm-up run.
2. `smakg serve` started on a free port for each engine; 20 client threads send ``--requests`` simple queries
   (the causal-gene question) between them: requests per second and latency percentiles, all answers checked.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from smakg.kb.build import build_graph  # noqa: E402
from smakg.kb.turtle import to_ntriples  # noqa: E402
from smakg.project import Project  # noqa: E402
from smakg.sparql.query import ENGINES, Engine, screen  # noqa: E402
from smakg.sparql.results import render_table  # noqa: E402


def latency(runs: int) -> None:
    data = to_ntriples(build_graph(Project(ROOT)).graph).encode("utf-8")
    questions = sorted((ROOT / "queries").glob("*.rq"))
    texts = {rq.stem: rq.read_text(encoding="utf-8") for rq in questions}
    table: dict[str, dict[str, list[float]]] = {}
    for name in ENGINES:
        engine = Engine(data, name)
        for stem, text in texts.items():
            times = []
            for i in range(runs + 1):
                start = time.perf_counter()
                result = engine.run(screen(text, source=stem))
                render_table(result, "json")
                if i:  # the first run warms caches (rdflib's query parse cache, imports)
                    times.append((time.perf_counter() - start) * 1000)
            table.setdefault(stem, {})[name] = times
    print(f"per-question latency, ms (screen + run + render JSON; median / max of {runs} runs, in-process)")
    print(f"{'question':34} " + " ".join(f"{e:>18}" for e in ENGINES))
    for stem, by_engine in table.items():
        cells = [f"{statistics.median(t):8.2f} / {max(t):7.2f}" for t in (by_engine[e] for e in ENGINES)]
        print(f"{stem:34} " + " ".join(f"{c:>18}" for c in cells))
    for name in ENGINES:
        medians = [statistics.median(by[name]) for by in table.values()]
        over = sum(m >= 10 for m in medians)
        print(f"{name}: median of medians {statistics.median(medians):.2f} ms, worst median {max(medians):.2f} ms, "
              f"{over}/{len(medians)} questions at or over 10 ms")


def throughput(engine: str, requests: int, clients: int) -> None:
    process = subprocess.Popen([sys.executable, "-m", "smakg", "serve", "--port", "0", "--engine", engine,
                                "--project", str(ROOT)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               text=True, cwd=ROOT)
    try:
        url = None
        while url is None:
            line = process.stdout.readline()
            if not line:
                raise SystemExit("the server did not start")
            found = re.search(r"SPARQL endpoint (\S+/sparql)", line)
            url = found.group(1) if found else None
        query = (ROOT / "queries" / "01-causal-genes.rq").read_text(encoding="utf-8")
        target = url + "?" + urllib.parse.urlencode({"query": query})
        expected = urllib.request.urlopen(urllib.request.Request(target, headers={"Accept": "text/csv"})).read()
        barrier = threading.Barrier(clients)
        per_client = requests // clients

        def client(_: int) -> list[float]:
            times = []
            barrier.wait()
            for _ in range(per_client):
                start = time.perf_counter()
                request = urllib.request.Request(target, headers={"Accept": "text/csv"})
                with urllib.request.urlopen(request, timeout=30) as response:
                    body = response.read()
                times.append((time.perf_counter() - start) * 1000)
                assert response.status == 200 and body == expected, "a wrong answer under load"
            return times

        start = time.perf_counter()
        with ThreadPoolExecutor(clients) as pool:
            times = sorted(t for ts in pool.map(client, range(clients)) for t in ts)
        wall = time.perf_counter() - start
        pct = {p: times[min(len(times) - 1, int(len(times) * p / 100))] for p in (50, 90, 99)}
        print(f"serve --engine {engine}: {len(times)} requests from {clients} concurrent clients in {wall:.2f} s = "
              f"{len(times) / wall:.0f} requests/s; latency p50 {pct[50]:.1f} ms, p90 {pct[90]:.1f} ms, "
              f"p99 {pct[99]:.1f} ms, max {times[-1]:.1f} ms; all answers identical")
    finally:
        process.terminate()
        process.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--skip-serve", action="store_true")
    args = parser.parse_args()
    latency(args.runs)
    if not args.skip_serve:
        for engine in ENGINES:
            throughput(engine, args.requests, args.clients)


if __name__ == "__main__":
    main()
