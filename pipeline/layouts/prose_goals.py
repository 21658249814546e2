"""Goals and results written as prose: the sentences of one declaration row in, paired quantities out.

In: the printed text of a row's goal cell (取組内容 + ``[目標値]`` section), its achieved-state cell
(目標達成状況) and its initiative name (取組名（担当課名）). Out: ``Entry`` objects, one per value the
row states — indicator, measure, component, the phrase holding the number (e.g. ``約１２億７，７００万円``,
read later by ``pipeline.normalise.read_cell``) and the year words it names.

The pairing follows the text's own structure, never row positions:
- the goal is what follows the ``[目標値]`` mark; each bullet (``・``) is one goal item;
- a quantity is a number with a unit, outside parentheses, that is not a year or an ordinal;
  the noun phrase before it (back to ``、`` / ``。`` / ``：``) names it;
- a goal quantity whose name says it is a starting point (前年度末, 現状, 基準, 当初) or whose own year
  precedes the report's is a baseline, every other one a target;
- a goal item with no quantity but a direction word (向上, 縮減, …) is a target given as a direction and
  the noun before ``の<direction>`` names the indicator; a goal with neither is qualitative and the
  initiative's own name names it;
- each result quantity is paired with the goal quantity of the same unit whose name it repeats
  (the result sentence contains the goal's noun phrase, or half of it), or, when the two are the only
  ones of their unit in the row, shares a word of three characters or more with it; never by order:
  a result that names no goal of a row with numeric goals is marked ``unpaired`` (reported, not read);
- a result printed as a series (a name line, a line of years, a line of values ``81.2% → 89.9%``)
  names its indicator itself and gives one value per year;
- a result that states a change (``…円を縮減しました``) is a component ``縮減額`` of the indicator, and a
  count of actions (``21事業の見直しにより``) a component ``見直し事業数``;
- one goal item with several quantities (``認定登録数 個人 10名・15団体``) has components: the word
  before each number, else the label of the result quantity with the same unit (``団体：15団体``).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import regex

from ..normalise.amounts import NUMBER
from ..normalise.directions import word_direction
from ..normalise.eras import ERA_AT_END, PRINTED_ERA_YEAR, is_year_only, read_year
from ..normalise.text import squash as no_space
from ..normalise.text import to_ascii
from ..normalise.units import read_unit
from .base import compiled

GOAL_MARK = regex.compile(r"[\[［【〈<＜]\s*目\s*標\s*値?\s*[\]］】〉>＞]")
BULLET = "・○●◆◇■□"
# Units that make a number a date or an ordinal, not a quantity.
DATE_UNITS = {"年", "年度", "月", "日", "年生", "か月", "ヶ月", "週", "次", "期"}
BASELINE_WORDS = regex.compile(r"前年度末|前年度|現状|基準|当初|策定時")
DIRECTION_WORDS = r"向上|増加|上昇|拡大|低下|減少|縮減|削減|抑制"
DIRECTION_NOUN = regex.compile(rf"([^、。，,：:\s]+?)の(?:{DIRECTION_WORDS})")
CHANGE_VERB = regex.compile(r"^\s*を?\s*(縮減|削減|減額|圧縮|増額|増加|減少)(?:し|する|され)")
ACTION_COUNT = regex.compile(r"^\s*の\s*([\p{Han}\p{Katakana}ー]+[しきりい]?)\s*(?:により|によって|による)")
LINE_LABEL = regex.compile(r"^\s*([^\s：:、。]{1,12})\s*[：:]\s*$")
SEPARATORS = " \t\u3000：:、，,・はをが\n"


def squash(text: str) -> str:
    """NFKC-normalised text without white space: the form labels are compared in."""
    return no_space(to_ascii(text or ""))


@dataclass
class Quantity:
    phrase: str            # the printed words holding the number, line breaks removed ('約１２億７，７００万円')
    unit: str
    label: str             # the noun phrase naming it, as printed (line breaks removed)
    line_label: str = ""   # a 'label：value' word printed on the value's own line ('個人')
    context: str = ""      # the clause around it (for matching a goal's name)
    after: str = ""        # the words after it up to the end of its sentence
    year_text: str = ""    # year words printed for this quantity alone ('平成２７年度末一般会計見込み')
    start: int = 0


@dataclass
class Entry:
    """One value a row states, ready to become a ``CellRecord``."""

    indicator: str
    measure: str           # baseline | target | actual
    text: str              # the phrase read_cell reads (a number phrase, a direction phrase or prose)
    year_text: str
    component: str = ""
    source: str = ""       # 'goal' or 'result': which cell it came from (for page and bbox)
    unpaired: bool = False  # a result no goal of the row is named in: reported, never read as a value


@dataclass
class Series:
    label: str
    values: list[tuple[str, Quantity]] = field(default_factory=list)   # (year words, quantity)


# ---------------------------------------------------------------------------------------- text pieces

def goal_section(text: str) -> str:
    """What follows the ``[目標値]`` mark (the whole cell when there is none).

    >>> goal_section("・内容です。\\n[目標値]\\n・認定登録数 10名")
    '・認定登録数 10名'
    """
    m = GOAL_MARK.search(text or "")
    return text[m.end():].strip() if m else (text or "").strip()


def items(text: str) -> list[str]:
    """Bullet items of a prose cell; a line without a bullet continues the item before it.
    The line breaks inside an item are kept ('label：value' lines depend on them).

    >>> items("・新聞社等への情報提供数 500件\\n・日刊紙への記事\\n掲載件数 900件")
    ['新聞社等への情報提供数 500件', '日刊紙への記事\\n掲載件数 900件']
    """
    out: list[list[str]] = []
    for line in (text or "").splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if stripped[0] in BULLET or not out:
            out.append([stripped.lstrip(BULLET).strip()])
        else:
            out[-1].append(stripped)
    return ["\n".join(lines) for lines in out if any(lines)]


def flat(text: str) -> str:
    """Lines joined with nothing between them (prose wraps inside words)."""
    return "".join(line.strip() for line in text.splitlines())


def _ascii_map(text: str) -> tuple[str, list[int]]:
    """ASCII form of ``text`` with its line breaks removed, and for each character its index in ``text``."""
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        if ch in "\r\n":
            continue
        for a in to_ascii(ch):
            out.append(a)
            index.append(i)
    index.append(len(text))
    return "".join(out), index


def _paren_spans(s: str) -> list[tuple[int, int]]:
    spans, depth, start = [], 0, 0
    for i, ch in enumerate(s):
        if ch in "(（":
            if depth == 0:
                start = i
            depth += 1
        elif ch in ")）" and depth:
            depth -= 1
            if depth == 0:
                spans.append((start, i + 1))
    return spans


def _clause_start(text: str, end: int) -> int:
    """Start of the clause ending at ``end``: after the last 。 before it."""
    return max(text.rfind("。", 0, end) + 1, 0)


def clean_label(text: str) -> str:
    """A noun phrase as printed: line breaks removed, leading bullets and trailing particles dropped.

    >>> clean_label("財政調整基金残高、")
    '財政調整基金残高'
    >>> clean_label("寄附金の増収を目指します。返礼品制度導入による寄附増収額\\n：")
    '返礼品制度導入による寄附増収額'
    """
    s = flat(text).strip(SEPARATORS + BULLET)
    s = s.rstrip("約").strip(SEPARATORS)
    s = s[s.rfind("。") + 1:]
    s = s[max(s.rfind("、"), s.rfind("，")) + 1:]
    return s.strip(SEPARATORS + BULLET)


# ---------------------------------------------------------------------------------------- quantities

NAME_AFTER = regex.compile(r"^\s*の\s*([^、。，,\s]+?)\s*(?:を|が|は|に|と|。|$)")


def name_after(words: str) -> str:
    """The name printed after a quantity that comes first ('1,220件の健康相談の件数を目指します').

    >>> name_after("の健康相談の件数を目指します"), name_after("を確保します"), name_after("")
    ('健康相談の件数', '', '')
    """
    m = NAME_AFTER.match(words or "")
    return m.group(1) if m else ""

def quantities(text: str) -> list[Quantity]:
    """Numbers with units in a prose item, each with the words that name it.

    >>> [(q.phrase, q.unit, q.label) for q in quantities("財政調整基金残高、10 億円を確保します。（標準財政規模の概ね 5%）")]
    [('10 億円', '円', '財政調整基金残高')]
    >>> [(q.phrase, q.line_label) for q in quantities("認定登録数\\n個人：10名\\n団体：15団体")]
    [('10名', '個人'), ('15団体', '団体')]
    >>> [(q.phrase, q.year_text) for q in quantities("前年度末残高：２６９億１千万円（平成２\\n７年度末一般会計見込み）")]
    [('２６９億１千万円', '平成２７年度末一般会計見込み')]
    >>> quantities("報告書は 29年度初旬に公表します。第 5次計画")
    []
    """
    s, index = _ascii_map(text)
    parens = _paren_spans(s)
    found: list[Quantity] = []
    prev_end = 0
    for m in NUMBER.finditer(s):
        start, end = m.start(), m.end()
        if any(a <= start < b for a, b in parens):
            continue
        unit, uend = read_unit(s, end)
        if not unit or unit in DATE_UNITS or s[uend:uend + 1] == "度":
            continue
        before = s[:start].rstrip()
        if ERA_AT_END.search(before) or before.endswith("第"):
            continue
        o_start = index[start]
        before_number = text[:o_start].rstrip(" \t\u3000\r\n")
        if before_number.endswith("約"):
            o_start = len(before_number) - 1
        bound = compiled(r"[ \t]*(?:以上|以下|未満|超)").match(s[uend:])
        if bound:
            uend += bound.end()
        o_end = index[uend - 1] + 1 if uend > 0 else index[uend]
        phrase = flat(text[o_start:o_end])
        gap = text[prev_end:o_start]
        line_label = ""
        lines = gap.split("\n")
        if len(lines) > 1 or prev_end == 0:
            m_line = LINE_LABEL.match(lines[-1])
            if m_line:
                line_label = m_line.group(1)
                gap = "\n".join(lines[:-1])
        label = clean_label(gap)
        clause = text[_clause_start(text, o_start):o_start]
        sentence_end = text.find("。", o_end)
        after = flat(text[o_end:sentence_end if sentence_end >= 0 else len(text)])
        if not label and not line_label:
            label = name_after(after)
        year_text = ""
        paren = next(((a, b) for a, b in parens if s[uend:a].strip() == "" and a >= uend), None)
        if paren:
            inner = flat(text[index[paren[0]] + 1:index[paren[1] - 1]])
            if read_year(inner).fiscal_year is not None:
                year_text = inner
        found.append(Quantity(phrase=phrase, unit=unit, label=label, line_label=line_label,
                              context=flat(clause), after=after, year_text=year_text, start=o_start))
        prev_end = o_end
    return found


# ---------------------------------------------------------------------------------------- series

_YEAR_TOKEN = regex.compile(r"[(（][^()（）]*[)）]|[^\s()（）]+")


def split_years(line: str) -> tuple[str, list[str], str] | None:
    """A line holding a run of two or more year marks: (the words before them, the years, the words after).

    The years may stand on a line of their own or follow the series' name (era-year annotations after a
    name are years for the values, not part of the name), and the values may follow them on the same line.

    >>> split_years("（H２７年度） （H２８年度見込）")
    ('', ['H２７年度', 'H２８年度見込'], '')
    >>> split_years("「主な事業」の概ね達成する率(H28年度)(H29年度見込)")
    ('「主な事業」の概ね達成する率', ['H28年度', 'H29年度見込'], '')
    >>> split_years("達成率 平成27年度 平成28年度 81.2% → 89.9%")
    ('達成率', ['平成27年度', '平成28年度'], '81.2% → 89.9%')
    >>> split_years("平成27年度の実績は") is None
    True
    """
    tokens = [(m.start(), m.end(), m.group(0)) for m in _YEAR_TOKEN.finditer(line)
              if m.group(0).strip("→～~ー-")]
    is_year = [is_year_only(to_ascii(t)) for _, _, t in tokens]
    for k in range(len(tokens)):
        run = k
        while run < len(tokens) and is_year[run]:
            run += 1
        if run - k >= 2:
            head, tail = line[:tokens[k][0]].strip(), line[tokens[run - 1][1]:].strip()
            return head, [t.strip("()（）") for _, _, t in tokens[k:run]], tail
    return None


def find_series(text: str) -> tuple[Series | None, str]:
    """A result printed as a name, a run of years and a line of values; and the text without it.

    >>> series, rest = find_series("・向上する見込みです。\\n「主な事業」の概ね達成する率\\n（H２７年度） （H２８年度見込）\\n８１．２％ → ８９．９％")
    >>> series.label, [(y, q.phrase) for y, q in series.values], rest
    ('「主な事業」の概ね達成する率', [('H２７年度', '８１．２％'), ('H２８年度見込', '８９．９％')], '・向上する見込みです。')
    >>> series, rest = find_series("・向上しました。\\n「主な事業」の概ね達成する率(H28年度)(H29年度見込)\\n81.2% → 89.9%")
    >>> series.label, [(y, q.phrase) for y, q in series.values]
    ('「主な事業」の概ね達成する率', [('H28年度', '81.2%'), ('H29年度見込', '89.9%')])
    """
    lines = (text or "").splitlines()
    for i, line in enumerate(lines):
        found = split_years(line)
        if not found:
            continue
        head, years, tail = found
        values, last = quantities(tail), i
        if not tail and i + 1 < len(lines):
            values, last = quantities(lines[i + 1]), i + 1
        if len(values) != len(years):
            continue
        j = i
        while j > 0 and lines[j - 1].strip() and not lines[j - 1].rstrip().endswith("。") \
                and lines[j].strip()[0] not in BULLET:
            j -= 1
        label = clean_label("\n".join(lines[j:i] + [head]))
        if not label:
            continue
        rest = "\n".join(lines[:j] + lines[last + 1:])
        return Series(label, list(zip(years, values))), rest
    return None, text


# ---------------------------------------------------------------------------------------- names

def initiative_name(text: str) -> tuple[str, str, str]:
    """(name, parent heading, department) from a 取組名（担当課名） cell.

    >>> initiative_name("財政健全化の推進\\n（３）補助金の見直し\\n（財政課）")
    ('補助金の見直し', '財政健全化の推進', '財政課')
    >>> initiative_name("第５次総合計画前期基本計\\n画・施策評価の実施\\n（経営企画課）")
    ('第５次総合計画前期基本計画・施策評価の実施', '', '経営企画課')
    """
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    department = ""
    if lines and compiled(r"[(（][^()（）]+[)）]").fullmatch(lines[-1]):
        department = lines.pop()[1:-1].strip()
    parent = ""
    for k, line in enumerate(lines):
        m = compiled(r"^[(（][0-9０-９]+[)）]\s*").match(line)
        if m and k > 0:
            parent = flat("\n".join(lines[:k]))
            lines = [line[m.end():]] + lines[k + 1:]
            break
    return flat("\n".join(lines)), parent, department


def _direction_sentence(item: str) -> str:
    """The first sentence of a goal item that states a direction and no quantity ('' if none).

    >>> _direction_sentence("前年度末に対して、市債残高の縮減を目\\n指します。\\n前年度末残高：２６９億円")
    '前年度末に対して、市債残高の縮減を目指します。'
    """
    for sentence in compiled(r"[^。]+。?").findall(flat(item)):
        if word_direction(sentence) and not quantities(sentence):
            return sentence
    return ""


def _direction_noun(item: str) -> str:
    m = None
    for m in DIRECTION_NOUN.finditer(flat(item)):
        pass
    return m.group(1).strip(SEPARATORS) if m else ""


def _split_component(label: str, words: set[str]) -> tuple[str, str]:
    """'認定登録数 個人' -> ('認定登録数', '個人'): the trailing word is a component label printed in the
    result (``words``) or, failing that, the last of several space-separated words."""
    flat_label = label.strip()
    for word in sorted(words, key=len, reverse=True):
        if word and flat_label.endswith(word) and len(flat_label) > len(word):
            return flat_label[:-len(word)].strip(SEPARATORS), word
    parts = flat_label.rsplit(None, 1)
    if len(parts) == 2:
        return parts[0].strip(SEPARATORS), parts[1]
    return flat_label, ""


def _common_substring(a: str, b: str) -> int:
    best = 0
    for i in range(len(a)):
        for j in range(i + best + 1, len(a) + 1):
            if a[i:j] in b:
                best = j - i
            else:
                break
    return best


def _match_score(goal: Quantity, result: Quantity) -> float:
    """How surely a result speaks of a goal's quantity: 2 when one names the other, else the share of the
    goal's name (or, for a goal printed before its name, of its sentence's words) that the result's
    sentence repeats.

    >>> g = Quantity("20回", "回", "市民講座の開催回数")
    >>> _match_score(g, Quantity("25回", "回", "", context="市民講座は、", after="開催しました"))
    0.4444444444444444
    >>> _match_score(g, Quantity("12回", "回", "", context="相談会を", after="開催しました"))
    0.2222222222222222
    >>> _match_score(g, Quantity("25回", "回", "市民講座の開催回数", context="市民講座の開催回数は"))
    2.0
    """
    name = squash(goal.label) or compiled(r"[0-9,.]+").sub("", squash(goal.context + goal.after))
    where = squash(result.context + result.label + result.after)
    if not name:
        return 0.0
    if name in where or (squash(result.label) and squash(result.label) in name):
        return 2.0
    return _common_substring(name, where) / len(name)


def _change_component(q: Quantity) -> str:
    m = CHANGE_VERB.match(q.after)
    if m:
        return m.group(1) + ("額" if q.unit == "円" else "数")
    m = ACTION_COUNT.match(q.after)
    if m and q.unit != "円":
        return m.group(1) + q.unit + "数"
    return ""


# ---------------------------------------------------------------------------------------- the row

@dataclass
class Goals:
    """What a row's [目標値] section asks for."""

    targets: list[tuple[Quantity, str, str]] = field(default_factory=list)   # (quantity, indicator, component)
    baselines: list[Quantity] = field(default_factory=list)
    directions: list[tuple[str, str]] = field(default_factory=list)          # (sentence, noun before の<direction>)


def read_goals(goal_items: list[str], component_words: set[str], report_year: str) -> Goals:
    """Targets, baselines and direction sentences of the goal items (rules in the module docstring)."""
    goals = Goals()
    year = read_year(report_year).fiscal_year if report_year else None
    for item in goal_items:
        own_targets = []
        for q in quantities(item):
            own_year = read_year(q.year_text).fiscal_year if q.year_text else None
            past = own_year is not None and year is not None and own_year < year
            if BASELINE_WORDS.search(q.label + q.line_label) or past:
                goals.baselines.append(q)
            else:
                own_targets.append(q)
        if len(own_targets) == 1:   # one quantity: its name, or the 'name：' word before it
            goals.targets.append((own_targets[0], own_targets[0].label or own_targets[0].line_label, ""))
        elif own_targets:
            common, first = _split_component(own_targets[0].label, component_words)
            for k, q in enumerate(own_targets):
                # a later quantity of the item: its own word is its component ('個人 10名・団体 15団体')
                component = first if k == 0 else (_split_component(q.label, component_words)[1] or
                                                   q.label.strip(SEPARATORS) if q.label else "")
                goals.targets.append((q, common, component))
        sentence = "" if own_targets else _direction_sentence(item)
        if sentence:
            goals.directions.append((sentence, _direction_noun(sentence)))
    return goals


def pair(targets: list[Quantity], results: list[Quantity]) -> dict[int, int]:
    """target index -> result index: same unit, best name match first, and only where the result's
    sentence names the goal (``_match_score`` at least 0.5) or, the only two of their unit, repeats a word
    of its name: never by order or by elimination alone.

    >>> goal = [Quantity("20回", "回", "市民講座の開催回数")]
    >>> pair(goal, [Quantity("12回", "回", "", context="相談会を", after="開催しました")])
    {}
    >>> pair(goal, [Quantity("25回", "回", "", context="市民講座を", after="開催しました")])
    {0: 0}
    """
    pairs: dict[int, int] = {}
    scored = sorted(((_match_score(t, r), ti, ri) for ti, t in enumerate(targets)
                     for ri, r in enumerate(results) if r.unit == t.unit), key=lambda x: (-x[0], x[1], x[2]))
    for score, ti, ri in scored:
        if ti in pairs or ri in pairs.values():
            continue
        if score >= 0.5 or _sole_pair_sharing_a_word(targets, results, ti, ri):
            pairs[ti] = ri
    return pairs


def _sole_pair_sharing_a_word(targets: list[Quantity], results: list[Quantity], ti: int, ri: int) -> bool:
    """The goal and the result are the only ones of their unit in the row and the result repeats a word
    of three characters or more of the goal's name ('返礼品'): the same quantity, said in other words."""
    unit = targets[ti].unit
    if sum(t.unit == unit for t in targets) != 1 or sum(r.unit == unit for r in results) != 1:
        return False
    r = results[ri]
    return _common_substring(squash(targets[ti].label), squash(r.context + r.label + r.after)) >= 3


def row_entries(name_cell: str, goal_cell: str, result_cell: str, report_year: str) -> list[Entry]:
    """Every value one declaration row states (see the module docstring for the rules)."""
    initiative, _, _ = initiative_name(name_cell)
    goal_items = items(goal_section(goal_cell))
    series, rest = find_series(result_cell)
    result_items = items(rest)
    results = [q for item in result_items for q in quantities(item)]
    goals = read_goals(goal_items, {q.line_label for q in results if q.line_label}, report_year)
    noun = next((noun for _, noun in goals.directions if noun), "")
    main = series.label if series else (noun or initiative)
    entries: list[Entry] = []

    # numeric targets and the results paired with them
    pairs = pair([t[0] for t in goals.targets], results)
    for ti, (q, indicator, component) in enumerate(goals.targets):
        indicator = indicator or main
        shared = sum(1 for t in goals.targets if t[1] == goals.targets[ti][1]) > 1
        if not component and shared and ti in pairs:
            component = results[pairs[ti]].line_label
        entries.append(Entry(indicator, "target", q.phrase, _year_of(q, report_year), component, "goal"))
        if ti in pairs:
            r = results[pairs[ti]]
            entries.append(Entry(indicator, "actual", r.phrase, _year_of(r, report_year), component, "result"))

    # targets given as directions or in words, baselines, a printed series
    for sentence, own_noun in goals.directions:
        indicator = series.label if series else (own_noun or main)
        entries.append(Entry(indicator, "target", sentence, report_year, source="goal"))
    if not goals.targets and not goals.directions:
        entries.append(Entry(main, "target", prose(goal_items) or flat(goal_cell), report_year, source="goal"))
    for q in goals.baselines:
        entries.append(Entry(main, "baseline", q.phrase, q.year_text or report_year, source="goal"))
    if series:
        year = read_year(report_year).fiscal_year or 0
        for k, (year_words, q) in enumerate(series.values):
            past = (read_year(year_words).fiscal_year or 0) < year
            measure = "baseline" if k == 0 and past and len(series.values) > 1 else "actual"
            entries.append(Entry(series.label, measure, q.phrase, year_words, source="result"))

    # result values no goal asked for: components of the row's indicator
    unpaired = [r for ri, r in enumerate(results) if ri not in pairs.values()]
    for r in unpaired:
        change = _change_component(r)
        if goals.targets and not change:
            # the row states numeric goals, and this result names none of them: which goal it answers is
            # not known, so it is reported, not paired by order or by its unit
            entries.append(Entry(main, "actual", r.phrase, _year_of(r, report_year), r.line_label or r.label,
                                 "result", unpaired=True))
            continue
        alone = len(unpaired) == 1 and not goals.targets
        component = change or r.line_label or ("" if alone else r.label)
        entries.append(Entry(main, "actual", r.phrase, _year_of(r, report_year), component, "result"))
    if not results and not series:
        text = prose(result_items)
        if text:
            entries.append(Entry(main, "actual", text, report_year, source="result"))
    return entries


def prose(item_texts: list[str]) -> str:
    """A qualitative statement: its sentences without digits (a date such as '29年度初旬に公表' is no
    value), or all of them when every sentence has digits.

    >>> prose(["評価結果を報告書としてまとめました。報告書は 29年度初旬に公表します。"])
    '評価結果を報告書としてまとめました。'
    """
    sentences = [s for item in item_texts for s in compiled(r"[^。]+。?").findall(flat(item))]
    plain = [s for s in sentences if not compiled(r"[0-9０-９]").search(s)]
    return "".join(plain or sentences)


def _year_of(q: Quantity, report_year: str) -> str:
    """The year the result's own sentence names ('平成２８年度末…は'), else the report's year."""
    if q.year_text:
        return q.year_text
    named = {m.group(0) for m in PRINTED_ERA_YEAR.finditer(q.context)}
    years = {read_year(w).fiscal_year for w in named}
    return named.pop() if len(years) == 1 and None not in years else report_year
