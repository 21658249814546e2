"""The 'strategy_document' layout (総合戦略 本文, KGI/KPI tables in prose) on the shipped PDF and on
another edition built in the test (other years, marks, widths, a KPI table broken across a page)."""
from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pdfplumber
import pytest
from conftest import RAW
from golden import differences, norm
from variants.strategy_document import EXPECTED, build, sample_edition

from pipeline.layouts.reading import RECOGNITION_PAGES
from pipeline.extract.pdf import clean_page
from pipeline.layouts import all_layouts, recognise
from pipeline.layouts.common import clean_pages
from pipeline.layouts.strategy_document import read_pages
from pipeline.records import DocumentExtraction
from pipeline.tidy import observations

DOCUMENT = "hadano_sousei2_strategy"


def scored(row: dict) -> tuple:
    value = (row.get("value") or "").strip()
    return (norm(row["indicator"]), norm(row.get("component")), row["measure"], row["fiscal_year"],
            Decimal(value) if value else None, row.get("direction", ""), row["status"])


def test_observations_equal_the_answer_key(extraction):
    doc = extraction(DOCUMENT)
    assert doc.layout == "strategy_document"
    assert differences(DOCUMENT, observations(doc)) == []


def test_kinds_sections_and_amendment_marks(extraction):
    rows = observations(extraction(DOCUMENT))
    by_name = {norm(r["indicator"]): r for r in rows}
    # KGI rows sit under their project, KPI rows under project > basic direction.
    kgi = by_name[norm("監視基準井戸の地下水位")]
    assert kgi["section"] == "基本目標1健康で安心して暮らせるプロジェクト"
    kpi = by_name[norm("早期全線事業化・整備の促進に係る要望回数")]
    assert kpi["section"] == ("基本目標4新東名・246バイパスの最大活用プロジェクト>"
                              "16国道246号バイパス(厚木秦野道路)早期全線事業化・整備の推進")
    assert by_name[norm("住宅施策を活用した年間移住世帯数")]["section"] == "横断プロジェクト移住・定住活性化"
    # Marks are kept in the note, not in the name; two marks on one indicator are both kept.
    assert by_name[norm("秦野名水ロゴマークの使用件数(累計)")]["note"] == "【R6 年 3 月指標・値変更】"
    assert by_name[norm("防災訓練や講習会等の参加者数")]["note"] == "【R5 年 3 月指標・値変更】 【R6 年 3 月指標・値変更】"
    assert by_name[norm("住宅施策を活用した年間移住世帯数")]["note"] == "【R5 年 3 月中間値・目標値変更※】"
    assert not any("【" in r["indicator"] for r in rows)
    doc = extraction(DOCUMENT)
    assert {c.kind for c in doc.cells} == {"kgi", "kpi"}
    assert {c.indicator for c in doc.cells if c.kind == "kgi"} >= {"合計特殊出生率", "年間観光客数"}


def test_only_this_document_is_recognised_as_a_strategy_document():
    for path in sorted(RAW.glob("*.pdf")):
        with pdfplumber.open(path) as pdf:
            text = "\n".join(clean_page(p).extract_text() or "" for p in pdf.pages[:RECOGNITION_PAGES])
        layout = recognise(text, all_layouts())
        assert (layout is not None and layout.name == "strategy_document") == (path.stem == DOCUMENT), path.name


def variant_rows(path) -> list[dict]:
    with pdfplumber.open(path) as pdf:
        cells = read_pages(clean_pages(pdf))
    doc = DocumentExtraction(document="variant", municipality="", layout="strategy_document", pages=0, cells=cells)
    kind = {norm(c.indicator): c.kind for c in cells}
    rows = observations(doc)
    for row in rows:
        row["kind"] = kind[norm(row["indicator"])]
    return rows


@pytest.mark.parametrize("repeat_header", [True, False], ids=["header-repeated", "header-not-repeated"])
def test_another_edition_is_read_as_printed(tmp_path, repeat_header):
    path = build(tmp_path / "strategy.pdf", sample_edition(repeat_header=repeat_header))
    rows = variant_rows(path)
    got = Counter((r["section"], r["kind"], r["indicator"], r["component"], r["measure"], r["fiscal_year"],
                   Decimal(r["value"]) if r["value"] else None, r["unit"], r["direction"], r["status"], r["note"])
                  for r in rows)
    want = Counter((s, k, i, c, m, y, Decimal(v) if v else None, u, d, st, n)
                   for s, k, i, c, m, y, v, u, d, st, n in EXPECTED)
    assert got - want == Counter(), "read but not printed"
    assert want - got == Counter(), "printed but not read"
    # the rows after the page break come from the page after it
    assert {r["page"] for r in rows if r["indicator"] == "間伐材の利用量"} == {"3"}
