"""The general indicator-table reader: every table layout is a configuration of it (a ``TableSpec``).

In: a PDF's deduplicated pages and a ``TableSpec`` (the header vocabulary, ``vocabulary.COLUMNS``
plus a layout's own words; heading patterns; kinds). Out: ``CellRecord``s, one per value cell, with
section path, group, kind, department, unit hint, year text and published grade resolved, and the
problems met (a column whose header the vocabulary does not know, with its page).

How it reads, page by page and table by table, top to bottom:
- tables are ruled grids (``extract.grid.ruled_tables``), tables ruled with horizontal lines only or
  printed with no lines at all (``open_tables``: a band between two rules, or a text row, whose words
  are header words starts one, its columns from the header words' x-extents);
- a table's leading rows whose cells are header words (or years) form its header
  (``header_row_count``); each column's header words are read bottom-up (``column_role``): the
  lowest word naming a role gives it ('年度' under '基準値' is the baseline's year column, '値' under
  it the baseline, a bare year under '実績値' an actual of that year), the year words of the
  column's cells are its year text ('目標値（令和６年度）' is a target of 令和６年度); a column headed
  only by a year is an actual when the table has measured columns (``map_columns``);
- a table without a header on a later page continues the last table with the same columns (page
  breaks inside tables), its blank group/department cells filled from the rows before the break;
- a row printed as one cell across the table is a heading; ``TableSpec.headings`` gives its level;
  with ``TableSpec.outside_headings`` the text lines printed between tables that match a heading
  pattern are headings too;
- a 単位 column gives the row's values their ``unit_hint``, a year column their year; a column of role
  ``note`` goes to the record's note as '<header word>：<text>'; 'ignore' columns (a printed 達成率)
  are not read;
- every other row with an indicator name gives one record per value column;
- a ruled table that is not an indicator table by its header words but is a transposed one (years
  across and 実績値/目標値 rows, or years down and measure columns: ``transposed_tables``) is read
  by the transposed reader, its indicator named by the caption printed above it (the last text line
  between the table before and this one that is not a heading: '市内の新規創業件数（単位：件）', its
  unit note giving the unit); a transposed table broken by a page break continues on the next page.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Iterable, Sequence

import regex

from ..extract.grid import Band, Table, column_cuts, fits, header_columns, open_table, rule_bands, ruled_tables, \
    text_bands
from ..extract.words import crop_text, page_words
from ..normalise.text import squash  # noqa: F401  (layouts compare header words in this form)
from ..records import CellRecord
from .base import compiled
from .transposed_tables import TransposedHeader, TransposedValue, cell_texts, continue_transposed, read_below, \
    read_transposed, row_names
from .vocabulary import Column, header_label

# A header cell that is only a year ('令和2年度', 'Ｒ５（２０２３）', 'H29', '2019年度') names a column's year.
YEAR_WORDS = regex.compile(
    r"^[\s(（]*(?:令和|平成|昭和|[RHSＲＨＳ])\s*[元0-9０-９]+\s*(?:年度?)?[\s)）]*(?:[(（][0-9０-９]{4}[)）])?\s*$"
    r"|^[\s(（]*[0-9０-９]{4}\s*年度?[\s)）]*$")
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
    unknown: list[str] = field(default_factory=list)  # header words of columns given no role
    cuts: list[float] | None = None                   # column cuts of a table ruled with horizontal lines only

    @property
    def width(self) -> int:
        return len(self.roles)

    def has(self, role: str) -> bool:
        return any(col is not None and col.role == role for col in self.roles)


@dataclass
class ReadState:
    columns: ColumnMap | None = None
    headings: list[str] = field(default_factory=list)
    kind: str = ""
    carried: dict[int, str] = field(default_factory=dict)   # fill-down values by column
    transposed: TransposedHeader | None = None   # the header of the last table read, when it was transposed
    caption: tuple[str, str, str] = ("", "", "")  # (number, name, unit) of the last transposed table's caption
    row_name: tuple[str, str] = ("", "")          # (indicator, unit) of the last row named in a leading column
    trailing: list[str] = field(default_factory=list)   # text lines after the last table of the page before
    orphan: tuple[list[list[str]], list[str]] | None = None   # a lone header row (and the lines above it) that
    #                                                          the page break parted from its table's rows


def _word_role(word: str, spec: TableSpec) -> Column | None:
    """The first column of ``spec`` whose pattern matches the word or its role word (years taken out)."""
    label, _ = header_label(word)
    for column in spec.columns:
        pattern = compiled(column.header)
        if pattern.search(word) or (label and pattern.search(label)):
            return column
    return None


def role_of(words: Sequence[str], spec: TableSpec) -> Column | None:
    """The first column of ``spec`` (in its order) whose pattern matches one of ``words``."""
    for column in spec.columns:
        pattern = compiled(column.header)
        if any(pattern.search(w) or pattern.search(header_label(w)[0] or "\0") for w in words):
            return column
    return None


def is_year_word(word: str) -> bool:
    """A header word that is only a year ('令和2年度', '（令和６年度）', 'Ｒ５（２０２３）')."""
    return bool(YEAR_WORDS.match(word) or (word and not header_label(word)[0] and header_label(word)[1]))


def is_header_word(word: str, spec: TableSpec) -> bool:
    """A word that names a column of ``spec``, or a year (a value column's header)."""
    return bool(word and (_word_role(word, spec) or is_year_word(word)))


# A printed number (a value, an indicator number '34-101'): a row holding one that is not a header word
# is a data row, however many of its words also occur in headers (an indicator named '事業の進捗率').
_DIGIT = compiled(r"[0-9０-９]")


def is_header_row(table: Table, r: int, spec: TableSpec) -> bool:
    hits = 0
    for cell in table.rows[r]:
        if cell.merged and cell.origin[0] != r:
            continue
        word = squash(cell.text)
        if is_header_word(word, spec):
            hits += 1
        elif _DIGIT.search(word):
            return False
    return hits >= spec.min_header_words


def header_row_count(table: Table, spec: TableSpec) -> int:
    """How many leading rows of ``table`` are header rows."""
    n = 0
    while n < len(table.rows) and is_header_row(table, n, spec):
        n += 1
    return n


def column_words(table: Table, header_rows: int) -> list[list[str]]:
    """Each column's header words, top to bottom (a cell's lines joined, a spanning cell in every
    column it covers), without repeats."""
    out = []
    for c in range(table.n_cols):
        words: list[str] = []
        for r in range(header_rows):
            w = squash(table.rows[r][c].text)
            if w and w not in words:
                words.append(w)
        out.append(words)
    return out


def column_role(words: Sequence[str], spec: TableSpec) -> tuple[Column | None, str, str]:
    """A column's role from its header words read bottom-up, the lowest word that names a role giving
    it: '年度' under '基準値' is the baseline's year column, '値' under it the baseline values, a bare
    year under '実績値' an actual of that year. Returns (role, year words, the word that named it)."""
    roles = [_word_role(w, spec) for w in words]
    role, named = None, ""
    for i in reversed(range(len(words))):
        found = roles[i]
        if found is None or found.role == "plain":
            continue
        if found.role == "year":
            above = next((r for r in reversed(roles[:i]) if r is not None and r.role == "value"), None)
            if above is not None:
                role, named = Column("year", found.header, measure=above.measure), words[i]
                break
            continue
        role, named = found, words[i]
        break
    years: list[str] = []
    for w, found in zip(words, roles):
        if found is not None and found.role == "plain":
            continue
        label, parts = header_label(w)
        if found is None and (not is_year_word(w) or not parts):
            parts = [w]          # an unnamed word above a value ('総合戦略延伸時') says when it was measured;
            #                      a year printed without 年度 ('Ｒ元（２０１９）') is its own year words
        years += [p for p in parts if p not in years]
    return role, " ".join(years), named


def column_ranges(table: Table) -> list[tuple[float, float]]:
    """The x range of each column of ``table`` (its first row's cells)."""
    return [(cell.bbox[0], cell.bbox[2]) for cell in table.rows[0]]


# A Western year in parentheses on a header line of its own, under the era year it glosses ('（２０１９）').
WESTERN_IN_PARENS = compiled(r"^[(（][0-9０-９]{4}[)）]$")


def _runs(chars: Sequence[dict]) -> list[list[dict]]:
    """A line's characters (left to right) cut into words where a gap wider than a third of a character opens."""
    runs: list[list[dict]] = []
    for ch in sorted(chars, key=lambda ch: ch["x0"]):
        if runs and ch["x0"] - runs[-1][-1]["x1"] <= (ch["x1"] - ch["x0"]) / 3:
            runs[-1].append(ch)
        else:
            runs.append([ch])
    return runs


def header_above(table: Table, lines: Sequence[Sequence[dict]], spec: TableSpec) -> list[list[str]] | None:
    """The header printed as text lines right above a ruled table (each line given as its characters, top
    to bottom), each piece placed in the column under it: the words of each column, top to bottom.

    Lines are taken bottom-up while every piece of the line is a header word of ``spec`` (or a year) and
    no text lies outside the table's columns; None when there is no such line.
    """
    ranges = column_ranges(table)
    words: list[list[str]] = [[] for _ in ranges]
    found = 0
    for chars in reversed(lines):
        pieces: list[list[str]] = [[] for _ in ranges]
        outside = False
        for run in _runs(chars):
            # a word goes to the column under its middle (a centred header may straddle a column rule)
            middle = (run[0]["x0"] + run[-1]["x1"]) / 2
            column = next((c for c, (x0, x1) in enumerate(ranges) if x0 <= middle <= x1), None)
            if column is None:
                outside = True
                break
            pieces[column].extend(ch["text"] for ch in run)
        texts = [squash("".join(p)) for p in pieces]
        if outside or not any(texts) or not all(is_header_word(t, spec) or WESTERN_IN_PARENS.match(t)
                                                for t in texts if t):
            break
        for c, text in enumerate(texts):
            if text and words[c] and WESTERN_IN_PARENS.match(words[c][0]) and YEAR_WORDS.match(text):
                words[c][0] = text + words[c][0]      # 'Ｒ１' over '（２０１９）': one year, printed on two lines
            elif text:
                words[c].insert(0, text)
        found += 1
    return words if found else None


def map_columns(table: Table, header_rows: int, spec: TableSpec) -> ColumnMap:
    """The role, year words and naming word of every column of ``table`` from its first ``header_rows``
    rows. A column headed only by a year is an actual when the table has measured value columns
    (当初値 | 令和３年度 | 令和４年度 | 目標値); a column headed by words the vocabulary does not know is
    listed in ``unknown``."""
    words = column_words(table, header_rows)
    roles, years, labels = [], [], []
    for column in words:
        role, year, named = column_role(column, spec)
        roles.append(role)
        years.append(year)
        labels.append(named)
    measured = any(r is not None and r.role == "value" for r in roles)
    unknown = []
    for c, column in enumerate(words):
        if roles[c] is not None or not column:
            continue
        if measured and all(is_year_word(w) for w in column):
            roles[c] = Column("value", "", measure="actual")
        elif not all(_word_role(w, spec) and _word_role(w, spec).role == "plain" for w in column):
            unknown.append("".join(column))
    return ColumnMap(roles, years, labels, unknown)


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
    """Records from the data rows of ``table`` (rows ``start``..), updating ``state`` as headings pass.

    A unit column gives the row's values their ``unit_hint``; a year column (年度 under 基準値) gives
    the values of its measure their year."""
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
        row_years: dict[str, str] = {}
        for c, cell in enumerate(row):
            column = cmap.roles[c] if c < cmap.width else None
            if column is None or column.role in ("ignore", "plain"):
                continue
            text = cell.text
            if column.fill_down:
                if squash(text):
                    state.carried[c] = text
                else:
                    text = state.carried.get(c, "")
            if column.role == "value":
                values.append((c, column))
            elif column.role == "year":
                row_years[column.measure] = squash(text)
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
            unit_hint=squash(fields.get("unit", "")),
            group=group, kind=state.kind, note=" ".join(notes), row_bbox=table.row_bbox(r))
        for c, column in values:
            cell = row[c]
            yield replace(base, measure=column.measure, text=cell.text,
                          year_text=row_years.get(column.measure) or cmap.years[c], bbox=cell.bbox)


# A unit note in a caption or a corner cell ('（単位：人）', '単位：件', '［単位 ％］').
UNIT_NOTE = regex.compile(r"[(（［\[]?\s*単位\s*[:：]?\s*([^\s)）］\]]+)\s*[)）］\]]?")
LETTER = regex.compile(r"[^\W\d_]")
NOTE_MARK = regex.compile(r"^(?:※|＊|\*|注[0-9０-９]*[:：）)]|（?注）)")
# A caption's leading number ('指標1', 'ＫＰＩ①', '(2)', '■').
CAPTION_NUMBER = regex.compile(
    r"^(?:[■◆●○◇□・【\[]\s*)?(?:(?:指標|成果指標|KPI|ＫＰＩ|数値目標)\s*(?P<no>[0-9０-９]+|[①-⑳])|[(（](?P<no2>[0-9０-９]+)[)）])?"
    r"\s*[】\]]?\s*[:：.．、]?\s*")


def read_caption(lines: Sequence[str], spec: TableSpec) -> tuple[str, str, str]:
    """(number, name, unit) of the caption above a transposed table: the last line that is not a
    heading, blank or only a unit note names the indicator; a unit note on any of the lines gives the unit.

    >>> read_caption(["政策１ 産業", "市内の新規創業件数（単位：件）"], TableSpec(columns=(), headings=(r"^政策",)))
    ('', '市内の新規創業件数', '件')
    >>> read_caption(["指標2 図書館の年間貸出冊数", "単位：冊"], TableSpec(columns=()))
    ('2', '図書館の年間貸出冊数', '冊')
    >>> read_caption(["市民の数", "※各年度末時点（単位：人）"], TableSpec(columns=()))
    ('', '市民の数', '人')
    >>> read_caption([], TableSpec(columns=()))
    ('', '', '')
    """
    no = name = unit = ""
    for line in lines:
        word = squash(line)
        if not LETTER.search(word) or _heading_level(word, spec) < len(spec.headings):
            continue      # blank, a page number, or a heading
        if (m := UNIT_NOTE.search(word)):
            unit = m.group(1)
        rest = UNIT_NOTE.sub("", word)
        if rest and not NOTE_MARK.match(rest):     # a note ('※各年度末時点') names nothing
            m = CAPTION_NUMBER.match(rest)
            no, name = (m.group("no") or m.group("no2") or ""), rest[m.end():]
    return no, name, unit


def same_words(a: Sequence[Sequence[str]], b: Sequence[Sequence[str]]) -> bool:
    """Two headers' cell texts print the same words, however they wrap.

    >>> same_words([["単位", "R2年度"]], [["単\\n位", "R2 年度"]]), same_words([["単位"]], [["区分"]])
    (True, False)
    """
    return [[squash(t) for t in row] for row in a] == [[squash(t) for t in row] for row in b]


def read_transposed_table(page, table: Table, above: float, state: ReadState, spec: TableSpec,
                          problems: list[str] | None) -> list[CellRecord] | None:
    """Records of ``table`` read as a transposed table (or the continuation of the one before a page
    break, or the rows of a header left alone at the foot of the page before), named by its caption
    between ``above`` and its top; None when it is none of these."""
    lines = crop_text(page, (0, max(0, above), page.width, max(above + 1, table.bbox[1]))).splitlines()
    if above <= 0:
        lines = state.trailing + lines       # a caption at the foot of the page before
    found = read_transposed(table)
    apart = found is None                    # the table's header was printed apart from it (before a page break)
    orphan, state.orphan = state.orphan, None
    if found is None and orphan is not None and not any(LETTER.search(line) for line in lines):
        found = read_below(table, orphan[0])
        lines = orphan[1]
    if found is not None:
        before, (header, values) = state.transposed, found
        caption = read_caption(lines, spec)
        corner = UNIT_NOTE.search(squash(header.texts[0][0])) if header.texts and header.texts[0] else None
        if corner:
            caption = (*caption[:2], corner.group(1))
        repeated = before is not None and same_words(before.texts, header.texts)   # its header printed again
        state.transposed = header
        state.caption = state.caption if repeated and not caption[1] else caption
        state.row_name = state.row_name if repeated else ("", "")
    elif state.transposed is None or (values := continue_transposed(table, state.transposed)) is None:
        if len(table.rows) <= 3:
            state.orphan = ([[c.text for c in row] for row in table.rows], lines)
        return None
    no, name, unit = state.caption
    above_rows = [list(r) for r in state.transposed.texts] if apart else []
    names = {r - len(above_rows): found
             for r, found in row_names(above_rows + cell_texts(table), state.transposed).items()}
    records = []
    for value in values:
        row_name, row_unit = names.get(value.row, ("", ""))
        if names:     # the leading columns name the indicators: a blank name cell (split by a page break) carries
            row_name, row_unit = (row_name, row_unit) if row_name else state.row_name
            state.row_name = (row_name, row_unit)
        if not (row_name or (name and not names)):
            if problems is not None:
                problems.append(f"page {table.page}: a table with years and measure rows (実績値/目標値) but no "
                                "caption above it or leading column naming its indicator: not read")
            return []
        records.append(transposed_record(value, table, state, spec, "" if row_name else no, row_name or name,
                                         row_unit or unit))
    return records


def transposed_record(value: TransposedValue, table: Table, state: ReadState, spec: TableSpec,
                      no: str, name: str, unit: str) -> CellRecord:
    group = state.headings[spec.group_level] if spec.group_level is not None and \
        len(state.headings) > spec.group_level else ""
    return CellRecord(
        page=table.page, indicator=name, measure=value.measure, text=value.text,
        section=">".join(h for h in state.headings if h), indicator_no=no, year_text=value.year_text,
        unit_hint=unit, group=group, kind=state.kind, bbox=value.bbox, row_bbox=table.row_bbox(value.row))


def _unknown_columns(cmap: ColumnMap, page: int) -> list[str]:
    return [f"page {page}: an indicator table's column headed '{word}' is not a known header word; "
            f"its cells are not read" for word in cmap.unknown]


def _header_band(band: Band, spec: TableSpec) -> list[tuple[float, float]] | None:
    """The band's header columns when it is an indicator table's header (enough header words, one
    naming the indicator column), else None."""
    columns = header_columns(band.words)
    texts = [squash("".join(w["text"] for w in band.words if w["x0"] < b and w["x1"] > a)) for a, b in columns]
    roles = [_word_role(t, spec) for t in texts]
    if (sum(is_header_word(t, spec) for t in texts) >= spec.min_header_words
            and any(r is not None and r.role == "indicator" for r in roles)):
        return columns
    return None


def _table_row(band: Band, cuts: Sequence[float]) -> bool:
    """Whether an unruled text row continues a table of these columns: it fits them and has words in
    two columns or more (a name and a value), unlike a running title or a heading."""
    columns = {sum(w["x0"] >= cut for cut in cuts) for w in band.words}
    return fits(band, cuts) and len(columns) >= 2


def open_tables(page, spec: TableSpec, state: ReadState, outside: Sequence) -> list[tuple[Table, int]]:
    """The page's tables ruled with horizontal lines only, or with no lines at all, with how many header
    rows each has (0: the last table continued): a band between two rules (on a page without rules: a
    text row) whose words are header words starts a table (its columns from the header words'
    x-extents), the bands right below it whose words fit its columns are its body; at the top of a
    page, bands that fit the last table's columns continue it (without rules: rows with words in two
    columns or more, so that a running title is not taken for a row)."""
    bands = rule_bands(page, page_words(page), outside)
    ruled = bool(bands)
    if not ruled:       # no rules at all: the text rows are the bands, a row follows the one above closely
        bands = text_bands(page, page_words(page), outside)

    def follows(lower: Band, upper: Band) -> bool:
        if ruled:
            return abs(lower.top - upper.bottom) <= 1
        return lower.top - upper.bottom <= 1.5 * max(w["bottom"] - w["top"] for w in upper.words)

    found: list[tuple[Table, int]] = []
    cuts = state.columns.cuts if state.columns is not None else None
    i = 0
    while i < len(bands):
        columns = _header_band(bands[i], spec)
        body: list[Band] = []
        j = i + 1
        if columns is not None:
            cuts = column_cuts(columns, [])
        elif found or cuts is None or (any(b.bottom <= bands[i].top for b in bands[:i] if b.x0 == bands[i].x0)
                                       if ruled else not _table_row(bands[i], cuts)):
            i += 1
            continue       # neither a header nor the first band of a page continuing the last table
        else:
            j = i
        while (j < len(bands) and (j == i or follows(bands[j], bands[j - 1]))
               and _header_band(bands[j], spec) is None):
            trial = column_cuts(columns, [w for b in body + [bands[j]] for w in b.words]) if columns else cuts
            if not fits(bands[j], trial):
                break
            body.append(bands[j])
            cuts = trial
            j += 1
        if columns is not None:
            found.append((open_table(page, body, cuts, header=bands[i]), 1))
        elif body:
            found.append((open_table(page, body, cuts), 0))
        i = max(j, i + 1)
    return found


def _indicator_rows(cmap: ColumnMap) -> bool:
    """An indicator table with one indicator a row: an indicator column and at least one value column."""
    return cmap.has("indicator") and cmap.has("value")


def read_ruled_tables(pages: Sequence, spec: TableSpec, problems: list[str] | None = None) -> list[CellRecord]:
    """All value-cell records of the indicator tables on ``pages`` (deduplicated pages, see
    ``extract.pdf.clean_page``) described by ``spec``: tables with full ruling and tables ruled with
    horizontal lines only. A column whose header word is not in the vocabulary is reported in
    ``problems`` (with its page) and its cells are not read; the other columns are."""
    state = ReadState()
    records: list[CellRecord] = []
    reported: set[str] = set()
    for page in pages:
        above = 0.0
        ruled = ruled_tables(page)
        tables = [(t, None) for t in ruled] + open_tables(page, spec, state, [t.bbox for t in ruled])
        tables.sort(key=lambda pair: (pair[0].bbox[1], pair[0].bbox[0]))
        for table, known_header in tables:
            kind = _title_kind(page, table, spec, above)
            if spec.outside_headings:
                read_outside_headings(page, above, table.bbox[1], state, spec)
            header_rows = header_row_count(table, spec) if known_header is None else known_header
            if known_header is None and not (header_rows and _indicator_rows(map_columns(table, header_rows, spec))) \
                    and not (not header_rows and state.columns is not None and state.transposed is None
                             and state.columns.width == table.n_cols) \
                    and (found := read_transposed_table(page, table, above, state, spec, problems)) is not None:
                records.extend(found)
                above = table.bbox[3]
                continue
            above = table.bbox[3]
            if header_rows:
                cmap = map_columns(table, header_rows, spec)
                if not cmap.has("indicator"):
                    continue  # a ruled table, but not an indicator table
                if known_header is not None:
                    cmap.cuts = [cell.bbox[0] for cell in table.rows[0][1:]]   # x where each column starts
                for message in _unknown_columns(cmap, table.page):
                    if message.split(": ", 1)[1] not in reported:
                        reported.add(message.split(": ", 1)[1])
                        if problems is not None:
                            problems.append(message)
                if kind and kind != state.kind:   # a new table, not the same one continued
                    state.headings.clear()
                    state.carried.clear()
                state.columns = cmap
                state.kind = kind or state.kind
                state.transposed = None
            elif state.columns is None or state.columns.width != table.n_cols:
                continue      # not a continuation of the table before
            elif (known_header is None) != (state.columns.cuts is None):
                continue      # a ruled table does not continue an open one, nor the reverse
            elif kind:
                state.kind = kind
            records.extend(read_table_rows(table, header_rows, state, spec))
        if spec.outside_headings:   # headings at the foot of a page belong to the next page's table
            read_outside_headings(page, above, page.height, state, spec)
        state.trailing = crop_text(page, (0, above, page.width, page.height)).splitlines() if above < page.height else []
    return records
