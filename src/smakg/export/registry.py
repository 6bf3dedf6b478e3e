"""Every file of a release, in one registry: ``EXPORTS`` maps each ``dist/`` file name to the writer that makes
its text. ``render_exports`` runs them, on several cores where it can (``jobs``); ``void.ttl`` comes last because it
describes (and hashes) all the others. Writers share one ``Job`` so that what two files need (the Biolink view) is
made once: files that share such a part are made in the same process (``TOGETHER``).
"""

from __future__ import annotations

import os
import pickle
import signal
import time
import traceback
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


# Files made in one process because they share a part of the Job, and the relative cost of each group (seconds at
# 100k triples, scripts/bench_scale.py): the groups are shared out among the processes, the costliest first.
TOGETHER: list[tuple[tuple[str, ...], float]] = [
    (("smakg.conditions.jsonld",), 4.7),
    (("smakg.ttl",), 1.4),
    (("smakg.jsonld",), 1.4),
    ((biolink.NODES, biolink.EDGES), 1.0),
    (("smakg.nt",), 0.5),
    ((sssom.NAME,), 0.3),
    (("context.jsonld", "condition.schema.json", "vocab.ttl"), 0.0),
]


def default_jobs() -> int:
    """Processes for the exports: every core this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def render_exports(graph: Graph, project: Project, inputs: ExportInputs | None = None, *,
                   timings: MutableMapping[str, float] | None = None, jobs: int | None = None) -> dict[str, str]:
    """Every export file's name and text; ``timings``, when given, receives the seconds each file took
    (``export:<name>``), for benchmarks. ``jobs`` processes make them (default: every core; 1 in this process
    alone; more need ``os.fork``): the same texts whatever the number."""
    with Background(graph, project, inputs or read_export_inputs(project), jobs=jobs, share_here=True) as exports:
        return exports.result(timings)


class Background:
    """The export files made in other processes (``jobs``, default every core) while this one does something
    else, such as validating the graph; ``result`` waits for them, ``cancel`` (or leaving a ``with`` block early)
    stops them. ``share_here``: this process makes one share itself, in ``result``. On one core, without
    ``os.fork``, or when no process can be had, ``result`` makes every file here. The texts are the same."""

    def __init__(self, graph: Graph, project: Project, inputs: ExportInputs, *, jobs: int | None = None,
                 share_here: bool = False) -> None:
        self.job = Job(graph, project, inputs)
        self.children: list[tuple[int, int]] = []
        every = [n for n in EXPORTS if n != void.NAME]
        groups = _share(default_jobs() if jobs is None else jobs)
        if len(groups) == 1 or not hasattr(os, "fork"):
            self.here, groups = every, []
        else:
            self.here = groups.pop(0) if share_here else []
        if groups:
            try:
                self.children = _fork(self.job, groups)
            except OSError:  # no process to be had (memory, limits): all here
                self.here = every

    def result(self, timings: MutableMapping[str, float] | None = None) -> dict[str, str]:
        try:
            made, spent = _render(self.job, self.here)
            more, more_spent = _collect(self.children)
        finally:
            self.cancel()
        made.update(more)
        spent.update(more_spent)
        return _finish(self.job, made, spent, timings)

    def cancel(self) -> None:
        _kill(self.children)
        self.children = []

    def __enter__(self) -> Background:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.cancel()


def _finish(job: Job, made: dict[str, str], spent: dict[str, float],
            timings: MutableMapping[str, float] | None) -> dict[str, str]:
    """The files in the registry's order, void.ttl made last, here (it reads the others)."""
    for name in EXPORTS:
        if name == void.NAME:
            start = time.perf_counter()
            job.outputs[name] = EXPORTS[name](job)
            spent[name] = time.perf_counter() - start
        else:
            job.outputs[name] = made[name]
    if timings is not None:
        for name in EXPORTS:
            timings[f"export:{name}"] = spent[name]
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


def _share(jobs: int) -> list[list[str]]:
    """The files (but void.ttl) shared out among ``jobs`` processes: each group to the least loaded process."""
    grouped = {n for names, _cost in TOGETHER for n in names}
    missing = [n for n in EXPORTS if n not in grouped and n != void.NAME]
    count = max(1, min(jobs, len(TOGETHER) + len(missing)))
    costs: list[float] = [0.0] * count
    shares: list[list[str]] = [[] for _ in range(count)]
    for names, cost in sorted([*TOGETHER, *(((n,), 0.0) for n in missing)], key=lambda g: -g[1]):
        least = costs.index(min(costs))
        costs[least] += cost
        shares[least].extend(names)
    return [names for names in shares if names]


def _render(job: Job, names: list[str]) -> tuple[dict[str, str], dict[str, float]]:
    made, spent = {}, {}
    for name in names:
        start = time.perf_counter()
        made[name] = EXPORTS[name](job)
        spent[name] = time.perf_counter() - start
    return made, spent


def _fork(job: Job, groups: list[list[str]]) -> list[tuple[int, int]]:
    """One forked process per group, each making its files and sending the texts back through a pipe. Children
    ignore Ctrl-C (this process handles it, and ``_kill`` stops them) and are killed if this process dies."""
    children: list[tuple[int, int]] = []
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})  # no Ctrl-C between fork and setup
    try:
        for names in groups:
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child: make its files, send them, leave without running any cleanup
                _child(job, names, read_end, write_end)
            os.close(write_end)
            children.append((pid, read_end))
    except BaseException:
        _kill(children)
        raise
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    return children


def _child(job: Job, names: list[str], read_end: int, write_end: int) -> None:
    status = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        _die_with_parent()
        os.close(read_end)
        try:
            answer: Any = ("ok", _render(job, names))
        except BaseException as exc:
            answer = ("error", exc)
        try:
            data = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:
            data = pickle.dumps(("error", RuntimeError(traceback.format_exc())))
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(data)
    except BaseException:
        status = 1
    os._exit(status)


def _die_with_parent() -> None:
    """Linux: this process gets SIGKILL when the one that forked it dies (a SIGTERM to smakg leaves no child)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _collect(children: list[tuple[int, int]]) -> tuple[dict[str, str], dict[str, float]]:
    """Every child's texts and seconds, in order; an error in a child is raised here. Each child is taken out of
    ``children`` as it is read (and killed if reading it is interrupted)."""
    made: dict[str, str] = {}
    spent: dict[str, float] = {}
    while children:
        pid, read_end = children.pop(0)
        try:
            with os.fdopen(read_end, "rb") as pipe:
                data = pipe.read()
        except BaseException:
            _kill([(pid, -1)])
            raise
        _pid, status = os.waitpid(pid, 0)
        if not data:
            raise RuntimeError(f"an export process ({pid}) ended without an answer (wait status {status})")
        kind, value = pickle.loads(data)
        if kind == "error":
            raise value
        made.update(value[0])
        spent.update(value[1])
    return made, spent


def _kill(children: list[tuple[int, int]]) -> None:
    """Stop the children not collected (an error, Ctrl-C, a graph that does not conform): none outlives us."""
    for pid, read_end in children:
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        if read_end >= 0:
            try:
                os.close(read_end)
            except OSError:
                pass
    children.clear()
