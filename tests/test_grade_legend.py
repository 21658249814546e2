"""Legend: exact, inclusive boundaries; thresholds from params as strings."""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

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


def test_a_yaml_float_is_read_as_the_decimal_written():
    # `dvc exp run -S grading.thresholds.B=0.7` writes a float; 0.7 as a binary fraction is below 0.7.
    legend = Legend.from_params({"thresholds": {"A": 1.0, "B": 0.7, "C": "0.5"}})
    assert dict(legend.thresholds)["B"] == Decimal("0.7")
    assert legend.grade(Decimal("0.7")) == "B"


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


def test_a_yaml_float_threshold_is_the_decimal_that_was_typed():
    """`dvc exp run -S grading.thresholds.B=0.7` writes 0.7 as a YAML float: read as Decimal('0.7'),
    not the binary 0.6999999999999999555910790149937..."""
    legend = Legend.from_params({"grading": {"thresholds": {"A": 1.0, "B": 0.7, "C": "0.5"}}})
    assert dict(legend.thresholds)["B"] == Decimal("0.7")
    assert legend.grade(Decimal("0.7")) == "B" and legend.grade(Decimal("0.6999")) == "C"


@pytest.mark.parametrize("thresholds, message", [
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



def test_legend_as_printed_by_the_kpi_report():
    printed = {"Ａ": "100％以上", "Ｂ": "80％以上100％未満", "Ｃ": "50％以上80％未満", "Ｄ": "50％未満",
               "―": "現時点で実績値が確定していないもの等"}
    assert Legend.from_printed(printed) == Legend()
    other = Legend.from_printed({"◎": "90%以上", "○": "60%以上90%未満", "△": "60%未満"})
    assert other.grade(Decimal("0.9")) == "◎" and other.grade(Decimal("0.59")) == "△"
    assert Legend.from_printed({}) is None
    assert Legend.from_printed({"A": "達成", "B": "未達成"}) is None


# --- the legend as printed: read from the PDFs we have, and from made-up legends -------------

from pathlib import Path  # noqa: E402

import pdfplumber  # noqa: E402

from pipeline.layouts.common import clean_pages, page_texts, read_legend  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
EDITIONS = ROOT.parent / "shared" / "editions"
DEFAULT_SPEC = "A>=1;B>=4/5;C>=1/2;D;-=none"

# What each document prints (read by eye from the PDFs); None: it prints no legend.
PRINTED_LEGENDS = [
    (ROOT / "raw" / "isehara_sousei_kpi_r4.pdf", DEFAULT_SPEC),          # Ａ：100％以上 … ―：現時点で実績値が確定していない…
    (ROOT / "raw" / "hadano_sousei2_strategy.pdf", None),
    (ROOT / "raw" / "isehara_kikaku_declaration_h28.pdf", None),
    (ROOT / "raw" / "isehara_plan5_midterm_r2.pdf", None),
    (ROOT / "raw" / "isehara_plan6_overview.pdf", None),               # 凡例 of a land-use map only
    (EDITIONS / "atsugi_sousei_kpi_r5.pdf", "◎>=1;○>=4/5;△>=1/2;×;―=none"),
    (EDITIONS / "ebina_sousei_sheet_r4.pdf", DEFAULT_SPEC),              # Ａ：100％以上（順調）… －：実績値なし
    (EDITIONS / "hiratsuka_plan_seika_r4.pdf", None),
]


def printed_legend_of(path: Path) -> Legend | None:
    with pdfplumber.open(path) as pdf:
        text = "\n".join(page_texts(clean_pages(pdf)))
    return Legend.from_printed(read_legend(text))


@pytest.mark.parametrize("path, spec", PRINTED_LEGENDS, ids=[p.stem for p, _ in PRINTED_LEGENDS])
def test_legend_printed_in_each_document(path, spec):
    if not path.exists():
        pytest.skip(f"{path} is not in this checkout")
    legend = printed_legend_of(path)
    assert (legend.spec() if legend else None) == spec


def test_atsugi_legend_grades_with_its_own_labels():
    legend = printed_legend_of(EDITIONS / "atsugi_sousei_kpi_r5.pdf")
    assert legend.grade(Fraction(19999, 25000)) == "△"       # 0.79996: just under 80%
    assert legend.grade(Fraction(4, 5)) == "○"
    assert legend.grade(Fraction(1730, 4000)) == "×"
    assert legend.label("―") == legend.label("-") == "―"


@pytest.mark.parametrize("text, spec, checks", [
    # S–C with words after each rule
    ("Ｓ：120％以上（大きく上回る） Ａ：100％以上120％未満（順調） Ｂ：70％以上100％未満 Ｃ：70％未満 ―：実績なし",
     "S>=6/5;A>=1;B>=7/10;C;―=none".replace("―", "-"),
     [(Fraction(6, 5), "S"), (Fraction(119, 100), "A"), (Fraction(7, 10), "B"), (Fraction(69, 100), "C")]),
    # symbols, other thresholds, a strict bound, a rule in 割
    ("【評価】 ◎：達成率100％超 ○：8割以上 △：達成率 60％以上 ×：60％未満 ―：実績値なし",
     "◎>1;○>=4/5;△>=3/5;×;―=none",
     [(Fraction(1), "○"), (Fraction(100001, 100000), "◎"), (Fraction(3, 5), "△"), (Fraction(599, 1000), "×")]),
    # one item per line, rules with 以下, no 'no actual' label printed (the default's is kept)
    ("評価基準\nＡ：90%以上\nＢ：50%以上90%未満\nＣ：50%以下",
     "A>=9/10;B>=1/2;C;-=none",
     [(Fraction(9, 10), "A"), (Fraction(1, 2), "B"), (Fraction(49, 100), "C")]),
    # a legend printed as a table (mark and rule in two cells), the last label described in words
    ("評価 Ａ 100％以上 Ｂ 90％以上 Ｃ 75％以上 Ｄ 75％未満",
     "A>=1;B>=9/10;C>=3/4;D;-=none",
     [(Fraction(9, 10), "B"), (Fraction(74, 100), "D")]),
    ("Ａ：100％以上 Ｂ：90％以上 Ｃ：上記以外 －：未実施のため実績なし",
     "A>=1;B>=9/10;C;-=none",
     [(Fraction(9, 10), "B"), (Fraction(89, 100), "C")]),
    # equals signs, a decimal bound
    ("Ａ＝100％以上、Ｂ＝62.5％以上、Ｃ＝62.5％未満",
     "A>=1;B>=5/8;C;-=none",
     [(Fraction(5, 8), "B"), (Fraction(62, 100), "C")]),
])
def test_made_up_printed_legends(text, spec, checks):
    legend = Legend.from_printed(read_legend(text))
    assert legend.spec() == spec
    for rate, label in checks:
        assert legend.grade(rate) == label


@pytest.mark.parametrize("text", [
    "担当課：商工課 単位：件",                       # colons, but no grade marks
    "Ａ：達成 Ｂ：未達成",                             # marks without rates
    "Ａ：100％以上 Ｂ：80％以上",                       # no label for the rest
])
def test_text_that_is_no_legend(text):
    assert Legend.from_printed(read_legend(text)) is None


def test_spec_and_strict_bound():
    legend = Legend.from_printed({"A": "100%超", "B": "100%以上", "C": "100%未満"})
    assert legend.spec() == "A>1;B>=1;C;-=none"
    assert [legend.grade(r) for r in (Fraction(101, 100), Fraction(1), Fraction(99, 100))] == ["A", "B", "C"]
