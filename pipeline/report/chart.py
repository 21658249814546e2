"""Grade counts -> an inline SVG bar chart, published vs recomputed (no script, no network).

In: grades.csv rows of one document. Out: ``grade_counts`` (grade -> (published, recomputed))
and ``grade_chart`` (an ``<svg>`` string: one pair of bars per grade, each bar carrying
``data-series``, ``data-grade`` and ``data-count`` so that it can be checked, and a ``<title>``).
"""
from __future__ import annotations

from html import escape

GRADES = ("A", "B", "C", "D", "-", "")
LABELS = {"": "none", "-": "-"}
COLOURS = {"published": "#4e79a7", "recomputed": "#f28e2b"}


def grade_counts(grades: list[dict[str, str]]) -> dict[str, tuple[int, int]]:
    """grade -> (published, recomputed) counts; grades outside the legend are kept too.

    >>> grade_counts([{"published_grade": "A", "recomputed_grade": "B"},
    ...               {"published_grade": "A", "recomputed_grade": "A"}])["A"]
    (2, 1)
    """
    published = [g.get("published_grade", "") for g in grades]
    recomputed = [g.get("recomputed_grade", "") for g in grades]
    keys = list(GRADES) + sorted({k for k in published + recomputed if k not in GRADES})
    return {k: (published.count(k), recomputed.count(k)) for k in keys}


def grade_chart(grades: list[dict[str, str]], title: str = "") -> str:
    counts = {k: v for k, v in grade_counts(grades).items() if v != (0, 0) or k in "ABCD"}
    top = max([max(v) for v in counts.values()] + [1])
    bar, gap, group_gap = 22, 4, 26
    left, right, upper, lower = 40, 20, 36, 34
    plot_h = 180
    width = left + right + len(counts) * (2 * bar + gap + group_gap)
    height = upper + plot_h + lower
    base = upper + plot_h
    step = max(1, -(-top // 5))
    parts = [f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title or "grade distribution")}">',
             f"<title>{escape(title or 'grade distribution')}</title>"]
    for tick in range(0, top + step, step):
        y = base - plot_h * tick / top
        if y < upper - 1:
            break
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
                     f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="#555">{tick}</text>')
    x = left + group_gap / 2
    for grade, pair in counts.items():
        label = escape(LABELS.get(grade, grade))
        for i, series in enumerate(("published", "recomputed")):
            count = pair[i]
            h = plot_h * count / top
            bx = x + i * (bar + gap)
            parts.append(f'<rect class="bar" data-series="{series}" data-grade="{escape(grade)}" data-count="{count}" '
                         f'x="{bx:.1f}" y="{base - h:.1f}" width="{bar}" height="{h:.1f}" fill="{COLOURS[series]}">'
                         f"<title>{series} {label}: {count}</title></rect>"
                         f'<text x="{bx + bar / 2:.1f}" y="{base - h - 4:.1f}" text-anchor="middle" font-size="11" '
                         f'fill="#222">{count}</text>')
        parts.append(f'<text x="{x + bar + gap / 2:.1f}" y="{base + 18}" text-anchor="middle" font-size="13" '
                     f'font-weight="bold" fill="#222">{label}</text>')
        x += 2 * bar + gap + group_gap
    parts.append(f'<line x1="{left}" x2="{width - right}" y1="{base}" y2="{base}" stroke="#333"/>')
    for i, series in enumerate(("published", "recomputed")):
        lx = left + i * 120
        parts.append(f'<rect x="{lx}" y="8" width="12" height="12" fill="{COLOURS[series]}"/>'
                     f'<text x="{lx + 17}" y="18" font-size="12" fill="#222">{series}</text>')
    parts.append("</svg>")
    return "".join(parts)
