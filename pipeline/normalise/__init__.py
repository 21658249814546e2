"""Normalisation: printed cell text in, ``Reading``s out (pure functions, no I/O).

Public API: :func:`read_cell`, :class:`Reading`, :func:`read_year`, :class:`YearSpan`,
:func:`fix_mistyped_separators`, :func:`clean_label`, :func:`to_ascii`, :func:`parse_number`.
"""
from .amounts import parse_number
from .cells import Reading, read_cell
from .eras import YearSpan, read_year
from .rows import fix_mistyped_separators
from .text import clean_label, to_ascii

__all__ = [
    'Reading', 'read_cell', 'YearSpan', 'read_year', 'fix_mistyped_separators', 'clean_label', 'to_ascii',
    'parse_number',
]
