"""Legend: exact, inclusive boundaries; thresholds from params as strings."""
from __future__ import annotations

import doctest
from decimal import Decimal
from fractions import Fraction

import pytest

from pipeline.grade import legend as legend_module
from pipeline.grade.legend import Legend


@pytest.mark.parametrize("rate, expected", [
    (Fraction(3, 2), "A"),
    (Decimal("1"), "A"),                        # exactly 100% is A
    (Decimal("0.9999"), "B"),
    (Fraction(120, 150), "B"),                  # 1.20 / 1.50 is exactly 0.8
    (Decimal("0.8"), "B"),
    (Decimal("0.79999999999999999999999999999999"), "C"),   # beyond Decimal's 28 digits
    (Decimal("0.5"), "C"),                      # exactly 50% is C
    (Fraction(1, 2), "C"),
    (Fraction(499999, 1000000), "D"),
    (Decimal("0"), "D"),
    (Decimal("-0.3"), "D"),
    ("0.80", "B"),
])
def test_default_boundaries(rate, expected):
    assert Legend().grade(rate) == expected


def test_binary_float_is_refused():
    with pytest.raises(TypeError):
        Legend().grade(0.8)


def test_from_params_whole_file_and_block():
    params = {"grading": {"thresholds": {"A": "1.00", "B": "0.80", "C": "0.50"}}}
    assert Legend.from_params(params) == Legend()
    assert Legend.from_params(params["grading"]) == Legend()
    assert Legend.from_params(None) == Legend()


def test_from_params_other_legend_changes_grades():
    legend = Legend.from_params({"thresholds": {"C": "0.6", "A": "0.9", "B": "0.75"}, "below": "E"})
    assert [g for g, _ in legend.thresholds] == ["A", "B", "C"]      # sorted by bound
    assert legend.grade(Decimal("0.9")) == "A"
    assert legend.grade(Decimal("0.59")) == "E"
    assert legend.describe() == "A >=90%, B >=75%, C >=60%, E <60%"


@pytest.mark.parametrize("thresholds, message", [
    ({"A": 1.0, "B": "0.8"}, "string"),          # a YAML float
    ({"A": "1.0", "B": "eighty"}, "not a decimal"),
    ({"A": "0.8", "B": "0.8"}, "strictly decreasing"),
])
def test_from_params_bad_thresholds_have_clear_messages(thresholds, message):
    with pytest.raises(ValueError, match=message):
        Legend.from_params({"grading": {"thresholds": thresholds}})


def test_rank_orders_letters_and_puts_dash_last():
    legend = Legend()
    assert [legend.rank(g) for g in "ABCD"] == [0, 1, 2, 3]
    assert legend.rank("-") > legend.rank("D")


def test_doctests():
    assert doctest.testmod(legend_module).failed == 0


def test_legend_as_printed_by_the_kpi_report():
    printed = {"Ａ": "100％以上", "Ｂ": "80％以上100％未満", "Ｃ": "50％以上80％未満", "Ｄ": "50％未満",
               "―": "現時点で実績値が確定していないもの等"}
    assert Legend.from_printed(printed) == Legend()
    other = Legend.from_printed({"◎": "90%以上", "○": "60%以上90%未満", "△": "60%未満"})
    assert other.grade(Decimal("0.9")) == "◎" and other.grade(Decimal("0.59")) == "△"
    assert Legend.from_printed({}) is None
    assert Legend.from_printed({"A": "達成", "B": "未達成"}) is None
