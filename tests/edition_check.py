"""Shared by the edition tests: an edition's observations against its answer key, and its grades.

``mismatches`` lists every key row (not ``ambiguous``) that is not exactly one observation with the same
value, direction, status and period start (and unit, where the key prints one: a value printed without
a unit may take its series' unit), every observation the key does not have, and every key read twice.
``grade_mismatches`` grades the observations with the project's grader and lists every indicator
whose recomputed grade or rate differs from the key's.
"""
from __future__ import annotations

from collections import Counter

from conftest import ANSWERS, read_csv
from golden import key_rows, number, series

FIELDS = ("value", "direction", "status", "period_start")


def _reading(row: dict, with_unit: bool) -> tuple:
    out = tuple(number(row.get(f)) if f == "value" else (row.get(f) or "") for f in FIELDS)
    return out + ((row.get("unit") or "",) if with_unit else ())


def mismatches(document: str, rows: list[dict]) -> list[str]:
    keyed = key_rows(document)
    got: dict[tuple, list[dict]] = {}
    for row in rows:
        got.setdefault(series(row), []).append(row)
    out = []
    for want in keyed:
        if want["status"] == "ambiguous":
            continue
        with_unit = bool(want["unit"])
        found = [_reading(r, with_unit) for r in got.get(series(want), [])]
        if found != [_reading(want, with_unit)]:
            out.append(f"{series(want)}: want {_reading(want, with_unit)} got {found}")
    known = {series(k) for k in keyed}
    out += [f"{s}: not in the answer key" for s in got if s not in known]
    out += [f"{s}: read {n} times" for s, n in Counter(series(r) for r in rows).items() if n > 1]
    return out


def grade_mismatches(document: str, rows: list[dict]) -> list[str]:
    from pipeline.grade.grading import IndicatorInfo, grade_indicators
    from pipeline.grade.legend import Legend
    keys = read_csv(ANSWERS / f"{document}.grades.csv")
    infos = [IndicatorInfo(document, k["indicator_no"], k["indicator"], k["published_grade"]) for k in keys]
    grades = {g.key: g for g in grade_indicators([{**r, "document": document} for r in rows], infos, Legend(), [])}
    out = []
    for k in keys:
        g = grades.get((document, k["indicator_no"], k["indicator"]))
        got = (g.recomputed_grade, g.to_row()["achievement_rate"]) if g else None
        want = (k["recomputed_grade"], k["achievement_rate"])
        if got != want:
            out.append(f"{k['indicator_no']} {k['indicator']}: want {want} got {got}")
    return out
