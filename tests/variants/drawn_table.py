"""Shared by the atsugi-like and hiratsuka-like variant builders: a table drawn cell by cell on a canvas.

In: column widths, header rows and body rows of cell texts (a merged cell as a text followed by ``None``
for the positions it covers below), a font, a size and how it is ruled (full grid or horizontal rules
only). Out: the table drawn on pages of a reportlab canvas, wrapped into its cells, broken across pages
where it does not fit, with or without its header repeated on the next page.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont

from variants.text import wrap

FONTS = ("HeiseiKakuGo-W5", "HeiseiMin-W3")


def register_fonts() -> None:
    for font in FONTS:
        pdfmetrics.registerFont(UnicodeCIDFont(font))


@dataclass
class Style:
    font: str = FONTS[0]
    size: float = 8.0
    padding: float = 3.0
    full_grid: bool = True          # False: horizontal rules only (top, under the header, bottom)
    rules: bool = True              # False (with full_grid False): no lines at all, columns only by alignment
    repeat_header: bool = True      # on a page the table continues on
    align_numbers: str = "right"    # value cells: right | center


class Page:
    """A canvas with a cursor going down the page."""

    def __init__(self, canvas, size: tuple[float, float], margin: float = 40):
        self.canvas, self.width, self.height, self.margin = canvas, size[0], size[1], margin
        self.y = size[1] - margin

    def new_page(self) -> None:
        self.canvas.showPage()
        self.y = self.height - self.margin

    def room(self) -> float:
        return self.y - self.margin

    def text(self, text: str, style: Style, x: float | None = None, size: float | None = None) -> None:
        size = size or style.size + 2
        if self.room() < size * 2:
            self.new_page()
        self.canvas.setFont(style.font, size)
        self.canvas.drawString(x if x is not None else self.margin, self.y - size, text)
        self.y -= size * 1.8


def fit_values(widths: list[float], rows: Sequence[Sequence[str | None]], columns: Sequence[int], style: Style,
               usable: float, shrink: int) -> list[float]:
    """Widths with every value column wide enough for its longest printed line (a spreadsheet export
    sizes number columns to their numbers; names still wrap), column ``shrink`` narrowed to keep the
    table within ``usable``."""
    widths = list(widths)
    for col in columns:
        longest = max((pdfmetrics.stringWidth(line, style.font, style.size)
                       for row in rows if row[col] for line in row[col].split("\n")), default=0)
        widths[col] = max(widths[col], longest + 2 * style.padding + 2)
    excess = sum(widths) - usable
    if excess > 0:
        widths[shrink] = max(60.0, widths[shrink] - excess)
    return widths


def _lines(text: str | None, width: float, style: Style) -> list[str]:
    return wrap(text or "", width - 2 * style.padding, style.size, style.font) if text else []


def _row_height(row: Sequence[str | None], widths: Sequence[float], style: Style) -> float:
    lines = max([len(_lines(t, w, style)) for t, w in zip(row, widths) if t] or [1])
    return lines * style.size * 1.25 + 2 * style.padding


def _draw_text(page: Page, text: str, x: float, top: float, width: float, height: float, style: Style,
               align: str) -> None:
    lines = _lines(text, width, style)
    leading = style.size * 1.25
    y = top - (height - len(lines) * leading) / 2 - style.size
    page.canvas.setFont(style.font, style.size)
    for line in lines:
        w = pdfmetrics.stringWidth(line, style.font, style.size)
        if align == "left":
            lx = x + style.padding
        elif align == "right":
            lx = x + width - style.padding - w
        else:
            lx = x + (width - w) / 2
        page.canvas.drawString(lx, y, line)
        y -= leading


@dataclass(frozen=True)
class HeaderCell:
    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1


def draw_table(page: Page, widths: Sequence[float], header: Sequence[HeaderCell],
               body: Sequence[Sequence[str | None]], style: Style, value_columns: Sequence[int] = ()) -> None:
    """Draw the table at the page's cursor. Body rows: ``None`` is covered by the cell above (a group
    printed once for its run of rows), also across a page break (the cell is cut there)."""
    edges = [page.margin]
    for w in widths:
        edges.append(edges[-1] + w)
    n_header = max(h.row + h.rowspan for h in header)
    header_heights = []
    for r in range(n_header):
        own = [_row_height([h.text], [sum(widths[h.col:h.col + h.colspan])], style)
               for h in header if h.row == r and h.rowspan == 1]
        header_heights.append(max(own or [style.size * 1.25 + 2 * style.padding]))
    for h in header:      # a cell spanning rows downwards that needs more room makes its last row taller
        need = _row_height([h.text], [sum(widths[h.col:h.col + h.colspan])], style)
        have = sum(header_heights[h.row:h.row + h.rowspan])
        if need > have:
            header_heights[h.row + h.rowspan - 1] += need - have
    heights = [_row_height(row, widths, style) for row in body]
    c = page.canvas
    c.setLineWidth(0.6)

    def rule(y: float, width: float) -> None:
        if not style.rules:
            return
        c.setLineWidth(width)
        c.line(edges[0], y, edges[-1], y)
        c.setLineWidth(0.6)

    def draw_header() -> None:
        tops = [page.y]
        for h in header_heights:
            tops.append(tops[-1] - h)
        for h in header:
            x, w = edges[h.col], edges[h.col + h.colspan] - edges[h.col]
            top, bottom = tops[h.row], tops[h.row + h.rowspan]
            _draw_text(page, h.text, x, top, w, top - bottom, style, "center")
            if style.full_grid:
                c.rect(x, bottom, w, top - bottom)
        if not style.full_grid:
            rule(tops[0], 1.0)
            rule(tops[-1], 0.5)
        page.y = tops[-1]

    draw_header()
    first_on_page = True
    for r, row in enumerate(body):
        h = heights[r]
        if page.room() < h:
            if not style.full_grid:
                rule(page.y, 1.0)
            page.new_page()
            if style.repeat_header:
                draw_header()
            elif not style.full_grid:
                rule(page.y, 1.0)
            first_on_page = True
        top = page.y
        for col, text in enumerate(row):
            if text is None and not (first_on_page and style.full_grid):
                continue
            down, height = r + 1, h
            while down < len(body) and body[down][col] is None and height + heights[down] <= top - page.margin:
                height += heights[down]
                down += 1
            if text:
                align = "right" if col in value_columns and style.align_numbers == "right" else (
                    "center" if col in value_columns else "left")
                _draw_text(page, text, edges[col], top, widths[col], height, style, align)
            if style.full_grid:
                c.rect(edges[col], top - height, widths[col], height)
        page.y -= h
        first_on_page = False
    if not style.full_grid:
        rule(page.y, 1.0)
    page.y -= 12
