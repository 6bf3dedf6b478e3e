"""Read a JSON-LD file given to a command (``smakg validate FILE.jsonld``) into the graph, offline: a context named
by URL is refused before pyld runs, and pyld's loader refuses anything else it would fetch. Each subject is
located at the first line that names it (by full IRI or CURIE), so reports point into the file."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from pyld import jsonld
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from smakg.errors import BadInputError
from smakg.files import read_text
from smakg.findings import Location
from smakg.kb.jsonld import OPTIONS, jsonld_error, read_jsonld
from smakg.kb.lexical import iri_problem, refuse_iri


def _term(value: dict[str, Any], bnode_prefix: str) -> Node:
    kind = value["type"]
    if kind == "IRI":
        return URIRef(value["value"])
    if kind == "blank node":
        return BNode(bnode_prefix + value["value"][2:])
    if "language" in value:
        return Literal(value["value"], lang=value["language"])
    datatype = value.get("datatype")
    if datatype in (None, str(XSD.string)):
        return Literal(value["value"])
    return Literal(value["value"], datatype=URIRef(datatype), normalize=False)  # as written: the lexical check sees it


def _line(text: str, iri: str, prefixes: dict[str, str]) -> int:
    """The line where the node is described (``"id": ...``), else the first line naming it, in full or as a CURIE
    of the document's prefixes; line 1 if neither is found."""
    forms = [iri] + [f"{p}:{iri[len(ns):]}" for p, ns in prefixes.items() if iri.startswith(ns) and iri != ns]
    for pattern in ([rf'"@?id"\s*:\s*"{re.escape(f)}"' for f in forms], [f'"{re.escape(f)}"' for f in forms]):
        spots = [m.start() for m in (re.search(p, text) for p in pattern) if m]
        if spots:
            return text.count("\n", 0, min(spots)) + 1
    return 1


def _contexts(value: object, found: list[dict[str, Any]]) -> None:
    """Every inline context object anywhere in the document (top level, nested, scoped in term definitions)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "@context":
                for ctx in item if isinstance(item, list) else [item]:
                    if isinstance(ctx, dict):
                        found.append(ctx)
                        for definition in ctx.values():
                            _contexts(definition, found)
            else:
                _contexts(item, found)
    elif isinstance(value, list):
        for item in value:
            _contexts(item, found)


def _keys(value: object, out: set[str]) -> None:
    """Every key of a node object (not inside a context, not a keyword, not inside a @value)."""
    if isinstance(value, dict):
        if "@value" in value:
            return
        for key, item in value.items():
            if key == "@context":
                continue
            out.add(key)
            _keys(item, out)
    elif isinstance(value, list):
        for item in value:
            _keys(item, out)


def unknown_keys(doc: object) -> list[str]:
    """Keys a JSON-LD processor would silently drop: not a keyword, not defined (or aliased) by any inline context,
    not an absolute IRI, not a CURIE of a defined prefix. Without @vocab each one is data lost without a word."""
    contexts: list[dict[str, Any]] = []
    _contexts(doc, contexts)
    defined = {k for ctx in contexts for k in ctx if not k.startswith("@")}
    if any("@vocab" in ctx for ctx in contexts):
        return []
    keys: set[str] = set()
    _keys(doc, keys)
    out = []
    for key in sorted(keys):
        prefix, colon, rest = key.partition(":")
        if key.startswith("@") or key in defined:
            continue
        if colon and (prefix in defined or rest.startswith("//") or prefix in ("urn", "_")):
            continue
        out.append(key)
    return out


def _iris(expanded: object) -> list[str]:
    """Every IRI of expanded JSON-LD (node ids, properties, classes and datatypes), blank nodes and keywords aside,
    walked without recursion."""
    found: list[str] = []
    stack = [expanded]
    while stack:
        value = stack.pop()
        if isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, dict):
            for key, item in value.items():
                if key in ("@id", "@type"):
                    found.extend(i for i in (item if isinstance(item, list) else [item])
                                 if isinstance(i, str) and not i.startswith(("_:", "@")))
                elif not key.startswith("@"):
                    found.append(key)
                    stack.append(item)
                elif key != "@value":
                    stack.append(item)
    return found


def check_version(path: Path, graph: Graph) -> None:
    """Refuse an export made by another smakg version (its dataset node says which): the shapes and the vocabulary
    it was made with differ, so validating it here would report the differences as errors in the data."""
    from smakg import __version__
    from smakg.kb.vocab import DATASET, SCHEMA

    for value in graph.objects(URIRef(DATASET), SCHEMA.version):
        if str(value) != __version__:
            raise BadInputError(f"{path}: an export of smakg {value}; this is smakg {__version__}",
                                hint=f"validate it with smakg {value}, or rebuild it from the knowledge base with "
                                     f"this version (smakg build), or compare releases with smakg diff")


def _value_line(text: str, lexical: str) -> int:
    """The first line where a JSON string or number of that form is written, else 1."""
    for form in (json.dumps(lexical, ensure_ascii=False), json.dumps(lexical), lexical):
        at = text.find(form)
        if at >= 0:
            return text.count("\n", 0, at) + 1
    return 1


def parse_jsonld_file(path: Path, graph: Graph, locations: dict[Node, Location],
                      literals: dict[Literal, Location] | None = None) -> dict[str, str]:
    """Add the file's triples to ``graph``; return the prefixes its inline context declares. An IRI that is none is
    bad input; ``literals``: where each typed literal is written (filled in, for the lexical check's report)."""
    doc = read_jsonld(path, "the JSON-LD file", top_level_list=True)
    dropped = unknown_keys(doc)
    if dropped:
        text = read_text(path)
        first = min((text.find(f'"{k}"') for k in dropped if text.find(f'"{k}"') >= 0), default=0)
        line = text.count("\n", 0, first) + 1
        raise BadInputError(f"{path}:{line}: {len(dropped)} key(s) the context does not define, which JSON-LD would "
                            f"silently drop: {', '.join(dropped[:8])}{' ...' if len(dropped) > 8 else ''}",
                            hint="use the keys of ontology/context.jsonld (a misspelt key or one of another "
                                 "version), or define them in the document's @context")
    text = read_text(path)
    dropped_iris: list[object] = []  # pyld passes None for a key that expands to nothing
    # a relative IRI resolves against the file, as in Turtle, so the checks name it (pyld's default base is
    # http://example.org/base/, which would publish a made-up IRI)
    options = {**OPTIONS, "base": path.resolve().as_uri()}
    try:
        expanded = jsonld.JsonLdProcessor(on_property_dropped=dropped_iris.append).expand(doc, options)
        contexts = [d.get("@context") for d in (doc if isinstance(doc, list) else [doc]) if isinstance(d, dict)]
        prefixes = {k: v for c in contexts if isinstance(c, dict) for k, v in c.items()
                    if isinstance(v, str) and not k.startswith("@") and v.endswith(("/", "#", "_"))}
        for iri in dict.fromkeys([str(d) for d in dropped_iris if d is not None] + _iris(expanded)):
            if iri_problem(iri) is not None:  # pyld would drop the triple without a word
                refuse_iri(iri, f"{path}:{_line(text, iri, prefixes)}")
        dataset = jsonld.to_rdf(expanded, options)
    except jsonld.JsonLdError as exc:
        raise BadInputError(f"{path}: the JSON-LD could not be read: {jsonld_error(exc)}",
                            hint="check it with a JSON-LD processor; smakg reads JSON-LD 1.1 with inline contexts"
                            ) from None
    named = sorted(name for name in dataset if name != "@default")
    if named:
        raise BadInputError(f"{path}: the JSON-LD holds named graphs ({', '.join(named[:3])}); smakg reads one graph",
                            hint="put the nodes in the top-level @graph")
    incoming = Graph()
    bnode_prefix = "j" + hashlib.sha256(str(path).encode()).hexdigest()[:8]
    for triple in dataset.get("@default", []):
        s, p, o = (_term(triple[k], bnode_prefix) for k in ("subject", "predicate", "object"))
        if literals is not None and isinstance(o, Literal) and o.datatype is not None and o not in literals:
            literals[o] = Location(str(path), _value_line(text, str(o)))
        incoming.add((s, p, o))
        if s not in locations:
            locations[s] = Location(str(path), _line(text, str(s), prefixes) if isinstance(s, URIRef) else 1)
    check_version(path, incoming)
    graph += incoming
    return prefixes
