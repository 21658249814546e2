"""Errors that name the document and the problem, so one bad PDF never stops a run."""
from __future__ import annotations


class DocumentError(Exception):
    """A document that cannot be read. ``str(err)`` is one line: '<file>: <problem>'."""

    def __init__(self, file: str, problem: str):
        super().__init__(f"{file}: {problem}")
        self.file = file
        self.problem = problem
