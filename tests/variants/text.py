"""Shared by the variant builders: how a word processor wraps a cell's text into lines."""
from __future__ import annotations

from reportlab.pdfbase import pdfmetrics


def wrap(text: str, width: float, size: float, font: str) -> list[str]:
    """The printed lines: explicit breaks kept, long lines wrapped where the next character would overflow."""
    lines: list[str] = []
    for para in (text or "").split("\n"):
        line = ""
        for ch in para:
            if line and pdfmetrics.stringWidth(line + ch, font, size) > width:
                lines.append(line)
                line = ""
            line += ch
        lines.append(line)
    return lines
