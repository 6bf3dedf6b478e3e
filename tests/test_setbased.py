"""The set-based SHACL engine (validation.setbased) gives pyshacl's findings: here on synthetic knowledge bases
carrying many kinds of mistake at once, on data pyoxigraph would hold in another form than rdflib, and on shapes
it does not evaluate itself (pyshacl then validates them). test_engines compares the two on every shape fixture,
test_mutations on every mutation kind."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from conftest import ROOT
from pyshacl.errors import ReportableRuntimeError
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery

from smakg.errors import BadInputError
from smakg.kb.build import build_graph
from smakg.kb.vocab import SMAKG
from smakg.project import Project
from smakg.qa.synthetic import generate
from smakg.validation.setbased import SetEngine, Unsupported, _Data, this_is_bound
from smakg.validation.shacl import load_shapes, run_shacl

SHAPES = ROOT / "shapes"


def _both(graph: Graph, shapes_dir: Path = SHAPES) -> tuple[Counter[str], Counter[str]]:
    shapes = load_shapes(shapes_dir)
    return (Counter(map(repr, run_shacl(graph, shapes, {}, engine="set"))),
            Counter(map(repr, run_shacl(graph, shapes, {}, engine="pyshacl"))))


@pytest.mark.parametrize("seed", [3, 4])
def test_same_findings_with_many_mistakes(tmp_path: Path, seed: int) -> None:
    made = generate(tmp_path / "kb", 3, template=Project(ROOT), mistakes=60, seed=seed)
    assert len(made.mistakes) == 60
    set_based, reference = _both(build_graph(Project(tmp_path / "kb")).graph)
    assert set_based == reference
    assert sum(reference.values()) >= 30


def test_every_sparql_constraint_of_the_project_runs_set_based() -> None:
    """The speed is real: each SHACL-SPARQL constraint of shapes/ binds $this in every solution, so it runs once
    over the whole graph, and the real knowledge base is held by pyoxigraph exactly as rdflib holds it."""
    engine = SetEngine(load_shapes(SHAPES).graph)
    assert len(engine._queries) >= 10 and all(engine._queries.values())
    assert _Data(build_graph(Project(ROOT)).graph).exact_in_oxigraph()


@pytest.mark.parametrize("literal", [Literal("1", datatype=XSD.boolean, normalize=False),
                                     Literal("01", datatype=XSD.integer, normalize=False),
                                     Literal("x", datatype=XSD.string), Literal("x", lang="EN")])
def test_terms_pyoxigraph_would_change_send_the_queries_to_rdflib(literal: Literal) -> None:
    """``smakg:negated "1"^^xsd:boolean`` is ``true`` to pyoxigraph and not to rdflib's matching of
    ``$this smakg:negated true``: with such a term in the graph the SPARQL constraints run per focus node in
    rdflib, as pyshacl runs them, and the findings stay pyshacl's."""
    graph = build_graph(Project(ROOT)).graph
    statement = next(graph.subjects(RDF.type, SMAKG.Statement))
    graph.add((statement, SMAKG.negated, literal))
    assert not _Data(graph).exact_in_oxigraph()
    set_based, reference = _both(graph)
    assert set_based == reference and reference


def test_shapes_it_does_not_evaluate_go_to_pyshacl(tmp_path: Path) -> None:
    """A recursive shape (and SHACL-AF, custom components, $PATH) is refused by the engine; run_shacl then gives
    pyshacl's findings."""
    (tmp_path / "s.ttl").write_text("""
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:Person a sh:NodeShape ; sh:targetClass ex:Person ;
    sh:property [ sh:path ex:knows ; sh:node ex:Person ] ,
                [ sh:path rdfs:label ; sh:minCount 1 ] .
""", encoding="utf-8")
    shapes = load_shapes(tmp_path)
    with pytest.raises(Unsupported, match="recursive"):
        SetEngine(shapes.graph)
    assert isinstance(shapes.set_engine(), str)
    ex = "http://example.org/"
    data = Graph()
    data.add((URIRef(ex + "a"), RDF.type, URIRef(ex + "Person")))
    data.add((URIRef(ex + "a"), URIRef(ex + "knows"), URIRef(ex + "a")))
    data.add((URIRef(ex + "b"), RDF.type, URIRef(ex + "Person")))
    data.add((URIRef(ex + "b"), RDFS.label, Literal("b")))
    set_based, reference = _both(data, tmp_path)
    assert set_based == reference and reference


@pytest.mark.parametrize(("query", "bound"), [
    ("SELECT $this WHERE { $this a ?t }", True),
    ("SELECT $this ?v WHERE { { $this a ?v } UNION { $this ?p ?v } }", True),
    ("SELECT $this ?v WHERE { { $this a ?v } UNION { ?x ?p ?v } }", False),
    ("SELECT $this WHERE { ?s a ?t OPTIONAL { $this ?p ?s } }", False),
    ("SELECT $this WHERE { $this a ?t OPTIONAL { $this ?p ?s } FILTER (!BOUND(?s)) }", True),
    ("SELECT $this WHERE { $this a ?t MINUS { $this ?p ?o } }", False),
    ("SELECT $this WHERE { $this a ?t FILTER NOT EXISTS { $this ?p ?o } }", True),
    ("SELECT $this WHERE { VALUES $this { <urn:a> } }", False),
    ("SELECT $this WHERE { ?s a ?t BIND (?s AS $this) }", False),
    ("SELECT ?x WHERE { $this a ?x }", False),
    ("SELECT $this WHERE { { SELECT ?t WHERE { $this a ?t } } ?s a ?t }", False),
    ("SELECT $this ?t WHERE { { SELECT $this ?t WHERE { $this a ?t } GROUP BY $this ?t HAVING (COUNT(*) > 1) } "
     "$this ?p ?t }", True),
    ("SELECT $this ?n WHERE { { SELECT ?t (COUNT($this) AS ?n) WHERE { $this a ?t } GROUP BY ?t } $this a ?t }",
     False),
    ("SELECT $this ?x WHERE { $this a ?t BIND (?t AS ?x) }", True),
    ("SELECT $this ?o WHERE { $this <urn:p> ?o } LIMIT 1", False),
    ("SELECT $this WHERE { BIND (STRENDS(STR($this), 'bad') AS ?b) $this a ?c FILTER (?b) }", False),
    ("SELECT $this WHERE { $this a ?c . { FILTER NOT EXISTS { $this <urn:ok> ?z } } }", False),
    ("SELECT $this WHERE { { ?s <urn:ok> ?o OPTIONAL { ?s ?q ?z FILTER (?z = $this) } } $this a ?c }", False),
    ("SELECT $this WHERE { $this a ?c FILTER NOT EXISTS { $this <urn:ok> ?z } }", True),
    ("SELECT $this WHERE { ?s a ?t BIND (STR(?s) AS $this) }", False),
])
def test_this_is_bound_only_where_prebinding_equals_a_join(query: str, bound: bool) -> None:
    assert this_is_bound(translateQuery(parseQuery(query))) is bound


CORE = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:Named a sh:NodeShape ; sh:minLength 3 .
ex:Short a sh:NodeShape ; sh:maxLength 4 .
ex:Person a sh:NodeShape ; sh:targetClass ex:Person ; sh:targetNode ex:ghost ;
    sh:closed true ; sh:ignoredProperties ( rdf:type ) ;
    sh:and ( ex:Named ex:Short ) ; sh:xone ( ex:Named ex:Named ) ;
    sh:property [ sh:path ex:name ; sh:maxLength 5 ; sh:languageIn ( "en" ) ; sh:uniqueLang true ;
                  sh:equals ex:alias ; sh:lessThan ex:later ] ,
                [ sh:path ex:age ; sh:maxInclusive 150 ; sh:minExclusive 0 ; sh:maxExclusive 200 ;
                  sh:lessThanOrEquals ex:limit ; sh:datatype xsd:integer ] ,
                [ sh:path ( ex:knows [ sh:zeroOrMorePath ex:knows ] ) ; sh:class ex:Person ;
                  sh:qualifiedValueShape [ sh:hasValue ex:b ] ; sh:qualifiedMaxCount 0 ] ,
                [ sh:path [ sh:inversePath ex:knows ] ; sh:nodeKind sh:BlankNodeOrIRI ; sh:maxCount 1 ] ,
                [ sh:path [ sh:zeroOrOnePath ex:parent ] ; sh:not [ sh:hasValue ex:c ] ] ,
                [ sh:path ex:mood ; sh:in ( "ok" "fine" ) ; sh:or ( [ sh:pattern "^o" ; sh:flags "i" ]
                  [ sh:datatype xsd:string ] ) ; sh:severity sh:Warning ] ,
                [ sh:path ex:nick ; sh:minCount 1 ; sh:deactivated true ] ,
                [ sh:path ex:name ; sh:disjoint ex:alias ; sh:message "name and alias overlap"@en ] .
"""

CORE_DATA = """
@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:a a ex:Person ; ex:name "Alexandra"@en , "Al"@fr , "Al2"@en ; ex:alias "Al"@fr ; ex:later "A" ;
    ex:age 151 , 0 ; ex:limit 100 ; ex:knows ex:b , [ ex:knows ex:c ] ; ex:mood "Odd" , 3 ;
    ex:parent ex:c ; ex:other 1 .
ex:b a ex:Person ; ex:knows ex:c ; ex:name "Bob"@en ; ex:alias "Bob"@en .
ex:c a ex:Person ; ex:knows ex:b .
ex:d ex:knows ex:b .
"""


def test_every_core_component_as_pyshacl_evaluates_it(tmp_path: Path) -> None:
    """Components, paths and options smakg's own shapes do not use (sh:and, sh:xone over a repeated shape,
    sh:closed, sh:languageIn, sh:equals, sh:lessThan, value ranges, zero-or-more and inverse paths, qualified
    maximum counts, sh:deactivated, sh:flags, warnings inside sh:or, blank nodes): the same findings."""
    (tmp_path / "core.ttl").write_text(CORE, encoding="utf-8")
    data = Graph().parse(data=CORE_DATA, format="turtle")
    assert isinstance(load_shapes(tmp_path).set_engine(), SetEngine)
    set_based, reference = _both(data, tmp_path)
    assert set_based == reference
    assert len(reference) >= 20


ODD = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
ex:Thing a sh:NodeShape ; sh:targetClass ex:Thing ;
    sh:qualifiedValueShape [ sh:hasValue ex:x ] ; sh:qualifiedMinCount 1 ;
    sh:sparql [ sh:select "SELECT $this ?value WHERE { $this <http://example.org/p> ?o BIND (BNODE() AS ?value) }" ] ,
              [ sh:select "SELECT $this ?value WHERE { $this <http://example.org/p> ?value }" ] .
ex:Unused a sh:NodeShape ; sh:property [ sh:path ex:p ; sh:minCount "x" ] .
"""


def test_what_pyshacl_skips_or_refuses_late_is_skipped_or_refused_alike(tmp_path: Path) -> None:
    """A component pyshacl cannot load on this shape (a qualified count on a node shape: skipped with a warning), a
    broken one on a shape with no focus node (never loaded), and a query whose solutions pyoxigraph gives in
    another form (a fresh blank node): the same findings; a query pyshacl refuses (VALUES): exit 2 from both."""
    (tmp_path / "odd.ttl").write_text(ODD, encoding="utf-8")
    data = Graph().parse(data="@prefix ex: <http://example.org/> . ex:a a ex:Thing ; ex:p ex:b .", format="turtle")
    assert isinstance(load_shapes(tmp_path).set_engine(), SetEngine)
    set_based, reference = _both(data, tmp_path)
    assert sorted(_without_blank_values(set_based)) == sorted(_without_blank_values(reference))
    assert sum(reference.values()) == 2
    (tmp_path / "odd.ttl").write_text(ODD.replace("?o BIND (BNODE() AS ?value)", "?value VALUES ?value { 1 }"),
                                      encoding="utf-8")
    refusals = []
    for engine in ("set", "pyshacl"):
        with pytest.raises(BadInputError) as refused:
            run_shacl(data, load_shapes(tmp_path), {}, engine=engine)
        refusals.append(str(refused.value))
    assert refusals[0] == refusals[1] and "VALUES" in refusals[0]


def _without_blank_values(found: Counter[str]) -> list[str]:
    """Each finding once per count, a fresh blank node's label replaced (both engines make a new one)."""
    import re

    return [re.sub(r"value='_:[^']*'", "value='_:b'", f) for f, n in found.items() for _ in range(n)]


WRONG_KIND = {
    "property-to-a-node-shape": """ex:Thing a sh:NodeShape ; sh:targetClass ex:Thing ; sh:property ex:NotAProperty .
ex:NotAProperty a sh:NodeShape ; sh:class ex:Other .
""",
    "node-to-a-property-shape": """ex:Thing a sh:NodeShape ; sh:targetClass ex:Thing ;
    sh:property [ sh:path ex:p ; sh:node ex:AProperty ] .
ex:AProperty a sh:PropertyShape ; sh:path ex:q ; sh:minCount 1 .
""",
}


@pytest.mark.parametrize("case", list(WRONG_KIND))
def test_a_shape_of_the_wrong_kind_is_refused_by_both_engines_alike(tmp_path: Path, case: str) -> None:
    """sh:property naming a node shape, sh:node naming a property shape: the set-based engine refuses them where
    pyshacl does (while validating), and smakg says the same of both."""
    (tmp_path / "wrong.ttl").write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
                                        "@prefix ex: <http://example.org/> .\n" + WRONG_KIND[case], encoding="utf-8")
    data = Graph().parse(data="@prefix ex: <http://example.org/> . ex:a a ex:Thing ; ex:p ex:b .", format="turtle")
    engine = load_shapes(tmp_path).set_engine()
    assert isinstance(engine, SetEngine)
    with pytest.raises(ReportableRuntimeError, match="not a well-formed SHACL"):
        engine.validate(data)
    refusals = []
    for name in ("set", "pyshacl"):
        with pytest.raises(BadInputError) as refused:
            run_shacl(data, load_shapes(tmp_path), {}, engine=name)
        refusals.append(str(refused.value))
    assert refusals[0] == refusals[1] and "wrong.ttl" in refusals[0]
