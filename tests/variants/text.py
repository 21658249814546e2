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
