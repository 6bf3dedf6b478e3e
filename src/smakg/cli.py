"""The smakg command line: a thin typer layer over the library. Exit codes: 0 conforms, 1 violations,
2 bad input (missing file, parse error, unknown option), 3 internal error; smakg publish adds 4 (the store failed)
and 5 (the store's triple count differs from the release's)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from typer.core import TyperArgument, TyperGroup, TyperOption

from smakg import __version__
from smakg.errors import (
    EXIT_BAD_INPUT,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_VIOLATIONS,
    INTERRUPTED,
    BadInputError,
    SmakgError,
)
from smakg.project import Project

if TYPE_CHECKING:
    from smakg.findings import Outcome
    from smakg.kb.build import Built

# Each command imports the library it needs inside its body, so that `smakg --help` and `smakg version` load no
# RDF library (tests/test_layout.py holds them to it).

# What a value of each type is called in help when its option names no metavar (typer would write <str>, <int>...).
_METAVARS = {"str": "TEXT", "int": "N", "float": "NUMBER", "path": "PATH", "file": "FILE", "directory": "DIR",
             "int range": "N", "float range": "NUMBER"}


def _plain_help(command: object, ctx: typer.Context) -> None:
    """Help without typer's type labels: a flag shows no value (not <bool>), an argument its name only (not
    <str>), an option its metavar, its type in words (N, PATH) when it names none, or its choices (a|b|c)."""
    params = list(getattr(command, "params", []))
    get_help = getattr(command, "get_help_option", None)
    help_option = get_help(ctx) if callable(get_help) else None
    for param in [*params, help_option]:
        if isinstance(param, TyperArgument):
            setattr(param, "display_type_rich", lambda ctx: None)  # noqa: B010 (an instance override)
        elif isinstance(param, TyperOption):
            if param.is_flag:
                param.metavar = ""
            elif param.metavar is None:
                shown = param.display_type(ctx).strip("<>")
                param.metavar = _METAVARS.get(shown, shown)


class _Group(TyperGroup):
    """The command group, whose commands' help is plain (see ``_plain_help``)."""

    def get_command(self, ctx: typer.Context, cmd_name: str) -> typer.core.TyperCommand | None:  # type: ignore[override]
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            _plain_help(command, ctx)
        return command  # type: ignore[return-value]


# True when smakg runs as its own program (``main``): only then may a command change the whole process, as ``query``
# does when it gives up the network before it runs a query.
_OWN_PROCESS = False

app = typer.Typer(
    cls=_Group,
    help="smakg: build, validate and export the spinal muscular atrophy knowledge graph.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

ProjectOpt = Annotated[Path, typer.Option("--project", metavar="DIR",
                                          help="Project root (holds ontology/ and shapes/).")]
StrictOpt = Annotated[bool, typer.Option("--strict", help="Warnings fail too (exit 1).")]
ShaclOpt = Annotated[str, typer.Option("--shacl", metavar="ENGINE", help="SHACL engine: set (default, all focus "
                                       "nodes at once) or pyshacl (the reference); the same findings.")]
SourcesOpt = Annotated[Path | None, typer.Option("--sources-dir", help="Folder with the source documents' .txt "
                                                 "files; every quote is checked against them (default: "
                                                 "$SMAKG_SOURCES_DIR, else ../shared/seeds when it exists).")]
TableOpt = Annotated[Path | None, typer.Option("--table", help="Verified identifier table that every imported "
                                               "identifier is checked against (default: the project's "
                                               "ontology/identifiers.tsv).")]
EngineOpt = Annotated[str, typer.Option("--engine", metavar="NAME", help="oxigraph (default, faster) or rdflib.")]
DataOpt = Annotated[Path | None, typer.Option("--data", metavar="FILE", help="Use this .ttl/.nt dump instead of the "
                                              "project's graph (dist/smakg.nt when up to date, else built in "
                                              "memory).")]
WidthOpt = Annotated[int, typer.Option("--width", metavar="N", min=0, help="--format table: cut a cell longer than "
                                       "N characters, marking the cut with …; 0 never cuts.")]


class ReportFormat(StrEnum):
    text = "text"
    json = "json"
    turtle = "turtle"
    github = "github"
    junit = "junit"
    sarif = "sarif"


class ShapesFormat(StrEnum):
    table = "table"
    markdown = "markdown"
    json = "json"


class ExportFormat(StrEnum):
    ttl = "ttl"
    nt = "nt"
    jsonld = "jsonld"
    conditions = "conditions"


def _err(message: str) -> None:
    typer.secho(message, fg="red", err=True)


def _settle() -> None:
    """The built graph lives until the command ends: move it out of the cyclic garbage collector's sight
    (``gc.freeze``), which otherwise walks its millions of objects again in every full collection of the
    validation and the exports (10-25% of their time at 100k triples) and touches every page of it in the
    processes that make the exports (copy-on-write). ``_run`` unfreezes when the command ends."""
    import gc

    gc.freeze()


def _progress(message: str) -> None:
    """Say on standard error what a step that may take a second or more is doing, only on a terminal: nothing
    when standard error is piped or captured."""
    if sys.stderr.isatty():
        typer.echo(message, err=True)


def _run(fn: Callable[[], int]) -> None:
    """Run a command body; turn known errors into their exit codes and unknown ones into exit 3."""
    import gc

    try:
        code = fn()
    except SmakgError as exc:
        _err(f"error: {exc}")
        raise typer.Exit(exc.exit_code) from None
    except typer.Exit:
        raise
    except KeyboardInterrupt:  # main() says so in one line
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except Exception as exc:  # an internal error: one paragraph, no traceback unless asked for
        if os.environ.get("SMAKG_DEBUG"):
            raise
        _err(f"internal error: {type(exc).__name__}: {exc}\n  Set SMAKG_DEBUG=1 to see the traceback, "
             "and please report it.")
        raise typer.Exit(EXIT_INTERNAL) from None
    finally:
        gc.unfreeze()  # what _settle froze is collectable again (a command run inside a longer process)
    raise typer.Exit(code or EXIT_OK)


def _table(project: Project, table: Path | None) -> Path | None:
    """The identifier table to check against: the one given, else the project's own (when it has one)."""
    if table is not None:
        return table
    return project.identifiers if project.identifiers.is_file() else None


def _print_outcome(outcome: Outcome, fmt_: ReportFormat, strict: bool, out: Path | None) -> int:
    from smakg.files import write_one
    from smakg.report import ci as ci_report
    from smakg.report.text import summary, to_json, to_text, to_turtle

    if fmt_ is ReportFormat.json:
        text = to_json(outcome, strict=strict)
    elif fmt_ is ReportFormat.turtle:
        text = to_turtle(outcome, strict=strict)
    elif fmt_ in (ReportFormat.github, ReportFormat.junit, ReportFormat.sarif):
        text = ci_report.render(fmt_.value, outcome, root=ci_report.repo_root(), strict=strict)
    else:
        body = to_text(outcome, style=typer.style if out is None and sys.stdout.isatty() else None)
        text = (body + "\n" if body else "") + summary(outcome, strict=strict) + "\n"
    if out is not None:
        write_one(text, out)
    else:
        typer.echo(text, nl=False)
    return EXIT_OK if outcome.conforms(strict=strict) else EXIT_VIOLATIONS


@app.command()
def build(
    project: ProjectOpt = Path("."),
    out: Annotated[Path | None, typer.Option("--out", help="Output directory (default: dist/ of the project).")]
    = None,
    strict: StrictOpt = False,
    sources_dir: SourcesOpt = None,
    table: TableOpt = None,
    shacl: ShaclOpt = "set",
    jobs: Annotated[int | None, typer.Option("--jobs", min=1, help="Processes that make the export files "
                                             "(default: every core); the same files whatever the number.")] = None,
) -> None:
    """Load, expand, validate and export the knowledge graph into dist/ (the main job).

    Nothing is written unless the graph conforms. Example:

        smakg build --strict --sources-dir ../shared/seeds
    """

    def body() -> int:
        from smakg.export.registry import EXPORTS, Background, read_export_inputs
        from smakg.files import write_release
        from smakg.kb.build import build_graph
        from smakg.report.text import summary, to_text
        from smakg.validation.run import validate_built

        proj = Project(project)
        proj.check()
        target = out if out is not None else proj.dist
        inputs = read_export_inputs(proj)  # a bad context, frame or schema fails before the long validation
        _progress("building the graph…")
        built = build_graph(proj)
        _settle()
        sources = proj.sources_dir(sources_dir)
        # On several cores the export files are made in other processes while this one validates (on one, here
        # after validating); they are kept only if the graph conforms (and nothing is written otherwise).
        with Background(built.graph, proj, inputs, jobs=jobs) as background:
            _progress("validating…")
            outcome = validate_built(built, proj, sources_dir=sources, table=_table(proj, table), shacl=shacl)
            text = to_text(outcome, style=typer.style if sys.stdout.isatty() else None)
            if text:
                typer.echo(text)
            typer.echo(summary(outcome, strict=strict))
            chosen = _table(proj, table)
            ran = ["shapes", "Python checks"] + ([f"identifiers ({chosen})"] if chosen else [])
            ran += [f"quotes ({sources})"] if sources else []
            skipped = ([] if chosen else ["identifiers (no table: pass --table FILE)"]) + (
                [] if sources else ["quotes (the source documents are not in the repository: pass --sources-dir "
                                    "DIR or set SMAKG_SOURCES_DIR)"])
            typer.echo(f"checks run: {', '.join(ran)}" + (f"; skipped: {'; '.join(skipped)}" if skipped else ""))
            if not outcome.conforms(strict=strict):
                _err(f"nothing written to {target}/: fix the violations above" + (" and warnings" if strict else ""))
                return EXIT_VIOLATIONS
            _progress(f"writing the release into {target}/…")
            files = background.result()
        written = write_release(files, target, known=set(EXPORTS))
        checked = ", ".join(f"{k} {v}" for k, v in sorted(outcome.checked.items()))
        typer.echo(f"built {len(built.graph)} triples from {len(built.files)} files ({built.claims} claims)"
                   + (f"; checked: {checked}" if checked else ""))
        for path in written:
            typer.echo(f"  wrote {path}")
        return EXIT_OK

    _run(body)


@app.command()
def validate(
    files: Annotated[list[Path] | None, typer.Argument(help="Turtle files or folders to validate instead of "
                                                       "ontology/kb (claims or built graphs).")] = None,
    fmt_: Annotated[ReportFormat, typer.Option("--format", help="Report format: text for people; json, turtle (the "
                                               "SHACL report graph); github (Actions annotations), junit (JUnit "
                                               "XML), sarif (SARIF 2.1.0, code scanning) for CI.")
                    ] = ReportFormat.text,
    strict: StrictOpt = False,
    with_kb: Annotated[bool, typer.Option("--with-kb", help="Validate FILES together with ontology/kb.")] = False,
    out: Annotated[Path | None, typer.Option("--out", help="Write the report to this file.")] = None,
    sources_dir: SourcesOpt = None,
    table: TableOpt = None,
    shacl: ShaclOpt = "set",
    project: ProjectOpt = Path("."),
) -> None:
    """Validate the knowledge base (or FILES) against shapes/ and the Python checks.

    Exit 0 conforms, 1 violations (or warnings with --strict), 2 bad input. CI formats point at the file and
    line to fix, relative to the repository root. Examples:

        smakg validate my-claims.ttl --with-kb --format json

        smakg validate --format sarif --out smakg.sarif
    """

    def body() -> int:
        from smakg.kb.build import build_graph
        from smakg.validation.run import validate_built

        proj = Project(project)
        kb_files = None
        if files:
            kb_files = list(files) + ([proj.kb] if with_kb else [])
        built = build_graph(proj, kb_files)
        _settle()
        _progress("validating…")
        outcome = validate_built(built, proj, sources_dir=proj.sources_dir(sources_dir), table=_table(proj, table),
                                 shacl=shacl)
        return _print_outcome(outcome, fmt_, strict, out)

    _run(body)


@app.command("export")
def export_cmd(
    fmt_: Annotated[ExportFormat, typer.Option("--format", help="Export format: ttl, nt, jsonld (flat) or "
                                               "conditions (one framed JSON-LD document per condition).")
                    ] = ExportFormat.ttl,
    out: Annotated[Path | None, typer.Option("--out", help="Write to this file instead of standard output.")] = None,
    context: Annotated[Path | None, typer.Option("--context", help="JSON-LD formats: compact with this context "
                                                 "file (the context inline, nothing is fetched).")] = None,
    frame: Annotated[Path | None, typer.Option("--frame", help="JSON-LD formats: frame with this frame file "
                                               "instead of ontology/frames/conditions.frame.jsonld.")] = None,
    project: ProjectOpt = Path("."),
) -> None:
    """Build and validate the graph, then write one export format (refused if the graph has violations).

    Examples:  smakg export --format nt --out smakg.nt
               smakg export --format jsonld --context my-context.jsonld
    """

    def body() -> int:
        from smakg.export.registry import render_jsonld, render_one
        from smakg.files import write_one
        from smakg.kb.build import build_graph
        from smakg.report.text import summary
        from smakg.validation.run import validate_built

        if (context or frame) and fmt_ not in (ExportFormat.jsonld, ExportFormat.conditions):
            raise BadInputError(f"--context and --frame apply to --format jsonld or conditions, not {fmt_.value}",
                                hint="add --format jsonld (flat) or --format conditions (framed)")
        proj = Project(project)
        built = build_graph(proj)
        _progress("validating…")
        outcome = validate_built(built, proj)
        if not outcome.conforms():
            _err(summary(outcome) + ": run smakg validate for the details; nothing exported")
            return EXIT_VIOLATIONS
        if context or frame:
            text = render_jsonld(built.graph, proj, conditions=fmt_ is ExportFormat.conditions, context=context,
                                 frame=frame)
        else:
            name = {"ttl": "smakg.ttl", "nt": "smakg.nt", "jsonld": "smakg.jsonld",
                    "conditions": "smakg.conditions.jsonld"}[fmt_.value]
            text = render_one(name, built.graph, proj)
        if out is None:
            typer.echo(text, nl=False)
        else:
            write_one(text, out)
        return EXIT_OK

    _run(body)


def _check_command(project: Path, fmt_: ReportFormat, check: Callable[[Built], Outcome], counts: str) -> None:
    """Build the graph, run one Python check over it, print its report and the counts it made."""

    def body() -> int:
        from smakg.kb.build import build_graph

        built = build_graph(Project(project))
        outcome = check(built)
        code = _print_outcome(outcome, fmt_, False, None)
        if fmt_ is ReportFormat.text:
            typer.echo(counts.format(**outcome.checked))
        return code

    _run(body)


@app.command("verify-quotes")
def verify_quotes_cmd(
    sources_dir: SourcesOpt = None,
    fmt_: Annotated[ReportFormat, typer.Option("--format", help="Report format.")] = ReportFormat.text,
    project: ProjectOpt = Path("."),
) -> None:
    """Check that every quote occurs verbatim in its source document.

    Example:  smakg verify-quotes --sources-dir ../shared/seeds
    """
    from smakg.validation.quotes import verify_quotes

    found = Project(project).sources_dir(sources_dir)
    if found is None:
        _err("error: no source documents: pass --sources-dir DIR or set SMAKG_SOURCES_DIR (they are not part of the "
             "repository)")
        raise typer.Exit(EXIT_BAD_INPUT)
    _check_command(project, fmt_, lambda b: verify_quotes(b.graph, found, b.locations),
                   "quotes found: {found}/{quotes}")


@app.command("verify-xrefs")
def verify_xrefs_cmd(
    table: TableOpt = None,
    fmt_: Annotated[ReportFormat, typer.Option("--format", help="Report format.")] = ReportFormat.text,
    project: ProjectOpt = Path("."),
) -> None:
    """Check every imported cross-reference, DOI, PMID and HPO term against the verified identifier table.

    Example:  smakg verify-xrefs          (checks against ontology/identifiers.tsv)
    """
    from smakg.validation.xrefs import verify_xrefs

    proj = Project(project)
    chosen = _table(proj, table)
    if chosen is None:
        _err(f"error: no identifier table: {proj.identifiers} is missing; pass --table FILE")
        raise typer.Exit(EXIT_BAD_INPUT)
    _check_command(project, fmt_, lambda b: verify_xrefs(b.graph, chosen, b.locations),
                   "identifiers checked: {identifiers}")


class FindFormat(StrEnum):
    table = "table"
    json = "json"


# The predefined prefixes, by name (their IRIs are in src/smakg/kb/vocab.py, which --help must not import;
# tests/test_query_cmd.py holds this list to the prefix map).
PREFIX_NAMES = ("rdf, rdfs, owl, xsd, skos, prov, dcterms, dcat, void, pav, spdx, sh, oa, schema, biolink, fabio, "
                "bibo, oboInOwl, obo, smakg, shp, cond, gene, locus, phen, course, method, treatment, factor, src, "
                "agent, stmt, ev, sel, MONDO, HP, ECO, SO, OMO, GO, RO, CHR, GENO, Orphanet, OMIM, OMIMPS, HGNC, "
                "NCBIGene, ENSEMBL, PMID, DOI")


def _load(project: Path, data: Path | None) -> bytes:
    """The graph to query as N-Triples, saying so on a terminal when it has to be built first."""
    from smakg.sparql.dataset import load_data

    return load_data(Project(project), data=data,
                     progress=lambda: _progress("building the graph in memory (no up-to-date dist/smakg.nt)…")
                     ).ntriples


@app.command(help=(
    "Run a read-only SPARQL query over the built graph (updates, SERVICE and FROM are refused).\n\n"
    "QUERY is the query text, or the path of a file that holds it (a .rq file).\n\n"
    f"Predefined prefixes (a query's own PREFIX line wins): {PREFIX_NAMES}. Their IRIs are listed in "
    "docs/researchers.md and on the landing page of smakg serve.\n\n"
    "Examples:\n\n"
    "    smakg query queries/01-causal-genes.rq --format csv\n\n"
    "    smakg query 'SELECT ?alias WHERE { cond:smard1 skos:altLabel ?alias }'"))
def query(
    query_: Annotated[str, typer.Argument(metavar="QUERY", help="The query text, or a file that holds it.")],
    fmt_: Annotated[str | None, typer.Option("--format", metavar="FORMAT",
                                             help="table|csv|tsv|json|xml for SELECT/ASK (default table); "
                                             "ttl|nt|jsonld|rdfxml for CONSTRUCT/DESCRIBE (default ttl).")] = None,
    width: WidthOpt = 60,
    engine: EngineOpt = "oxigraph",
    data: DataOpt = None,
    project: ProjectOpt = Path("."),
) -> None:
    def body() -> int:
        from smakg.kb.jsonld_flat import read_context
        from smakg.sandbox import deny_network
        from smakg.sparql.query import Engine, query_text, render, screen

        text, source = query_text(query_)
        checked = screen(text, source=source)
        loaded = Engine(_load(project, data), engine)
        if _OWN_PROCESS:  # the second guard: from here on this process can open no network socket (where possible);
            deny_network()  # not when the command is called in someone else's process (a test's CliRunner)
        result = loaded.run(checked)
        context = read_context(Project(project).context) if fmt_ == "jsonld" else None
        typer.echo(render(result, fmt_, context=context, width=width or None), nl=False)
        return EXIT_OK

    _run(body)


@app.command()
def find(
    text: Annotated[str, typer.Argument(metavar="TEXT", help="A name, an alias or an identifier.")],
    fmt_: Annotated[FindFormat, typer.Option("--format", help="table for people, json for programs.")
                    ] = FindFormat.table,
    width: WidthOpt = 60,
    engine: EngineOpt = "oxigraph",
    data: DataOpt = None,
    project: ProjectOpt = Path("."),
) -> None:
    """Find entities by label, alias or identifier, and print the IRI (as a CURIE), kind and label of each, and
    what matched.

    An identifier is a CURIE (MONDO:0011436, OMIM:604320, HGNC:5542, cond:smard1) or a full IRI; case does not
    matter. Exit 0 with matches, 1 with none, 2 on bad input. Examples:

        smakg find SMARD1

        smakg find MONDO:0011436 --format json
    """

    def body() -> int:
        from smakg.sparql.find import Index, check_text, render
        from smakg.sparql.query import Engine

        wanted = check_text(text)  # bad input fails before the graph is loaded
        proj = Project(project)
        labels = None
        if proj.vocabulary.is_file():  # the kinds: each class's label in the vocabulary
            from rdflib.namespace import OWL, RDF, RDFS

            from smakg.kb.load import load_files

            vocabulary = load_files([proj.vocabulary]).graph
            labels = {str(c): str(label) for c in vocabulary.subjects(RDF.type, OWL.Class)
                      for label in vocabulary.objects(c, RDFS.label)}
        matches = Index(Engine(_load(project, data), engine), labels).search(wanted)
        typer.echo(render(matches, fmt_.value, text=wanted, width=width or None), nl=False)
        if not matches:
            _err(f"nothing matches {wanted!r}: try a shorter part of a name, an alias, or an identifier such as "
                 "MONDO:0011436")
        return EXIT_OK if matches else EXIT_VIOLATIONS

    _run(body)


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on (127.0.0.1: this machine only).")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port (0 picks a free one and prints it).")] = 8000,
    engine: EngineOpt = "oxigraph",
    workers: Annotated[int, typer.Option("--workers", min=1, max=64, help="Query worker processes.")] = 2,
    time_limit: Annotated[float, typer.Option("--time-limit", min=0.05, help="Seconds a query may run before "
                                              "it is stopped (503).")] = 5.0,
    row_limit: Annotated[int, typer.Option("--row-limit", min=1, help="Most rows (or triples) in one answer; "
                                           "longer results are cut and say so.")] = 10_000,
    max_body: Annotated[int, typer.Option("--max-body", min=1, help="Largest POST body in bytes (413 above).")]
    = 256 * 1024,
    max_answer: Annotated[int, typer.Option("--max-answer-bytes", min=1024, help="Largest answer: it is cut "
                                            "where its values pass this many bytes, and says so.")]
    = 16 * 1024 * 1024,
    worker_memory: Annotated[int, typer.Option("--worker-memory", min=0, metavar="MB", help="Address space of "
                                               "each query worker (0: no limit); a query needing more gets "
                                               "503.")] = 2048,
    idle_timeout: Annotated[float, typer.Option("--idle-timeout", min=0.1, help="Seconds a client may send "
                                                "nothing before its connection is closed.")] = 10.0,
    request_timeout: Annotated[float, typer.Option("--request-timeout", min=0.1, help="Seconds a request's "
                                                   "line, headers and body may take to arrive in all.")] = 30.0,
    max_connections: Annotated[int, typer.Option("--max-connections", min=1, help="Connections served at "
                                                 "once; more get 503.")] = 64,
    data: DataOpt = None,
    store: Annotated[Path | None, typer.Option("--store", metavar="DIR", help="Serve from a pyoxigraph store on "
                                               "disk in DIR (for graphs larger than memory): bulk-loaded once, "
                                               "reused while the release is unchanged, reloaded when it changes.")
                     ] = None,
    project: ProjectOpt = Path("."),
) -> None:
    """Serve the graph read-only over the SPARQL 1.1 Protocol, with entity pages under /id/ and /health.

    Examples:  smakg serve --port 8000   then   curl 'http://127.0.0.1:8000/id/condition/smard1'

               smakg serve --store /var/lib/smakg/store
    """

    def body() -> int:
        from smakg.kb.jsonld_flat import read_context
        from smakg.sparql.dataset import dump_or_data, load_data
        from smakg.sparql.query import ENGINES
        from smakg.web.jobs import Config
        from smakg.web.server import serve as run_server

        if engine not in ENGINES:
            raise BadInputError(f"unknown engine {engine!r}: choose one of {', '.join(ENGINES)}")
        if store is not None and engine != "oxigraph":
            raise BadInputError(f"--store is read by the oxigraph engine, not {engine}",
                                hint="drop --engine, or drop --store")
        proj = Project(project)
        building = "building the graph in memory (no up-to-date dist/smakg.nt)…"
        on_disk = None
        graph: bytes | Path
        if store is not None:
            from smakg.sparql.store import prepare

            source, origin = dump_or_data(proj, data=data, progress=lambda: _progress(building))
            on_disk = prepare(store, source, origin=origin, progress=_progress)
            graph = on_disk.path
            origin = f"{on_disk.path} ({'reused' if on_disk.reused else 'loaded'}; release {origin}, SHA-256 " \
                     f"{on_disk.sha256[:12]}…)"
        else:
            loaded = load_data(proj, data=data, progress=lambda: _progress(building))
            graph, origin = loaded.ntriples, loaded.origin
        context = read_context(proj.context)["@context"] if proj.context.exists() else None
        config = Config(host, port, workers, time_limit, row_limit, max_body, engine, idle_timeout,
                        request_timeout, max_connections, max_answer, worker_memory)
        vocabulary = None
        if proj.vocabulary.is_file():
            from smakg.kb.load import load_files

            vocabulary = load_files([proj.vocabulary]).graph
        from smakg.web.site import site_inputs

        _progress(f"starting {workers} query {'worker' if workers == 1 else 'workers'}…")
        try:
            run_server(config, graph, origin, context={"@context": context} if context else None,
                       vocabulary=vocabulary, site=site_inputs(proj))
        finally:
            if on_disk is not None:
                on_disk.release()
        return EXIT_OK

    _run(body)


@app.command()
def publish(
    endpoint: Annotated[str, typer.Option("--endpoint", metavar="URL", help="The store's base URL; its query, "
                                          "update and Graph Store Protocol URLs are URL/query, URL/update and "
                                          "URL/store (Oxigraph's layout) unless given below.")],
    query_url: Annotated[str | None, typer.Option("--query-url", metavar="URL", help="SPARQL query endpoint "
                                                  "(Virtuoso: http://HOST:8890/sparql).")] = None,
    update_url: Annotated[str | None, typer.Option("--update-url", metavar="URL", help="SPARQL update endpoint "
                                                   "(Virtuoso: http://HOST:8890/sparql).")] = None,
    store_url: Annotated[str | None, typer.Option("--store-url", metavar="URL", help="Graph Store Protocol "
                                                  "endpoint (Virtuoso: http://HOST:8890/sparql-graph-crud).")] = None,
    timeout: Annotated[float, typer.Option("--timeout", metavar="SECONDS", min=0.1, max=3600.0,
                                           help="Seconds to wait for the store in any one network operation "
                                           "(connect, send a chunk, read an answer), from 0.1 to 3600.")] = 60.0,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check the release and print the steps; connect to "
                                          "nothing.")] = False,
    dist: Annotated[Path | None, typer.Option("--dist", metavar="DIR", help="The built release (default: dist/ "
                                              "of the project).")] = None,
    project: ProjectOpt = Path("."),
) -> None:
    """Publish the built release into a SPARQL store: PUT dist/smakg.nt into the named graph of its version
    (https://w3id.org/smakg/graph/release/VERSION, Graph Store Protocol), check the store's triple count against
    void.ttl, and only then COPY it to https://w3id.org/smakg/graph/current, the graph readers query. Re-running
    is harmless. Credentials (HTTP basic) come from SMAKG_STORE_USER and SMAKG_STORE_PASSWORD only.

    Exit 0 published; 2 bad input or a refusal (no release, wrong URL, connection refused, HTTP 4xx); 4 the store
    failed (HTTP 5xx, time-out, connection lost); 5 the store's count differs from void.ttl. On 2, 4 and 5 the
    previous release stays current. Examples:

        smakg publish --endpoint http://127.0.0.1:7878 --dry-run

        smakg publish --endpoint http://127.0.0.1:8890 --query-url http://127.0.0.1:8890/sparql
        --update-url http://127.0.0.1:8890/sparql --store-url http://127.0.0.1:8890/sparql-graph-crud
    """

    def body() -> int:
        from smakg.web.publish import Target, plan, read_release
        from smakg.web.publish import publish as publish_release

        target = Target.of(endpoint, query_url=query_url, update_url=update_url, store_url=store_url,
                           timeout=timeout)
        for warning in target.warnings:
            _err(warning)
        with read_release(dist if dist is not None else Project(project).dist) as release:
            if dry_run:
                typer.echo("dry run: nothing is sent; publish would do:")
                for line in plan(release, target):
                    typer.echo(f"  {line}")
                return EXIT_OK
            done = publish_release(release, target, progress=_progress)
        typer.echo(f"published release {release.version} ({done.triples} triples, checked against void.ttl) into "
                   f"<{release.graph}> and made it current in <{done.current_graph}>: upload "
                   f"{done.upload_seconds:.2f} s, total {done.seconds:.2f} s")
        return EXIT_OK

    _run(body)


@app.command("site")
def site_cmd(
    out: Annotated[Path, typer.Argument(metavar="OUT", help="The folder to write (replaced whole once the new "
                                        "site is written; an existing folder must be a site smakg wrote).")],
    engine: EngineOpt = "oxigraph",
    data: DataOpt = None,
    project: ProjectOpt = Path("."),
) -> None:
    """Write the pages of the graph as a static site: the landing page with its search, a page per entity (with
    its diagram, Turtle and JSON-LD), the vocabulary, the search index. The same files smakg serve gives, for any
    static host.

    Example:  smakg site public/   then   python -m http.server --directory public
    """

    def body() -> int:
        from smakg.sparql.query import Engine
        from smakg.web.site import Site, site_inputs, write_site

        proj = Project(project)
        site = Site(Engine(_load(project, data), engine), site_inputs(proj))
        if not site.dot:
            _err("Graphviz dot is not installed: the pages carry the diagrams' text only (apt-get install graphviz)")
        count = write_site(site, out, progress=_progress)
        typer.echo(f"smakg site: {count} files written to {out}")
        return EXIT_OK

    _run(body)


class DiffFormat(StrEnum):
    text = "text"
    json = "json"


@app.command("diff")
def diff_cmd(
    old: Annotated[str, typer.Argument(help="The old release: a build folder (dist/), its smakg.nt or smakg.ttl, "
                                       "a project folder, or a git revision (HEAD~1, a tag, a commit).")],
    new: Annotated[str, typer.Argument(help="The new release, in any of the same forms (. for the work tree).")],
    fmt_: Annotated[DiffFormat, typer.Option("--format", help="text for a changelog, json for review.")] =
    DiffFormat.text,
    exit_code: Annotated[bool, typer.Option("--exit-code", help="Exit 1 when the releases differ.")] = False,
    project: ProjectOpt = Path("."),
) -> None:
    """Print what changed between two releases: statements added, removed and changed, per entity, with the
    evidence of each (a changed quote or source shows on the statement it supports).

    Git revisions are built from `git archive` into a temporary folder (no checkout, no network). Examples:

        smakg diff HEAD~1 HEAD
        smakg diff old-dist/ dist/ --format json
    """

    def body() -> int:
        from smakg.export.diff import compare, load, to_json, to_text

        _progress(f"reading {old}…")
        before = load(old, project)
        _progress(f"reading {new}…")
        result = compare(before, load(new, project))
        typer.echo((to_json if fmt_ is DiffFormat.json else to_text)(result), nl=False)
        return EXIT_VIOLATIONS if exit_code and not result.identical else EXIT_OK

    _run(body)


@app.command("fmt")
def fmt_cmd(
    files: Annotated[list[Path] | None,
                     typer.Argument(help="Files to format (default: ontology/ and shapes/).")] = None,
    check: Annotated[bool, typer.Option("--check", help="Only report files not in canonical form (exit 1).")] = False,
    project: ProjectOpt = Path("."),
) -> None:
    """Rewrite curated Turtle in its canonical form (sorted, one layout), or check it with --check.

    Example:  smakg fmt --check
    """

    def body() -> int:
        from smakg.kb.fmt import curated_files, fmt

        results = fmt(files or curated_files(Project(project)), check=check)
        changed = [r.path for r in results if r.changed]
        for path in changed:
            typer.echo(f"{'would reformat' if check else 'reformatted'} {path}")
        typer.echo(f"{len(results)} files, {len(changed)} {'not in canonical form' if check else 'reformatted'}")
        if check and changed:
            _err("run `smakg fmt` to rewrite them in canonical form")
            return EXIT_VIOLATIONS
        return EXIT_OK

    _run(body)


@app.command()
def shapes(
    fmt_: Annotated[ShapesFormat, typer.Option("--format", help="table (terminal), markdown or json.")
                    ] = ShapesFormat.table,
    project: ProjectOpt = Path("."),
) -> None:
    """List every shape in shapes/: its target, its constraints and their severity (what CI checks).

    Example:  smakg shapes --format markdown
    """
    from smakg.validation.catalog import render

    def body() -> int:
        typer.echo(render(Project(project).shapes, fmt_.value), nl=False)
        return EXIT_OK

    _run(body)


@app.command()
def synth(
    out: Annotated[Path, typer.Argument(help="New or empty folder to write the synthetic project into.")],
    scale: Annotated[int, typer.Option("--scale", help="Scale factor: copies of the knowledge base (1 is its "
                                       "own shape, about 2,700 built triples each).")] = 1,
    mistakes: Annotated[int, typer.Option("--mistakes", help="Curator's mistakes to inject (listed in "
                                          "mistakes.txt).")] = 0,
    seed: Annotated[int, typer.Option("--seed", help="Chooses the mistakes and their targets.")] = 0,
    project: ProjectOpt = Path("."),
) -> None:
    """Write a synthetic project (knowledge base, shapes, source documents) at any scale, for benchmarks.

    Valid by construction unless --mistakes is given. Example:

        smakg synth /tmp/kb100 --scale 40 && smakg build --project /tmp/kb100 --sources-dir /tmp/kb100/sources
    """

    def body() -> int:
        from smakg.qa.synthetic import generate

        made = generate(out, scale, template=Project(project), mistakes=mistakes, seed=seed)
        typer.echo(f"wrote {len(made.files)} files into {out}/: {made.triples} curated triples, {made.claims} claims"
                   + (f", {len(made.mistakes)} mistakes (mistakes.txt)" if mistakes else ""))
        return EXIT_OK

    _run(body)


@app.command()
def version() -> None:
    """Print the smakg version."""
    typer.echo(__version__)


def main() -> None:
    """Console-script entry point."""
    global _OWN_PROCESS
    _OWN_PROCESS = True
    try:
        app()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (EXIT_BAD_INPUT if exc.code else EXIT_OK)
        if code == EXIT_INTERRUPTED:  # Ctrl-C, in a command's body or in typer's own code around it
            _err(INTERRUPTED)
        sys.exit(code)
