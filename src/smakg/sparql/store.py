"""A persistent pyoxigraph store on disk for ``smakg serve --store DIR``, for graphs larger than memory.

The release is bulk-loaded once into ``DIR/release-<sha256 prefix>/``; ``DIR/current.json`` records the SHA-256 of
the N-Triples it was loaded from, the store's folder and its triple count. While the release is unchanged the
store is reused as it is; when it changes, the new release is loaded into a fresh folder (``DIR/.loading-*``),
renamed into place, and only then does the marker name it (an atomic file replace), so a load that fails or is
interrupted leaves the previous store whole and current. Older stores are removed after the swap. A release given
as a file is opened once: hashed, then bulk-loaded from that open file through a reader that hashes what the loader
reads, and the marker records that hash, the hash of the bytes actually loaded (a file swapped or rewritten in
between cannot make the marker name other triples than the store holds). A lock file
(``DIR/lock``) keeps a second server from reloading the store under the first; the workers of a server open the
store read-only (``Store.read_only``), which several processes may do at once.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, BinaryIO, cast

import pyoxigraph as ox

from smakg.errors import BadInputError
from smakg.files import write_one

MARKER = "current.json"
LOCK = "lock"
PREFIX = "release-"
LOADING = ".loading-"
CHUNK = 1 << 20


def sha256_of(data: Path | bytes) -> str:
    """The SHA-256 of N-Triples given as bytes or as a file (read in chunks).

    >>> sha256_of(b"")[:12]
    'e3b0c44298fc'
    """
    if isinstance(data, bytes):
        return hashlib.sha256(data).hexdigest()
    digest = hashlib.sha256()
    with data.open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class OnDisk:
    """A store ready to serve: its folder, its triples, the release it holds, and whether it was reused."""

    path: Path
    triples: int
    sha256: str
    reused: bool
    lock: IO[str]  # held while the server runs; close it to let another server reload the store

    def release(self) -> None:
        self.lock.close()


def _marker(directory: Path) -> dict[str, object] | None:
    try:
        found = json.loads((directory / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None


def _lock(directory: Path) -> IO[str]:
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handle = (directory / LOCK).open("a", encoding="utf-8")
    except OSError as exc:
        raise BadInputError(f"{directory}: cannot use this folder for the store ({exc.strerror})",
                            hint="choose a writable --store DIR") from None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise BadInputError(f"{directory}: another smakg serve uses this store",
                            hint="stop it, or give this server its own --store DIR") from None
    return handle


class _Hashing:
    """A binary file whose every read is added to a SHA-256 (what the bulk loader reads is what is hashed)."""

    def __init__(self, file: BinaryIO) -> None:
        self.file = file
        self.digest = hashlib.sha256()

    def read(self, n: int = -1) -> bytes:
        chunk = self.file.read(n)
        self.digest.update(chunk)
        return chunk


def _hash_open(file: BinaryIO) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    while chunk := file.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def _load(directory: Path, data: _Hashing | bytes, name: str) -> tuple[Path, int]:
    """Bulk-load ``data`` into a fresh folder of ``directory``; its path and triple count."""
    fresh = Path(tempfile.mkdtemp(prefix=LOADING, dir=directory))
    try:
        store = ox.Store(str(fresh))
        # pyoxigraph reads any object with read(n) (its stub names IO[bytes])
        store.bulk_load(data if isinstance(data, bytes) else cast(IO[bytes], data), format=ox.RdfFormat.N_TRIPLES)
        store.flush()
        triples = len(store)
        del store  # closes the database, so the workers can open it read-only
    except SyntaxError as exc:
        shutil.rmtree(fresh, ignore_errors=True)
        raise BadInputError(f"{name}: not valid N-Triples ({exc})") from None
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    return fresh, triples


def prepare(directory: Path, data: Path | bytes, *, origin: str = "",
            progress: Callable[[str], None] | None = None) -> OnDisk:
    """The store in ``directory`` holding ``data`` (N-Triples bytes or file): reused when it already holds the same
    release, else loaded afresh and swapped in (module docstring). The returned lock stays held."""
    lock = _lock(directory)
    file: BinaryIO | None = None
    try:
        if isinstance(data, bytes):
            digest = sha256_of(data)
        else:
            try:
                file = data.open("rb")
            except OSError as exc:
                raise BadInputError(f"{data}: cannot be read ({exc.strerror})") from None
            digest = _hash_open(file)
        marker = _marker(directory)
        if marker is not None and marker.get("sha256") == digest and isinstance(marker.get("store"), str):
            held = directory / str(marker["store"])
            triples = marker.get("triples")
            if held.is_dir() and isinstance(triples, int):
                return OnDisk(held, triples, digest, True, lock)
        if progress is not None:
            progress(f"loading the release into the store in {directory} (once; reused while it is unchanged)…")
        if isinstance(data, bytes):
            fresh, triples = _load(directory, data, "the graph")
        else:
            assert file is not None  # opened above
            file.seek(0)
            loading = _Hashing(file)
            fresh, triples = _load(directory, loading, str(data))
            digest = loading.digest.hexdigest()  # the bytes loaded, whatever the path names by now
        final = directory / f"{PREFIX}{digest[:16]}"
        if final.exists():  # left by a load whose marker was never written: not current, not in use
            shutil.rmtree(final)
        os.replace(fresh, final)
        write_one(json.dumps({"sha256": digest, "store": final.name, "triples": triples, "origin": origin},
                             indent=1, sort_keys=True) + "\n", directory / MARKER)
        for old in directory.iterdir():
            if old.is_dir() and old != final and old.name.startswith((PREFIX, LOADING)):
                shutil.rmtree(old, ignore_errors=True)
        return OnDisk(final, triples, digest, False, lock)
    except BaseException:
        with contextlib.suppress(OSError):
            lock.close()
        raise
    finally:
        if file is not None:
            file.close()
