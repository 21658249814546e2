"""Property tests: random amounts written in the printed forms are read back exactly."""
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from pipeline.normalise import parse_number, read_cell
from pipeline.normalise.cells import crashed

FULL = str.maketrans('0123456789,.', '０１２３４５６７８９，．')


def grouped(n: int) -> str:
    return f'{n:,}'


def kanji_form(n: int, use_sen: bool, spaced: bool) -> str:
    """n >= 0 written with 億/万(/千) the way the reports print it: 59億1,800万, 5,812万2千, 1億400万."""
    oku, rest = divmod(n, 10**8)
    man, low = divmod(rest, 10**4)
    sp = ' ' if spaced else ''
    parts = []
    if oku:
        parts.append(f'{grouped(oku)}{sp}億')
    if man:
        parts.append(f'{grouped(man)}{sp}万')
    if low:
        if use_sen and low % 1000 == 0:
            parts.append(f'{low // 1000}{sp}千')
        else:
            parts.append(grouped(low))
    return sp.join(parts) or '0'


def signed(text: str, negative: bool, mark: str) -> str:
    return f'{mark}{text}' if negative else text


amounts = st.integers(min_value=0, max_value=10**13)
units = st.sampled_from(['円', '人', '件', '%', 'ha', '回', '箇所', 'カ所', '施設', ''])


@given(n=amounts, full=st.booleans(), neg=st.booleans(), mark=st.sampled_from(['△', '▲']), unit=units)
def test_commas_full_width_and_minus(n, full, neg, mark, unit):
    text = grouped(n)
    if full:
        text = text.translate(FULL)
    text = signed(text, neg, mark) + unit
    [r] = read_cell(text)
    assert r.value == (-n if neg else n)
    assert r.status == 'ok'
    assert r.unit == ('t' if unit == 'トン' else unit)


@given(n=amounts, use_sen=st.booleans(), spaced=st.booleans(), full=st.booleans(), neg=st.booleans(),
       unit=st.sampled_from(['円', '人', '件', 'トン']))
def test_kanji_multipliers(n, use_sen, spaced, full, neg, unit):
    text = kanji_form(n, use_sen, spaced)
    if full:
        text = text.translate(FULL)
    text = signed(text, neg, '△') + unit
    [r] = read_cell(text)
    assert r.value == (-n if neg else n), text
    assert r.unit == ('t' if unit == 'トン' else unit)


@given(cents=st.integers(min_value=0, max_value=10**9), places=st.integers(min_value=1, max_value=3),
       full=st.booleans())
def test_decimals_keep_their_printed_digits(cents, places, full):
    value = Decimal(cents).scaleb(-places)
    text = f'{value:,}'
    if full:
        text = text.translate(FULL)
    [r] = read_cell(text + '%')
    assert r.value == value
    assert r.value.as_tuple().exponent == -places  # 60.40 stays 60.40


@given(whole=st.integers(min_value=0, max_value=9999), tenth=st.integers(min_value=0, max_value=9),
       mult=st.sampled_from([('億', 10**8), ('万', 10**4), ('千', 10**3), ('百万', 10**6)]))
def test_decimal_times_multiplier(whole, tenth, mult):
    word, scale = mult
    assert parse_number(f'{whole}.{tenth}{word}') == (Decimal(whole) + Decimal(tenth) / 10) * scale


@given(st.text(max_size=40))
def test_any_text_never_raises(text):
    for r in read_cell(text):
        assert not crashed(r), r.detail  # a crash is caught by read_cell, but shows as a crashed reading
        assert r.status in {'ok', 'not_available', 'qualitative', 'corrected', 'unparsed'}
        assert r.status != 'unparsed' or r.value is None


ERAS = [('令和', 'R', 2018, 2019, 2060), ('平成', 'H', 1988, 1989, 2019), ('昭和', 'S', 1925, 1926, 1989)]


@given(era=st.sampled_from(ERAS), data=st.data(), abbreviated=st.booleans(), full=st.booleans(),
       suffix=st.sampled_from(['', '年度', '年', ' 年度', '年度末']), parens=st.booleans())
def test_era_years_read_back(era, data, abbreviated, full, suffix, parens):
    from pipeline.normalise import read_year
    name, initial, base, first, last = era
    year = data.draw(st.integers(min_value=first, max_value=last))
    n = year - base
    text = f'{initial if abbreviated else name}{"元" if n == 1 else n}{suffix}'
    if full:
        text = text.translate(str.maketrans('0123456789RHS', '０１２３４５６７８９ＲＨＳ'))
    if parens:
        text = f'（{text}）'
    assert read_year(text).fiscal_year == year


@given(first=st.integers(min_value=1989, max_value=2040), length=st.integers(min_value=1, max_value=10))
def test_era_ranges_read_back(first, length):
    from pipeline.normalise import read_year

    def short(y):
        return f'R{"元" if y == 2019 else y - 2018}' if y >= 2019 else f'H{y - 1988}'

    span = read_year(f'{short(first)}-{short(first + length)}の平均')
    assert (span.period_start, span.fiscal_year) == (first, first + length)


LABELS = ['男性', '女性', '保育施設', '児童コミュニティクラブ', '1~4年', '5、6年', '3、4年生', '①', '②']


@given(parts=st.lists(st.tuples(st.sampled_from(LABELS), amounts, st.sampled_from(['人', '歳', '回', 'カ所', '%'])),
                      min_size=2, max_size=4, unique_by=lambda p: p[0]),
       sep=st.sampled_from(['\n', ' ']), spaced=st.booleans())
def test_labelled_components_read_back(parts, sep, spaced):
    gap = ' ' if spaced else ''
    text = sep.join(f'{label}{gap}{grouped(n)}{unit}' for label, n, unit in parts)
    got = [(r.component, r.value, r.unit) for r in read_cell(text)]
    assert got == [(label, n, unit) for label, n, unit in parts]
