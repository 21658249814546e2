"""Builds another edition of the 'plan_brochure' layout as a PDF, for tests.

In: the edition's choices (fonts, target year, page size, box position and column widths, policies
with their indicator rows, strategy goals with their 数値目標 cards). Out: a PDF drawn with reportlab's
canvas, the way a designer lays out a brochure: policy headings of a large number beside large type,
drawn twice at a small offset (fake bold); an indicator box per policy with horizontal rules only,
its names wrapping over several lines; a box that does not fit breaking to the next page (or
column), with or without its header drawn again; 数値目標 cards in rounded frames (a numbered name above a 現状値 ▶ 目標値 header,
a definition beside the values). Nothing the reader may rely on is fixed here: every position
follows from the parameters.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from variants.text import wrap


@dataclass
class Row:
    name: Sequence[str]              # the name's printed lines (wrapped by the designer)
    baseline: Sequence[str]          # value, then its year line
    target: Sequence[str]
    bold_name: bool = False          # the name drawn twice at a small offset too


@dataclass
class Policy:
    number: str
    name: str
    intro: Sequence[str]
    rows: Sequence[Row]


@dataclass
class Card:
    ordinal: str                     # '❶'
    name: str
    definition: Sequence[str]
    baseline: Sequence[str]
    target: Sequence[str]


@dataclass
class Goal:
    label: str                       # '基本目標', printed small above the number
    number: str
    name: str
    cards: Sequence[Card]


@dataclass
class Edition:
    policies: Sequence[Policy]
    goals: Sequence[Goal] = ()
    target_header: str = "目標値〈R14〉"
    body_font: str = "HeiseiMin-W3"
    heading_font: str = "HeiseiKakuGo-W5"
    pagesize: tuple[float, float] = A4
    box: tuple[float, float] = (40, 555)                  # x from, x to of the indicator boxes
    widths: tuple[float, float, float] = (0.55, 0.22, 0.23)   # name | baseline | target, as shares
    bold_offset: float = 0.35
    size: float = 9.0                                     # body type
    margin: float = 50.0
    columns: int = 1                                      # 2: policies flow in two columns (box = each column)
    headings_number_first: bool = True                    # '1 防災' (the original prints '防災 01')
    header_rule: bool = True                              # a rule between the box header and its first row
    repeat_header: bool = True                            # a box broken by a page draws its header again
    name_header: str = "指標名"                            # header wording (editions use synonyms)
    baseline_header: str = "現状値"
    target_first: bool = False                            # the target column printed before the baseline's
    wrap_cells: bool = False                              # wrap names, values and headers to their column
    mirror: float = 0.0                                   # even pages shift the boxes right by this much
    cover: Sequence[str] = field(default_factory=lambda: ("将来都市像", "基本構想", "基本政策", "施策の展開"))


class _Pen:
    """A canvas with top-down coordinates and a current height that breaks pages."""

    def __init__(self, path: Path, edition: Edition):
        for font in {edition.body_font, edition.heading_font}:
            if font not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(UnicodeCIDFont(font))
        self.ed = edition
        self.c = canvas.Canvas(str(path), pagesize=edition.pagesize)
        self.width, self.height = edition.pagesize
        self.top = edition.margin
        self.page = 1
        self.column = 0

    @property
    def box(self) -> tuple[float, float]:
        """The x range of the current column's boxes."""
        shift = self.ed.mirror if self.page % 2 == 0 else 0.0
        x0, x1 = self.ed.box[0] + shift, self.ed.box[1] + shift
        if self.ed.columns == 1:
            return (x0, x1)
        gutter = 24
        width = (x1 - x0 - gutter * (self.ed.columns - 1)) / self.ed.columns
        left = x0 + self.column * (width + gutter)
        return (left, left + width)

    def next_column(self) -> None:
        if self.column + 1 < self.ed.columns:
            self.column += 1
            self.top = self.ed.margin
        else:
            self.new_page()

    def text(self, x: float, top: float, s: str, size: float, font: str | None = None, bold: bool = False,
             align: str = "left") -> None:
        self.c.setFont(font or self.ed.body_font, size)
        baseline = self.height - top - size * 0.88
        draw = {"left": self.c.drawString, "centre": self.c.drawCentredString, "right": self.c.drawRightString}[align]
        draw(x, baseline, s)
        if bold:
            draw(x + self.ed.bold_offset, baseline, s)

    def rule(self, x0: float, x1: float, top: float, width: float = 0.5) -> None:
        self.c.setLineWidth(width)
        self.c.line(x0, self.height - top, x1, self.height - top)

    def room(self, height: float) -> bool:
        return self.top + height <= self.height - self.ed.margin

    def new_page(self) -> None:
        self.c.setFont(self.ed.body_font, 8)
        self.c.drawCentredString(self.width / 2, 25, str(self.page))
        self.c.showPage()
        self.page += 1
        self.top = self.ed.margin
        self.column = 0

    def save(self) -> None:
        self.new_page()
        self.c.save()


def _heading(pen: _Pen, number: str, name: str) -> None:
    ed = pen.ed
    big, mid = 26, 17
    x = pen.box[0]
    parts = [(number, big), (name, mid)] if ed.headings_number_first else [(name, mid), (number, big)]
    for s, size in parts:
        pen.text(x, pen.top + (big - size) / 2, s, size, ed.heading_font, bold=True)
        x += pdfmetrics.stringWidth(s, ed.heading_font, size) + 12
    pen.top += big + 8


def _columns(ed: Edition, box: tuple[float, float]) -> list[tuple[float, float]]:
    """(name, baseline, target) x ranges; the value columns in the edition's printed order."""
    x0, x1 = box
    edges = [x0]
    for share in ed.widths:
        edges.append(edges[-1] + share * (x1 - x0))
    name, first, second = zip(edges, edges[1:])
    return [name, second, first] if ed.target_first else [name, first, second]


def _lines(ed: Edition, lines: Sequence[str], span: tuple[float, float], size: float) -> list[str]:
    """A cell's printed lines: as given, or wrapped to the column (the edition's ``wrap_cells``)."""
    if not ed.wrap_cells:
        return list(lines)
    return [part for line in lines for part in wrap(line, span[1] - span[0] - 6, size, ed.body_font)]


def _box_header(pen: _Pen) -> None:
    ed, s = pen.ed, pen.ed.size
    (n0, n1), (b0, b1), (t0, t1) = _columns(ed, pen.box)
    pen.rule(*pen.box, pen.top, 1.0)
    cells = [(_lines(ed, [ed.name_header], (n0, n1), s), (n0 + n1) / 2),
             (_lines(ed, [ed.baseline_header], (b0, b1), s), (b0 + b1) / 2),
             (_lines(ed, [ed.target_header, "（方向性）"], (t0, t1), s), (t0 + t1) / 2)]
    height = max(3 * s + 6, max(len(lines) for lines, _ in cells) * s * 1.2 + 6)
    if ed.header_rule:                     # a tinted header band (its edges are rules too)
        pen.c.setFillColor(colors.Color(0.9, 0.93, 0.97))
        pen.c.rect(pen.box[0], pen.height - pen.top - height, pen.box[1] - pen.box[0], height, stroke=0, fill=1)
        pen.c.setFillColor(colors.black)
    for lines, x in cells:
        first = pen.top + (height - len(lines) * s * 1.2) / 2
        for i, line in enumerate(lines):
            pen.text(x, first + i * s * 1.2, line, s, align="centre", bold=True)
    pen.top += height
    if ed.header_rule:
        pen.rule(*pen.box, pen.top, 0.6)


def _row(pen: _Pen, row: Row) -> None:
    ed, s = pen.ed, pen.ed.size
    lead = s * 1.3
    (n0, n1), (b0, b1), (t0, t1) = _columns(ed, pen.box)
    name, baseline, target = (_lines(ed, row.name, (n0, n1), s), _lines(ed, row.baseline, (b0, b1), s),
                              _lines(ed, row.target, (t0, t1), s))
    lines = max(len(name), len(baseline), len(target))
    height = lines * lead + 10
    for cells, x, align in ((name, n0 + 4, "left"), (baseline, (b0 + b1) / 2, "centre"),
                            (target, (t0 + t1) / 2, "centre")):
        first = pen.top + (height - len(cells) * lead) / 2
        for i, line in enumerate(cells):
            pen.text(x, first + i * lead, line, s, align=align, bold=row.bold_name and cells is name)
    pen.top += height
    pen.rule(*pen.box, pen.top, 0.3)


def _policy(pen: _Pen, policy: Policy) -> None:
    ed, s = pen.ed, pen.ed.size
    first = policy.rows[0] if policy.rows else None
    lines = max(len(first.name), len(first.baseline), len(first.target)) * (3 if ed.wrap_cells else 1) if first else 0
    if not pen.room(max(120, 34 + len(policy.intro) * s * 1.6 + 14 + s + 8 + 6 * s + lines * s * 1.3 + 10)):
        pen.next_column()                   # a heading, its title and header are never left alone at a foot
    _heading(pen, policy.number, policy.name)
    for line in policy.intro:
        pen.text(pen.box[0], pen.top, line, s)
        pen.top += s * 1.6
    pen.top += 6
    pen.text(pen.box[0], pen.top, "成果指標", s + 1, ed.heading_font, bold=True)
    pen.top += s + 8
    _box_header(pen)
    for row in policy.rows:
        need = max(len(row.name), len(row.baseline), len(row.target)) * s * 1.3 * (3 if ed.wrap_cells else 1) + 10
        if not pen.room(need):
            pen.rule(*pen.box, pen.top, 1.0)
            pen.next_column()
            if ed.repeat_header:
                _box_header(pen)            # the header is drawn again on the next page
            else:
                pen.rule(*pen.box, pen.top, 1.0)
        _row(pen, row)
    pen.rule(*pen.box, pen.top, 1.0)
    pen.top += 30


def _goal(pen: _Pen, goal: Goal) -> None:
    ed, s = pen.ed, pen.ed.size
    if not pen.room(200):
        pen.next_column()
    x = pen.box[0]
    pen.text(x + 20, pen.top, goal.label, s, align="centre")
    pen.text(x + 20, pen.top + s + 4, goal.number, 24, ed.heading_font, bold=True, align="centre")
    pen.text(x + 50, pen.top + s + 8, goal.name, 15, ed.heading_font, bold=True)
    pen.top += s + 40
    pen.text(x, pen.top, "数値目標", s + 1, ed.heading_font, bold=True)
    pen.top += s + 12
    for card in goal.cards:
        x0, x1 = pen.box
        band = (0, 0.2 * (x1 - x0))        # a value stays within its own column, wrapping if need be
        baseline, target = _lines(ed, card.baseline, band, s + 1), _lines(ed, card.target, band, s + 1)
        lines = max(len(card.definition), len(baseline), len(target))
        title = _lines(ed, [f"{card.ordinal} {card.name}"], (x0 + 10, x1 - 4), s + 1.5)
        extra = (len(title) - 1) * (s + 1.5) * 1.2 + (2 * s if ed.wrap_cells else 0)
        height = 3 * s + 30 + lines * (s + 1) * 1.35 + extra
        if not pen.room(height):
            pen.next_column()
        x0, x1 = pen.box
        pen.c.setLineWidth(0.8)
        pen.c.roundRect(x0, pen.height - pen.top - height, x1 - x0, height, 8, stroke=1, fill=0)
        for i, line in enumerate(title):
            pen.text(x0 + 10, pen.top + 8 + i * (s + 1.5) * 1.2, line, s + 1.5, bold=True)
        header_top = pen.top + 8 + s + 10 + extra
        base_x = x0 + 0.62 * (x1 - x0)
        target_x = x0 + 0.84 * (x1 - x0)
        # the target's header wraps within the card (a narrow card prints it over two lines)
        target_lines = _lines(ed, [f"{ed.target_header}（方向性）"], (0, 2 * (x1 - target_x) - 8), s - 1)
        half = max(pdfmetrics.stringWidth(t, ed.body_font, s - 1) for t in target_lines) / 2
        pen.text(base_x, header_top, ed.baseline_header, s - 1, align="centre")
        base_half = pdfmetrics.stringWidth(ed.baseline_header, ed.body_font, s - 1) / 2
        pen.text((base_x + base_half + target_x - half) / 2, header_top, "▶", s - 1, align="centre")
        for i, line in enumerate(target_lines):
            pen.text(target_x, header_top + i * (s - 1) * 1.15, line, s - 1, align="centre")
        header_top += (len(target_lines) - 1) * (s - 1) * 1.15
        for i, line in enumerate(card.definition):
            pen.text(x0 + 14, header_top + 2 + i * s * 1.35, line, s - 1)
        for cells, cx in ((baseline, base_x), (target, target_x)):
            for i, line in enumerate(cells):
                pen.text(cx, header_top + s + 6 + i * s * 1.35, line, s + 1, align="centre")
        pen.top += height + 10


def build(path: Path, edition: Edition) -> Path:
    """Draw ``edition`` to ``path`` and return the path."""
    pen = _Pen(path, edition)
    for line in edition.cover:
        pen.text(edition.box[0], pen.top, line, 14, edition.heading_font)
        pen.top += 24
    pen.new_page()
    for policy in edition.policies:
        _policy(pen, policy)
    if edition.goals:
        pen.new_page()
    for goal in edition.goals:
        _goal(pen, goal)
    pen.save()
    return path


# --- random editions of an answer key ----------------------------------------------------------------

NAME_HEADERS = ("指標名", "指標", "事業指標")
BASELINE_HEADERS = ("現状値", "基準値", "当初値", "当初水準")
TARGET_WORDS = ("目標値", "目標")
MARKS = "①②③④⑤⑥⑦⑧⑨⑩"


def _indicators(rows: Sequence[dict]) -> list[tuple[str, list[dict]]]:
    """The key's rows by indicator, in the key's order."""
    out: dict[str, list[dict]] = {}
    for row in rows:
        out.setdefault(row["indicator"], []).append(row)
    return list(out.items())


def _cell(rows: Sequence[dict], measure: str, marks: dict[str, str], labelled: bool, with_year: bool,
          rng) -> list[str]:
    """The printed lines of one value cell of an indicator: one line per component (marked ①②, or
    'label：value'), then the year mark when the edition prints one."""
    from variants.text import printed_reading, year_mark
    mine = [r for r in rows if r["measure"] == measure]
    if not mine:
        return ["－"]
    lines = []
    for r in mine:
        text = printed_reading(r, rng)
        if r["component"] and marks:
            text = marks[r["component"]] + text
        elif r["component"] and labelled:
            text = f"{r['component']}{rng.choice(['：', ' ', ''])}{text}"
        lines.append(text)
    years = {(r["fiscal_year"], r["period_start"]) for r in mine if r["fiscal_year"]}
    if with_year and len(years) == 1:
        lines.append(year_mark(*years.pop(), rng))
    return lines


def edition_from_key(rows: Sequence[dict], rng) -> Edition:
    """A random edition printing every indicator of a plan brochure's answer key in ruled boxes.

    Drawn by ``rng``: fonts and type size, page size and orientation, one or two columns, mirrored page
    margins, box width and column shares, the header's wording (synonyms) and the order of its value
    columns, whether a box broken by a page draws its header again, headings number-first or not, and
    how each value is printed (year mark forms, grouping, full-width digits, 万, arrows or words); in some
    editions the last indicators are 数値目標 cards of strategy goals.  Names, values and headers wrap to
    their columns wherever the widths make them.  The target year is the
    key's (one for all targets).
    """
    from variants.text import era_year
    targets = {r["fiscal_year"] for r in rows if r["measure"] == "target" and r["fiscal_year"]}
    assert len(targets) == 1, "a brochure edition prints one target year in its header"
    initial, era, n = era_year(int(targets.pop()))
    target_word = rng.choice(TARGET_WORDS)
    target_header = target_word + rng.choice([f"〈{initial}{n}〉", f"〈{era}{n}年度〉", f"（{initial}{n}）"])
    landscape_page = rng.random() < 0.4
    columns = 2 if landscape_page and rng.random() < 0.7 else 1
    page = (A4[1], A4[0]) if landscape_page else A4
    margin_x = rng.uniform(30, 60)
    name_share = rng.uniform(0.4, 0.62)
    first = rng.uniform(0.35, 0.65) * (1 - name_share)
    policies = []
    indicators = _indicators(rows)
    goals: list[Goal] = []
    if rng.random() < 0.5:                 # the last indicators printed as 数値目標 cards of strategy goals
        n_cards = rng.randint(3, 8)
        carded, indicators = indicators[-n_cards:], indicators[:-n_cards]
        cut = rng.randint(1, n_cards - 1)
        for g, part in enumerate((carded[:cut], carded[cut:])):
            cards = [Card("❶❷❸❹❺❻❼❽❾❿"[i], name, ["定義：指標の定義を示します。"] * rng.randint(0, 2),
                          _cell(own, "baseline", {}, True, True, rng), _cell(own, "target", {}, True, False, rng))
                     for i, (name, own) in enumerate(part)]
            goals.append(Goal("基本目標", str(g + 1), f"目標その{g + 1}", cards))
    k, number = 0, 1
    while k < len(indicators):
        size = rng.randint(2, 9)
        box_rows = []
        for name, own in indicators[k:k + size]:
            components = list(dict.fromkeys(r["component"] for r in own if r["component"]))
            marked = bool(components) and (rng.random() < 0.5 or any(len(c) > 6 for c in components))
            marks = {c: MARKS[i] for i, c in enumerate(components)} if marked else {}
            name_lines = [name] + [f"{marks[c]}{c}" for c in components] if marked else [name]
            box_rows.append(Row(name_lines, _cell(own, "baseline", marks, not marked, True, rng),
                                _cell(own, "target", marks, not marked, False, rng)))
        policies.append(Policy(str(number), f"第{number}の施策分野", ["施策の方向を示します。"] * rng.randint(0, 3),
                               box_rows))
        k += size
        number += 1
    return Edition(
        policies, goals, target_header=target_header,
        body_font=rng.choice(["HeiseiMin-W3", "HeiseiKakuGo-W5"]), heading_font="HeiseiKakuGo-W5",
        pagesize=page, box=(margin_x, page[0] - margin_x - (30 if columns == 1 else 0)),
        widths=(name_share, first, 1 - name_share - first), size=rng.choice([7.5, 8, 8.5, 9, 10]),
        columns=columns, headings_number_first=rng.random() < 0.5, header_rule=rng.random() < 0.6,
        repeat_header=rng.random() < 0.5, name_header=rng.choice(NAME_HEADERS),
        baseline_header=rng.choice(BASELINE_HEADERS), target_first=rng.random() < 0.3, wrap_cells=True,
        mirror=rng.choice([0.0, 0.0, rng.uniform(10, 30)]))
