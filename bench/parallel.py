"""``python -m bench.parallel``: the extract stage in one process, in the process pool and on a Dask
LocalCluster, on the five shipped PDFs and (``--pages 10000`` or ``MUNIPLAN_BENCH_PAGES``) on a
corpus of copies, with the memory of the first and second half of that corpus.

In: a raw folder (default raw/) and a number of pages (or none). Out: bench/parallel.json (or
``--out``) and a table on stdout; ``measure(raw, pages)`` returns the same figures (``python -m
bench`` may call it).

What is timed is the stage a user runs (``stages.extract.run`` into an empty folder: hashing, reading,
writing each cache file), with ``extract.jobs`` 1 (one process), the pool on every core, and
``extract.executor: dask`` (a LocalCluster started and closed by the run, as the stage does).
Shipped: in one warm process, interleaved rounds (the order rotates), speed-ups as the median of
the per-round ratios to the one-process run of the same round. Large corpus: each executor once, in
a fresh process; meanwhile the process tree's proportional set size (PSS: a page shared by forked
workers counted once, shared out) is sampled with the pages done so far (the cache files written),
and the peak while the first half of the pages were read is compared with the peak over the rest
(``memory_growth``: second / first; flat is at most 1.10). The pool and the cluster read the
largest documents first, so their halves hold different documents; the one-process run reads the
corpus in listing order (every shipped PDF once per copy), the like-for-like test of a leak.

A machine shared with other jobs does not give the run its cores: each run says how many it got
(``cores_used``: CPU seconds of the run's processes over its wall time) and the load average. Beside
the wall-clock speed-ups, ``speedup_cpu_bound`` is the one process's CPU time over the CPU time of
the busiest process of the run (what the run would take if every process had a core of its own and
never waited): an estimate that the other jobs disturb much less, which leaves out what is spent
waiting (a worker idle at the end, the cluster's start-up) and so reads high for Dask.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The five development PDFs (their answer keys are the shipped ones); raw/ also holds other editions.
SHIPPED = ("isehara_sousei_kpi_r4", "isehara_plan6_overview", "hadano_sousei2_strategy",
           "isehara_plan5_midterm_r2", "isehara_kikaku_declaration_h28")
EXECUTORS = {"one_process": {"jobs": 1, "executor": "process"},
             "pool": {"jobs": 0, "executor": "process"},
             "dask": {"jobs": 0, "executor": "dask"}}
SAMPLE_SECONDS = 0.25       # memory samples of a long run
WATCH_SECONDS = 0.005      # CPU samples of the workers of a short run (each worker's last is kept)
TREE_SECONDS = 0.1         # how often the watcher looks for new workers (walking /proc costs CPU)
FLAT = 1.10          # issue 19: the second half's peak within 10 % of the first's


def settings(executor: str) -> dict:
    from pipeline.settings import load_settings

    loaded = load_settings(ROOT / "params.yaml")
    loaded["extract"] = {**loaded["extract"], **EXECUTORS[executor], "scheduler": ""}
    return loaded


def document_pages(raw: Path) -> dict[str, int]:
    """Pages of each document listed in ``raw`` (pypdfium2: counted, not estimated)."""
    import pypdfium2

    from pipeline.sources import cache_name, load_sources

    pages = {}
    for source in load_sources(raw).sources:
        document = pypdfium2.PdfDocument(source.path)
        pages[f"{cache_name(source.document)}.json"] = len(document)
        document.close()
    return pages


def run_stage(raw: Path, executor: str) -> dict:
    """The extract stage over ``raw`` into an empty folder: wall seconds, CPU seconds of the whole
    (this process and the workers), CPU seconds of its busiest process, documents read."""
    from pipeline.stages import extract

    with tempfile.TemporaryDirectory(prefix="muniplan-bench-") as out:
        stats: dict = {}
        seen: dict[int, float] = {}
        stop = threading.Event()

        def watch() -> None:            # the workers' CPU time, until each ends
            # Cheap enough not to take the workers' cores: the process tree is walked every
            # TREE_SECONDS (CPU time is cumulative, so a worker found late loses nothing), and only
            # the known workers' /proc/<pid>/stat is read every WATCH_SECONDS, to catch the last
            # figure before each ends. (Walking the tree every 5 ms took ~10 % of a core from the pool.)
            me, pids, walked = os.getpid(), [], 0.0
            while not stop.is_set():
                if time.perf_counter() - walked > TREE_SECONDS:
                    pids, walked = tree(me)[1:], time.perf_counter()
                note_cpu(pids, seen)
                stop.wait(WATCH_SECONDS)

        watcher = threading.Thread(target=watch, daemon=True)
        before = {pid: cpu_seconds(pid) or 0.0 for pid in tree(os.getpid())[1:]}   # e.g. a leftover tracker
        watcher.start()
        start, cpu, main_cpu = time.perf_counter(), _tree_cpu(), time.thread_time()
        try:
            problems = extract.run(raw, Path(out), settings(executor), stats=stats)
        finally:
            wall, cpu, main_cpu = time.perf_counter() - start, _tree_cpu() - cpu, time.thread_time() - main_cpu
            stop.set()
            watcher.join()
    errors = [str(p) for p in problems if p.severity == "error"]
    if errors:
        raise RuntimeError(f"{executor}: {errors[:3]}")
    busiest = max([main_cpu] + [used - before.get(pid, 0.0) for pid, used in seen.items()])
    return {"wall": wall, "cpu": cpu, "busiest_cpu": busiest, "read": stats["read"]}


def shipped_rounds(raw: Path, rounds: int, say) -> dict:
    """Interleaved rounds of the three executors on ``raw``, in this process, after a warm-up."""
    names = list(EXECUTORS)
    for name in names:
        run_stage(raw, name)         # imports, caches, the first cluster's start: not what is compared
    walls: dict[str, list[float]] = {name: [] for name in names}
    cores: dict[str, list[float]] = {name: [] for name in names}
    busiest: dict[str, list[float]] = {name: [] for name in names}
    load = [os.getloadavg()[0]]
    for r in range(rounds):
        for name in names[r % len(names):] + names[:r % len(names)]:
            run = run_stage(raw, name)
            walls[name].append(run["wall"])
            cores[name].append(run["cpu"] / run["wall"])
            busiest[name].append(run["busiest_cpu"])
            say(f"  round {r + 1}/{rounds} {name:12s} {run['wall']:.3f} s, {cores[name][-1]:.2f} cores used, "
                f"busiest process {run['busiest_cpu']:.3f} s of CPU")
        load.append(os.getloadavg()[0])
    return {"seconds": {n: round(statistics.median(w), 3) for n, w in walls.items()},
            "speedup": {n: round(statistics.median(a / b for a, b in zip(walls["one_process"], w)), 3)
                        for n, w in walls.items()},
            # what free cores would give (see the module docstring): paired, median of the rounds
            "speedup_cpu_bound": {n: round(statistics.median(a / b for a, b in zip(busiest["one_process"], w)), 3)
                                  for n, w in busiest.items()},
            "cores_used": {n: round(statistics.median(c), 2) for n, c in cores.items()},
            "load_average": [round(min(load), 2), round(max(load), 2)]}


# ----- memory of a process tree -------------------------------------------------------------------

def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                found += [int(c) for c in f.read().split()]
    except OSError:
        pass
    return found


def tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (Linux /proc)."""
    pids, todo = [], [pid]
    while todo:
        each = todo.pop()
        pids.append(each)
        todo += _children(each)
    return pids


def cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system) one process has used so far, or None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def note_cpu(pids: list[int], last: dict[int, float]) -> None:
    """Keep in ``last`` the CPU time each process of ``pids`` has used so far (one that has ended
    keeps the last figure seen)."""
    for pid in pids:
        used = cpu_seconds(pid)
        if used is not None:
            last[pid] = used


def pss_mb(pid: int) -> float:
    """Proportional set size of one process, MB (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def halves(samples: list[tuple[int, float]], total_pages: int) -> dict:
    """Peak memory while the first half of the pages were read, and over the rest.

    >>> halves([(0, 100.0), (40, 120.0), (50, 110.0), (100, 115.0)], 100)
    {'pss_mb_peak_first_half': 120.0, 'pss_mb_peak_second_half': 115.0, 'memory_growth': 0.958}
    """
    first = [mb for done, mb in samples if done < total_pages / 2]
    second = [mb for done, mb in samples if done >= total_pages / 2]
    if not first or not second:
        return {"pss_mb_peak_first_half": None, "pss_mb_peak_second_half": None, "memory_growth": None}
    return {"pss_mb_peak_first_half": round(max(first), 1), "pss_mb_peak_second_half": round(max(second), 1),
            "memory_growth": round(max(second) / max(first), 3)}


def watched_run(raw: Path, executor: str, say) -> dict:
    """The stage over ``raw`` in a fresh process, its process tree's memory sampled with the pages done."""
    pages = document_pages(raw)
    total = sum(pages.values())
    with tempfile.TemporaryDirectory(prefix="muniplan-bench-") as out:
        cells = Path(out) / "cells"
        child = subprocess.Popen([sys.executable, "-m", "bench.parallel", "--child", executor,
                                  "--raw", str(raw), "--child-out", out],
                                 cwd=ROOT, stdout=subprocess.PIPE, text=True,
                                 env={**os.environ, "PYTHONPATH": str(ROOT)})
        samples: list[tuple[int, float]] = []
        timeline: list[tuple[int, float, list[float]]] = []   # (pages done, the stage's process, the others)
        cpu: dict[int, float] = {}           # the last CPU time seen of each process of the tree
        stop = threading.Event()

        def sample() -> None:
            while not stop.is_set():
                try:
                    done = sum(pages.get(name, 0) for name in os.listdir(cells)) if cells.is_dir() else 0
                except OSError:
                    done = 0
                pids = tree(child.pid)
                each = {p: pss_mb(p) for p in pids}
                samples.append((done, sum(each.values())))
                timeline.append((done, round(each.get(child.pid, 0.0), 1),
                                 sorted((round(mb, 1) for p, mb in each.items() if p != child.pid), reverse=True)))
                note_cpu(pids, cpu)
                stop.wait(SAMPLE_SECONDS)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            answer, _ = child.communicate()
        finally:
            stop.set()
            sampler.join()
            if child.poll() is None:
                child.kill()
    if child.returncode:
        raise RuntimeError(f"bench.parallel child {executor} failed (exit {child.returncode})")
    result = json.loads(answer.strip().splitlines()[-1])
    result.update({"pages": total, "pages_per_second": round(total / result["wall"], 2),
                   "cores_used": round(result["cpu"] / result["wall"], 2),
                   "busiest_process_cpu": round(max(cpu.values(), default=0.0), 1),
                   **halves(samples, total), "samples": len(samples),
                   "timeline_mb": timeline[::max(1, len(timeline) // 20)] + timeline[-1:]})
    say(f"  {executor:12s} {result['wall']:.1f} s, {result['cores_used']} cores used, "
        f"load {result['load_average']}, memory growth {result['memory_growth']}")
    return result


def child(raw: Path, executor: str, out: Path) -> dict:
    """In the fresh process: import, then the stage (timed) into ``out``."""
    import pipeline.layouts.reading  # noqa: F401  (imports are not what is compared)
    from pipeline.stages import extract

    stats: dict = {}
    start, load = time.perf_counter(), os.getloadavg()[0]
    problems = extract.run(raw, out, settings(executor), stats=stats)
    wall = time.perf_counter() - start
    return {"wall": round(wall, 3), "read": stats["read"], "errors": sum(p.severity == "error" for p in problems),
            "cpu": round(_tree_cpu(), 1), "load_average": [round(load, 2), round(os.getloadavg()[0], 2)]}


def _tree_cpu() -> float:
    """CPU seconds of this process and of its children that have ended (pool workers, cluster processes)."""
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


# ----- the whole measurement ---------------------------------------------------------------------

def shipped_raw(raw: Path, into: Path, documents=SHIPPED) -> Path:
    """A raw folder holding the shipped PDFs of ``raw`` (as ``bench.corpus`` copies them)."""
    from bench.corpus import build_corpus

    return build_corpus(raw, 1, into, only=documents)


def measure(raw: Path, pages: int | None, rounds: int = 5, say=lambda message: None,
            documents=SHIPPED) -> dict:
    """Speed-ups of the pool and of a Dask LocalCluster over one process on the shipped PDFs of ``raw``
    (``documents``) and, when ``pages`` is given, over a corpus of at least that many pages of their
    copies, with the memory of that corpus's two halves."""
    from bench.corpus import build_corpus

    sys.path.insert(0, str(ROOT))
    result: dict = {"cores": os.cpu_count() or 1, "rounds": rounds}
    with tempfile.TemporaryDirectory(prefix="muniplan-bench-") as tmp:
        shipped = shipped_raw(raw, Path(tmp) / "shipped", documents)
        counted = document_pages(shipped)
        say(f"bench.parallel: {len(counted)} shipped PDFs, {sum(counted.values())} pages, {rounds} rounds")
        result["shipped"] = {"documents": len(counted), "pages": sum(counted.values()),
                             **shipped_rounds(shipped, rounds, say)}
        if pages:
            copies = math.ceil(pages / sum(counted.values()))
            corpus = build_corpus(shipped, copies, Path(tmp) / "corpus")
            say(f"bench.parallel: {copies} copies ({copies * sum(counted.values())} pages), each executor once")
            runs = {name: watched_run(corpus, name, say) for name in EXECUTORS}
            base = runs["one_process"]["wall"]
            one_cpu = runs["one_process"]["busiest_process_cpu"]
            result["corpus"] = {"copies": copies, "documents": copies * len(counted),
                                "pages": copies * sum(counted.values()),
                                "speedup": {n: round(base / r["wall"], 3) for n, r in runs.items()},
                                # what free cores would give: the one process's CPU time over the CPU
                                # time of the busiest process of each run (its critical path if
                                # every process had a core of its own), for a machine shared with others
                                "speedup_cpu_bound": {n: round(one_cpu / r["busiest_process_cpu"], 3)
                                                      for n, r in runs.items() if r["busiest_process_cpu"]},
                                "runs": runs}
    shipped_speed = result["shipped"]["speedup"]
    result["targets"] = {"shipped_pool_1_7x": shipped_speed["pool"] >= 1.7}
    if pages:
        corpus_result = result["corpus"]
        result["targets"].update({
            "corpus_pool_1_8x": corpus_result["speedup"]["pool"] >= 1.8,
            "corpus_dask_1_8x": corpus_result["speedup"]["dask"] >= 1.8,
            "memory_flat": all(r["memory_growth"] is not None and r["memory_growth"] <= FLAT
                               for r in corpus_result["runs"].values())})
    return result


def table(result: dict) -> str:
    lines = [f"{'corpus':28s} {'executor':12s} {'seconds':>8s} {'speed-up':>9s} {'memory 2nd/1st half':>20s}"
             f" {'cores used':>10s} {'cpu-bound':>9s}"]
    shipped = result["shipped"]
    for name in EXECUTORS:
        lines.append(f"{'shipped ' + str(shipped['pages']) + ' pages':28s} {name:12s} "
                     f"{shipped['seconds'][name]:8.2f} {shipped['speedup'][name]:9.2f} {'':>20s}")
    if "corpus" in result:
        corpus = result["corpus"]
        for name, run in corpus["runs"].items():
            lines.append(f"{'copies ' + str(corpus['pages']) + ' pages':28s} {name:12s} {run['wall']:8.1f} "
                         f"{corpus['speedup'][name]:9.2f} {run['memory_growth'] or 0:20.3f} "
                         f"{run['cores_used']:10.2f} {corpus['speedup_cpu_bound'].get(name, 0):9.2f}")
    lines.append(f"cpu-bound speed-ups (shipped): {shipped.get('speedup_cpu_bound')}; cores used: "
                 f"{shipped.get('cores_used')}; load average {shipped.get('load_average')}")
    lines.append(f"targets: {result['targets']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.parallel", description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, default=ROOT / "raw")
    parser.add_argument("--pages", type=int, default=int(os.environ.get("MUNIPLAN_BENCH_PAGES") or 0),
                        help="also a corpus of copies of at least this many pages (e.g. 10000)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "parallel.json")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--child-out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    if args.child:
        print(json.dumps(child(args.raw, args.child, args.child_out)))
        return 0
    result = measure(args.raw, args.pages or None, args.rounds,
                     say=lambda message: print(message, file=sys.stderr, flush=True))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_name(f".{args.out.name}.tmp")
    tmp.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, args.out)
    print(table(result))
    print(f"written: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
