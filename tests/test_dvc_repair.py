"""A ``dvc repro`` killed half-way can leave DVC's own lock files empty; the next run repairs them
in one line (``python -m pipeline.dvc_repair``, called by ``make run``) instead of refusing (issue 20, item 9).
Real ``dvc`` on a one-stage project."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import dvc_repair

DVC = str(Path(sys.executable).with_name("dvc"))
ENV = {**os.environ, "DVC_NO_ANALYTICS": "1"}


def run(project: Path, *command: str) -> subprocess.CompletedProcess:
    return subprocess.run(list(command), cwd=project, env=ENV, capture_output=True, text=True, timeout=300)


@pytest.fixture
def project(tmp_path):
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    assert run(tmp_path, DVC, "init", "-q").returncode == 0
    (tmp_path / "dvc.yaml").write_text("stages:\n  a:\n    cmd: echo hi > out.txt\n    outs:\n      - out.txt\n")
    assert run(tmp_path, DVC, "repro", "-q").returncode == 0
    return tmp_path


def age(path: Path) -> None:
    old = path.stat().st_mtime - 60
    os.utime(path, (old, old))


@pytest.mark.parametrize("broken", ["dvc.lock", ".dvc/tmp/rwlock"])
def test_an_emptied_lock_file_is_repaired_in_one_line(project, broken):
    path = project / broken
    path.write_text("")
    age(path)
    repair = run(project, sys.executable, "-m", "pipeline.dvc_repair")
    assert repair.returncode == 0
    [line] = repair.stderr.splitlines()
    assert line.startswith(f"dvc_repair: {broken} was empty (a run was killed?); removed")
    result = run(project, DVC, "repro")
    assert result.returncode == 0, result.stderr
    assert (project / "out.txt").read_text().strip() == "hi"


def test_dvc_alone_refuses_an_emptied_rwlock(project):
    """Why the repair exists: without it the next run stops with DVC's own error."""
    rwlock = project / ".dvc" / "tmp" / "rwlock"
    rwlock.write_text("")
    result = run(project, DVC, "repro")
    assert result.returncode != 0 and "rwlock" in result.stderr.lower()


@pytest.mark.parametrize("broken, content", [
    ("dvc.lock", "schema: '2.0'\nstages: {a: [unclosed\n"), ("dvc.lock", "- a list\n"),
    (".dvc/tmp/rwlock", '{"read": {'), (".dvc/tmp/rwlock", "[]"),
])
def test_an_unreadable_lock_file_is_found(tmp_path, broken, content):
    path = tmp_path / broken
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content)
    [(found, message)] = dvc_repair.repairs(tmp_path, now=path.stat().st_mtime + 60)
    assert found == path and f"{broken} was unreadable" in message


def test_sound_or_fresh_lock_files_are_left_alone(project):
    assert dvc_repair.repairs(project) == []                  # a sound dvc.lock after a good run
    rwlock = project / ".dvc" / "tmp" / "rwlock"
    rwlock.write_text("")                                     # being written by a run going on now
    assert dvc_repair.repairs(project) == []
    assert dvc_repair.repairs(project, now=rwlock.stat().st_mtime + 60) != []


def test_the_makefile_repairs_before_running():
    makefile = (Path(__file__).resolve().parents[1] / "Makefile").read_text()
    recipe = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert recipe.index("pipeline.dvc_repair") < recipe.index("dvc repro")
