"""A release is whole or absent (issue 11): ``dist/`` switches from the old release to the new one in one step, an
interrupt or a kill at any step leaves the old release byte-identical or the new one complete, what a killed build
left is removed by the next one, and a folder of someone else's files is never swapped away."""

from __future__ import annotations

import hashlib
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import ROOT

from smakg.errors import BadInputError
from smakg.export.registry import EXPORTS
from smakg.files import clean_release_leftovers, write_release

NAMES = sorted(EXPORTS)
OLD = {name: f"old {name}\n" for name in NAMES}
NEW = {name: f"new {name}\n" * 2000 for name in NAMES}


def contents(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())}


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.parent.iterdir() if p.name != folder.name)


def test_a_release_replaces_the_old_one_whole(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    write_release(OLD, dist)
    assert contents(dist) == OLD
    write_release({"a.ttl": "a\n"}, dist, known=set(OLD))
    assert contents(dist) == {"a.ttl": "a\n"}, "files of the old release that the new one lacks are gone too"
    assert leftovers(dist) == []


def test_a_folder_of_other_files_is_refused_not_replaced(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "thesis.docx").write_text("years of work", encoding="utf-8")
    with pytest.raises(BadInputError, match="not part of a release"):
        write_release(NEW, home, known=set(NAMES))
    assert contents(home) == {"thesis.docx": "years of work"}
    assert leftovers(home) == []
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(BadInputError, match="a file has that name"):
        write_release(NEW, tmp_path / "file")


def test_what_a_killed_build_left_is_removed(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    write_release(OLD, dist)
    (tmp_path / ".dist.new-abc123").mkdir()
    (tmp_path / ".dist.new-abc123" / "smakg.nt").write_text("half", encoding="utf-8")
    (tmp_path / ".dist.old-def456").mkdir()
    (dist / ".smakg.nt.x1y2.tmp").write_text("half", encoding="utf-8")  # what smakg before this change left
    write_release(NEW, dist, known=set(NAMES))
    assert contents(dist) == NEW and leftovers(dist) == []


def test_a_two_step_switch_cut_in_the_middle_is_undone(tmp_path: Path) -> None:
    """Where the system has no one-step exchange, a kill between the two renames leaves the old release under
    its .old- name and no dist/: the next look puts it back."""
    dist = tmp_path / "dist"
    write_release(OLD, dist)
    dist.rename(tmp_path / ".dist.old-zz")
    clean_release_leftovers(dist)
    assert contents(dist) == OLD and leftovers(dist) == []


# ---- faults at every step -------------------------------------------------------------------------------------

CHILD = textwrap.dedent("""
    import json, os, shutil, signal, sys
    from pathlib import Path
    import smakg.files as files

    out, at, how = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    outputs = json.loads(Path(sys.argv[4]).read_text())
    count = 0

    def step(real):
        def wrapped(*args, **kwargs):
            global count
            count += 1
            if count == at:  # the fault arrives just before this step
                os.kill(os.getpid(), signal.SIGINT if how == "interrupt" else signal.SIGKILL)
            return real(*args, **kwargs)
        return wrapped

    for name in ("rename", "replace", "fsync", "chmod"):
        setattr(files.os, name, step(getattr(os, name)))
    files._exchange = step(files._exchange)
    files.shutil.rmtree = step(shutil.rmtree)
    files.tempfile.mkdtemp = step(files.tempfile.mkdtemp)
    try:
        files.write_release(outputs, out)
    except KeyboardInterrupt:
        print("interrupted at", count)
        sys.exit(130)
    print("steps", count)
""")


def run_child(dist: Path, at: int, how: str, outputs: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", CHILD, str(dist), str(at), how, str(outputs)], capture_output=True,
                          text=True, timeout=120, cwd=ROOT)


@pytest.mark.parametrize("how", ["interrupt", "kill"])
def test_a_fault_at_every_step_leaves_old_or_new_whole(tmp_path: Path, how: str) -> None:
    import json

    outputs = tmp_path / "outputs.json"
    outputs.write_text(json.dumps(NEW), encoding="utf-8")
    probe = tmp_path / "probe" / "dist"
    write_release(OLD, probe)
    done = run_child(probe, 0, how, outputs)
    steps = int(done.stdout.split()[-1])
    assert done.returncode == 0 and steps >= 2 * len(NAMES) + 3, done.stdout + done.stderr
    outcomes = {"old": 0, "new": 0}
    for at in range(1, steps + 1):
        dist = tmp_path / f"run{at}" / "dist"
        write_release(OLD, dist)
        result = run_child(dist, at, how, outputs)
        expected = 130 if how == "interrupt" else -signal.SIGKILL
        assert result.returncode == expected, (at, result.stdout, result.stderr)
        found = contents(dist)
        assert found in (OLD, NEW), f"a {how} at step {at} of {steps} left a mixed release"
        outcomes["old" if found == OLD else "new"] += 1
        if how == "interrupt":
            assert leftovers(dist) == [], f"an interrupt at step {at} left {leftovers(dist)}"
        clean_release_leftovers(dist)  # what the next build does first
        assert contents(dist) == found and leftovers(dist) == []
    assert outcomes["old"] > 0 and outcomes["new"] > 0, outcomes  # faults both before and after the switch


def test_ctrl_c_during_a_real_build_exits_130_and_keeps_a_whole_release(tmp_path: Path) -> None:
    """``smakg build`` interrupted at moments spread over its run (the imports, the build, the validation, the
    writing): exit 130, one line, and dist/ is the old release or the complete new one."""
    import shutil

    project = tmp_path / "p"
    shutil.copytree(ROOT / "ontology", project / "ontology")
    shutil.copytree(ROOT / "shapes", project / "shapes")
    dist = project / "dist"
    command = [str(Path(sys.executable).parent / "smakg"), "build", "--project", str(project)]  # the console script
    started = time.monotonic()
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    full = time.monotonic() - started
    new = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in dist.iterdir()}
    # The console script pip writes runs `import re, sys` before it reaches smakg's entry point, which is where a
    # Ctrl-C starts being smakg's to handle: no interrupt before twice the time that takes (a fast build made 1%
    # of its run fall inside it).
    started = time.monotonic()
    subprocess.run([sys.executable, "-c", "import re, sys"], check=True)
    floor = 2 * (time.monotonic() - started)
    for fraction in (0.01, 0.03, 0.06, 0.1, 0.25, 0.4, 0.55, 0.7, 0.85, 0.95):
        write_release(OLD, dist, known=set(NAMES))
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(max(full * fraction, floor))
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=300)
        if process.returncode == 0:
            continue  # it finished first
        assert process.returncode == 130, (fraction, err)
        assert err.strip().splitlines()[-1:] == ["smakg: interrupted"] and "Traceback" not in err, (fraction, err)
        found = {p.name: p.read_text(encoding="utf-8") for p in dist.iterdir()}
        if found != OLD:
            assert {n: hashlib.sha256(t.encode()).hexdigest() for n, t in found.items()} == new, fraction
        assert leftovers(dist) == [] or all(n in ("ontology", "shapes") for n in leftovers(dist))
