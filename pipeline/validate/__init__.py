"""Validation stage: Great Expectations suites (JSON in ``expectations/``) run on ``extracted/``.

In:  the extracted CSVs, the committed suites, the grading legend.
Out: ``ValidationOutcome`` (failed critical / warning expectations, one line each) and the GX
     results and Data Docs written to the output folder (``extracted/validation/``).
"""
from pipeline.validate.run import Failure, ValidationOutcome, as_legend, validate

__all__ = ["Failure", "ValidationOutcome", "as_legend", "validate"]
