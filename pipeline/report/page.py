"""Audit data -> the HTML of the audit page (one string; every text escaped with ``html.escape``).

In: ``AuditInputs`` and the ``Evidence`` items per document (from ``pipeline.report.audit``).
Out: a complete HTML document with inline CSS and no script: a table of contents, an overview,
one section per document (indicators with disagreements first and highlighted, the evidence
images, the 総括表 check, the grade chart, the document's problems), the validation summary,
and the list of inputs that were missing.
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation
from html import escape
from typing import Iterable

from .chart import grade_chart
from .evidence import Picture
from ..normalise.text import nfkc
from .inputs import AuditInputs, DocumentAudit, Indicator

CHECK_SOURCES = (("printed", "printed in the 総括表"), ("published", "counted in the detail table"),
                 ("recomputed", "recomputed"))
STATUS_LABELS = {"corrected": "corrected", "unparsed": "not understood", "not_available": "n/a",
                 "qualitative": "qualitative"}
KIND_LABELS = {"disagreement": "grade differs", "corrected": "corrected value", "unparsed": "value not understood"}

CSS = """
:root { --bad: #c62828; --bad-bg: #fdecea; --check: #a66a00; --check-bg: #fff6db; --ok: #2e7d32;
        --line: #d0d7de; --muted: #5b636b; }
* { box-sizing: border-box; }
body { font-family: "IPAexGothic", "Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", Meiryo, sans-serif;
       margin: 0; color: #1f2328; background: #fff; line-height: 1.45; font-size: 14px; }
header { background: #24292f; color: #fff; padding: 14px 24px; }
header h1 { margin: 0; font-size: 22px; }
header p { margin: 4px 0 0; color: #d0d7de; }
main { padding: 8px 24px 40px; max-width: 1500px; }
nav.toc { border: 1px solid var(--line); border-radius: 6px; padding: 8px 16px; margin: 16px 0; background: #f6f8fa; }
nav.toc h2 { font-size: 16px; margin: 4px 0; }
nav.toc ol { margin: 4px 0; padding-left: 22px; }
nav.toc li { margin: 2px 0; }
section.document { border-top: 3px solid #24292f; margin-top: 28px; padding-top: 4px; }
h2 { font-size: 20px; margin: 16px 0 6px; }
h3 { font-size: 16px; margin: 18px 0 6px; }
table { border-collapse: collapse; margin: 6px 0 12px; }
th, td { border: 1px solid var(--line); padding: 4px 7px; vertical-align: top; text-align: left; }
th { background: #f6f8fa; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.indicators td { max-width: 420px; }
tr.disagree > td { background: var(--bad-bg); }
tr.disagree > td:first-child { border-left: 5px solid var(--bad); }
tr.check > td { background: var(--check-bg); }
tr.check > td:first-child { border-left: 5px solid var(--check); }
tr.total > td { font-weight: 600; }
td.differs { background: var(--bad-bg); color: var(--bad); font-weight: 700; }
.grade { display: inline-block; min-width: 1.8em; text-align: center; border-radius: 4px; padding: 0 4px;
         font-weight: 700; color: #fff; background: #6e7781; }
.grade-A { background: #2e7d32; } .grade-B { background: #1565c0; } .grade-C { background: #b26a00; }
.grade-D { background: #c62828; } .grade-none { background: #fff; color: #6e7781; border: 1px dashed #aaa; }
.value { white-space: nowrap; }
.year { color: var(--muted); font-size: 12px; margin-right: 4px; }
.comp { color: var(--muted); font-size: 12px; }
.printed { color: var(--muted); font-style: italic; white-space: normal; }
.badge { display: inline-block; font-size: 11px; border-radius: 3px; padding: 0 4px; margin-left: 4px; color: #fff; }
.badge-corrected { background: var(--check); } .badge-unparsed { background: var(--bad); }
.badge-disagreement { background: var(--bad); }
.reason { font-size: 12.5px; }
tr.disagree .reason { font-weight: 600; color: #7f1d1d; }
.muted { color: var(--muted); }
.note { border-left: 4px solid var(--check); background: var(--check-bg); padding: 6px 10px; margin: 8px 0; }
.pass { color: var(--ok); font-weight: 700; } .fail { color: var(--bad); font-weight: 700; }
figure.evidence { margin: 10px 0 16px; border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; }
figure.evidence.disagreement { border-left: 5px solid var(--bad); }
figure.evidence.corrected, figure.evidence.unparsed { border-left: 5px solid var(--check); }
figure.evidence figcaption { margin-bottom: 6px; }
.crop { margin: 6px 0; }
.shot { max-width: 100%; }
.shot img { display: block; width: 100%; height: auto; border: 1px solid #999; background: #fff; }
.shot .cols { position: relative; height: 30px; }
.shot .cols span { position: absolute; bottom: 0; overflow: hidden; text-align: center; font-size: 10.5px;
                   line-height: 1.15; color: #0b3d91; background: #eef4ff; border: 1px solid #c8d8f0;
                   border-bottom: 0; height: 28px; padding: 0 1px; }
.crop .page { font-size: 12px; color: var(--muted); }
.missing { color: var(--bad); font-style: italic; }
svg.chart { display: block; margin: 6px 0; }
a { color: #0969da; }
@media print { header { background: none; color: #000; } header p { color: #333; }
               figure.evidence, tr, svg.chart { break-inside: avoid; } nav.toc { display: none; } }
"""


def e(value) -> str:
    return escape("" if value is None else str(value))


def slug(number: int) -> str:
    return f"doc-{number}"


# -- values -------------------------------------------------------------------------------------

def decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except (InvalidOperation, TypeError, ValueError):
        return None


def number(text: str) -> str:
    """'5248' -> '5,248'; '83.76' -> '83.76'; not a number -> as is.

    >>> number("236654000000"), number("-36"), number("0.9542"), number("x")
    ('236,654,000,000', '-36', '0.9542', 'x')
    """
    value = decimal(text)
    return f"{value:,}" if value is not None and value.is_finite() else text


def percent(rate: str) -> str:
    """'0.9542' -> '95.42%'; '' -> ''.

    >>> percent("0.9542"), percent("1.2200"), percent("")
    ('95.42%', '122.00%', '')
    """
    value = decimal(rate)
    return "" if value is None else f"{value * 100:.2f}%"


def year_label(obs: dict[str, str]) -> str:
    year, start = obs.get("fiscal_year", ""), obs.get("period_start", "")
    prefix = "CY" if obs.get("calendar_year") == "true" else "FY"
    if year and start and start != year:
        return f"{prefix}{start}–{year}"
    return f"{prefix}{year}" if year else ""


def show_value(obs: dict[str, str], tag: str = "div") -> str:
    """One observation as a short line: year, component, value and unit (or the printed text)."""
    status = obs.get("status", "")
    printed = " ".join(nfkc(obs.get("text", "")).split())
    parts = []
    if year_label(obs):
        parts.append(f'<span class="year">{e(year_label(obs))}</span>')
    if obs.get("component"):
        parts.append(f'<span class="comp">{e(obs["component"])}:</span> ')
    if obs.get("value"):
        bound = {"lower": "≥ ", "upper": "≤ "}.get(obs.get("bound", ""), "")
        parts.append(f'<span class="value" title="printed: {e(printed)}">{e(bound)}{e(number(obs["value"]))} '
                     f'{e(obs.get("unit", ""))}</span>')
        if obs.get("direction"):
            parts.append(f' <span class="muted">({e(obs["direction"])})</span>')
    elif obs.get("direction"):
        arrow = {"increase": "↗ ", "decrease": "↘ "}.get(obs["direction"], "")
        parts.append(f'<span class="value" title="printed: {e(printed)}">{arrow}{e(obs["direction"])}</span>')
    else:
        parts.append(f'<span class="printed">{e(printed) or "(blank)"}</span>')
    if status in ("corrected", "unparsed"):
        parts.append(f'<span class="badge badge-{status}" title="printed: {e(printed)}">{e(STATUS_LABELS[status])}'
                     f"</span>")
    return f'<{tag}>{"".join(parts)}</{tag}>'


def grade_badge(grade: str) -> str:
    if not grade:
        return '<span class="grade grade-none" title="no grade">none</span>'
    css = grade if grade in "ABCD" and len(grade) == 1 else "other"
    return f'<span class="grade grade-{css}">{e(grade)}</span>'


def readable_reason(reason: str) -> str:
    return reason.replace(" -> ", " → ")


# -- sections -----------------------------------------------------------------------------------

def table(headers: Iterable[str], rows: Iterable[str], css: str = "") -> str:
    head = "".join(f"<th>{h}</th>" for h in headers)
    return f'<table class="{css}"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def indicators_table(doc: DocumentAudit, anchors: dict[int, list[str]]) -> str:
    if not doc.indicators:
        return '<p class="muted">No indicators were extracted from this document.</p>'
    rows = []
    for ind in doc.ordered():
        measures: dict[str, list[str]] = {"baseline": [], "actual": [], "target": []}
        for obs in ind.observations:
            line = show_value(obs)
            if obs.get("measure") == "interim_target":
                line = line.replace("<div>", '<div><span class="comp">interim:</span> ', 1)
            measures.get(obs.get("measure"), measures["target"]).append(line)
        grade = ind.grade or {}
        css = "disagree" if ind.disagrees else "check" if ind.needs_evidence else ""
        links = " ".join(f'<a href="#{a}">evidence</a>' for a in anchors.get(id(ind), []))
        reason = readable_reason(grade.get("reason", "")) if ind.grade else "not graded"
        flag = '<span class="badge badge-disagreement">differs</span> ' if ind.disagrees else ""
        rows.append(
            f'<tr class="{css}" data-indicator="{e(ind.indicator_no)}">'
            f'<td class="num">{e(ind.indicator_no)}</td>'
            f'<td>{e(ind.indicator)}<div class="comp">{e(ind.info.get("kind", ""))}'
            f'{" · p. " + e(ind.info.get("page")) if ind.info.get("page") else ""}</div></td>'
            f'<td>{"".join(measures["baseline"])}</td><td>{"".join(measures["actual"])}</td>'
            f'<td>{"".join(measures["target"])}</td>'
            f'<td class="num" title="{e(grade.get("achievement_rate", ""))}">{e(percent(grade.get("achievement_rate", "")))}</td>'
            f'<td>{grade_badge(ind.published)}</td><td>{grade_badge(ind.recomputed)}</td>'
            f'<td class="reason">{flag}{e(reason)} {links}</td></tr>')
    return table(("No.", "Indicator", "Baseline", "Actuals", "Target", "Rate", "Published", "Recomputed", "Reason"),
                 rows, "indicators")


def shot(picture: Picture, crop, alt: str) -> str:
    """An evidence image with its page number and, above it, each value column's measure and year."""
    labels = []
    for x0, x1, label in (crop.columns if crop else ()):
        left, width = picture.share(x0, x1)
        if width > 0:
            labels.append(f'<span style="left:{left:.2f}%;width:{width:.2f}%" title="{e(label)}">{e(label)}</span>')
    strip = f'<div class="cols">{"".join(labels)}</div>' if labels else ""
    return (f'<div class="crop"><span class="page">page {picture.page}</span>'
            f'<div class="shot" style="width:{picture.width}px">{strip}'
            f'<img src="{picture.data_uri()}" width="{picture.width}" height="{picture.height}" alt="{e(alt)}" '
            f'data-page="{picture.page}" data-area="{" ".join(f"{v:.1f}" for v in picture.area)}">'
            f"</div></div>")


def evidence_section(items) -> str:
    if not items:
        return '<p class="muted">Nothing to check: no disagreement and no corrected or not-understood cell.</p>'
    out = []
    for item in items:
        ind: Indicator = item.indicator
        head = (f'<span class="badge badge-{"disagreement" if item.kind == "disagreement" else item.kind}">'
                f'{e(KIND_LABELS.get(item.kind, item.kind))}</span> '
                f'<b>{e(ind.indicator_no)} {e(ind.indicator)}</b>')
        if item.kind == "disagreement":
            body = f'<div class="reason">{e(readable_reason(item.what))}</div>'
        else:
            obs = item.observation or {}
            body = (f'<div>printed <code>{e(item.what)}</code> ({e(obs.get("measure", ""))}, '
                    f'{e(year_label(obs) or "no year")}) → read as {show_value(obs, "span")}</div>')
        pictures = []
        for i, picture in enumerate(item.pictures):
            crop = item.crops[i] if i < len(item.crops) else None
            if isinstance(picture, Picture):
                pictures.append(shot(picture, crop, f"page {picture.page}: the row of indicator "
                                                    f"{ind.indicator_no} {ind.indicator}"))
            else:
                where = f"page {picture.page}: " if picture.page else ""
                pictures.append(f'<div class="crop missing">{e(where)}no image — {e(picture.reason)}</div>')
        out.append(f'<figure class="evidence {e(item.kind)}" id="{item.anchor}"><figcaption>{head}{body}'
                   f'</figcaption>{"".join(pictures)}</figure>')
    return "".join(out)


def summary_section(doc: DocumentAudit) -> str:
    if not doc.summary_checks:
        return '<p class="muted">This document prints no 総括表 (summary of grade counts), or none was read.</p>'
    groups: dict[tuple[str, str], dict[str, dict[str, str]]] = {}
    columns: list[str] = []
    for row in doc.summary_checks:
        groups.setdefault((row.get("group", ""), row.get("kind", "")), {})[row.get("column", "")] = row
        if row.get("column", "") not in columns:
            columns.append(row.get("column", ""))
    rows = []
    for (group, kind), cells in groups.items():
        for i, (source, label) in enumerate(CHECK_SOURCES):
            first = (f'<td rowspan="{len(CHECK_SOURCES)}">{e(group or "whole document")}</td>'
                     f'<td rowspan="{len(CHECK_SOURCES)}">{e(kind)}</td>') if i == 0 else ""
            values = []
            for column in columns:
                row = cells.get(column)
                if row is None:
                    values.append('<td class="num muted">·</td>')
                    continue
                differs = row.get("status") not in ("ok", "")
                title = f' title="{e(row.get("note", ""))}"' if row.get("note") else ""
                values.append(f'<td class="num{" differs" if differs else ""}"{title}>{e(row.get(source, ""))}</td>')
            rows.append(f'<tr data-group="{e(group)}" data-kind="{e(kind)}" data-source="{source}">'
                        f'{first}<td>{e(label)}</td>{"".join(values)}</tr>')
    differing = [r for r in doc.summary_checks if r.get("status") not in ("ok", "")]
    notes = "".join(f'<li><b>{e(r.get("group") or "whole document")}</b> · {e(r.get("kind"))} · '
                    f'{e(r.get("column"))}: {e(r.get("note"))}</li>' for r in differing)
    verdict = (f'<p class="fail">{len(differing)} of {len(doc.summary_checks)} counts differ (highlighted).</p>'
               if differing else f'<p class="pass">All {len(doc.summary_checks)} counts agree.</p>')
    headers = ["Group", "Kind", "Counted by"] + [e(c) for c in columns]
    return (verdict + table(headers, rows, "summary-check")
            + (f"<details open><summary>What differs</summary><ul>{notes}</ul></details>" if notes else ""))


def chart_section(doc: DocumentAudit) -> str:
    grades = doc.grades
    if not grades:
        return '<p class="muted">No grades for this document (it prints none and none could be recomputed).</p>'
    return grade_chart(grades, f"{doc.document}: grades published vs recomputed")


def problems_table(problems: list[dict[str, str]]) -> str:
    rows = [f'<tr><td>{e(p.get("file"))}</td><td>{e(p.get("stage"))}</td>'
            f'<td class="{"fail" if p.get("severity") == "error" else ""}">{e(p.get("severity"))}</td>'
            f'<td>{e(p.get("message"))}</td></tr>' for p in problems]
    return table(("File", "Stage", "Severity", "Message"), rows, "problems")


def document_section(doc: DocumentAudit, number: int, items) -> str:
    anchors: dict[int, list[str]] = {}
    for item in items:
        anchors.setdefault(id(item.indicator), []).append(item.anchor)
    graded = doc.grades
    disagreements = [i for i in doc.indicators if i.disagrees]
    facts = [f"{len(doc.indicators)} indicators", f"{len(graded)} graded",
             f"{len(disagreements)} grade disagreement(s)",
             f"{sum(len(i.needs_evidence) for i in doc.indicators)} corrected / not-understood cell(s)"]
    meta = " · ".join(e(x) for x in (doc.municipality, doc.layout and f"layout {doc.layout}",
                                      doc.pages and f"{doc.pages} pages") if x)
    problems = (f"<h3>Problems met while reading</h3>{problems_table(doc.problems)}" if doc.problems else "")
    return (f'<section class="document" id="{slug(number)}" data-document="{e(doc.document)}">'
            f"<h2>{number}. {e(doc.document)}</h2><p>{meta}</p><p>{' · '.join(facts)}</p>"
            f'<h3 id="{slug(number)}-indicators">Indicators (disagreements first)</h3>{indicators_table(doc, anchors)}'
            f'<h3 id="{slug(number)}-evidence">Evidence from the PDF</h3>{evidence_section(items)}'
            f'<h3 id="{slug(number)}-summary">総括表 check: printed vs detail table vs recomputed</h3>'
            f"{summary_section(doc)}"
            f'<h3 id="{slug(number)}-chart">Grade distribution</h3>{chart_section(doc)}'
            f"{problems}</section>")


def validation_section(inputs: AuditInputs) -> str:
    outcome = inputs.validation
    if outcome is None:
        return ('<p class="note">No validation results: <code>validation/outcome.json</code> is missing '
                "(run <code>python -m pipeline validate</code>).</p>")
    passed = outcome.get("passed")
    critical, warnings = outcome.get("critical") or [], outcome.get("warnings") or []
    head = (f'<p><span class="{"pass" if passed else "fail"}">{"passed" if passed else "FAILED"}</span> · '
            f'{e(outcome.get("expectations_run", "?"))} expectations in {len(outcome.get("suites_run") or [])} '
            f"suite(s) · {len(critical)} critical failure(s) · {len(warnings)} warning(s)</p>")

    def failures(rows, label):
        if not rows:
            return ""
        body = [f'<tr><td>{e(f.get("suite"))}</td><td>{e(f.get("column"))}</td><td>{e(f.get("expectation"))}</td>'
                f'<td>{e(f.get("message"))}</td></tr>' if isinstance(f, dict) else
                f'<tr><td colspan="4">{e(f)}</td></tr>' for f in rows]
        return f"<h3>{label}</h3>" + table(("Suite", "Column", "Expectation", "Message"), body, "validation")

    skipped = outcome.get("suites_skipped") or []
    extra = (f'<p class="muted">Suites not run (no such table in this run): {e(", ".join(map(str, skipped)))}</p>'
             if skipped else "")
    docs = (inputs.out / "validation" / "data_docs" / "index.html")
    link = ('<p>Full results: <a href="validation/data_docs/index.html">Great Expectations Data Docs</a> '
            "(a separate page next to this file).</p>" if docs.exists() else "")
    return head + failures(critical, "Critical failures") + failures(warnings, "Warnings") + extra + link


def overview(inputs: AuditInputs) -> str:
    rows = []
    for number, doc in enumerate(inputs.documents, 1):
        differing = sum(r.get("status") not in ("ok", "") for r in doc.summary_checks)
        disagreements = sum(i.disagrees for i in doc.indicators)
        rows.append(f'<tr><td><a href="#{slug(number)}">{e(doc.document)}</a></td><td>{e(doc.municipality)}</td>'
                    f'<td class="num">{len(doc.indicators)}</td><td class="num">{len(doc.grades)}</td>'
                    f'<td class="num{" differs" if disagreements else ""}">{disagreements}</td>'
                    f'<td class="num">{sum(len(i.needs_evidence) for i in doc.indicators)}</td>'
                    f'<td class="num{" differs" if differing else ""}">'
                    f'{differing if doc.summary_checks else "no 総括表"}</td></tr>')
    if not rows:
        return '<p class="note">No documents: the extract stage produced nothing to audit.</p>'
    return table(("Document", "Municipality", "Indicators", "Graded", "Grade disagreements",
                  "Corrected / not understood", "総括表 counts differing"), rows, "overview")


def toc(inputs: AuditInputs) -> str:
    docs = "".join(
        f'<li><a href="#{slug(n)}">{e(d.document)}</a> — '
        f'<a href="#{slug(n)}-indicators">indicators</a>, <a href="#{slug(n)}-evidence">evidence</a>, '
        f'<a href="#{slug(n)}-summary">総括表</a>, <a href="#{slug(n)}-chart">chart</a></li>'
        for n, d in enumerate(inputs.documents, 1))
    return (f'<nav class="toc"><h2>Contents</h2><ol><li><a href="#overview">Overview</a></li>{docs}'
            f'<li><a href="#validation">Validation summary</a></li><li><a href="#problems">Problems</a></li></ol></nav>')


def render_page(inputs: AuditInputs, evidence: dict[str, list]) -> str:
    notes = "".join(f"<li>{e(n)}</li>" for n in inputs.notes)
    notes = f'<div class="note"><b>Inputs missing or unreadable:</b><ul>{notes}</ul></div>' if notes else ""
    documents = "".join(document_section(doc, n, evidence.get(doc.document, []))
                        for n, doc in enumerate(inputs.documents, 1))
    problems = (problems_table(inputs.problems) if inputs.problems
                else '<p class="muted">No problems were reported by the extract stage.</p>')
    return ("<!DOCTYPE html>\n"
            '<html lang="ja"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            "<title>Audit report: published vs recomputed grades</title>"
            f"<style>{CSS}</style></head><body>"
            "<header><h1>Audit report: published vs recomputed grades</h1>"
            f"<p>{len(inputs.documents)} document(s) from <code>{e(inputs.out.name)}/</code>. "
            "Disagreements are listed first in each document and highlighted in red; "
            "corrected or not-understood cells in amber. Each has its row cut from the PDF.</p></header>"
            f"<main>{notes}{toc(inputs)}"
            f'<section id="overview"><h2>Overview</h2>{overview(inputs)}</section>'
            f"{documents}"
            f'<section id="validation"><h2>Validation summary (Great Expectations)</h2>{validation_section(inputs)}'
            f'</section><section id="problems"><h2>Problems</h2>{problems}</section>'
            "</main></body></html>\n")
