"""No network, ever: the guard in conftest refuses connections, and our code never asks for one."""

from __future__ import annotations

import socket

import pytest
from conftest import NetworkAccessError
from pyld import jsonld

from smakg.kb.jsonld import offline_loader


def test_guard_refuses_network() -> None:
    with pytest.raises(NetworkAccessError), socket.socket() as s:
        s.connect(("192.0.2.1", 80))


def test_guard_refuses_name_lookup() -> None:
    with pytest.raises(NetworkAccessError):
        socket.getaddrinfo("example.org", 80)


def test_remote_context_is_refused_without_a_request() -> None:
    asked: list[str] = []

    def recording_loader(url: str, options: dict | None = None) -> dict:
        asked.append(url)
        return offline_loader(url, options)

    url = "https://w3id.org/smakg/context/v1.jsonld"
    doc = {"@context": url, "@id": "https://w3id.org/smakg/id/x", "label": "x"}
    with pytest.raises(jsonld.JsonLdError) as info:
        jsonld.expand(doc, {"documentLoader": recording_loader})
    assert asked == [url]
    assert info.value.details.get("url") == url
    with pytest.raises(jsonld.JsonLdError) as direct:
        offline_loader(url)
    assert direct.value.details == {"url": url, "reason": "offline"}
