"""Reading and writing files with errors that name the file: UTF-8 text in, and atomic, all-or-nothing writes out
(a release is whole or absent)."""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from smakg.errors import BadInputError


def read_text(path: Path, *, exact: bool = False) -> str:
    """Read a UTF-8 file, turning every failure into a BadInputError that names the file. Line ends become "\\n"
    unless ``exact`` (which keeps a "\\r\\n" as it is, for comparing the bytes with a canonical form)."""
    try:
        with open(path, encoding="utf-8", newline="" if exact else None) as handle:
            return handle.read()
    except FileNotFoundError:
        raise BadInputError(f"{path}: no such file", hint="check the path") from None
    except IsADirectoryError:
        raise BadInputError(f"{path}: is a directory, expected a file") from None
    except UnicodeDecodeError as exc:
        line = exc.object.count(b"\n", 0, exc.start) + 1
        raise BadInputError(f"{path}:{line}: not UTF-8 text ({exc.reason} at byte {exc.start}: "
                            f"0x{exc.object[exc.start]:02x})", hint="save the file as UTF-8") from None
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
    """Atomically write one file; a symbolic link stays a link, its target gets the new text."""
    if path.is_symlink():
        path = path.resolve()
    return write_all({path.name: text}, path.parent)[0]


# ---- releases: a folder replaced in one step ------------------------------------------------------------------

_NEW, _OLD = ".new-", ".old-"  # siblings of a release folder while it is being replaced: .dist.new-XXXX


def _siblings(out_dir: Path, marker: str) -> list[Path]:
    prefix = f".{out_dir.name}{marker}"
    try:
        return sorted(p for p in out_dir.parent.iterdir() if p.name.startswith(prefix))
    except OSError:
        return []


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: a file system or kernel without the exchange
        return False
    raise OSError(err, os.strerror(err), str(b))


@contextlib.contextmanager
def _held_interrupts() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM for the few system calls that switch releases; raise KeyboardInterrupt after."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = {sig: signal.signal(sig, lambda num, _frame: caught.append(num))
                for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if caught:
        raise KeyboardInterrupt


def clean_release_leftovers(out_dir: Path) -> list[Path]:
    """Remove what an interrupted or killed release switch left beside ``out_dir`` (its .new- and .old- siblings)
    and the temporary files an older smakg left inside it; put a release back that a switch on a system without the
    one-step exchange left only under its .old- name. Returns what was removed."""
    removed: list[Path] = []
    olds = _siblings(out_dir, _OLD)
    if not out_dir.exists() and olds:
        os.replace(olds[-1], out_dir)  # the one case of the two-step switch: the old release goes back
        olds = olds[:-1]
    for path in _siblings(out_dir, _NEW) + olds:
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    if out_dir.is_dir():
        for path in sorted(out_dir.glob(".*.tmp")):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def write_release(outputs: dict[str, str], out_dir: Path, *, known: set[str] | None = None) -> list[Path]:
    """Replace the folder ``out_dir`` by a folder holding exactly ``outputs``, in one step: the new release is
    written into a sibling folder, synced to disk, and swapped with the old one by a single rename, so a reader (or
    an interrupted build) sees the old release or the new one, never a mix. What an earlier interrupted build left
    is removed first.

    ``known`` names the files a release may hold (default: those of ``outputs``): a folder holding anything else is
    refused rather than replaced, so ``--out`` can never swap away a folder of someone else's files."""
    allowed = set(outputs) | (known or set())
    with _parent_locked(out_dir):
        return _write_release(outputs, out_dir, allowed)


@contextlib.contextmanager
def _parent_locked(out_dir: Path) -> Iterator[None]:
    """One release switch at a time per parent folder (an advisory lock on the folder itself, where the system
    has flock), so one build's cleanup never removes another's folder in the making."""
    try:
        import fcntl
    except ImportError:  # not on Windows
        yield
        return
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(out_dir.parent, os.O_RDONLY)
    except OSError as exc:
        raise BadInputError(f"{out_dir}: cannot create the output directory ({exc.strerror})",
                            hint="choose a writable --out directory") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _write_release(outputs: dict[str, str], out_dir: Path, allowed: set[str]) -> list[Path]:
    def check() -> None:
        foreign = sorted(p.name for p in out_dir.iterdir() if p.name not in allowed)
        if foreign:
            shown = ", ".join(foreign[:5]) + (", ..." if len(foreign) > 5 else "")
            raise BadInputError(f"{out_dir}: holds files that are not part of a release ({shown}); smakg "
                                "replaces the whole folder", hint="choose an empty or new --out folder, or move "
                                "those files elsewhere")

    def fill(staging: Path) -> None:
        for name, text in sorted(outputs.items()):
            with open(staging / name, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(staging / name, 0o644)

    _replace_folder(out_dir, check, fill, "release")
    return [out_dir / name for name in sorted(outputs)]


def write_folder(files: Iterable[tuple[str, bytes]], out_dir: Path, *, marker: str) -> int:
    """Replace the folder ``out_dir`` by a folder holding exactly ``files`` (relative paths with ``/``, in nested
    folders) and an empty file named ``marker``, in one step as write_release does (written beside it, synced,
    swapped in by a single rename; leftovers of an interrupted run removed first). An existing ``out_dir`` is
    replaced only when it is empty or holds ``marker`` (a folder this function wrote); anything else is refused
    and left alone. Returns the number of files written (the marker not counted)."""
    with _parent_locked(out_dir):
        def check() -> None:
            if any(out_dir.iterdir()) and not (out_dir / marker).is_file():
                raise BadInputError(f"{out_dir}: exists and is not a folder smakg wrote (no {marker} file in it); "
                                    "it is left alone", hint="choose a new or empty folder")

        count = 0

        def fill(staging: Path) -> None:
            nonlocal count
            for name, data in files:
                parts = name.split("/")
                if any(p in ("", ".", "..") or "\\" in p for p in parts) or name == marker:
                    raise ValueError(f"not a relative file path of the folder: {name!r}")
                target = staging.joinpath(*parts)
                target.parent.mkdir(parents=True, exist_ok=True, mode=0o755)
                target.write_bytes(data)
                os.chmod(target, 0o644)
                count += 1
            (staging / marker).write_bytes(b"")
            os.chmod(staging / marker, 0o644)
            for folder in (p for p in staging.rglob("*") if p.is_dir()):
                os.chmod(folder, 0o755)
            _sync_folder(staging)

        _replace_folder(out_dir, check, fill, "folder")
        return count


def _sync_folder(folder: Path) -> None:
    """Every file under ``folder`` on disk: one syncfs of its file system on Linux (a thousand fsyncs take
    seconds), else an fsync of each file."""
    if sys.platform.startswith("linux"):
        syncfs = getattr(ctypes.CDLL(None, use_errno=True), "syncfs", None)
        if syncfs is not None:
            fd = os.open(folder, os.O_RDONLY)
            try:
                if syncfs(fd) == 0:
                    return
            finally:
                os.close(fd)
    for path in (p for p in folder.rglob("*") if p.is_file()):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _replace_folder(out_dir: Path, check: Callable[[], None], fill: Callable[[Path], None], what: str) -> None:
    """The one-step replacement both writers share: stage a sibling folder (``_stage``), ``fill`` it, make it
    readable and switch it in (``_switch``); on any failure undo (``_undo``), an OSError becoming bad input."""
    staging, retired = _stage(out_dir, check)
    try:
        fill(staging)
        os.chmod(staging, 0o755)
        _switch(staging, out_dir, retired)
    except BaseException as exc:
        _undo(staging, out_dir, retired)
        if isinstance(exc, OSError):
            raise BadInputError(f"{out_dir}: cannot write the {what} ({exc.strerror})",
                                hint="free some disk space or choose another "
                                + ("--out" if what == "release" else "folder")) from None
        raise


def _stage(out_dir: Path, check: Callable[[], None]) -> tuple[Path, Path]:
    """Clean what an interrupted switch left, refuse what ``check`` refuses in an existing ``out_dir``, and make
    the sibling folder the new contents go into; returns it and the name the old folder will go to."""
    try:
        clean_release_leftovers(out_dir)
        if out_dir.exists():
            if not out_dir.is_dir():
                raise BadInputError(f"{out_dir}: cannot create the output directory (a file has that name)",
                                    hint="choose another --out")
            check()
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}{_NEW}", dir=out_dir.parent))
    except OSError as exc:
        raise BadInputError(f"{out_dir}: cannot prepare the release folder ({exc.strerror})",
                            hint="make the parent folder writable or choose another --out") from None
    return staging, staging.with_name(staging.name.replace(_NEW, _OLD, 1))


def _switch(staging: Path, out_dir: Path, retired: Path) -> None:
    """Put ``staging`` in the place of ``out_dir`` in one step (the exchange; two renames where the system has
    none), then remove the old folder."""
    with _held_interrupts():
        if not out_dir.exists():
            os.rename(staging, out_dir)
        elif _exchange(staging, out_dir):
            os.rename(staging, retired)
        else:  # two renames; clean_release_leftovers puts the old release back if only the first happened
            os.rename(out_dir, retired)
            os.rename(staging, out_dir)
    shutil.rmtree(retired, ignore_errors=True)


def _undo(staging: Path, out_dir: Path, retired: Path) -> None:
    """After a failure: the new folder removed, the old one left (or put back) in place."""
    shutil.rmtree(staging, ignore_errors=True)  # the new release not switched in, or the old one swapped out
    if out_dir.is_dir():
        shutil.rmtree(retired, ignore_errors=True)
    elif retired.is_dir():  # the two-step switch failed half-way: the old release goes back
        os.replace(retired, out_dir)
