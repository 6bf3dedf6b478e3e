"""A quote that hedges ("may", "can", "usually", "some", "in severe cases" ...) states its fact only as strongly as
its words do. Each word needs the qualifier that records what it means on the quote's evidence: "may"/"can" a
certainty, "usually"/"generally" a generality (or a frequency), "some"/"sometimes"/"often" a generality or a
frequency, "in severe cases" a severity context. When it is missing the curator most likely forgot it: a warning
names the word. Likewise a quote that says "not", "no", "never" ... states a negation: a statement that is not
marked negated is warned about, because a plain query would read the quote's fact as positive.

>>> hedges_in("Breathing and swallowing may also be affected in severe cases.")
['may', 'in severe cases']
>>> hedges_in("SMARD1 is an autosomal recessive genetic disorder. Last updated: May 2022.")
[]
>>> negations_in("these muscles can no longer be stimulated"), negations_in("is not caused by diet")
([], ['not'])
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from smakg.findings import WARNING, Finding, Location, Rule
from smakg.kb.terms import sorted_terms
from smakg.kb.vocab import OA, SMAKG, show

RULE = Rule("smakg:check/hedge-without-qualifier",
            "A quote with a hedge or frequency word records what it means on its evidence: may, can, could, might, "
            "likely, possibly, perhaps, potentially need a certainty; usually, generally, in general, typically a "
            "generality or a frequency; some, sometimes, often, rarely, occasionally, frequently a generality or a "
            "frequency; in severe cases a severity context.", WARNING)
NEGATION_RULE = Rule("smakg:check/negation-not-recorded",
                     "A quote of a document that says not, no, never, none, cannot or n't states what is NOT the "
                     "case: its statement is negated (smakg:negated true), or the quote is shortened to the words "
                     "that state the fact.", WARNING)
_CERTAINTY = (SMAKG.certainty,)
_GENERALITY = (SMAKG.generality, SMAKG.frequency)
# Each hedge word and the qualifiers that record it (any one of them).
NEEDS: dict[str, tuple[URIRef, ...]] = {
    **dict.fromkeys(("may", "can", "could", "might", "likely", "possibly", "perhaps", "potentially"), _CERTAINTY),
    **dict.fromkeys(("usually", "generally", "in general", "typically"), _GENERALITY),
    **dict.fromkeys(("some", "sometimes", "often", "rarely", "occasionally", "frequently"), _GENERALITY),
    "in severe cases": (SMAKG.severityContext,),
}
HEDGES = tuple(NEEDS)
_PATTERN = re.compile(r"\b(" + "|".join(re.escape(h).replace(r"\ ", r"\s+") for h in HEDGES) + r")\b",
                      re.IGNORECASE)
_NEGATION = re.compile(r"\b(not|no|never|none|cannot|nor)\b|n't\b", re.IGNORECASE)


def hedges_in(quote: str) -> list[str]:
    """The hedge words of a quote, lower-case, in order of appearance, each once (not the month May, not "can't")."""
    found: list[str] = []
    for match in _PATTERN.finditer(quote):
        rest = quote[match.end():]
        if (match.group(1) == "May" and rest.lstrip()[:1].isdigit()) or rest.startswith(("'t", "’t", "not")):
            continue
        word = " ".join(match.group(1).lower().split())
        if word not in found:
            found.append(word)
    return found


def negations_in(quote: str) -> list[str]:
    """The negation words of a quote ("no longer" is not one: it says something stopped)."""
    return [m.group(0).lower() for m in _NEGATION.finditer(quote)
            if not (m.group(0).lower() == "no" and quote[m.end():].lstrip().lower().startswith("longer"))]


def unrecorded_hedges(graph: Graph, locations: Mapping[Node, Location]) -> list[Finding]:
    """One warning per evidence whose quote has a hedge word that no qualifier of the right kind records."""
    findings = []
    for evidence in sorted_terms(graph.subjects(RDF.type, SMAKG.Evidence)):
        selector = graph.value(evidence, OA.hasSelector)
        exact = graph.value(selector, OA.exact) if selector is not None else None
        words = [w for w in (hedges_in(str(exact)) if exact is not None else [])
                 if not any((evidence, prop, None) in graph for prop in NEEDS[w])]
        if words:
            statement = graph.value(None, SMAKG.evidence, evidence)
            needed = sorted({show(p) or "" for w in words for p in NEEDS[w]})
            findings.append(Finding(
                WARNING, show(statement if statement is not None else evidence) or "",
                f"the quote says {', '.join(repr(w) for w in words)} but its evidence records no "
                f"{' or '.join(needed)}: add the one the words mean to the claim, or shorten the quote to the words "
                "that state the fact", RULE.name, path="oa:exact", value=show(exact),
                location=locations.get(evidence)))
    return findings


def unrecorded_negations(graph: Graph, locations: Mapping[Node, Location]) -> list[Finding]:
    """One warning per evidence of a document whose quote negates while its statement is not negated."""
    findings = []
    for evidence in sorted_terms(graph.subjects(RDF.type, SMAKG.Evidence)):
        source = graph.value(evidence, OA.hasSource)
        if source is not None and (source, SMAKG.sourceKind, SMAKG.ReferenceRelease) in graph:
            continue  # a release's row (a label such as "... without contractures") states no negation
        statement = graph.value(None, SMAKG.evidence, evidence)
        if statement is None or (statement, SMAKG.negated, Literal(True)) in graph:
            continue
        selector = graph.value(evidence, OA.hasSelector)
        exact = graph.value(selector, OA.exact) if selector is not None else None
        words = negations_in(str(exact)) if exact is not None else []
        if words:
            findings.append(Finding(
                WARNING, show(statement) or "", f"the quote says {', '.join(repr(w) for w in words)} but its "
                "statement is not negated: a plain query reads it as positive; add smakg:negated true to the claim, "
                "or shorten the quote to the words that state the fact", NEGATION_RULE.name, path="oa:exact",
                value=show(exact), location=locations.get(evidence)))
    return findings
