"""HTTP content negotiation: parse ``Accept`` (RFC 9110, with q-values) and pick one of the formats a resource
offers, or none (the server answers 406)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    name: str  # the short name the renderers use: json, xml, csv, tsv, html, ttl, nt, jsonld, rdfxml
    media_type: str
    aliases: tuple[str, ...] = ()
    charset: bool = True
    params: tuple[str, ...] = ()  # more values of a format/output parameter that ask for it

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8" if self.charset else self.media_type


JSON = Format("json", "application/sparql-results+json", ("application/json",))
XML = Format("xml", "application/sparql-results+xml", ("application/xml", "text/xml"))
CSV = Format("csv", "text/csv")
TSV = Format("tsv", "text/tab-separated-values")
HTML = Format("html", "text/html")
TURTLE = Format("ttl", "text/turtle", ("application/x-turtle",))
NTRIPLES = Format("nt", "application/n-triples", ("text/plain",))
JSONLD = Format("jsonld", "application/ld+json", ("application/json",))
# RDF/XML: SPARQLWrapper's default for CONSTRUCT and DESCRIBE sends Accept: application/rdf+xml and format=xml.
RDFXML = Format("rdfxml", "application/rdf+xml", params=("xml", "rdf+xml", "rdf/xml", "rdfxml"))
DOCUMENT_JSON = Format("json", "application/json")  # plain JSON (the search results of /find)

# What each kind of response offers, in the server's order of preference (the first wins a tie, so */* gives it).
TABLE_FORMATS = (JSON, XML, CSV, TSV, HTML)
GRAPH_FORMATS = (TURTLE, JSONLD, NTRIPLES, RDFXML)
PAGE_FORMATS = (TURTLE, HTML, JSONLD, NTRIPLES, RDFXML)
FIND_FORMATS = (DOCUMENT_JSON, HTML)

# Names a client may give in a ``format`` or ``output`` parameter (SPARQLWrapper and many web clients send one).
PARAM_NAMES = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv", "html": "html", "turtle": "ttl",
               "ttl": "ttl", "nt": "nt", "ntriples": "nt", "n-triples": "nt", "json-ld": "jsonld", "jsonld": "jsonld"}


@dataclass(frozen=True)
class Range:
    type: str
    subtype: str
    q: float

    def matches(self, media_type: str) -> int:
        """How specifically this range matches ``media_type``: 2 exact, 1 type/*, 0 */*, -1 no match."""
        main, _, sub = media_type.partition("/")
        if self.type == "*":
            return 0
        if self.type != main:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == sub else -1


def parse_accept(header: str | None) -> list[Range]:
    """The media ranges of an Accept header; a missing or empty header accepts anything. Malformed parts are
    skipped (a lenient reading, as servers do)."""
    if not header or not header.strip():
        return [Range("*", "*", 1.0)]
    ranges = []
    for part in header.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        main, slash, sub = media.lower().partition("/")
        if not slash or not main or not sub:
            continue
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append(Range(main, sub, q))
    return ranges


def quality(ranges: Sequence[Range], fmt: Format) -> float:
    """The q-value the client gives ``fmt``: that of the most specific range matching any of its media types."""
    best_q, best_specificity = 0.0, -1
    for media_type in (fmt.media_type, *fmt.aliases):
        for rng in ranges:
            specificity = rng.matches(media_type)
            if specificity > best_specificity or (specificity == best_specificity and rng.q > best_q):
                best_q, best_specificity = rng.q, specificity
    return best_q if best_specificity >= 0 else 0.0


def choose(accept: str | None, offered: Sequence[Format], param: str | None = None) -> Format | None:
    """The offered format the client prefers, or None if none fits. A ``format``/``output`` parameter naming an
    offered format overrides Accept; one that names nothing offered here is ignored (Accept decides)."""
    if param:
        wanted = param.strip().lower()
        name = PARAM_NAMES.get(wanted)
        for fmt in offered:
            if fmt.name == name or fmt.media_type == wanted or wanted in fmt.params:
                return fmt
    ranges = parse_accept(accept)
    scored = [(quality(ranges, f), -i, f) for i, f in enumerate(offered)]
    q, _, best = max(scored, key=lambda item: (item[0], item[1]))
    return best if q > 0 else None
