"""Mutation testing of the validation: make each kind of curator's mistake in the real knowledge base, one at a
time, run the full validation (as `smakg build --strict` does) and report what caught it. Exit 1 on any miss.

    python scripts/mutation_test.py --sources-dir ../shared/seeds
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=ROOT, help="project root (default: this repository)")
    parser.add_argument("--sources-dir", type=Path, default=ROOT.parent / "shared" / "seeds")
    parser.add_argument("--table", type=Path, default=ROOT / "ontology" / "identifiers.tsv")
    parser.add_argument("--per-kind", type=int, default=3, help="targets per kind of mistake (default 3)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes")
    parser.add_argument("--kind", action="append", default=[], help="run only this kind (repeatable)")
    parser.add_argument("--list", action="store_true", help="list the kinds of mistake and exit")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT / "src"))
    from smakg.errors import SmakgError
    from smakg.qa.mistakes import KINDS
    from smakg.qa.mutate import run_project

    if args.list:
        for kind in KINDS:
            print(f"{kind.name}: {kind.mistake} -> {' | '.join(map(str, kind.expect))}")
        return 0
    try:
        report = run_project(args.project, sources_dir=args.sources_dir, table=args.table,
                             per_kind=args.per_kind, jobs=args.jobs, only=args.kind)
    except SmakgError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    print(report.text())
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
