"""The HTML shell every page shares: escaping, safe links, the document frame and the Content-Security-Policy.

Every page links relatively (``../gene/IGHMBP2.html``), so the pages ``smakg serve`` gives and the files
``smakg site`` writes are the same bytes and work on any static host. A page at depth 2 (``id/gene/X.html``) reaches
the root with ``root="../../"``.

>>> href("https://omim.org/entry/604320"), href("javascript:alert(1)"), href("../gene/SMN1.html")
('https://omim.org/entry/604320', None, '../gene/SMN1.html')
>>> esc('<a href="x">')
'&lt;a href=&quot;x&quot;&gt;'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import escape
from urllib.parse import urlsplit

from smakg.kb.vocab import ID, SMAKG, WEB_SCHEMES, compress_iri

# /id/{kind}/{slug} or /id/{name}: letters, digits and - . _ ~ only.
PATH = re.compile(r"^/id/(?:[a-z]+/)?[A-Za-z0-9][A-Za-z0-9._~-]*$")
HIDDEN_KINDS = ("evidence/", "selector/")  # parts of a statement, shown on its page, never pages of their own

# No inline script anywhere: scripts and styles come from this site's own files (static/). The header form adds
# frame-ancestors, which a <meta> policy cannot carry.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'")
CSP_HEADER = CSP + "; frame-ancestors 'none'"
SECURITY_HEADERS = {"Content-Security-Policy": CSP_HEADER, "X-Content-Type-Options": "nosniff",
                    "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"}


def esc(text: str) -> str:
    """Text for HTML content or a quoted attribute."""
    return escape(text, quote=True)


def href(url: str) -> str | None:
    """``url`` when a page may link it, decided on the parsed URL; None otherwise. Allowed: an absolute http(s) URL
    with a host, or a relative URL of the forms this site writes (``../gene/SMN1.html``, ``#f-1a2b``,
    ``sparql?query=...``): path segments, query and fragment of URL-safe characters only. A backslash, a control or
    space character, a scheme-relative ``//host`` and every other scheme (javascript:, data:, file:) are refused.

    >>> href("/\\\\evil.example/"), href("\\\\evil.example"), href("/id/gene/SMN1.html")
    (None, None, None)
    """
    if any(c == "\\" or ord(c) < 32 or c.isspace() or 0x7F <= ord(c) <= 0x9F for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme == "":
        return url if _site_relative(parts.netloc, parts.path, parts.query, parts.fragment) else None
    return url if parts.scheme.lower() in WEB_SCHEMES and parts.netloc else None


_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_SAFE_QUERY = _SAFE | frozenset("%=&+")
_SAFE_FRAGMENT = _SAFE | frozenset(":")


def _site_relative(netloc: str, path: str, query: str, fragment: str) -> bool:
    """Whether a relative URL (already split) is of a form the site writes: no host, a relative path (no leading
    ``/``) of non-empty safe segments, and a safe query and fragment."""
    if netloc:
        return False
    segments = path.split("/") if path else []
    if any(not seg or not set(seg) <= _SAFE for seg in segments):
        return False
    return set(query) <= _SAFE_QUERY and set(fragment) <= _SAFE_FRAGMENT


def link(url: str, text: str, *, cls: str = "") -> str:
    """An ``<a>`` to ``url`` with escaped ``text``; only the text when the URL may not be linked."""
    target = href(url)
    if target is None:
        return esc(text)
    attr = f' class="{esc(cls)}"' if cls else ""
    return f'<a href="{esc(target)}"{attr}>{esc(text)}</a>'


def document(title: str, body: str, *, root: str = "", scripts: tuple[str, ...] = ()) -> str:
    """A whole page: the shared head (stylesheet, policy), the navigation, ``body``; ``root`` leads to the site's
    top from this page, ``scripts`` are site paths of scripts to load (never inline)."""
    tags = "".join(f'<script src="{esc(root + s)}" defer></script>' for s in scripts)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f'<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{esc(title)} · smakg</title>"
            f'<link rel="stylesheet" href="{esc(root)}static/site.css">'
            f'<link rel="icon" href="{esc(root)}static/favicon.svg" type="image/svg+xml">{tags}</head>\n'
            f'<body><header><nav aria-label="site"><a href="{esc(root)}index.html">smakg</a> · '
            f'<a href="{esc(root)}index.html#search">search</a> · <a href="{esc(root)}index.html#conditions">'
            f'conditions</a> · <a href="{esc(root)}index.html#genes">genes</a> · <a href="{esc(root)}vocab.html">'
            f'vocabulary</a> · <a href="{esc(root)}index.html#query">query</a></nav></header>\n'
            f"<main>{body}</main>\n</body></html>\n")


class Paths:
    """Where each IRI's page is on the site (relative to its top), or None for an IRI with no page here."""

    def __init__(self, terms: Iterable[str]) -> None:
        self.terms = frozenset(terms)  # imported terms with a page of their own (term/HP_0002098.html)

    def of(self, iri: str) -> str | None:
        if iri.startswith(ID):
            rest = iri.removeprefix(ID)
            if rest.startswith(HIDDEN_KINDS) or not PATH.match("/id/" + rest):
                return None
            return f"id/{rest}.html"
        if iri.startswith(str(SMAKG)):
            return "vocab.html#" + iri.removeprefix(str(SMAKG)) if iri != str(SMAKG) else "vocab.html"
        if iri in self.terms:
            curie = compress_iri(iri)
            return f"term/{curie.replace(':', '_')}.html" if curie else None
        return None

    def iri_of_term(self, name: str) -> str | None:
        """The imported term a ``term/NAME.html`` page shows (its CURIE with ``_`` for ``:``), or None."""
        for iri in self.terms:
            curie = compress_iri(iri)
            if curie and curie.replace(":", "_") == name:
                return iri
        return None
