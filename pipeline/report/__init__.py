"""The audit report: everything under extracted/ -> one self-contained HTML page, audit.html.

- ``inputs``    the stage outputs grouped per document (missing inputs noted, never fatal)
- ``evidence``  rows cut out of the PDF pages as PNG images (pypdfium2)
- ``chart``     grade distribution, published vs recomputed, as inline SVG
- ``page``      the HTML (escaped text, inline CSS, no script)
- ``audit``     ``write_audit(out, raw, settings) -> Path``: the ``report`` stage
- ``browser``   load a page in headless chromium: images, SVG, console errors, screenshot
"""
from .audit import build_audit, write_audit

__all__ = ["build_audit", "write_audit"]
