"""read_cell on the cell forms printed in the five reports (texts exactly as pdfplumber extracts them).

Expected values are the readings recorded in tests/answers/*.observations.csv for these cells (or, for
forms not in a table, what the printed text says).
"""
from decimal import Decimal

import pytest

from pipeline.normalise import Reading, cells, read_cell
from pipeline.normalise.cells import crashed

D = Decimal


def one(text, **kw):
    readings = read_cell(text, **kw)
    assert len(readings) == 1, readings
    return readings[0]


@pytest.mark.parametrize(
    'text, value, unit',
    [
        # full-width digits, commas, periods
        ('１４施設', D('14'), '施設'),
        ('１，７５４万６千円', D('17546000'), '円'),
        ('８１．２％', D('81.2'), '%'),
        ('９人', D('9'), '人'),
        ('121.8ｍ', D('121.8'), 'm'),
        # kanji multipliers in any mix
        ('59 億 1,800 万円', D('5918000000'), '円'),
        ('61 億 5,700 万円', D('6157000000'), '円'),
        ('1億3,125万円\n(平成28年度)', D('131250000'), '円'),
        ('1億400万円', D('104000000'), '円'),
        ('5,812万2千円', D('58122000'), '円'),
        ('236,654百万円', D('236654000000'), '円'),
        ('115万人', D('1150000'), '人'),
        ('768 千トン\n（H30 年度）', D('768000'), 't'),
        ('24,878千円\n(平成28年度)', D('24878000'), '円'),
        ('約１２億７，７００万円', D('1277000000'), '円'),
        ('２６９億１千万円', D('26910000000'), '円'),
        ('11.4億円', D('1140000000'), '円'),
        ('4,402 億円', D('440200000000'), '円'),
        ('797 万件', D('7970000'), '件'),
        ('１億２，８５９万５千円', D('128595000'), '円'),
        # negatives, spaces, prefixes, qualifiers
        ('△36人', D('-36'), '人'),
        ('▲1,000円', D('-1000'), '円'),
        ('−5人', D('-5'), '人'),
        ('1 234人', D('1234'), '人'),
        ('1兆2,000億円', D('1200000000000'), '円'),
        ('26,632 t\n(平成28年度)', D('26632'), 't'),
        ('L=692m\n(平成29年度)', D('692'), 'm'),
        ('1005.3ha\n(85.3%)\n(平成29年度)', D('1005.3'), 'ha'),
        ('92基\n(26基)', D('92'), '基'),
        ('17箇所\n(2箇所)', D('17'), '箇所'),
        ('1,035カ所\n(消火栓1基)', D('1035'), 'カ所'),
        ('2箇所 ^ア で実施\n(平成29年度)', D('2'), '箇所'),
        ('2クラブ ^ア\n(平成29年度)', D('2'), 'クラブ'),
        ('12,825千円\n(第3四半期)', D('12825000'), '円'),
        ('動画閲覧者\n1,779人', D('1779'), '人'),
        ('１日当たり75分', D('75'), '分'),
        ('60.2%\n（全国 63.8％）', D('60.2'), '%'),
        ('25団体(個人)\n(平成28年度)', D('25'), '団体(個人)'),
        ('5回/年\n(平成28年度)', D('5'), '回/年'),
        ('0㎡\n(平成29年度)', D('0'), 'm2'),
        ('608g\n（R3）', D('608'), 'g'),
        ('12.8ポイント', D('12.8'), 'ポイント'),
        ('13自治会\n(平成29年度)', D('13'), '自治会'),
        ('1.12（H30）', D('1.12'), ''),
        ('80％台\n（R3）', D('80'), '%'),
        ('6.9％削減\n（R元）', D('6.9'), '%'),
        ('制度創設\n10人任命', D('10'), '人'),
        ('1箇所新設', D('1'), '箇所'),
        ('60.40%', D('60.40'), '%'),
    ],
)
def test_single_amounts(text, value, unit):
    r = one(text)
    assert (r.value, r.unit, r.status) == (value, unit, 'ok')


@pytest.mark.parametrize(
    'text, value, unit',
    [('5.318人', D('5318'), '人'), ('6.077 人\n（R3）', D('6077'), '人'), ('22.904件', D('22904'), '件'),
     ('1.200回', D('1200'), '回'), ('３．０５０箇所', D('3050'), '箇所'), ('2.125カ所', D('2125'), 'カ所')],
)
def test_a_count_with_three_decimals_is_a_mistyped_separator(text, value, unit):
    # a count of people, cases, times or places cannot be fractional to exactly three decimals,
    # whatever its neighbours: the period is a mistyped thousands separator, read as intended and marked
    r = one(text)
    assert (r.value, r.unit, r.status) == (value, unit, 'corrected')
    assert 'mistyped thousands separator' in r.detail


@pytest.mark.parametrize('text', ['5.318%', '5.318t', '2.8件', '5.3180人', '1.234万人', '83.125歳'])
def test_other_decimals_are_not_corrected(text):
    assert one(text).status == 'ok'


@pytest.mark.parametrize(
    'text, fiscal_year, period_start',
    [
        ('768 千トン\n（H30 年度）', 2018, None),
        ('442人\n(H30年度)', 2018, None),
        ('0箇所\n(平成29年度)', 2017, None),
        ('4,000人\n(平成27年度)', 2015, None),
        ('2,083人\n（R3）', 2021, None),
        ('47.1％\n（R4）', 2022, None),
        ('2.8件\n（H29-R3の平均）', 2021, 2017),
        ('243人\n（H29-R3）', 2021, 2017),
        ('79.3%（R2）', 2020, None),
        ('6.9％削減\n（R元）', 2019, None),
        ('650 件', None, None),
    ],
)
def test_cell_years(text, fiscal_year, period_start):
    r = one(text)
    assert (r.fiscal_year, r.period_start) == (fiscal_year, period_start)


@pytest.mark.parametrize(
    'text, expected',
    [
        ('男性 83.25歳\n女性 85.91歳', [('男性', D('83.25'), '歳'), ('女性', D('85.91'), '歳')]),
        ('男性 83.25歳 女性 85.91歳', [('男性', D('83.25'), '歳'), ('女性', D('85.91'), '歳')]),
        ('男性83.82歳\n女性86.2歳', [('男性', D('83.82'), '歳'), ('女性', D('86.2'), '歳')]),
        ('1～4年35回\n5、6年53回\n(平成29年度)', [('1~4年', D('35'), '回'), ('5、6年', D('53'), '回')]),
        ('1、2年15回\n3、4年35回\n5、6年70回',
         [('1、2年', D('15'), '回'), ('3、4年', D('35'), '回'), ('5、6年', D('70'), '回')]),
        ('5、6年生30回/年\n3、4年生20回/年', [('5、6年生', D('30'), '回/年'), ('3、4年生', D('20'), '回/年')]),
        ('保育施設24カ所\n児童ｺﾐｭﾆﾃｨｸﾗﾌﾞ21\nカ所',
         [('保育施設', D('24'), 'カ所'), ('児童コミュニティクラブ', D('21'), 'カ所')]),
        ('・認定登録数\n個人：10名\n団体：15団体', [('個人', D('10'), '名'), ('団体', D('15'), '団体')]),
        ('・新聞社等への情報提供数\n557件\n・日刊紙への記事掲載件数\n1,217件',
         [('新聞社等への情報提供数', D('557'), '件'), ('日刊紙への記事掲載件数', D('1217'), '件')]),
        ('55公園\n79遊具\n（R3）', [('公園', D('55'), '公園'), ('遊具', D('79'), '遊具')]),
        ('①39.6％\n②33.3％\n（R4）', [('①', D('39.6'), '%'), ('②', D('33.3'), '%')]),
        # two lines of % with no label: the layout names them (from the indicator), in printed order
        ('33.6％\n14.4％', [('', D('33.6'), '%'), ('', D('14.4'), '%')]),
    ],
)
def test_components(text, expected):
    got = [(r.component, r.value, r.unit) for r in read_cell(text)]
    assert got == expected
    assert all(r.status == 'ok' for r in read_cell(text))


def test_component_years_follow_their_own_line():
    rs = read_cell('男性 83.12 歳（R2）\n女性 85.79 歳（R2）')
    assert [(r.component, r.value, r.fiscal_year) for r in rs] == [('男性', D('83.12'), 2020), ('女性', D('85.79'), 2020)]
    rs = read_cell('1～4年35回\n5、6年53回\n(平成29年度)')
    assert [r.fiscal_year for r in rs] == [2017, 2017]


@pytest.mark.parametrize(
    'text', ['―', '－', '-', '—', '該当数値無し', '公表時期未定', '該当なし',
             '令和2年度は推奨度\nをNPS値で掲出した\nため、該当数値無し\n。'],
)
def test_not_available(text):
    r = one(text)
    assert (r.value, r.status) == (None, 'not_available')


@pytest.mark.parametrize(
    'text', ['制度創設', '実施', 'センター開設', '取組方針策定\n新規・拡充事業検\n討', '方針決定\n(平成29年度)',
             '試行、検証', '事業化検討\n(平成28年度)'],
)
def test_qualitative(text):
    r = one(text)
    assert (r.value, r.status, r.direction) == (None, 'qualitative', '')


@pytest.mark.parametrize(
    'text, direction',
    [('↗', 'increase'), ('↘', 'decrease'), ('現状値の向上', 'increase'), ('現状値の低下', 'decrease'),
     ('縮減', 'decrease'), ('削減', 'decrease'), ('市債残高の縮減を目指します。', 'decrease'),
     ('目標達成率の向上を目指します。', 'increase'), ('全国平均以上', 'increase')],
)
def test_direction_only(text, direction):
    r = one(text)
    assert (r.value, r.unit, r.status, r.direction) == (None, '', 'ok', direction)


def test_bounds_and_ranges():
    r = one('80％以上')
    assert (r.value, r.unit, r.direction, r.bound) == (D('80'), '%', 'increase', '')
    r = one('100人以下')
    assert (r.value, r.direction) == (D('100'), 'decrease')
    rs = read_cell('いずれも\n40％以上\n60％以下')
    assert [(r.value, r.direction, r.bound) for r in rs] == [(D('40'), 'increase', 'lower'), (D('60'), 'decrease', 'upper')]
    rs = read_cell('40％以上 60％以下')
    assert [r.bound for r in rs] == ['lower', 'upper']


def test_arrow_next_to_a_number():
    r = one('47.1％ ↗')
    assert (r.value, r.direction) == (D('47.1'), 'increase')


def test_calendar_year_marked():
    r = one('107\n（暦年）')
    assert (r.value, r.calendar_year) == (D('107'), True)


def test_unit_hint_only_when_nothing_printed():
    assert one('390', unit_hint='件').unit == '件'
    assert one('390').unit == ''
    assert one('12 回', unit_hint='件').unit == '回'


def test_sentence_with_amounts():
    r = one('・平成２８年度末財政調整基金残\n高は、約１２億７，７００万円を\n確保しました。')
    assert (r.value, r.unit, r.fiscal_year) == (D('1277000000'), '円', 2016)
    rs = read_cell('・補助対象事業費の精査など\n２１事業の見直しにより、１，７\n５４万６千円を縮減しました。')
    assert [(r.value, r.unit) for r in rs] == [(D('21'), '事業'), (D('17546000'), '円')]


@pytest.mark.parametrize('text', ['1,2345人', '12,34件', '06-101', '3~5人', '3万5億円', '(26基)', 'R元'])
def test_unclear_forms_are_unparsed_not_guessed(text):
    r = one(text)
    assert (r.value, r.status) == (None, 'unparsed')
    assert r.detail


@pytest.mark.parametrize('text', ['', '  ', '\n', None])
def test_blank(text):
    assert read_cell(text) == []


@pytest.mark.parametrize('text', ['(((', '\x00', '億万千', '△', '1' * 500, '―\n(R3)', '^', '【', '1.2.3.4', '..,,'])
def test_never_raises(text):
    # read_cell keeps running on a reader bug (the run goes on), but the crash must show: it is a reading
    # of its own kind (``crashed``), which no odd input may produce
    rs = read_cell(text)
    assert all(isinstance(r, Reading) for r in rs)
    assert all(r.status in {'ok', 'not_available', 'qualitative', 'corrected', 'unparsed'} for r in rs)
    assert not any(crashed(r) for r in rs), [r.detail for r in rs]


def test_a_crash_of_the_reader_is_visible(monkeypatch):
    # break the reader once: the cell is kept as unparsed, and the crash is told apart from an unknown form
    def broken(text, unit_hint):
        raise ZeroDivisionError('deliberately broken')

    monkeypatch.setattr(cells, '_read', broken)
    rs = read_cell('12人')
    assert [(r.status, r.value) for r in rs] == [('unparsed', None)]
    assert crashed(rs[0]) and 'ZeroDivisionError' in rs[0].detail


def test_details_say_what_was_dropped():
    assert 'qualifier' in one('12,825千円\n(第3四半期)').detail
    assert '第3四半期' in one('12,825千円\n(第3四半期)').detail
    assert '動画閲覧者' in one('動画閲覧者\n1,779人').detail
    assert '^ア' in one('3箇所 ^ア で実施').detail


def test_line_of_years_over_line_of_values():
    # 企画部長の目標宣言: '（H２７年度） （H２８年度見込）' above '８１．２％ → ８９．９％'
    rs = read_cell('「主な事業」の概ね達成する率\n（H２７年度） （H２８年度見込）\n８１．２％ → ８９．９％')
    assert [(r.value, r.unit, r.fiscal_year) for r in rs] == [(D('81.2'), '%', 2015), (D('89.9'), '%', 2016)]


def test_year_inside_a_qualifier_with_words():
    r = one('前年度末残高：２６９億１千万円（平成２\n７年度末一般会計見込み）')
    assert (r.value, r.unit, r.fiscal_year) == (D('26910000000'), '円', 2015)


def test_heading_before_label_on_the_same_line():
    rs = read_cell('・認定登録数 個人 10名・15団体')
    assert [(r.component, r.value, r.unit) for r in rs] == [('個人', D('10'), '名'), ('団体', D('15'), '団体')]
    rs = read_cell('・公式ホームページサイトの\n総 ペ ー ジ ビ ュ ー 数\n4,238,714件\n・公式フェイスブック\n（いいね）数 398件')
    assert [(r.component, r.value) for r in rs] == [('総ページビュー数', D('4238714')), ('(いいね)数', D('398'))]


@pytest.mark.parametrize(
    'one_line, broken',
    [
        ('現状値の向上', '現状値の向\n上'),
        ('12.8ポイント', '12.8ポイン\nト'),
        ('1日当たり75分', '１日当たり\n75分'),
        ('保育施設24カ所\n児童コミュニティクラブ21カ所', '保育施設24カ所\n児童コミュニティクラ\nブ21カ所'),
        ('男性 84.05歳\n女性 86.06歳', '男性 84.0\n5歳\n女\n性 86.06歳'),
        ('768千トン(H30年度)', '768千ト\nン(H30年\n度)'),
        ('いずれも40%以上60%以下', 'いずれも\n40%以\n上60%以下'),
    ],
)
def test_a_word_wrapped_anywhere_reads_as_on_one_line(one_line, broken):
    # the break of a wrapped cell can fall inside a word, a unit, a label, a number or a year mark
    assert read_cell(broken) == read_cell(one_line)


def test_wrapped_words_keep_their_meaning():
    assert (one('現状値の向\n上').direction, one('現状値の向\n上').status) == ('increase', 'ok')
    assert (one('12.8ポイン\nト').value, one('12.8ポイン\nト').unit) == (D('12.8'), 'ポイント')
    assert [(r.component, r.value) for r in read_cell('保育施設24カ所\n児童コミュニティクラ\nブ21カ所')] == [
        ('保育施設', D('24')), ('児童コミュニティクラブ', D('21'))]
    r = one('１日当たり\n75分')
    assert (r.component, r.value, r.unit) == ('', D('75'), '分') and '1日当たり' in r.detail
