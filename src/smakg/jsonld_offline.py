"""A JSON-LD document loader for pyld that never touches the network: every remote URL is refused."""

from __future__ import annotations

from pyld import jsonld


def offline_loader(url: str, options: dict | None = None) -> dict:
    """Refuse every URL: smakg's JSON-LD embeds its context, so nothing needs fetching."""
    raise jsonld.JsonLdError(
        f"offline: refusing to load {url!r}; embed the context inline (smakg never fetches anything)",
        "jsonld.LoadDocumentError", {"url": url, "reason": "offline"}, code="loading document failed")
