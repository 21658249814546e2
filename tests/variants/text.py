"""Shared by the variant builders: how a word processor wraps a cell's text into lines, where a wrap may
break a printed line, and a ruled sheet of cells printed with given line breaks (for wrap tests)."""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONTS = ("HeiseiMin-W3", "HeiseiKakuGo-W5")


def register(font: str) -> str:
    """Register one of reportlab's Japanese CID fonts (once) and return its name."""
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    return font


def wrap(text: str, width: float, size: float, font: str) -> list[str]:
    """The printed lines: explicit breaks kept, long lines wrapped where the next character would overflow."""
    lines: list[str] = []
    for para in (text or "").split("\n"):
        line = ""
        for ch in para:
            if line and pdfmetrics.stringWidth(line + ch, font, size) > width:
                lines.append(line)
                line = ""
            line += ch
        lines.append(line)
    return lines


def break_at(line: str, cuts: Sequence[int]) -> list[str]:
    """``line`` broken before each character position in ``cuts`` (a wrap falling there).

    >>> break_at('12.8ポイント', [6]), break_at('abc', [1, 2]), break_at('abc', [])
    (['12.8ポイ', 'ント'], ['a', 'b', 'c'], ['abc'])
    """
    edges = [0, *sorted(set(c for c in cuts if 0 < c < len(line))), len(line)]
    return [line[a:b] for a, b in zip(edges, edges[1:])]


def draw_sheet(path: Path, rows: Sequence[Sequence[Sequence[str]]], font: str = FONTS[1],
               size: float = 9.0) -> Path:
    """A one-page PDF with a fully ruled table: ``rows[r][c]`` is the list of printed lines of a cell.

    Each column is as wide as its longest line (plus padding), so the lines given are exactly the lines
    printed: nothing wraps again.  The page is as large as the table needs.
    """
    register(font)
    pad, leading = 4.0, size * 1.35
    n_cols = max(len(r) for r in rows)
    widths = [max([pdfmetrics.stringWidth(line, font, size) for r in rows if c < len(r) for line in r[c]] + [size])
              + 2 * pad for c in range(n_cols)]
    heights = [max(len(cell) for cell in r) * leading + 2 * pad for r in rows]
    margin = 20.0
    page = (sum(widths) + 2 * margin, sum(heights) + 2 * margin)
    c = canvas.Canvas(str(path), pagesize=page)
    c.setLineWidth(0.5)
    xs = [margin]
    for w in widths:
        xs.append(xs[-1] + w)
    top = page[1] - margin
    c.setFont(font, size)
    for row, height in zip(rows, heights):
        bottom = top - height
        c.line(xs[0], top, xs[-1], top)
        c.line(xs[0], bottom, xs[-1], bottom)
        for x in xs:
            c.line(x, top, x, bottom)
        for k, cell in enumerate(row):
            for n, line in enumerate(cell):
                c.drawString(xs[k] + pad, top - pad - size * 0.88 - n * leading, line)
        top = bottom
    c.showPage()
    c.save()
    return path


# --- a key's value as an edition prints it -----------------------------------------------------------

FULL_WIDTH = str.maketrans("0123456789,.%", "０１２３４５６７８９，．％")
ERA_FORMS = ("（{r}）", "({era}{n}年度)", "（{r}年度）", "（{y}年度）")
RANGE_FORMS = ("（{r0}-{r1}の平均）", "（{r0}～{r1}）", "({era0}{n0}～{era1}{n1}年度平均)")


def era_year(year: int) -> tuple[str, str, int]:
    """(initial, era name, year in the era) of a fiscal year: 2021 -> ('R', '令和', 3)."""
    return ("R", "令和", year - 2018) if year >= 2019 else ("H", "平成", year - 1988)


def year_mark(fiscal_year: str, period_start: str, rng) -> str:
    """A printed year mark for a key's years ('' when the key has none), in a form drawn by ``rng``."""
    if not fiscal_year:
        return ""
    y = int(fiscal_year)
    i, era, n = era_year(y)
    if period_start:
        i0, era0, n0 = era_year(int(period_start))
        return rng.choice(RANGE_FORMS).format(r0=f"{i0}{n0}", r1=f"{i}{n}", era0=era0, n0=n0, era1=era, n1=n)
    return rng.choice(ERA_FORMS).format(r=f"{i}{n}", era=era, n=n, y=y)


def printed_amount(value: str, unit: str, rng) -> str:
    """A key value with its unit as an edition may print it: grouped or not, 万 for round counts, full-width."""
    from decimal import Decimal
    v = Decimal(value)
    if v == v.to_integral_value() and "." not in value:
        n = int(v)
        if n >= 10**5 and n % 10**4 == 0 and unit in ("人", "件", "円") and rng.random() < 0.5:
            body = f"{n // 10**4:,}万"
        else:
            body = f"{n:,}" if n >= 1000 and rng.random() < 0.8 else str(n)
    else:
        body = value
    shown = {"%": rng.choice(["%", "％"]), "t": rng.choice(["t", "トン"])}.get(unit, unit)
    text = body + ("" if rng.random() < 0.7 else " ") + shown if shown else body
    return text.translate(FULL_WIDTH) if rng.random() < 0.4 else text


def printed_name(name: str) -> str:
    """A key's name as a report prints it: the ASCII tilde, which the CID fonts draw as a combining mark
    that reads back as U+0303, printed full-width (NFKC reads it back as '~').

    >>> printed_name('小学校3~6年生')
    '小学校3～6年生'
    """
    return name.replace("~", "～")


def printed_reading(row: dict, rng) -> str:
    """One key row's reading as printed (without its year): a number with unit and bound, a direction, a
    dash, or words; a ``corrected`` count is printed with the period for a comma it was read from."""
    status, value, unit, direction = row["status"], row["value"], row["unit"], row["direction"]
    if status == "not_available":
        return rng.choice(["－", "―", "該当数値無し"])
    if status in ("qualitative", "ambiguous"):
        return rng.choice(["→", "維持"])
    if status == "corrected":
        n = int(value)
        return f"{n // 1000}.{n % 1000:03d}{unit}"
    if not value:
        words = {"increase": ["↗", "↑", "現状値の向上"], "decrease": ["↘", "↓", "現状値の低下"]}
        return rng.choice(words[direction])
    bound = {"increase": "以上", "decrease": "以下"}.get(direction, "")
    return printed_amount(value, unit, rng) + bound
