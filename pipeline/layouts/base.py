"""What a report layout is: a name, the words that identify it, and a reader.

In: nothing (definitions). Out: ``Layout`` (one per module in ``pipeline/layouts/``),
``recognise`` (which layout a
document's own words match) and ``compiled`` (a spec's regex, compiled once).  Adding a layout means adding a module that defines ``LAYOUT``.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Callable, Sequence

import regex

if TYPE_CHECKING:
    import pdfplumber

    from ..records import DocumentExtraction
    from ..sources import Source


@lru_cache(maxsize=None)
def compiled(pattern: str) -> "regex.Pattern":
    """``regex.compile(pattern)``, made once: layouts match their spec's patterns thousands of times
    per document, and ``regex.search(pattern, ...)`` looks the pattern up in ``regex``'s slow cache."""
    return regex.compile(pattern)


@dataclass(frozen=True)
class Layout:
    name: str
    description: str
    identify: Sequence[str]          # regexes; every one must occur in the document's text
    read: Callable[["pdfplumber.PDF", "Source"], "DocumentExtraction"]
    exclude: Sequence[str] = ()      # regexes that must not occur (to tell close layouts apart)
    names: Sequence[str] = ()        # the identifying words in human wording, one per ``identify`` pattern
    fallback: bool = False           # tried only when no other layout is recognised in the first pages
    looked_for: str = ""             # what its reader looks for, for the message when it finds nothing

    def matches(self, text: str) -> bool:
        return (all(compiled(p).search(text) for p in self.identify)
                and not any(compiled(p).search(text) for p in self.exclude))

    def word_names(self) -> list[str]:
        """The identifying words as a reader would name them ('数値目標（KGI）', '指標 or KPI')."""
        return [name for name in self.names] if len(self.names) == len(self.identify) else [
            human(p) for p in self.identify]

    def found_and_missing(self, text: str) -> tuple[list[str], list[str]]:
        found, missing = [], []
        for pattern, name in zip(self.identify, self.word_names()):
            (found if compiled(pattern).search(text) else missing).append(name)
        return found, missing


def human(pattern: str) -> str:
    """A recognition regex in reader's words: its literal text, alternatives joined by 'or'.

    >>> human(r"重要業績評価指標|KPI|ＫＰＩ"), human(r"数値目標\s*[（(]?\s*(?:KGI|ＫＧＩ)")
    ('重要業績評価指標 or KPI or ＫＰＩ', '数値目標（KGI')
    >>> human(r"[\[［]\s*目\s*標\s*値\s*[\]］]")
    '[目標値]'
    """
    text = regex.sub(r"\\s[*+?]?", "", pattern)
    text = regex.sub(r"\[\\?(.)[^\]]*\][?*]?", r"\1", text)
    text = regex.sub(r"\(\?:([^|)]*)[^)]*\)", r"\1", text)
    text = text.replace("^", "").replace("$", "").replace("\\", "")
    return " or ".join(part for part in text.split("|") if part)


def recognise(text: str, layouts: Sequence[Layout]) -> Layout | None:
    """The layout whose identifying words all occur in ``text``; the most specific wins.

    >>> a = Layout("a", "", ("実績値",), read=None)
    >>> b = Layout("b", "", ("実績値", "達成状況"), read=None)
    >>> recognise("令和2年度 実績値 達成状況", [a, b]).name
    'b'
    >>> recognise("目次", [a, b]) is None
    True
    """
    found = [layout for layout in layouts if layout.matches(text) and not layout.fallback]
    if not found:
        return None
    return max(found, key=lambda layout: len(layout.identify))


def recognise_fallback(text: str, layouts: Sequence[Layout]) -> Layout | None:
    """The general layout whose words occur in ``text``, when no specific layout is recognised."""
    return next((layout for layout in layouts if layout.fallback and layout.matches(text)), None)


def describe(layouts: Sequence[Layout], text: str | None = None) -> str:
    """What recognition looked for, per layout (and, given the document's ``text``, which of those words
    it holds and which it lacks), for the message about an unrecognised document.

    >>> a = Layout("a", "", ("実績値", "達成状況"), read=None)
    >>> describe([a], "実績値")
    'a: found 実績値; missing 達成状況'
    """
    parts = []
    for layout in layouts:
        if text is None:
            parts.append(f"{layout.name}: {' + '.join(layout.word_names())}")
            continue
        found, missing = layout.found_and_missing(text)
        said = [f"found {', '.join(found)}"] if found else []
        said += [f"missing {', '.join(missing)}"] if missing else []
        excluded = [human(p) for p in layout.exclude if compiled(p).search(text)]
        said += [f"but has {', '.join(excluded)}"] if excluded else []
        parts.append(f"{layout.name}: {'; '.join(said)}")
    return "; ".join(parts)
