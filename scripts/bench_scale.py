"""smakg at scale: the full build of a synthetic knowledge base (smakg synth) at several sizes, step by step, beside
the naive pipeline and pyoxigraph's parse and serialise, each in a fresh process (figures, not a test).

    nice -n 10 python scripts/bench_scale.py --sizes 10000 100000 1000000 --naive-max 100000

For each size it prints the seconds of every step of smakg (load, expand, validate by check, every export), the
triples per second, the peak RSS of each process, the same build on one core (``--jobs 1``: the exports one after
another) against all cores, the naive pipeline on the same built graph (rdflib parse of the
Turtle, pyshacl with smakg's shapes, rdflib Turtle and JSON-LD out), pyoxigraph (parse, Turtle, N-Triples and
JSON-LD out) as the practical limit, the ratio of smakg to the naive pipeline, and per step the exponent of a
least-squares fit of log time on log size (1 is linear).
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rss_children_mib() -> float:
    """The peak RSS of the largest child process (the export processes), while it ran beside this one."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def child_smakg(folder: Path, jobs: int | None = None) -> dict[str, Any]:
    """One full build of the project at ``folder`` (all checks), timed per step, the exports made by ``jobs``
    processes (default: every core); writes ``folder/dist``."""
    start = time.perf_counter()
    from smakg.export.registry import EXPORTS, Background, read_export_inputs
    from smakg.files import write_release
    from smakg.kb.build import assemble
    from smakg.kb.load import discover, load_files
    from smakg.project import Project
    from smakg.validation.run import validate_built

    t: dict[str, float] = {"import": time.perf_counter() - start}
    project = Project(folder)
    inputs = read_export_inputs(project)
    mark = time.perf_counter()
    loaded = load_files(discover([project.kb]))
    t["load"] = time.perf_counter() - mark
    mark = time.perf_counter()
    built = assemble(project, loaded)
    t["expand"] = time.perf_counter() - mark
    gc.freeze()  # as smakg build does once the graph is built (cli._settle)
    # as smakg build does: the exports made in other processes while this one validates
    with Background(built.graph, project, inputs, jobs=jobs) as background:
        outcome = validate_built(built, project, sources_dir=folder / "sources", table=project.identifiers,
                                 timings=t)
        if outcome.violations:
            raise SystemExit(f"{folder}: {outcome.violations} violations: the synthetic project should be valid")
        mark = time.perf_counter()
        outputs = background.result(timings=t)
        t["export (wait)"] = time.perf_counter() - mark
    mark = time.perf_counter()
    write_release(outputs, project.dist, known=set(EXPORTS))  # as smakg build writes
    t["write"] = time.perf_counter() - mark
    t["total"] = time.perf_counter() - start
    return {"times": t, "triples": len(built.graph), "rss": _rss_mib(), "rss_children": _rss_children_mib()}


def child_smakg_1(folder: Path) -> dict[str, Any]:
    """``child_smakg`` on one core (the exports made one after another, in this process)."""
    return child_smakg(folder, jobs=1)


def child_naive(folder: Path) -> dict[str, Any]:
    """The naive pipeline on the built graph: rdflib parse, pyshacl with the shapes, rdflib Turtle and JSON-LD."""
    start = time.perf_counter()
    import pyshacl
    from rdflib import Graph

    t: dict[str, float] = {"import": time.perf_counter() - start}
    mark = time.perf_counter()
    graph = Graph().parse(folder / "dist" / "smakg.ttl", format="turtle")
    t["parse"] = time.perf_counter() - mark
    shapes = Graph()
    for path in sorted((folder / "shapes").glob("*.ttl")):
        shapes.parse(path, format="turtle")
    mark = time.perf_counter()
    pyshacl.validate(graph, shacl_graph=shapes, inference="none", allow_warnings=True, allow_infos=True)
    t["validate"] = time.perf_counter() - mark
    mark = time.perf_counter()
    graph.serialize(format="turtle")
    t["turtle"] = time.perf_counter() - mark
    context = json.loads((folder / "ontology" / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    mark = time.perf_counter()
    graph.serialize(format="json-ld", context=context)
    t["jsonld"] = time.perf_counter() - mark
    t["total"] = time.perf_counter() - start
    return {"times": t, "triples": len(graph), "rss": _rss_mib()}


def child_oxigraph(folder: Path) -> dict[str, Any]:
    """pyoxigraph's parse and serialise of the built graph: the practical limit."""
    start = time.perf_counter()
    import pyoxigraph as ox

    t: dict[str, float] = {"import": time.perf_counter() - start}
    mark = time.perf_counter()
    quads = list(ox.parse(path=str(folder / "dist" / "smakg.ttl"), format=ox.RdfFormat.TURTLE))
    t["parse"] = time.perf_counter() - mark
    for name, fmt in (("turtle", ox.RdfFormat.TURTLE), ("ntriples", ox.RdfFormat.N_TRIPLES),
                      ("jsonld", ox.RdfFormat.JSON_LD)):
        mark = time.perf_counter()
        ox.serialize([q.triple for q in quads], format=fmt)
        t[name] = time.perf_counter() - mark
    t["total"] = time.perf_counter() - start
    return {"times": t, "triples": len(quads), "rss": _rss_mib()}


CHILDREN = {"smakg": child_smakg, "smakg-1": child_smakg_1, "naive": child_naive, "oxigraph": child_oxigraph}


def run_child(kind: str, folder: Path) -> dict[str, Any]:
    done = subprocess.run([sys.executable, __file__, "--child", kind, str(folder)], capture_output=True, text=True,
                          cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"{kind} on {folder} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def scale_for(triples: int, per_copy: float, base: float) -> int:
    """The scale factor whose built graph is nearest ``triples``."""
    return max(1, round((triples - base) / per_copy))


def calibrate(work: Path) -> tuple[float, float]:
    """Built triples per copy of the knowledge base, and the constant part (imports, dataset description)."""
    from smakg.kb.build import build_graph
    from smakg.project import Project
    from smakg.qa.synthetic import generate

    sizes = []
    for scale in (1, 2):
        generate(work / f"calibrate{scale}", scale, template=Project(ROOT))
        sizes.append(len(build_graph(Project(work / f"calibrate{scale}")).graph))
    per_copy = sizes[1] - sizes[0]
    return float(per_copy), float(sizes[0] - per_copy)


def exponent(points: list[tuple[float, float]]) -> float | None:
    """The slope of the least-squares line through (log size, log seconds)."""
    pts = [(math.log(n), math.log(s)) for n, s in points if n > 0 and s > 0]
    if len(pts) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    var = sum((x - mx) ** 2 for x, _ in pts)
    return sum((x - mx) * (y - my) for x, y in pts) / var if var else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000],
                        help="built triples to aim for (the nearest whole number of copies)")
    parser.add_argument("--no-naive", action="store_true", help="skip the naive pipeline (slow at large sizes)")
    parser.add_argument("--naive-max", type=int, metavar="TRIPLES",
                        help="run the naive pipeline only up to this size (its pyshacl takes hours at 1M)")
    parser.add_argument("--no-one-core", action="store_true",
                        help="skip the second smakg build with --jobs 1 (the exports one after another)")
    parser.add_argument("--work", type=Path, help="keep the synthetic projects in this folder")
    parser.add_argument("--literal-mb", type=float, nargs="+", metavar="MB",
                        help="instead: build the real knowledge base with one condition's rdfs:comment this many MB "
                             "long (issue 11: the cost must be linear in the input), per step")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(CHILDREN[args.child[0]](Path(args.child[1]))))
        return

    from smakg.project import Project
    from smakg.qa.synthetic import generate

    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        if args.literal_mb:
            report_literal([(mb, run_child("smakg", literal_project(work, mb))) for mb in args.literal_mb])
            return
        per_copy, base = calibrate(Path(tempfile.mkdtemp(dir=work)))
        print(f"one copy of the knowledge base builds to {per_copy:.0f} triples (plus {base:.0f} of imports and "
              f"description); {os.cpu_count()} cores")
        rows = []
        for size in args.sizes:
            scale = scale_for(size, per_copy, base)
            folder = work / f"scale{scale}"
            if not (folder / "ontology").is_dir():
                generate(folder, scale, template=Project(ROOT))
            row = {"scale": scale, "smakg": run_child("smakg", folder), "oxigraph": run_child("oxigraph", folder)}
            row["smakg-1"] = None if args.no_one_core else run_child("smakg-1", folder)
            skip_naive = args.no_naive or (args.naive_max is not None and size > args.naive_max)
            row["naive"] = None if skip_naive else run_child("naive", folder)
            rows.append(row)
            report_size(row)
        report_fit(rows)


def literal_project(work: Path, mb: float) -> Path:
    """A copy of the real knowledge base (``smakg synth --scale 1``) where one condition has an ``mb`` MB
    rdfs:comment (free text every shape accepts)."""
    from smakg.project import Project
    from smakg.qa.synthetic import generate

    folder = work / f"literal{mb:g}mb"
    if not (folder / "ontology").is_dir():
        generate(folder, 1, template=Project(ROOT))
    words = "spinal muscular atrophy of the long comment "
    text = (words * (int(mb * 1_000_000) // len(words) + 1))[:int(mb * 1_000_000)].strip()
    (folder / "ontology" / "kb" / "entities" / "long-comment.ttl").write_text(
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix cond: <https://w3id.org/smakg/id/condition/> .\n\n"
        f'cond:sma-5q rdfs:comment "{text}" .\n' if text else "", encoding="utf-8")
    return folder


def report_literal(rows: list[tuple[float, dict[str, Any]]]) -> None:
    """Seconds per step against the size of the one long literal, and the exponent of the extra cost."""
    steps = [k for k in rows[0][1]["times"] if k != "import"]
    print(f"{'step':40} " + " ".join(f"{f'{mb:g} MB':>9}" for mb, _ in rows))
    for step in steps:
        print(f"{step:40} " + " ".join(f"{r['times'].get(step, 0.0):9.3f}" for _, r in rows))
    print(f"{'peak RSS MiB':40} " + " ".join(f"{r['rss']:9.0f}" for _, r in rows))
    base = min(rows, key=lambda r: r[0])
    extra = [(mb, r["times"]["total"] - base[1]["times"]["total"]) for mb, r in rows if mb > base[0]]
    for mb, seconds in extra:
        print(f"{mb:g} MB literal: {seconds:.2f} s over the {base[0]:g} MB build, {seconds / mb:.3f} s per MB")
    k = exponent(extra)
    if k is not None:
        print(f"exponent of the extra time in the literal's size: {k:.2f} (1 is linear)")


def report_size(row: dict[str, Any]) -> None:
    s, ox, naive = row["smakg"], row["oxigraph"], row["naive"]
    n = s["triples"]
    print(f"\n== scale {row['scale']}: {n} built triples ==")
    print(f"{'step':40} {'seconds':>9} {'triples/s':>11}")
    for step, seconds in s["times"].items():
        print(f"smakg {step:34} {seconds:9.3f} {n / seconds if seconds else 0:11.0f}")
    print(f"smakg peak RSS {s['rss']:.0f} MiB (largest export process {s.get('rss_children', 0):.0f} MiB)")
    one = row.get("smakg-1")
    if one:
        print(f"smakg on one core (--jobs 1): total {one['times']['total']:.3f} s (exports after validating "
              f"{one['times']['export (wait)']:.3f} s); on {os.cpu_count()} cores, the exports made in other "
              f"processes while validating: total {s['times']['total']:.3f} s (waiting for the exports after "
              f"validating {s['times']['export (wait)']:.3f} s); {one['times']['total'] / s['times']['total']:.2f}x")
    if naive:
        for step, seconds in naive["times"].items():
            print(f"naive {step:34} {seconds:9.3f} {n / seconds if seconds else 0:11.0f}")
        ratio = naive["times"]["total"] / s["times"]["total"]
        print(f"naive peak RSS {naive['rss']:.0f} MiB; naive total / smakg total = {ratio:.2f} "
              f"(smakg is {ratio:.2f}x as fast as the naive pipeline)")
    for step, seconds in ox["times"].items():
        print(f"pyoxigraph {step:29} {seconds:9.3f} {n / seconds if seconds else 0:11.0f}")
    print(f"pyoxigraph peak RSS {ox['rss']:.0f} MiB; smakg total / pyoxigraph total = "
          f"{s['times']['total'] / ox['times']['total']:.1f}")


def report_fit(rows: list[dict[str, Any]]) -> None:
    if len(rows) < 2:
        return
    print("\n== fitted exponent per step (log-log least squares; 1 is linear) ==")
    for engine in ("smakg", "smakg-1", "naive", "oxigraph"):
        present = [r for r in rows if r.get(engine)]
        if len(present) < 2:
            continue
        for step in present[0][engine]["times"]:
            if step == "import":
                continue
            points = [(r[engine]["triples"], r[engine]["times"].get(step, 0.0)) for r in present]
            k = exponent(points)
            print(f"{engine:10} {step:34} {'-' if k is None else f'{k:.2f}'}")


if __name__ == "__main__":
    main()
