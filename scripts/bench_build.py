"""Measure the wall time of the main job's steps on the real knowledge base (figures, not a test).

    python scripts/bench_build.py --runs 5
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    smakg = Path(sys.executable).with_name("smakg")
    times = []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as out:
            start = time.perf_counter()
            subprocess.run([str(smakg), "build", "--project", str(ROOT), "--out", out], check=True,
                           capture_output=True)
            times.append(time.perf_counter() - start)
    print(f"smakg build (fresh process, load+expand+validate+export): median {statistics.median(times):.2f} s, "
          f"min {min(times):.2f} s, max {max(times):.2f} s over {args.runs} runs")

    sys.path.insert(0, str(ROOT / "src"))
    from smakg.export.registry import render_exports
    from smakg.kb.build import build_graph
    from smakg.project import Project
    from smakg.validation.run import validate_built

    project = Project(ROOT)
    t0 = time.perf_counter()
    built = build_graph(project)
    t1 = time.perf_counter()
    outcome = validate_built(built, project)
    t2 = time.perf_counter()
    render_exports(built.graph, project)
    t3 = time.perf_counter()
    print(f"in-process steps: load+expand {t1 - t0:.2f} s, validate {t2 - t1:.2f} s "
          f"({outcome.violations} violations), export {t3 - t2:.2f} s; graph {len(built.graph)} triples")


if __name__ == "__main__":
    main()
