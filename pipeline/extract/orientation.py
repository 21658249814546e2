"""Which way a page's text runs, so a rotated page is read upright and never as reversed text.

In: a pdfplumber page (its characters' text matrices) and the page's ``/Rotate``. Out: the page set
to be read in the frame where its text is upright, or a problem line when no frame makes it upright.

A PDF page has two frames: the content stream's own coordinates and the displayed page, turned
clockwise by ``/Rotate`` (90, 180, 270). A page that was only rotated for display (a scanner or a
viewer's "rotate page") has its text upright in the content frame; a landscape insert has its text
turned in the content frame by exactly the page's rotation, so that it is upright when displayed.
``orient`` reads each page in the frame where most of its characters are upright; a page whose
text is upright in neither (upside down, or running in several directions) is left empty and
named (``page_problems``), because reading it would give reversed text read as numbers.
"""
from __future__ import annotations

import math
from collections import Counter

import pdfplumber
from pdfplumber.page import Page

# A glyph whose baseline is within this many degrees of a right angle runs in that direction.
ANGLE_TOLERANCE = 10.0
# Share of a page's characters that must run one way for that to be the page's direction.
MAJORITY = 0.5


def text_angle(matrix) -> int | None:
    """The direction (0, 90, 180, 270 degrees, counter-clockwise) a glyph's text matrix writes in;
    None for a skewed or mirrored glyph.

    >>> [text_angle(m) for m in ((9, 0, 0, 9, 0, 0), (0, 9, -9, 0, 0, 0), (-9, 0, 0, -9, 0, 0), (9, 3, 0, 9, 0, 0))]
    [0, 90, 180, None]
    """
    a, b, c, d = matrix[:4]
    if a * d - b * c <= 0:          # mirrored (or degenerate): no reading direction
        return None
    angle = math.degrees(math.atan2(b, a)) % 360
    nearest = round(angle / 90) * 90 % 360
    difference = min(abs(angle - nearest), 360 - abs(angle - nearest))
    return int(nearest) if difference <= ANGLE_TOLERANCE else None


def dominant_angle(chars: list[dict]) -> int | None:
    """The direction most of ``chars`` (with a visible glyph) write in, or None without a majority.

    >>> dominant_angle([{"text": "a", "matrix": (1, 0, 0, 1, 0, 0)}] * 3 + [{"text": "b", "matrix": (0, 1, -1, 0, 0, 0)}])
    0
    >>> dominant_angle([{"text": "a", "matrix": (1, 0, 0, 1, 0, 0)}, {"text": "b", "matrix": (-1, 0, 0, -1, 0, 0)}]) is None
    True
    """
    # One pass: an upright glyph (a, d > 0, b = c = 0: ``text_angle`` 0) is counted without
    # trigonometry, and once upright glyphs are a majority of all the characters (so of those with
    # a visible glyph, whatever the rest are) the answer is 0: the same answer as counting them all.
    enough = MAJORITY * len(chars)
    upright = 0
    others: Counter = Counter()
    for c in chars:
        matrix = c.get("matrix")
        if not matrix or not c.get("text", "").strip():
            continue
        if not matrix[1] and not matrix[2] and matrix[0] > 0 and matrix[3] > 0:
            upright += 1
            if upright > enough:
                return 0
        else:
            others[text_angle(matrix)] += 1
    if upright:
        others[0] += upright
    if not others:
        return 0
    angle, count = others.most_common(1)[0]
    return angle if angle is not None and count > MAJORITY * sum(others.values()) else None


def _set_rotation(page: Page, rotation: int) -> None:
    """Make ``page`` (not yet read, or read and forgotten) be read as if its ``/Rotate`` were ``rotation``."""
    page.page_obj.attrs["Rotate"] = rotation
    page.page_obj.rotate = rotation
    Page.__init__(page, page.pdf, page.page_obj, page.page_number, page.initial_doctop)
    forget(page)


def forget(page: Page) -> None:
    """Drop what was read of ``page`` (objects, layout, text map), so it is read again."""
    for name in ("_objects", "_layout"):
        page.__dict__.pop(name, None)
    page.get_textmap.cache_clear()


def _untrusted(page: Page, message: str) -> None:
    page._objects = {}
    page.pdf.__dict__.setdefault("_muniplan_page_problems", []).append(f"page {page.page_number}: {message}")


def orient(pdf: pdfplumber.PDF) -> None:
    """Set each rotated page of ``pdf`` to the frame its text is upright in (see the module docstring);
    a rotated page upright in neither frame is left empty and named in ``page_problems``. Then the
    pages' document offsets (``doctop``) are laid out again, as the frames change page heights."""
    pages = pdf.pages
    for page in pages:
        rotation = page.rotation
        if not rotation:
            continue
        _set_rotation(page, 0)
        content = dominant_angle(page.chars)
        if content == 0:
            continue                     # rotated for display only: read the content as drawn
        _set_rotation(page, rotation)
        if content == rotation:
            continue                     # turned content on a page turned back (a landscape insert)
        _untrusted(page, f"its text runs at {content if content is not None else 'mixed'} degrees on a page "
                         f"rotated by {rotation}; it cannot be read upright, so it was not read")
    doctop = 0
    for page in pages:
        page.initial_doctop = doctop
        doctop += page.height


def check_upright(page: Page) -> bool:
    """True when ``page``'s text is upright; otherwise the page is emptied and named (see ``orient``)."""
    if page.__dict__.get("_muniplan_checked") is not None:
        return page._muniplan_checked
    angle = dominant_angle(page.chars)
    page._muniplan_checked = angle == 0
    if angle != 0:
        _untrusted(page, f"its text runs at {angle if angle is not None else 'mixed'} degrees "
                         "(upside down or turned); it cannot be read upright, so it was not read")
    return page._muniplan_checked


def page_problems(pdf: pdfplumber.PDF) -> list[str]:
    """The pages of ``pdf`` that were not read because their text direction cannot be trusted."""
    return list(pdf.__dict__.get("_muniplan_page_problems", []))
