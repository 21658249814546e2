"""Random editions of the two table families of other cities' reports, drawn and read back exactly.

The atsugi family (one fully ruled KPI table: two-row header, 単位 and 年度 columns, goal cells merged
over their rows, page breaks with and without a repeated header) and the hiratsuka family (one small
table per 施策 ruled with horizontal lines only, units in the cells, arrows as targets, tables broken
across pages), and the captioned family (small transposed tables, years across or down, each under a
caption naming its indicator and unit, no heading numbers, evaluation or legend). Column widths, header synonyms, fonts, sizes and row counts are drawn from a fixed seed;
``MUNIPLAN_MORE_EDITIONS=1`` reads many more editions.
"""
from __future__ import annotations

import dataclasses
import os
import random
import unicodedata
from decimal import Decimal

import pytest

from pipeline.layouts.reading import extract_document
from pipeline.sources import Source
from pipeline.tidy import observations
from variants import captioned_tables, kpi_table, outcome_tables

EDITIONS = 40 if os.environ.get("MUNIPLAN_MORE_EDITIONS") == "1" else 3


def readings(path) -> tuple[dict, list[dict]]:
    doc = extract_document(Source(file=path.name, path=path, municipality="架空市"))
    rows = observations(doc)
    got: dict = {}
    for r in rows:
        key = (r["indicator"], r["measure"], int(r["fiscal_year"]) if r["fiscal_year"] else None)
        got.setdefault(key, []).append((Decimal(r["value"]) if r["value"] else None, r["unit"], r["status"],
                                        int(r["period_start"]) if r["period_start"] else None, r["direction"]))
    return got, doc


def compare(expected: dict, got: dict) -> list[str]:
    """Every expected reading that is not exactly one observation with it, and every observation not expected
    (names compared as printed, NFKC-normalised, as tidy writes them)."""
    expected = {(unicodedata.normalize("NFKC", name), measure, year): want
                for (name, measure, year), want in expected.items()}
    out = []
    for key, want in expected.items():
        found = got.get(key, [])
        if len(found) != 1 or found[0][:len(want)] != want:
            out.append(f"{key}: want {want} got {found}")
    out += [f"{key}: not expected {got[key]}" for key in got if key not in expected]
    return out


@pytest.mark.parametrize("seed", range(EDITIONS))
def test_kpi_table_editions_read_exactly(seed, tmp_path):
    edition = kpi_table.random_edition(random.Random(seed))
    path = kpi_table.build(edition, tmp_path / f"kpi_table_{seed}.pdf")
    got, doc = readings(path)
    assert compare(edition.expected, got) == []
    assert all(c.group for c in doc.cells)                         # the merged goal cell names every row
    assert {c.indicator: c.published_grade for c in doc.cells} == {
        row.name: row.grade for _, rows in edition.goals for row in rows}


@pytest.mark.parametrize("seed", range(EDITIONS))
def test_outcome_table_editions_read_exactly(seed, tmp_path):
    edition = outcome_tables.random_edition(random.Random(seed))
    path = outcome_tables.build(edition, tmp_path / f"outcome_{seed}.pdf")
    got, _ = readings(path)
    assert compare(edition.expected, got) == []


@pytest.mark.parametrize("seed", range(EDITIONS))
def test_outcome_tables_without_any_rule_read_exactly(seed, tmp_path):
    """The same tables printed with no lines at all: columns from the header words' alignment alone."""
    edition = outcome_tables.random_edition(random.Random(seed), rules=False)
    path = outcome_tables.build(edition, tmp_path / f"outcome_unruled_{seed}.pdf")
    got, _ = readings(path)
    assert compare(edition.expected, got) == []


@pytest.mark.parametrize("seed", range(EDITIONS))
def test_captioned_transposed_table_editions_read_exactly(seed, tmp_path):
    """Another city's report of captioned transposed tables is read by the general reader, not claimed by
    the verification sheet, every value back with its measure, year and the caption's unit."""
    edition = captioned_tables.random_edition(random.Random(seed))
    path = captioned_tables.build(edition, tmp_path / f"captioned_{seed}.pdf")
    got, doc = readings(path)
    assert doc.layout == "indicator_tables"
    assert compare(edition.expected, got) == []
    assert doc.problems == []


@pytest.mark.parametrize("caption, years_down, broken", [
    ("inline", False, True), ("own_line", True, True), ("corner", False, False), ("column", False, False),
    ("column", False, True)])
def test_each_caption_form_reads_exactly(caption, years_down, broken, tmp_path):
    """The name in a caption line with its unit, on a line above a unit line, with the unit in the corner cell,
    or in a leading column (one table for all, 単位 column); years across or down; a table broken by a page
    (the leading column's name cell split by the break: the rows after it are still that indicator's)."""
    base = captioned_tables.random_edition(random.Random(7))
    edition = dataclasses.replace(base, caption=caption, years_down=years_down and caption != "column",
                                  breaks=(1,) if broken else ())
    got, doc = readings(captioned_tables.build(edition, tmp_path / f"captioned_{caption}.pdf"))
    assert compare(edition.expected, got) == []
    assert doc.layout == "indicator_tables" and doc.problems == []
