"""Comparison of observations with the answer keys in tests/answers/, as tests/score.py matches them:
names NFKC-normalised with amendment marks 【…】 and white space removed, values as Decimals."""
from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from conftest import ANSWERS, read_csv

COMPARED = ("value", "unit", "direction", "status", "period_start")

# The documents whose answer key (tests/answers/<document>.observations.csv) the pipeline must reproduce
# exactly: the end-to-end and validation tests require these. A document whose key is in tests/answers/ but
# that is not read fully yet has its PDF in raw/ without a raw/sources.yaml entry (a warning, not read); it
# joins this list, and raw/sources.yaml, when it reads 100 %.
READ_DOCUMENTS = (
    "atsugi_sousei_kpi_r5",
    "ebina_sousei_sheet_r4",
    "hadano_sousei2_strategy",
    "hiratsuka_plan_seika_r4",
    "isehara_kikaku_declaration_h28",
    "isehara_plan5_midterm_r2",
    "isehara_plan6_overview",
    "isehara_sousei_kpi_r4",
)


def norm(text: str | None) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    return re.sub(r"\s+", "", re.sub(r"【[^】]*】", "", text))


def number(text: str | None) -> Decimal | None:
    text = (text or "").strip()
    return Decimal(text) if text else None


def series(row: dict) -> tuple:
    return (norm(row["indicator"]), norm(row.get("component")), row["measure"], row.get("fiscal_year") or "")


def reading(row: dict, fields=COMPARED) -> tuple:
    return tuple(number(row.get(f)) if f == "value" else (row.get(f) or "") for f in fields)


def key_rows(document: str) -> list[dict]:
    return read_csv(ANSWERS / f"{document}.observations.csv")


def series_units(keyed: list[dict]) -> dict[tuple, set[str]]:
    """The units the key prints for each indicator/component series."""
    units: dict[tuple, set[str]] = {}
    for row in keyed:
        if row.get("unit"):
            units.setdefault(series(row)[:2], set()).add(row["unit"])
    return units


def carried(row: dict, units: dict[tuple, set[str]]) -> dict:
    """``row`` with the unit of its series when the key prints it without one and the series has exactly one:
    the pipeline gives a value printed without a unit its series' unit (README: units within a series)."""
    known = units.get(series(row)[:2], set())
    if row.get("unit") or not row.get("value") or len(known) != 1:
        return row
    return {**row, "unit": next(iter(known))}


def differences(document: str, rows: list[dict], fields=COMPARED) -> list[str]:
    """Every scored key row that is not exactly one observation with the same reading, and every
    observation with no key row; empty when the observations equal the key."""
    got: dict[tuple, list[tuple]] = {}
    for row in rows:
        got.setdefault(series(row), []).append(reading(row, fields))
    keyed = key_rows(document)
    units = series_units(keyed)
    out = []
    for want in keyed:
        if want["status"] == "ambiguous":
            continue
        found = got.get(series(want), [])
        if found != [reading(want, fields)] and found != [reading(carried(want, units), fields)]:
            out.append(f"{series(want)}: want {reading(want, fields)} got {found}")
    known = {series(k) for k in keyed}
    out += [f"{s}: not in the answer key" for s in got if s not in known]
    return out
