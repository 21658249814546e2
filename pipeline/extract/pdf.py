"""Open a PDF for reading and refuse, with a clear reason, what cannot be read.

In: a path. Out: a ``pdfplumber.PDF`` whose pages have their doubled (fake-bold) characters
removed and are read in the frame their text is upright in (``orientation``: a rotated page), or a
``DocumentError`` naming the file and the problem (not a PDF, empty, truncated,
encrypted, no text layer).

Pages are read by playa-pdf where it gives exactly what pdfminer would (``playa_pages``);
``USE_PLAYA = False`` reads every page with pdfminer. When the PDF is closed, what was read and kept
on its pages is let go at once (``release_pages``) rather than left to the cyclic garbage collector.
"""
from __future__ import annotations

from contextlib import ExitStack, contextmanager
from operator import itemgetter
from pathlib import Path
from typing import Iterator

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfplumber.page import FilteredPage

from .errors import DocumentError
from .orientation import check_upright, orient
from .page_ranges import shared_pages
from .playa_pages import read_with_playa

# Characters drawn twice at a tiny offset (fake bold) are one character.  pdfplumber's
# ``dedupe_chars`` compares position within this tolerance (points) and the text/font.
DEDUPE_TOLERANCE = 1.0

# Read page objects with playa-pdf (see the module docstring); False: pdfminer for every page.
USE_PLAYA = True


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
        orient(pdf)
        with ExitStack() as stack:
            if USE_PLAYA:
                read_with_playa(pdf, path, stack)
            shared_pages(pdf, path)     # pages other processes read ahead (page_ranges); else nothing
            yield pdf
    finally:
        release_pages(pdf)
        pdf.close()


def release_pages(pdf: pdfplumber.PDF) -> None:
    """Let go of the pages' objects and of what was kept on them (``clean_page``, tables, text), so
    that reference counting frees them when the PDF is closed: pages, their cleaned copies and
    those caches refer to each other, and pdfplumber's ``PDF.close`` closes fresh copies of its
    pages, not the ones that were read, which would wait for the cyclic garbage collector."""
    for page in pdf.__dict__.get("_pages") or ():
        for each in (page.__dict__.pop("_muniplan_clean", None), page):
            if each is not None:
                each.close()
                for name in [n for n in each.__dict__ if n.startswith("_muniplan")]:
                    del each.__dict__[name]


def clean_page(page: "pdfplumber.page.Page") -> "pdfplumber.page.Page":
    """The page with fake-bold doubled characters removed by geometry (not by string tricks)."""
    # Exactly ``page.dedupe_chars(tolerance=DEDUPE_TOLERANCE)``, without its quadratic final sort,
    # and made once per page (recognition and the layout's reader both ask for the first pages).
    clean = page.__dict__.get("_muniplan_clean")
    if clean is None:
        check_upright(page)          # a page whose text is not upright is emptied and named
        clean = FilteredPage(page, lambda obj: True)
        clean._objects = dict(page.objects)
        clean._objects["char"] = dedupe_chars(page.chars, DEDUPE_TOLERANCE)
        page._muniplan_clean = clean
    return clean


def _clusters(objs: list[dict], key, tolerance: float) -> list[list[dict]]:
    """``pdfplumber.utils.cluster_objects(objs, key, tolerance)``: the same clusters, members in the
    same order (values chained within ``tolerance``; clusters in value order, members in input order)."""
    if len(objs) < 2:
        return [objs]
    values = sorted(set(map(key, objs)))
    ids, cluster, last = {}, 0, values[0]
    for value in values:
        if value > last + tolerance:
            cluster += 1
        ids[value] = cluster
        last = value
    if not cluster:
        return [objs]
    buckets: list[list[dict]] = [[] for _ in range(cluster + 1)]
    for obj in objs:
        buckets[ids[key(obj)]].append(obj)
    return buckets


def dedupe_chars(chars: list[dict], tolerance: float = 1, extra_attrs=("fontname", "size")) -> list[dict]:
    """``pdfplumber.utils.dedupe_chars`` (same characters kept, same order) in n log n time.

    pdfplumber sorts the characters by text and font to group them, and restores the order with
    ``sorted(kept, key=chars.index)``, a linear search per character; here the groups are made
    with a dict (members in page order, as a stable sort leaves them), a character alone in its
    group or line is kept as it is, and the clustering is ``_clusters`` (pdfplumber's
    ``cluster_objects`` without its generic overhead).
    """
    key = itemgetter("upright", "text", *(extra_attrs or ()))
    position, doctop, x0 = itemgetter("doctop", "x0"), itemgetter("doctop"), itemgetter("x0")
    groups: dict[tuple, list[dict]] = {}
    for c in chars:
        groups.setdefault(key(c), []).append(c)
    kept: set[int] = set()
    for group in groups.values():
        if len(group) == 1:
            kept.add(id(group[0]))
            continue
        for y_cluster in _clusters(group, doctop, tolerance):
            if len(y_cluster) == 1:
                kept.add(id(y_cluster[0]))
                continue
            for x_cluster in _clusters(y_cluster, x0, tolerance):
                kept.add(id(min(x_cluster, key=position)))
    return [c for c in chars if id(c) in kept]


def require_text(pdf: pdfplumber.PDF, name: str, pages_to_check: int = 5) -> None:
    """Refuse a scanned PDF (images, no text layer): it needs OCR, which this tool does not do."""
    for page in pdf.pages[:pages_to_check]:
        if page.chars:
            return
    has_images = any(page.images for page in pdf.pages[:pages_to_check])
    what = "scanned pages (images) with no text layer" if has_images else "no text layer"
    raise DocumentError(name, f"the PDF has {what}; run OCR (e.g. ocrmypdf) first, this tool does not do OCR")
