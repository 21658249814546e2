"""The records passed between stages.

A layout reader turns a PDF into a ``DocumentExtraction``: a list of ``CellRecord``
(one printed cell that holds a value, with where it sits in the report) plus the
document-level facts the report prints (its summary table, its printed indicator counts).
The normalise stage reads each ``CellRecord.text`` into numbers; nothing here parses numbers.

Every cell carries a stable ``cell_id`` (``<document>/<index>``), given when the extraction is stored;
tidy writes it into observations.csv and the audit report finds a value's cell by it.

Records are plain dataclasses so that they serialise to JSON for the DVC cache
(``extracted/cells/<document>.json``) and can cross process boundaries.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields

MEASURES = ("baseline", "actual", "interim_target", "target")


@dataclass
class CellRecord:
    """One printed value cell of an indicator table, before its text is read."""

    page: int                      # 1-based page the cell was read from
    indicator: str                 # the indicator's name as printed (lines joined, no space)
    measure: str                   # one of MEASURES
    text: str                      # the cell exactly as extracted
    section: str = ""              # heading path, '>'-joined
    indicator_no: str = ""         # number printed for the indicator, '' if none
    year_text: str = ""            # the year words of the column header ('令和2年度', 'Ｒ５（２０２３）')
    component: str = ""            # sub-series label when the layout knows it already
    unit_hint: str = ""            # a unit printed outside the cell (header, indicator name)
    department: str = ""           # 所管課 / 担当課, merged cells filled
    note: str = ""                 # amendment marks and other annotations kept out of the name
    published_grade: str = ""      # the grade printed for the indicator ('A'..'D', '-'), '' if none
    group: str = ""                # the table/goal group the indicator belongs to (for printed counts)
    kind: str = ""                 # e.g. 'goal' (数値目標) or 'kpi' when a report has both
    bbox: tuple[float, float, float, float] | None = None      # x0, top, x1, bottom of the cell
    row_bbox: tuple[float, float, float, float] | None = None  # the whole table row, for audit crops
    cell_id: str = ""              # '<document>/<index in the extraction>', set when the extraction is stored


@dataclass
class SummaryRow:
    """One row of a printed summary table (総括表): counts of grades per group and kind."""

    group: str
    kind: str                      # 'goal' or 'kpi'
    count: int | None
    grades: dict[str, int] = field(default_factory=dict)  # 'A'..'D', 'none' -> count
    page: int = 0
    label: str = ""                # the group as printed


@dataclass
class DocumentExtraction:
    """Everything a layout reader got out of one PDF."""

    document: str
    municipality: str
    layout: str
    pages: int
    cells: list[CellRecord] = field(default_factory=list)
    summary: list[SummaryRow] = field(default_factory=list)
    printed_counts: dict[str, int] = field(default_factory=dict)   # kind -> count the report states
    legend: dict[str, str] = field(default_factory=dict)           # grade -> printed rule, if printed
    problems: list[str] = field(default_factory=list)              # non-fatal issues met while reading

    def number_cells(self) -> "DocumentExtraction":
        """Give every cell without one its stable id, ``<document>/<index of the cell>``: the key that
        follows a printed value from extraction through observations.csv to the audit report.

        >>> doc = DocumentExtraction("d", "m", "kpi_report", 1, cells=[CellRecord(1, "x", "actual", "1")] * 1)
        >>> [c.cell_id for c in doc.number_cells().cells]
        ['d/0']
        """
        for index, cell in enumerate(self.cells):
            if not cell.cell_id:
                cell.cell_id = f"{self.document}/{index}"
        return self

    def to_dict(self) -> dict:
        """``dataclasses.asdict(self.number_cells())``, the same dict (keys in field order, lists and
        dicts copied) without its generic recursive copy: a cell's fields are strings, numbers and
        tuples of numbers, which are shared rather than copied."""
        self.number_cells()
        out = {name: getattr(self, name) for name in _DOCUMENT_FIELDS}
        out["cells"] = [{name: cell.__dict__[name] for name in _CELL_FIELDS} for cell in self.cells]
        out["summary"] = [{**{name: row.__dict__[name] for name in _SUMMARY_FIELDS}, "grades": dict(row.grades)}
                          for row in self.summary]
        out["printed_counts"] = dict(self.printed_counts)
        out["legend"] = dict(self.legend)
        out["problems"] = list(self.problems)
        return out

    @classmethod
    def from_dict(cls, data: dict) -> "DocumentExtraction":
        data = dict(data)
        cells = [CellRecord(**{**c, "bbox": tuple(c["bbox"]) if c.get("bbox") else None,
                              "row_bbox": tuple(c["row_bbox"]) if c.get("row_bbox") else None})
                 for c in data.pop("cells", [])]
        summary = [SummaryRow(**s) for s in data.pop("summary", [])]
        return cls(cells=cells, summary=summary, **data).number_cells()


_CELL_FIELDS = tuple(f.name for f in fields(CellRecord))
_SUMMARY_FIELDS = tuple(f.name for f in fields(SummaryRow))
_DOCUMENT_FIELDS = tuple(f.name for f in fields(DocumentExtraction))
