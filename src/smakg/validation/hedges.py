"""A quote that hedges ("may", "can", "usually", "some", "in severe cases" ...) states its fact only as strongly as
its words do. When such a quote's evidence carries no qualifier that records the hedge (certainty, frequency,
generality or severity context), the curator most likely forgot it: a warning names the word.

>>> hedges_in("Breathing and swallowing may also be affected in severe cases.")
['may', 'in severe cases']
>>> hedges_in("SMARD1 is an autosomal recessive genetic disorder.")
[]
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from rdflib import Graph
from rdflib.namespace import RDF
from rdflib.term import Node

from smakg.findings import WARNING, Finding, Location, Rule
from smakg.kb.terms import sorted_terms
from smakg.kb.vocab import OA, SMAKG, show

RULE = Rule("smakg:check/hedge-without-qualifier",
            "A quote with a hedge or frequency word (may, can, could, might, some, usually, generally, in general, "
            "sometimes, often, likely, typically, rarely, in severe cases) has a qualifier on its evidence that "
            "records it (certainty, frequency, generality or severity).", WARNING)
HEDGES = ("may", "can", "could", "might", "some", "usually", "generally", "in general", "sometimes", "often",
          "likely", "typically", "rarely", "in severe cases")
_PATTERN = re.compile(r"\b(" + "|".join(re.escape(h).replace(r"\ ", r"\s+") for h in HEDGES) + r")\b",
                      re.IGNORECASE)
# The qualifiers that record how strongly a source states a fact (course and feature role do not).
RECORDING = (SMAKG.certainty, SMAKG.frequency, SMAKG.generality, SMAKG.severityContext)


def hedges_in(quote: str) -> list[str]:
    """The hedge words of a quote, lower-case, in order of appearance, each once."""
    found: list[str] = []
    for match in _PATTERN.finditer(quote):
        word = " ".join(match.group(1).lower().split())
        if word not in found:
            found.append(word)
    return found


def unrecorded_hedges(graph: Graph, locations: Mapping[Node, Location]) -> list[Finding]:
    """One warning per evidence whose quote hedges while the evidence records no qualifier."""
    findings = []
    for evidence in sorted_terms(graph.subjects(RDF.type, SMAKG.Evidence)):
        if any((evidence, prop, None) in graph for prop in RECORDING):
            continue
        selector = graph.value(evidence, OA.hasSelector)
        exact = graph.value(selector, OA.exact) if selector is not None else None
        words = hedges_in(str(exact)) if exact is not None else []
        if words:
            statement = graph.value(None, SMAKG.evidence, evidence)
            findings.append(Finding(
                WARNING, show(statement if statement is not None else evidence) or "",
                f"the quote says {', '.join(repr(w) for w in words)} but its evidence records no certainty, "
                "frequency, generality or severity qualifier: add the one the words mean to the claim, or shorten "
                "the quote to the words that state the fact", RULE.name, path="oa:exact", value=show(exact),
                location=locations.get(evidence)))
    return findings
