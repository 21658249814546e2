"""fix_mistyped_separators: the printed typo 6.077人 among thousands is read as 6077 and marked."""
from decimal import Decimal as D

from pipeline.normalise import Reading, fix_mistyped_separators, read_cell


def row(*texts):
    return [r for t in texts for r in read_cell(t)]


def test_kpi_row_with_mistyped_separator():
    # 市内製造業従業者数: baseline 7,055人, actuals －, 6.077人, 6,240人, target 7,300人
    fixed = fix_mistyped_separators(row('7,055人', '－', '6.077人', '6,240人', '7,300人'))
    values = [(r.value, r.status) for r in fixed]
    assert values == [(D('7055'), 'ok'), (None, 'not_available'), (D('6077'), 'corrected'), (D('6240'), 'ok'),
                      (D('7300'), 'ok')]
    assert '6.077' in fixed[2].detail and fixed[2].unit == '人'


def test_real_decimals_are_left_alone():
    rates = row('1.31', '1.24', '1.11', '1.20', '1.50')
    assert fix_mistyped_separators(rates) == rates
    ages = row('83.125歳', '83.40歳', '84.05歳')
    assert fix_mistyped_separators(ages) == ages
    small = row('5.125t', '7t', '9t')  # neighbours are not in the thousands
    assert fix_mistyped_separators(small) == small
    far = row('6.077t', '70,550t', '62,400t')  # 6077 is not near 62,400..70,550
    assert fix_mistyped_separators(far) == far
    pct = row('6.077%', '7,055%', '6,240%')
    assert fix_mistyped_separators(pct) == pct


def test_a_unit_that_is_not_a_count_is_corrected_from_its_neighbours_only():
    fixed = fix_mistyped_separators(row('7,055世帯', '6.077世帯', '6,240世帯'))
    assert [(r.value, r.status) for r in fixed] == [(D('7055'), 'ok'), (D('6077'), 'corrected'), (D('6240'), 'ok')]
    alone = row('6.077世帯')
    assert fix_mistyped_separators(alone) == alone and alone[0].value == D('6.077')


def test_components_are_checked_separately():
    rs = [Reading(D('7055'), '人', 'ok', component='A'), Reading(D('6.077'), '人', 'ok', component='B'),
          Reading(D('6240'), '人', 'ok', component='A')]
    assert fix_mistyped_separators(rs) == rs


def test_empty_row():
    assert fix_mistyped_separators([]) == []
