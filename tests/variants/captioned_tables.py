"""Builds another city's report of small transposed tables, each under a caption, as a PDF, for tests.

In: an ``Edition`` (years, wording, widths, page size, the indicators), or a seed for ``random_edition``.
Out: a PDF drawn with reportlab: a title, goal headings, and per indicator a caption line naming it
(``市内の新規創業件数（単位：件）``, or the unit on a line of its own, or in the table's corner cell; maybe
a note line ``※…`` under it)
followed by a ruled transposed table (years across with 実績値/目標値 rows, or years down with the
measures as columns), sometimes broken by a page break with or without its header repeated. Unlike the
verification sheet it prints no indicator heading (ＫＰＩ①), no 担当課 line, no evaluation and no legend:
it is read by the general reader (``indicator_tables``), not by ``verification_sheet``.
Nothing the reader may rely on is fixed here: years, their number, column widths, row and corner
wording, caption form and page size are parameters; ``expected`` is what the reader must give back.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Sequence

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from variants.verification_sheet import FONT, NAMES, UNITS, era_year, printed

TITLES = ("第２期総合戦略 数値目標の推移", "施策の進捗状況（実績と目標）", "主な取組の実績")
GOALS = ("基本目標１ しごとをつくる", "基本目標２ ひとの流れをつくる", "基本目標３ 結婚・出産・子育ての希望をかなえる")


@dataclass
class Indicator:
    name: str
    unit: str
    baseline: int
    actuals: Sequence[int]
    target: int
    goal: str = ""                 # a goal heading printed before the caption


@dataclass
class Edition:
    baseline_year: int
    actual_years: Sequence[int]
    target_year: int
    indicators: Sequence[Indicator]
    title: str = TITLES[0]
    actual_word: str = "実績値"
    target_word: str = "目標値"
    corner: str = "区分"
    era: str = "kanji"             # kanji | letter | western
    caption: str = "inline"        # inline ('名（単位：人）') | own_line (name, then '単位：人') | corner ('区分（単位：人）')
    #                                | column (one table for all: a leading 指標名 column merged over each indicator's
    #                                  rows and a 単位 column before the measure labels)
    numbered: bool = False         # captions numbered '(1) …'
    label_width: float = 60
    year_width: float = 60
    years_down: bool = False
    pagesize: tuple[float, float] = A4
    breaks: Sequence[int] = ()     # indices of indicators whose table is broken by a page break
    repeat_header: bool = False
    name_word: str = "指標名"        # the leading column's header with caption 'column'
    note: bool = False               # a note line ('※各年度末時点の数値') between the caption and its table
    expected: dict = field(default_factory=dict)   # (name, measure, fiscal_year) -> (value, unit)


def _p(text: str, size: float = 9) -> Paragraph:
    return Paragraph(text.replace("\n", "<br/>"), ParagraphStyle("s", fontName=FONT, fontSize=size,
                                                                 leading=size * 1.35))


def _grid(edition: Edition, item: Indicator) -> list[list[str]]:
    years = [edition.baseline_year, *edition.actual_years, edition.target_year]
    words = [era_year(y, edition.era) for y in years]
    corner = f"{edition.corner}（単位：{item.unit}）" if edition.caption == "corner" else edition.corner
    header = [corner, f"{words[0]}\n（基準）", *words[1:-1], f"{words[-1]}\n（目標）"]
    actual = [edition.actual_word, printed(item.baseline), *(printed(a) for a in item.actuals), ""]
    target = [edition.target_word] + [""] * (len(years) - 1) + [printed(item.target)]
    grid = [header, actual, target]
    return [list(column) for column in zip(*grid)] if edition.years_down else grid


def _table(rows: list[list[str]], edition: Edition) -> Table:
    width = len(rows[0])
    first = edition.label_width * (2.2 if edition.caption == "corner" else 1)
    widths = [first] + [edition.year_width] * (width - 1)
    return Table([[_p(text) for text in row] for row in rows], colWidths=widths,
                 style=TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                                   ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))


def _named_rows(edition: Edition) -> list[list[str]]:
    """One years-across table for every indicator, its name and unit in leading columns (printed in the
    first of its two measure rows, the cells merged over both)."""
    rows: list[list[str]] = []
    for item in edition.indicators:
        grid = _grid(replace(edition, years_down=False), item)
        if not rows:
            rows.append([edition.name_word, "単位", *grid[0]])
        rows += [[item.name, item.unit, *grid[1]], ["", "", *grid[2]]]
    return rows


def _named_table(rows: list[list[str]], edition: Edition) -> Table:
    """The table of ``rows`` with each name and unit cell merged over the blank cell under it."""
    spans = [("SPAN", (c, r), (c, r + 1)) for r in range(1, len(rows) - 1) for c in (0, 1)
             if rows[r][0] and not rows[r + 1][0]]
    widths = [edition.label_width * 2.2, 30, edition.label_width] + [edition.year_width] * (len(rows[0]) - 3)
    style = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), *spans]
    return Table([[_p(text) for text in row] for row in rows], colWidths=widths, style=TableStyle(style))


def _caption(edition: Edition, index: int, item: Indicator) -> list:
    name = f"（{index + 1}）{item.name}" if edition.numbered else item.name
    if edition.caption == "inline":
        return [_p(f"{name}（単位：{item.unit}）", 10)]
    if edition.caption == "own_line":
        return [_p(name, 10), _p(f"単位：{item.unit}", 8)]
    return [_p(name, 10)]


def story(edition: Edition) -> list:
    out = [_p(edition.title, 14), Spacer(1, 10)]
    if edition.caption == "column":     # a page break falls between an indicator's two rows
        rows = _named_rows(edition)
        if not edition.breaks:
            return out + [_named_table(rows, edition)]
        cut = 2 + 2 * min(edition.breaks[0], len(edition.indicators) - 1)
        rest = ([rows[0]] if edition.repeat_header else []) + rows[cut:]
        return out + [_named_table(rows[:cut], edition), PageBreak(), _named_table(rest, edition)]
    for index, item in enumerate(edition.indicators):
        if item.goal:
            out += [_p(item.goal, 11), Spacer(1, 4)]
        out += _caption(edition, index, item) + ([_p("※各年度末時点の数値", 8)] if edition.note else []) + [Spacer(1, 2)]
        grid = _grid(edition, item)
        if index in edition.breaks:
            cut = 2 if not edition.years_down else 1 + (len(grid) - 1) // 2
            rest = ([grid[0]] if edition.repeat_header else []) + grid[cut:]
            out += [_table(grid[:cut], edition), PageBreak(), _table(rest, edition)]
        else:
            out += [_table(grid, edition)]
        out += [Spacer(1, 3), _p("関係機関と連携して取組を進めた。"), Spacer(1, 12)]
    return out


def build(edition: Edition, path: Path) -> Path:
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    margins = {side: 36 for side in ("leftMargin", "rightMargin", "topMargin", "bottomMargin")}
    SimpleDocTemplate(str(path), pagesize=edition.pagesize, **margins).build(story(edition))
    return path


def expected(edition: Edition) -> dict:
    out: dict = {}
    for item in edition.indicators:
        out[(item.name, "baseline", edition.baseline_year)] = (Decimal(item.baseline), item.unit)
        for year, actual in zip(edition.actual_years, item.actuals):
            out[(item.name, "actual", year)] = (Decimal(actual), item.unit)
        out[(item.name, "target", edition.target_year)] = (Decimal(item.target), item.unit)
    return out


def random_edition(rng: random.Random) -> Edition:
    """An edition drawn from ``rng``: years, their number, wording, widths, caption form, breaks."""
    n_years = rng.randint(1, 4)
    base = rng.randint(2014, 2019)
    actual_years = sorted(rng.sample(range(base + 1, base + n_years + 3), n_years))
    target_year = actual_years[-1] + rng.randint(1, 3)
    pagesize = rng.choice([A4, landscape(A4)])
    label_width = rng.uniform(40, 70)
    room = (pagesize[0] - 72 - label_width * 3.2 - 30) / (n_years + 2)
    year_width = rng.uniform(48, max(50, min(90, room)))
    names = rng.sample(NAMES[:-1], rng.randint(2, 5))
    indicators = []
    for i, name in enumerate(names):
        baseline = rng.randint(5, 90000)
        target = baseline + rng.randint(1, baseline + 10)
        indicators.append(Indicator(name, rng.choice(UNITS), baseline,
                                    [rng.randint(baseline // 3, target + target // 5) for _ in actual_years],
                                    target, goal=GOALS[i // 2] if i % 2 == 0 else ""))
    edition = Edition(
        baseline_year=base, actual_years=actual_years, target_year=target_year, indicators=indicators,
        title=rng.choice(TITLES), actual_word=rng.choice(["実績値", "実績"]), target_word=rng.choice(["目標値", "目標"]),
        corner=rng.choice(["区分", "年度", "項目"]), era=rng.choice(["kanji", "letter", "western"]),
        caption=rng.choice(["inline", "own_line", "corner", "column"]), numbered=rng.random() < 0.4,
        name_word=rng.choice(["指標名", "成果指標", "項目"]),
        label_width=label_width, year_width=year_width, years_down=rng.random() < 0.3, pagesize=pagesize,
        breaks=tuple(rng.sample(range(len(indicators)), rng.randint(0, 1))), repeat_header=rng.random() < 0.5,
        note=rng.random() < 0.3)
    edition.expected = expected(edition)
    return edition
