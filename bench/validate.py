"""``python -m bench.validate``: what the validate stage costs beyond Great Expectations' own start-up.

In:  ``--raw`` (default raw/: its PDFs are read once by the pipeline into a scratch folder, not timed),
     ``--scales`` (row multipliers, default 1,10,100: the tables are repeated under new document names),
     ``--repeat`` (fresh processes per scale, default 3; the figures are their medians; before them
     one run on an empty Data Docs template cache, reported as the first run on a machine).
Out: a table on stdout and, with ``--out FILE``, the same as JSON. Each measurement is one fresh
     process, as the stage runs: GX's start-up (import + an ephemeral context), then one whole
     ``validate()`` call (suites, results, Data Docs, outcome) on one scale; its work beyond a
     second context (``work``) and the ratio ``(start-up + work) / start-up`` that issue 17 bounds by
     ``(start-up + 0.5 s) / start-up`` at scale 1. Times are CPU seconds of the process (what
     other jobs on a shared machine disturb least) and, beside them, wall seconds.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
TABLES = ("observations", "grades", "indicators", "printed_counts")
LIMIT_S = 0.5   # issue 17: the work beyond GX's start-up on the shipped pages


def shipped_outputs(raw: Path, into: Path) -> tuple[Path, dict, dict]:
    """Run extract, tidy and grade on ``raw`` into ``into``; the folder, layouts and settings."""
    from pipeline.settings import DEFAULTS
    from pipeline.stages import extract, grade, tidy
    from pipeline.stages.validate import documents_read

    settings = json.loads(json.dumps(DEFAULTS))
    extract.run(raw, into, settings)
    tidy.run(into)
    grade.run(into, settings)
    layouts, _ = documents_read(into / "cells", settings["grading"])
    return into, layouts, settings


def scaled(folder: Path, layouts: dict, scale: int, into: Path) -> tuple[Path, dict]:
    """The four tables repeated ``scale`` times, copy ``k`` under document names ``<doc>~k``."""
    into.mkdir(parents=True, exist_ok=True)
    for table in TABLES:
        frame = pd.read_csv(folder / f"{table}.csv", dtype=str, keep_default_na=False)
        copies = []
        for k in range(scale):
            copy = frame.copy()
            if k:
                copy["document"] = copy["document"] + f"~{k}"
            copies.append(copy)
        pd.concat(copies, ignore_index=True).to_csv(into / f"{table}.csv", index=False)
    return into, {f"{d}~{k}" if k else d: l for d, l in layouts.items() for k in range(scale)}


def _clocks() -> tuple[float, float]:
    return time.process_time(), time.perf_counter()


def _since(start: tuple[float, float]) -> tuple[float, float]:
    cpu, wall = _clocks()
    return cpu - start[0], wall - start[1]


def measure_once(data: Path, layouts: dict, thresholds) -> dict:
    """In this (fresh) process: GX's start-up, then ``validate()`` on ``data``; seconds (CPU, wall)."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    with tempfile.TemporaryDirectory(prefix="bench-validate-probe-") as probe:
        start = _clocks()
        import great_expectations  # noqa: F401  (GX's own import: part of its start-up)
        imported = _since(start)
        from pipeline.validate.run import make_context, validate
        begin = _clocks()
        make_context(Path(probe) / "docs")
        context = _since(begin)
    begin = _clocks()
    outcome = validate(data, ROOT / "expectations", data / "validation", thresholds, layouts=layouts)
    total = _since(begin)
    startup = [i + c for i, c in zip(imported, context)]
    work = [max(0.0, t - c) for t, c in zip(total, context)]
    return {"startup_cpu": startup[0], "startup_wall": startup[1], "import_cpu": imported[0],
            "context_cpu": context[0], "validate_cpu": total[0], "validate_wall": total[1],
            "work_cpu": work[0], "work_wall": work[1], "critical": len(outcome.critical)}


def measure(raw: Path, scales: list[int], repeat: int) -> dict:
    """Every scale ``repeat`` times, each in a fresh process, scales interleaved; the medians."""
    with tempfile.TemporaryDirectory(prefix="bench-validate-") as tmp:
        tmp = Path(tmp)
        folder, layouts, settings = shipped_outputs(raw, tmp / "shipped")
        rows = len(pd.read_csv(folder / "observations.csv", dtype=str))
        jobs = {}
        for scale in scales:
            data, scaled_layouts = scaled(folder, layouts, scale, tmp / f"x{scale}")
            job = tmp / f"x{scale}.json"
            job.write_text(json.dumps({"data": str(data), "layouts": scaled_layouts,
                                       "thresholds": settings["grading"].get("thresholds")}), encoding="utf-8")
            jobs[scale] = job
        # compiled Data Docs templates are kept between runs (docs_rendering): the first run on
        # a machine compiles them (measured once, as "cold"), the others read them back
        env = {**os.environ, "GX_ANALYTICS_ENABLED": "false", "MUNIPLAN_TEMPLATE_CACHE": str(tmp / "templates")}

        def job(scale: int) -> dict:
            done = subprocess.run([sys.executable, "-m", "bench.validate", "--job", str(jobs[scale])],
                                  cwd=ROOT, capture_output=True, text=True, check=True, env=env)
            return json.loads(done.stdout.strip().splitlines()[-1])
        cold = job(scales[0])
        runs: dict[int, list[dict]] = {scale: [] for scale in scales}
        for _ in range(repeat):
            for scale in scales:
                runs[scale].append(job(scale))
    return summary(runs, rows, cold)


def summary(runs: dict[int, list[dict]], rows: int, cold: dict) -> dict:
    """The medians of the measurements (``measure_once``) per scale: work beyond start-up, the
    median of each run's ratio to the start-up of its own process, the growth against the first
    scale, and the marginal cost per 1,000 rows between the two largest scales; ``cold`` is the
    run on an empty template cache, ``rows`` the observation rows at scale 1."""
    scales = list(runs)
    every = [r for rs in runs.values() for r in rs]
    startup = statistics.median(r["startup_cpu"] for r in every)
    result = {"repeat": len(runs[scales[0]]), "startup_cpu_s": round(startup, 3),
              "startup_wall_s": round(statistics.median(r["startup_wall"] for r in every), 3),
              "bound_at_scale_1": round((startup + LIMIT_S) / startup, 3),
              "cold_templates": {"scale": scales[0], "work_cpu_s": round(cold["work_cpu"], 3),
                                 "ratio_to_startup": round((cold["startup_cpu"] + cold["work_cpu"]) / cold["startup_cpu"], 3)},
              "scales": []}
    for scale in scales:
        median = {k: statistics.median(r[k] for r in runs[scale]) for k in ("work_cpu", "work_wall", "validate_cpu")}
        ratio = statistics.median((r["startup_cpu"] + r["work_cpu"]) / r["startup_cpu"] for r in runs[scale])
        result["scales"].append({
            "scale": scale, "observation_rows": rows * scale,
            "work_cpu_s": round(median["work_cpu"], 3), "work_wall_s": round(median["work_wall"], 3),
            "validate_cpu_s": round(median["validate_cpu"], 3), "ratio_to_startup": round(ratio, 3),
            "work_runs_cpu_s": [round(r["work_cpu"], 3) for r in runs[scale]],
            "critical": max(r["critical"] for r in runs[scale])})
    base = result["scales"][0]
    for entry in result["scales"]:
        entry["work_vs_first_scale"] = round(entry["work_cpu_s"] / base["work_cpu_s"], 2) if base["work_cpu_s"] else None
    if len(result["scales"]) >= 2:
        a, b = result["scales"][-2], result["scales"][-1]
        per_row = (b["work_cpu_s"] - a["work_cpu_s"]) / (b["observation_rows"] - a["observation_rows"])
        result["marginal_ms_per_1000_rows"] = round(per_row * 1000 * 1000, 1)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.validate", description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, default=ROOT / "raw")
    parser.add_argument("--scales", default="1,10,100")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--job", type=Path, help=argparse.SUPPRESS)   # one measurement, in this process
    args = parser.parse_args(argv)
    if args.job:
        job = json.loads(args.job.read_text(encoding="utf-8"))
        print(json.dumps(measure_once(Path(job["data"]), job["layouts"], job["thresholds"])))
        return 0
    result = measure(args.raw, [int(s) for s in args.scales.split(",")], args.repeat)
    print(f"GX start-up {result['startup_cpu_s']:.2f} s CPU ({result['startup_wall_s']:.2f} s wall); "
          f"medians of {result['repeat']} fresh processes per scale")
    print(f"{'scale':>5} {'rows':>8} {'work s':>7} {'(wall)':>7} {'ratio':>6} {'x work':>7}")
    for s in result["scales"]:
        print(f"{s['scale']:>5} {s['observation_rows']:>8} {s['work_cpu_s']:>7.2f} {s['work_wall_s']:>7.2f} "
              f"{s['ratio_to_startup']:>6.2f} {s['work_vs_first_scale']:>7.2f}")
    cold = result["cold_templates"]
    print(f"first run on a machine (Data Docs templates compiled), scale {cold['scale']}: "
          f"work {cold['work_cpu_s']:.2f} s, ratio {cold['ratio_to_startup']:.2f}")
    print(f"bound at scale 1: ratio <= {result['bound_at_scale_1']:.2f} (start-up + {LIMIT_S} s)")
    if "marginal_ms_per_1000_rows" in result:
        print(f"marginal cost between the two largest scales: {result['marginal_ms_per_1000_rows']} ms "
              "per 1,000 observation rows")
    if args.out:
        args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
