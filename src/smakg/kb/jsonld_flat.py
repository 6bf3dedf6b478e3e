"""The built graph as JSON-LD 1.1 through pyld (the JSON-LD API's own algorithms): the expanded form, the context
check, compaction, and one fixed byte form for every JSON-LD file smakg writes."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from pyld import jsonld
from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from smakg.errors import BadInputError
from smakg.kb.jsonld import OPTIONS, dumps, jsonld_error, read_jsonld
from smakg.kb.jsonld_compact import Compactor, Unsupported
from smakg.kb.terms import sorted_triples

FIRST_KEYS = ("@context", "id", "@id", "type", "@type", "label", "subject", "predicate", "object", "objectValue")
LAST_KEYS = ("statements",)
_NATIVE = (str(XSD.integer), str(XSD.boolean))  # the datatypes JSON has native values for


def expanded(graph: Graph) -> list[dict[str, Any]]:
    """Expanded JSON-LD of the graph as pyld's RDF-to-JSON-LD algorithm writes it (nodes sorted by id, values in
    the order of the sorted triples), integers and booleans as JSON numbers and booleans where the lexical form is
    canonical, so they compact to native JSON values and round-trip exactly.

    The algorithm is written out here for the graphs smakg builds (one graph, no RDF lists, no JSON literals); a
    graph with those goes through pyld (``expanded_by_pyld``, which the tests compare with). pyld is handed the
    triples as its RDF dataset structure (sorted), not as N-Quads text: its N-Quads parser removes duplicates in
    quadratic time.
    """
    nodes: dict[str, dict[str, Any]] = {}
    for s, p, o in sorted_triples(graph):
        subject = f"_:{s}" if isinstance(s, BNode) else str(s)
        node = nodes.get(subject)
        if node is None:
            node = nodes[subject] = {"@id": subject}
        predicate = str(p)
        if isinstance(o, Literal):
            lexical = str(o)
            value: dict[str, Any] = {"@value": lexical}
            if o.language:
                value["@language"] = o.language
            else:
                datatype = str(o.datatype) if o.datatype else _XSD_STRING
                if datatype == _RDF_JSON:
                    return expanded_by_pyld(graph)
                if datatype == _XSD_INTEGER:
                    if _CANONICAL_INTEGER.fullmatch(lexical) and lexical == str(int(lexical)):
                        value["@value"] = int(lexical)
                    value["@type"] = datatype
                elif datatype == _XSD_BOOLEAN:
                    if lexical in ("true", "false"):
                        value["@value"] = lexical == "true"
                    value["@type"] = datatype
                elif datatype != _XSD_STRING:
                    value["@type"] = datatype
        else:
            target = f"_:{o}" if isinstance(o, BNode) else str(o)
            if target == _RDF_NIL:
                return expanded_by_pyld(graph)
            if target not in nodes:
                nodes[target] = {"@id": target}
            if predicate == _RDF_TYPE:
                node.setdefault("@type", []).append(target)
                continue
            value = {"@id": target}
        node.setdefault(predicate, []).append(value)
    return [node for _, node in sorted(nodes.items()) if len(node) > 1 or "@id" not in node]


_XSD_STRING, _XSD_INTEGER, _XSD_BOOLEAN = str(XSD.string), str(XSD.integer), str(XSD.boolean)
_RDF_JSON, _RDF_NIL, _RDF_TYPE = str(RDF.JSON), str(RDF.nil), str(RDF.type)
_CANONICAL_INTEGER = re.compile(r"-?[0-9]+")


def expanded_by_pyld(graph: Graph) -> list[dict[str, Any]]:
    """``expanded`` by pyld's own ``from_rdf``: the reference, and the path for RDF lists and JSON literals."""
    triples = [{"subject": _term(s), "predicate": _term(p), "object": _term(o)} for s, p, o in
               sorted_triples(graph)]
    doc: list[dict[str, Any]] = _native(jsonld.from_rdf({"@default": triples}, {}))
    return doc


def _term(node: Node) -> dict[str, str]:
    if isinstance(node, Literal):
        if node.language:
            return {"type": "literal", "value": str(node), "datatype": str(RDF.langString), "language": node.language}
        return {"type": "literal", "value": str(node), "datatype": str(node.datatype or XSD.string)}
    if isinstance(node, BNode):
        return {"type": "blank node", "value": f"_:{node}"}
    return {"type": "IRI", "value": str(node)}


def _native(value: Any) -> Any:
    if isinstance(value, list):
        return [_native(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "@value" in value and value.get("@type") in _NATIVE and isinstance(value["@value"], str):
        lexical = value["@value"]
        if value["@type"] == str(XSD.integer) and re.fullmatch(r"-?[0-9]+", lexical) and lexical == str(int(lexical)):
            return {**value, "@value": int(lexical)}
        if value["@type"] == str(XSD.boolean) and lexical in ("true", "false"):
            return {**value, "@value": lexical == "true"}
        return value
    return {k: _native(v) for k, v in value.items()}


def read_context(path: Path) -> dict[str, Any]:
    """A context document (``{"@context": {...}}``, the context inline), checked by pyld's context processing so a
    bad term definition is reported here, naming the file, rather than in the middle of an export."""
    doc = read_jsonld(path, "the JSON-LD context")
    ctx = doc.get("@context")
    if not isinstance(ctx, dict):
        raise BadInputError(f"{path}: a context file must be an object whose \"@context\" is an inline JSON object",
                            hint="write {\"@context\": {\"@version\": 1.1, ...}}")
    problem = _context_problem(ctx)
    if problem:
        term, message = problem
        where = f" in the definition of {term!r}" if term else ""
        raise BadInputError(f"{path}: the JSON-LD context is invalid{where}: {message}",
                            hint="fix that term definition (JSON-LD 1.1 syntax, section 9.15 Context Definitions)")
    return doc


def _context_problem(ctx: dict[str, Any]) -> tuple[str | None, str] | None:
    """None if pyld processes the context; else the first term whose definition fails (alone with the context's
    keywords and plain prefixes), or None for the term when only the whole fails, and pyld's message."""

    def fails(local: dict[str, Any]) -> str | None:
        try:
            jsonld.expand({"@context": local}, OPTIONS)
        except jsonld.JsonLdError as exc:
            return jsonld_error(exc)
        return None

    whole = fails(ctx)
    if whole is None:
        return None
    base = {k: v for k, v in ctx.items() if k.startswith("@") or isinstance(v, str)}
    if fails(base):
        return None, whole
    for term, definition in ctx.items():
        if term not in base:
            message = fails({**base, term: definition})
            if message:
                return term, message
    return None, whole


def compact(doc: list[dict[str, Any]], context: dict[str, Any]) -> dict[str, Any]:
    """Compact expanded JSON-LD with an inline context; the result always has a ``@graph``."""
    try:
        out: dict[str, Any] = jsonld.compact(doc, {"@context": context}, {**OPTIONS, "graph": True})
    except jsonld.JsonLdError as exc:
        raise BadInputError(f"JSON-LD compaction with the given context failed: {jsonld_error(exc)}",
                            hint="check the context's term definitions") from None
    out["@graph"] = keyword_value_objects(out.get("@graph", []), context)
    out["@context"] = context
    return out


def value_aliases(context: dict[str, Any]) -> dict[str, str]:
    """The context's aliases of ``@type``, ``@value`` and ``@language`` (e.g. ``"type": "@type"``)."""
    found = {}
    for term, definition in context.items():
        keyword = definition.get("@id") if isinstance(definition, dict) else definition
        if keyword in ("@type", "@value", "@language"):
            found[term] = keyword
    return found


def keyword_value_objects(value: Any, context: dict[str, Any]) -> Any:
    """Write value objects (typed literals) with the keywords ``@value``/``@type``, not their aliases:
    rdflib 7.6 drops the datatype of ``{"type": ..., "value": ...}`` when the ``@type`` alias is a ``@set``."""
    aliases = value_aliases(context)
    value_keys = {k for k, v in aliases.items() if v == "@value"} | {"@value"}

    def walk(item: Any) -> Any:
        if isinstance(item, list):
            return [walk(v) for v in item]
        if not isinstance(item, dict):
            return item
        if value_keys & item.keys():
            return {aliases.get(k, k): v for k, v in item.items()}
        return {k: walk(v) for k, v in item.items()}

    return walk(value)


def _sort_key(value: Any) -> tuple[int, str]:
    if isinstance(value, dict):
        ident = value.get("id", value.get("@id"))
        if ident is not None:
            return (1, str(ident))
        return (2, json.dumps(value, sort_keys=True, ensure_ascii=False))
    if isinstance(value, str):
        return (0, value)
    return (0, json.dumps(value))


def ordered(value: Any) -> Any:
    """One order for everything: keys id, type, label (and a statement's subject, predicate, object) first, then
    alphabetical, nested statements last; array members (JSON-LD sets; the data has no lists) by id or value.
    The context itself is left as written."""
    if isinstance(value, list):
        out = [ordered(v) if isinstance(v, dict | list) else v for v in value]
        if len(out) > 1:
            out.sort(key=_sort_key)
        return out
    if not isinstance(value, dict):
        return value
    return {k: value[k] if k == "@context" or not isinstance(value[k], dict | list) else ordered(value[k])
            for k in sorted(value, key=_key_rank)}


_RANKS = {**{k: (0, i, "") for i, k in enumerate(FIRST_KEYS)}, **{k: (2, i, "") for i, k in enumerate(LAST_KEYS)}}


def _key_rank(key: str) -> tuple[int, int, str]:
    """The first keys in their order, then the rest alphabetically, then the last keys."""
    return _RANKS.get(key) or (1, 0, key)


def compact_fast(doc: list[dict[str, Any]], context: dict[str, Any]) -> dict[str, Any]:
    """``compact`` by ``jsonld_compact`` (linear), or by pyld for what that does not port: the same document."""
    try:
        nodes = Compactor(context, value_keywords=value_aliases(context)).document(doc)
    except Unsupported:
        return compact(doc, context)
    return {"@graph": nodes, "@context": context}  # value objects already written with keywords


def to_flat(graph: Graph, context_doc: dict[str, Any], *, direct: bool = True,
            doc: list[dict[str, Any]] | None = None) -> str:
    """The flat export: the context inline, then a ``@graph`` of every node, each with its ``id`` and ``type``.
    ``direct=False`` compacts with pyld itself (the reference the tests compare with); ``doc``: the graph's
    ``expanded`` form when already made (it is not changed)."""
    doc = expanded(graph) if doc is None else doc
    context = context_doc["@context"]
    return dumps(ordered(compact_fast(doc, context) if direct else compact(doc, context)))
