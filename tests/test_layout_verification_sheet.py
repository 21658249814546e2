"""Verification sheets (効果検証シート) and transposed tables: ebina's sheet read against its key,
and the transposed-table reader on its own (years across, measure rows, page breaks)."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from conftest import read_csv

from pipeline.layouts.reading import extract_document
from pipeline.grade import IndicatorInfo, Legend, grade_indicators
from pipeline.layouts import transposed_tables
from pipeline.layouts.transposed_tables import find_header, transposed_values
from pipeline.sources import Source
from pipeline.tidy import indicators, observations

EDITIONS = Path(__file__).resolve().parents[2] / "shared" / "editions"
EBINA = "ebina_sousei_sheet_r4"


@pytest.fixture(scope="module")
def ebina():
    path = EDITIONS / f"{EBINA}.pdf"
    if not path.exists():
        pytest.skip(f"{path} is not in this checkout")
    return extract_document(Source(file=path.name, path=path, municipality="海老名市"))


@pytest.fixture(scope="module")
def key():
    return read_csv(EDITIONS / "answers" / f"{EBINA}.observations.csv")


def _by_key(rows):
    return {(r["indicator_no"], r["measure"], r["fiscal_year"]): r for r in rows}


def test_recognised_as_a_verification_sheet(ebina):
    assert ebina.layout == "verification_sheet"
    assert not ebina.problems


def test_every_value_of_the_key_and_nothing_else(ebina, key):
    got = _by_key(observations(ebina))
    assert len(got) == len(observations(ebina))               # no duplicate key rows
    assert set(got) == set(_by_key(key))                       # no missing, no extra cell
    wrong = []
    for k, want in _by_key(key).items():
        row = got[k]
        assert row["indicator"] == want["indicator"]
        if row["status"] != want["status"]:
            wrong.append((k, want["status"], row["status"]))
        elif (Decimal(row["value"]) if row["value"] else None) != (Decimal(want["value"]) if want["value"] else None) \
                or row["unit"] != want["unit"]:
            wrong.append((k, want["value"], want["unit"], row["value"], row["unit"]))
    assert not wrong


def test_values_in_a_scaled_unit_note(ebina, key):
    got = _by_key(observations(ebina))
    scaled = [k for k in _by_key(key) if k[0] == "5" and _by_key(key)[k]["value"]]
    assert scaled
    for k in scaled:
        assert (Decimal(got[k]["value"]), got[k]["unit"]) == (Decimal(_by_key(key)[k]["value"]), "円")


def test_departments_sections_and_published_grades(ebina):
    rows = {r["indicator_no"]: r for r in indicators(ebina)}
    assert rows["1"]["department"] == "商工課" and rows["6"]["department"] == "保育・幼稚園課"
    assert rows["1"]["section"].startswith("基本目標1") and rows["3"]["section"].startswith("基本目標1")
    assert rows["4"]["section"].startswith("基本目標2") and rows["10"]["section"].startswith("基本目標4")
    grades = read_csv(EDITIONS / "answers" / f"{EBINA}.grades.csv")
    assert {no: r["published_grade"] for no, r in rows.items()} == {g["indicator_no"]: g["published_grade"]
                                                                     for g in grades}


def test_graded_with_its_printed_legend(ebina):
    legend = Legend.from_printed(ebina.legend)
    assert legend.spec() == "A>=1;B>=4/5;C>=1/2;D;-=none"
    infos = [IndicatorInfo.from_row(r) for r in indicators(ebina)]
    got = {g.indicator_no: g for g in grade_indicators(observations(ebina), infos, legend)}
    for want in read_csv(EDITIONS / "answers" / f"{EBINA}.grades.csv"):
        g = got[want["indicator_no"]]
        assert (g.recomputed_grade, str(g.basis_year), g.published_grade) == \
            (want["recomputed_grade"], want["basis_year"], want["published_grade"])


# --- the transposed-table reader on cell texts ---------------------------------------------

def _read(rows):
    header = find_header(rows)
    assert header is not None
    return [(v.measure, v.year_text, v.text) for v in transposed_values(rows, header)]


def test_baseline_and_target_columns_marked_in_the_header():
    rows = [["区分", "平成30年度\n（基準）", "令和２年度", "令和６年度\n（目標）"],
            ["実績値", "41", "38", ""],
            ["目標値", "", "", "60"]]
    assert _read(rows) == [("baseline", "平成30年度", "41"), ("actual", "令和２年度", "38"),
                           ("target", "令和６年度", "60")]


def test_any_number_of_years_and_yearly_targets_without_marks():
    years = [f"R{y}年度" for y in range(1, 9)]
    rows = [[""] + years, ["実績"] + [str(y) for y in range(1, 6)] + ["", "", ""],
            ["目標"] + [str(10 * y) for y in range(1, 9)]]
    got = _read(rows)
    assert [g for g in got if g[0] == "actual"] == [("actual", f"R{y}年度", str(y)) for y in range(1, 6)]
    assert [g for g in got if g[0] == "interim_target"] == [("interim_target", f"R{y}年度", str(10 * y))
                                                           for y in range(1, 8)]
    assert [g for g in got if g[0] == "target"] == [("target", "R8年度", "80")]


def test_a_baseline_row_and_a_two_row_header():
    rows = [["", "H29年度", "R3年度", "R7年度"], ["", "", "", "（目標）"],
            ["基準値", "120", "", ""], ["実績値", "", "150", ""], ["達成率", "", "75%", ""], ["目標値", "", "", "200"]]
    assert _read(rows) == [("baseline", "H29年度", "120"), ("actual", "R3年度", "150"), ("target", "R7年度", "200")]


def test_one_year_is_read_and_years_down_is_read_flipped():
    assert _read([["区分", "R2年度（基準）"], ["実績値", "7"]]) == [("baseline", "R2年度", "7")]
    found = transposed_tables.read_grid([["年度", "実績", "目標"], ["R2年度", "5", ""], ["R3年度", "6", ""],
                                         ["R5年度", "", "9"]])
    assert found[0].years_down
    assert [(v.measure, v.year_text, v.text) for v in found[1]] == [
        ("actual", "R2年度", "5"), ("actual", "R3年度", "6"), ("target", "R5年度", "9")]


def test_a_table_continued_after_a_page_break():
    first = [["区分", "R1年度（基準）", "R3年度", "R6年度（目標）"], ["実績値", "5", "6", ""]]
    header = find_header(first)
    rest = [["目標値", "", "", "9"]]
    got = [(v.measure, v.year_text, v.text) for v in transposed_values(rest, header, start=0)]
    assert got == [("target", "R6年度", "9")]


@pytest.mark.parametrize("rows", [
    [["指標名", "現状値", "目標値"], ["件数", "1", "2"]],                      # indicators as rows
    [["区分", "R2年度", "R3年度"], ["備考", "a", "b"]],                        # years, but no measure row
    [["区分", "備考"], ["実績値", "1"]],                                       # measure rows, but no year
])
def test_tables_that_are_not_transposed(rows):
    assert find_header(rows) is None

