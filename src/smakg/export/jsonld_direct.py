"""JSON-LD framing and compaction written directly from the node map, in linear time, with pyld's exact output.

pyld's framing expands its input again, builds a node map, frames, cleans up, compacts (choosing a term for every
property value by scanning the context) and the export then turns the documents back into RDF (pyld ``to_rdf``
and rdflib's N-Triples reader) to find what they do not hold. Here the same algorithms run once on the graph's own
node map: the framing is a port of pyld 3.3's ``_match_frame`` (its quirks included: a reverse property embeds
with the parent's ``embedded`` flag and resets the embed map at the top level), compaction asks pyld for each
*kind* of value once (term selection and value compaction memoised by property, datatype and language) and
compacts IRIs against an index of the context's prefixes, and what the documents hold is read off the framed
tree. Anything outside what the port covers (blank nodes, lists, named graphs, ``@included``, defaults, value or
list patterns, scoped contexts, maps and nesting) raises ``Unsupported`` and the caller uses pyld itself; the
tests compare the two byte for byte (``tests/test_jsonld_direct.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pyld import jsonld

from smakg.kb.jsonld_compact import KEYWORDS as _KEYWORDS
from smakg.kb.jsonld_compact import Compactor, Unsupported, options

__all__ = ["Compactor", "Framer", "Unsupported", "expand_frame", "node_map", "triples"]


def node_map(doc: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The merged node map pyld's framing builds from flat expanded JSON-LD without blank nodes: every node by id
    in sorted order, with a bare node for every IRI only referenced."""
    nodes: dict[str, dict[str, Any]] = {}
    for node in doc:
        ident = node["@id"]
        if ident.startswith("_:"):
            raise Unsupported("blank nodes")
        nodes[ident] = node
        for prop, values in node.items():
            if prop.startswith("@"):
                if prop not in ("@id", "@type"):
                    raise Unsupported(f"{prop} in the input")
                continue
            for value in values:
                target = value.get("@id")
                if target is not None:
                    if target.startswith("_:"):
                        raise Unsupported("blank nodes")
                    nodes.setdefault(target, {"@id": target})
                elif "@list" in value or value.get("@value") == "@null":
                    raise Unsupported("lists and '@null' literals")
    return dict(sorted(nodes.items()))


def _flag(frame: dict[str, Any], name: str, default: Any) -> Any:
    value = frame.get("@" + name, [default])[0]
    if name == "embed":
        value = {True: "@once", False: "@never"}.get(value, value) if isinstance(value, bool) else value
        if value not in ("@always", "@never", "@once"):
            raise Unsupported(f"@embed {value}")
    return value


def _is_empty(value: Any) -> bool:
    return isinstance(value, dict) and not value


class Framer:
    """A port of pyld 3.3's framing (``_match_frame``) over a node map, the reverse scan indexed."""

    def __init__(self, nodes: dict[str, dict[str, Any]]) -> None:
        self.nodes = nodes
        self.stack: list[str] = []
        self._referrers: dict[str, list[str]] | None = None
        self._flags: dict[int, tuple[str, bool, bool]] = {}
        self._sorted: dict[int, list[tuple[str, Any]]] = {}
        self._items: dict[str, list[tuple[str, Any]]] = {}
        self._frames: list[dict[str, Any]] = []
        self._implicit: dict[tuple[str, bool, bool], list[dict[str, Any]]] = {}

    def referrers(self, ident: str) -> list[str]:
        if self._referrers is None:
            found: dict[str, list[str]] = {}
            for subject, node in self.nodes.items():
                seen: set[str] = set()
                for key, values in node.items():
                    if key.startswith("@"):
                        continue
                    for value in values:
                        target = value.get("@id")
                        if target is not None and target not in seen:
                            seen.add(target)
                            found.setdefault(target, []).append(subject)
            self._referrers = found
        return self._referrers.get(ident, [])

    def flags(self, frame: dict[str, Any]) -> tuple[str, bool, bool]:
        """A frame's ``@embed``, ``@explicit`` and ``@requireAll``, read once per frame object; a frame that would
        add defaults (``@omitDefault`` false somewhere) or uses ``@graph``/``@included`` is not ported."""
        found = self._flags.get(id(frame))
        if found is None:
            if any(k in frame for k in ("@graph", "@included")):
                raise Unsupported("@graph and @included in a frame")
            for key, value in frame.items():
                if key == "@type":
                    if value and isinstance(value[0], dict) and "@default" in value[0]:
                        raise Unsupported("@default")
                elif key not in _KEYWORDS and not _flag(value[0] if value else {}, "omitDefault", True):
                    raise Unsupported("defaults")
            found = (_flag(frame, "embed", "@once"), _flag(frame, "explicit", False),
                     _flag(frame, "requireAll", False))
            self._flags[id(frame)] = found
            self._sorted[id(frame)] = sorted(frame.items())
            self._frames.append(frame)  # kept alive, so that its id is not reused
        return found

    def implicit(self, embed: str, explicit: bool, require_all: bool) -> list[dict[str, Any]]:
        """pyld's implicit frame for a property the frame does not name (one object per set of flags)."""
        key = (embed, explicit, require_all)
        if key not in self._implicit:
            self._implicit[key] = [{"@embed": [embed], "@explicit": [explicit], "@requireAll": [require_all]}]
        return self._implicit[key]

    def frame(self, frame: dict[str, Any], subjects: Iterable[str] | None = None) -> list[dict[str, Any]]:
        """The framed top-level nodes; ``subjects``: only those of these that match (each top-level match is
        framed on its own, so the others are framed exactly as when all are)."""
        out: list[dict[str, Any]] = []
        self.match({"embedded": False, "unique": {}}, list(self.nodes if subjects is None else subjects), [frame],
                   out, None)
        return out

    def matches(self, subject: dict[str, Any], frame: dict[str, Any], require_all: bool) -> bool:
        wildcard = True
        some = False
        for k, v in self._sorted[id(frame)]:
            match = False
            node_values = [subject["@id"]] if k == "@id" else subject.get(k, [])
            if k == "@id":
                match = not v or _is_empty(v[0]) or (bool(node_values) and node_values[0] in v)
                if not require_all:
                    return match
            elif k == "@type":
                wildcard = False
                if not v:
                    if node_values:
                        return False
                    match = True
                elif len(v) == 1 and _is_empty(v[0]):
                    match = len(node_values) > 0
                else:
                    for tv in v:
                        if isinstance(tv, dict) and "@default" in tv:
                            match = True
                        elif not match:
                            match = tv in node_values
                    if not require_all:
                        return match
            elif k in _KEYWORDS:
                continue
            else:
                this = v[0] if v else None
                wildcard = False
                if this is not None and not isinstance(this, dict):
                    raise Unsupported("a frame property that is not an object")
                if this and "@default" in this:
                    raise Unsupported("@default")
                if node_values and not v:
                    return False
                if this is None:
                    if node_values:
                        return False
                    match = True
                elif "@list" in this or "@value" in this or (len(this) == 1 and "@id" in this):
                    raise Unsupported("value, list and node patterns")
                else:
                    match = len(node_values) > 0
            if not match and require_all:
                return False
            some = some or match
        return wildcard or some

    def match(self, state: dict[str, Any], subjects: Iterable[str], frames: Any, parent: Any,
              prop: str | None) -> None:
        if not isinstance(frames, list) or len(frames) != 1 or not isinstance(frames[0], dict):
            raise Unsupported("an invalid frame")
        frame = frames[0]
        embed, explicit, require_all = self.flags(frame)
        found = sorted(i for i in subjects if self.matches(self.nodes[i], frame, require_all)) \
            if not isinstance(subjects, list) or len(subjects) != 1 else \
            [i for i in subjects if self.matches(self.nodes[i], frame, require_all)]
        for ident in found:
            subject = self.nodes[ident]
            if prop is None:
                state["unique"] = {}
            unique = state["unique"]
            output: dict[str, Any] = {"@id": ident}
            if not state["embedded"] and ident in unique:
                continue
            if state["embedded"] and (embed == "@never" or ident in self.stack[:-1]):
                _output(parent, prop, output)
                continue
            if state["embedded"] and embed == "@once" and ident in unique:
                _output(parent, prop, output)
                continue
            unique[ident] = True
            self.stack.append(ident)
            items = self._items.get(ident)
            if items is None:
                items = self._items[ident] = sorted(subject.items())
            for key, objects in items:
                if key in _KEYWORDS:
                    output[key] = objects
                    continue
                if explicit and key not in frame:
                    continue
                for o in objects:
                    subframe = frame[key] if key in frame else self.implicit(embed, explicit, require_all)
                    if len(o) == 1 and "@id" in o:
                        self.match({**state, "embedded": True}, [o["@id"]], subframe, output, key)
                    elif _value_match(subframe[0], o):
                        _output(output, key, o)
            if "@reverse" in frame:
                for rprop, subframe in sorted(frame["@reverse"].items()):
                    for referrer in self.referrers(ident):
                        if any(v.get("@id") == ident for v in self.nodes[referrer].get(rprop, ())):
                            reverse = output.setdefault("@reverse", {})
                            reverse.setdefault(rprop, [])
                            # pyld passes {**state, 'embeded': True}: the flag keeps the parent's value
                            self.match(dict(state), [referrer], subframe, reverse[rprop], prop)
            _output(parent, prop, output)
            self.stack.pop()


def _output(parent: Any, prop: str | None, output: Any) -> None:
    if isinstance(parent, dict):
        assert prop is not None
        parent.setdefault(prop, []).append(output)
    else:
        parent.append(output)


def _value_match(pattern: dict[str, Any], value: dict[str, Any]) -> bool:
    """pyld's ``_value_match``."""
    v1, t1, l1 = value.get("@value"), value.get("@type"), value.get("@language")
    v2 = jsonld.JsonLdProcessor.get_values(pattern, "@value")
    t2 = jsonld.JsonLdProcessor.get_values(pattern, "@type")
    l2 = jsonld.JsonLdProcessor.get_values(pattern, "@language")
    if not v2 and not t2 and not l2:
        return True
    if not (v1 in v2 or (v2 and _is_empty(v2[0]))):
        return False
    if not ((not t1 and not t2) or (t1 in t2) or (t1 and t2 and _is_empty(t2[0]))):
        return False
    return bool((not l1 and not l2) or (l1 in l2) or (l1 and l2 and _is_empty(l2[0])))


def expand_frame(frame: dict[str, Any]) -> dict[str, Any]:
    """The frame as pyld's framing expands it (a frame with its ``@context``)."""
    out = jsonld.JsonLdProcessor().expand(frame, {**options(), "isFrame": True, "keepFreeFloatingNodes": True})
    if not isinstance(out, list) or len(out) != 1 or not isinstance(out[0], dict):
        raise Unsupported("a frame that does not expand to one object")
    expanded: dict[str, Any] = out[0]
    return expanded


Key = tuple[str, str, tuple[Any, ...]]


def triples(tree: Iterable[dict[str, Any]], into: set[Key], prune: str | None = None) -> None:
    """The RDF triples an expanded tree of node objects states, as keys (subject, predicate, object key), added to
    ``into``; the embedded nodes under predicate ``prune`` of the top-level nodes count as references only."""
    for node in tree:
        subject = node["@id"]
        for prop, values in node.items():
            if prop == "@id":
                continue
            if prop == "@type":
                for t in values:
                    into.add((subject, RDF_TYPE, ("i", t)))
            elif prop == "@reverse":
                for rprop, items in values.items():
                    for item in items:
                        into.add((item["@id"], rprop, ("i", subject)))
                    triples(items, into)
            else:
                for v in values:
                    if "@id" in v:
                        into.add((subject, prop, ("i", v["@id"])))
                        if prop != prune and len(v) > 1:
                            triples([v], into)
                    else:
                        into.add((subject, prop, literal_key(v)))


RDF_TYPE = jsonld.RDF_TYPE
XSD_STRING = jsonld.XSD_STRING


def literal_key(value: dict[str, Any]) -> tuple[Any, ...]:
    """The key of the literal pyld's ``to_rdf`` makes of a value object, as rdflib reads it back."""
    raw = value["@value"]
    datatype = value.get("@type")
    if isinstance(raw, bool):
        lexical = "true" if raw else "false"
        datatype = datatype or jsonld.XSD_BOOLEAN
    elif isinstance(raw, int):
        lexical = str(raw)
        datatype = datatype or jsonld.XSD_INTEGER
    elif isinstance(raw, str):
        lexical = raw
    else:
        raise Unsupported("a JSON number that is not an integer")
    if "@language" in value:
        return ("l", lexical, None, value["@language"])
    return ("l", lexical, None if datatype in (None, XSD_STRING) else datatype, None)
