"""The PDFium route measurement (``bench/pdfium_route.py``) measures what it says.

Nothing here asserts a time: that every reader goes through the same pages, that the prototype
reads every character PDFium has, and that the exactness report finds what made the PDFium route
unusable as the pipeline's reader (the characters differ from pdfminer's, the records' source).
"""
from __future__ import annotations

import sys

from conftest import RAW, ROOT

sys.path.insert(0, str(ROOT))   # bench/ is a top-level package beside pipeline/

from bench import pdfium_route  # noqa: E402

SMALL = "isehara_kikaku_declaration_h28"     # 3 pages


def test_timings_cover_the_same_pages_for_every_reader(sources):
    figures = pdfium_route.timings([sources[SMALL]], rounds=1)
    assert set(figures) == {"pypdfium2_text", "pdfium_objects", "playa_lexing", "playa_interpreting",
                            "playa_objects", "extraction"}
    assert {row["pages"] for row in figures.values()} == {3}
    assert figures["pypdfium2_text"]["over_pypdfium2_text"] == 1.0
    assert all(row["median_s"] > 0 for row in figures.values())


def test_the_prototype_reads_every_character_pdfium_has():
    import pypdfium2

    path = RAW / f"{SMALL}.pdf"
    document = pypdfium2.PdfDocument(path)
    for page in document:
        textpage = page.get_textpage()
        chars = pdfium_route._char_dicts(textpage.raw, page.get_height(), 0.0, 1)
        text = textpage.get_text_range()
        textpage.close()
        assert chars and all(c["x0"] <= c["x1"] and c["top"] <= c["bottom"] for c in chars)
        # PDFium's plain text is these characters plus the line breaks and spaces it generates
        assert "".join(c["text"] for c in chars).replace(" ", "") == "".join(text.split())
    document.close()


def test_exactness_report_finds_pdfium_differs_from_pdfminer():
    report = pdfium_route.exactness(RAW / "isehara_sousei_kpi_r4.pdf")
    assert report["pages"] == 6
    assert report["characters_pdfium"] != report["characters_pdfminer"]
    assert report["pages_same_characters"] < report["pages"]
    assert report["compared"] > 0 and report["x0_identical"] < report["compared"]
    assert report["max_box_difference"] > 1e-6


def test_the_prototype_is_a_bench_reader_over_every_page(sources):
    from bench.readers import run_reader

    assert run_reader("pdfium_objects", [sources[SMALL], sources["isehara_sousei_kpi_r4"]]) == 3 + 6
