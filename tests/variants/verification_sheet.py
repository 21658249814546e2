"""Builds another edition of the 'verification_sheet' layout (効果検証シート) as a PDF, for tests.

In: an ``Edition`` (years, wording, widths, page size, legend, the indicator blocks), or a seed for
``random_edition``. Out: a PDF drawn with reportlab: a legend box on the first page, goal headings,
and per indicator a heading (``ＫＰＩ①`` / ``指標3`` …), ``担当課：…``, a unit note, a transposed
ruled table (years across, an actual row and a target row) and an evaluation line with prose.
A block's table (years across, or years down with the measures as columns) can be broken by a page
break between its rows, with or without its header repeated. Nothing the reader may rely on is fixed here: years, their number, column widths,
row and heading wording, numbering, legend labels and page size are all parameters.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Sequence

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT = "HeiseiKakuGo-W5"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
LEGENDS = {   # labels best first, then the label below, then the no-actual label
    "letters": (("Ａ", "Ｂ", "Ｃ"), "Ｄ", "－"),
    "symbols": (("◎", "○", "△"), "×", "―"),
}
BOUNDS = (Fraction(1), Fraction(4, 5), Fraction(1, 2))
WORDS = ("順調", "概ね順調", "やや遅れ", "遅れ")     # printed after each rule: 'Ａ：100％以上（順調）'


@dataclass
class Block:
    no: int
    name: str
    department: str
    unit: str
    baseline: int
    actuals: Sequence[int | None]    # per actual year; None is printed as a not-available word
    target: int
    goal: str = ""                   # a goal heading printed before the block


@dataclass
class Edition:
    baseline_year: int
    actual_years: Sequence[int]
    target_year: int
    blocks: Sequence[Block]
    actual_word: str = "実績値"
    target_word: str = "目標値"
    corner: str = "区分"
    heading_word: str = "ＫＰＩ"
    circled: bool = True
    legend: str = "letters"
    era: str = "kanji"               # kanji (令和２年度) | letter (R2年度) | western (2020年度) | bare (令和２年度, ３年度)
    label_width: float = 60
    year_widths: Sequence[float] | None = None
    pagesize: tuple[float, float] = A4
    breaks: Sequence[int] = ()       # block numbers whose table is broken by a page break
    repeat_header: bool = False      # the broken table prints its header again on the next page
    not_available: str = "―"
    heading_size: float = 10         # a large heading wraps a long name onto a second line
    heading_style: str = "plain"     # plain (ＫＰＩ① name) | bracket (【ＫＰＩ①】name) | own_line (ＫＰＩ① / 指標名：name)
    grade_in_table: bool = False     # the evaluation as a row of the table ('評価 | B'), not a line under it
    notes_below: bool = False        # unit and department printed under the table
    grade_as_word: bool = False      # the evaluation printed as the legend's word ('評価：概ね順調')
    years_down: bool = False         # years as rows, 実績値/目標値 as columns
    headless: Sequence[int] = ()     # blocks printed without their heading (a table that belongs to nothing)


def era_year(year: int, style: str) -> str:
    """'令和２年度' / 'R2年度' / '2020年度' for fiscal year ``year``."""
    if style == "western":
        return f"{year}年度"
    era, first = ("令和", 2019) if year >= 2019 else ("平成", 1989)
    n = year - first + 1
    if style == "letter":
        return f"{era[0] if era == '令和' else 'H'}{n}年度".replace("令", "R")
    digits = "元" if n == 1 else str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    return f"{era}{digits}年度"


def printed(value: int, rng: random.Random | None = None) -> str:
    return f"{value:,}" if value >= 1000 and (rng is None or rng.random() < 0.8) else str(value)


def grade_of(edition: Edition, block: Block) -> str:
    """The grade the legend gives the latest actual (what the sheet prints as its evaluation)."""
    best, below, none = LEGENDS[edition.legend]
    latest = next((a for a in reversed(block.actuals) if a is not None), None)
    if latest is None:
        return none
    rate = Fraction(latest, block.target)
    return next((label for label, bound in zip(best, BOUNDS) if rate >= bound), below)


def _style(size: float) -> ParagraphStyle:
    return ParagraphStyle("s", fontName=FONT, fontSize=size, leading=size * 1.35)


def _p(text: str, size: float = 9) -> Paragraph:
    return Paragraph(text.replace("\n", "<br/>"), _style(size))


def header_years(edition: Edition) -> list[str]:
    """The year words of the header; with era 'bare' a year in the era of the one before drops the era."""
    style = "kanji" if edition.era == "bare" else edition.era
    years = [edition.baseline_year, *edition.actual_years, edition.target_year]
    words = [era_year(y, style) for y in years]
    if edition.era == "bare":
        words = [w[2:] if i and w[:2] == words[i - 1][:2] else w for i, w in enumerate(words)]
    return words


def _header(edition: Edition) -> list:
    words = header_years(edition)
    years = [f"{words[0]}\n（基準）", *words[1:-1], f"{words[-1]}\n（目標）"]
    return [_p(edition.corner)] + [_p(y) for y in years]


def _rows(edition: Edition, block: Block) -> tuple[list, list]:
    n = len(edition.actual_years)
    actual = [_p(edition.actual_word), _p(printed(block.baseline))]
    actual += [_p(printed(a) if a is not None else edition.not_available) for a in block.actuals] + [_p("")]
    target = [_p(edition.target_word)] + [_p("")] * (n + 1) + [_p(printed(block.target))]
    return actual, target


def _grid(edition: Edition, block: Block) -> list[list]:
    """The block's table as printed: years across, or (``years_down``) years as rows."""
    grid = [_header(edition), *_rows(edition, block)]
    return [list(column) for column in zip(*grid)] if edition.years_down else grid


def _widths(edition: Edition, width: int) -> list[float]:
    if edition.years_down:
        return [edition.label_width * 1.6] + [edition.label_width * 1.4] * (width - 1)
    return [edition.label_width] + list(edition.year_widths or [60] * (width - 1))


def _table(rows: list, edition: Edition, mark: str | None = None) -> Table:
    width = len(rows[0])
    style = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    if mark is not None:     # the evaluation as the table's last row, its mark across the value columns
        rows = rows + [[_p("評価"), _p(mark)] + [""] * (width - 2)]
        style.append(("SPAN", (1, len(rows) - 1), (-1, len(rows) - 1)))
    return Table(rows, colWidths=_widths(edition, width), style=TableStyle(style))


def _pieces(edition: Edition, block: Block) -> list[list]:
    """The table's rows in one piece, or in two when a page break falls inside it."""
    grid = _grid(edition, block)
    if block.no not in edition.breaks:
        return [grid]
    cut = 2 if not edition.years_down else 1 + (len(grid) - 1) // 2
    return [grid[:cut], ([grid[0]] if edition.repeat_header else []) + grid[cut:]]


def _number(edition: Edition, no: int) -> str:
    return CIRCLED[no - 1] if edition.circled and no <= len(CIRCLED) else str(no)


def story(edition: Edition) -> list:
    best, below, none = LEGENDS[edition.legend]
    items = [f"{label}：{int(bound * 100)}％以上（{word}）" for label, bound, word in zip(best, BOUNDS, WORDS)]
    legend = " ".join(items + [f"{below}：{int(BOUNDS[-1] * 100)}％未満（{WORDS[-1]}）", f"{none}：実績値なし"])
    out = [_p("総合戦略 効果検証シート", 14), Spacer(1, 6),
           Table([[_p("【評価の区分】")], [_p(legend, 8)]], style=TableStyle([("BOX", (0, 0), (-1, -1), 0.5, colors.black)])),
           Spacer(1, 10)]
    for block in edition.blocks:
        if block.goal:
            out += [_p(block.goal, 11), Spacer(1, 4)]
        label = f"{edition.heading_word}{_number(edition, block.no)}"
        if block.no in edition.headless:
            pass
        elif edition.heading_style == "own_line":
            out += [_p(label, edition.heading_size), _p(f"指標名：{block.name}")]
        else:
            head = f"【{label}】{block.name}" if edition.heading_style == "bracket" else f"{label} {block.name}"
            out += [_p(head, edition.heading_size)]
        notes = [_p(f"担当課：{block.department}"), _p(f"（単位：{block.unit}）", 8)]
        out += [] if edition.notes_below else notes
        mark = grade_of(edition, block)
        if edition.grade_as_word and mark in best + (below,):
            mark = dict(zip(best + (below,), WORDS))[mark]
        pieces = _pieces(edition, block)
        for i, rows in enumerate(pieces):
            last = i == len(pieces) - 1
            out += [_table(rows, edition, mark if last and edition.grade_in_table else None)]
            out += [] if last else [PageBreak()]
        if edition.notes_below:
            out += [_p(f"※単位：{block.unit}　担当課：{block.department}", 8)]
        if not edition.grade_in_table:
            out += [Spacer(1, 3), _p(f"評価：{mark}")]
        out += [_p("【取組内容】"),
                _p("事業を継続して実施し、関係機関と連携して取組を進めた。"), Spacer(1, 12)]
    return out


def build(edition: Edition, path: Path) -> Path:
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    doc = SimpleDocTemplate(str(path), pagesize=edition.pagesize, leftMargin=36, rightMargin=36,
                            topMargin=36, bottomMargin=36)
    doc.build(story(edition))
    return path


NAMES = ("市内の新規創業件数", "図書館の年間貸出冊数", "子育て支援センターの利用者数", "健康診査の受診者数",
         "市民活動団体の登録数", "観光案内所の案内件数", "スポーツ教室の参加者数",
         "地域の防災訓練に参加した市民の数（延べ人数、各年度末時点の累計）")
DEPARTMENTS = ("商工課", "図書館", "こども育成課", "健康推進課", "市民協働課", "観光課")
UNITS = ("件", "人", "冊", "回", "団体")
GOALS = ("基本目標１ 活力ある産業を育てる", "基本目標２ にぎわいをつくる", "基本目標３ 子育ての希望をかなえる")


def random_edition(seed: int) -> Edition:
    """An edition drawn from ``seed``: years, their number, wording, widths, legend, breaks."""
    rng = random.Random(seed)
    n_years = rng.randint(2, 5)
    base = rng.randint(2014, 2019)
    actual_years = sorted(rng.sample(range(base + 1, base + n_years + 3), n_years))
    target_year = actual_years[-1] + rng.randint(1, 3)
    pagesize = rng.choice([A4, landscape(A4)])
    usable = pagesize[0] - 72
    label_width = rng.uniform(36, 70)
    year_widths = [rng.uniform(44, (usable - label_width) / (n_years + 2)) for _ in range(n_years + 2)]
    blocks = []
    for no in range(1, rng.randint(3, 6) + 1):
        baseline = rng.randint(5, 90000)
        target = baseline + rng.randint(1, baseline + 10)
        actuals = [rng.randint(baseline // 3, target + target // 5) if rng.random() > 0.15 else None
                   for _ in actual_years]
        blocks.append(Block(no, rng.choice(NAMES), rng.choice(DEPARTMENTS), rng.choice(UNITS), baseline,
                            actuals, target, goal=GOALS[(no - 1) // 2] if no % 2 == 1 else ""))
    names = rng.sample(NAMES, len(blocks)) if len(blocks) <= len(NAMES) else None
    for block, name in zip(blocks, names or []):
        block.name = name
    return Edition(
        baseline_year=base, actual_years=actual_years, target_year=target_year, blocks=blocks,
        actual_word=rng.choice(["実績値", "実績"]), target_word=rng.choice(["目標値", "目標"]),
        corner=rng.choice(["区分", "", "年度"]), heading_word=rng.choice(["ＫＰＩ", "KPI", "指標"]),
        circled=rng.random() < 0.5, legend=rng.choice(sorted(LEGENDS)),
        era=rng.choice(["kanji", "letter", "western", "bare"]), label_width=label_width, year_widths=year_widths,
        pagesize=pagesize, breaks=tuple(rng.sample(range(1, len(blocks) + 1), rng.randint(0, 2))),
        repeat_header=rng.random() < 0.5, not_available=rng.choice(["―", "－", "集計中"]),
        heading_size=rng.choice([10, 12, 18]), heading_style=rng.choice(["plain", "bracket", "own_line"]),
        grade_in_table=rng.random() < 0.3, years_down=rng.random() < 0.3,
        grade_as_word=rng.random() < 0.25, notes_below=rng.random() < 0.25)


__all__ = ["A4", "Block", "Edition", "LEGENDS", "build", "era_year", "grade_of", "landscape", "random_edition"]
