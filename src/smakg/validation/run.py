"""Every check, run from one place: the SHACL shapes, the Python checks of the built graph, and (when their inputs
are given) the quote and identifier checks. ``smakg build``, ``validate``, ``export`` and mutation testing all
validate through ``validate_built``."""

from __future__ import annotations

import time
from collections.abc import Callable, MutableMapping
from pathlib import Path
from typing import TypeVar

from smakg.findings import Outcome
from smakg.kb.build import Built
from smakg.kb.expand import CLAIM_SHAPE, NO_BLANK_NODES
from smakg.project import Project
from smakg.validation import checks, hedges
from smakg.validation.catalog import shape_rules
from smakg.validation.quotes import verify_quotes
from smakg.validation.shacl import Shapes, load_shapes, run_shacl
from smakg.validation.xrefs import verify_xrefs

T = TypeVar("T")


def validate_built(built: Built, project: Project, *, sources_dir: Path | None = None,
                   table: Path | None = None, shapes: Shapes | None = None,
                   timings: MutableMapping[str, float] | None = None, shacl: str = "set") -> Outcome:
    """Shapes plus the Python checks; quotes and identifiers too when their inputs are given. ``shapes``: the
    project's shapes already loaded (by ``load_shapes``), for callers that validate many graphs. ``shacl``: the
    SHACL engine (``set`` or ``pyshacl``: the same findings). ``timings``, when given, receives the seconds of
    each check (``validate:shapes``, ``validate:checks``, ...) for benchmarks."""

    def timed(name: str, step: Callable[[], T]) -> T:
        start = time.perf_counter()
        result = step()
        if timings is not None:
            timings[f"validate:{name}"] = timings.get(f"validate:{name}", 0.0) + time.perf_counter() - start
        return result

    outcome = Outcome()
    shapes = shapes or timed("shapes", lambda: load_shapes(project.shapes))
    outcome.add_rules([CLAIM_SHAPE, NO_BLANK_NODES, *shape_rules(shapes), checks.RULE, checks.LEXICAL_RULE,
                       hedges.RULE, hedges.NEGATION_RULE])
    outcome.extend(built.findings)
    outcome.extend(timed("shapes", lambda: run_shacl(built.graph, shapes, built.locations, engine=shacl)))
    outcome.extend(timed("checks", lambda: checks.undeclared_iris(built.graph, built.vocabulary, built.locations)))
    outcome.extend(timed("checks", lambda: checks.ill_typed_literals(built)))
    outcome.extend(timed("checks", lambda: hedges.unrecorded_hedges(built.graph, built.locations)))
    outcome.extend(timed("checks", lambda: hedges.unrecorded_negations(built.graph, built.locations)))
    if sources_dir is not None:
        given = sources_dir
        quotes = timed("quotes", lambda: verify_quotes(built.graph, given, built.locations))
        outcome.extend(quotes.findings)
        outcome.checked.update(quotes.checked)
        outcome.add_rules(list(quotes.rules.values()))
    if table is not None:
        chosen = table
        xrefs = timed("identifiers", lambda: verify_xrefs(built.graph, chosen, built.locations))
        outcome.extend(xrefs.findings)
        outcome.checked.update(xrefs.checked)
        outcome.add_rules(list(xrefs.rules.values()))
    return outcome
