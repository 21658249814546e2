"""Builds random editions of a KPI progress report drawn as one fully ruled table (the atsugi family), for tests.

In: a ``random.Random``. Out: an ``Edition`` (the rows with the readings a reader must give: the answer
key) and ``build(edition, path)`` which draws it: a two-row header (the baseline word over 値 | 年度, the
actual word over its years, the target word with its year below), a 単位 column whose multiplier scales
the values (千円, 万人, 億円), the baseline year in its own column (a range such as 'H29～R元平均' too), a
printed 達成率 and a grade ◎○△× that are not observations, the basic goal as a cell merged over its rows
(cut by a page break), and the table broken across pages with or without its header repeated. Column
widths, header wording (synonyms), font, size, page orientation and row counts are all drawn at random.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

from variants.drawn_table import FONTS, HeaderCell, Page, Style, draw_table, fit_values, register_fonts

WORDS = {
    "goal": ("基本目標",),
    "no": ("No.", "番号", "指標No."),
    "indicator": ("重要業績評価指標（KPI）", "指標名", "指標", "KPI"),
    "unit": ("単位",),
    "baseline": ("基準値", "当初値", "現状値"),
    "value": ("値", "数値"),
    "year": ("年度",),
    "actual": ("実績値", "実績"),
    "target": ("目標値", "目標"),
    "rate": ("達成率", "達成度"),
    "grade": ("評価",),
    "department": ("担当課", "所管課"),
}
# printed unit -> (unit of the reading, multiplier)
UNITS = {"人": ("人", 1), "件": ("件", 1), "％": ("%", 1), "千円": ("円", 1000), "万人": ("人", 10000),
         "億円": ("円", 10 ** 8), "回": ("回", 1)}
BASELINE_YEARS = (("H28", 2016, None), ("H30", 2018, None), ("R元", 2019, None), ("Ｈ２９", 2017, None),
                  ("H29～R元\n平均", 2019, 2017), ("H28～H30平均", 2018, 2016))
ERA = {2019: "令和元年度", 2020: "令和２年度", 2021: "令和３年度", 2022: "令和４年度", 2023: "令和５年度",
       2024: "令和６年度", 2025: "令和７年度"}
GOAL_NAMES = ("地域の特性を生かした産業の振興と雇用の創出", "新しいひとの流れをつくり、にぎわいを創出する",
              "結婚・出産・子育ての希望をかなえる", "安全・安心で、住み続けたいまちをつくる")
NAME_PARTS = ("市内事業所の従業者数", "製造品出荷額等", "企業立地件数（年間）", "創業支援事業による創業者数",
              "観光入込客数", "転入超過数（転入者数から転出者数を差し引いた数）", "子育て支援センターの利用者数",
              "放課後児童クラブの定員数", "自主防災組織による防災訓練の実施率", "路線バスの年間利用者数",
              "健康づくり教室の参加者数", "市民協働事業の実施件数")


@dataclass
class Row:
    no: str
    name: str
    unit: str
    printed: dict          # measure/year -> printed text: ('baseline', None), ('actual', 2021), ('target', 2024)
    baseline_year: str
    department: str
    grade: str
    rate: str


@dataclass
class Edition:
    goals: list[tuple[str, list[Row]]]
    actual_years: list[int]
    target_year: int
    words: dict
    widths: list[float]
    style: Style
    pagesize: tuple[float, float]
    expected: dict = field(default_factory=dict)   # (name, measure, fiscal_year) -> (value, unit, status, start)


def _number(rng: random.Random, value: Decimal, decimals: int, wide: bool) -> str:
    text = f"{value:,.{decimals}f}"
    if wide:
        text = text.translate(str.maketrans("0123456789,.", "０１２３４５６７８９，．"))
    return text


def random_edition(rng: random.Random) -> Edition:
    register_fonts()
    words = {role: rng.choice(options) for role, options in WORDS.items()}
    first = rng.choice((2020, 2021))
    actual_years = list(range(first, first + rng.choice((2, 3))))
    target_year = actual_years[-1] + rng.choice((1, 2))
    expected: dict = {}
    goals = []
    number = 0
    names = list(NAME_PARTS)
    rng.shuffle(names)
    for g in range(rng.choice((3, 4))):
        rows = []
        for _ in range(rng.randint(3, 7)):
            number += 1
            name = names[(number - 1) % len(names)] + ("" if number <= len(names) else f"（その{number}）")
            unit = rng.choice(list(UNITS))
            base_unit, scale = UNITS[unit]
            decimals = 1 if unit in ("％", "万人") or rng.random() < 0.2 else 0
            wide = rng.random() < 0.3
            year_text, year, start = rng.choice(BASELINE_YEARS)
            printed = {}
            for key in [("baseline", year)] + [("actual", y) for y in actual_years] + [("target", target_year)]:
                if key[0] == "actual" and rng.random() < 0.15:
                    printed[key] = rng.choice(("―", "集計中"))
                    expected[(name, key[0], key[1])] = (None, "", "not_available", None)
                    continue
                value = Decimal(rng.randint(10, 200000)) / (10 ** decimals)
                printed[key] = _number(rng, value, decimals, wide)
                expected[(name, key[0], key[1])] = (value * scale, base_unit, "ok",
                                                    start if key[0] == "baseline" else None)
            rows.append(Row(str(number), name, unit, printed, year_text, rng.choice(("企画政策課", "産業政策課",
                            "シティプロモーション課", "健康長寿推進課")), rng.choice("◎○△×"),
                            f"{rng.randint(30, 130)}.{rng.randint(0, 9)}%"))
        goals.append((f"基本目標{g + 1}\n{GOAL_NAMES[g]}", rows))
    landscape_page = rng.random() < 0.7
    pagesize = landscape(A4) if landscape_page else A4
    usable = pagesize[0] - 80
    widths = [rng.uniform(50, 80), rng.uniform(22, 32), rng.uniform(110, 200), rng.uniform(26, 36)]
    widths += [rng.uniform(40, 60), rng.uniform(36, 56)] + [rng.uniform(40, 58) for _ in actual_years]
    widths += [rng.uniform(50, 70), rng.uniform(36, 46), rng.uniform(26, 34), rng.uniform(50, 80)]
    factor = min(1.0, usable / sum(widths))
    widths = [w * factor for w in widths]
    style = Style(font=rng.choice(FONTS), size=rng.choice((7.0, 7.5, 8.0, 9.0)), full_grid=True,
                  repeat_header=rng.random() < 0.6)
    return Edition(goals, actual_years, target_year, words, widths, style, pagesize, expected)


def build(edition: Edition, path: Path) -> Path:
    ed, w = edition, edition.words
    n_act = len(ed.actual_years)
    header = [HeaderCell(0, 0, w["goal"], rowspan=2), HeaderCell(0, 1, w["no"], rowspan=2),
              HeaderCell(0, 2, w["indicator"], rowspan=2), HeaderCell(0, 3, w["unit"], rowspan=2),
              HeaderCell(0, 4, w["baseline"], colspan=2), HeaderCell(1, 4, w["value"]), HeaderCell(1, 5, w["year"]),
              HeaderCell(0, 6, w["actual"], colspan=n_act)]
    header += [HeaderCell(1, 6 + i, ERA[y]) for i, y in enumerate(ed.actual_years)]
    c = 6 + n_act
    header += [HeaderCell(0, c, f"{w['target']}\n（{ERA[ed.target_year]}）", rowspan=2),
               HeaderCell(0, c + 1, w["rate"], rowspan=2), HeaderCell(0, c + 2, w["grade"], rowspan=2),
               HeaderCell(0, c + 3, w["department"], rowspan=2)]
    body: list[list[str | None]] = []
    for goal, rows in ed.goals:
        for i, row in enumerate(rows):
            base_year = next(y for (m, y) in row.printed if m == "baseline")
            body.append([goal if i == 0 else None, row.no, row.name, row.unit, row.printed[("baseline", base_year)],
                         row.baseline_year, *[row.printed[("actual", y)] for y in ed.actual_years],
                         row.printed[("target", ed.target_year)], row.rate, row.grade, row.department])
    values = [4, *range(6, 6 + n_act + 2)]
    widths = fit_values(ed.widths, body, values, ed.style, ed.pagesize[0] - 80, shrink=2)
    cv = canvas.Canvas(str(path), pagesize=ed.pagesize)
    page = Page(cv, ed.pagesize, margin=40)
    page.text("重要業績評価指標（ＫＰＩ）の達成状況", ed.style, size=12)
    page.text("本資料は、総合戦略に掲げる指標について、実績値及び目標値に対する達成状況を取りまとめたものです。", ed.style)
    draw_table(page, widths, header, body, ed.style, value_columns=values)
    page.text("【評価の区分】 ◎：達成率100％以上 ○：達成率80％以上100％未満 △：達成率50％以上80％未満 ×：達成率50％未満",
              ed.style)
    cv.save()
    return path
