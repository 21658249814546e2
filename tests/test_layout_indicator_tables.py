"""The general indicator-table reader on other cities' reports (raw/, keys in tests/answers/): a KPI table
with a two-row header, a 単位 column and a year column, and plan tables ruled with horizontal lines only.
Every value, unit, direction and status must equal the answer key; what cannot be read is named."""
from __future__ import annotations

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from conftest import RAW
from golden import differences
from pipeline.layouts.indicator_tables import SPEC
from pipeline.layouts.reading import extract_document
from pipeline.layouts.table_reader import column_role
from pipeline.extract.errors import DocumentError
from pipeline.sources import Source
from pipeline.tidy import observations

EDITIONS = {"atsugi_sousei_kpi_r5": "厚木市", "hiratsuka_plan_seika_r4": "平塚市"}


@pytest.fixture(scope="module")
def read():
    cache = {}

    def get(document: str):
        if document not in cache:
            path = RAW / f"{document}.pdf"
            cache[document] = extract_document(Source(file=path.name, path=path, municipality=EDITIONS[document]))
        return cache[document]
    return get


@pytest.mark.parametrize("document", sorted(EDITIONS))
def test_other_cities_reports_read_exactly(read, document):
    assert differences(document, observations(read(document))) == []


def test_unit_column_scales_and_year_column_dates_the_baseline(read):
    rows = {(r["indicator"], r["measure"], r["fiscal_year"]): r for r in observations(read("atsugi_sousei_kpi_r5"))}
    sales = rows[("市内農産物直売所の年間販売額", "baseline", "2018")]     # 412,350 in a 千円 column, H30
    assert (sales["value"], sales["unit"]) == ("412350000", "円")
    visitors = rows[("観光入込客数", "baseline", "2019")]                 # 'H29～R元\n平均' in the 年度 column
    assert visitors["period_start"] == "2017"


def test_goal_cell_merged_across_the_page_break_names_every_row(read):
    doc = read("atsugi_sousei_kpi_r5")
    by_no = {c.indicator_no: c for c in doc.cells}
    assert len(by_no) == 19
    assert all(c.group for c in doc.cells)
    assert by_no["10"].group == by_no["13"].group != by_no["14"].group == by_no["19"].group
    assert by_no["10"].page == 2


def test_published_grades_and_legend_are_delivered_as_printed(read):
    doc = read("atsugi_sousei_kpi_r5")
    grades = {c.indicator_no: c.published_grade for c in doc.cells}
    assert (grades["2"], grades["1"], grades["3"], grades["17"]) == ("◎", "○", "△", "×")
    assert set(doc.legend) >= {"◎", "○", "△", "×"}


def test_plan_tables_take_their_section_from_the_headings_between_them(read):
    doc = read("hiratsuka_plan_seika_r4")
    assert doc.layout == "indicator_tables"
    sections = {c.section for c in doc.cells}
    assert len(sections) == 9 and all(">" in s for s in sections)


def _pdf(path, lines: list[tuple[float, str]], rules: list[float] = ()):
    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiKakuGo-W5"))
    c = canvas.Canvas(str(path), pagesize=A4)
    height = A4[1]
    for y in rules:
        c.line(50, height - y, 545, height - y)
    for y, text in lines:
        for x, word in (pair.split("@") for pair in text.split("|")):
            c.setFont("HeiseiKakuGo-W5", 9)
            c.drawString(float(x), height - y, word)
    c.save()
    return path


def test_an_unknown_column_is_reported_with_its_page_and_the_others_are_read(tmp_path):
    path = _pdf(tmp_path / "unknown.pdf", [
        (110, "60@成果指標|200@当初値|300@実績値|400@目標値|480@満足度"),
        (140, "60@図書館の利用者数|200@100人|300@120人|400@150人|480@高い"),
    ], rules=[95, 120, 160])
    doc = extract_document(Source(file=path.name, path=path, municipality="架空市"))
    assert {(c.measure, c.text) for c in doc.cells} == {("baseline", "100人"), ("actual", "120人"), ("target", "150人")}
    assert any("page 1" in p and "満足度" in p for p in doc.problems), doc.problems


def test_a_document_without_an_indicator_table_names_what_was_looked_for(tmp_path):
    path = _pdf(tmp_path / "prose.pdf", [(100, "60@本市の計画の概要を説明します。"), (120, "60@まちづくりの方針")])
    with pytest.raises(DocumentError) as err:
        extract_document(Source(file=path.name, path=path, municipality="架空市"))
    message = str(err.value)
    assert "kpi_report: missing 達成状況" in message and "indicator_tables: missing 指標, KPI or 実績" in message


@pytest.mark.parametrize("words, measure, year", [
    (["Ｒ元（２０１９）", "現状値"], "baseline", "Ｒ元（２０１９）"),      # a year without 年度, above the role word
    (["目標値", "令和７年度"], "target", "令和７年度"),
    (["H29", "実績値"], "actual", "H29"),
])
def test_a_columns_year_words_include_a_year_printed_without_nendo(words, measure, year):
    role, years, _ = column_role(words, SPEC)
    assert (role.measure, years) == (measure, year)
