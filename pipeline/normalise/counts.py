"""The wordings reports use to state how many indicators they hold, as one vocabulary.

In:  a document's text (any layout). Out: ``{kind: count}`` for the counts it states
     (``○数値目標 ９本``, ``指標数 12``, ``KPI：12項目``, ``重要業績評価指標（KPI）33本`` …); empty when
     it states none. Kinds: ``goal`` (数値目標), ``kpi`` (KPI, 重要業績評価指標), ``kgi`` and
     ``indicator`` (指標数: all of the document's indicators).

A number is a count only when the wording says so: a counter word follows it (本, 項目, 個, 件,
指標) or the words before it name a number (…数, …の数). ``KPI1`` (an indicator's label) is not a
count. A kind stated twice with different numbers (a total and per-section counts, say) is not
read at all: which one is the total cannot be told from the words.
"""
from __future__ import annotations

import regex

from .text import folded

_NUMBER = r"(?P<n>[0-9]{1,4})"
_COUNTER = r"(?:本|項目|個|件|指標)"
_SEP = r"[:：]?"
# kind -> (words that name the kind, words that name its number); the count follows the words.
KIND_WORDS: tuple[tuple[str, str, str], ...] = (
    ("kpi", r"重要業績評価指標(?:\(KPI\))?|KPI", r"(?:KPI|重要業績評価指標)(?:\(KPI\))?(?:の?数)"),
    ("goal", r"数値目標", r"数値目標の?数"),
    ("kgi", r"KGI", r"KGIの?数"),
    # not the 評価指標 of 重要業績評価指標 (a KPI)
    ("indicator", r"(?<!業績|業績評価)(?:成果|評価)?指標", r"(?<!業績|業績評価)(?:成果|評価)?指標の?数"),
)
_PATTERNS = tuple(
    (kind, regex.compile(rf"(?:(?:{numbered}){_SEP}{_NUMBER}(?![0-9])|(?:{words}){_SEP}{_NUMBER}{_COUNTER})"))
    for kind, words, numbered in KIND_WORDS)


def read_count_wordings(text: str) -> dict[str, int]:
    """The indicator counts ``text`` states, by kind.

    >>> read_count_wordings("○数値目標\\n９本\\n○重要業績評価指標（KPI）\\n３３本")
    {'kpi': 33, 'goal': 9}
    >>> read_count_wordings("指標数 12"), read_count_wordings("KPI：12項目"), read_count_wordings("ＫＧＩ ３本")
    ({'indicator': 12}, {'kpi': 12}, {'kgi': 3})
    >>> read_count_wordings("重要業績評価指標 33本"), read_count_wordings("本市の成果指標数：40")
    ({'kpi': 33}, {'indicator': 40})
    >>> read_count_wordings("KPI1 市内の新規創業件数 KPI2 市内事業所の従業者数")
    {}
    >>> read_count_wordings("令和4年度の実績"), read_count_wordings("数値目標 9本 … 数値目標 3本")
    ({}, {})
    >>> read_count_wordings("数値目標 9本（再掲）数値目標 9本")
    {'goal': 9}
    """
    flat = folded(text)
    counts: dict[str, int] = {}
    for kind, pattern in _PATTERNS:
        stated = {int(m.group("n")) for m in pattern.finditer(flat)}
        if len(stated) == 1:
            counts[kind] = stated.pop()
    return counts


def counts_for_kinds(stated: dict[str, int], kinds: set[str]) -> dict[str, int]:
    """The stated counts that can be compared with a document whose indicators have ``kinds``
    (``""`` for indicators without one): a kind the indicators carry is kept; ``indicator`` counts
    the whole document (kind ``""``); when the indicators carry no kind, a single stated count is
    the whole document's. Anything else (a KPI count for a document that reads no KPI rows) is left
    out rather than compared with the wrong rows.

    >>> counts_for_kinds({"goal": 9, "kpi": 33}, {"goal", "kpi"})
    {'goal': 9, 'kpi': 33}
    >>> counts_for_kinds({"kpi": 12}, {""}), counts_for_kinds({"goal": 9, "kpi": 33}, {""})
    ({'': 12}, {})
    >>> counts_for_kinds({"indicator": 40, "kgi": 3}, {"goal", "kpi"})
    {'': 40}
    """
    kept = {kind: count for kind, count in stated.items() if kind and kind in kinds}
    if "indicator" in stated:
        kept[""] = stated["indicator"]
    elif kinds <= {""} and len(stated) == 1:
        kept[""] = next(iter(stated.values()))
    return kept
