"""Published vs recomputed grades -> a confusion table (counts of each pair) for one document.

In: grades.csv rows of one document and the legend's letters. Out: ``Confusion``: the published
labels (rows), the recomputed labels (columns) and the count of each pair; only labels that occur
are shown, the legend's letters in order, then '-' and others, then '' (none printed / none).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass


def ordered(labels: set[str], letters: tuple[str, ...] = ("A", "B", "C", "D")) -> list[str]:
    """
    >>> ordered({"", "B", "-", "A", "S"}, ("S", "A", "B"))
    ['S', 'A', 'B', '-', '']
    """
    first = [g for g in letters if g in labels]
    rest = sorted(g for g in labels if g not in letters and g)
    return first + rest + ([""] if "" in labels else [])


@dataclass(frozen=True)
class Confusion:
    published: list[str]
    recomputed: list[str]
    counts: dict[tuple[str, str], int]

    def count(self, published: str, recomputed: str) -> int:
        return self.counts.get((published, recomputed), 0)

    def total(self, published: str) -> int:
        return sum(n for (p, _), n in self.counts.items() if p == published)

    @property
    def compared(self) -> int:
        """Indicators with both a published and a recomputed grade."""
        return sum(n for (p, r), n in self.counts.items() if p and r)

    @property
    def agreeing(self) -> int:
        return sum(n for (p, r), n in self.counts.items() if p and p == r)


def confusion(grades: list[dict[str, str]], letters: tuple[str, ...] = ("A", "B", "C", "D")) -> Confusion:
    """
    >>> c = confusion([{"published_grade": "A", "recomputed_grade": "B"},
    ...                {"published_grade": "A", "recomputed_grade": "A"}, {"recomputed_grade": "C"}])
    >>> c.published, c.recomputed, c.count("A", "B"), c.count("", "C"), c.compared, c.agreeing
    (['A', ''], ['A', 'B', 'C'], 1, 1, 2, 1)
    """
    pairs = Counter((g.get("published_grade", ""), g.get("recomputed_grade", "")) for g in grades)
    return Confusion(ordered({p for p, _ in pairs}, letters), ordered({r for _, r in pairs}, letters), dict(pairs))
