"""Open a PDF for reading and refuse, with a clear reason, what cannot be read.

In: a path. Out: a ``pdfplumber.PDF`` whose pages have their doubled (fake-bold) characters
removed, or a ``DocumentError`` naming the file and the problem (not a PDF, empty, truncated,
encrypted, no text layer).
"""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect

from .errors import DocumentError

# Characters drawn twice at a tiny offset (fake bold) are one character.  pdfplumber's
# ``dedupe_chars`` compares position within this tolerance (points) and the text/font.
DEDUPE_TOLERANCE = 1.0


def check_header(path: Path) -> None:
    """Refuse files that are empty or not PDFs before handing them to a parser."""
    size = path.stat().st_size
    if size == 0:
        raise DocumentError(path.name, "the file is empty (0 bytes)")
    with path.open("rb") as f:
        head = f.read(1024)
    if b"%PDF-" not in head:
        raise DocumentError(path.name, "not a PDF (no %PDF- header in its first 1024 bytes)")


def _open_error(name: str, err: Exception) -> DocumentError:
    """The message for a PDF pdfminer could not open (pdfplumber wraps the cause in its args)."""
    causes = [err, *[a for a in getattr(err, "args", ()) if isinstance(a, Exception)]]
    if any(isinstance(c, PDFPasswordIncorrect) for c in causes) or "password" in str(err).lower():
        return DocumentError(name, "the PDF is encrypted with a password; decrypt it first")
    cause = causes[-1]
    detail = f"{type(cause).__name__}: {cause}" if str(cause) else type(cause).__name__
    return DocumentError(name, f"the PDF is damaged or truncated ({detail})")


@contextmanager
def open_pdf(path: Path, max_pages: int | None = None) -> Iterator[pdfplumber.PDF]:
    """Open ``path`` with pdfplumber; raise ``DocumentError`` for what cannot be read."""
    path = Path(path)
    check_header(path)
    try:
        pdf = pdfplumber.open(path)
    except Exception as err:  # pdfminer raises many kinds on damaged files
        raise _open_error(path.name, err) from None
    try:
        try:
            pages = pdf.pages
        except Exception as err:
            raise _open_error(path.name, err) from None
        if not pages:
            raise DocumentError(path.name, "the PDF has no pages")
        if max_pages is not None and len(pages) > max_pages:
            raise DocumentError(path.name, f"the PDF has {len(pages)} pages, over the limit of {max_pages} "
                                           "(params.yaml: extract.max_pages)")
        yield pdf
    finally:
        pdf.close()


def clean_page(page: "pdfplumber.page.Page") -> "pdfplumber.page.Page":
    """The page with fake-bold doubled characters removed by geometry (not by string tricks)."""
    return page.dedupe_chars(tolerance=DEDUPE_TOLERANCE)


def require_text(pdf: pdfplumber.PDF, name: str, pages_to_check: int = 5) -> None:
    """Refuse a scanned PDF (images, no text layer): it needs OCR, which this tool does not do."""
    for page in pdf.pages[:pages_to_check]:
        if page.chars:
            return
    has_images = any(page.images for page in pdf.pages[:pages_to_check])
    what = "scanned pages (images) with no text layer" if has_images else "no text layer"
    raise DocumentError(name, f"the PDF has {what}; run OCR (e.g. ocrmypdf) first, this tool does not do OCR")
