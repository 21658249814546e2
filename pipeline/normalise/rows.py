"""Row checks: the Readings of one indicator's row in, the same Readings with printed typos corrected out.

A count printed ``6.077人`` between ``7,055人`` and ``6,240人`` is a thousands separator typed as a period:
read as ``6077`` with ``status='corrected'`` (never silently).  The rule only fires when it is unambiguous:
exactly three decimals, the other values of the row in the same unit are whole numbers of 1,000 or more, and
the corrected value lies within their range widened by a factor of two.
"""
from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from .cells import Reading, with_status

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
