"""Is a literal's lexical form in its datatype's lexical space, and is an IRI an IRI? Checked on the terms the
parsers hand over, before rdflib turns them into Python values (rdflib reads ``"x"^^xsd:boolean`` as false and
``"2022-13"^^xsd:gYearMonth`` as nothing, and writes them back changed or unchanged without a word).

The grammars are those of W3C XML Schema Definition Language (XSD) 1.1 Part 2: Datatypes (W3C Recommendation,
5 April 2012), section by section below, for the XSD datatypes RDF 1.1 Concepts (section 5.1) allows; an IRI is
checked against RFC 3987 (section 2.2: the characters an IRI may hold, and percent-encoding).

>>> literal_problem("2022-12", str(XSD.gYearMonth)) is None
True
>>> literal_problem("2022-13", str(XSD.gYearMonth))
'not a valid xsd:gYearMonth (XSD 1.1 section 3.3.10: YYYY-MM, month 01 to 12)'
>>> literal_problem("2025-02-29", str(XSD.date))
'not a valid xsd:date: 2025-02 has no day 29'
>>> literal_problem("300", str(XSD.unsignedByte))
'not a valid xsd:unsignedByte: above its greatest value 255'
>>> iri_problem("http://example.org/a b")
"the character ' ' (U+0020) is not allowed in an IRI"
>>> iri_problem("https://w3id.org/smakg/id/gene/SMN1") is None
True
"""

from __future__ import annotations

import math
import re
import struct
from collections.abc import Callable, Iterable

from rdflib import Graph, Literal
from rdflib.namespace import XSD
from rdflib.term import Node

from smakg.errors import BadInputError

_XSD = str(XSD)

# ---- XSD 1.1 Part 2 grammars -----------------------------------------------------------------------------------

_ZONE = r"(Z|[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00))"  # timezoneFrag, section 3.3.7.2 (and D.3)
_TZ = _ZONE + "?"
_YEAR = r"-?([1-9][0-9]{3,}|0[0-9]{3})"  # yearFrag
_MONTH = r"(0[1-9]|1[0-2])"
_DAY = r"(0[1-9]|[12][0-9]|3[01])"
_TIME = r"(([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?|24:00:00(\.0+)?)"
_DEC = r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)"  # decimalLexicalRep, section 3.3.3
_FLOATING = (_DEC + r"([eE][+-]?[0-9]+)?|[+-]?INF|NaN", "a number such as 1.5, 1.5E3, INF or NaN")  # 3.3.4, 3.3.5
_DUR_T = r"T(([0-9]+H)([0-9]+M)?([0-9]+(\.[0-9]+)?S)?|([0-9]+M)([0-9]+(\.[0-9]+)?S)?|([0-9]+(\.[0-9]+)?S))"
_DUR_YM = r"(([0-9]+Y)([0-9]+M)?|([0-9]+M))"
_NAME_START = ("A-Z_a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c\u200d\u2070-\u218f"
               "\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff")  # XML 1.0 5th ed. [4]
_NAME_CHAR = _NAME_START + r"\-.0-9\u00b7\u0300-\u036f\u203f-\u2040"  # [4a]

# (datatype, section, pattern, what the form looks like)
_GRAMMARS: dict[str, tuple[str, str, str]] = {
    "boolean": ("3.3.2", r"true|false|1|0", "true, false, 1 or 0"),
    "decimal": ("3.3.3", _DEC, "digits with an optional sign and decimal point, no exponent"),
    "float": ("3.3.4", *_FLOATING),
    "double": ("3.3.5", *_FLOATING),
    "duration": ("3.3.6", rf"-?P({_DUR_YM}([0-9]+D)?({_DUR_T})?|([0-9]+D)({_DUR_T})?|{_DUR_T})",
                 "P, then at least one of nY nM nD, then optionally T and at least one of nH nM nS"),
    "dateTime": ("3.3.7", rf"{_YEAR}-{_MONTH}-{_DAY}T{_TIME}{_TZ}", "YYYY-MM-DDThh:mm:ss with optional timezone"),
    "time": ("3.3.8", rf"{_TIME}{_TZ}", "hh:mm:ss, hours 00 to 23"),
    "date": ("3.3.9", rf"{_YEAR}-{_MONTH}-{_DAY}{_TZ}", "YYYY-MM-DD, month 01 to 12"),
    "gYearMonth": ("3.3.10", rf"{_YEAR}-{_MONTH}{_TZ}", "YYYY-MM, month 01 to 12"),
    "gYear": ("3.3.11", rf"{_YEAR}{_TZ}", "a year of four or more digits, YYYY"),
    "gMonthDay": ("3.3.12", rf"--{_MONTH}-{_DAY}{_TZ}", "--MM-DD"),
    "gDay": ("3.3.13", rf"---{_DAY}{_TZ}", "---DD"),
    "gMonth": ("3.3.14", rf"--{_MONTH}{_TZ}", "--MM"),
    "hexBinary": ("3.3.15", r"([0-9a-fA-F]{2})*", "pairs of hexadecimal digits"),
    "base64Binary": ("3.3.16", r"(([A-Za-z0-9+/] ?){4})*(([A-Za-z0-9+/] ?){3}[A-Za-z0-9+/]|([A-Za-z0-9+/] ?){2}"
                     r"[AEIMQUYcgkosw048] ?=|[A-Za-z0-9+/] ?[AQgw] ?= ?=)?", "Base64 (RFC 2045) with padding"),
    "normalizedString": ("3.4.1", r"[^\t\n\r]*", "text without tab, line feed or carriage return"),
    "token": ("3.4.2", r"([^\s]+( [^\s]+)*)?", "words separated by single spaces, none leading or trailing"),
    "language": ("3.4.3", r"[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*", "a language tag such as en or en-GB"),
    "NMTOKEN": ("3.4.4", rf"[{_NAME_CHAR}]+", "XML name characters"),
    "Name": ("3.4.6", rf"[{_NAME_START}:][{_NAME_CHAR}:]*", "an XML name"),
    "NCName": ("3.4.7", rf"[{_NAME_START}][{_NAME_CHAR}]*", "an XML name without a colon"),
    "integer": ("3.4.13", r"[+-]?[0-9]+", "digits with an optional sign"),
    "yearMonthDuration": ("3.4.26", rf"-?P{_DUR_YM}", "P, then nY, nM or nYnM"),
    "dayTimeDuration": ("3.4.27", rf"-?P(([0-9]+D)({_DUR_T})?|{_DUR_T})", "P, then nD and/or T with nH nM nS"),
    "dateTimeStamp": ("3.4.28", rf"{_YEAR}-{_MONTH}-{_DAY}T{_TIME}{_ZONE}",
                      "YYYY-MM-DDThh:mm:ss with a timezone"),
}
# the integer types derived by range, sections 3.4.14 to 3.4.25
_INTEGER_RANGES: dict[str, tuple[int | None, int | None]] = {
    "nonPositiveInteger": (None, 0), "negativeInteger": (None, -1), "long": (-(2**63), 2**63 - 1),
    "int": (-(2**31), 2**31 - 1), "short": (-(2**15), 2**15 - 1), "byte": (-128, 127), "nonNegativeInteger": (0, None),
    "unsignedLong": (0, 2**64 - 1), "unsignedInt": (0, 2**32 - 1), "unsignedShort": (0, 2**16 - 1),
    "unsignedByte": (0, 255), "positiveInteger": (1, None),
}
_COMPILED = {name: re.compile(pattern) for name, (_s, pattern, _w) in _GRAMMARS.items()}
_INTEGER = _COMPILED["integer"]
_STRINGS = {"string", "anyURI"}  # any string of characters (sections 3.3.1, 3.3.17); anyURI is checked as an IRI
_NOT_FOR_RDF = {"QName", "NOTATION", "ENTITY", "ENTITIES", "ID", "IDREF", "IDREFS", "NMTOKENS"}  # RDF 1.1, 5.1


def _days_in_month(year: int, month: int) -> int:
    """daysInMonth, XSD 1.1 section E.3.4 (year 0000 is a leap year: the proleptic Gregorian calendar)."""
    if month == 2:
        return 29 if year % 400 == 0 or (year % 4 == 0 and year % 100 != 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _day_fits(lexical: str, name: str) -> str | None:
    """The day-of-month constraint of dateTime, date and gMonthDay (sections 3.3.7, 3.3.9, 3.3.12)."""
    if name == "gMonthDay":
        month, day = int(lexical[2:4]), int(lexical[5:7])
        return None if day <= _days_in_month(2000, month) else f"month {month:02d} has no day {day}"
    match = re.match(r"(-?[0-9]+)-([0-9]{2})-([0-9]{2})", lexical)
    if match is None:
        return None
    year, month, day = int(match[1]), int(match[2]), int(match[3])
    if day > _days_in_month(year, month):
        return f"{match[1]}-{match[2]} has no day {day}"
    return None


def _in_range(lexical: str, name: str) -> str | None:
    """A finite float or double that only rounds to infinity is refused: XSD 1.1 (section 3.3.5.2) maps it to INF,
    XSD 1.0 called it out of range, and no curator writing 1e999999 means INF (write INF for that)."""
    if lexical.lstrip("+-") in ("INF", "NaN"):
        return None
    value = float(lexical)
    try:
        if math.isinf(value) or (name == "float" and math.isinf(struct.unpack("f", struct.pack("f", value))[0])):
            raise OverflowError
    except OverflowError:
        return f"{lexical[:40]} is beyond the largest xsd:{name} (write INF if infinity is meant)"
    return None


def _out_of_range(lexical: str, low: int | None, high: int | None) -> str | None:
    digits = lexical.lstrip("+-").lstrip("0")
    negative = lexical.startswith("-") and digits != ""
    # beyond 40 digits every bounded type is exceeded, and int() of a huge string is slow (or refused)
    value = int(lexical) if len(digits) <= 40 else (-(10**41) if negative else 10**41)
    if low is not None and value < low:
        return f"below its least value {low}"
    if high is not None and value > high:
        return f"above its greatest value {high}"
    return None


def literal_problem(lexical: str, datatype: str) -> str | None:
    """What is wrong with ``lexical`` as a form of ``datatype`` (an IRI), or None when it is valid (or the datatype
    is not an XSD one, which smakg cannot check)."""
    if not datatype.startswith(_XSD):
        return None
    name = datatype[len(_XSD):]
    if name in _STRINGS:
        return None if name == "string" else _anyuri_problem(lexical)
    if name in _NOT_FOR_RDF:
        return f"xsd:{name} is not a datatype RDF allows (RDF 1.1 Concepts, section 5.1)"
    if name in _INTEGER_RANGES:
        if _INTEGER.fullmatch(lexical) is None:
            return f"not a valid xsd:{name} (XSD 1.1 section 3.4.13: digits with an optional sign)"
        wrong = _out_of_range(lexical, *_INTEGER_RANGES[name])
        return f"not a valid xsd:{name}: {wrong}" if wrong else None
    if name not in _GRAMMARS:
        return f"xsd:{name} is not an XSD datatype (a misspelling?)"
    section, _pattern, looks = _GRAMMARS[name]
    if _COMPILED[name].fullmatch(lexical) is None:
        return f"not a valid xsd:{name} (XSD 1.1 section {section}: {looks})"
    if name in ("date", "dateTime", "dateTimeStamp", "gMonthDay"):
        wrong = _day_fits(lexical, name)
        return f"not a valid xsd:{name}: {wrong}" if wrong else None
    if name in ("float", "double"):
        wrong = _in_range(lexical, name)
        return f"not a valid xsd:{name}: {wrong}" if wrong else None
    return None


# ---- RFC 3987 ----------------------------------------------------------------------------------------------------

# Characters no part of an IRI may hold (RFC 3987 section 2.2: neither unreserved, ucschar, iprivate, reserved nor
# '%'): controls, space, the delimiters " < > \ ^ ` { | }, and the non-characters.
_FORBIDDEN = re.compile("[\x00-\x20\"<>\\\\^`{|}\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_BAD_PERCENT = re.compile("%(?![0-9A-Fa-f]{2})")
_SCHEME = re.compile("[A-Za-z][A-Za-z0-9+.-]*:")  # RFC 3987 section 2.2, scheme (from RFC 3986 section 3.1)


def _char_problem(iri: str) -> str | None:
    bad = _FORBIDDEN.search(iri)
    if bad is not None:
        char = bad.group()
        return f"the character {char!r} (U+{ord(char):04X}) is not allowed in an IRI"
    if _BAD_PERCENT.search(iri) is not None:
        return "a '%' not followed by two hexadecimal digits (RFC 3987 percent-encoding)"
    return None


def iri_problem(iri: str) -> str | None:
    """What makes ``iri`` no absolute IRI (RFC 3987), or None."""
    if _SCHEME.match(iri) is None:
        return "no scheme (such as https:) at its start, so it is not an absolute IRI"
    return _char_problem(iri)


def refuse_iri(iri: str, where: str) -> None:
    """BadInputError naming ``where`` (file:line) when ``iri`` is no IRI (RFC 3987): it could be written in no
    RDF syntax, and no store takes it."""
    wrong = iri_problem(iri)
    if wrong is not None:
        shown = _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04X}", iri if len(iri) <= 120 else iri[:117] + "...")
        raise BadInputError(f"{where}: <{shown}> is not a valid IRI: {wrong}",
                            hint="percent-encode the character (a space is %20, a quote %22, { and } are %7B and "
                                 "%7D), or correct the IRI")


def _anyuri_problem(lexical: str) -> str | None:
    """XSD 1.1 (section 3.3.17) takes any string as an xsd:anyURI; smakg asks for an IRI reference (RFC 3987),
    absolute or relative, after the collapsing of leading and trailing spaces the datatype allows."""
    wrong = _char_problem(lexical.strip(" "))
    return f"not a valid xsd:anyURI: {wrong}" if wrong else None


def checker() -> Callable[[str, str], str | None]:
    """``literal_problem``, remembered per (lexical form, datatype): a graph repeats its literals."""
    seen: dict[tuple[str, str], str | None] = {}

    def check(lexical: str, datatype: str) -> str | None:
        key = (lexical, datatype)
        if key not in seen:
            seen[key] = literal_problem(lexical, datatype)
        return seen[key]

    return check


def ill_typed(graphs: Iterable[Graph]) -> list[tuple[Node, Node, Literal, str]]:
    """Every (subject, property, literal, what is wrong) whose literal is not in its datatype's lexical space, over
    the graphs given, sorted (by N-Triples forms)."""
    check = checker()
    found: dict[tuple[str, str, str], tuple[Node, Node, Literal, str]] = {}
    for graph in graphs:
        for s, p, o in graph:
            if isinstance(o, Literal) and o.datatype is not None:
                wrong = check(str(o), str(o.datatype))
                if wrong is not None:
                    found[(s.n3(), p.n3(), o.n3())] = (s, p, o, wrong)
    return [found[k] for k in sorted(found)]
