"""The pages (web.site, web.entity, web.diagram): what a reader finds on them, that they are safe, that `smakg site`
writes the same bytes `smakg serve` gives, and that the site is deterministic and written all or nothing."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ROOT
from test_serve import Running, http, start, stop

from smakg.kb.turtle import to_ntriples
from smakg.project import Project
from smakg.sparql.query import Engine
from smakg.web.diagram import dot_available
from smakg.web.html import href
from smakg.web.site import Site, site_inputs

SMARD1_PAGE = "id/condition/smard1.html"


@pytest.fixture(scope="module")
def site(built) -> Site:
    return Site(Engine(to_ntriples(built.graph).encode("utf-8"), "oxigraph"), site_inputs(Project(ROOT)))


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    return write_with_seed(tmp_path_factory.mktemp("site") / "public", "1")


def write_with_seed(out: Path, seed: str) -> Path:
    """`smakg site OUT` in a new process with the hash seed given (sets and dicts iterate in another order)."""
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run([sys.executable, "-m", "smakg", "site", str(out), "--project", str(ROOT)],
                          capture_output=True, text=True, timeout=600, cwd=ROOT, env=env)
    assert done.returncode == 0, done.stdout[-800:] + done.stderr[-800:]
    return out


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Running]:
    running = start(tmp_path_factory.mktemp("serve-site"))
    yield running
    stop(running)


def page(site: Site, path: str) -> str:
    rendered = site.render(path)
    assert rendered is not None, path
    return rendered[1].decode("utf-8")


class _Tags(HTMLParser):
    """Every start tag with its attributes, from the parsed page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def test_dot_is_installed_under_ci() -> None:
    if not dot_available():
        if os.environ.get("CI") == "true":
            pytest.fail("Graphviz dot is missing: .ci/run installs it (apt-get install -y graphviz)")
        pytest.skip("Graphviz dot is missing: apt-get install -y graphviz")


# ---- what a reader finds -------------------------------------------------------------------------------------

# One page of each kind (scripts/bench_pages.py times the same ones).
PAGE_KINDS = (SMARD1_PAGE, "id/condition/spinal-muscular-atrophy.html", "id/gene/IGHMBP2.html",
              "id/locus/hsa-11q13.3.html", "term/HP_0002098.html", "id/phenotype/fatty-finger-pads.html",
              "id/source/smauk-smard1.html", "vocab.html", "index.html", "search.json")


def test_pages_are_the_same_bytes_with_either_engine(site: Site, built) -> None:
    """The pages do not depend on which engine holds the graph: pyoxigraph (what smakg serve uses, its terms
    converted to rdflib's through a cache) and rdflib give the same bytes for a page of each kind and a statement's
    page (the speed-ups of the pages, which the two share or do not, may change no byte). Not the data forms
    (.ttl, .jsonld): tested below with every file."""
    other = Site(Engine(to_ntriples(built.graph).encode("utf-8"), "rdflib"), site_inputs(Project(ROOT)))
    statement = next(p for p in site.paths_list() if p.startswith("id/statement/"))
    for path in (*PAGE_KINDS, statement):
        assert page(site, path) == page(other, path), path
    assert page(site, SMARD1_PAGE) == page(site, SMARD1_PAGE), "rendering again (with the caches warm) changes it"


def test_the_smard1_page_answers_first(site: Site) -> None:
    html = page(site, SMARD1_PAGE)
    summary = html.index('id="summary"')
    for section in ('id="names"', 'id="genes"', 'id="phenotypes"', 'id="not"'):
        assert summary < html.index(section), f"the summary comes before {section}"
    top = html[summary:html.index('id="names"')]
    for answer in ("IGHMBP2", "11q13.3", "chromosome 11", "Autosomal recessive inheritance", "Infantile onset",
                   "DSMA1", "Respiratory distress", "hallmark", "MONDO:0011436", "OMIM:604320", "Orphanet:98920"):
        assert answer in top, f"{answer} is in the summary"
    assert 'href="http://purl.obolibrary.org/obo/MONDO_0011436"' in top, "cross-references link out"


def test_each_fact_is_one_row_listing_all_its_sources(site: Site) -> None:
    html = page(site, SMARD1_PAGE)
    rows = re.findall(r'<tr id="f-([0-9a-f]+)">(.*?)</tr>', html, re.S)
    ids = [r[0] for r in rows]
    assert len(ids) == len(set(ids)), "a statement is one row"
    # the alias SMARD1 is stated by two sources: one row that names both
    both = [body for _, body in rows if "smauk-smard1.html" in body and "summary-smard1.html" in body]
    assert both, "a statement with two sources is one row listing both"
    assert all("<details>" in body for _, body in rows), "quotes and notes are one click away"


def test_phenotypes_are_grouped_by_body_system(site: Site) -> None:
    html = page(site, SMARD1_PAGE)
    section = html[html.index('id="phenotypes"'):html.index('id="course"')]
    for system in ("Respiratory system", "Nervous system", "Musculoskeletal system"):
        assert f"<h3>{system} (" in section
    assert "also: " in section, "a phenotype under two systems is listed once, the other system named"


def test_negated_and_inferred_facts_are_marked(site: Site) -> None:
    html = page(site, SMARD1_PAGE)
    negated = html[html.index('id="not"'):]
    assert '<span class="tag not">not</span>' in negated
    assert "curator's inference" in html or "curator&#x27;s inference" in html


@pytest.mark.parametrize("path, words", [
    ("id/gene/IGHMBP2.html", ("11q13.3", "spinal muscular atrophy with respiratory distress type 1", "HGNC:")),
    ("id/locus/hsa-11q13.3.html", ("IGHMBP2", "chromosome 11")),
    ("term/HP_0002098.html", ("Respiratory distress", "spinal muscular atrophy with respiratory distress type 1",
                              "Conditions with this feature")),
    ("id/source/gard-sma.html", ("Works it cites", "Last updated: 1/7/2016", "What it states", "Curator")),
    ("vocab.html", ('id="isCausalGeneFor"', 'id="Condition"')),
])
def test_other_page_kinds(site: Site, path: str, words: tuple[str, ...]) -> None:
    html = page(site, path)
    for word in words:
        assert word in html, f"{path}: {word}"


def test_the_search_index_finds_smard1_by_alias_and_identifier(site: Site) -> None:
    import json

    entries = json.loads(page(site, "search.json"))
    smard1 = [e for e in entries if e["u"] == SMARD1_PAGE]
    assert len(smard1) == 1 and "DSMA1" in smard1[0]["a"] and "MONDO:0011436" in smard1[0]["i"]
    assert not any(e["u"].startswith("id/statement/") for e in entries)


def test_diagrams_name_the_genes_and_are_deterministic(site: Site) -> None:
    if not dot_available():
        pytest.skip("Graphviz dot is missing")
    first, second = site.render("id/condition/smard1.svg"), site.render("id/condition/smard1.svg")
    assert first is not None and second is not None and first == second
    svg = first[1].decode("utf-8")
    assert "<!--" not in svg and "IGHMBP2" in svg and "11q13.3" in svg and "<desc" in svg
    assert 'alt="Diagram of spinal muscular atrophy with respiratory distress type 1:' in page(site, SMARD1_PAGE)
    gene = site.render("id/gene/SMN2.svg")
    assert gene is not None and b"SMN2" in gene[1]


def test_without_dot_the_page_keeps_the_text_alternative(built) -> None:
    site = Site(Engine(to_ntriples(built.graph).encode("utf-8"), "oxigraph"), site_inputs(Project(ROOT)))
    site.dot = False
    html = page(site, SMARD1_PAGE)
    assert "<img" not in html and "needs Graphviz" in html and "IGHMBP2 causes" in html
    assert site.render("id/condition/smard1.svg") is None
    assert not any(p.endswith(".svg") and p.startswith("id/") for p in site.paths_list())


# ---- safety ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("url, ok", [
    ("https://omim.org/entry/604320", True), ("http://purl.obolibrary.org/obo/HP_0002098", True),
    ("../gene/SMN1.html", True), ("#summary", True), ("javascript:alert(1)", False), ("JavaScript:alert(1)", False),
    ("data:text/html,x", False), ("file:///etc/passwd", False), ("//evil.example/x", False),
    ("java\tscript:alert(1)", False), ("vbscript:x", False), ("https:///nohost", False),
    # a backslash reads as a slash in browsers: "/\\evil.example/" is "//evil.example/", a link off the site
    ("/\\evil.example/", False), ("\\\\evil.example/x", False), ("..\\..\\x", False),
    ("https://omim.org\\@evil.example/", False), ("x\u0001y.html", False), ("x\u007fy.html", False),
    ("a b.html", False), ("x\u00a0y.html", False), ("x\u0085y.html", False),
    # relative links only of the forms the site writes: no absolute paths, empty segments or odd characters
    ("/id/gene/SMN1.html", False), ("a//b.html", False), ("sparql?query=SELECT+%3Fx&format=csv", True),
    ("vocab.html#isCausalGeneFor", True), ("index.html#search", True), ("x.html#a\"b", False),
    ("x.html?q=<script>", False)])
def test_only_web_and_relative_links(url: str, ok: bool) -> None:
    assert (href(url) == url) is ok


def test_pages_have_no_inline_script_and_only_safe_links(site: Site) -> None:
    paths = [p for p in site.paths_list() if p.endswith(".html")]
    assert len(paths) > 100
    for path in paths:
        for tag, attrs in tags(page(site, path)):
            if tag == "script":
                assert attrs.get("src"), f"{path}: an inline script"
            assert "style" not in attrs and not any(a.startswith("on") for a in attrs), f"{path}: {tag} {attrs}"
            for name in ("href", "src", "action"):
                value = attrs.get(name)
                if value is not None:
                    assert href(value) == value, f"{path}: {name}={value!r}"


def test_served_pages_carry_the_security_headers(server: Running) -> None:
    for path in ("/", "/id/condition/smard1", "/id/condition/smard1.svg", "/search.json", "/static/search.js"):
        status, headers, _ = http(server.url + path, headers={"Accept": "text/html"})
        assert status == 200, path
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"


# ---- query pages ------------------------------------------------------------------------------------------------

def test_results_page_shows_the_query_to_edit_and_other_formats(server: Running) -> None:
    query = "SELECT ?g WHERE { ?g smakg:isCausalGeneFor cond:smard1 }"
    status, _, html = http(server.endpoint + "?" + urllib.parse.urlencode({"query": query}),
                           headers={"Accept": "text/html"})
    assert status == 200 and "gene:IGHMBP2" in html
    assert '<textarea id="query-text" name="query"' in html and "smakg:isCausalGeneFor cond:smard1" in html
    assert "format=csv" in html and "format=json" in html


def test_a_syntax_error_is_shown_in_the_page_with_the_form(server: Running) -> None:
    query = "SELEC ?x WHERE { ?x ?p ?o }"
    status, headers, html = http(server.endpoint + "?" + urllib.parse.urlencode({"query": query}),
                                 headers={"Accept": "text/html"})
    assert status == 400 and headers["Content-Type"].startswith("text/html")
    assert 'role="alert"' in html and "syntax error at &quot;SELEC&quot;" in html
    assert "SELEC ?x WHERE" in html and "<textarea" in html
    status, headers, _ = http(server.endpoint + "?" + urllib.parse.urlencode({"query": query}),
                                 headers={"Accept": "application/sparql-results+json"})
    assert status == 400 and headers["Content-Type"].startswith("text/plain"), "programs still get plain text"


# ---- the static site --------------------------------------------------------------------------------------------

def test_served_pages_and_site_files_are_the_same_bytes(server: Running, written: Path) -> None:
    from smakg.web.site import SITE_MARKER

    files = sorted(p.relative_to(written).as_posix() for p in written.rglob("*") if p.is_file()
                   and p.name != SITE_MARKER)
    assert "index.html" in files and SMARD1_PAGE in files and "search.json" in files and "static/search.js" in files
    sample = [f for f in files if not f.startswith("id/statement/")] + [f for f in files
                                                                        if f.startswith("id/statement/")][:5]
    for name in sample:
        with urllib.request.urlopen(f"{server.url}/{name}", timeout=30) as reply:
            assert reply.read() == (written / name).read_bytes(), name
    with urllib.request.urlopen(urllib.request.Request(f"{server.url}/id/condition/smard1",
                                                       headers={"Accept": "text/html"}), timeout=30) as reply:
        assert reply.read() == (written / SMARD1_PAGE).read_bytes(), "the entity IRI's page is the file"


def test_every_relative_link_of_the_site_resolves_to_a_file(written: Path) -> None:
    missing = []
    for path in written.rglob("*.html"):
        for _, attrs in tags(path.read_text(encoding="utf-8")):
            for name in ("href", "src"):
                value = attrs.get(name)
                if value and not value.startswith(("http:", "https:", "#", "sparql", "find", "health")):
                    target = (path.parent / value.split("#")[0].split("?")[0]).resolve()
                    if not target.is_file():
                        missing.append(f"{path.relative_to(written)}: {value}")
    assert not missing, missing[:20]


def test_the_site_is_deterministic_whatever_the_hash_seed(written: Path, tmp_path: Path) -> None:
    again = write_with_seed(tmp_path / "again", "2")  # `written` had PYTHONHASHSEED=1
    names = sorted(p.relative_to(again).as_posix() for p in again.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(written).as_posix() for p in written.rglob("*") if p.is_file())
    assert all((again / n).read_bytes() == (written / n).read_bytes() for n in names)


def test_the_site_is_swapped_in_whole_and_replaces_only_a_site(site: Site, written: Path, tmp_path: Path) -> None:
    from smakg.errors import BadInputError
    from smakg.web.site import SITE_MARKER, write_site

    assert (written / SITE_MARKER).is_file(), "a site carries its marker"
    again = tmp_path / "again"
    write_site(site, again)
    stale = [tmp_path / ".again.new-killed", tmp_path / ".again.old-killed"]  # what a killed run leaves
    for folder in stale:
        (folder / "id").mkdir(parents=True)
        (folder / "id" / "x.html").write_text("half")
    inode = again.stat().st_ino
    write_site(site, again)  # a site replaces a site
    assert again.stat().st_ino != inode and (again / SITE_MARKER).is_file() and (again / "index.html").is_file()
    assert not any(folder.exists() for folder in stale), "what a killed run left beside the site is removed"
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.txt").write_text("mine")
    (precious / "search.json").write_text("[]")  # a search.json does not make a folder a site
    with pytest.raises(BadInputError, match=SITE_MARKER):
        write_site(site, precious)
    assert (precious / "thesis.txt").read_text() == "mine" and len(list(precious.iterdir())) == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    write_site(site, empty)
    assert (empty / SITE_MARKER).is_file()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "no temporary folder is left"


def test_write_folder_refuses_paths_outside_the_folder(tmp_path: Path) -> None:
    from smakg.files import write_folder

    out = tmp_path / "out"
    assert write_folder([("a/b.txt", b"1"), ("c.txt", b"2")], out, marker=".m") == 2
    assert (out / "a" / "b.txt").read_bytes() == b"1" and (out / ".m").is_file()
    for bad in ("../escape.txt", "/abs.txt", "a//b.txt", "./x.txt"):
        with pytest.raises(ValueError):
            write_folder([("ok.txt", b"1"), (bad, b"2")], out, marker=".m")
        assert sorted(p.name for p in out.iterdir()) == [".m", "a", "c.txt"], "the old folder stays"
    assert not (tmp_path / "escape.txt").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


# ---- diagrams with awkward labels ------------------------------------------------------------------------------

AWKWARD = ["A &#x1F; B", "raw \x01 control", "x&nbsp;y &lt;z&gt; & <b>", "tab\there \x7f"]


def test_diagram_labels_keep_their_characters_and_always_parse() -> None:
    """Graphviz reads entities in labels and copies control characters into its SVG: a label shows its own text
    (``&lt;`` stays ``&lt;``), control characters are dropped, and the SVG parses."""
    import xml.etree.ElementTree as ET

    from smakg.kb.vocab import SVG
    from smakg.web.diagram import Diagram, render_svg

    if not dot_available():
        pytest.skip("Graphviz dot is missing")
    nodes = [(f"n{i}", label, "gene") for i, label in enumerate(AWKWARD)]
    svg = render_svg(Diagram("T &amp; \x02", nodes, [("n0", "w &lt; \x03", "n1")]))
    root = ET.fromstring(svg)
    texts = {t.text for t in root.iter(f"{{{SVG}}}text")}
    assert {"A &#x1F; B", "raw control", "x&nbsp;y &lt;z&gt; & <b>", "tab here", "w &lt;"} <= \
        {" ".join((t or "").replace("\xa0", " ").split()) for t in texts}, texts
    assert root[0].text == "Diagram of T &amp; " and "\x01" not in svg.decode("utf-8")


def test_site_draws_a_condition_with_control_characters_in_its_names(tmp_path: Path) -> None:
    """A --data graph whose labels hold an entity and raw control characters: `smakg site` writes it (exit 0)."""
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import RDF, RDFS

    from smakg.kb.vocab import ID, SMAKG

    if not dot_available():
        pytest.skip("Graphviz dot is missing")
    g = Graph()
    cond, gene = URIRef(ID + "condition/odd"), URIRef(ID + "gene/ODD1")
    g.add((cond, RDF.type, SMAKG.Condition))
    g.add((cond, RDFS.label, Literal("odd &#x1F; condition \x01 &nbsp;")))
    g.add((gene, RDF.type, SMAKG.Gene))
    g.add((gene, RDFS.label, Literal("ODD1 \x02 &lt;")))
    g.add((gene, SMAKG.isCausalGeneFor, cond))
    data = tmp_path / "odd.nt"
    data.write_text(to_ntriples(g), encoding="utf-8")
    out = tmp_path / "site"
    done = subprocess.run([sys.executable, "-m", "smakg", "site", str(out), "--data", str(data), "--project",
                           str(ROOT)], capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert done.returncode == 0, done.stdout[-800:] + done.stderr[-800:]
    svg = (out / "id" / "condition" / "odd.svg").read_text(encoding="utf-8")
    assert "odd &amp;#x1F; condition" in svg and "ODD1" in svg and "&amp;lt;" in svg


# ---- the same site whichever engine holds the graph -------------------------------------------------------------

def test_the_site_is_the_same_with_both_engines_and_keeps_the_release_datatypes(site: Site, built) -> None:
    """pyoxigraph keeps numbers as values ("60"^^xsd:nonNegativeInteger comes back as xsd:integer): the data forms
    of the pages still carry the release's own literals, and every file is the same with rdflib."""
    from rdflib import Graph

    other = Site(Engine(to_ntriples(built.graph).encode("utf-8"), "rdflib"), site_inputs(Project(ROOT)))
    paths = site.paths_list()
    assert paths == other.paths_list()
    differ = [p for p in paths if site.render(p) != other.render(p)]
    assert not differ, differ[:10]
    release = set(to_ntriples(built.graph).splitlines())
    data_forms = [p for p in paths if p.endswith(".ttl") and p.startswith("id/")]
    assert "id/statement/96b67d9727d340aa.ttl" in data_forms
    for path in data_forms:
        lines = set(to_ntriples(Graph().parse(data=page(site, path), format="turtle")).splitlines())
        assert lines <= release, f"{path}: {sorted(lines - release)[:3]}"
    assert "smakg:knownVariantsMoreThan 60" in page(site, "id/statement/96b67d9727d340aa.ttl")


def test_the_oxigraph_engine_gives_back_the_data_own_literals() -> None:
    """The release has no literal pyoxigraph changes (tests/test_release.py), but a --data graph may: pyoxigraph
    keeps "60"^^xsd:nonNegativeInteger as xsd:integer and "1.0"^^xsd:decimal as "1"; the engine gives the data's
    own terms back, as rdflib does."""
    from rdflib import Literal, URIRef
    from rdflib.namespace import XSD

    xsd = "http://www.w3.org/2001/XMLSchema#"
    data = (f'<http://example.org/s> <http://example.org/n> "60"^^<{xsd}nonNegativeInteger> .\n'
            f'<http://example.org/s> <http://example.org/d> "1.0"^^<{xsd}decimal> .\n')
    for name in ("oxigraph", "rdflib"):
        objects = {o for _, _, o in Engine(data.encode("utf-8"), name).triples(URIRef("http://example.org/s"))}
        assert objects == {Literal("60", datatype=XSD.nonNegativeInteger), Literal("1.0", datatype=XSD.decimal)}, name


def test_content_negotiation_keeps_the_release_datatypes(server: Running) -> None:
    status, _, body = http(server.url + "/id/statement/96b67d9727d340aa", headers={"Accept": "text/turtle"})
    assert status == 200 and "smakg:knownVariantsMoreThan 60" in body, body


# ---- provenance: nothing of a statement's record is hidden ------------------------------------------------------

def test_statement_pages_show_every_part_of_the_record(site: Site, built) -> None:
    """Each statement's page shows every triple of the statement, its evidence and their quote selectors: the
    works a quote cites (dcterms:references), the document it was read in (smakg:quotedVia), the text before it
    (oa:prefix), rdfs:seeAlso; qualifiers are words (checked by the summary test)."""
    from html import escape

    from rdflib import Literal, URIRef
    from rdflib.namespace import RDF

    from smakg.kb.vocab import OA, SMAKG
    from smakg.web.view import QUALIFIER_PROPERTIES

    g = built.graph
    via = page(site, "id/statement/c4a22ad404354b58.html")
    assert "quoted via" in via and "../../id/source/smauk-smard1.html" in via, "SMARD 1 was read in the SMA UK page"
    assert "../../id/source/pitt-2003.html" in page(site, "id/statement/029b261aada95df7.html"), "its quote cites"
    missing = []
    for st in g.subjects(RDF.type, SMAKG.Statement):
        html = page(site, f"id/statement/{str(st).rsplit('/', 1)[-1]}.html")
        nodes = [st, *g.objects(st, SMAKG.evidence)]
        nodes += [sel for ev in nodes[1:] for sel in g.objects(ev, OA.hasSelector)]
        for node in nodes:
            for p, o in g.predicate_objects(node):
                if p == RDF.type or (p in QUALIFIER_PROPERTIES and isinstance(o, URIRef)):
                    continue
                if o in nodes:
                    continue
                path = site.paths.of(str(o)) if isinstance(o, URIRef) else None
                shown = ("<strong>Not:</strong>" in html if p == SMAKG.negated else
                         escape(str(o)) in html if isinstance(o, Literal) else
                         f'href="../../{path}"' in html if path else f'href="{o}"' in html)
                if not shown:
                    missing.append(f"{st} {p} {o}")
    assert not missing, missing[:10]


def test_every_link_to_our_iris_has_a_page(site: Site) -> None:
    """A link to https://w3id.org/smakg/... goes to a page of the site: never to an evidence or selector node,
    which have none (the source page's "Cited by" linked evidence)."""
    from smakg.kb.vocab import BASE

    files = set(site.paths_list())
    bad = []
    for path in (p for p in site.paths_list() if p.endswith(".html")):
        for _, attrs in tags(page(site, path)):
            for name in ("href", "src"):
                value = attrs.get(name) or ""
                if value.startswith(BASE) and not value.startswith(BASE + "release/"):  # release files: downloads
                    target = site.paths.of(value.split("#")[0])
                    if target is None or target.split("#")[0] not in files:
                        bad.append(f"{path}: {value}")
    assert not bad, bad[:10]
    gard = page(site, "id/source/pitt-2003.html")
    cited = gard[gard.index("Cited by"):]
    assert "in a quote supporting" in cited and "../../id/statement/029b261aada95df7.html" in cited


# ---- the summary says no more than the sources ------------------------------------------------------------------

class _Marks(HTMLParser):
    """Per statement (a fact row ``<tr id="f-...">`` or a summary entry ``data-statement="f-..."``): the qualifier
    words (``span.tag.q``) and whether it is marked curator's inference (``span.tag.inferred``), outside the quotes
    (``<details>``, where each source's own words are)."""

    VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                      "track", "wbr"})

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, tuple[list[str], bool]] = {}
        self.entries: list[tuple[str, list[str], bool]] = []
        self.stack: list[tuple[str, str | None, str]] = []  # (tag, scope key or None, class)
        self.text: list[str] | None = None

    def _scope(self) -> tuple[str, str] | None:
        for tag, key, _ in reversed(self.stack):
            if key is not None:
                return tag, key
        return None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        a = dict(attrs)
        cls = a.get("class") or ""
        key = None
        if tag == "tr" and (a.get("id") or "").startswith("f-"):
            key = "row:" + (a.get("id") or "")
            self.rows[key[4:]] = ([], False)
        elif a.get("data-statement"):
            key = "entry:" + (a.get("data-statement") or "")
            self.entries.append((key[6:], [], False))
        self.stack.append((tag, key, cls))
        scope = self._scope()
        hidden = any(t == "details" for t, _, _ in self.stack)
        if scope is None or hidden or tag != "span":
            return
        classes = cls.split()
        if "tag" in classes and "q" in classes:
            self.text = []
        if "tag" in classes and "inferred" in classes:
            self._set(scope[1], inferred=True)

    def _set(self, key: str, word: str | None = None, inferred: bool = False) -> None:
        kind, ident = key.split(":", 1)
        if kind == "row":
            words, was = self.rows[ident]
            self.rows[ident] = (words + ([word] if word else []), was or inferred)
        else:
            ident2, words, was = self.entries[-1]
            self.entries[-1] = (ident2, words + ([word] if word else []), was or inferred)

    def handle_data(self, data: str) -> None:
        if self.text is not None:
            self.text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID or not self.stack:
            return
        if self.text is not None and tag == "span":
            scope = self._scope()
            assert scope is not None
            self._set(scope[1], word="".join(self.text))
            self.text = None
        self.stack.pop()


def test_every_summary_entry_qualifies_as_its_row_does(site: Site) -> None:
    """The summary never states a fact more strongly than the row that proves it: for every entry of every
    condition's summary, the qualifier words and the curator-inference mark are those of the statement's row."""
    pages = [p for p in site.paths_list() if p.startswith("id/condition/") and p.endswith(".html")]
    assert len(pages) >= 5
    checked = 0
    for path in pages:
        marks = _Marks()
        marks.feed(page(site, path))
        for ident, words, inferred in marks.entries:
            assert ident in marks.rows, f"{path}: the summary entry {ident} has a row"
            row_words, row_inferred = marks.rows[ident]
            assert (sorted(words), inferred) == (sorted(row_words), row_inferred), f"{path}: {ident}"
            checked += 1
    assert checked > 20
    smard1 = _Marks()
    smard1.feed(page(site, SMARD1_PAGE))
    entry = next(e for e in smard1.entries if e[0] == "f-96b67d9727d340aa")  # IGHMBP2 causes SMARD1
    assert {"typically", "known variants: more than 60", "as of 2022-08"} <= set(entry[1])
    forms = [e for e in smard1.entries if e[0] in ("f-4706bd0bbc58d076", "f-e72facb41a2ccf07")]
    assert len(forms) == 2 and all(e[2] for e in forms), "'A form of' rests on curator inference only"


def test_onset_ages_read_as_words_and_related_names_stand_apart(site: Site) -> None:
    html = page(site, SMARD1_PAGE)
    summary = html[html.index('id="summary"'):html.index('id="names"')]
    assert '<span class="tag q" title="P42D">from age 42 days</span>' in summary, "the raw value stays in the title"
    assert '<span class="tag q" title="P6M">to age 6 months</span>' in summary
    also = re.search(r"<dt>Also called</dt><dd>([^<]*)</dd>", summary)
    related = re.search(r"<dt>Related names</dt><dd>([^<]*)</dd>", summary)
    assert also and related and "DSMA1" in also[1].split(", ") and "SMARD1" in also[1].split(", ")
    assert related[1].split(", ") == ["SMARD 1"], "a related synonym (oboInOwl:hasRelatedSynonym) is not an alias"
