"""Words and text of a page's characters, as pdfplumber makes them, with less overhead.

In: pdfplumber character dicts (or a page). Out: the same words as ``pdfplumber``'s
``extract_words`` (``Words``: a ``WordExtractor`` whose per-character loops are written out for
upright left-to-right text, the reports' text; other directions and tolerance ratios go through
pdfplumber's own code), the same text as ``page.extract_text()`` (``page_text``) and
the same lines as ``page.extract_text_lines()`` (``page_text_lines``), made once per page, and
the text of a crop of the page without cropping its lines, rectangles and curves (``crop_text``).
"""
from __future__ import annotations

from operator import itemgetter

from pdfplumber.utils.geometry import crop_to_bbox
from pdfplumber.utils.text import WordExtractor, WordMap

from .pdf import _clusters

_TOP, _X0 = itemgetter("top"), itemgetter("x0")


class Words(WordExtractor):
    """``pdfplumber.utils.text.WordExtractor`` (same arguments, same words), faster on upright
    left-to-right text with absolute tolerances."""

    def iter_chars_to_lines(self, chars):
        chars = list(chars)
        upright = chars[0]["upright"] if chars else None
        if not upright or self.line_dir != "ttb" or self.get_char_dir(upright) != "ltr":
            yield from super().iter_chars_to_lines(chars)
            return
        # cluster_objects(chars, top, y_tolerance), then each line sorted by (x0, x0)
        for line in _clusters(chars, _TOP, self.y_tolerance):
            yield sorted(line, key=_X0), "ltr"

    def merge_chars(self, ordered_chars: list[dict]) -> dict:
        """pdfplumber's word of ``ordered_chars`` (same keys and values), its box in one pass."""
        first = ordered_chars[0]
        x0, top, x1, bottom = first["x0"], first["top"], first["x1"], first["bottom"]
        texts = []
        expand = self.expansions.get
        for c in ordered_chars:
            texts.append(expand(c["text"], c["text"] or ""))
            if c["x0"] < x0:
                x0 = c["x0"]
            if c["top"] < top:
                top = c["top"]
            if c["x1"] > x1:
                x1 = c["x1"]
            if c["bottom"] > bottom:
                bottom = c["bottom"]
        upright = first["upright"]
        word = {"text": "".join(texts), "x0": x0, "x1": x1, "top": top,
                "doctop": top + (first["doctop"] - first["top"]), "bottom": bottom, "upright": upright,
                "height": bottom - top, "width": x1 - x0, "direction": self.get_char_dir(upright)}
        for key in self.extra_attrs:
            word[key] = first[key]
        return word

    def iter_chars_to_words(self, ordered_chars, direction):
        if direction != "ltr" or self.x_tolerance_ratio is not None or self.y_tolerance_ratio is not None:
            yield from super().iter_chars_to_words(ordered_chars, direction)
            return
        x_tolerance, y_tolerance = self.x_tolerance, self.y_tolerance
        keep_blank, punctuation = self.keep_blank_chars, self.split_at_punctuation
        word: list[dict] = []
        for char in ordered_chars:
            text = char["text"]
            if not keep_blank and text.isspace():
                if word:
                    yield word
                word = []
            elif text in punctuation:
                if word:
                    yield word
                yield [char]
                word = []
            elif word:
                last = word[-1]     # WordExtractor.char_begins_new_word for 'ltr'
                x0 = char["x0"]
                if x0 < last["x0"] or x0 > last["x1"] + x_tolerance or abs(char["top"] - last["top"]) > y_tolerance:
                    yield word
                    word = [char]
                else:
                    word.append(char)
            else:
                word.append(char)
        if word:
            yield word


def _textmap(chars: list[dict], bbox, width: float, height: float):
    """``pdfplumber.utils.chars_to_textmap`` as a page of that box calls it, with ``Words``."""
    return WordMap(list(Words().iter_extract_tuples(chars))).to_textmap(
        layout_bbox=bbox, layout_width=width, layout_height=height, presorted=True)


def page_textmap(page):
    """``page.get_textmap()`` (what ``extract_text`` and ``extract_text_lines`` read), made with
    ``Words`` and kept on the page: recognition and the layout readers ask for the same pages."""
    found = page.__dict__.get("_muniplan_textmap")
    if found is None:
        found = page._muniplan_textmap = _textmap(page.chars, page.bbox, page.width, page.height)
    return found


def page_text(page) -> str:
    """``page.extract_text()``."""
    return page_textmap(page).as_string


def page_text_lines(page) -> list[dict]:
    """``page.extract_text_lines()`` (stripped, with their characters)."""
    return page_textmap(page).extract_text_lines(strip=True, return_chars=True)


def crop_text(page, bbox: tuple[float, float, float, float]) -> str:
    """``page.crop(bbox, strict=False).extract_text()``, the same text, without cropping the page's
    lines, rectangles and curves: only the characters that can touch ``bbox`` are clipped to it."""
    x0, top, x1, bottom = bbox
    chars = crop_to_bbox([c for c in page.chars if c["top"] <= bottom and c["bottom"] >= top], bbox)
    return _textmap(chars, bbox, x1 - x0, bottom - top).as_string


def page_words(page) -> list[dict]:
    """``page.extract_words()`` (with ``Words``), made once per page."""
    found = page.__dict__.get("_muniplan_words")
    if found is None:
        found = page._muniplan_words = Words().extract_words(page.chars)
    return found
