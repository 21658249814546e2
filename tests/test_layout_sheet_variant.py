"""Other editions of the verification sheet (効果検証シート), generated and read back exactly: random
years and their number, column widths, page size, row wording (実績/実績値, 目標/目標値), numbering,
legend labels, and tables broken by a page break with and without their header repeated.

A fixed set of seeds runs by default; ``MUNIPLAN_MORE_EDITIONS=1`` runs many more."""
from __future__ import annotations

import os
from decimal import Decimal

import pytest

from pipeline.layouts.reading import extract_document
from pipeline.grade import IndicatorInfo, Legend, grade_indicators
from pipeline.normalise.grade_marks import printed_grade
from pipeline.sources import Source
from pipeline.tidy import indicators, observations
from variants.verification_sheet import Edition, grade_of, build, random_edition

SEEDS = list(range(40)) if os.environ.get("MUNIPLAN_MORE_EDITIONS") == "1" else [0, 4, 7, 10, 12, 18, 30, 31, 35, 38]


def expected(edition: Edition) -> dict[tuple, tuple]:
    """(indicator_no, measure, fiscal_year) -> (value, unit, status) as the edition was built."""
    out = {}
    for b in edition.blocks:
        no = str(b.no)
        out[(no, "baseline", str(edition.baseline_year))] = (Decimal(b.baseline), b.unit, "ok")
        for year, actual in zip(edition.actual_years, b.actuals):
            out[(no, "actual", str(year))] = (Decimal(actual), b.unit, "ok") if actual is not None \
                else (None, "", "not_available")
        out[(no, "target", str(edition.target_year))] = (Decimal(b.target), b.unit, "ok")
    return out


@pytest.fixture(scope="module", params=SEEDS)
def sheet(request, tmp_path_factory):
    edition = random_edition(request.param)
    path = build(edition, tmp_path_factory.mktemp("sheet") / f"sheet_variant_{request.param}.pdf")
    source = Source(file=path.name, path=path, municipality="架空市")     # no layout hint: recognised
    return edition, extract_document(source)


def test_every_value_exact_no_extra_no_duplicate(sheet):
    edition, doc = sheet
    assert doc.layout == "verification_sheet" and not doc.problems
    rows = observations(doc)
    got = {(r["indicator_no"], r["measure"], r["fiscal_year"]): r for r in rows}
    assert len(got) == len(rows)
    want = expected(edition)
    assert set(got) == set(want)
    for k, (value, unit, status) in want.items():
        r = got[k]
        assert (Decimal(r["value"]) if r["value"] else None, r["unit"], r["status"]) == (value, unit, status), k
    names = {r["indicator_no"]: r["indicator"] for r in rows}
    assert names == {str(b.no): b.name.replace("（", "(").replace("）", ")").replace("、", "、") for b in edition.blocks}


def test_grades_with_the_printed_legend(sheet):
    edition, doc = sheet
    legend = Legend.from_printed(doc.legend)
    assert legend is not None
    infos = [IndicatorInfo.from_row(r) for r in indicators(doc)]
    grades = {g.indicator_no: g for g in grade_indicators(observations(doc), infos, legend)}
    for b in edition.blocks:
        mark = legend.label(printed_grade(grade_of(edition, b)))
        g = grades[str(b.no)]
        assert (g.published_grade, g.recomputed_grade, g.agrees) == (mark, mark, True), g.reason


def test_a_table_under_no_indicator_heading_is_reported_not_read(tmp_path):
    edition = random_edition(SEEDS[0])
    edition.headless = (1,)
    edition.blocks[0].goal = edition.blocks[0].goal or "基本目標１ 産業を育てる"   # no block before it
    doc = extract_document(Source(file="headless.pdf", path=build(edition, tmp_path / "headless.pdf"),
                                  municipality="架空市"))
    assert doc.problems and all("no indicator heading" in p for p in doc.problems)   # each piece of it
    rows = observations(doc)
    assert "1" not in {r["indicator_no"] for r in rows}
    assert {r["indicator_no"] for r in rows} == {str(b.no) for b in edition.blocks[1:]}
