"""Direction reader: printed words or arrows in, 'increase' / 'decrease' / '' out.

A target may be printed as a direction instead of a number: ``↗``, ``↘``, ``現状値の向上``, ``現状値の低下``,
``縮減``/``削減`` (a debt or cost to be cut), or a bound after a number: ``80％以上`` (at least), ``60％以下``.
``以上``/``以下`` after a reference instead of a number (``全国平均以上``: at least the national average) is
a direction too (the output contract lists 以上 under increase; the hadano answer key reads it so).
"""
from __future__ import annotations

import re

ARROW_UP = '↗↑⬈'
ARROW_DOWN = '↘↓⬊'
_UP_WORDS = re.compile(r'向上|増加|上昇|拡大|増やす|以上\s*$')
_DOWN_WORDS = re.compile(r'低下|減少|縮減|削減|抑制|減らす|以下\s*$')


def arrow_direction(text: str) -> str:
    """Direction of arrows in the text ('' if none or both).

    >>> arrow_direction('↗'), arrow_direction('↘'), arrow_direction('47.1%'), arrow_direction('↗↘')
    ('increase', 'decrease', '', '')
    """
    up = any(c in text for c in ARROW_UP)
    down = any(c in text for c in ARROW_DOWN)
    if up == down:
        return ''
    return 'increase' if up else 'decrease'


def word_direction(text: str) -> str:
    """Direction of a text with no number ('' if none or contradictory).

    >>> word_direction('現状値の向上'), word_direction('現状値の低下'), word_direction('市債残高の縮減を目指します')
    ('increase', 'decrease', 'decrease')
    >>> word_direction('全国平均以上'), word_direction('前年度以下'), word_direction('制度創設'), word_direction('実施')
    ('increase', 'decrease', '', '')
    """
    up = bool(_UP_WORDS.search(text))
    down = bool(_DOWN_WORDS.search(text))
    if up == down:
        return arrow_direction(text)
    return 'increase' if up else 'decrease'


BOUND_WORDS = {'以上': ('increase', 'lower'), '以下': ('decrease', 'upper')}
BOUND = re.compile(r'[ \t]*(?P<word>以上|以下)')
