"""Faulty PDFs made in the tests from the shipped ones (pypdf; nothing downloaded).

``rotated``: one page turned for display (``/Rotate``), its content as drawn. ``landscape_insert``:
one page's content turned and the page rotated back, as a landscape page inserted in a portrait
report is. ``upside_down``: one page's content turned by 180 degrees with no ``/Rotate``.
"""
from __future__ import annotations

from pathlib import Path

from pypdf import PdfWriter, Transformation
from pypdf.generic import NameObject, NumberObject, RectangleObject


def rotated(source: Path, target: Path, page: int, angle: int) -> Path:
    """``source`` with 1-based ``page`` shown turned clockwise by ``angle`` (``/Rotate``)."""
    writer = PdfWriter(clone_from=str(source))
    writer.pages[page - 1].rotate(angle)
    writer.write(target)
    return target


def turned_content(source: Path, target: Path, page: int, angle: int, rotate_back: bool) -> Path:
    """``source`` with 1-based ``page``'s content turned counter-clockwise by ``angle`` (an exact
    matrix, as a layout program writes it); ``rotate_back``: the page's ``/Rotate`` shows it upright."""
    writer = PdfWriter(clone_from=str(source))
    sheet = writer.pages[page - 1]
    width, height = float(sheet.mediabox.width), float(sheet.mediabox.height)
    matrix = {90: (0, 1, -1, 0, height, 0), 180: (-1, 0, 0, -1, width, height),
              270: (0, -1, 1, 0, 0, width)}[angle]
    sheet.add_transformation(Transformation(matrix), expand=False)
    if angle != 180:
        sheet.mediabox = RectangleObject((0, 0, height, width))
    if rotate_back:
        sheet[NameObject("/Rotate")] = NumberObject(angle)
    writer.write(target)
    return target


def landscape_insert(source: Path, target: Path, page: int, angle: int) -> Path:
    return turned_content(source, target, page, angle, rotate_back=True)


def upside_down(source: Path, target: Path, page: int) -> Path:
    return turned_content(source, target, page, 180, rotate_back=False)
