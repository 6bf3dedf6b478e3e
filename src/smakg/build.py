"""The main job: load, expand, describe, validate, export. Each step is a function of its own."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph
from rdflib.term import Node

from . import biolink, checks, export, release, sssom
from .catalog import shape_rules
from .condition_schema import check_documents, read_schema, schema_text
from .describe import DATA_LICENSE, describe
from .errors import BadInputError
from .expand import CLAIM_SHAPE, NO_BLANK_NODES, expand
from .findings import Finding, Outcome
from .jsonld_flat import dumps
from .jsonld_framed import framed, read_frame
from .load import Loaded, Location, discover, load_files
from .quotes import verify_quotes
from .schemaorg import describe_for_search
from .validate import Shapes, load_shapes, run_shacl
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
    def conditions_frame(self) -> Path:
        return self.root / "ontology" / "frames" / "conditions.frame.jsonld"

    @property
    def condition_schema(self) -> Path:
        return self.root / "ontology" / "schema" / "condition.schema.json"

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
    return assemble(project, loaded)


def assemble(project: Project, loaded: Loaded) -> Built:
    """Expand the loaded knowledge base's claims, add the imports and the dataset description."""
    expanded = expand(loaded)
    imports = load_files(discover([project.imports]))
    vocabulary = load_files([project.vocabulary]).graph
    graph = expanded.graph
    for triple in imports.graph:
        graph.add(triple)
    describe_for_search(graph)
    describe(graph)
    locations = dict(imports.locations)
    locations.update(expanded.locations)
    return Built(graph, vocabulary, locations, list(expanded.findings), loaded.files, expanded.claims)


def validate_built(built: Built, project: Project, *, sources_dir: Path | None = None,
                   table: Path | None = None, shapes: Shapes | None = None) -> Outcome:
    """Shapes plus the Python checks; quotes and identifiers too when their inputs are given. ``shapes``: the
    project's shapes already loaded (by ``load_shapes``), for callers that validate many graphs."""
    outcome = Outcome()
    shapes = shapes or load_shapes(project.shapes)
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


@dataclass(frozen=True)
class ExportInputs:
    """The JSON-LD context, the conditions frame and the condition JSON Schema, read and checked."""

    context: dict
    frame: dict
    schema: dict


def read_export_inputs(project: Project) -> ExportInputs:
    """Read the files the exports need; a bad one is reported before the graph is built and validated."""
    return ExportInputs(export.load_context(project.context), read_frame(project.conditions_frame),
                        read_schema(project.condition_schema))


def render_exports(graph: Graph, project: Project, inputs: ExportInputs | None = None) -> dict[str, str]:
    """Every export file's name and text; ``void.ttl`` comes last, as it describes (and hashes) all the others.
    The framed documents are checked against the published JSON Schema."""
    inputs = inputs or read_export_inputs(project)
    vocabulary = load_files([project.vocabulary]).graph
    about = release.Release.of(vocabulary)
    conditions = export.to_conditions_jsonld(graph, inputs.context, inputs.frame,
                                             source=str(project.conditions_frame))
    check_documents(conditions, inputs.schema, project.condition_schema)
    outputs = {
        "smakg.ttl": export.to_turtle(graph),
        "smakg.nt": export.to_ntriples(graph),
        "smakg.jsonld": export.to_jsonld(graph, inputs.context),
        "smakg.conditions.jsonld": conditions,
        "context.jsonld": export.to_context(inputs.context),
        "condition.schema.json": schema_text(inputs.schema),
        "vocab.ttl": export.to_turtle(vocabulary),
    }
    outputs.update(biolink.to_kgx(graph, vocabulary))
    outputs[sssom.NAME] = sssom.to_sssom(graph, vocabulary, version=about.version, issued=about.issued,
                                         license_iri=str(DATA_LICENSE))
    outputs[release.NAME] = release.to_void(graph, vocabulary, outputs)
    return outputs


def render_jsonld(graph: Graph, project: Project, *, conditions: bool, context: Path | None = None,
                  frame: Path | None = None) -> str:
    """One JSON-LD export shaped by an integrator: compacted with their context (``context``), framed with their
    frame (``frame``, read with its own inline context, else theirs, else ours), or both. Files are checked and
    nothing named inside them is fetched. Without either, the same text as the release file."""
    ours = export.load_context(project.context)["@context"]
    theirs = export.load_context(context)["@context"] if context is not None else None
    if not conditions and frame is None:
        return export.to_jsonld(graph, {"@context": theirs or ours})
    frame_path = frame or project.conditions_frame
    frame_doc = read_frame(frame_path)
    frame_context = (theirs or ours) if frame is not None else ours
    output = theirs or (frame_doc.get("@context", ours) if frame is not None else ours)
    return dumps(framed(graph, output, frame_doc, frame_context=frame_context, source=str(frame_path)))
