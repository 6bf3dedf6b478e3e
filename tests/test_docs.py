"""The documentation holds together: every relative link and anchor in README.md and docs/*.md resolves, the README
stays one screen of essentials that links every page, and the generated table of shapes is current."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest
from conftest import ROOT

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"(`+).+?\1", re.DOTALL)
LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)  # https:, mailto: ...


def _prose(text: str) -> str:
    """The text without fenced code blocks and code spans, where brackets and '#' are not Markdown."""
    return CODE_SPAN.sub("", FENCE.sub("", text))


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped (but '-' and '_'), spaces to hyphens.

    >>> _slug("What changed: `smakg diff`")
    'what-changed-smakg-diff'
    """
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link in a heading counts by its text
    text = re.sub(r"<[^>]+>", "", text).replace("`", "").strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(page: Path) -> set[str]:
    found: set[str] = set()
    for heading in HEADING.findall(FENCE.sub("", page.read_text(encoding="utf-8"))):
        slug, n = _slug(heading), 1
        while slug in found:  # GitHub numbers repeated headings: x, x-1, x-2 ...
            slug, n = f"{_slug(heading)}-{n}", n + 1
        found.add(slug)
    return found


def links(page: Path) -> list[str]:
    return [t for t in LINK.findall(_prose(page.read_text(encoding="utf-8"))) if t and not EXTERNAL.match(t)]


def test_the_pages_exist() -> None:
    names = {p.relative_to(ROOT).as_posix() for p in PAGES}
    assert {"README.md", "docs/researchers.md", "docs/integrators.md", "docs/curators.md", "docs/operators.md",
            "docs/architecture.md", "docs/shapes.md"} <= names


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_relative_link_and_anchor_resolves(page: Path) -> None:
    found = links(page)
    broken = []
    for target in found:
        path, _, anchor = unquote(target).partition("#")
        dest = (page.parent / path).resolve() if path else page
        if not dest.exists():
            broken.append(f"{target}: no file {dest.relative_to(ROOT) if dest.is_relative_to(ROOT) else dest}")
        elif anchor and (dest.suffix != ".md" or anchor not in anchors(dest)):
            broken.append(f"{target}: no heading #{anchor} in {dest.relative_to(ROOT).as_posix()}")
        elif not dest.resolve().is_relative_to(ROOT):
            broken.append(f"{target}: points outside the repository")
    assert not broken, f"{page.relative_to(ROOT)}: broken links:\n" + "\n".join(broken)


def test_the_checker_sees_links_and_anchors() -> None:
    """Guard the guard: the pages do link to each other's headings, and a made-up anchor is not found."""
    integrators = ROOT / "docs" / "integrators.md"
    assert "what-changed-smakg-diff" in anchors(integrators)
    assert "no-such-heading" not in anchors(integrators)
    assert any("#" in t for p in PAGES for t in links(p))


def test_readme_is_one_screen_of_essentials_and_links_every_page() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.encode("utf-8")) < 10_000, "README.md grew past 10 KB: move the detail into a page of docs/"
    assert ".venv/bin/smakg build --strict" in readme and ".venv/bin/python -m pytest" in readme, "the two commands"
    linked = {t.partition("#")[0] for t in links(ROOT / "README.md")}
    missing = [p.relative_to(ROOT).as_posix() for p in PAGES[1:] if p.relative_to(ROOT).as_posix() not in linked]
    assert not missing, f"README.md does not link {missing}"


def test_docs_shapes_script_finds_the_table_current() -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"),
                                                                      os.environ.get("PYTHONPATH")]))}
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "docs_shapes.py"), "--check"], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
