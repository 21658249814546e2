"""What the PDF libraries say while one document is read, caught instead of printed.

In: nothing (a context manager around reading one document). Out: the distinct warning lines that
pdfminer, playa, pdfplumber, pypdf, pypdfium2 and PIL logged (``logging``, level WARNING and up)
or raised as Python ``warnings`` meanwhile: a damaged stream or font is named per document in
problems.csv (the document is read but flagged), never left as a stray log line on the terminal.
"""
from __future__ import annotations

import logging
import warnings
from contextlib import contextmanager
from typing import Iterator

LIBRARIES = ("pdfminer", "playa", "pdfplumber", "pypdf", "pypdfium2", "PIL", "fontTools")
MAX_LINES = 5          # distinct messages kept per document (the rest are counted)
MAX_CHARS = 200        # characters kept of one message


class _Collect(logging.Handler):
    def __init__(self, lines: list[str]):
        super().__init__(logging.WARNING)
        self.lines = lines

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
        except Exception:                     # a message that cannot be formatted is still a message
            message = repr(record.msg)
        self.lines.append(f"{record.name}: {message}"[:MAX_CHARS])


def summarise(lines: list[str]) -> list[str]:
    """Distinct lines in first-seen order, repeats counted, at most ``MAX_LINES`` (then how many more).

    >>> summarise(["a", "b", "a", "a"])
    ['a (3 times)', 'b']
    >>> summarise([str(i) for i in range(7)])[-1]
    '… and 2 more kinds of message'
    """
    counts: dict[str, int] = {}
    for line in lines:
        counts[line] = counts.get(line, 0) + 1
    kept = [f"{line} ({n} times)" if n > 1 else line for line, n in counts.items()]
    if len(kept) > MAX_LINES:
        kept = kept[:MAX_LINES] + [f"… and {len(kept) - MAX_LINES} more kinds of message"]
    return kept


@contextmanager
def library_messages() -> Iterator[list[str]]:
    """Collect (into the yielded list) what the PDF libraries log or warn while the block runs;
    nothing of it reaches the terminal. The list holds raw lines; ``summarise`` them for a report."""
    lines: list[str] = []
    handler = _Collect(lines)
    loggers = [logging.getLogger(name) for name in LIBRARIES]
    saved = [(lg.propagate, lg.level) for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.propagate = False
        if lg.level == logging.NOTSET or lg.level > logging.WARNING:
            lg.setLevel(logging.WARNING)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield lines
        lines.extend(f"{w.category.__name__}: {w.message}"[:MAX_CHARS] for w in caught)
    finally:
        for lg, (propagate, level) in zip(loggers, saved):
            lg.removeHandler(handler)
            lg.propagate = propagate
            lg.setLevel(level)
