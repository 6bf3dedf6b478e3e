"""The layout shows the design and stays so: data flows one way through the packages named for the steps, no
import cycle (not even inside a function), nothing imports the CLI, IRIs are spelled in the vocabulary module only,
every release file comes from the export registry, and the cheap commands load no RDF library."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "smakg"

# The packages each part may import: the data flows kb -> validation -> report, kb -> export, kb -> sparql -> web,
# and qa tests the validation; the basics (errors, files, findings, project, the version) are below every step.
BASICS = {"smakg", "errors", "files", "findings", "project", "sandbox"}
ALLOWED: dict[str, set[str]] = {
    "smakg": set(), "errors": set(), "findings": set(), "files": {"errors"}, "project": {"errors"}, "sandbox": set(),
    "kb": BASICS,
    "validation": BASICS | {"kb"},
    "report": BASICS | {"kb"},
    "export": BASICS | {"kb"},
    "sparql": BASICS | {"kb"},
    "web": BASICS | {"kb", "sparql"},
    "qa": BASICS | {"kb", "validation"},
    "cli": BASICS | {"kb", "validation", "report", "export", "sparql", "web", "qa"},
    "__main__": {"cli", "errors"},
}


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(SRC.rglob("*.py"))}


def part(module: str) -> str:
    """The step a module belongs to: its package under smakg, or the top-level module itself."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "smakg"


def imports_of(module: str) -> set[str]:
    """Every smakg module that ``module`` imports, wherever the import statement is (top level or in a function)."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    package = module if MODULES[module].name == "__init__.py" else module.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("smakg"))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base
                                                                                                   else []))
            if not base.startswith("smakg"):
                continue
            for alias in node.names:  # `from smakg.export import biolink` names a module
                candidate = f"{base}.{alias.name}"
                found.add(candidate if candidate in MODULES else base)
    return {m for m in found if m in MODULES and m != module}


GRAPH = {m: imports_of(m) for m in MODULES}


def test_the_packages_are_named_for_the_steps() -> None:
    packages = sorted(p.name for p in SRC.iterdir() if (p / "__init__.py").is_file())
    assert packages == ["export", "kb", "qa", "report", "sparql", "validation", "web"]
    top = sorted(p.name for p in SRC.glob("*.py"))
    assert top == ["__init__.py", "__main__.py", "cli.py", "errors.py", "files.py", "findings.py", "project.py",
                   "sandbox.py"], (
        "keep the top level to the CLI and the basics every step shares")


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every cycle a depth-first walk meets (imports inside functions and under TYPE_CHECKING included; a module
    imported by name through importlib would be invisible, so src/ has none: see the test below)."""
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1 visiting, 2 done
    stack: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for n in sorted(graph.get(m, ())):
            if state.get(n) == 1:
                cycles.append([*stack[stack.index(n):], n])
            elif n not in state:
                visit(n)
        stack.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)
    return cycles


def test_no_import_cycle_even_inside_functions() -> None:
    cycles = find_cycles(GRAPH)
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_the_cycle_check_can_fail() -> None:
    assert find_cycles({"a.x": {"a.y"}, "a.y": {"a.z"}, "a.z": {"a.x"}}) == [["a.x", "a.y", "a.z", "a.x"]]
    assert find_cycles({"a.x": {"a.y"}, "a.y": set()}) == []


def test_data_flows_one_way() -> None:
    sideways = sorted(f"{m} imports {n} ({part(n)} is not among what {part(m)} may import)"
                      for m, deps in GRAPH.items() for n in deps
                      if part(n) != part(m) and part(n) not in ALLOWED[part(m)])
    assert not sideways, "imports against the data flow:\n" + "\n".join(sideways)
    assert set(ALLOWED) >= {part(m) for m in MODULES}, "a new package needs its line in ALLOWED"


def test_nothing_imports_the_cli() -> None:
    assert sorted(m for m, deps in GRAPH.items() if "smakg.cli" in deps) == ["smakg.__main__"]


def test_the_layering_check_can_fail() -> None:
    assert part("smakg.kb.vocab") == "kb" and part("smakg.cli") == "cli" and part("smakg") == "smakg"
    assert "export" not in ALLOWED["sparql"] and "validation" not in ALLOWED["export"]
    assert "smakg.kb.vocab" in GRAPH["smakg.export.sssom"]


# Strings that name a scheme without being an IRI of the data, and a deliberately wrong IRI of a mutation.
IRI_ALLOWED = {
    ("smakg.kb.jsonld", "http://"), ("smakg.kb.jsonld", "https://"),
    ("smakg.web.server", "http://"), ("smakg.validation.checks", "file:"),
    ("smakg.qa.mistakes", "file:///curator/ontology/kb/claims/"),
}


def test_iris_are_spelled_in_the_vocabulary_module_only() -> None:
    found = []
    for module, path in MODULES.items():
        if module == "smakg.kb.vocab":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                      if isinstance(n, ast.Module | ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef)
                      and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
                    and (node.value.startswith(("http://", "https://", "urn:", "file:")) or "<http" in node.value)
                    and (module, node.value) not in IRI_ALLOWED):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value!r}")
    assert not found, "IRIs belong in src/smakg/kb/vocab.py:\n" + "\n".join(found)


def test_every_release_file_comes_from_the_registry(tmp_path: Path) -> None:
    """What `smakg build` writes into dist/ is exactly the registry's list of files."""
    from smakg.export.registry import EXPORTS

    done = subprocess.run([sys.executable, "-m", "smakg", "build", "--project", str(ROOT), "--out",
                           str(tmp_path / "dist")], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-600:] + done.stderr[-600:]
    assert sorted(p.name for p in (tmp_path / "dist").iterdir()) == sorted(EXPORTS)
    assert list(EXPORTS)[-1] == "void.ttl", "void.ttl describes and hashes the others, so it is made last"


def test_no_module_is_imported_by_name() -> None:
    """importlib.import_module and __import__ would hide an import from the cycle and layering checks."""
    found = [f"{path.relative_to(ROOT)}:{node.lineno}" for module, path in MODULES.items()
             for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
             if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute | ast.Name)
             and "import_module" in (getattr(node.func, "attr", None), getattr(node.func, "id", None), ""))
             or (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "__import__")]
    assert not found, found


HEAVY = ("rdflib", "pyshacl", "pyoxigraph", "pyld", "jsonschema", "owlrl")


@pytest.mark.parametrize("args", [["--help"], ["version"], ["build", "--help"]])
def test_cheap_commands_load_no_rdf_library(args: list[str]) -> None:
    code = ("import sys\nfrom smakg.cli import main\nsys.argv = ['smakg', *sys.argv[1:]]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            f"print('LOADED', sorted(m for m in {HEAVY!r} if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=60)
    assert "LOADED []" in done.stdout, done.stdout[-400:] + done.stderr[-400:]
