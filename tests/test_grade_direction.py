"""Which way is better: words, numbers, the target row's direction, user overrides."""
from __future__ import annotations

from decimal import Decimal as D

import pytest

from pipeline.grade.direction import decide, decide_direction, find_override, head_of, parse_overrides


# (indicator as printed in the five reports, baseline, target, target row direction, expected, source)
@pytest.mark.parametrize("name, baseline, target, row_dir, expected, source", [
    ("荒廃農地面積", D("4.9"), D("3.4"), "", "decrease", "words"),
    ("野生動物による農作物等の被害額", D("24878000"), D("18136000"), "", "decrease", "words"),
    ("焼却対象量", D("26632"), D("24987"), "", "decrease", "words"),
    ("職員数", D("666"), D("651"), "", "decrease", "words"),
    ("特定空き家の発生数", D("0"), D("0"), "", "decrease", "words"),        # target 0, stays at zero
    ("保育所等待機児童数", D("31"), D("0"), "", "decrease", "words"),
    ("交通事故(人身事故)発生件数", D("263"), D("235"), "", "decrease", "words"),
    ("秦野市の二酸化炭素排出量", D("768000"), D("720000"), "", "decrease", "words"),
    ("市民一人1日当たりのごみの排出量(資源物を除く)", D("608"), D("597"), "", "decrease", "words"),
    ("30 代の転出超過者数(暦年)", D("107"), D("0"), "", "decrease", "words"),
    ("経常収支比率", D("91.3"), D("80"), "", "decrease", "words"),
    ("耕作放棄地面積", D("32"), D("30"), "", "decrease", "words"),
    # donations go up even with a target below an exceptional baseline
    ("寄附金受入額", D("131250000"), D("104000000"), "", "increase", "words"),
    ("4駅の乗降客数の合計(1日平均)", D("123058"), D("123000"), "", "increase", "words"),
    # an amount achieved by cutting: more is better
    ("延べ床面積の削減量", D("0"), D("1875"), "", "increase", "words"),
    # a decrease word that is not the measured quantity
    ("犯罪被害者等のための相談窓口を知っている市民の割合", D("40"), D("50"), "", "increase", "numbers"),
    ("児童虐待防止に係る啓発事業実施回数", D("52"), D("58"), "", "increase", "numbers"),
    ("耕作放棄地の解消面積", D("3"), D("10"), "", "increase", "numbers"),
    # weak words need the numbers to agree
    ("市内の就業看護職員数", D("1400"), D("1600"), "", "increase", "numbers"),
    # numbers alone
    ("DVに関する相談件数", D("347"), D("350"), "", "increase", "numbers"),
    ("子育て世代の転出超過者数", D("243"), D("0"), "", "decrease", "words"),
    ("何かの指標", D("10"), D("8"), "", "decrease", "numbers"),
    ("財政調整基金残高", D("1200000000"), D("1200000000"), "", "increase", "numbers"),
    ("財政調整基金残高", None, D("1000000000"), "", "increase", "default"),
    # the target row's own direction beats words and numbers
    ("出火率", D("3.2"), None, "decrease", "decrease", "target_row"),
    ("女性の有業率と育児をしている女性の有業率の差", D("12.8"), None, "decrease", "decrease", "target_row"),
    ("犯罪被害者等のための相談窓口を知っている市民の割合", None, None, "increase", "increase", "target_row"),
])
def test_decide(name, baseline, target, row_dir, expected, source):
    direction, got_source, why = decide(name, baseline, target, row_dir)
    assert (direction, got_source) == (expected, source), why
    assert ("lower is better" if expected == "decrease" else "higher is better") in why


def test_why_names_the_words():
    assert "'耕作放棄地'" in decide("耕作放棄地面積", D("32"), D("30"))[2]
    why = decide("寄附金受入額", D("131250000"), D("104000000"))[2]
    assert "'寄附'" in why and "below baseline" in why


def test_override_beats_everything():
    assert decide_direction("年間転入者数", D("5344"), D("5500"), "", "decrease")[0] == "decrease"
    assert decide("荒廃農地面積", D("4.9"), D("3.4"), "decrease", "increase")[:2] == ("increase", "override")
    with pytest.raises(ValueError):
        decide("x", None, None, "", "sideways")


def test_head_of():
    assert head_of("野生動物による農作物等の被害額") == "被害額"
    assert head_of("延べ床面積の削減量") == "削減量"
    assert head_of("ボランティア人数(累計)") == "ボランティア人数"


def test_parse_and_find_overrides():
    overrides = parse_overrides([
        {"document": "isehara_sousei_kpi_r4", "indicator_no": 15, "direction": "decrease"},
        {"indicator": "焼却対象量", "direction": "increase"},            # any document
    ])
    assert find_override(overrides, "isehara_sousei_kpi_r4", "15", "年間転入者数") == "decrease"
    assert find_override(overrides, "other_report", "15", "年間転入者数") is None
    assert find_override(overrides, "isehara_plan5_midterm_r2", "31-102", "焼却 対象量") == "increase"
    assert find_override(overrides, "isehara_plan5_midterm_r2", "31-101", "省エネ推進講座等参加人数") is None


@pytest.mark.parametrize("item, message", [
    ({"indicator_no": "1", "direction": "down"}, "increase or decrease"),
    ({"document": "d", "direction": "decrease"}, "indicator_no or indicator"),
    ({"indicator": "x", "direction": "decrease", "dirction": "x"}, "unknown keys"),
    ("焼却対象量", "mapping"),
])
def test_bad_overrides_say_what_is_wrong(item, message):
    with pytest.raises(ValueError, match=message):
        parse_overrides([item])

