"""The goal-declaration layout (部長の目標宣言 達成状況報告): the shipped PDF against its answer key,
another edition (another year, a row split over a page break) built here and read back, and the
prose rules that pair goals with results."""
from __future__ import annotations

import pytest

from conftest import ANSWERS, read_csv
from golden import differences, norm, number, reading, series
from pipeline.layouts.reading import extract_document
from pipeline.layouts.prose_goals import row_entries
from pipeline.sources import Source
from pipeline.tidy import observations

DOCUMENT = "isehara_kikaku_declaration_h28"


def test_observations_equal_the_answer_key(extraction):
    assert differences(DOCUMENT, observations(extraction(DOCUMENT))) == []


def test_indicator_numbers_are_as_printed(extraction):
    key = {(norm(r["indicator"]), r["indicator_no"]) for r in read_csv(ANSWERS / f"{DOCUMENT}.observations.csv")}
    got = {(norm(r["indicator"]), r["indicator_no"]) for r in observations(extraction(DOCUMENT))}
    assert got == key


def test_departments_and_headings_come_from_the_name_cell(extraction):
    cells = extraction(DOCUMENT).cells
    debt = [c for c in cells if norm(c.indicator) == "市債残高"]
    assert {c.department for c in debt} == {"財政課"} and {c.section for c in debt} == {"財政健全化の推進"}
    assert all(c.department for c in cells)


# ---------------------------------------------------------------------------------------- prose rules

def test_series_in_the_result_names_its_indicator_and_years():
    entries = row_entries(
        "事業評価の実施\n（企画課）",
        "・内容。\n[目標値]\n・事業の目標達成率の向上を目指します。",
        "・向上しました。\n「事業」の達成率\n（R４年度） （R５年度）\n７０．０％ → ７５．５％",
        "令和５年度")
    got = {(e.indicator, e.measure, e.text, e.year_text) for e in entries}
    assert got == {("「事業」の達成率", "target", "事業の目標達成率の向上を目指します。", "令和５年度"),
                   ("「事業」の達成率", "baseline", "７０．０％", "R４年度"),
                   ("「事業」の達成率", "actual", "７５．５％", "R５年度")}


@pytest.mark.parametrize("result", [
    "・向上しました。\n「事業」の達成率(R４年度)(R５年度)\n７０．０％ → ７５．５％",
    "・向上しました。\n「事業」の達成率（令和4年度）（令和5年度見込）\n70.0% → 75.5%",
    "・向上しました。\n「事業」の\n達成率 R4年度 R5年度 70.0% → 75.5%",
])
def test_year_annotations_after_the_name_are_the_years_of_the_values(result):
    # era-year marks printed after a series' name belong to the values, not to the name
    entries = row_entries("事業評価の実施\n（企画課）", "[目標値]\n・事業の目標達成率の向上を目指します。", result,
                          "令和５年度")
    got = {(e.indicator, e.measure, norm(e.text)) for e in entries if e.measure != "target"}
    assert got == {("「事業」の達成率", "baseline", "70.0%"), ("「事業」の達成率", "actual", "75.5%")}
    assert {e.indicator for e in entries} == {"「事業」の達成率"}


def test_results_pair_by_name_not_by_order():
    entries = row_entries(
        "広報の充実\n（広報課）",
        "[目標値]\n・日刊紙への記事掲載件数 900件\n・新聞社等への情報提供数 500件",
        "・新聞社等への情報提供数\n557件\n・日刊紙への記事掲載件数\n1,217件",
        "令和元年度")
    got = {(e.indicator, e.measure): e.text for e in entries}
    assert got == {("日刊紙への記事掲載件数", "target"): "900件", ("日刊紙への記事掲載件数", "actual"): "1,217件",
                   ("新聞社等への情報提供数", "target"): "500件", ("新聞社等への情報提供数", "actual"): "557件"}


def test_two_part_goal_has_components_from_the_result_labels():
    entries = row_entries(
        "サポーター制度\n（広報課）", "[目標値]\n・認定登録数 個人 20名・30団体",
        "・認定登録数\n個人：18名\n団体：31団体", "平成３０年度")
    got = {(e.indicator, e.component, e.measure): e.text for e in entries}
    assert got == {("認定登録数", "個人", "target"): "20名", ("認定登録数", "個人", "actual"): "18名",
                   ("認定登録数", "団体", "target"): "30団体", ("認定登録数", "団体", "actual"): "31団体"}


def test_change_results_and_qualitative_goals():
    entries = row_entries(
        "財政健全化の推進\n（３）補助金の見直し\n（財政課）", "[目標値]\n・適正化を進めます。",
        "・精査など\n１２事業の見直しにより、２，０００万円を縮減しました。", "平成２９年度")
    got = {(e.indicator, e.component, e.measure): e.text for e in entries}
    assert got == {("補助金の見直し", "", "target"): "適正化を進めます。",
                   ("補助金の見直し", "見直し事業数", "actual"): "１２事業",
                   ("補助金の見直し", "縮減額", "actual"): "２，０００万円"}


# ---------------------------------------------------------------------------------------- another edition

@pytest.fixture(scope="module", params=["landscape-goal-split", "portrait-result-split"])
def variant(request, tmp_path_factory):
    from variants.goal_declaration import EDITION, PORTRAIT, build
    edition = EDITION if request.param.startswith("landscape") else PORTRAIT
    path = build(edition, tmp_path_factory.mktemp("declaration") / "declaration_variant.pdf")
    source = Source(file=path.name, path=path, municipality="架空市")   # no layout hint: recognised
    return extract_document(source)


def test_variant_is_recognised_and_splits_a_row_over_pages(variant):
    from variants.goal_declaration import EDITION
    assert variant.layout == "goal_declaration"
    split = [c for c in variant.cells if norm(c.indicator) == norm(EDITION.split_indicator)]
    assert len({c.page for c in split}) == 2, "the variant must really split a row over two pages"


def test_variant_values_read_back(variant):
    from variants.goal_declaration import EXPECTED
    fields = ("value", "direction", "status")
    got = {}
    for row in observations(variant):
        got.setdefault(series(row), []).append(reading(row, fields))
    want = {(norm(i), norm(c), m, y): [(number(v), d, s)] for i, c, m, y, v, d, s in EXPECTED}
    assert got == want
