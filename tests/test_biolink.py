"""The Biolink view (KGX TSV): checked against the pinned Biolink model, which is itself checked against the
biolink-model release it was generated from; each rule of the check has a bad case that proves it fires."""

from __future__ import annotations

import importlib.util
from importlib.resources import files

import pytest
import yaml
from conftest import ROOT
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from smakg.errors import DataError
from smakg.export import biolink
from smakg.export.biolink_model import load
from smakg.kb.vocab import BIOLINK, SMAKG

MODEL = load()
VOCABULARY = Graph().parse(ROOT / "ontology" / "smakg.ttl")


def _vendor_script():
    spec = importlib.util.spec_from_file_location("vendor_biolink", ROOT / "scripts" / "vendor_biolink.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def release_yaml() -> dict:
    text = files("biolink_model").joinpath("schema").joinpath("biolink_model.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@pytest.fixture(scope="module")
def view(exports):
    nodes_text, edges_text = exports[biolink.NODES], exports[biolink.EDGES]
    return biolink.parse_tsv(nodes_text)[1], biolink.parse_tsv(edges_text)[1], nodes_text, edges_text


def test_vendored_model_is_what_the_pinned_release_gives(release_yaml) -> None:
    vendored = (ROOT / "src" / "smakg" / "data" / "biolink-model.json").read_text(encoding="utf-8")
    assert _vendor_script().generate() == vendored, "run python scripts/vendor_biolink.py"
    assert MODEL.version == str(release_yaml["version"])


def test_build_output_conforms_to_the_model(view) -> None:
    *_, nodes_text, edges_text = view
    assert biolink.check(nodes_text, edges_text) == []
    assert nodes_text.split("\n", 1)[0].split("\t") == biolink.NODE_COLUMNS
    assert edges_text.split("\n", 1)[0].split("\t") == biolink.EDGE_COLUMNS


def test_categories_and_predicates_exist_in_the_release_yaml(view, release_yaml) -> None:
    nodes, edges, *_ = view
    classes = {biolink_model_curie(n, cls=True): v for n, v in release_yaml["classes"].items()}
    slots = {biolink_model_curie(n, cls=False): (n, v) for n, v in release_yaml["slots"].items()}
    for node in nodes:
        entry = classes[node["category"]]
        assert not entry.get("abstract") and not entry.get("mixin"), node
    for edge in edges:
        name, entry = slots[edge["predicate"]]
        assert not entry.get("deprecated"), edge
        chain = [name]
        while release_yaml["slots"][chain[-1]].get("is_a"):
            chain.append(release_yaml["slots"][chain[-1]]["is_a"])
        assert chain[-1] == "related to", edge
        assert edge["category"] in classes


def biolink_model_curie(name: str, *, cls: bool) -> str:
    if cls:
        return "biolink:" + "".join(w[:1].upper() + w[1:] for w in name.split(" "))
    return "biolink:" + name.replace(" ", "_")


def test_every_edge_joins_two_nodes_and_every_node_is_used(view) -> None:
    nodes, edges, *_ = view
    ids = {n["id"] for n in nodes}
    assert len(ids) == len(nodes)
    ends = {e["subject"] for e in edges} | {e["object"] for e in edges}
    assert ends <= ids
    entities = {n["id"] for n in nodes if n["category"] in ("biolink:Disease", "biolink:Gene")}
    assert (ids - ends) <= entities, "value nodes (HPO terms) only appear when an edge uses them"


def test_every_mapped_fact_is_an_edge(built, view) -> None:
    _, edges, *_ = view
    graph = built.graph
    for prop, predicate in (("isCausalGeneFor", "biolink:causes"), ("hasPhenotype", "biolink:has_phenotype"),
                            ("hasInheritanceMode", "biolink:has_mode_of_inheritance"),
                            ("modifiesSeverityOf", "biolink:contributes_to"), ("subtypeOf", "biolink:subclass_of")):
        facts = len(list(graph.subject_objects(SMAKG[prop])))
        assert facts and sum(e["predicate"] == predicate for e in edges) == facts, prop
    statements = set(graph.subjects(RDF.type, SMAKG.Statement))
    assert all(URIRef(str(SMAKG).replace("vocab#", "id/statement/") + e["id"].split(":", 1)[1]) in statements
               for e in edges)


def test_causal_edge_carries_quote_source_and_levels(view) -> None:
    nodes, edges, *_ = view
    (edge,) = [e for e in edges if e["subject"] == "gene:IGHMBP2" and e["object"] == "cond:smard1"]
    assert edge["predicate"] == "biolink:causes"
    assert edge["category"] == "biolink:CausalGeneToDiseaseAssociation"
    assert edge["knowledge_level"] == "knowledge_assertion" and edge["agent_type"] == "manual_agent"
    assert edge["primary_knowledge_source"] == "infores:smakg"
    assert edge["original_predicate"] == "smakg:isCausalGeneFor"
    assert "src:smauk-smard1" in edge["publications"].split("|")
    assert any("IGHMBP2" in q for q in edge["supporting_text"].split("|"))
    (gene,) = [n for n in nodes if n["id"] == "gene:IGHMBP2"]
    assert gene["category"] == "biolink:Gene" and gene["in_taxon"] == "NCBITaxon:9606"
    assert {"HGNC:5542", "NCBIGene:3508", "OMIM:600502"} <= set(gene["xref"].split("|"))
    (smard1,) = [n for n in nodes if n["id"] == "cond:smard1"]
    assert {"MONDO:0011436", "ORDO:Orphanet_98920", "OMIM:604320"} <= set(smard1["xref"].split("|"))
    assert "DSMA1" in smard1["synonym"].split("|")


def test_value_nodes_take_the_predicate_range(view) -> None:
    nodes, *_ = view
    category = {n["id"]: n["category"] for n in nodes}
    assert category["HP:0000007"] == "biolink:GeneticInheritance"
    assert category["HP:0002098"] == "biolink:PhenotypicFeature"
    assert category["phen:fatty-finger-pads"] == "biolink:PhenotypicFeature"
    assert not any(i.startswith(("locus:", "method:", "course:", "src:")) for i in category)


def test_cells_hold_no_tabs_or_line_breaks(view) -> None:
    *_, nodes_text, edges_text = view
    for text in (nodes_text, edges_text):
        widths = {len(line.split("\t")) for line in text.rstrip("\n").split("\n")}
        assert len(widths) == 1


def test_mappings_come_from_the_vocabulary() -> None:
    preds = biolink.predicates(VOCABULARY, MODEL)
    assert preds[SMAKG.isCausalGeneFor] == "biolink:causes"
    assert preds[SMAKG.modifiesSeverityOf] == "biolink:contributes_to"
    assert SMAKG.hasOnset not in preds, "onset_qualifier is a qualifier, not a predicate"
    assert SMAKG.locatedIn not in preds
    assert biolink.categories(VOCABULARY, MODEL)[SMAKG.Condition] == "biolink:Disease"
    ambiguous = VOCABULARY + Graph()
    ambiguous.add((SMAKG.isCausalGeneFor, SKOS.closeMatch, BIOLINK.contributes_to))
    with pytest.raises(DataError, match="several Biolink predicates"):
        biolink.predicates(ambiguous, MODEL)


def test_a_bad_mapping_stops_the_build(built) -> None:
    bad = VOCABULARY + Graph()
    bad.remove((SMAKG.hasPhenotype, None, BIOLINK.has_phenotype))
    bad.add((SMAKG.hasPhenotype, RDFS.subPropertyOf, BIOLINK.causes))  # a condition does not cause its symptoms
    view = biolink.build_view(built.graph, bad)
    assert any(e["predicate"] == "biolink:causes" and e["subject"] == "cond:smard1" for e in view.edges)
    with pytest.raises(DataError, match="CausalGeneToDiseaseAssociation wants a biolink:GeneOrGeneProduct subject"):
        biolink.to_kgx(built.graph, bad)


def _edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


BAD_EDGES = [
    ("\tbiolink:causes\t", "\tbiolink:cures\t", "not a Biolink predicate"),
    ("\tbiolink:causes\t", "\tbiolink:genetically_associated_with\t", "deprecated"),
    ("\tmanual_agent\t", "\tcurator\t", "AgentTypeEnum"),
    ("\tknowledge_assertion\t", "\tfact\t", "KnowledgeLevelEnum"),
    ("\tHP:0002460\tbiolink:DiseaseToPhenotypicFeatureAssociation", "\tHP:9999999\t"
     "biolink:DiseaseToPhenotypicFeatureAssociation", "is not a node"),
    ("biolink:CausalGeneToDiseaseAssociation", "biolink:GeneToDiseaseAssociation", "allows only"),
    ("biolink:CausalGeneToDiseaseAssociation", "biolink:GeneToGene", "not a Biolink association"),
    ("\tinfores:smakg\t", "\tsmakg\t", "infores"),
    ("\tsmakg:isCausalGeneFor\t", "\tsmakg:isCausalGeneFor|smakg:x\t", "single-valued"),
]


@pytest.mark.parametrize(("old", "new", "message"), BAD_EDGES, ids=[b[2] for b in BAD_EDGES])
def test_check_catches_bad_edges(view, old, new, message) -> None:
    *_, nodes_text, edges_text = view
    problems = biolink.check(nodes_text, _edit(edges_text, old, new))
    assert any(message in p for p in problems), problems


BAD_NODES = [
    ("\tbiolink:Gene\t", "\tbiolink:GeneOrGeneProduct\t", "not a concrete Biolink category"),
    ("\tbiolink:Gene\t", "\tbiolink:Gen\t", "not a concrete Biolink category"),
    ("HGNC:5542", "HUGO:5542", "prefix Biolink does not know"),
    ("cond:smard1\tbiolink:Disease\t", "cond:smard1\tbiolink:Gene\t", "outside"),
    ("cond:smard1\tbiolink:Disease", "cond:dhmn\tbiolink:Disease", "given twice"),
]


@pytest.mark.parametrize(("old", "new", "message"), BAD_NODES, ids=[b[2] for b in BAD_NODES])
def test_check_catches_bad_nodes(view, old, new, message) -> None:
    *_, nodes_text, edges_text = view
    problems = biolink.check(_edit(nodes_text, old, new), edges_text)
    assert any(message in p for p in problems), problems


def test_check_catches_bad_columns(view) -> None:
    *_, nodes_text, edges_text = view
    header, rest = edges_text.split("\n", 1)
    agent = header.split("\t").index("agent_type")
    dropped = "\n".join("\t".join(c for i, c in enumerate(line.split("\t")) if i != agent)
                        for line in edges_text.rstrip("\n").split("\n")) + "\n"
    assert any("required columns missing: agent_type" in p for p in biolink.check(nodes_text, dropped))
    renamed = header.replace("supporting_text", "supportingtext") + "\n" + rest
    assert any("not Biolink slots: supportingtext" in p for p in biolink.check(nodes_text, renamed))
    ragged = edges_text + "stmt:x\tgene:IGHMBP2\n"
    assert biolink.check(nodes_text, ragged) == ["a row has more or fewer cells than the header has columns"]
