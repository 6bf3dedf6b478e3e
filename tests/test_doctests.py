"""The examples in the docstrings run, so they stay true (``>>>`` lines in src/smakg)."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "smakg"
MODULES = sorted(".".join(p.relative_to(SRC.parent).with_suffix("").parts).removesuffix(".__init__")
                 for p in SRC.rglob("*.py") if ">>>" in p.read_text(encoding="utf-8"))


def test_modules_with_examples_are_found() -> None:
    assert len(MODULES) >= 8 and "smakg.kb.vocab" in MODULES and "smakg.kb.turtle" in MODULES


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0, f"{name}: has '>>>' but no example was collected"
    assert result.failed == 0, f"{name}: {result.failed} of {result.attempted} examples failed (see the output)"
