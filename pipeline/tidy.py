"""Records -> the tidy dataset: one observation row per printed value.

In: a ``DocumentExtraction`` (cells as printed) and its ``Source``. Out: rows of
``extracted/observations.csv`` and ``extracted/indicators.csv`` as dicts of strings, in the
contract's column order. All reading of numbers, years and units is ``pipeline.normalise``'s;
this module only applies it cell by cell and row by row.
"""
from __future__ import annotations

from dataclasses import replace
from itertools import groupby

from .normalise.grade_marks import printed_grade
from .normalise.text import nfkc
from .normalise import Reading, clean_label, fix_mistyped_separators, read_cell, read_year
from .normalise.rows import fill_missing_units, says_calendar_year
from .records import CellRecord, DocumentExtraction

OBSERVATION_COLUMNS = (
    "document", "municipality", "section", "indicator_no", "indicator", "component", "measure",
    "fiscal_year", "period_start", "value", "unit", "direction", "status", "text", "page",
    # beyond the contract:
    "note", "department", "calendar_year", "bound", "upper_value", "cell_id",
)
INDICATOR_COLUMNS = ("document", "indicator_no", "indicator", "section", "group", "kind", "department",
                     "note", "published_grade", "page")
PRINTED_COUNT_COLUMNS = ("document", "kind", "group", "count")
SUMMARY_COLUMNS = ("document", "goal", "kind", "count", "A", "B", "C", "D", "none")


def _text(value) -> str:
    return "" if value is None else str(value)


def name_and_note(cell: CellRecord) -> tuple[str, str]:
    name, note = clean_label(cell.indicator)
    notes = [n for n in (note, nfkc(cell.note)) if n]
    return name, " ".join(dict.fromkeys(notes))


def cell_readings(cell: CellRecord) -> list[tuple[CellRecord, Reading]]:
    return [(cell, reading) for reading in read_cell(cell.text, unit_hint=cell.unit_hint)]


def name_lone_components(pairs: list[tuple[CellRecord, Reading]]) -> list[tuple[CellRecord, Reading]]:
    """A cell with one value printed after a label ('5、6年生17回/年') is that component when the
    same indicator's other cells split into components with that label ('3、4年生…\\n5、6年生…').

    >>> from decimal import Decimal
    >>> a = CellRecord(1, "ALT授業数", "baseline", "5、6年生17回/年")
    >>> b = CellRecord(1, "ALT授業数", "target", "3、4年生20回/年\\n5、6年生20回/年")
    >>> pairs = [(a, Reading(Decimal(17), "回/年", "ok")),
    ...          (b, Reading(Decimal(20), "回/年", "ok", component="3、4年生")),
    ...          (b, Reading(Decimal(20), "回/年", "ok", component="5、6年生"))]
    >>> [r.component for _, r in name_lone_components(pairs)]
    ['5、6年生', '3、4年生', '5、6年生']
    """
    def indicator(cell: CellRecord) -> tuple:
        return (cell.kind, cell.indicator_no, cell.indicator, cell.component)

    labels: dict[tuple, set[str]] = {}
    per_cell: dict[int, int] = {}
    for cell, reading in pairs:
        per_cell[id(cell)] = per_cell.get(id(cell), 0) + 1
        if reading.component:
            labels.setdefault(indicator(cell), set()).add(reading.component)
    out = []
    for cell, reading in pairs:
        if not reading.component and reading.value is not None and per_cell[id(cell)] == 1:
            text = "".join(nfkc(cell.text).split())
            named = [label for label in labels.get(indicator(cell), ())
                     if text.startswith("".join(nfkc(label).split()))]
            if len(named) == 1:
                reading = replace(reading, component=named[0])
        out.append((cell, reading))
    return out


def observation(doc: DocumentExtraction, cell: CellRecord, reading: Reading) -> dict[str, str]:
    name, note = name_and_note(cell)
    header_year = read_year(cell.year_text) if cell.year_text else None
    year = reading.fiscal_year if reading.fiscal_year is not None else (header_year.fiscal_year if header_year else None)
    start = reading.period_start if reading.fiscal_year is not None else (header_year.period_start if header_year else None)
    calendar = (reading.calendar_year or bool(header_year and header_year.calendar_year)
                or says_calendar_year(cell.indicator, cell.unit_hint, cell.year_text, cell.text))
    component = "・".join(p for p in (nfkc(cell.component), nfkc(reading.component)) if p)
    return {
        "document": doc.document, "municipality": doc.municipality, "section": nfkc(cell.section),
        "indicator_no": nfkc(cell.indicator_no), "indicator": name, "component": component,
        "measure": cell.measure, "fiscal_year": _text(year), "period_start": _text(start),
        "value": _text(reading.value), "unit": reading.unit, "direction": reading.direction,
        "status": reading.status, "text": cell.text, "page": str(cell.page),
        "note": note, "department": nfkc(cell.department),
        "calendar_year": "true" if calendar else "", "bound": reading.bound, "cell_id": cell.cell_id,
    }


def observations(doc: DocumentExtraction) -> list[dict[str, str]]:
    """Every printed value of the document as contract rows; per series (one indicator and component)
    mistyped separators are corrected and a value printed without the series' unit takes it."""
    doc.number_cells()      # an extraction not read from the cache has no cell ids yet
    pairs = name_lone_components([pair for cell in doc.cells for pair in cell_readings(cell)])

    def series(pair):
        cell, reading = pair
        return (cell.kind, cell.indicator_no, cell.indicator, cell.component, reading.component)

    rows: list[dict[str, str]] = []
    for _, group in groupby(pairs, key=series):
        group = list(group)
        fixed = fill_missing_units(fix_mistyped_separators([reading for _, reading in group]))
        rows.extend(observation(doc, cell, reading) for (cell, _), reading in zip(group, fixed))
    return join_ranges(rows)


def join_ranges(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """A range target ('40％以上 60％以下') as one row: the value is the lower bound (what must be
    reached, direction increase), ``bound`` is 'range' and ``upper_value`` the upper bound.

    >>> low = {"indicator": "女性委員の割合", "measure": "target", "component": "", "fiscal_year": "2027",
    ...        "text": "40％以上 60％以下", "value": "40", "bound": "lower", "direction": "increase"}
    >>> rows = join_ranges([low, {**low, "value": "60", "bound": "upper", "direction": "decrease"}])
    >>> [(r["value"], r["bound"], r["upper_value"], r["direction"]) for r in rows]
    [('40', 'range', '60', 'increase')]
    """
    same = ("document", "indicator_no", "indicator", "component", "measure", "fiscal_year", "text", "page")
    out: list[dict[str, str]] = []
    for row in rows:
        previous = out[-1] if out else None
        if (previous is not None and row.get("bound") == "upper" and previous.get("bound") == "lower"
                and all(previous.get(k) == row.get(k) for k in same)):
            previous["bound"], previous["upper_value"] = "range", row["value"]
            continue
        out.append(dict(row))
    return out


def indicators(doc: DocumentExtraction) -> list[dict[str, str]]:
    """One row per indicator with what is printed about it besides its values."""
    seen: dict[tuple, dict[str, str]] = {}
    for cell in doc.cells:
        name, note = name_and_note(cell)
        key = (cell.kind, nfkc(cell.indicator_no), name)
        if key in seen:
            continue
        seen[key] = {
            "document": doc.document, "indicator_no": nfkc(cell.indicator_no), "indicator": name,
            "section": nfkc(cell.section), "group": nfkc(cell.group), "kind": cell.kind,
            "department": nfkc(cell.department), "note": note,
            "published_grade": printed_grade(cell.published_grade), "page": str(cell.page),
        }
    return list(seen.values())


def printed_counts(doc: DocumentExtraction) -> list[dict[str, str]]:
    rows = [{"document": doc.document, "kind": kind, "group": "", "count": str(count)}
            for kind, count in doc.printed_counts.items()]
    rows += [{"document": doc.document, "kind": s.kind, "group": s.group, "count": str(s.count)}
             for s in doc.summary if s.group and s.count is not None]
    return rows


def summary_rows(doc: DocumentExtraction) -> list[dict[str, str]]:
    return [{"document": doc.document, "goal": s.label or s.group, "kind": s.kind, "count": _text(s.count),
             **{g: str(s.grades.get(g, 0)) for g in ("A", "B", "C", "D", "none")}} for s in doc.summary]
