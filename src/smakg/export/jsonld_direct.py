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
from pyld.context_resolver import ContextResolver
from pyld.iri_resolver import unresolve

from smakg.kb.jsonld import OPTIONS

_KEYWORDS: frozenset[str] = frozenset(jsonld.KEYWORDS)


class Unsupported(Exception):
    """The input uses a JSON-LD feature the direct path does not port; pyld handles it."""


def _options() -> dict[str, Any]:
    return {**OPTIONS, "base": "", "compactArrays": True, "processingMode": "json-ld-1.1",
            "extractAllScripts": False, "link": False,
            "contextResolver": ContextResolver(jsonld._resolved_context_cache, OPTIONS["documentLoader"])}


def _add(subject: dict[str, Any], prop: str, value: Any, as_array: bool) -> None:
    """pyld's ``add_value`` for one non-list value, duplicates allowed."""
    if prop in subject:
        if not isinstance(subject[prop], list):
            subject[prop] = [subject[prop]]
        subject[prop].append(value)
    else:
        subject[prop] = [value] if as_array else value


class Compactor:
    """Compaction of expanded node objects with one context, as pyld's ``compact`` would write them."""

    def __init__(self, context: dict[str, Any]) -> None:
        self.proc = jsonld.JsonLdProcessor()
        self.options = _options()
        self.active = self.proc.process_context(self.proc._get_initial_context(self.options), context, self.options)
        mappings: dict[str, Any] = self.active["mappings"]
        for definition in mappings.values():
            if definition and ("@context" in definition or "@nest" in definition):
                raise Unsupported("scoped contexts and @nest")
        if "@vocab" in self.active or "@base" in self.active:
            raise Unsupported("@vocab and @base")
        self.mappings = mappings
        self.type_as_set: bool = self.proc._processing_mode(self.active, 1.1)
        self._prefixes: dict[int, dict[str, list[str]]] = {}
        for term, definition in mappings.items():
            if ":" in term or definition is None or not definition.get("@id"):
                continue
            ident = definition["@id"]
            self._prefixes.setdefault(len(ident), {}).setdefault(ident, []).append(term)
        self._lengths = sorted(self._prefixes)
        self._prefix_terms = [t for t, d in mappings.items() if d and d.get("_prefix")]
        self._iri: dict[tuple[str, bool], str] = {}
        self._terms: dict[tuple[Any, ...], str] = {}
        self._values: dict[tuple[Any, ...], dict[str, Any] | None] = {}
        self._refs: dict[str | None, tuple[bool, bool, str]] = {}
        self._containers: dict[str | None, list[str]] = {}
        self.id_alias = self.keyword("@id")
        self.type_alias = self.keyword("@type")
        self.reverse_alias = self.keyword("@reverse")

    def expand(self, term: str) -> str:
        """A term of the context as the IRI it stands for."""
        iri: str = self.proc._expand_iri(self.active, term, vocab=True)
        return iri

    def keyword(self, keyword: str) -> str:
        alias: str = self.proc._compact_iri(self.active, keyword)
        return alias

    def container(self, term: str | None) -> list[str]:
        found = self._containers.get(term)
        if found is None:
            found = list(jsonld.JsonLdProcessor.arrayify(
                jsonld.JsonLdProcessor.get_context_value(self.active, term, "@container")))
            self._containers[term] = found
        return found

    def iri(self, iri: str, vocab: bool) -> str:
        """IRI compaction (``_compact_iri`` without a value); the document-relative case through an index of the
        context's prefixes, the rest memoised."""
        key = (iri, vocab)
        found = self._iri.get(key)
        if found is None:
            found = self._compact_vocab(iri) if vocab or iri in _KEYWORDS else self._compact_plain(iri)
            self._iri[key] = found
        return found

    def _compact_vocab(self, iri: str) -> str:
        compacted: str = self.proc._compact_iri(self.active, iri, vocab=True)
        return compacted

    def _compact_plain(self, iri: str) -> str:
        candidate: str | None = None
        size = len(iri)
        for length in self._lengths:
            if length >= size:
                break
            terms = self._prefixes[length].get(iri[:length])
            if not terms:
                continue
            for term in terms:
                curie = f"{term}:{iri[length:]}"
                usable = (self.mappings[term]["_prefix"] and curie not in self.mappings) or \
                    (self.mappings.get(curie) or {}).get("@id") == iri
                if usable and (candidate is None or (len(curie), curie) < (len(candidate), candidate)):
                    candidate = curie
        if candidate is not None:
            return candidate
        for term in self._prefix_terms:
            if iri.startswith(term + ":"):
                raise Unsupported("an IRI confused with a prefix")  # pyld reports the error
        result: str = unresolve(iri, "")
        return result

    def term(self, prop: str, item: dict[str, Any], reverse: bool) -> str:
        """The term pyld's term selection picks for ``prop`` holding ``item``, asked once per kind of item."""
        if "@value" in item:
            if not item.keys() <= {"@value", "@type", "@language"}:
                raise Unsupported("@index or @direction on a value")
            kind: tuple[Any, ...] = ("v", item.get("@type"), item.get("@language"), len(item))
        else:
            if any(k in item for k in ("@index", "@list", "@graph", "@preserve", "@set")):
                raise Unsupported("lists, graphs and indexes")
            kind = ("n",)
        key = (prop, reverse, *kind)
        found = self._terms.get(key)
        if found is None:
            found = self.proc._compact_iri(self.active, prop, item, vocab=True, reverse=reverse)
            if found is None:
                raise Unsupported("no term")
            if found in self.mappings and (self.mappings[found] or {}).get("@nest"):
                raise Unsupported("@nest")
            container = self.container(found)
            if any(c not in ("@set", None) for c in container):
                raise Unsupported(f"maps and list containers: {found} {container}")
            self._terms[key] = found
        return found

    def empty_term(self, prop: str, reverse: bool) -> str:
        """The term for an empty array of ``prop`` (pyld keeps empty arrays)."""
        key = (prop, reverse, "e")
        found = self._terms.get(key)
        if found is None:
            found = self.proc._compact_iri(self.active, prop, [], vocab=True, reverse=reverse)
            if found is None or (self.mappings.get(found) or {}).get("@nest"):
                raise Unsupported("@nest")
            self._terms[key] = found
        return found

    def value(self, term: str | None, item: dict[str, Any]) -> Any:
        """Value compaction of a value object or a node reference (pyld's ``_compact_value``)."""
        if "@value" in item:
            raw = item["@value"]
            is_text = isinstance(raw, str)
            key = (term, item.get("@type"), item.get("@language"), len(item), is_text)
            if key not in self._values:
                sentinel: Any = "\x00smakg-sentinel\x00" if is_text else _SENTINEL
                probe = {**item, "@value": sentinel}
                out = self.proc._compact_value(self.active, term, probe, self.options)
                if out is sentinel:
                    self._values[key] = None
                elif isinstance(out, dict) and sum(v is sentinel for v in out.values()) == 1:
                    self._values[key] = out
                else:
                    raise Unsupported("value compaction")
            template = self._values[key]
            if template is None:
                return raw
            return {k: (raw if v is _SENTINEL or v == "\x00smakg-sentinel\x00" else v) for k, v in template.items()}
        rule = self._refs.get(term)
        if rule is None:
            type_ = jsonld.JsonLdProcessor.get_context_value(self.active, term, "@type")
            expanded = self.proc._expand_iri(self.active, term, vocab=True)
            rule = (type_ == "@vocab", type_ in ("@id", "@vocab") or expanded == "@graph", self.id_alias)
            self._refs[term] = rule
        compacted = self.iri(item["@id"], rule[0])
        return compacted if rule[1] else {rule[2]: compacted}

    def compact(self, term: str | None, element: Any) -> Any:
        """pyld's ``_compact`` for node objects, value objects, references and arrays of them."""
        if isinstance(element, list):
            out = [self.compact(term, e) for e in element]
            if len(out) == 1 and not self.container(term):
                return out[0]
            return out
        if "@value" in element or (len(element) == 1 and "@id" in element):
            return self.value(term, element)
        return self.node(element, reverse=term == "@reverse")

    def node(self, element: dict[str, Any], *, reverse: bool = False) -> dict[str, Any]:
        rval: dict[str, Any] = {}
        for prop, values in sorted(element.items()):
            if prop == "@id":
                _add(rval, self.id_alias, self.iri(values, False), False)
            elif prop == "@type":
                types = [self.iri(t, True) for t in values]
                compacted: Any = types[0] if len(types) == 1 else types
                as_array = ("@set" in self.container(self.type_alias) and self.type_as_set) or compacted == []
                if isinstance(compacted, list):
                    if not compacted and as_array and self.type_alias not in rval:
                        rval[self.type_alias] = []
                    for t in compacted:
                        _add(rval, self.type_alias, t, as_array)
                else:
                    _add(rval, self.type_alias, compacted, as_array)
            elif prop == "@reverse":
                inner = self.compact("@reverse", values)
                for cprop, value in list(inner.items()):
                    mapping = self.mappings.get(cprop)
                    if mapping and mapping["reverse"]:
                        as_array = "@set" in self.container(cprop)
                        for v in (value if isinstance(value, list) else [value]):
                            _add(rval, cprop, v, as_array)
                        if isinstance(value, list) and not value and as_array and cprop not in rval:
                            rval[cprop] = []
                        del inner[cprop]
                if inner:
                    _add(rval, self.reverse_alias, inner, False)
            elif prop in _KEYWORDS:
                raise Unsupported(f"{prop} in a node object")
            else:
                if not values:
                    empty = self.empty_term(prop, reverse)
                    rval.setdefault(empty, [])
                for item in values:
                    term = self.term(prop, item, reverse)
                    value = self.compact(term, item)
                    _add(rval, term, value, "@set" in self.container(term))
        return rval


class _Sentinel:
    pass


_SENTINEL = _Sentinel()


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

    def frame(self, frame: dict[str, Any]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        self.match({"embedded": False, "unique": {}}, list(self.nodes), [frame], out, None)
        return out

    def matches(self, subject: dict[str, Any], frame: dict[str, Any], require_all: bool) -> bool:
        wildcard = True
        some = False
        for k, v in sorted(frame.items()):
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
        if any(k in frame for k in ("@graph", "@included")):
            raise Unsupported("@graph and @included in a frame")
        embed = _flag(frame, "embed", "@once")
        explicit = _flag(frame, "explicit", False)
        require_all = _flag(frame, "requireAll", False)
        omit_default = True
        found = sorted(i for i in subjects if self.matches(self.nodes[i], frame, require_all))
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
            for key, objects in sorted(subject.items()):
                if key in _KEYWORDS:
                    output[key] = objects
                    continue
                if explicit and key not in frame:
                    continue
                for o in objects:
                    subframe = frame[key] if key in frame else [
                        {"@embed": [embed], "@explicit": [explicit], "@requireAll": [require_all]}]
                    if len(o) == 1 and "@id" in o:
                        self.match({**state, "embedded": True}, [o["@id"]], subframe, output, key)
                    elif _value_match(subframe[0], o):
                        _output(output, key, o)
            for key in sorted(frame):
                if key == "@type":
                    if frame[key] and isinstance(frame[key][0], dict) and "@default" in frame[key][0]:
                        raise Unsupported("@default")
                    continue
                if key in _KEYWORDS:
                    continue
                following = frame[key][0] if frame[key] else {}
                if not _flag(following, "omitDefault", omit_default) and key not in output:
                    raise Unsupported("defaults")
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
    out = jsonld.JsonLdProcessor().expand(frame, {**_options(), "isFrame": True, "keepFreeFloatingNodes": True})
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
