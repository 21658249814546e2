"""Shared machinery for layouts printed as ruled tables with header words.

In: a pdfplumber PDF and a ``TableSpec`` (which header words mean which column, which rows are
headings). Out: ``CellRecord``s, one per value cell, with section path, group, kind, department
and published grade resolved.

How it reads, page by page and table by table:
- a table's leading rows whose cells are header words (or years) form its header; each column
  is given the role of the first ``Column`` whose pattern matches one of its header words, and
  the other header words of a value column are its year text ('令和2年度'); a header word that
  holds both the measure and the year ('令和2年度目標') gives the column its role and its year;
- a table without a header on a later page continues the last table with the same number of
  columns (page breaks inside tables), its blank leading group/department cells filled from the
  rows before the break;
- a row printed as one cell across the table is a heading; ``TableSpec.headings`` gives its level;
  with ``TableSpec.outside_headings`` the text lines printed between tables (above, below, on the
  page before) that match a heading pattern are headings too;
- a column of role ``note`` (e.g. the project a row's indicator measures) goes to the record's
  note as '<header word>：<text>';
- every other row with an indicator name gives one record per value column.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Iterable, Sequence

import regex

from ..extract.grid import Table, ruled_tables
from ..extract.words import crop_text
from ..records import CellRecord
from .base import compiled

# A header cell that is only a year ('令和2年度', 'Ｒ５（２０２３）', 'H29', '2019年度') names a column's year.
YEAR_WORDS = regex.compile(
    r"^[\s(（]*(?:令和|平成|昭和|[RHSＲＨＳ])\s*[元0-9０-９]+\s*(?:年度?)?[\s)）]*(?:[(（][0-9０-９]{4}[)）])?\s*$"
    r"|^[\s(（]*[0-9０-９]{4}\s*年度?[\s)）]*$")
# The year inside a longer header word ('令和2年度目標', 'R元年度実績', '2019年度末目標').
YEAR_PART = regex.compile(r"(?:令和|平成|昭和|(?<![A-Za-zＡ-Ｚａ-ｚ])[RHSＲＨＳ])\s*[元0-9０-９]+\s*年度?"
                          r"|(?<![0-9０-９])[0-9０-９]{4}\s*年度?")


@dataclass(frozen=True)
class Column:
    role: str            # indicator | indicator_no | group | section | department | published_grade | value | note | ignore
    header: str          # regex searched in the column's header words (whitespace removed, NFKC not applied)
    measure: str = ""    # for role 'value': baseline | actual | interim_target | target
    fill_down: bool = False  # a blank cell takes the value above (merged cells split by a page break)


@dataclass(frozen=True)
class TableSpec:
    columns: Sequence[Column]
    headings: Sequence[str] = ()     # regex per heading level, outermost first
    group_level: int | None = None   # heading level whose text is the indicator's group (else the 'group' column)
    kinds: Sequence[tuple[str, str]] = ()  # (kind, regex on the title printed above the table)
    min_header_words: int = 2        # how many cells of a row must be header words for it to be a header row
    outside_headings: bool = False   # text lines between tables matching ``headings`` are headings too


@dataclass
class ColumnMap:
    roles: list[Column | None]
    years: list[str]
    labels: list[str] = field(default_factory=list)   # the header word that gave each column its role

    @property
    def width(self) -> int:
        return len(self.roles)


@dataclass
class ReadState:
    columns: ColumnMap | None = None
    headings: list[str] = field(default_factory=list)
    kind: str = ""
    carried: dict[int, str] = field(default_factory=dict)   # fill-down values by column


def squash(text: str) -> str:
    """Cell text with its line breaks and spaces removed (multi-line header words, wrapped names)."""
    return compiled(r"\s+").sub("", text or "")


def role_of(words: Sequence[str], spec: TableSpec) -> Column | None:
    for column in spec.columns:
        if any(compiled(column.header).search(w) for w in words):
            return column
    return None


def is_header_word(word: str, spec: TableSpec) -> bool:
    """A word that names a column of ``spec``, or a year (a value column's header)."""
    return bool(word and (role_of([word], spec) or YEAR_WORDS.match(word)))


def is_header_row(table: Table, r: int, spec: TableSpec) -> bool:
    hits = 0
    for cell in table.rows[r]:
        if cell.merged and cell.origin[0] != r:
            continue
        hits += is_header_word(squash(cell.text), spec)
    return hits >= spec.min_header_words


def map_columns(table: Table, header_rows: int, spec: TableSpec) -> ColumnMap:
    roles: list[Column | None] = []
    years: list[str] = []
    labels: list[str] = []
    for c in range(table.n_cols):
        words: list[str] = []
        for r in range(header_rows):
            w = squash(table.rows[r][c].text)
            if w and w not in words:
                words.append(w)
        role = role_of(words, spec)
        roles.append(role)
        named = [w for w in words if role is not None and compiled(role.header).search(w)]
        year = [w for w in words if w not in named]
        # A header word holding the measure and its year ('令和2年度目標') gives the year too.
        year += [m.group() for w in named for m in YEAR_PART.finditer(w) if m.group() not in year]
        years.append(" ".join(year))
        labels.append(named[0] if named else "")
    return ColumnMap(roles, years, labels)


def _title_kind(page, table: Table, spec: TableSpec, above: float) -> str:
    """The kind named by the title printed between ``above`` and the table's top edge."""
    if not spec.kinds:
        return ""
    text = crop_text(page, (0, max(0, above), page.width, max(above + 1, table.bbox[1])))
    lines = [squash(line) for line in text.splitlines()]
    for line in reversed(lines):
        for kind, pattern in spec.kinds:
            if compiled(pattern).search(line):
                return kind
    return ""


def _heading_level(text: str, spec: TableSpec) -> int:
    for level, pattern in enumerate(spec.headings):
        if compiled(pattern).search(squash(text)):
            return level
    return len(spec.headings)


def set_heading(state: ReadState, level: int, text: str) -> None:
    del state.headings[level:]
    while len(state.headings) < level:
        state.headings.append("")
    state.headings.append(squash(text))


def read_outside_headings(page, top: float, bottom: float, state: ReadState, spec: TableSpec) -> None:
    """Headings printed as text lines between ``top`` and ``bottom`` of ``page`` (outside any table)."""
    if bottom <= top + 1:
        return
    text = crop_text(page, (0, max(0, top), page.width, min(page.height, bottom)))
    for line in text.splitlines():
        level = _heading_level(line, spec)
        if squash(line) and level < len(spec.headings):
            set_heading(state, level, line)


def read_table_rows(table: Table, start: int, state: ReadState, spec: TableSpec) -> Iterable[CellRecord]:
    """Records from the data rows of ``table`` (rows ``start``..), updating ``state`` as headings pass."""
    cmap = state.columns
    for r in range(start, len(table.rows)):
        row = table.rows[r]
        if table.is_spanning(r):
            level = _heading_level(row[0].text, spec)
            set_heading(state, level, row[0].text)
            continue
        fields: dict[str, str] = {}
        values: list[tuple[int, Column]] = []
        notes: list[str] = []
        for c, cell in enumerate(row):
            column = cmap.roles[c]
            if column is None or column.role == "ignore":
                continue
            text = cell.text
            if column.fill_down:
                if squash(text):
                    state.carried[c] = text
                else:
                    text = state.carried.get(c, "")
            if column.role == "value":
                values.append((c, column))
            elif column.role == "note":
                if squash(text):
                    label = cmap.labels[c] if c < len(cmap.labels) else ""
                    notes.append(f"{label}：{squash(text)}" if label else squash(text))
            elif column.role not in fields or not fields[column.role]:
                fields[column.role] = text
        indicator = squash(fields.get("indicator", ""))
        if not indicator:
            continue
        section_parts = [h for h in state.headings if h]
        if fields.get("group"):
            section_parts = [squash(fields["group"])] + section_parts
        if fields.get("section"):
            section_parts.append(squash(fields["section"]))
        if spec.group_level is not None and len(state.headings) > spec.group_level:
            group = state.headings[spec.group_level]
        else:
            group = squash(fields.get("group", ""))
        base = CellRecord(
            page=table.page, indicator=indicator, measure="", text="",
            section=">".join(section_parts), indicator_no=squash(fields.get("indicator_no", "")),
            department=squash(fields.get("department", "")),
            published_grade=squash(fields.get("published_grade", "")),
            group=group, kind=state.kind, note=" ".join(notes), row_bbox=table.row_bbox(r))
        for c, column in values:
            cell = row[c]
            yield replace(base, measure=column.measure, text=cell.text, year_text=cmap.years[c],
                          bbox=cell.bbox)


def read_ruled_tables(pages: Sequence, spec: TableSpec) -> list[CellRecord]:
    """All value-cell records of the ruled indicator tables on ``pages`` (deduplicated pages, see
    ``extract.pdf.clean_page``) described by ``spec``."""
    state = ReadState()
    records: list[CellRecord] = []
    for page in pages:
        above = 0.0
        for table in ruled_tables(page):
            kind = _title_kind(page, table, spec, above)
            if spec.outside_headings:
                read_outside_headings(page, above, table.bbox[1], state, spec)
            above = table.bbox[3]
            header_rows = 0
            while header_rows < len(table.rows) and is_header_row(table, header_rows, spec):
                header_rows += 1
            if header_rows:
                cmap = map_columns(table, header_rows, spec)
                if not any(col and col.role == "indicator" for col in cmap.roles):
                    continue  # a ruled table, but not an indicator table
                if kind and kind != state.kind:   # a new table, not the same one continued
                    state.headings.clear()
                    state.carried.clear()
                state.columns = cmap
                state.kind = kind or state.kind
            elif state.columns is None or state.columns.width != table.n_cols:
                continue      # not a continuation of the table before
            elif kind:
                state.kind = kind
            records.extend(read_table_rows(table, header_rows, state, spec))
        if spec.outside_headings:   # headings at the foot of a page belong to the next page's table
            read_outside_headings(page, above, page.height, state, spec)
    return records
