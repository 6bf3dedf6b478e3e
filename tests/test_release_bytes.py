"""The release is byte-identical to the one recorded in tests/data/release.sha256: a change of code (a refactoring,
a faster writer) must not change a byte of any file; a change of data or model that does is recorded on purpose
with ``python scripts/release_checksums.py``, and the commit says why."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RECORD = ROOT / "tests" / "data" / "release.sha256"
_spec = importlib.util.spec_from_file_location("release_checksums", ROOT / "scripts" / "release_checksums.py")
assert _spec is not None and _spec.loader is not None
release_checksums = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(release_checksums)


def test_the_release_is_byte_identical_to_the_record(exports: dict[str, str]) -> None:
    recorded = dict(reversed(line.split("  ", 1)) for line in RECORD.read_text(encoding="utf-8").splitlines())
    now = dict(reversed(line.split("  ", 1)) for line in release_checksums.checksums(exports).splitlines())
    changed = sorted(name for name in recorded.keys() | now.keys() if recorded.get(name) != now.get(name))
    assert not changed, (f"release files differ from tests/data/release.sha256: {', '.join(changed)}. If the change "
                         "is meant, run `python scripts/release_checksums.py` and say why in the commit.")


def test_the_record_covers_every_release_file(exports: dict[str, str]) -> None:
    names = [line.split("  ", 1)[1] for line in RECORD.read_text(encoding="utf-8").splitlines()]
    assert names == sorted(exports) and len(names) == 11
