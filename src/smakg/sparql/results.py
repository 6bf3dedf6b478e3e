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
GRAPH_FORMATS = ("ttl", "nt", "jsonld")


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

    @property
    def form(self) -> str:
        return "graph" if self.triples is not None else "boolean" if self.boolean is not None else "table"

    def size(self) -> int:
        if self.rows is not None:
            return len(self.rows)
        return self.triples.count("\n") if self.triples is not None else 1


def render_table(result: Result, fmt: str) -> str:
    """A SELECT or ASK result in ``fmt``: csv, tsv, json, xml (SPARQL 1.1) or table (for people)."""
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
        cells = [[_csv(r.get(v)) for v in names] for r in rows]
        widths = [min(60, max([len(v)] + [len(c[i]) for c in cells])) for i, v in enumerate(names)]
        line = " | ".join(v.ljust(w) for v, w in zip(names, widths, strict=True))
        body = [" | ".join(c[:60].ljust(w) for c, w in zip(cs, widths, strict=True)) for cs in cells]
        more = ", truncated" if result.truncated else ""
        return "\n".join([line, "-" * len(line), *body, f"({len(rows)} rows{more})"]) + "\n"
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
