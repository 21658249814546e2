"""What went wrong, one line each: the rows of extracted/problems.csv and cell_problems.csv.

In: nothing (definitions). Out: ``Problem`` (a file, the stage that met it, ``error`` or ``warning``, and a
message) and ``PROBLEM_COLUMNS``, the CSV's columns. Every stage reports through it, so it lives in the
shared core below them all.
"""
from __future__ import annotations

from dataclasses import dataclass

PROBLEM_COLUMNS = ("file", "stage", "severity", "message")


@dataclass(frozen=True)
class Problem:
    """One line in extracted/problems.csv."""

    file: str
    stage: str
    severity: str        # 'error' (document not read) or 'warning' (read, something to check)
    message: str

    def __str__(self) -> str:
        return f"{self.severity}: {self.file}: {self.message}"
