"""Record (or check) the SHA-256 of every file of the release the real knowledge base builds into, in
tests/data/release.sha256. tests/test_release_bytes.py compares a fresh build with it, so a change of code that
changes a single byte of the release fails until the change is meant and recorded here.

    python scripts/release_checksums.py          # rewrite tests/data/release.sha256 after an intended change
    python scripts/release_checksums.py --check  # exit 1 when the build differs from the record
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RECORD = ROOT / "tests" / "data" / "release.sha256"


def checksums(outputs: dict[str, str]) -> str:
    """``sha256sum``'s format, one line per file, sorted by name."""
    return "".join(f"{hashlib.sha256(text.encode('utf-8')).hexdigest()}  {name}\n"
                   for name, text in sorted(outputs.items()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from smakg.export.registry import render_exports
    from smakg.kb.build import build_graph
    from smakg.project import Project

    project = Project(ROOT)
    text = checksums(render_exports(build_graph(project).graph, project))
    if args.check:
        same = RECORD.is_file() and RECORD.read_text(encoding="utf-8") == text
        print(f"{RECORD.relative_to(ROOT)}: {'the release is byte-identical' if same else 'the release differs'}")
        return 0 if same else 1
    RECORD.write_text(text, encoding="utf-8")
    print(f"{RECORD.relative_to(ROOT)}: recorded {text.count(chr(10))} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
