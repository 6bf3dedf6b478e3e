"""The built graph: load the knowledge base, expand its claims, add the imports and the dataset description."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.term import Node

from smakg.errors import BadInputError
from smakg.findings import Finding, Location
from smakg.kb.describe import describe
from smakg.kb.expand import expand
from smakg.kb.load import Loaded, discover, load_files
from smakg.kb.schemaorg import describe_for_search
from smakg.project import Project


@dataclass
class Built:
    """The built graph and everything needed to report on it."""

    graph: Graph
    vocabulary: Graph
    locations: dict[Node, Location]
    findings: list[Finding] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    claims: int = 0
    literal_locations: dict[Literal, Location] = field(default_factory=dict)  # where each typed literal is written


def build_graph(project: Project, kb_files: Sequence[Path] | None = None) -> Built:
    """Load the knowledge base (or the given files), expand claims, add imports and the dataset description."""
    project.check()
    given = list(kb_files) if kb_files else [project.kb]
    paths = discover(given)
    if not paths:
        raise BadInputError(f"{', '.join(map(str, given))}: no *.ttl files, so the knowledge base is empty",
                            hint="point at a folder or files holding the Turtle to validate")
    loaded = load_files(paths)
    if len(loaded.graph) == 0:
        raise BadInputError(f"{', '.join(loaded.files)}: the knowledge base is empty (no triples)",
                            hint="add entity and claim files under ontology/kb/")
    return assemble(project, loaded)


def assemble(project: Project, loaded: Loaded) -> Built:
    """Expand the loaded knowledge base's claims, add the imports and the dataset description."""
    expanded = expand(loaded)
    imports = load_files(discover([project.imports]))
    vocabulary_loaded = load_files([project.vocabulary])
    vocabulary = vocabulary_loaded.graph
    graph = expanded.graph
    for triple in imports.graph:
        graph.add(triple)
    describe_for_search(graph)
    describe(graph)
    locations = dict(imports.locations)
    locations.update(expanded.locations)
    literals = {**vocabulary_loaded.literals, **imports.literals, **loaded.literals}
    return Built(graph, vocabulary, locations, list(expanded.findings), loaded.files, expanded.claims, literals)
