"""The readable page of one entity: it answers first (a summary: what it is, its names, genes and loci,
inheritance, onset, course, key features with how each source words them, cross-references), then proves (sections
by kind, each fact once with all its sources, and its quotes, qualifiers and curator notes one click away).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from smakg.kb.terms import sorted_terms
from smakg.kb.vocab import BIBO, HP_PHENOTYPIC_ABNORMALITY, ID, OA, OBOINOWL, SMAKG, XREF_PREFIXES, compress_iri
from smakg.web.html import Paths, document, esc, link
from smakg.web.view import QUALIFIER_PROPERTIES, Fact, Labels, facts

OUT, IN = "out", "in"
# Names of the standard predicates a page shows (ours have their labels in the vocabulary).
PREDICATE_WORDS: dict[Node, str] = {
    SKOS.altLabel: "alias", SKOS.prefLabel: "preferred name", SKOS.exactMatch: "exact match",
    SKOS.closeMatch: "close match", SKOS.broadMatch: "broader match", SKOS.narrowMatch: "narrower match",
    SKOS.relatedMatch: "related match", RDFS.label: "name", RDFS.comment: "curator's note",
    RDFS.subClassOf: "subclass of", RDF.type: "kind", DCTERMS.title: "title", DCTERMS.references: "cites",
    DCTERMS.publisher: "publisher", DCTERMS.issued: "issued", DCTERMS.modified: "last updated",
    DCTERMS.bibliographicCitation: "citation", DCTERMS.description: "description", DCTERMS.license: "licence",
    BIBO.pmid: "PubMed ID", BIBO.doi: "DOI", SKOS.definition: "definition", OWL.sameAs: "same as"}
_XREF = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch)
_NOT_EXACT = {OBOINOWL.hasRelatedSynonym, OBOINOWL.hasBroadSynonym, OBOINOWL.hasNarrowSynonym}  # an alias's scope
_KEY_ROLES = {"hallmark", "first symptom", "early symptom", "most noticeable", "typically"}

# The sections of the proof, in page order: (anchor, heading, [(predicate, direction)]). A fact goes to the first
# section that names its predicate and direction; negated facts go to "What is not the case"; the rest to "Other".
SECTIONS: tuple[tuple[str, str, tuple[tuple[Node, str], ...]], ...] = (
    ("names", "Names", ((SKOS.altLabel, OUT), (SKOS.prefLabel, OUT), (SMAKG.approvedName, OUT))),
    ("classification", "Classification and cross-references",
     ((SMAKG.subtypeOf, OUT), (SMAKG.subtypeOf, IN), (SMAKG.hasRarity, OUT), *((p, OUT) for p in _XREF))),
    ("genes", "Genes and loci", ((SMAKG.isCausalGeneFor, IN), (SMAKG.modifiesSeverityOf, IN),
                                 (SMAKG.isCausalGeneFor, OUT), (SMAKG.modifiesSeverityOf, OUT),
                                 (SMAKG.locatedIn, OUT), (SMAKG.locatedIn, IN), (SMAKG.partOf, OUT),
                                 (SMAKG.partOf, IN), (SMAKG.involvedIn, OUT))),
    ("inheritance", "Inheritance and onset", ((SMAKG.hasInheritanceMode, OUT), (SMAKG.hasOnset, OUT))),
    ("phenotypes", "Phenotypes", ((SMAKG.hasPhenotype, OUT),)),
    ("course", "Course, prognosis and care", ((SMAKG.hasClinicalCourse, OUT), (SMAKG.hasClinicalModifier, OUT),
                                              (SMAKG.hasTreatment, OUT), (SMAKG.causedBy, OUT))),
    ("diagnosis", "Diagnosis", ((SMAKG.hasDiagnosticMethod, OUT),)),
    ("conditions", "Conditions that have it", tuple((p, IN) for p in (
        SMAKG.hasPhenotype, SMAKG.hasInheritanceMode, SMAKG.hasOnset, SMAKG.hasClinicalCourse,
        SMAKG.hasClinicalModifier, SMAKG.hasDiagnosticMethod, SMAKG.hasTreatment, SMAKG.causedBy,
        SMAKG.hasRarity))),
)
_SOURCE_FIELDS = (DCTERMS.bibliographicCitation, SMAKG.sourceKind, DCTERMS.publisher, SMAKG.printedDate,
                  SMAKG.printedVersion, DCTERMS.issued, DCTERMS.modified, SMAKG.releaseDate, BIBO.pmid, BIBO.doi)


@dataclass
class Page:
    """What the renderer needs besides the graph: names, where pages are, the way to the site's top, and the
    diagram of this entity (its file name beside the page and its text alternative) when it has one."""

    labels: Labels
    paths: Paths
    root: str
    stem: str = ""  # the page's file name without .html: its data forms are STEM.ttl and STEM.jsonld beside it
    diagram: tuple[str, str] | None = None
    _links: dict[Node, str] = field(default_factory=dict, init=False, repr=False)  # a(): an IRI's link, once

    def a(self, node: Node | None) -> str:
        """A term as HTML: a literal as text, an IRI as a link to its page here (or to itself when it is a web
        address and has no page here), with its CURIE when that differs from its name."""
        if node is None:
            return ""
        if isinstance(node, Literal):
            lang = f' <span class="tag">@{esc(node.language)}</span>' if node.language else ""
            return esc(str(node)) + lang
        if isinstance(node, BNode):
            return "[]"
        known = self._links.get(node)
        if known is not None:
            return known
        iri = str(node)
        name = PREDICATE_WORDS.get(node) or self.labels.name(node)
        curie = compress_iri(iri)
        ours = iri.startswith((ID, str(SMAKG)))  # our own names need no code; an imported term shows its CURIE
        code = f" <code>{esc(curie)}</code>" if curie and curie != name and not ours else ""
        path = self.paths.of(iri)
        if path is None and iri.startswith(ID):  # a part of a statement (evidence, selector): no page of its own
            html = self._links[node] = esc(name) + code
            return html
        html = self._links[node] = link(self.root + path if path else iri, name) + code
        return html

    def named(self, node: Node) -> str:
        """A term by its name alone, linked like ``a`` (a synonym's scope and type, say)."""
        iri = str(node)
        path = self.paths.of(iri)
        return link(self.root + path if path else iri, self.labels.name(node))

    def xref(self, node: Node) -> str:
        """A cross-reference as its CURIE linked to its web address (the CURIE's expansion)."""
        iri = str(node)
        return link(iri, compress_iri(iri) or iri, cls="xref")


def _section_of(fact: Fact, node: URIRef) -> str:
    if fact.negated:
        return "not"
    for key, _, rules in SECTIONS:
        for predicate, direction in rules:
            if fact.predicate == predicate and (fact.subject if direction == OUT else fact.object) == node:
                return key
    return "other"


def _q(word: str) -> str:
    """A qualifier word as a tag; a reworded value (a duration) keeps the data's own form in its title."""
    raw = getattr(word, "raw", "")
    title = f' title="{esc(raw)}"' if raw else ""
    return f'<span class="tag q"{title}>{esc(word)}</span>'


def _words(fact: Fact) -> list[str]:
    """Every qualifier word the sources use for a fact, once each, in order."""
    seen: dict[str, str] = {}
    for e in fact.evidence:
        for w in e.qualifiers:
            seen.setdefault(w, w)
    return list(seen.values())


INFERRED = ('<span class="tag inferred" title="ECO:0000305: drawn by the curator, not stated by the source">'
            "curator's inference</span>")


def fact_row(fact: Fact, page: Page, node: URIRef, *, relation: bool = True, extra: str = "") -> str:
    """One fact as a table row: relation, the other end, how it is worded, its sources, and (one click away) each
    source's quote and qualifiers, the curator's notes and the statement's own page."""
    other = fact.object if fact.subject == node else fact.subject
    value = page.a(other)
    if fact.subject != node and fact.object != node:  # a source's statement: the whole triple
        value = f"{page.a(fact.subject)} · {page.a(fact.predicate)} · {page.a(fact.object)}"
    value += "".join(f' <span class="tag">{page.named(t)}</span>' for t in fact.tags) + extra
    if fact.negated:
        value = '<span class="tag not">not</span> ' + value
    if fact.inferred:
        value += " " + INFERRED
    words = " ".join(_q(w) for w in _words(fact))
    sources = ", ".join(page.a(s) for s in fact.sources)
    proofs = []
    for e in fact.evidence:
        lead = f'<span class="prefix" title="the text just before the quote">…{esc(e.prefix)}</span>' \
            if e.prefix else ""
        quote = f"<blockquote>{lead}{esc(e.quote)}</blockquote>" if e.quote else ""
        tags = "".join(" " + _q(w) for w in e.qualifiers)
        kind = f' <span class="eco">{page.a(e.kind)}</span>' if e.kind is not None else ""
        inferred = ' <span class="tag inferred">curator\'s inference</span>' if e.inferred else ""
        via = f' <span class="via">quoted via {", ".join(page.a(v) for v in e.via)}</span>' if e.via else ""
        cites = (f'<p class="cites">The quote cites: {", ".join(page.a(c) for c in e.cites)}</p>'
                 if e.cites else "")
        proofs.append(f"<li>{page.a(e.source)}{via}{tags}{inferred}{kind}{quote}{cites}</li>")
    notes = "".join(f'<p class="note"><strong>Curator\'s note:</strong> {esc(n)}</p>' for n in fact.notes)
    if fact.see_also:
        notes += f'<p class="see">See also: {", ".join(page.a(x) for x in fact.see_also)}</p>'
    st_path = page.paths.of(str(fact.statement))
    st_link = link(page.root + st_path, "the statement's page") if st_path else ""
    count = len(fact.evidence)
    details = (f"<details><summary>{count} {'quote' if count == 1 else 'quotes'}"
               f"{' and notes' if fact.notes else ''}</summary><ul>{''.join(proofs)}</ul>{notes}"
               f'<p class="st">{st_link}</p></details>')
    rel = f"<td>{page.a(fact.predicate)}</td>" if relation else ""
    return (f'<tr id="{esc(fact.anchor)}">{rel}<td>{value}</td><td>{words}</td><td>{sources}</td>'
            f"<td>{details}</td></tr>")


def fact_table(rows: Iterable[Fact], page: Page, node: URIRef, *, relation: bool = True,
               extra: Callable[[Fact], str] | None = None) -> str:
    head = ("<th scope=\"col\">Relation</th>" if relation else "") + "".join(
        f'<th scope="col">{h}</th>' for h in ("Value", "How the sources put it", "Sources", "Quotes and notes"))
    body = "".join(fact_row(f, page, node, relation=relation, extra=extra(f) if extra else "") for f in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _sort(rows: list[Fact], page: Page, node: URIRef) -> list[Fact]:
    def key(f: Fact) -> tuple[str, str, str]:
        other = f.object if f.subject == node else f.subject
        return (page.labels.name(f.predicate), page.labels.name(other).lower(), str(f.statement))
    return sorted(rows, key=key)


def body_systems(graph: Graph, term: Node) -> list[Node]:
    """The HPO body systems (direct subclasses of HP:0000118) above a term, sorted by label; [] for a term outside
    HPO's phenotypic abnormalities."""
    found: set[Node] = set()
    seen: set[Node] = set()
    todo = [term]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        for parent in graph.objects(current, RDFS.subClassOf):
            if parent == HP_PHENOTYPIC_ABNORMALITY:
                found.add(current)
            else:
                todo.append(parent)
    return sorted(found, key=lambda n: (str(graph.value(n, RDFS.label)), str(n)))


def _system_name(graph: Graph, system: Node) -> str:
    label = str(graph.value(system, RDFS.label) or compress_iri(str(system)) or system)
    for lead in ("Abnormality of the ", "Abnormality of "):
        if label.startswith(lead):
            return label.removeprefix(lead)[:1].upper() + label.removeprefix(lead)[1:]
    return label


def phenotype_sections(rows: list[Fact], graph: Graph, page: Page, node: URIRef) -> str:
    """The phenotypes grouped by HPO body system (each under the first of its systems by name, the others named
    beside it); features without an HPO term under their own heading."""
    groups: dict[str, list[Fact]] = defaultdict(list)
    also: dict[URIRef, str] = {}
    for fact in rows:
        systems = body_systems(graph, fact.object)
        if systems:
            groups[_system_name(graph, systems[0])].append(fact)
            if len(systems) > 1:
                also[fact.statement] = (' <span class="also">also: '
                                        + esc(", ".join(_system_name(graph, s) for s in systems[1:])) + "</span>")
        else:
            groups["~"].append(fact)
    parts = []
    for name in sorted(groups):
        heading = "Features without an HPO body system" if name == "~" else name
        parts.append(f"<h3>{esc(heading)} ({len(groups[name])})</h3>"
                     + fact_table(groups[name], page, node, relation=False,
                                  extra=lambda f: also.get(f.statement, "")))
    return "".join(parts)


def _loci(graph: Graph, gene: Node) -> list[tuple[Node, Node | None]]:
    """A gene's loci with their chromosomes; a chromosome that is already named as the chromosome of a band is
    not listed again."""
    loci = sorted_terms(graph.objects(gene, SMAKG.locatedIn))
    covered = {graph.value(lc, SMAKG.partOf) for lc in loci}
    return [(lc, graph.value(lc, SMAKG.partOf)) for lc in loci if lc not in covered]


def summary_entry(fact: Fact, page: Page, shown: str) -> str:
    """One entry of the summary: ``shown`` (the other end of the fact, as HTML), every qualifier word its sources
    use and the curator-inference mark, exactly as the fact's row below has them, and a link to that row."""
    words = "".join(" " + _q(w) for w in _words(fact))
    inferred = " " + INFERRED if fact.inferred else ""
    n = len(fact.sources)
    return (f'<span class="entry" data-statement="{esc(fact.anchor)}">{shown}{words}{inferred} '
            f'<a class="proof" href="#{esc(fact.anchor)}">{n} {"source" if n == 1 else "sources"}</a></span>')


def _summary_item(label: str, facts_: list[Fact], page: Page, node: URIRef) -> str:
    if not facts_:
        return ""
    items = [summary_entry(f, page, page.a(f.object if f.subject == node else f.subject)) for f in facts_]
    return f"<dt>{esc(label)}</dt><dd>{'; '.join(items)}</dd>"


def _pick(all_: list[Fact], predicate: Node, direction: str, node: URIRef) -> list[Fact]:
    return [f for f in all_ if not f.negated and f.predicate == predicate
            and (f.subject if direction == OUT else f.object) == node]


def _xrefs(graph: Graph, node: URIRef, page: Page) -> str:
    refs = sorted_terms(o for p in _XREF for o in graph.objects(node, p) if isinstance(o, URIRef))
    order = {p: i for i, p in enumerate(XREF_PREFIXES)}

    def key(o: Node) -> tuple[int, str]:
        curie = compress_iri(str(o)) or ""
        return (order.get(curie.split(":")[0], len(order)), curie)
    links = [page.xref(o) for o in sorted(refs, key=key)]
    return f"<dt>Cross-references</dt><dd>{' · '.join(links)}</dd>" if links else ""


def summary(graph: Graph, node: URIRef, all_: list[Fact], page: Page) -> str:
    """The answer-first summary: a definition list of what matters most about the entity, each fact linked to its
    proof below."""
    labels = page.labels
    kinds = set(graph.objects(node, RDF.type))
    parts = []
    types = ", ".join(page.a(t) for t in sorted_terms(kinds))
    if types:
        parts.append(f"<dt>What it is</dt><dd>{types}</dd>")
    for p in (SKOS.definition, DCTERMS.description, RDFS.comment):
        for text in sorted(str(o) for o in graph.objects(node, p)):
            parts.append(f"<dt>{'Curator’s note' if p == RDFS.comment else 'Definition'}</dt><dd>{esc(text)}</dd>")
    related = {str(f.object) for f in all_ if f.subject == node and f.predicate == SKOS.altLabel
               and not f.negated and _NOT_EXACT & set(f.tags)}
    aliases = sorted({str(a) for a in graph.objects(node, SKOS.altLabel)} - related, key=str.lower)
    if aliases:
        parts.append(f"<dt>Also called</dt><dd>{esc(', '.join(aliases))}</dd>")
    if related:
        parts.append(f"<dt>Related names</dt><dd>{esc(', '.join(sorted(related, key=str.lower)))}</dd>")
    approved = graph.value(node, SMAKG.approvedName)
    if approved is not None:
        parts.append(f"<dt>Approved name</dt><dd>{esc(str(approved))}</dd>")
    if SMAKG.Condition in kinds:
        parts.append(_summary_item("A form of", _pick(all_, SMAKG.subtypeOf, OUT, node), page, node))
        parts.append(_summary_item("Forms", _pick(all_, SMAKG.subtypeOf, IN, node), page, node))
        parts.append(_summary_item("Rarity", _pick(all_, SMAKG.hasRarity, OUT, node), page, node))
        for label, pred in (("Caused by variants in", SMAKG.isCausalGeneFor), ("Severity modified by",
                                                                            SMAKG.modifiesSeverityOf)):
            genes = _pick(all_, pred, IN, node)
            if genes:
                items = []
                for f in genes:
                    loci = _loci(graph, f.subject)
                    where = ", ".join(page.a(lc) + (f" on {page.a(ch)}" if ch is not None else "") for lc, ch in loci)
                    items.append(summary_entry(f, page, page.a(f.subject) + (" at " + where if where else "")))
                parts.append(f"<dt>{label}</dt><dd>{'; '.join(items)}</dd>")
        parts.append(_summary_item("Inheritance", _pick(all_, SMAKG.hasInheritanceMode, OUT, node), page, node))
        parts.append(_summary_item("Onset", _pick(all_, SMAKG.hasOnset, OUT, node), page, node))
        parts.append(_summary_item("Course", _pick(all_, SMAKG.hasClinicalCourse, OUT, node), page, node))
        features = _pick(all_, SMAKG.hasPhenotype, OUT, node)
        key = [f for f in features if _KEY_ROLES & set(_words(f))]
        parts.append(_summary_item("Key features", key, page, node))
        if features:
            parts.append(f'<dt>All features</dt><dd><a href="#phenotypes">{len(features)} phenotypes</a>, '
                         "grouped by body system below</dd>")
    if SMAKG.Gene in kinds:
        loci = _loci(graph, node)
        if loci:
            where = ", ".join(page.a(lc) + (f" on {page.a(ch)}" if ch is not None else "") for lc, ch in loci)
            parts.append(f"<dt>Location</dt><dd>{where}</dd>")
        parts.append(_summary_item("Causes", _pick(all_, SMAKG.isCausalGeneFor, OUT, node), page, node))
        parts.append(_summary_item("Modifies the severity of", _pick(all_, SMAKG.modifiesSeverityOf, OUT, node),
                                   page, node))
        parts.append(_summary_item("Involved in", _pick(all_, SMAKG.involvedIn, OUT, node), page, node))
    if SMAKG.ChromosomeLocus in kinds:
        parts.append(_summary_item("Part of", _pick(all_, SMAKG.partOf, OUT, node), page, node))
        parts.append(_summary_item("Bands", _pick(all_, SMAKG.partOf, IN, node), page, node))
        parts.append(_summary_item("Genes here", _pick(all_, SMAKG.locatedIn, IN, node), page, node))
    if not kinds & {SMAKG.Condition, SMAKG.Gene, SMAKG.ChromosomeLocus, SMAKG.Source}:
        systems = body_systems(graph, node)
        if systems:
            parts.append("<dt>Body system</dt><dd>" + ", ".join(page.a(s) for s in systems) + "</dd>")
        parents = sorted_terms(o for o in graph.objects(node, RDFS.subClassOf) if isinstance(o, URIRef))
        if parents:
            parts.append("<dt>Broader terms</dt><dd>" + ", ".join(page.a(p) for p in parents) + "</dd>")
        for pred, label in ((SMAKG.hasPhenotype, "Conditions with this feature"),
                            (SMAKG.hasInheritanceMode, "Conditions inherited this way"),
                            (SMAKG.hasOnset, "Conditions with this onset"),
                            (SMAKG.hasClinicalCourse, "Conditions with this course"),
                            (SMAKG.hasDiagnosticMethod, "Diagnosis of"), (SMAKG.hasTreatment, "Treatment of")):
            parts.append(_summary_item(label, _pick(all_, pred, IN, node), page, node))
    if SMAKG.Source in kinds:
        for p in _SOURCE_FIELDS:
            for o in sorted_terms(graph.objects(node, p)):
                parts.append(f"<dt>{esc(labels.name(p))}</dt><dd>{page.a(o)}</dd>")
        cited = sorted_terms(graph.objects(node, DCTERMS.references))
        if cited:
            parts.append("<dt>Works it cites</dt><dd><ul>" + "".join(f"<li>{page.a(c)}</li>" for c in cited)
                         + "</ul></dd>")
        citing = sorted_terms(graph.subjects(DCTERMS.references, node))
        if citing:
            parts.append("<dt>Cited by</dt><dd><ul>" + "".join(f"<li>{_citer(graph, c, page)}</li>" for c in citing)
                         + "</ul></dd>")
        stated = [f for f in all_ if node in f.sources]
        if stated:
            parts.append(f'<dt>What it states</dt><dd><a href="#stated">{len(stated)} statements</a></dd>')
    parts.append(_xrefs(graph, node, page))
    return f'<dl class="summary">{"".join(parts)}</dl>'


def _citer(graph: Graph, citing: Node, page: Page) -> str:
    """Who cites a work: a source, or a quote (evidence) that cites it, shown as its source and a link to the
    statement the quote supports (evidence has no page of its own)."""
    statement = graph.value(None, SMAKG.evidence, citing)
    if statement is None:
        return page.a(citing)
    source = graph.value(citing, OA.hasSource)
    parts = [graph.value(statement, p) for p in (RDF.subject, RDF.predicate, RDF.object)]
    triple = " · ".join(PREDICATE_WORDS.get(t) or page.labels.name(t) for t in parts if t is not None)
    path = page.paths.of(str(statement))
    target = link(page.root + path, triple) if path else esc(triple)
    return f"{page.a(source)}, in a quote supporting {target}"


def _figure(page: Page) -> str:
    if page.diagram is None:
        return ""
    name, alt = page.diagram
    if not name:  # no Graphviz where the page was made: the text alone
        return (f'<figure class="diagram"><figcaption><p class="hint">The diagram needs Graphviz (dot), which is not '
                f"installed here; as text:</p><p>{esc(alt)}</p></figcaption></figure>")
    return (f'<figure class="diagram"><img src="{esc(name)}" alt="{esc(alt)}">'
            f"<figcaption><details><summary>The diagram as text</summary><p>{esc(alt)}</p></details>"
            "</figcaption></figure>")


def entity_html(graph: Graph, iri: str, page: Page) -> str:
    """The page of one entity from its page graph (view.page_graph)."""
    node = URIRef(iri)
    labels = page.labels
    title = labels.name(node)
    all_ = facts(graph, labels)
    curie = compress_iri(iri) or iri
    head = (f"<h1>{esc(title)}</h1>"
            f'<p class="iri"><code>{esc(curie)}</code> · {link(iri, iri)}</p>')
    if (node, RDF.type, SMAKG.Statement) in graph:
        return document(title, head + statement_body(graph, node, all_, page) + _alternates(page), root=page.root)
    own = [f for f in all_ if node in (f.subject, f.object)]
    stated = [f for f in all_ if node in f.sources and node not in (f.subject, f.object)]
    sections: dict[str, list[Fact]] = defaultdict(list)
    for fact in own:
        sections[_section_of(fact, node)].append(fact)
    parts = [head, '<section aria-labelledby="summary"><h2 id="summary">Summary</h2>',
             summary(graph, node, all_, page), _figure(page), "</section>"]
    toc = []
    for key, heading, _ in (*SECTIONS, ("not", "What is not the case", ()), ("other", "Other statements", ())):
        rows = _sort(sections.get(key, []), page, node)
        if not rows:
            continue
        toc.append(f'<a href="#{key}">{esc(heading)} ({len(rows)})</a>')
        if key == "phenotypes":
            content = phenotype_sections(rows, graph, page, node)
        else:
            content = fact_table(rows, page, node)
        parts.append(f'<section><h2 id="{key}">{esc(heading)} ({len(rows)})</h2>{content}</section>')
    if stated:
        toc.append(f'<a href="#stated">What this source states ({len(stated)})</a>')
        groups: dict[str, list[Fact]] = defaultdict(list)
        for f in stated:
            groups[labels.name(f.predicate)].append(f)
        content = "".join(f"<h3>{esc(name)} ({len(rows)})</h3>"
                          + fact_table(sorted(rows, key=lambda f: (labels.name(f.subject), labels.name(f.object))),
                                       page, node, relation=False) for name, rows in sorted(groups.items()))
        parts.append(f'<section><h2 id="stated">What this source states ({len(stated)})</h2>{content}</section>')
    parts.append(_properties(graph, node, page, {f.statement for f in all_}))
    if toc:
        parts.insert(1, f'<nav class="toc" aria-label="sections">{" · ".join(toc)}</nav>')
    parts.append(_alternates(page))
    return document(title, "".join(parts), root=page.root)


def _properties(graph: Graph, node: URIRef, page: Page, statements: set[URIRef]) -> str:
    """Every other triple of the entity (not carried by a statement), so nothing in its description is hidden."""
    stated = {(f, p, o) for f, p, o in ((graph.value(st, RDF.subject), graph.value(st, RDF.predicate),
                                        graph.value(st, RDF.object)) for st in statements)}
    rows = sorted(((p, o) for p, o in graph.predicate_objects(node)
                   if (node, p, o) not in stated and p not in (RDFS.label, SKOS.altLabel, OWL.sameAs)),
                  key=lambda po: (page.labels.name(po[0]), str(po[1])))
    incoming = sorted({(s, p) for s, p in graph.subject_predicates(node)
                       if s not in statements and p not in (RDF.subject, RDF.object)
                       and (s, p, node) not in stated and isinstance(s, URIRef)},
                      key=lambda sp: (page.labels.name(sp[1]), str(sp[0])))
    if not rows and not incoming:
        return ""
    body = "".join(f"<tr><td>{page.a(p)}</td><td>{page.a(o)}</td></tr>" for p, o in rows)
    body += "".join(f"<tr><td>{page.a(s)} {page.a(p)} this</td><td></td></tr>" for s, p in incoming
                    if page.paths.of(str(s)) is not None)
    return ('<section><h2 id="properties">All its properties</h2><table><thead><tr><th scope="col">Property</th>'
            f'<th scope="col">Value</th></tr></thead><tbody>{body}</tbody></table></section>')


def statement_body(graph: Graph, node: URIRef, all_: list[Fact], page: Page) -> str:
    """A statement's own page: the triple in words, then every source's quote and qualifiers, open."""
    fact = next((f for f in all_ if f.statement == node), None)
    if fact is None:
        return ""
    sentence = (f"<p class=\"triple\">{'<strong>Not:</strong> ' if fact.negated else ''}{page.a(fact.subject)} · "
                f"{page.a(fact.predicate)} · {page.a(fact.object)}</p>")
    table = fact_table([fact], page, node).replace("<details>", "<details open>")
    return sentence + table + _remaining(graph, fact, page)


# What a statement's page shows already, by the kind of node: the rest of their triples go in its property table.
_SHOWN_OF_STATEMENT = (RDF.type, RDF.subject, RDF.predicate, RDF.object, SMAKG.evidence, RDFS.comment, SMAKG.negated,
                       SMAKG.synonymScope, OBOINOWL.hasSynonymType, RDFS.seeAlso)
_SHOWN_OF_EVIDENCE = (RDF.type, OA.hasSource, OA.hasSelector, SMAKG.evidenceType, DCTERMS.references,
                      SMAKG.quotedVia, *QUALIFIER_PROPERTIES)
_SHOWN_OF_SELECTOR = (RDF.type, OA.exact, OA.prefix)


def _remaining(graph: Graph, fact: Fact, page: Page) -> str:
    """Every triple of the statement, its evidence and their quote selectors that the row above does not show."""
    node = fact.statement
    sources = set(fact.sources)
    rows: list[tuple[Node, Node, Node]] = [
        (node, p, o) for p, o in graph.predicate_objects(node) if p not in _SHOWN_OF_STATEMENT
            and not (p == PROV.wasDerivedFrom and o in sources)]
    for ev in sorted_terms(graph.objects(node, SMAKG.evidence)):
        rows += [(ev, p, o) for p, o in graph.predicate_objects(ev) if p not in _SHOWN_OF_EVIDENCE]
        for sel in sorted_terms(graph.objects(ev, OA.hasSelector)):
            rows += [(sel, p, o) for p, o in graph.predicate_objects(sel) if p not in _SHOWN_OF_SELECTOR]
    if not rows:
        return ""
    body = "".join(f"<tr><td>{esc(compress_iri(str(s)) or str(s))}</td><td>{page.a(p)}</td><td>{page.a(o)}</td></tr>"
                   for s, p, o in sorted(rows, key=lambda t: (str(t[0]), str(t[1]), str(t[2]))))
    return ('<section><h2 id="properties">All its other properties</h2><table><thead><tr><th scope="col">Node</th>'
            f'<th scope="col">Property</th><th scope="col">Value</th></tr></thead><tbody>{body}</tbody></table>'
            "</section>")


def _alternates(page: Page) -> str:
    if not page.stem:
        return ""
    return (f'<p class="alt">This page as data: {link(page.stem + ".ttl", "Turtle")} · '
            f'{link(page.stem + ".jsonld", "JSON-LD")}</p>')

