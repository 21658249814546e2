"""A grade mark as printed -> the mark compared and counted.

In: a published-grade cell's text ('Ｂ', '―', ' － ', '◎'). Out: ``printed_grade``, the mark NFKC-normalised
with any dash ('no actual yet') as '-', and ``is_dash``. The tidy stage writes published grades with it and
the grade stage compares them with it, so it lives here, below both.
"""
from __future__ import annotations

import unicodedata

import regex


def printed_grade(text: str) -> str:
    """A grade as printed, NFKC-normalised ('Ｂ' -> 'B'); any dash ('no actual yet') becomes '-'.

    The legend the document prints maps '-' back onto its own no-actual label (``Legend.label``).

    >>> printed_grade("Ｂ"), printed_grade("―"), printed_grade(" － "), printed_grade(""), printed_grade("◎")
    ('B', '-', '-', '', '◎')
    """
    text = unicodedata.normalize("NFKC", text or "").strip()
    if is_dash(text):
        return "-"
    return text.upper()


def is_dash(text: str) -> bool:
    """A mark made only of dashes (the usual 'no actual yet' label).

    >>> is_dash("―"), is_dash("－"), is_dash("ー"), is_dash("A"), is_dash("")
    (True, True, True, False, False)
    """
    return bool(text) and bool(regex.fullmatch(r"[\p{Pd}―ー－−‐─━-]+", text))
