"""Validate the real knowledge base with the SHACL engines (pyshacl, rudof, smakg's set-based engine) and print their
times and whether they agree with pyshacl; with --fixtures, also every fixture of tests/test_shapes.py (figures, not
a test: the test is tests/test_engines.py).

    python scripts/compare_engines.py --runs 5 [--fixtures]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed validations of the real knowledge base")
    parser.add_argument("--fixtures", action="store_true", help="also compare on every test_shapes fixture")
    args = parser.parse_args()
    sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]
    from smakg.errors import SmakgError
    from smakg.kb.build import build_graph
    from smakg.project import Project
    from smakg.qa.engines import STANDARD_SETTINGS, Pyshacl, Rudof, SetBased, compare, findings_differ
    from smakg.validation.shacl import load_shapes

    shapes = load_shapes(ROOT / "shapes").graph
    graph = build_graph(Project(ROOT)).graph
    try:
        engines = (Pyshacl(shapes, STANDARD_SETTINGS), Rudof(shapes), SetBased(shapes, STANDARD_SETTINGS))
    except SmakgError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    print(f"real knowledge base: {len(graph)} triples, {len(shapes)} shape triples")
    runs = {e.name: [e.validate(graph) for _ in range(args.runs + 1)] for e in engines}
    for name, each in runs.items():
        warm = [r.seconds for r in each[1:]]
        print(f"  {name:8} first {each[0].seconds:.3f} s, then median {statistics.median(warm):.3f} s "
              f"(min {min(warm):.3f}) over {len(warm)} runs; conforms {each[0].conforms}, "
              f"{len(each[0].results)} results")
    difference = compare(runs["pyshacl"][0], runs["rudof"][0])
    print("  pyshacl and rudof: identical results" if not difference else difference.describe("pyshacl", "rudof"))
    set_difference = compare(runs["pyshacl"][0], runs["set"][0])
    set_findings = findings_differ(runs["pyshacl"][0], runs["set"][0])
    print("  pyshacl and set: identical results and findings" if not set_difference and not set_findings else
          "\n".join(t for t in (set_difference.describe("pyshacl", "set") if set_difference else "", set_findings)
                    if t))
    real_differs = bool(difference or set_difference or set_findings)
    if not args.fixtures:
        return 1 if real_differs else 0

    from test_shapes import CASES, PASSING, copy_project

    fixtures: dict[str, object] = {}
    for name, mutation in [*PASSING, *((c.id, c.mutation) for c in CASES)]:
        if mutation not in fixtures.values():
            fixtures[name] = mutation
    same, differ, seconds = 0, [], {e.name: 0.0 for e in engines}
    set_differ: list[str] = []
    for name, mutation in fixtures.items():
        with tempfile.TemporaryDirectory() as tmp:
            root = copy_project(Path(tmp))
            mutation.apply(root)  # type: ignore[attr-defined]
            fixture_graph = build_graph(Project(root)).graph
        first, second, third = (e.validate(fixture_graph) for e in engines)
        for run in (first, second, third):
            seconds[run.engine] += run.seconds
        found = compare(first, second)
        if found:
            differ.append((name, found))
        else:
            same += 1
        if compare(first, third) or findings_differ(first, third):
            set_differ.append(name)
    print(f"fixtures: pyshacl and rudof identical on {same} of {len(fixtures)}; pyshacl and set identical on "
          f"{len(fixtures) - len(set_differ)} (pyshacl {seconds['pyshacl']:.1f} s, rudof {seconds['rudof']:.1f} s, "
          f"set {seconds['set']:.1f} s in all)")
    for name, found in differ:
        print(f"  {name}:\n    " + found.describe("pyshacl", "rudof").replace("\n", "\n    "))
    for name in set_differ:
        print(f"  {name}: pyshacl and set differ")
    return 1 if real_differs or set_differ else 0


if __name__ == "__main__":
    sys.exit(main())
