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


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF file of ``objects`` (object 1 is the catalog), with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def greedy(target: Path, operators: int = 400_000) -> Path:
    """A small PDF (a few KB) whose one page draws ``operators`` characters: reading it takes
    hundreds of MB, as the 160 KB PDF of issue 20 did."""
    import zlib

    content = zlib.compress(b"BT /F1 1 Tf 10 10 Td " + b"(x) Tj " * operators + b"ET", 9)
    target.write_bytes(_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]))
    return target
