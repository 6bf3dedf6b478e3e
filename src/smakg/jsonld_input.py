"""Read a JSON-LD file given to a command (``smakg validate FILE.jsonld``) into the graph, offline: a context named
by URL is refused before pyld runs, and pyld's loader refuses anything else it would fetch. Each subject is
located at the first line that names it (by full IRI or CURIE), so reports point into the file."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from pyld import jsonld
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from .errors import BadInputError
from .jsonld_flat import OPTIONS, jsonld_error
from .jsonld_offline import read_jsonld
from .load import Location, read_text

SUFFIXES = (".jsonld", ".json")


def _term(value: dict, bnode_prefix: str) -> Node:
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
    return Literal(value["value"], datatype=URIRef(datatype))


def _line(text: str, iri: str, prefixes: dict[str, str]) -> int:
    """The line where the node is described (``"id": ...``), else the first line naming it, in full or as a CURIE
    of the document's prefixes; line 1 if neither is found."""
    forms = [iri] + [f"{p}:{iri[len(ns):]}" for p, ns in prefixes.items() if iri.startswith(ns) and iri != ns]
    for pattern in ([rf'"@?id"\s*:\s*"{re.escape(f)}"' for f in forms], [f'"{re.escape(f)}"' for f in forms]):
        spots = [m.start() for m in (re.search(p, text) for p in pattern) if m]
        if spots:
            return text.count("\n", 0, min(spots)) + 1
    return 1


def parse_jsonld_file(path: Path, graph: Graph, locations: dict[Node, Location]) -> dict[str, str]:
    """Add the file's triples to ``graph``; return the prefixes its inline context declares."""
    doc = read_jsonld(path, "the JSON-LD file", top_level_list=True)
    try:
        dataset = jsonld.to_rdf(doc, OPTIONS)
    except jsonld.JsonLdError as exc:
        raise BadInputError(f"{path}: the JSON-LD could not be read: {jsonld_error(exc)}",
                            hint="check it with a JSON-LD processor; smakg reads JSON-LD 1.1 with inline contexts"
                            ) from None
    named = sorted(name for name in dataset if name != "@default")
    if named:
        raise BadInputError(f"{path}: the JSON-LD holds named graphs ({', '.join(named[:3])}); smakg reads one graph",
                            hint="put the nodes in the top-level @graph")
    contexts = [d.get("@context") for d in (doc if isinstance(doc, list) else [doc]) if isinstance(d, dict)]
    prefixes = {k: v for c in contexts if isinstance(c, dict) for k, v in c.items()
                if isinstance(v, str) and not k.startswith("@") and v.endswith(("/", "#", "_"))}
    text = read_text(path)
    bnode_prefix = "j" + hashlib.sha256(str(path).encode()).hexdigest()[:8]
    for triple in dataset.get("@default", []):
        s, p, o = (_term(triple[k], bnode_prefix) for k in ("subject", "predicate", "object"))
        graph.add((s, p, o))
        if s not in locations:
            locations[s] = Location(str(path), _line(text, str(s), prefixes) if isinstance(s, URIRef) else 1)
    return prefixes
