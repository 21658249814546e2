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
    font: str = FONT                             # cell type (a reportlab Japanese CID font) and its size
    size: float = 7
    words: tuple[str, str, str, str] = ("指標名", "現状値", "実績値", "目標値")   # header wording
    target_first: bool = False             # the target column printed before the actuals
    repeat_header: bool = True             # a table broken by a page draws its header again
    merge_groups: bool = True              # a goal printed once in a cell merged over its rows; else printed
                                           # on its first row only (blank below, also on the next page)


_TYPE = {"font": FONT, "size": 7.0}        # the edition being built (set by ``build``)


def _style(size: float | None = None) -> ParagraphStyle:
    size = size or _TYPE["size"]
    return ParagraphStyle("cell", fontName=_TYPE["font"], fontSize=size, leading=size * 1.25)


def _p(text: str, size: float | None = None) -> Paragraph:
    return Paragraph(text.replace("\n", "<br/>"), _style(size))


def _values(edition: Edition, baseline, actuals: Sequence, target) -> list:
    """The value columns in the edition's printed order."""
    return [baseline, target, *actuals] if edition.target_first else [baseline, *actuals, target]


def _header(edition: Edition, first: str) -> list[list]:
    years = list(edition.actual_years)
    name, baseline, actual, target = edition.words
    top = [first, "No.", name] + _values(edition, baseline, [actual] + [""] * (len(years) - 1), target) \
        + ["所管課", "達成状況"]
    second = ["", "", ""] + _values(edition, edition.baseline_header, years, edition.target_year) + ["", "Ａ～Ｄ"]
    return [[_p(t) for t in top], [_p(t) for t in second]]


def _header_style(edition: Edition) -> list:
    n = len(edition.actual_years)
    first_actual = 5 if edition.target_first else 4
    return [("SPAN", (0, 0), (0, 1)), ("SPAN", (1, 0), (1, 1)), ("SPAN", (2, 0), (2, 1)),
            ("SPAN", (first_actual, 0), (first_actual + n - 1, 0)), ("SPAN", (5 + n, 0), (5 + n, 1)),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]


def _row(first: str, ind: Indicator, edition: Edition) -> list:
    return [_p(first), _p(ind.no), _p(ind.name), *[_p(v) for v in _values(edition, ind.baseline, ind.actuals,
                                                                          ind.target)],
            _p(ind.department), _p(ind.grade)]


def _widths(edition: Edition, frame_width: float) -> list[float]:
    n = 7 + len(edition.actual_years)
    return list(edition.widths) if edition.widths else [frame_width / n] * n


def _goal_table(edition: Edition, frame_width: float) -> LongTable:
    data = _header(edition, "基本目標")
    style = _header_style(edition)
    for goal in edition.goals:
        start = len(data)
        for i, ind in enumerate(goal.goal_indicators):
            data.append(_row(goal.name if i == 0 else "", ind, edition))
        if len(goal.goal_indicators) > 1 and edition.merge_groups:
            style.append(("SPAN", (0, start), (0, len(data) - 1)))
    return LongTable(data, colWidths=_widths(edition, frame_width), repeatRows=2 if edition.repeat_header else 0,
                     style=TableStyle(style))


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
                data.append(_row(ind.measure, ind, edition))
    return LongTable(data, colWidths=_widths(edition, frame_width), repeatRows=2 if edition.repeat_header else 0,
                     style=TableStyle(style))


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
    pdfmetrics.registerFont(UnicodeCIDFont(edition.font))
    _TYPE.update(font=edition.font, size=edition.size)
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


# --- random editions of an answer key ----------------------------------------------------------------

WORDS = {"indicator": ("指標名", "指標", "事業指標"), "baseline": ("現状値", "基準値", "当初値", "当初水準"),
         "actual": ("実績値", "実績"), "target": ("目標値", "目標")}
YEARLESS_BASELINE = ("計画策定時", "策定時", "基準年", "")
FONTS = ("HeiseiKakuGo-W5", "HeiseiMin-W3")


def _year_word(year: str, rng) -> str:
    from variants.text import era_year
    initial, era, n = era_year(int(year))
    return rng.choice([f"{era}{n}年度", f"{initial}{n}年度", f"{year}年度"])


def _cell(rows: Sequence[dict], rng) -> str:
    """A value cell: one line per component ('男性 83.25歳'), or the one value."""
    from variants.text import printed_name, printed_reading
    lines = [(f"{printed_name(r['component'])}{rng.choice([' ', '', '：'])}" if r["component"] else "")
             + printed_reading(r, rng) for r in rows]
    return "\n".join(lines) if lines else "－"


def edition_from_key(rows: Sequence[dict], grades: Sequence[dict], rng) -> Edition:
    """A random edition of a KPI report printing every indicator of its answer key.

    Drawn by ``rng``: font and size, portrait or landscape, column widths, the header's wording and year
    forms, the target column before or after the actuals, the header repeated or not where a table breaks
    across pages, how the indicators fall into goals (a few large goals printed on their first row only,
    so that a goal's rows run across a page break with blank goal cells) and how each value is printed.  The baseline's header
    names no year (the key's baselines have none); the actuals' years and the target's year are the key's.
    """
    actual_years = sorted({r["fiscal_year"] for r in rows if r["measure"] == "actual"})
    targets = {r["fiscal_year"] for r in rows if r["measure"] == "target"}
    assert len(targets) == 1 and not {r["fiscal_year"] for r in rows if r["measure"] == "baseline"} - {""}
    grade_of = {(g["indicator_no"], g["indicator"]): g["published_grade"] for g in grades}
    by_indicator: dict[tuple, list[dict]] = {}
    for r in rows:
        by_indicator.setdefault((r["indicator_no"], r["indicator"]), []).append(r)
    indicators = []
    for (no, name), own in by_indicator.items():
        cells = {m: [r for r in own if r["measure"] == m] for m in ("baseline", "actual", "target")}
        actuals = [_cell([r for r in cells["actual"] if r["fiscal_year"] == y], rng) for y in actual_years]
        grade = grade_of.get((no, name), "")
        printed_grade = {"A": "Ａ", "B": "Ｂ", "C": "Ｃ", "D": "Ｄ"}.get(grade, "－")
        indicators.append(Indicator(no, name, _cell(cells["baseline"], rng), actuals, _cell(cells["target"], rng),
                                    f"{rng.choice(['企画', '商工', '福祉', '都市'])}課", printed_grade))
    goals, k, n = [], 0, 1
    long_goals = rng.random() < 0.3          # a few large goals: their merged goal cells cross page breaks
    while k < len(indicators):
        size = rng.randint(8, 12) if long_goals else rng.randint(4, 14)
        own = indicators[k:k + size]
        split = len(own) if long_goals else rng.randint(1, max(1, min(3, len(own) - 1)))
        goals.append(Goal(f"（{n}）基本目標その{n}", own[:split],
                          ((f"({n})施策その{n}", own[split:]),) if own[split:] else ()))
        k += size
        n += 1
    landscape_page = rng.random() < 0.6
    page = landscape(A4) if landscape_page else A4
    n_cols = 7 + len(actual_years)
    shares = [rng.uniform(0.6, 1.6) for _ in range(n_cols)]
    shares[2] *= 3                          # the name column is the widest
    frame = page[0] - 48
    widths = [frame * w / sum(shares) for w in shares]
    words = tuple(rng.choice(WORDS[k]) for k in ("indicator", "baseline", "actual", "target"))
    return Edition(
        [_year_word(y, rng) for y in actual_years], _year_word(targets.pop(), rng), rng.choice(YEARLESS_BASELINE),
        goals, pagesize=page, widths=widths, summary=False, font=rng.choice(FONTS),
        size=rng.choice([6.5, 7, 7.5, 8]), words=words, target_first=rng.random() < 0.3,
        repeat_header=rng.random() < 0.6, merge_groups=not long_goals or rng.random() < 0.3)
