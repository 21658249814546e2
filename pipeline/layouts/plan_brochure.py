"""Layout: a designed plan brochure (総合計画 概要版) with a small indicator box per policy.

In: a PDF whose policies each print a 成果指標 box (指標名 | 現状値 | 目標値〈R9〉（方向性）) ruled with
horizontal lines only, and whose strategy pages print 数値目標 cards (a numbered name above a
現状値 ▶ 目標値 header, the values below it, all inside a frame).
Out: a ``DocumentExtraction`` with one record per value cell (one per sub-series when the name lists
①② sub-series), ``section`` = the heading above the box ('01 防災', '基本目標１ …').

How it reads (nothing of one edition is built in: no coordinates, page numbers or row counts):
- characters drawn twice at a tiny offset (fake bold) are removed by geometry (``clean_page``);
- a box is found from its header words: a 現状値 word with a 目標値 word to its right on the same band,
  with a 指標名 word to their left in a ruled box; the target's year is the year printed in the
  目標値 header ('〈R9〉');
- columns are bands around the header words: a word belongs to the column whose header word's
  centre is nearest to its own centre (names are left-aligned and values centred, so cell edges
  derived from the header words alone would cut wide values such as '（H29-R3の平均）');
- rows of a ruled box are the bands between the horizontal rules below the header that span the box
  (same extent), up to the next box or title below it or the first band that has no name or no value;
  rules of the same extent at the top of the next page continue the box when its header is not drawn
  again; a card without 指標名 is one row: its name is the text above the header inside the frame
  (its ordinal ❶ dropped), its values are below the header, and the text left of the value columns
  (定義：…) is kept as the record's note;
- a name printed in two blocks side by side (a measure, then the indicator) is read block by block;
- a name listing sub-series (①…, ②…) gives one record per sub-series and value cell: a value cell
  marked ①② is split by its marks, an unmarked one ('いずれも 40％以上 60％以下') applies to each
  (such a range becomes one target row per sub-series in ``tidy.join_ranges``: the lower bound as value,
  direction increase, ``bound`` 'range', the upper bound in ``upper_value``);
- the section is the nearest heading above the box: a large number ('01', '１') with the large
  type beside it (and a small label centred above the number, such as '基本目標').
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Iterable, Sequence

from ..extract.pdf import clean_page
from ..extract.words import Words
from ..normalise import read_year
from ..normalise.text import squash
from ..records import CellRecord, DocumentExtraction
from .base import Layout, compiled


@dataclass(frozen=True)
class BoxSpec:
    """Which words make a box header, a title, a heading, a sub-series mark (regexes, whitespace removed)."""

    name_header: str
    value_headers: Sequence[tuple[str, str]]      # (measure, header regex), left to right as printed
    header_extra: str                             # header words that are neither role nor value ('（方向性）')
    kinds: Sequence[tuple[str, str]]              # (kind, title regex) printed above a box
    heading_number: str                           # the number of a heading ('01', '１')
    ordinal: str                                  # a card's own ordinal before its name ('❶')
    component_mark: str                           # a sub-series mark ('①')


SPEC = BoxSpec(
    name_header=r"^(?:指標名?|事業指標|成果指標名|指標項目)$",
    value_headers=(("baseline", r"^(?:現状値?|基準値|当初値|当初水準|策定時)(?:[〈<(（].*)?$"), ("target", r"^目標値?(?:[〈<(（].*)?$")),
    header_extra=r"^[（(]方向性[)）]$|^[▶►]$",
    kinds=(("goal", r"^数値目標$"), ("kpi", r"^(?:成果指標|重要業績評価指標|KPI|ＫＰＩ)")),
    heading_number=r"^[0-9０-９]{1,2}$",
    ordinal=r"^[❶-❿➀-➓⓫-⓴]\s*",
    component_mark=r"[①-⑳]",
)

# Sizes relative to the page's body text.
HEADING_SIZE = 1.3      # heading type is at least this much larger than body text
NUMBER_SIZE = 1.8       # a heading number is larger still
TOL = 2.0               # points: rules at the same height, rules of the same extent


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2

    @cached_property
    def key(self) -> str:
        return squash(self.text)


@dataclass(frozen=True)
class Rule:
    y: float
    x0: float
    x1: float


@dataclass
class Header:
    columns: list[tuple[str, Word]]   # (role, word) left to right; role 'indicator' or a measure

    @property
    def top(self) -> float:
        return min(w.top for _, w in self.columns)

    @property
    def bottom(self) -> float:
        return max(w.bottom for _, w in self.columns)

    @property
    def x0(self) -> float:
        return min(w.x0 for _, w in self.columns)

    @property
    def x1(self) -> float:
        return max(w.x1 for _, w in self.columns)

    @property
    def has_names(self) -> bool:
        return any(role == "indicator" for role, _ in self.columns)


@dataclass(frozen=True)
class Heading:
    page: int
    top: float
    text: str
    x1: float = 0.0       # right edge, to tell a heading in a column to the left
    x0: float = 0.0       # left edge, to tell a heading in the same column


@dataclass
class Row:
    """One indicator of a box: its name lines and its value cells by measure."""

    page: int
    name: list[str]
    cells: dict[str, tuple[str, tuple[float, float, float, float]]]
    bbox: tuple[float, float, float, float]
    note: str = ""


@dataclass
class BoxRead:
    header: Header
    rows: list[Row] = field(default_factory=list)
    years: dict[str, str] = field(default_factory=dict)   # measure -> year words of its header
    kind: str = ""
    frame: tuple = ()                                      # x from, x to of a ruled box
    bands: list = field(default_factory=list)              # its columns: (role, x from, x to)


# --- words, lines, rules -------------------------------------------------------------------------

def page_words(page) -> list[Word]:
    return [Word(w["text"], w["x0"], w["x1"], w["top"], w["bottom"], float(w.get("size") or 0))
            for w in Words(extra_attrs=["size"]).extract_words(page.chars)]


def body_size(words: Sequence[Word]) -> float:
    sizes = [w.size for w in words for _ in w.text if w.size]
    return statistics.median(sizes) if sizes else 10.0


def text_lines(words: Iterable[Word]) -> list[list[Word]]:
    """Words grouped into printed lines (top to bottom), each line left to right."""
    lines: list[list[Word]] = []
    for w in sorted(words, key=lambda w: (w.top, w.x0)):
        line = lines[-1] if lines else None
        if line and min(x.top for x in line) <= w.cy <= max(x.bottom for x in line):
            line.append(w)
        else:
            lines.append([w])
    return [sorted(line, key=lambda w: w.x0) for line in lines]


def line_text(line: Sequence[Word]) -> str:
    """A line's words joined, with a space where the gap between two words is a printed space."""
    out = ""
    for prev, w in zip([None, *line], line):
        if prev is not None and w.x0 - prev.x1 > 0.25 * (w.size or 8):
            out += " "
        out += w.text
    return out


def cell_text(words: Iterable[Word]) -> str:
    return "\n".join(line_text(line) for line in text_lines(words))


def blocks(words: Sequence[Word], gap: float) -> list[list[Word]]:
    """Words split into side-by-side blocks where no word crosses a vertical gap wider than ``gap``."""
    spans = sorted((w.x0, w.x1) for w in words)
    cuts: list[float] = []
    right = None
    for x0, x1 in spans:
        if right is not None and x0 - right > gap:
            cuts.append((x0 + right) / 2)
        right = x1 if right is None else max(right, x1)
    groups: list[list[Word]] = [[] for _ in range(len(cuts) + 1)]
    for w in words:
        groups[sum(w.cx > c for c in cuts)].append(w)
    return [g for g in groups if g]


def horizontal_rules(page) -> list[Rule]:
    """Horizontal ruling of the page (lines, rectangle and frame edges), touching pieces at one height merged."""
    pieces = sorted((e["top"], e["x0"], e["x1"]) for e in page.edges if e.get("orientation") == "h"
                    and e["x1"] - e["x0"] > 1)
    rules: list[Rule] = []
    for y, x0, x1 in pieces:
        same = next((i for i, r in enumerate(rules) if abs(r.y - y) <= 1.0
                     and x0 <= r.x1 + TOL and x1 >= r.x0 - TOL), None)
        if same is None:
            rules.append(Rule(y, x0, x1))
        else:
            r = rules[same]
            rules[same] = Rule(r.y, min(r.x0, x0), max(r.x1, x1))
    return sorted(rules, key=lambda r: (r.y, r.x0))


# --- headers, headings, titles -------------------------------------------------------------------

def header_role(word: Word, spec: BoxSpec) -> str | None:
    """The column a header word names; an arrow printed against it ('現状値▶') is not part of it.

    >>> header_role(Word("当初水準▶", 0, 1, 0, 1, 9), SPEC), header_role(Word("目標値〈R9〉", 0, 1, 0, 1, 9), SPEC)
    ('baseline', 'target')
    """
    key = word.key.strip("▶►→")
    if compiled(spec.name_header).search(key):
        return "indicator"
    for measure, pattern in spec.value_headers:
        if compiled(pattern).search(key):
            return measure
    return None


def stack_header_words(words: Sequence[Word], spec: BoxSpec) -> list[Word]:
    """Words with a header cell wrapped over two or three lines read as one word ('現状' over '値',
    '目標値〈令和9' over '年度〉'): a word is joined to the word right under it (the next line, close
    below, overlapping it) when the joined text names a column (the same one as the word alone, if the
    word alone names one) and the word under it names none.  Other words are returned as they are.

    >>> w = [Word("現状", 10, 30, 0, 9, 9), Word("値", 15, 25, 11, 20, 9), Word("2,083人", 5, 40, 30, 39, 9)]
    >>> [x.text for x in stack_header_words(w, SPEC)]
    ['現状値', '2,083人']
    """
    used: set[int] = set()
    out: list[Word] = []
    for i, w in enumerate(sorted(words, key=lambda w: (w.top, w.x0))):
        if id(w) in used:
            continue
        cur = w
        for _ in range(2):
            size = cur.size or (cur.bottom - cur.top)
            below = [b for b in words if id(b) not in used and b is not w and b is not cur
                     and 0 <= b.top - cur.bottom <= 0.6 * size and b.x0 < cur.x1 and b.x1 > cur.x0]
            if not below:
                break
            b = min(below, key=lambda b: (b.top, abs(b.cx - cur.cx)))
            joined = Word(cur.text + b.text, min(cur.x0, b.x0), max(cur.x1, b.x1), cur.top, b.bottom, cur.size)
            role = header_role(joined, spec)
            if not role or header_role(b, spec) or header_role(cur, spec) not in (None, role):
                break
            used.add(id(b))
            cur = joined
        out.append(cur)
    return out


def split_at_arrows(words: Sequence[Word]) -> list[Word]:
    """Words printed so close that extraction joined them across an arrow ('当初値▶目標値〈R9〉') as
    separate words, each with its share of the x range (characters of a line are about equally wide).

    >>> [(w.text, w.x0, w.x1) for w in split_at_arrows([Word("当初値▶目標値", 0, 70, 0, 9, 9)])]
    [('当初値', 0.0, 30.0), ('目標値', 40.0, 70.0)]
    """
    out: list[Word] = []
    for w in words:
        parts = compiled(r"[^▶►]+").finditer(w.text)
        spans = [(m.start(), m.end()) for m in parts]
        if len(spans) < 2:
            out.append(w)
            continue
        step = (w.x1 - w.x0) / len(w.text)
        out += [Word(w.text[a:b], w.x0 + a * step, w.x0 + b * step, w.top, w.bottom, w.size) for a, b in spans]
    return out


def find_headers(words: Sequence[Word], spec: BoxSpec) -> list[Header]:
    """Box headers: header words on one band, split where a role repeats (boxes side by side)."""
    roles = ((w, header_role(w, spec)) for w in stack_header_words(split_at_arrows(words), spec))
    found = sorted(((w, role) for w, role in roles if role), key=lambda p: p[0].cy)
    bands: list[list[tuple[Word, str]]] = []
    for w, role in found:
        band = bands[-1] if bands else None
        # one band: header words whose heights overlap (side-by-side boxes may sit a little apart)
        if band and w.top < max(x.bottom for x, _ in band) and w.bottom > min(x.top for x, _ in band):
            band.append((w, role))
        else:
            bands.append([(w, role)])
    measures = [m for m, _ in spec.value_headers]
    headers: list[Header] = []
    for band in bands:
        group: list[tuple[str, Word]] = []
        for w, role in sorted(band, key=lambda p: p[0].x0):
            if group and (role == "indicator" or role in {r for r, _ in group}):
                headers.append(Header(group))
                group = []
            group.append((role, w))
        headers.append(Header(group))
    return [h for h in headers if all(m in {r for r, _ in h.columns} for m in measures)]


def header_years(header: Header) -> dict[str, str]:
    """The year printed inside a value column's header ('目標値〈R9〉' -> 'R9'), by measure."""
    years = {}
    for role, w in header.columns:
        for inner in compiled(r"[〈<(（]([^〈〉<>()（）]*)[〉>)）]").findall(w.key):
            if read_year(inner).fiscal_year is not None:
                years[role] = inner
                break
    return years


def find_headings(page_number: int, words: Sequence[Word], spec: BoxSpec) -> list[Heading]:
    """Headings: a large number with the large type beside it and a small label centred above it."""
    body = body_size(words)
    headings = []
    numbers = [w for w in words if compiled(spec.heading_number).match(w.key) and w.size >= NUMBER_SIZE * body]
    for num in numbers:
        large = [w for w in words if w is not num and w.size >= HEADING_SIZE * body and w.size < num.size]
        # the name: large words on the number's band nearer to it than to another heading number
        # (a heading of the next column), then the lines of the same size just above or below them
        rivals = [o for o in numbers if o is not num and o.top < num.bottom and o.bottom > num.top]
        name = [w for w in large if w.top < num.bottom and w.bottom > num.top
                and all(abs(w.cx - num.cx) <= abs(w.cx - o.cx) for o in rivals)]
        if not name:
            continue
        lo, hi = min(w.x0 for w in name), max(w.x1 for w in name)
        size = statistics.median(w.size for w in name)
        grown = True
        while grown:
            grown = False
            top, bottom = min(w.top for w in name), max(w.bottom for w in name)
            for w in large:
                if w not in name and abs(w.size - size) < 0.5 and w.x0 <= hi and w.x1 >= lo and (
                        0 <= top - w.bottom <= size or 0 <= w.top - bottom <= size):
                    name.append(w)
                    grown = True
        label = [w for w in words if w.size < num.size and abs(w.cx - num.cx) <= (num.x1 - num.x0) / 2
                 and 0 <= num.top - w.bottom <= num.bottom - num.top]
        text = "".join(line_text(line).replace(" ", "") for line in text_lines(name))
        prefix = "".join(w.text for w in label)
        headings.append(Heading(page_number, min(num.top, *(w.top for w in name)), f"{prefix}{num.text} {text}",
                                max(num.x1, *(w.x1 for w in name)), min(num.x0, *(w.x0 for w in name))))
    return headings


def title_kind(words: Sequence[Word], header: Header, spec: BoxSpec) -> str:
    """The kind named by the nearest title printed above the header ('成果指標', '数値目標')."""
    best = None
    for w in words:
        if w.bottom > header.top + TOL:
            continue
        for kind, pattern in spec.kinds:
            if compiled(pattern).search(w.key) and (best is None or w.bottom > best[0].bottom):
                best = (w, kind)
    return best[1] if best else ""


# --- reading one box -----------------------------------------------------------------------------

def column_bands(header: Header, left: float | None, right: float | None) -> list[tuple[str, float, float]]:
    """(role, x from, x to) per column: the boundary between two columns is midway between their header centres."""
    centres = [(role, w.cx) for role, w in header.columns]
    bands = []
    for i, (role, c) in enumerate(centres):
        lo = (centres[i - 1][1] + c) / 2 if i else (left if left is not None else c - (centres[1][1] - c) / 2)
        hi = (c + centres[i + 1][1]) / 2 if i + 1 < len(centres) else (
            right if right is not None else c + (c - centres[i - 1][1]) / 2)
        bands.append((role, lo, hi))
    return bands


def column_of(w: Word, bands: Sequence[tuple[str, float, float]]) -> str | None:
    return next((role for role, lo, hi in bands if lo <= w.cx < hi), None)


def spanning(rules: Sequence[Rule], header: Header) -> list[Rule]:
    x0, x1 = header.x0, header.x1
    return [r for r in rules if r.x0 <= x0 + TOL and r.x1 >= x1 - TOL]


def is_header_word(w: Word, spec: BoxSpec) -> bool:
    return bool(header_role(w, spec) or compiled(spec.header_extra).search(w.key))


def name_text(words: Sequence[Word], body: float) -> list[str]:
    """A name's lines, block by block when it is printed in side-by-side blocks."""
    lines: list[str] = []
    for block in blocks(words, gap=0.75 * body):
        lines.extend(line_text(line) for line in text_lines(block))
    return lines


def bbox_of(words: Sequence[Word]) -> tuple[float, float, float, float]:
    return (min(w.x0 for w in words), min(w.top for w in words), max(w.x1 for w in words), max(w.bottom for w in words))


def box_stops(words: Sequence[Word], rules: Sequence[Rule], others: Sequence[Header], spec: BoxSpec,
              x0: float, x1: float, below: float) -> list[float]:
    """Heights below ``below`` where a box spanning x0..x1 must end: the next box under it (its header, or
    the rule above its header) and a title ('成果指標')."""
    def under(left: float, right: float, y: float) -> bool:
        return y > below and left < x1 and right > x0

    nexts = [h for h in others if under(h.x0, h.x1, h.top)]
    stops = [h.top for h in nexts]
    stops += [max(r.y for r in above) for h in nexts
              for above in [[r for r in spanning(rules, h) if r.y <= h.top + TOL]] if above]
    stops += [w.cy for w in words if under(w.x0, w.x1, w.cy) and any(compiled(p).search(w.key) for _, p in spec.kinds)]
    return stops


def read_bands(page_number: int, words: Sequence[Word], ys: Sequence[float], frame: tuple[float, float],
               bands: Sequence[tuple[str, float, float]], stops: Sequence[float], spec: BoxSpec,
               body: float) -> list[Row]:
    """Rows from the bands between heights ``ys`` (rules), up to a stop or the first band without a name
    or without a value; empty bands before the first row are skipped."""
    x0, x1 = frame
    rows: list[Row] = []
    for upper, lower in zip(ys, ys[1:]):
        if any(upper + TOL < s < lower + TOL for s in stops):
            break
        inside = [w for w in words if upper < w.cy < lower and x0 - TOL <= w.cx <= x1 + TOL
                  and not is_header_word(w, spec)]
        if not inside and not rows:
            continue
        by_role: dict[str, list[Word]] = {}
        for w in inside:
            role = column_of(w, bands)
            if role:
                by_role.setdefault(role, []).append(w)
        values = {m: by_role[m] for m, _ in spec.value_headers if m in by_role}
        if "indicator" not in by_role or not values:
            break
        rows.append(Row(page_number, name_text(by_role["indicator"], body),
                        {m: (cell_text(ws), bbox_of(ws)) for m, ws in values.items()}, (x0, upper, x1, lower)))
    return rows


def same_extent(rules: Sequence[Rule], x0: float, x1: float) -> list[Rule]:
    return [r for r in rules if abs(r.x0 - x0) <= TOL and abs(r.x1 - x1) <= TOL]


def read_ruled_box(page_number: int, words: Sequence[Word], rules: Sequence[Rule], header: Header,
                   others: Sequence[Header], spec: BoxSpec, body: float) -> tuple[list[Row], tuple, list]:
    """Rows of a box with a 指標名 column: bands between the rules below the header spanning the box.
    Also returns the box's extent and column bands (for its continuation on the next page)."""
    below = [r for r in spanning(rules, header) if r.y >= header.bottom - TOL]
    if not below:
        return [], (), []
    frame = (below[0].x0, below[0].x1)
    bands = column_bands(header, frame[0] - TOL, frame[1] + TOL)
    # a header without a rule under it: its first row starts where the header's words end
    ys = sorted({header.bottom} | {r.y for r in same_extent(rules, *frame) if r.y >= below[0].y - 1.0})
    stops = box_stops(words, rules, others, spec, *frame, below=header.bottom)
    return read_bands(page_number, words, ys, frame, bands, stops, spec, body), frame, bands


def extents(rules: Sequence[Rule]) -> list[tuple[float, float]]:
    """The distinct x extents of a page's rules (rules of the same extent within ``TOL`` counted once)."""
    out: list[tuple[float, float]] = []
    for r in rules:
        if not any(abs(r.x0 - x0) <= TOL and abs(r.x1 - x1) <= TOL for x0, x1 in out):
            out.append((r.x0, r.x1))
    return out


def read_continuations(page_number: int, words: Sequence[Word], rules: Sequence[Rule], headers: Sequence[Header],
                       widths: set[float], bands: Sequence[tuple[str, float, float]], spec: BoxSpec,
                       body: float) -> list[tuple[tuple[float, float], list[Row]]]:
    """Rows of boxes continued without their header: ruled bands of the width of a box read before
    (``widths``), above any header in their column, up to the first header, title or heading below them.
    The box may continue on the next page or in the next column, its margins mirrored: the column bands
    (``bands``, of a box of the same width at x 0) are moved to where the rules are."""
    found = []
    for x0, x1 in extents(rules):
        if not any(abs((x1 - x0) - w) <= TOL for w in widths):
            continue
        ys = sorted(r.y for r in same_extent(rules, x0, x1))
        above = [h.top for h in headers if h.x0 < x1 and h.x1 > x0]
        if above:
            ys = [y for y in ys if y <= min(above) + TOL]
        if len(ys) < 2:
            continue
        stops = box_stops(words, rules, headers, spec, x0, x1, below=ys[0] - 1.0)
        moved = [(role, lo + x0, hi + x0) for role, lo, hi in bands]
        rows = read_bands(page_number, words, ys, (x0, x1), moved, stops, spec, body)
        if rows:
            found.append(((x0, x1), rows))
    return found


def read_card(page_number: int, words: Sequence[Word], rules: Sequence[Rule], header: Header,
              spec: BoxSpec, body: float) -> list[Row]:
    """The one row of a card without 指標名: the name above the header, the values below it, in a frame."""
    frame = spanning(rules, header)
    above = [r for r in frame if r.y <= header.top + TOL]
    below = [r for r in frame if r.y >= header.bottom - TOL]
    if not above or not below:
        return []
    top, bottom = above[-1], below[0]
    x0, x1 = max(top.x0, bottom.x0), min(top.x1, bottom.x1)
    inside = [w for w in words if top.y < w.cy < bottom.y and x0 - TOL <= w.cx <= x1 + TOL
              and not is_header_word(w, spec)]
    bands = column_bands(header, None, None)
    name = [w for w in inside if w.bottom <= header.top + TOL]
    by_role: dict[str, list[Word]] = {}
    note: list[Word] = []
    for w in inside:
        if w in name:
            continue
        role = column_of(w, bands)
        if role and w.top >= header.bottom - TOL:
            by_role.setdefault(role, []).append(w)
        elif w.x1 <= bands[0][1]:
            note.append(w)
    if not name or not by_role:
        return []
    lines = name_text(name, body)
    lines[0] = compiled(spec.ordinal).sub("", lines[0])
    note_text = "".join(line_text(line) for line in text_lines(note))
    return [Row(page_number, lines, {m: (cell_text(ws), bbox_of(ws)) for m, ws in by_role.items()},
                (x0, top.y, x1, bottom.y), note_text)]


# --- records -------------------------------------------------------------------------------------

def split_components(name: Sequence[str], spec: BoxSpec) -> tuple[str, list[tuple[str, str]]]:
    """The indicator's name and its sub-series [(mark, label)] when its lines list ①… ②….

    >>> split_components(["各種審議会等の女性委員の割合", "①附属機関及び要綱", "に基づく審議会等", "②附属機関"], SPEC)
    ('各種審議会等の女性委員の割合', [('①', '附属機関及び要綱に基づく審議会等'), ('②', '附属機関')])
    >>> split_components(["防災訓練の延べ", "参加者数"], SPEC)
    ('防災訓練の延べ参加者数', [])
    """
    head: list[str] = []
    parts: list[list[str]] = []
    marks: list[str] = []
    for line in name:
        m = compiled(rf"\s*({spec.component_mark})\s*(.*)$").match(line)
        if m:
            marks.append(m.group(1))
            parts.append([m.group(2)])
        elif parts:
            parts[-1].append(line)
        else:
            head.append(line)
    if not parts or not head:
        return "".join(name), []
    return "".join(head), [(mark, "".join(p).strip()) for mark, p in zip(marks, parts)]


def split_cell(text: str, marks: Sequence[str], spec: BoxSpec) -> dict[str, str]:
    """A value cell's text for each sub-series mark: marked lines go to their mark, others to every mark.

    >>> split_cell("①39.6％\\n②33.3％\\n（R4）", ["①", "②"], SPEC)
    {'①': '39.6％\\n（R4）', '②': '33.3％\\n（R4）'}
    >>> split_cell("いずれも\\n40％以上\\n60％以下", ["①", "②"], SPEC)
    {'①': 'いずれも\\n40％以上\\n60％以下', '②': 'いずれも\\n40％以上\\n60％以下'}
    """
    own: dict[str, list[str]] = {m: [] for m in marks}
    shared: list[str] = []
    current = None
    for line in text.split("\n"):
        m = compiled(rf"\s*({spec.component_mark})\s*(.*)$").match(line)
        if m and m.group(1) in own:
            current = m.group(1)
            own[current].append(m.group(2))
        elif current is not None and not compiled(r"^\s*[(（]").match(line) and own[current]:
            own[current].append(line)        # a wrapped marked line
        else:
            shared.append(line)
    if not any(own.values()):
        return {m: text for m in marks}
    return {m: "\n".join(own[m] + shared) for m in marks}


def records(box: BoxRead, section: str, spec: BoxSpec) -> list[CellRecord]:
    """One record per value cell of the box's rows (per sub-series when the name lists them)."""
    out = []
    for row in box.rows:
        indicator, components = split_components(row.name, spec)
        for measure, (text, bbox) in row.cells.items():
            base = CellRecord(page=row.page, indicator=indicator, measure=measure, text=text, section=section,
                              year_text=box.years.get(measure, ""), note=row.note, group=section,
                              kind=box.kind, bbox=bbox, row_bbox=row.bbox)
            if not components:
                out.append(base)
                continue
            per_mark = split_cell(text, [m for m, _ in components], spec)
            for mark, label in components:
                out.append(replace(base, text=per_mark[mark], component=label))
    return out


def reading_order(items: list[tuple[float, float, float, object]]) -> list[object]:
    """Items (x0, x1, top, item) of one page in reading order: column by column (items whose x ranges
    overlap share a column), left to right, each column top to bottom.

    >>> reading_order([(420, 800, 50, "right top"), (40, 400, 300, "left low"), (40, 400, 60, "left top")])
    ['left top', 'left low', 'right top']
    """
    columns: list[list[tuple[float, float, float, object]]] = []
    for item in sorted(items, key=lambda i: i[0]):
        col = next((c for c in columns if any(item[0] < o[1] and item[1] > o[0] for o in c)), None)
        if col is None:
            columns.append([item])
        else:
            col.append(item)
    return [i[3] for col in columns for i in sorted(col, key=lambda i: i[2])]


def read_boxes(pages: Sequence, spec: BoxSpec = SPEC) -> tuple[list[CellRecord], list[str]]:
    """All value-cell records of the indicator boxes on ``pages`` (deduplicated pages), a box continued
    without its header (on the next page or in the next column) joined to the box it continues."""
    problems: list[str] = []
    found: list[tuple[int, float, BoxRead]] = []
    origin: dict[int, BoxRead] = {}          # id of a continuation -> the box it continues (for its section)
    headings: list[Heading] = []
    for page in pages:
        words = page_words(page)
        if not words:
            continue
        body = body_size(words)
        headings.extend(find_headings(page.page_number, words, spec))
        rules = horizontal_rules(page)
        headers = find_headers(words, spec)
        here: list[tuple[float, float, float, object]] = []
        for header in headers:
            frame, bands = (), []
            if header.has_names:
                rows, frame, bands = read_ruled_box(page.page_number, words, rules, header, headers, spec, body)
            else:
                rows = read_card(page.page_number, words, rules, header, spec, body)
            if not rows:
                problems.append(f"page {page.page_number}: an indicator header at y={header.top:.0f} "
                                "has no ruled rows or frame below it; not read")
                continue
            box = BoxRead(header, rows, header_years(header), title_kind(words, header, spec), frame, bands)
            x0, x1 = frame if frame else (rows[0].bbox[0], rows[0].bbox[2])     # a card: its frame
            here.append((x0, x1, header.top, box))
        ruled = [b for _, _, b in found if b.frame] + [i[3] for i in here if i[3].frame]
        if ruled:
            widths = {b.frame[1] - b.frame[0] for b in ruled}
            model = ruled[-1] if not found or not found[-1][2].frame else found[-1][2]
            at_zero = [(role, lo - model.frame[0], hi - model.frame[0]) for role, lo, hi in model.bands]
            for extent, rows in read_continuations(page.page_number, words, rules, headers, widths, at_zero,
                                                   spec, body):
                here.append((*extent, rows[0].bbox[1], (extent, rows)))
        for item in reading_order(here):
            if isinstance(item, BoxRead):
                if not item.kind and found:
                    # no title above: a box continued with its header drawn again keeps the kind of the box
                    # it continues, and its section unless a heading stands above it in its own column
                    box = replace(item, kind=found[-1][2].kind)
                    origin[id(box)] = origin.get(id(found[-1][2]), found[-1][2])
                    found.append((page.page_number, item.header.top, box))
                else:
                    found.append((page.page_number, item.header.top, item))
                continue
            extent, rows = item
            last = found[-1][2] if found else None
            if last is None or not last.frame or abs((extent[1] - extent[0]) - (last.frame[1] - last.frame[0])) > TOL:
                problems.append(f"page {page.page_number}: ruled rows at y={rows[0].bbox[1]:.0f} continue no box "
                                "read before them; not read")
                continue
            dx = extent[0] - last.frame[0]
            bands = [(role, lo + dx, hi + dx) for role, lo, hi in last.bands]
            box = BoxRead(last.header, rows, last.years, last.kind, extent, bands)
            origin[id(box)] = origin.get(id(last), last)
            found.append((page.page_number, rows[0].bbox[1], box))
    cells: list[CellRecord] = []
    sections: dict[int, str] = {}
    def extent(box: BoxRead) -> tuple[float, float]:
        return box.frame if box.frame else (box.rows[0].bbox[0], box.rows[0].bbox[2])     # a card: its frame

    boxed: dict[int, list[tuple[float, float]]] = {}
    for page_number, _, box in found:
        boxed.setdefault(page_number, []).append(extent(box))
    for page_number, top, box in found:
        x0, x1 = extent(box)
        own = [h for h in headings if h.page == page_number and h.top < top and in_column(h, x0, x1)]
        if id(box) in origin and not (own and box.header is not origin[id(box)].header):
            section = sections.get(id(origin[id(box)]), "")
        else:
            others = [(a, b) for a, b in boxed[page_number] if not (a < x1 and b > x0)]
            heading = section_heading(headings, page_number, top, x0, x1, others)
            section = heading.text if heading else ""
        sections[id(box)] = section
        cells.extend(records(box, section, spec))
    return cells, problems


def section_heading(headings: Sequence[Heading], page: int, top: float, x0: float,
                    x1: float | None = None, boxed: Sequence[tuple[float, float]] = ()) -> Heading | None:
    """The heading a box at (page, top, x0..x1) sits under: the nearest above it in its own column (a
    heading whose x range meets the box's); else the nearest above it on its page beside the box (in a
    column that holds no box, ``boxed`` being the x ranges of the page's boxes); else the last heading in
    the columns to its left; else the last heading of the pages before (in reading order: column by
    column, top to bottom).

    >>> hs = [Heading(1, 50, "1 防災", 200, 40), Heading(1, 400, "2 子育て", 200, 40), Heading(2, 60, "3 教育", 200, 40)]
    >>> [section_heading(hs, *where).text for where in [(1, 300, 40), (1, 40, 320), (2, 300, 40), (2, 30, 40)]]
    ['1 防災', '2 子育て', '3 教育', '2 子育て']
    >>> two = hs + [Heading(1, 100, "4 環境", 700, 420)]
    >>> [section_heading(two, *where).text for where in [(1, 450, 420, 800), (1, 30, 420, 800), (2, 30, 40, 400)]]
    ['4 環境', '2 子育て', '4 環境']
    >>> flow = [Heading(1, 60, "1 a", 150, 40), Heading(1, 250, "2 b", 150, 40)]   # columns of boxes
    >>> section_heading(flow, 1, 200, 440, 800, boxed=[(40, 400), (440, 800)]).text
    '2 b'
    >>> section_heading(flow, 1, 200, 440, 800).text      # a heading beside its box, left of it
    '1 a'
    """
    right = x0 + 1 if x1 is None else x1
    here = [h for h in headings if h.page == page]
    own = [h for h in here if h.top < top and in_column(h, x0, right)]
    above = [h for h in here if h.top < top and not any(in_column(h, a, b) for a, b in boxed)]
    left = [h for h in here if h.x1 <= x0]
    earlier = [h for h in headings if h.page < page]
    for candidates in (own, above):
        if candidates:
            return max(candidates, key=lambda h: h.top)
    for candidates in (left, earlier):
        if candidates:
            return max(candidates, key=lambda h: (h.page, _column_rank(h, candidates), h.top))
    return None


def in_column(h: Heading, x0: float, x1: float) -> bool:
    """The heading stands over the x range x0..x1: at least half of the narrower of the two overlaps
    (a heading beside a box may touch its edge without standing over it).

    >>> in_column(Heading(1, 0, "31 x", 273.7, 48), 273.2, 561), in_column(Heading(1, 0, "1 x", 200, 40), 40, 400)
    (False, True)
    """
    overlap = min(h.x1, x1) - max(h.x0, x0)
    return overlap > 0 and overlap >= 0.5 * min(h.x1 - h.x0, x1 - x0)


def _column_rank(h: Heading, candidates: Sequence[Heading]) -> int:
    """How many headings on h's page lie wholly to the left of h (its column, counted from the left)."""
    return sum(1 for c in candidates if c.page == h.page and c.x1 <= h.x0)


def read(pdf, source) -> DocumentExtraction:
    pages = [clean_page(page) for page in pdf.pages]
    cells, problems = read_boxes(pages)
    return DocumentExtraction(
        document=source.document, municipality=source.municipality, layout=LAYOUT.name,
        pages=len(pages), cells=cells, problems=problems)


LAYOUT = Layout(
    name="plan_brochure",
    description="総合計画 概要版 (designed brochure): a 成果指標 box per policy (指標名 | 現状値 | 目標値〈R9〉), "
                "horizontal rules only, and 数値目標 cards of the strategy",
    # Recognition reads the first pages only: the brochure's opening pages (将来都市像, 基本構想, 基本政策).
    identify=(r"成果指標", r"現状値", r"目標値", r"方向性"),
    read=read,
)
