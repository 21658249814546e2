"""A rotated page gives the same records as the page unrotated, on every layout (issue 20, item 1).

Real shipped PDFs with one page changed by pypdf (``pdf_faults``), read by the real pipeline: a page
turned for display (``/Rotate`` 90/180/270) and a landscape insert (content turned, page rotated
back) give exactly the records (text, geometry, page) of the untouched document; a page whose text
is upside down is not read and is named, never read as reversed text.
"""
from __future__ import annotations

import dataclasses

import pytest

from conftest import RAW
from pdf_faults import landscape_insert, rotated, upside_down
from pipeline.sources import Source
from pipeline.stages.extract import process_document

# One document per layout (kpi_report, plan_brochure, strategy_document, project_plan,
# goal_declaration, indicator_tables, verification_sheet).
DOCUMENTS = ("isehara_sousei_kpi_r4", "isehara_plan6_overview", "hadano_sousei2_strategy",
             "isehara_plan5_midterm_r2", "isehara_kikaku_declaration_h28", "hiratsuka_plan_seika_r4",
             "ebina_sousei_sheet_r4")


def rounded(cells: list[dict]) -> list[dict]:
    return [{k: tuple(round(x, 3) for x in v) if isinstance(v, (list, tuple)) else v for k, v in c.items()}
            for c in cells]


@pytest.fixture(scope="module")
def untouched(sources):
    """(source, records, the page in the middle of the pages that hold records) per document; no
    page of a shipped document is taken for a turned one."""
    found = {}
    for document in DOCUMENTS:
        # a PDF in raw/ that sources.yaml does not list yet is read with a plain entry
        source = sources.get(document) or Source(file=f"{document}.pdf", path=RAW / f"{document}.pdf")
        outcome = process_document(source)
        cells = outcome.extraction["cells"]
        pages = sorted({c["page"] for c in cells})
        assert not [p for p in outcome.problems if "text runs at" in p.message], outcome.problems
        found[document] = (source, rounded(cells), pages[len(pages) // 2])
    return found


def read(source, path):
    outcome = process_document(dataclasses.replace(source, file=path.name, path=path))
    assert outcome.extraction is not None, outcome.problems
    return outcome


@pytest.mark.parametrize("angle", (90, 180, 270))
@pytest.mark.parametrize("document", DOCUMENTS)
def test_a_page_rotated_for_display_gives_the_same_records(untouched, tmp_path, document, angle):
    source, cells, page = untouched[document]
    outcome = read(source, rotated(source.path, tmp_path / f"{document}.pdf", page, angle))
    assert rounded(outcome.extraction["cells"]) == cells
    assert outcome.problems == []


@pytest.mark.parametrize("angle", (90,))
@pytest.mark.parametrize("document", DOCUMENTS)
def test_a_landscape_insert_gives_the_same_records(untouched, tmp_path, document, angle):
    source, cells, page = untouched[document]
    outcome = read(source, landscape_insert(source.path, tmp_path / f"{document}.pdf", page, angle))
    assert rounded(outcome.extraction["cells"]) == cells
    assert outcome.problems == []


@pytest.mark.parametrize("document", DOCUMENTS)
def test_an_upside_down_page_is_named_and_not_read_as_reversed_text(untouched, tmp_path, document):
    source, cells, page = untouched[document]
    outcome = read(source, upside_down(source.path, tmp_path / f"{document}.pdf", page))
    def printed(records):      # what each cell prints and where (headings read on the lost page may differ)
        return [(c["page"], c["indicator"], c["measure"], c["text"], c["bbox"]) for c in records]

    assert printed(rounded(outcome.extraction["cells"])) == printed(c for c in cells if c["page"] != page)
    assert [(p.severity, p.message.startswith(f"page {page}: its text runs at 180 degrees"))
            for p in outcome.problems] == [("warning", True)]


def test_no_shipped_page_is_taken_for_a_turned_one(untouched):
    assert set(untouched) == set(DOCUMENTS)      # the fixture read each one with no page refused
