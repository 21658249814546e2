"""総括表 cross-check on the KPI report's real numbers: its printed summary disagrees with its own table."""
from __future__ import annotations


import pytest
from conftest import ANSWERS, read_csv

from pipeline.grade.grading import Grade, IndicatorInfo, grade_indicators
from pipeline.grade.legend import Legend
from pipeline.grade.summary import CHECK_COLUMNS, check_summary, disagreements, same_group

DOC = "isehara_sousei_kpi_r4"

# Hand-read from raw/isehara_sousei_kpi_r4.pdf: the basic goal (基本目標) each indicator sits
# under, as the detail tables print it (full-width label, name cut by the cell).
GROUPS = {
    1: "（１）ポテンシャルを生かした地域産業の振興により、新たな雇用を創出する",
    2: "（２）魅力の効果的な発信により、多彩な人の流れをつくる",
    3: "（３）若い世代の結婚・妊娠・出産・子育ての希望に応え、選ばれるまちをつくる",
    4: "（４）持続可能な地域社会を築き、健康で快適な暮らしを創出する",
}
# 数値目標 (goal) numbers -> basic goal; p.3 of the PDF
GOAL_GROUP = {1: 1, 2: 1, 3: 1, 4: 2, 5: 2, 6: 3, 7: 3, 8: 4, 9: 4}
GOAL_NAMES = {"市内事業所の従業者数", "市内製造業の製造品出荷額", "市内観光消費額", "年間転入超過者数",
              "伊勢原市の良いところを知ってほしいと思っている市民の割合(市外への推奨度)", "婚姻届出数",
              "合計特殊出生率", "市民の健康寿命", "公共施設等総合管理計画に基づく取組施設数"}
# KPI numbers -> basic goal (政策目標 headings on pp.4-6): 1-12, 13-17, 18-25, 26-33
KPI_GROUP = {n: 1 if n <= 12 else 2 if n <= 17 else 3 if n <= 25 else 4 for n in range(1, 34)}


@pytest.fixture(scope="module")
def kpi_report():
    keys = read_csv(ANSWERS / f"{DOC}.grades.csv")
    infos = []
    for k in keys:
        n = int(k["indicator_no"])
        kind = "goal" if k["indicator"] in GOAL_NAMES else "kpi"
        group = GROUPS[GOAL_GROUP[n] if kind == "goal" else KPI_GROUP[n]]
        infos.append(IndicatorInfo(DOC, k["indicator_no"], k["indicator"], k["published_grade"], group, kind))
    assert sum(i.kind == "goal" for i in infos) == 9 and sum(i.kind == "kpi" for i in infos) == 33
    observations = read_csv(ANSWERS / f"{DOC}.observations.csv")
    grades = grade_indicators(observations, infos, Legend(), [])
    printed = read_csv(ANSWERS / f"{DOC}.summary.csv")
    return printed, grades, infos


def _cell(rows, group_prefix, kind, column):
    [row] = [r for r in rows if r["group"].startswith(group_prefix) and r["kind"] == kind and r["column"] == column]
    return row


def test_every_printed_cell_is_checked(kpi_report):
    printed, grades, infos = kpi_report
    rows = check_summary(printed, grades, infos)
    assert len(rows) == len(printed) * 6
    assert all(tuple(r) == CHECK_COLUMNS for r in rows)


def test_printed_summary_disagrees_with_its_detail_table(kpi_report):
    printed, grades, infos = kpi_report
    rows = check_summary(printed, grades, infos)
    printed_vs_table = {(r["group"][:3], r["kind"], r["column"], r["printed"], r["published"])
                        for r in rows if r["printed"] != r["published"]}
    # goal (1) KPIs: the table prints five A and one '-', the summary four A and two '-'
    assert printed_vs_table == {
        ("(1)", "kpi", "A", "4", "5"), ("(1)", "kpi", "none", "2", "1"),
        ("合計", "kpi", "A", "10", "11"), ("合計", "kpi", "none", "2", "1"),
    }
    assert _cell(rows, "(1)", "kpi", "A")["status"] == "differs"
    assert "detail table has 5" in _cell(rows, "(1)", "kpi", "A")["note"]


def test_counts_agree_where_the_report_is_consistent(kpi_report):
    printed, grades, infos = kpi_report
    rows = check_summary(printed, grades, infos)
    for prefix, kind in (("(2)", "goal"), ("(3)", "kpi"), ("(1)", "goal")):
        for column in ("count", "A", "B", "C", "D", "none"):
            row = _cell(rows, prefix, kind, column)
            assert row["printed"] == row["published"], row
    assert _cell(rows, "合計", "kpi", "count")["published"] == "33"


def test_recomputed_disagreements_name_the_indicators(kpi_report):
    printed, grades, infos = kpi_report
    rows = disagreements(check_summary(printed, grades, infos))
    b_goal4 = _cell(rows, "(4)", "goal", "B")
    assert (b_goal4["published"], b_goal4["recomputed"]) == ("0", "1") and "市民の健康寿命 A->B" in b_goal4["note"]
    assert "年間転入者数 A->B" in _cell(rows, "(2)", "kpi", "A")["note"]
    assert "自治会加入割合 C->B" in _cell(rows, "(4)", "kpi", "C")["note"]
    assert all(r["status"] == "differs" for r in rows)


def test_printed_row_that_does_not_add_up_is_flagged():
    infos = [IndicatorInfo("d", "1", "x", "A", "(1)目標", "kpi")]
    grades = [Grade("d", "1", "x", "A", "A", None, None, True, "r")]
    printed = [{"document": "d", "goal": "(1)目標", "kind": "kpi", "count": "2", "A": "1", "B": "", "C": "",
                "D": "", "none": ""}]
    [count] = [r for r in check_summary(printed, grades, infos) if r["column"] == "count"]
    assert count["status"] == "differs" and "add up to 1" in count["note"]


def test_group_matching():
    assert same_group("(2)魅力の効果的な発信により、多彩な人の流れをつくる", "（２）魅力の効果的な発信により、")
    assert not same_group("(2)魅力の効果的な発信により", "(3)若い世代")
    assert not same_group("(2)魅力", "")



def test_summary_rows_from_the_reader_records(kpi_report):
    from pipeline.records import SummaryRow
    _, grades, infos = kpi_report
    printed = [SummaryRow(group="（１）ポテンシャルを生かした地域産業の振興により、新たな雇用を創出する", kind="kpi",
                          count=12, grades={"Ａ": 4, "Ｂ": 3, "Ｃ": 2, "Ｄ": 1, "―": 2})]
    rows = check_summary(printed, grades, infos, document=DOC)
    assert [(r["column"], r["printed"], r["published"]) for r in rows if r["printed"] != r["published"]] == [
        ("A", "4", "5"), ("none", "2", "1")]


def test_groups_without_their_printed_label_still_match(kpi_report):
    printed, grades, infos = kpi_report
    unlabelled = [IndicatorInfo(i.document, i.indicator_no, i.indicator, i.published_grade,
                                i.group.split("）", 1)[1], i.kind) for i in infos]
    rows = check_summary(printed, grades, unlabelled)
    assert {(r["group"][:3], r["kind"], r["column"]) for r in rows if r["printed"] != r["published"]} == {
        ("(1)", "kpi", "A"), ("(1)", "kpi", "none"), ("合計", "kpi", "A"), ("合計", "kpi", "none")}
