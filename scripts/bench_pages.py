"""Measure how long the pages take to render on the real knowledge base (figures, not a test): the median time of
each page kind, with the graph held by pyoxigraph (what smakg serve uses) and by rdflib (the naive alternative),
the diagram rendering (Graphviz) apart, and the time to write the whole static site. The goal: an entity page in
under 50 ms.

    python scripts/bench_pages.py --runs 5
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL_MS = 50.0
KINDS = [("condition (SMARD1)", "id/condition/smard1.html"), ("condition (SMA group)",
                                                              "id/condition/spinal-muscular-atrophy.html"),
         ("gene", "id/gene/IGHMBP2.html"), ("locus", "id/locus/hsa-11q13.3.html"),
         ("phenotype (HPO)", "term/HP_0002098.html"), ("phenotype (own)", "id/phenotype/fatty-finger-pads.html"),
         ("source", "id/source/smauk-smard1.html"), ("statement", None), ("vocabulary", "vocab.html"),
         ("landing", "index.html"), ("search index", "search.json"), ("diagram SVG (dot)", "id/condition/smard1.svg")]


def _median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="renders of each page (the median is printed)")
    parser.add_argument("--no-site", action="store_true", help="skip writing the whole static site")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from smakg.kb.build import build_graph
    from smakg.kb.turtle import to_ntriples
    from smakg.project import Project
    from smakg.sparql.query import Engine
    from smakg.web.diagram import dot_available
    from smakg.web.site import Site, site_inputs, write_site

    project = Project(ROOT)
    data = to_ntriples(build_graph(project).graph).encode("utf-8")
    inputs = site_inputs(project)
    sites = {name: Site(Engine(data, name), inputs) for name in ("oxigraph", "rdflib")}
    statement = next(p for p in sites["oxigraph"].paths_list() if p.startswith("id/statement/"))
    print(f"page render time, median of {args.runs} (ms); graph of {len(sites['oxigraph'].engine)} triples")
    print(f"{'page kind':24} {'oxigraph':>9} {'rdflib':>9} {'rdflib/ox':>9}  path")
    worst = 0.0
    for kind, path in KINDS:
        path = path or statement
        if path.endswith(".svg") and not dot_available():
            print(f"{kind:24} {'(no dot)':>9}")
            continue
        times = {}
        for name, site in sites.items():
            assert site.render(path) is not None, path
            times[name] = _median_ms(lambda site=site, path=path: site.render(path), args.runs)
        if path.startswith(("id/", "term/")) and path.endswith(".html"):
            worst = max(worst, times["oxigraph"])
        print(f"{kind:24} {times['oxigraph']:9.1f} {times['rdflib']:9.1f} "
              f"{times['rdflib'] / times['oxigraph']:9.2f}  {path}")
    print(f"slowest entity page: {worst:.1f} ms (goal < {GOAL_MS:.0f} ms: {'met' if worst < GOAL_MS else 'NOT met'})")
    if not args.no_site:
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            count = write_site(sites["oxigraph"], Path(tmp) / "site")
            seconds = time.perf_counter() - start
        print(f"whole static site: {count} files in {seconds:.2f} s ({seconds / count * 1000:.1f} ms per file)")


if __name__ == "__main__":
    main()
