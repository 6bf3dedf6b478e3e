"""The site: every page as a file at a path (``index.html``, ``id/condition/smard1.html``, its ``.svg``, ``.ttl``
and ``.jsonld``, ``term/HP_0002098.html``, ``vocab.html``, ``search.json``, ``static/...``). ``smakg serve`` answers
these paths with ``Site.render`` and ``smakg site OUT`` writes them all with the same function, so a served page
and its file are the same bytes. Links are relative, so the files work from any static host.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from importlib.resources import files
from pathlib import Path
from urllib.parse import urlencode

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from smakg import __version__
from smakg.files import write_folder
from smakg.kb.terms import sorted_terms
from smakg.kb.turtle import to_ntriples
from smakg.kb.vocab import DATASET, GO, HP, IANA_MEDIA_TYPES, ID, SMAKG, SO, SPDX, XREF_PREFIXES, compress_iri
from smakg.project import Project
from smakg.sparql.query import Engine, graph_text
from smakg.web.diagram import Diagram, condition_diagram, dot_available, gene_diagram, render_svg
from smakg.web.entity import Page, _system_name, body_systems, entity_html
from smakg.web.html import Paths, document, esc, link
from smakg.web.jobs import SiteInputs
from smakg.web.pages import EXAMPLE, describe, is_empty, prefix_table
from smakg.web.view import Labels, page_graph

HTML = "text/html; charset=utf-8"
MEDIA = {".html": HTML, ".svg": "image/svg+xml", ".ttl": "text/turtle; charset=utf-8",
         ".jsonld": "application/ld+json", ".json": "application/json", ".css": "text/css; charset=utf-8",
         ".js": "text/javascript; charset=utf-8"}
SITE_MARKER = ".smakg-site"  # an empty file in every site smakg writes: only such a folder is ever replaced
STATIC = ("static/favicon.svg", "static/search.js", "static/site.css")
TERM_SPACES = (str(HP), str(GO), str(SO))  # imported terms that get a page: HPO, GO, SO (with their labels)
_LIST_KINDS = ((SMAKG.Condition, "conditions", "Conditions"), (SMAKG.Gene, "genes", "Genes"),
               (SMAKG.ChromosomeLocus, "loci", "Chromosome loci"), (SMAKG.Phenotype, "phenotypes", "Phenotypes"),
               (SMAKG.ClinicalCourse, "courses", "Clinical courses"),
               (SMAKG.DiagnosticMethod, "methods", "Diagnostic methods"), (SMAKG.Treatment, "treatments",
                                                                            "Treatments"),
               (SMAKG.CausalFactor, "factors", "Causal factors"), (SMAKG.Source, "sources", "Sources"))


def _static(name: str) -> bytes:
    return files("smakg.web").joinpath(name).read_bytes()


class Site:
    """The pages of one graph (see the module docstring)."""

    def __init__(self, engine: Engine, inputs: SiteInputs) -> None:
        self.engine = engine
        self.inputs = inputs
        self.vocabulary = Graph()
        if inputs.vocabulary:
            self.vocabulary.parse(data=inputs.vocabulary, format="nt")
        self.vocab_labels = {str(s): str(o) for s, o in self.vocabulary.subject_objects(RDFS.label)}
        terms = {str(s) for s, _, _ in engine.triples(None, RDFS.label, None)
                 if isinstance(s, URIRef) and str(s).startswith(TERM_SPACES)}
        self.paths = Paths(terms)
        self.dot = dot_available()

    # ---- the list of files ----------------------------------------------------------------------------------
    def entities(self) -> list[str]:
        """Every IRI with a page: entities and statements of ours, and the imported terms."""
        found = {str(s) for s, _, _ in self.engine.triples(None, RDF.type, None) if isinstance(s, URIRef)}
        if any(True for _ in self.engine.triples(URIRef(DATASET), None, None)):  # a --data graph may have none
            found.add(DATASET)
        ours = sorted(i for i in found if i.startswith(ID) and self.paths.of(i))
        return ours + sorted(self.paths.terms)

    def paths_list(self) -> list[str]:
        """Every file of the site, sorted."""
        out = ["index.html", "vocab.html", "search.json", *STATIC]
        for iri in self.entities():
            page = self.paths.of(iri)
            assert page is not None
            stem = page.removesuffix(".html")
            out += [page, stem + ".ttl"] + ([stem + ".jsonld"] if self.inputs.context else [])
            if self.dot and self._diagram_kind(iri):
                out.append(stem + ".svg")
        return sorted(out)

    # ---- one file -------------------------------------------------------------------------------------------
    def render(self, path: str) -> tuple[str, bytes] | None:
        """The media type and bytes of the file at ``path``, or None when the site has no such file."""
        suffix = os.path.splitext(path)[1]
        if path in STATIC:
            return MEDIA[suffix], _static(path)
        if path == "index.html":
            return HTML, self.landing().encode("utf-8")
        if path == "vocab.html":
            return HTML, self.vocabulary_page().encode("utf-8")
        if path == "search.json":
            return MEDIA[".json"], self.search_index().encode("utf-8")
        iri = self._iri(path.removesuffix(suffix))
        if iri is None or suffix not in (".html", ".svg", ".ttl", ".jsonld"):
            return None
        if suffix == ".html":
            body = self.entity_page(iri)
            return None if body is None else (HTML, body.encode("utf-8"))
        if suffix == ".svg":
            diagram = self.diagram(iri)
            return None if diagram is None or not self.dot else (MEDIA[".svg"], render_svg(diagram))
        graph = describe(self.engine, iri)
        if is_empty(graph) or (suffix == ".jsonld" and not self.inputs.context):
            return None
        context = json.loads(self.inputs.context) if suffix == ".jsonld" else None
        return MEDIA[suffix], graph_text(to_ntriples(graph), suffix[1:], context=context).encode("utf-8")

    def _iri(self, stem: str) -> str | None:
        """The IRI whose page is ``stem``.html (``id/gene/SMN1`` or ``term/HP_0002098``)."""
        if stem.startswith("id/"):
            iri = ID + stem.removeprefix("id/")
            return iri if self.paths.of(iri) == stem + ".html" else None
        if stem.startswith("term/"):
            return self.paths.iri_of_term(stem.removeprefix("term/"))
        return None

    def _diagram_kind(self, iri: str) -> str | None:
        node = URIRef(iri)
        for kind, name in ((SMAKG.Condition, "condition"), (SMAKG.Gene, "gene")):
            if any(True for _ in self.engine.triples(node, RDF.type, kind)):
                return name
        return None

    def diagram(self, iri: str, graph: Graph | None = None) -> Diagram | None:
        kind = self._diagram_kind(iri)
        if kind is None:
            return None
        graph = graph if graph is not None else page_graph(self.engine, iri)
        if kind == "gene":
            return gene_diagram(graph, iri)
        systems: dict[str, int] = {}
        for o in graph.objects(URIRef(iri), SMAKG.hasPhenotype):
            found = body_systems(graph, o)
            name = _system_name(graph, found[0]) if found else "Other features"
            systems[name] = systems.get(name, 0) + 1
        return condition_diagram(graph, iri, systems)

    def entity_page(self, iri: str) -> str | None:
        graph = page_graph(self.engine, iri)
        if is_empty(graph):
            return None
        path = self.paths.of(iri)
        assert path is not None
        stem = path.rsplit("/", 1)[-1].removesuffix(".html")
        diagram = self.diagram(iri, graph)
        figure = None
        if diagram is not None:
            figure = (stem + ".svg" if self.dot else "", diagram.alt())
        page = Page(Labels(graph, self.vocab_labels), self.paths, "../" * path.count("/"), stem, figure)
        return entity_html(graph, iri, page)

    # ---- the landing page -----------------------------------------------------------------------------------
    def _label(self, node: Node) -> str:
        for p in (RDFS.label, DCTERMS.title):
            for _, _, o in self.engine.triples(node, p, None):
                return str(o)
        return compress_iri(str(node)) or str(node)

    def _of_kind(self, kind: Node) -> list[tuple[str, str]]:
        items = [(self._label(s), str(s)) for s, _, _ in self.engine.triples(None, RDF.type, kind)
                 if isinstance(s, URIRef) and self.paths.of(str(s))]
        return sorted(set(items), key=lambda li: (li[0].lower(), li[1]))

    def _list(self, kind: Node, anchor: str, heading: str) -> str:
        items = self._of_kind(kind)
        if kind == SMAKG.Phenotype:  # and the HPO terms some condition has
            hpo = {(self._label(o), str(o)) for _, _, o in self.engine.triples(None, SMAKG.hasPhenotype, None)
                   if self.paths.of(str(o))}
            items = sorted(set(items) | hpo, key=lambda li: (li[0].lower(), li[1]))
        if not items:
            return ""
        links = "".join(f"<li>{link(self.paths.of(i) or i, name)}</li>" for name, i in items)
        return f'<section><h2 id="{anchor}">{esc(heading)} ({len(items)})</h2><ul class="cols">{links}</ul></section>'

    def _questions(self) -> str:
        rows = []
        for name, text in self.inputs.queries:
            question = next((line.removeprefix("# Question:").strip() for line in text.splitlines()
                             if line.startswith("# Question:")), name)
            run = link("sparql?" + urlencode({"query": text}), "run")
            csv = link("sparql?" + urlencode({"query": text, "format": "csv"}), "CSV")
            rows.append(f"<li><strong>{esc(question)}</strong> {run} · {csv}<details><summary>{esc(name)}</summary>"
                        f"<pre>{esc(text)}</pre></details></li>")
        if not rows:
            return ""
        return ('<section><h2 id="questions">Competency questions</h2><p>The questions this graph answers, each a '
                "SPARQL query you can run here (on <code>smakg serve</code>) or read.</p>"
                f'<ol class="questions">{"".join(rows)}</ol></section>')

    def _downloads(self) -> str:
        if not self.inputs.void:
            return ('<section><h2 id="downloads">Downloads</h2><p>No release description (void.ttl) was found: '
                    "<code>smakg build</code> writes the release into dist/.</p></section>")
        void = Graph().parse(data=self.inputs.void, format="turtle")
        rows = []
        for dist in sorted_terms(void.subjects(RDF.type, DCAT.Distribution)):
            url = void.value(dist, DCAT.downloadURL)
            size = void.value(dist, DCAT.byteSize)
            media = void.value(dist, DCAT.mediaType)
            checksum = void.value(dist, SPDX.checksum)
            digest = void.value(checksum, SPDX.checksumValue) if checksum is not None else None
            name = str(void.value(dist, DCTERMS.title) or str(dist).rsplit("/", 1)[-1])
            mime = str(media).removeprefix(IANA_MEDIA_TYPES) if media is not None else ""
            rows.append(f"<tr><td>{link(str(url), name) if url is not None else esc(name)}</td>"
                        f"<td>{esc(mime)}</td><td>{esc(_size(size))}</td>"
                        f"<td><code>{esc(str(digest or ''))}</code></td></tr>")
        version = next((str(o) for o in void.objects(None, OWL.versionInfo)), "")
        return (f'<section><h2 id="downloads">Downloads{" (release " + esc(version) + ")" if version else ""}</h2>'
                '<p>Sizes and SHA-256 checksums as void.ttl states them.</p><table><thead><tr><th scope="col">File'
                '</th><th scope="col">Media type</th><th scope="col">Size</th><th scope="col">SHA-256</th></tr>'
                f"</thead><tbody>{''.join(rows)}</tbody></table></section>")

    def landing(self) -> str:
        description = next((str(o) for _, _, o in self.engine.triples(URIRef(DATASET), DCTERMS.description, None)),
                           "")
        search = ('<section><h2 id="search">Search</h2><form id="search-form" class="find" role="search" '
                  'method="get" action="find" data-index="search.json"><label for="search-q">Name, alias or '
                  'identifier</label> <input type="search" id="search-q" name="q" size="40" autocomplete="off" '
                  'placeholder="SMARD1, DSMA1, MONDO:0011436, HGNC:5542"> <button type="submit">Find</button>'
                  '</form><p id="search-status" class="hint" aria-live="polite">Type a name, an alias or an '
                  'identifier; the results appear as you type.</p><ul id="search-results"></ul></section>')
        query = ('<section><h2 id="query">Query</h2><p>Read-only SPARQL 1.1 at <code>sparql</code> when served by '
                 '<code>smakg serve</code> (a static copy of this site has no endpoint).</p>'
                 '<form method="get" action="sparql"><label for="query-text">SPARQL query</label>'
                 f'<textarea id="query-text" name="query" rows="8" cols="80">{esc(EXAMPLE)}</textarea><br>'
                 '<button type="submit">Run</button></form></section>')
        lists = "".join(self._list(kind, anchor, heading) for kind, anchor, heading in _LIST_KINDS)
        vocab = ('<section><h2 id="vocabulary">Vocabulary</h2><p>Every class, relation and value smakg uses, with '
                 f'definitions and mappings: {link("vocab.html", "the smakg vocabulary")}.</p></section>')
        body = (f"<h1>smakg: the spinal muscular atrophy knowledge graph</h1><p>{esc(description)}</p>"
                f"<p class=\"hint\">smakg {esc(__version__)} · {len(self.engine)} triples · every fact with the "
                "source that states it and a verbatim quote.</p>"
                + search + lists + self._questions() + query + self._downloads() + vocab + prefix_table())
        return document("Home", body, scripts=("static/search.js",))

    # ---- search index ---------------------------------------------------------------------------------------
    def search_index(self) -> str:
        """Every entity with a page (not statements): name, kind, page, aliases and identifiers (its CURIE and the
        CURIEs of its cross-references), for the search in the browser."""
        entries = []
        for iri in self.entities():
            if iri.startswith(ID + "statement/"):
                continue
            node = URIRef(iri)
            kinds = sorted(self.vocab_labels.get(str(o), compress_iri(str(o)) or str(o))
                           for _, _, o in self.engine.triples(node, RDF.type, None))
            aliases = sorted({str(o) for _, _, o in self.engine.triples(node, SKOS.altLabel, None)})
            ids = {compress_iri(iri) or iri}
            for p in (SKOS.exactMatch, SKOS.closeMatch):
                for _, _, o in self.engine.triples(node, p, None):
                    curie = compress_iri(str(o))
                    if curie and curie.split(":")[0] in XREF_PREFIXES:
                        ids.add(curie)
            entries.append({"n": self._label(node), "k": ", ".join(kinds) or "term", "u": self.paths.of(iri),
                            "a": aliases, "i": sorted(ids)})
        return json.dumps(entries, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"

    # ---- the vocabulary -------------------------------------------------------------------------------------
    def vocabulary_page(self) -> str:
        graph = self.vocabulary
        page = Page(Labels(graph, {}), self.paths, "")
        groups = (("Classes", OWL.Class), ("Object properties", OWL.ObjectProperty),
                  ("Datatype properties", OWL.DatatypeProperty), ("Annotation properties", OWL.AnnotationProperty))
        ontology = next(iter(graph.subjects(RDF.type, OWL.Ontology)), None)
        title = page.labels.name(ontology) if ontology is not None else "smakg vocabulary"
        parts = [f"<h1>{esc(title)}</h1>"]
        if ontology is not None:
            for p in (DCTERMS.description, OWL.versionInfo):
                parts += [f"<p>{esc(str(o))}</p>" for o in sorted_terms(graph.objects(ontology, p))]

        def term(node: Node) -> str:
            local = str(node).removeprefix(str(SMAKG))
            rows = [f"<tr><td>{page.a(p)}</td><td>{page.a(o)}</td></tr>"
                    for p, o in sorted(graph.predicate_objects(node)) if p not in (RDFS.label, SKOS.definition)]
            definition = graph.value(node, SKOS.definition) or graph.value(node, RDFS.comment)
            return (f'<h3 id="{esc(local)}">{esc(page.labels.name(node))} <code>smakg:{esc(local)}</code></h3>'
                    + (f"<p>{esc(str(definition))}</p>" if definition else "")
                    + (f"<table><tbody>{''.join(rows)}</tbody></table>" if rows else ""))

        grouped: set[Node] = set()
        toc = []
        for heading, kind in groups:
            nodes = sorted_terms(n for n in graph.subjects(RDF.type, kind) if str(n).startswith(str(SMAKG)))
            grouped.update(nodes)
            if nodes:
                anchor = "h-" + heading.split()[0].lower()
                toc.append(link("#" + anchor, heading))
                parts.append(f'<h2 id="{anchor}">{heading} ({len(nodes)})</h2>' + "".join(term(n) for n in nodes))
        rest = sorted_terms({s for s in graph.subjects() if isinstance(s, URIRef)
                             and str(s).startswith(str(SMAKG)) and s != SMAKG[""]} - grouped)
        if rest:
            toc.append(link("#h-values", "Values and other terms"))
            parts.append(f'<h2 id="h-values">Values and other terms ({len(rest)})</h2>'
                         + "".join(term(n) for n in rest))
        parts.insert(1, f'<nav class="toc" aria-label="sections">{" · ".join(toc)}</nav>')
        return document(title, "".join(parts))


def _size(size: Node | None) -> str:
    if not isinstance(size, Literal):
        return ""
    n = int(size)
    return f"{n:,} bytes" if n < 10_000 else f"{n / 1024:,.0f} KiB ({n:,} bytes)"


def write_site(site: Site, out: Path, progress: Callable[[str], None] | None = None) -> int:
    """Write every file of the site into ``out``, all or nothing and in one step (files.write_folder: written
    beside it, then swapped in by one rename). The site carries a marker file (SITE_MARKER); an existing ``out`` is
    replaced only when it is empty or holds that marker. Returns the number of files."""

    def rendered() -> Iterator[tuple[str, bytes]]:
        for count, path in enumerate(site.paths_list(), start=1):
            file = site.render(path)
            if file is None:
                raise RuntimeError(f"the site lists {path} but cannot render it")
            yield path, file[1]
            if progress is not None and count % 100 == 0:
                progress(f"{count} files")

    return write_folder(rendered(), out, marker=SITE_MARKER)


def site_inputs(project: Project, dist: Path | None = None) -> SiteInputs:
    """What the pages read from the project besides the graph: the vocabulary, ``dist/void.ttl`` when a release was
    built, and the competency questions (``queries/*.rq``)."""
    from smakg.files import read_text
    from smakg.kb.load import load_files

    vocabulary = to_ntriples(load_files([project.vocabulary]).graph) if project.vocabulary.is_file() else ""
    void = (dist or project.dist) / "void.ttl"
    queries = tuple((p.name, read_text(p)) for p in sorted(project.queries.glob("*.rq"))) \
        if project.queries.is_dir() else ()
    context = read_text(project.context) if project.context.is_file() else ""
    return SiteInputs(vocabulary, read_text(void) if void.is_file() else "", queries, context)
