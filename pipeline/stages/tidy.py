"""Stage ``tidy``: extracted/cells/*.json -> the tidy dataset and what documents print about themselves.

In: the per-document extractions. Out (under extracted/): observations.csv (the contract's tidy
dataset) and its typed copy observations.parquet, indicators.csv, printed_counts.csv, summary_printed.csv, and cell_problems.csv: one
warning per cell whose printed form the reader does not understand (kept as text, status unparsed).
"""
from __future__ import annotations

from pathlib import Path

from .. import tidy
from ..export import OBSERVATIONS, write_parquet
from ..io import write_csv
from ..extractions import load_extractions
from ..problems import PROBLEM_COLUMNS, Problem


def cell_problems(rows: list[dict[str, str]]) -> list[Problem]:
    return [Problem(f"{r['document']}.pdf", "tidy", "warning",
                    f"page {r['page']}, {r['indicator']} ({r['measure']}): cell {r['text']!r} not understood; "
                    "kept as text with status 'unparsed'")
            for r in rows if r["status"] == "unparsed"]


def run(out: Path) -> tuple[dict[str, int], list[Problem]]:
    docs = load_extractions(out / "cells")
    observations = [row for doc in docs for row in tidy.observations(doc)]
    problems = cell_problems(observations)
    write_csv(out / "cell_problems.csv", [p.__dict__ for p in problems], PROBLEM_COLUMNS)
    write_csv(out / "observations.csv", observations, tidy.OBSERVATION_COLUMNS)
    write_parquet(out / "observations.parquet", observations, OBSERVATIONS)
    write_csv(out / "indicators.csv", [r for d in docs for r in tidy.indicators(d)], tidy.INDICATOR_COLUMNS)
    write_csv(out / "printed_counts.csv", [r for d in docs for r in tidy.printed_counts(d)], tidy.PRINTED_COUNT_COLUMNS)
    write_csv(out / "summary_printed.csv", [r for d in docs for r in tidy.summary_rows(d)], tidy.SUMMARY_COLUMNS)
    return {"documents": len(docs), "observations": len(observations)}, problems
