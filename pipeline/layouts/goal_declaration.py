"""Layout: a department head's goal declaration report (部長の目標宣言 達成状況報告).

In: a landscape PDF whose ruled table has one row per initiative: No. | 取組名（担当課名） |
取組内容 with a ``[目標値]`` section | 取組結果・今後の取組の方向性 | 目標達成状況, every cell prose.
The header is repeated on each page; a row may run over a page break (its continuation has no
No. and no name, or repeats them) and is joined back before reading.
Out: a ``DocumentExtraction`` with one record per value the prose states — targets from the
``[目標値]`` section, results from the 目標達成状況 cell, paired by ``prose_goals`` from the text's own
structure. The report's fiscal year is read from its title (平成２８年度 → 2016) and is the year of
every value whose text names no other.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..extract.grid import ruled_tables
from ..extract.words import crop_text
from ..normalise import read_year
from ..normalise.eras import PRINTED_FISCAL_YEAR
from ..records import CellRecord, DocumentExtraction
from .base import Layout
from .common import clean_pages
from .prose_goals import initiative_name, row_entries, squash
from .table_reader import Column, TableSpec, header_row_count, map_columns

SPEC = TableSpec(columns=(
    Column("indicator_no", r"^[NＮ][oOＯｏ0０][.．]?$|^番号$"),
    Column("indicator", r"^取組名|^取組項目"),
    Column("ignore", r"^取組結果|^今後の取組|^取組内容$"),   # a description printed apart from its goal
    Column("value", r"^(?:目標)?達成状況$|^成果$", measure="actual"),
    Column("value", r"^取組内容|^達成目標|^目標値?$", measure="target"),
))
ROLES = ("indicator_no", "indicator", "target", "actual")


@dataclass
class Part:
    page: int
    texts: dict[str, str]
    bbox: dict[str, tuple]
    row_bbox: tuple


@dataclass
class Row:
    parts: list[Part] = field(default_factory=list)

    def text(self, role: str) -> str:
        return "\n".join(p.texts.get(role, "") for p in self.parts if p.texts.get(role, "").strip())

    def locate(self, role: str, phrase: str) -> Part:
        """The part (page) whose cell of ``role`` prints ``phrase``."""
        want = squash(phrase)
        for part in self.parts:
            if want and want in squash(part.texts.get(role, "")):
                return part
        return next((p for p in self.parts if p.texts.get(role, "").strip()), self.parts[0])


def _role(column: Column | None) -> str:
    if column is None or column.role == "ignore":
        return ""
    return column.measure if column.role == "value" else column.role


def report_year(pages) -> str:
    """The year words of the report's title: the first line above the first table naming one year."""
    for page in pages:
        tables = ruled_tables(page)
        top = tables[0].bbox[1] if tables else page.height
        for line in crop_text(page, (0, 0, page.width, max(1, top))).splitlines():
            m = PRINTED_FISCAL_YEAR.search(line)
            if m and read_year(m.group(0)).fiscal_year is not None:
                return m.group(0)
        if tables:
            break
    return ""


def read_rows(pages) -> list[Row]:
    """Table rows as initiatives, a row continued over a page break joined to its first part."""
    rows: list[Row] = []
    columns = None
    for page in pages:
        for table in ruled_tables(page):
            header = header_row_count(table, SPEC)
            if header:
                cmap = map_columns(table, header, SPEC)
                roles = [_role(c) for c in cmap.roles]
                if not {"indicator", "target", "actual"} <= set(roles):
                    continue
                columns = roles
            elif columns is None or len(columns) != table.n_cols:
                continue
            for r in range(header, len(table.rows)):
                cells = table.rows[r]
                texts: dict[str, str] = {}
                for c, role in enumerate(columns):
                    if role:
                        texts[role] = "\n".join(t for t in (texts.get(role, ""), cells[c].text) if t)
                if not any(squash(t) for t in texts.values()):
                    continue
                part = Part(table.page, texts, {role: cells[c].bbox for c, role in enumerate(columns) if role},
                            table.row_bbox(r))
                name, number = squash(texts.get("indicator", "")), squash(texts.get("indicator_no", ""))
                if rows and _continues(rows[-1], name, number):
                    rows[-1].parts.append(part)
                else:
                    rows.append(Row([part]))
    return rows


def _continues(previous: Row, name: str, number: str) -> bool:
    """A part with neither No. nor name, or repeating both of the row before, continues that row."""
    if not name and not number:
        return True
    first = previous.parts[0].texts
    return name == squash(first.get("indicator", "")) and number == squash(first.get("indicator_no", ""))


def records(row: Row, year: str, problems: list[str] | None = None) -> list[CellRecord]:
    """The row's values as records; a result the reader cannot pair with a goal is added to ``problems``."""
    name, parent, department = initiative_name(row.text("indicator"))
    number = squash(row.parts[0].texts.get("indicator_no", ""))
    out = []
    for entry in row_entries(row.text("indicator"), row.text("target"), row.text("actual"), year):
        role = "target" if entry.source == "goal" else "actual"
        part = row.locate(role, entry.text)
        if entry.unpaired:
            if problems is not None:
                problems.append(f"page {part.page}: row '{name}': result '{entry.text}' ({entry.component or 'no name'}) "
                                "names none of the row's goals; not paired, not read")
            continue
        out.append(CellRecord(
            page=part.page, indicator=entry.indicator, measure=entry.measure, text=entry.text,
            section=parent, indicator_no=number, year_text=entry.year_text, component=entry.component,
            department=department, group=parent or name, kind="goal",
            bbox=part.bbox.get(role), row_bbox=part.row_bbox))
    return out


def read(pdf, source) -> DocumentExtraction:
    pages = clean_pages(pdf)
    year = report_year(pages)
    problems = [] if year else [f"{source.file}: no fiscal year found in the title; values carry no year"]
    cells: list[CellRecord] = []
    for row in read_rows(pages):
        try:
            cells.extend(records(row, year, problems))
        except Exception as err:   # one unreadable row must not lose the others
            where = squash(row.parts[0].texts.get("indicator", ""))[:30]
            problems.append(f"{source.file}: page {row.parts[0].page}: row '{where}' not read "
                            f"({type(err).__name__}: {err})")
    return DocumentExtraction(document=source.document, municipality=source.municipality, layout=LAYOUT.name,
                              pages=len(pages), cells=cells, problems=problems)


LAYOUT = Layout(
    name="goal_declaration",
    description="部長の目標宣言 達成状況報告: prose table of initiatives with [目標値] goals and achieved states",
    identify=(r"目標宣言", r"目標達成状況", r"[\[［]\s*目\s*標\s*値\s*[\]］]"),
    read=read,
)
