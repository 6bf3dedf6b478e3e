"""Typing help for the terms of a graph.

rdflib types every term its graph methods yield as ``Node``, which has no order; yet every term of a ``Graph``
(not of a formula) is an ``Identifier`` (URIRef, BNode or Literal), which has one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from rdflib.term import Identifier, Node


def sorted_terms(nodes: Iterable[Node]) -> list[Identifier]:
    """``sorted(nodes)``, typed: the terms of a graph are Identifiers (see the module's docstring)."""
    return sorted(cast("Iterable[Identifier]", nodes))
