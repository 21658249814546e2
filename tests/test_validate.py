"""Validation stage: the real dataset passes; a planted error of each kind fails its expectation.

The valid dataset is built from the answer keys in ``tests/answers/`` (the exact values of the five
PDFs), completed with the contract columns the keys leave out: ``rate_exact`` is the key's rate as a
fraction and ``legend`` the default legend written as the grade stage writes it. The printed counts
are written by hand from what the KPI report prints (全９本, 33 KPIs, and its 総括表 per basic goal).
Every critical expectation of the committed suites has a planted error here
(``test_every_critical_expectation_has_a_planted_error`` keeps it so).
"""
from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest

from golden import READ_DOCUMENTS
from pipeline.validate import ValidationOutcome, validate
from pipeline.validate.tables import legend_grade, percent_kind
from pipeline.grade.legend import Legend

ROOT = Path(__file__).resolve().parents[1]
ANSWERS = ROOT / "tests" / "answers"
EXPECTATIONS = ROOT / "expectations"
LEGEND = {"A": "1.00", "B": "0.80", "C": "0.50"}

OBSERVATION_COLUMNS = ["document", "municipality", "section", "indicator_no", "indicator", "component", "measure",
                       "fiscal_year", "period_start", "value", "unit", "direction", "status", "text", "page"]
GRADE_COLUMNS = ["document", "indicator_no", "indicator", "published_grade", "recomputed_grade",
                 "achievement_rate", "basis_year", "agrees", "reason"]
MUNICIPALITY = {"hadano_sousei2_strategy": "秦野市"}   # the others are 伊勢原市 (raw/sources.yaml)
# the layout each shipped document is read with (extracted/cells/<document>.json -> layout)
LAYOUTS = {"hadano_sousei2_strategy": "strategy_document", "isehara_kikaku_declaration_h28": "goal_declaration",
           "isehara_plan5_midterm_r2": "project_plan", "isehara_plan6_overview": "plan_brochure",
           "isehara_sousei_kpi_r4": "kpi_report", "atsugi_sousei_kpi_r5": "kpi_report",
           "ebina_sousei_sheet_r4": "verification_sheet", "hiratsuka_plan_seika_r4": "indicator_tables"}
DEFAULT_LEGEND = "A>=1;B>=4/5;C>=1/2;D;-=none"
# the legend a document prints with labels of its own (【評価の区分】 ◎：達成率100％以上 …), as grades.csv writes it
PRINTED_LEGENDS = {"atsugi_sousei_kpi_r5": "◎>=1;○>=4/5;△>=1/2;×;―=none"}

KPI = "isehara_sousei_kpi_r4"
# The KPI report's basic goals as printed in its 総括表, with the goal numbers and KPI numbers
# printed under each goal in the report's tables.
GOALS = [
    ("(1)ポテンシャルを生かした地域産業の振興により、新たな雇用を創出する", range(1, 4), range(1, 13)),
    ("(2)魅力の効果的な発信により、多彩な人の流れをつくる", range(4, 6), range(13, 18)),
    ("(3)若い世代の結婚・妊娠・出産・子育ての希望に応え、選ばれるまちをつくる", range(6, 8), range(18, 26)),
    ("(4)持続可能な地域社会を築き、健康で快適な暮らしを創出する", range(8, 10), range(26, 34)),
]
# What the KPI report prints about itself (全９本の指標; 33 KPIs; per goal in the 総括表).
PRINTED_COUNTS = [
    (KPI, "goal", "", "9"), (KPI, "kpi", "", "33"),
    (KPI, "goal", GOALS[0][0], "3"), (KPI, "kpi", GOALS[0][0], "12"),
    (KPI, "goal", GOALS[1][0], "2"), (KPI, "kpi", GOALS[1][0], "5"),
    (KPI, "goal", GOALS[2][0], "2"), (KPI, "kpi", GOALS[2][0], "8"),
    (KPI, "goal", GOALS[3][0], "2"), (KPI, "kpi", GOALS[3][0], "8"),
]


def _read(pattern: str) -> pd.DataFrame:
    frames = [pd.read_csv(p, dtype=str, keep_default_na=False) for p in sorted(ANSWERS.glob(pattern))
              if p.name.split(".")[0] in READ_DOCUMENTS]
    return pd.concat(frames, ignore_index=True).astype(object)


def valid_dataset() -> dict[str, pd.DataFrame]:
    """The answer keys as pipeline outputs (all cells as text, empty = '')."""
    obs = _read("*.observations.csv")
    # keys mark a few cells 'ambiguous'; the pipeline's statuses are ok (a value) or qualitative
    ambiguous = obs["status"] == "ambiguous"
    obs.loc[ambiguous, "status"] = ["ok" if v else "qualitative" for v in obs.loc[ambiguous, "value"]]
    obs["municipality"] = [MUNICIPALITY.get(d, "伊勢原市") for d in obs["document"]]
    obs["section"] = ""
    obs["text"] = [(v + u) if v else (d or s) for v, u, d, s in zip(obs["value"], obs["unit"], obs["direction"], obs["status"])]
    obs["page"] = "1"
    obs = obs[OBSERVATION_COLUMNS]
    for extra in ("note", "department", "calendar_year", "bound"):   # extra columns of FILES.md
        obs[extra] = ""

    grades = _read("*.grades.csv")
    grades["agrees"] = ["" if not p or not r else str(p == r).lower()
                        for p, r in zip(grades["published_grade"], grades["recomputed_grade"])]
    grades = grades[GRADE_COLUMNS].copy()
    grades["rate_exact"] = [_fraction(r) for r in grades["achievement_rate"]]
    grades["legend"] = [PRINTED_LEGENDS.get(d, DEFAULT_LEGEND) for d in grades["document"]]

    indicators = obs[["document", "indicator_no", "indicator"]].drop_duplicates().reset_index(drop=True)
    indicators["kind"], indicators["group"] = "", ""
    kpi_rows = grades[grades["document"] == KPI].reset_index(drop=True)
    first_kpi = int(kpi_rows.index[kpi_rows["indicator_no"].astype(int).diff().fillna(1) < 0][0])
    for position, row in kpi_rows.iterrows():
        kind = "goal" if position < first_kpi else "kpi"
        number = int(row["indicator_no"])
        group = next(g for g, goals, kpis in GOALS if number in (goals if kind == "goal" else kpis))
        mask = (indicators["document"] == KPI) & (indicators["indicator"] == row["indicator"])
        indicators.loc[mask, ["kind", "group"]] = [kind, group]
    printed = pd.DataFrame(PRINTED_COUNTS, columns=["document", "kind", "group", "count"])
    return {"observations": obs, "grades": grades, "indicators": indicators, "printed_counts": printed}


def _fraction(rate: str) -> str:
    if not rate:
        return ""
    f = Fraction(rate)
    return f"{f.numerator}/{f.denominator}" if f.denominator != 1 else str(f.numerator)


def write(dataset: dict[str, pd.DataFrame], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in dataset.items():
        frame.to_csv(folder / f"{name}.csv", index=False)
    return folder


@pytest.fixture(scope="module")
def dataset() -> dict[str, pd.DataFrame]:
    return valid_dataset()


@pytest.fixture(scope="module")
def valid_run(dataset, tmp_path_factory) -> tuple[ValidationOutcome, Path]:
    base = tmp_path_factory.mktemp("valid")
    out = base / "validation"
    return validate(write(dataset, base / "extracted"), EXPECTATIONS, out, LEGEND, layouts=LAYOUTS), out


def only_suite(suite: str, tmp_path: Path) -> Path:
    """An expectations folder with just the committed suite ``suite`` (the full set runs on the
    valid dataset)."""
    folder = tmp_path / "expectations"
    source = next(p for p in EXPECTATIONS.rglob("*.json") if json.loads(p.read_text(encoding="utf-8"))["name"] == suite)
    target = folder / source.relative_to(EXPECTATIONS)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(source.read_bytes())
    return folder


def run_planted(dataset, tmp_path, table: str, change, suite: str | None = None, layouts=None) -> ValidationOutcome:
    planted = {name: frame.copy() for name, frame in dataset.items()}
    planted[table] = change(planted[table])
    suites = only_suite(suite, tmp_path) if suite else EXPECTATIONS
    return validate(write(planted, tmp_path / "extracted"), suites, tmp_path / "validation", LEGEND,
                    layouts=LAYOUTS if layouts is None else layouts, data_docs=False)


def failed(outcome: ValidationOutcome, suite: str, expectation: str, column: str | None, severity="critical"):
    found = [f for f in outcome.failed_expectations()
             if f.suite == suite and f.expectation == expectation and f.column == column and f.severity == severity]
    assert found, f"expected {severity} {expectation}({column}) of {suite} to fail; failures:\n{outcome.summary()}"
    return found


# ----- the real dataset -----

def test_real_dataset_passes(valid_run, dataset):
    outcome, out = valid_run
    assert outcome.passed, outcome.summary()
    assert not outcome.critical
    assert outcome.suites_run == ["observations", "grades", "indicator_counts"]   # one pass per table
    layout_suites = {p.stem for p in (EXPECTATIONS / "layouts").glob("*.json")}
    assert {s.split(".")[0] for s in layout_suites} == set(LAYOUTS.values())
    committed = sum(len(json.loads(p.read_text(encoding="utf-8"))["expectations"]) for p in EXPECTATIONS.rglob("*.json"))
    assert outcome.expectations_run == committed   # every layout has rows here, so every expectation runs


def test_results_and_data_docs_are_written(valid_run):
    outcome, out = valid_run
    assert (out / "data_docs" / "index.html").is_file()
    assert outcome.data_docs == out / "data_docs" / "index.html"
    written = json.loads((out / "outcome.json").read_text(encoding="utf-8"))
    assert written["passed"] is True
    assert written["suites_run"] == outcome.suites_run
    results = json.loads((out / "results" / "observations.json").read_text(encoding="utf-8"))
    assert results["success"] is True and len(results["results"]) > 40
    assert not list(out.parent.glob(".validation.*")), "the staging folder is left behind"
    html = (out / "data_docs" / "index.html").read_text(encoding="utf-8")
    assert "observations" in html


def test_committed_suites_are_not_rewritten(dataset, tmp_path):
    before = {p: p.read_bytes() for p in EXPECTATIONS.rglob("*.json")}
    validate(write(dataset, tmp_path / "extracted"), EXPECTATIONS, tmp_path / "validation", LEGEND, data_docs=False)
    assert {p: p.read_bytes() for p in EXPECTATIONS.rglob("*.json")} == before
    for text in before.values():
        suite = json.loads(text)
        assert "id" not in suite and all("id" not in e for e in suite["expectations"])
        assert all(e["severity"] in ("critical", "warning") for e in suite["expectations"])


# ----- planted errors -----

def _first(obs, condition):
    rows = obs.index[condition]
    assert len(rows), "the answer keys have no row for this plant"
    return rows[0]


def set_cell(condition, **values):
    def change(frame):
        row = _first(frame, condition(frame))
        for column, value in values.items():
            frame.loc[row, column] = value
        return frame
    return change


def ok_value(obs):
    return (obs["status"] == "ok") & (obs["value"] != "") & (obs["direction"] == "")


def append_copy(condition):
    def change(frame):
        return pd.concat([frame, frame.loc[[_first(frame, condition(frame))]]], ignore_index=True)
    return change


def drop_row(condition):
    def change(frame):
        return frame.drop(index=_first(frame, condition(frame))).reset_index(drop=True)
    return change


def grade_row(obs, grade="B"):
    """Graded rows with a rate and no published grade (so that changing the recomputed grade plants one
    error, not also a disagreement with what the report prints)."""
    return (obs["recomputed_grade"] == grade) & (obs["achievement_rate"] != "") & (obs["published_grade"] == "")


def rename_document(old: str, new: str):
    """A new edition of a layout: the same rows under another document name (all tables)."""
    def change(frame):
        frame = frame.copy()
        frame.loc[frame["document"] == old, "document"] = new
        return frame
    return change


def set_rate(rate_exact: str, printed: str, grade: str):
    """A graded row given another exact rate, printed rate and recomputed grade (``agrees`` kept consistent)."""
    def change(frame):
        row = _first(frame, grade_row(frame))
        published = frame.loc[row, "published_grade"]
        frame.loc[row, ["rate_exact", "achievement_rate", "recomputed_grade", "agrees"]] = [
            rate_exact, printed, grade, "" if not published or not grade else str(published == grade).lower()]
        return frame
    return change


PLAN = "isehara_plan5_midterm_r2"
DECLARATION = "isehara_kikaku_declaration_h28"

PLANTS = [
    # id, table, change, suite, expectation, column, words in the message
    ("bad measure", "observations", set_cell(lambda o: o["measure"] == "actual", measure="result"),
     "observations", "expect_column_values_to_be_in_set", "measure", "'result'"),
    ("bad status", "observations", set_cell(lambda o: o["status"] == "qualitative", status="ambiguous"),
     "observations", "expect_column_values_to_be_in_set", "status", "'ambiguous'"),
    ("bad direction", "observations", set_cell(lambda o: o["direction"] == "increase", direction="up"),
     "observations", "expect_column_values_to_be_in_set", "direction", "'up'"),
    ("year 1900", "observations", set_cell(lambda o: o["fiscal_year"] == "2022", fiscal_year="1900"),
     "observations", "expect_column_values_to_be_between", "fiscal_year", "1900"),
    ("period start 2061", "observations", set_cell(lambda o: o["period_start"] != "", period_start="2061"),
     "observations", "expect_column_values_to_be_between", "period_start", "2061"),
    ("page 0", "observations", set_cell(ok_value, page="0"),
     "observations", "expect_column_values_to_be_between", "page", "0"),
    ("year not a number", "observations", set_cell(lambda o: o["fiscal_year"] == "2022", fiscal_year="R4"),
     "observations", "expect_column_values_to_be_in_type_list", "fiscal_year", "'R4'"),
    ("period start not a number", "observations", set_cell(lambda o: o["period_start"] != "", period_start="H29"),
     "observations", "expect_column_values_to_be_in_type_list", "period_start", "'H29'"),
    ("page not a number", "observations", set_cell(ok_value, page="p.3"),
     "observations", "expect_column_values_to_be_in_type_list", "page", "'p.3'"),
    ("value not a number", "observations", set_cell(ok_value, value="12a"),
     "observations", "expect_column_values_to_be_in_type_list", "value", "'12a'"),
    ("duplicate key", "observations", append_copy(lambda o: o["document"] == KPI),
     "observations", "expect_compound_columns_to_be_unique", None, KPI),
    ("ok row without value", "observations", set_cell(ok_value, value=""),
     "observations", "expect_column_values_to_not_be_null", "reading", "status IN (ok, corrected)"),
    ("not_available row with value", "observations",
     set_cell(lambda o: o["status"] == "not_available", value="5", unit="人"),
     "observations", "expect_column_values_to_be_null", "value", "5.0"),
    ("missing municipality", "observations", set_cell(lambda o: o["document"] != "", municipality=""),
     "observations", "expect_column_values_to_not_be_null", "municipality", "1 of"),
    ("missing document", "observations", set_cell(lambda o: o["document"] == KPI, document=""),
     "observations", "expect_column_values_to_not_be_null", "document", "1 of"),
    ("missing indicator", "observations", set_cell(ok_value, indicator=""),
     "observations", "expect_column_values_to_not_be_null", "indicator", "1 of"),
    ("missing measure", "observations", set_cell(ok_value, measure=""),
     "observations", "expect_column_values_to_not_be_null", "measure", "1 of"),
    ("missing status", "observations", set_cell(ok_value, status=""),
     "observations", "expect_column_values_to_not_be_null", "status", "1 of"),
    ("missing page", "observations", set_cell(ok_value, page=""),
     "observations", "expect_column_values_to_not_be_null", "page", "1 of"),
    ("plan outcome value without its year", "observations",
     set_cell(lambda o: o["document"] == "hiratsuka_plan_seika_r4", fiscal_year=""),
     "indicator_tables.observations", "expect_column_values_to_not_be_null", "fiscal_year", "hiratsuka_plan_seika_r4"),
    ("verification sheet value without its year", "observations",
     set_cell(lambda o: o["document"] == "ebina_sousei_sheet_r4", fiscal_year=""),
     "verification_sheet.observations", "expect_column_values_to_not_be_null", "fiscal_year", "ebina_sousei_sheet_r4"),
    ("KPI without its number", "observations", set_cell(lambda o: o["document"] == KPI, indicator_no=""),
     "kpi_report.observations", "expect_column_values_to_not_be_null", "indicator_no", KPI),
    ("plan project without its number", "observations", set_cell(lambda o: o["document"] == PLAN, indicator_no=""),
     "project_plan.observations", "expect_column_values_to_not_be_null", "indicator_no", PLAN),
    ("declaration value without a year", "observations",
     set_cell(lambda o: (o["document"] == DECLARATION) & (o["status"] == "ok"), fiscal_year=""),
     "goal_declaration.observations", "expect_column_values_to_not_be_null", "fiscal_year", DECLARATION),
    ("sheet value without a year", "observations",
     set_cell(lambda o: (o["document"] == "ebina_sousei_sheet_r4") & (o["status"] == "ok"), fiscal_year=""),
     "verification_sheet.observations", "expect_column_values_to_not_be_null", "fiscal_year", "ebina_sousei_sheet_r4"),
    ("table value without a year", "observations",
     set_cell(lambda o: (o["document"] == "hiratsuka_plan_seika_r4") & (o["status"] == "ok"), fiscal_year=""),
     "indicator_tables.observations", "expect_column_values_to_not_be_null", "fiscal_year", "hiratsuka_plan_seika_r4"),
    ("bad grade letter", "grades", set_cell(lambda g: g["recomputed_grade"] == "-", recomputed_grade="E"),
     "grades", "expect_column_values_to_be_in_set", "recomputed_grade", "'E'"),
    ("bad published letter", "grades", set_cell(lambda g: g["published_grade"] == "A", published_grade="AA"),
     "grades", "expect_column_values_to_be_in_set", "published_grade", "'AA'"),
    ("grade inconsistent with the exact rate", "grades", set_rate("19999/25000", "0.8000", "B"),
     "grades", "expect_column_pair_values_to_be_equal", "recomputed_grade", "B"),
    ("printed rate is not the exact rate rounded", "grades", set_rate("4/5", "0.9000", "B"),
     "grades", "expect_column_values_to_be_in_set", "rate_matches_exact", "'false'"),
    ("unreadable legend", "grades", set_cell(grade_row, legend="A>=1;B>=4/5"),
     "grades", "expect_column_values_to_not_be_null", "legend_grade", "1 of"),
    ("agrees inconsistent", "grades", set_cell(lambda g: (g["agrees"] == "false") & (g["document"] == KPI), agrees="true"),
     "grades", "expect_column_pair_values_to_be_equal", "agrees", KPI),
    ("agrees not a boolean", "grades", set_cell(lambda g: g["agrees"] == "false", agrees="no"),
     "grades", "expect_column_values_to_be_in_set", "agrees", "'no'"),
    ("basis year 1900", "grades", set_cell(grade_row, basis_year="1900"),
     "grades", "expect_column_values_to_be_between", "basis_year", "1900"),
    ("basis year not a number", "grades", set_cell(grade_row, basis_year="FY2022"),
     "grades", "expect_column_values_to_be_in_type_list", "basis_year", "'FY2022'"),
    ("rate not a number", "grades", set_cell(grade_row, achievement_rate="95%"),
     "grades", "expect_column_values_to_be_in_type_list", "achievement_rate", "'95%'"),
    ("grade without document", "grades", set_cell(grade_row, document=""),
     "grades", "expect_column_values_to_not_be_null", "document", "1 of"),
    ("grade without indicator", "grades", set_cell(grade_row, indicator=""),
     "grades", "expect_column_values_to_not_be_null", "indicator", "1 of"),
    ("two grades for one indicator", "grades", append_copy(grade_row),
     "grades", "expect_compound_columns_to_be_unique", None, "2 of"),
    ("KPI without its printed grade", "grades", set_cell(lambda g: g["document"] == KPI, published_grade=""),
     "kpi_report.grades", "expect_column_values_to_not_be_null", "published_grade", KPI),
    ("graded KPI without its number", "grades", set_cell(lambda g: g["document"] == KPI, indicator_no=""),
     "kpi_report.grades", "expect_column_values_to_not_be_null", "indicator_no", KPI),
    ("indicator count off by one", "indicators",
     drop_row(lambda i: (i["document"] == KPI) & (i["kind"] == "kpi")),
     "indicator_counts", "expect_column_pair_values_to_be_equal", "extracted_count", f"{KPI} / kpi"),
    ("printed count off by one", "printed_counts",
     set_cell(lambda p: (p["kind"] == "goal") & (p["group"] == ""), count="10"),
     "indicator_counts", "expect_column_pair_values_to_be_equal", "extracted_count", f"{KPI} / goal"),
    ("printed count not a number", "printed_counts",
     set_cell(lambda p: (p["kind"] == "goal") & (p["group"] == ""), count="九"),
     "indicator_counts", "expect_column_values_to_be_in_type_list", "printed_count", "'九'"),
]


@pytest.mark.parametrize("name,table,change,suite,expectation,column,words", PLANTS, ids=[p[0] for p in PLANTS])
def test_planted_error_fails_its_expectation(dataset, tmp_path, name, table, change, suite, expectation, column, words):
    outcome = run_planted(dataset, tmp_path, table, change, suite)
    assert not outcome.passed
    found = failed(outcome, suite, expectation, column)
    assert any(words in f.message for f in found), "\n".join(map(str, found))
    assert all("\n" not in str(f) for f in outcome.failed_expectations())


def no_units(frame):
    frame = frame.copy()
    frame.loc[frame["status"] == "ok", "unit"] = ""
    return frame


WARNING_PLANTS = [
    # id, table, change, suite, expectation, column
    ("unparsed cell", "observations", set_cell(lambda o: o["status"] == "not_available", status="unparsed"),
     "observations", "expect_column_values_to_not_be_in_set", "status"),
    ("cell without its text", "observations", set_cell(ok_value, text=""),
     "observations", "expect_column_values_to_not_be_null", "text"),
    ("values without units", "observations", no_units,
     "observations", "expect_column_values_to_not_be_null", "unit"),
    ("range starting after its year", "observations", set_cell(lambda o: o["period_start"] != "", period_start="2059"),
     "observations", "expect_column_pair_values_a_to_be_greater_than_b", "fiscal_year"),
    ("bad calendar_year", "observations", set_cell(ok_value, calendar_year="yes"),
     "observations", "expect_column_values_to_be_in_set", "calendar_year"),
    ("bad bound", "observations", set_cell(lambda o: o["measure"] == "target", bound="upto"),
     "observations", "expect_column_values_to_be_in_set", "bound"),
    ("250% share", "observations", set_cell(lambda o: o["indicator"] == "自治会加入割合", value="250"),
     "observations", "expect_column_values_to_be_between", "value"),
    ("1500% ratio", "observations", set_cell(ok_value, indicator="消防団員の充足率", unit="%", value="1500"),
     "observations", "expect_column_values_to_be_between", "value"),
    ("-1500% change", "observations", set_cell(ok_value, indicator="人口の増減率", unit="%", value="-1500"),
     "observations", "expect_column_values_to_be_between", "value"),
    ("no recomputed grade", "grades", set_cell(grade_row, recomputed_grade="", agrees="", rate_exact="",
                                                 achievement_rate=""),
     "grades", "expect_column_values_to_not_be_null", "recomputed_grade"),
    ("no reason", "grades", set_cell(grade_row, reason=""),
     "grades", "expect_column_values_to_not_be_null", "reason"),
    ("KPI number not digits", "observations", set_cell(lambda o: o["document"] == KPI, indicator_no="一"),
     "kpi_report.observations", "expect_column_values_to_match_regex", "indicator_no"),
    ("KPI report with an interim target", "observations", set_cell(lambda o: o["document"] == KPI, measure="interim_target"),
     "kpi_report.observations", "expect_column_values_to_be_in_set", "measure"),
    ("project number not policy-project", "observations", set_cell(lambda o: o["document"] == PLAN, indicator_no="6101"),
     "project_plan.observations", "expect_column_values_to_match_regex", "indicator_no"),
    ("project plan with a printed grade", "grades", set_cell(lambda g: g["document"] == PLAN, published_grade="A"),
     "project_plan.grades", "expect_column_values_to_be_null", "published_grade"),
    ("declaration number not digits", "observations", set_cell(lambda o: o["document"] == DECLARATION, indicator_no="①"),
     "goal_declaration.observations", "expect_column_values_to_match_regex", "indicator_no"),
    ("declaration with a printed grade", "grades", set_cell(lambda g: g["document"] == DECLARATION, published_grade="A"),
     "goal_declaration.grades", "expect_column_values_to_be_null", "published_grade"),
] + [
    plant for layout, document in (("strategy_document", "hadano_sousei2_strategy"), ("plan_brochure", "isehara_plan6_overview"))
    for plant in (
        (f"{layout} numbered", "observations", set_cell(lambda o, d=document: o["document"] == d, indicator_no="1"),
         f"{layout}.observations", "expect_column_values_to_be_null", "indicator_no"),
        (f"{layout} with an actual", "observations", set_cell(lambda o, d=document: o["document"] == d, measure="actual"),
         f"{layout}.observations", "expect_column_values_to_not_be_in_set", "measure"),
        (f"{layout} value without a year", "observations",
         set_cell(lambda o, d=document: (o["document"] == d) & (o["status"] == "ok"), fiscal_year=""),
         f"{layout}.observations", "expect_column_values_to_not_be_null", "fiscal_year"))
]


@pytest.mark.parametrize("name,table,change,suite,expectation,column", WARNING_PLANTS, ids=[p[0] for p in WARNING_PLANTS])
def test_planted_warning_is_reported_and_does_not_fail(dataset, tmp_path, name, table, change, suite, expectation, column):
    outcome = run_planted(dataset, tmp_path, table, change, suite)
    assert outcome.passed, outcome.summary()
    failed(outcome, suite, expectation, column, severity="warning")


def test_every_warning_has_a_planted_case():
    planted = {(p[3], p[4], p[5]) for p in WARNING_PLANTS}
    missing = []
    for path in EXPECTATIONS.rglob("*.json"):
        suite = json.loads(path.read_text(encoding="utf-8"))
        for e in suite["expectations"]:
            kwargs = e["kwargs"]
            key = (suite["name"], e["type"], kwargs.get("column") or kwargs.get("column_A"))
            if e["severity"] == "warning" and key not in planted and key != ("grades", "expect_column_values_to_be_in_set", "agrees"):
                missing.append(key)
    # agrees == true is the disagreement warning: the real dataset itself reports it (test_real_dataset_reports_disagreements)
    assert not missing, f"warnings without a planted case: {missing}"


def test_real_dataset_reports_disagreements(valid_run, dataset):
    outcome, _ = valid_run
    grades = dataset["grades"]
    disagreeing = int((grades["agrees"] == "false").sum())
    assert disagreeing > 0
    found = failed(outcome, "grades", "expect_column_values_to_be_in_set", "agrees", severity="warning")
    assert found[0].message.split(" — ")[1].startswith(f"{disagreeing} of {len(grades)} rows")


def test_check_fails_naming_the_planted_expectation(dataset, tmp_path):
    """The run's verdict (the ``check`` stage) fails and names the expectation."""
    from pipeline.stages.validate import verdict

    outcome = run_planted(dataset, tmp_path, "grades", set_rate("19999/25000", "0.8000", "B"), "grades")
    assert not outcome.passed
    failures = verdict(tmp_path, {"run": {"fail_on_document_errors": True}})
    assert len(failures) == 1, failures
    assert failures[0].startswith("expectation failed: grades: each recomputed grade is the grade its legend gives")


COLUMN_DROPS = [("observations", OBSERVATION_COLUMNS, "observations"), ("grades", GRADE_COLUMNS, "grades")]


@pytest.mark.parametrize("table,columns,suite", COLUMN_DROPS, ids=[c[0] for c in COLUMN_DROPS])
def test_each_missing_contract_column_is_named(dataset, tmp_path, table, columns, suite):
    outcome = run_planted(dataset, tmp_path, table, lambda f: f.drop(columns=columns), suite)
    for column in columns:
        found = failed(outcome, suite, "expect_table_columns_to_match_set", column)
        assert len(found) == 1 and f"column `{column}` missing" in found[0].message


@pytest.mark.parametrize("table,column", [("observations", "value"), ("observations", "page"), ("grades", "agrees")])
def test_one_missing_column_is_named_once(dataset, tmp_path, table, column):
    """All the contract's columns are one table-level check; dropping one names that one, once."""
    outcome = run_planted(dataset, tmp_path, table, lambda f: f.drop(columns=[column]), table)
    assert not outcome.passed
    checks = [f for f in outcome.critical if f.expectation == "expect_table_columns_to_match_set"]
    assert [(f.suite, f.column) for f in checks] == [(table, column)], outcome.summary()
    assert f"column `{column}` missing" in checks[0].message and "\n" not in checks[0].message


def test_every_critical_expectation_has_a_planted_error():
    planted = {(p[3], p[4], p[5]) for p in PLANTS}
    planted |= {(suite, "expect_table_columns_to_match_set", None) for _, _, suite in COLUMN_DROPS}
    missing = []
    for path in EXPECTATIONS.rglob("*.json"):
        suite = json.loads(path.read_text(encoding="utf-8"))
        for e in suite["expectations"]:
            kwargs = e["kwargs"]
            key = (suite["name"], e["type"], kwargs.get("column") or kwargs.get("column_A"))
            if e["severity"] == "critical" and key not in planted:
                missing.append(key)
    assert not missing, f"critical expectations without a planted-error test: {missing}"


def test_a_new_edition_of_a_layout_gets_its_layout_checks(dataset, tmp_path):
    """Another file name, same layout: the kpi_report checks still apply (not keyed by file name)."""
    edition = "isehara_sousei_kpi_r7"
    planted = {name: rename_document(KPI, edition)(frame) for name, frame in dataset.items()}
    row = planted["grades"].index[planted["grades"]["document"] == edition][0]
    planted["grades"].loc[row, ["published_grade", "agrees"]] = ["", ""]
    layouts = {**{d: l for d, l in LAYOUTS.items() if d != KPI}, edition: "kpi_report"}
    outcome = validate(write(planted, tmp_path / "extracted"), EXPECTATIONS, tmp_path / "validation", LEGEND,
                       layouts=layouts, data_docs=False)
    found = failed(outcome, "kpi_report.grades", "expect_column_values_to_not_be_null", "published_grade")
    assert edition in found[0].message and "(kpi_report documents)" in found[0].message
    assert len(outcome.critical) == 1, outcome.summary()


def test_a_layout_without_a_suite_gets_the_table_checks_and_says_so(dataset, tmp_path):
    layouts = {**LAYOUTS, KPI: "generic_table"}
    outcome = run_planted(dataset, tmp_path, "grades", set_rate("19999/25000", "0.8000", "B"), layouts=layouts)
    failed(outcome, "grades", "expect_column_pair_values_to_be_equal", "recomputed_grade")
    notes = [f for f in outcome.warnings if f.expectation == "layout_suite"]
    assert any("generic_table" in f.message for f in notes), outcome.summary()


def test_a_document_that_prints_no_count_says_so(valid_run, dataset):
    outcome, _ = valid_run
    counted = set(dataset["printed_counts"]["document"])
    silent = sorted(set(dataset["observations"]["document"]) - counted)
    assert silent
    notes = [f.message for f in outcome.warnings if f.expectation == "printed_count"]
    assert [n.split(" ")[0] for n in notes] == silent


@pytest.mark.parametrize("rate_exact,printed,grade", [
    ("19999/25000", "0.8000", "C"),     # exactly C although it prints as 0.8000
    ("4/5", "0.8000", "B"),             # the boundary itself is B
    ("1/2", "0.5000", "C"),
    ("-3/10", "-0.3000", "D"),          # a △ actual against a positive target: a negative rate is correct
    ("", "", "-"),
])
def test_correct_grades_pass_exactly(dataset, tmp_path, rate_exact, printed, grade):
    outcome = run_planted(dataset, tmp_path, "grades", set_rate(rate_exact, printed, grade), "grades")
    assert outcome.passed, outcome.summary()


def test_a_negative_exact_rate_written_formula_safe_is_read(dataset, tmp_path):
    """The CSV writer puts ``'`` before ``-1/260`` (a spreadsheet would run it); validation reads it back."""
    outcome = run_planted(dataset, tmp_path, "grades", set_rate("'-1/260", "-0.0038", "D"), "grades")
    assert outcome.passed, outcome.summary()
    assert not [f for f in outcome.warnings if f.suite == "grades"
                and f.expectation in ("expect_column_values_to_not_be_null", "expect_column_values_to_be_in_set")
                and f.column in ("legend_grade", "rate_matches_exact")]


def test_grades_in_a_printed_symbol_legend(dataset, tmp_path):
    """A document printing ◎○△× is checked with its own labels."""
    def symbols(grades):
        grades = grades.copy()
        kpi = grades["document"] == KPI
        mapping = {"A": "◎", "B": "○", "C": "△", "D": "×", "-": "―"}
        for column in ("published_grade", "recomputed_grade"):
            grades.loc[kpi, column] = grades.loc[kpi, column].map(lambda g: mapping.get(g, g))
        grades.loc[kpi, "legend"] = "◎>=1;○>=4/5;△>=1/2;×;―=none"
        return grades
    outcome = run_planted(dataset, tmp_path, "grades", symbols, "grades")
    assert outcome.passed, outcome.summary()
    wrong = lambda g: set_cell(lambda f: (f["document"] == KPI) & (f["recomputed_grade"] == "○"), recomputed_grade="◎")(symbols(g))
    outcome = run_planted(dataset, tmp_path, "grades", wrong, "grades")
    failed(outcome, "grades", "expect_column_pair_values_to_be_equal", "recomputed_grade")


def test_old_output_without_exact_rate_is_checked_from_the_observations(tmp_path):
    """No ``rate_exact``/``legend`` columns: the rate is recomputed exactly from the observations
    (19999 / 25000 is C although the printed rate is 0.8000), never from the rounded decimal."""
    obs = pd.DataFrame([
        ["d", "市", "", "1", "転入者数", "", m, y, "", v, "人", "", "ok", v + "人", "1"]
        for m, y, v in (("baseline", "2019", "20000"), ("actual", "2022", "19999"), ("target", "2024", "25000"))],
        columns=OBSERVATION_COLUMNS)
    indicators = pd.DataFrame([["d", "1", "転入者数", "", ""]], columns=["document", "indicator_no", "indicator", "kind", "group"])
    printed = pd.DataFrame([["d", "", "", "1"]], columns=["document", "kind", "group", "count"])
    for grade, passes in (("C", True), ("B", False)):
        grades = pd.DataFrame([["d", "1", "転入者数", "", grade, "0.8000", "2022", "", "rate = 19999 / 25000"]],
                              columns=GRADE_COLUMNS)
        folder = write({"observations": obs, "grades": grades, "indicators": indicators, "printed_counts": printed},
                       tmp_path / grade)
        outcome = validate(folder, only_suite("grades", tmp_path / grade), tmp_path / grade / "validation", LEGEND,
                           data_docs=False)
        assert outcome.passed is passes, outcome.summary()


def test_missing_file_is_named_and_the_rest_still_runs(dataset, tmp_path):
    folder = write(dataset, tmp_path / "extracted")
    (folder / "grades.csv").unlink()
    outcome = validate(folder, EXPECTATIONS, tmp_path / "validation", LEGEND, layouts=LAYOUTS, data_docs=False)
    problems = [f for f in outcome.critical if f.expectation == "input"]
    assert len(problems) == 1 and "grades.csv" in problems[0].message and "file missing" in problems[0].message
    assert "observations" in outcome.suites_run and "grades" not in outcome.suites_run


def test_bad_suite_file_is_named(dataset, tmp_path):
    suites = tmp_path / "expectations"
    suites.mkdir()
    (suites / "broken.json").write_text(json.dumps({
        "name": "broken", "meta": {"table": "observations"},
        "expectations": [{"type": "expect_column_to_exist", "kwargs": {"column": "text"}}]}), encoding="utf-8")
    outcome = validate(write(dataset, tmp_path / "extracted"), suites, tmp_path / "validation", LEGEND,
                       data_docs=False)
    assert not outcome.passed
    assert "broken.json" in outcome.critical[0].message and "severity" in outcome.critical[0].message


def test_a_layout_suite_must_name_its_layout(dataset, tmp_path):
    suites = tmp_path / "expectations"
    (suites / "layouts").mkdir(parents=True)
    (suites / "layouts" / "x.observations.json").write_text(json.dumps({
        "name": "x.observations", "meta": {"table": "observations"},
        "expectations": [{"type": "expect_column_to_exist", "kwargs": {"column": "text"}, "severity": "critical"}]}),
        encoding="utf-8")
    outcome = validate(write(dataset, tmp_path / "extracted"), suites, tmp_path / "validation", LEGEND,
                       data_docs=False)
    assert "x.observations.json" in outcome.critical[0].message and "meta.layout" in outcome.critical[0].message


def test_unknown_expectation_is_not_silently_dropped(dataset, tmp_path):
    suites = tmp_path / "expectations"
    suites.mkdir()
    (suites / "typo.json").write_text(json.dumps({
        "name": "typo", "meta": {"table": "observations"},
        "expectations": [
            {"type": "expect_column_to_exist", "kwargs": {"column": "text"}, "severity": "critical"},
            {"type": "expect_column_values_to_be_in_sett", "kwargs": {"column": "measure", "value_set": ["actual"]},
             "severity": "critical"}]}), encoding="utf-8")
    outcome = validate(write(dataset, tmp_path / "extracted"), suites, tmp_path / "validation", LEGEND,
                       data_docs=False)
    assert not outcome.passed
    assert "typo.json" in outcome.critical[0].message
    assert "expect_column_values_to_be_in_sett" in outcome.critical[0].message


def test_derived_columns():
    assert legend_grade("1.0000", Legend()) == "A"
    assert legend_grade("0.4999", Legend()) == "D"
    assert legend_grade("0.5", Legend()) == "C"
    assert legend_grade("", Legend()) == "-" or legend_grade(None, Legend()) == "-"
    assert legend_grade("n/a", Legend()) is None
    assert percent_kind("市域の二酸化炭素排出量の削減率") == "change"
    assert percent_kind("経常収支比率") == "ratio"
    assert percent_kind("下水道の普及率") == "share"
    assert Decimal("1.20") / Decimal("1.50") == Decimal("0.8")


def test_runs_offline(dataset, tmp_path, monkeypatch):
    """No network in CI: any connection attempt (analytics, version check, CDN) fails the test."""
    import socket

    attempts = []

    def refuse(self, address, *args, **kwargs):
        attempts.append(address)
        raise OSError(f"network disabled in tests: {address}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    outcome = validate(write(dataset, tmp_path / "extracted"), EXPECTATIONS, tmp_path / "validation", LEGEND)
    assert outcome.passed, outcome.summary()
    assert attempts == []





def test_layout_suites_of_absent_layouts_are_not_evaluated(dataset, tmp_path):
    """No thrown-away work: a run with only the KPI report evaluates the table suites and its layout's suites."""
    only = {name: frame[frame["document"] == KPI].reset_index(drop=True) for name, frame in dataset.items()}
    outcome = validate(write(only, tmp_path / "extracted"), EXPECTATIONS, tmp_path / "validation", LEGEND,
                       layouts={KPI: "kpi_report"}, data_docs=False)
    assert outcome.passed, outcome.summary()
    count = {p.name: len(json.loads(p.read_text(encoding="utf-8"))["expectations"])
             for p in [*EXPECTATIONS.glob("*.json"), *(EXPECTATIONS / "layouts").glob("kpi_report.*.json")]}
    assert outcome.expectations_run == sum(count.values())
