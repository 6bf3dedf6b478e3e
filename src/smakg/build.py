"""The main job: load, expand, describe, validate, export. Each step is a function of its own."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph
from rdflib.term import Node

from . import biolink, checks, export, release, sssom
from .catalog import shape_rules
from .describe import DATA_LICENSE, describe
from .errors import BadInputError
from .expand import CLAIM_SHAPE, NO_BLANK_NODES, expand
from .findings import Finding, Outcome
from .load import Location, discover, load_files
from .quotes import verify_quotes
from .validate import load_shapes, run_shacl
from .xrefs import verify_xrefs


@dataclass(frozen=True)
class Project:
    """Where the curated files live (defaults: the layout of this repository)."""

    root: Path = Path(".")

    @property
    def kb(self) -> Path:
        return self.root / "ontology" / "kb"

    @property
    def vocabulary(self) -> Path:
        return self.root / "ontology" / "smakg.ttl"

    @property
    def imports(self) -> Path:
        return self.root / "ontology" / "imports"

    @property
    def context(self) -> Path:
        return self.root / "ontology" / "context.jsonld"

    @property
    def shapes(self) -> Path:
        return self.root / "shapes"

    def check(self) -> None:
        for path in (self.kb, self.vocabulary, self.imports, self.shapes):
            if not path.exists():
                raise BadInputError(f"{path}: not found", hint="run smakg from the project root, or pass --project DIR")


@dataclass
class Built:
    """The built graph and everything needed to report on it."""

    graph: Graph
    vocabulary: Graph
    locations: dict[Node, Location]
    findings: list[Finding] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    claims: int = 0


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
    expanded = expand(loaded)
    imports = load_files(discover([project.imports]))
    vocabulary = load_files([project.vocabulary]).graph
    graph = expanded.graph
    for triple in imports.graph:
        graph.add(triple)
    describe(graph)
    locations = dict(imports.locations)
    locations.update(expanded.locations)
    return Built(graph, vocabulary, locations, list(expanded.findings), loaded.files, expanded.claims)


def validate_built(built: Built, project: Project, *, sources_dir: Path | None = None,
                   table: Path | None = None) -> Outcome:
    """Shapes plus the Python checks; quotes and identifiers too when their inputs are given."""
    outcome = Outcome()
    shapes = load_shapes(project.shapes)
    outcome.add_rules([CLAIM_SHAPE, NO_BLANK_NODES, *shape_rules(shapes), checks.RULE])
    outcome.extend(built.findings)
    outcome.extend(run_shacl(built.graph, shapes, built.locations))
    outcome.extend(checks.undeclared_iris(built.graph, built.vocabulary, built.locations))
    if sources_dir is not None:
        quotes = verify_quotes(built.graph, sources_dir, built.locations)
        outcome.extend(quotes.findings)
        outcome.checked.update(quotes.checked)
        outcome.add_rules(list(quotes.rules.values()))
    if table is not None:
        xrefs = verify_xrefs(built.graph, table, built.locations)
        outcome.extend(xrefs.findings)
        outcome.checked.update(xrefs.checked)
        outcome.add_rules(list(xrefs.rules.values()))
    return outcome


def render_exports(graph: Graph, project: Project) -> dict[str, str]:
    """Every export file's name and text; ``void.ttl`` comes last, as it describes (and hashes) all the others."""
    context = export.load_context(project.context)
    vocabulary = load_files([project.vocabulary]).graph
    about = release.Release.of(vocabulary)
    outputs = {
        "smakg.ttl": export.to_turtle(graph),
        "smakg.nt": export.to_ntriples(graph),
        "smakg.jsonld": export.to_jsonld(graph, context),
        "context.jsonld": export.to_context(context),
        "vocab.ttl": export.to_turtle(vocabulary),
    }
    outputs.update(biolink.to_kgx(graph, vocabulary))
    outputs[sssom.NAME] = sssom.to_sssom(graph, vocabulary, version=about.version, issued=about.issued,
                                         license_iri=str(DATA_LICENSE))
    outputs[release.NAME] = release.to_void(graph, vocabulary, outputs)
    return outputs
