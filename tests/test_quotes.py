"""The quote check on documents and evidence the test writes itself, so the machinery is tested on any clone (the
real source documents are not part of the repository; tests against them need them beside it)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from smakg.findings import VIOLATION, WARNING
from smakg.kb.vocab import OA, SMAKG
from smakg.validation.quotes import verify_quotes

DOC = ("Families are told. The quick brown fox jumps. " + "Nothing else happens for a long while. " * 3
       + "Later, the quick brown fox sleeps.\n")
SOURCE, CITED = URIRef("https://w3id.org/smakg/id/source/doc"), URIRef("https://w3id.org/smakg/id/source/cited")


def graph(exact: str, *, prefix: str | None = None, source: URIRef = SOURCE, via: URIRef | None = None,
          sha: str | None = None) -> Graph:
    g = Graph()
    g.add((SOURCE, RDF.type, SMAKG.Source))
    g.add((SOURCE, SMAKG.documentFile, Literal("doc.txt")))
    if sha is not None:
        g.add((SOURCE, SMAKG.textSha256, Literal(sha)))
    g.add((CITED, RDF.type, SMAKG.Source))
    ev, sel = URIRef("https://w3id.org/smakg/id/evidence/e"), URIRef("https://w3id.org/smakg/id/selector/e")
    g.add((ev, RDF.type, SMAKG.Evidence))
    g.add((ev, OA.hasSource, source))
    g.add((ev, OA.hasSelector, sel))
    g.add((sel, OA.exact, Literal(exact)))
    if prefix is not None:
        g.add((sel, OA.prefix, Literal(prefix)))
    if via is not None:
        g.add((ev, SMAKG.quotedVia, via))
    return g


@pytest.fixture
def documents(tmp_path: Path) -> Path:
    (tmp_path / "doc.txt").write_text(DOC, encoding="utf-8")
    return tmp_path


def findings(g: Graph, documents: Path) -> list[tuple[str, str]]:
    return [(f.severity, f.message) for f in verify_quotes(g, documents, {}).findings]


def test_a_quote_that_occurs_once_passes(documents: Path) -> None:
    outcome = verify_quotes(graph("Families are told"), documents, {})
    assert outcome.findings == [] and outcome.checked == {"quotes": 1, "found": 1}


def test_a_quote_not_in_the_document_names_the_closest_text(documents: Path) -> None:
    [(severity, message)] = findings(graph("The quick brown fax jumps"), documents)
    assert severity == VIOLATION and "closest text: 'The quick brown fox jumps'" in message


def test_a_quote_in_two_places_needs_its_context(documents: Path) -> None:
    [(severity, message)] = findings(graph("quick brown fox"), documents)
    assert severity == WARNING and "occurs 2 times" in message
    assert findings(graph("quick brown fox", prefix="Later, the "), documents) == []
    [(severity, message)] = findings(graph("quick brown fox", prefix="Earlier, the "), documents)
    assert severity == VIOLATION and "not with the given oa:prefix" in message


def test_a_cited_works_words_are_checked_in_the_document_they_were_read_in(documents: Path) -> None:
    assert findings(graph("Families are told", source=CITED, via=SOURCE), documents) == []
    [(severity, message)] = findings(graph("Families are not told", source=CITED, via=SOURCE), documents)
    assert severity == VIOLATION
    [(severity, message)] = findings(graph("Families are told", source=CITED), documents)
    assert "quote not checked" in message  # no document of its own, and no quotedVia


def test_a_changed_document_is_reported(documents: Path) -> None:
    recorded = hashlib.sha256(DOC.encode()).hexdigest()
    assert findings(graph("Families are told", sha=recorded), documents) == []
    (documents / "doc.txt").write_text(DOC.replace("jumps", "leaps"), encoding="utf-8")
    [(severity, message)] = findings(graph("Families are told", sha=recorded), documents)
    assert severity == WARNING and "differs from the copy the quotes were taken from" in message
