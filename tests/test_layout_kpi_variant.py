"""Another edition of the KPI report — portrait, other years and widths, the KPI table breaking
across pages inside a goal group with its header repeated — built here and read back."""
from __future__ import annotations

from decimal import Decimal

import pytest

from pipeline.layouts.reading import extract_document
from pipeline.sources import Source
from pipeline.tidy import observations
from variants.kpi_report import A4, Edition, Goal, Indicator, build, landscape


def kpi(no: int, measure: str = "") -> Indicator:
    """KPI number ``no`` with values that encode it, so that every cell is distinguishable."""
    return Indicator(no=str(no), name=f"指標その{no}の件数", baseline=f"{no * 10}件",
                     actuals=(f"{no * 10 + 1}件", f"{no * 10 + 2:,}件" if no % 3 else "－"),
                     target=f"{no * 10 + 5}件", department=f"課{no % 4}", grade="Ａ" if no % 2 else "Ｂ",
                     measure=measure)


GOALS = (
    Goal("（１）産業を振興する", goal_indicators=(
        Indicator("1", "市内事業所数", "１，２００事業所", ("1,150事業所", "△5事業所"), "1,300事業所", "商工課", "Ｃ"),
        Indicator("2", "製造品出荷額", "236,654百万円", ("2億3,000万円", "59 億 1,800 万円"), "3,000億円", "商工課", "Ｂ"),
    ), policies=(("(1)雇用を創出する", tuple(kpi(n, f"①施策{n}") for n in range(1, 26))),)),
    Goal("（２）暮らしを守る", goal_indicators=(
        Indicator("3", "市民の健康寿命", "男性 83.25歳\n女性 85.91歳", ("男性83.40歳\n女性86.26歳", "－"),
                  "男性 83.76歳\n女性 86.58歳", "健康課", "Ａ"),
    ), policies=(("(1)安心をつくる", tuple(kpi(n) for n in range(26, 31))),)),
)


@pytest.fixture(scope="module", params=["portrait", "landscape-narrow"])
def edition(request, tmp_path_factory):
    if request.param == "portrait":
        ed = Edition(("令和5年度", "令和6年度"), "令和7年度", "計画策定時", GOALS, pagesize=A4,
                     counts={"数値目標": 3, "重要業績評価指標（KPI）": 30})
    else:
        ed = Edition(("R5年度", "R6年度"), "R7年度", "策定時", GOALS, pagesize=landscape(A4),
                     widths=(90, 24, 150, 70, 60, 60, 60, 60, 40), summary=False,
                     counts={"数値目標": 3, "重要業績評価指標（KPI）": 30})
    path = build(ed, tmp_path_factory.mktemp("kpi") / "kpi_variant.pdf")
    source = Source(file=path.name, path=path, municipality="架空市")   # no layout hint: recognised
    return extract_document(source)


def values(doc) -> dict[tuple, tuple]:
    return {(r["indicator"], r["component"], r["measure"], r["fiscal_year"]): (r["value"], r["status"])
            for r in observations(doc)}


def test_variant_is_recognised_and_counted(edition):
    assert edition.layout == "kpi_report"
    assert edition.printed_counts == {"goal": 3, "kpi": 30}
    kinds = {(c.kind, c.indicator) for c in edition.cells}
    assert len([k for k in kinds if k[0] == "goal"]) == 3
    assert len([k for k in kinds if k[0] == "kpi"]) == 30


def test_variant_goal_values_read_back(edition):
    got = values(edition)
    assert got[("市内事業所数", "", "baseline", "")] == ("1200", "ok")
    assert got[("市内事業所数", "", "actual", "2024")] == ("-5", "ok")
    assert got[("製造品出荷額", "", "actual", "2023")] == ("230000000", "ok")
    assert got[("製造品出荷額", "", "actual", "2024")] == ("5918000000", "ok")
    assert got[("製造品出荷額", "", "target", "2025")] == ("300000000000", "ok")
    assert got[("市民の健康寿命", "女性", "actual", "2023")] == ("86.26", "ok")
    assert got[("市民の健康寿命", "男性", "target", "2025")] == ("83.76", "ok")
    assert got[("市民の健康寿命", "", "actual", "2024")][1] == "not_available"


def test_variant_kpi_rows_across_the_page_break_keep_goal_and_values(edition):
    got = values(edition)
    for n in range(1, 31):
        name = f"指標その{n}の件数"
        assert Decimal(got[(name, "", "baseline", "")][0]) == n * 10
        assert Decimal(got[(name, "", "actual", "2023")][0]) == n * 10 + 1
        assert Decimal(got[(name, "", "target", "2025")][0]) == n * 10 + 5
        second = got[(name, "", "actual", "2024")]
        assert second == ((str(n * 10 + 2), "ok") if n % 3 else ("", "not_available"))
    pages = {c.page for c in edition.cells if c.kind == "kpi"}
    assert len(pages) > 1, "the KPI table should break across pages in this edition"
    groups = {c.indicator: c.group for c in edition.cells if c.kind == "kpi"}
    assert {groups[f"指標その{n}の件数"] for n in range(1, 26)} == {"産業を振興する"}
    assert {groups[f"指標その{n}の件数"] for n in range(26, 31)} == {"暮らしを守る"}
    grades = {c.indicator: c.published_grade for c in edition.cells}
    assert grades["指標その7の件数"] == "Ａ" and grades["指標その8の件数"] == "Ｂ"


def test_variant_summary_is_read_when_printed(edition, request):
    if "landscape" in request.node.callspec.id:
        assert edition.summary == []       # this edition prints none: none is invented
        return
    rows = {(s.group, s.kind): (s.count, s.grades) for s in edition.summary}
    assert rows[("産業を振興する", "kpi")][0] == 25
    assert rows[("産業を振興する", "kpi")][1]["A"] == 13
    assert rows[("暮らしを守る", "goal")] == (1, {"A": 1, "B": 0, "C": 0, "D": 0, "none": 0})
