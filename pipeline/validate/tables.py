"""The pipeline's CSV outputs as typed frames for Great Expectations, plus the derived frames.

In:  the CSVs under ``extracted/`` (columns in ``/tmp/team/FILES.md`` and the contract).
Out: pandas DataFrames: text columns hold Python ``str`` (empty cell -> ``None``), year/page/count
     columns ``Int64``, number columns ``float64``. In a column with cells that do not parse as its
     type those cells stay text, so that the suite's type expectation fails and names them.

Derived columns (computed here, checked by the JSON suites in ``expectations/``):

- observations ``reading``: the value's text, else the direction (an ``ok`` row needs one of them);
- observations ``percent_kind``: for ``%`` rows, what range the indicator's name allows
  (``share`` 0-100, ``ratio`` may exceed 100, ``change`` may be negative), see ``PERCENT_KINDS``;
- grades ``legend_grade``: the grade the row's written ``legend`` gives its ``rate_exact`` (exact
  fractions; for an output without them, the grade of the exact rate recomputed from the
  observations), ``rate_matches_exact``: the printed 4-decimal rate is the exact one rounded,
  ``agrees_expected``: ``true``/``false`` when both grades exist;
- ``layout`` on observations and grades: the layout each document was read with (layout suites);
- ``indicator_counts``: per row of ``printed_counts.csv``, the printed count beside the number of
  rows of ``indicators.csv`` for that document (and kind and group, when given).
"""
from __future__ import annotations

from collections import Counter
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from fractions import Fraction
from pathlib import Path
from typing import Mapping

import pandas as pd
import regex

from pipeline.grade.legend import Legend
from pipeline.io import restore
from pipeline.validate import legend_text

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


def read_table(path: Path, table: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read one output CSV: the cells as text (``""`` when empty) and the typed frame (see the
    module docstring)."""
    try:
        # cells as Python str (dtype object): reading them into pandas' Arrow strings costs ten times more
        raw = pd.read_csv(path, dtype=object, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError:
        raise TableError(f"{path}: file missing") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise TableError(f"{path}: not a readable UTF-8 CSV ({exc})") from None
    raw = restored(raw)
    frame = text_frame(raw)
    for column in INTEGER_COLUMNS.get(table, ()):
        if column in frame:
            frame[column] = _typed(frame[column], integer=True)
    for column in NUMBER_COLUMNS.get(table, ()):
        if column in frame:
            frame[column] = _typed(frame[column], integer=False)
    return raw, frame


def restored(raw: pd.DataFrame) -> pd.DataFrame:
    """The cells as the stages wrote them: the ``'`` the CSV writer puts before a formula-like text
    (``-1/260``, ``=x``) removed again (``pipeline.io.restore``); only cells starting with ``'`` are looked at.

    >>> restored(pd.DataFrame({"rate_exact": ["'-1/260", "4/5"], "text": ["'plain", "'=x"]})).to_dict("list")
    {'rate_exact': ['-1/260', '4/5'], 'text': ["'plain", '=x']}
    """
    raw = raw.copy()
    for column in raw.columns:
        cells = raw[column].to_numpy()
        if not any(cell[:1] == "'" for cell in cells if isinstance(cell, str)):   # the common case, one quick pass
            continue
        quoted = pd.Series([isinstance(cell, str) and cell.startswith("'") for cell in cells], index=raw.index)
        if quoted.any():
            raw.loc[quoted, column] = raw.loc[quoted, column].map(restore)
    return raw


def text_frame(raw: pd.DataFrame) -> pd.DataFrame:
    """All columns as Python objects: ``str``, or ``None`` for an empty cell (one pass over the cells).

    >>> text_frame(pd.DataFrame({"a": ["x", ""], "b": ["", "y"]})).to_dict("list")
    {'a': ['x', None], 'b': [None, 'y']}
    """
    cells = raw.to_numpy(dtype=object, copy=True)
    cells[cells == ""] = None
    return pd.DataFrame(cells, index=raw.index, columns=raw.columns, dtype=object)


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

@lru_cache(maxsize=4096)   # an indicator's name recurs on every row of its series
def percent_kind(indicator: str | None) -> str:
    """The range class of a percentage indicator.

    >>> percent_kind("自治会加入割合"), percent_kind("消防団員の充足率"), percent_kind("有業率の差")
    ('share', 'ratio', 'change')
    """
    for kind, pattern in _PERCENT_PATTERNS:
        if indicator and pattern.search(indicator):
            return kind
    return PERCENT_DEFAULT_KIND


_PERCENT_PATTERNS = tuple((kind, regex.compile(pattern)) for kind, pattern in PERCENT_KINDS)


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

    Only for a test's own frames: the grades stage writes ``rate_exact`` and ``legend``, which
    ``derive_grades`` uses; an old output without them is checked against the exact rate
    recomputed from the observations (``exact_rates``), never against this rounded decimal.
    ``None`` when the text is not a number.

    >>> legend_grade("0.8000", Legend()), legend_grade("0.7999", Legend()), legend_grade(None, Legend())
    ('B', 'C', '-')
    """
    if _missing(rate_text):
        return legend.no_actual
    try:
        return legend.grade(Decimal(str(rate_text).strip()))
    except (InvalidOperation, ValueError):
        return None


def rate_matches(printed: object, exact_text: object) -> str | None:
    """``true`` when the printed rate is the exact rate rounded to its own decimals, else ``false``;
    ``None`` when either is empty.

    >>> rate_matches("0.8000", "19999/25000"), rate_matches("0.7999", "19999/25000"), rate_matches("", "1")
    ('true', 'false', None)
    >>> rate_matches("-0.3000", "-3/10"), rate_matches("0.95", "x")
    ('true', 'false')
    """
    if _missing(printed) or _missing(exact_text) or str(printed).strip() == "" or str(exact_text).strip() == "":
        return None
    try:
        shown = Decimal(str(printed).strip())
        exact = legend_text.parse_fraction(str(exact_text))
    except (InvalidOperation, legend_text.LegendTextError):
        return "false"
    step = Fraction(1, 10 ** max(0, -shown.as_tuple().exponent))
    return "true" if abs(Fraction(shown) - exact) <= step / 2 else "false"


Key = tuple[str, str, str]


def exact_rates(observations: list[dict[str, str]], indicators: list[dict[str, str]],
                legends: Mapping[str, Legend], default: Legend,
                overrides: list[Mapping[str, object]] | None = None) -> dict[Key, str]:
    """For an output without ``rate_exact``: each indicator's grade under its legend, from the exact
    rate recomputed from the observations by the grade rules (``pipeline.grade``)."""
    from pipeline.grade.grading import IndicatorInfo, grade_documents

    grades: dict[Key, str] = {}
    infos = [IndicatorInfo.from_row(row) for row in indicators]
    for g in grade_documents(observations, infos, legends, default, overrides):
        legend = legends.get(g.document, default)
        grades[g.key] = legend.no_actual if g.exact_rate is None else legend.grade(g.exact_rate)
    return grades


def derive_grades(raw_text: pd.DataFrame, frame: pd.DataFrame, legend: Legend,
                  document_legends: Mapping[str, Legend] | None = None,
                  recomputed: Mapping[Key, str] | None = None) -> pd.DataFrame:
    """Add ``legend_grade``: the grade the row's ``legend`` gives its ``rate_exact`` (exact
    fractions), or, for an output without those columns, the grade in ``recomputed`` (from
    ``exact_rates``); ``rate_matches_exact``; and ``agrees_expected``."""
    frame = frame.copy()
    frame["rate_matches_exact"] = None   # nothing to compare without rate_exact
    if {"rate_exact", "legend"} <= set(raw_text.columns):
        frame["legend_grade"] = [legend_text.grade_for(r, l) for r, l in zip(raw_text["rate_exact"], raw_text["legend"])]
        if "achievement_rate" in raw_text:
            frame["rate_matches_exact"] = [rate_matches(p, r) for p, r in
                                           zip(raw_text["achievement_rate"], raw_text["rate_exact"])]
    elif recomputed is not None and {"document", "indicator_no", "indicator"} <= set(raw_text.columns):
        frame["legend_grade"] = [recomputed.get(tuple("" if _missing(v) else v for v in key)) for key in
                                 zip(raw_text["document"], raw_text["indicator_no"], raw_text["indicator"])]
    elif "achievement_rate" in raw_text:
        document_legends = document_legends or {}
        documents = raw_text["document"] if "document" in raw_text else [None] * len(raw_text)
        frame["legend_grade"] = [legend_grade(t, document_legends.get(d, legend))
                                 for t, d in zip(raw_text["achievement_rate"], documents)]
    if {"published_grade", "recomputed_grade"} <= set(frame.columns):
        frame["agrees_expected"] = [
            None if _missing(p) or _missing(r) else ("true" if p == r else "false")
            for p, r in zip(frame["published_grade"], frame["recomputed_grade"])
        ]
    return frame


def grade_labels(raw_text: pd.DataFrame) -> list[str]:
    """Every label of the legends written in ``grades.csv`` (best first, in order of appearance).

    >>> grade_labels(pd.DataFrame({"legend": ["A>=1;B>=4/5;C;-=none", "◎>=1;×;―=none", None]}))
    ['A', 'B', 'C', '-', '◎', '×', '―']
    """
    labels: list[str] = []
    if "legend" not in raw_text:
        return labels
    for text in raw_text["legend"].dropna().unique():
        try:
            one = legend_text.parse_legend(str(text))
        except legend_text.LegendTextError:
            continue
        labels += [l for l in [*(s[0] for s in one.steps), one.last, one.no_actual] if l not in labels]
    return labels


def add_layout(frame: pd.DataFrame, layouts: Mapping[str, str]) -> pd.DataFrame:
    """Add ``layout`` (the layout each row's document was read with; ``None`` when unknown)."""
    if "document" not in frame:
        return frame
    frame = frame.copy()
    frame["layout"] = frame["document"].map(lambda d: layouts.get(d) if isinstance(d, str) else None).astype(object)
    return frame


COUNT_COLUMNS = ["document", "kind", "group", "printed_count", "extracted_count"]


ANY = "*any*"   # a scope not narrowed to one kind or group (never a kind or group read from a table)


def scope_counts(documents, kinds, groups) -> Counter:
    """Indicators per scope, counted in one pass: (document, kind or ``ANY``, group or ``ANY``).

    >>> counts = scope_counts(["d", "d", "d"], ["goal", "kpi", "kpi"], ["g1", "g1", None])
    >>> counts[("d", ANY, ANY)], counts[("d", "kpi", ANY)], counts[("d", ANY, "g1")], counts[("d", "kpi", "g1")]
    (3, 2, 2, 1)
    """
    counts: Counter = Counter()
    for document, kind, group in zip(documents, kinds, groups):
        for one_kind in (ANY, kind):
            for one_group in (ANY, group):
                counts[(document, one_kind, one_group)] += 1
    return counts


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
    extracted = scope_counts(indicators["document"], indicators["kind"], indicators["group"])
    rows = [(document, kind, group, count,
             extracted.get((document, ANY if _missing(kind) else kind, ANY if _missing(group) else group), 0))
            for document, kind, group, count in printed[["document", "kind", "group", "count"]].itertuples(index=False)]
    frame = pd.DataFrame(rows, columns=COUNT_COLUMNS).astype(object)
    frame["extracted_count"] = frame["extracted_count"].astype("Int64")
    frame["printed_count"] = _typed(frame["printed_count"], integer=True)
    return frame


def _missing(value: object) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value))
