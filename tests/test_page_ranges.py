"""A document's pages read ahead by other processes give exactly the records of a one-process reading.

Real PDFs (shipped, other cities', pages turned by pypdf), real helper processes, the real reader:
whether a helper read every page before the reader started, raced it, died holding a claim or gave a
page up, the reader's extraction equals the one-process extraction, and the pages a helper wrote
were taken by the reader (the store is emptied), so the sharing is really exercised.
"""
from __future__ import annotations

import dataclasses
import multiprocessing
import subprocess

import pytest

from conftest import RAW
from pdf_faults import landscape_insert, rotated, upside_down
from pipeline.extract import page_ranges
from pipeline.extract.page_ranges import DONE, read_ahead
from pipeline.sources import Source
from pipeline.stages.extract import ReadAhead, iter_documents, map_documents, process_document

# Layouts that carry state from page to page (a brochure's boxes, a strategy's goals), and another city's sheet.
DOCUMENTS = ("isehara_plan6_overview", "hadano_sousei2_strategy", "ebina_sousei_sheet_r4")


def source_of(sources, document: str) -> Source:
    return sources.get(document) or Source(file=f"{document}.pdf", path=RAW / f"{document}.pdf")


@pytest.fixture(scope="module")
def alone(sources):
    """Each document read in one process, without helpers: the reference."""
    return {d: process_document(source_of(sources, d)) for d in DOCUMENTS}


def pages_left(store) -> list[str]:
    return sorted(p.name for p in store.iterdir() if p.name.startswith("page-"))


@pytest.mark.parametrize("document", DOCUMENTS)
def test_pages_all_read_ahead_give_the_same_records(sources, alone, tmp_path, document):
    source = source_of(sources, document)
    written = read_ahead(source.path, tmp_path)
    assert written == alone[document].extraction["pages"] > 1
    assert len(pages_left(tmp_path)) == written
    shared = process_document(source, None, None, 0, str(tmp_path))
    assert shared == alone[document]
    assert pages_left(tmp_path) == [], "the reader took every page the helper wrote"
    assert (tmp_path / DONE).exists()
    assert read_ahead(source.path, tmp_path) == 0, "a helper arriving after the reader does nothing"


def _help(path, store, answer):
    answer.put(read_ahead(path, store))


@pytest.mark.parametrize("document", DOCUMENTS[:2])
def test_a_helper_racing_the_reader_gives_the_same_records(sources, alone, tmp_path, document):
    source = source_of(sources, document)
    context = multiprocessing.get_context("fork")
    for attempt in range(3):
        store = tmp_path / str(attempt)
        store.mkdir()
        answer = context.Queue()
        helper = context.Process(target=_help, args=(source.path, store, answer))
        helper.start()
        shared = process_document(source, None, None, 0, str(store))
        helper.join(60)
        assert shared == alone[document]
        assert answer.get(timeout=10) >= 0
        assert pages_left(store) == []


def test_a_page_claimed_by_a_dead_helper_or_given_up_is_read_by_the_reader(sources, alone, tmp_path):
    document = DOCUMENTS[0]
    source = source_of(sources, document)
    finished = subprocess.Popen(["true"])
    finished.wait()                        # its process id names no live process any more
    (tmp_path / "claim-2").write_text(str(finished.pid))
    (tmp_path / "claim-3").write_text("")  # claimed, its process id never written, its process gone
    (tmp_path / "claim-4").write_text(str(finished.pid))
    page_ranges._put(tmp_path, 4, None)   # given up
    page_ranges.WAIT_LIMIT, before = 2.0, page_ranges.WAIT_LIMIT
    try:
        shared = process_document(source, None, None, 0, str(tmp_path))
    finally:
        page_ranges.WAIT_LIMIT = before
    assert shared == alone[document]


@pytest.mark.parametrize("fault", ["rotated", "landscape", "upside_down"])
def test_turned_pages_read_ahead_give_the_same_records(sources, tmp_path, fault):
    source = source_of(sources, "isehara_plan6_overview")
    make = {"rotated": lambda s, t: rotated(s, t, 5, 90), "landscape": lambda s, t: landscape_insert(s, t, 6, 90),
            "upside_down": lambda s, t: upside_down(s, t, 7)}[fault]
    path = make(source.path, tmp_path / "turned.pdf")
    turned = dataclasses.replace(source, file=path.name, path=path)
    reference = process_document(turned)
    store = tmp_path / "store"
    store.mkdir()
    assert read_ahead(path, store) > 0
    assert process_document(turned, None, None, 0, str(store)) == reference
    if fault == "upside_down":
        assert any("text runs at" in p.message for p in reference.problems)


def test_a_helper_on_a_damaged_pdf_does_nothing_and_never_raises(tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog")
    store = tmp_path / "store"
    store.mkdir()
    assert read_ahead(broken, store) == 0
    assert pages_left(store) == []


def settings(jobs: int, executor: str = "process") -> dict:
    return {"extract": {"jobs": jobs, "max_pages": 300, "time_limit": 300, "executor": executor,
                        "scheduler": "", "max_memory": 0}}


def test_the_stage_splits_a_document_over_its_share_and_reads_the_same(sources, alone):
    """A large document with a small one on two workers: the large one is read with a helper
    (``ReadAhead``), and the outcomes equal the one-process outcomes, in input order."""
    from pipeline.extract.schedule import document_size, plan

    pair = [sources["isehara_kikaku_declaration_h28"], source_of(sources, "isehara_plan6_overview")]
    schedule = plan([document_size(s.path) for s in pair], 2)
    assert schedule.order == [1, 0] and schedule.read_ahead == {1}
    outcomes = map_documents(pair, settings(2))
    assert outcomes == map_documents(pair, settings(1))
    assert outcomes[1] == alone["isehara_plan6_overview"]
    assert isinstance(ReadAhead(pair[1], "x"), ReadAhead)


def test_outcomes_come_as_each_document_is_read(sources):
    """The stage writes each document as it comes (memory flat over a corpus): the iterator yields
    (position, outcome) pairs, each document once, before the map is over."""
    pair = [sources["isehara_kikaku_declaration_h28"], sources["isehara_sousei_kpi_r4"]]
    results = iter_documents(pair, settings(2))
    first = next(results)
    assert first[0] in (0, 1) and first[1].source == pair[first[0]] and first[1].extraction is not None
    rest = list(results)
    assert sorted([first[0]] + [i for i, _ in rest]) == [0, 1]


def test_a_helper_over_the_time_limit_stops_and_answers_the_page_it_held(sources, alone, tmp_path):
    """A helper is held to the document's time limit (a page it cannot finish must not hold its worker),
    and the page it was reading is answered (None: the reader reads it), so no reader waits for it."""
    from pipeline.stages.extract import run_task

    source = source_of(sources, "isehara_plan6_overview")
    pages = alone["isehara_plan6_overview"].extraction["pages"]
    stopped_midway = False
    for k, limit in enumerate((0.05, 0.1, 0.2, 0.4, 0.8, 1.6)):
        store = tmp_path / str(k)
        store.mkdir()
        written = run_task(ReadAhead(source, str(store)), None, limit, 0)
        claimed = {p.name.split("-")[1] for p in store.glob("claim-*")}
        assert claimed == {p.name.split("-")[1] for p in store.glob("page-*")}, limit
        if claimed and written == 0 and len(claimed) < pages:
            stopped_midway = True
            break
    assert stopped_midway, "the time limit stopped a helper that had started on a page"
