"""The fast reading route reads exactly what the slow one read (the benchmark's "while reading them right").

Real PDFs, real pdfplumber and playa. The speed work replaced pdfminer's interpreter by playa for
page objects, pdfplumber's quadratic ``dedupe_chars`` and its per-row scan in ``Table.extract``;
each is checked here against the pdfplumber original on every page in raw/ (the shipped PDFs and the
other cities' reports), and the whole extraction of every document in raw/ and of generated editions
of every layout family (``tests/variants/``) against the pdfminer route.
"""
from __future__ import annotations

import math
import random

import pdfplumber
import pytest
from pdfplumber.utils import dedupe_chars as pdfplumber_dedupe

from conftest import RAW
from golden import READ_DOCUMENTS
from pipeline.extract import pdf as pdf_module
from pipeline.extract.grid import _CharIndex, table_texts
from pipeline.extract.pdf import clean_page, dedupe_chars, open_pdf
from pipeline.extract.playa_pages import playa_objects
from pipeline.stages.extract import process_document

PDFS = sorted(RAW.glob("*.pdf"))
# Path attributes the playa route cannot know (PDF defaults vs pdfminer's own); nothing reads them.
UNKNOWABLE = {"linewidth", "dash", "stream", "colorspace"}


def same(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return isinstance(a, (int, float)) and isinstance(b, (int, float)) and math.isclose(a, b, abs_tol=1e-6)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.stem)
def test_playa_objects_are_pdfplumbers(path):
    import playa

    with pdfplumber.open(path) as pdf, playa.open(path, space="page") as doc:
        for page, playa_page in zip(pdf.pages, doc.pages):
            fast = playa_objects(page, playa_page)
            assert fast is not None, f"page {page.page_number} fell back to pdfminer"
            slow = page.objects
            assert set(fast) == set(slow)
            for kind in slow:
                assert len(fast[kind]) == len(slow[kind]), (page.page_number, kind)
                for a, b in zip(fast[kind], slow[kind]):
                    differ = [k for k in (set(a) | set(b)) - UNKNOWABLE if not same(a.get(k), b.get(k))]
                    assert not differ, (page.page_number, kind, {k: (a.get(k), b.get(k)) for k in differ})


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.stem)
def test_dedupe_and_table_texts_are_pdfplumbers(path):
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            chars = page.chars
            shuffled = chars[:]
            random.Random(page.page_number).shuffle(shuffled)
            for given in (chars, shuffled):
                assert [id(c) for c in dedupe_chars(given, 1.0)] == [id(c) for c in pdfplumber_dedupe(given, 1.0)]
            clean = page.dedupe_chars(tolerance=1.0)
            index = _CharIndex(clean.chars)
            for table in clean.find_tables():
                assert table_texts(table, index) == table.extract()


def test_fake_bold_is_removed():
    """The fast dedupe keeps one of two characters drawn at a tiny offset, like pdfplumber's."""
    chars = [{"upright": True, "text": "目", "fontname": "F", "size": 10.0, "doctop": 100.0, "x0": 50.0},
             {"upright": True, "text": "目", "fontname": "F", "size": 10.0, "doctop": 100.3, "x0": 50.2},
             {"upright": True, "text": "目", "fontname": "F", "size": 10.0, "doctop": 100.0, "x0": 70.0},
             {"upright": True, "text": "標", "fontname": "F", "size": 10.0, "doctop": 100.0, "x0": 60.0}]
    kept = dedupe_chars(chars, 1.0)
    assert [c["x0"] for c in kept] == [50.0, 70.0, 60.0]


@pytest.mark.parametrize("path", [p for p in PDFS if p.stem in READ_DOCUMENTS], ids=lambda p: p.stem)
def test_whole_extraction_equals_the_pdfminer_route(path, sources, monkeypatch):
    source = sources[path.stem]
    fast = process_document(source)
    monkeypatch.setattr(pdf_module, "USE_PLAYA", False)
    slow = process_document(source)
    assert fast.extraction is not None
    assert fast.extraction == slow.extraction
    assert fast.problems == slow.problems


@pytest.mark.parametrize("make", ("rotated", "landscape_insert", "upside_down"))
def test_both_routes_agree_on_a_turned_page(make, sources, tmp_path, monkeypatch):
    """A turned page (issue 20, item 1) is read the same way by the playa route and the pdfminer one."""
    import dataclasses

    import pdf_faults

    source = sources["isehara_sousei_kpi_r4"]
    target = tmp_path / "turned.pdf"
    if make == "upside_down":
        pdf_faults.upside_down(source.path, target, 6)
    else:
        getattr(pdf_faults, make)(source.path, target, 6, 90)
    turned = dataclasses.replace(source, file=target.name, path=target)
    fast = process_document(turned)
    monkeypatch.setattr(pdf_module, "USE_PLAYA", False)
    slow = process_document(turned)
    assert fast.extraction is not None and len(fast.extraction["cells"]) > 100
    assert fast.extraction == slow.extraction
    assert fast.problems == slow.problems


def test_a_page_playa_cannot_give_exactly_is_read_by_pdfminer(tmp_path):
    """A rotated page is left to pdfminer: its characters are still there, read upright (``orientation``)."""
    from reportlab.pdfgen import canvas

    path = tmp_path / "rotated.pdf"
    c = canvas.Canvas(str(path), pagesize=(400, 300))
    c.drawString(50, 250, "upright page")
    c.showPage()
    c.setPageRotation(90)
    c.drawString(50, 250, "rotated page")
    c.showPage()
    c.save()
    with open_pdf(path) as pdf:
        upright, rotated = pdf.pages
        assert playa_objects(upright, upright._playa_page) is not None
        assert playa_objects(rotated, rotated._playa_page) is None
        texts = [clean_page(p).extract_text() for p in pdf.pages]
    with pdfplumber.open(path) as reference:
        assert texts[0] == reference.pages[0].dedupe_chars(tolerance=1.0).extract_text()
    assert texts == ["upright page", "rotated page"]


def _font_sampler(path) -> None:
    """A PDF exercising what the playa route rebuilds: standard 14 fonts (pdfminer's AFM metrics),
    Japanese CID fonts, text rise, horizontal scaling, character spacing, rotated text, rules;
    and a page with symbol fonts, which is left to pdfminer."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=(500, 400))
    y = 370
    for font in ("Helvetica", "Times-Roman", "Courier", "Helvetica-Bold"):
        c.setFont(font, 12)
        c.drawString(20, y, "Abc 123 xyz")
        y -= 20
    for font in ("HeiseiKakuGo-W5", "HeiseiMin-W3"):
        pdfmetrics.registerFont(UnicodeCIDFont(font))
        c.setFont(font, 11)
        c.drawString(20, y, "令和2年度 実績値 Ａ")
        y -= 20
    text = c.beginText(20, 100)
    text.setFont("Courier", 9)
    text.setRise(3)
    text.textOut("risen")
    text.setRise(0)
    text.setHorizScale(150)
    text.textOut(" wide")
    text.setCharSpace(2)
    text.textOut(" spaced")
    c.drawText(text)
    c.saveState()
    c.translate(300, 100)
    c.rotate(90)
    c.setFont("Helvetica", 10)
    c.drawString(0, 0, "rotated")
    c.restoreState()
    c.rect(10, 10, 100, 50)
    c.line(10, 80, 200, 80)
    c.showPage()
    c.setFont("Symbol", 12)
    c.drawString(20, 300, "abc")
    c.setFont("ZapfDingbats", 12)
    c.drawString(20, 280, "abc")
    c.showPage()
    c.save()


def test_fonts_and_text_states_rebuilt_exactly(tmp_path):
    import playa

    path = tmp_path / "fonts.pdf"
    _font_sampler(path)
    with pdfplumber.open(path) as pdf, playa.open(path, space="page") as doc:
        routes = []
        for page, playa_page in zip(pdf.pages, doc.pages):
            fast = playa_objects(page, playa_page)
            routes.append(fast is not None)
            if fast is None:
                continue
            slow = page.objects
            assert set(fast) == set(slow)
            for kind in slow:
                assert len(fast[kind]) == len(slow[kind])
                for a, b in zip(fast[kind], slow[kind]):
                    differ = [k for k in (set(a) | set(b)) - UNKNOWABLE if not same(a.get(k), b.get(k))]
                    assert not differ, (kind, a.get("text"), {k: (a.get(k), b.get(k)) for k in differ})
    assert routes == [True, False]     # the symbol-font page is pdfminer's
    with open_pdf(path) as pdf, pdfplumber.open(path) as reference:
        assert [p.chars for p in pdf.pages][1] == reference.pages[1].chars


def _variant_pdfs(folder) -> list:
    """Generated editions (``tests/variants/``): one of each layout family under new names, and random
    editions of the table layouts printed from the answer keys (other fonts, widths, wraps, page breaks,
    header wording), from fixed seeds."""
    import inspect

    from conftest import ANSWERS, read_csv
    from golden import key_rows
    from test_validate_variants import editions
    from variants import kpi_report, plan_brochure, project_plan, strategy_document

    paths = editions(folder)
    for module, document in ((kpi_report, "isehara_sousei_kpi_r4"), (project_plan, "isehara_plan5_midterm_r2"),
                             (strategy_document, "hadano_sousei2_strategy"), (plan_brochure, "isehara_plan6_overview")):
        for seed in (1, 2):
            rng = random.Random(seed)
            if module is plan_brochure:
                edition = module.edition_from_key(key_rows(document), rng)
            else:
                grades = ANSWERS / f"{document}.grades.csv"
                edition = module.edition_from_key(key_rows(document), read_csv(grades) if grades.exists() else [], rng)
            path = folder / f"{document}_edition_{seed}.pdf"
            first = next(iter(inspect.signature(module.build).parameters))
            module.build(*((path, edition) if first == "path" else (edition, path)))
            paths.append(path)
    return paths


@pytest.fixture(scope="module")
def variant_pdfs(tmp_path_factory):
    return _variant_pdfs(tmp_path_factory.mktemp("variants"))


def test_whole_extraction_of_every_variant_equals_the_pdfminer_route(variant_pdfs, monkeypatch):
    """Every generated edition reads to the same records (and problems) by the playa route as by
    pdfminer, and the playa route did read its pages (no silent fallback making the check empty)."""
    import playa

    from pipeline.sources import Source

    assert len(variant_pdfs) >= 16
    for path in variant_pdfs:
        with pdfplumber.open(path) as pdf, playa.open(path, space="page") as doc:
            fast_pages = sum(playa_objects(page, playa_page) is not None
                             for page, playa_page in zip(pdf.pages, doc.pages))
        assert fast_pages == len(doc.pages), f"{path.name}: {len(doc.pages) - fast_pages} page(s) fell back"
        source = Source(file=path.name, path=path, municipality="どこか市")
        monkeypatch.setattr(pdf_module, "USE_PLAYA", True)
        fast = process_document(source)
        monkeypatch.setattr(pdf_module, "USE_PLAYA", False)
        slow = process_document(source)
        assert fast.extraction is not None and fast.extraction["cells"], path.name
        assert fast.extraction == slow.extraction, path.name
        assert fast.problems == slow.problems, path.name


def test_text_without_a_font_warns_as_playa_does(tmp_path):
    """Text shown before any font is set: no character, and the same warning playa's own glyph loop
    logs (it reaches problems.csv as reported damage), whichever way the text object is read."""
    import playa
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    from pipeline.extract.library_messages import library_messages

    path = tmp_path / "nofont.pdf"
    writer = PdfWriter()
    page = writer.add_blank_page(300, 200)
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject(
        {NameObject("/F1"): writer._add_object(font)})})
    content = DecodedStreamObject()
    content.set_data(b"BT 20 100 Td (no font) Tj ET BT /F1 10 Tf 20 50 Td (with a font) Tj ET")
    page[NameObject("/Contents")] = writer._add_object(content)
    with open(path, "wb") as f:
        writer.write(f)
    with pdfplumber.open(path) as pdf, playa.open(path, space="page") as doc, library_messages() as fast_lines:
        objects = playa_objects(pdf.pages[0], doc.pages[0])
    with playa.open(path, space="page") as doc, library_messages() as playa_lines:
        glyphs = [g.text for obj in doc.pages[0] if obj.object_type == "text" for g in obj]
    assert "".join(c["text"] for c in objects["char"]) == "".join(glyphs) == "with a font"
    assert any("No font is set" in line for line in playa_lines)
    assert fast_lines == playa_lines
