"""Mutation testing of the validation: every kind of curator's mistake (``smakg.qa.mistakes.KINDS``), made in the
real knowledge base one at a time, is caught by the rule expected to catch it, in the full validation that
``smakg build --strict`` runs (shapes, Python checks, quotes against ../shared/seeds, identifiers against the
verified table); and every constraint of shapes/ fires on at least one mistake.

The mistakes run once per module: ``SMAKG_MUTANTS_PER_KIND`` targets per kind and group (default 1;
``scripts/mutation_test.py`` takes 3), in ``SMAKG_TEST_JOBS`` processes, each mutant validated by both SHACL
engines (the set-based one and pyshacl), whose findings must be the same. ``SMAKG_MUTATION_REPORT=FILE`` writes
the table of caught / applied by kind (``.ci/run`` prints it).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import ROOT, SEEDS, TABLE, build_jobs, need_documents
from rdflib import Literal
from rdflib.namespace import RDF, RDFS
from rdflib.term import URIRef

from smakg.kb.vocab import GENE, SMAKG
from smakg.project import Project
from smakg.qa.kinds import Catch, Kind, choose
from smakg.qa.mistakes import KINDS, break_identifier, bump_last_digit, claims, misspell, swap_letters, typo
from smakg.qa.mutate import Report, run, run_project, shape_constraints
from smakg.validation.shacl import load_shapes

PYTHON_CHECKS = {"smakg:check/declared-iris", "smakg:check/quote-in-source", "smakg:check/verified-identifier",
                 "smakg:check/hedge-without-qualifier", "smakg:check/negation-not-recorded",
                 "smakg:check/claim-shape", "smakg:check/no-blank-nodes"}


QUOTE_KINDS = {k.name for k in KINDS if any(c.name == "smakg:check/quote-in-source" for c in k.expect)}


@pytest.fixture(scope="module")
def report() -> Report:
    """Every kind, with the quote check against the documents; where they are not beside the clone, every kind but
    the quote-check ones (which skip; CI fails instead)."""
    per_kind = int(os.environ.get("SMAKG_MUTANTS_PER_KIND", "1"))
    documents = SEEDS if SEEDS.is_dir() else None
    only = [] if documents else [k.name for k in KINDS if k.name not in QUOTE_KINDS]
    result = run_project(ROOT, sources_dir=documents, table=TABLE, per_kind=per_kind, jobs=build_jobs(), only=only,
                         compare_engines=True)
    if out := os.environ.get("SMAKG_MUTATION_REPORT"):
        Path(out).write_text(result.text() + "\n", encoding="utf-8")
    return result


@pytest.mark.parametrize("kind", KINDS, ids=[k.name for k in KINDS])
def test_mistake_is_caught_by_the_expected_rule(report: Report, kind: Kind) -> None:
    if kind.name in QUOTE_KINDS:
        need_documents()
    score = next(s for s in report.scores if s.kind.name == kind.name)
    assert score.mutants, f"{kind.name}: no target in the knowledge base, so the mistake was never made"
    wrong = [m for m in score.mutants if m.status != "caught"]
    assert not wrong, f"{kind.name} ({kind.mistake}), expected {' | '.join(map(str, kind.expect))}:\n" + "\n".join(
        f"  {m.status} on {m.target} at {m.where}: {m.error or ', '.join(m.caught_by) or 'no rule fired'}"
        for m in wrong)


@pytest.mark.parametrize("kind", KINDS, ids=[k.name for k in KINDS])
def test_set_engine_gives_pyshacls_findings(report: Report, kind: Kind) -> None:
    """Every mutant validated by both SHACL engines: the same findings, every field, counted."""
    if kind.name in QUOTE_KINDS:
        need_documents()
    score = next(s for s in report.scores if s.kind.name == kind.name)
    assert score.mutants
    differ = [f"{m.target}:\n{m.engines_differ}" for m in score.mutants if m.engines_differ]
    assert not differ, "\n".join(differ)


def test_every_shape_constraint_fires_on_some_mistake(report: Report) -> None:
    idle = sorted(report.constraints - report.exercised())
    assert len(report.constraints) > 90, "the enumeration of constraints found too few: is it broken?"
    assert not idle, "constraints no mistake of smakg.mistakes makes fire (add a kind):\n  " + "\n  ".join(idle)


def test_expected_rules_exist() -> None:
    """An expected rule with a typo, or of a shape that was renamed, names a rule that no finding can carry."""
    known = shape_constraints(load_shapes(ROOT / "shapes").graph)
    for kind in KINDS:
        for rule in kind.expect:
            name = f"{rule.name} [{rule.component}]" if rule.component else rule.name
            assert name in known or name in PYTHON_CHECKS, f"{kind.name}: expects {name}, which no rule is"


def test_kind_names_are_unique_and_described() -> None:
    names = [k.name for k in KINDS]
    assert len(names) == len(set(names))
    assert all(k.mistake and k.expect for k in KINDS)


# --------------------------------------------------------------------------------------------------------------
# The machinery can fail: a harmless edit is a miss, a catch by another rule is no catch, an edit that changes
# nothing is not applied, a kind with no target is a failure.


def _comment(graph, node) -> None:
    graph.add((node, RDFS.comment, Literal("a curator's note")))


def _nothing(graph, node) -> None:
    graph.add((node, RDF.type, SMAKG.Claim))  # already there


def _no_targets(graph):
    return []


def _all_claims(graph):
    return claims(graph)


def _drop_source(graph, node) -> None:
    graph.remove((node, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), None))


@pytest.fixture(scope="module")
def machinery() -> Report:
    kinds = [
        Kind("harmless", "a comment on a claim", (Catch("shp:Statement", "SPARQL"),), _all_claims, _comment),
        Kind("caught-by-another-rule", "a claim without source, expected to be caught by the gene label rule",
             (Catch("shp:Gene › rdfs:label", "Pattern"),), _all_claims, _drop_source),
        Kind("changes-nothing", "an edit that adds a triple already there", (Catch("shp:Statement", "SPARQL"),),
             _all_claims, _nothing),
        Kind("no-target", "a mistake with nowhere to make it", (Catch("shp:Statement", "SPARQL"),), _no_targets,
             _comment),
    ]
    return run(Project(ROOT), kinds, sources_dir=SEEDS if SEEDS.is_dir() else None, table=TABLE, per_kind=1, jobs=1)


@pytest.mark.parametrize(("kind", "status"), [("harmless", "missed"), ("caught-by-another-rule", "caught elsewhere"),
                                              ("changes-nothing", "not applied")])
def test_machinery_reports_what_was_not_caught(machinery: Report, kind: str, status: str) -> None:
    score = next(s for s in machinery.scores if s.kind.name == kind)
    assert [m.status for m in score.mutants] == [status]
    assert not score.ok


def test_machinery_fails_a_kind_with_no_target(machinery: Report) -> None:
    assert not machinery.ok
    assert machinery.caught == 0
    assert any(m.kind == "no-target" for m in machinery.failures())
    assert "MISS" in machinery.text() and "(no target found)" in machinery.text()


def test_caught_elsewhere_names_the_rule_that_fired(machinery: Report) -> None:
    mutant = next(s for s in machinery.scores if s.kind.name == "caught-by-another-rule").mutants[0]
    assert "shp:Statement › prov:wasDerivedFrom [MinCount]" in mutant.caught_by
    assert mutant.where and mutant.where.startswith("ontology/kb/claims/") and mutant.where.split(":")[-1].isdigit()


# --------------------------------------------------------------------------------------------------------------
# The helpers that make mistakes really change what they touch


def test_choose_spreads_and_is_repeatable() -> None:
    nodes = [URIRef(f"urn:n{i:02}") for i in range(10)]
    assert choose(nodes, 3) == [nodes[0], nodes[3], nodes[6]]
    assert choose(nodes, 3) == choose(list(nodes), 3)
    assert choose(nodes[:2], 3) == nodes[:2]


@pytest.mark.parametrize("text", ["SMN1", "IGHMBP2", "aa", "a", "2025-10-15", "Last updated: 1/7/2016"])
def test_text_mistakes_change_the_text(text: str) -> None:
    assert misspell(text) != text
    if len(set(text)) > 1:
        assert swap_letters(text) != text or text[len(text) // 2 - 1] == text[len(text) // 2]


@pytest.mark.parametrize("iri", [GENE.SMN1, GENE.IGHMBP2, SMAKG.subtypeOf, URIRef("https://omim.org/entry/604320"),
                                 URIRef("http://purl.obolibrary.org/obo/CHR_9606-chr11q13.3")])
def test_identifier_mistakes_change_the_identifier(iri: URIRef) -> None:
    assert typo(iri) != iri
    assert str(typo(iri)).rsplit("/", 1)[0] == str(iri).rsplit("/", 1)[0]
    if any(ch.isdigit() for ch in str(iri)):
        assert bump_last_digit(iri) != iri and len(bump_last_digit(iri)) == len(iri)
        assert break_identifier(iri) != iri
