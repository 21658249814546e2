"""Audit data -> the HTML of the audit page, rendered from the Jinja2 templates in ``templates/``
(autoescaped: every text from the data is escaped).

In: ``AuditInputs``, the documents in the order to show, their section numbers, the ``Evidence``
items per document, the ``Finding``s, the ``Provenance`` and the default legend (from
``pipeline.report.audit``). Out: a complete HTML document with inline CSS and no script.
The small pure helpers below are the templates' filters.
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

from ..grouping import group_by
from ..normalise.text import nfkc
from ..templates import TemplateCache, compile_options, template_cache_dir
from .confusion import confusion
from .findings import KINDS, document_anchor, problem_anchor
from .inputs import AuditInputs

TEMPLATES = Path(__file__).with_name("templates")
PAGE_TEMPLATE = "audit.html.j2"
TEMPLATE_CACHE_TAG = "report"
STATUS_LABELS = {"corrected": "corrected", "unparsed": "not understood", "not_available": "n/a",
                 "qualitative": "qualitative"}
CHECK_SOURCES = (("printed", "printed in the 総括表"), ("published", "counted in the detail table"),
                 ("recomputed", "recomputed"))


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
    """
    >>> year_label({"fiscal_year": "2022"}), year_label({"fiscal_year": "2021", "period_start": "2017"})
    ('FY2022', 'FY2017–2021')
    >>> year_label({"fiscal_year": "2019", "calendar_year": "true"})
    'CY2019'
    """
    year, start = obs.get("fiscal_year", ""), obs.get("period_start", "")
    prefix = "CY" if obs.get("calendar_year") == "true" else "FY"
    if year and start and start != year:
        return f"{prefix}{start}–{year}"
    return f"{prefix}{year}" if year else ""


def printed(text: str) -> str:
    """The printed text on one line: '男性 83.25歳\\n女性' -> '男性 83.25歳 女性'."""
    return " ".join(nfkc(text or "").split())


def readable_reason(reason: str) -> str:
    return (reason or "").replace(" -> ", " → ")


def summary_table(checks: list[dict[str, str]]) -> tuple[list[str], list[tuple]]:
    """The 総括表 check as columns and rows: (group, kind, {column: row}) per printed group.

    >>> columns, rows = summary_table([{"group": "(1)", "kind": "KPI", "column": "count"},
    ...     {"group": "(2)", "kind": "KPI", "column": "count"}, {"group": "(1)", "kind": "KPI", "column": "A"}])
    >>> columns, [(group, kind, list(cells)) for group, kind, cells in rows]
    (['count', 'A'], [('(1)', 'KPI', ['count', 'A']), ('(2)', 'KPI', ['count'])])
    """
    groups = group_by(checks, lambda row: (row.get("group", ""), row.get("kind", "")))
    columns = list(dict.fromkeys(row.get("column", "") for row in checks))
    return columns, [(g, k, {row.get("column", ""): row for row in rows}) for (g, k), rows in groups.items()]


@lru_cache(maxsize=1)
def environment():
    """The templates' environment; each template is compiled once per machine (``pipeline.templates``:
    ``~/.cache/muniplan/report-…-templates``, ``MUNIPLAN_TEMPLATE_CACHE`` moves it, empty keeps it in memory)."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.bytecode_cache = TemplateCache(template_cache_dir(TEMPLATE_CACHE_TAG), salt=compile_options(env))
    env.filters.update(number=number, percent=percent, year_label=year_label, printed=printed,
                       reason=readable_reason)
    env.globals.update(STATUS_LABELS=STATUS_LABELS, CHECK_SOURCES=CHECK_SOURCES, KINDS=KINDS,
                       document_anchor=document_anchor, problem_anchor=problem_anchor,
                       confusion=confusion, summary_table=summary_table)
    return env


def warm_template_cache() -> int:
    """Compile every template of the page (``audit.css`` is included as one) into the template cache
    now (at set-up), so that the first report on a machine does not; the number of templates."""
    env = environment()
    names = env.list_templates()
    for name in names:
        env.get_template(name)
    return len(names)


def render_page(inputs: AuditInputs, documents, numbers: dict[str, int], evidence: dict[str, list],
                findings: list, made, legend: str) -> str:
    return environment().get_template(PAGE_TEMPLATE).render(
        inputs=inputs, documents=documents, numbers=numbers, evidence=evidence, findings=findings,
        made=made, legend=legend)
