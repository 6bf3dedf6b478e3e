"""Measure the JSON-LD exports on the real knowledge base: time of each step and size of each file (figures,
not a test).

    python scripts/bench_jsonld.py --runs 5
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _median(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from pyld import jsonld

    from smakg.export.jsonld_framed import read_frame, to_conditions
    from smakg.export.registry import render_exports
    from smakg.kb.build import build_graph
    from smakg.kb.jsonld import offline_loader
    from smakg.kb.jsonld_flat import expanded, read_context, to_flat
    from smakg.project import Project

    project = Project(ROOT)
    graph = build_graph(project).graph
    context = read_context(project.context)
    frame = read_frame(project.conditions_frame)
    steps = {
        "expanded form (pyld fromRdf)": lambda: expanded(graph),
        "flat smakg.jsonld (compact)": lambda: to_flat(graph, context),
        "framed smakg.conditions.jsonld (frame + coverage)": lambda: to_conditions(graph, context, frame),
        "all exports incl. schema check": lambda: render_exports(graph, project),
    }
    print(f"graph: {len(graph)} triples; median of {args.runs} runs")
    for name, fn in steps.items():
        print(f"  {name}: {_median(fn, args.runs):.3f} s")
    out = render_exports(graph, project)
    for name in ("smakg.jsonld", "smakg.conditions.jsonld", "context.jsonld", "condition.schema.json"):
        data = out[name].encode()
        doc = json.loads(data)
        nodes = len(doc.get("@graph", []))
        print(f"  {name}: {len(data):,} bytes ({len(gzip.compress(data, 9)):,} gzipped)"
              + (f", {nodes} top-level nodes" if nodes else ""))
    doc = json.loads(out["smakg.conditions.jsonld"])
    sizes = {d["id"]: len(json.dumps(d)) for d in doc["@graph"] if "Condition" in d.get("type", [])}
    print(f"  condition documents: {len(sizes)}, {min(sizes.values()):,} to {max(sizes.values()):,} bytes each "
          f"(compact JSON; largest {max(sizes, key=sizes.get)})")
    start = time.perf_counter()
    jsonld.to_rdf(doc, {"format": "application/n-quads", "documentLoader": offline_loader})
    print(f"  pyld toRdf of the framed file: {time.perf_counter() - start:.3f} s")


if __name__ == "__main__":
    main()
