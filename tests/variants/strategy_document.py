"""Builds another edition of the 'strategy_document' layout (総合戦略 本文) as a PDF, for tests.

In: an ``Edition`` (years, column edges, page size, fonts, and a list of blocks: headings, prose lines,
KGI tables, KPI tables). Out: a PDF drawn with reportlab's canvas the way Word draws the report: headings
in a larger Gothic font, prose in Mincho, a KGI title with its header (現状値 / 目標値 and their years)
printed in boxes ABOVE the ruled rows (every KGI row a ruled table of its own), KPI tables with their
header inside, a KPI table breaking across a page with its header repeated (or not). The reader under test
must not rely on anything chosen here (sizes, positions, widths, years).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence, Union

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

GOTHIC = "HeiseiKakuGo-W5"
MINCHO = "HeiseiMin-W3"


@dataclass
class Heading:
    lines: Sequence[str]               # a heading, wrapped over one or more lines
    boxed: bool = False                # framed by a ruled box (a one-cell table to a table finder)


@dataclass
class Prose:
    lines: Sequence[str]               # body text lines (may start with numbers, like a list of directions)


@dataclass
class Row:
    name: Sequence[str]                # the indicator's name, one string per printed line (marks included)
    values: Sequence[str]              # one printed cell per value column ('\n' breaks a cell's lines)


@dataclass
class KGITable:
    title: str                         # '実現すべき成果に係る数値目標（KGI）'
    header: Sequence[Sequence[str]]    # per value column: its header lines ('Ｒ２（２０２０）', '現状値')
    rows: Sequence[Row]


@dataclass
class KPITable:
    header: Sequence[Sequence[str]]    # per column (the first is the indicator's): header lines
    rows: Sequence[Row]
    break_after: int | None = None     # continue on the next page after this many rows
    repeat_header: bool = True         # print the header again after the break


Block = Union[Heading, Prose, KGITable, KPITable, None]     # None: page break


@dataclass
class Edition:
    blocks: Sequence[Block]
    columns: Sequence[float] = (90.0, 230.0, 330.0, 360.0, 470.0)   # x edges; KGI skips the 3rd column
    kpi_columns: Sequence[float] = (90.0, 230.0, 310.0, 390.0, 470.0)
    page: tuple[float, float] = A4
    heading_size: float = 15.0
    body_size: float = 11.0
    table_size: float = 9.0
    margin_top: float = 60.0
    extra: dict = field(default_factory=dict)


class _Writer:
    def __init__(self, path: Path, edition: Edition):
        for font in (GOTHIC, MINCHO):
            if font not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(UnicodeCIDFont(font))
        self.e = edition
        self.c = Canvas(str(path), pagesize=edition.page)
        self.top = edition.margin_top

    # coordinates are measured from the page top, as the reader sees them
    def y(self, top: float) -> float:
        return self.e.page[1] - top

    def text(self, x: float, top: float, s: str, font: str, size: float) -> None:
        self.c.setFont(font, size)
        self.c.drawString(x, self.y(top + size * 0.88), s)

    def line(self, x0: float, t0: float, x1: float, t1: float) -> None:
        self.c.line(x0, self.y(t0), x1, self.y(t1))

    def new_page(self) -> None:
        self.c.showPage()
        self.top = self.e.margin_top

    def box(self, x0: float, t: float, x1: float, b: float) -> None:
        for a in ((x0, t, x1, t), (x0, b, x1, b), (x0, t, x0, b), (x1, t, x1, b)):
            self.line(*a)

    def lines_in(self, x: float, top: float, lines: Sequence[str], size: float) -> None:
        for i, s in enumerate(lines):
            self.text(x, top + i * size * 1.2, s, MINCHO, size)

    def row_height(self, cells: Sequence[Sequence[str]], size: float) -> float:
        return max(len(c) for c in cells) * size * 1.2 + 8

    def ruled_row(self, edges: Sequence[float], cells: Sequence[Sequence[str]], size: float) -> None:
        """One row of ruled cells at ``self.top`` (the caller draws the horizontal lines)."""
        height = self.row_height(cells, size)
        for x in edges:
            self.line(x, self.top, x, self.top + height)
        for (x0, _), lines in zip(zip(edges, edges[1:]), cells):
            self.lines_in(x0 + 4, self.top + 4, lines, size)
        self.top += height

    # blocks
    def heading(self, block: Heading) -> None:
        start = self.top
        for s in block.lines:
            self.text(70, self.top, s, GOTHIC, self.e.heading_size)
            self.top += self.e.heading_size * 1.1
        if block.boxed:
            self.box(64, start - 3, self.e.page[0] - 64, self.top + 3)
        self.top += 10

    def prose(self, block: Prose) -> None:
        for s in block.lines:
            self.text(80, self.top, s, MINCHO, self.e.body_size)
            self.top += self.e.body_size * 1.4
        self.top += 6

    def kgi(self, block: KGITable) -> None:
        e, size = self.e, self.e.table_size
        self.text(70, self.top, block.title, GOTHIC, e.body_size)
        self.top += e.body_size * 1.6
        value_edges = [(e.columns[1], e.columns[2]), (e.columns[3], e.columns[4])]
        height = max(len(h) for h in block.header) * size * 1.2 + 6
        for (x0, x1), lines in zip(value_edges, block.header):
            self.box(x0, self.top, x1, self.top + height)
            for i, s in enumerate(lines):
                self.text(x0 + 10, self.top + 3 + i * size * 1.2, s, MINCHO, size)
        self.top += height + 6
        for row in block.rows:      # every KGI row is a ruled table of its own, all four columns ruled
            cells = [list(row.name), row.values[0].split("\n"), [""], row.values[1].split("\n")]
            start = self.top
            self.line(e.columns[0], start, e.columns[-1], start)
            self.ruled_row(e.columns, cells, size)
            self.line(e.columns[0], self.top, e.columns[-1], self.top)
            self.top += 6
        self.top += 10

    def kpi_header(self, block: KPITable) -> None:
        self.line(self.e.kpi_columns[0], self.top, self.e.kpi_columns[-1], self.top)
        self.ruled_row(self.e.kpi_columns, block.header, self.e.table_size)
        self.line(self.e.kpi_columns[0], self.top, self.e.kpi_columns[-1], self.top)

    def kpi(self, block: KPITable) -> None:
        edges, size = self.e.kpi_columns, self.e.table_size
        self.kpi_header(block)
        for i, row in enumerate(block.rows):
            if block.break_after is not None and i == block.break_after:
                self.new_page()
                if block.repeat_header:
                    self.kpi_header(block)
                else:
                    self.line(edges[0], self.top, edges[-1], self.top)
            cells = [list(row.name)] + [v.split("\n") for v in row.values]
            self.ruled_row(edges, cells, size)
            self.line(edges[0], self.top, edges[-1], self.top)
        self.top += 16

    def write(self) -> None:
        for block in self.e.blocks:
            if block is None:
                self.new_page()
            elif isinstance(block, Heading):
                self.heading(block)
            elif isinstance(block, Prose):
                self.prose(block)
            elif isinstance(block, KGITable):
                self.kgi(block)
            elif isinstance(block, KPITable):
                self.kpi(block)
        self.c.showPage()
        self.c.save()


def build(path: Path, edition: Edition) -> Path:
    """Write ``edition`` as a PDF at ``path`` and return the path."""
    _Writer(Path(path), edition).write()
    return Path(path)


KGI_TITLE = "実現すべき成果に係る数値目標（KGI）"
KGI_HEADER = (("Ｒ２（２０２０）", "現状値"), ("Ｒ８（２０２６）", "目標値"))
KPI_HEADER = (("重要業績評価指標", "（ＫＰＩ）"), ("Ｒ２", "（２０２０）", "現状値"),
              ("Ｒ６", "（２０２４）", "中間値"), ("Ｒ８", "（２０２６）", "目標値"))


def sample_edition(repeat_header: bool = True) -> Edition:
    """A later revision: other years (R2 → R6 → R8), other amendment marks, a new row, changed values,
    other column widths, a KPI table broken across a page (header repeated or not)."""
    return Edition(blocks=[
        Heading(["基本目標１ 水と緑のまちプロジェクト"], boxed=True),
        Prose(["豊かな自然環境の中で、誰もが健康で暮らすことができるまちづくりに",
               "取り組みます。市民とともに水とみどりを守り育てます。",
               "５年後の姿を見据えて、次の目標を設定します。"]),
        KGITable(KGI_TITLE, KGI_HEADER, [
            Row(["地下水位の年間平均"], ["118.5ｍ", "119.0ｍ"]),
            Row(["健康寿命", "（暦年）"], ["男性 82.10 歳（R1）\n女性 84.50 歳（R1）", "男性 83.00 歳\n女性 85.00 歳"]),
            Row(["学力調査の平均正答率"], ["58.0%\n（全国 61.2％）", "全国平均以上"]),
        ]),
        Prose(["《基本的方向》", "１ 森林を守り育てる取組みの推進", "２ 健やかに暮らせるまちづくりと地域医療の充実に向けた",
               "取組みの推進"]),
        None,
        Heading(["１ 森林を守り育てる取組みの推進"]),
        Prose(["市民共有の財産である森林を守り育てます。", "《主な取組み》", "・森林整備 など"]),
        KPITable(KPI_HEADER, [
            Row(["森林整備面積"], ["30.5ha", "80ha", "130ha"]),
            Row(["森林ボランティアの", "参加者数", "【R7 年 3 月指標・値変更】"], ["1,020 人", "1,200 人", "1,300 人"]),
            Row(["温室効果ガスの排出", "量"], ["750 千トン\n（H30 年度）", "700 千トン", "650 千トン"]),
            Row(["間伐材の利用量", "【R7 年 3 月追加】"], ["420t\n（R4）", "450t", "500t"]),
            Row(["水源林の保全協定", "締結件数"], ["－", "12 件", "20 件"]),
        ], break_after=3, repeat_header=repeat_header),
        Heading(["２ 健やかに暮らせるまちづくりと地域医療の充実に向けた", "取組みの推進"]),
        Prose(["地域医療の充実を図ります。"]),
        KPITable(KPI_HEADER, [
            Row(["がん検診の受診率及び", "精密検査の受診率"], ["35.0％\n80.2％", "40.0%\n85.0%", "45.0％\n90.0％"]),
            Row(["健康相談の利用者数", "【R6 年 9 月指標変更】", "【R7 年 3 月値変更】"], ["200 人", "250 人", "―"]),
        ]),
    ])


# What the sample edition prints, read by hand: (section, kind, indicator, component, measure, fiscal_year,
# value, unit, direction, status, note).  Values are the contract's (scaled, Western years).
P1 = "基本目標1水と緑のまちプロジェクト"
D1 = P1 + ">1森林を守り育てる取組みの推進"
D2 = P1 + ">2健やかに暮らせるまちづくりと地域医療の充実に向けた取組みの推進"
EXPECTED = [
    (P1, "kgi", "地下水位の年間平均", "", "baseline", "2020", "118.5", "m", "", "ok", ""),
    (P1, "kgi", "地下水位の年間平均", "", "target", "2026", "119.0", "m", "", "ok", ""),
    (P1, "kgi", "健康寿命(暦年)", "男性", "baseline", "2019", "82.10", "歳", "", "ok", ""),
    (P1, "kgi", "健康寿命(暦年)", "女性", "baseline", "2019", "84.50", "歳", "", "ok", ""),
    (P1, "kgi", "健康寿命(暦年)", "男性", "target", "2026", "83.00", "歳", "", "ok", ""),
    (P1, "kgi", "健康寿命(暦年)", "女性", "target", "2026", "85.00", "歳", "", "ok", ""),
    (P1, "kgi", "学力調査の平均正答率", "", "baseline", "2020", "58.0", "%", "", "ok", ""),
    (P1, "kgi", "学力調査の平均正答率", "", "target", "2026", "", "", "increase", "ok", ""),
    (D1, "kpi", "森林整備面積", "", "baseline", "2020", "30.5", "ha", "", "ok", ""),
    (D1, "kpi", "森林整備面積", "", "interim_target", "2024", "80", "ha", "", "ok", ""),
    (D1, "kpi", "森林整備面積", "", "target", "2026", "130", "ha", "", "ok", ""),
    (D1, "kpi", "森林ボランティアの参加者数", "", "baseline", "2020", "1020", "人", "", "ok", "【R7 年 3 月指標・値変更】"),
    (D1, "kpi", "森林ボランティアの参加者数", "", "interim_target", "2024", "1200", "人", "", "ok", "【R7 年 3 月指標・値変更】"),
    (D1, "kpi", "森林ボランティアの参加者数", "", "target", "2026", "1300", "人", "", "ok", "【R7 年 3 月指標・値変更】"),
    (D1, "kpi", "温室効果ガスの排出量", "", "baseline", "2018", "750000", "t", "", "ok", ""),
    (D1, "kpi", "温室効果ガスの排出量", "", "interim_target", "2024", "700000", "t", "", "ok", ""),
    (D1, "kpi", "温室効果ガスの排出量", "", "target", "2026", "650000", "t", "", "ok", ""),
    (D1, "kpi", "間伐材の利用量", "", "baseline", "2022", "420", "t", "", "ok", "【R7 年 3 月追加】"),
    (D1, "kpi", "間伐材の利用量", "", "interim_target", "2024", "450", "t", "", "ok", "【R7 年 3 月追加】"),
    (D1, "kpi", "間伐材の利用量", "", "target", "2026", "500", "t", "", "ok", "【R7 年 3 月追加】"),
    (D1, "kpi", "水源林の保全協定締結件数", "", "baseline", "2020", "", "", "", "not_available", ""),
    (D1, "kpi", "水源林の保全協定締結件数", "", "interim_target", "2024", "12", "件", "", "ok", ""),
    (D1, "kpi", "水源林の保全協定締結件数", "", "target", "2026", "20", "件", "", "ok", ""),
    (D2, "kpi", "がん検診の受診率及び精密検査の受診率", "がん検診の受診率", "baseline", "2020", "35.0", "%", "", "ok", ""),
    (D2, "kpi", "がん検診の受診率及び精密検査の受診率", "精密検査の受診率", "baseline", "2020", "80.2", "%", "", "ok", ""),
    (D2, "kpi", "がん検診の受診率及び精密検査の受診率", "がん検診の受診率", "interim_target", "2024", "40.0", "%", "", "ok", ""),
    (D2, "kpi", "がん検診の受診率及び精密検査の受診率", "精密検査の受診率", "interim_target", "2024", "85.0", "%", "", "ok", ""),
    (D2, "kpi", "がん検診の受診率及び精密検査の受診率", "がん検診の受診率", "target", "2026", "45.0", "%", "", "ok", ""),
    (D2, "kpi", "がん検診の受診率及び精密検査の受診率", "精密検査の受診率", "target", "2026", "90.0", "%", "", "ok", ""),
    (D2, "kpi", "健康相談の利用者数", "", "baseline", "2020", "200", "人", "", "ok", "【R6 年 9 月指標変更】 【R7 年 3 月値変更】"),
    (D2, "kpi", "健康相談の利用者数", "", "interim_target", "2024", "250", "人", "", "ok", "【R6 年 9 月指標変更】 【R7 年 3 月値変更】"),
    (D2, "kpi", "健康相談の利用者数", "", "target", "2026", "", "", "", "not_available", "【R6 年 9 月指標変更】 【R7 年 3 月値変更】"),
]


# --- random editions of an answer key ----------------------------------------------------------------

MEASURE_WORDS = {"baseline": ("現状値", "基準値", "当初値"), "interim_target": ("中間値", "中間目標値"),
                 "target": ("目標値", "目標")}
KPI_WORDS = (("重要業績評価指標", "（ＫＰＩ）"), ("ＫＰＩ",), ("重要業績評価指標",))


def _year_lines(year: int, rng, split: bool = False) -> list[str]:
    """A header's year: 'Ｒ１（２０１９）', '令和1年度' or '2019年度'; ``split`` prints the era year and
    the Western year on two lines ('Ｒ１' over '（２０１９）')."""
    from variants.text import FULL_WIDTH, era_year
    initial, era, n = era_year(year)
    both = f"{initial}{n}".translate(FULL_WIDTH), f"（{year}）".translate(FULL_WIDTH)
    return rng.choice([list(both) if split else ["".join(both)], [f"{era}{n}年度"], [f"{year}年度"]])


def _strategy_cell(rows: Sequence[dict], header_year: str, parts: Sequence[str], rng) -> str:
    """A value cell: the components' lines (labelled unless the name lists them with 及び), and a year
    mark when the value's year is not the column's."""
    from variants.text import printed_name, printed_reading, year_mark
    if not rows:
        return "－"
    lines = []
    for r in rows:
        text = printed_reading(r, rng)
        if r["component"] and r["component"] not in parts:
            text = f"{printed_name(r['component'])} {text}"
        lines.append(text)
    years = {(r["fiscal_year"], r["period_start"]) for r in rows if r["fiscal_year"]}
    if len(years) == 1 and next(iter(years))[0] != header_year:
        mark = year_mark(*years.pop(), rng)
        lines = [f"{line}{mark}" for line in lines] if len(lines) > 1 else lines + [mark]
    return "\n".join(lines)


def edition_from_key(rows: Sequence[dict], grades: Sequence[dict], rng, synonyms: bool = True,
                     split_years: bool = False) -> Edition:
    """A random edition of the strategy document printing every indicator of its answer key.

    Indicators with an interim target go to KPI tables (header inside the table), the others to KGI
    tables (header in boxes above ruled rows).  Drawn by ``rng``: column edges (names wrap elsewhere),
    type sizes, the header's wording and year forms, how many indicators a goal holds, KPI tables broken
    across a page with the header repeated or not, and how each value is printed.  The header years are
    the years most values of a column have; a value of another year prints its own year mark.  Without
    ``synonyms`` the header words are the document's own (現状値, 中間値, 目標値, 重要業績評価指標);
    ``split_years`` may print a header's era year and Western year on two lines.
    """
    from collections import Counter

    from variants.text import printed_name, register, wrap
    register(MINCHO)
    by_indicator: dict[str, list[dict]] = {}
    for r in rows:
        by_indicator.setdefault(r["indicator"], []).append(r)
    measures = ("baseline", "interim_target", "target")
    year_of = {m: Counter(r["fiscal_year"] for r in rows if r["measure"] == m and r["fiscal_year"]).most_common(1)[0][0]
               for m in measures}
    words = {m: rng.choice(MEASURE_WORDS[m]) if synonyms else MEASURE_WORDS[m][0] for m in measures}
    kpi_words = rng.choice(KPI_WORDS) if synonyms else KPI_WORDS[0]
    size = rng.choice([8.0, 8.5, 9.0])
    left, right = rng.uniform(60, 100), rng.uniform(480, 540)
    name_share = rng.uniform(0.3, 0.42)
    split = left + name_share * (right - left)
    step = (right - split) / 3
    kpi_columns = (left, split, split + step, split + 2 * step, right)
    columns = (left, split, split + 1.4 * step, split + 1.6 * step, right)   # KGI: baseline | (gap) | target
    page_height = A4[1] - 60
    blocks: list = []
    used = [60.0]

    def need(height: float) -> None:
        if used[0] + height > page_height:
            blocks.append(None)
            used[0] = 60.0
        used[0] += height

    def row_of(name: str, own: list[dict], kinds: Sequence[str], spans) -> Row:
        parts = name.split("及び") if name.count("及び") == 1 else []
        values = []
        for m, (x0, x1) in zip(kinds, spans):
            cell = _strategy_cell([r for r in own if r["measure"] == m], year_of[m], parts, rng)
            values.append("\n".join(part for line in cell.split("\n") for part in wrap(line, x1 - x0 - 8, size, MINCHO)))
        return Row(wrap(printed_name(name), spans[0][0] - left - 8, size, MINCHO), values)

    def height(row: Row) -> float:
        return max([len(row.name)] + [len(v.split("\n")) for v in row.values]) * size * 1.2 + 14

    items = list(by_indicator.items())
    k, n = 0, 1
    while k < len(items):
        group = items[k:k + rng.randint(3, 9)]
        k += len(group)
        kgi = [(name, own) for name, own in group if not any(r["measure"] == "interim_target" for r in own)]
        kpi = [(name, own) for name, own in group if any(r["measure"] == "interim_target" for r in own)]
        need(60)
        blocks += [Heading([f"基本目標{n} 目標その{n}"], boxed=rng.random() < 0.5),
                   Prose(["次の目標を設定します。"])]
        n += 1
        if kgi:
            header = [_year_lines(int(year_of[m]), rng, split_years) + [words[m]] for m in ("baseline", "target")]
            spans = [(columns[1], columns[2]), (columns[3], columns[4])]
            kgi_rows = [row_of(name, own, ("baseline", "target"), spans) for name, own in kgi]
            need(60 + sum(height(row) + 6 for row in kgi_rows))
            blocks.append(KGITable(KGI_TITLE, header, kgi_rows))
            need(40)
            blocks.append(Prose(["《基本的方向》", f"１ 取組その{n}の推進"]))
        if kpi:
            header = [list(kpi_words)] + [_year_lines(int(year_of[m]), rng, split_years) + [words[m]]
                                                     for m in measures]
            spans = [(kpi_columns[i + 1], kpi_columns[i + 2]) for i in range(3)]
            kpi_rows = [row_of(name, own, measures, spans) for name, own in kpi]
            need(60 + height(kpi_rows[0]))
            room, fit = page_height - used[0], 0
            for row in kpi_rows:
                if room < height(row):
                    break
                room -= height(row)
                fit += 1
            table = KPITable(header, kpi_rows, break_after=fit if fit < len(kpi_rows) else None,
                             repeat_header=rng.random() < 0.5)
            blocks.append(table)
            if fit < len(kpi_rows):
                used[0] = 60.0 + 60 + sum(height(r) for r in kpi_rows[fit:])
            else:
                used[0] += sum(height(r) for r in kpi_rows)
    return Edition(blocks=blocks, columns=columns, kpi_columns=kpi_columns, table_size=size,
                   body_size=rng.choice([10.0, 10.5, 11.0]), heading_size=rng.choice([13.0, 14.0, 15.0]))
