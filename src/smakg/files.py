"""Reading and writing files with errors that name the file: UTF-8 text in, and atomic, all-or-nothing writes out
(a release is whole or absent)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from smakg.errors import BadInputError


def read_text(path: Path) -> str:
    """Read a UTF-8 file, turning every failure into a BadInputError that names the file."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BadInputError(f"{path}: no such file", hint="check the path") from None
    except IsADirectoryError:
        raise BadInputError(f"{path}: is a directory, expected a file") from None
    except UnicodeDecodeError as exc:
        raise BadInputError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise BadInputError(f"{path}: cannot be read ({exc.strerror})") from None


def write_all(outputs: dict[str, str], out_dir: Path) -> list[Path]:
    """Write every file or none: all go to temporary files first, then each is renamed into place. On any
    failure no temporary file stays behind, and a directory this call created is removed again."""
    created = not out_dir.exists()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BadInputError(f"{out_dir}: cannot create the output directory ({exc.strerror})",
                            hint="choose a writable --out directory") from None
    temps: list[tuple[Path, Path]] = []
    try:
        for name, text in sorted(outputs.items()):
            fd, tmp_name = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=out_dir)
            temps.append((Path(tmp_name), out_dir / name))
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
            os.chmod(tmp_name, 0o644)
        for tmp, final in temps:
            os.replace(tmp, final)
    except BaseException as exc:  # whatever went wrong (a full disk, an unencodable character, Ctrl-C)
        for tmp, _ in temps:
            tmp.unlink(missing_ok=True)
        if created:
            with contextlib.suppress(OSError):
                out_dir.rmdir()
        if isinstance(exc, OSError):
            raise BadInputError(f"{out_dir}: cannot write the exports ({exc.strerror})",
                                hint="make the directory writable or choose another --out") from None
        raise
    return [final for _, final in temps]


def write_one(text: str, path: Path) -> Path:
    """Atomically write one file."""
    return write_all({path.name: text}, path.parent)[0]
