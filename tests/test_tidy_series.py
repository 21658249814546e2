"""Series rules of the tidy dataset on the real PDFs, expected values from the answer keys:
a value printed without a unit takes the unit its series prints, and 暦年 marks calendar years."""
from __future__ import annotations

from collections import defaultdict

import pytest
from conftest import ANSWERS, read_csv

from pipeline.tidy import observations

KPI = "isehara_sousei_kpi_r4"
HADANO = "hadano_sousei2_strategy"


def series(rows, key=lambda r: (r["indicator"], r["component"])):
    grouped = defaultdict(list)
    for row in rows:
        grouped[key(row)].append(row)
    return grouped


@pytest.mark.parametrize("document", [KPI, HADANO])
def test_a_value_without_a_unit_takes_the_unit_of_its_series(document, extraction):
    keys = read_csv(ANSWERS / f"{document}.observations.csv")
    rows = observations(extraction(document))
    ours = series([r for r in rows if r["value"]])
    filled = 0
    for name, key_rows in series([k for k in keys if k["value"]]).items():
        units = {k["unit"] for k in key_rows if k["unit"]}
        if len(units) == 1 and name in ours:
            unit = units.pop()
            assert {r["unit"] for r in ours[name]} == {unit}, name
            filled += sum(not k["unit"] for k in key_rows)
    if document == KPI:
        assert filled >= 9, "シルバー人材センター就業者数 754 / 725 / 699 and others print 人 on some cells only"
        assert {r["unit"] for r in ours[("シルバー人材センター就業者数", "")]} == {"人"}


def test_calendar_years_are_marked_from_the_words_that_say_so(extraction):
    keys = read_csv(ANSWERS / f"{HADANO}.observations.csv")
    rows = observations(extraction(HADANO))
    calendar = {k["indicator"] for k in keys if "暦年" in k["indicator"]}
    assert len(calendar) >= 2
    marked = {r["indicator"] for r in rows if r["calendar_year"] == "true"}
    assert marked == calendar
    assert all(r["calendar_year"] == "" for r in rows if r["indicator"] not in calendar)


def test_every_observation_names_its_cell(extraction):
    doc = extraction(KPI)
    rows = observations(doc)
    cells = {c.cell_id: c for c in doc.number_cells().cells}
    assert all(r["cell_id"] in cells for r in rows)
    for row in rows:
        cell = cells[row["cell_id"]]
        assert (cell.text, str(cell.page), cell.measure) == (row["text"], row["page"], row["measure"])
    assert len({(r["cell_id"], r["component"]) for r in rows}) == len(rows), "cell_id and component are a key"
