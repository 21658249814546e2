"""``python -m bench.pdfium_route``: what a PDFium page-object route would cost, and whether it could be exact.

In: the PDFs listed in ``--raw``/sources.yaml (``--docs`` to choose some). Out: a table on stdout (and
``--json FILE``): per reader, the median over interleaved rounds of its time over pypdfium2's bare
text of the same pages in the same round (the floor), and per document how far PDFium's characters
are from the ones the pipeline reads (pdfminer's, which the playa route reproduces exactly).

The readers, each over every page: ``pypdfium2_text`` (the floor: plain text), ``pdfium_objects``
(the prototype: every character's text, loose box, origin, size, font and matrix, and every page
object's type and bounds, from PDFium through ctypes, into the dicts pdfplumber works on),
``playa_lexing`` and ``playa_interpreting`` (the floor of any route through playa: its lexer alone
over the content streams, then its interpreter making content objects), ``playa_objects`` (the
pipeline's route to the same dicts, exact), ``extraction`` (the pipeline's whole per-document reading,
``process_document``).

Why PDFium cannot be the route (what ``exactness`` shows): PDFium keeps coordinates as 32-bit
floats (pdfminer, hence the records' boxes, computes in 64-bit), and its text page is not the
content stream's glyphs: it drops or synthesises spaces, and orders characters by its own reading
order, so the character sequence itself differs from pdfminer's on most pages.
"""
from __future__ import annotations

import argparse
import ctypes
import gc
import json
import statistics
import sys
import time
from collections import deque
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def pdfium_text(paths) -> int:
    """The floor: pypdfium2's plain text of every page."""
    from bench.readers import pypdfium2_text

    return pypdfium2_text(paths)


def _char_dicts(textpage, height: float, doctop: float, number: int) -> list[dict]:
    """The page's characters as pdfplumber-like dicts, from PDFium (generated spaces left out)."""
    import pypdfium2.raw as pdfium_c

    rect, matrix = pdfium_c.FS_RECTF(), pdfium_c.FS_MATRIX()
    ox, oy, flags = ctypes.c_double(), ctypes.c_double(), ctypes.c_int()
    font = ctypes.create_string_buffer(128)
    chars = []
    for i in range(pdfium_c.FPDFText_CountChars(textpage)):
        if pdfium_c.FPDFText_IsGenerated(textpage, i):
            continue
        pdfium_c.FPDFText_GetLooseCharBox(textpage, i, rect)
        pdfium_c.FPDFText_GetCharOrigin(textpage, i, ctypes.byref(ox), ctypes.byref(oy))
        pdfium_c.FPDFText_GetMatrix(textpage, i, matrix)
        pdfium_c.FPDFText_GetFontInfo(textpage, i, font, 128, ctypes.byref(flags))
        x0, x1, y0, y1 = rect.left, rect.right, rect.bottom, rect.top
        m = (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)
        chars.append({"text": chr(pdfium_c.FPDFText_GetUnicode(textpage, i)), "fontname": font.value.decode(
            "utf-8", "replace"), "size": pdfium_c.FPDFText_GetFontSize(textpage, i), "matrix": m,
            "upright": not m[1] and not m[2], "origin": (ox.value, oy.value), "x0": x0, "y0": y0, "x1": x1,
            "y1": y1, "width": x1 - x0, "height": y1 - y0, "top": height - y1, "bottom": height - y0,
            "doctop": doctop + height - y1, "object_type": "char", "page_number": number})
    return chars


_KINDS = {1: "text", 2: "path", 3: "image", 4: "shading", 5: "form"}


def _object_dicts(page, height: float, number: int) -> dict[str, list[dict]]:
    """Every top-level page object's kind and bounds (paths as PDFium sees them: no line/rect split)."""
    import pypdfium2.raw as pdfium_c

    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    found: dict[str, list[dict]] = {}
    for i in range(pdfium_c.FPDFPage_CountObjects(page)):
        obj = pdfium_c.FPDFPage_GetObject(page, i)
        kind = _KINDS.get(pdfium_c.FPDFPageObj_GetType(obj), "other")
        if kind == "text":
            continue
        pdfium_c.FPDFPageObj_GetBounds(obj, ctypes.byref(left), ctypes.byref(bottom), ctypes.byref(right),
                                       ctypes.byref(top))
        found.setdefault(kind, []).append({"x0": left.value, "x1": right.value, "top": height - top.value,
                                           "bottom": height - bottom.value, "page_number": number})
    return found


def pdfium_objects(paths) -> int:
    """The prototype reader: every page's characters and objects from PDFium, as dicts."""
    import pypdfium2

    pages = 0
    for path in paths:
        document = pypdfium2.PdfDocument(path)
        doctop = 0.0
        for number, page in enumerate(document, 1):
            height = page.get_height()
            textpage = page.get_textpage()
            objects = _object_dicts(page.raw, height, number)
            objects["char"] = _char_dicts(textpage.raw, height, doctop, number)
            textpage.close()
            page.close()
            doctop += height
            pages += 1
        document.close()
    return pages


def _each_playa_page(paths, read) -> int:
    """``read`` every page of ``paths`` opened with playa; the number of pages."""
    import playa

    pages = 0
    for path in paths:
        with playa.open(path, space="page") as document:
            for page in document.pages:
                deque(read(page), maxlen=0)
                pages += 1
    return pages


def playa_lexing(paths) -> int:
    """The floor of any route through playa: its compiled lexer over every page's content streams
    (the tokens only: no operator is interpreted, no object made)."""
    return _each_playa_page(paths, lambda page: page.contents)


def playa_interpreting(paths) -> int:
    """playa's interpreter over every page: its content objects (text objects not split into glyphs)."""
    return _each_playa_page(paths, iter)


def playa_route_objects(paths) -> int:
    """The pipeline's route: pdfplumber's page objects read by playa (pdfminer where it must)."""
    from pipeline.extract.pdf import open_pdf

    pages = 0
    for path in paths:
        with open_pdf(path) as pdf:
            for page in pdf.pages:
                page.objects
                pages += 1
    return pages


def extraction(sources) -> int:
    """The pipeline's whole reading of each document (``process_document``: objects, tables, layout)."""
    from pipeline.stages.extract import process_document

    pages = 0
    for source in sources:
        outcome = process_document(source)
        if outcome.extraction is None:
            raise RuntimeError(f"{source.file}: {[str(p) for p in outcome.problems]}")
        pages += outcome.extraction["pages"]
    return pages


READERS = {"pypdfium2_text": pdfium_text, "pdfium_objects": pdfium_objects, "playa_lexing": playa_lexing,
           "playa_interpreting": playa_interpreting, "playa_objects": playa_route_objects,
           "extraction": extraction}


def timings(sources, rounds: int) -> dict[str, dict]:
    """Per reader: median seconds and the median of its per-round ratio to the floor (same round)."""
    paths = [s.path for s in sources]

    def run(name: str) -> tuple[float, int]:
        gc.collect()
        start = time.perf_counter()
        pages = READERS[name](sources if name == "extraction" else paths)
        return time.perf_counter() - start, pages

    names = list(READERS)
    for name in names:
        run(name)                                   # warm-up: imports, font and CMap caches
    seconds: dict[str, list[float]] = {name: [] for name in names}
    pages: dict[str, int] = {}
    for r in range(rounds):
        for name in names[r % len(names):] + names[:r % len(names)]:
            wall, pages[name] = run(name)
            seconds[name].append(wall)
    if len(set(pages.values())) != 1:
        raise SystemExit(f"the readers did not go through the same pages: {pages}")
    floor = seconds["pypdfium2_text"]
    return {name: {"pages": pages[name], "median_s": round(statistics.median(times), 4),
                   "over_pypdfium2_text": round(statistics.median(t / f for t, f in zip(times, floor)), 2)}
            for name, times in seconds.items()}


def exactness(path: Path) -> dict:
    """How PDFium's characters compare with pdfminer's on one PDF: pages whose character texts are the
    same sequence, and on those the characters whose x0 is bit-identical and the largest difference."""
    import pdfplumber
    import pypdfium2

    out = {"pages": 0, "pages_same_characters": 0, "characters_pdfminer": 0, "characters_pdfium": 0,
           "compared": 0, "x0_identical": 0, "max_box_difference": 0.0}
    document = pypdfium2.PdfDocument(path)
    with pdfplumber.open(path) as pdf:
        for page, reference in zip(document, pdf.pages):
            textpage = page.get_textpage()
            chars = _char_dicts(textpage.raw, page.get_height(), 0.0, reference.page_number)
            textpage.close()
            page.close()
            slow = reference.chars
            out["pages"] += 1
            out["characters_pdfium"] += len(chars)
            out["characters_pdfminer"] += len(slow)
            if [c["text"] for c in chars] != [c["text"] for c in slow]:
                continue
            out["pages_same_characters"] += 1
            for fast, exact in zip(chars, slow):
                out["compared"] += 1
                out["x0_identical"] += fast["x0"] == exact["x0"]
                out["max_box_difference"] = max(out["max_box_difference"], *(
                    abs(fast[k] - exact[k]) for k in ("x0", "x1", "top", "bottom")))
    document.close()
    out["max_box_difference"] = round(out["max_box_difference"], 6)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pdfium_route", description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, default=ROOT / "raw")
    parser.add_argument("--docs", help="comma-separated documents (default: every one listed)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from bench.__main__ import _sources

    sources = _sources(args.raw)
    if args.docs:
        wanted = {d.strip().removesuffix(".pdf") for d in args.docs.split(",")}
        unknown = wanted - {s.document for s in sources}
        if unknown:
            raise SystemExit(f"unknown documents: {sorted(unknown)}; listed: {sorted(s.document for s in sources)}")
        sources = [s for s in sources if s.document in wanted]
    figures = {"timings": timings(sources, args.rounds),
               "exactness": {s.document: exactness(s.path) for s in sources}}
    pages = figures["timings"]["pypdfium2_text"]["pages"]
    print(f"{len(sources)} documents, {pages} pages, {args.rounds} rounds; time over pypdfium2 bare text "
          "(median of per-round ratios, same process)")
    for name, row in figures["timings"].items():
        print(f"  {name:18s} {row['median_s']:8.3f} s {row['over_pypdfium2_text']:7.2f}x")
    print("PDFium's characters against pdfminer's (the records' source):")
    for document, row in figures["exactness"].items():
        print(f"  {document:32s} pages with the same characters {row['pages_same_characters']}/{row['pages']}; "
              f"characters {row['characters_pdfium']} vs {row['characters_pdfminer']}; x0 bit-identical "
              f"{row['x0_identical']}/{row['compared']}; largest box difference {row['max_box_difference']} pt")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
