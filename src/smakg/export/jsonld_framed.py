"""The condition-centred JSON-LD export: one framed document per condition (JSON-LD 1.1 framing with pyld, the
frame in ``ontology/frames/``), followed by every node the documents do not hold in full, so the file as a whole
expands to exactly the built graph.

A condition document holds the condition's names, cross-references, group (``subtypeOf``/``subtypes``),
inheritance, onset, phenotypes, courses and diagnostic methods (each term with its label), its genes by role
(``causalGenes``, ``modifierGenes``, each with its loci), and under each of these the ``statements`` about it
with their evidence (source title, quote, ECO type, qualifiers) nested; ``incomingStatements`` holds the statements
whose object is the condition (a gene causing it, a form that is its subtype), so the evidence of every fact of the
document is in the document. Sources, agents, ontology parents and the dataset
description follow the condition documents as flat nodes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pyld import jsonld
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from smakg.errors import BadInputError
from smakg.export.jsonld_direct import Compactor, Framer, Key, Unsupported, expand_frame, node_map, triples
from smakg.kb.jsonld import OPTIONS, dumps, jsonld_error, read_jsonld
from smakg.kb.jsonld_flat import compact, expanded, keyword_value_objects, ordered, value_aliases
from smakg.kb.terms import triples as triples_of_graph


def read_frame(path: Path) -> dict[str, Any]:
    """A frame file: a JSON object; its ``@context``, if any, inline (the project context is used otherwise)."""
    frame = read_jsonld(path, "the JSON-LD frame")
    if "@context" in frame and not isinstance(frame["@context"], dict):
        raise BadInputError(f"{path}: the frame's \"@context\" must be an inline JSON object",
                            hint="leave \"@context\" out to use the project's context")
    return frame


class _ReverseIndexed(dict[str, Any]):
    """pyld's node map with an index of who references whom. pyld 3.3 embeds a ``@reverse`` term by scanning every
    node of the graph (``state['subjects'].items()``) for each node it embeds, which is quadratic in the graph's size;
    that scan is the only caller of ``items()``, and the node being embedded is then on top of pyld's subject stack.
    So ``items()`` yields only the nodes that reference that node, in the node map's order: pyld's own test inside
    the scan keeps the same ones, in the same order, and the framed output is the same."""

    def __init__(self, nodes: dict[str, Any], stack: list[dict[str, Any]]) -> None:
        super().__init__(nodes)
        self._stack = stack
        self._referrers: dict[str, list[str]] | None = None

    def _index(self) -> dict[str, list[str]]:
        referrers: dict[str, list[str]] = {}
        for subject, node in super().items():
            seen: set[str] = set()
            for key, values in node.items():
                if key.startswith("@") or not isinstance(values, list):
                    continue
                for value in values:
                    target = value.get("@id") if isinstance(value, dict) else None
                    if isinstance(target, str) and target not in seen:
                        seen.add(target)
                        referrers.setdefault(target, []).append(subject)
        return referrers

    def items(self) -> Any:
        if not self._stack:
            return super().items()
        if self._referrers is None:
            self._referrers = self._index()
        current = self._stack[-1]["subject"]["@id"]
        return [(subject, self[subject]) for subject in self._referrers.get(current, ())]


class _Processor(jsonld.JsonLdProcessor):  # type: ignore[misc]  # pyld ships no types
    """pyld's processor with the reverse-property scan indexed (``_ReverseIndexed``); same output."""

    def _match_frame(self, state: dict[str, Any], subjects: Any, frame: Any, parent: Any, property: Any) -> Any:
        if not isinstance(state["subjects"], _ReverseIndexed):
            state["subjects"] = _ReverseIndexed(state["subjects"], state["subjectStack"])
        return super()._match_frame(state, subjects, frame, parent, property)


def frame_documents(doc: list[dict[str, Any]], frame: dict[str, Any], context: dict[str, Any], *,
                    source: str = "the frame", indexed: bool = True) -> list[dict[str, Any]]:
    """Frame expanded JSON-LD; return the top-level documents (compacted with the frame's or the given context).
    ``indexed=False`` frames with pyld's processor as it is (the tests compare the two)."""
    full = frame if "@context" in frame else {"@context": context, **frame}
    processor = _Processor() if indexed else jsonld.JsonLdProcessor()
    try:
        out = processor.frame(doc, full, {**OPTIONS, "omitDefault": True, "omitGraph": False})
    except jsonld.JsonLdError as exc:
        raise BadInputError(f"{source}: JSON-LD framing failed: {jsonld_error(exc)}",
                            hint="check the frame against the JSON-LD 1.1 Framing specification") from None
    docs: list[dict[str, Any]] = out.get("@graph", [])
    return docs


INCOMING = "incomingStatements"  # the statements whose rdf:object is the document's node (a @reverse term)


def _attach_incoming(docs: list[dict[str, Any]], statements: list[dict[str, Any]]) -> set[int]:
    """Give each top-level document the statements that point at it (``incomingStatements``): the evidence of the
    facts in which a gene, a subtype or another node has it as object. pyld cannot frame a reverse property whose
    values include literals, so the statements are framed on their own and attached by their object here.
    Returns the positions of the statements attached."""
    by_object: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for i, st in enumerate(statements):
        obj = st.get("object")
        target = obj.get("id") if isinstance(obj, dict) else obj
        if isinstance(target, str):  # the object is the document itself: a reference, as framing writes it
            by_object.setdefault(target, []).append((i, {**st, "object": target}))
    attached: set[int] = set()
    for d in docs:
        found = by_object.get(str(d.get("id", d.get("@id", ""))))
        if found:
            d[INCOMING] = sorted((st for _, st in found), key=lambda st: str(st.get("id", "")))
            attached.update(i for i, _ in found)
    return attached


def triples_of(docs: list[dict[str, Any]], context: dict[str, Any]) -> Graph:
    """The RDF a list of compacted documents expands to (pyld, offline)."""
    nquads = jsonld.to_rdf({"@context": context, "@graph": docs}, {**OPTIONS, "format": "application/n-quads"})
    return Graph().parse(data=nquads, format="nt")


ENGINES = ("direct", "indexed", "pyld")


def framed(graph: Graph, context: dict[str, Any], frame: dict[str, Any], *,
           frame_context: dict[str, Any] | None = None, source: str = "the frame",
           engine: str = "direct", doc: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The framed document in ``context``: a ``@graph`` of the framed documents (sorted by id) followed by the flat
    nodes of every subject the documents do not hold completely (sorted by id), so nothing of the graph is lost.
    The frame's keys are read with its own ``@context``, else ``frame_context``, else ``context``.

    ``engine``: ``direct`` frames and compacts from the graph's node map in linear time (``jsonld_direct``), and
    falls back to pyld for what it does not port; ``indexed`` is pyld's framing with its reverse scan indexed;
    ``pyld`` is pyld's framing as it is, the reference the others are tested against. ``doc``: the graph's
    ``expanded`` form when already made (it is not changed)."""
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}")
    doc = expanded(graph) if doc is None else doc
    if engine == "direct":
        try:
            return _framed_direct(graph, doc, context, frame, frame_context)
        except (Unsupported, jsonld.JsonLdError):  # pyld says what is wrong with a bad frame, or frames what is new
            engine = "indexed"
    return _framed_pyld(graph, doc, context, frame, frame_context=frame_context, source=source,
                        indexed=engine == "indexed")


def _key(s: Node, p: Node, o: Node) -> Key:
    if isinstance(o, Literal):
        return (str(s), str(p), ("l", str(o), str(o.datatype) if o.datatype else None, o.language))
    if not isinstance(s, URIRef) or not isinstance(o, URIRef):
        raise Unsupported("blank nodes")
    return (str(s), str(p), ("i", str(o)))


def _framed_direct(graph: Graph, doc: list[dict[str, Any]], context: dict[str, Any], frame: dict[str, Any],
                   frame_context: dict[str, Any] | None) -> dict[str, Any]:
    """``framed`` by ``jsonld_direct``: the same documents, and the triples they hold read off the framed tree
    rather than by turning the documents back into RDF."""
    nodes = node_map(doc)
    frame_ctx = frame.get("@context", frame_context or context)
    frame = dict(frame)
    incoming = frame.pop(INCOMING, None)
    same = frame_ctx == context  # then value objects are written with keywords as they are compacted
    compactor = Compactor(frame_ctx, value_keywords=value_aliases(context) if same else None)
    framer = Framer(nodes)
    main = framer.frame(expand_frame(frame if "@context" in frame else {"@context": frame_ctx, **frame}))
    docs: list[dict[str, Any]] = compactor.document(main)
    covered: set[Key] = set()
    triples(main, covered)
    if isinstance(incoming, dict):
        st_frame = {**incoming, "type": "Statement"}
        # only statements whose object may compact to a document's id can be attached: frame just those
        obj = compactor.expand("object")
        ids = {str(d.get("id", d.get("@id", ""))) for d in docs}
        candidates = [s for s, node in nodes.items() if any(
            "@id" in v and (compactor.iri(v["@id"], False) in ids or compactor.iri(v["@id"], True) in ids)
            for v in node.get(obj, ()))]
        expanded_statements = framer.frame(expand_frame(
            st_frame if "@context" in st_frame else {"@context": frame_ctx, **st_frame}), candidates)
        statements = compactor.document(expanded_statements)
        attached = _attach_incoming(docs, statements)
        triples([expanded_statements[i] for i in sorted(attached)], covered, prune=obj)
    if not same:
        docs = keyword_value_objects(jsonld.compact({"@context": frame_ctx, "@graph": docs}, {"@context": context},
                                                    {**OPTIONS, "graph": True}).get("@graph", []), context)
    docs = [ordered(d) for d in docs]
    docs.sort(key=lambda d: str(d.get("id", d.get("@id", ""))))
    missing = {str(s) for s, p, o in triples_of_graph(graph) if _key(s, p, o) not in covered}
    flat = compactor if same else Compactor(context, value_keywords=value_aliases(context))
    rest = flat.document([n for n in doc if n["@id"] in missing])
    return {"@context": context, "@graph": docs + ordered(rest)}


def _framed_pyld(graph: Graph, doc: list[dict[str, Any]], context: dict[str, Any], frame: dict[str, Any], *,
                 frame_context: dict[str, Any] | None, source: str, indexed: bool) -> dict[str, Any]:
    frame_ctx = frame.get("@context", frame_context or context)
    frame = dict(frame)
    incoming = frame.pop(INCOMING, None)
    docs = frame_documents(doc, frame, frame_ctx, source=source, indexed=indexed)
    if isinstance(incoming, dict):
        _attach_incoming(docs, frame_documents(doc, {**incoming, "type": "Statement"}, frame_ctx, source=source,
                                               indexed=indexed))
    if frame_ctx != context:
        docs = jsonld.compact({"@context": frame_ctx, "@graph": docs}, {"@context": context},
                              {**OPTIONS, "graph": True}).get("@graph", [])
    docs = [ordered(d) for d in keyword_value_objects(docs, context)]
    docs.sort(key=lambda d: str(d.get("id", d.get("@id", ""))))
    covered = triples_of(docs, context)
    missing = {str(s) for s, p, o in graph if (s, p, o) not in covered}
    rest = ordered(compact([n for n in doc if n["@id"] in missing], context))["@graph"]
    return {"@context": context, "@graph": docs + rest}


def to_conditions(graph: Graph, context_doc: dict[str, Any], frame: dict[str, Any], *,
                  source: str = "the frame", doc: list[dict[str, Any]] | None = None) -> str:
    """The text of ``smakg.conditions.jsonld``: the project frame read with the project context."""
    return dumps(framed(graph, context_doc["@context"], frame, frame_context=context_doc["@context"],
                        source=source, doc=doc))
