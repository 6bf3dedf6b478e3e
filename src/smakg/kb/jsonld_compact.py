"""JSON-LD compaction in linear time with pyld's exact output: pyld's ``_compact`` for node objects, value objects
and references, where pyld is asked once per *kind* of value (term selection and value compaction memoised by
property, datatype and language) and document-relative IRIs are compacted against an index of the context's
prefixes (pyld scans every term of the context for each IRI). Scoped contexts, ``@nest``, maps, lists, graphs and
indexes raise ``Unsupported``: the caller uses pyld itself (tests/test_jsonld_direct.py compares the two).
"""

from __future__ import annotations

from typing import Any

from pyld import jsonld
from pyld.context_resolver import ContextResolver
from pyld.iri_resolver import unresolve

from smakg.kb.jsonld import OPTIONS

KEYWORDS: frozenset[str] = frozenset(jsonld.KEYWORDS)


class Unsupported(Exception):
    """The input uses a JSON-LD feature the direct path does not port; pyld handles it."""


def options() -> dict[str, Any]:
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

    def __init__(self, context: dict[str, Any], *, value_keywords: dict[str, str] | None = None) -> None:
        """``value_keywords``: aliases to write back as keywords in value objects (``keyword_value_objects``)."""
        self.proc = jsonld.JsonLdProcessor()
        self.options = options()
        self.active = self.proc.process_context(self.proc._get_initial_context(self.options), context, self.options)
        mappings: dict[str, Any] = self.active["mappings"]
        for definition in mappings.values():
            if definition and ("@context" in definition or "@nest" in definition):
                raise Unsupported("scoped contexts and @nest")
        if "@vocab" in self.active or "@base" in self.active:
            raise Unsupported("@vocab and @base")
        self.mappings = mappings
        self.value_keywords = value_keywords or {}
        self.type_as_set: bool = self.proc._processing_mode(self.active, 1.1)
        self._prefixes: dict[int, dict[str, list[str]]] = {}
        for term, definition in mappings.items():
            if ":" in term or definition is None or not definition.get("@id"):
                continue
            ident = definition["@id"]
            self._prefixes.setdefault(len(ident), {}).setdefault(ident, []).append(term)
        self._lengths = sorted(self._prefixes)
        self._prefix_terms = [t for t, d in mappings.items() if d and d.get("_prefix")]
        self._iri_plain: dict[str, str] = {}
        self._iri_vocab: dict[str, str] = {}
        self._terms: dict[tuple[Any, ...], str] = {}
        self._values: dict[tuple[Any, ...], dict[str, Any] | None] = {}
        self._refs: dict[str | None, tuple[bool, bool, str]] = {}
        self._containers: dict[str | None, list[str]] = {}
        self.id_alias = self.keyword("@id")
        self.type_alias = self.keyword("@type")
        self.reverse_alias = self.keyword("@reverse")

    def document(self, doc: list[dict[str, Any]]) -> list[Any]:
        """The ``@graph`` pyld's ``compact`` (with ``graph``) writes for flat expanded node objects."""
        if self.keyword("@graph") != "@graph":
            raise Unsupported("an alias of @graph")
        out = self.compact(None, doc)
        return out if isinstance(out, list) else [out]

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
        memo = self._iri_vocab if vocab else self._iri_plain
        found = memo.get(iri)
        if found is None:
            found = memo[iri] = self._compact_vocab(iri) if vocab or iri in KEYWORDS else self._compact_plain(iri)
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
                    self._values[key] = {self.value_keywords.get(str(k), str(k)): v for k, v in out.items()}
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
            elif prop in KEYWORDS:
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
