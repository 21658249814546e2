"""``python -m bench.whole_run``: the whole run against extraction and GX's start-up, and the later
stages' time per row at 1x, 10x and 100x the shipped rows.

In:  ``--raw`` (default raw/, with its sources.yaml), ``--scales`` (row multipliers, default 1,10,100),
     ``--rounds`` (whole-run rounds, default 3), ``--project`` (the project whose ``pipeline``,
     ``dvc.yaml`` ... are copied and timed; default this one).
Out: bench/whole_run.json (or ``--out``) and a table on stdout; ``measure(raw)`` returns the same dict
     (``bench/__main__.py`` calls it).

Whole run: a fresh copy of the project (as a clone has it) in a temporary folder; per round, with the
extraction cache removed so that the PDFs are really read: ``dvc repro --force`` (every stage), then
each stage's command (``python -m pipeline <stage>``, what dvc.yaml runs) alone, in order; and the two
references, each in a fresh process: extraction (``python -m pipeline extract`` into an empty folder)
and GX's start-up (``import great_expectations`` + an ephemeral context, as ``bench/validate.py``
measures it). The order rotates each round; figures are medians, and the ratio
``whole / (2 x extraction + GX start-up)`` is the median of the per-round ratios (issue 19 point 3
bounds it by 1). ``dvc_overhead_s`` is the whole run less the stages' own time; ``cpu_s`` gives the
same in CPU seconds (steadier than wall time when other jobs share the machine); ``dvc_noop_s`` is
``dvc repro`` right after, with nothing to run (DVC reading the pipeline and checking every stage).
``floor`` (``python -m bench`` adds it when the validate part ran too) is the least any arrangement
of the stages could take under DVC: that no-op, extraction, GX's start-up, validate's own work and the
later stages' own work, with no process start-up or import counted; over the bound, no stage layout
can meet it.

Linearity: the shipped documents are extracted once; for each scale ``k`` the cells of every document
(``extracted/cells/*.json``) are copied ``k`` times under new document names (cell ids renamed too;
the PDFs are hard-linked under the same names with a sources.yaml listing them, ``bench.corpus``), so
the later stages see ``k`` times the rows without reading a PDF again. In one process (after one
warm-up run) the stage functions are timed on each: tidy, grade, export (the Parquet copies of both
tables and datapackage.json, also inside tidy and grade) and report, in wall and CPU seconds.
``per_row_ratio`` is the CPU time per observation row at that scale over the CPU time per row at 1x
timed just before and after it (1 is linear; CPU time, because the wall time of a shared machine
varies more between runs than between scales); ``linear`` says every ratio at the largest scale is at
most 1.25.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STAGES = ("extract", "tidy", "grade", "validate", "report", "check")
LATER = ("tidy", "grade", "export", "report")
# What a clone holds that the pipeline run needs (tests/test_pipeline_end_to_end.py copies the same).
PROJECT_FILES = ("pipeline", "raw", "expectations", "dvc.yaml", "params.yaml", ".dvc/config", ".dvcignore",
                 "vendor/datadocs/package.json", "vendor/datadocs/package-lock.json")
NODE_MODULES = "vendor/datadocs/node_modules"
GX_STARTUP = """
import json, sys, tempfile, time
from pathlib import Path
start = time.perf_counter()
import great_expectations  # noqa: F401
from pipeline.validate.run import make_context
with tempfile.TemporaryDirectory() as tmp:
    make_context(Path(tmp) / "docs")
    print(json.dumps({"startup_s": time.perf_counter() - start}))
"""


def _env(python: Path) -> dict[str, str]:
    """dvc.yaml's commands say ``python``: the interpreter running the benchmark, first on PATH. The
    stages' bytecode is written and reused as on any machine that does not forbid it: a session
    with ``PYTHONDONTWRITEBYTECODE`` set would compile the pipeline's modules in every stage process."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "DVC_NO_ANALYTICS": "1", "GX_ANALYTICS_ENABLED": "false",
            "PATH": f"{python.parent}{os.pathsep}{os.environ.get('PATH', '')}"}


def copy_project(project: Path, raw: Path, into: Path) -> Path:
    """A fresh copy of ``project`` as a clone has it (no extracted/), its raw/ replaced by ``raw``,
    in a new git work tree (DVC needs one); node_modules is linked, as ``make setup`` would install it."""
    into.mkdir(parents=True)
    for name in PROJECT_FILES:
        source, target = (raw if name == "raw" else project / name), into / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target)
    if (project / NODE_MODULES).is_dir():
        os.symlink((project / NODE_MODULES).resolve(), into / NODE_MODULES)
    subprocess.run(["git", "init", "-q"], cwd=into, check=True)
    return into


def _timed(args: list[str], cwd: Path, env: dict[str, str], cpu: dict[str, float] | None = None,
           name: str = "") -> float:
    """Wall seconds of one command; with ``cpu``, its CPU seconds (it and its children) go to ``cpu[name]``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode:
        raise RuntimeError(f"{' '.join(args)} failed in {cwd} (exit {result.returncode}):\n{result.stderr[-3000:]}")
    if cpu is not None:
        cpu[name] = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall


def _gx_startup(cwd: Path, env: dict[str, str]) -> float:
    result = subprocess.run([env["PATH"].split(os.pathsep)[0] + "/python", "-c", GX_STARTUP], cwd=cwd, env=env,
                            capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f"GX start-up probe failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])["startup_s"]


def whole_run(project: Path, raw: Path, rounds: int, say=lambda m: None) -> dict:
    """``dvc repro --force`` against extraction and GX's start-up, in rounds (see the module docstring)."""
    python = Path(sys.executable)
    env = _env(python)
    with tempfile.TemporaryDirectory(prefix="bench-whole-") as tmp:
        copy = copy_project(project, raw, Path(tmp) / "project")
        _timed(["dvc", "repro"], copy, env)                         # warm-up: a first run as a clone's
        work = ("repro", "stages", "extract", "gx")
        runs: dict[str, list[float]] = {name: [] for name in ("repro", "noop", "extract", "gx", "stages_sum",
                                                               *STAGES)}
        cpu_runs: dict[str, list[float]] = {name: [] for name in ("repro", "stages_sum", *STAGES)}
        ratios = []
        for r in range(rounds):
            got: dict[str, float] = {}
            cpu: dict[str, float] = {}
            for name in work[r % len(work):] + work[:r % len(work)]:
                if name == "repro":
                    shutil.rmtree(copy / "extracted" / "cells", ignore_errors=True)
                    got["repro"] = _timed(["dvc", "repro", "--force"], copy, env, cpu, "repro")
                    got["noop"] = _timed(["dvc", "repro"], copy, env)      # nothing changed: DVC's floor
                elif name == "stages":
                    shutil.rmtree(copy / "extracted" / "cells", ignore_errors=True)
                    for stage in STAGES:
                        got[stage] = _timed([str(python), "-m", "pipeline", stage], copy, env, cpu, stage)
                    got["stages_sum"] = sum(got[s] for s in STAGES)
                    cpu["stages_sum"] = sum(cpu[s] for s in STAGES)
                elif name == "extract":
                    fresh = Path(tmp) / f"extract-{r}"
                    got["extract"] = _timed([str(python), "-m", "pipeline", "extract", "--out", str(fresh)], copy, env)
                    shutil.rmtree(fresh, ignore_errors=True)
                else:
                    got["gx"] = _gx_startup(copy, env)
            for name, value in got.items():
                runs[name].append(value)
            for name, value in cpu.items():
                cpu_runs[name].append(value)
            ratios.append(got["repro"] / (2 * got["extract"] + got["gx"]))
            say(f"  round {r + 1}/{rounds}: dvc repro --force {got['repro']:.2f} s, extract {got['extract']:.2f} s, "
                f"GX start-up {got['gx']:.2f} s, ratio {ratios[-1]:.2f}")
    median = {name: round(statistics.median(values), 3) for name, values in runs.items() if values}
    cpu_median = {name: round(statistics.median(values), 3) for name, values in cpu_runs.items() if values}
    return {
        "rounds": rounds,
        "cores": os.cpu_count() or 1,
        "load_average_after": round(os.getloadavg()[0], 2),     # other jobs on the machine, for the reader
        "dvc_repro_force_s": median["repro"],
        "extract_s": median["extract"],
        "gx_startup_s": median["gx"],
        "bound_s": round(2 * median["extract"] + median["gx"], 3),
        "ratio_to_bound": round(statistics.median(ratios), 3),
        "whole_over_extract": round(median["repro"] / median["extract"], 3),
        "stage_s": {stage: median[stage] for stage in STAGES},
        "dvc_overhead_s": round(median["repro"] - median["stages_sum"], 3),
        "dvc_noop_s": median["noop"],
        # CPU seconds (the process and its children): steadier than wall time on a shared machine
        "cpu_s": {"dvc_repro_force": cpu_median["repro"], **{stage: cpu_median[stage] for stage in STAGES},
                  "dvc_overhead": round(cpu_median["repro"] - cpu_median["stages_sum"], 3)},
    }


# --- linearity -------------------------------------------------------------------------------------

def renamed(data: dict, document: str) -> dict:
    """A stored extraction (a cells/*.json's content) as if it were the document ``document``.

    >>> d = renamed({"extraction": {"document": "a", "cells": [{"cell_id": "a/0"}, {"cell_id": "a/1"}]}}, "a__002")
    >>> d["extraction"]["document"], [c["cell_id"] for c in d["extraction"]["cells"]]
    ('a__002', ['a__002/0', 'a__002/1'])
    """
    extraction = dict(data["extraction"])
    old = extraction["document"]
    extraction["document"] = document
    extraction["cells"] = [{**c, "cell_id": document + c["cell_id"][len(old):]} if c.get("cell_id", "").startswith(
        old + "/") else dict(c) for c in extraction.get("cells", [])]
    return {**data, "extraction": extraction}


def scaled_cells(cells: Path, copies: int, into: Path) -> Path:
    """``into`` (an output folder) with ``copies`` copies of every extraction in ``cells``, named
    ``<document>__<k>`` as ``bench.corpus.build_corpus`` names the PDF copies."""
    from pipeline.stages.extract import cache_name

    target = into / "cells"
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(cells.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for k in range(copies):
            document = f"{data['extraction']['document']}__{k:03d}"
            (target / f"{cache_name(document)}.json").write_text(
                json.dumps(renamed(data, document), ensure_ascii=False), encoding="utf-8")
    return into


class _Clock:
    """Wall and CPU seconds of the blocks timed with it, by name."""

    def __init__(self) -> None:
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}

    def time(self, name: str, action) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        action()
        self.wall[name] = time.perf_counter() - wall
        self.cpu[name] = time.process_time() - cpu


def time_later_stages(out: Path, raw: Path, settings: dict) -> _Clock:
    """Wall and CPU seconds of tidy, grade, export and report on the output folder ``out``, in this process."""
    from pipeline.export import GRADES, OBSERVATIONS, write_datapackage
    from pipeline.export.parquet import parquet_bytes
    from pipeline.io import read_csv
    from pipeline.stages import grade, report, tidy

    clock = _Clock()
    clock.time("tidy", lambda: tidy.run(out))
    clock.time("grade", lambda: grade.run(out, settings))
    observations, grades = read_csv(out / "observations.csv"), read_csv(out / "grades.csv")
    clock.time("export", lambda: (parquet_bytes(observations, OBSERVATIONS), parquet_bytes(grades, GRADES),
                                  write_datapackage(out)))
    clock.time("report", lambda: report.run(out, raw, settings))
    return clock


def _median(samples: list[_Clock], kind: str) -> dict[str, float]:
    return {stage: statistics.median(getattr(s, kind)[stage] for s in samples) for stage in LATER}


def linearity(raw: Path, scales: list[int], say=lambda m: None) -> dict:
    """Per scale: rows, and each later stage's seconds and time per row over the 1x time per row.

    The 1x reference of a bigger scale is timed right before and right after it (two runs each), so
    that a machine busier during one scale than during another does not pass for non-linearity."""
    from bench.corpus import build_corpus
    from pipeline.io import read_csv
    from pipeline.settings import DEFAULTS
    from pipeline.stages import extract

    settings = json.loads(json.dumps(DEFAULTS))
    scales = sorted({1, *scales})
    result: dict = {"scales": []}
    with tempfile.TemporaryDirectory(prefix="bench-linear-") as tmp:
        tmp = Path(tmp)
        shipped = tmp / "shipped"
        extract.run(raw, shipped, settings)
        built: dict[int, tuple[Path, Path]] = {}

        def build(scale: int) -> tuple[Path, Path]:
            folder = tmp / f"x{scale}"
            return build_corpus(raw, scale, folder), scaled_cells(shipped / "cells", scale, folder / "out")

        built[1] = build(1)
        time_later_stages(built[1][1], built[1][0], settings)          # warm-up: imports, templates, caches

        def at_1x(runs: int) -> list[_Clock]:
            return [time_later_stages(built[1][1], built[1][0], settings) for _ in range(runs)]

        rows_1x = len(read_csv(built[1][1] / "observations.csv"))
        for scale in scales:
            if scale == 1:
                reference = samples = at_1x(5)
                corpus, out = built[1]
            else:
                corpus, out = build(scale)
                before = at_1x(2)
                samples = [time_later_stages(out, corpus, settings) for _ in range(3 if scale <= 10 else 1)]
                reference = before + at_1x(2)
            wall, cpu, cpu_1x = _median(samples, "wall"), _median(samples, "cpu"), _median(reference, "cpu")
            rows = len(read_csv(out / "observations.csv"))
            entry = {"scale": scale, "documents": len(list((out / "cells").glob("*.json"))),
                     "observation_rows": rows, "grade_rows": len(read_csv(out / "grades.csv")),
                     "seconds": {s: round(wall[s], 3) for s in LATER},
                     "cpu_seconds": {s: round(cpu[s], 3) for s in LATER},
                     "cpu_seconds_1x_around": {s: round(cpu_1x[s], 3) for s in LATER},
                     "per_row_ratio": {s: round((cpu[s] / rows) / (cpu_1x[s] / rows_1x), 3) for s in LATER}}
            result["scales"].append(entry)
            say(f"  {scale:>4}x {rows:>7} rows: " + ", ".join(
                f"{s} {wall[s]:.2f} s ({entry['per_row_ratio'][s]:.2f})" for s in LATER))
            if scale != 1:
                shutil.rmtree(tmp / f"x{scale}", ignore_errors=True)
    largest = result["scales"][-1]["per_row_ratio"]
    result["largest_per_row_ratio"] = largest
    result["linear"] = all(ratio <= 1.25 for ratio in largest.values())
    return result


def floor(whole: dict, later_1x: dict[str, float], validate_work_s: float) -> dict:
    """The least any arrangement of the stages under DVC could take, against issue 19's bound: DVC with
    nothing to run (it still reads the pipeline and checks every stage), extraction, GX's start-up,
    validate's work beyond it and the later stages' own work in a warm process (``later_1x``: tidy,
    grade, report; export runs inside tidy and grade) — no process start-up, no import counted.
    Above 1, no stage layout meets the bound.

    >>> floor({"dvc_noop_s": 0.7, "extract_s": 1.2, "gx_startup_s": 1.9, "bound_s": 4.3},
    ...       {"tidy": 0.1, "grade": 0.05, "export": 0.01, "report": 0.15}, 0.4)
    {'floor_s': 4.5, 'floor_over_bound': 1.047}
    """
    total = (whole["dvc_noop_s"] + whole["extract_s"] + whole["gx_startup_s"] + validate_work_s
             + sum(later_1x[stage] for stage in ("tidy", "grade", "report")))
    return {"floor_s": round(total, 3), "floor_over_bound": round(total / whole["bound_s"], 3)}


def measure(raw: Path, scales: list[int] | None = None, rounds: int = 3, project: Path = ROOT,
            say=lambda m: None, parts: tuple[str, ...] = ("whole_run", "linearity")) -> dict:
    """Both parts (see the module docstring); ``bench/__main__.py`` calls this."""
    raw, scales = Path(raw).resolve(), scales or [1, 10, 100]
    result: dict = {}
    if "whole_run" in parts:
        say("whole run: dvc repro --force vs extraction and GX start-up")
        result["whole_run"] = whole_run(Path(project).resolve(), raw, rounds, say)
    if "linearity" in parts:
        say("later stages at " + ", ".join(f"{s}x" for s in scales) + " the shipped rows")
        result["linearity"] = linearity(raw, scales, say)
    result["targets"] = {}
    if "whole_run" in result:
        result["targets"]["whole_run_within_2x_extraction_plus_gx"] = result["whole_run"]["ratio_to_bound"] <= 1
    if "linearity" in result:
        result["targets"]["later_stages_linear_in_rows"] = result["linearity"]["linear"]
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.whole_run", description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, default=ROOT / "raw")
    parser.add_argument("--scales", default="1,10,100")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--project", type=Path, default=ROOT, help="the project to copy and time (default: this)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "whole_run.json")
    parser.add_argument("--only", choices=("whole_run", "linearity"), help="measure one part only")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))

    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    parts = (args.only,) if args.only else ("whole_run", "linearity")
    result = measure(args.raw, [int(s) for s in args.scales.split(",")], args.rounds, args.project, say, parts)
    if "whole_run" in result:
        whole = result["whole_run"]
        print(f"dvc repro --force {whole['dvc_repro_force_s']:.2f} s; extraction {whole['extract_s']:.2f} s, "
              f"GX start-up {whole['gx_startup_s']:.2f} s: ratio to 2 x extraction + GX start-up "
              f"{whole['ratio_to_bound']:.2f} (bound 1); DVC's own overhead {whole['dvc_overhead_s']:.2f} s")
        print("stages alone: " + ", ".join(f"{s} {t:.2f} s" for s, t in whole["stage_s"].items()))
        print("CPU seconds: " + ", ".join(f"{s} {t:.2f}" for s, t in whole["cpu_s"].items()))
    if "linearity" in result:
        print(f"{'scale':>5} {'rows':>8} " + " ".join(f"{s + ' s':>9} {'ratio':>5}" for s in LATER))
        for entry in result["linearity"]["scales"]:
            print(f"{entry['scale']:>5} {entry['observation_rows']:>8} " + " ".join(
                f"{entry['seconds'][s]:>9.2f} {entry['per_row_ratio'][s]:>5.2f}" for s in LATER))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"written: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
