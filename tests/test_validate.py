"""Validation stage: the real dataset passes; a planted error of each kind fails its expectation.

The valid dataset is built from the answer keys in ``tests/answers/`` (the exact values of the five
PDFs), completed with the contract columns the keys leave out. The printed counts are written by
hand from what the KPI report prints (全９本, 33 KPIs, and its 総括表 per basic goal).
"""
from __future__ import annotations

import json
from functools import lru_cache
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from golden import READ_DOCUMENTS
from pipeline.validate import ValidationOutcome
from pipeline.validate import validate as run_validation
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
    grades = grades[GRADE_COLUMNS]

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
    return validate(write(dataset, base / "extracted"), EXPECTATIONS, out, LEGEND), out


def validate(*args, **kwargs):
    """``pipeline.validate.validate`` with the legends the documents print (as the pipeline passes them),
    a test's own ``document_legends`` taking precedence."""
    kwargs["document_legends"] = {**printed_legends(), **(kwargs.get("document_legends") or {})}
    return run_validation(*args, **kwargs)


@lru_cache(maxsize=1)
def printed_legends() -> dict[str, Legend]:
    """The legend each required document prints when its labels are not the default's (◎○△× …), as the
    pipeline grades it with."""
    import pdfplumber
    from pipeline.layouts.common import clean_pages, page_texts, read_legend
    legends = {}
    for document in READ_DOCUMENTS:
        with pdfplumber.open(ROOT / "raw" / f"{document}.pdf") as pdf:
            legend = Legend.from_printed(read_legend("\n".join(page_texts(clean_pages(pdf)))))
        if legend is not None and legend.letters() != Legend().letters():
            legends[document] = legend
    return legends


def only_suite(suite: str, tmp_path: Path) -> Path:
    """An expectations folder with just the committed suite ``suite`` (GX is slow per expectation;
    the full set runs on the valid dataset)."""
    folder = tmp_path / "expectations"
    source = next(p for p in EXPECTATIONS.rglob("*.json") if json.loads(p.read_text(encoding="utf-8"))["name"] == suite)
    target = folder / source.relative_to(EXPECTATIONS)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(source.read_bytes())
    return folder


def run_planted(dataset, tmp_path, table: str, change, suite: str | None = None) -> ValidationOutcome:
    planted = {name: frame.copy() for name, frame in dataset.items()}
    planted[table] = change(planted[table])
    suites = only_suite(suite, tmp_path) if suite else EXPECTATIONS
    return validate(write(planted, tmp_path / "extracted"), suites, tmp_path / "validation", LEGEND,
                    data_docs=False)


def failed(outcome: ValidationOutcome, suite: str, expectation: str, column: str | None, severity="critical"):
    found = [f for f in outcome.failed_expectations()
             if f.suite == suite and f.expectation == expectation and f.column == column]
    assert found, f"expected {expectation}({column}) of {suite} to fail; failures:\n{outcome.summary()}"
    assert all(f.severity == severity for f in found)
    return found


# ----- the real dataset -----

def test_real_dataset_passes(valid_run, dataset):
    outcome, out = valid_run
    assert outcome.passed, outcome.summary()
    assert not outcome.critical
    general = {"observations", "grades", "indicator_counts"}
    assert general <= set(outcome.suites_run)
    per_document = {s for s in outcome.suites_run if "." in s}
    assert {s.split(".")[0] for s in per_document} == set(dataset["observations"]["document"])
    assert outcome.expectations_run >= 90


def test_results_and_data_docs_are_written(valid_run):
    outcome, out = valid_run
    assert (out / "data_docs" / "index.html").is_file()
    assert outcome.data_docs == out / "data_docs" / "index.html"
    written = json.loads((out / "outcome.json").read_text(encoding="utf-8"))
    assert written["passed"] is True
    assert written["suites_run"] == outcome.suites_run
    results = json.loads((out / "results" / "observations.json").read_text(encoding="utf-8"))
    assert results["success"] is True and len(results["results"]) > 40
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


def test_warnings_are_reported_but_do_not_fail(dataset, tmp_path):
    def unparsed(obs):
        row = obs.index[obs["status"] == "not_available"][0]
        obs.loc[row, "status"] = "unparsed"
        return obs
    outcome = run_planted(dataset, tmp_path, "observations", unparsed)
    assert outcome.passed, outcome.summary()
    failed(outcome, "observations", "expect_column_values_to_not_be_in_set", "status", severity="warning")


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
    return (obs["recomputed_grade"] == grade) & (obs["achievement_rate"] != "")


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
    ("year not a number", "observations", set_cell(lambda o: o["fiscal_year"] == "2022", fiscal_year="R4"),
     "observations", "expect_column_values_to_be_in_type_list", "fiscal_year", "'R4'"),
    ("value not a number", "observations", set_cell(ok_value, value="12a"),
     "observations", "expect_column_values_to_be_in_type_list", "value", "'12a'"),
    ("duplicate key", "observations", append_copy(lambda o: o["document"] == KPI),
     "observations", "expect_compound_columns_to_be_unique", None, KPI),
    ("ok row without value", "observations", set_cell(ok_value, value=""),
     "observations", "expect_column_values_to_not_be_null", "reading", "status IN (ok, corrected)"),
    ("not_available row with value", "observations",
     set_cell(lambda o: o["status"] == "not_available", value="5", unit="人"),
     "observations", "expect_column_values_to_be_null", "value", "5.0"),
    ("250% share", "observations", set_cell(lambda o: o["indicator"] == "自治会加入割合", value="250"),
     "observations", "expect_column_values_to_be_between", "value", "250"),
    ("missing column", "observations", lambda o: o.drop(columns=["text"]),
     "observations", "expect_column_to_exist", "text", "text"),
    ("missing municipality", "observations", set_cell(lambda o: o["document"] != "", municipality=""),
     "observations", "expect_column_values_to_not_be_null", "municipality", "1 of"),
    ("KPI without its number", "observations", set_cell(lambda o: o["document"] == KPI, indicator_no=""),
     f"{KPI}.observations", "expect_column_values_to_not_be_null", "indicator_no", KPI),
    ("plan number malformed", "observations",
     set_cell(lambda o: o["document"] == "isehara_plan5_midterm_r2", indicator_no="6-101"),
     "isehara_plan5_midterm_r2.observations", "expect_column_values_to_match_regex", "indicator_no", "'6-101'"),
    ("bad grade letter", "grades", set_cell(lambda g: g["recomputed_grade"] == "-", recomputed_grade="E"),
     "grades", "expect_column_values_to_be_in_set", "recomputed_grade", "'E'"),
    ("grade inconsistent with rate", "grades", set_cell(grade_row, achievement_rate="0.7999"),
     "grades", "expect_column_pair_values_to_be_equal", "recomputed_grade", "B"),
    ("agrees inconsistent", "grades", set_cell(lambda g: (g["agrees"] == "false") & (g["document"] == KPI), agrees="true"),
     "grades", "expect_column_pair_values_to_be_equal", "agrees", KPI),
    ("basis year 1900", "grades", set_cell(grade_row, basis_year="1900"),
     "grades", "expect_column_values_to_be_between", "basis_year", "1900"),
    ("missing grade column", "grades", lambda g: g.drop(columns=["reason"]),
     "grades", "expect_column_to_exist", "reason", "reason"),
    ("indicator count off by one", "indicators",
     drop_row(lambda i: (i["document"] == KPI) & (i["kind"] == "kpi")),
     "indicator_counts", "expect_column_pair_values_to_be_equal", "extracted_count", f"{KPI} / kpi"),
    ("printed count off by one", "printed_counts",
     set_cell(lambda p: (p["kind"] == "goal") & (p["group"] == ""), count="10"),
     "indicator_counts", "expect_column_pair_values_to_be_equal", "extracted_count", f"{KPI} / goal"),
]


@pytest.mark.parametrize("name,table,change,suite,expectation,column,words", PLANTS, ids=[p[0] for p in PLANTS])
def test_planted_error_fails_its_expectation(dataset, tmp_path, name, table, change, suite, expectation, column, words):
    outcome = run_planted(dataset, tmp_path, table, change, suite)
    assert not outcome.passed
    assert outcome.suites_run == [suite]
    found = failed(outcome, suite, expectation, column)
    assert any(words in f.message for f in found), "\n".join(map(str, found))
    assert all("\n" not in str(f) for f in outcome.failed_expectations())


def test_bad_extra_column_is_a_warning(dataset, tmp_path):
    outcome = run_planted(dataset, tmp_path, "observations",
                          set_cell(lambda o: o["measure"] == "target", bound="upto"), "observations")
    assert outcome.passed, outcome.summary()
    found = failed(outcome, "observations", "expect_column_values_to_be_in_set", "bound", severity="warning")
    assert "'upto'" in found[0].message


def test_grade_boundary_is_exact(dataset, tmp_path):
    """1.20 / 1.50 is exactly 0.8: the rate '0.8' grades B, and C would be wrong."""
    outcome = run_planted(dataset, tmp_path, "grades", set_cell(grade_row, achievement_rate="0.8"))
    assert outcome.passed, outcome.summary()
    outcome = run_planted(dataset, tmp_path, "grades",
                          set_cell(grade_row, achievement_rate="0.8", recomputed_grade="C"))
    failed(outcome, "grades", "expect_column_pair_values_to_be_equal", "recomputed_grade")


def test_missing_file_is_named_and_the_rest_still_runs(dataset, tmp_path):
    folder = write(dataset, tmp_path / "extracted")
    (folder / "grades.csv").unlink()
    outcome = validate(folder, EXPECTATIONS, tmp_path / "validation", LEGEND, data_docs=False)
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


def test_other_legend_changes_the_expected_grade(dataset, tmp_path):
    """The legend is a parameter: with A from 90%, a 0.95 rate graded B is inconsistent."""
    planted = {name: frame.copy() for name, frame in dataset.items()}
    outcome = validate(write(planted, tmp_path / "extracted"), EXPECTATIONS, tmp_path / "validation",
                       {"A": "0.90", "B": "0.80", "C": "0.50"}, data_docs=False)
    found = failed(outcome, "grades", "expect_column_pair_values_to_be_equal", "recomputed_grade")
    grades = dataset["grades"]
    own = grades["document"].isin(list(printed_legends()))       # graded with the legend they print
    between = sum(1 for rate in grades[~own]["achievement_rate"] if rate and Decimal("0.9") <= Decimal(rate) < 1)
    assert between > 0
    assert found[0].message.split(" — ")[1].startswith(f"{between} of {len(grades)} rows")


def test_a_document_legend_is_used_for_its_grades(dataset, tmp_path):
    """A document that prints its own legend (A from 90%) is checked against it, the others are not."""
    folder = write(dataset, tmp_path / "extracted")
    own = {KPI: {"A": "0.90", "B": "0.80", "C": "0.50"}}
    outcome = validate(folder, EXPECTATIONS, tmp_path / "validation", LEGEND, document_legends=own, data_docs=False)
    found = failed(outcome, "grades", "expect_column_pair_values_to_be_equal", "recomputed_grade")
    grades = dataset["grades"]
    kpi = grades[grades["document"] == KPI]
    between = sum(1 for rate in kpi["achievement_rate"] if rate and Decimal("0.9") <= Decimal(rate) < 1)
    assert between > 0
    assert found[0].message.split(" — ")[1].startswith(f"{between} of {len(grades)} rows")


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


def test_module_doctests():
    import doctest
    from pipeline.validate import tables
    assert doctest.testmod(tables).failed == 0


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



