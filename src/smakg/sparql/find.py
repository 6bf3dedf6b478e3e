"""Find entities by name or identifier: a label, an alias (``skos:altLabel``), a title, or an identifier such as
``MONDO:0011436``, ``OMIM:604320``, ``HGNC:5542``, a cross-reference's full IRI or the entity's own CURIE
(``cond:smard1``). Case does not matter, nor do spaces and punctuation inside a name ("smard 1" finds "SMARD1").

The index is read from the graph with two SPARQL queries, so it works on either engine; ``smakg find`` and the
server's ``/find`` both search through it. Exact matches come first (identifiers, then names), then names that
contain the text at the start of a word.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field

from rdflib.namespace import DCTERMS, OWL, RDFS, SKOS

from smakg.errors import BadInputError
from smakg.kb.vocab import BIBO, DATASET, DERIVED_KINDS, ID, PREFIXES, SCHEMA, SMAKG, compress_iri
from smakg.sparql.query import Checked, Engine
from smakg.sparql.results import TABLE_WIDTH, table

MAX_TEXT = 200  # characters of a search text

# What each searchable property is called in a match, in the order a label is chosen.
_NAMES = {str(RDFS.label): "label", str(SKOS.prefLabel): "label", str(DCTERMS.title): "title",
          str(SCHEMA.name): "name", str(SKOS.altLabel): "alias", str(SMAKG.approvedName): "approved name"}
# Literal identifiers of sources, with the prefix that makes them CURIEs.
_LITERAL_IDS = {str(BIBO.pmid): "PMID", str(BIBO.doi): "DOI"}
_FIELD_ORDER = ("IRI", "identifier", "label", "title", "name", "approved name", "alias")
_LABEL_ORDER = (str(RDFS.label), str(SKOS.prefLabel), str(DCTERMS.title), str(SCHEMA.name))

_FIELDS_QUERY = """SELECT ?e ?p ?v WHERE {
  VALUES ?p { rdfs:label skos:prefLabel dcterms:title schema:name skos:altLabel smakg:approvedName
              skos:exactMatch skos:closeMatch skos:broadMatch skos:narrowMatch skos:relatedMatch bibo:pmid bibo:doi }
  ?e ?p ?v . FILTER(isIRI(?e))
}"""
_TYPES_QUERY = """SELECT DISTINCT ?e ?t WHERE {
  ?e a ?t ; rdfs:label|skos:prefLabel|dcterms:title|schema:name ?name . FILTER(isIRI(?e) && isIRI(?t))
}"""
# Other spellings of a prefix that people write (Orphanet's own CURIEs say ORPHA).
_PREFIX_ALIASES = {"orpha": "Orphanet"}
_LOWER_PREFIXES = {**{p.lower(): p for p in reversed(list(PREFIXES))}, **_PREFIX_ALIASES}


@dataclass(frozen=True)
class Match:
    """One entity found, and the best of what matched: ``field`` is label, alias, title, name, approved name,
    identifier or IRI; ``prop`` the property (a CURIE) that holds it; ``exact`` False for a name that only contains
    the text."""

    iri: str
    curie: str | None
    kind: str
    label: str
    field: str
    value: str
    prop: str | None
    exact: bool

    def matched(self) -> str:
        """What matched, for people: 'alias "DSMA1"', 'identifier MONDO:0011436 (skos:exactMatch)'."""
        if self.field == "IRI":
            return "its own IRI"
        if self.field == "identifier":
            return f"identifier {self.value}" + (f" ({self.prop})" if self.prop else "")
        return f'{self.field} "{self.value}"' if self.exact else f'in {self.field} "{self.value}"'


@dataclass
class _Entity:
    iri: str
    types: set[str] = field(default_factory=set)
    names: list[tuple[str, str]] = field(default_factory=list)  # (property IRI, text)
    ids: list[tuple[str, str]] = field(default_factory=list)  # (property IRI, identifier IRI)


def _words(local: str) -> str:
    """A class's local name in words: ChromosomeLocus -> chromosome locus."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", local).lower()


def _key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _loose(text: str) -> str:
    return re.sub(r"[\W_]+", "", _key(text))


def check_text(text: str) -> str:
    """The search text, stripped; BadInputError when it is empty, too long or holds control characters."""
    stripped = text.strip()
    if not stripped:
        raise BadInputError("nothing to find: give a name, an alias or an identifier",
                            hint="for example: smakg find SMARD1, smakg find MONDO:0011436")
    if len(stripped) > MAX_TEXT:
        raise BadInputError(f"the search text is {len(stripped)} characters long; at most {MAX_TEXT}")
    if any(unicodedata.category(c) == "Cc" for c in stripped):
        raise BadInputError("the search text holds control characters (a newline or tab?)")
    return stripped


def as_iri(text: str) -> str | None:
    """The IRI a search text names: a full IRI (``<...>`` or not), or a CURIE (or OBO-style ``MONDO_0011436``)
    under the project's prefix map, the prefix in any case; None when it names none."""
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    if re.match(r"^https?://\S+$", text):
        return text
    found = re.match(r"^([A-Za-z][\w.\-]*)[:_](\S+)$", text)
    if found and found.group(1).lower() in _LOWER_PREFIXES:
        return PREFIXES[_LOWER_PREFIXES[found.group(1).lower()]] + found.group(2)
    return None


class Index:
    """The names and identifiers of every entity of the graph (ours, under /id/, and the imported ontology terms),
    read once; ``search`` finds entities in it."""

    def __init__(self, engine: Engine, class_labels: Mapping[str, str] | None = None) -> None:
        self.class_labels = dict(class_labels or {})
        entities: dict[str, _Entity] = {}
        fields = engine.run(Checked(_FIELDS_QUERY, "SELECT", "find"))
        for row in fields.rows or []:
            iri, prop, value = row["e"].value, row["p"].value, row["v"]
            entity = entities.setdefault(iri, _Entity(iri))
            if prop in _NAMES and value.kind == "literal":
                entity.names.append((prop, value.value))
            elif prop in _LITERAL_IDS and value.kind == "literal":
                entity.ids.append((prop, PREFIXES[_LITERAL_IDS[prop]] + value.value))
            elif value.kind == "uri" and prop not in _NAMES:
                entity.ids.append((prop, value.value))
        types = engine.run(Checked(_TYPES_QUERY, "SELECT", "find"))
        for row in types.rows or []:
            if row["e"].value in entities:
                entities[row["e"].value].types.add(row["t"].value)
        # not the statements, evidence and selectors, nor the release's own description
        derived = (*(f"{ID}{kind}/" for kind in DERIVED_KINDS), DATASET)
        self.entities = sorted((e for e in entities.values() if e.names and (
            (e.iri.startswith(ID) and not e.iri.startswith(derived)) or str(OWL.Class) in e.types)),
            key=lambda e: e.iri)

    def kind(self, entity: _Entity) -> str:
        """The kind of an entity, for people: its class's label ("condition", "gene"), or "HP term" for an
        imported ontology term."""
        ours = sorted(t for t in entity.types if t.startswith(str(SMAKG)))
        for t in ours + sorted(entity.types - set(ours)):
            if t in self.class_labels:
                return self.class_labels[t]
        if ours:
            return _words(ours[0].removeprefix(str(SMAKG)))
        curie = compress_iri(entity.iri)
        if not entity.iri.startswith(ID) and curie:
            return f"{curie.split(':', 1)[0]} term"
        others = sorted(entity.types)
        return _words(re.split(r"[#/]", others[0])[-1]) if others else "entity"

    @staticmethod
    def label(entity: _Entity) -> str:
        for prop in _LABEL_ORDER:
            names = sorted(text for p, text in entity.names if p == prop)
            if names:
                return names[0]
        return compress_iri(entity.iri) or entity.iri

    def search(self, text: str, limit: int | None = None) -> list[Match]:
        """Entities whose name or identifier matches ``text`` (see the module docstring), best first, each once."""
        text = check_text(text)
        wanted_iri = as_iri(text)
        wanted = wanted_iri.casefold() if wanted_iri else None
        number = text if text.isdigit() else None
        key, loose = _key(text), _loose(text)
        within = re.compile(r"(?<!\w)" + re.escape(key))  # the text at the start of a word of a name
        found: list[tuple[tuple[int, int, str, str], Match]] = []
        for entity in self.entities:
            best: tuple[tuple[int, int, int, str, str], str, str, str | None] | None = None

            def offer(rank: int, how: str, value: str, via: str | None) -> None:
                """Keep the better match: the lower rank, then a label before a title or an alias, then the name
                nearest the text in length, then the first in order (so both engines keep the same)."""
                nonlocal best
                order = (rank, _FIELD_ORDER.index(how), abs(len(_key(value)) - len(key)), value, via or "")
                if best is None or order < best[0]:
                    best = (order, how, value, via)

            if wanted and entity.iri.casefold() == wanted:
                offer(0, "IRI", compress_iri(entity.iri) or entity.iri, None)
            for prop, iri in entity.ids:
                curie = compress_iri(iri)
                if (wanted and iri.casefold() == wanted) or (number and curie and curie.split(":", 1)[1] == number):
                    offer(0, "identifier", curie or iri, compress_iri(prop))
            for prop, name in entity.names:
                if _key(name) == key:
                    offer(1, _NAMES[prop], name, compress_iri(prop))
                elif loose and _loose(name) == loose:
                    offer(2, _NAMES[prop], name, compress_iri(prop))
                elif len(loose) >= 3 and within.search(_key(name)):
                    offer(3, _NAMES[prop], name, compress_iri(prop))
            if best is not None:
                (rank, *_), how, value, via = best
                label = self.label(entity)
                ours = 0 if entity.iri.startswith(ID) else 1
                found.append(((rank, ours, label.casefold(), entity.iri),
                              Match(entity.iri, compress_iri(entity.iri), self.kind(entity), label, how, value, via,
                                    rank < 3)))
        matches = [m for _, m in sorted(found, key=lambda item: item[0])]
        return matches[:limit] if limit is not None else matches


def render(matches: list[Match], fmt: str, *, text: str = "", width: int | None = TABLE_WIDTH) -> str:
    """Matches as a table for people or as JSON ({"query", "matches": [...]})."""
    if fmt == "json":
        doc = {"query": text, "matches": [{**asdict(m), "matched": m.matched()} for m in matches]}
        return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
    if fmt != "table":
        raise BadInputError(f"unknown format {fmt!r}: use table or json")
    rows = [[m.curie or m.iri, m.kind, m.label, m.matched()] for m in matches]
    lines = table(["entity", "kind", "label", "matched"], rows, width)
    return "\n".join([*lines, f"({len(matches)} {'match' if len(matches) == 1 else 'matches'})"]) + "\n"
