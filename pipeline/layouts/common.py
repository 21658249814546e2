"""Document-level facts printed in words, shared by layouts.

In: a document's text. Out: the grade legend it prints (``read_legend``), the indicator counts
it states (``read_counts``), and ``group_key`` which makes a goal printed in different places
('（１）ポテンシャル…', '政策目標 ポテンシャル…') compare equal.
"""
from __future__ import annotations

import unicodedata
from typing import Sequence

import regex

from ..extract.pdf import clean_page
from ..extract.words import page_text
from .base import compiled

_LEGEND = regex.compile(r"([A-DＡ-Ｄ])\s*[:：]\s*([0-9０-９]+(?:[.．][0-9０-９]+)?)\s*[%％]\s*以上")


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "")


def read_legend(text: str) -> dict[str, str]:
    """Grade thresholds printed as 'Ａ：100％以上 Ｂ：80％以上100％未満 …', as rates.

    >>> read_legend("凡例 Ａ：100％以上 Ｂ：80％以上100％未満 Ｃ：50％以上80％未満 Ｄ：50％未満")
    {'A': '1.00', 'B': '0.80', 'C': '0.50'}
    >>> read_legend("凡例なし")
    {}
    """
    legend: dict[str, str] = {}
    for letter, percent in _LEGEND.findall(text):
        grade = nfkc(letter)
        if grade not in legend:
            from decimal import Decimal
            legend[grade] = f"{Decimal(nfkc(percent)) / 100:.2f}"
    return legend


def read_counts(text: str, patterns: Sequence[tuple[str, str]]) -> dict[str, int]:
    """Counts a document states about itself, e.g. ('goal', r'数値目標(\\d+)本').

    The text is NFKC-normalised and its white space removed before matching.

    >>> read_counts("○数値目標\\n９本\\n○重要業績評価指標（KPI）\\n３３本", [("goal", r"数値目標(\\d+)本")])
    {'goal': 9}
    """
    flat = compiled(r"\s+").sub("", nfkc(text))
    counts = {}
    for kind, pattern in patterns:
        m = compiled(pattern).search(flat)
        if m:
            counts[kind] = int(m.group(1))
    return counts


def group_key(text: str) -> str:
    """A goal's name without its numbering, label word or line breaks.

    >>> group_key("（１）ポテンシャルを生か\\nした地域産業の振興")
    'ポテンシャルを生かした地域産業の振興'
    >>> group_key("政策目標 ポテンシャルを生かした地域産業の振興")
    'ポテンシャルを生かした地域産業の振興'
    """
    flat = compiled(r"\s+").sub("", nfkc(text))
    flat = compiled(r"^(?:政策目標|基本目標)").sub("", flat)
    return compiled(r"^\(\d+\)").sub("", flat)


def page_texts(pages: Sequence) -> list[str]:
    return [page_text(page) for page in pages]


def clean_pages(pdf) -> list:
    return [clean_page(page) for page in pdf.pages]
