"""One greedy or dying document never takes the run down, and workers never outlive the run
(issue 20, item 5). Real process pools, real signals, a real greedy PDF."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import ROOT, read_csv
from pdf_faults import greedy
from pipeline.cli import main
from pipeline.executors import Died, map_with_processes, memory_budget, physical_memory
from pipeline.sources import Source
from pipeline.stages.extract import map_documents, process_document

SMALL = "isehara_kikaku_declaration_h28"


def settings(**extract) -> dict:
    return {"extract": {"jobs": 2, "max_pages": 300, "time_limit": 300, "executor": "process",
                        "scheduler": "", "max_memory": 0, **extract}}


def test_a_greedy_document_is_stopped_at_its_memory_limit_and_named(tmp_path, sources):
    path = greedy(tmp_path / "greedy.pdf")
    assert path.stat().st_size < 10_000
    outcomes = map_documents([Source(file="greedy.pdf", path=path), sources[SMALL]], settings(max_memory="40M"))
    assert outcomes[0].extraction is None
    assert [(p.file, p.severity, p.message) for p in outcomes[0].problems] == [
        ("greedy.pdf", "error", "reading needed more memory than the limit of 40 MB (params.yaml: extract.max_memory)")]
    assert outcomes[1].extraction is not None and outcomes[1].problems == []


def test_the_default_memory_limit_is_a_share_of_the_machine():
    assert memory_budget(0, 2) == physical_memory() // 4
    assert memory_budget("512M", 2) == 512 << 20


def fine_or_dead(item: str) -> str:
    """Kills its own process for items starting with 'kill' (as the kernel's OOM killer would)."""
    if item.startswith("kill"):
        os.kill(os.getpid(), signal.SIGKILL)
    time.sleep(0.2)
    return item.upper()


def test_a_worker_that_dies_is_named_and_the_others_complete():
    items = ["a", "kill-1", "b", "c", "d"]
    results = map_with_processes(fine_or_dead, items, workers=2)
    assert results[0] == "A" and results[2:] == ["B", "C", "D"]
    assert results[1] == Died("killed by SIGKILL (by the system when memory ran out, or by a user)")


def killed_while_reading(source, *args):
    """The real per-document function, except that the process reading 'killer.pdf' is killed."""
    if source.file == "killer.pdf":
        os.kill(os.getpid(), signal.SIGKILL)
    return process_document(source, *args)


def test_a_dead_worker_becomes_a_problem_line_in_the_run(tmp_path, monkeypatch):
    """Through the stage: a document whose process is killed is one line in problems.csv, the good
    document is in the dataset, and the run says so with exit status 1 (no traceback)."""
    from pipeline.stages import extract

    # a fault injected into the real function (the forked workers inherit it)
    monkeypatch.setattr(extract, "process_document", killed_while_reading)
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / f"{SMALL}.pdf").write_bytes((ROOT / "raw" / f"{SMALL}.pdf").read_bytes())
    (raw / "killer.pdf").write_bytes((ROOT / "raw" / f"{SMALL}.pdf").read_bytes())
    (raw / "sources.yaml").write_text(f"- file: {SMALL}.pdf\n- file: killer.pdf\n", encoding="utf-8")
    status = main(["run", "--raw", str(raw), "--out", str(tmp_path / "out"), "--jobs", "2"])
    problems = [(p["file"], p["severity"], p["message"][:40]) for p in read_csv(tmp_path / "out" / "problems.csv")]
    assert problems == [("killer.pdf", "error", "the process reading it was killed by SIG")]
    assert {r["document"] for r in read_csv(tmp_path / "out" / "observations.csv")} == {SMALL}
    assert status == 1


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ")[1][0] not in "ZX"
    except (FileNotFoundError, IndexError):
        return False


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to watch processes")
def test_workers_exit_when_their_parent_is_killed(tmp_path):
    script = tmp_path / "parent.py"
    script.write_text(textwrap.dedent(f"""
        import os, time
        from pipeline.executors import map_with_processes

        def slow(item):
            open(os.path.join({str(tmp_path)!r}, f"worker-{{os.getpid()}}"), "w").close()
            time.sleep(120)
            return item

        if __name__ == "__main__":
            map_with_processes(slow, [1, 2], workers=2)
    """))
    parent = subprocess.Popen([sys.executable, str(script)], cwd=ROOT)
    try:
        deadline = time.time() + 60
        while len(list(tmp_path.glob("worker-*"))) < 2 and time.time() < deadline:
            time.sleep(0.1)
        workers = [int(p.name.split("-")[1]) for p in tmp_path.glob("worker-*")]
        assert len(workers) == 2 and all(alive(w) for w in workers)
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        deadline = time.time() + 10
        while any(alive(w) for w in workers) and time.time() < deadline:
            time.sleep(0.1)
        assert not any(alive(w) for w in workers)
    finally:
        parent.kill()
        for path in tmp_path.glob("worker-*"):
            try:
                os.kill(int(path.name.split("-")[1]), signal.SIGKILL)
            except ProcessLookupError:
                pass
