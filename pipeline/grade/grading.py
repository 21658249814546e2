"""Observations -> one recomputed grade per graded indicator, each with a one-line reason.

In:  ``observations``: dicts with the columns of ``extracted/observations.csv`` as strings
     (``value`` '40625', ``fiscal_year`` '2021', '' when empty); ``infos``: one
     ``IndicatorInfo`` per indicator (published grade, group, kind); a ``Legend``; the
     direction overrides from params (list of mappings).
Out: a list of ``Grade`` in the order the indicators first appear; ``Grade.to_row()`` gives
     the contract columns of ``extracted/grades.csv`` plus ``direction``, ``direction_source``,
     ``rate_exact`` (the exact rate as a reduced fraction) and ``legend`` (``Legend.spec()``).

An indicator is graded when the report prints a grade for it, or when its target is a number
(or a direction with a numeric baseline) and it has an actual row (a number, or a printed
'not yet' which grades '-'). Everything else gets no row; so does a compound target whose cell
asks for an action besides the number (制度創設 / 10人任命), unless the report grades it.

Rules (CONTRACT.md "Grading legend"), all with ``Fraction`` arithmetic:

- actual: the latest numeric actual up to the target year (``Legend.use_latest_actual``);
  the target is the one with the latest year (``interim_target`` only when no final target);
- increase: rate = actual / target;  decrease: rate = target / actual, an actual at or below
  the target is 100%;  a target of 0 is met by 0 (decrease) or anything >= 0 (increase);
- a target printed as a direction (現状値の向上 / 低下): the baseline is the target;
- an actual printed as an amount of change (component 縮減額, 削減額, 増加額 ...) while the
  target has no components: the level is baseline -/+ that amount;
- a range target (one row with ``bound`` range and ``upper_value``, or two rows lower/upper: 40％以上 60％以下): 100% inside,
  else rate against the nearer end;
- several components: each is graded, the indicator takes its worst component's grade;
  components of target and actual that do not line up -> no grade, said in the reason.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, Iterable, Mapping

import regex

from ..grouping import group_by
from ..normalise.grade_marks import printed_grade
from .direction import DECREASE, decide, find_override, parse_overrides
from .legend import Legend

NUMERIC_STATUSES = ("ok", "corrected")
NOT_YET_STATUSES = ("not_available",)
UNREADABLE_STATUSES = ("unparsed",)
# An actual component naming a change from the baseline rather than a level.
CHANGE_DOWN = regex.compile(r"(?:縮減|削減|減少|低減)(?:額|量|数)$")
CHANGE_UP = regex.compile(r"(?:増加|増収|増)(?:額|量|数)$")

# A target cell with a line that asks for an action and holds no number (制度創設 / 10人任命)
# is a compound target: its number alone does not say whether the target was met.
ACTION_LINE = regex.compile(r"^[^0-9０-９]*(?:創設|新設|設置|策定|実施|導入|開設|完了|着手|運用|構築|検討|見直し)$")

Key = tuple[str, str, str]


def compound_target_action(text: str) -> str:
    """The action line of a compound target cell, or ''.

    >>> compound_target_action("制度創設\\n10人任命"), compound_target_action("3箇所で実施")
    ('制度創設', '')
    """
    for line in (text or "").splitlines():
        line = line.strip()
        if line and ACTION_LINE.search(line):
            return line
    return ""


@dataclass
class IndicatorInfo:
    """What the grader needs to know about an indicator besides its values."""

    document: str
    indicator_no: str
    indicator: str
    published_grade: str = ""
    group: str = ""
    kind: str = ""

    def __post_init__(self) -> None:
        self.published_grade = printed_grade(self.published_grade)

    @property
    def key(self) -> Key:
        return (self.document, self.indicator_no, self.indicator)

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> "IndicatorInfo":
        """From a row of ``extracted/indicators.csv`` (extra columns are ignored)."""
        document, no, name = _key_of(row)
        return cls(document, no, name, _text(row.get("published_grade")),
                   _text(row.get("group")), _text(row.get("kind")))


@dataclass
class Grade:
    """One row of ``extracted/grades.csv``."""

    document: str
    indicator_no: str
    indicator: str
    published_grade: str
    recomputed_grade: str
    achievement_rate: Decimal | None
    basis_year: int | None
    agrees: bool | None
    reason: str
    direction: str = ""
    direction_source: str = ""
    exact_rate: Fraction | None = field(default=None, repr=False, compare=False)
    legend: str = ""      # the legend used, ``Legend.spec()``

    @property
    def key(self) -> Key:
        return (self.document, self.indicator_no, self.indicator)

    def to_row(self) -> dict[str, str]:
        return {
            "document": self.document,
            "indicator_no": self.indicator_no,
            "indicator": self.indicator,
            "published_grade": self.published_grade,
            "recomputed_grade": self.recomputed_grade,
            "achievement_rate": "" if self.achievement_rate is None else format(self.achievement_rate, "f"),
            "basis_year": "" if self.basis_year is None else str(self.basis_year),
            "agrees": "" if self.agrees is None else ("true" if self.agrees else "false"),
            "reason": self.reason,
            "direction": self.direction,
            "direction_source": self.direction_source,
            "rate_exact": fraction_text(self.exact_rate),
            "legend": self.legend,
        }


GRADE_COLUMNS = ("document", "indicator_no", "indicator", "published_grade", "recomputed_grade",
                 "achievement_rate", "basis_year", "agrees", "reason", "direction", "direction_source",
                 "rate_exact", "legend")


# --- small pure helpers --------------------------------------------------------------------

def rate_string(rate: Fraction | None) -> Decimal | None:
    """The rate rounded half-up to 4 decimals, for display only.

    >>> rate_string(Fraction(5248, 5500)), rate_string(Fraction(4, 5))
    (Decimal('0.9542'), Decimal('0.8000'))
    """
    if rate is None:
        return None
    return (Decimal(rate.numerator) / Decimal(rate.denominator)).quantize(Decimal("0.0001"), ROUND_HALF_UP)


def fraction_text(rate: Fraction | None) -> str:
    """The exact rate as a reduced fraction 'p/q' ('1' when whole), '' when there is none.

    >>> fraction_text(Fraction(19999, 25000)), fraction_text(Fraction(10, 5)), fraction_text(None)
    ('19999/25000', '2', '')
    """
    return "" if rate is None else str(rate)


def _text(value: Any, integral: bool = False) -> str:
    """A cell as text: None / NaN -> ''; with ``integral``, 15.0 (pandas float) -> '15'.

    >>> _text(float("nan")), _text(None), _text(15.0, integral=True), _text(" 81.0 ")
    ('', '', '15', '81.0')
    """
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if integral and isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return "" if text.lower() in ("nan", "none", "<na>") else text


def _dec(text: str) -> Decimal | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _year(text: str) -> int | None:
    text = (text or "").strip()
    if text.endswith(".0"):
        text = text[:-2]
    return int(text) if text.isdigit() else None


def _fmt(value: Decimal) -> str:
    return format(value, "f")


def _fy(year: int | None) -> str:
    return f" (FY{year})" if year is not None else ""


@dataclass
class _Obs:
    order: int
    component: str
    measure: str
    year: int | None
    value: Decimal | None
    direction: str
    status: str
    text: str
    bound: str = ""          # 'lower' / 'upper' for one end of a range, 'range' for both in one row
    upper: Decimal | None = None   # the upper end of a 'range' row (column upper_value)

    @property
    def numeric(self) -> bool:
        return self.value is not None and self.status in NUMERIC_STATUSES


def _to_obs(i: int, row: Mapping[str, Any]) -> _Obs:
    get = lambda k: _text(row.get(k))  # noqa: E731
    value_text, status, text = get("value"), get("status") or "ok", get("text")
    value = _dec(value_text)
    if value_text and value is None:          # a value that is not a number: say so, do not crash
        status, text = "unparsed", text or value_text
    return _Obs(i, get("component"), get("measure"), _year(get("fiscal_year")), value,
                get("direction"), status, text, get("bound"), _dec(get("upper_value")))


def _key_of(row: Mapping[str, Any]) -> Key:
    return (_text(row.get("document")), _text(row.get("indicator_no"), integral=True), _text(row.get("indicator")))


def _latest(rows: list[_Obs]) -> _Obs | None:
    """The row with the latest year; rows without a year count as earliest, then file order."""
    if not rows:
        return None
    return max(rows, key=lambda o: (o.year if o.year is not None else -10**6, o.order))


# --- one component ------------------------------------------------------------------------

@dataclass
class _Part:
    """The grade of one component (or of the whole indicator when it has none)."""

    component: str
    grade: str            # letter, legend.no_actual, or '' (not computable)
    rate: Fraction | None
    year: int | None
    text: str


def compute_rate(actual: Decimal, target: Decimal, direction: str) -> tuple[Fraction | None, str]:
    """Exact achievement rate and how it was got.

    >>> compute_rate(Decimal("1.2"), Decimal("1.5"), "increase")
    (Fraction(4, 5), 'rate = actual 1.2 / target 1.5')
    >>> compute_rate(Decimal("32"), Decimal("30"), "decrease")
    (Fraction(15, 16), 'rate = target 30 / actual 32')
    >>> compute_rate(Decimal("28"), Decimal("30"), "decrease")[0]
    Fraction(1, 1)
    >>> compute_rate(Decimal("0"), Decimal("0"), "decrease")
    (Fraction(1, 1), 'target 0, actual 0 -> met, rate 100%')
    """
    a, t = Fraction(actual), Fraction(target)
    if direction == DECREASE:
        if t == 0 and a == 0:
            return Fraction(1), "target 0, actual 0 -> met, rate 100%"
        if a <= t:
            return Fraction(1), f"actual {_fmt(actual)} <= target {_fmt(target)} -> rate 100% (at or below a decrease target)"
        if a <= 0:   # t < a <= 0: only reachable with a negative target
            return None, f"actual {_fmt(actual)} above a negative target {_fmt(target)} -> not computable"
        return t / a, f"rate = target {_fmt(target)} / actual {_fmt(actual)}"
    if t > 0:
        return a / t, f"rate = actual {_fmt(actual)} / target {_fmt(target)}"
    if a >= t:
        return Fraction(1), f"target {_fmt(target)}, actual {_fmt(actual)} -> met, rate 100%"
    return None, f"actual {_fmt(actual)} below target {_fmt(target)} <= 0 -> not computable"


def range_rate(actual: Decimal, low: Decimal, high: Decimal) -> tuple[Fraction, str]:
    """Rate for a range target (40％以上 60％以下): 100% inside, else the distance to the nearer end.

    >>> range_rate(Decimal("50"), Decimal("40"), Decimal("60"))[0], range_rate(Decimal("30"), Decimal("40"), Decimal("60"))[0]
    (Fraction(1, 1), Fraction(3, 4))
    >>> range_rate(Decimal("75"), Decimal("40"), Decimal("60"))
    (Fraction(4, 5), 'rate = upper bound 60 / actual 75')
    """
    a = Fraction(actual)
    if a < Fraction(low):
        rate, how = compute_rate(actual, low, "increase")
        return rate, how.replace("target", "lower bound")
    if a > Fraction(high):
        rate, how = compute_rate(actual, high, "decrease")
        return rate, how.replace("target", "upper bound")
    return Fraction(1), f"actual {_fmt(actual)} within the range {_fmt(low)}..{_fmt(high)} -> rate 100%"


def _grade_part(component: str, targets: list[_Obs], baselines: list[_Obs], actuals: list[_Obs],
                direction: str, legend: Legend) -> _Part:
    label = f"{component}: " if component else ""
    target = _latest(targets)
    baseline = _latest([b for b in baselines if b.numeric])
    if target is None:
        return _Part(component, "", None, None, f"{label}no target")
    same_year = [t for t in targets if t.year == target.year and t.numeric]
    low = next((t for t in same_year if t.bound in ("lower", "range")), None)
    high = next((t for t in same_year if t.bound == "upper"), None)
    if low is not None and low.bound == "range" and low.upper is not None:
        high = replace(low, value=low.upper, bound="upper", direction="decrease")
    if low is not None and high is not None:
        return _grade_range(component, low, high, actuals, legend)
    if target.numeric:
        goal, goal_text = target.value, ""
    elif target.direction and baseline is not None:
        goal = baseline.value
        goal_text = (f"target is {target.direction} with no number, so baseline {_fmt(baseline.value)}"
                     f"{_fy(baseline.year)} is the target: ")
    else:
        return _Part(component, "", None, None, f"{label}target not numeric ({target.status})")

    actual = _pick_actual(actuals, target.year, legend)
    if actual is None:
        return _no_actual(component, actuals, legend)

    value, change_text = actual.value, ""
    if CHANGE_DOWN.search(actual.component) or CHANGE_UP.search(actual.component):
        if baseline is None:
            return _Part(component, "", None, actual.year,
                         f"{label}actual is a change ({actual.component} {_fmt(actual.value)}) with no baseline")
        sign = -1 if CHANGE_DOWN.search(actual.component) else 1
        value = baseline.value + sign * actual.value
        change_text = (f"actual is a change: {actual.component} {_fmt(actual.value)}{_fy(actual.year)}, "
                       f"so the level is baseline {_fmt(baseline.value)} {'-' if sign < 0 else '+'} "
                       f"{_fmt(actual.value)} = {_fmt(value)}; ")
    rate, how = compute_rate(value, goal, direction)
    if goal_text:
        how = regex.sub(r"target (?=-?\d)", "baseline ", how)
    how = how.replace(f"actual {_fmt(value)}", f"actual {_fmt(value)}{_fy(actual.year)}", 1)
    if rate is None:
        return _Part(component, "", None, actual.year, f"{label}{goal_text}{change_text}{how}")
    letter = legend.grade(rate)
    if how.startswith("rate = "):
        how += f" = {rate_string(rate)}"
    if actual.status == "corrected":
        how += f" [actual read as corrected{': ' + repr(actual.text) if actual.text else ''}]"
    return _Part(component, letter, rate, actual.year, f"{label}{goal_text}{change_text}{how} -> {letter}")


def _pick_actual(actuals: list[_Obs], year_cap: int | None, legend: Legend) -> _Obs | None:
    usable = [a for a in actuals if a.numeric and (year_cap is None or a.year is None or a.year <= year_cap)]
    if not legend.use_latest_actual and year_cap is not None:
        usable = [a for a in usable if a.year == year_cap]
    return _latest(usable)


def _no_actual(component: str, actuals: list[_Obs], legend: Legend) -> _Part:
    label = f"{component}: " if component else ""
    bad = next((a for a in actuals if a.status in UNREADABLE_STATUSES), None)
    if bad is not None:
        return _Part(component, "", None, None, f"{label}actual {bad.text!r} could not be read")
    shown = any(a.status in NOT_YET_STATUSES for a in actuals)
    why = "actual printed as not available" if shown else "no actual value"
    return _Part(component, legend.no_actual, None, None, f"{label}{why} -> {legend.no_actual}")


def _grade_range(component: str, low: _Obs, high: _Obs, actuals: list[_Obs], legend: Legend) -> _Part:
    label = f"{component}: " if component else ""
    actual = _pick_actual(actuals, low.year, legend)
    if actual is None:
        return _no_actual(component, actuals, legend)
    rate, how = range_rate(actual.value, low.value, high.value)
    how = how.replace(f"actual {_fmt(actual.value)}", f"actual {_fmt(actual.value)}{_fy(actual.year)}", 1)
    if how.startswith("rate = "):
        how += f" = {rate_string(rate)}"
    letter = legend.grade(rate)
    return _Part(component, letter, rate, actual.year,
                 f"{label}range target {_fmt(low.value)}..{_fmt(high.value)}: {how} -> {letter}")


# --- one indicator ------------------------------------------------------------------------

def _is_change(component: str) -> bool:
    return bool(CHANGE_DOWN.search(component) or CHANGE_UP.search(component))


def _grade_one(key: Key, obs: list[_Obs], info: IndicatorInfo | None, legend: Legend,
               overrides) -> Grade | None:
    document, no, name = key
    published = legend.label(info.published_grade) if info else ""
    by = lambda m: [o for o in obs if o.measure == m]  # noqa: E731
    targets = by("target") or by("interim_target")
    actuals, baselines = by("actual"), by("baseline")

    numeric_target = any(t.numeric for t in targets)
    direction_target = any(t.direction for t in targets) and any(b.numeric for b in baselines)
    has_actual_row = any(a.numeric or a.status in NOT_YET_STATUSES + UNREADABLE_STATUSES for a in actuals)
    if not published and not ((numeric_target or direction_target) and has_actual_row):
        return None
    compound = next((a for a in (compound_target_action(t.text) for t in targets if t.numeric) if a), "")
    if compound and not published:
        return None

    # the indicator's direction, from its first component with numbers
    t_dir = next((t.direction for t in targets if t.direction and not t.bound), "")
    base_v = next((b.value for b in baselines if b.numeric), None)
    target_v = None
    for t in targets:
        if t.numeric:
            target_v = t.value
            same = [b for b in baselines if b.numeric and b.component == t.component]
            if same:
                base_v = same[0].value
            break
    override = find_override(overrides, document, no, name)
    direction, source, why = decide(name, base_v, target_v, t_dir, override)
    head = f"{direction}, {why}"

    t_comps = list(dict.fromkeys(t.component for t in targets))
    a_comps = list(dict.fromkeys(a.component for a in actuals))
    parts: list[_Part] = []
    problem = ""
    if not targets:
        problem = "no target printed -> not computable"
    elif t_comps == [""]:
        level = [a for a in actuals if a.component == ""]
        change = [a for a in actuals if _is_change(a.component)]
        other = [c for c in a_comps if c and not _is_change(c)]
        if other and not level:
            problem = f"target has no components but actuals have {other} -> not computable"
        else:
            parts.append(_grade_part("", targets, baselines, level or change, direction, legend))
    else:
        missing = [c for c in t_comps if c not in a_comps]
        if missing and any(a.numeric for a in actuals):
            problem = (f"components of target ({'/'.join(t_comps)}) and actual ({'/'.join(c for c in a_comps if c)})"
                       f" do not line up -> not computable")
        for c in t_comps:
            if problem:
                break
            comp_base = [b for b in baselines if b.component == c] or [b for b in baselines if b.component == ""]
            parts.append(_grade_part(c, [t for t in targets if t.component == c], comp_base,
                                     [a for a in actuals if a.component == c], direction, legend))

    if problem:
        grade, rate, year, body = "", None, None, problem
    elif len(parts) == 1:
        p = parts[0]
        grade, rate, year, body = p.grade, p.rate, p.year, p.text
    else:
        if any(p.grade == "" for p in parts):
            bad = [p for p in parts if p.grade == ""]
            grade, rate, year = "", None, None
            body = "; ".join(p.text for p in parts) + f" -> component {bad[0].component} not computable"
        elif any(p.grade == legend.no_actual for p in parts):
            grade, rate, year = legend.no_actual, None, None
            body = "; ".join(p.text for p in parts) + f" -> {legend.no_actual}"
        else:
            worst = max(parts, key=lambda p: (legend.rank(p.grade), -p.rate))
            grade, rate, year = worst.grade, worst.rate, worst.year
            body = "; ".join(p.text for p in parts) + f" -> worst component {worst.component}: {grade}"

    if compound:
        body += f" [the target also asks for '{compound}']"
    agrees = None
    tail = ""
    if published and grade:
        agrees = published == grade
        tail = f", published {published}" + ("" if agrees else " (differs)")
    elif published:
        tail = f", published {published}"
    reason = f"{head}: {body}{tail}"
    reason = " ".join(reason.split())   # one line
    return Grade(document, no, name, published, grade, rate_string(rate), year, agrees, reason,
                 direction, source, rate, legend.spec())


def grade_indicators(observations: Iterable[Mapping[str, Any]], infos: Iterable[IndicatorInfo],
                     legend: Legend | None = None,
                     overrides: Iterable[Mapping[str, Any]] | None = None) -> list[Grade]:
    """Grade every gradable indicator; see the module docstring for which and how."""
    legend = legend or Legend()
    parsed_overrides = parse_overrides(overrides)
    info_by_key = {i.key: i for i in infos}
    grouped: dict[Key, list[_Obs]] = {}
    for i, row in enumerate(observations):
        grouped.setdefault(_key_of(row), []).append(_to_obs(i, row))
    for key in info_by_key:
        grouped.setdefault(key, [])
    grades = []
    for key, obs in grouped.items():
        g = _grade_one(key, obs, info_by_key.get(key), legend, parsed_overrides)
        if g is not None:
            grades.append(g)
    return grades


def grade_documents(observations: Iterable[Mapping[str, Any]], infos: Iterable[IndicatorInfo],
                    legend_of: Mapping[str, Legend], default: Legend,
                    overrides: Iterable[Mapping[str, Any]] | None = None) -> list[Grade]:
    """``grade_indicators`` for each document's observations and indicators, with that document's
    legend (``legend_of``: its printed legend), else ``default``; documents in the order they come."""
    infos_of = group_by(infos, lambda info: info.document)
    grades: list[Grade] = []
    for document, rows in group_by(observations, lambda row: row.get("document", "")).items():
        grades += grade_indicators(rows, infos_of.get(document, []), legend_of.get(document, default), overrides)
    return grades
