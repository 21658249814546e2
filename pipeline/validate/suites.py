"""The expectation suites committed as JSON under ``expectations/``, combined into one GX suite per table.

In:  ``expectations/*.json`` (table suites: every document's rows) and
     ``expectations/layouts/<layout>.<table>.json`` (layout suites: only the rows of documents read
     with that layout, whatever their file name), each a Great Expectations suite (``name``,
     ``expectations``) whose ``meta`` says what it checks:
     ``{"table": "observations"|"grades"|"indicator_counts", "layout": <layout name, layout suites only>,
     "id_columns": [columns that identify a row in failure messages]}``.
     Each expectation carries ``"severity": "critical"`` (fails the run) or ``"warning"``.
Out: ``SuiteFile`` objects (``load_suites``) and, per table, one ``TableSuite`` (``combine``): the
     table suite's expectations plus every layout suite's, each limited to its layout's rows by a
     row condition ``layout == <name>``, so that a table is validated in one pass. The JSON is never
     rewritten (no ids or timestamps are added to it).
"""
from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from pathlib import Path

TABLES = ("observations", "grades", "indicator_counts")
SEVERITIES = ("critical", "warning")
LAYOUT_COLUMN = "layout"
LAYOUTS_FOLDER = "layouts"


class SuiteError(Exception):
    """A suite file that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class SuiteFile:
    path: Path
    name: str
    table: str
    layout: str | None
    id_columns: tuple[str, ...]
    config: dict = field(repr=False)   # the JSON as read


@dataclass(frozen=True)
class TableSuite:
    """One GX suite for one table: ``config`` holds every expectation that applies to the table;
    ``origins[i]`` is the suite file expectation ``i`` came from (named in failure messages)."""

    table: str
    config: dict = field(repr=False)
    origins: tuple[SuiteFile, ...]
    id_columns: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.table


def load_suites(expectations_dir: Path) -> list[SuiteFile]:
    """All suites, table suites first, then layout suites, each group sorted by file name."""
    paths = (sorted(expectations_dir.glob("*.json"))
             + sorted(expectations_dir.glob(f"{LAYOUTS_FOLDER}/*.json")))
    suites = [load_suite(p, layout_suite=p.parent.name == LAYOUTS_FOLDER) for p in paths]
    names = [s.name for s in suites]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise SuiteError(f"{expectations_dir}: suite name(s) used twice: {', '.join(repeated)}")
    return suites


def load_suite(path: Path, layout_suite: bool = False) -> SuiteFile:
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SuiteError(f"{path}: not a readable JSON suite ({exc})") from None
    if not isinstance(config, dict) or not config.get("name") or not isinstance(config.get("expectations"), list):
        raise SuiteError(f"{path}: a suite needs a 'name' and a list of 'expectations'")
    meta = config.get("meta") or {}
    table = meta.get("table")
    if table not in TABLES:
        raise SuiteError(f"{path}: meta.table must be one of {', '.join(TABLES)}, got {table!r}")
    layout = meta.get("layout")
    if layout_suite and not (isinstance(layout, str) and layout):
        raise SuiteError(f"{path}: a suite in {LAYOUTS_FOLDER}/ needs meta.layout (the layout it checks)")
    if not layout_suite and layout is not None:
        raise SuiteError(f"{path}: meta.layout is only for suites in {LAYOUTS_FOLDER}/")
    for number, expectation in enumerate(config["expectations"], start=1):
        if not isinstance(expectation, dict) or "type" not in expectation:
            raise SuiteError(f"{path}: expectation {number} has no 'type'")
        severity = expectation.get("severity")
        if severity not in SEVERITIES:
            raise SuiteError(
                f"{path}: expectation {number} ({expectation['type']}) needs severity "
                f"'critical' or 'warning', got {severity!r}")
    return SuiteFile(path=path, name=str(config["name"]), table=table, layout=layout,
                     id_columns=tuple(meta.get("id_columns") or ()), config=config)


def layout_condition(layout: str, condition: dict | None = None) -> dict:
    """The GX row condition ``layout == <layout>``, and-ed with an expectation's own condition.

    >>> layout_condition("kpi_report")["column"], layout_condition("kpi_report")["parameter"]
    ({'name': 'layout'}, 'kpi_report')
    >>> layout_condition("x", {"type": "nullity", "column": {"name": "v"}, "is_null": False})["type"]
    'and'
    """
    own = {"type": "comparison", "column": {"name": LAYOUT_COLUMN}, "operator": "==", "parameter": layout}
    return own if not condition else {"type": "and", "conditions": [own, condition]}


def combine(suite_files: list[SuiteFile], present: dict[str, set[str]] | None = None) -> list[TableSuite]:
    """One suite per table that has suites: the table suites' expectations, then each layout
    suite's, limited to its layout's rows. With ``present`` (table -> layouts that have rows in it),
    a layout suite with no rows to check is left out rather than evaluated on nothing. Descriptions
    get their severity in front, so that the Data Docs show which failures are warnings."""
    combined = []
    for table in TABLES:
        members = [s for s in suite_files if s.table == table
                   and (s.layout is None or present is None or s.layout in present.get(table, set()))]
        if not members:
            continue
        expectations, origins, id_columns = [], [], []
        for suite in members:
            for expectation in suite.config["expectations"]:
                one = copy.deepcopy(expectation)
                if suite.layout is not None:
                    kwargs = one.setdefault("kwargs", {})
                    kwargs["row_condition"] = layout_condition(suite.layout, kwargs.get("row_condition"))
                one["description"] = f"[{one['severity']}] {one.get('description') or one['type']}"
                one["meta"] = {**(one.get("meta") or {}), "position": len(expectations)}
                expectations.append(one)
                origins.append(suite)
            id_columns += [c for c in suite.id_columns if c not in id_columns]
        config = {"name": table, "expectations": expectations,
                  "meta": {"notes": {"format": "markdown", "content": [
                      f"`{table}`: {', '.join(s.name for s in members)}"]}}}
        combined.append(TableSuite(table, config, tuple(origins), tuple(id_columns)))
    return combined
