"""Layout: verification sheets (効果検証シート): one indicator per block, its table transposed.

In: a PDF where each indicator is a block read top to bottom: a heading naming it
(``ＫＰＩ① 市内の新規創業件数``, ``指標3 …``), lines such as ``担当課：商工課`` and ``（単位：件）``,
a transposed table (years across, 実績値/目標値 rows; see ``transposed_tables``), an evaluation
line ``評価：B（概ね順調）`` and prose; goal headings (``基本目標１ …``) between blocks; a grade
legend printed once.
Out: a ``DocumentExtraction`` with one record per value cell (unit from the unit note, department,
section and group from the goal heading, published grade from the evaluation line), the printed
legend, and a problem line for a transposed table that belongs to no indicator.

Everything is found by its words and by reading order (text lines and tables sorted by their
top edge page by page), never by position: a block may start on one page and continue on the
next, and a table broken by a page break continues with the rows on the next page.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import regex

from ..extract.grid import ruled_tables
from ..extract.words import page_text_lines
from ..records import CellRecord, DocumentExtraction
from .base import Layout
from .common import clean_pages, group_key, legend_words, page_texts, read_legend
from .table_reader import squash
from .transposed_tables import TransposedHeader, TransposedValue, continue_transposed, read_transposed

_NUMBER = r"(?:[①-⑳㉑-㉟㊱-㊿]|[0-9０-９]+(?:[-－‐][0-9０-９]+)?)"
# An indicator's heading: a label word, its number, its name.
INDICATOR_HEADING = regex.compile(
    rf"^[【\[［〔■◆●◇□▼]?\s*(?P<label>KPI|ＫＰＩ|KGI|ＫＧＩ|重要業績評価指標|数値目標|成果指標|評価指標|指標)\s*"
    rf"(?:[（(](?:KPI|ＫＰＩ|KGI|ＫＧＩ)[)）])?\s*(?:No\.?|Ｎｏ[.．]?|番号)?\s*(?P<no>{_NUMBER})\s*[】\]］〕]?"
    rf"\s*[:：.．、)）]?\s*(?P<name>.*)$")
# A name printed on a line of its own, labelled ('指標名：…', or in a cell beside '指標名').
NAME_LINE = regex.compile(r"^(?:指標名|KPI名|ＫＰＩ名|指標の名称)(?:\s*[:：]\s*|\s+)(?P<name>\S.*)$")
# Goal headings, outermost first.
HEADINGS = (
    regex.compile(r"^(?:基本目標|政策目標|基本方針|重点目標)\s*[0-9０-９一二三四五六七八九十]+"),
    regex.compile(r"^(?:施策|具体的施策|基本施策)\s*[0-9０-９(（]"),
)
# '担当課：商工課', or the label and its value in two cells of a small table ('担当課 商工課').
DEPARTMENT = regex.compile(r"(?:担当課|所管課|担当部署|所管部署|担当部局|所管部局|担当部課)(?:\s*[:：]\s*|\s+)([^\s（(）)]+)")
UNIT = regex.compile(r"単位(?:\s*[:：]\s*|\s+)([^\s）)]+)")
EVALUATION = regex.compile(
    r"^(?:(?:総合|進捗)?評価(?:結果)?|判定|達成状況|進捗状況|達成度)\s*[:：]?\s*([A-ZＡ-Ｚ◎○◯〇●△▲×✕✖]|[―ー－—‐−–-]+)(?:\s*[（(].*)?\s*$")
EVALUATION_WORD = regex.compile(r"^(?:(?:総合|進捗)?評価(?:結果)?|判定|達成状況|進捗状況|達成度)\s*[:：]?\s*(\S{2,12})$")
GOAL_KINDS = (("goal", r"KGI|ＫＧＩ|数値目標"), ("kpi", r"KPI|ＫＰＩ|重要業績評価指標|成果指標|評価指標|指標"))


@dataclass
class Block:
    """What is known about the indicator being read."""

    no: str = ""
    name: str = ""
    kind: str = ""
    department: str = ""
    unit: str = ""
    grade: str = ""
    records: list[CellRecord] = field(default_factory=list)
    open_name: bool = False         # the next plain line may continue a wrapped name


@dataclass
class SheetState:
    headings: list[str] = field(default_factory=list)
    block: Block | None = None
    header: TransposedHeader | None = None    # of the last transposed table, for page breaks
    records: list[CellRecord] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    words: dict[str, str] = field(default_factory=dict)    # legend word -> mark ('概ね順調' -> 'Ｂ')


def indicator_heading(line: str) -> tuple[str, str, str] | None:
    """(number, name, kind) of an indicator heading line, or None.

    >>> indicator_heading("ＫＰＩ① 市内の新規創業件数")
    ('①', '市内の新規創業件数', 'kpi')
    >>> indicator_heading("数値目標２：合計特殊出生率"), indicator_heading("担当課：商工課")
    (('２', '合計特殊出生率', 'goal'), None)
    >>> indicator_heading("【KPI③】観光入込客数"), indicator_heading("重要業績評価指標（ＫＰＩ）12"), indicator_heading("指標名 観光客数")
    (('③', '観光入込客数', 'kpi'), ('12', '', 'kpi'), None)
    """
    m = INDICATOR_HEADING.match(line.strip())
    if not m:
        return None
    kind = next(k for k, pattern in GOAL_KINDS if regex.search(pattern, m.group("label")))
    return m.group("no"), squash(m.group("name")), kind


def evaluation_mark(line: str, words: dict[str, str] | None = None) -> str | None:
    """The grade mark of an evaluation line, or None; ``words`` (word -> mark, from the legend's
    '（順調）') reads an evaluation printed as the legend's word.

    >>> evaluation_mark("評価：B（概ね順調）"), evaluation_mark("評価：－"), evaluation_mark("評価 ◎")
    ('B', '－', '◎')
    >>> evaluation_mark("【評価の区分】"), evaluation_mark("評価：概ね順調に推移している")
    (None, None)
    >>> evaluation_mark("評価：概ね順調", {"順調": "Ａ", "概ね順調": "Ｂ"}), evaluation_mark("評価 （順調）", {"順調": "Ａ"})
    ('Ｂ', 'Ａ')
    """
    m = EVALUATION.match(line.strip())
    if m:
        return m.group(1)
    m = EVALUATION_WORD.match(line.strip())
    word = m and regex.sub(r"^[（(]|[)）]$", "", m.group(1))
    return (words or {}).get(word) if word else None


def heading_level(line: str) -> int | None:
    """0 for a goal heading (基本目標１ …), 1 for a measure heading (施策１ …), else None.

    >>> heading_level("基本目標１ 魅力ある雇用を創出し"), heading_level("施策（２）子育て支援"), heading_level("目標値")
    (0, 1, None)
    """
    return next((level for level, pattern in enumerate(HEADINGS) if pattern.match(line.strip())), None)


def department_and_unit(line: str) -> tuple[str, str]:
    """The department and the unit a line names ('' when it names none).

    >>> department_and_unit("担当課：商工課"), department_and_unit("担当課 商工課 単位 件"), department_and_unit("（単位：百万円）")
    (('商工課', ''), ('商工課', '件'), ('', '百万円'))
    >>> department_and_unit("担当課と連携して単位ごとに実施した")
    ('', '')
    """
    department, unit = DEPARTMENT.search(line), UNIT.search(line)
    return (department.group(1) if department else "", unit.group(1) if unit else "")


def _read_line(line: str, state: SheetState) -> None:
    heading = indicator_heading(line)
    if heading:
        no, name, kind = heading
        state.block = Block(no=no, name=name, kind=kind, open_name=True)
        return
    named = NAME_LINE.match(line.strip())
    if named:
        if state.block is None or state.block.records or (state.block.name and not state.block.open_name):
            state.block = Block(kind="kpi")     # a block that prints a name and no number
        state.block.name, state.block.open_name = squash(named.group("name")), False
        return
    level = heading_level(line)
    if level is not None:
        del state.headings[level:]
        state.headings += [""] * (level - len(state.headings)) + [squash(line)]
        state.block = None
        return
    block = state.block
    if block is None:
        return
    department, unit = department_and_unit(line)
    found = bool(department or unit)
    block.department = department or block.department
    block.unit = unit or block.unit
    for record in block.records:      # printed under the table ('※単位：件'): it still names the block's
        record.department = record.department or department
        record.unit_hint = record.unit_hint or unit
    if (mark := evaluation_mark(line, state.words)) is not None:
        block.grade, found = mark, True
        for record in block.records:
            record.published_grade = mark
    if found:
        block.open_name = False
    elif block.open_name and not block.records and squash(line):
        block.name += squash(line)     # a name wrapped onto the next line


def _record(value: TransposedValue, table, state: SheetState) -> CellRecord:
    block = state.block
    section = [h for h in state.headings if h]
    return CellRecord(
        page=table.page, indicator=block.name, measure=value.measure, text=value.text,
        section=">".join(section), indicator_no=block.no, year_text=value.year_text,
        unit_hint=block.unit, department=block.department, published_grade=block.grade,
        group=group_key(state.headings[0]) if state.headings else "", kind=block.kind,
        bbox=value.bbox, row_bbox=table.row_bbox(value.row))


def _read_table(table, state: SheetState) -> bool:
    """Records from ``table`` if it is a transposed table (or continues one); False if it is neither."""
    found = read_transposed(table)
    if found is not None:
        state.header, values = found
    elif state.header is not None and (values := continue_transposed(table, state.header)) is not None:
        pass
    else:
        return False
    if state.block is None:
        state.problems.append(f"page {table.page}: a table with years across and measure rows, "
                              "but no indicator heading above it (ＫＰＩ① …, 指標1 …): not read")
        return True
    block = state.block
    block.open_name = False
    if not block.name:
        state.problems.append(f"page {table.page}: indicator {block.no or '(no number)'} prints no name "
                              "before its table: not read")
        return True
    corner = table.rows[0][state.header.label_column].text if found is not None else ""
    if (m := UNIT.search(corner)):          # a unit printed in the table's corner cell ('区分（単位：件）')
        block.unit = m.group(1)
    mark = evaluation_row(table, state.header.label_column, state.words)
    if mark is not None:
        block.grade = mark
    new = [_record(v, table, state) for v in values]
    block.records += new
    state.records += new
    if block.grade:
        for record in block.records:
            record.published_grade = block.grade
    return True


def evaluation_row(table, label_column: int, words: dict[str, str]) -> str | None:
    """The grade printed in a row of the table itself ('評価 | B'), or None."""
    for row in table.rows:
        label = squash(row[label_column].text) if label_column < len(row) else ""
        rest = "".join(dict.fromkeys(squash(c.text) for i, c in enumerate(row) if i != label_column and squash(c.text)))
        if label and rest and (mark := evaluation_mark(f"{label}：{rest}", words)) is not None:
            return mark
    return None


def _inside(line: dict, boxes: list[tuple]) -> bool:
    middle = (line["top"] + line["bottom"]) / 2
    return any(top <= middle <= bottom and line["x0"] < x1 and line["x1"] > x0 for x0, top, x1, bottom in boxes)


def read_pages(pages, words: dict[str, str] | None = None) -> SheetState:
    """Read the blocks of all pages in reading order (see the module docstring); ``words`` maps the
    legend's words to its marks."""
    state = SheetState(words=dict(words or {}))
    for page in pages:
        tables = ruled_tables(page)
        events: list[tuple[float, int, object]] = [(t.bbox[1], 1, t) for t in tables]
        read_boxes = []
        for t in tables:
            if read_transposed(t) is not None or (state.header and continue_transposed(t, state.header)):
                read_boxes.append(t.bbox)
        events += [(line["top"], 0, line["text"]) for line in page_text_lines(page)
                   if not _inside(line, read_boxes)]
        for _, kind, item in sorted(events, key=lambda e: (e[0], e[1])):
            if kind == 0:
                _read_line(item, state)
            else:
                _read_table(item, state)
    return state


def read(pdf, source) -> DocumentExtraction:
    pages = clean_pages(pdf)
    legend = read_legend("\n".join(page_texts(pages)))
    state = read_pages(pages, legend_words(legend))
    return DocumentExtraction(
        document=source.document, municipality=source.municipality, layout=LAYOUT.name,
        pages=len(pages), cells=[replace(r) for r in state.records], legend=legend, problems=state.problems)


LAYOUT = Layout(
    name="verification_sheet",
    description="効果検証シート: one indicator per block (heading, 担当課, unit note), a transposed table "
                "(years across, 実績値/目標値 rows) and an evaluation line 評価：…",
    identify=("(?m)" + INDICATOR_HEADING.pattern, r"実績", r"目標",
              f"(?m)(?:{EVALUATION.pattern}|{EVALUATION_WORD.pattern})"),
    names=("an indicator heading (ＫＰＩ① … / 指標1 …)", "実績", "目標", "an evaluation line (評価：B …)"),
    looked_for="transposed tables (years across or down, rows or columns 実績値/目標値) under indicator headings",
    read=read,
)
