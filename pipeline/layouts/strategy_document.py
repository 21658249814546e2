"""Layout: a regional-revitalisation strategy written in Word (総合戦略 本文: KGI and KPI tables in prose).

In: a PDF of prose with, per project (基本目標 / プロジェクト), a KGI table (実現すべき成果に係る数値目標)
whose header (現状値 / 目標値 with their years) is printed ABOVE the ruled rows in boxes over the value
columns (each row may even be a ruled table of its own), and, per basic direction (基本的方向, a
numbered heading), a KPI table with its header inside (重要業績評価指標（ＫＰＩ） | 現状値 | 中間値 | 目標値,
each with its year). Indicator names wrap over lines and carry amendment marks (【R6 年 3 月指標・値変更】);
a value cell may name its own year on a second line ('608g\\n（R3）') or hold one value per line for an
indicator named 'A及びB'.
Out: a ``DocumentExtraction`` with one record per printed value: ``kind`` 'kgi' or 'kpi', ``section`` the
project>direction headings read from the prose lines between the tables, ``note`` the amendment marks,
``component`` the name parts of a one-value-per-line cell.

Headings are prose lines (outside every table) that match a numbering pattern and are printed larger than
the document's body text; a heading wrapped over two lines is joined.  Nothing depends on positions, page
numbers or row counts: columns come from header words, placed by the ruling lines' x ranges. The header
printed above the rows (``table_reader.header_above``), the columns' roles and year words
(``table_reader.column_role``) and the row reading are the general reader's.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

import regex

from ..extract.grid import Table, ruled_tables
from ..extract.words import page_text_lines
from ..normalise import read_cell
from ..normalise.text import AMENDMENT
from ..records import CellRecord, DocumentExtraction
from .base import Layout, compiled
from .common import clean_pages
from .vocabulary import BASELINE, INTERIM
from .table_reader import YEAR_WORDS, Column, ColumnMap, ReadState, TableSpec, column_ranges, column_role, \
    WESTERN_IN_PARENS, header_above, header_row_count, read_table_rows, set_heading, squash

KINDS = (("kgi", r"数値目標|KGI|ＫＧＩ"), ("kpi", r"重要業績評価指標|KPI|ＫＰＩ"))

SPEC = TableSpec(
    columns=(
        Column("indicator", r"重要業績評価指標|数値目標|^指標名?$|^指標$|^(?:KPI|ＫＰＩ|KGI|ＫＧＩ)"),
        Column("value", BASELINE, measure="baseline"),
        Column("value", INTERIM, measure="interim_target"),
        Column("value", r"目標値|^目標$", measure="target"),
    ),
    # Prose headings, outermost first: the project (基本目標１ …, 横断プロジェクト …), the numbered direction.
    headings=(r"^(?:基本目標|プロジェクト)\s*[0-9０-９]+|^横断(?:的な)?プロジェクト",
              r"^[0-9０-９]{1,2}[\s　]+\S"),
    group_level=0,
    kinds=KINDS,
)

NAME_PARTS = regex.compile(r"及び|並びに")          # 'A及びB' names one series per printed line
EDGE_TOLERANCE = 2.0                                # points; same ruling lines = same table continued


@dataclass
class Line:
    """A text line of a page outside its tables."""

    text: str
    top: float
    bottom: float
    size: float
    font: str
    chars: list


def _line(raw: dict) -> Line:
    chars = [c for c in raw["chars"] if c["text"].strip()]
    size = Counter(round(c["size"], 1) for c in chars).most_common(1)[0][0] if chars else 0.0
    font = Counter(c["fontname"].split("+")[-1] for c in chars).most_common(1)[0][0] if chars else ""
    return Line(raw["text"], raw["top"], raw["bottom"], size, font, chars)


def _inside(line: Line, table: Table) -> bool:
    x0, top, x1, bottom = table.bbox
    middle = (line.top + line.bottom) / 2
    return top <= middle <= bottom and any(x0 <= (c["x0"] + c["x1"]) / 2 <= x1 for c in line.chars)


def page_lines(page, tables: list[Table]) -> list[Line]:
    lines = [_line(raw) for raw in page_text_lines(page)]
    return [line for line in lines if line.chars and not any(_inside(line, t) for t in tables)]


def body_size(lines: list[Line]) -> float:
    """The size most of the prose is printed in (headings are larger)."""
    sizes = Counter()
    for line in lines:
        sizes[line.size] += len(line.chars)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def heading_level(line: Line, body: float) -> int | None:
    if line.size <= body:
        return None
    text = line.text.strip()
    for level, pattern in enumerate(SPEC.headings):
        if compiled(pattern).search(text):
            return level
    return None


def read_headings(lines: list[Line], body: float, state: ReadState) -> None:
    """Set ``state.headings`` from the prose lines (top to bottom); a wrapped heading's next line joins it."""
    open_heading: tuple[int, Line] | None = None
    for line in lines:
        level = heading_level(line, body)
        if level is not None:
            set_heading(state, level, line.text)
            open_heading = (level, line)
            continue
        if open_heading:
            level, head = open_heading
            if (line.font == head.font and abs(line.size - head.size) < 0.5
                    and line.top - head.bottom < 0.8 * head.size and len(state.headings) == level + 1):
                state.headings[level] += squash(line.text)
                open_heading = (level, line)
                continue
        open_heading = None


def cell_words(text: str) -> list[str]:
    """A header cell's words: one per printed line, a '（２０１９）' line joined to the era year above it."""
    words: list[str] = []
    for line in (text or "").splitlines():
        word = squash(line)
        if not word:
            continue
        if words and WESTERN_IN_PARENS.match(word) and YEAR_WORDS.match(words[-1]):
            words[-1] += word
        else:
            words.append(word)
    return words


def column_map(words_by_column: list[list[str]]) -> ColumnMap | None:
    """Roles and year words of the columns; None unless at least one column holds values.

    The row label needs no header word: when no column is named as the indicator, the first unnamed
    column left of the values is it (the KGI tables print only the value columns' header).
    """
    roles, years, labels = [], [], []
    for words in words_by_column:
        role, year, named = column_role(words, SPEC)
        roles.append(role)
        labels.append(named)
        years.append(year)
    values = [c for c, role in enumerate(roles) if role and role.role == "value"]
    if not values:
        return None
    if not any(role and role.role == "indicator" for role in roles):
        unnamed = [c for c in range(values[0]) if roles[c] is None]
        if not unnamed:
            return None
        roles[unnamed[0]] = next(col for col in SPEC.columns if col.role == "indicator")
    return ColumnMap(roles, years, labels)


def in_table_header(table: Table, rows: int) -> list[list[str]]:
    words: list[list[str]] = []
    for c in range(table.n_cols):
        column: list[str] = []
        for r in range(rows):
            for w in cell_words(table.rows[r][c].text):
                if w not in column:
                    column.append(w)
        words.append(column)
    return words


def table_kind(texts: list[str]) -> str:
    """The kind named nearest to the table: its header words first, then the lines above, bottom-up."""
    for text in reversed(texts):
        for kind, pattern in KINDS:
            if compiled(pattern).search(squash(text)):
                return kind
    return ""


def name_and_marks(text: str) -> tuple[str, str]:
    """An indicator cell -> (name with its lines joined, amendment marks as printed).

    >>> name_and_marks('秦野名水ロゴマークの\\n使用件数（累計）\\n【R6 年 3 月指標・値変更】')
    ('秦野名水ロゴマークの使用件数（累計）', '【R6 年 3 月指標・値変更】')
    >>> name_and_marks('住宅施策を活用した\\n年間移住世帯数\\n【R5 年 3 月中間値・目標値変\\n更※】')
    ('住宅施策を活用した年間移住世帯数', '【R5 年 3 月中間値・目標値変更※】')
    """
    joined = "".join(line.strip() for line in (text or "").splitlines())
    marks = AMENDMENT.findall(joined)
    return AMENDMENT.sub("", joined).strip(), " ".join(marks)


def split_components(record: CellRecord) -> list[CellRecord]:
    """A cell printing one value per line for an indicator named 'A及びB' -> one record per name part.

    Only when the lines are exactly as many as the name's parts and each line is one value on its own
    (a year or a qualifier on the second line is not a second value).
    """
    lines = [line.strip() for line in record.text.splitlines() if line.strip()]
    parts = [p for p in NAME_PARTS.split(record.indicator) if p.strip()]
    if len(lines) < 2 or len(parts) != len(lines) or len(read_cell(record.text)) != len(lines):
        return [record]
    for line in lines:
        readings = read_cell(line)
        if len(readings) != 1 or readings[0].value is None or readings[0].component:
            return [record]
    return [replace(record, text=line, component=part.strip()) for line, part in zip(lines, parts)]


def finish(records: list[CellRecord], table: Table, cmap: ColumnMap) -> list[CellRecord]:
    """Indicator names as printed (lines joined), amendment marks moved to ``note``, components split."""
    label = next(c for c, role in enumerate(cmap.roles) if role and role.role == "indicator")
    printed = {table.row_bbox(r): table.rows[r][label].text for r in range(len(table.rows))}
    out: list[CellRecord] = []
    for record in records:
        name, marks = name_and_marks(printed.get(record.row_bbox, record.indicator))
        record = replace(record, indicator=name or record.indicator,
                         note=" ".join(n for n in (record.note, marks) if n))
        out.extend(split_components(record))
    return out


def same_columns(a: list[tuple[float, float]] | None, b: list[tuple[float, float]]) -> bool:
    return a is not None and len(a) == len(b) and all(
        abs(p[0] - q[0]) <= EDGE_TOLERANCE and abs(p[1] - q[1]) <= EDGE_TOLERANCE for p, q in zip(a, b))


def read_pages(pages) -> list[CellRecord]:
    """Records of every KGI/KPI table on ``pages`` (deduplicated pages, see ``extract.pdf.clean_page``).

    Top to bottom: the prose lines above a table update the headings; the table's header is its own
    header rows, else the header lines printed right above it, else it continues the last table when its
    ruling lines are the same (a KGI row drawn as a table of its own, a KPI table after a page break).
    """
    laid_out = []
    for page in pages:
        # a one-column box is a framed heading or note, read as prose
        tables = [table for table in ruled_tables(page) if table.n_cols > 1]
        laid_out.append((page, tables, page_lines(page, tables)))
    body = body_size([line for _, _, lines in laid_out for line in lines])
    state = ReadState()
    last_edges: list[tuple[float, float]] | None = None
    records: list[CellRecord] = []
    for page, tables, lines in laid_out:
        above = 0.0
        for table in tables:
            band = [line for line in lines if line.top >= above - 1 and line.bottom <= table.bbox[1] + 1]
            read_headings(band, body, state)
            above = table.bbox[3]
            rows = header_row_count(table, SPEC)
            words = in_table_header(table, rows) if rows else header_above(table, [line.chars for line in band], SPEC)
            cmap = column_map(words) if words else None
            if cmap is not None:
                state.columns = cmap
                state.carried.clear()
                state.kind = table_kind([line.text for line in band] + [w for ws in words for w in ws]) or state.kind
                last_edges = column_ranges(table)
            elif rows or not same_columns(last_edges, column_ranges(table)):
                continue   # not an indicator table, nor the last one continued
            found = list(read_table_rows(table, rows, state, SPEC))
            records.extend(finish(found, table, state.columns))
        read_headings([line for line in lines if line.top >= above - 1], body, state)
    return records


def read(pdf, source) -> DocumentExtraction:
    pages = clean_pages(pdf)
    cells = read_pages(pages)
    return DocumentExtraction(
        document=source.document, municipality=source.municipality, layout=LAYOUT.name,
        pages=len(pages), cells=cells)


LAYOUT = Layout(
    name="strategy_document",
    description="総合戦略 本文: KGI tables (現状値/目標値, header above the rows) per project and KPI tables "
                "(現状値/中間値/目標値) per basic direction, headings in the prose",
    identify=(r"数値目標\s*[（(]?\s*(?:KGI|ＫＧＩ)", r"重要業績評価指標|KPI|ＫＰＩ", r"基本的方向",
              r"現状値|基準値|当初値", r"目標"),
    names=("数値目標（KGI）", "重要業績評価指標 or KPI", "基本的方向", "現状値, 基準値 or 当初値", "目標"),
    exclude=(r"達成状況",),
    read=read,
)
