"""Grading: observations -> recomputed grades with reasons, and the 総括表 cross-check.

In:  observation rows (strings, the columns of ``extracted/observations.csv``), one
     ``IndicatorInfo`` per indicator, the ``grading`` block of ``params.yaml``.
Out: ``Grade`` rows for ``extracted/grades.csv`` and check rows for ``extracted/summary_check.csv``.

- ``legend``     thresholds -> letter, exact (``Legend``)
- ``direction``  is lower better? words, numbers, target row, user overrides
- ``grading``    ``grade_indicators`` (``grade_documents``: per document, each with its legend) and the ``Grade`` / ``IndicatorInfo`` records
- ``summary``    ``check_summary``: printed counts vs detail table vs recomputed
"""
from .direction import DirectionOverride, decide, decide_direction, overrides_from_params, parse_overrides
from .grading import GRADE_COLUMNS, Grade, IndicatorInfo, compute_rate, grade_documents, grade_indicators
from .legend import Legend, printed_legend
from .summary import CHECK_COLUMNS, check_summary, disagreements

__all__ = [
    "CHECK_COLUMNS", "DirectionOverride", "GRADE_COLUMNS", "Grade", "IndicatorInfo", "Legend",
    "check_summary", "compute_rate", "decide", "decide_direction", "disagreements",
    "grade_documents", "grade_indicators", "overrides_from_params", "parse_overrides", "printed_legend",
]
