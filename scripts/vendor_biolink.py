"""Regenerate src/smakg/data/biolink-model.json from the installed ``biolink-model`` package (the test extra).

    python scripts/vendor_biolink.py          # writes the file
    python scripts/vendor_biolink.py --check  # exit 1 if the file differs from what the package gives

Reads only the YAML the package ships: no network. To move to a new Biolink release, upgrade the pinned
``biolink-model`` in pyproject.toml, run this script, and review the diff of the JSON and of dist/.
"""

from __future__ import annotations

import argparse
import json
import sys
from importlib.resources import files
from pathlib import Path

import yaml

from smakg.export.biolink_model import dumps, from_schema

TARGET = Path(__file__).resolve().parents[1] / "src" / "smakg" / "data" / "biolink-model.json"


def generate() -> str:
    package = files("biolink_model")
    schema = yaml.safe_load(package.joinpath("schema").joinpath("biolink_model.yaml").read_text(encoding="utf-8"))
    prefixes = json.loads(package.joinpath("prefixmaps").joinpath("biolink-model-prefix-map.json").read_text(
        encoding="utf-8"))
    return dumps(from_schema(schema, prefixes))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare, do not write")
    args = parser.parse_args()
    text = generate()
    if args.check:
        same = TARGET.exists() and TARGET.read_text(encoding="utf-8") == text
        print(f"{TARGET}: {'up to date' if same else 'differs from the installed biolink-model'}")
        return 0 if same else 1
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET} ({len(text)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
