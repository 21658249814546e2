"""One document, start to finish of extraction: the per-document pure function (the layouts room's entry).

In: a ``Source`` (a PDF inside raw/ and its sources.yaml entry). Out: its ``DocumentExtraction``,
or a ``DocumentError`` naming the file and the problem. The layout comes from the entry's hint
or, without one, from the document's own words (``layouts.recognise``). No I/O besides reading
the PDF, so the function can be mapped over processes or a cluster. The cyclic garbage
collector is paused while a document is read (``collector_paused``).
"""
from __future__ import annotations

import gc
from contextlib import contextmanager

from ..extract.errors import DocumentError
from ..extract.grid import ruled_tables
from ..extract.orientation import page_problems
from ..extract.pdf import clean_page, open_pdf, require_text
from ..extract.words import page_text
from ..normalise.text import squash
from ..records import DocumentExtraction
from . import all_layouts, by_name, describe, recognise
from .base import recognise_fallback

# Recognition reads the words of the first pages, a page at a time, until a layout's words have all
# been seen (a brochure may print its first indicator box only after its introduction).
RECOGNITION_PAGES = 20
# How many leading rows of a ruled table may be its header (a two- or three-row header).
HEADER_ROWS = 3


def header_words(page) -> str:
    """The words of the ruled tables' leading rows, each cell's lines joined: a header cell wrapped in a
    narrow column (``事業`` / ``番号``) prints its word on two text lines, with other columns' words between."""
    cells = {squash(cell.text) for table in ruled_tables(page) for row in table.rows[:HEADER_ROWS] for cell in row}
    return " ".join(sorted(word for word in cells if word))


def recognition_text(page) -> str:
    """What recognition reads of a page: its text lines and its tables' header cells read whole."""
    return page_text(page) + "\n" + header_words(page)


def identify_layout(pdf, name: str):
    text = ""
    for page in pdf.pages[:RECOGNITION_PAGES]:
        text += "\n" + recognition_text(clean_page(page))
        layout = recognise(text, all_layouts())
        if layout is not None:
            return layout
    layout = recognise_fallback(text, all_layouts())
    if layout is not None:
        return layout
    raise DocumentError(name, f"layout not recognised from the words of its first {RECOGNITION_PAGES} pages "
                              f"({describe(all_layouts(), text)}). "
                              "Add a 'layout:' hint in sources.yaml or a layout module in pipeline/layouts/")


@contextmanager
def collector_paused():
    """Python's cyclic garbage collector paused while a document is read: its pages' objects are tens
    of thousands of small dicts that live as long as the document, which the collector would scan
    again and again while they are made. Reference counting frees memory as usual; reference
    cycles are collected once the collector runs again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read_document(source, max_pages: int | None = None) -> DocumentExtraction:
    """The document read by its layout's reader (the PDF closed and let go on return)."""
    with open_pdf(source.path, max_pages=max_pages) as pdf:
        require_text(pdf, source.file)
        if source.layout:
            layout = by_name(source.layout)
            if layout is None:
                known = ", ".join(l.name for l in all_layouts())
                raise DocumentError(source.file, f"unknown layout hint {source.layout!r} (known: {known})")
        else:
            layout = identify_layout(pdf, source.file)
        try:
            result = layout.read(pdf, source)
        except DocumentError:
            raise
        except Exception as err:  # a reader bug or a damaged page: name the file, keep the run going
            raise DocumentError(source.file, f"reading it as '{layout.name}' failed: "
                                             f"{type(err).__name__}: {err}") from err
        result.problems[:0] = page_problems(pdf)
    if not result.cells:
        looked_for = f" (looked for {layout.looked_for})" if layout.looked_for else ""
        raise DocumentError(source.file, f"read as '{layout.name}' but no indicator table was found{looked_for}")
    return result


def extract_document(source, max_pages: int | None = None) -> DocumentExtraction:
    # The pages' objects are freed (when ``read_document`` returns) before the collector resumes,
    # so that its first pass after the document does not scan them all once more.
    with collector_paused():
        return read_document(source, max_pages)
