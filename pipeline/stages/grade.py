"""Stage ``grade``: observations -> recomputed grades with reasons, and the 総括表 cross-check.

In: extracted/observations.csv, indicators.csv, summary_printed.csv, the printed legends in
extracted/cells/, and the ``grading`` settings (thresholds, direction overrides).
Out: extracted/grades.csv (and its typed copy grades.parquet), datapackage.json (describing the
tidy dataset and the grades, see ``pipeline.export``), extracted/summary_check.csv (every printed
count compared with the detail table's published grades and with the recomputed grades) and
extracted/grade_summary.json (counts of recomputed grades and of disagreements: the metrics
``dvc exp show`` compares between experiments). Returns the 総括表 disagreements.
"""
from __future__ import annotations

from pathlib import Path

from ..grade import CHECK_COLUMNS, GRADE_COLUMNS, IndicatorInfo, Legend, check_summary, disagreements, grade_documents, \
    printed_legend
from ..export import GRADES, write_datapackage, write_parquet
from ..io import read_csv, write_csv, write_json
from ..extractions import load_legends


def legends(out: Path, settings: dict) -> dict[str, Legend]:
    """The legend each document prints (when ``use_printed_legend``), else the configured one."""
    grading = settings["grading"]
    default = Legend.from_params(grading)
    found = {}
    for document, printed in load_legends(out / "cells").items():
        found[document] = printed_legend(printed, grading, default) or default
    return found


def grade_summary(rows: list[dict[str, str]], legend: Legend) -> dict:
    """The grade metrics: indicators graded, disagreements, then the recomputed grades per label of
    the configured legend (``no_actual`` for its no-actual label) and ``other_labels`` for grades in
    a legend a report prints with labels of its own (◎○△×): a few columns whatever the documents.

    >>> rows = [{"recomputed_grade": "B", "agrees": "false"}, {"recomputed_grade": "A", "agrees": "true"},
    ...         {"recomputed_grade": "-", "agrees": ""}, {"recomputed_grade": "◎", "agrees": "true"},
    ...         {"recomputed_grade": "", "agrees": ""}]
    >>> grade_summary(rows, Legend())
    {'graded': 4, 'differ': 1, 'A': 1, 'B': 1, 'C': 0, 'D': 0, 'no_actual': 1, 'other_labels': 1}
    """
    graded = [r["recomputed_grade"] for r in rows if r.get("recomputed_grade")]
    letters = legend.letters()
    summary = {"graded": len(graded), "differ": sum(r.get("agrees") == "false" for r in rows)}
    summary.update({g: graded.count(g) for g in letters})
    summary["no_actual"] = graded.count(legend.no_actual)
    summary["other_labels"] = sum(g not in letters and g != legend.no_actual for g in graded)
    return summary


def run(out: Path, settings: dict) -> list[dict[str, str]]:
    observations = read_csv(out / "observations.csv")
    infos = [IndicatorInfo.from_row(row) for row in read_csv(out / "indicators.csv")]
    overrides = settings["grading"].get("direction_overrides") or []
    grades = grade_documents(observations, infos, legends(out, settings), Legend.from_params(settings["grading"]),
                             overrides)
    rows = [g.to_row() for g in grades]
    write_csv(out / "grades.csv", rows, GRADE_COLUMNS)
    write_parquet(out / "grades.parquet", rows, GRADES)
    write_json(out / "grade_summary.json", grade_summary(rows, Legend.from_params(settings["grading"])))
    write_datapackage(out)
    printed = read_csv(out / "summary_printed.csv")
    checks = check_summary(printed, grades, infos)
    write_csv(out / "summary_check.csv", checks, CHECK_COLUMNS)
    return disagreements(checks)
