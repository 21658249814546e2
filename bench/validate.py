"""``python -m bench.validate``: what the validate stage costs beyond Great Expectations' own start-up.

In:  ``--raw`` (default raw/: its PDFs are read once by the pipeline into a scratch folder, not timed),
     ``--scales`` (row multipliers, default 1,10,100: the tables are repeated under new document names).
Out: a table on stdout and, with ``--out FILE``, the same as JSON. In one process: GX's start-up
     (import + an ephemeral context), then per scale the whole ``validate()`` call (suites, results,
     Data Docs, outcome) and its work beyond a second context (``work_s``), and the ratio
     ``(start-up + work) / start-up`` that issue 17 bounds by ``(start-up + 0.5 s) / start-up`` at scale 1.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
TABLES = ("observations", "grades", "indicators", "printed_counts")


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


def measure(raw: Path, scales: list[int]) -> dict:
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    with tempfile.TemporaryDirectory(prefix="bench-validate-") as tmp:
        tmp = Path(tmp)
        folder, layouts, settings = shipped_outputs(raw, tmp / "shipped")
        start = time.perf_counter()
        import great_expectations  # noqa: F401  (GX's own import: part of its start-up)
        imported = time.perf_counter()
        from pipeline.validate.run import make_context, validate
        make_context(tmp / "docs-probe")
        context_s = time.perf_counter() - imported
        startup = imported - start + context_s
        rows = pd.read_csv(folder / "observations.csv", dtype=str).shape[0]
        result = {"startup_s": round(startup, 3), "import_s": round(imported - start, 3),
                  "context_s": round(context_s, 3), "scales": []}
        for scale in scales:
            data, scaled_layouts = scaled(folder, layouts, scale, tmp / f"x{scale}")
            begin = time.perf_counter()
            outcome = validate(data, ROOT / "expectations", data / "validation", settings["grading"].get("thresholds"),
                               layouts=scaled_layouts)
            total = time.perf_counter() - begin
            work = max(0.0, total - context_s)
            result["scales"].append({
                "scale": scale, "observation_rows": rows * scale, "validate_s": round(total, 3),
                "work_s": round(work, 3), "ratio_to_startup": round((startup + work) / startup, 3),
                "critical": len(outcome.critical)})
        result["bound_at_scale_1"] = round((startup + 0.5) / startup, 3)
        return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.validate", description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, default=ROOT / "raw")
    parser.add_argument("--scales", default="1,10,100")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    result = measure(args.raw, [int(s) for s in args.scales.split(",")])
    print(f"GX start-up {result['startup_s']:.2f} s (import {result['import_s']:.2f} s, context {result['context_s']:.2f} s)")
    print(f"{'scale':>5} {'rows':>8} {'validate s':>10} {'work s':>7} {'ratio':>6}")
    for s in result["scales"]:
        print(f"{s['scale']:>5} {s['observation_rows']:>8} {s['validate_s']:>10.2f} {s['work_s']:>7.2f} "
              f"{s['ratio_to_startup']:>6.2f}")
    print(f"bound at scale 1: ratio <= {result['bound_at_scale_1']:.2f}")
    if args.out:
        args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
