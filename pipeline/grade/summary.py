"""総括表 cross-check: the printed grade counts against the report's own detail table and ours.

In:  ``printed``: the summary rows as printed (dicts with document, goal (or group), kind,
     count, A, B, C, D, none — the columns of ``extracted/summary_printed.csv``; empty cells
     read as 0); ``grades``: the recomputed ``Grade`` list; ``infos``: one ``IndicatorInfo``
     per indicator with its group, kind and published grade.
Out: one row per printed (group, kind) and column (count, A..D, none) with three numbers —
     ``printed``, ``published`` (counted from the detail table's printed grades) and
     ``recomputed`` (counted from our grades) — and ``status`` 'ok' or 'differs', with a
     ``note`` saying which pair disagrees and which indicators are involved.
     ``disagreements(rows)`` keeps the rows that differ.

A printed group matches an indicator's group when, after NFKC and without spaces, both start
with the same label such as '(1)', or (with any label dropped) they are equal or one starts
with the other.
A total row (合計, 計, 総計, 全体, total) counts every indicator of its kind in the document.
'none' counts '-' and indicators without a grade.
"""
from __future__ import annotations

import unicodedata
from typing import Any, Iterable, Mapping

import regex

from ..grouping import group_by
from ..normalise.text import folded

from .grading import Grade, IndicatorInfo

COLUMNS = ("count", "A", "B", "C", "D", "none")
TOTAL_LABELS = ("合計", "計", "総計", "全体", "total", "")
CHECK_COLUMNS = ("document", "group", "kind", "column", "printed", "published", "recomputed", "status", "note")
GRADES = ("A", "B", "C", "D")


def _norm(text: str) -> str:
    return folded(text)


def _label(text: str) -> str:
    m = regex.match(r"^[(\[]?\s*(\d+)\s*[)\]]", _norm(text))
    return m.group(1) if m else ""


def _unlabelled(text: str) -> str:
    return regex.sub(r"^[(\[]?\s*\d+\s*[)\]]", "", text)


def same_group(printed: str, group: str) -> bool:
    """Does an indicator's group name the printed summary row's group?

    >>> same_group("(1)ポテンシャルを生かした地域産業の振興により、新たな雇用を創出する", "（１）ポテンシャルを生か")
    True
    >>> same_group("(1)ポテンシャル", "(2)魅力の効果的な発信")
    False
    >>> same_group("(2)魅力の効果的な発信により、多彩な人の流れをつくる", "魅力の効果的な発信により、多彩な人の流れをつくる")
    True
    """
    a, b = _norm(printed), _norm(group)
    if not a or not b:
        return False
    if _label(a) and _label(b):
        return _label(a) == _label(b)
    a, b = _unlabelled(a), _unlabelled(b)
    return bool(a) and bool(b) and (a == b or a.startswith(b) or b.startswith(a))


def is_total(group: str) -> bool:
    return _norm(group).lower() in TOTAL_LABELS


def _count(value: Any) -> int:
    text = _norm("" if value is None else str(value))
    m = regex.search(r"\d+", text)
    return int(m.group(0)) if m else 0      # blank, '―' or '0本' all mean none


def _bucket(grade: str) -> str:
    return grade if grade in GRADES else "none"


def _counts(letters: list[str]) -> dict[str, int]:
    out = {c: 0 for c in COLUMNS}
    out["count"] = len(letters)
    for g in letters:
        out[_bucket(g)] += 1
    return out


def printed_row(row: Any, document: str = "") -> dict[str, Any]:
    """A printed summary row as a dict: a CSV row passes through, a ``records.SummaryRow`` is
    flattened (its ``grades`` mapping becomes the A..D / none columns)."""
    if isinstance(row, Mapping):
        return dict(row)
    out = {"document": document, "goal": row.group, "kind": row.kind,
           "count": "" if row.count is None else row.count}
    grades = {}
    for key, value in (row.grades or {}).items():
        key = unicodedata.normalize("NFKC", str(key)).strip()
        grades["none" if not key or regex.fullmatch(r"[\p{Pd}―ー－]+", key) else key] = value
    for column in COLUMNS[1:]:
        out[column] = grades.get(column, "")
    return out


def check_summary(printed: Iterable[Any], grades: Iterable[Grade],
                  infos: Iterable[IndicatorInfo], document: str = "") -> list[dict[str, str]]:
    """Compare every printed count with the detail table's and the recomputed counts.

    ``printed`` holds CSV-style dicts or ``records.SummaryRow`` objects (then ``document`` says whose)."""
    infos = list(infos)
    of_document = group_by(infos, lambda info: info.document)
    recomputed = {g.key: g.recomputed_grade for g in grades}
    rows: list[dict[str, str]] = []
    for p in (printed_row(r, document) for r in printed):
        document = str(p.get("document") or "")
        group = str(p.get("goal", p.get("group")) or "")
        kind = str(p.get("kind") or "")
        members = [i for i in (of_document.get(document, []) if document else infos)
                   if (not kind or i.kind == kind) and (is_total(group) or same_group(group, i.group))]
        pub = _counts([i.published_grade for i in members])
        rec = _counts([recomputed.get(i.key, "") for i in members])
        printed_counts = {c: _count(p.get(c)) for c in COLUMNS}
        grade_sum = sum(printed_counts[c] for c in COLUMNS if c != "count")
        for column in COLUMNS:
            trio = (printed_counts[column], pub[column], rec[column])
            notes = []
            if trio[0] != trio[1]:
                notes.append(f"printed {trio[0]} but the detail table has {trio[1]}")
            if trio[1] != trio[2]:
                moved = [i for i in members
                         if (column == "count" or column in (_bucket(i.published_grade),
                                                             _bucket(recomputed.get(i.key, ""))))
                         and _bucket(i.published_grade) != _bucket(recomputed.get(i.key, ""))]
                names = "; ".join(f"{i.indicator_no} {i.indicator} {i.published_grade or '(none)'}"
                                  f"->{recomputed.get(i.key) or '(none)'}" for i in moved)
                notes.append(f"detail table {trio[1]} but recomputed {trio[2]}" + (f" ({names})" if names else ""))
            elif trio[0] != trio[2]:
                notes.append(f"recomputed {trio[2]}")
            if column == "count" and grade_sum != printed_counts["count"]:
                notes.append(f"the printed grades add up to {grade_sum}, not the printed count")
            if column == "count" and not members:
                notes.append("no indicator carries this group and kind")
            rows.append({
                "document": document, "group": group, "kind": kind, "column": column,
                "printed": str(trio[0]), "published": str(trio[1]), "recomputed": str(trio[2]),
                "status": "ok" if not notes else "differs",
                "note": "; ".join(notes),
            })
    return rows


def disagreements(rows: Iterable[Mapping[str, str]]) -> list[dict[str, str]]:
    """Only the rows whose status is not 'ok'."""
    return [dict(r) for r in rows if r.get("status") != "ok"]
