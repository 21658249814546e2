"""Builds random editions of a plan's outcome-indicator report (the hiratsuka family), for tests.

In: a ``random.Random``. Out: an ``Edition`` (the printed cells with the readings a reader must give: the
answer key) and ``build(edition, path)`` which draws it: per 施策 a heading, a line of prose and a small
table ruled with horizontal lines only (a rule above and below the header, one under the last row; no
vertical lines), the header naming the indicator column, the baseline with its year in brackets, bare
years for the actuals and the target with its year; units inside the value cells, some targets printed
as ↑/↓, value cells right-aligned or centred under centred header words, and tables breaking across
pages with or without their header repeated. Widths, wording, font, size and row counts are random.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from variants.drawn_table import FONTS, HeaderCell, Page, Style, draw_table, fit_values, register_fonts

WORDS = {
    "indicator": ("成果指標", "指標名", "指標", "成果指標名"),
    "baseline": ("当初値", "基準値", "現状値", "当初水準"),
    "target": ("目標値", "目標"),
}
ERA = {2017: "平成29年度", 2018: "平成30年度", 2019: "令和元年度", 2020: "令和２年度", 2021: "令和３年度",
       2022: "令和４年度", 2023: "令和５年度", 2024: "令和６年度"}
UNITS = (("人", "人"), ("件", "件"), ("％", "%"), ("冊", "冊"), ("ha", "ha"), ("事業所", "事業所"), ("回", "回"))
NAMES = ("子育て支援センターの年間利用者数", "保育所等待機児童数", "「授業がわかる」と回答した児童生徒の割合",
         "学校図書館における児童１人当たりの年間貸出冊数", "特定健康診査の受診率", "がん検診の受診者数",
         "地域包括支援センターへの相談件数", "市内の事業所数", "創業支援による創業件数", "観光客入込数",
         "自主防災組織の訓練参加者数", "都市公園の整備面積", "住宅用太陽光発電設備の設置件数（累計）",
         "認知症サポーター養成者数（累計）", "防災情報メールの登録者数")


@dataclass
class Edition:
    sections: list[tuple[str, list[list[str]]]]    # (heading, rows of printed cells)
    baseline_year: int
    actual_years: list[int]
    target_year: int
    words: dict
    widths: list[float]
    style: Style
    one_line_header: bool
    expected: dict = field(default_factory=dict)   # (name, measure, fiscal_year) -> (value, unit, status, start, direction)


def random_edition(rng: random.Random, rules: bool = True) -> Edition:
    register_fonts()
    words = {role: rng.choice(options) for role, options in WORDS.items()}
    baseline_year = rng.choice((2017, 2018, 2019))
    actual_years = [2021, 2022] if rng.random() < 0.6 else [2020, 2021, 2022]
    target_year = rng.choice((2023, 2024))
    names = list(NAMES)
    rng.shuffle(names)
    expected: dict = {}
    sections = []
    k = 0
    for s in range(rng.randint(3, 5)):
        rows = []
        for _ in range(rng.randint(1, 6 if s else 12)):
            name = names[k % len(names)] + ("" if k < len(names) else f"（その{k}）")
            k += 1
            unit, base = rng.choice(UNITS)
            decimals = 1 if unit in ("％", "ha") or rng.random() < 0.2 else 0
            wide = rng.random() < 0.25
            cells = [name]
            for measure, year in [("baseline", baseline_year)] + [("actual", y) for y in actual_years] + [
                    ("target", target_year)]:
                if measure == "target" and rng.random() < 0.2:
                    arrow = rng.choice("↑↓")
                    cells.append(arrow)
                    expected[(name, measure, year)] = (None, "", "ok", None, "increase" if arrow == "↑" else "decrease")
                    continue
                if measure == "actual" and rng.random() < 0.12:
                    cells.append(rng.choice(("―", "未公表")))
                    expected[(name, measure, year)] = (None, "", "not_available", None, "")
                    continue
                value = Decimal(rng.randint(1, 90000)) / (10 ** decimals)
                text = f"{value:,.{decimals}f}{unit}"
                if wide:
                    text = text.translate(str.maketrans("0123456789,.", "０１２３４５６７８９，．"))
                cells.append(text)
                expected[(name, measure, year)] = (value, base, "ok", None, "")
            rows.append(cells)
        sections.append((f"施策{s + 1}-{rng.randint(1, 3)} {rng.choice(('子育て支援の充実', '健康づくりの推進', '商工業の振興', '防災対策の推進'))}",
                         rows))
    n = 2 + len(actual_years)
    usable = A4[0] - 100
    widths = [rng.uniform(150, 230)] + [rng.uniform(60, 90) for _ in range(n)]
    factor = min(1.0, usable / sum(widths))
    style = Style(font=rng.choice(FONTS), size=rng.choice((7.5, 8.0, 9.0)), full_grid=False, rules=rules,
                  repeat_header=rng.random() < 0.5, align_numbers=rng.choice(("right", "center")))
    return Edition(sections, baseline_year, actual_years, target_year, words, [w * factor for w in widths], style,
                   rng.random() < 0.4, expected)


def build(edition: Edition, path: Path) -> Path:
    ed, w = edition, edition.words
    sep = "" if ed.one_line_header else "\n"
    header = [HeaderCell(0, 0, w["indicator"]), HeaderCell(0, 1, f"{w['baseline']}{sep}（{ERA[ed.baseline_year]}）")]
    header += [HeaderCell(0, 2 + i, ERA[y]) for i, y in enumerate(ed.actual_years)]
    header += [HeaderCell(0, 2 + len(ed.actual_years), f"{w['target']}{sep}（{ERA[ed.target_year]}）")]
    values = list(range(1, 3 + len(ed.actual_years)))
    widths = fit_values(ed.widths, [row for _, rows in ed.sections for row in rows], values, ed.style,
                        A4[0] - 100, shrink=0)
    cv = canvas.Canvas(str(path), pagesize=A4)
    page = Page(cv, A4, margin=50)
    page.text("総合計画 実施計画 施策の成果指標の状況", ed.style, size=12)
    page.text("施策ごとに成果指標を設定し、当初値と実績値、目標値を掲載しています。", ed.style)
    for heading, rows in ed.sections:
        page.text(heading, ed.style, size=ed.style.size + 3)
        page.text("目指す姿：市民が安心して暮らし、地域の中で支え合いながら活動しています。", ed.style, x=page.margin + 10)
        draw_table(page, widths, header, rows, ed.style, value_columns=values)
    cv.save()
    return path
