"""Largest first, and a pool that hands results on as they come (issue 19, item 2).

The page estimate is checked against the pages PDFium counts in every PDF of raw/ and the other
cities' editions; the order and the split against those counts; the process pool against real
processes: items handed out in the order given, and an iterator closed early cancels the rest.
"""
from __future__ import annotations

import time

import pypdfium2
import pytest

from conftest import RAW
from pipeline.executors import imap_with_processes
from pipeline.extract.schedule import document_size, estimated_pages, plan

PDFS = sorted(RAW.glob("*.pdf"))


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.stem)
def test_pages_are_estimated_from_the_bytes_as_pdfium_counts_them(path):
    document = pypdfium2.PdfDocument(path)
    try:
        assert estimated_pages(path.read_bytes()) == len(document)
    finally:
        document.close()


def test_unreadable_or_pageless_files_still_get_a_place(tmp_path):
    missing = document_size(tmp_path / "gone.pdf")
    assert missing == (None, 0)
    text = tmp_path / "x.pdf"
    text.write_bytes(b"not a pdf at all" * 100)
    assert document_size(text) == (None, 1600)
    schedule = plan([missing, document_size(text), document_size(PDFS[0])], workers=2)
    assert sorted(schedule.order) == [0, 1, 2] and all(c > 0 for c in schedule.costs)


def test_the_largest_documents_go_first_and_only_one_over_its_share_is_split():
    sizes = [document_size(p) for p in PDFS]
    pages = []
    for path in PDFS:
        document = pypdfium2.PdfDocument(path)
        pages.append(len(document))
        document.close()
    schedule = plan(sizes, workers=2)
    assert [pages[i] for i in schedule.order] == sorted(pages, reverse=True)
    assert schedule.read_ahead == {i for i, n in enumerate(pages) if n > sum(pages) / 2}
    assert plan(sizes, workers=1).read_ahead == set()


def _slow(item: int) -> int:
    time.sleep(0.3)
    return item * 2


def test_one_worker_takes_the_items_in_the_order_given():
    assert [i for i, _ in imap_with_processes(_slow, [5, 1, 4, 2], workers=1)] == [0, 1, 2, 3]


def test_closing_the_iterator_early_cancels_what_has_not_started():
    start = time.perf_counter()
    results = imap_with_processes(_slow, list(range(40)), workers=2)
    assert next(results)[1] in range(0, 80, 2)
    results.close()
    assert time.perf_counter() - start < 40 * 0.3 / 2, "the other items were not all run"
