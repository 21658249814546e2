"""Builds another edition of the 'goal_declaration' layout (部長の目標宣言 達成状況報告) as a PDF, for tests.

In: an ``Edition`` (title year, page size, column widths, rows of prose). Out: a PDF drawn with
reportlab's canvas: a title line, then one ruled table (No. | 取組名（担当課名） | 取組内容 [目標値] |
取組結果 | 目標達成状況) whose header repeats on every page and whose rows split across a page break
(the part that fits is ruled off, the rest continues under the header), as a word processor prints
it. ``EDITION`` is a landscape 令和元年度 edition in which one long row (``split_indicator``) runs over
the page break with its [目標値] section on the second page; ``PORTRAIT`` the same in portrait with other widths, the row's results on the
second page; ``EXPECTED`` holds the values both print, as observation rows.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont

from variants.text import wrap
from reportlab.pdfgen import canvas

FONT = "HeiseiMin-W3"
HEADER = ("No.", "取 組 名\n（担当課名）", "取 組 内 容 達 成 目 標", "取組結果\n今後の取組の方向性", "目標達成状況")


@dataclass
class Initiative:
    no: str
    name: str            # with its department line, e.g. '広報活動の充実\n（広報課）'
    goal: str            # 取組内容 ... [目標値] ...
    result: str          # 取組結果 / 今後の取組の方向性 (not read for values)
    state: str           # 目標達成状況


@dataclass
class Edition:
    title: str
    rows: Sequence[Initiative]
    split_indicator: str                  # the indicator of the row meant to run over a page break
    pagesize: tuple[float, float] = landscape(A4)
    widths: Sequence[float] = (30, 110, 250, 220, 160)
    font_size: float = 8


def _wrap(text: str, width: float, size: float) -> list[str]:
    return wrap(text, width, size, FONT)


def build(edition: Edition, path: Path) -> Path:
    """Draw the edition: title, then the table row by row; a row that does not fit on the page is
    printed up to the page's end, ruled off, and continued below the repeated header on the next page."""
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    size, pad, margin = edition.font_size, 3.0, 30.0
    leading = size * 1.3
    page_w, page_h = edition.pagesize
    xs = [margin]
    for w in edition.widths:
        xs.append(xs[-1] + w)
    c = canvas.Canvas(str(path), pagesize=edition.pagesize)

    def draw_row(cells: Sequence[list[str]], top: float) -> float:
        height = max(len(lines) for lines in cells) * leading + 2 * pad
        bottom = top - height
        c.setLineWidth(0.6)
        c.line(xs[0], top, xs[-1], top)
        c.line(xs[0], bottom, xs[-1], bottom)
        for x in xs:
            c.line(x, top, x, bottom)
        c.setFont(FONT, size)
        for k, lines in enumerate(cells):
            for n, line in enumerate(lines):
                c.drawString(xs[k] + pad, top - pad - size - n * leading, line)
        return bottom

    header = [_wrap(h, w - 2 * pad, size) for h, w in zip(HEADER, edition.widths)]
    c.setFont(FONT, 13)
    c.drawString(margin, page_h - margin - 13, edition.title)
    c.setFont(FONT, 9)
    c.drawString(page_w - margin - 120, page_h - margin - 30, "総務部長 架空 太郎")
    y = draw_row(header, page_h - margin - 45)
    for row in edition.rows:
        cells = [_wrap(t, w - 2 * pad, size) for t, w in
                 zip((row.no, row.name, row.goal, row.result, row.state), edition.widths)]
        while cells:
            fit = int((y - margin - 2 * pad) // leading)
            if fit >= max(len(lines) for lines in cells):
                y = draw_row(cells, y)
                break
            if fit >= 3:
                draw_row([lines[:fit] for lines in cells], y)
                cells = [lines[fit:] for lines in cells]
            c.showPage()
            y = draw_row(header, page_h - margin)
    c.save()
    return path


FILLER = ("・庁内の推進体制を整え、関係課と連携しながら情報発信の質と量を高めるとともに、"
          "市民の皆様に必要な情報を分かりやすく届けるための取組を進めます。\n") * 14

def _rows(long_cell: str) -> tuple[Initiative, ...]:
    """The edition's rows; ``long_cell`` ('goal' or 'state') is the cell of row 4 given a long text in
    front, so that the row runs over a page break there."""
    goal_filler, state_filler = (FILLER, "") if long_cell == "goal" else ("", FILLER)
    return (
        Initiative("1", "行政改革の推進\n（１）職員定数の適正化\n（人事課）",
                   "・定員管理計画に基づき、職員定数の適正化を図ります。\n[目標値]\n"
                   "・前年度末に対して、職員数の削減を目指します。\n前年度末職員数：５８０人（平成３０年度末）",
                   "・計画に基づき職員数を削減しました。", "・令和元年度末の職員数は、前年度末に対し、１２人を削減しました。"),
        Initiative("2", "行政改革の推進\n（２）電子申請の推進\n（情報政策課）",
                   "・電子申請の対象手続を拡大します。\n[目標値]\n・電子申請の利用率の向上を目指します。",
                   "・対象手続を２０件拡大しました。",
                   "・利用率は向上しました。\n電子申請の利用率\n（H３０年度） （R元年度）\n１２．５％ → １８．０％"),
        Initiative("3", "財政調整基金の確保\n（財政課）",
                   "・歳出の節減に取り組みます。\n[目標値]\n・財政調整基金残高、１２億円を確保します。（標準財政規模の概ね５％）",
                   "・積み増しました。", "・令和元年度末財政調整基金残高は、約１３億５，０００万円を確保しました。"),
        Initiative("4", "広報活動の充実\n（広報課）",
                   goal_filler + "[目標値]\n・公式ホームページの総ページビュー数 520万件\n・公式ツイッターのフォロワー数 1,500人",
                   "・ホームページの構成を見直しました。",
                   state_filler + "・公式ツイッターのフォロワー数 1,620人\n・公式ホームページの\n総ページビュー数\n5,012,345件"),
        Initiative("", "パブリシティの強化\n（広報課）",
                   "・情報提供を強化します。\n[目標値]\n・日刊紙への記事掲載件数 1,000件",
                   "・ニュースリリースに努めました。", "・日刊紙への記事掲載件数\n1,234件"),
        Initiative("6", "行政評価の実施\n（企画課）",
                   "・外部評価を実施します。\n[目標値]\n・評価結果を報告書としてまとめ、公表します。",
                   "・外部評価を実施しました。", "・評価結果を報告書としてまとめました。報告書は２年度初旬に公表します。"),
        Initiative("7", "シティプロモーションの推進\n（広報課）",
                   "・サポーターの活動環境を整えます。\n[目標値]\n・認定登録数 個人 12名・20団体",
                   "・活動用名刺を作成しました。", "・認定登録数\n個人：14名\n団体：18団体"),
    )


TITLE = "令和元年度 総務部長の目標宣言 達成状況報告"
SPLIT = "公式ツイッターのフォロワー数"
# Landscape, the [目標値] section of the long row continued on the next page.
EDITION = Edition(TITLE, _rows("goal"), SPLIT)
# Portrait, narrow columns, larger type: the long row's results continued on the next page.
PORTRAIT = Edition(TITLE, _rows("state"), SPLIT, pagesize=A4, widths=(26, 84, 170, 120, 135), font_size=9)

# (indicator, component, measure, fiscal_year, value, direction, status) as observations print them.
EXPECTED = (
    ("職員数", "", "target", "2019", "", "decrease", "ok"),
    ("職員数", "", "baseline", "2018", "580", "", "ok"),
    ("職員数", "削減数", "actual", "2019", "12", "", "ok"),
    ("電子申請の利用率", "", "target", "2019", "", "increase", "ok"),
    ("電子申請の利用率", "", "baseline", "2018", "12.5", "", "ok"),
    ("電子申請の利用率", "", "actual", "2019", "18.0", "", "ok"),
    ("財政調整基金残高", "", "target", "2019", "1200000000", "", "ok"),
    ("財政調整基金残高", "", "actual", "2019", "1350000000", "", "ok"),
    ("公式ホームページの総ページビュー数", "", "target", "2019", "5200000", "", "ok"),
    ("公式ホームページの総ページビュー数", "", "actual", "2019", "5012345", "", "ok"),
    ("公式ツイッターのフォロワー数", "", "target", "2019", "1500", "", "ok"),
    ("公式ツイッターのフォロワー数", "", "actual", "2019", "1620", "", "ok"),
    ("日刊紙への記事掲載件数", "", "target", "2019", "1000", "", "ok"),
    ("日刊紙への記事掲載件数", "", "actual", "2019", "1234", "", "ok"),
    ("行政評価の実施", "", "target", "2019", "", "", "qualitative"),
    ("行政評価の実施", "", "actual", "2019", "", "", "qualitative"),
    ("認定登録数", "個人", "target", "2019", "12", "", "ok"),
    ("認定登録数", "個人", "actual", "2019", "14", "", "ok"),
    ("認定登録数", "団体", "target", "2019", "20", "", "ok"),
    ("認定登録数", "団体", "actual", "2019", "18", "", "ok"),
)

__all__ = ["EDITION", "PORTRAIT", "EXPECTED", "Edition", "Initiative", "build", "A4", "landscape"]


# --- declarations written with other sentence templates ---------------------------------------------

NOUNS = ("市民講座の開催回数", "健康相談の件数", "図書館の貸出冊数", "防災訓練の参加者数", "空き家の改修件数",
         "観光案内所の利用者数", "学校給食の地場産品の使用品目数", "市民農園の区画数")
UNITS = {"回数": "回", "件数": "件", "冊数": "冊", "者数": "人", "品目数": "品目", "区画数": "区画"}
GOAL_FORMS = ("・{n} {v}", "・{n}を{v}とすることを目指します。", "・{n}：{v}", "・{v}の{n}を目指します。",
              "・{y}までに{n}を{v}にします。")
RESULT_FORMS = ("・{n}は{v}でした。", "・{y}の{n}は、{v}となりました。", "・{v}の{n}を達成しました。", "・{n}\n{v}")
YEAR_FORMS = ("平成{h}年度", "H{h}年度", "{w}年度")


def _unit(noun: str) -> str:
    return next(u for end, u in UNITS.items() if noun.endswith(end))


def random_row(rng, no: int, year: int = 2016) -> tuple[Initiative, list[tuple[str, str, str, int]]]:
    """A declaration row written with sentence templates drawn by ``rng``, and what it states:
    [(indicator, component, measure, value)].  Goals and results name their indicator in other orders
    and verbs, years in other forms; some results come in two parts (components), and some rows print a
    result about something else with the same unit (which no goal asks for)."""
    y = rng.choice(YEAR_FORMS).format(h=year - 1988, w=year)
    nouns = rng.sample(NOUNS, rng.choice([1, 1, 2]))
    goals, results, truth = [], [], []
    for noun in nouns:
        unit = _unit(noun)
        target, actual = rng.randint(2, 900) * 10, rng.randint(2, 900) * 10
        if rng.random() < 0.25:            # two parts: 個人 / 団体
            t2, a2 = rng.randint(2, 90), rng.randint(2, 90)
            goals.append(f"・{noun} 個人 {target:,}{unit}・団体 {t2}{unit}")
            results.append(f"・{noun}は、個人{actual:,}{unit}、団体{a2}{unit}でした。")
            truth += [(noun, "個人", "target", target), (noun, "個人", "actual", actual),
                      (noun, "団体", "target", t2), (noun, "団体", "actual", a2)]
            continue
        goals.append(rng.choice(GOAL_FORMS).format(n=noun, v=f"{target:,}{unit}", y=y))
        results.append(rng.choice(RESULT_FORMS).format(n=noun, v=f"{actual:,}{unit}", y=y))
        truth += [(noun, "", "target", target), (noun, "", "actual", actual)]
    if rng.random() < 0.25:                # the first goal's result is not printed (not known yet)
        results.pop(0)
        truth = [f for f in truth if not (f[0] == nouns[0] and f[2] == "actual")]
    if rng.random() < 0.4 or len(results) < len(nouns):
        unit = _unit(nouns[0])             # a result about something no goal names, in a goal's unit
        results.append(f"・あわせて出前説明会を{rng.randint(2, 90)}{unit}実施しました。")
    rng.shuffle(results)
    name = f"取組その{no}\n（企画課）"
    return Initiative(str(no), name, "・取組を進めます。\n[目標値]\n" + "\n".join(goals), "・実施しました。",
                      "\n".join(results)), truth
