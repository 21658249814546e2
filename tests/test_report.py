"""The audit report (extracted/audit.html) built by the real stages from the real KPI report PDF.

Expected values come from the issue text (``5248 / 5500 = 0.9542 → B, published A``), the output
contract (``6.077人`` read as 6077, status corrected), the PDF itself (read with pdfplumber here,
independently of the report code) and the stage outputs the page must agree with (grades.csv,
summary_check.csv, the answer keys in tests/answers/). The page is also loaded in Debian's headless
chromium driven by Playwright (no browser download): images, tables, console, network, a 420 px
wide screen, and a screenshot that must not be blank.
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
from pipeline.report.evidence import OUTLINE
from pipeline.sources import load_sources
from pipeline.settings import DEFAULTS
from pipeline.stages import extract, grade, tidy, validate

ROOT = Path(__file__).resolve().parents[1]
KPI = "isehara_sousei_kpi_r4"
ANSWERS = ROOT / "tests" / "answers"
CHROMIUM = Path("/usr/bin/chromium")


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
    assert not re.search(r"""src\s*=\s*["']?(https?:)?//""", html)
    assert "{{" not in html and "{%" not in html, "every template expression was rendered"
    # the only links leaving the page are the documents' source URLs from sources.yaml
    urls = {s.url for s in load_sources(RAW).sources}
    outside = {a.attrs["href"] for a in root.find_all("a") if not a.attrs["href"].startswith(("#", "validation/"))}
    assert outside and outside <= urls


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


def test_grade_table_counts_published_against_recomputed_grades(kpi):
    _, _, root = kpi
    keys = read_csv(ANSWERS / f"{KPI}.grades.csv")
    expected = Counter((k["published_grade"], k["recomputed_grade"]) for k in keys)
    table = section(root, KPI).find("table", cls="confusion")
    shown = {}
    for row in table.find("tbody").find_all("tr"):
        for td in row.find_all("td"):
            if "data-recomputed" in td.attrs:
                text = page_text(td)
                shown[(row.attrs["data-published"], td.attrs["data-recomputed"])] = 0 if text == "·" else int(text)
    assert {k: v for k, v in shown.items() if v} == dict(expected)
    # only grades that occur are columns: no bar or column of grades the report never printed or gave
    assert set(shown) == {(p, r) for p in {p for p, _ in expected} for r in {r for _, r in expected}}
    # the off-diagonal cells (published differs from recomputed) are marked
    differs = [td for td in table.find_all("td", cls="differs")]
    assert sum(int(page_text(td)) for td in differs) == sum(n for (p, r), n in expected.items() if p and r and p != r)


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
    assert not doc.find_all("table", cls="confusion") and "No grades" in page_text(doc)
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
    from pipeline.report.findings import Finding
    from pipeline.report.inputs import AuditInputs, DocumentAudit, Indicator
    from pipeline.report.page import render_page
    from pipeline.report.provenance import Provenance

    out, _, _ = kpi
    hostile = '<script>alert("x")</script>&'
    ind = Indicator("d<b>", "1", hostile, info={"kind": hostile, "page": "1"},
                    grade={"published_grade": "A", "recomputed_grade": hostile, "agrees": "false", "reason": hostile},
                    observations=[{"measure": "actual", "text": hostile, "status": "unparsed", "fiscal_year": "2020"}])
    doc = DocumentAudit("d<b>", municipality=hostile, indicators=[ind], title=hostile, url=hostile, legend=hostile,
                        summary_checks=[{"group": hostile, "kind": "kpi", "column": hostile, "printed": hostile,
                                         "published": "1", "recomputed": "1", "status": "differs", "note": hostile}])
    inputs = AuditInputs(out, [doc], validation={"passed": False, "critical": [{"message": hostile}]},
                         notes=[hostile], problems=[{"file": hostile, "message": hostile}])
    html = render_page(inputs, [doc], {"d<b>": 1}, {}, [Finding("disagreement", hostile, hostile, hostile, "x")],
                       Provenance(hostile), hostile)
    assert "<script" not in html
    assert "d<b>" not in html and "d&lt;b&gt;" in html
    assert html.count("&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&amp;") >= 8


# -- in a real browser (Debian's chromium) --------------------------------------------------------

needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(),
                                    reason="chromium is not installed (.ci/install-browser.sh installs it)")


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium through Playwright: ``executable_path``, no browser download, offline."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield chromium
        chromium.close()


def open_page(browser, path: Path, width: int, height: int = 1400):
    """The page loaded at a screen size, with its console messages and every request it made."""
    page = browser.new_page(viewport={"width": width, "height": height})
    console, requests = [], []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: console.append(f"error: {error}"))
    page.on("request", lambda request: requests.append(request.url))
    page.goto(path.resolve().as_uri())
    page.wait_for_load_state("load")
    return page, console, requests


@needs_chromium
def test_page_renders_in_headless_chromium(kpi, browser):
    out, _, root = kpi
    page, console, requests = open_page(browser, out / "audit.html", 1280)
    assert page.title().startswith("Audit report")
    assert console == []
    assert all(url.startswith(("file:", "data:")) for url in requests), "nothing fetched from the network"
    images = page.evaluate("""[...document.images].map(i => ({ok: i.complete && i.naturalWidth > 0,
                                                               w: i.getBoundingClientRect().width,
                                                               h: i.getBoundingClientRect().height}))""")
    assert len(images) == len(root.find_all("img")) >= 4
    assert all(i["ok"] for i in images), "every evidence image decodes"
    assert all(i["w"] > 300 and i["h"] > 10 for i in images), "images are laid out, not collapsed"
    for name in ("overview", "indicators", "summary-check", "confusion", "validation"):
        box = page.locator(f"table.{name}").first.bounding_box()
        assert box and box["height"] > 20 and box["width"] > 100, name
    colour = page.evaluate("""[document.querySelector('tr.disagree > td'), document.querySelector('tr:not(.disagree):not(.check) > td')]
                              .map(td => getComputedStyle(td).backgroundColor)""")
    assert colour[0] != colour[1], "disagreements are highlighted"
    # the findings are the first thing on the page, before any document
    order = page.evaluate("[...document.querySelectorAll('main > section')].map(s => s.dataset.document || s.id)")
    assert order[0] == "findings" and order.index(KPI) > order.index("findings")
    page.close()


@needs_chromium
def test_the_page_reads_on_a_420_px_screen(kpi, browser):
    out, _, _ = kpi
    page, console, _ = open_page(browser, out / "audit.html", 420)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 420, f"the page is {width} px wide on a 420 px screen: it overflows"
    # the text stays readable: the findings list and a document's header fit the screen
    for selector in ("#findings", f"section[data-document='{KPI}'] dl.source"):
        box = page.locator(selector).first.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 420, selector
    # a wide table scrolls inside its box; its columns are not squeezed to a letter per line
    name = page.locator(f"section[data-document='{KPI}'] table.indicators td:nth-child(2)").first.bounding_box()
    assert name["width"] > 100, f"the indicator column is {name['width']} px wide"
    page.close()


@needs_chromium
def test_a_page_that_overflows_is_caught_at_420_px(browser, tmp_path):
    """The width check can fail: a page with a wide, unwrapped table overflows."""
    wide = tmp_path / "wide.html"
    wide.write_text('<!DOCTYPE html><html><head><meta name="viewport" content="width=device-width">'
                    '</head><body><table><tr>' + "<td>列の内容</td>" * 80 + "</tr></table></body></html>",
                    encoding="utf-8")
    page, _, _ = open_page(browser, wide, 420)
    assert page.evaluate("document.documentElement.scrollWidth") > 420
    page.close()


@needs_chromium
def test_screenshot_is_not_blank(kpi, browser, tmp_path):
    out, _, _ = kpi

    def shot(path: Path) -> Image.Image:
        page, _, _ = open_page(browser, path, 1280, 1600)
        image = Image.open(io.BytesIO(page.screenshot())).convert("L")
        page.close()
        return image

    image = shot(out / "audit.html")
    assert image.size == (1280, 1600)
    blank = tmp_path / "blank.html"
    blank.write_text("<!DOCTYPE html><html><body></body></html>", encoding="utf-8")
    assert ImageStat.Stat(shot(blank)).stddev[0] < 1     # the measure tells a blank page apart
    spread = ImageStat.Stat(image).stddev[0]
    assert spread > 20, f"the screenshot is (nearly) blank: pixel standard deviation {spread:.1f}"
    dark = sum(image.histogram()[:128]) / (1280 * 1600)
    assert dark > 0.02


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


# -- findings first, sources, provenance, exact crops -----------------------------------------------

DECLARATION = "isehara_kikaku_declaration_h28"


@pytest.fixture(scope="module")
def two_and_a_broken(tmp_path_factory):
    """The KPI report, a report with no findings and a damaged PDF, through every stage."""
    base = tmp_path_factory.mktemp("findings")
    raw, out = base / "raw", base / "out"
    raw.mkdir()
    entries = {s.document: s for s in load_sources(RAW).sources}
    lines = []
    for name in (KPI, DECLARATION):
        shutil.copy(RAW / f"{name}.pdf", raw / f"{name}.pdf")
        s = entries[name]
        lines.append(f"- file: {name}.pdf\n  municipality: {s.municipality}\n  title: {s.title}\n"
                     f"  published: '{s.published}'\n  url: {s.url}\n")
    (raw / "broken.pdf").write_bytes(b"%PDF-1.4\n% cut short\n")
    lines.append("- file: broken.pdf\n  municipality: 伊勢原市\n")
    (raw / "sources.yaml").write_text("".join(lines), encoding="utf-8")
    problems = extract.run(raw, out, settings())
    assert [p.file for p in problems if p.severity == "error"] == ["broken.pdf"]
    tidy.run(out)
    grade.run(out, settings())
    html = write_audit(out, raw, settings()).read_text(encoding="utf-8")
    return out, raw, Tree(html).root


def test_the_page_opens_with_every_finding_most_serious_first(two_and_a_broken):
    out, _, root = two_and_a_broken
    main = root.find("main")
    first = next(c for c in main.children if c.tag in ("section", "nav"))
    assert first.attrs.get("id") == "findings"
    items = first.find("ol", cls="findings").find_all("li")
    kinds = [li.attrs["data-kind"] for li in items]
    keys = read_csv(ANSWERS / f"{KPI}.grades.csv")
    differ = [k for k in keys if k["published_grade"] and k["published_grade"] != k["recomputed_grade"]]
    summary = [r for r in read_csv(ANSWERS / f"{KPI}.summary.csv")]
    assert kinds[0] == "not_read" and "broken.pdf" in page_text(items[0])
    assert kinds.count("disagreement") == len(differ)
    assert kinds.count("corrected") >= 1          # 6.077人, the contract's example
    assert kinds.count("summary") >= 1 and summary
    severity = ["not_read", "disagreement", "summary", "unparsed", "corrected"]
    assert [severity.index(k) for k in kinds] == sorted(severity.index(k) for k in kinds)
    for k in differ:
        assert any(k["indicator"] in page_text(li) for li in items if li.attrs["data-kind"] == "disagreement")
    ids = {n.attrs.get("id") for n in root.iter()}
    for li in items:
        href = li.find("a").attrs["href"]
        assert href.startswith("#") and href[1:] in ids, f"{page_text(li)} links to its evidence"
    # the document with findings comes before the one without, whatever their names
    order = [s.attrs["data-document"] for s in root.find_all("section", cls="document")]
    assert order == [KPI, DECLARATION]


def test_each_document_shows_its_source(two_and_a_broken):
    _, raw, root = two_and_a_broken
    for source in load_sources(raw).sources:
        doc = root.find_all("section", cls="document", data_document=source.document)
        if not doc:
            continue
        text = page_text(doc[0])
        assert source.title and page_text(doc[0].find("h2")).endswith(source.title)
        assert source.municipality in page_text(doc[0].find("dd", cls="municipality"))
        assert page_text(doc[0].find("dd", cls="published")) == str(source.published)
        assert doc[0].find("dd", cls="url").find("a").attrs["href"] == source.url
        assert "legend" in text


def test_the_page_says_when_from_which_commit_and_with_which_legend(kpi, tmp_path, monkeypatch):
    import subprocess

    out, _, _ = kpi
    project = tmp_path / "project"
    project.mkdir()
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    (project / "a.txt").write_text("a", encoding="utf-8")
    subprocess.run([*git, "-C", str(project), "add", "a.txt"], check=True)
    env = {"GIT_COMMITTER_DATE": "2024-05-06T07:08:09Z", "GIT_AUTHOR_DATE": "2024-05-06T07:08:09Z"}
    subprocess.run([*git, "-C", str(project), "commit", "-qm", "x"], check=True, env={**__import__("os").environ, **env})
    commit = subprocess.run(["git", "-C", str(project), "rev-parse", "HEAD"], capture_output=True, text=True,
                            check=True).stdout.strip()
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = build_audit(out, RAW, settings(), project)
    made = Tree(first).root.find("p", cls="made")
    assert made.attrs["data-commit"] == commit and made.attrs["data-when"] == "2024-05-06T07:08:09Z"
    assert "commit time" in page_text(made) and "A >=100%" in page_text(made)
    assert build_audit(out, RAW, settings(), project) == first, "the same inputs give the same page"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    made = Tree(build_audit(out, RAW, settings(), project)).root.find("p", cls="made")
    assert made.attrs["data-when"] == "2023-11-14T22:13:20Z" and "SOURCE_DATE_EPOCH" in page_text(made)
    # with a legend of its own in params.yaml, the page says that one
    changed = settings()
    changed["grading"]["thresholds"] = {"A": "1.00", "B": "0.70", "C": "0.50"}
    assert "B >=70%" in page_text(Tree(build_audit(out, RAW, changed, project)).root.find("p", cls="made"))


def words_of(page_number: int, document: str = KPI) -> list[dict]:
    with pdfplumber.open(RAW / f"{document}.pdf") as pdf:
        return pdf.pages[page_number - 1].extract_words()


def test_crops_show_exactly_the_row_and_outline_the_cells_the_grade_used(kpi):
    _, _, root = kpi
    figures = section(root, KPI).find_all("figure", cls="evidence")
    for figure in figures:
        for img in figure.find_all("img"):
            x0, top, x1, bottom = map(float, img.attrs["data-area"].split())
            columns = [tuple(map(float, m.split())) for m in img.attrs["data-marks"].split(";")]
            assert columns, "the cells in question are outlined"
            for word in words_of(int(img.attrs["data-page"])):
                in_column = any(m[0] <= word["x0"] and word["x1"] <= m[2] for m in columns)
                shown = word["bottom"] > top + 0.5 and word["top"] < bottom - 0.5
                if in_column and shown:    # no word of the rows above or below shows in a value column
                    assert word["top"] >= top - 1 and word["bottom"] <= bottom + 1, (word["text"], top, bottom)
    # KPI 15: rate = actual 5248 (FY2022) / target 5500: exactly those two cells are outlined
    figure = next(f for f in figures if "disagreement" in f.classes and "年間転入者数" in page_text(f))
    img = figure.find("img")
    marks = [tuple(map(float, m.split())) for m in img.attrs["data-marks"].split(";")]
    words = words_of(int(img.attrs["data-page"]))

    def marked(text: str) -> bool:
        word = next(w for w in words if text in w["text"])
        return any(m[0] <= word["x0"] and word["x1"] <= m[2] and m[1] <= word["top"] and word["bottom"] <= m[3]
                   for m in marks)
    assert marked("5248") and marked("5,500")
    assert not marked("5,344") and not marked("4,692"), "the baseline and earlier actuals are not outlined"
    pixels = decode_png(img.attrs["src"]).getdata()
    assert sum(1 for p in pixels if p == OUTLINE) > 100


def test_the_report_finds_a_value_by_its_cell_id(kpi, tmp_path):
    """Evidence follows observations.csv's cell_id, not the value's name: point the corrected value
    at another cell and the outline moves there."""
    import csv as csv_module

    out, _, _ = kpi
    copy_out = tmp_path / "out"
    shutil.copytree(out, copy_out, ignore=shutil.ignore_patterns("audit.html"))
    rows = read_csv(copy_out / "observations.csv")
    corrected = next(r for r in rows if r["status"] == "corrected")
    other = next(r for r in rows if r["text"] == "7,055人")        # the baseline of the same row
    corrected["cell_id"] = other["cell_id"]
    with open(copy_out / "observations.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv_module.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    root = Tree(build_audit(copy_out, RAW, settings())).root
    img = section(root, KPI).find("figure", cls="corrected").find("img")
    mark = tuple(map(float, img.attrs["data-marks"].split()))
    word = next(w for w in words_of(int(img.attrs["data-page"])) if w["text"] == "7,055人")
    assert mark[0] <= word["x0"] and word["x1"] <= mark[2]


@pytest.fixture
def fresh_environment():
    """The page's Jinja environment built anew by the test (it is made once per process), and again
    after it, so that other tests get the default template cache."""
    from pipeline.report import page

    page.environment.cache_clear()
    yield page.environment
    page.environment.cache_clear()


def test_the_page_is_the_same_bytes_with_its_template_compiled_or_read_from_the_cache(kpi, tmp_path, monkeypatch,
                                                                                       fresh_environment):
    """The template is compiled once per machine (``pipeline.templates``): a run on an empty cache
    compiles and stores it, the next process reads it back, and the page is the bytes a run
    without any cache (``MUNIPLAN_TEMPLATE_CACHE`` empty) gives."""
    out, _, _ = kpi
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    pages, compiled = {}, {}
    for run, folder in (("no cache", ""), ("empty cache", str(tmp_path / "cache")), ("filled cache", str(tmp_path / "cache"))):
        monkeypatch.setenv("MUNIPLAN_TEMPLATE_CACHE", folder)
        fresh_environment.cache_clear()          # a new process: a new environment on the folder
        env = fresh_environment()
        compile_ = env.compile
        compiled[run] = []

        def counted(source, name=None, *args, _run=run, _compile=compile_, **kwargs):
            compiled[_run].append(name)
            return _compile(source, name, *args, **kwargs)
        env.compile = counted
        pages[run] = build_audit(out, RAW, settings(), ROOT)
    assert sorted(compiled["no cache"]) == sorted(compiled["empty cache"]) == ["audit.css", "audit.html.j2"]
    assert compiled["filled cache"] == [], "the second process reads the compiled templates back"
    assert len(list((tmp_path / "cache").rglob("*.cache"))) == 2
    assert pages["empty cache"] == pages["no cache"] and pages["filled cache"] == pages["no cache"]
    assert 'class="made"' in pages["no cache"] and KPI in pages["no cache"]


def test_templates_warmed_at_set_up_are_not_compiled_by_the_first_report(tmp_path, monkeypatch, fresh_environment):
    """``python -m pipeline warm-templates`` (a real process, as ``make setup`` runs it) leaves nothing for a report to compile."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "MUNIPLAN_TEMPLATE_CACHE": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "pipeline", "warm-templates"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300, check=True)
    assert f"2 audit page templates compiled into {tmp_path}" in done.stdout and not done.stderr.strip()
    monkeypatch.setenv("MUNIPLAN_TEMPLATE_CACHE", str(tmp_path))
    environment = fresh_environment()
    compiled: list[str] = []
    compile_ = environment.compile
    environment.compile = lambda source, name=None, *a, **k: compiled.append(name) or compile_(source, name, *a, **k)
    environment.get_template("audit.html.j2")
    environment.get_template("audit.css")
    assert compiled == []
