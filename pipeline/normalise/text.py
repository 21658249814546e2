"""Text clean-up: printed (full-width, half-width kana, ...) text in, plain comparable text out.

``to_ascii`` is NFKC with a few protected characters; ``clean_label`` turns a printed indicator name into
``(name, note)``.  The small shared ideas live here once, for every stage: ``squash`` (white space removed
before comparing), ``means_none`` (a dash or N/A printed for "no value") and ``AMENDMENT`` (an amendment
mark such as ``【R6 年 3 月指標・値変更】``).  Era-year patterns live in ``eras``.

Why not a library: ``jaconv`` is installed, but ``jaconv.normalize`` turns ``－`` (a printed "no value" dash)
into the long vowel mark ``ー`` and ``①`` into ``1`` (so ``①39.6％`` would read 139.6), while ``jaconv.z2h``
leaves half-width kana (``ｺﾐｭﾆﾃｨｸﾗﾌﾞ``) and ``㎡`` unconverted.  ``mojimoji`` (a compiled extension) offers
the same zen_to_han / han_to_zen split as jaconv's z2h / h2z and nothing NFKC does not already do here.
The standard library's NFKC is right on every form in the five reports once the few characters below are
kept out of it (see ``tests/test_normalise_text.py``, which checks the jaconv failures too).
"""
from __future__ import annotations

import re
import unicodedata

# Characters NFKC would break for our purposes: circled / parenthesised numbers are printed as component
# markers (``①39.6％ ②33.3％``); NFKC would glue them to the number that follows (``139.6%``).
_PROTECTED = frozenset(
    [chr(c) for c in range(0x2460, 0x24FF + 1)]  # ①..⑳, ⑴..⒇, ⒈.., Ⓐ.., ⓪..
    + [chr(c) for c in range(0x3251, 0x325F + 1)]  # ㉑..㉟
    + [chr(c) for c in range(0x32B1, 0x32BF + 1)]  # ㊱..㊿
)


def nfkc(text: str | None) -> str:
    """Plain NFKC, for names and labels (not for cells holding numbers: see ``to_ascii``).

    >>> nfkc("（１）ポテンシャル"), nfkc(None)
    ('(1)ポテンシャル', '')
    """
    return unicodedata.normalize('NFKC', text or '')


def to_ascii(text: str) -> str:
    """Full-width letters, digits, signs and spaces -> ASCII; half-width kana -> full-width (NFKC).

    Kept as printed: circled numbers (component markers), ``△``/``▲`` (minus signs), ``―``/``—`` (dashes),
    and Japanese text in general.  ``－`` (full-width hyphen-minus) and ``−`` (minus sign) become ``-``;
    ``㎡`` becomes ``m2``.

    >>> to_ascii('１，７５４万６千円')
    '1,754万6千円'
    >>> to_ascii('８１．２％')
    '81.2%'
    >>> to_ascii('①39.6％ ②33.3％')
    '①39.6% ②33.3%'
    >>> to_ascii('児童ｺﾐｭﾆﾃｨｸﾗﾌﾞ21カ所')
    '児童コミュニティクラブ21カ所'
    >>> to_ascii('△36人'), to_ascii('―'), to_ascii('－'), to_ascii('0㎡')
    ('△36人', '―', '-', '0m2')
    >>> to_ascii('１～４年'), to_ascii('1〜4年'), to_ascii('−5')
    ('1~4年', '1~4年', '-5')
    """
    if not text:
        return ''
    text = text.replace('\u301c', '~')  # WAVE DASH: how Japanese fonts map the full-width tilde back
    if _PROTECTED.isdisjoint(text):     # the common case: one NFKC pass over the whole text
        return unicodedata.normalize('NFKC', text).replace('\u2212', '-')
    out: list[str] = []
    chunk: list[str] = []
    for ch in text:
        if ch in _PROTECTED:
            out.append(unicodedata.normalize('NFKC', ''.join(chunk)))
            chunk = []
            out.append(ch)
        else:
            chunk.append(ch)
    out.append(unicodedata.normalize('NFKC', ''.join(chunk)))
    return ''.join(out).replace('\u2212', '-')  # MINUS SIGN, which NFKC leaves alone


WHITE_SPACE = re.compile(r'\s+')
# A cell that prints only a dash (any of the dashes and rules reports use) or N/A: no value.
DASHES = re.compile(r'[-―—‐−–ー─━/\s]+|N/?A|n/?a')
# Amendment marks printed inside an indicator name or cell: 【R6 年 3 月指標・値変更】, 【R5 年 3 月追加】, also
# when cut off at the end of a cell.
AMENDMENT = re.compile(r'【[^】]*】?')


def squash(text: str | None) -> str:
    """The text with all white space removed: the form words are compared in (line breaks and spaces
    fall anywhere in a printed cell).

    >>> squash(' 事業\\n番号 '), squash('総 ペ ー ジ'), squash(None)
    ('事業番号', '総ページ', '')
    """
    return WHITE_SPACE.sub('', text or '')


def folded(text: str | None) -> str:
    """NFKC without white space: the form names, labels and goals are compared in (full- and half-width
    alike, wrapped anywhere).

    >>> folded('（１）ポテンシャルを生か\\nした'), folded('Ｋ Ｐ Ｉ'), folded(None)
    ('(1)ポテンシャルを生かした', 'KPI', '')
    """
    return squash(nfkc(text))


def means_none(text: str | None) -> bool:
    """True when the printed text is only a dash or N/A: the report says there is no value.

    >>> [means_none(t) for t in ['―', ' － ', 'ー', 'N/A', '―\\n―', '0', '', '該当なし']]
    [True, True, True, True, True, False, False, False]
    """
    body = squash(text)
    return bool(body) and bool(DASHES.fullmatch(to_ascii(body)))
# Footnote marks: ^ア, ※, ※1, ＊ (at the end of a name or before a space).
FOOTNOTE = re.compile(r'\^\s?[^\s\d]|※\d*|\*\d*(?=\s|$)')


def strip_footnotes(text: str) -> tuple[str, list[str]]:
    """Remove footnote marks; return (text, marks).

    >>> strip_footnotes('2箇所 ^ア で実施')
    ('2箇所  で実施', ['^ア'])
    """
    marks = FOOTNOTE.findall(text)
    return FOOTNOTE.sub('', text), [m.strip() for m in marks]


def clean_label(text: str) -> tuple[str, str]:
    """Indicator name as printed -> (name, note).

    Lines are joined with no space, the result is NFKC-normalised, amendment marks (【...】) and footnote
    marks (^ア, ※) are moved into the note.

    >>> clean_label('秦野名水ロゴマークの\\n使用件数（累計）\\n【R6 年 3 月指標・値変更】')
    ('秦野名水ロゴマークの使用件数(累計)', '【R6 年 3 月指標・値変更】')
    >>> clean_label('住宅施策を活用した\\n年間移住世帯数\\n【R5 年 3 月中間値・目標値変\\n更※】')
    ('住宅施策を活用した年間移住世帯数', '【R5 年 3 月中間値・目標値変更※】')
    >>> clean_label('児童ｺﾐｭﾆﾃｨｸﾗﾌﾞ数 ※1')
    ('児童コミュニティクラブ数', '※1')
    >>> clean_label('')
    ('', '')
    """
    if not text:
        return '', ''
    joined = ''.join(line.strip() for line in text.splitlines())
    joined = to_ascii(joined)
    notes = AMENDMENT.findall(joined)
    name = AMENDMENT.sub('', joined)
    name, marks = strip_footnotes(name)
    name = re.sub(r'\s{2,}', ' ', name).strip()
    return name, ' '.join(notes + marks)
