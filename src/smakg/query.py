"""SPARQL over the built graph, read-only and offline, with two engines that must agree (rdflib, pyoxigraph).

Every query is parsed first (rdflib's parser, which reports line and column) and refused when it is an update
or uses SERVICE, so nothing can change the graph or reach the network whatever engine runs it.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass

import pyoxigraph as ox
from pyparsing import ParseException
from rdflib import Graph
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

from .errors import BadInputError
from .export import to_ntriples

ENGINES = ("oxigraph", "rdflib")
SELECT_FORMATS = ("table", "csv", "tsv", "json", "xml")
GRAPH_FORMATS = ("ttl", "nt", "jsonld")


class QueryError(BadInputError):
    """A query that cannot be run: a syntax error (with line and column), an update, or SERVICE."""


@dataclass(frozen=True)
class Checked:
    text: str
    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE


def _names(node) -> set[str]:
    """All parse-tree node names below ``node`` (pyparsing ParseResults / rdflib CompValue)."""
    found: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        name = getattr(item, "name", None)
        if isinstance(name, str):
            found.add(name)
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list | tuple) or hasattr(item, "asList"):
            stack.extend(list(item))
    return found


def check_query(text: str, *, source: str = "query") -> Checked:
    """Parse ``text``; return its form, or raise QueryError naming line and column."""
    try:
        parsed = parseQuery(text)
    except ParseException as exc:
        try:
            parseUpdate(text)
        except ParseException:
            pass
        else:
            raise QueryError(f"{source}: updates are refused: the graph is read-only",
                             hint="send a SELECT, ASK, CONSTRUCT or DESCRIBE query") from None
        where, message = f"{exc.lineno}:{exc.col}", exc.msg
        try:  # pyoxigraph's parser words syntax errors better ("error at 1:26: expected OPTIONAL")
            ox.Store().query(text)
        except SyntaxError as ox_exc:
            found = re.match(r"error at (\d+:\d+): (.*)", str(ox_exc), re.S)
            if found:
                where, message = found.group(1), found.group(2).strip()
        raise QueryError(f"{source}:{where}: SPARQL syntax error: {message}",
                         hint=f"near: {exc.line.strip()[:100]}") from None
    names = _names(parsed)
    if "ServiceGraphPattern" in names:
        raise QueryError(f"{source}: SERVICE is refused: queries run offline over the local graph only")
    form = next((f for f in ("SelectQuery", "AskQuery", "ConstructQuery", "DescribeQuery") if f in names), None)
    if form is None:
        raise QueryError(f"{source}: not a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    return Checked(text, form.removesuffix("Query").upper())


def oxigraph_store(graph: Graph) -> ox.Store:
    store = ox.Store()
    store.bulk_load(to_ntriples(graph).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return store


@dataclass
class Result:
    """Rows as strings in the SPARQL CSV convention, or a boolean, or a graph (N-Triples)."""

    variables: list[str]
    rows: list[dict[str, str]] | None = None
    boolean: bool | None = None
    triples: str | None = None


def run(checked: Checked, graph: Graph, *, engine: str = "oxigraph", store: ox.Store | None = None) -> Result:
    """Run a checked query with one engine; results in one engine-independent form."""
    if engine == "rdflib":
        res = graph.query(checked.text)
        if checked.form == "ASK":
            return Result([], boolean=bool(res.askAnswer))
        if checked.form in ("CONSTRUCT", "DESCRIBE"):
            g = Graph()
            for t in res:
                g.add(t)
            return Result([], triples=to_ntriples(g))
        names = [str(v) for v in res.vars]
        rows = [{n: ("" if row[i] is None else str(row[i])) for i, n in enumerate(names)} for row in res]
        return Result(names, rows=rows)
    if engine != "oxigraph":
        raise BadInputError(f"unknown engine {engine!r}: choose one of {', '.join(ENGINES)}")
    store = store or oxigraph_store(graph)
    try:
        res = store.query(checked.text)
        if isinstance(res, ox.QueryBoolean):
            return Result([], boolean=bool(res))
        if isinstance(res, ox.QueryTriples):
            text = res.serialize(format=ox.RdfFormat.N_TRIPLES) or b""
            return Result([], triples="".join(sorted(text.decode("utf-8").splitlines(keepends=True))))
        names = [v.value for v in res.variables]
        rows = [{n: _ox_cell(sol[n]) for n in names} for sol in res]
    except (SyntaxError, OSError, ValueError) as exc:
        raise QueryError(f"query failed: {exc}") from None
    return Result(names, rows=rows)


def _ox_cell(term) -> str:
    if term is None:
        return ""
    return term.value


def render(result: Result, fmt: str) -> str:
    """Render in a SPARQL 1.1 results format (csv, tsv, json, xml) or as a table for people."""
    if result.triples is not None:
        if fmt not in GRAPH_FORMATS:
            raise BadInputError(f"a CONSTRUCT/DESCRIBE result is a graph: use --format {'|'.join(GRAPH_FORMATS)}")
        return _graph_text(result.triples, fmt)
    if fmt not in SELECT_FORMATS:
        raise BadInputError(f"a SELECT/ASK result is a table: use --format {'|'.join(SELECT_FORMATS)}")
    if result.boolean is not None:
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": result.boolean}) + "\n"
        if fmt == "xml":
            return ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
                    f"<boolean>{str(result.boolean).lower()}</boolean></sparql>\n")
        return ("boolean\n" if fmt in ("csv", "tsv") else "") + str(result.boolean).lower() + "\n"
    rows = result.rows or []
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=result.variables, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
        return buf.getvalue()
    if fmt == "tsv":
        return "\t".join(f"?{v}" for v in result.variables) + "\n" + "".join(
            "\t".join(json.dumps(r[v], ensure_ascii=False) if r[v] else "" for v in result.variables) + "\n"
            for r in rows)
    if fmt == "json":
        bindings = [{v: {"type": _kind(r[v]), "value": r[v]} for v in result.variables if r[v]} for r in rows]
        return json.dumps({"head": {"vars": result.variables}, "results": {"bindings": bindings}},
                          ensure_ascii=False, indent=1) + "\n"
    if fmt == "xml":
        from xml.sax.saxutils import escape, quoteattr

        out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
        out += [f"<variable name={quoteattr(v)}/>" for v in result.variables]
        out += ["</head>", "<results>"]
        for r in rows:
            out.append("<result>")
            for v in result.variables:
                if r[v]:
                    tag = "uri" if _kind(r[v]) == "uri" else "literal"
                    out.append(f"<binding name={quoteattr(v)}><{tag}>{escape(r[v])}</{tag}></binding>")
            out.append("</result>")
        out += ["</results>", "</sparql>"]
        return "\n".join(out) + "\n"
    widths = {v: max([len(v)] + [len(r[v]) for r in rows]) for v in result.variables}
    line = " | ".join(v.ljust(min(widths[v], 60)) for v in result.variables)
    body = [" | ".join(r[v][:60].ljust(min(widths[v], 60)) for v in result.variables) for r in rows]
    return "\n".join([line, "-" * len(line), *body, f"({len(rows)} rows)"]) + "\n"


def _kind(value: str) -> str:
    return "uri" if re.match(r"^[a-z][a-z0-9+.-]*:\S+$", value) and " " not in value else "literal"


def _graph_text(ntriples: str, fmt: str) -> str:
    if fmt == "nt":
        return ntriples
    from .export import to_turtle
    from .load import new_graph

    g = new_graph().parse(data=ntriples, format="nt")
    if fmt == "ttl":
        return to_turtle(g)
    return g.serialize(format="json-ld")
