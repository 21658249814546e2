"""The grading legend: achievement rate -> grade letter, with exact arithmetic.

In:  the ``grading`` block of ``params.yaml`` (thresholds as strings, so that YAML never
     turns them into binary floats), or the legend a report prints (letter -> rule, as in
     ``DocumentExtraction.legend``), or nothing for the default legend.
Out: a frozen ``Legend`` whose ``grade(rate)`` compares a ``Decimal`` or ``Fraction`` rate
     with the thresholds exactly (boundaries inclusive: 1.20 / 1.50 = 0.8 grades B).

Default (the legend printed by the reports that grade):
A: rate >= 100%, B: 80% <= rate < 100%, C: 50% <= rate < 80%, D: rate < 50%, '-': no actual yet.

>>> from fractions import Fraction
>>> legend = Legend.default()
>>> legend.grade(Fraction(120, 150))
'B'
>>> legend.grade(Decimal("0.4999"))
'D'
>>> legend.describe()
'A >=100%, B >=80%, C >=50%, D <50%'
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, Mapping

import regex

DEFAULT_THRESHOLDS: tuple[tuple[str, Decimal], ...] = (
    ("A", Decimal("1.00")),
    ("B", Decimal("0.80")),
    ("C", Decimal("0.50")),
)
DEFAULT_BELOW = "D"
NO_ACTUAL = "-"


def exact(value: Decimal | Fraction | int | str) -> Fraction:
    """A rate or threshold as an exact ``Fraction`` (a ``str`` is read as a decimal numeral).

    >>> exact("0.80") == Fraction(4, 5)
    True
    >>> exact(Decimal("1.2")) / exact(Decimal("1.5")) == Fraction(4, 5)
    True
    """
    if isinstance(value, float):
        raise TypeError(f"binary float {value!r} is not allowed in grading; use Decimal, Fraction or str")
    if isinstance(value, str):
        value = Decimal(value.strip())
    return Fraction(value)


def printed_grade(text: str) -> str:
    """A grade as printed, as its ASCII letter; any dash ('no actual yet') becomes '-'.

    >>> printed_grade("Ｂ"), printed_grade("―"), printed_grade(" － "), printed_grade("")
    ('B', '-', '-', '')
    """
    text = unicodedata.normalize("NFKC", text or "").strip()
    if text and regex.fullmatch(r"[\p{Pd}―ー－−‐-]+", text):
        return "-"
    return text.upper()


def percent(value: Decimal) -> str:
    """A threshold as a percentage without needless zeros.

    >>> percent(Decimal("0.80")), percent(Decimal("1.00")), percent(Decimal("0.675"))
    ('80%', '100%', '67.5%')
    """
    text = format((value * 100).normalize(), "f")
    return f"{text}%"


def _bound(letter: Any, bound: Any) -> Decimal:
    """A threshold as a rate: '0.80' -> 0.80; a printed '80％以上' or '80%' -> 0.80.

    >>> _bound("B", "0.80"), _bound("B", "８０％以上"), _bound("A", 1)
    (Decimal('0.80'), Decimal('0.8'), Decimal('1'))
    """
    text = unicodedata.normalize("NFKC", str(bound)).strip()
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*%(?:以上)?", text)
    try:
        return Decimal(m.group(1)) / 100 if m else Decimal(text)
    except InvalidOperation:
        raise ValueError(f"grading.thresholds.{letter}: {bound!r} is not a decimal number") from None


@dataclass(frozen=True)
class Legend:
    """Grade letters with their lower bounds, highest first; below the last bound is ``below``."""

    thresholds: tuple[tuple[str, Decimal], ...] = DEFAULT_THRESHOLDS
    below: str = DEFAULT_BELOW
    no_actual: str = NO_ACTUAL
    # True: the latest actual up to the target year is used when the target year's own actual
    # is not settled yet (what the reports say: 直近の実績を用いて評価). False: only an actual
    # of the target year counts, otherwise the grade is ``no_actual``.
    use_latest_actual: bool = True

    def __post_init__(self) -> None:
        if not self.thresholds:
            raise ValueError("legend: at least one threshold is needed")
        bounds = [b for _, b in self.thresholds]
        if any(not isinstance(b, Decimal) for b in bounds):
            raise TypeError("legend: thresholds must be Decimal")
        if bounds != sorted(bounds, reverse=True) or len(set(bounds)) != len(bounds):
            raise ValueError(f"legend: thresholds must be strictly decreasing, got {self.describe()}")
        letters = [g for g, _ in self.thresholds] + [self.below]
        if len(set(letters)) != len(letters):
            raise ValueError(f"legend: grade letters repeat: {letters}")

    @classmethod
    def default(cls) -> "Legend":
        return cls()

    @classmethod
    def from_params(cls, params: Mapping[str, Any] | None) -> "Legend":
        """Build from ``params.yaml``: either the whole file or its ``grading`` block.

        ``grading: {thresholds: {A: "1.00", B: "0.80", C: "0.50"}, below: D, use_latest_actual: true}``;
        anything missing takes the default. Thresholds may be strings or ints, never floats.

        >>> Legend.from_params({"grading": {"thresholds": {"A": "1.00", "B": "0.80", "C": "0.50"}}}) == Legend()
        True
        >>> Legend.from_params({"thresholds": {"S": "1.2", "A": "1"}}).describe()
        'S >=120%, A >=100%, D <100%'
        """
        params = dict(params or {})
        if "grading" in params:
            params = dict(params["grading"] or {})
        raw = params.get("thresholds")
        thresholds = DEFAULT_THRESHOLDS
        if raw:
            if not isinstance(raw, Mapping):
                raise ValueError(f"grading.thresholds must be a mapping grade -> rate, got {raw!r}")
            items = []
            for letter, bound in raw.items():
                if isinstance(bound, float):
                    raise ValueError(
                        f"grading.thresholds.{letter}: write the rate as a string ('{bound}'), "
                        "YAML floats are binary and not exact")
                items.append((unicodedata.normalize("NFKC", str(letter)).strip(), _bound(letter, bound)))
            thresholds = tuple(sorted(items, key=lambda item: item[1], reverse=True))
        return cls(
            thresholds=thresholds,
            below=str(params.get("below", DEFAULT_BELOW)),
            no_actual=str(params.get("no_actual", NO_ACTUAL)),
            use_latest_actual=bool(params.get("use_latest_actual", True)),
        )

    @classmethod
    def from_printed(cls, printed: Mapping[str, str] | None, base: "Legend | None" = None) -> "Legend | None":
        """The legend a report prints (``DocumentExtraction.legend``: letter -> rule), or None.

        A rule with 'n％以上' gives that letter's lower bound; the letter whose rule has only
        '未満' is the one below; a dash letter is the 'no actual yet' mark. None when the
        printed text cannot be read as a legend (the caller then keeps the params legend).

        >>> Legend.from_printed({"Ａ": "100％以上", "Ｂ": "80％以上100％未満", "Ｃ": "50％以上80％未満",
        ...                      "Ｄ": "50％未満", "―": "現時点で実績値が確定していないもの等"}) == Legend()
        True
        >>> Legend.from_printed({"Ａ": "達成"}) is None
        True
        """
        base = base or cls()
        items, below, no_actual = [], None, base.no_actual
        for letter, rule in (printed or {}).items():
            letter = unicodedata.normalize("NFKC", str(letter)).strip()
            rule = unicodedata.normalize("NFKC", str(rule or "")).replace(" ", "")
            if re.fullmatch(r"[-‐―ー－—]+", letter):
                no_actual = "-"
                continue
            m = re.search(r"(\d+(?:\.\d+)?)%以上", rule)
            if m:
                items.append((letter, Decimal(m.group(1)) / 100))
            elif re.search(r"\d+(?:\.\d+)?%未満", rule):
                below = letter
        if not items or below is None:
            return None
        try:
            return cls(tuple(sorted(items, key=lambda i: i[1], reverse=True)), below, no_actual,
                       base.use_latest_actual)
        except (ValueError, TypeError):
            return None

    def grade(self, rate: Decimal | Fraction | int | str) -> str:
        """The letter for an achievement rate; each bound is inclusive, compared exactly."""
        value = exact(rate)
        for letter, bound in self.thresholds:
            if value >= exact(bound):
                return letter
        return self.below

    def letters(self) -> tuple[str, ...]:
        """Grade letters best first, ending with the one below the last bound."""
        return tuple(g for g, _ in self.thresholds) + (self.below,)

    def rank(self, letter: str) -> int:
        """0 for the best letter; higher is worse; unknown letters (and '-') rank worst."""
        order = self.letters()
        return order.index(letter) if letter in order else len(order)

    def describe(self) -> str:
        parts = [f"{g} >={percent(b)}" for g, b in self.thresholds]
        parts.append(f"{self.below} <{percent(self.thresholds[-1][1])}")
        return ", ".join(parts)
