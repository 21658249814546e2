"""The plan brochure layout (総合計画 概要版): the shipped PDF against its answer key, fake bold removed by
geometry without losing a genuine doubled character, and other editions built here and read back (one
column or two, other fonts and widths, other target years, headings number-first or name-first, boxes
breaking across pages or columns with and without their header drawn again, 数値目標 cards)."""
from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

import pdfplumber
import pytest
from conftest import ANSWERS, RAW, read_csv
from golden import differences, norm
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from pipeline.extract.pdf import clean_page
from pipeline.layouts import all_layouts, recognise
from pipeline.layouts.plan_brochure import LAYOUT
from pipeline.sources import Source
from pipeline.tidy import observations
from variants.plan_brochure import Card, Edition, Goal, Policy, Row, build

DOCUMENT = "isehara_plan6_overview"


def number(text: str):
    return Decimal(text) if text else None


def comparable(row: dict) -> tuple:
    return (number(row["value"]), row["fiscal_year"], row["period_start"], row["unit"], row["direction"],
            row["status"])


def by_series(rows) -> dict[tuple, list[dict]]:
    out: dict[tuple, list[dict]] = {}
    for row in rows:
        out.setdefault((norm(row["indicator"]), norm(row["component"]), row["measure"]), []).append(row)
    return out


# --- the shipped brochure --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def shipped(extraction):
    doc = extraction(DOCUMENT)
    assert doc.layout == "plan_brochure"
    return doc, observations(doc)


def test_every_scored_cell_of_the_answer_key_is_read(shipped):
    """Every key row (not 'ambiguous') is one observation with the same value, years, unit, direction and
    status, and nothing is read that the key does not have."""
    _, rows = shipped
    assert differences(DOCUMENT, rows) == []


def test_no_observation_outside_the_answer_key(shipped):
    _, rows = shipped
    keyed = {(norm(k["indicator"]), norm(k["component"]), k["measure"])
             for k in read_csv(ANSWERS / f"{DOCUMENT}.observations.csv")}
    assert sorted(set(by_series(rows)) - keyed) == []


def test_range_target_is_one_row_with_both_bounds(shipped):
    """'いずれも 40％以上 60％以下' under two sub-series: per sub-series one target row, the lower bound as
    its value (direction increase), bound 'range' and the upper bound in upper_value."""
    _, rows = shipped
    ranges = [(r["component"], r["value"], r["direction"], r["bound"], r["upper_value"]) for r in rows
              if r["indicator"] == "各種審議会等の女性委員の割合" and r["measure"] == "target"]
    assert sorted(ranges) == sorted([
        ("法律・条例に基づく附属機関及び要綱に基づく審議会等", "40", "increase", "range", "60"),
        ("法律・条例に基づく附属機関", "40", "increase", "range", "60"),
    ])


def test_sections_are_the_policy_and_goal_headings(shipped):
    doc, _ = shipped
    sections = list(dict.fromkeys(unicodedata.normalize("NFKC", c.section) for c in doc.cells))
    policies = [s for s in sections if re.match(r"^\d{2} ", s)]
    assert len(policies) == 37                      # the brochure's 37 policies, each with its box
    assert policies[0] == "01 防災" and policies[-1] == "37 ICTの利活用"
    assert "26 公園・緑化" in policies
    goals = [s for s in sections if s.startswith("基本目標")]
    assert goals[0] == "基本目標1 まちの特性や強みを生かした地域産業の振興により、新たな雇用を創出する"
    assert len(goals) == 4
    kinds = {c.kind for c in doc.cells if unicodedata.normalize("NFKC", c.section).startswith("基本目標")}
    assert kinds == {"goal"}
    assert {c.kind for c in doc.cells if re.match(r"^\d{2} ", unicodedata.normalize("NFKC", c.section))} == {"kpi"}


def test_target_year_comes_from_the_header(shipped):
    doc, _ = shipped
    assert {c.year_text for c in doc.cells if c.measure == "target"} == {"R9"}


def test_card_definitions_are_notes_not_names(shipped):
    doc, _ = shipped
    card = next(c for c in doc.cells if c.indicator == "観光入込客数")
    assert card.note.startswith("定義：")
    assert "定義" not in "".join(c.indicator for c in doc.cells)


def test_the_brochure_is_recognised_from_its_first_pages_and_no_other_pdf_is():
    from pipeline.layouts.reading import RECOGNITION_PAGES
    for pdf_path in sorted(RAW.glob("*.pdf")):
        with pdfplumber.open(pdf_path) as pdf:
            text = "\n".join(clean_page(p).extract_text() or "" for p in pdf.pages[:RECOGNITION_PAGES])
        assert LAYOUT.matches(text) == (pdf_path.stem == DOCUMENT), pdf_path.name
        if pdf_path.stem == DOCUMENT:
            assert recognise(text, all_layouts()).name == "plan_brochure"


# --- fake bold ------------------------------------------------------------------------------------

def test_fake_bold_is_removed_and_a_genuine_doubled_character_survives(tmp_path):
    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiKakuGo-W5"))
    path = tmp_path / "bold.pdf"
    c = canvas.Canvas(str(path))
    c.setFont("HeiseiKakuGo-W5", 12)
    for dx in (0, 0.3):                       # a heading drawn twice at a tiny offset
        c.drawString(50 + dx, 700, "施策の展開")
    c.drawString(50, 650, "ああ")             # two genuine characters side by side
    for dx in (0, 0.3):                       # both at once: fake bold over a genuine pair
        c.drawString(50 + dx, 600, "おおむね")
    c.save()
    with pdfplumber.open(path) as pdf:
        raw = pdf.pages[0].extract_text()
        clean = clean_page(pdf.pages[0]).extract_text()
    assert "施施策策" in raw                    # the naive extraction doubles every character
    assert clean.splitlines() == ["施策の展開", "ああ", "おおむね"]


def test_fake_bold_is_removed_from_the_shipped_brochure():
    """The brochure draws its headings twice (a naive extraction reads '成成果果指指標標'); after
    ``clean_page`` each heading is read once, as often as it is printed."""
    with pdfplumber.open(RAW / f"{DOCUMENT}.pdf") as pdf:
        raw = "".join(p.extract_text() or "" for p in pdf.pages)
        clean = "".join(clean_page(p).extract_text() or "" for p in pdf.pages)
    assert raw.count("成成果果指指標標") >= 37
    assert "成成果果指指標標" not in clean and "施施策策" not in clean
    assert clean.count("成果指標") == raw.count("成成果果指指標標") + raw.replace("成成果果指指標標", "").count("成果指標")


# --- another edition ------------------------------------------------------------------------------

POLICIES = (
    Policy("1", "防災・減災", ("地域の防災力を高めます。", "備蓄と訓練を進めます。"), (
        Row(("地域の防災訓練に参加したことがある", "市民の割合"), ("28.4％", "（R6）"), ("↗",)),
        Row(("避難所の備蓄食料の充足率",), ("92.0％", "（R5）"), ("100％",)),
        Row(("まちがおおむね住みよいと感じる", "市民の割合"), ("61.2％", "（R6）"), ("↗",), bold_name=True),
        Row(("火災発生件数",), ("31件", "（R2-R6の平均）"), ("↘",)),
    )),
    Policy("2", "子育て支援", ("子育ての負担を軽くします。",) * 3, (
        Row(("保育所等待機児童数",), ("12人", "（R6）"), ("0人",)),
        Row(("子育て支援センターを利用した", "親子の延べ人数（乳幼児と", "その保護者）"),
            ("18,250人", "（R5）"), ("24,000人",)),
        Row(("新しい子育て講座の参加者数",), ("－",), ("500人",)),
        Row(("放課後児童クラブの整備状況", "①施設数", "②定員"), ("①21箇所", "②1,050人", "（R6）"),
            ("①25箇所", "②1,250人")),
        Row(("審議会等の女性委員の割合", "①附属機関", "②要綱に基づく審議会等"),
            ("①38.5％", "②31.0％", "（R6）"), ("いずれも", "30％以上", "50％以下")),
    ) + tuple(Row((f"子育て指標その{n}の件数",), (f"{n}件", "（R6）"), (f"{n * 2}件",)) for n in range(1, 31))),
)
GOALS = (
    Goal("基本目標", "3", "選ばれるまちをつくる", (
        Card("❶", "観光入込客数", ("定義：１年間の観光客総数",), ("152万人", "（R5）"), ("180万人",)),
        Card("❷", "市民の健康寿命", ("定義：日常生活動作が自立している", "期間の平均"),
             ("男性：81.5歳", "女性：84.9歳", "（R4）"), ("男性：82.0歳", "女性：85.5歳")),
    )),
)
EDITIONS = {
    # one column, Mincho body text, the number before the policy name, target year R14 (2032)
    "mincho_r14": Edition(POLICIES, GOALS, target_header="目標値〈R14〉", body_font="HeiseiMin-W3",
                          box=(40, 555), widths=(0.5, 0.25, 0.25)),
    # narrower box, Gothic throughout, the name before its number, no rule under the box header and the
    # header not drawn again after a page break, R12 (2030)
    "gothic_r12": Edition(POLICIES, GOALS, target_header="目標値〈令和12年度〉", body_font="HeiseiKakuGo-W5",
                          box=(70, 520), widths=(0.56, 0.2, 0.24), headings_number_first=False,
                          header_rule=False, repeat_header=False, size=8.5),
    # landscape, two columns: a box continues at the top of the right-hand column, then on the next page
    "two_columns_r9": Edition(POLICIES, GOALS, target_header="目標値〈R9〉", pagesize=landscape(A4),
                              box=(40, 802), columns=2, widths=(0.52, 0.24, 0.24)),
}


def expected(target_year: str) -> dict[tuple, list[tuple]]:
    """The values put in POLICIES and GOALS, as observations (value, year, period start, unit, direction, status)."""
    t = target_year
    want = {
        ("地域の防災訓練に参加したことがある市民の割合", "", "baseline"): [(Decimal("28.4"), "2024", "", "%", "", "ok")],
        ("地域の防災訓練に参加したことがある市民の割合", "", "target"): [(None, t, "", "", "increase", "ok")],
        ("避難所の備蓄食料の充足率", "", "baseline"): [(Decimal("92.0"), "2023", "", "%", "", "ok")],
        ("避難所の備蓄食料の充足率", "", "target"): [(Decimal("100"), t, "", "%", "", "ok")],
        ("まちがおおむね住みよいと感じる市民の割合", "", "baseline"): [(Decimal("61.2"), "2024", "", "%", "", "ok")],
        ("まちがおおむね住みよいと感じる市民の割合", "", "target"): [(None, t, "", "", "increase", "ok")],
        ("火災発生件数", "", "baseline"): [(Decimal("31"), "2024", "2020", "件", "", "ok")],
        ("火災発生件数", "", "target"): [(None, t, "", "", "decrease", "ok")],
        ("保育所等待機児童数", "", "baseline"): [(Decimal("12"), "2024", "", "人", "", "ok")],
        ("保育所等待機児童数", "", "target"): [(Decimal("0"), t, "", "人", "", "ok")],
        ("子育て支援センターを利用した親子の延べ人数(乳幼児とその保護者)", "", "baseline"):
            [(Decimal("18250"), "2023", "", "人", "", "ok")],
        ("子育て支援センターを利用した親子の延べ人数(乳幼児とその保護者)", "", "target"):
            [(Decimal("24000"), t, "", "人", "", "ok")],
        ("新しい子育て講座の参加者数", "", "baseline"): [(None, "", "", "", "", "not_available")],
        ("新しい子育て講座の参加者数", "", "target"): [(Decimal("500"), t, "", "人", "", "ok")],
        ("放課後児童クラブの整備状況", "施設数", "baseline"): [(Decimal("21"), "2024", "", "箇所", "", "ok")],
        ("放課後児童クラブの整備状況", "定員", "baseline"): [(Decimal("1050"), "2024", "", "人", "", "ok")],
        ("放課後児童クラブの整備状況", "施設数", "target"): [(Decimal("25"), t, "", "箇所", "", "ok")],
        ("放課後児童クラブの整備状況", "定員", "target"): [(Decimal("1250"), t, "", "人", "", "ok")],
        ("審議会等の女性委員の割合", "附属機関", "baseline"): [(Decimal("38.5"), "2024", "", "%", "", "ok")],
        ("審議会等の女性委員の割合", "要綱に基づく審議会等", "baseline"): [(Decimal("31.0"), "2024", "", "%", "", "ok")],
        ("審議会等の女性委員の割合", "附属機関", "target"): [(Decimal("30"), t, "", "%", "increase", "ok")],
        ("審議会等の女性委員の割合", "要綱に基づく審議会等", "target"): [(Decimal("30"), t, "", "%", "increase", "ok")],
        ("観光入込客数", "", "baseline"): [(Decimal("1520000"), "2023", "", "人", "", "ok")],
        ("観光入込客数", "", "target"): [(Decimal("1800000"), t, "", "人", "", "ok")],
        ("市民の健康寿命", "男性", "baseline"): [(Decimal("81.5"), "2022", "", "歳", "", "ok")],
        ("市民の健康寿命", "女性", "baseline"): [(Decimal("84.9"), "2022", "", "歳", "", "ok")],
        ("市民の健康寿命", "男性", "target"): [(Decimal("82.0"), t, "", "歳", "", "ok")],
        ("市民の健康寿命", "女性", "target"): [(Decimal("85.5"), t, "", "歳", "", "ok")],
    }
    for n in range(1, 31):
        want[(f"子育て指標その{n}の件数", "", "baseline")] = [(Decimal(n), "2024", "", "件", "", "ok")]
        want[(f"子育て指標その{n}の件数", "", "target")] = [(Decimal(n * 2), t, "", "件", "", "ok")]
    return {(norm(i), norm(c), m): v for (i, c, m), v in want.items()}


@pytest.fixture(scope="module", params=sorted(EDITIONS))
def edition(request, tmp_path_factory):
    path = build(tmp_path_factory.mktemp("plan_brochure") / f"{request.param}.pdf", EDITIONS[request.param])
    source = Source(file=path.name, path=path, municipality="どこか市")
    with pdfplumber.open(path) as pdf:
        pages = len(pdf.pages)
        doc = LAYOUT.read(pdf, source)
    return request.param, doc, observations(doc), pages


def test_edition_box_breaks_across_pages(edition):
    _, doc, _, pages = edition
    kpi_pages = sorted({c.page for c in doc.cells if c.kind == "kpi"})
    assert len(kpi_pages) >= 2 and pages >= 3      # the second policy's box continues on the next page


def test_edition_values_are_read_back(edition):
    name, _, rows, _ = edition
    got = {k: [comparable(r) for r in v] for k, v in by_series(rows).items()}
    assert got == expected({"mincho_r14": "2032", "gothic_r12": "2030", "two_columns_r9": "2027"}[name])
    assert {(r["component"], r["bound"], r["upper_value"]) for r in rows
            if r["indicator"] == "審議会等の女性委員の割合" and r["measure"] == "target"} == {
        ("附属機関", "range", "50"), ("要綱に基づく審議会等", "range", "50")}


def test_edition_sections_kinds_and_notes(edition):
    _, doc, _, _ = edition
    section = {c.indicator: unicodedata.normalize("NFKC", c.section) for c in doc.cells}
    assert section["火災発生件数"] == "1 防災・減災"
    assert section["子育て指標その30の件数"] == "2 子育て支援"      # carried over the page break
    assert section["観光入込客数"] == "基本目標3 選ばれるまちをつくる"
    assert {c.kind for c in doc.cells if c.indicator == "観光入込客数"} == {"goal"}
    assert {c.kind for c in doc.cells if c.indicator == "子育て指標その30の件数"} == {"kpi"}
    assert next(c.note for c in doc.cells if c.indicator == "市民の健康寿命") == "定義：日常生活動作が自立している期間の平均"
    assert doc.problems == []
