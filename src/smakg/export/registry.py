"""Every file of a release, in one registry: ``EXPORTS`` maps each ``dist/`` file name to the writer that makes
its text. ``render_exports`` runs them in order; ``void.ttl`` comes last because it describes (and hashes) all the
others. Writers share one ``Job`` so that what two files need (the framed documents, the Biolink view) is made once.
"""

from __future__ import annotations

import time
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from rdflib import Graph

from smakg import __version__
from smakg.export import biolink, sssom, void
from smakg.export.condition_schema import check_documents, read_schema, schema_text
from smakg.export.jsonld_framed import framed, read_frame
from smakg.kb.jsonld import dumps
from smakg.kb.jsonld_flat import expanded, read_context, to_flat
from smakg.kb.load import load_files
from smakg.kb.schemaorg import download_url
from smakg.kb.turtle import to_ntriples, to_turtle
from smakg.kb.vocab import DATA_LICENSE
from smakg.project import Project


@dataclass(frozen=True)
class ExportInputs:
    """The JSON-LD context, the conditions frame and the condition JSON Schema, read and checked."""

    context: dict[str, Any]
    frame: dict[str, Any]
    schema: dict[str, Any]


def read_export_inputs(project: Project) -> ExportInputs:
    """Read the files the exports need; a bad one is reported before the graph is built and validated."""
    return ExportInputs(read_context(project.context), read_frame(project.conditions_frame),
                        read_schema(project.condition_schema))


@dataclass
class Job:
    """What the writers of one release share: the graph, the vocabulary, the inputs and the files made so far."""

    graph: Graph
    project: Project
    inputs: ExportInputs
    outputs: dict[str, str] = field(default_factory=dict)

    @cached_property
    def vocabulary(self) -> Graph:
        return load_files([self.project.vocabulary]).graph

    @cached_property
    def release(self) -> void.Release:
        return void.Release.of(self.vocabulary)

    @cached_property
    def expanded(self) -> list[dict[str, Any]]:
        """The graph as expanded JSON-LD, shared by the two JSON-LD exports (neither changes it)."""
        return expanded(self.graph)

    @cached_property
    def kgx(self) -> dict[str, str]:
        return biolink.to_kgx(self.graph, self.vocabulary)

    def conditions(self) -> str:
        """The framed documents, checked against the published JSON Schema before they are written."""
        context = self.inputs.context["@context"]
        document = framed(self.graph, context, self.inputs.frame, frame_context=context,
                          source=str(self.project.conditions_frame), doc=self.expanded)
        check_documents(document, self.inputs.schema, self.project.condition_schema)  # the JSON of the text
        return dumps(document)

    def sssom(self) -> str:
        return sssom.to_sssom(self.graph, self.vocabulary, version=self.release.version, issued=self.release.issued,
                              license_iri=str(DATA_LICENSE))


def to_context(context: dict[str, Any], version: str = __version__) -> str:
    """The published context document: the same ``@context`` bytes as every export, named by its release."""
    return dumps({"@context": context["@context"], "id": str(download_url("context.jsonld", version)),
                  "version": version})


Writer = Callable[[Job], str]

# The release, file by file, in the order the files are made (void.ttl last: it hashes the others).
EXPORTS: dict[str, Writer] = {
    "smakg.ttl": lambda job: to_turtle(job.graph),
    "smakg.nt": lambda job: to_ntriples(job.graph),
    "smakg.jsonld": lambda job: to_flat(job.graph, job.inputs.context, doc=job.expanded),
    "smakg.conditions.jsonld": Job.conditions,
    "context.jsonld": lambda job: to_context(job.inputs.context),
    "condition.schema.json": lambda job: schema_text(job.inputs.schema),
    "vocab.ttl": lambda job: to_turtle(job.vocabulary),
    biolink.NODES: lambda job: job.kgx[biolink.NODES],
    biolink.EDGES: lambda job: job.kgx[biolink.EDGES],
    sssom.NAME: Job.sssom,
    void.NAME: lambda job: void.to_void(job.graph, job.vocabulary, job.outputs),
}


def render_exports(graph: Graph, project: Project, inputs: ExportInputs | None = None, *,
                   timings: MutableMapping[str, float] | None = None) -> dict[str, str]:
    """Every export file's name and text, made by the writers of ``EXPORTS`` in order; ``timings``, when given,
    receives the seconds each file took (``export:<name>``), for benchmarks."""
    job = Job(graph, project, inputs or read_export_inputs(project))
    for name, writer in EXPORTS.items():
        start = time.perf_counter()
        job.outputs[name] = writer(job)
        if timings is not None:
            timings[f"export:{name}"] = time.perf_counter() - start
    return job.outputs


def render_one(name: str, graph: Graph, project: Project) -> str:
    """One release file's text (``smakg export``); files that describe others (``void.ttl``) need them all."""
    if name == void.NAME:
        return render_exports(graph, project)[name]
    return EXPORTS[name](Job(graph, project, read_export_inputs(project)))


def render_jsonld(graph: Graph, project: Project, *, conditions: bool, context: Path | None = None,
                  frame: Path | None = None) -> str:
    """One JSON-LD export shaped by an integrator: compacted with their context (``context``), framed with their
    frame (``frame``, read with its own inline context, else theirs, else ours), or both. Files are checked and
    nothing named inside them is fetched. Without either, the same text as the release file."""
    ours = read_context(project.context)["@context"]
    theirs = read_context(context)["@context"] if context is not None else None
    if not conditions and frame is None:
        return to_flat(graph, {"@context": theirs or ours})
    frame_path = frame or project.conditions_frame
    frame_doc = read_frame(frame_path)
    frame_context = (theirs or ours) if frame is not None else ours
    output = theirs or (frame_doc.get("@context", ours) if frame is not None else ours)
    return dumps(framed(graph, output, frame_doc, frame_context=frame_context, source=str(frame_path)))
