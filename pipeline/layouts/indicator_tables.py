"""Layout: any report holding indicator tables (the general reader, used when no specific layout fits).

In: a PDF with at least one table whose header names an indicator column and value columns in the
shared vocabulary (``vocabulary.COLUMNS``: 指標/成果指標/KPI …, 基準値/当初値/現状値, 実績値, 目標値 …,
their years, 単位, 担当課, 評価 …), with full ruling or with horizontal rules only, anywhere in the
document (one table per 施策 under its heading, one long table over several pages).
Out: a ``DocumentExtraction`` with one record per value cell, the section from the numbered headings
printed between the tables (政策１ …, 施策1-1 …), the printed grade and the printed legend; columns the
vocabulary does not know are reported as warnings with their page.
"""
from __future__ import annotations

from ..records import DocumentExtraction
from .base import Layout
from .common import read_tables_document
from .table_reader import TableSpec
from .vocabulary import COLUMNS

SPEC = TableSpec(
    columns=COLUMNS,
    # Numbered headings printed between tables, outermost first: a policy or basic goal, then a measure.
    headings=(r"^(?:政策|基本目標|基本方針|政策目標)\s*[0-9０-９]+",
              r"^(?:施策|基本施策|施策の方向)\s*[0-9０-９]+(?:[-－‐ー][0-9０-９]+)*"),
    group_level=0,
    kinds=(("goal", r"数値目標"), ("kpi", r"重要業績評価指標|KPI|ＫＰＩ")),
    outside_headings=True,
)

LOOKED_FOR = ("a table whose header names an indicator column (指標, 指標名, 成果指標, 重要業績評価指標（KPI）…) "
              "and value columns (基準値, 当初値, 現状値, 実績値, 目標値 …), or a transposed table (years across "
              "and 実績値/目標値 rows, or years down) under a caption naming its indicator")


def read(pdf, source) -> DocumentExtraction:
    return read_tables_document(pdf, source, SPEC, LAYOUT.name, legend=True)


LAYOUT = Layout(
    name="indicator_tables",
    description="any report with indicator tables in the shared header vocabulary (the general reader)",
    identify=(r"指標|KPI|ＫＰＩ|実績", r"目標|基準値|当初値|現状値"),
    names=("指標, KPI or 実績", "目標, 基準値, 当初値 or 現状値"),
    read=read,
    fallback=True,
    looked_for=LOOKED_FOR,
)
