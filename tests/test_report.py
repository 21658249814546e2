"""The audit report (extracted/audit.html) built by the real stages from the real KPI report PDF.

Expected values come from the issue text (``5248 / 5500 = 0.9542 → B, published A``), the output
contract (``6.077人`` read as 6077, status corrected), the PDF itself (read with pdfplumber here,
independently of the report code) and the stage outputs the page must agree with (grades.csv,
summary_check.csv). The page is also loaded in Debian's headless chromium: images, chart, tables,
console, network, and a screenshot that must not be blank.
"""
from __future__ import annotations

import base64
import copy
import io
import re
import shutil
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pdfplumber
import pytest
from conftest import RAW, read_csv
from PIL import Image, ImageStat

from pipeline.report import build_audit, write_audit
from pipeline.report.browser import BrowserError, check_page, find_chromium, screenshot
from pipeline.report.evidence import OUTLINE
from pipeline.settings import DEFAULTS
from pipeline.stages import extract, grade, tidy, validate

ROOT = Path(__file__).resolve().parents[1]
KPI = "isehara_sousei_kpi_r4"


# -- a small DOM from the stdlib parser -----------------------------------------------------------

VOID = {"img", "meta", "br", "hr", "input", "link", "rect", "line", "source"}


class Node:
    def __init__(self, tag: str, attrs: dict, parent: "Node | None"):
        self.tag, self.attrs, self.parent, self.children, self.texts = tag, attrs, parent, [], []

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def text(self) -> str:
        return "".join(self.texts[0:1] + [c.text() + "".join(c.tail) for c in self.children]) if self.children \
            else "".join(self.texts)

    def iter(self):
        yield self
        for child in self.children:
            yield from child.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs) -> list["Node"]:
        return [n for n in self.iter() if (tag is None or n.tag == tag) and (cls is None or cls in n.classes)
                and all(n.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())]

    def find(self, *args, **kwargs) -> "Node":
        found = self.find_all(*args, **kwargs)
        assert found, f"no {args} {kwargs} in <{self.tag} {self.attrs}>"
        return found[0]


class Tree(HTMLParser):
    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {}, None)
        self.current = self.root
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), self.current)
        node.tail = []
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        node = Node(tag, dict(attrs), self.current)
        node.tail = []
        self.current.children.append(node)

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        if self.current.children:
            self.current.children[-1].tail.append(data)
        else:
            self.current.texts.append(data)


def page_text(node: Node) -> str:
    return " ".join("".join(node.text()).split())


def decode_png(uri: str) -> Image.Image:
    assert uri.startswith("data:image/png;base64,")
    return Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1]))).convert("RGB")


# -- the real pipeline on the real PDF ------------------------------------------------------------

def settings() -> dict:
    found = copy.deepcopy(DEFAULTS)
    found["extract"]["jobs"] = 1
    return found


def run_stages(out: Path, *, grade_it: bool = True, validate_it: bool = True) -> None:
    problems = extract.run(RAW, out, settings(), {KPI})
    assert not [p for p in problems if p.severity == "error"], problems
    tidy.run(out)
    if grade_it:
        grade.run(out, settings())
    if validate_it:
        validate.run(out, ROOT / "expectations", settings())


@pytest.fixture(scope="module")
def kpi(tmp_path_factory):
    """The KPI report through extract, tidy, grade, validate and report: (out folder, HTML, DOM)."""
    out = tmp_path_factory.mktemp("audit")
    run_stages(out)
    path = write_audit(out, RAW, settings())
    assert path == out / "audit.html"
    html = path.read_text(encoding="utf-8")
    return out, html, Tree(html).root


def section(root: Node, document: str) -> Node:
    return root.find("section", cls="document", data_document=document)


def indicator_rows(doc: Node) -> list[Node]:
    return doc.find("table", cls="indicators").find("tbody").find_all("tr")


def pdf_page_of(text: str, document: str = KPI) -> tuple[int, dict]:
    """The 1-based page and the word box where ``text`` is printed in the PDF (pdfplumber, not the report)."""
    with pdfplumber.open(RAW / f"{document}.pdf") as pdf:
        for number, page in enumerate(pdf.pages, 1):
            for word in page.extract_words(keep_blank_chars=False):
                if text in word["text"]:
                    return number, word
    raise AssertionError(f"{text} not printed in {document}.pdf")


# -- content --------------------------------------------------------------------------------------

def test_the_page_is_self_contained(kpi):
    _, html, root = kpi
    assert html.startswith("<!DOCTYPE html>")
    assert "<script" not in html.lower()
    # nothing fetched from anywhere: every image is inline, no stylesheet or font is linked
    assert all(img.attrs["src"].startswith("data:image/png;base64,") for img in root.find_all("img"))
    assert not root.find_all("link")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)


def test_disagreements_come_first_highlighted_with_their_reason(kpi):
    out, _, root = kpi
    disagreeing = {(g["indicator_no"], g["indicator"]) for g in read_csv(out / "grades.csv") if g["agrees"] == "false"}
    assert disagreeing, "the KPI report has published grades that the legend does not give"
    rows = indicator_rows(section(root, KPI))
    flagged = ["disagree" in row.classes for row in rows]
    assert flagged == sorted(flagged, reverse=True), "every disagreement comes before every agreement"
    assert sum(flagged) == len(disagreeing)
    shown = {(row.attrs["data-indicator"], page_text(row.find_all("td")[1]).split(" ")[0]) for row in rows[:len(disagreeing)]}
    assert {no for no, _ in shown} == {no for no, _ in disagreeing}
    # the example of the issue: KPI 15 年間転入者数, printed A, 5248 / 5500 = 0.9542 -> B
    row = next(r for r in rows if r.attrs["data-indicator"] == "15" and "年間転入者数" in page_text(r))
    assert "disagree" in row.classes
    text = page_text(row)
    assert re.search(r"5248\D.*5500 = 0\.9542 → B, published A", text), text
    # and the values the row shows are the PDF's (5,344人 baseline; 4,692 / 4,463 / 5248 actuals; 5,500 target)
    cells = row.find_all("td")
    assert "5,344" in page_text(cells[2])
    assert [v in page_text(cells[3]) for v in ("4,692", "4,463", "5,248")] == [True] * 3
    assert "5,500" in page_text(cells[4])
    assert page_text(cells[6]) == "A" and page_text(cells[7]) == "B"


def test_every_disagreement_and_corrected_cell_has_a_cropped_row_of_its_pdf_page(kpi):
    out, _, root = kpi
    doc = section(root, KPI)
    figures = doc.find_all("figure", cls="evidence")
    disagreements = [g for g in read_csv(out / "grades.csv") if g["document"] == KPI and g["agrees"] == "false"]
    corrected = [o for o in read_csv(out / "observations.csv")
                 if o["document"] == KPI and o["status"] in ("corrected", "unparsed")]
    assert len([f for f in figures if "disagreement" in f.classes]) == len(disagreements)
    assert len([f for f in figures if f.classes & {"corrected", "unparsed"}]) == len(corrected) >= 1
    for figure in figures:
        images = figure.find_all("img")
        assert images, page_text(figure)
        for img in images:
            picture = decode_png(img.attrs["src"])
            assert picture.size == (int(img.attrs["width"]), int(img.attrs["height"]))
            assert max(ImageStat.Stat(picture.convert("L")).stddev) > 20, "the crop shows print, not a blank"
            x0, top, x1, bottom = map(float, img.attrs["data-area"].split())
            assert bottom - top < 120 < x1 - x0, "a table row (wide, not tall), not a whole page"
            assert f"page {img.attrs['data-page']}" in page_text(figure)

    # the example row: where pdfplumber finds 年間転入者数 is inside the crop, on its page
    figure = next(f for f in figures if "disagreement" in f.classes and "年間転入者数" in page_text(f))
    page, word = pdf_page_of("年間転入者数")
    img = figure.find("img")
    x0, top, x1, bottom = map(float, img.attrs["data-area"].split())
    assert int(img.attrs["data-page"]) == page
    assert x0 <= word["x0"] and word["x1"] <= x1 and top <= word["top"] and word["bottom"] <= bottom

    # the contract's example of a mistyped separator: 6.077人, read as 6077, outlined in its row
    figure = next(f for f in figures if "corrected" in f.classes)
    assert "6.077人" in page_text(figure) and "6,077" in page_text(figure)
    page, word = pdf_page_of("6.077")
    img = figure.find("img")
    x0, top, x1, bottom = map(float, img.attrs["data-area"].split())
    assert int(img.attrs["data-page"]) == page and top <= word["top"] and word["bottom"] <= bottom
    pixels = decode_png(img.attrs["src"]).getdata()
    assert sum(1 for p in pixels if p == OUTLINE) > 50, "the corrected cell is outlined"
    # each row links to its evidence
    anchors = {f.attrs["id"] for f in figures}
    links = {a.attrs["href"][1:] for a in doc.find("table", cls="indicators").find_all("a")}
    assert anchors <= links


def test_summary_check_shows_printed_detail_and_recomputed_counts(kpi):
    out, _, root = kpi
    checks = [c for c in read_csv(out / "summary_check.csv") if c["document"] == KPI]
    table = section(root, KPI).find("table", cls="summary-check")
    rows = table.find("tbody").find_all("tr")
    columns = [page_text(th) for th in table.find("thead").find_all("th")][3:]
    assert columns[:2] == ["count", "A"]
    values = {}
    for row in rows:
        numbers = [page_text(td) for td in row.find_all("td")][-len(columns):]
        for column, value in zip(columns, numbers):
            values[(row.attrs["data-group"], row.attrs["data-kind"], row.attrs["data-source"], column)] = value
    assert {source for (_, _, source, _) in values} == {"printed", "published", "recomputed"}
    for check in checks:
        for source in ("printed", "published", "recomputed"):
            assert values[(check["group"], check["kind"], source, check["column"])] == check[source]
    # what the KPI report prints about itself: 9 goals and 33 KPIs in all (its 総括表 合計 row)
    total = {kind: values[(g, kind, "printed", "count")] for (g, kind, s, c) in values if "合計" in g}
    assert total == {"goal": "9", "kpi": "33"}
    highlighted = len(table.find_all("td", cls="differs"))
    assert highlighted == 3 * sum(c["status"] != "ok" for c in checks)


def test_chart_counts_published_and_recomputed_grades(kpi):
    out, _, root = kpi
    grades = [g for g in read_csv(out / "grades.csv") if g["document"] == KPI]
    published = Counter(g["published_grade"] for g in grades)
    recomputed = Counter(g["recomputed_grade"] for g in grades)
    svg = section(root, KPI).find("svg", cls="chart")
    bars = svg.find_all("rect", cls="bar")
    shown = {(b.attrs["data-series"], b.attrs["data-grade"]): int(b.attrs["data-count"]) for b in bars}
    for grade in "ABCD":
        assert shown[("published", grade)] == published[grade]
        assert shown[("recomputed", grade)] == recomputed[grade]
    assert sum(v for (s, _), v in shown.items() if s == "published") == len(grades)
    # bar heights are proportional to the counts
    tallest = max(bars, key=lambda b: int(b.attrs["data-count"]))
    per_one = float(tallest.attrs["height"]) / int(tallest.attrs["data-count"])
    for bar in bars:
        assert float(bar.attrs["height"]) == pytest.approx(int(bar.attrs["data-count"]) * per_one, abs=0.1)


def test_validation_summary_is_shown(kpi):
    out, _, root = kpi
    import json
    outcome = json.loads((out / "validation" / "outcome.json").read_text(encoding="utf-8"))
    text = page_text(root.find("section", id="validation"))
    assert ("passed" if outcome["passed"] else "FAILED") in text
    assert f"{outcome['expectations_run']} expectations" in text
    for failure in outcome["warnings"] + outcome["critical"]:
        assert " ".join(failure["message"].split()) in text


def test_contents_link_to_every_document_section(kpi):
    _, _, root = kpi
    nav = root.find("nav", cls="toc")
    targets = {a.attrs["href"][1:] for a in nav.find_all("a")}
    ids = {n.attrs.get("id") for n in root.iter()}
    assert targets <= ids
    assert section(root, KPI).attrs["id"] in targets


def test_missing_stages_are_said_not_fatal(tmp_path):
    """Extract and tidy only: no grades, no 総括表 check, no validation — the page says so."""
    run_stages(tmp_path, grade_it=False, validate_it=False)
    root = Tree(write_audit(tmp_path, RAW, settings()).read_text(encoding="utf-8")).root
    notes = page_text(root.find("div", cls="note"))
    assert "grades.csv is missing" in notes and "summary_check.csv is missing" in notes
    assert "outcome.json is missing" in page_text(root.find("section", id="validation"))
    doc = section(root, KPI)
    assert not doc.find_all("svg") and "No grades" in page_text(doc)
    assert not doc.find_all("tr", cls="disagree")
    # the corrected cell still gets its evidence
    assert doc.find("figure", cls="corrected").find("img")


def test_without_the_pdf_the_evidence_says_why_instead_of_a_broken_image(tmp_path):
    out = tmp_path / "out"
    run_stages(out, validate_it=False)
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(RAW / "sources.yaml", raw / "sources.yaml")     # lists the PDF, which is not there
    root = Tree(write_audit(out, raw, settings()).read_text(encoding="utf-8")).root
    doc = section(root, KPI)
    assert not root.find_all("img")
    missing = doc.find_all("div", cls="missing")
    assert missing and all(f"{KPI}.pdf" in page_text(m) for m in missing)


def test_text_is_escaped(kpi):
    from pipeline.report.inputs import AuditInputs, DocumentAudit, Indicator
    from pipeline.report.page import render_page

    out, _, _ = kpi
    hostile = '<script>alert("x")</script>&'
    ind = Indicator("d<b>", "1", hostile, info={"kind": hostile, "page": "1"},
                    grade={"published_grade": "A", "recomputed_grade": hostile, "agrees": "false", "reason": hostile},
                    observations=[{"measure": "actual", "text": hostile, "status": "unparsed", "fiscal_year": "2020"}])
    doc = DocumentAudit("d<b>", municipality=hostile, indicators=[ind],
                        summary_checks=[{"group": hostile, "kind": "kpi", "column": hostile, "printed": hostile,
                                         "published": "1", "recomputed": "1", "status": "differs", "note": hostile}])
    inputs = AuditInputs(out, [doc], validation={"passed": False, "critical": [{"message": hostile}]},
                         notes=[hostile], problems=[{"file": hostile, "message": hostile}])
    html = render_page(inputs, {})
    assert "<script" not in html
    assert "d<b>" not in html and "d&lt;b&gt;" in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;" in html


# -- in a real browser (Debian's chromium) --------------------------------------------------------

needs_chromium = pytest.mark.skipif(find_chromium() is None,
                                    reason="chromium is not installed (.ci/install-browser.sh installs it)")


@needs_chromium
def test_page_renders_in_headless_chromium(kpi):
    out, _, root = kpi
    check = check_page(out / "audit.html")
    assert check.title.startswith("Audit report")
    assert check.errors == [] and check.remote_requests == []
    assert len(check.images) == len(root.find_all("img")) >= 4
    assert check.broken_images == []
    assert all(i["width"] > 300 and i["height"] > 10 for i in check.images), "images are laid out, not collapsed"
    chart = next(c for c in check.charts if c["document"] == KPI)
    assert chart["width"] > 100 and chart["height"] > 100
    assert all((bar["height"] > 0) == (bar["count"] > 0) for bar in chart["bars"])
    tables = {t["cls"]: t for t in check.tables}
    for name in ("overview", "indicators", "summary-check", "validation"):
        assert tables[name]["height"] > 20 and tables[name]["width"] > 200, name
    assert check.backgrounds["disagree"] != check.backgrounds["plain"], "disagreements are highlighted"
    assert check.documents == [KPI]


@needs_chromium
def test_the_browser_check_catches_broken_pages(tmp_path):
    page = tmp_path / "broken.html"
    page.write_text('<!DOCTYPE html><html><body><img src="missing.png"><img src="data:image/png;base64,AAAA">'
                    '<script>console.error("boom")</script></body></html>', encoding="utf-8")
    check = check_page(page)
    assert len(check.broken_images) == 2
    assert any("boom" in message for message in check.console)


@needs_chromium
def test_screenshot_is_not_blank(kpi, tmp_path):
    out, _, _ = kpi
    shot = Image.open(screenshot(out / "audit.html", tmp_path / "audit.png", size=(1280, 1600))).convert("L")
    assert shot.size == (1280, 1600)
    spread = ImageStat.Stat(shot).stddev[0]
    # a blank page for comparison, through the same code: the measure tells the two apart
    blank = tmp_path / "blank.html"
    blank.write_text("<!DOCTYPE html><html><body></body></html>", encoding="utf-8")
    empty = ImageStat.Stat(Image.open(screenshot(blank, tmp_path / "blank.png", size=(1280, 1600))).convert("L"))
    assert empty.stddev[0] < 1
    assert spread > 20, f"the screenshot is (nearly) blank: pixel standard deviation {spread:.1f}"
    # dark pixels (text, header, bars) cover a real part of the page
    dark = sum(shot.histogram()[:128]) / (1280 * 1600)
    assert dark > 0.02


def test_browser_errors_are_clear_without_chromium(tmp_path):
    with pytest.raises(BrowserError, match="chromium"):
        check_page(tmp_path / "x.html", chromium=str(tmp_path / "no-such-chromium"))


def test_a_pdf_changed_since_extraction_is_said(kpi, tmp_path):
    out, _, _ = kpi
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(RAW / "sources.yaml", raw / "sources.yaml")
    data = (RAW / f"{KPI}.pdf").read_bytes() + b"\n% edited after extraction\n"
    (raw / f"{KPI}.pdf").write_bytes(data)
    root = Tree(build_audit(out, raw, settings())).root      # build only: the module's audit.html stays as it is
    assert f"{KPI}.pdf has changed since it was extracted" in page_text(root.find("div", cls="note"))
    assert root.find_all("img"), "the images are still cut, with the warning"
