"""Year reader: printed year text in, ``YearSpan`` (Western fiscal year, range start, calendar flag) out.

Japanese eras 昭和 (S), 平成 (H), 令和 (R) with 元 = 1, full- or half-width; Western years (``2019年``,
``（２０２３）``); ranges (``H29-R3の平均``, ``令和２～４年度``); ``暦年`` marks a calendar year.

Why not ``japanera`` (2.1.3, tried on our cases outside the project venv): ``EraDate.strptime('R元', '%-h%-y')``
returns four candidate eras (霊亀 715 ... 令和 2019), full-width ``Ｒ５`` does not parse, and ranges such as
``H29-R3`` fail ("unconverted data remains").  We only need 昭和/平成/令和 and their initials, found inside
other text; that is three additions (see ``ERA_BASE``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .text import to_ascii

ERA_BASE = {'大正': 1911, '昭和': 1925, '平成': 1988, '令和': 2018, 'S': 1925, 'H': 1988, 'R': 2018}
_ERA = r'(?:大正|昭和|平成|令和|(?<![A-Za-z])[SHR])'
_NUM = r'(?:元|\d{1,2}(?!\d))'
ERA_YEAR = re.compile(rf'(?P<era>{_ERA})\s*(?P<n>{_NUM})')
# H29-R3 / 令和2~4年度 / R元-R3 : second part may repeat or omit the era.
ERA_RANGE = re.compile(
    rf'(?P<era1>{_ERA})\s*(?P<n1>{_NUM})\s*(?:年度?)?\s*[-~〜～―－–]\s*(?P<era2>{_ERA})?\s*(?P<n2>{_NUM})'
)
# The same marks as printed, before any normalisation (full-width letters and digits): an era year with
# its 年度/末 words ('平成２８年度末', 'H27年度'), an era name or initial ending a text (a year cut before its
# number), and the fiscal year a title names ('令和元年度', '２０１９年度').
PRINTED_ERA_YEAR = re.compile(r'(?:平成|令和|昭和|(?<![A-Za-zＡ-Ｚａ-ｚ])[HRSＨＲＳ])\s*[元0-9０-９]{1,2}\s*年度?末?')
ERA_AT_END = re.compile(r'(?:平成|令和|昭和|[HRSＨＲＳ])\s*$')
PRINTED_FISCAL_YEAR = re.compile(r'(?:平成|令和|昭和)\s*[元0-9０-９]{1,2}\s*年度?|(?:19|20)[0-9]{2}\s*年度')
WESTERN = re.compile(r'(?<!\d)(?P<y>(?:19|20)\d{2})(?!\d)')
WESTERN_RANGE = re.compile(r'(?<!\d)(?P<y1>(?:19|20)\d{2})\s*年?度?\s*[-~〜～―－–]\s*(?P<y2>(?:19|20)\d{2})(?!\d)')


@dataclass(frozen=True)
class YearSpan:
    fiscal_year: int | None
    period_start: int | None = None
    calendar_year: bool = False


def era_to_western(era: str, n: str) -> int:
    """Western year of an era year.

    >>> era_to_western('令和', '元'), era_to_western('H', '29'), era_to_western('昭和', '46')
    (2019, 2017, 1971)
    """
    return ERA_BASE[era] + (1 if n == '元' else int(n))


def read_year(text: str) -> YearSpan:
    """Read the year a printed text names.

    >>> read_year('令和2年度'), read_year('R元'), read_year('Ｒ５（２０２３）')
    (YearSpan(fiscal_year=2020, period_start=None, calendar_year=False), YearSpan(fiscal_year=2019, period_start=None, calendar_year=False), YearSpan(fiscal_year=2023, period_start=None, calendar_year=False))
    >>> read_year('（H29-R3の平均）')
    YearSpan(fiscal_year=2021, period_start=2017, calendar_year=False)
    >>> read_year('令和２～４年度').period_start, read_year('令和２～４年度').fiscal_year
    (2020, 2022)
    >>> read_year('(H30 年度)').fiscal_year, read_year('平成２８年度末').fiscal_year, read_year('（H２７年度）').fiscal_year
    (2018, 2016, 2015)
    >>> read_year('2019年').fiscal_year, read_year('目標値〈R9〉').fiscal_year, read_year('昭和４６（1971）年').fiscal_year
    (2019, 2027, 1971)
    >>> read_year('総合戦略延伸時'), read_year('第3四半期').fiscal_year, read_year('全国 63.8%').fiscal_year
    (YearSpan(fiscal_year=None, period_start=None, calendar_year=False), None, None)
    >>> read_year('30 代の転出超過者数（暦年）').calendar_year
    True
    >>> read_year('H27年度 H28年度').fiscal_year is None  # two different years, not a range: not guessed
    True
    """
    try:
        return _read_year(to_ascii(text or ''))
    except Exception:  # never raise on odd input
        return YearSpan(None)


def _read_year(s: str) -> YearSpan:
    calendar = '暦年' in s
    m = ERA_RANGE.search(s)
    if m:
        start = era_to_western(m['era1'], m['n1'])
        end = era_to_western(m['era2'] or m['era1'], m['n2'])
        if end > start:
            return YearSpan(end, start, calendar)
    m = WESTERN_RANGE.search(s)
    if m and int(m['y2']) > int(m['y1']):
        return YearSpan(int(m['y2']), int(m['y1']), calendar)
    eras = {era_to_western(m['era'], m['n']) for m in ERA_YEAR.finditer(s)}
    if len(eras) == 1:
        return YearSpan(eras.pop(), None, calendar)
    if eras:
        return YearSpan(None, None, calendar)
    western = {int(m['y']) for m in WESTERN.finditer(s)}
    if len(western) == 1:
        return YearSpan(western.pop(), None, calendar)
    return YearSpan(None, None, calendar)


# A text that is nothing but a year mark: 'H30年度', '(R3)', '（H29-R3の平均）', '平成29年度', '2019年度'.
YEAR_ONLY = re.compile(
    rf'\s*[(〈<]?\s*(?:{_ERA}\s*{_NUM}(?:\s*年度?)?(?:\s*[-~〜～―－–]\s*{_ERA}?\s*{_NUM}(?:\s*年度?)?)?'
    r'|(?:19|20)\d{2}\s*年度?)\s*(?:の平均|平均|末|見込み?|時点|暦年)?\s*[)〉>]?\s*'
)


def is_year_only(text: str) -> bool:
    """True when the (ASCII-normalised) text is only a year mark.

    >>> [is_year_only(t) for t in ['(H30 年度)', '(平成29年度)', '(H29-R3の平均)', '(R3)', '(第3四半期)', '(26基)', '(2箇所)']]
    [True, True, True, True, False, False, False]
    """
    return bool(YEAR_ONLY.fullmatch(text))
