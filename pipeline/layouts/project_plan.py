"""Layout: a comprehensive plan's table of main projects (総合計画 中期戦略事業プラン「主な事業」 実績).

In: a PDF of ruled tables 事業番号 | 主な事業 | 事業指標 | 当初水準 | 〇年度目標 | 〇年度実績 | 所管課,
one row per project indicator, under headings printed as text between the tables (まちづくり目標,
■基本政策, (施策展開の方向)) and as rows across the table (【施策NN】).
Out: a ``DocumentExtraction`` with one record per value cell: the indicator is the 事業指標 column,
the project (主な事業) is kept in ``note``, the heading path in ``section``, the year of the target
and actual columns from their header ('令和2年度目標'), the baseline's year from its own cell
('162人\\n(平成29年度)'), and the department of every row (a department printed once for a run of
rows, or a 事業番号 printed once for several indicators, fills the rows it spans, also across a
page break). The report prints no grades.
"""
from __future__ import annotations

from ..records import DocumentExtraction
from .base import Layout
from .common import read_tables_document
from .table_reader import TableSpec
from .vocabulary import COLUMNS, Column

SPEC = TableSpec(
    # The report's own words before the shared vocabulary: the project a row's indicator measures (a
    # note), and a 事業番号 printed once for several indicators (filled down, also across a page break).
    columns=(
        Column("indicator_no", r"^事業番号$|^番号$|^No\.?$", fill_down=True),
        Column("note", r"^主な事業$|^事業名$|^事業$"),
        *COLUMNS,
    ),
    headings=(r"^まちづくり目標", r"^[■◆]", r"^[(（]施策展開の方向", r"^【施策"),
    outside_headings=True,
)


def read(pdf, source) -> DocumentExtraction:
    return read_tables_document(pdf, source, SPEC, LAYOUT.name)


LAYOUT = Layout(
    name="project_plan",
    description="総合計画 主な事業 実績: 事業番号 | 主な事業 | 事業指標 | 当初水準 | 目標 | 実績 | 所管課 under plan headings",
    # A table of projects (主な事業 / 事業名) with a number per project and the project's own indicator.
    identify=(r"主な事業|事業名", r"事業番号|番号|No\.?", r"事業指標|指標", r"当初水準|当初値|基準値|現状値", r"実績"),
    names=("主な事業 or 事業名", "事業番号", "事業指標 or 指標", "当初水準, 当初値, 基準値 or 現状値", "実績"),
    read=read,
)
