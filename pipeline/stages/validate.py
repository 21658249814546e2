"""Stage ``validate``: the extracted dataset against the Great Expectations suites in expectations/.

In: the CSVs of extracted/, the suites (JSON) in expectations/, the grading thresholds, and
extracted/problems.csv. Out: extracted/validation/ (results JSON, outcome.json, Data Docs HTML).
Returns the messages that must fail the run: critical expectations that failed, and documents
that could not be read (when ``run.fail_on_document_errors``).
"""
from __future__ import annotations

import os
from pathlib import Path

from ..io import read_csv


def run(out: Path, expectations: Path, settings: dict) -> tuple[list[str], list[str]]:
    """(critical messages, warning messages)."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    from ..validate import validate

    outcome = validate(out, expectations, out / "validation", settings["grading"].get("thresholds"))
    critical = [str(f) for f in outcome.critical]
    warnings = [str(f) for f in outcome.warnings]
    problems = out / "problems.csv"
    if problems.exists():
        errors = [f"{p['file']}: {p['message']}" for p in read_csv(problems) if p["severity"] == "error"]
        if errors and settings["run"].get("fail_on_document_errors", True):
            critical += [f"document not read: {e}" for e in errors]
    return critical, warnings
