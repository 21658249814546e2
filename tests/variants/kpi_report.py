"""Builds another edition of the 'kpi_report' layout as a PDF, for tests.

In: the editions' choices (years, column widths, page size, rows). Out: a PDF drawn with reportlab's
platypus tables, as a spreadsheet export would draw it: ruled cells, a two-row header with merged
cells (実績値 over its years), a goal printed once for its run of rows, headings printed as rows
across the KPI table, and the KPI table breaking across pages with its header repeated
(``repeatRows``). Nothing the reader may rely on is fixed here: widths, page size, years and row
counts are all parameters.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import LongTable, PageBreak, Paragraph, SimpleDocTemplate, Spacer, TableStyle

FONT = "HeiseiKakuGo-W5"


@dataclass
class Indicator:
    no: str
    name: str
    baseline: str
    actuals: Sequence[str]
    target: str
    department: str
    grade: str
    measure: str = ""          # the 施策 label of a KPI row ('①製造業支援の充実')


@dataclass
class Goal:
    name: str                  # '（１）…' as printed
    goal_indicators: Sequence[Indicator]
    policies: Sequence[tuple[str, Sequence[Indicator]]] = ()   # ('(1)…', KPI rows)


@dataclass
class Edition:
    actual_years: Sequence[str]            # header words, e.g. ('令和5年度', '令和6年度')
    target_year: str
    baseline_header: str
    goals: Sequence[Goal]
    pagesize: tuple[float, float] = A4
    widths: Sequence[float] | None = None  # 7 + len(actual_years) columns; None = spread evenly
    summary: bool = True
    counts: dict = field(default_factory=dict)   # printed '○数値目標 N本' lines


def _style(size: float = 7) -> ParagraphStyle:
    return ParagraphStyle("cell", fontName=FONT, fontSize=size, leading=size * 1.25)


def _p(text: str, size: float = 7) -> Paragraph:
    return Paragraph(text.replace("\n", "<br/>"), _style(size))


def _header(edition: Edition, first: str) -> list[list]:
    years = list(edition.actual_years)
    top = [first, "No.", "指標名", "現状値"] + ["実績値"] + [""] * (len(years) - 1) + ["目標値", "所管課", "達成状況"]
    second = ["", "", "", edition.baseline_header] + years + [edition.target_year, "", "Ａ～Ｄ"]
    return [[_p(t) for t in top], [_p(t) for t in second]]


def _header_style(edition: Edition) -> list:
    n = len(edition.actual_years)
    return [("SPAN", (0, 0), (0, 1)), ("SPAN", (1, 0), (1, 1)), ("SPAN", (2, 0), (2, 1)),
            ("SPAN", (4, 0), (3 + n, 0)), ("SPAN", (5 + n, 0), (5 + n, 1)),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]


def _row(first: str, ind: Indicator) -> list:
    return [_p(first), _p(ind.no), _p(ind.name), _p(ind.baseline), *[_p(a) for a in ind.actuals],
            _p(ind.target), _p(ind.department), _p(ind.grade)]


def _widths(edition: Edition, frame_width: float) -> list[float]:
    n = 7 + len(edition.actual_years)
    return list(edition.widths) if edition.widths else [frame_width / n] * n


def _goal_table(edition: Edition, frame_width: float) -> LongTable:
    data = _header(edition, "基本目標")
    style = _header_style(edition)
    for goal in edition.goals:
        start = len(data)
        for i, ind in enumerate(goal.goal_indicators):
            data.append(_row(goal.name if i == 0 else "", ind))
        if len(goal.goal_indicators) > 1:
            style.append(("SPAN", (0, start), (0, len(data) - 1)))
    return LongTable(data, colWidths=_widths(edition, frame_width), repeatRows=2, style=TableStyle(style))


def _kpi_table(edition: Edition, frame_width: float) -> LongTable:
    data = _header(edition, "区分")
    style = _header_style(edition)
    for goal in edition.goals:
        for heading in [f"政策目標 {goal.name.split('）', 1)[-1]}"]:
            data.append([_p(heading)] + [""] * (len(data[0]) - 1))
            style.append(("SPAN", (0, len(data) - 1), (-1, len(data) - 1)))
        for policy, rows in goal.policies:
            data.append([_p(policy)] + [""] * (len(data[0]) - 1))
            style.append(("SPAN", (0, len(data) - 1), (-1, len(data) - 1)))
            for ind in rows:
                data.append(_row(ind.measure, ind))
    return LongTable(data, colWidths=_widths(edition, frame_width), repeatRows=2, style=TableStyle(style))


def _summary_table(edition: Edition) -> LongTable:
    letters = ["Ａ", "Ｂ", "Ｃ", "Ｄ", "―"]
    top = ["基本目標", "基本目標に定める数値目標"] + [""] * 5 + ["施策に定める重要業績評価指標(KPI)"] + [""] * 5
    second = ["", "指標数", *letters, "指標数", *letters]
    data = [[_p(t) for t in top], [_p(t) for t in second]]

    def counts(rows):
        out = {letter: 0 for letter in letters}
        for ind in rows:
            out["―" if ind.grade in ("-", "―") else ind.grade] += 1
        return [str(len(rows))] + [str(out[letter] or "") for letter in letters]

    for goal in edition.goals:
        kpis = [ind for _, rows in goal.policies for ind in rows]
        data.append([_p(goal.name)] + [_p(c) for c in counts(goal.goal_indicators) + counts(kpis)])
    style = [("SPAN", (0, 0), (0, 1)), ("SPAN", (1, 0), (6, 0)), ("SPAN", (7, 0), (12, 0)),
             ("GRID", (0, 0), (-1, -1), 0.5, colors.black)]
    return LongTable(data, colWidths=[160] + [28] * 12, style=TableStyle(style))


def build(edition: Edition, path: Path) -> Path:
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    doc = SimpleDocTemplate(str(path), pagesize=edition.pagesize, leftMargin=24, rightMargin=24,
                            topMargin=28, bottomMargin=28)
    story = [_p("指標の達成状況", 12), Spacer(1, 8)]
    for kind, count in edition.counts.items():
        story += [_p(f"○{kind}"), _p(f"{count}本"), Spacer(1, 4)]
    story += [_p("凡例 Ａ：100％以上 Ｂ：80％以上100％未満 Ｃ：50％以上80％未満 Ｄ：50％未満"), Spacer(1, 8)]
    if edition.summary:
        story += [_p("総括表", 10), _summary_table(edition), PageBreak()]
    story += [_p("数値目標達成状況", 10), Spacer(1, 4), _goal_table(edition, doc.width), PageBreak(),
              _p("重要業績評価指標（ＫＰＩ）達成状況", 10), Spacer(1, 4), _kpi_table(edition, doc.width)]
    doc.build(story)
    return path


__all__ = ["A4", "Edition", "Goal", "Indicator", "build", "landscape"]
