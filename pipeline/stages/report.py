"""Stage ``report``: everything in extracted/ -> extracted/audit.html (see ``pipeline.report``)."""
from __future__ import annotations

from pathlib import Path


def run(out: Path, raw: Path, settings: dict) -> Path:
    from ..report.audit import write_audit
    return write_audit(out, raw, settings)
