"""grade_indicators: golden tests against tests/answers/*.grades.csv, and the rules one by one."""
from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import ANSWERS, read_csv

from pipeline.grade.grading import GRADE_COLUMNS, IndicatorInfo, grade_indicators
from pipeline.grade.legend import Legend

GRADED_DOCUMENTS = ["isehara_sousei_kpi_r4", "isehara_plan5_midterm_r2", "isehara_kikaku_declaration_h28"]
UNGRADED_DOCUMENTS = ["hadano_sousei2_strategy", "isehara_plan6_overview"]   # targets only, no actuals


def _key(row) -> tuple[str, str, str]:
    return (row["document"], row["indicator_no"], row["indicator"])


def _golden(document: str):
    observations = read_csv(ANSWERS / f"{document}.observations.csv")
    keys = read_csv(ANSWERS / f"{document}.grades.csv")
    infos = [IndicatorInfo(k["document"], k["indicator_no"], k["indicator"], k["published_grade"]) for k in keys]
    grades = grade_indicators(observations, infos, Legend(), [])
    return keys, {g.key: g for g in grades}, grades


@pytest.mark.parametrize("document", GRADED_DOCUMENTS)
def test_graded_set_matches_answer_key(document):
    keys, by_key, grades = _golden(document)
    assert len(grades) == len(by_key)                        # keys are unique
    assert set(by_key) == {_key(k) for k in keys}


@pytest.mark.parametrize("document", GRADED_DOCUMENTS)
def test_recomputed_grades_rates_and_years_match_answer_key(document):
    keys, by_key, _ = _golden(document)
    wrong = []
    for k in keys:
        got = by_key[_key(k)].to_row()
        for column in ("recomputed_grade", "achievement_rate", "basis_year"):
            if got[column] != k[column]:
                wrong.append((k["indicator_no"], k["indicator"], column, k[column], got[column], got["reason"]))
    assert not wrong


@pytest.mark.parametrize("document", GRADED_DOCUMENTS)
def test_rows_follow_the_contract(document):
    keys, by_key, grades = _golden(document)
    for g in grades:
        row = g.to_row()
        assert tuple(row) == GRADE_COLUMNS
        assert row["reason"] and "\n" not in row["reason"]
        assert row["direction"] in ("increase", "decrease")
        if row["published_grade"] and row["recomputed_grade"]:
            assert row["agrees"] == ("true" if row["published_grade"] == row["recomputed_grade"] else "false")
        else:
            assert row["agrees"] == ""
        if row["achievement_rate"]:
            assert len(row["achievement_rate"].split(".")[1]) == 4


def test_kpi_report_disagreements_with_its_published_grades():
    keys, by_key, grades = _golden("isehara_sousei_kpi_r4")
    disagreeing = {(g.indicator_no, g.indicator) for g in grades if g.agrees is False}
    assert disagreeing == {("8", "市民の健康寿命"), ("15", "年間転入者数"), ("31", "自治会加入割合")}
    assert "published A" in by_key[("isehara_sousei_kpi_r4", "15", "年間転入者数")].reason


def test_plan5_reasons_say_which_way_and_why():
    _, by_key, _ = _golden("isehara_plan5_midterm_r2")
    doc = "isehara_plan5_midterm_r2"
    farmland = by_key[(doc, "23-102", "荒廃農地面積")]
    assert farmland.direction == "decrease" and "'荒廃'" in farmland.reason
    assert "rate = target 3.4 / actual 72" in farmland.reason
    donation = by_key[(doc, "39-105", "寄附金受入額")]
    assert donation.direction == "increase" and "'寄附'" in donation.reason and "below baseline" in donation.reason
    assert by_key[(doc, "17-103", "特定空き家の発生数")].reason.count("met") == 1
    assert "do not line up" in by_key[(doc, "09-103", "外国語活動、外国語科の授業時数")].reason


@pytest.mark.parametrize("document", UNGRADED_DOCUMENTS)
def test_documents_without_actuals_get_no_rows(document):
    observations = read_csv(ANSWERS / f"{document}.observations.csv")
    assert grade_indicators(observations, [], Legend(), []) == []


# --- the rules one by one ---------------------------------------------------------------------

def obs(measure, value="", year="", *, component="", direction="", status=None, name="指標", no="1", doc="doc"):
    if status is None:
        status = "ok" if value != "" or direction else "not_available"
    return {"document": doc, "indicator_no": no, "indicator": name, "component": component,
            "measure": measure, "fiscal_year": year, "value": value, "direction": direction, "status": status}


def grade_one(rows, published="", legend=None, overrides=None):
    first = rows[0]
    infos = [IndicatorInfo(first["document"], first["indicator_no"], first["indicator"], published)]
    grades = grade_indicators(rows, infos, legend or Legend(), overrides or [])
    assert len(grades) <= 1
    return grades[0] if grades else None


@pytest.mark.parametrize("actual, target, grade, rate", [
    ("1.20", "1.50", "B", "0.8000"),        # exactly 80%
    ("5", "10", "C", "0.5000"),             # exactly 50%
    ("46500", "46500", "A", "1.0000"),      # exactly 100%
    ("79.999999999999999999999999999999", "100", "C", "0.8000"),  # exact, not rounded to B
    ("4.9999", "10", "D", "0.5000"),        # shown rounded, graded exact
    ("0", "8", "D", "0.0000"),
    ("-36", "500", "D", "-0.0720"),
])
def test_boundaries_are_inclusive_and_exact(actual, target, grade, rate):
    g = grade_one([obs("baseline", "1", "2019"), obs("actual", actual, "2022"), obs("target", target, "2022")])
    assert (g.recomputed_grade, g.to_row()["achievement_rate"]) == (grade, rate)


def test_latest_actual_up_to_the_target_year():
    rows = [obs("actual", "10", "2020"), obs("actual", "40", "2021"), obs("actual", status="not_available", year="2022"),
            obs("actual", "99", "2023"), obs("target", "50", "2022")]
    g = grade_one(rows)
    assert (g.recomputed_grade, g.basis_year) == ("B", 2021)
    strict = grade_one(rows, legend=Legend(use_latest_actual=False))
    assert strict.recomputed_grade == "-"


@pytest.mark.parametrize("name, baseline, target, actual, grade, rate", [
    ("耕作放棄地面積", "35", "30", "32", "B", "0.9375"),       # target / actual
    ("耕作放棄地面積", "35", "30", "30", "A", "1.0000"),
    ("耕作放棄地面積", "35", "30", "12", "A", "1.0000"),       # below target is 100%, not more
    ("交通事故発生件数", "5", "0", "0", "A", "1.0000"),         # target 0, stays at zero
    ("交通事故発生件数", "5", "0", "3", "D", "0.0000"),
])
def test_decrease_targets(name, baseline, target, actual, grade, rate):
    g = grade_one([obs("baseline", baseline, "2019", name=name), obs("actual", actual, "2022", name=name),
                   obs("target", target, "2022", name=name)])
    assert (g.direction, g.recomputed_grade, g.to_row()["achievement_rate"]) == ("decrease", grade, rate)
    assert "lower is better" in g.reason


def test_increase_target_zero_is_met():
    g = grade_one([obs("actual", "0", "2022"), obs("target", "0", "2022")])
    assert (g.recomputed_grade, g.to_row()["achievement_rate"]) == ("A", "1.0000")


@pytest.mark.parametrize("direction, actual, grade, rate", [
    ("increase", "95.8", "B", "0.9886"),
    ("increase", "123", "A", "1.2693"),
    ("decrease", "10.2", "A", "1.0000"),
    ("decrease", "120", "B", "0.8075"),
])
def test_direction_target_uses_the_baseline(direction, actual, grade, rate):
    g = grade_one([obs("baseline", "96.9"), obs("actual", actual, "2022"), obs("target", year="2022", direction=direction)])
    assert (g.recomputed_grade, g.to_row()["achievement_rate"], g.direction_source) == (grade, rate, "target_row")
    assert "baseline 96.9" in g.reason


def test_actual_printed_as_a_reduction_amount():
    rows = [obs("baseline", "26910000000", "2015", name="市債残高"),
            obs("target", year="2016", direction="decrease", name="市債残高"),
            obs("actual", "548000000", "2016", component="縮減額", name="市債残高")]
    g = grade_one(rows)
    assert (g.recomputed_grade, g.to_row()["achievement_rate"], g.basis_year) == ("A", "1.0000", 2016)
    assert "26362000000" in g.reason


def test_worst_component_decides():
    rows = []
    for comp, target, actual in (("男性", "83.76", "84.05"), ("女性", "86.58", "86.06")):
        rows += [obs("target", target, "2022", component=comp), obs("actual", actual, "2022", component=comp)]
    g = grade_one(rows, published="A")
    assert (g.recomputed_grade, g.to_row()["achievement_rate"], g.agrees) == ("B", "0.9940", False)
    assert "worst component 女性" in g.reason and g.reason.endswith("published A (differs)")


def test_components_that_do_not_line_up_give_a_row_without_grade():
    rows = [obs("target", "35", "2020", component="1~4年"), obs("target", "70", "2020", component="5、6年"),
            obs("actual", "15", "2020", component="1、2年"), obs("actual", "70", "2020", component="5、6年")]
    g = grade_one(rows)
    assert g.recomputed_grade == "" and g.achievement_rate is None and "do not line up" in g.reason


def test_override_changes_the_grade():
    rows = [obs("baseline", "5344", name="年間転入者数", no="15"), obs("actual", "5248", "2022", name="年間転入者数", no="15"),
            obs("target", "5500", "2022", name="年間転入者数", no="15")]
    assert grade_one(rows).recomputed_grade == "B"
    g = grade_one(rows, overrides=[{"document": "doc", "indicator_no": "15", "direction": "decrease"}])
    assert (g.recomputed_grade, g.direction, g.direction_source) == ("A", "decrease", "override")
    assert "override" in g.reason
    with pytest.raises(ValueError, match="direction"):
        grade_one(rows, overrides=[{"indicator_no": "15", "direction": "lower"}])


@pytest.mark.parametrize("rows", [
    [obs("target", status="qualitative"), obs("actual", status="qualitative")],       # 制度創設 / 実施
    [obs("target", "10", "2020", status="ambiguous"), obs("actual", "0", "2020")],     # a target the reader doubts
    [obs("target", status="not_available", year="2020"), obs("actual", "357.1", "2020")],
    [obs("baseline", "4", "2017"), obs("target", "6", "2020")],                       # no actual row at all
    [obs("target", year="2020", direction="increase"), obs("actual", "5", "2020")],   # direction, no baseline
])
def test_not_gradable_without_a_published_grade_gives_no_row(rows):
    assert grade_one(rows) is None


def test_no_actual_yet_grades_dash():
    g = grade_one([obs("target", "88", "2022"), obs("actual", year="2022", status="not_available")], published="-")
    assert (g.recomputed_grade, g.agrees, g.achievement_rate) == ("-", True, None)
    g = grade_one([obs("target", "60", "2020"), obs("actual", year="2020", status="not_available")])
    assert g.recomputed_grade == "-" and g.agrees is None


def test_published_grade_without_numbers_still_gets_a_row():
    g = grade_one([obs("target", status="qualitative"), obs("actual", "3", "2022")], published="Ｂ")
    assert g is not None and g.recomputed_grade == "" and g.agrees is None and "not numeric" in g.reason
    info = IndicatorInfo.from_row({"document": "d", "indicator_no": "1", "indicator": "x", "published_grade": "―"})
    assert info.published_grade == "-"


def test_unreadable_actual_is_reported():
    g = grade_one([obs("target", "10", "2022"), obs("actual", "", "2022", status="unparsed") | {"text": "約?件"}])
    assert g.recomputed_grade == "" and "could not be read" in g.reason


def test_same_number_different_names_are_different_indicators():
    rows = [obs("target", "10", "2022", no="1", name="数値目標"), obs("actual", "9", "2022", no="1", name="数値目標"),
            obs("target", "10", "2022", no="1", name="KPI"), obs("actual", "4", "2022", no="1", name="KPI")]
    grades = grade_indicators(rows, [], Legend(), [])
    assert [(g.indicator, g.recomputed_grade) for g in grades] == [("数値目標", "B"), ("KPI", "D")]


def test_rate_is_exact_fraction():
    g = grade_one([obs("actual", "1", "2022"), obs("target", "3", "2022")])
    assert g.exact_rate * 3 == 1 and g.achievement_rate == Decimal("0.3333")



def test_tolerates_pandas_style_cells():
    nan = float("nan")
    rows = [{"document": "d", "indicator_no": 15.0, "indicator": "x", "component": nan, "measure": "target",
             "fiscal_year": 2022.0, "value": "5500", "direction": nan, "status": "ok"},
            {"document": "d", "indicator_no": "15", "indicator": "x", "component": None, "measure": "actual",
             "fiscal_year": "2022", "value": "5248", "direction": None, "status": "ok"}]
    [g] = grade_indicators(rows, [IndicatorInfo("d", "15", "x", "Ａ")], Legend(), None)
    assert (g.indicator_no, g.recomputed_grade, g.basis_year, g.agrees) == ("15", "B", 2022, False)


def test_a_value_that_is_not_a_number_is_named_not_fatal():
    g = grade_one([obs("target", "五十", "2022"), obs("actual", "40", "2022")], published="B")
    assert g.recomputed_grade == "" and "unparsed" in g.reason


def test_corrected_actual_is_noted():
    g = grade_one([obs("target", "7300", "2022"), obs("actual", "6077", "2022", status="corrected") | {"text": "6.077人"}])
    assert g.recomputed_grade == "B" and "corrected: '6.077人'" in g.reason


def test_compound_target_is_not_graded_on_its_number_alone():
    rows = [obs("target", "10", "2020") | {"text": "制度創設\n10人任命"}, obs("actual", "0", "2020")]
    assert grade_one(rows) is None
    g = grade_one(rows, published="D")
    assert g.recomputed_grade == "D" and "制度創設" in g.reason
    single_line = [obs("target", "3", "2020") | {"text": "3箇所で実施"}, obs("actual", "3", "2020")]
    assert grade_one(single_line).recomputed_grade == "A"


@pytest.mark.parametrize("actual, grade, rate", [("50", "A", "1.0000"), ("40", "A", "1.0000"), ("30", "C", "0.7500"),
                                                 ("75", "B", "0.8000"), ("150", "D", "0.4000")])
@pytest.mark.parametrize("as_one_row", [False, True])
def test_range_target(actual, grade, rate, as_one_row):
    if as_one_row:      # how pipeline.tidy writes it: value = lower bound, upper_value = upper bound
        targets = [obs("target", "40", "2025", direction="increase") | {"bound": "range", "upper_value": "60"}]
    else:
        targets = [obs("target", "40", "2025", direction="increase") | {"bound": "lower"},
                   obs("target", "60", "2025", direction="decrease") | {"bound": "upper"}]
    g = grade_one(targets + [obs("actual", actual, "2024")])
    assert (g.recomputed_grade, g.to_row()["achievement_rate"]) == (grade, rate)
    assert "range target 40..60" in g.reason


def test_upper_bound_target_is_a_decrease():
    g = grade_one([obs("baseline", "3"), obs("target", "5", "2025", direction="decrease"), obs("actual", "6", "2024")])
    assert (g.direction, g.direction_source, g.to_row()["achievement_rate"]) == ("decrease", "target_row", "0.8333")


# --- other cities' reports, graded with the legend each prints ----------------------------

from fractions import Fraction  # noqa: E402
from pathlib import Path  # noqa: E402

import pdfplumber  # noqa: E402

from pipeline.grade.grading import rate_string  # noqa: E402
from pipeline.layouts.common import clean_pages, page_texts, read_legend  # noqa: E402

EDITIONS = Path(__file__).resolve().parents[2] / "shared" / "editions"
EDITION_LEGENDS = {"atsugi_sousei_kpi_r5": "◎>=1;○>=4/5;△>=1/2;×;―=none",
                   "ebina_sousei_sheet_r4": "A>=1;B>=4/5;C>=1/2;D;-=none"}


def _edition_golden(document: str):
    if not (EDITIONS / f"{document}.pdf").exists():
        pytest.skip(f"{EDITIONS} is not in this checkout")
    with pdfplumber.open(EDITIONS / f"{document}.pdf") as pdf:
        legend = Legend.from_printed(read_legend("\n".join(page_texts(clean_pages(pdf)))))
    observations = read_csv(EDITIONS / "answers" / f"{document}.observations.csv")
    keys = read_csv(EDITIONS / "answers" / f"{document}.grades.csv")
    # the key writes what is printed: ―/－ as printed; the reader gives the letters NFKC-normalised
    infos = [IndicatorInfo(k["document"], k["indicator_no"], k["indicator"], k["published_grade"]) for k in keys]
    grades = grade_indicators(observations, infos, legend, [])
    return keys, {g.key: g for g in grades}


@pytest.mark.parametrize("document", sorted(EDITION_LEGENDS))
def test_edition_grades_with_its_printed_legend_match_the_key(document):
    keys, by_key = _edition_golden(document)
    assert set(by_key) == {_key(k) for k in keys}
    wrong = []
    for k in keys:
        got = by_key[_key(k)].to_row()
        for column in ("recomputed_grade", "achievement_rate", "basis_year"):
            if got[column] != k[column]:
                wrong.append((k["indicator_no"], column, k[column], got[column], got["reason"]))
        if got["published_grade"] != k["published_grade"].replace("－", "-"):
            wrong.append((k["indicator_no"], "published_grade", k["published_grade"], got["published_grade"]))
        assert got["legend"] == EDITION_LEGENDS[document]
        if got["rate_exact"]:     # the exact rate is what the rounded one displays
            assert rate_string(Fraction(got["rate_exact"])) == Decimal(got["achievement_rate"])
        else:
            assert got["achievement_rate"] == ""
    assert not wrong


def test_atsugi_decrease_indicator_and_its_labels():
    keys, by_key = _edition_golden("atsugi_sousei_kpi_r5")
    crime = by_key[("atsugi_sousei_kpi_r5", "15", "市内の刑法犯認知件数")]
    assert crime.direction == "decrease"
    assert crime.exact_rate == Fraction(1200, 1265)      # target ÷ actual
    assert (crime.published_grade, crime.recomputed_grade, crime.agrees) == ("◎", "○", False)
    no_actual = by_key[("atsugi_sousei_kpi_r5", "19", "住み続けたいと思う市民の割合(市民意識調査)")]
    assert (no_actual.published_grade, no_actual.recomputed_grade, no_actual.agrees) == ("―", "―", True)


def test_rate_exact_is_the_reduced_fraction_and_the_boundary_is_exact():
    rows = [{"document": "d", "indicator_no": "1", "indicator": "x", "measure": "target", "fiscal_year": "2024",
             "value": "25000", "status": "ok"},
            {"document": "d", "indicator_no": "1", "indicator": "x", "measure": "actual", "fiscal_year": "2022",
             "value": "19999", "status": "ok"}]
    (grade,) = grade_indicators(rows, [IndicatorInfo("d", "1", "x", "Ｂ")], Legend(), [])
    row = grade.to_row()
    assert (row["rate_exact"], row["achievement_rate"], row["recomputed_grade"]) == ("19999/25000", "0.8000", "C")
    assert row["legend"] == "A>=1;B>=4/5;C>=1/2;D;-=none" and row["agrees"] == "false"


def test_a_published_mark_in_another_glyph_is_the_legends_label():
    legend = Legend.from_printed({"◎": "100％以上", "○": "80％以上", "×": "80％未満", "―": "実績なし"})
    rows = [{"document": "d", "indicator_no": "1", "indicator": "x", "measure": "target", "fiscal_year": "2024",
             "value": "100", "status": "ok"},
            {"document": "d", "indicator_no": "1", "indicator": "x", "measure": "actual", "fiscal_year": "2022",
             "value": "90", "status": "ok"}]
    (grade,) = grade_indicators(rows, [IndicatorInfo("d", "1", "x", "〇")], legend, [])
    assert (grade.published_grade, grade.recomputed_grade, grade.agrees) == ("○", "○", True)
