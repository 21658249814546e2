"""read_year on the year forms printed in the five reports (headers and cell year marks)."""
import pytest

from pipeline.normalise import YearSpan, read_year


@pytest.mark.parametrize(
    'text, fiscal_year, period_start',
    [
        ('令和2年度', 2020, None),
        ('令和４年度', 2022, None),
        ('令和元年度', 2019, None),
        ('R元', 2019, None),
        ('Ｒ元\n（２０１９）\n現状値', 2019, None),
        ('Ｒ５（２０２３）', 2023, None),
        ('Ｒ７\n（２０２５）\n目標値', 2025, None),
        ('H29', 2017, None),
        ('(H30 年度)', 2018, None),
        ('（H２７年度）', 2015, None),
        ('(平成29年度)', 2017, None),
        ('平成２８年度末', 2016, None),
        ('昭和４６（1971）年', 1971, None),
        ('S50', 1975, None),
        ('目標値〈R9〉', 2027, None),
        ('（R3）', 2021, None),
        ('H29-R3の平均', 2021, 2017),
        ('（H29-R3）', 2021, 2017),
        ('令和２～４年度', 2022, 2020),
        ('2019年', 2019, None),
        ('（2023）', 2023, None),
        ('2018～2022年度', 2022, 2018),
        ('総合戦略延伸時', None, None),
        ('第3四半期', None, None),
        ('全国 63.8%', None, None),
        ('', None, None),
        ('H27年度 H28年度', None, None),  # two different years and no range: not guessed
    ],
)
def test_read_year(text, fiscal_year, period_start):
    span = read_year(text)
    assert (span.fiscal_year, span.period_start) == (fiscal_year, period_start)


def test_calendar_year():
    assert read_year('平均自立期間（日常生活動作が自立している期間の平均・暦年）').calendar_year
    assert read_year('2022年（暦年）') == YearSpan(2022, None, True)
    assert not read_year('令和4年度').calendar_year


def test_letters_inside_words_are_not_eras():
    assert read_year('RPA導入').fiscal_year is None
    assert read_year('SDGs').fiscal_year is None
    assert read_year('ISEHARA CITY 2023').fiscal_year == 2023
