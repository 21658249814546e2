"""Document-level facts printed in words, shared by layouts.

In: a document's text. Out: the grade legend as it prints it (``read_legend``), the indicator counts
it states (``read_counts``), ``group_key`` which makes a goal printed in different places
('（１）ポテンシャル…', '政策目標 ポテンシャル…') compare equal, and ``read_tables_document``: a whole
document read as ruled indicator tables of one ``TableSpec`` (a layout that is only vocabulary).
"""
from __future__ import annotations

from typing import Sequence

import regex

from ..extract.pdf import clean_page
from ..extract.words import page_text
from ..normalise.counts import read_count_wordings
from ..normalise.text import folded
from ..records import DocumentExtraction
from .base import compiled
from .table_reader import read_ruled_tables

# A legend item: a one-character grade mark (a letter, ◎○△×…, or a dash), a colon, its rule.
_MARK = r"[A-ZＡ-Ｚ◎○◯〇●△▲▽×✕✖☆★]|[―ー－—‐−–-]+"
# Its separator: a colon, an equals sign or dots; or only space when a rate follows (a legend
# printed as a table: 'Ａ | 100％以上').
_LEGEND_ITEM = regex.compile(
    rf"(?<![^\s【】\[\]()（）、，,。/／])({_MARK})(?:\s*[:：=＝…]+\s*|\s+(?=(?:達成率|進捗率)?\s*[0-9０-９.．]+\s*[%％割]))")


def read_legend(text: str) -> dict[str, str]:
    """The grade legend as printed: mark -> rule (``grade.Legend.from_printed`` reads the rules).

    A rule runs to the next mark on its line (so it may hold spaces and words in brackets).

    >>> read_legend("凡例 Ａ：100％以上 Ｂ：80％以上100％未満 Ｃ：50％以上80％未満 Ｄ：50％未満")
    {'Ａ': '100％以上', 'Ｂ': '80％以上100％未満', 'Ｃ': '50％以上80％未満', 'Ｄ': '50％未満'}
    >>> read_legend("【評価の区分】 ◎：達成率100％以上 ×：達成率 100％未満 ―：実績なし")
    {'◎': '達成率100％以上', '×': '達成率 100％未満', '―': '実績なし'}
    >>> read_legend("Ｓ：120％以上（大きく上回る）\\nＡ：100％以上")
    {'Ｓ': '120％以上（大きく上回る）', 'Ａ': '100％以上'}
    >>> read_legend("Ａ＝100％以上 Ｂ＝80％以上"), read_legend("Ａ 100％以上 Ｂ 80％以上100％未満")
    ({'Ａ': '100％以上', 'Ｂ': '80％以上'}, {'Ａ': '100％以上', 'Ｂ': '80％以上100％未満'})
    >>> read_legend("凡例なし"), read_legend("担当課：商工課")
    ({}, {})
    """
    legend: dict[str, str] = {}
    for line in text.splitlines():
        found = list(_LEGEND_ITEM.finditer(line))
        for item, following in zip(found, found[1:] + [None]):
            rule = line[item.end():following.start() if following else len(line)].strip()
            if rule:
                legend.setdefault(item.group(1), rule)
    return legend


def legend_words(legend: dict[str, str]) -> dict[str, str]:
    """The word a legend gives each mark in brackets after its rule -> the mark.

    >>> legend_words({"Ａ": "100％以上（順調）", "Ｂ": "80％以上 (概ね順調)", "Ｄ": "50％未満"})
    {'順調': 'Ａ', '概ね順調': 'Ｂ'}
    """
    words = {}
    for mark, rule in legend.items():
        m = regex.search(r"[（(]\s*([^（）()]+?)\s*[)）]\s*$", rule)
        if m and not regex.search(r"[0-9０-９]", m.group(1)):
            words.setdefault(m.group(1), mark)
    return words


def read_counts(text: str, patterns: Sequence[tuple[str, str]] | None = None) -> dict[str, int]:
    """Counts a document states about itself: by a layout's own ``patterns`` (e.g.
    ``('goal', r'数値目標(\\d+)本')``, the first match of each), or, without them, by the shared
    vocabulary of count wordings (``normalise.counts``: ``指標数 12``, ``KPI：12項目`` …).

    The text is NFKC-normalised and its white space removed before matching.

    >>> read_counts("指標数 １２ KPI3 …")
    {'indicator': 12}

    >>> read_counts("○数値目標\\n９本\\n○重要業績評価指標（KPI）\\n３３本", [("goal", r"数値目標(\\d+)本")])
    {'goal': 9}
    """
    if patterns is None:
        return read_count_wordings(text)
    flat = folded(text)
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
    flat = folded(text)
    flat = compiled(r"^(?:政策目標|基本目標)").sub("", flat)
    return compiled(r"^\(\d+\)").sub("", flat)


def read_tables_document(pdf, source, spec, layout: str, legend: bool = False) -> DocumentExtraction:
    """A document read as ruled indicator tables described by ``spec`` (the general reader's loop), with
    the problems met and, with ``legend``, the grade legend it prints: a layout that is only vocabulary."""
    pages = clean_pages(pdf)
    problems: list[str] = []
    cells = read_ruled_tables(pages, spec, problems)
    printed = read_legend("\n".join(page_texts(pages))) if legend else {}
    return DocumentExtraction(document=source.document, municipality=source.municipality, layout=layout,
                              pages=len(pages), cells=cells, legend=printed, problems=problems)


def page_texts(pages: Sequence) -> list[str]:
    return [page_text(page) for page in pages]


def clean_pages(pdf) -> list:
    return [clean_page(page) for page in pdf.pages]
