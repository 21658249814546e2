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

from ..normalise.text import folded
from ..normalise.grade_marks import is_dash, printed_grade

DEFAULT_THRESHOLDS: tuple[tuple[str, Decimal], ...] = (
    ("A", Decimal("1.00")),
    ("B", Decimal("0.80")),
    ("C", Decimal("0.50")),
)
DEFAULT_BELOW = "D"
NO_ACTUAL = "-"
# Glyphs printed for the same mark: a grade printed '〇' is the legend's '○'.
SAME_MARKS = ("○◯〇", "×✕✖╳", "◎⊚")


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


# A printed rule's bound: '80％以上', '100%超', '8割以上', '100％を超える'.
_RULE_BOUND = regex.compile(r"(\d+(?:\.\d+)?)\s*([%割])\s*(以上|超|を超える|を上回る)")
_RULE_BELOW = regex.compile(r"\d+(?:\.\d+)?\s*[%割]\s*(?:未満|以下|を下回る)")
# A rule that describes 'no actual value' ('実績値なし', '実績なし', '現時点で実績値が確定していないもの等').
_RULE_NO_ACTUAL = regex.compile(r"実績.*(?:なし|無し|ない|未確定|確定していない|集計中)|評価(?:不能|できない)|測定不能")


def printed_bound(rule: str) -> tuple[Decimal, bool] | None:
    """The lower bound a printed rule gives its label, and whether it is strict (超), or None.

    >>> printed_bound("80％以上100％未満"), printed_bound("達成率100％超"), printed_bound("8割以上（概ね順調）")
    ((Decimal('0.8'), False), (Decimal('1'), True), (Decimal('0.8'), False))
    >>> printed_bound("50％未満") is None
    True
    """
    m = _RULE_BOUND.search(_flat(rule))
    if not m:
        return None
    scale = 100 if m.group(2) == "%" else 10
    return Decimal(m.group(1)) / scale, m.group(3) != "以上"


def _flat(text: str) -> str:
    return folded(str(text or ""))


@dataclass(frozen=True)
class Legend:
    """Grade labels with their lower bounds, best first; below the last bound is ``below``.

    A label in ``strict`` needs the rate strictly above its bound (a printed '100％超').
    """

    thresholds: tuple[tuple[str, Decimal], ...] = DEFAULT_THRESHOLDS
    below: str = DEFAULT_BELOW
    no_actual: str = NO_ACTUAL
    # True: the latest actual up to the target year is used when the target year's own actual
    # is not settled yet (what the reports say: 直近の実績を用いて評価). False: only an actual
    # of the target year counts, otherwise the grade is ``no_actual``.
    use_latest_actual: bool = True
    strict: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if not self.thresholds:
            raise ValueError("legend: at least one threshold is needed")
        bounds = [b for _, b in self.thresholds]
        if any(not isinstance(b, Decimal) for b in bounds):
            raise TypeError("legend: thresholds must be Decimal")
        # best first: a higher bound, or the same bound taken strictly (100%超 before 100%以上)
        order = [(b, g in self.strict) for g, b in self.thresholds]
        if order != sorted(order, reverse=True) or len(set(order)) != len(order):
            raise ValueError(f"legend: thresholds must be strictly decreasing, got {self.describe()}")
        letters = [g for g, _ in self.thresholds] + [self.below]
        if len(set(letters)) != len(letters) or self.no_actual in letters:
            raise ValueError(f"legend: grade letters repeat: {letters + [self.no_actual]}")

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
        >>> Legend.from_params({"thresholds": {"A": "1.00", "B": 0.7, "C": "0.50"}}).describe()
        'A >=100%, B >=70%, C >=50%, D <50%'
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
                    # `dvc exp run -S grading.thresholds.B=0.7` writes a YAML float: read it as the
                    # shortest decimal that prints it (what was typed, '0.7'), never as the binary value
                    bound = repr(bound)
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
        """The legend a report prints (``DocumentExtraction.legend``: label -> rule), or None.

        A rule with 'n％以上' (or '8割以上') gives that label's lower bound, 'n％超' a strict one;
        the label whose rule has only '未満'/'以下' (or, without one, the only label left: 'Ｄ：上記以外')
        is the one below; a dash label, or a rule saying
        there is no actual ('実績値なし'), is the 'no actual yet' label. Words after the rule
        ('（順調）') are ignored. Labels are kept as printed (NFKC: 'Ａ' -> 'A', '◎' stays '◎');
        a dash of a legend of Latin letters is written '-', as the contract's default writes it.
        None when the printed text cannot be read as a legend (the caller then keeps ``base``).

        >>> Legend.from_printed({"Ａ": "100％以上", "Ｂ": "80％以上100％未満", "Ｃ": "50％以上80％未満",
        ...                      "Ｄ": "50％未満", "―": "現時点で実績値が確定していないもの等"}) == Legend()
        True
        >>> Legend.from_printed({"◎": "達成率100％以上", "○": "達成率80％以上100％未満", "×": "達成率80％未満",
        ...                      "―": "実績なし"}).spec()
        '◎>=1;○>=4/5;×;―=none'
        >>> Legend.from_printed({"Ａ": "達成"}) is None
        True
        """
        base = base or cls()
        items, strict, below, no_actual, others = [], set(), None, None, []
        for label, rule in (printed or {}).items():
            label = unicodedata.normalize("NFKC", str(label)).strip()
            bound = printed_bound(rule)
            if bound is not None:
                items.append((label, bound[0]))
                if bound[1]:
                    strict.add(label)
            elif _RULE_BELOW.search(_flat(rule)):
                below = below or label
            elif is_dash(label) or _RULE_NO_ACTUAL.search(_flat(rule)):
                no_actual = no_actual or label
            else:
                others.append(label)
        if below is None and len(others) == 1:     # 'Ｄ：上記以外': the one label left is the one below
            below = others[0]
        if not items or below is None:
            return None
        if no_actual is None:
            no_actual = base.no_actual
        elif is_dash(no_actual) and all(regex.fullmatch(r"[A-Za-z]+", g) for g, _ in items + [(below, 0)]):
            no_actual = "-"
        items.sort(key=lambda i: (i[1], i[0] in strict), reverse=True)
        try:
            return cls(tuple(items), below, no_actual, base.use_latest_actual, frozenset(strict))
        except (ValueError, TypeError):
            return None

    def grade(self, rate: Decimal | Fraction | int | str) -> str:
        """The label for an achievement rate; each bound is inclusive unless strict, compared exactly."""
        value = exact(rate)
        for letter, bound in self.thresholds:
            if value > exact(bound) or (value == exact(bound) and letter not in self.strict):
                return letter
        return self.below

    def letters(self) -> tuple[str, ...]:
        """Grade letters best first, ending with the one below the last bound."""
        return tuple(g for g, _ in self.thresholds) + (self.below,)

    def label(self, printed: str) -> str:
        """A published grade written with this legend's labels: any dash is ``no_actual``.

        >>> legend = Legend.from_printed({"◎": "100%以上", "×": "100%未満", "―": "実績なし"})
        >>> legend.label("-"), legend.label("◎"), Legend().label("―"), Legend().label("Ｂ"), legend.label("✕")
        ('―', '◎', '-', 'B', '×')
        """
        text = printed_grade(printed)
        if text == "-":
            return self.no_actual
        if text not in self.letters():      # the same mark in another glyph ('〇' for the legend's '○')
            same = next((group for group in SAME_MARKS if text in group), "")
            text = next((g for g in self.letters() if g in same), text)
        return text

    def rank(self, letter: str) -> int:
        """0 for the best letter; higher is worse; unknown letters (and '-') rank worst."""
        order = self.letters()
        return order.index(letter) if letter in order else len(order)

    def describe(self) -> str:
        parts = [f"{g} {'>' if g in self.strict else '>='}{percent(b)}" for g, b in self.thresholds]
        parts.append(f"{self.below} <{percent(self.thresholds[-1][1])}")
        return ", ".join(parts)

    def spec(self) -> str:
        """The legend as one field of ``grades.csv``: best first, bounds as reduced fractions.

        >>> Legend().spec()
        'A>=1;B>=4/5;C>=1/2;D;-=none'
        >>> Legend.from_printed({"S": "120%以上", "A": "100%超", "B": "100%未満"}).spec()
        'S>=6/5;A>1;B;-=none'
        """
        parts = [f"{g}{'>' if g in self.strict else '>='}{exact(b)}" for g, b in self.thresholds]
        return ";".join(parts + [self.below, f"{self.no_actual}=none"])


def printed_legend(printed: Mapping[str, str] | None, grading: Mapping[str, Any], default: Legend) -> Legend | None:
    """The legend a document is graded with when it is not ``default``: the one it prints
    (``Legend.from_printed`` on ``default``), unless ``grading.use_printed_legend`` is false or the
    printed text cannot be read as a legend (None: the caller uses ``default``).

    >>> printed_legend({"◎": "100％以上", "×": "100％未満"}, {}, Legend()).describe()
    '◎ >=100%, × <100%'
    >>> printed_legend({"◎": "100％以上", "×": "100％未満"}, {"use_printed_legend": False}, Legend()) is None
    True
    """
    if not printed or not grading.get("use_printed_legend", True):
        return None
    return Legend.from_printed(printed, base=default)
