"""Table rows cut out of PDF pages as images: the evidence an auditor compares a value with.

In: a PDF path and ``Crop`` requests (1-based page, a box in pdfplumber points — x0, top, x1,
bottom with the origin at the page's top-left — and the cells to outline). The box is cut as it
is vertically (exactly the row, no sliver of the rows above and below) and with a little margin
left and right.
Out: for each request a ``Picture`` (PNG bytes, pixel size) or the reason there is none.
Only the pages asked for are rendered (with pypdfium2), each once, at a modest scale.
"""
from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from pathlib import Path

DEFAULT_SCALE = 2.0          # pixels per PDF point (144 dpi): small print stays readable
PADDING = 3.0                # points of page kept left and right of the row (none above or below)
MAX_HEIGHT = 400.0           # points: a row taller than this is cut (a merged cell spanning a page)
OUTLINE = (214, 39, 40)      # the cell in question, outlined in red


@dataclass(frozen=True)
class Crop:
    page: int                                                  # 1-based
    box: tuple[float, float, float, float]                     # x0, top, x1, bottom (points)
    marks: tuple[tuple[float, float, float, float], ...] = ()  # cells inside the box to outline
    columns: tuple[tuple[float, float, str], ...] = ()         # (x0, x1, label) of the row's cells, for captions


@dataclass(frozen=True)
class Picture:
    png: bytes
    width: int
    height: int
    page: int
    area: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)   # the part of the page shown, in points
    marks: tuple[tuple[float, float, float, float], ...] = ()         # the outlined cells, in points

    def share(self, x0: float, x1: float) -> tuple[float, float]:
        """Where the page span x0..x1 lies on the picture: (left, width) as percentages of its width."""
        span = (self.area[2] - self.area[0]) or 1.0
        left = max(0.0, (x0 - self.area[0]) / span * 100)
        right = min(100.0, (x1 - self.area[0]) / span * 100)
        return left, max(0.0, right - left)

    def data_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


@dataclass(frozen=True)
class Missing:
    reason: str
    page: int = 0


def pixel_box(box, page_size: tuple[float, float], image_size: tuple[int, int],
              padding: float = PADDING, max_height: float = MAX_HEIGHT,
              vertical_padding: float = 0.0) -> tuple[int, int, int, int] | None:
    """A box in points (top-left origin) -> the pixel box on the rendered page, clipped; None if empty.
    ``padding`` widens it left and right, ``vertical_padding`` above and below.

    >>> pixel_box((10, 20, 110, 40), (200, 100), (400, 200), padding=0)
    (20, 40, 220, 80)
    >>> pixel_box((10, 20, 110, 40), (200, 100), (400, 200), padding=3)
    (14, 40, 226, 80)
    >>> pixel_box((-5, 90, 300, 120), (200, 100), (400, 200), padding=0)
    (0, 180, 400, 200)
    >>> pixel_box((10, 150, 20, 160), (200, 100), (400, 200)) is None
    True
    """
    x0, top, x1, bottom = (float(v) for v in box)
    if bottom - top > max_height:
        bottom = top + max_height
    sx, sy = image_size[0] / page_size[0], image_size[1] / page_size[1]
    left = max(0, int((x0 - padding) * sx))
    upper = max(0, int(round((top - vertical_padding) * sy)))
    right = min(image_size[0], int(round((x1 + padding) * sx)))
    lower = min(image_size[1], int(round((bottom + vertical_padding) * sy)))
    if right - left < 2 or lower - upper < 2:
        return None
    return (left, upper, right, lower)


def render_crops(pdf: Path, crops: list[Crop], scale: float = DEFAULT_SCALE) -> list[Picture | Missing]:
    """One ``Picture`` (or ``Missing`` with the reason) per crop, in order; never raises."""
    try:
        import pypdfium2 as pdfium
        from PIL import ImageDraw
    except ImportError as err:          # pragma: no cover - both are dependencies
        return [Missing(f"cannot render PDF pages ({err})", c.page) for c in crops]
    if not Path(pdf).is_file():
        return [Missing(f"{Path(pdf).name} not found in raw/", c.page) for c in crops]
    try:
        document = pdfium.PdfDocument(str(pdf))
    except Exception as err:            # damaged PDF: say so on the page, cut nothing
        return [Missing(f"{Path(pdf).name} could not be opened ({type(err).__name__}: {err})", c.page)
                for c in crops]
    results: list[Picture | Missing] = []
    pages: dict[int, tuple | None] = {}
    try:
        for crop in crops:
            if crop.page not in pages:
                if not 1 <= crop.page <= len(document):
                    pages[crop.page] = None
                else:
                    page = document[crop.page - 1]
                    try:
                        image = page.render(scale=scale).to_pil().convert("RGB")
                        pages[crop.page] = (image, page.get_size())
                    except Exception:
                        pages[crop.page] = None
                    finally:
                        page.close()
            rendered = pages[crop.page]
            if rendered is None:
                results.append(Missing(f"page {crop.page} could not be rendered (the PDF has {len(document)})",
                                       crop.page))
                continue
            image, size = rendered
            box = pixel_box(crop.box, size, image.size)
            if box is None:
                results.append(Missing(f"the row's box {tuple(round(v) for v in crop.box)} lies outside page "
                                       f"{crop.page}", crop.page))
                continue
            piece = image.crop(box).copy()
            draw = ImageDraw.Draw(piece)
            for outlined in crop.marks:
                mark = pixel_box(outlined, size, image.size, padding=0.0)
                if mark:
                    draw.rectangle((max(0, mark[0] - box[0]), max(0, mark[1] - box[1]),
                                    min(piece.width, mark[2] - box[0]) - 1, min(piece.height, mark[3] - box[1]) - 1),
                                   outline=OUTLINE, width=max(2, int(scale * 1.5)))
            buffer = io.BytesIO()
            piece.save(buffer, format="PNG", optimize=True)
            sx, sy = image.size[0] / size[0], image.size[1] / size[1]
            area = (box[0] / sx, box[1] / sy, box[2] / sx, box[3] / sy)
            results.append(Picture(buffer.getvalue(), piece.width, piece.height, crop.page, area, crop.marks))
    finally:
        document.close()
    return results
