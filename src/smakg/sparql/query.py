"""SPARQL over the built graph, read-only and offline, with two engines that must agree (rdflib, pyoxigraph).

Every query is screened first (``screen``): bounded in size and nesting, then parsed by rdflib's SPARQL parser, and
refused on its parse tree when it is an update or uses SERVICE or FROM, so nothing can change the graph or reach the
network whatever engine runs it; where the command or server runs a query, ``smakg.sandbox`` also takes the
network away from the process. The prefixes of the project's prefix map (``syntax.PREDEFINED``) are predefined on
both engines; a query's own PREFIX line wins. A query an engine will not take is explained by ``syntax.explain``,
in the same words whichever engine refused it.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, cast

import pyoxigraph as ox
from pyparsing import ParseException
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.plugins.sparql.parser import Query, parseQuery, parseUpdate
from rdflib.query import ResultRow
from rdflib.term import Node

from smakg.errors import BadInputError
from smakg.files import read_text
from smakg.kb.turtle import to_ntriples
from smakg.kb.vocab import XSD_STRING
from smakg.sparql.results import GRAPH_FORMATS, SELECT_FORMATS, TABLE_WIDTH, Result, Term, render_table
from smakg.sparql.syntax import PREDEFINED, QueryError, explain

__all__ = ["ENGINES", "GRAPH_FORMATS", "MAX_QUERY_CHARS", "PREDEFINED", "SELECT_FORMATS", "Checked", "QueryError",
           "RefusedQuery", "Result", "check_query", "query_text", "run", "screen"]

ENGINES = ("oxigraph", "rdflib")
_T = TypeVar("_T")
# The longest query smakg takes (characters). The 39 competency questions are at most ~2,000; the server's body limit
# is larger, so this is what bounds the parse of anything a client sends.
MAX_QUERY_CHARS = 100_000


class RefusedQuery(QueryError):
    """A well-formed request the graph refuses by policy: an update, SERVICE, FROM."""


@dataclass(frozen=True)
class Checked:
    text: str
    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE
    source: str = "query"


def _names(node: Any) -> set[str]:
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


def _refuse(tree: Any, source: str) -> set[str]:
    """The node names of a parse tree, after refusing SERVICE, FROM and FROM NAMED anywhere in it."""
    names = _names(tree)
    if "ServiceGraphPattern" in names:
        raise RefusedQuery(f"{source}: SERVICE is refused: queries run offline over the local graph only")
    if "DatasetClause" in names:
        raise RefusedQuery(f"{source}: FROM and FROM NAMED are refused: the dataset is the local graph only",
                         hint="drop the FROM clause; every triple is in the default graph")
    return names


def check_query(text: str, *, source: str = "query") -> Checked:
    r"""Parse ``text`` with a real SPARQL parser and decide on its parse tree: its form, or QueryError naming line
    and column; RefusedQuery for an update, SERVICE, FROM or FROM NAMED.

    rdflib expands ``\u`` escapes in the whole text before parsing (as SPARQL 1.1 says); Oxigraph reads them only
    inside strings and IRIs. The two readings can put a string's or a comment's end in different places, so a text
    with a backslash is also parsed as Oxigraph reads it, and must pass in both readings.

    >>> check_query("SELECT * WHERE { ?s ?p ?o }").form
    'SELECT'
    >>> check_query("SELECT * WHERE { ?s ?p '>' . SERVICE <x:y> { ?a ?b ?c } }")
    Traceback (most recent call last):
    ...
    smakg.sparql.query.RefusedQuery: query: SERVICE is refused: queries run offline over the local graph only
    """
    try:
        tree = parseQuery(text)
    except ParseException as exc:
        try:
            parseUpdate(text)
        except ParseException:
            pass
        else:
            raise RefusedQuery(f"{source}: updates are refused: the graph is read-only",
                             hint="send a SELECT, ASK, CONSTRUCT or DESCRIBE query") from None
        raise explain(text, source, parse_error=exc) from None
    names = _refuse(tree, source)
    if "\\" in text:
        try:
            raw = Query.parse_string(text, parse_all=True)
        except ParseException:
            raise QueryError(f"{source}: a \\u or \\U escape that the two SPARQL engines would read differently",
                             hint="write the character itself instead of its escape") from None
        names |= _refuse(raw, source)
    form = next((f for f in ("SelectQuery", "AskQuery", "ConstructQuery", "DescribeQuery") if f in names), None)
    if form is None:
        raise QueryError(f"{source}: not a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    return Checked(text, form.removesuffix("Query").upper(), source)


@functools.lru_cache(maxsize=128)
def _checked(text: str, source: str) -> Checked:
    return check_query(text, source=source)


def screen(text: str, *, source: str = "query") -> Checked:
    """The safety check every query passes before an engine sees it: bounded in size (``MAX_QUERY_CHARS``) and
    nesting (``bound_nesting``), then parsed (``check_query``; 10-30 ms, and the last 128 answers are remembered, so
    a repeated query costs nothing). Where the platform allows, the process that runs the query cannot open a
    network socket at all (``smakg.sandbox``), so a SERVICE the parser missed still reaches nothing."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"{source}: {len(text):,} characters, more than the {MAX_QUERY_CHARS:,} smakg accepts",
                         hint="shorten the query")
    bound_nesting(text, source=source)
    return _checked(text, source)


# Both engines' parsers recurse once per nesting level and a few thousand levels crash them (a segfault kills the
# process: the CLI, or a server's worker). The total count of opening brackets bounds the nesting depth from above
# whatever the text holds (a bracket inside a string counts too, so nothing can hide depth); real queries have a few
# dozen, the 39 competency questions at most 23.
MAX_BRACKETS = 500


def bound_nesting(text: str, *, source: str = "query") -> None:
    """Refuse a query with more than ``MAX_BRACKETS`` opening brackets ``{ ( [`` before any parser sees it.

    >>> bound_nesting("SELECT * WHERE { ?s ?p ?o }")
    >>> bound_nesting("{" * 5000)
    Traceback (most recent call last):
    ...
    smakg.sparql.syntax.QueryError: query: 5000 opening brackets ({, ( or [), more than the 500 smakg accepts: ...
    """
    opens = text.count("{") + text.count("(") + text.count("[")
    if opens > MAX_BRACKETS:
        raise QueryError(f"{source}: {opens} opening brackets ({{, ( or [), more than the {MAX_BRACKETS} smakg "
                         "accepts: so deep a nesting crashes SPARQL parsers; simplify the query")


def oxigraph_store(graph: Graph) -> ox.Store:
    store = ox.Store()
    store.bulk_load(to_ntriples(graph).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return store


def run(checked: Checked, graph: Graph | None = None, *, engine: str = "oxigraph", store: ox.Store | None = None,
        limit: int | None = None, max_bytes: int | None = None) -> Result:
    """Run a screened query with one engine; the result in one engine-independent form, cut at ``limit`` rows
    (or triples), or where the values read so far pass ``max_bytes`` characters, with ``truncated`` set (and
    ``truncated_by`` saying which)."""
    cap = _Cap(limit, max_bytes)
    if engine == "rdflib":
        if graph is None:
            raise ValueError("the rdflib engine needs the graph")
        return _run_rdflib(checked, graph, cap)
    if engine != "oxigraph":
        raise BadInputError(f"unknown engine {engine!r}: choose one of {', '.join(ENGINES)}")
    if store is None:
        if graph is None:
            raise ValueError("the oxigraph engine needs a store or the graph")
        store = oxigraph_store(graph)
    return _run_oxigraph(checked, store, cap)


@dataclass
class _Cap:
    """Where a result is cut: after ``rows`` rows or triples, or once the values taken pass ``size`` characters."""

    rows: int | None
    size: int | None
    by: str = ""

    def cut(self, items: Iterable[_T], measure: Callable[[_T], int]) -> tuple[list[_T], bool]:
        out: list[_T] = []
        total = 0
        for item in items:
            if self.rows is not None and len(out) >= self.rows:
                self.by = "rows"
                return out, True
            if self.size is not None:
                total += measure(item)
                if total > self.size:
                    self.by = "bytes"
                    return out, True
            out.append(item)
        return out, False


def _terms_size(terms: Iterable[object]) -> int:
    return sum(len(str(t)) for t in terms if t is not None)


def _run_rdflib(checked: Checked, graph: Graph, cap: _Cap) -> Result:
    try:
        res = graph.query(checked.text, initNs=dict(PREDEFINED))
    except ParseException:
        check_query(checked.text, source=checked.source)  # refuses an update, or explains the syntax error
        raise explain(checked.text, checked.source) from None
    except Exception as exc:  # rdflib raises a bare Exception for a prefix nobody declared
        if not str(exc).startswith("Unknown namespace prefix"):
            raise
        raise explain(checked.text, checked.source) from None
    if res.type == "ASK":
        return Result(boolean=bool(res.askAnswer))
    if res.type in ("CONSTRUCT", "DESCRIBE"):
        # rdflib types a result's rows as the union of every query form's; a CONSTRUCT or DESCRIBE yields triples
        triples, cut = cap.cut(cast("Iterable[tuple[Node, Node, Node]]", res), _terms_size)
        g = Graph()
        for t in triples:
            g.add(t)
        return Result(triples=to_ntriples(g), truncated=cut, truncated_by=cap.by)
    names = [str(v) for v in res.vars or []]
    rows, cut = cap.cut(cast("Iterable[ResultRow]", res), _terms_size)  # a SELECT yields rows (see above)
    table = [{n: _rdflib_term(row[i]) for i, n in enumerate(names) if row[i] is not None} for row in rows]
    return Result(names, rows=table, truncated=cut, truncated_by=cap.by)


def _rdflib_term(term: Node) -> Term:
    if isinstance(term, Literal):
        return Term.literal(str(term), str(term.datatype) if term.datatype else None, term.language)
    if isinstance(term, BNode):
        return Term("bnode", str(term))
    return Term("uri", str(term))


def _run_oxigraph(checked: Checked, store: ox.Store, cap: _Cap) -> Result:
    try:
        res = store.query(checked.text, prefixes=dict(PREDEFINED))
        if isinstance(res, ox.QueryBoolean):
            return Result(boolean=bool(res))
        if isinstance(res, ox.QueryTriples):
            triples, cut = cap.cut(res, lambda t: _terms_size((t.subject, t.predicate, t.object)))
            lines = sorted({f"{t.subject} {t.predicate} {t.object} .\n" for t in triples})
            return Result(triples="".join(lines), truncated=cut, truncated_by=cap.by)
        names = [v.value for v in res.variables]
        solutions, cut = cap.cut(res, lambda sol: _terms_size(sol[n] for n in names))
        rows = [{n: _ox_term(sol[n]) for n in names if sol[n] is not None} for sol in solutions]
    except SyntaxError as exc:
        check_query(checked.text, source=checked.source)  # refuses an update, or explains the syntax error
        raise explain(checked.text, checked.source, engine_message=str(exc)) from None
    except (OSError, ValueError) as exc:
        raise QueryError(f"{checked.source}: query failed: {exc}") from None
    return Result(names, rows=rows, truncated=cut, truncated_by=cap.by)


def _ox_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Term:
    if isinstance(term, ox.Literal):
        return Term.literal(term.value, term.datatype.value, term.language)
    if isinstance(term, ox.BlankNode):
        return Term("bnode", term.value)
    if isinstance(term, ox.NamedNode):
        return Term("uri", term.value)
    return Term("literal", str(term))  # an RDF 1.2 triple term: its N-Triples text


def render(result: Result, fmt: str | None = None, *, context: dict[str, Any] | None = None,
           width: int | None = TABLE_WIDTH) -> str:
    """A result in ``fmt``: by default a table for SELECT/ASK (cells cut at ``width`` characters, with a mark) and
    Turtle for CONSTRUCT/DESCRIBE."""
    if result.triples is not None:
        fmt = fmt or "ttl"
        if fmt not in GRAPH_FORMATS:
            raise BadInputError(f"a CONSTRUCT/DESCRIBE result is a graph: use --format {'|'.join(GRAPH_FORMATS)}")
        return graph_text(result.triples, fmt, context=context)
    fmt = fmt or "table"
    if fmt not in SELECT_FORMATS:
        raise BadInputError(f"a SELECT/ASK result is a table: use --format {'|'.join(SELECT_FORMATS)}")
    return render_table(result, fmt, width=width)


def graph_text(ntriples: str, fmt: str, *, context: dict[str, Any] | None = None) -> str:
    """Sorted N-Triples as nt, canonical Turtle, RDF/XML, or JSON-LD compacted with ``context`` (required for
    JSON-LD)."""
    if fmt == "nt":
        return ntriples
    from smakg.kb.jsonld_flat import to_flat
    from smakg.kb.load import new_graph
    from smakg.kb.turtle import to_turtle

    g = new_graph().parse(data=ntriples, format="nt")
    if fmt == "ttl":
        return to_turtle(g)
    if fmt == "rdfxml":
        return rdf_xml(g)
    if context is None:
        raise BadInputError("JSON-LD needs the project's context (ontology/context.jsonld), which was not found",
                            hint="run from the project root or pass --project DIR")
    return to_flat(g, context)


def rdf_xml(graph: Graph) -> str:
    """A graph as RDF/XML (what SPARQLWrapper asks for of a CONSTRUCT or DESCRIBE by default), with the project's
    prefixes as XML namespaces where the graph uses them."""
    from rdflib.plugins.serializers.rdfxml import XMLSerializer

    ordered = Graph(bind_namespaces="none")  # no rdflib default prefixes
    used = {str(t) for triple in graph for t in triple if isinstance(t, URIRef)}
    for prefix, ns in PREDEFINED.items():
        if any(iri.startswith(ns) for iri in used):
            ordered.bind(prefix, ns)
    for triple in graph:
        ordered.add(triple)
    try:
        out = io.BytesIO()
        XMLSerializer(ordered).serialize(out, encoding="utf-8")
    except ValueError as exc:  # a predicate that cannot be an XML element name
        raise BadInputError(f"this graph cannot be written as RDF/XML: {exc}",
                            hint="ask for Turtle, N-Triples or JSON-LD instead") from None
    return out.getvalue().decode("utf-8")


class Engine:
    """One engine loaded with a graph given as N-Triples, ready for many queries; or, given the directory of a
    pyoxigraph store on disk (``sparql.store``), that store opened read-only (several processes may share it).
    ``triples`` gives the data's own literals whichever engine holds them (pyoxigraph changes the datatype and
    lexical form of numbers; see _written_literals); a store on disk gives them as pyoxigraph keeps them."""

    def __init__(self, ntriples: bytes | Path, name: str = "oxigraph") -> None:
        if name not in ENGINES:
            raise BadInputError(f"unknown engine {name!r}: choose one of {', '.join(ENGINES)}")
        self.name = name
        self.graph: Graph | None = None
        self.store: ox.Store | None = None
        self.written: dict[tuple[object, object, object], Literal] = {}  # see _written_literals
        if isinstance(ntriples, Path):
            if name != "oxigraph":
                raise BadInputError(f"a store on disk is read by the oxigraph engine, not {name}")
            try:
                self.store = ox.Store.read_only(str(ntriples))
            except OSError as exc:
                raise BadInputError(f"{ntriples}: cannot open the store read-only ({exc})") from None
        elif name == "oxigraph":
            self.store = ox.Store()
            self.store.bulk_load(ntriples, format=ox.RdfFormat.N_TRIPLES)
            self.written = _written_literals(self.store, ntriples)
        else:
            self.graph = Graph().parse(data=ntriples.decode("utf-8"), format="nt")

    def __len__(self) -> int:
        return len(self.store) if self.store is not None else len(self.graph or ())

    def run(self, checked: Checked, limit: int | None = None, max_bytes: int | None = None) -> Result:
        return run(checked, self.graph, engine=self.name, store=self.store, limit=limit, max_bytes=max_bytes)

    def triples(self, s: Node | None = None, p: Node | None = None,
                o: Node | None = None) -> Iterator[tuple[Node, Node, Node]]:
        """Triples matching a pattern (rdflib terms, None for any), whichever engine holds the graph."""
        if self.graph is not None:
            yield from self.graph.triples((s, p, o))
            return
        assert self.store is not None
        subject, predicate, obj = (None if t is None else _to_ox_cached(t) for t in (s, p, o))
        # oxigraph raises TypeError for a literal subject or a non-IRI predicate (rdflib just matches nothing)
        for quad in self.store.quads_for_pattern(subject, predicate, obj, None):  # type: ignore[arg-type]
            term = quad.object
            written = self.written.get((quad.subject, quad.predicate, term)) if isinstance(term, ox.Literal) else None
            yield (_from_ox_cached(quad.subject), _from_ox_cached(quad.predicate),
                   written if written is not None else _from_ox_cached(term))


def _written_literals(store: ox.Store, ntriples: bytes) -> dict[tuple[object, object, object], Literal]:
    """The typed literals the store holds in another form than the data wrote them: pyoxigraph keeps numbers and
    booleans as values (``"60"^^xsd:nonNegativeInteger`` comes back as ``"60"^^xsd:integer``, ``"1.0"`` as
    ``"1"``), keyed by the stored (subject, predicate, literal), so that ``Engine.triples`` gives the data's own
    terms, as the rdflib engine does."""
    out: dict[tuple[object, object, object], Literal] = {}
    if b"^^<" not in ntriples:
        return out
    for triple in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES):
        o = triple.object
        if not isinstance(o, ox.Literal) or o.language or o.datatype.value == XSD_STRING:
            continue
        for quad in store.quads_for_pattern(triple.subject, triple.predicate, o, None):
            if quad.object != o:
                out[(quad.subject, quad.predicate, quad.object)] = Literal(o.value, datatype=URIRef(o.datatype.value))
    return out


def _to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)) if term.datatype else None)
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    return ox.NamedNode(str(term))


def _from_ox(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Node:
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        return Literal(term.value, datatype=None if dt == XSD_STRING else URIRef(dt))
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    return URIRef(term.value)  # type: ignore[union-attr]  # an RDF 1.2 triple term has no rdflib form


# A page reads the same terms again and again (an entity page converts some 4,000), and making an rdflib term costs
# microseconds (URIRef checks its IRI): remember the most recent conversions (terms are immutable on both sides).
_to_ox_cached = functools.lru_cache(maxsize=1 << 16)(_to_ox)
_from_ox_cached = functools.lru_cache(maxsize=1 << 16)(_from_ox)


QUERY_SUFFIXES = (".rq", ".sparql")


def query_text(arg: str) -> tuple[str, str]:
    """(text, source) of the query an argument gives: the contents of the file it names when that file exists, else
    the argument itself as the query text. A name of a query file (one line ending .rq or .sparql) that does not
    exist is an error, not a query; a text too long to be a file name is just text."""
    one_line = "\n" not in arg and "\r" not in arg
    if one_line and arg.strip():
        path = Path(arg)
        try:
            exists = path.is_file()
        except (OSError, ValueError):  # too long for a file name, or a NUL byte: not a file
            exists = False
        if exists:
            return read_text(path), str(path)
        if path.suffix.lower() in QUERY_SUFFIXES and " " not in arg:
            raise BadInputError(f"{arg}: query file not found",
                                hint="give the path of a .rq file, or the query text itself")
    return arg, "query"
