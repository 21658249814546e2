"""The pipeline's CSV outputs as typed frames for Great Expectations, plus the derived frames.

In:  the CSVs under ``extracted/`` (columns in ``/tmp/team/FILES.md`` and the contract).
Out: pandas DataFrames: text columns hold Python ``str`` (empty cell -> ``None``), year/page/count
     columns ``Int64``, number columns ``float64``. In a column with cells that do not parse as its
     type those cells stay text, so that the suite's type expectation fails and names them.

Derived columns (computed here, checked by the JSON suites in ``expectations/``):

- observations ``reading``: the value's text, else the direction (an ``ok`` row needs one of them);
- observations ``percent_kind``: for ``%`` rows, what range the indicator's name allows
  (``share`` 0-100, ``ratio`` may exceed 100, ``change`` may be negative), see ``PERCENT_KINDS``;
- grades ``legend_grade``: the grade the legend gives ``achievement_rate`` (exact decimal arithmetic,
  ``-`` when there is no rate), ``agrees_expected``: ``true``/``false`` when both grades exist;
- ``indicator_counts``: per row of ``printed_counts.csv``, the printed count beside the number of
  rows of ``indicators.csv`` for that document (and kind and group, when given).
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Mapping

import pandas as pd
import regex

from pipeline.grade.legend import Legend

# table name -> file name under extracted/
FILES: dict[str, str] = {
    "observations": "observations.csv",
    "grades": "grades.csv",
    "indicators": "indicators.csv",
    "printed_counts": "printed_counts.csv",
}

INTEGER_COLUMNS: dict[str, tuple[str, ...]] = {
    "observations": ("fiscal_year", "period_start", "page"),
    "grades": ("basis_year",),
    "indicators": ("page",),
    "printed_counts": ("count",),
}
NUMBER_COLUMNS: dict[str, tuple[str, ...]] = {
    "observations": ("value",),
    "grades": ("achievement_rate",),
}

# What range a percentage may take, decided from the indicator's name (first match wins).
# share: a part of a whole (割合, 率, 認知度 ...) 0-100; ratio: a rate that may pass 100
# (達成率 128%, 充足率, 経常収支比率); change: a difference or a rate of change, may be negative.
PERCENT_KINDS: tuple[tuple[str, str], ...] = (
    ("change", r"差|増減|増加率|減少率|伸び率|伸率|削減率|変化率|前年比|対前年|比較"),
    ("ratio", r"達成率|充足率|比率|倍率"),
)
PERCENT_DEFAULT_KIND = "share"


class TableError(Exception):
    """A CSV that cannot be read; the message names the file and the problem."""


def read_table(path: Path, table: str) -> pd.DataFrame:
    """Read one output CSV into a typed frame (see the module docstring)."""
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError:
        raise TableError(f"{path}: file missing") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise TableError(f"{path}: not a readable UTF-8 CSV ({exc})") from None
    frame = text_frame(raw)
    for column in INTEGER_COLUMNS.get(table, ()):
        if column in frame:
            frame[column] = _typed(frame[column], integer=True)
    for column in NUMBER_COLUMNS.get(table, ()):
        if column in frame:
            frame[column] = _typed(frame[column], integer=False)
    return frame


def text_frame(raw: pd.DataFrame) -> pd.DataFrame:
    """All columns as Python objects: ``str``, or ``None`` for an empty cell."""
    frame = raw.astype(object)
    return frame.where(raw.astype(str).ne(""), None)


def _typed(column: pd.Series, integer: bool) -> pd.Series:
    """``Int64``/``float64`` when every non-empty cell parses; else Python numbers with the cells
    that do not parse left as their text, so a type expectation lists exactly those cells."""
    present = column.notna()
    numbers = pd.to_numeric(column, errors="coerce")
    bad = present & (numbers.isna() | ((numbers % 1 != 0) if integer else False))
    if not bad.any():
        return numbers.astype("Int64") if integer else numbers.astype("float64")
    cast = int if integer else float
    mixed = [text if is_bad else (None if pd.isna(number) else cast(number))
             for text, number, is_bad in zip(column, numbers, bad)]
    return pd.Series(mixed, index=column.index, dtype=object)


# ----- derived columns and frames -----

def percent_kind(indicator: str | None) -> str:
    """The range class of a percentage indicator.

    >>> percent_kind("自治会加入割合"), percent_kind("消防団員の充足率"), percent_kind("有業率の差")
    ('share', 'ratio', 'change')
    """
    for kind, pattern in PERCENT_KINDS:
        if indicator and regex.search(pattern, indicator):
            return kind
    return PERCENT_DEFAULT_KIND


def derive_observations(frame: pd.DataFrame) -> pd.DataFrame:
    """Add ``reading`` and ``percent_kind`` (left out when their source columns are missing)."""
    frame = frame.copy()
    if {"value", "direction"} <= set(frame.columns):
        value_text = frame["value"].map(lambda v: None if _missing(v) else str(v))
        frame["reading"] = value_text.where(value_text.notna(), frame["direction"])
    if {"unit", "indicator"} <= set(frame.columns):
        frame["percent_kind"] = [
            percent_kind(name) if unit == "%" else None
            for name, unit in zip(frame["indicator"], frame["unit"])
        ]
    return frame


def legend_grade(rate_text: str | None, legend: Legend) -> str | None:
    """The legend's grade for a rate printed as a decimal string; ``no_actual`` when empty.

    ``None`` when the text is not a number (the rate's type expectation reports it).

    >>> legend_grade("0.8000", Legend()), legend_grade("0.7999", Legend()), legend_grade(None, Legend())
    ('B', 'C', '-')
    """
    if _missing(rate_text):
        return legend.no_actual
    try:
        return legend.grade(Decimal(str(rate_text).strip()))
    except (InvalidOperation, ValueError):
        return None


def derive_grades(raw_text: pd.DataFrame, frame: pd.DataFrame, legend: Legend,
                  document_legends: Mapping[str, Legend] | None = None) -> pd.DataFrame:
    """Add ``legend_grade`` (from the rate's text, exactly, under the document's own legend when
    ``document_legends`` has one, else ``legend``) and ``agrees_expected``."""
    frame = frame.copy()
    document_legends = document_legends or {}
    if "achievement_rate" in raw_text:
        documents = raw_text["document"] if "document" in raw_text else [None] * len(raw_text)
        frame["legend_grade"] = [legend_grade(t, document_legends.get(d, legend))
                                 for t, d in zip(raw_text["achievement_rate"], documents)]
    if {"published_grade", "recomputed_grade"} <= set(frame.columns):
        frame["agrees_expected"] = [
            None if _missing(p) or _missing(r) else ("true" if p == r else "false")
            for p, r in zip(frame["published_grade"], frame["recomputed_grade"])
        ]
    return frame


COUNT_COLUMNS = ["document", "kind", "group", "printed_count", "extracted_count"]


def indicator_counts(indicators: pd.DataFrame, printed: pd.DataFrame) -> pd.DataFrame:
    """For each count a document prints, the number of indicators extracted for the same scope.

    Scope: the document, narrowed to ``kind`` and ``group`` when the printed row gives them.
    """
    missing = [c for c in ("document", "kind", "group", "count") if c not in printed]
    if missing:
        raise TableError(f"printed_counts.csv: missing column(s) {', '.join(missing)}")
    missing = [c for c in ("document", "kind", "group") if c not in indicators]
    if missing:
        raise TableError(f"indicators.csv: missing column(s) {', '.join(missing)}")
    rows = []
    for document, kind, group, count in printed[["document", "kind", "group", "count"]].itertuples(index=False):
        mask = indicators["document"] == document
        if not _missing(kind):
            mask &= indicators["kind"] == kind
        if not _missing(group):
            mask &= indicators["group"] == group
        rows.append((document, kind, group, count, int(mask.sum())))
    frame = pd.DataFrame(rows, columns=COUNT_COLUMNS).astype(object)
    frame["extracted_count"] = frame["extracted_count"].astype("Int64")
    frame["printed_count"] = _typed(frame["printed_count"], integer=True)
    return frame


def _missing(value: object) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value))
