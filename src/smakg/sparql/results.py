"""Query results in one engine-independent form, and their SPARQL 1.1 result formats (JSON, XML, CSV, TSV).

A cell is a ``Term`` that keeps what the formats need: the kind (uri, literal, bnode), the lexical value, the datatype
and the language tag. A simple literal has neither (``xsd:string`` is dropped, as SPARQL 1.1 JSON and XML results
write it), so the two engines, which differ there, give the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from smakg.kb.vocab import RDF_LANGSTRING, SPARQL_RESULTS, XSD_STRING

RESULTS_NS = SPARQL_RESULTS
SELECT_FORMATS = ("table", "csv", "tsv", "json", "xml")
GRAPH_FORMATS = ("ttl", "nt", "jsonld", "rdfxml")
TABLE_WIDTH = 60  # the widest a cell of the table format is by default; a cut cell ends with CUT
CUT = "…"


@dataclass(frozen=True, slots=True, order=True)
class Term:
    """One RDF term of a result row."""

    kind: str  # "uri", "literal" or "bnode"
    value: str
    datatype: str | None = None
    lang: str | None = None

    @classmethod
    def literal(cls, value: str, datatype: str | None = None, lang: str | None = None) -> Term:
        if lang:
            return cls("literal", value, None, lang.lower())
        return cls("literal", value, None if datatype in (None, XSD_STRING, RDF_LANGSTRING) else datatype)

    def ntriples(self) -> str:
        """The term as N-Triples / Turtle writes it (the SPARQL TSV cell)."""
        if self.kind == "uri":
            return f"<{self.value}>"
        if self.kind == "bnode":
            return f"_:{self.value}"
        text = '"' + (self.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
                      .replace("\r", "\\r").replace("\t", "\\t")) + '"'
        if self.lang:
            return f"{text}@{self.lang}"
        return f"{text}^^<{self.datatype}>" if self.datatype else text

    def json(self) -> dict[str, str]:
        out = {"type": self.kind, "value": self.value}
        if self.datatype:
            out["datatype"] = self.datatype
        if self.lang:
            out["xml:lang"] = self.lang
        return out


Row = dict[str, Term]


@dataclass
class Result:
    """A SELECT table, an ASK boolean, or a CONSTRUCT/DESCRIBE graph (sorted N-Triples); ``truncated`` when a row
    limit cut it short."""

    variables: list[str] = field(default_factory=list)
    rows: list[Row] | None = None
    boolean: bool | None = None
    triples: str | None = None
    truncated: bool = False
    truncated_by: str = ""  # "rows" (the row limit) or "bytes" (the size limit) when truncated

    @property
    def form(self) -> str:
        return "graph" if self.triples is not None else "boolean" if self.boolean is not None else "table"

    def size(self) -> int:
        if self.rows is not None:
            return len(self.rows)
        return self.triples.count("\n") if self.triples is not None else 1


def fit(text: str, width: int | None) -> str:
    """A cell of a table for people: on one line, and cut to ``width`` characters with a mark when longer (no cut
    when ``width`` is None or 0).

    >>> fit("spinal muscular atrophy", 10), fit("a\\nb", None)
    ('spinal mu…', 'a b')
    """
    text = " ".join(text.split()) if any(c in text for c in "\n\r\t") else text
    if width and len(text) > width:
        return text[:max(width - 1, 0)] + CUT
    return text


def table(header: list[str], rows: list[list[str]], width: int | None = TABLE_WIDTH) -> list[str]:
    """Lines of a plain-text table: the header, a rule, and each row, cells cut to ``width`` (see ``fit``)."""
    cells = [[fit(c, width) for c in row] for row in rows]
    widths = [max([len(h)] + [len(row[i]) for row in cells]) for i, h in enumerate(header)]
    line = " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()
    body = [" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    return [line, "-" * len(line), *body]


def render_table(result: Result, fmt: str, *, width: int | None = TABLE_WIDTH) -> str:
    """A SELECT or ASK result in ``fmt``: csv, tsv, json, xml (SPARQL 1.1) or table (for people, each cell cut at
    ``width`` characters with a mark)."""
    if result.boolean is not None:
        return _boolean(result.boolean, fmt)
    rows = result.rows or []
    names = result.variables
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(names)
        writer.writerows([_csv(r.get(v)) for v in names] for r in rows)
        return buf.getvalue()
    if fmt == "tsv":
        lines = ["\t".join(f"?{v}" for v in names)]
        lines += ["\t".join(_tsv(r.get(v)) for v in names) for r in rows]
        return "\n".join(lines) + "\n"
    if fmt == "json":
        bindings = [{v: r[v].json() for v in names if v in r} for r in rows]
        return json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}}, ensure_ascii=False,
                          indent=1) + "\n"
    if fmt == "xml":
        out = ['<?xml version="1.0"?>', f'<sparql xmlns="{RESULTS_NS}">', "<head>"]
        out += [f"<variable name={quoteattr(v)}/>" for v in names]
        out += ["</head>", "<results>"]
        for r in rows:
            out.append("<result>")
            out += [f"<binding name={quoteattr(v)}>{_xml(r[v])}</binding>" for v in names if v in r]
            out.append("</result>")
        out += ["</results>", "</sparql>"]
        return "\n".join(out) + "\n"
    if fmt == "table":
        raw = [[_csv(r.get(v)) for v in names] for r in rows]
        lines = table(names, raw, width)
        more = ", truncated" if result.truncated else ""
        cut = bool(width) and any(len(fit(c, None)) > (width or 0) for row in raw for c in row)
        note = f"; {CUT} marks a cell cut at {width} characters (--width 0: no cut)" if cut else ""
        return "\n".join([*lines, f"({len(rows)} rows{more}{note})"]) + "\n"
    raise ValueError(f"not a results format: {fmt}")


def _boolean(value: bool, fmt: str) -> str:
    word = "true" if value else "false"
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}) + "\n"
    if fmt == "xml":
        return f'<?xml version="1.0"?>\n<sparql xmlns="{RESULTS_NS}">\n<head/>\n<boolean>{word}</boolean>\n</sparql>\n'
    if fmt == "csv":
        return f"boolean\r\n{word}\r\n"
    if fmt == "tsv":
        return f"?boolean\n{word}\n"
    return word + "\n"


def _csv(term: Term | None) -> str:
    if term is None:
        return ""
    return f"_:{term.value}" if term.kind == "bnode" else term.value


def _tsv(term: Term | None) -> str:
    return "" if term is None else term.ntriples()


def _xml(term: Term) -> str:
    if term.kind == "uri":
        return f"<uri>{escape(term.value)}</uri>"
    if term.kind == "bnode":
        return f"<bnode>{escape(term.value)}</bnode>"
    attrs = f" xml:lang={quoteattr(term.lang)}" if term.lang else ""
    attrs += f" datatype={quoteattr(term.datatype)}" if term.datatype else ""
    return f"<literal{attrs}>{escape(term.value)}</literal>"
