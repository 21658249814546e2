"""What the benchmark times: the pipeline and the reference readers, each over a list of PDFs.

In: ``Source`` entries (the pipeline) or PDF paths (the references). Out: the number of pages
each reader went through (so a run can check every reader saw the same pages). Each reader does
the whole job a user would ask of it: open, read every page, close.
"""
from __future__ import annotations

import warnings
from pathlib import Path
from typing import Callable, Sequence


def pipeline(sources: Sequence) -> int:
    """The pipeline's per-document function and the normalisation of what it read."""
    from pipeline import tidy
    from pipeline.records import DocumentExtraction
    from pipeline.stages.extract import process_document

    pages = 0
    for source in sources:
        outcome = process_document(source)
        if outcome.extraction is None:
            raise RuntimeError(f"{source.file}: {[str(p) for p in outcome.problems]}")
        doc = DocumentExtraction.from_dict(outcome.extraction)
        tidy.observations(doc)
        tidy.indicators(doc)
        tidy.printed_counts(doc)
        tidy.summary_rows(doc)
        pages += doc.pages
    return pages


def pipeline_parallel(sources: Sequence, jobs: int = 0) -> int:
    """The extract stage's own mapping (a process pool sized to the cores), then normalisation."""
    from pipeline import tidy
    from pipeline.records import DocumentExtraction
    from pipeline.stages.extract import map_documents

    settings = {"extract": {"jobs": jobs, "max_pages": 300, "time_limit": 300, "executor": "process"}}
    pages = 0
    for outcome in map_documents(list(sources), settings):
        if outcome.extraction is None:
            raise RuntimeError(f"{outcome.source.file}: {[str(p) for p in outcome.problems]}")
        doc = DocumentExtraction.from_dict(outcome.extraction)
        tidy.observations(doc)
        tidy.indicators(doc)
        pages += doc.pages
    return pages


def pdfplumber_tables(paths: Sequence[Path]) -> int:
    """pdfplumber's bare pass: ``page.dedupe_chars().extract_tables()`` on every page."""
    import pdfplumber

    pages = 0
    for path in paths:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.dedupe_chars().extract_tables()
                pages += 1
    return pages


def _camelot(paths: Sequence[Path], **options) -> int:
    import camelot
    import pypdfium2

    pages = 0
    for path in paths:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")   # "no tables found on page n" for prose pages
            camelot.read_pdf(str(path), pages="all", flavor="lattice", suppress_stdout=True, **options)
        document = pypdfium2.PdfDocument(path)
        pages += len(document)
        document.close()
    return pages


def camelot_vector(paths: Sequence[Path]) -> int:
    """camelot 2's lattice reading from the PDF's vector ruling lines (playa-pdf; no rendering)."""
    return _camelot(paths, engine="vector")


def camelot_default(paths: Sequence[Path]) -> int:
    """camelot 2's lattice reading with its default engine ('combined': renders every page)."""
    return _camelot(paths)


def pypdfium2_text(paths: Sequence[Path]) -> int:
    """The floor: pypdfium2's plain text of every page (what it costs to get the characters out)."""
    import pypdfium2

    pages = 0
    for path in paths:
        document = pypdfium2.PdfDocument(path)
        for page in document:
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
            pages += 1
        document.close()
    return pages


def pdfium_objects(paths: Sequence[Path]) -> int:
    """PDFium's page objects (every character's text, box, size, font, matrix; every object's bounds)
    as pdfplumber-like dicts: the prototype of ``bench/pdfium_route.py``, not exact, never the route."""
    from bench.pdfium_route import pdfium_objects as read

    return read(paths)


# name -> (function, takes Sources rather than paths, what it is)
READERS: dict[str, tuple[Callable[[Sequence], int], bool, str]] = {
    "pipeline": (pipeline, True, "the pipeline: extraction + normalisation, one process"),
    "pipeline_parallel": (pipeline_parallel, True, "the same over the extract stage's process pool (cores)"),
    "pdfplumber": (pdfplumber_tables, False, "pdfplumber dedupe_chars().extract_tables(), every page"),
    "camelot_vector": (camelot_vector, False, "camelot 2 lattice, engine='vector'"),
    "camelot_default": (camelot_default, False, "camelot 2 lattice, default engine"),
    "pypdfium2_text": (pypdfium2_text, False, "pypdfium2 plain text, every page (the floor)"),
    "pdfium_objects": (pdfium_objects, False, "PDFium page objects as dicts (prototype, not exact)"),
}


def run_reader(name: str, sources: Sequence) -> int:
    function, wants_sources, _ = READERS[name]
    return function(sources if wants_sources else [s.path for s in sources])
