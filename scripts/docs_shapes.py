"""Regenerate the table of shapes in docs/shapes.md (the block between the ``smakg shapes`` markers) from shapes/.

    python scripts/docs_shapes.py          # rewrite the block
    python scripts/docs_shapes.py --check  # exit 1 if the block is out of date

tests/test_catalog.py fails when the block differs from what ``smakg shapes --format markdown`` prints.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from smakg.validation.catalog import render

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "shapes.md"
NAME = PAGE.relative_to(ROOT).as_posix()
BEGIN, END = "<!-- smakg shapes --format markdown: begin -->", "<!-- smakg shapes --format markdown: end -->"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    text = PAGE.read_text(encoding="utf-8")
    if text.count(BEGIN) != 1 or text.count(END) != 1:
        print(f"{PAGE}: needs exactly one {BEGIN} and one {END}", file=sys.stderr)
        return 2
    head, rest = text.split(BEGIN, 1)
    _old, tail = rest.split(END, 1)
    new = head + BEGIN + "\n\n" + render(ROOT / "shapes", "markdown") + "\n" + END + tail
    if new == text:
        print(f"{NAME}: the table of shapes is current")
        return 0
    if args.check:
        print(f"{NAME}: the table of shapes is out of date; run python scripts/docs_shapes.py", file=sys.stderr)
        return 1
    PAGE.write_text(new, encoding="utf-8")
    print(f"{NAME}: table of shapes regenerated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
