"""Typing help for the terms of a graph.

rdflib types every term its graph methods yield as ``Node``, which has no order; yet every term of a ``Graph``
(not of a formula) is an ``Identifier`` (URIRef, BNode or Literal), which has one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, cast

from rdflib import Graph
from rdflib.plugins.stores.memory import Memory
from rdflib.term import _ORDERING, Identifier, Literal, Node, URIRef

Triple = tuple[Node, Node, Node]


def sorted_terms(nodes: Iterable[Node]) -> list[Identifier]:
    """``sorted(nodes)``, typed: the terms of a graph are Identifiers (see the module's docstring)."""
    return sorted(cast("Iterable[Identifier]", nodes))


Index = dict[Node, dict[Node, dict[Node, Any]]]


def _index(graph: Graph) -> Index | None:
    """rdflib's subject index of the graph's in-memory store, when the store holds this graph's triples only."""
    store = graph.store
    if type(store) is not Memory or type(graph) is not Graph:
        return None
    spo: Index | None = getattr(store, "_Memory__spo", None)
    if spo is None or sum(len(objects) for po in spo.values() for objects in po.values()) != len(graph):
        return None
    return spo


def indexes(graph: Graph) -> tuple[Index, Index, Index] | None:
    """rdflib's three indexes of the graph's in-memory store (subject -> predicate -> object, predicate -> object
    -> subject, object -> subject -> predicate), when the store holds this graph's triples only; read them, never
    change them."""
    spo = _index(graph)
    if spo is None:
        return None
    store = graph.store
    found: tuple[Index, Index, Index] = (spo, store._Memory__pos, store._Memory__osp)  # type: ignore[attr-defined]
    for index in found:  # rdflib's remove leaves emptied inner dicts behind: keys that are no longer terms
        for inner in index.values():
            if not inner or not all(inner.values()):
                return None
    return found


def indexes_or_built(graph: Graph) -> tuple[Index, Index, Index]:
    """``indexes(graph)``, or where the store cannot give them, the same three indexes made from the triples."""
    found = indexes(graph)
    if found is not None:
        return found
    spo: Index = {}
    pos: Index = {}
    osp: Index = {}
    for s, p, o in graph:
        spo.setdefault(s, {}).setdefault(p, {})[o] = 1
        pos.setdefault(p, {}).setdefault(o, {})[s] = 1
        osp.setdefault(o, {}).setdefault(s, {})[p] = 1
    return spo, pos, osp


def triples(graph: Graph) -> Iterator[Triple]:
    """The graph's triples (in no order), read from the store's index where it can be: iterating a ``Graph``
    costs several microseconds a triple in rdflib's generators, which is most of what a large export spends."""
    spo = _index(graph)
    if spo is None:
        yield from graph
        return
    for s, po in spo.items():
        for p, objects in po.items():
            for o in objects:
                yield s, p, o


def _key(term: Node) -> tuple[int, Any]:
    if isinstance(term, Literal):
        return (_LITERAL, term)  # a literal is compared by rdflib (value space), and only with literals
    return (_ORDERING[type(term)], str(term))


_LITERAL = _ORDERING[Literal]


def sorted_triples(graph: Graph) -> list[Triple]:
    """``sorted(graph)``, the same list, made from the store's subject index: IRIs are ordered as strings (in C),
    each subject's predicates and each predicate's objects on their own, so rdflib's Python comparisons run only
    between the objects of one subject and predicate (literals, in rdflib's value order). A graph with blank
    nodes, or not in a store of its own, is sorted by rdflib.

    >>> from rdflib import URIRef
    >>> g = Graph()
    >>> for s, o in (("b", Literal(10)), ("a", Literal(9)), ("b", Literal(9)), ("b", URIRef("x:z"))):
    ...     _ = g.add((URIRef("x:" + s), URIRef("x:p"), o))
    >>> sorted_triples(g) == sorted(g)
    True
    """
    try:
        return _sorted_triples(graph)
    except ArithmeticError:  # rdflib's value order compares a NaN with a decimal (InvalidOperation)
        return sorted(graph, key=lambda t: (t[0].n3(), t[1].n3(), t[2].n3()))


def _sorted_triples(graph: Graph) -> list[Triple]:
    spo = _index(graph)
    if spo is None or not all(type(s) is URIRef for s in spo):
        return sorted(graph)
    out: list[Triple] = []
    for subject in sorted(spo, key=str):
        po = spo[subject]
        if not all(type(p) is URIRef for p in po):
            return sorted(graph)
        for p in sorted(po, key=str):
            objects = po[p]
            if len(objects) == 1:
                out.extend((subject, p, o) for o in objects)
            elif all(type(o) is URIRef for o in objects):
                out.extend((subject, p, o) for o in sorted(objects, key=str))
            else:
                out.extend((subject, p, o) for o in sorted(objects, key=_key))
    return out
