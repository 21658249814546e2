"""Document-level facts printed in words, shared by layouts.

In: a document's text. Out: the grade legend as it prints it (``read_legend``), the indicator counts
it states (``read_counts``), and ``group_key`` which makes a goal printed in different places
('（１）ポテンシャル…', '政策目標 ポテンシャル…') compare equal.
"""
from __future__ import annotations

from typing import Sequence

import regex

from ..extract.pdf import clean_page
from ..normalise.text import nfkc
from ..extract.words import page_text
from .base import compiled

# 'Ａ：100％以上', '―：現時点で実績値が確定していないもの等': a grade mark, a colon, its rule (up to a space).
_LEGEND = regex.compile(r"(?<!\S)([A-DＡ-Ｄ◎○△×]|[―ー－-])\s*[:：]\s*(\S+)")


def read_legend(text: str) -> dict[str, str]:
    """The grade legend as printed: mark -> rule (``grade.Legend.from_printed`` reads the rules).

    >>> read_legend("凡例 Ａ：100％以上 Ｂ：80％以上100％未満 Ｃ：50％以上80％未満 Ｄ：50％未満")
    {'Ａ': '100％以上', 'Ｂ': '80％以上100％未満', 'Ｃ': '50％以上80％未満', 'Ｄ': '50％未満'}
    >>> read_legend("凡例なし")
    {}
    """
    legend: dict[str, str] = {}
    for mark, rule in _LEGEND.findall(text):
        legend.setdefault(mark, rule)
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
