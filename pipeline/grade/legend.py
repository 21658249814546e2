"""The grading legend: achievement rate -> grade letter, with exact arithmetic.

In:  the ``grading`` block of ``params.yaml`` (thresholds as strings, so that YAML never
     turns them into binary floats), or nothing for the default legend.
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

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, Mapping

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


def percent(value: Decimal) -> str:
    """A threshold as a percentage without needless zeros.

    >>> percent(Decimal("0.80")), percent(Decimal("1.00")), percent(Decimal("0.675"))
    ('80%', '100%', '67.5%')
    """
    text = format((value * 100).normalize(), "f")
    return f"{text}%"


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
                try:
                    items.append((str(letter), Decimal(str(bound).strip())))
                except InvalidOperation:
                    raise ValueError(f"grading.thresholds.{letter}: {bound!r} is not a decimal number") from None
            thresholds = tuple(sorted(items, key=lambda item: item[1], reverse=True))
        return cls(
            thresholds=thresholds,
            below=str(params.get("below", DEFAULT_BELOW)),
            no_actual=str(params.get("no_actual", NO_ACTUAL)),
            use_latest_actual=bool(params.get("use_latest_actual", True)),
        )

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
