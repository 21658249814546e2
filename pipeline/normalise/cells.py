"""Cell reader: the exact text of one printed value cell in, a list of ``Reading``s out.

Steps (each a small function below): normalise to ASCII and re-join wrapped lines; drop footnote marks;
catch not-available words; take out year marks (``(平成29年度)``, ``（R3）``, ``(H29-R3の平均)``) and
parenthesised qualifiers with digits (``(26基)``, ``(第3四半期)``, ``（全国 63.8％）``); find the amounts with
their units, labels (``男性``, ``5、6年生``) and bounds (``以上``/``以下``); build one Reading per amount.
A cell with no amount is a direction (``↗``, ``現状値の向上``), not available (``―``), or qualitative
(``制度創設``).  Anything odd becomes ``status='unparsed'`` with the reason in ``detail``; never an exception
and never a guessed number.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from .amounts import BAD_DECIMALS, BAD_GROUPING, MULTIPLIERS, NUMBER, amount
from .directions import BOUND, BOUND_WORDS, arrow_direction, word_direction
from .eras import ERA_RANGE, ERA_YEAR, YearSpan, is_year_only, read_year
from .text import AMENDMENT, means_none, squash, strip_footnotes, to_ascii
from .units import LABEL_UNITS, read_unit


@dataclass(frozen=True)
class Reading:
    """One value read from a printed cell (a cell holding several values gives several Readings)."""

    value: Decimal | None  # in the base unit after scaling (億/万/千/百万 applied); None if no number
    unit: str  # base unit: '円','人','件','%','t','ha','m','回','箇所','歳', ... '' if none printed
    status: str  # 'ok' | 'not_available' | 'qualitative' | 'corrected' | 'unparsed'
    direction: str = ''  # 'increase' | 'decrease' | ''
    component: str = ''  # label when the cell holds several values ('男性', '女性', ...)
    fiscal_year: int | None = None  # year named by the cell itself ('442人\n(H30年度)'), else None
    period_start: int | None = None  # first year of a range like 'H29-R3の平均'
    calendar_year: bool = False  # the year is a calendar year (暦年), not a fiscal year
    bound: str = ''  # 'lower' / 'upper' for range targets ('40％以上 60％以下'), else ''
    detail: str = ''  # short English note on how it was read


NOT_AVAILABLE = re.compile(r'該当数値(?:無し|なし)|該当(?:無し|なし)|公表時期未定|未公表|集計中|算出不可|数値(?:無し|なし)|データなし')
_YEAR_MARK = '\x00'
_CODE_LABEL = re.compile(r'[\d\s\-~.,、/]*\d[\d\s\-~.,、/]*')
_PAREN = re.compile(r'[(〈<]([^()〈〉<>]*)[)〉>]')
_INLINE_YEAR = re.compile(
    rf'(?:{ERA_RANGE.pattern}|{ERA_YEAR.pattern}|(?<![\d,.])(?:19|20)\d{{2}}(?=\s*年))\s*(?:年度|年)?\s*'
    r'(?:の平均|平均|末|見込み?|時点)?'
)
_BARE_FISCAL_YEAR = re.compile(r'(?<![\d.,])\d{1,2}\s*年度(?:末|見込み?)?')
_LABEL_STRIP = ' \t\n・:=;、,→いずれも約'
_SENTENCE_LEN = 25


# pdfminer writes '(cid:123)' for a glyph its font maps to no character; U+FFFD is the same loss.
UNMAPPED_GLYPHS = re.compile(r'\(cid:\d+\)|\ufffd')


def read_cell(text: str, *, unit_hint: str = '') -> list[Reading]:
    """Read one printed cell into Readings (see the module docstring).  Never raises.

    >>> read_cell('１，７５４万６千円')
    [Reading(value=Decimal('17546000'), unit='円', status='ok', direction='', component='', fiscal_year=None, period_start=None, calendar_year=False, bound='', detail='')]
    >>> [(r.value, r.unit, r.fiscal_year) for r in read_cell('768 千トン\\n（H30 年度）')]
    [(Decimal('768000'), 't', 2018)]
    >>> [(r.component, r.value, r.unit, r.fiscal_year) for r in read_cell('男性 83.12 歳（R2）\\n女性 85.79 歳（R2）')]
    [('男性', Decimal('83.12'), '歳', 2020), ('女性', Decimal('85.79'), '歳', 2020)]
    >>> r = read_cell('2.8件\\n（H29-R3の平均）')[0]; (r.value, r.fiscal_year, r.period_start)
    (Decimal('2.8'), 2021, 2017)
    >>> [(r.value, r.direction, r.bound) for r in read_cell('いずれも\\n40％以上\\n60％以下')]
    [(Decimal('40'), 'increase', 'lower'), (Decimal('60'), 'decrease', 'upper')]
    >>> (lambda r: (r.value, r.unit, r.status, r.direction))(read_cell('↗')[0]), read_cell('―')[0].status, read_cell('公表時期未定')[0].status, read_cell('制度創設')[0].status
    ((None, '', 'ok', 'increase'), 'not_available', 'not_available', 'qualitative')
    >>> read_cell('   '), read_cell('')
    ([], [])
    >>> read_cell('1(cid:5)3人')[0].status, read_cell('１２．３．４％')[0].status
    ('unparsed', 'unparsed')
    """
    if text is None or not str(text).strip():
        return []
    if UNMAPPED_GLYPHS.search(str(text)):
        return [Reading(None, '', 'unparsed', detail='glyphs without a Unicode mapping (cid:N / U+FFFD): '
                                                      'the font hides what is printed, no value guessed')]
    try:
        return _read(str(text), unit_hint)
    except Exception as exc:  # a reader bug must not stop the run: keep the text, say so, visibly
        return [Reading(None, '', 'unparsed', detail=f'{READER_ERROR}: {type(exc).__name__}: {exc}')]


READER_ERROR = 'reader error'


def crashed(reading: Reading) -> bool:
    """True when the reading stands for a crash of the reader (a bug), not for a form it does not know.

    >>> crashed(Reading(None, '', 'unparsed', detail=f'{READER_ERROR}: ZeroDivisionError: x')), crashed(read_cell('12人')[0])
    (True, False)
    """
    return reading.status == 'unparsed' and reading.detail.startswith(READER_ERROR)


BULLETS = '・●○■□◆◇▪'


def join_lines(s: str) -> str:
    """Re-join the printed lines of a value cell into one text, whatever the cell's width made them.

    A line break in a value cell can fall anywhere: inside a number, between a number and its unit, inside a
    label, a word or a year mark.  So a line is joined to the one before with nothing between them (Japanese
    prints no space at a wrap); what the lines used to separate is still told apart by the text itself: an
    amount ends at its unit (or bound word, or year mark), and a label starts where the text after it turns
    into a number (``男性 84.05歳女性 86.06歳``).  The result is the same whether the cell was printed on one
    line or broken anywhere into several.  The one break kept is around a bullet heading: a line starting
    with a bullet (``・``) and holding no digit heads the lines below it, and a bullet starts a new item.

    >>> join_lines('児童コミュニティクラブ21\\nカ所'), join_lines('1,7\\n54万円'), join_lines('33.6%\\n14.4%')
    ('児童コミュニティクラブ21カ所', '1,754万円', '33.6%14.4%')
    >>> join_lines('現状値の向\\n上'), join_lines('12.8ポイン\\nト'), join_lines('1日当たり\\n75分')
    ('現状値の向上', '12.8ポイント', '1日当たり75分')
    >>> join_lines(' 男性 84.05歳 \\n\\n女\\n性 86.06歳'), join_lines('・認定登録数\\n個人:10\\n名団体:15団体')
    ('男性 84.05歳女性 86.06歳', '・認定登録数\\n個人:10名団体:15団体')
    """
    out = ''
    heading = False
    for line in (ln.strip() for ln in s.splitlines()):
        if not line:
            continue
        if out and (heading or line[0] in BULLETS):
            out += '\n'
        out += line
        heading = line[0] in BULLETS and not re.search(r'\d', line)
    return out


def _take_annotations(s: str) -> tuple[str, list[YearSpan], list[str]]:
    """Replace year marks by a placeholder, drop qualifiers; return (text, years in order, notes)."""
    years: list[YearSpan] = []
    notes: list[str] = []

    def paren(m: re.Match) -> str:
        whole, inner = m.group(0), m.group(1)
        if is_year_only(whole) or (read_year(inner).fiscal_year and not NUMBER.search(_INLINE_YEAR.sub('', inner))):
            years.append(read_year(inner))
            return _YEAR_MARK
        if re.search(r'\d', inner):
            notes.append(f'qualifier {whole} dropped')
            return ''
        return whole

    def amendment(m: re.Match) -> str:
        notes.append(f'mark {m.group(0)} dropped')
        return ' '

    s = AMENDMENT.sub(amendment, s)
    s = _PAREN.sub(paren, s)

    def inline(m: re.Match) -> str:
        span = read_year(m.group(0))
        if span.fiscal_year is None:
            return m.group(0)
        years.append(span)
        return _YEAR_MARK

    s = _INLINE_YEAR.sub(inline, s)
    s2 = _BARE_FISCAL_YEAR.sub('', s)
    if s2 != s:
        notes.append('year without era dropped')
    return s2, years, notes


def _not_available(s: str) -> Reading | None:
    if NOT_AVAILABLE.search(squash(s)):
        return Reading(None, '', 'not_available', detail='not-available wording')
    return None


@dataclass(frozen=True)
class _Amount:
    start: int
    end: int  # after unit and bound word
    value: Decimal
    unit: str
    bound_word: str
    approx: bool
    spaced: bool


def _amounts(s: str) -> list[_Amount] | None:
    """All amounts with their units; labels such as '5、6年生' or '1日当たり' are skipped.  None if a
    digit run cannot be trusted (bad grouping, falling multipliers)."""
    found = []
    for m in NUMBER.finditer(s):
        value = amount(m)
        if value is None:
            return None
        unit, uend = read_unit(s, m.end())
        b = BOUND.match(s, uend)
        approx = s[max(0, m.start() - 1):m.start()] == '約'
        spaced = bool(re.search(r'\d[ \t]+\d', m.group('body')))
        found.append(_Amount(m.start(), b.end() if b else uend, value, unit, b['word'] if b else '', approx, spaced))
    keep = []
    for i, a in enumerate(found):
        nxt = found[i + 1] if i + 1 < len(found) else None
        if nxt is not None and _is_label_number(s, a, nxt):
            continue
        keep.append(a)
    return keep


def _is_label_number(s: str, a: _Amount, nxt: _Amount) -> bool:
    gap = s[a.end:nxt.start]
    if a.bound_word:
        return False
    if a.unit in LABEL_UNITS:  # '1~4年35回', '1~4年 35回', '1日当たり75分'
        return not re.search(r'\s', gap.strip(' \t'))
    return a.unit == '' and gap in ('~', '、', '-', '・', '')


def _label(s: str, frm: int, to: int) -> tuple[str, str]:
    """(label on the amount's own line, or on the bullet heading just above it; the other text, dropped)."""
    gap = s[frm:to].replace(_YEAR_MARK, '')
    lines = [p.strip(_LABEL_STRIP) for p in gap.split('\n')]
    at = len(lines) - 1 if lines[-1] or len(lines) == 1 else len(lines) - 2
    label = lines[at]
    dropped = [p for i, p in enumerate(lines) if p and i != at]
    words = label.split()
    if len(words) > 1 and not all(len(w) == 1 for w in words):
        dropped.append(' '.join(words[:-1]))  # '認定登録数 個人' -> heading dropped, label '個人'
        label = words[-1]
    else:
        label = ''.join(words)  # letter-spaced '総 ペ ー ジ' -> '総ページ'
    return label, ' '.join(dropped)


def _assign_years(s: str, amounts: list[_Amount], years: list[YearSpan]) -> list[YearSpan | None]:
    marks = [i for i, ch in enumerate(s) if ch == _YEAR_MARK]
    if len(marks) == len(amounts) > 1 and marks[-1] < amounts[0].start:
        return list(years)  # a line of years over a line of values: （H27年度） （H28年度見込） / 81.2% → 89.9%
    out: list[YearSpan | None] = []
    for k, a in enumerate(amounts):
        lo = a.end if k else 0
        hi = amounts[k + 1].start if k + 1 < len(amounts) else len(s)
        mine = [years[j] for j, pos in enumerate(marks) if lo <= pos < hi]
        out.append(mine[0] if mine else None)
    if len(set(years)) == 1:
        out = [y or years[0] for y in out]
    return out


def _no_amount(rest: str, direction: str, year: YearSpan | None, notes: list[str]) -> Reading:
    y = year or YearSpan(None)
    common = dict(fiscal_year=y.fiscal_year, period_start=y.period_start, calendar_year=y.calendar_year)
    body = squash(rest)
    if means_none(body):
        return Reading(None, '', 'not_available', detail='dash', **common)
    if direction:
        return Reading(None, '', 'ok', direction=direction, detail='direction only', **common)
    if not body:
        return Reading(None, '', 'unparsed', detail='; '.join(notes + ['no value besides year/qualifier']), **common)
    if re.search(r'\d', body):
        return Reading(None, '', 'unparsed', detail='digits but no readable amount', **common)
    return Reading(None, '', 'qualitative', detail='text only', **common)


def _read(raw: str, unit_hint: str) -> list[Reading]:
    s = join_lines(to_ascii(raw.replace(_YEAR_MARK, '')))  # the placeholder must not come from the text
    s, marks = strip_footnotes(s)
    notes = [f'footnote {m} dropped' for m in marks]
    na = _not_available(s)
    if na:
        return [na]
    s, years, more = _take_annotations(s)
    notes += more
    if BAD_GROUPING.search(s):
        return [Reading(None, '', 'unparsed', detail='comma not followed by three digits: grouping unclear')]
    if BAD_DECIMALS.search(s):
        return [Reading(None, '', 'unparsed', detail='two decimal points in one number')]
    arrow = arrow_direction(s)
    amounts = _amounts(s)
    if amounts is None:
        return [Reading(None, '', 'unparsed', detail='digits with untrustworthy grouping or multipliers')]
    if not amounts:
        rest = s.replace(_YEAR_MARK, '')
        direction = arrow or (word_direction(rest) if not re.search(r'\d', rest) else '')
        return [_no_amount(rest.strip('↗↘↑↓ \n'), direction, years[0] if len(set(years)) == 1 else None, notes)]
    return _build(s, amounts, years, notes, arrow, unit_hint)


def _labels(s: str, amounts: list[_Amount]) -> tuple[list[str], list[str], str]:
    """Labels before each amount, other text dropped, and the text after the last amount."""
    labels, dropped = [], []
    prev = 0
    for a in amounts:
        label, drop = _label(s, prev, a.start)
        labels.append(label)
        if drop:
            dropped.append(drop)
        prev = a.end
    trailer = s[prev:].replace(_YEAR_MARK, '').strip(' \n↗↘↑↓')
    return labels, dropped, trailer


def _build(s: str, amounts: list[_Amount], years: list[YearSpan], notes: list[str], arrow: str,
           unit_hint: str) -> list[Reading]:
    labels, dropped, trailer = _labels(s, amounts)
    if any(_CODE_LABEL.fullmatch(lb) for lb in labels):
        return [Reading(None, '', 'unparsed', detail='digits joined by - or ~ (a code or a range), not an amount')]
    if '。' in s or any(len(t) > _SENTENCE_LEN for t in labels + dropped + [trailer]):
        notes.append('read from a sentence')
        labels = [''] * len(amounts)  # words around amounts in a sentence are not component labels
    if trailer:
        notes.append(f'text {trailer!r} dropped')
    if dropped:
        notes.append('text ' + ', '.join(repr(d) for d in dropped) + ' dropped')
    is_range = {a.bound_word for a in amounts} >= {'以上', '以下'}
    several_units = len({a.unit for a in amounts}) > 1
    out = []
    for a, label, span in zip(amounts, labels, _assign_years(s, amounts, years)):
        note = list(notes)
        if len(amounts) == 1:
            component = ''
            if label:
                note.append(f'qualifier {label!r} dropped')
        else:
            component = label or (a.unit if several_units else '')
        out.append(_reading(a, component, span, arrow, is_range, unit_hint, note, calendar='暦年' in s))
    return out


def hint_unit(hint: str) -> tuple[str, int]:
    """A unit printed outside the cell (a 単位 column) -> (base unit, multiplier of the printed numbers).

    >>> hint_unit('千円'), hint_unit('万人'), hint_unit('百万円'), hint_unit('人'), hint_unit('千')
    (('円', 1000), ('人', 10000), ('円', 1000000), ('人', 1), ('千', 1))
    """
    hint = to_ascii(hint).strip()
    for mult in sorted(MULTIPLIERS, key=len, reverse=True):
        if hint.startswith(mult) and len(hint) > len(mult):
            base, _ = read_unit(hint[len(mult):])
            if base:
                return base, MULTIPLIERS[mult]
    return read_unit(hint)[0] or hint, 1


# Units of things counted one by one: such a count is never fractional to exactly three decimals.
COUNT_UNITS = frozenset(['人', '件', '回', '箇所', 'カ所', 'か所', 'ヶ所', 'ケ所'])


def mistyped_separator(value: Decimal, unit: str) -> Decimal | None:
    """The count meant by a value printed with a period for its thousands separator, else None.

    A count in 人/件/回/箇所 printed with exactly three decimals (``5.318人``) cannot be fractional: the
    period is a mistyped comma.  Other units, other numbers of decimals and scaled amounts are left alone.

    >>> mistyped_separator(Decimal('5.318'), '人'), mistyped_separator(Decimal('22.904'), '件')
    (Decimal('5318'), Decimal('22904'))
    >>> [mistyped_separator(Decimal(v), u) for v, u in [('5.318', '%'), ('2.8', '件'), ('5.3180', '人'), ('5318', '人')]]
    [None, None, None, None]
    """
    exp = value.as_tuple().exponent
    if unit not in COUNT_UNITS or not isinstance(exp, int) or exp != -3 or abs(value) >= 1000:
        return None
    return (value * 1000).quantize(Decimal(1))


def _reading(a: _Amount, component: str, span: YearSpan | None, arrow: str, is_range: bool, unit_hint: str,
             note: list[str], calendar: bool) -> Reading:
    if a.approx:
        note.append('approximate (約)')
    if a.spaced:
        note.append('space inside the number read as a separator')
    unit, value = a.unit, a.value
    if not unit and unit_hint:
        unit, scale = hint_unit(unit_hint)
        value = value * scale if value is not None else None
        note.append('unit from hint')
    direction, bound = arrow, ''
    if a.bound_word:
        direction, range_bound = BOUND_WORDS[a.bound_word]
        bound = range_bound if is_range else ''
    y = span or YearSpan(None)
    status = 'ok'
    meant = mistyped_separator(value, unit) if value is not None and value == a.value else None
    if meant is not None:
        value, status = meant, 'corrected'
        note.append(f'mistyped thousands separator: a count printed {a.value} read as {meant}')
    return Reading(value, unit, status, direction=direction, component=component, fiscal_year=y.fiscal_year,
                   period_start=y.period_start, calendar_year=y.calendar_year or calendar, bound=bound,
                   detail='; '.join(note))


def with_status(reading: Reading, status: str, detail: str) -> Reading:
    """Copy of a Reading with another status and an added note."""
    note = '; '.join(x for x in (reading.detail, detail) if x)
    return replace(reading, status=status, detail=note)
