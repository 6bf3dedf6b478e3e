"""A diagram per condition and per gene, drawn by Graphviz (``dot -Tsvg``) as SVG with deterministic bytes.

A condition's diagram: the condition, its groups and forms, its genes (causal and modifier) at their loci on their
chromosomes, its inheritance, and its phenotypes counted by body system. A gene's: the gene, its loci and
chromosome, the conditions it causes or modifies, the processes it is involved in. Nodes and edges are sorted, and
the SVG is parsed and written again without Graphviz's comments (which name its version), so the same graph gives
the same bytes. Every diagram has a text alternative: the same edges as a sentence.

>>> Diagram("X", [("a", "A", "gene"), ("b", "B", "condition")], [("a", "causes", "b")]).alt()
'Diagram of X: A causes B.'
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS

from smakg.errors import BadInputError
from smakg.kb.terms import sorted_terms
from smakg.kb.vocab import SMAKG, SVG, XLINK

# Node styles by kind (Graphviz attributes; colours that keep text readable).
_STYLE = {"focus": 'shape=box style="filled,bold" fillcolor="#dbe7f7"',
          "condition": 'shape=box style=filled fillcolor="#eef3fb"',
          "gene": 'shape=ellipse style=filled fillcolor="#e3f3e3"',
          "locus": 'shape=cds style=filled fillcolor="#fdf3d8"',
          "inheritance": 'shape=note style=filled fillcolor="#f3e8f7"',
          "system": 'shape=box style="rounded,filled" fillcolor="#f6f6f6"',
          "process": 'shape=box style="rounded,filled" fillcolor="#eef8f8"'}


@dataclass
class Diagram:
    """Nodes (id, label, kind) and edges (from id, words, to id) of one picture."""

    title: str
    nodes: list[tuple[str, str, str]]
    edges: list[tuple[str, str, str]]

    def dot(self) -> str:
        """The Graphviz source, nodes and edges in the order given (already sorted by the builders)."""
        lines = ["digraph smakg {", '  graph [rankdir=LR fontname="Helvetica" fontsize=12 bgcolor="white"];',
                 '  node [fontname="Helvetica" fontsize=11 color="#555555"];',
                 '  edge [fontname="Helvetica" fontsize=9 color="#777777" fontcolor="#333333"];']
        for ident, label, kind in self.nodes:
            text = "\\n".join(_quote(line) for line in label.split("\n"))  # a line break in the label: dot's \n
            lines.append(f'  {ident} [label="{text}" tooltip="{_quote(label)}" {_STYLE[kind]}];')
        for a, words, b in self.edges:
            lines.append(f'  {a} -> {b} [label="{_quote(words)}"];')
        lines.append("}")
        return "\n".join(lines) + "\n"

    def alt(self) -> str:
        """The text alternative: every edge as words."""
        names = {ident: label for ident, label, _ in self.nodes}
        said = "; ".join(f"{names[a]} {words} {names[b]}".replace("\n", ", ") for a, words, b in self.edges)
        return f"Diagram of {self.title}: {said}." if said else f"Diagram of {self.title}."


def clean(text: str) -> str:
    """A label without control characters (XML cannot carry most of them, so the SVG would not parse): a tab
    becomes a space, a line break stays, the rest are dropped.

    >>> clean("a\\x01b\\tc\\x85d\\ne")
    'ab cd\\ne'
    """
    return "".join(" " if c == "\t" else c for c in text
                   if c == "\n" or c == "\t" or unicodedata.category(c) != "Cc")


def _quote(text: str) -> str:
    """Text for a Graphviz double-quoted string. Graphviz reads HTML entities in labels (``&lt;`` would become
    ``<``, ``&#x1F;`` a control character), so ``&`` is written ``&amp;`` and the label keeps its own characters.

    >>> _quote('A &lt; "B"\\\\')
    'A &amp;lt; \\\\"B\\\\"\\\\\\\\'
    """
    return (clean(text).replace("&", "&amp;").replace("\\", "\\\\").replace('"', '\\"')
            .replace("\n", " "))


def _label(graph: Graph, node: object) -> str:
    label = graph.value(node, RDFS.label) if isinstance(node, URIRef) else None
    return clean(str(label) if label is not None else str(node).rsplit("/", 1)[-1])


class _Builder:
    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.ids: dict[object, str] = {}
        self.nodes: list[tuple[str, str, str]] = []
        self.edges: list[tuple[str, str, str]] = []

    def node(self, term: object, kind: str, label: str | None = None) -> str:
        if term not in self.ids:
            self.ids[term] = f"n{len(self.ids)}"
            self.nodes.append((self.ids[term], label or _label(self.graph, term), kind))
        return self.ids[term]

    def edge(self, a: str, words: str, b: str) -> None:
        if (a, words, b) not in self.edges:
            self.edges.append((a, words, b))

    def loci(self, gene_id: str, gene: URIRef) -> None:
        for locus in sorted_terms(self.graph.objects(gene, SMAKG.locatedIn)):
            lid = self.node(locus, "locus")
            self.edge(gene_id, "located in", lid)
            for chrom in sorted_terms(self.graph.objects(locus, SMAKG.partOf)):
                self.edge(lid, "part of", self.node(chrom, "locus"))


def condition_diagram(graph: Graph, iri: str, systems: dict[str, int]) -> Diagram:
    """The picture of a condition from its page graph; ``systems`` counts its phenotypes per body system."""
    node = URIRef(iri)
    b = _Builder(graph)
    me = b.node(node, "focus")
    for group in sorted_terms(graph.objects(node, SMAKG.subtypeOf)):
        b.edge(me, "is a form of", b.node(group, "condition"))
    for form in sorted_terms(graph.subjects(SMAKG.subtypeOf, node)):
        b.edge(b.node(form, "condition"), "is a form of", me)
    for pred, words in ((SMAKG.isCausalGeneFor, "causes"), (SMAKG.modifiesSeverityOf, "modifies the severity of")):
        for gene in sorted_terms(graph.subjects(pred, node)):
            if (gene, RDF.type, SMAKG.Gene) not in graph or not isinstance(gene, URIRef):
                continue
            gid = b.node(gene, "gene")
            b.edge(gid, words, me)
            b.loci(gid, gene)
    for mode in sorted_terms(graph.objects(node, SMAKG.hasInheritanceMode)):
        b.edge(me, "is inherited", b.node(mode, "inheritance"))
    if systems:
        lines = [f"{name}: {count}" for name, count in sorted(systems.items())]
        b.edge(me, "has features", b.node("systems", "system", "Features by body system\n" + "\n".join(lines)))
    return Diagram(_label(graph, node), b.nodes, b.edges)


def gene_diagram(graph: Graph, iri: str) -> Diagram:
    """The picture of a gene from its page graph."""
    node = URIRef(iri)
    b = _Builder(graph)
    me = b.node(node, "focus")
    b.loci(me, node)
    for pred, words in ((SMAKG.isCausalGeneFor, "causes"), (SMAKG.modifiesSeverityOf, "modifies the severity of")):
        for condition in sorted_terms(graph.objects(node, pred)):
            b.edge(me, words, b.node(condition, "condition"))
    for process in sorted_terms(graph.objects(node, SMAKG.involvedIn)):
        b.edge(me, "is involved in", b.node(process, "process"))
    return Diagram(_label(graph, node), b.nodes, b.edges)




def dot_available() -> bool:
    """Whether Graphviz's ``dot`` is on the PATH (Debian package ``graphviz``)."""
    return shutil.which("dot") is not None


def render_svg(diagram: Diagram) -> bytes:
    """The diagram as SVG bytes: ``dot -Tsvg``, then parsed and written again without comments or the XML
    declaration's variations, with a <title> and <desc> (the text alternative) for screen readers."""
    done = subprocess.run(["dot", "-Tsvg"], input=diagram.dot().encode("utf-8"), capture_output=True,
                          timeout=30, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"dot failed: {done.stderr.decode('utf-8', 'replace').strip()[:300]}")
    ET.register_namespace("", SVG)
    ET.register_namespace("xlink", XLINK)
    try:
        root = ET.fromstring(done.stdout)  # the default tree builder drops comments and the doctype
    except ET.ParseError as exc:
        raise BadInputError(f"the diagram of {diagram.title!r} cannot be drawn: Graphviz wrote SVG that does not "
                            f"parse ({exc})", hint="check the labels of the terms it shows for unusual characters"
                            ) from None
    root.set("role", "img")
    root.set("aria-labelledby", "diagram-title diagram-desc")
    title = ET.Element(f"{{{SVG}}}title", {"id": "diagram-title"})
    title.text = clean(f"Diagram of {diagram.title}")
    desc = ET.Element(f"{{{SVG}}}desc", {"id": "diagram-desc"})
    desc.text = clean(diagram.alt())
    root.insert(0, desc)
    root.insert(0, title)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode").encode("utf-8") + b"\n"
