"""The legend a grade was computed with, as ``grades.csv`` writes it, and the grade it gives a rate.

In:  the ``legend`` column of ``grades.csv``: ``label>=bound`` (or ``label>bound``) items joined by
     ``;``, best to worst, bounds as reduced fractions, then the last graded label alone, then the
     no-actual label as ``label=none`` (``A>=1;B>=4/5;C>=1/2;D;-=none``, ``◎>=1;○>=4/5;△>=1/2;×;―=none``);
     the ``rate_exact`` column (a reduced fraction ``p/q``).
Out: ``WrittenLegend`` and ``grade_for(rate, legend)`` computed exactly with ``Fraction``.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from fractions import Fraction


class LegendTextError(ValueError):
    """A legend or rate text that cannot be read; the message quotes it."""


@dataclass(frozen=True)
class WrittenLegend:
    steps: tuple[tuple[str, bool, Fraction], ...]   # (label, strict, bound), best first
    last: str                                       # the label below every bound
    no_actual: str                                  # the label for no rate

    def grade(self, rate: Fraction | None) -> str:
        """The label for ``rate`` (``no_actual`` for ``None``).

        >>> legend = parse_legend("A>=1;B>=4/5;C>=1/2;D;-=none")
        >>> [legend.grade(Fraction(r)) for r in ("1", "19999/25000", "4/5", "1/2", "-3/10")]
        ['A', 'C', 'B', 'C', 'D']
        >>> legend.grade(None)
        '-'
        >>> parse_legend("S>1;A>=1;B;-=none").grade(Fraction(1))
        'A'
        """
        if rate is None:
            return self.no_actual
        for label, strict, bound in self.steps:
            if rate > bound or (not strict and rate == bound):
                return label
        return self.last


def parse_fraction(text: str) -> Fraction:
    """``4/5``, ``1``, ``-3/10`` (also a plain decimal) as an exact ``Fraction``.

    >>> parse_fraction("19999/25000"), parse_fraction(" -3/10 "), parse_fraction("0.8")
    (Fraction(19999, 25000), Fraction(-3, 10), Fraction(4, 5))
    >>> parse_fraction("1/0")
    Traceback (most recent call last):
    ...
    pipeline.validate.legend_text.LegendTextError: not an exact rate: '1/0'
    """
    try:
        return Fraction(text.strip())
    except (ValueError, ZeroDivisionError):
        raise LegendTextError(f"not an exact rate: {text!r}") from None


@lru_cache(maxsize=256)   # one parse per legend written, not per row
def parse_legend(text: str) -> WrittenLegend:
    """Read a written legend (see the module docstring).

    >>> parse_legend("◎>=1;○>=4/5;△>=1/2;×;―=none").steps[1]
    ('○', False, Fraction(4, 5))
    >>> parse_legend("A>=1;B")
    Traceback (most recent call last):
    ...
    pipeline.validate.legend_text.LegendTextError: legend 'A>=1;B' does not end with the no-actual label (label=none)
    """
    items = [item.strip() for item in (text or "").split(";")]
    if len(items) < 3 or not items[-1].endswith("=none"):
        raise LegendTextError(f"legend {text!r} does not end with the no-actual label (label=none)")
    no_actual, last = items[-1][: -len("=none")], items[-2]
    if not no_actual or not last or any(op in last for op in (">", "=")):
        raise LegendTextError(f"legend {text!r}: the last graded label must stand alone before label=none")
    steps = []
    for item in items[:-2]:
        strict = ">=" not in item
        label, sep, bound = item.partition(">" if strict else ">=")
        if not sep or not label:
            raise LegendTextError(f"legend {text!r}: item {item!r} is not label>=bound or label>bound")
        try:
            steps.append((label, strict, parse_fraction(bound)))
        except LegendTextError:
            raise LegendTextError(f"legend {text!r}: item {item!r} has no exact bound") from None
    bounds = [b for _, _, b in steps]
    if bounds != sorted(bounds, reverse=True):
        raise LegendTextError(f"legend {text!r}: bounds are not best to worst")
    return WrittenLegend(tuple(steps), last, no_actual)


def grade_for(rate_text: str | None, legend_text: str | None) -> str | None:
    """The grade ``legend_text`` gives ``rate_text`` (empty rate: the no-actual label), exactly;
    ``None`` when either cannot be read (their own expectations report that).

    >>> grade_for("19999/25000", "A>=1;B>=4/5;C>=1/2;D;-=none"), grade_for("", "A>=1;B>=4/5;C>=1/2;D;-=none")
    ('C', '-')
    >>> grade_for("x", "A>=1;B>=4/5;C>=1/2;D;-=none") is None
    True
    """
    try:
        legend = parse_legend(legend_text or "")
        return legend.grade(parse_fraction(rate_text) if rate_text and rate_text.strip() else None)
    except LegendTextError:
        return None
