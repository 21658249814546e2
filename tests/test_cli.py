"""The command line as a user meets it: help per stage, --version, unknown names refused with what
is known, one summary line per stage and a last line that agrees with the exit status.

Runs the real CLI (as a subprocess for what the shell shows, through ``main`` for the run on the
real KPI report PDF). Expected counts come from the answer keys (tests/answers/), not from the
program's own output.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ANSWERS, RAW, read_csv

from pipeline.cli import FEWER_COLLECTIONS, STAGES, main

KPI = "isehara_sousei_kpi_r4"
MUNIPLAN = Path(sys.executable).with_name("muniplan")


def shell(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(MUNIPLAN), *args], capture_output=True, text=True, timeout=120)


def test_the_installed_command_names_itself_and_has_a_version():
    result = shell("--help")
    assert result.returncode == 0
    assert result.stdout.startswith("usage: muniplan ")
    assert "python -m pipeline" not in result.stdout
    version = shell("--version")
    assert version.returncode == 0 and version.stdout.strip().startswith("muniplan 0.")


def test_each_stage_has_its_own_help():
    texts = {}
    for stage in STAGES + ("run",):
        result = shell(stage, "--help")
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith(f"usage: muniplan {stage} ")
        assert "``" not in result.stdout and "`" not in result.stdout, "no reST markup in help"
        texts[stage] = result.stdout.split("\n\n", 1)[1]
    assert len(set(texts.values())) == len(texts), "every stage says something of its own"
    assert "--docs" in texts["extract"] and "--docs" not in texts["tidy"]


@pytest.mark.parametrize("docs", ["no_such_doc", "no_such_doc.pdf", f"{KPI},nope"])
def test_an_unknown_document_is_an_error_naming_the_known_ones(docs, tmp_path, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["run", "--raw", str(RAW), "--out", str(tmp_path), f"--docs={docs}"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "no document" in err and KPI in err.split("known:")[1]
    assert not (tmp_path / "observations.csv").exists(), "nothing is written for a mistyped name"


@pytest.mark.parametrize("argv", [["frobnicate"], ["tidy", "--jobs", "2"], ["run", "--no-such-option"], []])
def test_an_unknown_stage_or_option_is_an_error(argv):
    result = shell(*argv)
    assert result.returncode == 2
    assert "error:" in result.stderr
    if argv[:1] == ["frobnicate"]:
        assert "extract" in result.stderr and "check" in result.stderr, "the known stages are named"
    if argv[:1] == ["tidy"]:
        assert "tidy does not take --jobs 2; it takes: --out" in result.stderr, "the known options are named"


def test_a_run_says_one_line_per_stage_and_ends_with_its_findings(tmp_path, capsys):
    argv = ["run", "--raw", str(RAW), "--out", str(tmp_path), f"--docs={KPI}.pdf", "--jobs", "1"]
    status = main(argv)
    err = capsys.readouterr().err
    summaries = [line for line in err.splitlines() if not line.startswith(" ")]
    assert [line.split(":")[0] for line in summaries[:len(STAGES)]] == list(STAGES)
    assert "1 document(s) read, 0 from cache, 0 failed" in summaries[0]
    keys = read_csv(ANSWERS / f"{KPI}.grades.csv")
    differ = sum(k["published_grade"] != k["recomputed_grade"] for k in keys if k["published_grade"])
    assert differ > 0
    assert f"{differ} differ from the published grade" in summaries[2]
    last = summaries[-1]
    assert status == 0 and last.startswith("check: passed (exit 0) with findings to review")
    assert f"{differ} grade(s) differ" in last and str(tmp_path / "audit.html") in last
    assert "all good" not in err
    # the 総括表 lines are printed once per run
    lines = [line for line in err.splitlines() if "総括表 differs" in line]
    assert lines and len(lines) == len(set(lines))

    capsys.readouterr()
    assert main(["extract", "--raw", str(RAW), "--out", str(tmp_path), f"--docs={KPI}", "--jobs", "1"]) == 0
    assert "0 document(s) read, 1 from cache, 0 failed" in capsys.readouterr().err


def test_a_failing_run_says_so_last(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "broken.pdf").write_bytes(b"%PDF-1.4\nnot really a pdf")
    (raw / "sources.yaml").write_text("- file: broken.pdf\n  municipality: X市\n", encoding="utf-8")
    status = main(["run", "--raw", str(raw), "--out", str(tmp_path / "out"), "--jobs", "1"])
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert status == 1
    assert last.startswith("check: FAILED (exit 1)") and "1 document(s) not read" in last


@pytest.mark.parametrize("start", ["runpy.run_module('pipeline', run_name='__main__')",
                                   "from pipeline.cli import main; sys.exit(main())"],
                         ids=["python -m pipeline", "muniplan (pipeline.cli:main)"])
def test_the_teardown_collects_nothing_and_every_exit_handler_still_runs(tmp_path, start):
    """A stage's process skips the teardown's garbage collections (``gc.freeze`` at exit, after the
    libraries' exit handlers), whichever way it is started: a handler registered before the stage
    runs after the freeze and sees it; the stage's message, exit status and file are as without it."""
    code = ("import atexit, gc, runpy, sys\n"
            "atexit.register(lambda: print('frozen at exit:', gc.get_freeze_count() > 0, flush=True))\n"
            f"sys.argv = ['muniplan', 'report', '--out', {str(tmp_path)!r}]\n" + start)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "frozen at exit: True"
    assert result.stderr.strip() == f"report: {tmp_path / 'audit.html'}"
    assert "is missing (its stage has not run)" in (tmp_path / "audit.html").read_text(encoding="utf-8")


def test_a_stage_called_in_process_leaves_the_callers_collector_settings(tmp_path):
    """``main`` raises the collector's thresholds only while a later stage runs (``fewer_collections``)
    and puts the caller's back, also when the stage fails."""
    import gc

    before = gc.get_threshold()
    assert before != FEWER_COLLECTIONS
    assert main(["check", "--out", str(tmp_path)]) == 1            # nothing to check: fails, says why
    assert gc.get_threshold() == before


@pytest.mark.skipif(not Path("/proc/self/task").is_dir() or (os.cpu_count() or 1) < 2,
                    reason="counts the process's threads in /proc on a machine with several cores")
def test_numpy_starts_no_thread_pool_in_a_stage_process():
    """numpy's OpenBLAS starts one thread per core when imported (pyarrow, pandas and GX import it);
    no stage multiplies matrices, so the CLI asks for none, unless the user set OPENBLAS_NUM_THREADS."""
    env = {k: v for k, v in os.environ.items()      # what OpenBLAS reads (distributed, imported by other
           if k not in ("OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS")}   # tests, sets OMP's)
    count = "import os, numpy; print(len(os.listdir('/proc/self/task')))"
    plain = subprocess.run([sys.executable, "-c", count], capture_output=True, text=True, env=env, check=True)
    assert int(plain.stdout) > 1, "numpy alone starts its pool (else this test shows nothing)"
    staged = subprocess.run([sys.executable, "-c", "import pipeline.cli; " + count], capture_output=True, text=True,
                            env=env, check=True)
    assert int(staged.stdout) == 1
    chosen = subprocess.run([sys.executable, "-c", "import pipeline.cli; " + count], capture_output=True, text=True,
                            env={**env, "OPENBLAS_NUM_THREADS": "2"}, check=True)
    assert int(chosen.stdout) == 2


def test_a_caller_passing_its_arguments_keeps_its_own_exit(tmp_path):
    """``main(argv)`` called by another program (the tests) registers nothing for that program's exit."""
    code = ("import atexit, gc, sys\n"
            "atexit.register(lambda: print('frozen at exit:', gc.get_freeze_count() > 0, flush=True))\n"
            "from pipeline.cli import main\n"
            f"sys.exit(main(['report', '--out', {str(tmp_path)!r}]))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "frozen at exit: False"
