"""The 'project_plan' layout (総合計画「主な事業」実績): the shipped PDF against its answer key, and
other editions (令和元年度 columns, landscape or portrait, a 施策 group broken over a page with or
without its header repeated) built in the test and read back."""
import unicodedata
from decimal import Decimal

import pytest

from golden import differences, key_rows, norm

DOC = "isehara_plan5_midterm_r2"


def scored(row: dict) -> tuple:
    value = Decimal(row["value"]) if row["value"] else None
    return (value, row["fiscal_year"], row["direction"], row["status"])


def by_key(rows) -> dict:
    out: dict = {}
    for r in rows:
        out.setdefault((r["indicator_no"], norm(r["indicator"]), norm(r["component"]), r["measure"]), []).append(r)
    return out


# -- the shipped PDF --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def doc(extraction):
    return extraction(DOC)


@pytest.fixture(scope="module")
def observations(doc):
    from pipeline.tidy import observations
    return observations(doc)


def test_every_scored_cell_of_the_answer_key_is_read(observations):
    assert len([r for r in key_rows(DOC) if r["status"] != "ambiguous"]) > 300
    assert differences(DOC, observations) == []


def test_the_indicator_is_the_project_indicator_and_the_project_is_a_note(doc):
    rows = {(c.indicator_no, c.indicator): c for c in doc.cells}
    # one 事業番号 printed once for three projects, each with its own indicator and department
    assert {(no, name): rows[(no, name)].department for no, name in rows if no == "19-103"} == {
        ("19-103", "児童虐待防止に係る啓発事業実施回数"): "子ども家庭相談課",
        ("19-103", "高齢者虐待防止研修会等参加者数"): "介護高齢課高齢者支援担当",
        ("19-103", "障がい者虐待防止研修会等参加者数"): "障がい福祉課",
    }
    assert rows[("19-103", "高齢者虐待防止研修会等参加者数")].note == "主な事業：虐待防止事業(高齢者)"
    assert rows[("06-101", "子育て世代包括支援センター設置箇所数")].note == "主な事業：子育て世代包括支援センター事業"


@pytest.mark.parametrize("number, department", [
    ("06-104", "子育て支援課"),            # merged cell over two rows
    ("06-105", "子育て支援課"),
    ("07-103", "子ども育成課"),
    ("09-105", "教育指導課教育センター"),   # merged cell, name on two lines
    ("13-103", "教育総務課歴史文化担当"),   # group continued on the next page
    ("23-103", "農業振興課"),
    ("40-107", "経営企画課"),
])
def test_departments_printed_once_fill_the_rows_they_span(doc, number, department):
    assert {c.department for c in doc.cells if c.indicator_no == number} == {department}


def test_every_row_has_a_department_and_every_cell_a_section(doc):
    assert all(c.department for c in doc.cells)
    assert all(c.section.count(">") >= 2 for c in doc.cells)


def test_headings_between_and_inside_tables_form_the_section(doc):
    section = {c.indicator_no: c.section for c in doc.cells}
    assert section["06-101"] == ("■基本政策1-2子どもの成長をみんなで見守るまちづくり>"
                                 "(施策展開の方向1-2-1)子どもを産み育てやすいまちをつくる>"
                                 "【施策06】子育て家庭への支援の充実")
    # 施策13 continues on the next page with the header repeated and no heading row
    assert section["13-103"] == ("■基本政策1-3人がつながり未来を拓く学び合うまちづくり>"
                                 "(施策展開の方向1-3-2)いつまでも学び生きがいがあるまちをつくる>"
                                 "【施策13】歴史・文化遺産の活用と継承")
    assert section["21-101"].startswith("まちづくり目標3：個性豊かで活力あるまち>■基本政策3-6")
    assert section["40-107"].endswith("(施策展開の方向5-10-2)次代へつなげる確かな行財政運営ができるまちをつくる>"
                                      "【施策40】市民に信頼される市政の推進")


def test_target_and_actual_take_their_year_from_the_header_word(doc):
    years = {(c.measure, c.year_text) for c in doc.cells}
    assert years == {("baseline", ""), ("target", "令和2年度"), ("actual", "令和2年度")}


def test_the_layout_is_recognised_from_this_document_only(sources):
    from pipeline.layouts.reading import identify_layout
    from pipeline.extract.pdf import open_pdf
    for name, source in sources.items():
        with open_pdf(source.path) as pdf:
            try:
                found = identify_layout(pdf, source.file).name
            except Exception:
                found = None
        assert (found == "project_plan") == (name == DOC), name


# -- other editions built here ----------------------------------------------------------------------

V = Decimal
R1 = "2019"
# (事業番号, 事業指標, component, measure) -> (value, fiscal_year, status), typed from the printed cells
EDITION = {
    ("01-101", "相談支援の延べ件数", "", "baseline"): (V(250), "2017", "ok"),
    ("01-101", "相談支援の延べ件数", "", "target"): (V(300), R1, "ok"),
    ("01-101", "相談支援の延べ件数", "", "actual"): (V(312), R1, "ok"),
    ("01-102", "保育施設の定員数", "", "baseline"): (V(1020), "2018", "ok"),
    ("01-102", "保育施設の定員数", "", "target"): (V(1100), R1, "ok"),
    ("01-102", "保育施設の定員数", "", "actual"): (V(1064), R1, "ok"),
    ("01-103", "講座の参加者数", "", "baseline"): (None, "", "not_available"),
    ("01-103", "講座の参加者数", "男性", "target"): (V(40), R1, "ok"),
    ("01-103", "講座の参加者数", "女性", "target"): (V(60), R1, "ok"),
    ("01-103", "講座の参加者数", "男性", "actual"): (V(35), R1, "ok"),
    ("01-103", "講座の参加者数", "女性", "actual"): (V(72), R1, "ok"),
    ("01-104", "支援方針の策定", "", "baseline"): (None, "2018", "qualitative"),
    ("01-104", "支援方針の策定", "", "target"): (None, R1, "qualitative"),
    ("01-104", "支援方針の策定", "", "actual"): (None, R1, "qualitative"),
    ("02-101", "荒廃農地面積", "", "baseline"): (V("5.2"), "2017", "ok"),
    ("02-101", "荒廃農地面積", "", "target"): (V("4.0"), R1, "ok"),
    ("02-101", "荒廃農地面積", "", "actual"): (V("4.6"), R1, "ok"),
    ("02-102", "農作物の被害額", "", "baseline"): (V(20500000), "2017", "ok"),
    ("02-102", "農作物の被害額", "", "target"): (V(15000000), R1, "ok"),
    ("02-102", "農作物の被害額", "", "actual"): (V(16250000), R1, "ok"),
    ("02-103", "寄附金受入額", "", "baseline"): (V(120000000), "2018", "ok"),
    ("02-103", "寄附金受入額", "", "target"): (V(90000000), R1, "ok"),
    ("02-103", "寄附金受入額", "", "actual"): (V(95400000), R1, "ok"),
    ("02-104", "児童向け啓発回数", "", "baseline"): (V(30), "2018", "ok"),
    ("02-104", "児童向け啓発回数", "", "target"): (V(36), R1, "ok"),
    ("02-104", "児童向け啓発回数", "", "actual"): (V(33), R1, "ok"),
    ("02-104", "高齢者向け研修参加者数", "", "baseline"): (V(120), "2017", "ok"),
    ("02-104", "高齢者向け研修参加者数", "", "target"): (V(150), R1, "ok"),
    ("02-104", "高齢者向け研修参加者数", "", "actual"): (V(98), R1, "ok"),
    ("02-105", "消防水利整備箇所数", "", "baseline"): (V(1010), "2017", "ok"),
    ("02-105", "消防水利整備箇所数", "", "target"): (V(1020), R1, "ok"),
    ("02-105", "消防水利整備箇所数", "", "actual"): (V(1020), R1, "ok"),
    ("02-106", "職員数", "", "baseline"): (V(700), "2017", "ok"),
    ("02-106", "職員数", "", "target"): (V(680), R1, "ok"),
    ("02-106", "職員数", "", "actual"): (V(690), R1, "ok"),
    ("02-107", "特定空き家の発生数", "", "baseline"): (V(0), "2018", "ok"),
    ("02-107", "特定空き家の発生数", "", "target"): (V(0), R1, "ok"),
    ("02-107", "特定空き家の発生数", "", "actual"): (V(0), R1, "ok"),
    ("02-108", "防犯カメラの設置箇所数", "", "baseline"): (V(12), "2018", "ok"),
    ("02-108", "防犯カメラの設置箇所数", "", "target"): (V(18), R1, "ok"),
    ("02-108", "防犯カメラの設置箇所数", "", "actual"): (None, R1, "not_available"),
    ("03-101", "公民館利用者数", "", "baseline"): (V(250000), "2017", "ok"),
    ("03-101", "公民館利用者数", "", "target"): (V(255000), R1, "ok"),
    ("03-101", "公民館利用者数", "", "actual"): (V(248100), R1, "ok"),
    ("03-102", "図書館の貸出冊数", "", "baseline"): (V(610000), "2017", "ok"),
    ("03-102", "図書館の貸出冊数", "", "target"): (V(650000), R1, "ok"),
    ("03-102", "図書館の貸出冊数", "", "actual"): (V(635000), R1, "ok"),
}
DEPARTMENTS = {
    "相談支援の延べ件数": "子育て支援課", "保育施設の定員数": "子育て支援課", "講座の参加者数": "子育て支援課",
    "支援方針の策定": "子ども家庭課", "荒廃農地面積": "農業振興課", "農作物の被害額": "農業振興課",
    "寄附金受入額": "財政課", "児童向け啓発回数": "子ども家庭課", "高齢者向け研修参加者数": "介護高齢課",
    "消防水利整備箇所数": "警防課", "職員数": "警防課", "特定空き家の発生数": "警防課",
    "防犯カメラの設置箇所数": "警防課", "公民館利用者数": "社会教育課", "図書館の貸出冊数": "社会教育課",
}
SECTIONS = {
    "01": "まちづくり目標1：子どもが健やかに育つまち>■基本政策1-1子どもを育むまちづくり>"
          "(施策展開の方向1-1-1)子育てしやすいまちをつくる>【施策01】子育て支援の充実",
    "02": "まちづくり目標1：子どもが健やかに育つまち>■基本政策1-1子どもを育むまちづくり>"
          "(施策展開の方向1-1-1)子育てしやすいまちをつくる>【施策02】地域の安全の確保",
    "03": "まちづくり目標1：子どもが健やかに育つまち>■基本政策1-2学び合うまちづくり>"
          "(施策展開の方向1-2-1)学ぶ力をはぐむまちをつくる>【施策03】生涯学習の推進",
}


@pytest.mark.parametrize("landscape_page, repeat_header, break_after, break_after_heading", [
    # landscape, 施策02 broken after 02-105 (a department merged across the break), header repeated
    (True, True, 5, ""),
    # portrait, broken inside the 事業番号 printed once for two rows, header not repeated
    (False, False, 4, ""),
    # headings printed at the foot of a page, their table on the next
    (False, True, None, "(施策展開の方向1-2-1)"),
])
def test_another_edition_is_read_back(tmp_path, landscape_page, repeat_header, break_after, break_after_heading):
    from variants.project_plan import build, edition

    from pipeline.layouts.reading import extract_document
    from pipeline.sources import Source
    from pipeline.tidy import observations

    path = build(tmp_path / "plan_r1.pdf", edition(landscape_page, repeat_header, break_after, break_after_heading))
    extraction = extract_document(Source(file=path.name, path=path, municipality="テスト市"))
    assert extraction.layout == "project_plan"
    assert extraction.pages >= 2
    rows = observations(extraction)
    got = {(r["indicator_no"], r["indicator"], r["component"], r["measure"]):
           (Decimal(r["value"]) if r["value"] else None, r["fiscal_year"], r["status"]) for r in rows}
    assert got == EDITION
    assert len(rows) == len(EDITION)
    for r in rows:
        assert r["department"] == DEPARTMENTS[r["indicator"]], r
        assert r["section"] == unicodedata.normalize("NFKC", SECTIONS[r["indicator_no"][:2]]), r
    notes = {r["indicator"]: r["note"] for r in rows}
    assert notes["高齢者向け研修参加者数"] == unicodedata.normalize("NFKC", "主な事業：虐待防止事業(高齢者)")
