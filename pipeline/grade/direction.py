"""Is lower or higher better for an indicator? A property of the indicator, with its reason.

In:  the indicator's printed name, its baseline and numeric target (Decimal or None), the
     target row's ``direction`` ('increase' / 'decrease' / ''), and a user's override (or None).
Out: ``(direction, source, why)`` from ``decide``; ``decide_direction`` returns ``(direction, why)``.
     ``direction`` is 'increase' or 'decrease'; ``source`` one of
     override / target_row / words / numbers / default; ``why`` is a short English phrase.

Order of evidence, first that speaks wins:

1. an override from params (``grading.direction_overrides``), per document and indicator;
2. the target row's own direction (↗/↘, 現状値の向上/低下, 縮減, 以上 ...);
3. words in the head of the name (the measured quantity after the last particle, see
   ``head_of``). ``INCREASE_WORDS`` name things a city wants more of even when the
   target is set below an exceptional baseline (寄附 donations, passenger counts ...) and
   amounts *achieved* by cutting (削減量, 縮減額: more cut is better). ``DECREASE_WORDS``
   name things that should go down (damages, accidents, crime, emissions, incineration,
   waiting lists, abandoned farmland, vacant houses, net out-migration, ...). A decrease
   word directly followed by fighting it (虐待防止, 事故対策, 空き家解消, ...) does not count.
   ``WEAK_DECREASE_WORDS`` (staff numbers, costs, ratios of spending) count only when the
   target is not above the baseline (nurses employed 就業看護職員数 should go up);
4. numbers: a target below the baseline means lower is better;
5. otherwise higher is better.

>>> decide("野生動物による農作物等の被害額", Decimal("24878000"), Decimal("18136000"), "")
('decrease', 'words', "lower is better (words: '被害')")
>>> decide("寄附金受入額", Decimal("131250000"), Decimal("104000000"), "")[:2]
('increase', 'words')
>>> decide("延べ床面積の削減量", Decimal("0"), Decimal("1875"), "")[:2]
('increase', 'words')
>>> decide("刑法犯認知件数", Decimal("296"), Decimal("250"), "")[:2]
('decrease', 'words')
>>> decide("転入超過数(転入者数から転出者数を差し引いた数)", Decimal("1021"), Decimal("1000"), "")[:2]
('increase', 'words')
>>> decide("フォロー教室利用の延べ人数", Decimal("162"), Decimal("176"), "")[:2]
('increase', 'numbers')
>>> decide("犯罪被害者等のための相談窓口を知っている市民の割合", Decimal("40"), Decimal("50"), "")[:2]
('increase', 'numbers')
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from decimal import Decimal
from typing import Any, Iterable, Mapping

import regex

from ..normalise.text import folded

INCREASE = "increase"
DECREASE = "decrease"
DIRECTIONS = (INCREASE, DECREASE)

# Things meant to go up even when a target is printed below the baseline.
INCREASE_WORDS: tuple[str, ...] = (
    "寄附", "寄付", "ふるさと納税", "乗降客", "乗降者", "利用者数", "参加者数",
    "入込", "観光客", "立地", "水位", "徴収率", "転入超過", "社会増",
)
# An amount achieved by cutting something: more is better (延べ床面積の削減量, 縮減額).
INCREASE_PATTERNS: tuple[str, ...] = (
    r"(?:削減|縮減|低減|減少|減量)(?:量|額|率|数|件数|面積)",
)
# Things meant to go down.
DECREASE_WORDS: tuple[str, ...] = (
    "被害", "損害", "事故", "犯罪", "刑法犯", "火災", "出火", "死者", "死亡", "負傷",
    "排出量", "二酸化炭素", "温室効果ガス", "CO2", "焼却", "ごみの量", "ごみ量",
    "待機児童", "待機者", "耕作放棄地", "荒廃", "遊休農地", "空き家", "空家",
    "発生数", "発生件数", "転出超過", "不登校", "滞納", "未利用", "削減", "縮減", "低減", "低下",
)
# Count for 'decrease' only if the target is not above the baseline.
WEAK_DECREASE_WORDS: tuple[str, ...] = (
    "職員数", "経常収支比率", "公債費", "市債残高", "借入", "経費", "コスト", "認定率",
)
# A decrease word directly followed by one of these is about fighting it: no evidence.
BLOCKERS = r"(?:防止|対策|対応|ゼロ|啓発|相談|講習|訓練|教室|解消|の解消)"
# Japanese names are head-final: the measured quantity is the part after the last particle
# (野生動物による農作物等の被害額 -> 被害額; 犯罪被害者等のための相談窓口を知っている市民の割合
# -> 割合; 耕作放棄地の解消面積 -> 解消面積). Words are looked for in that head only.
PARTICLES = r"(?:による|における|に係る|に関する|に対する|のための|ための|の|を|が|へ|で|に|と)"


def _normalise(text: str) -> str:
    return folded(text)


def head_of(indicator: str) -> str:
    """The measured head of an indicator name: after the last particle, trailing (...) dropped.

    >>> head_of("野生動物による農作物等の被害額")
    '被害額'
    >>> head_of("市民一人1日当たりのごみの排出量(資源物を除く)")
    '排出量'
    >>> head_of("交通事故(人身事故)発生件数")
    '交通事故(人身事故)発生件数'
    """
    text = _normalise(indicator)
    while True:
        stripped = regex.sub(r"[(（][^()（）]*[)）]$", "", text)
        if stripped == text or not stripped:
            break
        text = stripped
    parts = [p for p in regex.split(PARTICLES, text) if p]
    return parts[-1] if parts else text


@lru_cache(maxsize=None)
def _patterns(words: tuple[str, ...], blockers: bool) -> tuple[tuple[str, Any], ...]:
    """Each word normalised, with its compiled pattern (made once per word list, not per indicator)."""
    suffix = f"(?!{BLOCKERS})" if blockers else ""
    return tuple((w, regex.compile(regex.escape(w) + suffix)) for w in map(_normalise, words))


def _find(words: tuple[str, ...], text: str, blockers: bool) -> list[str]:
    return [w for w, pattern in _patterns(words, blockers) if pattern.search(text)]


def words_in(indicator: str) -> tuple[list[str], list[str], list[str]]:
    """(increase words, decrease words, weak decrease words) in the head of an indicator name;
    increase words anywhere in the name when the head has no telling word.

    >>> words_in("延べ床面積の削減量")
    (['削減量'], [], [])
    >>> words_in("児童虐待防止に係る啓発事業実施回数")
    ([], [], [])
    >>> words_in("交通事故(人身事故)発生件数")
    ([], ['事故', '発生件数'], [])
    >>> words_in("耕作放棄地の解消面積")
    ([], [], [])
    """
    text = head_of(indicator)
    up = _find(INCREASE_WORDS, text, blockers=False)
    for pattern in INCREASE_PATTERNS:
        for m in regex.finditer(pattern, text):
            up.append(m.group(0))
        text = regex.sub(pattern, "□", text)   # an achieved cut is not a decrease word
    down = _find(DECREASE_WORDS, text, blockers=True)
    weak = _find(WEAK_DECREASE_WORDS, text, blockers=True)
    if not up and not down:   # 4駅の乗降客数の合計: the head (合計) is generic, look at the whole name
        up = _find(INCREASE_WORDS, _normalise(indicator), blockers=False)
    return up, down, weak


def _num(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")


def decide(indicator: str, baseline: Decimal | None, target: Decimal | None,
           target_direction: str = "", override: str | None = None) -> tuple[str, str, str]:
    """``(direction, source, why)`` for one indicator; see the module docstring for the order."""
    if override:
        if override not in DIRECTIONS:
            raise ValueError(f"direction override must be one of {DIRECTIONS}, got {override!r}")
        better = "lower" if override == DECREASE else "higher"
        return override, "override", f"{better} is better (override from params)"
    if target_direction in DIRECTIONS:
        better = "lower" if target_direction == DECREASE else "higher"
        return target_direction, "target_row", f"{better} is better (the target is printed as a direction)"

    below = baseline is not None and target is not None and target < baseline
    above = baseline is not None and target is not None and target > baseline
    numbers = (f"target {_num(target)} below baseline {_num(baseline)}" if below else
               f"target {_num(target)} above baseline {_num(baseline)}" if above else
               f"target {_num(target)} equal to baseline" if baseline is not None and target is not None else "")
    up, down, weak = words_in(indicator)
    quoted = lambda ws: ", ".join(f"'{w}'" for w in ws)  # noqa: E731
    if up:
        extra = f"; {numbers} read as a set-back, not a decrease" if below else ""
        return INCREASE, "words", f"higher is better (words: {quoted(up)}){extra}"
    if down:
        extra = f"; although {numbers}" if above else ""
        return DECREASE, "words", f"lower is better (words: {quoted(down)}){extra}"
    if weak and not above:
        return DECREASE, "words", f"lower is better (words: {quoted(weak)}" + (f", {numbers})" if numbers else ")")
    if below:
        return DECREASE, "numbers", f"lower is better ({numbers})"
    if weak:
        return INCREASE, "numbers", f"higher is better ({numbers}, despite words {quoted(weak)})"
    if numbers:
        return INCREASE, "numbers", f"higher is better ({numbers})"
    return INCREASE, "default", "higher is better (default: no baseline to compare, no telling words)"


def decide_direction(indicator: str, baseline: Decimal | None, target: Decimal | None,
                     target_direction: str = "", override: str | None = None) -> tuple[str, str]:
    """``(direction, why)``; the suggested API (``decide`` also returns the source)."""
    direction, _, why = decide(indicator, baseline, target, target_direction, override)
    return direction, why


# --- overrides from params ---------------------------------------------------------------

@dataclass(frozen=True)
class DirectionOverride:
    """One user override: which indicator (document optional) goes which way."""

    direction: str
    document: str = ""        # '' = any document
    indicator_no: str = ""
    indicator: str = ""

    def matches(self, document: str, indicator_no: str, indicator: str) -> bool:
        if self.document and self.document != document:
            return False
        if self.indicator_no and _normalise(self.indicator_no) != _normalise(indicator_no):
            return False
        if self.indicator and _normalise(self.indicator) != _normalise(indicator):
            return False
        return True


def parse_overrides(items: Iterable[Mapping[str, Any]] | None) -> tuple[DirectionOverride, ...]:
    """Read ``grading.direction_overrides`` (a list of mappings); bad entries raise a clear ValueError.

    >>> parse_overrides([{"document": "d", "indicator_no": 15, "direction": "decrease"}])
    (DirectionOverride(direction='decrease', document='d', indicator_no='15', indicator=''),)
    """
    out = []
    for i, item in enumerate(items or []):
        if isinstance(item, DirectionOverride):
            out.append(item)
            continue
        if not isinstance(item, Mapping):
            raise ValueError(f"grading.direction_overrides[{i}]: expected a mapping, got {item!r}")
        unknown = set(item) - {"document", "indicator_no", "indicator", "direction"}
        if unknown:
            raise ValueError(f"grading.direction_overrides[{i}]: unknown keys {sorted(unknown)}")
        direction = str(item.get("direction", "")).strip()
        if direction not in DIRECTIONS:
            raise ValueError(f"grading.direction_overrides[{i}]: direction must be increase or decrease, "
                             f"got {item.get('direction')!r}")
        no = "" if item.get("indicator_no") is None else str(item["indicator_no"]).strip()
        name = str(item.get("indicator") or "").strip()
        if not no and not name:
            raise ValueError(f"grading.direction_overrides[{i}]: give indicator_no or indicator")
        out.append(DirectionOverride(direction, str(item.get("document") or "").strip(), no, name))
    return tuple(out)


def overrides_from_params(params: Mapping[str, Any] | None) -> tuple[DirectionOverride, ...]:
    """The overrides of a whole ``params.yaml`` mapping or of its ``grading`` block."""
    params = dict(params or {})
    if "grading" in params:
        params = dict(params["grading"] or {})
    return parse_overrides(params.get("direction_overrides"))


def find_override(overrides: Iterable[DirectionOverride], document: str, indicator_no: str,
                  indicator: str) -> str | None:
    """The direction of the last matching override (later entries win), else None."""
    found = None
    for o in overrides:
        if o.matches(document, indicator_no, indicator):
            found = o.direction
    return found
