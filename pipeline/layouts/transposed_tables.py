"""Transposed indicator tables: years across, measures as rows.

In: a ruled table (``extract.grid.Table``) or its cell texts, e.g.

    区分   | 平成30年度（基準） | 令和２年度 | 令和３年度 | 令和６年度（目標）
    実績値 | 41                 | 38         | 45         |
    目標値 |                    |            |            | 60

Out: one ``TransposedValue`` per non-empty value cell: its measure, the year words of its column,
its text and box. Nothing here reads numbers. Which cell is which measure:

- the header is the leading rows whose label cell (the first column without a year) names no
  measure; a column whose header holds a year is a value column, its year words are the year;
- a column marked as the baseline (（基準）, 基準値, 現状, 当初, 策定時) gives a ``baseline``,
  one marked as the target (（目標）, 目標年度) the ``target`` of a target row, 中間目標 an
  ``interim_target``;
- rows are labelled 実績/実績値 (actual), 目標/目標値 (target), 中間目標 (interim target),
  基準値/現状値/当初値 (baseline); other rows (達成率, 備考) are not values;
- a target row in a table with no column marked as the target: its latest year is the target,
  its earlier years are interim targets.

The same holds for a table with years down and measures across (年度 | 実績値 | 目標値): it is read
flipped. The general table reader can call ``read_transposed`` on any ruled table (or ``read_grid`` on
cell texts): it returns None when the table is not transposed (no year header, or no measure row).
``continue_transposed`` reads a table that continues one across a page break without its header.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Sequence

import regex

from ..extract.grid import Table
from ..normalise.text import nfkc, squash
from .vocabulary import ACTUAL, BASELINE, INTERIM, TARGET, YEAR_PART

# Row labels (the shared header vocabulary, at the start of the label), most specific first:
# 中間目標 before 目標.
ROW_MEASURES: tuple[tuple[str, str], ...] = (
    ("interim_target", rf"^(?:{INTERIM}|年度目標)"),
    ("baseline", rf"^(?:{BASELINE}|現状|当初)"),
    ("actual", rf"^(?:{ACTUAL})"),
    ("target", rf"^(?:{TARGET}|最終目標|計画値)"),
)
# Marks on a year column's header ('令和６年度（目標）', '基準値 H30').
COLUMN_MARKS: tuple[tuple[str, str], ...] = (
    ("interim_target", rf"{INTERIM}|中間年"),
    ("baseline", rf"{BASELINE}|現状|当初"),
    ("target", TARGET),
)


@dataclass(frozen=True)
class YearColumn:
    index: int
    year_text: str     # the year words of the header ('平成30年度')
    mark: str          # '' or the measure the header marks the column with (baseline / target / interim_target)


@dataclass(frozen=True)
class TransposedHeader:
    label_column: int
    columns: tuple[YearColumn, ...]
    header_rows: int
    years_down: bool = False                       # years as rows: the table was read flipped
    texts: tuple[tuple[str, ...], ...] = ()        # the header rows as printed, to read a continuation

    @property
    def era(self) -> str:
        """The era of the last year (a continuation's bare '２年度' is in it)."""
        m = ERA.match(self.columns[-1].year_text) if self.columns else None
        return m.group(1) if m else ""

    @property
    def width(self) -> int:
        return max([self.label_column] + [c.index for c in self.columns]) + 1


@dataclass(frozen=True)
class TransposedValue:
    measure: str
    year_text: str
    text: str
    row: int
    column: int
    bbox: tuple[float, float, float, float] | None = None


def row_measure(label: str) -> str:
    """The measure a row label names, or ''.

    >>> row_measure("実績値"), row_measure("実 績"), row_measure("目標"), row_measure("中間目標値"), row_measure("達成率")
    ('actual', 'actual', 'target', 'interim_target', '')
    """
    word = nfkc(squash(label))
    return next((measure for measure, pattern in ROW_MEASURES if regex.search(pattern, word)), "")


def year_column(index: int, header_text: str) -> YearColumn | None:
    """A value column from its header words, or None when they hold no year.

    >>> year_column(1, "平成30年度\\n（基準）")
    YearColumn(index=1, year_text='平成30年度', mark='baseline')
    >>> year_column(5, "令和６年度（目標）").mark, year_column(2, "R3年度").year_text, year_column(0, "区分")
    ('target', 'R3年度', None)
    """
    word = squash(header_text)
    years = [m.group() for m in YEAR_PART.finditer(word)]
    if not years:
        return None
    rest = nfkc(YEAR_PART.sub("", word))
    mark = next((measure for measure, pattern in COLUMN_MARKS if regex.search(pattern, rest)), "")
    return YearColumn(index, " ".join(years), mark)


# A year printed without its era after a column that has one ('令和2年度 | 3年度 | 4年度').
BARE_YEAR = regex.compile(r"^([0-9０-９]{1,2}|元)\s*(年度?)")
ERA = regex.compile(r"^(令和|平成|昭和|[RHSＲＨＳ])")


def year_columns(texts: Sequence[str], era: str = "") -> list[YearColumn]:
    """The value columns of a header (one text per column); a bare year takes the era before it
    (``era``: the era in force before the first column, e.g. of the part of the table before a page break).

    >>> [(c.index, c.year_text) for c in year_columns(["区分", "令和2年度", "3年度", "4年度（目標）"])]
    [(1, '令和2年度'), (2, '令和3年度'), (3, '令和4年度')]
    >>> [c.index for c in year_columns(["区分", "3年度", "R4年度"])], year_columns(["", "3年度"], era="令和")[0].year_text
    ([2], '令和3年度')
    """
    out: list[YearColumn] = []
    for index, text in enumerate(texts):
        column = year_column(index, text)
        bare = BARE_YEAR.match(squash(text)) if column is None and era else None
        if bare:
            column = year_column(index, era + squash(text))
        if column is not None:
            out.append(column)
            m = ERA.match(column.year_text)
            era = m.group(1) if m else ""
    return out


def find_header(rows: Sequence[Sequence[str]], era: str = "") -> TransposedHeader | None:
    """The header of a transposed table given as cell texts, or None.

    The header rows are the leading rows before the first row labelled with a measure; at least
    one of their columns must name a year (one year: the first piece of a table broken by a page).

    >>> h = find_header([["区分", "H30年度（基準）", "R2年度", "R6年度（目標）"], ["実績値", "1", "2", ""]])
    >>> h.label_column, [c.index for c in h.columns], h.header_rows
    (0, [1, 2, 3], 1)
    >>> find_header([["指標名", "現状値", "目標値"], ["件数", "1", "2"]]) is None
    True
    """
    if not rows:
        return None
    width = max(len(r) for r in rows)
    for header_rows in range(1, min(len(rows), 4)):
        texts = ["\n".join(r[c] if c < len(r) else "" for r in rows[:header_rows]) for c in range(width)]
        columns = year_columns(texts, era)
        labels = [c for c in range(width) if c not in {y.index for y in columns}]
        if not columns or not labels:
            continue
        body = rows[header_rows:]
        for label in labels:    # the first column labelling rows with measures (columns before it name them)
            if body and any(row_measure(r[label] if label < len(r) else "") for r in body) \
                    and not row_measure(rows[header_rows - 1][label] if label < len(rows[header_rows - 1]) else ""):
                return TransposedHeader(label, tuple(columns), header_rows)
    return None


UNIT_HEADER = regex.compile(r"^単位$")


def row_names(rows: Sequence[Sequence[str]], header: TransposedHeader) -> dict[int, tuple[str, str]]:
    """(indicator, unit) of each body row of a years-across table whose leading columns, before the
    measure labels, name the indicator (a cell merged over its measure rows is read down) and maybe
    its unit (a column headed 単位); empty when the table has no such columns.

    >>> rows = [["指標名", "単位", "区分", "R2年度", "R6年度"], ["件数", "件", "実績値", "1", ""],
    ...         ["", "", "目標値", "", "5"], ["人数", "人", "実績値", "2", ""]]
    >>> row_names(rows, find_header(rows))
    {1: ('件数', '件'), 2: ('件数', '件'), 3: ('人数', '人')}
    """
    if header.years_down or header.label_column == 0:
        return {}
    leading = range(header.label_column)
    heads = [squash(" ".join(r[c] for r in rows[:header.header_rows] if c < len(r))) for c in leading]
    names, units = [c for c in leading if not UNIT_HEADER.match(heads[c])], [c for c in leading if UNIT_HEADER.match(heads[c])]
    out: dict[int, tuple[str, str]] = {}
    name = unit = ""
    for r in range(header.header_rows, len(rows)):
        row = rows[r]
        here = "".join(squash(row[c]) for c in names if c < len(row))
        if here:
            name, unit = here, ""
        unit = "".join(squash(row[c]) for c in units if c < len(row)) or unit
        out[r] = (name, unit)
    return out


def cell_measure(row: str, mark: str, has_target_column: bool, latest: bool) -> str:
    """The measure of a value cell from its row's measure and its column's mark ('' when none).

    >>> cell_measure("actual", "baseline", True, False), cell_measure("actual", "", True, False)
    ('baseline', 'actual')
    >>> cell_measure("target", "target", True, True), cell_measure("target", "", True, False)
    ('target', 'interim_target')
    >>> cell_measure("target", "", False, True), cell_measure("target", "", False, False)
    ('target', 'interim_target')
    """
    if mark == "baseline" or row == "baseline":
        return "baseline"
    if row == "actual":
        return "actual"
    if row == "interim_target" or mark == "interim_target":
        return "interim_target"
    if has_target_column:
        return "target" if mark == "target" else "interim_target"
    return "target" if latest else "interim_target"


def transposed_values(rows: Sequence[Sequence[str]], header: TransposedHeader, start: int | None = None,
                      boxes: Sequence[Sequence[tuple | None]] | None = None) -> list[TransposedValue]:
    """Every non-empty value cell of the measure rows from ``start`` (default: after the header)."""
    has_target = any(c.mark == "target" for c in header.columns)
    out = []
    for r in range(header.header_rows if start is None else start, len(rows)):
        row = rows[r]
        label = row[header.label_column] if header.label_column < len(row) else ""
        measure = row_measure(label)
        if not measure:
            continue
        filled = [c for c in header.columns if c.index < len(row) and squash(row[c.index])]
        last = filled[-1].index if filled else -1
        for column in filled:
            kind = cell_measure(measure, column.mark, has_target, column.index == last)
            box = boxes[r][column.index] if boxes and column.index < len(boxes[r]) else None
            out.append(TransposedValue(kind, column.year_text, row[column.index], r, column.index, box))
    return out


def cell_texts(table: Table) -> list[list[str]]:
    """The table's cell texts, a merged cell's text only in its first row."""
    return [[cell.text if not (cell.merged and cell.origin[0] != r) else "" for cell in row]
            for r, row in enumerate(table.rows)]


def _boxes(table: Table) -> list[list[tuple | None]]:
    return [[cell.bbox for cell in row] for row in table.rows]


def flip(grid: Sequence[Sequence]) -> list[list]:
    """Rows as columns (a short row is padded with '').

    >>> flip([["年度", "実績値"], ["R2年度", "5"], ["R3年度"]])
    [['年度', 'R2年度', 'R3年度'], ['実績値', '5', '']]
    """
    width = max((len(r) for r in grid), default=0)
    return [[row[c] if c < len(row) else "" for row in grid] for c in range(width)]


def read_grid(texts: Sequence[Sequence[str]], boxes: Sequence[Sequence[tuple | None]] | None = None,
              era: str = "") -> tuple[TransposedHeader, list[TransposedValue]] | None:
    """Cell texts read as a transposed table, years across or (read flipped) years down, or None.

    >>> header, values = read_grid([["年度", "実績値", "目標値"], ["H30年度（基準）", "41", ""],
    ...                             ["R4年度", "52", ""], ["R6年度（目標）", "", "60"]])
    >>> header.years_down, [(v.measure, v.year_text, v.text, v.row, v.column) for v in values]
    (True, [('baseline', 'H30年度', '41', 1, 1), ('actual', 'R4年度', '52', 2, 1), ('target', 'R6年度', '60', 3, 2)])
    """
    header = find_header(texts, era)
    if header is not None:
        return (replace(header, texts=tuple(tuple(r) for r in texts[:header.header_rows])),
                transposed_values(texts, header, boxes=boxes))
    flipped = flip(texts)
    header = find_header(flipped, era)
    if header is None:
        return None
    values = transposed_values(flipped, header, boxes=flip(boxes) if boxes else None)
    original_header = tuple(tuple(r) for r in texts[:header.label_column + 1])
    return (replace(header, years_down=True, texts=original_header),
            [replace(v, row=v.column, column=v.row) for v in values])


def read_transposed(table: Table) -> tuple[TransposedHeader, list[TransposedValue]] | None:
    """A ruled table read as a transposed indicator table, or None when it is not one."""
    return read_grid(cell_texts(table), _boxes(table))


def read_below(table: Table, header_texts: Sequence[Sequence[str]], era: str = "") \
        -> tuple[TransposedHeader, list[TransposedValue]] | None:
    """``table`` read as the body of a transposed table whose header rows (``header_texts``) were
    printed apart from it (before a page break), or None; its values' rows count in ``table``."""
    texts = cell_texts(table)
    if not texts or not header_texts or table.n_cols != len(header_texts[0]):
        return None
    n = len(header_texts)
    found = read_grid([list(r) for r in header_texts] + texts, [[None] * table.n_cols] * n + _boxes(table), era=era)
    if found is None:
        return None
    return found[0], [replace(v, row=v.row - n) for v in found[1] if v.row >= n]


def continue_transposed(table: Table, header: TransposedHeader) -> list[TransposedValue] | None:
    """A table continuing a transposed table across a page break without its header: measure rows
    (years across) or year rows (years down) of the same width, read under the header before the break.

    None when ``table`` is not such a continuation.
    """
    found = read_below(table, header.texts, header.era)
    if found is None or found[0].years_down != header.years_down:
        return None
    return found[1]
