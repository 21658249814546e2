"""Wrap invariance through real PDFs: a cell reads the same however it is wrapped.

The printed texts of the five shipped PDFs (every value cell and indicator name their layouts read, and
the header cells of their tables) are drawn into a ruled table of a real PDF (reportlab, a Japanese CID
font) twice: as printed, and with a line broken at positions hypothesis chooses (two or three lines).
Both are read back through the real extraction (pdfplumber ruled tables) and then through the reader:
``read_cell`` for a value cell, ``clean_label`` for a name, the layouts' header vocabulary for a header
cell.  The two readings must be the same.  Many cells share one page, so an example costs one PDF.
A few examples by default; ``MUNIPLAN_MORE_EDITIONS=1`` runs many more.
"""
from __future__ import annotations

import os
from functools import lru_cache

import pdfplumber
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import RAW
from golden import norm
from pipeline.layouts.reading import extract_document
from pipeline.extract.grid import ruled_tables
from pipeline.layouts import goal_declaration, kpi_report, project_plan, strategy_document
from pipeline.layouts.table_reader import role_of, squash
from pipeline.normalise import clean_label, read_cell
from pipeline.sources import load_sources
from variants.text import FONTS, break_at, draw_sheet

MORE = os.environ.get("MUNIPLAN_MORE_EDITIONS") == "1"
EXAMPLES = 60 if MORE else 4
PER_PAGE = 24
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=not MORE,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
SPECS = [m.SPEC for m in (kpi_report, project_plan, goal_declaration) if hasattr(m, "SPEC")]


@lru_cache(maxsize=1)
def printed() -> dict[str, list[str]]:
    """The texts the shipped PDFs print: value cells, indicator names, header cells of their tables."""
    values, names, headers = set(), set(), set()
    for source in load_sources(RAW).sources:
        doc = extract_document(source)
        for cell in doc.cells:
            if cell.text.strip() and read_cell(cell.text):
                values.add(cell.text.strip())
            if cell.indicator.strip():
                names.add(cell.indicator.strip())
        with pdfplumber.open(source.path) as pdf:
            for page in pdf.pages[:6]:
                for table in ruled_tables(page):
                    for cell in table.rows[0] if table.rows else []:
                        if cell.text.strip() and any(role_of([squash(cell.text)], s) for s in SPECS):
                            headers.add(cell.text.strip())
    return {"value": sorted(values), "name": sorted(names), "header": sorted(headers)}


def test_the_shipped_pdfs_give_cells_of_every_kind():
    found = printed()
    assert len(found["value"]) > 300 and len(found["name"]) > 200 and len(found["header"]) >= 5


@st.composite
def broken(draw, kind: str):
    """(text as printed, the same text with one of its lines broken at one or two positions)."""
    text = draw(st.sampled_from(printed()[kind]))
    lines = text.split("\n")
    candidates = [i for i, line in enumerate(lines) if len(line) >= 2]
    if not candidates:
        return lines, lines
    i = draw(st.sampled_from(candidates))
    cuts = draw(st.lists(st.integers(1, len(lines[i]) - 1), min_size=1, max_size=2, unique=True))
    return lines, lines[:i] + break_at(lines[i], cuts) + lines[i + 1:]


def read_back(tmp_path, pairs, font) -> list[tuple[str, str]]:
    """Draw each pair as one table row (as printed | broken) and read the cell texts back."""
    path = draw_sheet(tmp_path / "sheet.pdf", [list(p) for p in pairs], font=font)
    with pdfplumber.open(path) as pdf:
        tables = ruled_tables(pdf.pages[0])
    assert len(tables) == 1 and len(tables[0].rows) == len(pairs)
    return [(row[0].text, row[1].text) for row in tables[0].rows]


def printable(lines) -> bool:
    return all(line.strip() for line in lines)   # an empty printed line cannot be told from none


@SETTINGS
@given(cells=st.lists(broken("value"), min_size=PER_PAGE, max_size=PER_PAGE), font=st.sampled_from(FONTS))
def test_a_value_cell_reads_the_same_however_it_wraps(tmp_path, cells, font):
    pairs = [(a, b) for a, b in cells if printable(a) and printable(b)]
    for (as_printed, wrapped), (a, b) in zip(read_back(tmp_path, pairs, font), pairs):
        assert read_cell(wrapped) == read_cell(as_printed), (a, b)


@SETTINGS
@given(cells=st.lists(broken("name"), min_size=PER_PAGE, max_size=PER_PAGE), font=st.sampled_from(FONTS))
def test_an_indicator_name_reads_the_same_however_it_wraps(tmp_path, cells, font):
    pairs = [(a, b) for a, b in cells if printable(a) and printable(b)]
    for (as_printed, wrapped), (a, b) in zip(read_back(tmp_path, pairs, font), pairs):
        assert norm(clean_label(wrapped)[0]) == norm(clean_label(as_printed)[0]), (a, b)
        assert clean_label(wrapped)[1].replace(" ", "") == clean_label(as_printed)[1].replace(" ", ""), (a, b)


@SETTINGS
@given(cells=st.lists(broken("header"), min_size=8, max_size=8), font=st.sampled_from(FONTS))
def test_a_header_cell_names_the_same_column_however_it_wraps(tmp_path, cells, font):
    pairs = [(a, b) for a, b in cells if printable(a) and printable(b)]
    for (as_printed, wrapped), (a, b) in zip(read_back(tmp_path, pairs, font), pairs):
        for spec in SPECS:
            assert role_of([squash(wrapped)], spec) == role_of([squash(as_printed)], spec), (a, b)


def test_the_read_back_is_the_printed_text(tmp_path):
    # the sheet itself is faithful: a cell printed as a shipped PDF prints it reads as the shipped cell did
    texts = printed()["value"][::7][:PER_PAGE]
    pairs = [(t.split("\n"), t.split("\n")) for t in texts]
    for (as_printed, _), text in zip(read_back(tmp_path, pairs, FONTS[1]), texts):
        assert read_cell(as_printed) == read_cell(text), text
