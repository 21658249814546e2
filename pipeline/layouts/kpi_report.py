"""Layout: the graded KPI report of a regional-revitalisation strategy (総合戦略 指標の達成状況).

In: a PDF with a 総括表 (grade counts per basic goal), a 数値目標 table and a KPI table
(指標名 | 現状値 | 実績値 per year | 目標値 | 所管課 | 達成状況 A–D), exported from a spreadsheet.
Out: a ``DocumentExtraction`` with one record per value cell, the printed 総括表, the printed
indicator counts (○数値目標 ９本 …) and the printed legend.
"""
from __future__ import annotations

from ..extract.grid import ruled_tables
from ..normalise.text import nfkc
from ..records import DocumentExtraction, SummaryRow
from .base import Layout, compiled
from .common import clean_pages, group_key, page_texts, read_counts, read_legend
from .table_reader import TableSpec, read_ruled_tables, squash
from .vocabulary import COLUMNS

KINDS = (("goal", r"数値目標"), ("kpi", r"重要業績評価指標|KPI|ＫＰＩ"))

SPEC = TableSpec(
    columns=COLUMNS,
    headings=(r"^政策目標|^基本目標", r"^[(（][0-9０-９]+[)）]"),
    group_level=0,
    kinds=KINDS,
)

COUNTS = (("goal", r"○数値目標(\d+)本"), ("kpi", r"○重要業績評価指標(?:\(KPI\))?(\d+)本"))

GRADE_HEADERS = {"A": "A", "B": "B", "C": "C", "D": "D", "―": "none", "-": "none", "ー": "none", "—": "none"}


def read_summary(pages) -> list[SummaryRow]:
    """The 総括表: a table whose header has 指標数 and the grade letters, per kind and goal."""
    rows: list[SummaryRow] = []
    for page in pages:
        for table in ruled_tables(page):
            header = next((r for r, row in enumerate(table.rows)
                           if sum(squash(c.text) == "指標数" for c in row) >= 1), None)
            if header is None or header == 0:
                continue
            columns: dict[int, tuple[str, str]] = {}
            for c, cell in enumerate(table.rows[header]):
                word = nfkc(squash(cell.text))
                field = "count" if word == "指標数" else GRADE_HEADERS.get(word)
                if not field:
                    continue
                above = " ".join(squash(table.rows[r][c].text) for r in range(header))
                kind = next((k for k, pattern in KINDS if compiled(pattern).search(above)), "")
                columns[c] = (kind, field)
            for row in table.rows[header + 1:]:
                label = squash(row[0].text)
                if not label or compiled(r"^(割合|比率)$").match(label):
                    continue
                total = bool(compiled(r"^(合計|計|総計)$").match(label))
                per_kind: dict[str, SummaryRow] = {}
                for c, (kind, field) in columns.items():
                    entry = per_kind.setdefault(kind, SummaryRow(group="" if total else group_key(label), kind=kind, count=None,
                                                                 page=table.page, label=nfkc(label)))
                    number = nfkc(squash(row[c].text))
                    value = int(number) if number.isdigit() else 0
                    if field == "count":
                        entry.count = value if number.isdigit() else None
                    else:
                        entry.grades[field] = value
                rows.extend(per_kind.values())
    return rows


def read(pdf, source) -> DocumentExtraction:
    pages = clean_pages(pdf)
    text = "\n".join(page_texts(pages))
    problems: list[str] = []
    cells = read_ruled_tables(pages, SPEC, problems)
    for cell in cells:
        cell.group = group_key(cell.group)
    return DocumentExtraction(
        document=source.document, municipality=source.municipality, layout=LAYOUT.name,
        pages=len(pages), cells=cells, summary=read_summary(pages),
        printed_counts=read_counts(text, COUNTS), legend=read_legend(text), problems=problems)


LAYOUT = Layout(
    name="kpi_report",
    description="総合戦略 指標の達成状況: 数値目標 and KPI tables with published grades A–D and a 総括表",
    identify=(r"達成状況", r"実績", r"目標", r"重要業績評価指標|KPI|ＫＰＩ"),
    names=("達成状況", "実績", "目標", "重要業績評価指標 or KPI"),
    read=read,
)
