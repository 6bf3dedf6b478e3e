"""A SPARQL processor that parses each distinct query text once, and orders its joins from ``$this``.

pyshacl hands rdflib the text of a SHACL-SPARQL constraint for every focus node; parsing it costs about
12 ms each time (performance notes). Registering this processor under rdflib's default name makes the
parse happen once per text and process, with the same results (rdflib's prepared-query path).

rdflib fixes the order of a basic graph pattern's joins when it translates the query, counting the variables each
pattern leaves unbound; pyshacl binds ``$this`` only when it evaluates, so ``$this`` counts as unbound and a
constraint may start from a pattern that matches every statement of the graph (``?st rdf:predicate
skos:exactMatch``), for every focus node: quadratic. A query that is given ``this`` as a binding is translated
with ``this`` counted as bound, so its joins start from the focus node. Join order changes the cost, never the
solutions.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from rdflib import Variable, plugin
from rdflib.plugins.sparql import algebra
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.processor import SPARQLProcessor
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Processor

THIS = Variable("this")
ORDER_FROM_THIS = True  # False: rdflib's own join order (the tests compare the two)
_BOUND: set[Variable] = set()  # the variables counted as bound while a query is translated
_known_terms = algebra._knownTerms


def _known_terms_bound(triple: Any, varsknown: Any, varscount: Any) -> tuple[int, int, bool]:
    return _known_terms(triple, varsknown | _BOUND if _BOUND else varsknown, varscount)


algebra._knownTerms = _known_terms_bound  # rdflib's reorderTriples looks it up by name at each call


@lru_cache(maxsize=512)
def _prepared(text: str, base: str | None, namespaces: tuple[tuple[str, str], ...], this_bound: bool) -> Query:
    _BOUND.clear()
    if this_bound:
        _BOUND.add(THIS)
    try:
        return translateQuery(parseQuery(text), base, dict(namespaces))
    finally:
        _BOUND.clear()


class CachingSPARQLProcessor(SPARQLProcessor):
    """rdflib's SPARQL processor with a cache of parsed and translated query texts."""

    def query(  # type: ignore[override]
        self,
        strOrQuery: Any,
        initBindings: Mapping[str, Any] | None = None,
        initNs: Mapping[str, Any] | None = None,
        base: str | None = None,
        DEBUG: bool = False,
    ) -> Mapping[str, Any]:
        if isinstance(strOrQuery, str):
            namespaces = tuple(sorted((str(k), str(v)) for k, v in (initNs or {}).items()))
            this_bound = ORDER_FROM_THIS and initBindings is not None and "this" in initBindings
            strOrQuery = _prepared(strOrQuery, base, namespaces, this_bound)
        return super().query(strOrQuery, initBindings, initNs, base, DEBUG)


def install() -> None:
    """Make rdflib's default SPARQL processor the caching one (idempotent)."""
    plugin.register("sparql", Processor, "smakg.validation.sparqlcache", "CachingSPARQLProcessor")
