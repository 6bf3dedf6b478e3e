"""Errors with the exit codes of the command line (DESIGN.md, validation contract)."""

from __future__ import annotations

from typing import Any

EXIT_OK = 0
EXIT_VIOLATIONS = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3
EXIT_STORE_FAILED = 4  # smakg publish: the store failed (HTTP 5xx, time-out, connection lost mid-way)
EXIT_COUNT_MISMATCH = 5  # smakg publish: the store holds another number of triples than the release
EXIT_INTERRUPTED = 130  # Ctrl-C (128 + SIGINT), as shells report it
INTERRUPTED = "smakg: interrupted"  # the one line a Ctrl-C prints


class SmakgError(Exception):
    """Base class: a message for people and the exit code the CLI returns."""

    exit_code = EXIT_INTERNAL

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n  What to do: {self.hint}"

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled with its hint (an export made in another process raises it in this one)."""
        return _rebuild, (type(self), self.message, self.hint)


def _rebuild(kind: type[SmakgError], message: str, hint: str | None) -> SmakgError:
    return kind(message, hint=hint)


class BadInputError(SmakgError):
    """A missing file, a parse error, an empty knowledge base, an unwritable output: exit 2."""

    exit_code = EXIT_BAD_INPUT


class DataError(SmakgError):
    """The data is wrong in a way that stops the build before validation can report it: exit 1."""

    exit_code = EXIT_VIOLATIONS


class StoreFailedError(SmakgError):
    """A SPARQL store failed while taking a release (HTTP 5xx, a time-out, the connection lost): exit 4."""

    exit_code = EXIT_STORE_FAILED


class CountMismatchError(SmakgError):
    """The store holds another number of triples for a release than its void.ttl states: exit 5."""

    exit_code = EXIT_COUNT_MISMATCH
