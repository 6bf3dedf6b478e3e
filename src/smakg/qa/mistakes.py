"""The catalogue of mistakes a curator makes, for mutation testing (``mutate.py``).

Each kind names the mistake, the rule(s) that must catch it, where it can be made (the targets: claims,
entities, sources of the curated graph, or statements and evidence of the built graph for mistakes only
hand-written statements can make) and how to make it. Targets are sorted by content, so every run mutates the
same nodes. Values a mistake introduces (a wrong HPO term, a wrong prefix) are real identifiers of the kind a
curator would confuse, never placeholders that no validation could accept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Identifier, Node

from smakg.kb.terms import sorted_terms
from smakg.kb.vocab import BIBO, ECO, HP, ID, OA, OBOINOWL, OMO, PREFIXES, SMAKG, SO, STMT
from smakg.qa.kinds import BUILT, Catch, Kind

MATCHES = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch)
_ALL_MATCHES = "(skos:exactMatch|skos:closeMatch|skos:broadMatch|skos:narrowMatch|skos:relatedMatch)"
ENTITY_CLASSES = (SMAKG.Condition, SMAKG.Gene, SMAKG.ChromosomeLocus, SMAKG.Phenotype, SMAKG.ClinicalCourse,
                  SMAKG.DiagnosticMethod)
LABELLED = (*ENTITY_CLASSES, PROV.Organization)
DATES = (SMAKG.releaseDate, DCTERMS.issued, DCTERMS.modified)

# Rules, by the name each finding carries (validate.rule_name) and its constraint component.
DECLARED = Catch("smakg:check/declared-iris")
QUOTE_CHECK = Catch("smakg:check/quote-in-source")
TABLE_CHECK = Catch("smakg:check/verified-identifier")
CLAIM_SHAPE = Catch("smakg:check/claim-shape")
NO_BNODES = Catch("smakg:check/no-blank-nodes")
QUOTE = "shp:Evidence › oa:hasSelector/oa:exact"
ECO_TYPE = Catch("shp:Evidence › smakg:evidenceType", "Node")
XREF_RULES = ("shp:Condition › " + _ALL_MATCHES, "shp:Gene › " + _ALL_MATCHES,
              "shp:ChromosomeLocus › (skos:exactMatch|skos:closeMatch)")
PHENOTYPE_XREF = Catch("shp:Phenotype › " + _ALL_MATCHES, "Node")  # a phenotype maps to HPO terms only
COURSE_XREF = Catch("shp:ClinicalCourse › " + _ALL_MATCHES, "Node")  # a course maps to HPO course terms only
LOCUS_XONE = Catch("shp:ChromosomeLocus", "Xone")


LABEL_RULES = ("shp:label-one", "shp:Gene › rdfs:label")  # a gene's label has rules of its own


def _either(names: Iterable[str], component: str) -> tuple[Catch, ...]:
    """The same component of any of the named rules (the one that applies depends on the target's class)."""
    return tuple(Catch(name, component) for name in names)


# --------------------------------------------------------------------------------------------------------------
# Finding targets


def content_key(graph: Graph, node: Node) -> tuple[tuple[str, str], ...]:
    """A node's (predicate, object) pairs in N-Triples form, sorted: its order among claims, whatever its IRI."""
    return tuple(sorted((p.n3(), o.n3()) for p, o in graph.predicate_objects(node)))


def claims(graph: Graph, *predicates: URIRef, subject_class: URIRef | None = None,
           source: Callable[[Graph, Node], bool] | None = None) -> list[Node]:
    """Claims (optionally with one of ``predicates``, a subject of ``subject_class``, a source passing
    ``source``), sorted by content."""
    found = []
    for claim in graph.subjects(RDF.type, SMAKG.Claim):
        if predicates and graph.value(claim, RDF.predicate) not in predicates:
            continue
        if subject_class is not None and (graph.value(claim, RDF.subject), RDF.type, subject_class) not in graph:
            continue
        if source is not None and not any(source(graph, s) for s in graph.objects(claim, PROV.wasDerivedFrom)):
            continue
        found.append(claim)
    return sorted(found, key=lambda c: content_key(graph, c))


def instances(graph: Graph, *classes: URIRef, having: URIRef | None = None) -> list[URIRef]:
    """IRIs typed with one of ``classes`` (and with a ``having`` value), sorted."""
    return sorted({s for c in classes for s in graph.subjects(RDF.type, c) if isinstance(s, URIRef)
                   and (having is None or graph.value(s, having) is not None)})


def statements(graph: Graph) -> list[Identifier]:
    return sorted_terms(graph.subjects(RDF.type, SMAKG.Statement))


def has_document(graph: Graph, source: Node) -> bool:
    return graph.value(source, SMAKG.documentFile) is not None


def is_release(graph: Graph, source: Node) -> bool:
    return (source, SMAKG.sourceKind, SMAKG.ReferenceRelease) in graph


def long_quote(graph: Graph, claim: Node) -> bool:
    """A quote long enough to occur in one document only (a short one such as 'SMA' occurs everywhere)."""
    return len(str(graph.value(claim, OA.exact) or "")) >= 60


# --------------------------------------------------------------------------------------------------------------
# Making the mistakes


def _relit(old: Node | None, text: str | None = None, *, lang: str | None = None,
           datatype: URIRef | None = None) -> Literal:
    """A literal like ``old`` (same language tag or datatype unless given) with new text."""
    value = str(old) if text is None else text
    if lang is not None:
        return Literal(value, lang=lang)
    if datatype is not None:
        return Literal(value, datatype=datatype)
    return Literal(value, lang=getattr(old, "language", None), datatype=getattr(old, "datatype", None))


def put(prop: URIRef, value: Callable[[Graph, Node, Node], Node]) -> Callable[[Graph, Node], None]:
    """Replace the (first) value of ``prop`` on the target by ``value(graph, target, old)``."""
    def apply(graph: Graph, node: Node) -> None:
        old = sorted_terms(graph.objects(node, prop))[0]
        graph.remove((node, prop, old))
        graph.add((node, prop, value(graph, node, old)))
    return apply


def add(prop: URIRef, value: Callable[[Graph, Node], Node]) -> Callable[[Graph, Node], None]:
    def apply(graph: Graph, node: Node) -> None:
        graph.add((node, prop, value(graph, node)))
    return apply


def drop(*props: URIRef) -> Callable[[Graph, Node], None]:
    def apply(graph: Graph, node: Node) -> None:
        for prop in props:
            graph.remove((node, prop, None))
    return apply


def remove_node(graph: Graph, node: Node) -> None:
    """Remove a claim (or any node) with every triple it is the subject of."""
    graph.remove((node, None, None))


def new_claim(graph: Graph, subject: Node, predicate: URIRef, obj: Node, like: Node | None = None) -> BNode:
    """Add a claim for (subject, predicate, object) with the source and quote of the claim ``like`` (so the
    quote is a real one of a real source: only the fact is wrong)."""
    like = like if like is not None else claims(graph, SKOS.altLabel)[0]
    claim = BNode()
    graph.add((claim, RDF.type, SMAKG.Claim))
    graph.add((claim, RDF.subject, subject))
    graph.add((claim, RDF.predicate, predicate))
    graph.add((claim, RDF.object, obj))
    for prop in (PROV.wasDerivedFrom, OA.exact, OA.prefix, OA.suffix):
        for value in graph.objects(like, prop):
            graph.add((claim, prop, value))
    return claim


def typo(iri: Node) -> URIRef:
    """The IRI with two letters of its last segment swapped (or, where they are equal, one doubled)."""
    text = str(iri)
    cut = max(text.rfind("/"), text.rfind("#"), text.rfind("_")) + 1
    local = text[cut:]
    swapped = swap_letters(local)
    return URIRef(text[:cut] + (swapped if swapped != local else misspell(local)))


def misspell(text: str) -> str:
    """A one-letter typo in the middle of a text (a doubled letter)."""
    i = len(text) // 2
    while i < len(text) and not text[i].isalpha():
        i += 1
    i = i if i < len(text) else 0
    return text[:i] + text[i] + text[i:]


def bump_last_digit(iri: Node) -> URIRef:
    """The same identifier with its last digit changed: well-formed, but another identifier."""
    text = str(iri)
    pos = max(i for i, ch in enumerate(text) if ch.isdigit())
    return URIRef(text[:pos] + str((int(text[pos]) + 1) % 10) + text[pos + 1:])


def break_identifier(iri: Node) -> URIRef:
    """The identifier with a letter typed into its number (MONDO_00x11436): malformed."""
    text = str(iri)
    pos = next(i for i in range(len(text) - 1, -1, -1) if text[i].isdigit() and not text[i - 1].isdigit())
    return URIRef(text[:pos + 1] + "x" + text[pos + 1:])


def wrong_prefix(graph: Graph, claim: Node, old: Node) -> URIRef:
    """An identifier of a prefix the subject's kind does not take: an HGNC gene for a condition or a locus,
    a MONDO disease for a gene."""
    if (graph.value(claim, RDF.subject), RDF.type, SMAKG.Gene) in graph:
        return URIRef(PREFIXES["MONDO"] + "0011436")
    return URIRef(PREFIXES["HGNC"] + "5542")


def another(graph: Graph, cls: URIRef, *not_: Node | None) -> URIRef:
    """The first declared node of ``cls`` that is none of ``not_``."""
    return next(n for n in instances(graph, cls) if n not in not_)


def retarget_object(cls: URIRef) -> Callable[[Graph, Node], None]:
    """Point a claim's object at a declared node of the wrong class ``cls``."""
    def apply(graph: Graph, claim: Node) -> None:
        graph.set((claim, RDF.object, another(graph, cls, graph.value(claim, RDF.subject))))
    return apply


def value_of(graph: Graph, node: Node, prop: URIRef) -> Node:
    """The value of ``prop`` on a target that has one (the targets are chosen so: claims, ``instances(having=)``)."""
    value = graph.value(node, prop)
    assert value is not None, f"{node} has no {prop}"
    return value


def label_of(graph: Graph, node: Node) -> Node:
    return value_of(graph, node, RDFS.label)


# built graph: hand-written statements


def unassert(graph: Graph, stmt: Node) -> None:
    graph.remove((graph.value(stmt, RDF.subject), graph.value(stmt, RDF.predicate), graph.value(stmt, RDF.object)))


def duplicate_statement(graph: Graph, stmt: Node) -> None:
    twin = STMT[str(stmt).rsplit("/", 1)[-1] + "-copy"]
    for p, o in list(graph.predicate_objects(stmt)):
        graph.add((twin, p, o))


def misattribute_evidence(graph: Graph, stmt: Node) -> None:
    evidence = sorted_terms(graph.objects(stmt, SMAKG.evidence))[0]
    named = set(graph.objects(stmt, PROV.wasDerivedFrom))
    graph.set((evidence, OA.hasSource, next(s for s in instances(graph, SMAKG.Source) if s not in named)))


def forget_xrefs(graph: Graph, condition: Node) -> None:
    graph.remove((condition, RDFS.comment, None))
    for claim in claims(graph, *MATCHES):
        if graph.value(claim, RDF.subject) == condition:
            remove_node(graph, claim)


def ill_typed_date(graph: Graph, source: Node) -> None:
    prop = next(p for p in DATES if graph.value(source, p) is not None)
    old = graph.value(source, prop)
    graph.set((source, prop, Literal(str(old)[:4] + "-13-45", datatype=XSD.date)))


def untyped_date(graph: Graph, source: Node) -> None:
    prop = next(p for p in DATES if graph.value(source, p) is not None)
    graph.set((source, prop, Literal(str(graph.value(source, prop)))))


def next_day(graph: Graph, source: Node) -> None:
    released = graph.value(source, SMAKG.releaseDate)
    assert isinstance(released, Literal)  # the targets have one (instances(..., having=SMAKG.releaseDate))
    day = released.toPython() + dt.timedelta(days=1)
    graph.set((source, SMAKG.releaseDate, Literal(day.isoformat(), datatype=XSD.date)))


def entity_objects(graph: Graph) -> list[Node]:
    """Claims whose object is one of our entities."""
    return [c for c in claims(graph) if str(graph.value(c, RDF.object)).startswith(ID)]


def add_each(prop: URIRef, *values: Node) -> Callable[[Graph, Node], None]:
    def apply(graph: Graph, node: Node) -> None:
        for value in values:
            graph.add((node, prop, value))
    return apply


def rename(graph: Graph, node: Node) -> None:
    """Declare the entity under a misspelled IRI."""
    for p, o in list(graph.predicate_objects(node)):
        graph.remove((node, p, o))
        graph.add((typo(node), p, o))


def misspell_class(graph: Graph, node: Node) -> None:
    for cls in [c for c in graph.objects(node, RDF.type) if str(c).startswith(str(SMAKG))]:
        graph.remove((node, RDF.type, cls))
        graph.add((node, RDF.type, typo(cls)))


def drop_locus_type(graph: Graph, node: Node) -> None:
    for cls in (SO["0000340"], SO["0000341"]):
        graph.remove((node, RDF.type, cls))


def edit_each(props: Iterable[URIRef], value: Callable[[Graph, Node, Node], Node]) -> Callable[[Graph, Node], None]:
    """Replace the value of each of ``props`` that the target has."""
    def apply(graph: Graph, node: Node) -> None:
        for prop in props:
            old = graph.value(node, prop)
            if old is not None:
                graph.set((node, prop, value(graph, node, old)))
    return apply


def new_claim_for(subject: Callable[[Graph, Node], Node], obj: Callable[[Graph, Node], Node],
                  like: Callable[[Graph, Node], Node | None] = lambda g, n: None,
                  predicate: URIRef = SKOS.altLabel) -> Callable[[Graph, Node], None]:
    """Add a claim (an alias unless ``predicate`` says otherwise) whose subject and object are computed from
    the target."""
    def apply(graph: Graph, node: Node) -> None:
        new_claim(graph, subject(graph, node), predicate, obj(graph, node), like=like(graph, node))
    return apply


def swap_letters(text: str) -> str:
    """Two neighbouring characters in the middle swapped (SMN1 -> SNM1)."""
    i = max(0, len(text) // 2 - 1)
    return text[:i] + text[i + 1:i + 2] + text[i:i + 1] + text[i + 2:]


def by_class(graph: Graph, node: Node | None) -> str:
    """The group of a target: the class of the entity (of a claim: of its subject)."""
    if (node, RDF.type, SMAKG.Claim) in graph:
        node = graph.value(node, RDF.subject)
    known = (*LABELLED, SMAKG.Source)
    return next((str(c) for c in sorted_terms(graph.objects(node, RDF.type)) if c in known), "other")


def by_date(graph: Graph, source: Node) -> str:
    """The group of a source for date mistakes: the date property the mistake edits."""
    return str(next(p for p in DATES if graph.value(source, p) is not None))


def by_agent_role(graph: Graph, source: Node) -> str:
    return " ".join(str(p) for p in (DCTERMS.publisher, DCTERMS.creator) if graph.value(source, p) is not None)


K = Kind
R = Catch
INHERITANCE_BRANCH_OUTSIDER = HP["0003593"]  # Infantile onset: imported and verified, an onset, not a mode
MODE_OF_INHERITANCE = HP["0000007"]  # Autosomal recessive inheritance: not an onset, not a phenotype
NOT_IMPORTED_HPO = HP["0001250"]  # Seizure: a real HPO phenotype that ontology/imports/hp.ttl does not list
IMPORTED_NOT_VERIFIED_HPO = HP["0000014"]  # Abnormality of the bladder: an imported ancestor, no verified row

KINDS: list[Kind] = [
    # ---- provenance of a claim: source, quote, evidence type
    K("drop-source", "a claim without its source (prov:wasDerivedFrom)",
      (R("shp:Statement › prov:wasDerivedFrom", "MinCount"),), claims, drop(PROV.wasDerivedFrom)),
    K("source-not-a-source", "a claim citing an organisation instead of a source document",
      (R("shp:Statement › prov:wasDerivedFrom", "Class"), R("shp:Evidence › oa:hasSource", "Class")), claims,
      put(PROV.wasDerivedFrom, lambda g, n, o: another(g, PROV.Organization))),
    K("source-misspelled", "a claim citing a misspelled source IRI", (DECLARED,), claims,
      put(PROV.wasDerivedFrom, lambda g, n, o: typo(o))),
    K("two-sources-in-one-claim", "one claim citing two sources (one claim per source and quote)",
      (R("shp:Evidence › oa:hasSource", "MaxCount"),), claims,
      add(PROV.wasDerivedFrom, lambda g, n: another(g, SMAKG.Source, *g.objects(n, PROV.wasDerivedFrom)))),
    K("drop-quote", "a claim without its quote (oa:exact)", (R(QUOTE, "MinCount"),), claims, drop(OA.exact)),
    K("empty-quote", "an empty quote", (R(QUOTE, "MinLength"),), claims, put(OA.exact, lambda g, n, o: _relit(o, ""))),
    K("quote-trailing-whitespace", "a quote with a trailing space", (R(QUOTE, "Pattern"),), claims,
      put(OA.exact, lambda g, n, o: _relit(o, str(o) + " "))),
    K("quote-language-tag", "a quote with a language tag", (R(QUOTE, "Datatype"),), claims,
      put(OA.exact, lambda g, n, o: _relit(o, lang="en"))),
    K("two-quotes-in-one-claim", "one claim with two quotes", (R(QUOTE, "MaxCount"),), claims,
      add(OA.exact, lambda g, n: _relit(g.value(n, OA.exact), str(g.value(n, OA.exact)) + " (again)"))),
    K("quote-not-in-source", "a quote with a typo, so it is not in its source document", (QUOTE_CHECK,),
      lambda g: claims(g, source=has_document), put(OA.exact, lambda g, n, o: _relit(o, misspell(str(o))))),
    K("quote-from-another-document", "a quote attributed to the wrong source document", (QUOTE_CHECK,),
      lambda g: [c for c in claims(g, source=has_document) if long_quote(g, c)],
      put(PROV.wasDerivedFrom, lambda g, n, o: next(s for s in instances(g, SMAKG.Source, having=SMAKG.documentFile)
                                                    if s != o))),
    K("quote-context-wrong", "an oa:prefix that is not the text before the quote", (QUOTE_CHECK,),
      lambda g: claims(g, source=has_document), add(OA.prefix, lambda g, n: Literal("according to the authors, "))),
    K("cited-work-not-a-source", "a claim's cited work (dcterms:references) that is an organisation",
      (R("shp:Evidence › dcterms:references", "Class"),), claims,
      add(DCTERMS.references, lambda g, n: another(g, PROV.Organization))),
    K("eco-code-not-imported", "an ECO code that is not one of the imported evidence types", (ECO_TYPE,), claims,
      add(SMAKG.evidenceType, lambda g, n: ECO["0000000"])),
    K("eco-code-not-eco", "an evidence type from another ontology (an HPO term)", (ECO_TYPE,), claims,
      add(SMAKG.evidenceType, lambda g, n: MODE_OF_INHERITANCE)),
    K("two-eco-codes", "two evidence types on one claim", (R("shp:Evidence › smakg:evidenceType", "MaxCount"),),
      claims, add_each(SMAKG.evidenceType, ECO["0000303"], ECO["0000304"])),
    # ---- the shape of a claim
    K("claim-without-predicate", "a claim with no rdf:predicate", (CLAIM_SHAPE,), claims, drop(RDF.predicate)),
    K("claim-two-objects", "a claim with two objects", (CLAIM_SHAPE,), lambda g: claims(g, *MATCHES),
      add(RDF.object, lambda g, n: bump_last_digit(value_of(g, n, RDF.object)))),
    K("claim-unknown-property", "a property a claim does not take (skos:note)", (CLAIM_SHAPE,), claims,
      add(SKOS.note, lambda g, n: Literal("see the source"))),
    K("predicate-not-curated", "a claim with a predicate outside smakg's relations (rdfs:seeAlso)",
      (R("shp:Statement › rdf:predicate", "In"),), claims, put(RDF.predicate, lambda g, n, o: RDFS.seeAlso)),
    K("synonym-qualifier-on-relation", "a synonym scope on a claim that is not an alias",
      (R("shp:Statement", "SPARQL"),),
      lambda g: [c for c in claims(g) if g.value(c, RDF.predicate) != SKOS.altLabel],
      add(SMAKG.synonymScope, lambda g, n: OBOINOWL.hasExactSynonym)),
    K("synonym-scope-unknown", "an alias scope outside oboInOwl's four",
      (R("shp:Statement › smakg:synonymScope", "In"),),
      lambda g: claims(g, SKOS.altLabel), add(SMAKG.synonymScope, lambda g, n: OBOINOWL.hasSynonym)),
    K("two-synonym-scopes", "an alias with two scopes", (R("shp:Statement › smakg:synonymScope", "MaxCount"),),
      lambda g: claims(g, SKOS.altLabel),
      add_each(SMAKG.synonymScope, OBOINOWL.hasExactSynonym, OBOINOWL.hasRelatedSynonym)),
    K("synonym-type-unknown", "an alias type other than OMO:0003000 abbreviation",
      (R("shp:Statement › oboInOwl:hasSynonymType", "In"),), lambda g: claims(g, SKOS.altLabel),
      add(OBOINOWL.hasSynonymType, lambda g, n: OMO["0003004"])),
    # ---- IRIs
    K("misspelled-subject", "a claim about a misspelled entity IRI", (DECLARED,), claims,
      put(RDF.subject, lambda g, n, o: typo(o))),
    K("misspelled-object", "a claim pointing at a misspelled entity IRI", (DECLARED,), entity_objects,
      put(RDF.object, lambda g, n, o: typo(o))),
    K("misspelled-declaration", "an entity declared under a misspelled IRI (its claims point nowhere)",
      (DECLARED,), lambda g: instances(g, *ENTITY_CLASSES), rename),
    K("misspelled-vocabulary-term", "a claim with a misspelled smakg predicate", (DECLARED,),
      lambda g: [c for c in claims(g) if str(g.value(c, RDF.predicate)).startswith(str(SMAKG))],
      put(RDF.predicate, lambda g, n, o: typo(o))),
    K("misspelled-class", "an entity typed with a misspelled smakg class", (DECLARED,),
      lambda g: instances(g, *ENTITY_CLASSES), misspell_class),
    K("relative-iri", "an object written <slug> instead of a prefixed name (resolved against the file)",
      (DECLARED,), entity_objects,
      put(RDF.object, lambda g, n, o: URIRef("file:///curator/ontology/kb/claims/" + str(o).rsplit("/", 1)[-1]))),
    K("blank-node-outside-claim", "an anonymous node ([ ... ]) outside a claim", (NO_BNODES,),
      lambda g: instances(g, *ENTITY_CLASSES), add(RDFS.seeAlso, lambda g, n: BNode())),
    # ---- statements and coverage (hand-written statements: the built graph)
    K("relation-without-statement", "a relation written as a plain triple, not as a claim",
      (R("shp:Coverage", "SPARQL"),), lambda g: instances(g, SMAKG.Gene),
      add(SMAKG.isCausalGeneFor, lambda g, n: next(c for c in instances(g, SMAKG.Condition)
                                                   if (n, SMAKG.isCausalGeneFor, c) not in g))),
    K("statement-not-asserted", "a statement whose triple is not asserted", (R("shp:Statement", "SPARQL"),),
      statements, unassert, BUILT),
    K("duplicate-statement", "two statements for one asserted triple", (R("shp:Coverage", "SPARQL"),),
      statements, duplicate_statement, BUILT),
    K("evidence-from-unnamed-source", "an evidence quoting a source its statement does not name",
      (R("shp:Statement", "SPARQL"),), statements, misattribute_evidence, BUILT),
    K("statement-without-evidence", "a statement with no evidence", (R("shp:Statement › smakg:evidence", "MinCount"),),
      statements, drop(SMAKG.evidence), BUILT),
    K("evidence-not-evidence", "a statement whose evidence is another kind of node",
      (R("shp:Statement › smakg:evidence", "Class"),), statements,
      put(SMAKG.evidence, lambda g, n, o: value_of(g, o, OA.hasSelector)), BUILT),
    K("statement-without-subject", "a statement with no rdf:subject", (R("shp:Statement › rdf:subject", "MinCount"),),
      statements, drop(RDF.subject), BUILT),
    K("evidence-without-selector", "an evidence with no quote selector",
      (R("shp:Evidence › oa:hasSelector", "MinCount"),), lambda g: sorted_terms(g.subjects(RDF.type, SMAKG.Evidence)),
      drop(OA.hasSelector), BUILT),
    # ---- names
    K("gene-symbol-lowercase", "a gene's symbol written in lower case", (R("shp:Gene › rdfs:label", "Pattern"),),
      lambda g: instances(g, SMAKG.Gene), put(RDFS.label, lambda g, n, o: _relit(o, str(o).lower()))),
    K("gene-symbol-misspelled", "a gene's symbol with a typo (SMN1 written SNM1)",
      (R("shp:GeneSymbol", "SPARQL"),), lambda g: instances(g, SMAKG.Gene),
      put(RDFS.label, lambda g, n, o: _relit(o, swap_letters(str(o))))),
    K("label-trailing-whitespace", "a label with a trailing space", _either(LABEL_RULES, "Pattern"),
      lambda g: instances(g, *LABELLED), put(RDFS.label, lambda g, n, o: _relit(o, str(o) + " ")), group=by_class),
    K("label-language-tag", "a label with a language tag where plain strings are the rule",
      _either(LABEL_RULES, "Datatype"), lambda g: instances(g, *LABELLED),
      put(RDFS.label, lambda g, n, o: _relit(o, lang="en")), group=by_class),
    K("second-label", "a second rdfs:label (an alias written as a label)", _either(LABEL_RULES, "MaxCount"),
      lambda g: instances(g, *LABELLED), add(RDFS.label, lambda g, n: _relit(label_of(g, n), "another name")),
      group=by_class),
    K("label-dropped", "an entity without a label", _either(LABEL_RULES, "MinCount"),
      lambda g: instances(g, *LABELLED), drop(RDFS.label), group=by_class),
    K("alias-trailing-whitespace", "an alias with a trailing space", (R("shp:alias-clean", "Pattern"),),
      lambda g: claims(g, SKOS.altLabel), put(RDF.object, lambda g, n, o: _relit(o, str(o) + " "))),
    K("alias-language-tag", "an alias with a language tag", (R("shp:alias-clean", "Datatype"),),
      lambda g: claims(g, SKOS.altLabel), put(RDF.object, lambda g, n, o: _relit(o, lang="en"))),
    K("alias-repeats-label", "an alias that repeats the entity's own label",
      (R("shp:alias-not-label", "Disjoint"),), lambda g: instances(g, *ENTITY_CLASSES),
      new_claim_for(lambda g, n: n, label_of), group=by_class),
    K("alias-of-two-conditions", "one alias given to two conditions", (R("shp:AliasUnique", "SPARQL"),),
      lambda g: claims(g, SKOS.altLabel, subject_class=SMAKG.Condition),
      new_claim_for(lambda g, n: another(g, SMAKG.Condition, g.value(n, RDF.subject)),
                    lambda g, n: value_of(g, n, RDF.object), like=lambda g, n: n)),
    K("alias-is-another-conditions-label", "an alias that is another condition's label",
      (R("shp:AliasUnique", "SPARQL"),), lambda g: instances(g, SMAKG.Condition),
      new_claim_for(lambda g, n: n, lambda g, n: label_of(g, another(g, SMAKG.Condition, n)))),
    K("approved-name-whitespace", "a gene's approved name with a double space",
      (R("shp:Gene › smakg:approvedName", "Pattern"),), lambda g: claims(g, SMAKG.approvedName),
      put(RDF.object, lambda g, n, o: _relit(o, str(o).replace(" ", "  ", 1)))),
    K("approved-name-wrong", "an approved name that is not the one the gene table lists", (TABLE_CHECK,),
      lambda g: claims(g, SMAKG.approvedName), put(RDF.object, lambda g, n, o: _relit(o, misspell(str(o))))),
    K("gene-without-approved-name", "a gene whose approved name was left out",
      (R("shp:Gene › smakg:approvedName", "MinCount"),), lambda g: claims(g, SMAKG.approvedName), remove_node),
    # ---- values of relations
    K("inheritance-outside-hpo-branch", "an inheritance mode that is not under HP:0000005 (an onset term)",
      (R("shp:Condition › smakg:hasInheritanceMode", "Node"),), lambda g: claims(g, SMAKG.hasInheritanceMode),
      put(RDF.object, lambda g, n, o: INHERITANCE_BRANCH_OUTSIDER)),
    K("onset-outside-hpo-branch", "an onset that is not under HP:0003674 (a mode of inheritance)",
      (R("shp:Condition › smakg:hasOnset", "Node"),), lambda g: claims(g, SMAKG.hasOnset),
      put(RDF.object, lambda g, n, o: MODE_OF_INHERITANCE)),
    K("phenotype-not-a-phenotype", "a phenotype that is a mode of inheritance",
      (R("shp:Condition › smakg:hasPhenotype", "Or"),), lambda g: claims(g, SMAKG.hasPhenotype),
      put(RDF.object, lambda g, n, o: MODE_OF_INHERITANCE)),
    K("hpo-term-not-imported", "an HPO term whose label and parents are not imported",
      (R("shp:Condition › smakg:hasPhenotype", "Or"),), lambda g: claims(g, SMAKG.hasPhenotype),
      put(RDF.object, lambda g, n, o: NOT_IMPORTED_HPO)),
    K("hpo-term-not-verified", "an HPO term that is no verified row of the reference table", (TABLE_CHECK,),
      lambda g: claims(g, SMAKG.hasPhenotype), put(RDF.object, lambda g, n, o: IMPORTED_NOT_VERIFIED_HPO)),
    K("causal-gene-for-non-condition", "a causal gene pointing at a gene instead of a condition",
      (R("shp:Gene › smakg:isCausalGeneFor", "Class"),), lambda g: claims(g, SMAKG.isCausalGeneFor),
      retarget_object(SMAKG.Gene)),
    K("severity-modifier-of-non-condition", "a severity modifier pointing at a gene",
      (R("shp:Gene › smakg:modifiesSeverityOf", "Class"),), lambda g: claims(g, SMAKG.modifiesSeverityOf),
      retarget_object(SMAKG.Gene)),
    K("located-in-non-locus", "a gene located in a condition", (R("shp:Gene › smakg:locatedIn", "Class"),),
      lambda g: claims(g, SMAKG.locatedIn), retarget_object(SMAKG.Condition)),
    K("subtype-of-non-condition", "a condition made a subtype of a gene",
      (R("shp:Condition › smakg:subtypeOf", "Class"),), lambda g: claims(g, SMAKG.subtypeOf),
      retarget_object(SMAKG.Gene)),
    K("course-not-a-course", "a clinical course that is a diagnostic method",
      (R("shp:Condition › smakg:hasClinicalCourse", "Class"),), lambda g: claims(g, SMAKG.hasClinicalCourse),
      retarget_object(SMAKG.DiagnosticMethod)),
    K("method-not-a-method", "a diagnostic method that is a clinical course",
      (R("shp:Condition › smakg:hasDiagnosticMethod", "Class"),), lambda g: claims(g, SMAKG.hasDiagnosticMethod),
      retarget_object(SMAKG.ClinicalCourse)),
    # ---- cross-references and identifiers
    K("identifier-of-wrong-prefix", "a cross-reference with an identifier of the wrong prefix (HGNC for a "
      "condition, MONDO for a gene)", (*_either(XREF_RULES, "Pattern"), PHENOTYPE_XREF, COURSE_XREF),
      lambda g: claims(g, *MATCHES),
      put(RDF.object, wrong_prefix), group=by_class),
    K("identifier-malformed", "a cross-reference with a letter typed into the number",
      (*_either(XREF_RULES, "Pattern"), PHENOTYPE_XREF, COURSE_XREF),
      lambda g: claims(g, *MATCHES), put(RDF.object, lambda g, n, o: break_identifier(o)), group=by_class),
    K("identifier-as-string", "a cross-reference written as a string, not an IRI",
      (*_either(XREF_RULES, "NodeKind"), PHENOTYPE_XREF, COURSE_XREF),
      lambda g: claims(g, *MATCHES), put(RDF.object, lambda g, n, o: Literal(str(o).rsplit("/", 1)[-1])),
      group=by_class),
    K("identifier-not-verified", "a well-formed identifier that is no verified row (one digit off)",
      (TABLE_CHECK,), lambda g: claims(g, *MATCHES), put(RDF.object, lambda g, n, o: bump_last_digit(o))),
    K("imported-quote-not-row-label", "an imported identifier quoted with other text than the table's label",
      (TABLE_CHECK,), lambda g: claims(g, *MATCHES, source=is_release),
      put(OA.exact, lambda g, n, o: _relit(o, misspell(str(o))))),
    K("identifier-of-wrong-entity-kind", "a condition mapped to a gene's OMIM entry", (TABLE_CHECK,),
      lambda g: [c for c in claims(g, *MATCHES, subject_class=SMAKG.Condition)
                 if str(g.value(c, RDF.object)).startswith(PREFIXES["OMIM"])],
      put(RDF.object, lambda g, n, o: URIRef(PREFIXES["OMIM"] + "600502"))),
    K("gene-without-hgnc", "a gene whose HGNC mapping was written as closeMatch",
      (R("shp:Gene › skos:exactMatch", "QualifiedMinCount"),),
      lambda g: [c for c in claims(g, SKOS.exactMatch) if str(g.value(c, RDF.object)).startswith(PREFIXES["HGNC"])],
      put(RDF.predicate, lambda g, n, o: SKOS.closeMatch)),
    K("condition-without-xref-or-reason", "a condition with no cross-reference and no comment saying why",
      (R("shp:ConditionCrossReferenced", "Or"),), lambda g: instances(g, SMAKG.Condition), forget_xrefs),
    # ---- chromosome loci
    K("band-on-wrong-chromosome", "a band whose label names another chromosome than the one it is part of",
      (R("shp:BandOnItsChromosome", "SPARQL"),), lambda g: instances(g, SO["0000341"]),
      put(RDFS.label, lambda g, n, o: _relit(o, str(int(str(o).split("q")[0].split("p")[0]) % 22 + 1)
                                             + str(o).lstrip("0123456789")))),
    K("band-malformed", "a band label that is no cytogenetic band (11q13.3.1)", (LOCUS_XONE,),
      lambda g: instances(g, SO["0000341"]), put(RDFS.label, lambda g, n, o: _relit(o, str(o) + ".1"))),
    K("chromosome-malformed", "a chromosome label written chr11", (LOCUS_XONE,),
      lambda g: instances(g, SO["0000340"]), put(RDFS.label, lambda g, n, o: _relit(o, str(o).replace("chromosome ",
                                                                                                      "chr")))),
    K("locus-type-dropped", "a locus that is neither typed band nor chromosome", (LOCUS_XONE,),
      lambda g: instances(g, SMAKG.ChromosomeLocus), drop_locus_type),
    K("band-not-part-of-chromosome", "a band whose partOf claim was left out", (LOCUS_XONE,),
      lambda g: claims(g, SMAKG.partOf), remove_node),
    # ---- sources
    K("source-without-title", "a source without a title", (R("shp:Source › dcterms:title", "MinCount"),),
      lambda g: instances(g, SMAKG.Source), drop(DCTERMS.title)),
    K("title-trailing-whitespace", "a title with a trailing space", (R("shp:Source › dcterms:title", "Pattern"),),
      lambda g: instances(g, SMAKG.Source), put(DCTERMS.title, lambda g, n, o: _relit(o, str(o) + " "))),
    K("title-language-tag", "a title with a language tag", (R("shp:Source › dcterms:title", "Datatype"),),
      lambda g: instances(g, SMAKG.Source), put(DCTERMS.title, lambda g, n, o: _relit(o, lang="en"))),
    K("source-kind-wrong", "a source kind that is not one of the vocabulary's",
      (R("shp:Source › smakg:sourceKind", "In"),), lambda g: instances(g, SMAKG.Source),
      put(SMAKG.sourceKind, lambda g, n, o: SMAKG.Condition)),
    K("source-kind-dropped", "a source without a kind", (R("shp:Source › smakg:sourceKind", "MinCount"),),
      lambda g: instances(g, SMAKG.Source), drop(SMAKG.sourceKind)),
    K("date-ill-typed", "a date that is no date (month 13, day 45)",
      (R("shp:SourceDates › smakg:releaseDate", "Datatype"), R("shp:SourceDates › dcterms:issued", "Or"),
       R("shp:SourceDates › dcterms:modified", "Or")),
      lambda g: sorted_terms({s for p in DATES for s in g.subjects(p, None)}), ill_typed_date, group=by_date),
    K("date-untyped", "a date written as a plain string",
      (R("shp:SourceDates › smakg:releaseDate", "Datatype"), R("shp:SourceDates › dcterms:issued", "Or"),
       R("shp:SourceDates › dcterms:modified", "Or")),
      lambda g: sorted_terms({s for p in DATES for s in g.subjects(p, None)}), untyped_date, group=by_date),
    K("release-date-not-the-verified-one", "a reference release dated a day later than the table's release",
      (TABLE_CHECK,), lambda g: instances(g, SMAKG.Source, having=SMAKG.releaseDate), next_day),
    K("doi-malformed", "a DOI written with its doi: prefix", (R("shp:Source › bibo:doi", "Pattern"),),
      lambda g: instances(g, SMAKG.Source, having=BIBO.doi), put(BIBO.doi, lambda g, n, o: _relit(o, f"doi:{o}"))),
    K("pmid-malformed", "a PMID written PMID:nnn", (R("shp:Source › bibo:pmid", "Pattern"),),
      lambda g: instances(g, SMAKG.Source, having=BIBO.pmid), put(BIBO.pmid, lambda g, n, o: _relit(o, f"PMID:{o}"))),
    K("citation-id-not-verified", "a PMID or DOI one digit off", (TABLE_CHECK,),
      lambda g: instances(g, SMAKG.Source, having=BIBO.pmid) + instances(g, SMAKG.Source, having=BIBO.doi),
      edit_each((BIBO.pmid, BIBO.doi), lambda g, n, o: _relit(o, str(bump_last_digit(URIRef(str(o))))))),
    K("checksum-uppercase", "a SHA-256 in upper case", (R("shp:Source › smakg:textSha256", "Pattern"),),
      lambda g: instances(g, SMAKG.Source, having=SMAKG.textSha256),
      put(SMAKG.textSha256, lambda g, n, o: _relit(o, str(o).upper()))),
    K("checksum-dropped", "a document without its SHA-256", (R("shp:SourceDocument › smakg:textSha256", "MinCount"),),
      lambda g: instances(g, SMAKG.Source, having=SMAKG.textSha256), drop(SMAKG.textSha256)),
    K("checksum-stale", "a SHA-256 of another copy of the document", (QUOTE_CHECK,),
      lambda g: instances(g, SMAKG.Source, having=SMAKG.textSha256),
      put(SMAKG.textSha256, lambda g, n, o: _relit(o, str(o)[::-1]))),
    K("document-file-with-folder", "a document file named with its folder", (R("shp:Source › smakg:documentFile",
                                                                             "Pattern"),),
      lambda g: instances(g, SMAKG.Source, having=SMAKG.documentFile),
      put(SMAKG.documentFile, lambda g, n, o: _relit(o, f"seeds/{o}"))),
    K("document-file-missing", "a document file name with a typo", (QUOTE_CHECK,),
      lambda g: instances(g, SMAKG.Source, having=SMAKG.documentFile),
      put(SMAKG.documentFile, lambda g, n, o: _relit(o, str(o).replace(".txt", "-copy.txt")))),
    K("printed-date-not-printed", "a printed date or version that the document does not print", (QUOTE_CHECK,),
      lambda g: sorted_terms({s for p in (SMAKG.printedDate, SMAKG.printedVersion) for s in g.subjects(p, None)}),
      edit_each((SMAKG.printedDate, SMAKG.printedVersion), lambda g, n, o: _relit(o, misspell(str(o))))),
    K("publisher-not-an-organisation", "a publisher or creator that is a source, not an organisation",
      (R("shp:Source › dcterms:publisher", "Class"), R("shp:Source › dcterms:creator", "Class")),
      lambda g: sorted_terms({s for p in (DCTERMS.publisher, DCTERMS.creator) for s in g.subjects(p, None)}),
      edit_each((DCTERMS.publisher, DCTERMS.creator), lambda g, n, o: another(g, SMAKG.Source, n)),
      group=by_agent_role),
    K("cited-work-undeclared-kind", "a source citing an organisation as a work",
      (R("shp:Source › dcterms:references", "Class"),), lambda g: instances(g, SMAKG.Source, having=DCTERMS.references),
      add(DCTERMS.references, lambda g, n: another(g, PROV.Organization))),
]

# ---- a second value where one is the rule, one kind per single-valued property of a source
_SINGLE_VALUED = (
    ("title", DCTERMS.title, "shp:Source › dcterms:title"),
    ("source-kind", SMAKG.sourceKind, "shp:Source › smakg:sourceKind"),
    ("document-file", SMAKG.documentFile, "shp:Source › smakg:documentFile"),
    ("checksum", SMAKG.textSha256, "shp:Source › smakg:textSha256"),
    ("doi", BIBO.doi, "shp:Source › bibo:doi"),
    ("pmid", BIBO.pmid, "shp:Source › bibo:pmid"),
    ("release-date", SMAKG.releaseDate, "shp:SourceDates › smakg:releaseDate"),
    ("issue-date", DCTERMS.issued, "shp:SourceDates › dcterms:issued"),
    ("modification-date", DCTERMS.modified, "shp:SourceDates › dcterms:modified"),
)


def second_value(graph: Graph, node: Node, prop: URIRef) -> Node:
    """A second value of the kind the first one is (another source kind, a later date, another text)."""
    old = graph.value(node, prop)
    if isinstance(old, URIRef):
        return next(k for k in (SMAKG.WebResource, SMAKG.JournalArticle) if k != old)
    if isinstance(old, Literal) and old.datatype in (XSD.date, XSD.gYear, XSD.gYearMonth):
        return Literal(str(int(str(old)[:4]) + 1) + str(old)[4:], datatype=old.datatype)
    return _relit(old, str(old)[:-1] + ("0" if str(old)[-1] != "0" else "1"))


def _second(name: str, prop: URIRef, rule: str) -> Kind:
    return Kind(f"second-{name}", f"a source with a second {name.replace('-', ' ')}", (Catch(rule, "MaxCount"),),
                lambda g: instances(g, SMAKG.Source, having=prop),
                lambda g, n: g.add((n, prop, second_value(g, n, prop))))


KINDS += [_second(*each) for each in _SINGLE_VALUED]


# ---- the context of a quote (oa:prefix / oa:suffix): empty, language-tagged, given twice
def _context_kinds(prop: URIRef, name: str) -> list[Kind]:
    rule = f"shp:Evidence › oa:hasSelector/oa:{name}"
    text = Literal("the ") if name == "prefix" else Literal(" of")
    return [
        Kind(f"quote-{name}-empty", f"an empty oa:{name}", (Catch(rule, "MinLength"),), claims,
             add(prop, lambda g, n: Literal(""))),
        Kind(f"quote-{name}-language-tag", f"an oa:{name} with a language tag", (Catch(rule, "Datatype"),), claims,
             add(prop, lambda g, n: Literal(str(text), lang="en"))),
        Kind(f"two-quote-{name}es", f"two oa:{name}es on one quote", (Catch(rule, "MaxCount"),), claims,
             add_each(prop, text, Literal(str(text) * 2))),
    ]


KINDS += _context_kinds(OA.prefix, "prefix") + _context_kinds(OA.suffix, "suffix")


# ---- more mistakes in names and mappings
def _approved_name_claims(graph: Graph) -> list[Node]:
    return claims(graph, SMAKG.approvedName)


KINDS += [
    Kind("second-approved-name", "a gene with a second approved name (an alias written as a name)",
         (Catch("shp:Gene › smakg:approvedName", "MaxCount"),), _approved_name_claims,
         new_claim_for(lambda g, n: value_of(g, n, RDF.subject),
                       lambda g, n: _relit(g.value(n, RDF.object), str(g.value(n, RDF.object)) + " protein"),
                       like=lambda g, n: n, predicate=SMAKG.approvedName)),
    Kind("approved-name-language-tag", "an approved name with a language tag",
         (Catch("shp:Gene › smakg:approvedName", "Datatype"),), _approved_name_claims,
         put(RDF.object, lambda g, n, o: _relit(o, lang="en"))),
    Kind("document-file-language-tag", "a document file name with a language tag",
         (Catch("shp:Source › smakg:documentFile", "Datatype"),),
         lambda g: instances(g, SMAKG.Source, having=SMAKG.documentFile),
         put(SMAKG.documentFile, lambda g, n, o: _relit(o, lang="en"))),
    Kind("phenotype-mapped-to-non-hpo", "a phenotype node mapped to a disease instead of an HPO term",
         (PHENOTYPE_XREF,),
         lambda g: claims(g, *MATCHES, subject_class=SMAKG.Phenotype),
         put(RDF.object, lambda g, n, o: URIRef(PREFIXES["MONDO"] + "0011436"))),
]


# ---- mistakes only a hand-written statement, evidence or selector can make (the built graph)
def evidences(graph: Graph) -> list[Identifier]:
    return sorted_terms(graph.subjects(RDF.type, SMAKG.Evidence))


def _other_value(prop: URIRef) -> Callable[[Graph, Node], Node]:
    """A second, different value for a statement's subject, predicate or object."""
    def value(graph: Graph, stmt: Node) -> Node:
        old = graph.value(stmt, prop)
        if prop == RDF.predicate:
            return SMAKG.subtypeOf if old != SMAKG.subtypeOf else SMAKG.partOf
        return next(n for n in instances(graph, SMAKG.Gene) if n != old)
    return value


def second_selector(graph: Graph, evidence: Node) -> None:
    selector = URIRef(str(graph.value(evidence, OA.hasSelector)) + "-copy")
    graph.add((evidence, OA.hasSelector, selector))
    graph.add((selector, RDF.type, OA.TextQuoteSelector))
    graph.add((selector, OA.exact, Literal("a second quote")))


def untype_selector(graph: Graph, evidence: Node) -> None:
    graph.remove((graph.value(evidence, OA.hasSelector), RDF.type, None))


_STATEMENT = "shp:Statement › "
KINDS += [
    *(Kind(f"statement-two-{name}s", f"a hand-written statement with two {name}s",
           (Catch(_STATEMENT + f"rdf:{name}", "MaxCount"),), statements, add(prop, _other_value(prop)), BUILT)
      for name, prop in (("subject", RDF.subject), ("predicate", RDF.predicate), ("object", RDF.object))),
    *(Kind(f"statement-without-{name}", f"a hand-written statement with no {name}",
           (Catch(_STATEMENT + f"rdf:{name}", "MinCount"),), statements, drop(prop), BUILT)
      for name, prop in (("predicate", RDF.predicate), ("object", RDF.object))),
    Kind("statement-literal-subject", "a hand-written statement whose subject is a string",
         (Catch(_STATEMENT + "rdf:subject", "NodeKind"),), statements,
         put(RDF.subject, lambda g, n, o: Literal(str(o).rsplit("/", 1)[-1])), BUILT),
    Kind("evidence-two-selectors", "a hand-written evidence with two quote selectors",
         (Catch("shp:Evidence › oa:hasSelector", "MaxCount"),), evidences, second_selector, BUILT),
    Kind("selector-untyped", "a hand-written quote selector without its type",
         (Catch("shp:Evidence › oa:hasSelector", "Class"),), evidences, untype_selector, BUILT),
    Kind("evidence-without-type", "a hand-written evidence without an ECO evidence type",
         (Catch("shp:Evidence › smakg:evidenceType", "MinCount"),), evidences, drop(SMAKG.evidenceType), BUILT),
]


# ---- how strongly a source states a fact (issue 10): qualifiers of a claim's evidence, negation, dated facts

_QUAL = "shp:EvidenceQualifiers › "


def qualified(prop: URIRef) -> Callable[[Graph], list[Node]]:
    """Claims that carry the qualifier ``prop`` (sorted by content)."""
    return lambda g: [c for c in claims(g) if (c, prop, None) in g]


def negated_claims(graph: Graph) -> list[Node]:
    return [c for c in claims(graph) if (c, SMAKG.negated, Literal(True)) in graph]


def negated_statements(graph: Graph) -> list[Identifier]:
    return sorted_terms(graph.subjects(SMAKG.negated, Literal(True)))


def assert_negated(graph: Graph, stmt: Node) -> None:
    """Assert the triple of a negated statement, as a build that forgot the negation would."""
    graph.add((value_of(graph, stmt, RDF.subject), value_of(graph, stmt, RDF.predicate),
               value_of(graph, stmt, RDF.object)))


def also_positive_cause(graph: Graph, claim: Node) -> None:
    """A cause written as a plain claim that points at a treatment instead of a causal factor."""
    new_claim(graph, value_of(graph, claim, RDF.subject), SMAKG.causedBy, another(graph, SMAKG.Treatment),
              like=claim)


def _second_of(prop: URIRef, options: tuple[Node, ...]) -> Callable[[Graph, Node], None]:
    """Add a second, different value of ``prop`` (from ``options``)."""
    return add(prop, lambda g, n: next(v for v in options if (n, prop, v) not in g))


_CERTAINTIES = (SMAKG.Possible, SMAKG.Asserted)
_GENERALITIES = (SMAKG.Typical, SMAKG.InSome)
_DURATIONS = tuple(Literal(d, datatype=XSD.duration) for d in ("P42D", "P2M", "P6M", "P1Y"))
_MONTHS = tuple(Literal(d, datatype=XSD.gYearMonth) for d in ("2022-08", "2016-01"))
KINDS += [
    K("certainty-from-generality", "a certainty that is a generality word (typical for 'may')",
      (R(_QUAL + "smakg:certainty", "In"),), qualified(SMAKG.certainty),
      put(SMAKG.certainty, lambda g, n, o: SMAKG.Typical)),
    K("two-certainties", "a claim both possible and asserted", (R(_QUAL + "smakg:certainty", "MaxCount"),),
      qualified(SMAKG.certainty), _second_of(SMAKG.certainty, _CERTAINTIES)),
    K("generality-from-certainty", "a generality that is a certainty word (possible for 'usually')",
      (R(_QUAL + "smakg:generality", "In"),), qualified(SMAKG.generality),
      put(SMAKG.generality, lambda g, n, o: SMAKG.Possible)),
    K("two-generalities", "a claim both typical and in some", (R(_QUAL + "smakg:generality", "MaxCount"),),
      qualified(SMAKG.generality), _second_of(SMAKG.generality, _GENERALITIES)),
    K("feature-role-unknown", "a feature role that is not a role (typical)", (R(_QUAL + "smakg:featureRole", "In"),),
      qualified(SMAKG.featureRole), put(SMAKG.featureRole, lambda g, n, o: SMAKG.Typical)),
    K("frequency-not-a-frequency", "a frequency that is a severity term (Severe)",
      (R(_QUAL + "smakg:frequency", "Node"),), lambda g: claims(g, SMAKG.hasPhenotype),
      add(SMAKG.frequency, lambda g, n: HP["0012828"])),
    K("two-frequencies", "two frequency classes on one evidence", (R(_QUAL + "smakg:frequency", "MaxCount"),),
      lambda g: claims(g, SMAKG.hasPhenotype), add_each(SMAKG.frequency, HP["0040281"], HP["0040282"])),
    K("severity-not-a-severity", "a severity context that is a course term (Rapidly progressive)",
      (R(_QUAL + "smakg:severityContext", "Node"),), qualified(SMAKG.severityContext),
      put(SMAKG.severityContext, lambda g, n, o: HP["0003678"])),
    K("course-is-an-onset", "a course qualifier that is an onset (Infantile onset)",
      (R(_QUAL + "smakg:course", "Node"),), qualified(SMAKG.course),
      put(SMAKG.course, lambda g, n, o: HP["0003593"])),
    K("onset-not-an-onset", "a feature's onset that is a mode of inheritance", (R(_QUAL + "smakg:onset", "Node"),),
      lambda g: claims(g, SMAKG.hasPhenotype), add(SMAKG.onset, lambda g, n: HP["0000007"])),
    K("as-of-as-printed-text", "an as-of date written as text ('August 2022')", (R(_QUAL + "smakg:asOf", "Or"),),
      qualified(SMAKG.asOf), put(SMAKG.asOf, lambda g, n, o: Literal("August 2022"))),
    K("two-as-of-dates", "two as-of dates on one evidence", (R(_QUAL + "smakg:asOf", "MaxCount"),),
      qualified(SMAKG.asOf), _second_of(SMAKG.asOf, _MONTHS)),
    *(K(f"{name}-not-a-duration", f"an age ({name}) written as text ('6 weeks')",
        (R(_QUAL + f"smakg:{name}", "Datatype"),), qualified(prop), put(prop, lambda g, n, o: Literal("6 weeks")))
      for name, prop in (("ageFrom", SMAKG.ageFrom), ("ageTo", SMAKG.ageTo))),
    *(K(f"two-{name}s", f"two ages ({name}) on one evidence", (R(_QUAL + f"smakg:{name}", "MaxCount"),),
        qualified(prop), _second_of(prop, _DURATIONS))
      for name, prop in (("ageFrom", SMAKG.ageFrom), ("ageTo", SMAKG.ageTo))),
    K("variant-bound-as-text", "a known-variant bound written as a string",
      (R(_QUAL + "smakg:knownVariantsMoreThan", "Datatype"),), qualified(SMAKG.knownVariantsMoreThan),
      put(SMAKG.knownVariantsMoreThan, lambda g, n, o: Literal(str(o)))),
    K("two-variant-bounds", "two known-variant bounds on one evidence",
      (R(_QUAL + "smakg:knownVariantsMoreThan", "MaxCount"),), qualified(SMAKG.knownVariantsMoreThan),
      add(SMAKG.knownVariantsMoreThan, lambda g, n: Literal(61))),
    K("negative-variant-bound", "a known-variant bound below 0",
      (R(_QUAL + "smakg:knownVariantsMoreThan", "MinInclusive"),), qualified(SMAKG.knownVariantsMoreThan),
      put(SMAKG.knownVariantsMoreThan, lambda g, n, o: Literal(-1))),
    K("variant-bound-of-a-derived-type", "a known-variant bound typed xsd:nonNegativeInteger (stores change it)",
      (R(_QUAL + "smakg:knownVariantsMoreThan", "Datatype"),), qualified(SMAKG.knownVariantsMoreThan),
      put(SMAKG.knownVariantsMoreThan, lambda g, n, o: Literal(str(o), datatype=XSD.nonNegativeInteger))),
    K("aspect-not-a-sequence-term", "a subject aspect that is an HPO term", (R(_QUAL + "smakg:subjectAspect", "Node"),),
      qualified(SMAKG.subjectAspect), put(SMAKG.subjectAspect, lambda g, n, o: HP["0000007"])),
    K("quoted-via-a-cited-work", "a quote read 'via' a cited work that has no document copy",
      (R(_QUAL + "smakg:quotedVia", "Node"),), qualified(SMAKG.quotedVia),
      put(SMAKG.quotedVia, lambda g, n, o: next(s for s in instances(g, SMAKG.Source) if not has_document(g, s)))),
    K("quoted-via-two-documents", "a quote read in two documents", (R(_QUAL + "smakg:quotedVia", "MaxCount"),),
      qualified(SMAKG.quotedVia),
      add(SMAKG.quotedVia, lambda g, n: next(s for s in instances(g, SMAKG.Source, having=SMAKG.documentFile)
                                             if (n, SMAKG.quotedVia, s) not in g))),
    K("negation-leaked", "a negated statement whose triple is asserted anyway (no source states it)",
      (R("shp:NegatedStatement", "SPARQL"),), negated_statements, assert_negated, BUILT),
    K("negated-untyped", "a negated statement without the type smakg:NegatedStatement",
      (R("shp:NegatedStatement", "SPARQL"),), negated_statements,
      lambda g, n: g.remove((n, RDF.type, SMAKG.NegatedStatement)), BUILT),
    K("negated-false", "negated written false on a hand-written statement", (R("shp:NegatedStatement › smakg:negated",
                                                                               "In"),),
      negated_statements, put(SMAKG.negated, lambda g, n, o: Literal(False)), BUILT),
    K("negated-as-text", "negated written as the string 'true'", (R("shp:NegatedStatement › smakg:negated",
                                                                    "Datatype"),),
      negated_statements, put(SMAKG.negated, lambda g, n, o: Literal("true")), BUILT),
    K("negated-twice", "negated true and false on one statement", (R("shp:NegatedStatement › smakg:negated",
                                                                     "MaxCount"),),
      negated_statements, add(SMAKG.negated, lambda g, n: Literal(False)), BUILT),
    K("treatment-undated", "a treatment fact without the date it holds as of", (R("shp:Statement", "SPARQL"),),
      lambda g: claims(g, SMAKG.hasTreatment), drop(SMAKG.asOf)),
    K("note-reference-not-a-source", "a curator note citing an organisation (rdfs:seeAlso)",
      (R("shp:Statement › rdfs:seeAlso", "Class"),), claims,
      add(RDFS.seeAlso, lambda g, n: another(g, PROV.Organization))),
    K("treatment-is-a-factor", "a treatment that is a causal factor",
      (R("shp:Condition › smakg:hasTreatment", "Class"),),
      lambda g: (lambda negated: [c for c in claims(g, SMAKG.hasTreatment) if c not in negated])(
          set(negated_claims(g))),
      retarget_object(SMAKG.CausalFactor)),
    K("cause-is-a-treatment", "a stated cause that is a treatment", (R("shp:Condition › smakg:causedBy", "Class"),),
      lambda g: claims(g, SMAKG.causedBy), also_positive_cause),
    K("rarity-not-a-rarity", "a rarity that is a generality word", (R("shp:Condition › smakg:hasRarity", "In"),),
      lambda g: claims(g, SMAKG.hasRarity), put(RDF.object, lambda g, n, o: SMAKG.Typical)),
    K("modifier-is-a-course", "a clinical modifier that is a course term (Rapidly progressive)",
      (R("shp:Condition › smakg:hasClinicalModifier", "Node"),), lambda g: claims(g, SMAKG.hasClinicalModifier),
      put(RDF.object, lambda g, n, o: HP["0003678"])),
    K("modifier-is-an-onset", "a clinical modifier that is an onset (Infantile onset)",
      (R("shp:Condition › smakg:hasClinicalModifier", "Node"),), lambda g: claims(g, SMAKG.hasClinicalModifier),
      put(RDF.object, lambda g, n, o: HP["0003593"])),
    K("negation-forgotten", "a claim that says 'not' or 'no' written without smakg:negated",
      (Catch("smakg:check/negation-not-recorded"),), negated_claims, drop(SMAKG.negated)),
    K("hedge-recorded-as-something-else", "a 'can' recorded only as a severity context, not as a certainty",
      (Catch("smakg:check/hedge-without-qualifier"),), qualified(SMAKG.certainty),
      lambda g, n: (g.remove((n, SMAKG.certainty, None)), g.add((n, SMAKG.severityContext, HP["0012828"])))),
    K("process-not-go", "a gene's process that is an HPO term", (R("shp:Gene › smakg:involvedIn", "Node"),),
      lambda g: claims(g, SMAKG.involvedIn), put(RDF.object, lambda g, n, o: HP["0000007"])),
    K("hedge-not-recorded", "a quote that says 'may' with its certainty forgotten",
      (Catch("smakg:check/hedge-without-qualifier"),),
      lambda g: [c for c in claims(g) if (c, SMAKG.certainty, SMAKG.Possible) in g
                 and not any((c, q, None) in g for q in (SMAKG.generality, SMAKG.frequency, SMAKG.severityContext))],
      drop(SMAKG.certainty)),
]
