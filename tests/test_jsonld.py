"""The JSON-LD context and the two JSON-LD exports: every term has a readable key with the right coercion,
IRIs compact to CURIEs, the context bytes are the same everywhere, the flat and the framed export both expand to
exactly the built graph, and each condition document holds its whole neighbourhood."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from conftest import ROOT
from pyld import jsonld
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic, to_isomorphic
from rdflib.namespace import RDF, RDFS, XSD

from smakg.kb.jsonld import offline_loader
from smakg.kb.vocab import SMAKG

CONTEXT_FILE = ROOT / "ontology" / "context.jsonld"
HEAD = '{\n "@context": '
EXPORTS = ("smakg.jsonld", "smakg.conditions.jsonld")


@pytest.fixture(scope="module")
def context() -> dict:
    return json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]


def _expand(curie: str, ctx: dict) -> str:
    prefix, sep, local = curie.partition(":")
    if sep and prefix in ctx and not local.startswith("//"):
        base = ctx[prefix] if isinstance(ctx[prefix], str) else ctx[prefix]["@id"]
        return base + local
    return curie


def _terms(ctx: dict) -> dict[str, tuple[str, dict]]:
    """Full IRI of every forward term -> (key, definition)."""
    found: dict[str, tuple[str, dict]] = {}
    for key, definition in ctx.items():
        if key.startswith("@"):
            continue
        d = {"@id": definition} if isinstance(definition, str) else definition
        if "@reverse" in d or d.get("@prefix") or str(d.get("@id", "")).startswith("@"):
            continue
        iri = _expand(d["@id"], ctx)
        if iri.endswith(("/", "#", "_")):  # a prefix
            continue
        found.setdefault(iri, (key, d))
    return found


def _diff(a: Graph, b: Graph) -> str:
    ia, ib = to_isomorphic(a), to_isomorphic(b)
    return f"only in build: {sorted(map(str, ia - ib))[:5]}; only in export: {sorted(map(str, ib - ia))[:5]}"


# --------------------------------------------------------------------------------------------------------------
# The context


def test_context_is_json_ld_11_protected_without_vocab(context) -> None:
    assert context["@version"] == 1.1 and context["@protected"] is True
    assert "@vocab" not in context, "no @vocab: a misspelt key must fail, not become an IRI"
    assert context["id"] == "@id" and context["type"] == {"@id": "@type", "@container": "@set"}


def test_curie_prefixes_not_ending_in_a_gen_delim_are_declared_prefixes(context) -> None:
    """JSON-LD 1.1 uses a term as a CURIE prefix only if its IRI ends in / # : ? [ ] @ or it says "@prefix": true;
    MONDO:, HP:, Orphanet: ... end in "_" and would otherwise compact to obo:MONDO_... or a full IRI."""
    for key in ("MONDO", "HP", "ECO", "SO", "Orphanet", "OMIMPS"):
        assert context[key]["@prefix"] is True, key
    undeclared = [k for k, v in context.items() if isinstance(v, str) and v.endswith("_")]
    assert not undeclared, undeclared


def test_every_predicate_and_class_of_the_built_graph_has_a_key(built, context) -> None:
    terms = _terms(context)
    predicates = {str(p) for p in built.graph.predicates()} - {str(RDF.type)}
    classes = {str(o) for o in built.graph.objects(None, RDF.type)}
    missing = sorted((predicates | classes) - terms.keys())
    assert not missing, f"add a key to ontology/context.jsonld for: {missing}"


def test_iri_valued_terms_are_coerced_and_literal_valued_are_not(built, context) -> None:
    """An IRI value and a text value never share a key: a property with only IRI values has an @id-coerced key; one
    with both (rdf:object) has two keys, ``object`` for nodes and ``objectValue`` for literals, so a reader tells
    them apart without guessing."""
    wrong = []
    pairs = {iri: {k for k, d in context.items() if isinstance(d, dict) and not k.startswith("@")
                   and "@reverse" not in d and not d.get("@prefix") and _expand(str(d.get("@id", "")), context) == iri}
             for iri in _terms(context)}
    for iri, (key, d) in _terms(context).items():
        objects = list(built.graph.objects(None, URIRef(iri)))
        if not objects or iri == str(RDF.type):
            continue
        kinds = {isinstance(o, Literal) for o in objects}
        coerced = d.get("@type") in ("@id", "@vocab")
        if kinds == {False} and not coerced:
            wrong.append(f"{key}: IRI values need \"@type\": \"@id\"")
        if kinds == {True} and coerced:
            wrong.append(f"{key}: has literal values, so it must not be \"@type\": \"@id\"")
        if kinds == {True, False}:
            defs = [context[k] for k in sorted(pairs[iri])]
            if sorted(d.get("@type") == "@id" for d in defs) != [False, True]:
                wrong.append(f"{key}: IRI and literal values need one @id-coerced key and one plain key")
    assert not wrong, wrong
    assert sorted(pairs[str(RDF.object)]) == ["object", "objectValue"]


def test_multi_valued_terms_are_sets(built, context) -> None:
    wrong = []
    for iri, (key, d) in _terms(context).items():
        counts = Counter(s for s, _ in built.graph.subject_objects(URIRef(iri)))
        if counts and max(counts.values()) > 1 and d.get("@container") != "@set":
            wrong.append(key)
    assert not wrong, f"terms with several values on one node need \"@container\": \"@set\": {wrong}"


def test_term_datatypes_match_the_turtle_exactly(built, context) -> None:
    wrong = []
    for iri, (key, d) in _terms(context).items():
        datatype = d.get("@type")
        if datatype in (None, "@id", "@vocab"):
            continue
        full = _expand(datatype, context)
        for o in built.graph.objects(None, URIRef(iri)):
            if not isinstance(o, Literal) or str(o.datatype) != full:
                wrong.append(f"{key} is typed {datatype} but has {o.n3()}")
    assert not wrong, wrong
    assert context["releaseDate"]["@type"] == "xsd:date" and context["triples"]["@type"] == "xsd:integer"


def test_context_bytes_are_identical_in_ontology_dist_and_every_export(exports) -> None:
    text = CONTEXT_FILE.read_text(encoding="utf-8")
    assert text.startswith(HEAD) and text.endswith("\n}\n"), "run `smakg fmt` to write the context's canonical form"
    member = text[len(HEAD):-len("\n}\n")]
    assert json.loads(member) == json.loads(text)["@context"]
    for name in ("context.jsonld", *EXPORTS):
        assert exports[name].startswith(HEAD + member + ",\n"), f"{name} embeds other context bytes"


def test_published_context_names_its_release(exports) -> None:
    from smakg import __version__

    doc = json.loads(exports["context.jsonld"])
    assert doc["version"] == __version__
    assert doc["id"] == f"https://w3id.org/smakg/release/{__version__}/context.jsonld"
    nquads = jsonld.to_rdf(doc, {"format": "application/n-quads", "documentLoader": offline_loader})
    assert nquads == f'<{doc["id"]}> <http://schema.org/version> "{__version__}" .\n'


def _strings(value):
    if isinstance(value, dict):
        for k, v in value.items():
            if k != "@context":
                yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, str):
        yield value


@pytest.mark.parametrize("name", EXPORTS)
def test_iris_compact_to_readable_curies(exports, context, name) -> None:
    doc = json.loads(exports[name])
    namespaces = [v if isinstance(v, str) else v["@id"] for v in context.values()
                  if (isinstance(v, str) and v.endswith(("/", "#"))) or (isinstance(v, dict) and v.get("@prefix"))]
    assert "http://purl.obolibrary.org/obo/MONDO_" in namespaces
    full = sorted({s for s in _strings(doc) if s.startswith(tuple(namespaces)) and s not in namespaces})
    assert not full, f"IRIs under a context prefix left in full: {full[:5]}"
    assert not [s for s in _strings(doc) if s.startswith("obo:")], "obo: must lose to MONDO:, HP:, ECO: ..."
    smard1 = next(n for n in doc["@graph"] if n["id"] == "cond:smard1")
    assert smard1["exactMatch"] == ["MONDO:0011436", "OMIM:604320", "Orphanet:98920"]
    inheritance = smard1["inheritanceModes"]
    assert [i if isinstance(i, str) else i["id"] for i in inheritance] == ["HP:0000007"]


# --------------------------------------------------------------------------------------------------------------
# Both exports expand to exactly the built graph


@pytest.mark.parametrize("name", EXPORTS)
def test_round_trip_rdflib(built, exports, name) -> None:
    g = Graph().parse(data=exports[name], format="json-ld")
    assert isomorphic(g, built.graph), _diff(built.graph, g)


@pytest.mark.parametrize("name", EXPORTS)
def test_round_trip_pyld_offline(built, exports, name) -> None:
    nquads = jsonld.to_rdf(json.loads(exports[name]), {"format": "application/n-quads",
                                                       "documentLoader": offline_loader})
    g = Graph().parse(data=nquads, format="nt")
    assert len(g) == len(built.graph) and isomorphic(g, built.graph), _diff(built.graph, g)


def test_integers_and_booleans_are_native_json(exports) -> None:
    dataset = next(n for n in json.loads(exports["smakg.jsonld"])["@graph"]
                   if n["id"] == "https://w3id.org/smakg/id/dataset")
    assert isinstance(dataset["triples"], int) and dataset["isAccessibleForFree"] is True


def test_flat_nodes_each_have_id_and_type(exports) -> None:
    nodes = json.loads(exports["smakg.jsonld"])["@graph"]
    assert nodes and all("id" in n and n.get("type") for n in nodes)
    assert [n["id"] for n in nodes] == sorted(n["id"] for n in nodes)


# --------------------------------------------------------------------------------------------------------------
# The framed export


@pytest.fixture(scope="module")
def framed(exports) -> dict:
    return json.loads(exports["smakg.conditions.jsonld"])


def _doc_graph(doc: dict, context: dict) -> Graph:
    nquads = jsonld.to_rdf({"@context": context, **doc}, {"format": "application/n-quads",
                                                          "documentLoader": offline_loader})
    return Graph().parse(data=nquads, format="nt")


def test_one_document_per_condition_first_then_the_rest(built, framed) -> None:
    graph = framed["@graph"]
    conditions = sorted(built.graph.subjects(RDF.type, SMAKG.Condition))
    n = len(conditions)
    assert n >= 8
    heads = [d["id"] for d in graph[:n]]
    assert heads == sorted(heads) and all("Condition" in d["type"] for d in graph[:n])
    assert not any("Condition" in d.get("type", []) for d in graph[n:])
    assert [_expand(i, framed["@context"]) for i in heads] == sorted(map(str, conditions))


def _subjects_of(graph: Graph, iri) -> set:
    return set(graph.triples((iri, None, None)))


def test_each_condition_document_holds_its_neighbourhood(built, framed) -> None:
    """A condition document alone holds: the condition's triples; each of its genes (by role) with its loci,
    and each term it points to, in full; every statement about any of these with its evidence and selector;
    the label of every ECO code and the title of every source it cites."""
    g, ctx = built.graph, framed["@context"]
    problems = []
    for doc in framed["@graph"]:
        if "Condition" not in doc["type"]:
            continue
        held = _doc_graph(doc, ctx)
        c = URIRef(_expand(doc["id"], ctx))
        nodes = {c}
        genes = set(g.subjects(SMAKG.isCausalGeneFor, c)) | set(g.subjects(SMAKG.modifiesSeverityOf, c))
        nodes |= genes
        nodes |= {locus for gene in genes for locus in g.objects(gene, SMAKG.locatedIn)}
        for prop in (SMAKG.hasInheritanceMode, SMAKG.hasOnset, SMAKG.hasPhenotype, SMAKG.hasClinicalCourse,
                     SMAKG.hasDiagnosticMethod):
            nodes |= set(g.objects(c, prop))
        expected = set().union(*(_subjects_of(g, n) for n in nodes))
        for st in {st for n in nodes for st in g.subjects(RDF.subject, n)}:
            expected |= _subjects_of(g, st)
            for ev in g.objects(st, SMAKG.evidence):
                expected |= _subjects_of(g, ev)
                expected |= {t for sel in g.objects(ev, URIRef("http://www.w3.org/ns/oa#hasSelector"))
                             for t in _subjects_of(g, sel)}
                expected |= {(e, RDFS.label, lab) for e in g.objects(ev, SMAKG.evidenceType)
                             for lab in g.objects(e, RDFS.label)}
        expected |= set(g.triples((None, SMAKG.subtypeOf, c)))
        missing = expected - set(held)
        extra = set(held) - set(g)
        if missing or extra:
            problems.append(f"{doc['id']}: {len(missing)} missing, e.g. {sorted(map(str, missing))[:2]}; "
                            f"{len(extra)} not in the graph")
    assert not problems, problems


def test_rest_holds_only_nodes_the_documents_do_not_hold_in_full(built, framed) -> None:
    ctx = framed["@context"]
    n = sum(1 for d in framed["@graph"] if "Condition" in d["type"])
    held = _doc_graph({"@graph": framed["@graph"][:n]}, ctx)
    for node in framed["@graph"][n:]:
        s = URIRef(_expand(node["id"], ctx))
        assert _subjects_of(built.graph, s) - set(held), f"{node['id']} is already held by the documents"
    assert {_expand(node["id"], ctx) for node in framed["@graph"][n:]} >= {
        "https://w3id.org/smakg/id/dataset", "https://w3id.org/smakg/id/source/smauk-smard1"}


def test_genes_carry_role_locus_and_evidence(framed) -> None:
    docs = {d["id"]: d for d in framed["@graph"]}
    smard1 = docs["cond:smard1"]
    (gene,) = smard1["causalGenes"]
    assert gene["label"] == "IGHMBP2" and "HGNC:5542" in gene["exactMatch"]
    assert [locus["label"] for locus in gene["locatedIn"]] == ["11q13.3", "chromosome 11"]
    causal = [s for s in gene["statements"] if s["predicate"] == "smakg:isCausalGeneFor"
              and (s["object"]["id"] if isinstance(s["object"], dict) else s["object"]) == "cond:smard1"]
    # the same evidence is in the condition's own document, without filtering the gene's other statements
    incoming = [s for s in smard1["incomingStatements"] if s["subject"] == "gene:IGHMBP2"]
    assert [s["id"] for s in incoming] == [s["id"] for s in causal] and incoming[0]["object"] == "cond:smard1"
    assert all(s["object"] == "cond:smard1" for s in smard1["incomingStatements"])
    assert causal and all(ev["selector"]["exact"] and ev["source"]["title"] for s in causal for ev in s["evidence"])
    sma = docs["cond:spinal-muscular-atrophy"]
    assert [g["label"] for g in sma["modifierGenes"]] == ["SMN2"]
    aliases = [s for s in smard1["statements"]
               if s["predicate"] == "skos:altLabel" and s.get("objectValue") == "SMARD1"]
    assert all("object" not in s for s in smard1["statements"] if s["predicate"] == "skos:altLabel")
    assert aliases and aliases[0]["synonymScope"] == "oboInOwl:hasExactSynonym"
    respiratory = next(p for p in smard1["phenotypes"] if p["id"] == "HP:0002098")
    assert respiratory["label"] == "Respiratory distress"
    assert all(ev["evidenceType"]["label"] for s in smard1["statements"] for ev in s["evidence"])


# --------------------------------------------------------------------------------------------------------------
# The schema.org description for search engines


def test_dataset_is_described_for_search_engines(built) -> None:
    g = built.graph
    ds = URIRef("https://w3id.org/smakg/id/dataset")
    schema = "http://schema.org/"
    one = lambda p: g.value(ds, URIRef(p))  # noqa: E731
    assert (ds, RDF.type, URIRef(schema + "Dataset")) in g
    assert one(schema + "name") == one("http://purl.org/dc/terms/title")
    assert one(schema + "description") == one("http://purl.org/dc/terms/description")
    assert one(schema + "license") == one("http://purl.org/dc/terms/license")
    assert one(schema + "version") == one("http://www.w3.org/ns/dcat#version")
    assert one(schema + "isAccessibleForFree") == Literal(True)
    creator = one(schema + "creator")
    assert (creator, RDF.type, URIRef(schema + "Organization")) in g and g.value(creator, URIRef(schema + "name"))
    assert set(g.objects(ds, URIRef(schema + "isBasedOn"))) == set(g.subjects(SMAKG.documentFile, None))


def test_every_graph_serialisation_is_a_download(built, exports) -> None:
    g = built.graph
    schema = "http://schema.org/"
    downloads = list(g.objects(URIRef("https://w3id.org/smakg/id/dataset"), URIRef(schema + "distribution")))
    names = {str(g.value(d, URIRef(schema + "name"))): d for d in downloads}
    assert set(names) == {"smakg.ttl", "smakg.nt", "smakg.jsonld", "smakg.conditions.jsonld"} <= set(exports)
    for name, d in names.items():
        assert str(g.value(d, URIRef(schema + "contentUrl"))).endswith("/" + name)
        assert g.value(d, URIRef(schema + "encodingFormat")) is not None


def test_dataset_node_reads_as_schema_org_in_json_ld(exports) -> None:
    node = next(n for n in json.loads(exports["smakg.jsonld"])["@graph"]
                if n["id"] == "https://w3id.org/smakg/id/dataset")
    assert "Dataset" in node["type"]
    assert {"name", "description", "license", "version", "creator", "distribution", "keywords"} <= node.keys()
    assert node["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert node["dcLicense"] == node["license"] and node["title"] == node["name"]
    assert Literal(node["triples"], datatype=XSD.integer).value > 1000


def test_fmt_restores_the_context_bytes(tmp_path) -> None:
    from smakg.kb.fmt import fmt

    path = tmp_path / "context.jsonld"
    original = CONTEXT_FILE.read_text(encoding="utf-8")
    path.write_text(json.dumps(json.loads(original), indent=4), encoding="utf-8")
    assert [r.changed for r in fmt([path], check=True)] == [True]
    fmt([path], check=False)
    assert path.read_text(encoding="utf-8") == original


def test_downloads_are_the_distributions_void_ttl_describes(built, exports) -> None:
    """The in-graph schema:DataDownload nodes are void.ttl's dcat:Distribution nodes, with the same download URL."""
    void = Graph().parse(data=exports["void.ttl"], format="turtle")
    schema, dcat = "http://schema.org/", "http://www.w3.org/ns/dcat#"
    downloads = set(built.graph.objects(URIRef("https://w3id.org/smakg/id/dataset"), URIRef(schema + "distribution")))
    assert downloads
    for d in downloads:
        assert void.value(d, URIRef(dcat + "downloadURL")) == built.graph.value(d, URIRef(schema + "contentUrl")), d
