"""Where a query goes wrong, in words both engines share: the line, column and token of a syntax error, and a prefix
the query uses but never declares (the predefined prefixes aside).

The engines' own words are no help to a reader: pyoxigraph lists the character classes its parser expected, and
rdflib raises a bare ``Exception`` for an unknown prefix. So a failed query is explained here, from rdflib's parser
(which stops at the start of the token it cannot take) and a small SPARQL tokenizer (which finds the prefixed names),
and either engine's failure gives the same message.

>>> str(explain("SELECT * WHERE { ?s foo:bar ?o }")).splitlines()[0][:60]
'query:1:21: prefix foo: is not declared; declare it or use o'
>>> str(explain("SELECT * WHERE {\\n  ?s ?p }")).splitlines()[0]
'query:2:3: SPARQL syntax error at "?s": the query cannot go on from here'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from pyparsing import ParseException
from rdflib.plugins.sparql.parser import parseQuery

from smakg.errors import BadInputError
from smakg.kb.vocab import PREFIXES

# The prefixes every query may use without declaring them: the one prefix map of the project (the published JSON-LD
# context's prefixes and a few more). A query's own PREFIX line for the same name wins.
PREDEFINED: Mapping[str, str] = PREFIXES


class QueryError(BadInputError):
    """A query that cannot be run: a syntax error (with line and column), an update, or SERVICE."""


@dataclass(frozen=True)
class Token:
    kind: str  # iri, string, var, bnode, pname, lang, number, word, punct
    text: str
    offset: int  # in characters from the start of the query
    line: int  # 1-based
    col: int  # 1-based, in characters


_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PN_PREFIX = r"[^\W\d_](?:[\w.\-\u00B7]*[\w\-\u00B7])?"
_PN_LOCAL = rf"(?:[\w:\-\u00B7]|{_PLX})(?:(?:[\w:.\-\u00B7]|{_PLX})*(?:[\w:\-\u00B7]|{_PLX}))?"
_TOKEN = re.compile("|".join([
    r"(?P<ws>\s+)",
    r"(?P<comment>#[^\n\r]*)",
    r'(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)',
    r"(?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^\"\\]|\\.|\"(?!\"\"))*\"\"\""
    r"|'(?:[^'\\\n\r]|\\.)*'|\"(?:[^\"\\\n\r]|\\.)*\")",
    r"(?P<var>[?$][\w\u00B7]+)",
    r"(?P<bnode>_:[\w.\-\u00B7]*)",
    rf"(?P<pname>(?:{_PN_PREFIX})?:(?:{_PN_LOCAL})?)",
    r"(?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)",
    r"(?P<number>\d*\.\d+(?:[eE][+-]?\d+)?|\d+(?:[eE][+-]?\d+)?)",
    r"(?P<word>[A-Za-z_]\w*)",
    r"(?P<punct>\^\^|&&|\|\||!=|<=|>=|.)",
]), re.S)


def tokens(text: str) -> list[Token]:
    """The tokens of a query (no whitespace or comments), each with its line and column. Never fails: what the
    grammar does not know comes out one character at a time."""
    out: list[Token] = []
    line, line_start = 1, 0
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "punct"
        if kind not in ("ws", "comment"):
            out.append(Token(kind, m.group(), m.start(), line, m.start() - line_start + 1))
        breaks = m.group().count("\n")
        if breaks:
            line += breaks
            line_start = m.start() + m.group().rindex("\n") + 1
    return out


def declared(toks: list[Token]) -> set[str]:
    """The prefixes a query declares with PREFIX lines."""
    return {toks[i + 1].text[:-1] for i, t in enumerate(toks[:-1])
            if t.kind == "word" and t.text.upper() == "PREFIX" and toks[i + 1].kind == "pname"
            and toks[i + 1].text.endswith(":")}


def undeclared(text: str, predefined: Mapping[str, str] = PREDEFINED) -> Token | None:
    """The first prefixed name whose prefix the query neither declares nor has predefined."""
    toks = tokens(text)
    known = declared(toks) | set(predefined)
    for i, t in enumerate(toks):
        after_prefix = i > 0 and toks[i - 1].kind == "word" and toks[i - 1].text.upper() == "PREFIX"
        if t.kind == "pname" and not after_prefix and t.text.split(":", 1)[0] not in known:
            return t
    return None


def _offset(text: str, lineno: int, col: int) -> int:
    """The offset in ``text`` of pyparsing's line and column (which count columns in the text with its tabs expanded
    to every 8th column, as rdflib's parser sees it)."""
    lines = text.split("\n")
    start = sum(len(x) + 1 for x in lines[:lineno - 1])
    line = lines[lineno - 1] if lineno - 1 < len(lines) else ""
    column = 0
    for i, ch in enumerate(line):
        if column >= col - 1:
            return start + i
        column = (column // 8 + 1) * 8 if ch == "\t" else column + 1
    return start + len(line)


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _excerpt(text: str, line: int, col: int) -> str:
    """The line of the error (at most 100 characters of it, around the column) and a caret under the column."""
    shown = (text.split("\n")[line - 1] if text else "").replace("\t", " ")
    left = max(0, min(col - 50, len(shown) - 100))
    if left:
        shown, col = "…" + shown[left:], col - left + 1
    if len(shown) > 100:
        shown = shown[:100] + "…"
    return f"  {shown}\n  {' ' * (col - 1)}^"


def _shown(token: str) -> str:
    return token if len(token) <= 40 else token[:39] + "…"


def prefix_error(token: Token, source: str, text: str, predefined: Mapping[str, str] = PREDEFINED) -> QueryError:
    name = token.text.split(":", 1)[0]
    like = [p for p in predefined if p.lower() == name.lower()]
    hint = (f"prefixes are case-sensitive: {like[0]}: is predefined" if like else
            f"add a line PREFIX {name}: <...> before the query")
    return QueryError(f"{source}:{token.line}:{token.col}: prefix {name}: is not declared; declare it or use one "
                      f"of: {', '.join(predefined)}\n{_excerpt(text, token.line, token.col)}", hint=hint)


def _engine_sentence(message: str | None) -> tuple[str, int, int] | None:
    """The sentence in a pyoxigraph error for a query that parses but breaks a rule of SPARQL (a variable projected
    that GROUP BY does not bind, a name given twice), with its line and column; None for a plain syntax error."""
    if not message:
        return None
    found = re.match(r"error at (\d+):(\d+): expected (?:one of )?(.*)", message, re.S)
    if not found:
        return None
    rest = re.sub(r"\[[^\]]*\]", "", found.group(3))
    sentences = [s.strip() for s in rest.split(", ") if " " in s.strip() and s.strip()[:1].isupper()
                 and s.strip() != "Prefix not found"]
    return (sentences[0], int(found.group(1)), int(found.group(2))) if sentences else None


def explain(text: str, source: str = "query", *, engine_message: str | None = None,
            parse_error: ParseException | None = None,
            predefined: Mapping[str, str] = PREDEFINED) -> QueryError:
    """The error to report for a query an engine would not take: an undeclared prefix, else a syntax error at the
    token where rdflib's parser stops, else the rule of SPARQL pyoxigraph names (``engine_message``), each with the
    line and column, and the line itself with a caret."""
    if parse_error is None:
        try:
            parseQuery(text)
        except ParseException as exc:
            parse_error = exc
    stop = _offset(text, parse_error.lineno, parse_error.col) if parse_error is not None else len(text) + 1
    unknown = undeclared(text, predefined)
    if unknown is not None and unknown.offset < stop:
        return prefix_error(unknown, source, text, predefined)
    if parse_error is not None:
        line, col = _position(text, stop)
        following = tokens(text[stop:])
        open_quote = next((t for t in following if t.kind == "punct" and t.text in "'\""), None)
        if open_quote is not None:  # the parser stops before a triple or call whose string never closes
            line, col = _position(text, stop + open_quote.offset)
            return QueryError(f"{source}:{line}:{col}: SPARQL syntax error at {open_quote.text}: a string that is "
                              f"not closed on its line\n{_excerpt(text, line, col)}")
        if following:
            what = f'at "{_shown(following[0].text)}": the query cannot go on from here'
        else:
            what = "at the end of the query: it ends too early (a {, ( or string left open?)"
        return QueryError(f"{source}:{line}:{col}: SPARQL syntax error {what}\n{_excerpt(text, line, col)}")
    sentence = _engine_sentence(engine_message)
    if sentence is not None:
        words, line, col = sentence
        return QueryError(f"{source}:{line}:{col}: SPARQL error: {words}")
    where = re.match(r"error at (\d+:\d+)", engine_message or "")
    return QueryError(f"{source}:{where.group(1) if where else '1:1'}: SPARQL error: the query breaks a rule of "
                      "SPARQL (a variable bound twice, a name given twice, or a variable outside GROUP BY?)")
