"""Number reader: an ASCII-normalised number expression in, an exact ``Decimal`` out.

Handles thousands separators (with stray spaces around them), decimal points, kanji multipliers in any mix
(``59 億 1,800 万``, ``5,812万2千``, ``236,654百万``, ``2億1千万``) and the minus signs ``△``/``▲``/``-``.
Input is expected to have gone through :func:`pipeline.normalise.text.to_ascii` (full-width -> ASCII).

Why not ``kanjize`` (1.6.1, tried on our cases outside the project venv): ``kanji2number`` rejects
comma-grouped digits, which every report prints (``59億1,800万`` -> ValueError), and returns ints, truncating
decimals (``6.077`` -> 6, ``60.40`` -> 60, ``1.123456789億`` -> 112345678).  We need exact Decimals and the
printed number of decimals (the row check for ``6.077人`` depends on it), so the reader is the regex below.
"""
from __future__ import annotations

import re
from decimal import Decimal

MULTIPLIERS: dict[str, int] = {
    '兆': 10**12,
    '億': 10**8,
    '千万': 10**7,
    '百万': 10**6,
    '十万': 10**5,
    '万': 10**4,
    '千': 10**3,
}
_MULT = '|'.join(sorted(MULTIPLIERS, key=len, reverse=True))
# One digit group: 1,234,567 (separators may carry a space either side) or plain digits, optional decimals.
# '1 234' (a space for a separator) only when every group after the first has exactly three digits.
_DIGITS = (
    r'(?:\d{1,3}(?:[ \t]?,[ \t]?\d{3})+(?!\d)|\d{1,3}(?:[ \t]\d{3})+(?![\d.,])|\d+)(?:[ \t]?\.[ \t]?\d+)?'
)
_SIGN = r'[△▲-]'
# number (multiplier number?)* : the whole printed amount, e.g. 59 億 1,800 万 / 5,812万2千 / 1.5
NUMBER = re.compile(
    rf'(?<![A-Za-z\d.])(?P<sign>{_SIGN}[ \t]?)?(?<![A-Za-z])(?P<body>{_DIGITS}(?:[ \t]*(?:{_MULT})(?:[ \t]*{_DIGITS}(?![ \t]*[.,]\d))?)*)'
)
_GROUP = re.compile(rf'({_DIGITS})[ \t]*({_MULT})?')
# A digit run with a comma that is not a thousands separator (1,2345 or 12,34): not a number we can trust.
BAD_GROUPING = re.compile(r'\d[ \t]?,[ \t]?\d{1,2}(?!\d)|\d[ \t]?,[ \t]?\d{4,}')
# Two decimal points in one run of digits ('12.3.4%'): no reading of it is trustworthy.
BAD_DECIMALS = re.compile(r'\d\.\d+\.\d')


def _plain(digits: str) -> Decimal:
    return Decimal(re.sub(r'[ \t,]', '', digits))


def parse_number(text: str) -> Decimal | None:
    """Read a whole string as one amount; None if it is not exactly one amount.

    >>> parse_number('59 億 1,800 万')
    Decimal('5918000000')
    >>> parse_number('1億3,125万'), parse_number('5,812万2千'), parse_number('236,654百万')
    (Decimal('131250000'), Decimal('58122000'), Decimal('236654000000'))
    >>> parse_number('115万'), parse_number('768 千'), parse_number('12億7,700万'), parse_number('269億1千万')
    (Decimal('1150000'), Decimal('768000'), Decimal('1277000000'), Decimal('26910000000'))
    >>> parse_number('1兆2,000億'), parse_number('△36'), parse_number('▲1,000'), parse_number('-5')
    (Decimal('1200000000000'), Decimal('-36'), Decimal('-1000'), Decimal('-5'))
    >>> parse_number('11.4億'), parse_number('0.5万')
    (Decimal('1140000000'), Decimal('5000'))
    >>> parse_number('6.077'), parse_number('60.40'), parse_number('1 ,234'), parse_number('4 238 714')
    (Decimal('6.077'), Decimal('60.40'), Decimal('1234'), Decimal('4238714'))
    >>> parse_number('1,2345') is None, parse_number('万') is None, parse_number('3万5億') is None
    (True, True, True)
    """
    text = text.strip()
    m = NUMBER.fullmatch(text)
    if not m:
        return None
    return amount(m)


def amount(m: re.Match) -> Decimal | None:
    """Value of a NUMBER match; None when the multipliers are not in falling order (``3万5億``)."""
    body = m.group('body')
    if BAD_GROUPING.search(body.replace(' ', '')):
        return None
    groups = _GROUP.findall(body)
    total = Decimal(0)
    last_scale: int | None = None
    scaled = False
    for digits, mult in groups:
        scale = MULTIPLIERS[mult] if mult else 1
        if last_scale is not None and scale >= last_scale:
            return None
        total += _plain(digits) * scale
        last_scale = scale
        scaled = scaled or bool(mult)
    if scaled and total == total.to_integral_value():
        total = total.quantize(Decimal(1))
    sign = (m.group('sign') or '').strip()
    return -total if sign else total
