"""Check that every quote occurs verbatim in its source document, read from a directory the user names.

The project keeps no copies of the documents: a source node names its file (``smakg:documentFile``) and the
file's SHA-256; the user points ``--sources-dir`` at their copy (CI uses ``../shared/seeds``).
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Mapping
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import RDF
from rdflib.term import Node

from smakg.errors import BadInputError
from smakg.findings import INFO, VIOLATION, WARNING, Finding, Location, Outcome, Rule
from smakg.kb.terms import sorted_terms
from smakg.kb.vocab import OA, SMAKG, show

RULE = "smakg:check/quote-in-source"
QUOTE_RULE = Rule(RULE, "Every quote (oa:exact, with oa:prefix and oa:suffix) occurs verbatim, once, in its source "
                  "document, and every document file matches its recorded SHA-256 (checked with --sources-dir).")
_CONTEXT = 60


def verify_quotes(graph: Graph, sources_dir: Path, locations: Mapping[Node, Location]) -> Outcome:
    """One finding per quote that is missing, ambiguous or unchecked; counts in ``outcome.checked``."""
    if not sources_dir.is_dir():
        raise BadInputError(f"{sources_dir}: sources directory not found",
                            hint="point --sources-dir at the folder holding the source documents' .txt files")
    outcome = Outcome()
    texts: dict[Node, str | None] = {}
    found = checked = 0
    source: Node | None  # a document in the first loop, an evidence's source in the second
    for source in sorted_terms(graph.subjects(SMAKG.documentFile, None)):
        texts[source] = _read_source(graph, source, sources_dir, locations, outcome)
        text = texts[source]
        if text is None:
            continue
        for prop in (SMAKG.printedDate, SMAKG.printedVersion):
            for value in sorted_terms(graph.objects(source, prop)):
                checked += 1
                if str(value) in text:
                    found += 1
                else:
                    outcome.add(Finding(VIOLATION, show(source) or "", f"{show(prop)} {show(value)} is not printed "
                                        "in the source document", RULE, path=show(prop), value=show(value),
                                        location=locations.get(source)))

    for evidence in sorted_terms(graph.subjects(RDF.type, SMAKG.Evidence)):
        # a cited work's words read in a document that prints them (its title in a reference list): check there
        source = graph.value(evidence, SMAKG.quotedVia) or graph.value(evidence, OA.hasSource)
        selector = graph.value(evidence, OA.hasSelector)
        exact = graph.value(selector, OA.exact) if selector is not None else None
        if source is None or exact is None:
            continue  # the shapes report a missing source or quote
        if source not in texts:
            if (source, SMAKG.sourceKind, SMAKG.ReferenceRelease) not in graph:
                outcome.add(Finding(INFO, show(evidence) or "", f"quote not checked: {show(source)} has no "
                                    "document file", RULE, value=show(exact), location=locations.get(evidence)))
            continue
        text = texts[source]
        if text is None:
            continue
        checked += 1
        problem = check_quote(text, exact, graph.value(selector, OA.prefix), graph.value(selector, OA.suffix))
        if problem is None:
            found += 1
            continue
        severity, message = problem
        if severity != VIOLATION:
            found += 1
        outcome.add(Finding(severity, show(evidence) or "", message, RULE, path="oa:exact", value=show(exact),
                            location=locations.get(evidence)))
    outcome.checked = {"quotes": checked, "found": found}
    outcome.add_rules([QUOTE_RULE])
    return outcome


def _read_source(graph: Graph, source: Node, sources_dir: Path, locations: Mapping[Node, Location],
                 outcome: Outcome) -> str | None:
    name = str(graph.value(source, SMAKG.documentFile))
    path = sources_dir / name
    if "/" in name or "\\" in name or not path.is_file():
        outcome.add(Finding(VIOLATION, show(source) or "", f"document file {name!r} not found in {sources_dir}",
                            RULE, path="smakg:documentFile", location=locations.get(source)))
        return None
    data = path.read_bytes()
    expected = graph.value(source, SMAKG.textSha256)
    actual = hashlib.sha256(data).hexdigest()
    if expected is not None and str(expected) != actual:
        outcome.add(Finding(WARNING, show(source) or "", f"{path} differs from the copy the quotes were taken "
                            f"from (SHA-256 {actual[:12]}…, expected {str(expected)[:12]}…)", RULE,
                            path="smakg:textSha256", location=locations.get(source)))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        outcome.add(Finding(VIOLATION, show(source) or "", f"{path} is not UTF-8 text", RULE,
                            location=locations.get(source)))
        return None


def check_quote(text: str, exact: Node, prefix: Node | None, suffix: Node | None) -> tuple[str, str] | None:
    """None if the quote (with its prefix and suffix) occurs; else (severity, message).

    >>> from rdflib import Literal
    >>> check_quote("a b c", Literal("b"), None, None) is None
    True
    >>> check_quote("a b c", Literal("x"), None, None)[0]
    'Violation'
    """
    quote = str(exact)
    needle = (str(prefix) if prefix else "") + quote + (str(suffix) if suffix else "")
    count = text.count(needle)
    if count == 0:
        if quote in text:
            return VIOLATION, "the quote occurs, but not with the given oa:prefix/oa:suffix"
        near = _nearest(text, quote)
        return VIOLATION, "the quote does not occur in its source document" + (
            f"; closest text: {near!r}" if near else "")
    if count > 1 and not prefix and not suffix:
        contexts = set()
        start = text.find(quote)
        while start != -1:
            contexts.add(text[max(0, start - _CONTEXT):start + len(quote) + _CONTEXT])
            start = text.find(quote, start + 1)
        if len(contexts) > 1:
            return WARNING, f"the quote occurs {count} times in different places: add oa:prefix or oa:suffix"
    return None


def _nearest(text: str, quote: str) -> str | None:
    """The window of the text most like the quote (for the error message), or None if nothing is close.
    A coarse scan finds the region, a fine scan around it aligns the window."""
    if not quote:
        return None
    size = len(quote)
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(quote)

    def scan(starts: range, best: tuple[float, int]) -> tuple[float, int]:
        for start in starts:
            matcher.set_seq1(text[start:start + size])
            if matcher.real_quick_ratio() < best[0] or matcher.quick_ratio() < best[0]:
                continue
            ratio = matcher.ratio()
            if ratio > best[0]:
                best = (ratio, start)
        return best

    step = max(1, size // 4)
    ratio, start = scan(range(0, max(1, len(text) - size + 1), step), (0.0, 0))
    ratio, start = scan(range(max(0, start - step), min(len(text), start + step + 1)), (0.0, start))
    return text[start:start + size].strip() if ratio >= 0.6 else None
