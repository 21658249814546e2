"""Unit reader: the text right after a number in, (base unit, end position) out.

Known units are matched longest first; otherwise a short run of kanji/katakana is taken as the unit
(``自治会``, ``遊具``), so units never seen before still come through.  A rate suffix (``回/年``) and a
parenthesised word with no digit right after the unit (``団体(個人)``) belong to the unit.
Units are kept as printed (``カ所`` and ``箇所`` stay distinct) except for spelling variants of the same
base unit (``トン`` -> ``t``, ``㎡`` -> ``m2`` via NFKC).
"""
from __future__ import annotations

import re

# Printed spelling -> base unit.  Only true synonyms; multipliers (千トン) are handled by the number reader.
SYNONYMS = {'トン': 't', 'パーセント': '%', 'メートル': 'm', 'ｍ': 'm'}
KNOWN_UNITS = sorted(
    [
        '%', 'ポイント', 'm2', 'km', 'ha', 'kg', 'm', 't', 'g', 'トン', 'パーセント', 'メートル',
        '円', '人', '件', '回', '箇所', 'カ所', 'か所', 'ヶ所', 'ケ所', '歳', '施設', '事業所', '事業', '団体',
        '自治会', '世帯', '地区', '公園', '遊具', '河川', 'クラブ', '品目', '時間', '分', '棟', '橋', '本', '基',
        '校', '店', '社', '組', '名', '台', '点', '駅', '戸', '日', '週', '年生', '年', 'か月', 'ヶ月', '月', '倍',
        '冊', '種', '軒', '個', '枚', '団', '園', '館', '室', '床', '区画', '路線', '便', '機', '頭', '匹', '羽',
    ],
    key=len,
    reverse=True,
)
_KNOWN = '|'.join(re.escape(u) for u in KNOWN_UNITS)
# An unknown unit: a short kanji/katakana word standing alone (followed by a break), so that the start of a
# running text ('5次総合計画') is not taken for a unit.
_GENERIC = r'[\u4e00-\u9fff\u30a1-\u30faー]{1,4}(?=[\s()/\x00,、。・]|$|以上|以下)'
UNIT = re.compile(rf'[ \t]*(?P<unit>(?:{_KNOWN}|{_GENERIC})(?:/(?:年|月|日|週|人|回))?(?:\([^()\d]{{1,6}}\))?)')

# Units that, glued to a number followed by another number, mark a label (1~4年35回, 1日当たり75分).
LABEL_UNITS = frozenset(['年', '年生', '日', '月', 'か月', 'ヶ月', '週'])


def read_unit(text: str, pos: int = 0) -> tuple[str, int]:
    """Read the unit printed at ``text[pos:]``; return (base unit, end) or ('', pos).

    >>> read_unit('箇所で実施'), read_unit(' 件'), read_unit('トン'), read_unit('回/年'), read_unit('団体(個人)')
    (('箇所', 2), ('件', 2), ('t', 2), ('回/年', 3), ('団体(個人)', 6))
    >>> read_unit('自治会'), read_unit('遊具'), read_unit('で実施'), read_unit('')
    (('自治会', 3), ('遊具', 2), ('', 0), ('', 0))
    """
    m = UNIT.match(text, pos)
    if not m:
        return '', pos
    unit = m['unit']
    return SYNONYMS.get(unit, unit), m.end()
