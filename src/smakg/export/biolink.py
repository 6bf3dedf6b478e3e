"""The Biolink view: KGX TSV node and edge files that a Monarch-style pipeline can merge.

Which classes become nodes and which predicates become edges is read from the vocabulary, not from a table
here: a smakg class that is ``rdfs:subClassOf`` a Biolink category gives that category, and a smakg property
mapped to a Biolink predicate (``rdfs:subPropertyOf``, else ``skos:exactMatch``, ``closeMatch``, ``broadMatch``)
gives that predicate. External values (HPO terms) become nodes of the predicate's Biolink range. Everything
else (loci, diagnostic methods, clinical courses, onset) has no Biolink predicate to carry it and stays out of
the view; the RDF exports keep it.

Each edge is one ``smakg:Statement``: its id is the statement's, ``supporting_text`` its quotes,
``publications`` its sources and the works they cite, ``has_evidence_of_type`` the ECO codes. The pinned
Biolink model (``biolink_model``) checks categories, predicates, association constraints, enumerations and
required columns before anything is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS
from rdflib.term import Identifier, Node

from smakg.errors import DataError
from smakg.export.biolink_model import BiolinkModel, load
from smakg.kb.terms import sorted_terms
from smakg.kb.vocab import BIBO, BIOLINK, BIOLINK_SAME_SPACE, OA, SMAKG, Curies, compress_iri

NODES = "smakg.biolink.nodes.tsv"
EDGES = "smakg.biolink.edges.tsv"
INFORES = "infores:smakg"
HUMAN = "NCBITaxon:9606"
NODE_COLUMNS = ["id", "category", "name", "iri", "xref", "synonym", "symbol", "full_name", "in_taxon", "provided_by"]
EDGE_COLUMNS = ["id", "subject", "predicate", "object", "category", "original_predicate", "negated",
                "frequency_qualifier", "onset_qualifier", "qualifiers",
                "knowledge_level", "agent_type", "primary_knowledge_source", "publications", "has_evidence_of_type",
                "supporting_text"]
# How strongly the sources state an edge, where every source's evidence agrees (an edge is one statement, and a
# qualifier only one source gives would hedge what another states plainly; the RDF keeps each source's own).
# Biolink's single-valued slots take the frequency and the onset; smakg's other qualifiers (certainty, generality,
# feature role, course, the severity of the cases the fact holds in, the aspect of the subject), for which Biolink
# has no slot of the same meaning, are listed in ``qualifiers`` as the CURIEs of their values.
SINGLE_QUALIFIERS = {"frequency_qualifier": SMAKG.frequency, "onset_qualifier": SMAKG.onset}
LISTED_QUALIFIERS = (SMAKG.certainty, SMAKG.generality, SMAKG.featureRole, SMAKG.course, SMAKG.severityContext,
                     SMAKG.subjectAspect)
# How Biolink files an edge of a predicate (the association class); others are plain biolink:Association.
ASSOCIATIONS = {
    "biolink:causes": "biolink:CausalGeneToDiseaseAssociation",
    "biolink:contributes_to": "biolink:GeneToDiseaseAssociation",
    "biolink:has_phenotype": "biolink:DiseaseToPhenotypicFeatureAssociation",
    "biolink:has_mode_of_inheritance": "biolink:DiseaseOrPhenotypicFeatureToGeneticInheritanceAssociation",
}
SAME_SPACE = BIOLINK_SAME_SPACE
_PREDICATE_MAPPINGS = (RDFS.subPropertyOf, SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch)
LIST_SEPARATOR = "|"


def curie(iri: str, model: BiolinkModel) -> str:
    """The CURIE Biolink tools expect: Biolink's prefix where it has the identifier space, else ours."""
    for ours, theirs in SAME_SPACE.items():
        if iri.startswith(ours):
            iri = theirs + iri[len(ours):]
    compact = model.curies.compress(iri, local=bool) or compress_iri(iri)
    if compact is None:
        raise DataError(f"{iri}: no prefix for this IRI in Biolink's or smakg's prefix map",
                        hint="add the identifier space to PREFIXES in src/smakg/kb/vocab.py")
    return compact


def _biolink_terms(graph: Graph, subject: Node, prop: URIRef) -> list[str]:
    curies = Curies({"biolink": str(BIOLINK)})
    return sorted(c for o in graph.objects(subject, prop) if (c := curies.compress(str(o), local=bool)) is not None)


def categories(vocabulary: Graph, model: BiolinkModel) -> dict[Identifier, str]:
    """smakg class -> Biolink category, from ``rdfs:subClassOf`` in the vocabulary."""
    out: dict[Identifier, str] = {}
    for cls in sorted_terms(set(vocabulary.subjects(RDF.type, OWL.Class))):
        found = [c for c in _biolink_terms(vocabulary, cls, RDFS.subClassOf) if model.is_category(c)]
        if len(found) > 1:
            raise DataError(f"{cls.n3()}: subclass of several Biolink categories ({', '.join(found)})",
                            hint="keep one rdfs:subClassOf biolink:... per smakg class in ontology/smakg.ttl")
        if found:
            out[cls] = found[0]
    return out


def predicates(vocabulary: Graph, model: BiolinkModel) -> dict[Identifier, str]:
    """smakg property -> Biolink predicate, from the strongest mapping the vocabulary gives."""
    out: dict[Identifier, str] = {}
    for prop in sorted_terms(set(vocabulary.subjects(RDF.type, OWL.ObjectProperty))):
        for mapping in _PREDICATE_MAPPINGS:
            found = [p for p in _biolink_terms(vocabulary, prop, mapping) if model.predicate(p)]
            if len(found) > 1:
                raise DataError(f"{prop.n3()}: {mapping.n3()} several Biolink predicates ({', '.join(found)})",
                                hint="map each smakg property to one Biolink predicate in ontology/smakg.ttl")
            if found:
                out[prop] = found[0]
                break
    return out


def _text(value: str) -> str:
    """One TSV cell: whitespace (tabs, line breaks) collapsed to single spaces."""
    return " ".join(value.split())


@dataclass
class View:
    nodes: list[dict[str, str | list[str]]]
    edges: list[dict[str, str | list[str]]]


def build_view(graph: Graph, vocabulary: Graph, model: BiolinkModel | None = None) -> View:
    """Nodes and edges of the Biolink view, sorted by id."""
    model = model or load()
    cats = categories(vocabulary, model)
    preds = predicates(vocabulary, model)
    node_category: dict[URIRef, str] = {}
    for cls, category in cats.items():
        for entity in graph.subjects(RDF.type, cls):
            if isinstance(entity, URIRef) and (entity, OWL.deprecated, Literal(True)) not in graph:
                node_category[entity] = category  # a deprecated entity is replaced, so not a node of the view
    typed = {s for s in graph.subjects(RDF.type, None) if isinstance(s, URIRef)}

    edges = []
    for prop, predicate in sorted(preds.items()):
        for s, o in sorted(graph.subject_objects(prop)):
            if s not in node_category or not isinstance(o, URIRef):
                continue
            if o not in node_category:
                if o in typed and (o, RDF.type, OWL.Class) not in graph:
                    continue  # an entity of a class with no Biolink category (a locus, a method ...)
                known = model.predicate(predicate)
                assert known is not None  # predicates() keeps only the predicates the model knows
                range_ = known["range"]
                if not range_ or not model.is_category(range_):
                    continue
                node_category[o] = range_
            edges.append(_edge(graph, model, s, prop, o, predicate))
    # what the sources say is NOT the case: no asserted triple, an edge with negated=True
    for st in sorted_terms(graph.subjects(SMAKG.negated, Literal(True))):
        n_prop, n_s, n_o = graph.value(st, RDF.predicate), graph.value(st, RDF.subject), graph.value(st, RDF.object)
        if not isinstance(n_prop, URIRef) or n_prop not in preds:
            continue
        n_pred = preds[n_prop]
        if not isinstance(n_s, URIRef) or n_s not in node_category or not isinstance(n_o, URIRef):
            continue
        if n_o not in node_category:  # an entity with a category is a node already; an external term takes the range
            known = model.predicate(n_pred)
            assert known is not None  # predicates() keeps only the predicates the model knows
            if (n_o in typed and (n_o, RDF.type, OWL.Class) not in graph) or not known["range"] \
                    or not model.is_category(known["range"]):
                continue
            node_category[n_o] = known["range"]
        edges.append(_edge(graph, model, n_s, n_prop, n_o, n_pred, negated=True))
    nodes = [_node(graph, model, n, c) for n, c in node_category.items()]
    return View(sorted(nodes, key=lambda r: str(r["id"])), sorted(edges, key=lambda r: str(r["id"])))


def _node(graph: Graph, model: BiolinkModel, node: URIRef, category: str) -> dict[str, str | list[str]]:
    label = graph.value(node, RDFS.label)
    is_gene = model.is_a(category, "biolink:Gene")
    return {
        "id": curie(str(node), model),
        "category": [category],
        "name": _text(str(label)) if label is not None else "",
        "iri": str(node),
        "xref": sorted(curie(str(x), model) for x in graph.objects(node, SKOS.exactMatch) if isinstance(x, URIRef)),
        "synonym": sorted(_text(str(a)) for a in graph.objects(node, SKOS.altLabel)),
        "symbol": _text(str(label)) if is_gene and label is not None else "",
        "full_name": _text(str(graph.value(node, SMAKG.approvedName) or "")),
        "in_taxon": HUMAN if is_gene else "",
        "provided_by": [INFORES],
    }


def _publications(graph: Graph, model: BiolinkModel, sources: Iterable[Node]) -> list[str]:
    out = set()
    for source in sources:
        pmid, doi = graph.value(source, BIBO.pmid), graph.value(source, BIBO.doi)
        if pmid is not None:
            out.add(f"PMID:{pmid}")
        elif doi is not None:
            out.add(f"doi:{doi}")
        else:
            out.add(curie(str(source), model))
    return sorted(out)


def _edge(graph: Graph, model: BiolinkModel, s: Node, prop: Identifier, o: URIRef,
          predicate: str, *, negated: bool = False) -> dict[str, str | list[str]]:
    statements = sorted_terms(st for st in graph.subjects(RDF.subject, s)
                              if (st, RDF.predicate, prop) in graph and (st, RDF.object, o) in graph
                              and ((st, SMAKG.negated, Literal(True)) in graph) == negated)
    if len(statements) != 1:
        raise DataError(f"{s.n3()} {prop.n3()} {o.n3()}: {len(statements)} statements describe this triple, "
                        "expected exactly one", hint="run smakg validate to see the statement problems")
    st = statements[0]
    evidence = sorted_terms(graph.objects(st, SMAKG.evidence))
    quotes: list[tuple[str, str]] = []
    cited: set[Node] = set()
    types: set[str] = set()
    for ev in evidence:
        source = graph.value(ev, OA.hasSource)
        for sel in sorted_terms(graph.objects(ev, OA.hasSelector)):
            for exact in sorted_terms(graph.objects(sel, OA.exact)):
                quotes.append((str(source), _text(str(exact)).replace(LIST_SEPARATOR, "\u00a6")))
        cited.update(graph.objects(ev, DCTERMS.references))
        types.update(curie(str(t), model) for t in graph.objects(ev, SMAKG.evidenceType))
    sources = set(graph.objects(st, PROV.wasDerivedFrom))
    single = {}
    for column, prop_ in SINGLE_QUALIFIERS.items():
        per_evidence = [frozenset(graph.objects(ev, prop_)) for ev in evidence]
        values = set().union(*per_evidence) if per_evidence else set()
        same = len(values) == 1 and all(per_evidence[0] == v for v in per_evidence)
        single[column] = curie(str(next(iter(values))), model) if same else ""
    per_source = [{curie(str(v), model) for q in LISTED_QUALIFIERS for v in graph.objects(ev, q)} for ev in evidence]
    listed = sorted(set.intersection(*per_source)) if per_source else []
    return {
        "id": curie(str(st), model),
        "subject": curie(str(s), model),
        "predicate": predicate,
        "object": curie(str(o), model),
        "category": [ASSOCIATIONS.get(predicate, "biolink:Association")],
        "original_predicate": curie(str(prop), model),
        "negated": "True" if negated else "",
        **single,
        "qualifiers": listed,
        "knowledge_level": "knowledge_assertion",
        "agent_type": "manual_agent",
        "primary_knowledge_source": INFORES,
        "publications": _publications(graph, model, sources | cited),
        "has_evidence_of_type": sorted(types),
        "supporting_text": [q for _, q in sorted(quotes)],
    }


def to_tsv(rows: list[dict[str, str | list[str]]], columns: list[str]) -> str:
    """KGX TSV: a header line, one row per record, lists joined with ``|``."""
    lines = ["\t".join(columns)]
    for row in rows:
        cells = []
        for column in columns:
            value = row.get(column, "")
            cells.append(LIST_SEPARATOR.join(value) if isinstance(value, list) else value)
        lines.append("\t".join(cells))
    return "\n".join(lines) + "\n"


def parse_tsv(text: str) -> tuple[list[str], list[dict[str, str]]]:
    """Read a KGX TSV file back: its columns and one dict per row."""
    lines = text.rstrip("\n").split("\n")
    header = lines[0].split("\t")
    return header, [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]]


def _values(row: dict[str, str], column: str) -> list[str]:
    value = row.get(column, "")
    return value.split(LIST_SEPARATOR) if value else []


def check(nodes_text: str, edges_text: str, model: BiolinkModel | None = None) -> list[str]:
    """Problems of a KGX TSV pair against the pinned Biolink model; an empty list when it conforms."""
    model = model or load()
    problems: list[str] = []
    try:
        node_cols, nodes = parse_tsv(nodes_text)
        edge_cols, edges = parse_tsv(edges_text)
    except ValueError:
        return ["a row has more or fewer cells than the header has columns"]
    for kind, cols in (("node", node_cols), ("edge", edge_cols)):
        missing = [c for c in model.data["required"][kind] if c not in cols]
        if missing:
            problems.append(f"{kind} file: required columns missing: {', '.join(missing)}")
        unknown = [c for c in cols if model.multivalued(c) is None]
        if unknown:
            problems.append(f"{kind} file: columns that are not Biolink slots: {', '.join(unknown)}")
    for kind, rows, cols in (("node", nodes, node_cols), ("edge", edges, edge_cols)):
        for row in rows:
            for column in cols:
                if LIST_SEPARATOR in row[column] and model.multivalued(column) is False:
                    problems.append(f"{kind} {row.get('id')}: {column} is single-valued but holds a list")
            for column in model.data["required"][kind]:
                if column in row and not row[column]:
                    problems.append(f"{kind} {row.get('id')}: required {column} is empty")

    category_of: dict[str, list[str]] = {}
    for row in nodes:
        node_id = row.get("id", "")
        if node_id in category_of:
            problems.append(f"node {node_id}: id given twice")
        if ":" not in node_id:
            problems.append(f"node {node_id}: id is not a CURIE")
        cats = _values(row, "category")
        category_of[node_id] = cats
        for cat in cats:
            if not model.is_category(cat):
                problems.append(f"node {node_id}: {cat} is not a concrete Biolink category")
        for xref in _values(row, "xref"):
            if xref.split(":", 1)[0] not in model.data["prefixes"]:
                problems.append(f"node {node_id}: xref {xref} has a prefix Biolink does not know")

    seen_edges: set[str] = set()
    levels, agents = model.data["enums"]["KnowledgeLevelEnum"], model.data["enums"]["AgentTypeEnum"]
    for row in edges:
        edge_id, s, p, o = row.get("id", ""), row.get("subject", ""), row.get("predicate", ""), row.get("object", "")
        where = f"edge {edge_id} ({s} {p} {o})"
        if edge_id in seen_edges:
            problems.append(f"{where}: id given twice")
        seen_edges.add(edge_id)
        for end in (s, o):
            if end not in category_of:
                problems.append(f"{where}: {end} is not a node")
        info = model.predicate(p)
        if info is None:
            problems.append(f"{where}: {p} is not a Biolink predicate")
            continue
        if info["deprecated"]:
            problems.append(f"{where}: {p} is deprecated in Biolink {model.version}")
        if row.get("knowledge_level") not in levels:
            problems.append(f"{where}: knowledge_level {row.get('knowledge_level')!r} is not in KnowledgeLevelEnum")
        if row.get("agent_type") not in agents:
            problems.append(f"{where}: agent_type {row.get('agent_type')!r} is not in AgentTypeEnum")
        if not row.get("primary_knowledge_source", "infores:").startswith("infores:"):
            problems.append(f"{where}: primary_knowledge_source is not an infores CURIE")
        s_cats, o_cats = category_of.get(s, []), category_of.get(o, [])
        for end, cats, want in (("subject", s_cats, info["domain"]), ("object", o_cats, info["range"])):
            if want and cats and not any(model.is_a(c, want) for c in cats):
                problems.append(f"{where}: {end} category {'|'.join(cats)} is outside {p}'s "
                                f"{'domain' if end == 'subject' else 'range'} {want}")
        for assoc in _values(row, "category"):
            rule = model.association(assoc)
            if rule is None:
                problems.append(f"{where}: {assoc} is not a Biolink association")
                continue
            for end, cats, want in (("subject", s_cats, rule["subject"]), ("object", o_cats, rule["object"])):
                if want and cats and not any(model.is_a(c, want) for c in cats):
                    problems.append(f"{where}: {assoc} wants a {want} {end}, not {'|'.join(cats)}")
            if rule["predicates"] is not None and p not in rule["predicates"]:
                problems.append(f"{where}: {assoc} allows only {', '.join(rule['predicates'])}")
            if rule["predicate_parent"] and rule["predicate_parent"] not in model.predicate_ancestors(p):
                problems.append(f"{where}: {assoc} wants a predicate under {rule['predicate_parent']}")
    return problems


def to_kgx(graph: Graph, vocabulary: Graph, model: BiolinkModel | None = None) -> dict[str, str]:
    """The node and edge files, checked against the pinned Biolink model (a DataError lists every problem)."""
    model = model or load()
    view = build_view(graph, vocabulary, model)
    nodes, edges = to_tsv(view.nodes, NODE_COLUMNS), to_tsv(view.edges, EDGE_COLUMNS)
    problems = check(nodes, edges, model)
    if problems:
        raise DataError(f"the Biolink view does not conform to Biolink {model.version}:\n  - "
                        + "\n  - ".join(problems),
                        hint="fix the Biolink mappings of the smakg classes and properties in ontology/smakg.ttl")
    return {NODES: nodes, EDGES: edges}
