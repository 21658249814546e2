"""The published tables' columns: name, type, meaning and allowed values, in one place.

In: nothing (data only). Out: ``TABLES``: for ``observations`` and ``grades`` the column order
(the same as the CSV writers'), each column's ``Column`` (Frictionless type, description, allowed
values), the primary key and a description. ``pipeline.export.parquet`` types the Parquet columns
from it and ``pipeline.export.datapackage`` writes ``datapackage.json`` from it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..grade import GRADE_COLUMNS
from ..records import MEASURES
from ..tidy import OBSERVATION_COLUMNS

STATUSES = ("ok", "not_available", "qualitative", "corrected", "unparsed")
DIRECTIONS = ("increase", "decrease")
BOUNDS = ("lower", "upper", "range")


@dataclass(frozen=True)
class Column:
    type: str                                   # Frictionless type: string, integer, number, boolean
    description: str
    allowed: tuple[str, ...] = ()               # the values a non-empty cell may take
    key_part: bool = False                      # part of the primary key ('' is a value, not missing)


@dataclass(frozen=True)
class Table:
    name: str
    path: str                                   # the CSV, relative to the output folder
    description: str
    columns: tuple[str, ...]
    fields: dict[str, Column] = field(default_factory=dict)
    primary_key: tuple[str, ...] = ()


_DOC = Column("string", "the PDF's file name without .pdf", key_part=True)
_NO = Column("string", "the number printed for the indicator (15, 06-101), empty if none is printed", key_part=True)
_NAME = Column("string", "the indicator's name as printed, lines joined with no space, NFKC-normalised "
                         "(amendment marks moved to note)", key_part=True)

OBSERVATIONS = Table(
    "observations", "observations.csv",
    "The tidy dataset: one row per printed value of an indicator table (baseline, actual, interim target, "
    "target). The same rows, typed, are in observations.parquet.",
    OBSERVATION_COLUMNS,
    {
        "document": _DOC,
        "municipality": Column("string", "the municipality, from sources.yaml"),
        "section": Column("string", "the heading path the indicator sits under, '>'-joined"),
        "indicator_no": Column("string", _NO.description),
        "indicator": Column("string", _NAME.description),
        "component": Column("string", "the sub-series label when one cell holds several values (男性/女性), "
                                      "else empty", key_part=True),
        "measure": Column("string", "baseline (現状値), actual (実績値), interim_target (中間値) or target (目標値)",
                          MEASURES),
        "fiscal_year": Column("integer", "Western year the value refers to (令和4年度 -> 2022); a calendar "
                                         "year when calendar_year is true; empty when the document gives none"),
        "period_start": Column("integer", "first year of a range such as H29-R3の平均, else empty"),
        "value": Column("number", "the number in unit, after scaling (59億1,800万円 -> 5918000000); empty when "
                                  "the cell has no number; exact decimal (Parquet: decimal128)"),
        "unit": Column("string", "the base unit after scaling (円, 人, 件, %, t, ha, m, 回, 箇所, ...); a value "
                                 "printed without one takes the unit the rest of its series prints"),
        "direction": Column("string", "for a target given as a direction: increase (↗, 現状値の向上, 以上) or "
                                      "decrease (↘, 縮減), else empty", DIRECTIONS),
        "status": Column("string", "ok (a number or a direction), not_available (―, 該当数値無し), qualitative "
                                   "(text such as 制度創設, or → / 維持 'keep the level'), corrected (a printed "
                                   "typo read as intended), unparsed (not understood: text kept, no value)",
                         STATUSES),
        "text": Column("string", "the cell exactly as extracted, before normalisation"),
        "page": Column("integer", "1-based page of the PDF the value was read from"),
        "note": Column("string", "amendment marks (【R6年3月指標・値変更】) and other annotations"),
        "department": Column("string", "the department in charge (所管課), merged cells filled"),
        "calendar_year": Column("boolean", "true when the years are calendar years (暦年, （年次）, 1月～12月 "
                                           "in the name, header or cell); empty for fiscal years"),
        "bound": Column("string", "lower (以上) or upper (以下) for a one-sided target; range for a range "
                                  "target, whose lower bound is value and upper bound upper_value", BOUNDS),
        "upper_value": Column("number", "the upper bound of a range target (bound = range)"),
        "cell_id": Column("string", "the printed cell the value was read from: <document>/<index of the cell "
                                    "in extracted/cells/<document>.json>; stable from extraction to the "
                                    "audit report", key_part=True),
    },
    ("cell_id", "component"),
)

GRADES = Table(
    "grades", "grades.csv",
    "One row per graded indicator: the published and the recomputed grade, the rate behind it and why. "
    "The same rows, typed, are in grades.parquet.",
    GRADE_COLUMNS,
    {
        "document": _DOC,
        "indicator_no": _NO,
        "indicator": _NAME,
        "published_grade": Column("string", "the grade printed in the report, written with the labels of the "
                                            "legend used (A-D, ◎○△×, -, ...); empty when the report prints none"),
        "recomputed_grade": Column("string", "the grade recomputed from the values with the report's printed "
                                             "legend (params.yaml's when it prints none), in that legend's labels"),
        "achievement_rate": Column("number", "the rate behind the grade (actual / target, or as the direction "
                                             "requires), exact decimal rounded to 4 places; empty when not "
                                             "computable"),
        "basis_year": Column("integer", "the fiscal year of the actual value used"),
        "agrees": Column("boolean", "true/false when both grades exist, else empty"),
        "reason": Column("string", "how the grade was computed, or why it differs or could not be"),
        "direction": Column("string", "whether higher (increase) or lower (decrease) is better", DIRECTIONS),
        "direction_source": Column("string", "what decided the direction (the indicator's words, its numbers, "
                                             "params.yaml's overrides, or the default)"),
        "rate_exact": Column("string", "the exact rate as a reduced fraction p/q (19999/25000, 1 when whole); "
                                       "empty when not computable: compare grades with this, not the rounded rate"),
        "legend": Column("string", "the legend used: label>=bound items best first (bounds as reduced fractions), "
                                   "then the label below the last bound, then the no-actual label as label=none "
                                   "(A>=1;B>=4/5;C>=1/2;D;-=none)"),
    },
    ("document", "indicator_no", "indicator"),
)

TABLES = {t.name: t for t in (OBSERVATIONS, GRADES)}
