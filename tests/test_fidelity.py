"""The graph says what the documents say, no more and no less (issue 10): each finding of the review of the three
documents against the graph is pinned here on the real knowledge base, in the built graph and in every product
made from it (JSON-LD, Biolink, pages, diff, VoID)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, SKOS, XSD

from smakg.export import biolink
from smakg.export.diff import Snapshot, compare
from smakg.kb.vocab import COND, ECO, FACTOR, GENE, GO, HP, OA, PHEN, SMAKG, SO, SRC, TREATMENT
from smakg.validation.hedges import hedges_in, unrecorded_hedges

COURSE = URIRef("https://w3id.org/smakg/id/course/")
SMARD1, SMA = COND["smard1"], COND["spinal-muscular-atrophy"]


def statements(g: Graph, s: URIRef, p: URIRef, o: URIRef) -> list[URIRef]:
    return sorted(st for st in g.subjects(RDF.subject, s)
                  if (st, RDF.predicate, p) in g and (st, RDF.object, o) in g)


def evidence_of(g: Graph, s: URIRef, p: URIRef, o: URIRef, source: URIRef) -> URIRef:
    found = [ev for st in statements(g, s, p, o) for ev in g.objects(st, SMAKG.evidence)
             if (ev, OA.hasSource, source) in g]
    assert len(found) == 1, f"{s} {p} {o} from {source}: {len(found)} evidences"
    return found[0]


def quote(g: Graph, ev: URIRef) -> str:
    return str(g.value(g.value(ev, OA.hasSelector), OA.exact))


@pytest.fixture(scope="module")
def g(built) -> Graph:
    return built.graph


def test_gard_breathing_is_possible_in_severe_cases_and_not_respiratory_distress(g: Graph) -> None:
    assert (SMA, SMAKG.hasPhenotype, HP["0002098"]) not in g
    ev = evidence_of(g, SMA, SMAKG.hasPhenotype, HP["0002795"], SRC["gard-sma"])
    assert (ev, SMAKG.certainty, SMAKG.Possible) in g and (ev, SMAKG.severityContext, HP["0012828"]) in g
    assert quote(g, ev) == "Breathing and swallowing may also be affected in severe cases"
    swallowing = evidence_of(g, SMA, SMAKG.hasPhenotype, HP["0002015"], SRC["gard-sma"])
    assert set(g.objects(swallowing, SMAKG.severityContext)) == {HP["0012828"]}


def test_generally_and_extra_copies_are_kept(g: Graph) -> None:
    for s, p, o in ((GENE["SMN1"], SMAKG.isCausalGeneFor, SMA), (SMA, SMAKG.hasInheritanceMode, HP["0000007"])):
        ev = evidence_of(g, s, p, o, SRC["gard-sma"])
        assert (ev, SMAKG.generality, SMAKG.Typical) in g and "generally" in quote(g, ev)
    ev = evidence_of(g, GENE["SMN2"], SMAKG.modifiesSeverityOf, SMA, SRC["gard-sma"])
    assert (ev, SMAKG.subjectAspect, SO["0001742"]) in g and quote(g, ev).startswith("Extra copies")


@pytest.mark.parametrize(("obj", "prop", "value", "word"), [
    (HP["0002019"], SMAKG.certainty, SMAKG.Possible, "can lead to"),
    (HP["0002015"], SMAKG.certainty, SMAKG.Possible, "may all be affected"),
    (HP["0001612"], SMAKG.featureRole, SMAKG.EarlyFeature, "early symptoms"),
    (PHEN["fatty-finger-pads"], SMAKG.generality, SMAKG.InSome, "For some children"),
    (HP["0002015"], SMAKG.certainty, SMAKG.Possible, "swallowing may all be affected"),
    (HP["0002098"], SMAKG.featureRole, SMAKG.PresentingFeature, "Usually, the first"),
], ids=["can", "may", "early", "some", "may-swallowing", "first"])
def test_sma_uk_hedges_are_on_the_evidence_and_in_the_quote(g: Graph, obj, prop, value, word) -> None:
    ev = evidence_of(g, SMARD1, SMAKG.hasPhenotype, obj, SRC["smauk-smard1"])
    assert (ev, prop, value) in g and word in quote(g, ev)


def test_onset_is_usual_with_its_printed_range(g: Graph) -> None:
    ev = evidence_of(g, SMARD1, SMAKG.hasOnset, HP["0003593"], SRC["smauk-smard1"])
    assert (ev, SMAKG.generality, SMAKG.Typical) in g
    assert g.value(ev, SMAKG.ageFrom) == Literal("P42D", datatype=XSD.duration)
    assert g.value(ev, SMAKG.ageTo) == Literal("P6M", datatype=XSD.duration)


def test_two_sources_qualify_one_fact_differently(g: Graph) -> None:
    uk = evidence_of(g, SMARD1, SMAKG.hasPhenotype, HP["0002098"], SRC["smauk-smard1"])
    summary = evidence_of(g, SMARD1, SMAKG.hasPhenotype, HP["0002098"], SRC["summary-smard1"])
    assert set(g.objects(uk, SMAKG.featureRole)) == {SMAKG.PresentingFeature, SMAKG.ProminentFeature}
    assert set(g.objects(summary, SMAKG.featureRole)) == {SMAKG.Hallmark}
    assert (uk, SMAKG.generality, SMAKG.Typical) in g and (summary, SMAKG.generality, None) not in g


def test_life_expectancy_is_a_prognosis_not_a_phenotype(g: Graph) -> None:
    old, new = PHEN["reduced-life-expectancy"], URIRef(str(COURSE) + "severely-reduced-life-expectancy")
    assert (SMARD1, SMAKG.hasPhenotype, old) not in g
    assert (SMARD1, SMAKG.hasClinicalCourse, new) in g and (new, RDF.type, SMAKG.Prognosis) in g
    assert (old, OWL.deprecated, Literal(True)) in g and (old, DCTERMS.isReplacedBy, new) in g


def test_smard_1_alias_comes_from_the_cited_work(g: Graph) -> None:
    [st] = statements(g, SMARD1, SKOS.altLabel, Literal("SMARD 1"))
    assert set(g.objects(st, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"))) == {SRC["eckart-2012"]}
    ev = g.value(st, SMAKG.evidence)
    assert (ev, SMAKG.quotedVia, SRC["smauk-smard1"]) in g


@pytest.mark.parametrize(("s", "p", "o"), [
    (SMARD1, SMAKG.subtypeOf, SMA),
    (SMARD1, SMAKG.subtypeOf, COND["dhmn"]),
    (PHEN["fatty-finger-pads"], SKOS.closeMatch, HP["0001212"]),
    (COND["sma-5q"], SKOS.closeMatch, URIRef("http://purl.obolibrary.org/obo/MONDO_0019079")),
], ids=["subtype-from-a-title", "subtype-from-an-alias", "curator-mapping", "close-match-mondo"])
def test_links_the_curator_drew_are_curator_inference(g: Graph, s, p, o) -> None:
    [st] = statements(g, s, p, o)
    assert {g.value(ev, SMAKG.evidenceType) for ev in g.objects(st, SMAKG.evidence)} == {ECO["0000305"]}


def test_statements_the_source_makes_keep_their_own_evidence_type(g: Graph) -> None:
    [st] = statements(g, GENE["IGHMBP2"], SMAKG.isCausalGeneFor, SMARD1)
    assert ECO["0000305"] not in {g.value(ev, SMAKG.evidenceType) for ev in g.objects(st, SMAKG.evidence)}


def test_gard_date_is_month_day_year_and_the_printed_form_is_kept(g: Graph) -> None:
    assert g.value(SRC["gard-sma"], DCTERMS.modified) == Literal("2016-01-07", datatype=XSD.date)
    assert str(g.value(SRC["gard-sma"], SMAKG.printedDate)) == "Last updated: 1/7/2016"
    assert "month/day/year" in str(g.value(SRC["gard-sma"], URIRef("http://www.w3.org/2000/01/rdf-schema#comment")))


@pytest.mark.parametrize(("p", "o"), [(SMAKG.hasTreatment, TREATMENT["treatment-or-cure"]),
                                      (SMAKG.causedBy, FACTOR["lifestyle"]), (SMAKG.causedBy, FACTOR["diet"]),
                                      (SMAKG.causedBy, FACTOR["autoimmune-response"])],
                         ids=["no-treatment", "not-lifestyle", "not-diet", "not-autoimmune"])
def test_what_is_not_the_case_is_never_asserted(g: Graph, p, o) -> None:
    assert (SMARD1, p, o) not in g
    [st] = statements(g, SMARD1, p, o)
    assert (st, SMAKG.negated, Literal(True)) in g and (st, RDF.type, SMAKG.NegatedStatement) in g


def test_no_treatment_is_dated(g: Graph) -> None:
    [st] = statements(g, SMARD1, SMAKG.hasTreatment, TREATMENT["treatment-or-cure"])
    ev = g.value(st, SMAKG.evidence)
    assert g.value(ev, SMAKG.asOf) == Literal("2022-08", datatype=XSD.gYearMonth)
    assert "currently no treatment or cure" in quote(g, ev)
    positive = evidence_of(g, SMA, SMAKG.hasTreatment, TREATMENT["symptom-based"], SRC["gard-sma"])
    assert g.value(positive, SMAKG.asOf) == Literal("2016-01-07", datatype=XSD.date)


def test_gene_function_with_the_disagreement_noted(g: Graph) -> None:
    for process in (GO["0006260"], GO["0006396"]):
        [st] = statements(g, GENE["IGHMBP2"], SMAKG.involvedIn, process)
        assert set(g.objects(st, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"))) == {SRC["summary-smard1"]}
        note = str(g.value(st, URIRef("http://www.w3.org/2000/01/rdf-schema#comment")))
        assert "GO:0032508" in note and "not with GO:0006260" in note
    assert (GENE["IGHMBP2"], SMAKG.involvedIn, GO["0032508"]) in g  # what NCBI Gene's GO annotations say


@pytest.mark.parametrize(("p", "o"), [
    (SMAKG.hasClinicalModifier, HP["0003828"]), (SMAKG.hasRarity, SMAKG.ExtremelyRare), (SMAKG.hasRarity, SMAKG.Rare),
    (SMAKG.hasPhenotype, HP["0004887"]),
], ids=["variable-expressivity", "extremely-rare", "rare", "assisted-ventilation"])
def test_facts_that_were_missing(g: Graph, p, o) -> None:
    assert (SMARD1, p, o) in g


def test_more_than_sixty_variants_is_a_bound_on_the_causal_evidence(g: Graph) -> None:
    ev = evidence_of(g, GENE["IGHMBP2"], SMAKG.isCausalGeneFor, SMARD1, SRC["smauk-smard1"])
    assert g.value(ev, SMAKG.knownVariantsMoreThan) == Literal(60)


def test_cmt2s_is_only_related_and_the_curators_link(g: Graph) -> None:
    milder, omim = COND["dhmn-milder-forms"], URIRef("https://omim.org/entry/616155")
    assert (milder, SKOS.relatedMatch, omim) in g and (milder, SKOS.closeMatch, omim) not in g
    [st] = statements(g, milder, SKOS.relatedMatch, omim)
    assert g.value(g.value(st, SMAKG.evidence), SMAKG.evidenceType) == ECO["0000305"]


def test_no_quote_hedges_without_a_qualifier(g: Graph, built) -> None:
    assert unrecorded_hedges(g, built.locations) == []
    assert hedges_in("Usually, the first") == ["usually"] and hedges_in("it can take") == ["can"]


# ---- the products made from the graph


def test_framed_documents_show_each_sources_qualifiers_and_negation(exports: dict[str, str]) -> None:
    docs = {d["id"]: d for d in json.loads(exports["smakg.conditions.jsonld"])["@graph"]}
    smard1 = docs["cond:smard1"]
    [st] = [s for s in smard1["statements"] if s["predicate"] == "smakg:hasPhenotype"
            and isinstance(s["object"], dict) and s["object"]["id"] == "HP:0002098"]
    roles = {ev["source"]["id"]: set(ev.get("featureRole", [])) for ev in st["evidence"]}
    assert roles == {"src:smauk-smard1": {"smakg:PresentingFeature", "smakg:ProminentFeature"},
                     "src:summary-smard1": {"smakg:Hallmark"}}
    negated = [s for s in smard1["statements"] if s.get("negated")]
    assert {s["object"]["id"] if isinstance(s["object"], dict) else s["object"] for s in negated} == {
        "treatment:treatment-or-cure", "factor:lifestyle", "factor:diet", "factor:autoimmune-response"}
    assert "treatment:treatment-or-cure" not in json.dumps(smard1.get("treatments", []))


def test_biolink_edges_carry_negation_and_qualifiers(exports: dict[str, str]) -> None:
    _, edges = biolink.parse_tsv(exports[biolink.EDGES])
    treatment = [e for e in edges if e["object"] == "treatment:treatment-or-cure"]
    assert len(treatment) == 1 and treatment[0]["negated"] == "True"
    assert treatment[0]["predicate"] == "biolink:treated_by"
    breathing = next(e for e in edges if e["subject"] == "cond:spinal-muscular-atrophy" and e["object"] == "HP:0002795")
    assert breathing["qualifiers"] == "HP:0012828|smakg:Possible"  # 'may', 'in severe cases': GARD the only source
    causal = next(e for e in edges if e["subject"] == "gene:IGHMBP2" and e["object"] == "cond:smard1")
    assert causal["qualifiers"] == ""  # one of three evidences says 'primary': the edge is not hedged for all
    aspect = next(e for e in edges if e["subject"] == "gene:SMN2")
    assert aspect["qualifiers"] == "SO:0001742"  # extra copies
    assert not [e for e in edges if e["negated"] and e["negated"] != "True"]
    inferred = next(e for e in edges if e["object"] == "HP:0004887")
    assert inferred["has_evidence_of_type"] == "ECO:0000305"


def test_void_counts_the_negated_statements(exports: dict[str, str]) -> None:
    void = Graph().parse(data=exports["void.ttl"], format="turtle")
    VOID = "http://rdfs.org/ns/void#"
    part = next(p for p in void.subjects(URIRef(VOID + "class"), SMAKG.NegatedStatement))
    assert int(void.value(part, URIRef(VOID + "entities"))) == 4


def test_entity_page_shows_not_qualifiers_and_curator_inference(built) -> None:
    from smakg.kb.turtle import to_ntriples
    from smakg.sparql.query import Engine
    from smakg.web.jobs import SiteInputs
    from smakg.web.site import Site

    engine = Engine(to_ntriples(built.graph).encode("utf-8"), "oxigraph")
    rendered = Site(engine, SiteInputs()).render("id/condition/smard1.html")
    assert rendered is not None
    html = rendered[1].decode("utf-8")
    assert '<span class="tag not">not</span>' in html and 'id="not"' in html
    assert '<span class="tag q">may</span>' in html and "hallmark" in html and "as of 2022-08" in html
    assert "curator&#x27;s inference" in html or "curator's inference" in html


def test_diff_reports_a_changed_qualifier_and_a_negation(built) -> None:
    old = built.graph
    new = Graph()
    for t in old:
        new.add(t)
    ev = evidence_of(new, SMA, SMAKG.hasPhenotype, HP["0002795"], SRC["gard-sma"])
    new.remove((ev, SMAKG.certainty, SMAKG.Possible))
    [st] = statements(new, SMARD1, SMAKG.hasTreatment, TREATMENT["treatment-or-cure"])
    new.remove((st, SMAKG.negated, Literal(True)))
    new.add((SMARD1, SMAKG.hasTreatment, TREATMENT["treatment-or-cure"]))
    d = compare(Snapshot("old", "test", old), Snapshot("new", "test", new))
    sma, smard1 = d.entities[SMA], d.entities[SMARD1]
    assert [t[2] for t, _, _ in sma.evidence] == [HP["0002795"]]
    assert (SMARD1, SMAKG.hasTreatment, TREATMENT["treatment-or-cure"]) in smard1.added
    assert any(str(t[1]) == str(SMAKG.hasTreatment) and t[1] != SMAKG.hasTreatment for t in smard1.removed)


def test_every_competency_question_file_exists_for_the_new_capabilities() -> None:
    queries = Path(__file__).resolve().parents[1] / "queries"
    for name in ("33-typical-versus-possible", "34-what-is-not-the-case", "35-treatment-timeline",
                 "36-curator-inference-only", "37-gene-function", "38-rarity", "39-onset-range"):
        assert (queries / f"{name}.rq").is_file() and (queries / f"{name}.csv").is_file()
