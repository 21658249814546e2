"""Tables as grids of cells: ruled tables with merged cells resolved, and the bands and columns of tables
ruled with horizontal lines only or with none.

In: a pdfplumber page. Out: ``Table`` objects whose ``rows`` are complete lists of ``Cell``:
every grid position has a cell, and a position covered by a merged cell (a department printed
once for a run of rows, a header spanning three columns) carries that cell's text with
``merged=True``.  Tables are found from the page's ruling lines (pdfplumber's "lines"
strategy), so column widths, row heights and page sizes never matter.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from operator import itemgetter

_X0 = itemgetter("x0")
from typing import Sequence

from pdfplumber.table import Table as PlumberTable
from pdfplumber.table import TableFinder, TableSettings, cells_to_tables, edges_to_intersections
from pdfplumber.utils.geometry import obj_to_bbox
from pdfplumber.utils.text import DEFAULT_Y_TOLERANCE

from .pdf import _clusters
from .words import Words

BBox = tuple[float, float, float, float]


@dataclass(frozen=True)
class Cell:
    text: str
    bbox: BBox                # of the position in the grid
    origin: tuple[int, int]   # (row, col) of the cell that prints this text
    merged: bool = False      # True where the position is covered by a cell printed elsewhere

    @property
    def lines(self) -> list[str]:
        return [line for line in self.text.split("\n")]


@dataclass
class Table:
    page: int                 # 1-based
    bbox: BBox
    rows: list[list[Cell]]

    @property
    def n_cols(self) -> int:
        return len(self.rows[0]) if self.rows else 0

    def row_bbox(self, r: int) -> BBox:
        cells = self.rows[r]
        return (min(c.bbox[0] for c in cells), min(c.bbox[1] for c in cells),
                max(c.bbox[2] for c in cells), max(c.bbox[3] for c in cells))

    def is_spanning(self, r: int) -> bool:
        """A row printed as one cell across the whole table (a heading inside the table)."""
        row = self.rows[r]
        return len(row) > 1 and all(c.origin == row[0].origin for c in row) and bool(row[0].text.strip())


def _edges(cells: Sequence[BBox | None], index: int) -> float | None:
    values = [c[index] for c in cells if c is not None]
    return min(values) if index < 2 else max(values) if values else None


def _grid_table(page_number: int, found, texts: list[list[str | None]]) -> Table:
    raw_rows = [row.cells for row in found.rows]
    n_cols = max(len(r) for r in raw_rows)
    col_x0 = [min((r[c][0] for r in raw_rows if c < len(r) and r[c] is not None), default=None) for c in range(n_cols)]
    # A column's right edge is its narrowest cell's: a cell spanning several columns (a heading row)
    # starts in the column but ends further right.
    col_x1 = [min((r[c][2] for r in raw_rows if c < len(r) and r[c] is not None), default=None) for c in range(n_cols)]
    # A column whose every position is merged has no own cell: borrow its neighbours' edges.
    for c in range(n_cols):
        if col_x0[c] is None:
            col_x0[c] = col_x1[c - 1] if c else found.bbox[0]
        if col_x1[c] is None:
            col_x1[c] = col_x0[c + 1] if c + 1 < n_cols and col_x0[c + 1] is not None else found.bbox[2]
    row_top = [row.bbox[1] for row in found.rows]
    # Likewise a row's bottom is its shortest cell's (a merged cell spanning rows below ends lower).
    row_bottom = [min(b[3] for b in row.cells if b is not None) for row in found.rows]
    own: list[tuple[int, int, BBox]] = [(r, c, b) for r, row in enumerate(raw_rows)
                                        for c, b in enumerate(row) if b is not None]
    rows: list[list[Cell]] = []
    for r, row in enumerate(raw_rows):
        out: list[Cell] = []
        for c in range(n_cols):
            bbox = row[c] if c < len(row) else None
            if bbox is not None:
                out.append(Cell(texts[r][c] or "", bbox, (r, c)))
                continue
            pos = (col_x0[c], row_top[r], col_x1[c], row_bottom[r])
            cx, cy = (pos[0] + pos[2]) / 2, (pos[1] + pos[3]) / 2
            cover = next(((r0, c0) for r0, c0, b in own
                          if b[0] <= cx <= b[2] and b[1] <= cy <= b[3]), None)
            if cover is None:
                out.append(Cell("", pos, (r, c)))
            else:
                out.append(Cell(texts[cover[0]][cover[1]] or "", pos, cover, merged=True))
        rows.append(out)
    return Table(page_number, tuple(found.bbox), rows)


class _CharIndex:
    """A page's characters sorted by their vertical middle, to find a table row's characters by
    bisection instead of testing every character of the page for every row."""

    def __init__(self, chars: list[dict]):
        keyed = sorted(((c["top"] + c["bottom"]) / 2, i) for i, c in enumerate(chars))
        self.chars = chars
        self.v_mids = [v for v, _ in keyed]
        self.order = [i for _, i in keyed]

    def in_band(self, top: float, bottom: float) -> list[dict]:
        """The characters whose middle is in [top, bottom), in page order."""
        lo, hi = bisect_left(self.v_mids, top), bisect_left(self.v_mids, bottom)
        return [self.chars[i] for i in sorted(self.order[lo:hi])]


def _in_bbox(char: dict, bbox: BBox) -> bool:
    v_mid = (char["top"] + char["bottom"]) / 2
    h_mid = (char["x0"] + char["x1"]) / 2
    return bbox[0] <= h_mid < bbox[2] and bbox[1] <= v_mid < bbox[3]


def cell_text(chars: list[dict], words=None) -> str:
    """``pdfplumber.utils.extract_text(chars)`` with its defaults, the same text: the characters'
    words (``words``: a ``Words()``, made once per page), lines of words clustered by their tops
    (``cluster_objects``), joined."""
    found = (words or Words()).extract_words(chars)
    lines = _clusters(found, itemgetter("top"), DEFAULT_Y_TOLERANCE) if found else []
    return "\n".join(" ".join(word["text"] for word in line) for line in lines)


def table_texts(found, index: _CharIndex) -> list[list[str | None]]:
    """``found.extract()`` (pdfplumber's ``Table.extract`` with its defaults), the same texts, with
    each row's and cell's characters found by bisection."""
    words = Words()
    texts = []
    for row in found.rows:
        band = [c for c in index.in_band(row.bbox[1], row.bbox[3]) if _in_bbox(c, row.bbox)]
        # The row's characters by horizontal middle (with their page order), for the cells.
        across = sorted(((c["x0"] + c["x1"]) / 2, i) for i, c in enumerate(band))
        h_mids = [h for h, _ in across]
        out: list[str | None] = []
        for cell in row.cells:
            if cell is None:
                out.append(None)
                continue
            lo, hi = bisect_left(h_mids, cell[0]), bisect_left(h_mids, cell[2])
            chars = [band[i] for i in sorted(i for _, i in across[lo:hi]) if _in_bbox(band[i], cell)]
            out.append(cell_text(chars, words) if chars else "")
        texts.append(out)
    return texts


def cells_of(intersections: dict) -> list[BBox]:
    """``pdfplumber.table.intersections_to_cells(intersections)``, the same cells in the same order,
    with each point's edges made into sets once (pdfplumber makes them again for every pair of
    points it compares) and the points below and right of a point looked up by column and row."""
    v_edges = {p: set(map(obj_to_bbox, e["v"])) for p, e in intersections.items()}
    h_edges = {p: set(map(obj_to_bbox, e["h"])) for p, e in intersections.items()}

    def connects(p1, p2) -> bool:
        return ((p1[0] == p2[0] and not v_edges[p1].isdisjoint(v_edges[p2]))
                or (p1[1] == p2[1] and not h_edges[p1].isdisjoint(h_edges[p2])))

    points = sorted(intersections)
    columns: dict[float, list[int]] = {}
    rows: dict[float, list[int]] = {}
    for i, (x, y) in enumerate(points):
        columns.setdefault(x, []).append(i)
        rows.setdefault(y, []).append(i)
    cells = []
    for i, pt in enumerate(points):
        below = [points[j] for j in columns[pt[0]] if j > i]
        right = [points[j] for j in rows[pt[1]] if j > i]
        cells.append(next(((pt[0], pt[1], r[0], b[1]) for b in below if connects(pt, b)
                           for r in right if connects(pt, r)
                           if (r[0], b[1]) in intersections and connects((r[0], b[1]), r)
                           and connects((r[0], b[1]), b)), None))
    return [cell for cell in cells if cell]


class _TableFinder(TableFinder):
    """pdfplumber's ``TableFinder`` (``page.find_tables``: the same tables), its cells found by
    ``cells_of``."""

    def __init__(self, page, settings=None):
        self.page = page
        self.settings = TableSettings.resolve(settings)
        self.edges = self.get_edges()
        self.intersections = edges_to_intersections(
            self.edges, self.settings.intersection_x_tolerance, self.settings.intersection_y_tolerance)
        self.cells = cells_of(self.intersections)
        self.tables = [PlumberTable(self.page, group) for group in cells_to_tables(self.cells)]


def _find_ruled_tables(page, settings: dict | None) -> list[Table]:
    found = _TableFinder(page, settings or {}).tables
    tables = []
    index = _CharIndex(page.chars) if found else None
    for t in found:
        texts = table_texts(t, index)
        if not texts:
            continue
        tables.append(_grid_table(page.page_number, t, texts))
    tables.sort(key=lambda t: (t.bbox[1], t.bbox[0]))
    return tables


def ruled_tables(page, settings: dict | None = None) -> list[Table]:
    """All ruled tables of a (deduplicated) pdfplumber page, top to bottom.

    Found once per page and settings (layouts read a page's tables more than once: the indicator
    tables, then the 総括表); each call gets its own ``Table`` objects.
    """
    key = repr(sorted((settings or {}).items()))
    found = page.__dict__.setdefault("_muniplan_tables", {})
    if key not in found:
        found[key] = _find_ruled_tables(page, settings)
    return [Table(t.page, t.bbox, [list(row) for row in t.rows]) for t in found[key]]


# --- tables ruled with horizontal lines only ------------------------------------------------------
#
# Measured on a report whose tables have only horizontal rules (other cities' plan outcome tables):
# pdfplumber's text strategy (vertical_strategy "text") takes its columns from the whole page's text
# and cuts indicator names and prose into pieces; camelot's stream flavour finds one column. So the
# columns of such a table come from its header words' x-extents (``column_cuts``) and its rows from
# the text lines between the rules (``text_rows``); ``open_table`` builds the same ``Table`` of cells
# as a ruled table, the cells' text read exactly as for ruled cells. A page with no rules at all gives its
# text rows as bands (``text_bands``) and is read the same way.

RULE_THICKNESS = 2.0     # points; a filled rectangle thinner than this is a rule
SAME_EDGE = 2.0          # points; rules starting and ending within this are one table's rules


@dataclass(frozen=True)
class Band:
    """The space between two consecutive horizontal rules of the same x-extent."""

    page: int
    x0: float
    top: float
    x1: float
    bottom: float
    words: tuple[dict, ...]


def horizontal_rules(page) -> list[BBox]:
    """Horizontal lines (and hairline rectangles) of the page, as (x0, top, x1, bottom)."""
    rules = [(l["x0"], l["top"], l["x1"], l["bottom"]) for l in page.lines
             if abs(l["bottom"] - l["top"]) < RULE_THICKNESS and l["x1"] - l["x0"] > 20]
    rules += [(r["x0"], r["top"], r["x1"], r["bottom"]) for r in page.rects
              if r["bottom"] - r["top"] < RULE_THICKNESS and r["x1"] - r["x0"] > 20]
    return sorted(rules, key=lambda b: (b[1], b[0]))


def rule_bands(page, words: list[dict], outside: Sequence[BBox] = ()) -> list[Band]:
    """The bands between consecutive horizontal rules of the same x-extent that hold words, top to
    bottom; rules inside ``outside`` (the page's ruled tables) are left out."""
    def inside(rule: BBox) -> bool:
        return any(b[0] - SAME_EDGE <= rule[0] and rule[2] <= b[2] + SAME_EDGE
                   and b[1] - SAME_EDGE <= rule[1] <= b[3] + SAME_EDGE for b in outside)

    groups: list[list[BBox]] = []
    for rule in horizontal_rules(page):
        if inside(rule):
            continue
        group = next((g for g in groups if abs(g[0][0] - rule[0]) <= SAME_EDGE
                      and abs(g[0][2] - rule[2]) <= SAME_EDGE), None)
        if group is None:
            groups.append([rule])
        elif rule[1] - group[-1][1] > SAME_EDGE:
            group.append(rule)
    bands = []
    for group in groups:
        for upper, lower in zip(group, group[1:]):
            x0, x1 = min(upper[0], lower[0]), max(upper[2], lower[2])
            inside_words = tuple(w for w in words if w["top"] >= upper[1] and w["bottom"] <= lower[1] + 0.5
                                 and w["x0"] >= x0 - SAME_EDGE and w["x1"] <= x1 + SAME_EDGE)
            if inside_words:
                bands.append(Band(page.page_number, x0, upper[1], x1, lower[1], inside_words))
    return sorted(bands, key=lambda b: (b.top, b.x0))


def text_lines(words: Sequence[dict]) -> list[list[dict]]:
    """Words grouped into printed lines (same top within pdfplumber's tolerance), top to bottom."""
    if not words:
        return []
    return [sorted(line, key=_X0) for line in _clusters(list(words), itemgetter("top"), DEFAULT_Y_TOLERANCE) if line]


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> float:
    return min(a[1], b[1]) - max(a[0], b[0])


def header_columns(words: Sequence[dict]) -> list[tuple[float, float]]:
    """The x-extents of a header band's columns: its words grouped by horizontal overlap, a word that
    spans two words of another line side by side (実績値 over its years) left out of the grouping.

    >>> w = lambda x0, x1, top: {"x0": x0, "x1": x1, "top": top, "bottom": top + 8, "text": "x"}
    >>> header_columns([w(10, 30, 0), w(60, 100, 0), w(55, 75, 10), w(85, 105, 10), w(5, 35, 10)])
    [(5, 35), (55, 75), (85, 105)]
    """
    lines = text_lines(words)

    def spans(word) -> bool:
        extent = (word["x0"], word["x1"])
        return any(sum(_overlap(extent, (o["x0"], o["x1"])) > 0 for o in line) >= 2
                   for line in lines if word not in line)

    extents = sorted((w["x0"], w["x1"]) for w in words if not spans(w))
    merged: list[list[float]] = []
    for x0, x1 in extents:
        if merged and x0 < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], x1)
        else:
            merged.append([x0, x1])
    return [(a, b) for a, b in merged]


def column_cuts(columns: Sequence[tuple[float, float]], body: Sequence[dict]) -> list[float]:
    """The x positions between adjacent header columns: in each gap between two header extents, the
    middle of the widest stretch no body word covers (the gutter between the columns' texts), else the
    gap's middle.

    >>> column_cuts([(0, 10), (50, 60)], [{"x0": 0, "x1": 30}, {"x0": 44, "x1": 60}])
    [37.0]
    """
    cuts = []
    for (_, left), (right, _) in zip(columns, columns[1:]):
        covered = sorted((max(left, w["x0"]), min(right, w["x1"])) for w in body
                         if w["x1"] > left and w["x0"] < right)
        free, start = [], left
        for a, b in covered:
            if a > start:
                free.append((start, a))
            start = max(start, b)
        if right > start:
            free.append((start, right))
        best = max(free, key=lambda s: s[1] - s[0], default=(left, right))
        cuts.append((best[0] + best[1]) / 2)
    return cuts


def text_rows(words: Sequence[dict]) -> list[tuple[float, float]]:
    """The vertical extents of a band's table rows: printed lines that overlap vertically or are closer
    than half a line's height (a name wrapped inside its cell, a value centred beside it) are one row."""
    rows: list[list[float]] = []
    for line in text_lines(words):
        top, bottom = min(w["top"] for w in line), max(w["bottom"] for w in line)
        if rows and top - rows[-1][1] < (bottom - top) / 2:
            rows[-1][1] = max(rows[-1][1], bottom)
        else:
            rows.append([top, bottom])
    return [(a, b) for a, b in rows]


def fits(band: Band, cuts: Sequence[float]) -> bool:
    """Whether no word of the band crosses a column cut (the band continues a table of these columns)."""
    return all(not (w["x0"] < cut - 0.5 and w["x1"] > cut + 0.5) for w in band.words for cut in cuts)


def open_table(page, bands: Sequence[Band], cuts: Sequence[float], header: Band | None = None) -> Table:
    """A ``Table`` from a header band (its one row: each column's header words, lines joined) and body
    bands (one row per ``text_rows`` row), its columns split at ``cuts``."""
    x0, x1 = min(b.x0 for b in ([header] if header else []) + list(bands)), max(
        b.x1 for b in ([header] if header else []) + list(bands))
    edges = [x0, *cuts, x1]
    spans = list(zip(edges, edges[1:]))
    rows: list[list[Cell]] = []
    if header is not None:
        out = []
        for c, (a, b) in enumerate(spans):
            mine = [w for w in header.words if _overlap((w["x0"], w["x1"]), (a, b)) > 0]
            text = "\n".join(" ".join(w["text"] for w in line) for line in text_lines(mine))
            out.append(Cell(text, (a, header.top, b, header.bottom), (0, c)))
        rows.append(out)
    index = _CharIndex(page.chars)
    words = Words()
    for band in bands:
        extents = text_rows(band.words)
        bounds = [band.top] + [(p[1] + q[0]) / 2 for p, q in zip(extents, extents[1:])] + [band.bottom]
        for top, bottom in zip(bounds, bounds[1:]):
            chars = index.in_band(top, bottom)
            r = len(rows)
            rows.append([Cell(cell_text([ch for ch in chars if _in_bbox(ch, (a, top, b, bottom))], words),
                              (a, top, b, bottom), (r, c)) for c, (a, b) in enumerate(spans)])
    top = header.top if header else bands[0].top
    return Table(page.page_number, (x0, top, x1, bands[-1].bottom if bands else header.bottom), rows)


def text_bands(page, words: list[dict], outside: Sequence[BBox] = ()) -> list[Band]:
    """For a page without rules: its text rows (``text_rows``: lines closer than half a line are one
    row) as bands, words inside ``outside`` (the page's ruled tables) left out, top to bottom."""
    free = [w for w in words if not any(b[0] <= w["x0"] and w["x1"] <= b[2] and b[1] <= w["top"] and w["bottom"] <= b[3]
                                        for b in outside)]
    bands = []
    for top, bottom in text_rows(free):
        mine = tuple(w for w in free if top <= w["top"] and w["bottom"] <= bottom)
        if mine:
            bands.append(Band(page.page_number, min(w["x0"] for w in mine), top - 0.5,
                              max(w["x1"] for w in mine), bottom + 0.5, mine))
    return bands
