"""The audit report: everything under extracted/ -> one self-contained HTML page, audit.html.

- ``inputs``      the stage outputs grouped per document (missing inputs noted, never fatal)
- ``evidence``    rows cut out of the PDF pages as PNG images (pypdfium2), used cells outlined
- ``findings``    every finding across the documents, most serious first
- ``confusion``   published vs recomputed grades, counted per pair
- ``provenance``  the commit and a reproducible time the page states
- ``page``        the HTML, from the Jinja2 templates in ``templates/`` (autoescaped, inline CSS, no script)
- ``audit``       ``write_audit(out, raw, settings) -> Path``: the ``report`` stage
"""
from .audit import build_audit, write_audit

__all__ = ["build_audit", "write_audit"]
