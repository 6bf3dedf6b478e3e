"""Canonical serialisations of a graph: a Turtle writer (``serialize``, ``to_turtle``) and sorted N-Triples
(``to_ntriples``). The Turtle writer: the same graph always gives the same bytes, whatever the load order or
hash seed. Blank nodes used once are written inline (``[ ... ]``) and RDF lists as ``( ... )``, ordered by
their own serialisation, so even curated files with blank nodes (claims, SHACL shapes) have one form.

>>> from rdflib import Graph
>>> g = Graph().parse(data='<http://e/a> <http://e/p> "x", "a" .', format="turtle")
>>> print(serialize(g, {"e": "http://e/"}), end="")
@prefix e: <http://e/> .
<BLANKLINE>
e:a e:p "a", "x" .
"""

from __future__ import annotations

import re
from collections import defaultdict

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.plugins.serializers.nt import _nt_row
from rdflib.term import Node

from smakg.kb.terms import triples
from smakg.kb.vocab import PREFIXES, Curies

_PN_LOCAL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?$")
_INTEGER = re.compile(r"^[+-]?\d+$")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
INDENT = "    "
# rdf:type first, then a reified triple in reading order, then the rest by IRI
_FIRST = {RDF.type: 0, RDF.subject: 1, RDF.predicate: 2, RDF.object: 3}


def _local_name(local: str) -> bool:
    """Can ``local`` be written as the local part of a prefixed name (empty, or Turtle's PN_LOCAL)?"""
    return local == "" or _PN_LOCAL.match(local) is not None


_TABLE = str.maketrans(_ESCAPES)
_LONG_TABLE = str.maketrans({k: v for k, v in _ESCAPES.items() if k != "\n"})


def _escape(text: str) -> str:
    r"""Turtle's string escapes, in C (``str.translate``): linear in the text, whatever its length.

    >>> _escape('a "b"\n\\')
    'a \\"b\\"\\n\\\\'
    """
    return text.translate(_TABLE)


class _Writer:
    def __init__(self, graph: Graph, prefixes: dict[str, str]) -> None:
        self.graph = graph
        self.curies = Curies(prefixes)
        self.refs: dict[Node, int] = defaultdict(int)
        for _s, _p, o in graph:
            if isinstance(o, BNode):
                self.refs[o] += 1
        self.visiting: set[Node] = set()
        self.labels: dict[BNode, str] = {}

    # ---- terms ----
    def iri(self, iri: URIRef) -> str:
        text = str(iri)
        return self.curies.compress(text, local=_local_name) or f"<{_escape(text)}>"

    def literal(self, lit: Literal) -> str:
        text = str(lit)
        if "\n" in text:  # long string: keep line breaks readable (SPARQL in shapes, long comments)
            long = text.translate(_LONG_TABLE)
            body = f'"""{long}"""'
        else:
            body = f'"{_escape(text)}"'
        if lit.language:
            return f"{body}@{lit.language}"
        if lit.datatype is None or lit.datatype == XSD.string:
            return body
        if lit.datatype == XSD.integer and _INTEGER.match(str(lit)):
            return str(lit)
        if lit.datatype == XSD.boolean and str(lit) in ("true", "false"):
            return str(lit)
        dt = self.iri(URIRef(lit.datatype))
        return f"{body}^^{dt}"

    def term(self, node: Node, depth: int) -> str:
        if isinstance(node, URIRef):
            return self.iri(node)
        if isinstance(node, Literal):
            return self.literal(node)
        if isinstance(node, BNode):
            if self._inlinable(node):
                return self.inline(node, depth)
            return self.labels.setdefault(node, f"_:b{len(self.labels)}")
        raise TypeError(f"cannot write {node!r} in Turtle")

    # ---- blank nodes ----
    def _inlinable(self, node: BNode) -> bool:
        return self.refs.get(node, 0) <= 1 and node not in self.visiting

    def _as_list(self, node: Node) -> list[Node] | None:
        items: list[Node] = []
        seen: set[Node] = set()
        while node != RDF.nil:
            if not isinstance(node, BNode) or node in seen or self.refs.get(node, 0) > 1:
                return None
            preds = set(self.graph.predicates(node, None))
            if preds != {RDF.first, RDF.rest}:
                return None
            firsts = list(self.graph.objects(node, RDF.first))
            rests = list(self.graph.objects(node, RDF.rest))
            if len(firsts) != 1 or len(rests) != 1:
                return None
            seen.add(node)
            items.append(firsts[0])
            node = rests[0]
        return items

    def inline(self, node: BNode, depth: int) -> str:
        items = self._as_list(node)
        self.visiting.add(node)
        try:
            if items is not None:
                return "( " + " ".join(self.term(i, depth + 1) for i in items) + " )"
            body = self.predicate_lines(node, depth + 1)
            if not body:
                return "[]"
            pad = INDENT * depth
            return "[\n" + " ;\n".join(body) + f"\n{pad}]"
        finally:
            self.visiting.discard(node)

    # ---- subjects ----
    def predicate_lines(self, subject: Node, depth: int) -> list[str]:
        pad = INDENT * depth
        by_pred: dict[URIRef, list[Node]] = defaultdict(list)
        for p, o in self.graph.predicate_objects(subject):
            by_pred[p].append(o)  # type: ignore[index]
        lines = []
        for p in sorted(by_pred, key=lambda x: (_FIRST.get(x, 9), str(x))):
            objects = sorted(self.term(o, depth) for o in by_pred[p])
            verb = "a" if p == RDF.type else self.iri(p)
            lines.append(f"{pad}{verb} " + ", ".join(objects))
        return lines

    def block(self, subject: Node) -> str:
        if isinstance(subject, BNode) and self._inlinable(subject) and self.refs.get(subject, 0) == 0:
            return self.inline(subject, 0) + " ."
        head = self.term(subject, 0) if not isinstance(subject, BNode) else self.labels.setdefault(
            subject, f"_:b{len(self.labels)}")
        lines = self.predicate_lines(subject, 1)
        first = lines[0].strip()
        rest = lines[1:]
        return head + " " + first + ("" if not rest else " ;\n" + " ;\n".join(rest)) + " ."

    def write(self) -> str:
        subjects = set(self.graph.subjects())
        iris = sorted((s for s in subjects if not isinstance(s, BNode)), key=str)
        # blank nodes written at top level: unreferenced ones, and shared ones that cannot be inlined
        top_bnodes = [s for s in subjects if isinstance(s, BNode) and self.refs.get(s, 0) != 1]
        blocks = [self.block(s) for s in iris]
        bnode_blocks = sorted(self.block(b) for b in top_bnodes)
        body = "\n\n".join(blocks + bnode_blocks)
        header = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(self.curies.used.items()))
        return header + ("\n" if header else "") + body + ("\n" if body else "")


def serialize(graph: Graph, prefixes: dict[str, str]) -> str:
    """Canonical Turtle for ``graph`` using only the prefixes it needs from ``prefixes``."""
    return _Writer(graph, prefixes).write()


def to_turtle(graph: Graph) -> str:
    """The graph as canonical Turtle with the project's prefixes."""
    return serialize(graph, PREFIXES)


def to_ntriples(graph: Graph, *, ordered: bool = True) -> str:
    """The graph as N-Triples, one triple a line, lines sorted (for bulk loading and diffs); ``ordered=False``:
    in the store's order, for a copy nobody reads (sorting is most of the cost at a million triples)."""
    rows = (_nt_row(t) for t in triples(graph))
    return "".join(sorted(rows) if ordered else rows)
