"""The wordings reports use to state how many indicators they hold, as one vocabulary.

In:  a document's text (any layout). Out: ``{kind: count}`` for the counts it states
     (``○数値目標 ９本``, ``指標数 12``, ``KPI：12項目``, ``重要業績評価指標（KPI）33本`` …); empty when it
     states none. Today only ``layouts/kpi_report`` reads counts (``layouts.common.read_counts`` with its
     own two patterns); this vocabulary is meant to replace those patterns for every layout, which
     needs it moved to a layer the layouts may import (the lead decides where).
"""
from __future__ import annotations

import unicodedata

import regex

_NUMBER = r"(?P<n>[0-9]{1,4})"
_COUNTER = r"(?:本|項目|個|件|指標)?"
_SEP = r"[:：]?"
# kind -> the words that name it; the count follows the words (with an optional colon) and a counter word.
KIND_WORDS: tuple[tuple[str, str], ...] = (
    ("kpi", r"重要業績評価指標(?:\(KPI\))?|KPI(?:数|の数)?"),
    ("goal", r"数値目標(?:数)?"),
    ("kgi", r"KGI(?:数)?"),
    ("indicator", r"(?:成果)?指標数|指標の数|評価指標(?:数)?|成果指標"),
)
_PATTERNS = tuple((kind, regex.compile(rf"(?:{words}){_SEP}{_NUMBER}{_COUNTER}")) for kind, words in KIND_WORDS)


def read_count_wordings(text: str) -> dict[str, int]:
    """The indicator counts ``text`` states, by kind (first statement of each kind wins).

    The text is NFKC-normalised (full-width digits and colons) and white space removed first.

    >>> read_count_wordings("○数値目標\\n９本\\n○重要業績評価指標（KPI）\\n３３本")
    {'kpi': 33, 'goal': 9}
    >>> read_count_wordings("指標数 12"), read_count_wordings("KPI：12項目"), read_count_wordings("ＫＧＩ ３")
    ({'indicator': 12}, {'kpi': 12}, {'kgi': 3})
    >>> read_count_wordings("令和4年度の実績")
    {}
    """
    flat = regex.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))
    counts: dict[str, int] = {}
    for kind, pattern in _PATTERNS:
        match = pattern.search(flat)
        if match and kind not in counts:
            counts[kind] = int(match.group("n"))
    return counts
