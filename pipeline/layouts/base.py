"""What a report layout is: a name, the words that identify it, and a reader.

In: nothing (definitions). Out: ``Layout`` (one per module in ``pipeline/layouts/``),
``Problem`` (one line naming a file and what went wrong), ``recognise`` (which layout a
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
class Problem:
    """One line in extracted/problems.csv."""

    file: str
    stage: str
    severity: str        # 'error' (document not read) or 'warning' (read, something to check)
    message: str

    def __str__(self) -> str:
        return f"{self.severity}: {self.file}: {self.message}"


@dataclass(frozen=True)
class Layout:
    name: str
    description: str
    identify: Sequence[str]          # regexes; every one must occur in the document's text
    read: Callable[["pdfplumber.PDF", "Source"], "DocumentExtraction"]
    exclude: Sequence[str] = ()      # regexes that must not occur (to tell close layouts apart)

    def matches(self, text: str) -> bool:
        return (all(compiled(p).search(text) for p in self.identify)
                and not any(compiled(p).search(text) for p in self.exclude))


def recognise(text: str, layouts: Sequence[Layout]) -> Layout | None:
    """The layout whose identifying words all occur in ``text``; the most specific wins.

    >>> a = Layout("a", "", ("実績値",), read=None)
    >>> b = Layout("b", "", ("実績値", "達成状況"), read=None)
    >>> recognise("令和2年度 実績値 達成状況", [a, b]).name
    'b'
    >>> recognise("目次", [a, b]) is None
    True
    """
    found = [layout for layout in layouts if layout.matches(text)]
    if not found:
        return None
    return max(found, key=lambda layout: len(layout.identify))


def describe(layouts: Sequence[Layout]) -> str:
    """What recognition looked for, for the message about an unrecognised document."""
    return "; ".join(f"{layout.name}: {' + '.join(layout.identify)}" for layout in layouts)
