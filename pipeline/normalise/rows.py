"""Row checks: the Readings of one indicator's row in, the same Readings with printed typos corrected out.

Also the rules that look at a whole series: a missing unit taken from the series
(``fill_missing_units``) and the words that mark calendar years (``says_calendar_year``).

A count printed ``6.077人`` between ``7,055人`` and ``6,240人`` is a thousands separator typed as a period:
read as ``6077`` with ``status='corrected'`` (never silently).  The rule only fires when it is unambiguous:
exactly three decimals, the other values of the row in the same unit are whole numbers of 1,000 or more, and
the corrected value lies within their range widened by a factor of two.
"""
from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import regex

from .cells import Reading, with_status
from .text import nfkc

_NOT_COUNTS = frozenset(['%', 'ポイント', '歳'])


def fix_mistyped_separators(readings: list[Reading]) -> list[Reading]:
    """Return the row with mistyped thousands separators read as intended.

    >>> from decimal import Decimal as D
    >>> row = [Reading(D('7055'), '人', 'ok'), Reading(D('6.077'), '人', 'ok'), Reading(D('6240'), '人', 'ok')]
    >>> fixed = fix_mistyped_separators(row)
    >>> fixed[1].value, fixed[1].status, fixed[0] == row[0]
    (Decimal('6077'), 'corrected', True)
    >>> rates = [Reading(D('1.31'), '', 'ok'), Reading(D('1.245'), '', 'ok'), Reading(D('1.11'), '', 'ok')]
    >>> fix_mistyped_separators(rates) == rates
    True
    """
    return [_fix_one(r, readings) for r in readings]


def _three_decimals(v: Decimal) -> bool:
    exp = v.as_tuple().exponent
    return isinstance(exp, int) and exp == -3 and abs(v) < 1000


def _fix_one(r: Reading, row: list[Reading]) -> Reading:
    if r.status != 'ok' or r.value is None or r.unit in _NOT_COUNTS or not _three_decimals(r.value):
        return r
    others = [o.value for o in row
              if o is not r and o.value is not None and o.unit == r.unit and o.component == r.component
              and o.status in ('ok', 'corrected')]
    if len(others) < 2 or any(v != v.to_integral_value() or abs(v) < 1000 for v in others):
        return r
    fixed = (r.value * 1000).quantize(Decimal(1))
    lo, hi = min(others), max(others)
    if not (lo / 2 <= fixed <= hi * 2):
        return r
    note = f'mistyped thousands separator: printed {r.value} read as {fixed}'
    return replace(with_status(r, 'corrected', note), value=fixed)


def fill_missing_units(readings: list[Reading]) -> list[Reading]:
    """A value printed without a unit in a series whose other values all print the same one takes
    that unit (``754`` between ``647人`` and ``665人`` is 754 人). Nothing changes when the others
    print no unit or disagree among themselves.

    >>> from decimal import Decimal as D
    >>> row = [Reading(D('647'), '人', 'ok'), Reading(D('754'), '', 'ok'), Reading(D('665'), '人', 'ok')]
    >>> [r.unit for r in fill_missing_units(row)]
    ['人', '人', '人']
    >>> mixed = [Reading(D('1'), '人', 'ok'), Reading(D('2'), '', 'ok'), Reading(D('3'), '%', 'ok')]
    >>> [r.unit for r in fill_missing_units(mixed)]
    ['人', '', '%']
    >>> bare = [Reading(D('107'), '', 'ok'), Reading(D('0'), '', 'ok')]
    >>> fill_missing_units(bare) == bare
    True
    >>> text = [Reading(None, '', 'qualitative'), Reading(D('5'), '件', 'ok')]
    >>> fill_missing_units(text) == text
    True
    """
    units = {r.unit for r in readings if r.value is not None and r.unit}
    if len(units) != 1:
        return list(readings)
    unit = units.pop()
    return [replace(r, unit=unit) if r.value is not None and not r.unit else r for r in readings]


_CALENDAR_WORDS = regex.compile(r'暦年|[(（]年次[)）]|(?<!\d)1月[~〜～\-－ー―]12月')


def says_calendar_year(*texts: str) -> bool:
    """Whether a name, header or cell says its years are calendar years (暦年, （年次）, 1月～12月)
    rather than fiscal years (April to March).

    >>> says_calendar_year('30 代の転出超過者数(暦年)'), says_calendar_year('観光客数（年次）')
    (True, True)
    >>> says_calendar_year('', '令和4年1月～12月'), says_calendar_year('年次計画の進捗', '令和4年度')
    (True, False)
    >>> says_calendar_year('11月～12月の来場者数')
    False
    """
    return any(_CALENDAR_WORDS.search(nfkc(t)) for t in texts if t)
