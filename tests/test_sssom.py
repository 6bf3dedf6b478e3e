"""dist/smakg.sssom.tsv is valid SSSOM 1.0 and holds every cross-reference of the graph.

The ``sssom`` package itself pulls in about a hundred packages (pandas, Sphinx, the LinkML generators), so the
check here uses the specification's own LinkML schema as ``sssom-schema`` ships it (the YAML and the generated
dataclasses): metadata and column names are slots of the schema, required slots are present, the justification
matches the schema's pattern, predicates are SSSOM's mapping predicates, every CURIE prefix is declared in the
curie_map (built-in prefixes are not redefined), and every row builds a ``Mapping`` of the schema's datamodel.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from importlib.resources import files

import pytest
import yaml
from conftest import ROOT
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, SKOS

with warnings.catch_warnings():  # linkml-runtime warns that its dataclass patch is deprecated; nothing to act on
    warnings.simplefilter("ignore", DeprecationWarning)
    from sssom_schema import Mapping, MappingSet

from smakg.export import sssom
from smakg.kb.vocab import SMAKG

SKOS_MAPPINGS = {SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch}


@pytest.fixture(scope="module")
def schema() -> dict:
    text = files("sssom_schema").joinpath("schema").joinpath("sssom_schema.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@pytest.fixture(scope="module")
def table(exports) -> tuple[dict, list[dict[str, str]], list[str]]:
    text = exports[sssom.NAME]
    header = "".join(line[1:] + "\n" for line in text.splitlines() if line.startswith("#"))
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    reader = csv.DictReader(io.StringIO(body), delimiter="\t", quoting=csv.QUOTE_NONE)
    return yaml.safe_load(header), list(reader), list(reader.fieldnames or [])


def _required(schema: dict, cls: str) -> set[str]:
    entry = schema["classes"][cls]
    slots = entry.get("slots") or []
    out = {s for s in slots if (schema["slots"].get(s) or {}).get("required")}
    out |= {s for s, u in (entry.get("slot_usage") or {}).items() if (u or {}).get("required")}
    return out


def test_metadata_and_columns_are_slots_of_the_schema(schema, table) -> None:
    meta, rows, columns = table
    assert set(meta) <= set(schema["classes"]["mapping set"]["slots"]), set(meta) - set(
        schema["classes"]["mapping set"]["slots"])
    assert set(columns) <= set(schema["classes"]["mapping"]["slots"])
    assert _required(schema, "mapping set") <= set(meta)
    assert _required(schema, "mapping") <= set(columns)
    for row in rows:
        for slot in _required(schema, "mapping"):
            assert row[slot], (slot, row)


def test_justification_and_predicates_follow_the_specification(schema, table) -> None:
    _, rows, _ = table
    pattern = re.compile(schema["slots"]["mapping_justification"]["pattern"])
    predicates = {e["value"] for e in schema["slots"]["predicate_id"]["examples"]}
    assert rows
    for row in rows:
        assert pattern.match(row["mapping_justification"]), row
        assert row["predicate_id"] in predicates, row


def test_every_curie_prefix_is_declared_and_builtins_are_not_redefined(schema, table) -> None:
    meta, rows, _ = table
    builtin = set(sssom.BUILTIN)
    declared = set(meta["curie_map"])
    assert not declared & builtin
    for prefix, ns in sssom.BUILTIN.items():
        assert schema["prefixes"].get(prefix, ns) == ns, prefix
    used = set()
    for row in rows:
        for column in ("subject_id", "predicate_id", "object_id", "mapping_justification", "mapping_source"):
            if row[column]:
                prefix = row[column].split(":", 1)[0]
                assert prefix in declared | builtin, (column, row[column])
                used.add(prefix)
    assert declared <= used, f"declared but unused: {declared - used}"


def test_rows_build_the_schema_datamodel(table) -> None:
    meta, rows, _ = table
    mappings = [Mapping(**{k: v for k, v in row.items() if v}) for row in rows]
    curie_map = {p: {"prefix_name": p, "prefix_url": url} for p, url in meta["curie_map"].items()}
    fields = {k: v for k, v in meta.items() if k != "curie_map"}
    mapping_set = MappingSet(mappings=mappings, curie_map=curie_map, **fields)
    assert len(mapping_set.mappings) == len(rows)


def _expand(curie: str, curie_map: dict[str, str]) -> URIRef:
    prefix, local = curie.split(":", 1)
    return URIRef({**curie_map, **sssom.BUILTIN}[prefix] + local)


def test_every_cross_reference_of_the_graph_is_a_row_with_its_release(built, table) -> None:
    meta, rows, _ = table
    graph = built.graph
    expected = {(s, p, o) for p in SKOS_MAPPINGS for s, o in graph.subject_objects(p)}
    entity_rows = [r for r in rows if not r["subject_id"].startswith("smakg:")]
    got = {tuple(_expand(r[c], meta["curie_map"]) for c in ("subject_id", "predicate_id", "object_id"))
           for r in entity_rows}
    assert got == expected
    assert len(expected) >= 45
    for row in entity_rows:
        s, p, o = (_expand(row[c], meta["curie_map"]) for c in ("subject_id", "predicate_id", "object_id"))
        (st,) = [st for st in graph.subjects(RDF.subject, s) if (st, RDF.predicate, p) in graph
                 and (st, RDF.object, o) in graph]
        sources = {str(x) for ev in graph.objects(st, SMAKG.evidence) for x in graph.objects(
            ev, URIRef("http://www.w3.org/ns/oa#hasSource"))}
        assert str(_expand(row["mapping_source"], meta["curie_map"])) in sources, row
        assert "Quote: \u201c" in row["comment"]


def test_vocabulary_mappings_are_rows(table) -> None:
    meta, rows, _ = table
    vocabulary = Graph().parse(ROOT / "ontology" / "smakg.ttl")
    expected = {(s, p, o) for p in SKOS_MAPPINGS for s, o in vocabulary.subject_objects(p)
                if str(s).startswith(str(SMAKG))}
    got = {tuple(_expand(r[c], meta["curie_map"]) for c in ("subject_id", "predicate_id", "object_id"))
           for r in rows if r["subject_id"].startswith("smakg:")}
    assert got == expected and expected


def test_set_metadata_names_the_release(table) -> None:
    meta, _, _ = table
    vocabulary = Graph().parse(ROOT / "ontology" / "smakg.ttl")
    header = URIRef("https://w3id.org/smakg/vocab")
    assert meta["mapping_set_version"] == str(vocabulary.value(header, OWL.versionInfo))
    assert str(meta["publication_date"]) == str(vocabulary.value(header, URIRef("http://purl.org/dc/terms/issued")))
    assert meta["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert meta["mapping_set_id"].startswith("https://w3id.org/smakg/")
