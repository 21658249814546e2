"""The expectation suites committed as JSON under ``expectations/``.

In:  ``expectations/*.json`` and ``expectations/documents/*.json``, each a Great Expectations
     suite (``name``, ``expectations``) whose ``meta`` says which frame it checks:
     ``{"table": "observations"|"grades"|"indicator_counts", "document": <name or absent>,
     "id_columns": [columns that identify a row in failure messages]}``.
     Each expectation carries ``"severity": "critical"`` (fails the run) or ``"warning"``.
Out: ``SuiteFile`` objects; the JSON is never rewritten (no ids or timestamps are added to it).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

TABLES = ("observations", "grades", "indicator_counts")
SEVERITIES = ("critical", "warning")


class SuiteError(Exception):
    """A suite file that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class SuiteFile:
    path: Path
    name: str
    table: str
    document: str | None
    id_columns: tuple[str, ...]
    config: dict = field(repr=False)   # the JSON as read, for ExpectationSuite(**config)


def load_suites(expectations_dir: Path) -> list[SuiteFile]:
    """All suites, general ones first, then per-document ones, each group sorted by file name."""
    paths = sorted(expectations_dir.glob("*.json")) + sorted(expectations_dir.glob("documents/*.json"))
    suites = [load_suite(p) for p in paths]
    names = [s.name for s in suites]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise SuiteError(f"{expectations_dir}: suite name(s) used twice: {', '.join(repeated)}")
    return suites


def load_suite(path: Path) -> SuiteFile:
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
    for number, expectation in enumerate(config["expectations"], start=1):
        if not isinstance(expectation, dict) or "type" not in expectation:
            raise SuiteError(f"{path}: expectation {number} has no 'type'")
        severity = expectation.get("severity")
        if severity not in SEVERITIES:
            raise SuiteError(
                f"{path}: expectation {number} ({expectation['type']}) needs severity "
                f"'critical' or 'warning', got {severity!r}")
    return SuiteFile(
        path=path,
        name=str(config["name"]),
        table=table,
        document=meta.get("document"),
        id_columns=tuple(meta.get("id_columns") or ()),
        config=config,
    )
