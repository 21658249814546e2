"""Builds another edition of the 'project_plan' layout (総合計画「主な事業」実績) as a PDF, for tests.

In: a list of blocks (headings printed between tables, table rows, page breaks), the header words,
the column widths and the page size. Out: a PDF written with reportlab, drawn as the report is:
ruled tables whose header row is repeated (or not) after a page break, 【施策】 rows printed across
the table, a department printed once for a run of rows (a cell merged downwards) and a 事業番号
printed once for several indicators. The reader under test must not rely on anything this builder
chooses (sizes, positions, widths).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence, Union

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont

from variants.text import wrap
from reportlab.pdfgen.canvas import Canvas

FONT = "HeiseiKakuGo-W5"
MERGED = None          # a cell covered by the cell above it (printed once for a run of rows)


@dataclass
class Heading:
    text: str          # printed as a line of text outside any table


@dataclass
class GroupRow:
    text: str          # printed as one cell across the table (【施策NN】 …)


@dataclass
class PageBreak:
    pass


Row = Sequence[Union[str, None]]   # one data row; MERGED where the cell above spans down
Block = Union[Heading, GroupRow, PageBreak, Row]


@dataclass
class Edition:
    headers: Sequence[str]
    widths: Sequence[float]            # column widths in points
    blocks: Sequence[Block]
    pagesize: tuple[float, float] = A4
    repeat_header: bool = True          # print the header row again after a page break
    title: str = "第5次総合計画後期基本計画 中期戦略事業プラン「主な事業」令和元年度実績"
    font_size: float = 7.0
    margin: float = 36.0
    extra: dict = field(default_factory=dict)
    font: str = FONT                    # a reportlab Japanese CID font


def _wrap(text: str, width: float, size: float, font: str = FONT) -> list[str]:
    return wrap(text, width, size, font)


class _Writer:
    def __init__(self, path: Path, ed: Edition):
        pdfmetrics.registerFont(UnicodeCIDFont(ed.font))
        self.ed = ed
        self.c = Canvas(str(path), pagesize=ed.pagesize)
        self.width, self.height = ed.pagesize
        self.leading = ed.font_size * 1.35
        self.pad = 3.0
        self.x = [ed.margin]
        for w in ed.widths:
            self.x.append(self.x[-1] + w)
        self.page_no = 0
        self.rows: list[tuple[str, object, float]] = []   # pending table rows: (kind, content, height)
        self.new_page()

    # -- pages ---------------------------------------------------------------------------------
    def new_page(self):
        if self.page_no:
            self.flush()
            self.c.setFont(self.ed.font, 8)
            self.c.drawCentredString(self.width / 2, 20, f"- {self.page_no} -")
            self.c.showPage()
        self.page_no += 1
        self.y = self.height - self.ed.margin
        if self.page_no == 1:
            self.text_line(self.ed.title, 10)
        self.in_table = False

    def text_line(self, text: str, size: float = 9):
        self.c.setFont(self.ed.font, size)
        self.y -= size * 1.6
        self.c.drawString(self.ed.margin, self.y, text)
        self.y -= size * 0.6

    # -- tables --------------------------------------------------------------------------------
    def row_height(self, cells: Row) -> float:
        n = max(len(_wrap(t or "", w - 2 * self.pad, self.ed.font_size, self.ed.font)) for t, w in zip(cells, self.ed.widths))
        return n * self.leading + 2 * self.pad

    def add(self, kind: str, content, force_header: bool = False):
        height = self.row_height(content if kind == "row" else [content] + [""] * (len(self.x) - 2))
        if kind == "group":
            height = self.leading + 2 * self.pad
        header_height = self.row_height(self.ed.headers)
        need = height + (0 if self.in_table else header_height)
        if self.y - self.used() - need < self.ed.margin + 20:
            self.new_page()
            if not self.ed.repeat_header:
                self.in_table = True          # the table goes on without its header
        if kind == "row" and not any(k in ("row", "group") for k, _, _ in self.rows):
            content = ["" if t is MERGED else t for t in content]   # a merged cell split by a page break
        if not self.in_table:
            self.rows.append(("header", list(self.ed.headers), header_height))
            self.in_table = True
        self.rows.append((kind, content, height))

    def used(self) -> float:
        return sum(h for _, _, h in self.rows)

    def flush(self):
        """Draw the pending rows as one ruled table from ``self.y`` down."""
        if not self.rows:
            return
        c = self.c
        ncol = len(self.x) - 1
        tops = []
        y = self.y
        for _, _, h in self.rows:
            tops.append(y)
            y -= h
        bottom = y
        c.setLineWidth(0.5)
        # horizontal rules: skip a column where the row below continues the cell above
        for i in range(len(self.rows) + 1):
            yy = tops[i] if i < len(self.rows) else bottom
            for col in range(ncol):
                kind, content, _ = self.rows[i] if i < len(self.rows) else ("end", None, 0)
                if kind == "row" and content[col] is MERGED:
                    continue
                c.line(self.x[col], yy, self.x[col + 1], yy)
        # vertical rules: outer always; inner unless the row is printed across the table
        for i, (kind, content, h) in enumerate(self.rows):
            for col, xx in enumerate(self.x):
                if kind == "group" and 0 < col < ncol:
                    continue
                c.line(xx, tops[i], xx, tops[i] - h)
        # text
        c.setFont(self.ed.font, self.ed.font_size)
        for i, (kind, content, h) in enumerate(self.rows):
            if kind == "group":
                c.drawString(self.x[0] + self.pad, tops[i] - self.pad - self.ed.font_size, content)
                continue
            for col, text in enumerate(content):
                if text is MERGED:
                    continue
                span = h
                j = i + 1
                while j < len(self.rows) and self.rows[j][0] == "row" and self.rows[j][1][col] is MERGED:
                    span += self.rows[j][2]
                    j += 1
                lines = _wrap(text, self.ed.widths[col] - 2 * self.pad, self.ed.font_size, self.ed.font)
                block = len(lines) * self.leading
                yy = tops[i] - (span - block) / 2 - self.ed.font_size
                for line in lines:
                    c.drawString(self.x[col] + self.pad, yy, line)
                    yy -= self.leading
        self.y = bottom - 12
        self.rows = []

    def heading(self, text: str):
        if self.rows:
            self.flush()
        self.in_table = False
        if self.y - 60 < self.ed.margin:
            self.new_page()
        self.text_line(text)

    def close(self):
        self.flush()
        self.c.setFont(self.ed.font, 8)
        self.c.drawCentredString(self.width / 2, 20, f"- {self.page_no} -")
        self.c.showPage()
        self.c.save()


def build(path: Path, ed: Edition) -> Path:
    """Write ``ed`` as a PDF at ``path``."""
    w = _Writer(Path(path), ed)
    for block in ed.blocks:
        if isinstance(block, Heading):
            w.heading(block.text)
        elif isinstance(block, GroupRow):
            w.add("group", block.text)
        elif isinstance(block, PageBreak):
            was_in_table = w.in_table
            w.new_page()
            w.in_table = was_in_table and not w.ed.repeat_header
        else:
            w.add("row", list(block))
    w.close()
    return Path(path)


# -- the edition the tests read back ----------------------------------------------------------------
# 令和元年度 columns, landscape, other widths; a 施策 group broken over a page (header repeated or
# not), a department merged over rows and across the break, a 事業番号 printed once for two
# indicators, headings at several levels between tables.
HEADERS = ("事業番号", "主な事業", "事業指標", "当初水準", "令和元年度目標", "令和元年度実績", "所管課")

BLOCKS: list[Block] = [
    Heading("まちづくり目標1：子どもが健やかに育つまち"),
    Heading("■基本政策1-1 子どもを育むまちづくり"),
    Heading("(施策展開の方向1-1-1) 子育てしやすいまちをつくる"),
    GroupRow("【施策01】 子育て支援の充実"),
    ("01-101", "相談支援事業", "相談支援の延べ件数", "250件\n(平成29年度)", "300件", "312件", "子育て支援課"),
    ("01-102", "保育施設整備事業", "保育施設の\n定員数", "1,020人\n(平成30年度)", "1,100人", "1,064人", MERGED),
    ("01-103", "講座開催事業", "講座の参加者数", "―", "男性40人\n女性60人", "男性35人\n女性72人", MERGED),
    ("01-104", "方針策定事業", "支援方針の策定", "検討\n(平成30年度)", "策定", "策定", "子ども家庭課"),
    GroupRow("【施策02】 地域の安全の確保"),
    ("02-101", "農地保全事業", "荒廃農地面積", "5.2ha\n(平成29年度)", "4.0ha", "4.6ha", "農業振興課"),
    ("02-102", "鳥獣対策事業", "農作物の被害額", "20,500千円\n(平成29年度)", "15,000千円", "16,250千円", MERGED),
    ("02-103", "寄附推進事業", "寄附金受入額", "1億2,000万円\n(平成30年度)", "9,000万円", "9,540万円", "財政課"),
    ("02-104", "虐待防止事業\n(児童)", "児童向け啓発回数", "30回\n(平成30年度)", "36回", "33回", "子ども家庭課"),
    (MERGED, "虐待防止事業\n(高齢者)", "高齢者向け研修参加者数", "120人\n(平成29年度)", "150人", "98人", "介護高齢課"),
    ("02-105", "消防整備事業", "消防水利整備箇所数", "1,010カ所\n(平成29年度)", "1,020カ所", "1,020カ所", "警防課"),
    ("02-106", "職員適正化事業", "職員数", "700人\n(平成29年度)", "680人", "690人", MERGED),
    ("02-107", "空き家対策事業", "特定空き家の発生数", "0件\n(平成30年度)", "0件", "0件", MERGED),
    ("02-108", "防犯事業", "防犯カメラの設置箇所数", "12箇所\n(平成30年度)", "18箇所", "-", MERGED),
    Heading("■基本政策1-2 学び合うまちづくり"),
    Heading("(施策展開の方向1-2-1) 学ぶ力をはぐむまちをつくる"),
    GroupRow("【施策03】 生涯学習の推進"),
    ("03-101", "生涯学習推進事業", "公民館利用者数", "250,000人\n(平成29年度)", "255,000人", "248,100人", "社会教育課"),
    ("03-102", "図書館事業", "図書館の貸出冊数", "61万冊\n(平成29年度)", "65万冊", "63.5万冊", MERGED),
]


def edition(landscape_page: bool = True, repeat_header: bool = True, break_after: int | None = None,
            break_after_heading: str = "") -> Edition:
    """The test edition; ``break_after`` forces a page break after that many data rows of 【施策02】,
    ``break_after_heading`` one after the heading starting with it (a heading at the foot of a page)."""
    blocks: list[Block] = []
    seen = 0
    in_group2 = False
    for block in BLOCKS:
        blocks.append(block)
        if isinstance(block, GroupRow):
            in_group2 = "施策02" in block.text
        elif isinstance(block, Heading) and break_after_heading and block.text.startswith(break_after_heading):
            blocks.append(PageBreak())
        elif not isinstance(block, (Heading, PageBreak)) and in_group2:
            seen += 1
            if break_after is not None and seen == break_after:
                blocks.append(PageBreak())
    if landscape_page:
        widths = (52, 130, 190, 100, 95, 95, 120)
        size = landscape(A4)
    else:
        widths = (40, 92, 120, 70, 62, 62, 78)
        size = A4
    return Edition(headers=HEADERS, widths=widths, blocks=blocks, pagesize=size, repeat_header=repeat_header)


# --- random editions of an answer key ----------------------------------------------------------------

NUMBER_WORDS = ("事業番号", "番号", "No.")
PROJECT_WORDS = ("主な事業", "事業名")
INDICATOR_WORDS = ("事業指標", "指標名", "指標")
BASELINE_WORDS = ("当初水準", "基準値", "現状値")
DEPARTMENT_WORDS = ("所管課", "担当課")


def _cell(rows: Sequence[dict], with_year: bool, rng) -> str:
    """One value cell: a line per component ('男性40人'), then the baseline's own year mark."""
    from variants.text import printed_name, printed_reading, year_mark
    if not rows:
        return "―"
    lines = [f"{printed_name(r['component'])}{printed_reading(r, rng)}" if r["component"]
             else printed_reading(r, rng) for r in rows]
    years = {(r["fiscal_year"], r["period_start"]) for r in rows if r["fiscal_year"]}
    if with_year and len(years) == 1:
        lines.append(year_mark(*years.pop(), rng))
    return "\n".join(lines)


def edition_from_key(rows: Sequence[dict], grades: Sequence[dict], rng, synonyms: bool = True) -> Edition:
    """A random edition of the project plan printing every indicator of its answer key.

    Drawn by ``rng``: page orientation, column widths (names and values wrap elsewhere), font and size, the
    header's wording (synonyms) and year forms, the target and actual columns in either order, the
    header repeated or not after a page break, how many rows each 【施策】 group holds, and how each value
    is printed (grouping, full-width digits, 万, year mark forms).  A department is printed once for a run
    of rows (a merged cell, also across a page break) and a 事業番号 once for consecutive indicators.
    """
    from variants.text import era_year, printed_name
    year = {r["fiscal_year"] for r in rows if r["measure"] in ("target", "actual")}
    assert len(year) == 1, "one target / actual year, printed in the headers"
    initial, era, n = era_year(int(year.pop()))
    year_word = rng.choice([f"{era}{n}年度", f"{initial}{n}年度", f"{era}{n}年度末"])
    target_header = rng.choice([f"{year_word}目標", f"目標値\n（{year_word}）", f"{year_word}\n目標値"])
    actual_header = rng.choice([f"{year_word}実績", f"実績値\n（{year_word}）", f"{year_word}\n実績"])
    target_first = rng.random() < 0.7
    by_indicator: dict[tuple, list[dict]] = {}
    for r in rows:
        by_indicator.setdefault((r["indicator_no"], r["indicator"]), []).append(r)
    blocks: list = []
    previous_no, previous_department, in_group = None, None, 0
    for k, ((no, name), own) in enumerate(by_indicator.items()):
        if in_group == 0:
            blocks.append(GroupRow(f"【施策{k + 1:02d}】 施策その{k + 1}"))
            in_group = rng.randint(3, 15)
            previous_no = previous_department = None     # a merged cell never runs over a group row
        in_group -= 1
        department = rng.choice(["企画課", "福祉課", "都市計画課"]) if rng.random() < 0.4 else previous_department
        department = department or "企画課"
        target = _cell([r for r in own if r["measure"] == "target"], False, rng)
        actual = _cell([r for r in own if r["measure"] == "actual"], False, rng)
        values = (target, actual) if target_first else (actual, target)
        blocks.append((no if no != previous_no else MERGED, f"{printed_name(name)[:6]}事業", printed_name(name),
                       _cell([r for r in own if r["measure"] == "baseline"], True, rng), *values,
                       department if department != previous_department else MERGED))
        previous_no, previous_department = no, department
    landscape_page = rng.random() < 0.6
    page = landscape(A4) if landscape_page else A4
    shares = [rng.uniform(0.6, 1.4) * base for base in (0.8, 1.6, 2.4, 1.3, 1.2, 1.2, 1.2)]
    width = page[0] - 72
    words = [rng.choice(w) if synonyms else w[0]
             for w in (NUMBER_WORDS, PROJECT_WORDS, INDICATOR_WORDS, BASELINE_WORDS, DEPARTMENT_WORDS)]
    headers = (*words[:4], *((target_header, actual_header) if target_first else (actual_header, target_header)),
               words[4])
    return Edition(headers=headers, widths=[width * s / sum(shares) for s in shares], blocks=blocks, pagesize=page,
                   repeat_header=rng.random() < 0.6, font_size=rng.choice([6.5, 7.0, 7.5]),
                   font=rng.choice(["HeiseiKakuGo-W5", "HeiseiMin-W3"]))
