"""Stages ``validate`` and ``check``: the dataset against the Great Expectations suites, then the verdict.

``validate`` — in: the CSVs of extracted/, the suites (JSON) in expectations/, the grading
thresholds. Out: extracted/validation/ (results JSON, outcome.json, Data Docs HTML). It always
succeeds, so that the audit report is written even for data that fails.
``check`` — in: extracted/validation/outcome.json and extracted/problems.csv. Out: the messages
that fail the run (critical expectations that failed; documents that could not be read when
``run.fail_on_document_errors``); the CLI exits 1 when there are any.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from ..io import read_csv


def run(out: Path, expectations: Path, settings: dict) -> tuple[list[str], list[str]]:
    """Validate; return (critical messages, warning messages)."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    from ..validate import validate
    from .grade import legends

    out, expectations = out.resolve(), expectations.resolve()   # GX's Data Docs store wants absolute paths
    outcome = validate(out, expectations, out / "validation", settings["grading"].get("thresholds"),
                       document_legends=legends(out, settings))
    return [str(f) for f in outcome.critical], [str(f) for f in outcome.warnings]


def findings(out: Path) -> list[str]:
    """What an auditor should see at the end of a run (not failures): grades that disagree with the
    published ones, and 総括表 counts that differ from the detail tables."""
    lines = []
    grades = out / "grades.csv"
    if grades.exists():
        lines += [f"grade differs: {g['document']} {g['indicator_no']} {g['indicator']}: {g['reason']}"
                  for g in read_csv(grades) if g.get("agrees") == "false"]
    checks = out / "summary_check.csv"
    if checks.exists():
        lines += [f"総括表 differs: {c['document']} | {c['group'] or 'total'} | {c['kind']} | {c['column']}: {c['note']}"
                  for c in read_csv(checks) if c.get("status") != "ok"]
    return lines


def verdict(out: Path, settings: dict) -> list[str]:
    """What must fail the run, one readable line each."""
    failures = []
    outcome = out / "validation" / "outcome.json"
    if not outcome.exists():
        failures.append(f"{outcome} is missing: run the validate stage first")
    else:
        data = json.loads(outcome.read_text(encoding="utf-8"))
        failures += [f"expectation failed: {f['suite']}: {f['message']}" for f in data.get("critical", [])]
    problems = out / "problems.csv"
    if problems.exists() and settings["run"].get("fail_on_document_errors", True):
        failures += [f"document not read: {p['file']}: {p['message']}"
                     for p in read_csv(problems) if p["severity"] == "error"]
    return failures
