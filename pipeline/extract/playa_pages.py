"""Page objects read by playa-pdf, handed to pdfplumber as if pdfminer had read them.

In: a pdfplumber PDF and its path. Out: the same PDF whose pages take their objects from playa.
A page's objects (characters, lines, rectangles, curves, images) are read with playa-pdf
(``playa.miner``, compiled) instead of pdfminer's pure-Python interpreter and converted straight
into the dicts pdfplumber would have made (same coordinates, text, fonts, colours; pdfminer's
character boxes are rebuilt from each font's descriptor descent, which playa computes otherwise).
Characters are made straight from playa's text objects (``text_chars``: playa's glyph loop and
``playa.miner.LTChar``'s arithmetic in one pass, no intermediate object per glyph); paths, images
and figures go through ``playa.miner``.
Everything downstream (tables, words, crops) is still pdfplumber's (``grid`` and ``words`` run
its table finder and word extractor with their hot loops written out: the same results). A page
playa cannot give exactly (a rotated page, an offset media box, text in vertical, Type 3 or symbol fonts, a rotated
glyph whose box would need moving, a glyph without a character, an unknown object) is read by
pdfminer as before (``extract.pdf.USE_PLAYA = False``: every page). The only attributes that
differ are ``linewidth`` and ``dash`` of paths drawn with the PDF defaults (pdfminer says 0 and
None where the PDF default is 1 and a solid line); nothing here uses them.
"""
from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

import pdfplumber
from pdfminer.fontmetrics import FONT_METRICS
from pdfplumber.page import Page

try:    # imported with this module: the time limit's alarm, set later, must not stop an import half-way
    import playa
    import playa.content
    import playa.miner
    from playa.utils import mult_matrix, transform_bbox, translate_matrix
except ImportError:     # without playa, pdfminer reads every page
    playa = None


class _PlayaPage(Page):
    """A pdfplumber page whose objects come from playa (pdfminer for a page playa cannot give exactly)."""

    _playa_page = None

    @property
    def objects(self) -> dict[str, list[dict]]:
        if hasattr(self, "_objects"):
            return self._objects
        found = None
        if self._playa_page is not None:
            try:
                found = playa_objects(self, self._playa_page)
            except Exception:   # whatever playa trips on, pdfminer gets its own chance (and error)
                found = None
        self._objects = found if found is not None else self.parse_objects()
        return self._objects


def read_with_playa(pdf: pdfplumber.PDF, path: Path, stack: ExitStack) -> None:
    """Give ``pdf``'s pages their objects from playa; leave them to pdfminer if playa cannot open it."""
    if playa is None:
        return
    try:
        doc = stack.enter_context(playa.open(path, space="page"))
        playa_pages = list(doc.pages)
    except Exception:
        return
    if len(playa_pages) != len(pdf.pages):
        return
    for page, playa_page in zip(pdf.pages, playa_pages):
        if type(page) is Page:
            page.__class__ = _PlayaPage
            page._playa_page = playa_page


def _color(color):
    """A playa colour as pdfminer gives it: one component as a number, several as a tuple."""
    if color is None:
        return None
    values = tuple(color.values)
    return values[0] if len(values) == 1 else values


def _dash(dash):
    """pdfminer's dashing style: None for a solid line, else (array, phase)."""
    if dash is None or not dash.dash:
        return None
    return (list(dash.dash), dash.phase)


def _descent_shifts(playa_page) -> dict[str, float]:
    """Per font name: pdfminer's descent (the descriptor's, 0 without one; a standard 14 font's from
    pdfminer's AFM metrics) minus playa's, in text space units. A font whose boxes this cannot
    rebuild is left out, so that a page drawing with it is read by pdfminer."""
    shifts: dict[str, float] = {}
    unsure: set[str] = set()
    for font in playa_page.fonts.values():
        name = font.fontname
        descriptor = getattr(font, "descriptor", None) or {}
        if type(font).__name__ != "CIDFont" and font.basefont in FONT_METRICS:
            # pdfminer takes a standard 14 font's metrics from its own AFM tables, not the PDF's
            descriptor = FONT_METRICS[font.basefont][0]
        descent = descriptor.get("Descent", 0) or 0
        if (font.vertical or type(font).__name__ == "Type3Font" or font.basefont in ("Symbol", "ZapfDingbats")
                or not isinstance(descent, (int, float))):
            unsure.add(name)     # vertical writing, glyph procedures, symbol encodings: pdfminer's own
            continue
        shift = -abs(descent) * 0.001 - font.descent * font.matrix[3]
        if shifts.setdefault(name, shift) != shift:
            unsure.add(name)     # two fonts of one name with different descents: cannot tell them apart
    for name in unsure:
        shifts.pop(name, None)
    return shifts


class _NotExact(Exception):
    """This page has something the playa route does not rebuild exactly: read it with pdfminer."""


def playa_objects(page: Page, playa_page) -> dict[str, list[dict]] | None:
    """pdfplumber's ``page.objects`` for ``page``, read from the same page opened with playa.

    None when the page needs pdfminer (see the module docstring).
    """
    if page.rotation or playa_page.rotate or tuple(page.mediabox[:2]) != (0, 0):
        return None
    shifts = _descent_shifts(playa_page)
    height, doctop, number = page.height, page.initial_doctop, page.page_number
    objects: dict[str, list[dict]] = {}

    def base(obj, kind: str, x0: float, y0: float, x1: float, y1: float) -> dict:
        mc = obj.mcstack[-1] if obj.mcstack else None
        return {"x0": x0, "y0": y0, "x1": x1, "y1": y1, "width": x1 - x0, "height": y1 - y0,
                "mcid": mc.mcid if mc is not None else None, "tag": mc.tag if mc is not None else None,
                "object_type": kind, "page_number": number,
                "top": height - y1, "bottom": height - y0, "doctop": doctop + height - y1}

    def point(pt):
        return (pt[0], height - pt[1])

    chars: list[dict] = []
    char_colors: dict = {}

    def char_color(color) -> tuple:
        """(colour, pdfplumber's value) of a colour object not seen before on this page (glyphs of one
        text object share their colour objects: ``char_colors`` by id)."""
        value = _color(color)
        found = char_colors[id(color)] = (color, value if isinstance(value, tuple) else (value,))
        return found

    def walk(items) -> None:
        """Paths, images and figures made by ``playa.miner`` (characters are ``text_chars``'s)."""
        for obj in items:
            name = type(obj).__name__
            if name in ("LTRect", "LTLine", "LTCurve"):
                kind = name[2:].lower()
                d = base(obj, kind, obj.x0, obj.y0, obj.x1, obj.y1)
                d.update({"pts": [point(p) for p in obj.pts], "linewidth": obj.linewidth,
                          "stroke": obj.stroke, "fill": obj.fill, "evenodd": obj.evenodd,
                          "stroking_color": _color(obj.stroking_color),
                          "non_stroking_color": _color(obj.non_stroking_color),
                          "path": [(cmd, *map(point, pts)) for cmd, *pts in obj.original_path],
                          "dash": _dash(obj.graphicstate.dash)})
                objects.setdefault(kind, []).append(d)
            elif name == "LTImage":
                d = base(obj, "image", obj.x0, obj.y0, obj.x1, obj.y1)
                stream = obj.stream
                space = stream.get_any(("CS", "ColorSpace"))
                d.update({"name": obj.name, "stream": stream,   # as pdfminer reads them from the stream
                          "srcsize": (stream.get_any(("W", "Width")), stream.get_any(("H", "Height"))),
                          "imagemask": stream.get_any(("IM", "ImageMask")),
                          "bits": stream.get_any(("BPC", "BitsPerComponent"), 1),
                          "colorspace": space if isinstance(space, list) else [space]})
                objects.setdefault("image", []).append(d)
            elif name == "LTFigure":
                walk(obj)
            elif name != "LTAnno":
                raise _NotExact

    def text_chars(text) -> None:
        """The characters of a text object: ``playa.content.TextObject.__iter__`` (each glyph's
        rendering matrix) and ``playa.miner.LTChar`` (pdfminer's box, matrix, advance and size) in one
        loop, the same arithmetic in the same order, without a glyph object or an LTChar per character."""
        gstate = text.gstate
        font = gstate.font
        if font is None:            # playa yields no glyph, and warns, when no font is set
            playa.content.log.warning(
                "No font is set, will not update text state or output text: %r TJ", text.args)
            text._next_glyph_offset = text._glyph_offset
            return
        x, y = text._glyph_offset
        tlm_ctm = mult_matrix(text.line_matrix, text.ctm)
        fontsize = gstate.fontsize
        scaling = gstate.scaling * 0.01
        if fontsize == 0.0:
            charspace = wordspace = 0.0
        else:
            charspace = gstate.charspace / fontsize
            wordspace = gstate.wordspace / fontsize
        # A vertical font is never read here (``_descent_shifts`` leaves it out): its first glyph sends
        # the page to pdfminer, as the LTChar route did.
        vertical = font.vertical
        if font.multibyte:
            wordspace = 0
        scaling_matrix = (fontsize * scaling, 0, 0, fontsize, 0, gstate.rise)
        fontname, decode, hdisp = font.fontname, font.decode, font.hdisp
        shift = shifts.get(fontname)
        descent = font.descent * font.matrix[3]
        rise = gstate.rise
        mc = text.mcstack[-1] if text.mcstack else None
        mcid, tag = (mc.mcid, mc.tag) if mc is not None else (None, None)
        stroking = char_colors.get(id(gstate.scolor)) or char_color(gstate.scolor)
        non_stroking = char_colors.get(id(gstate.ncolor)) or char_color(gstate.ncolor)
        # What every character of the text object shares, in pdfplumber's key order; each character
        # is a copy with its own values filled in (cheaper than a dict display of every key).
        template = {"matrix": None, "fontname": fontname, "adv": None, "upright": None, "x0": None, "y0": None,
                    "x1": None, "y1": None, "width": None, "height": None, "size": None, "mcid": mcid, "tag": tag,
                    "object_type": "char", "page_number": number, "ncs": gstate.ncs.name, "text": None,
                    "stroking_color": stroking[1], "non_stroking_color": non_stroking[1],
                    "top": None, "bottom": None, "doctop": None}
        copy = template.copy
        append = chars.append
        pos = x
        for arg in text.args:
            if isinstance(arg, (int, float)):
                pos -= arg * 0.001 * fontsize * scaling
                continue
            for cid, glyph_text in decode(arg):
                if shift is None or vertical:
                    raise _NotExact
                if glyph_text is None:
                    glyph_text = "(cid:%d)" % cid   # pdfminer's text for a glyph with no character
                elif not glyph_text:
                    raise _NotExact
                width = hdisp(cid)
                disp = width + charspace
                if cid == 32:
                    disp += wordspace
                a, b, c, d, e, f = mult_matrix(scaling_matrix, translate_matrix(tlm_ctm, (pos, y)))
                # LTChar: the matrix unscaled, its box the text-space [0, w] x [descent, descent + 1]
                xscale, yscale = 1 / (fontsize * scaling), 1 / fontsize
                upright = a * d * scaling > 0 and b * c <= 0
                m = (a * xscale, b * yscale, c * xscale, d * yscale, e, f)
                x0, y0, x1, y1 = transform_bbox((a, b, c, d, e, f), (0, descent, width, descent + 1))
                size = y1 - y0
                if m[1] or m[2]:
                    if shift or rise:
                        raise _NotExact  # a rotated glyph whose box would need moving: pdfminer's
                    if scaling != 1:     # playa unscales b and c by the other axis's factor
                        m = (m[0], m[1] / scaling, m[2] * scaling, m[3], m[4], m[5])
                elif shift:
                    # The box is the glyph's text-space [descent, descent + 1] scaled by the matrix's
                    # d, whose size is the box's height: move it by d times the difference in descent.
                    dy = (y1 - y0 if m[3] > 0 else y0 - y1) * shift
                    y0, y1 = y0 + dy, y1 + dy
                if rise:                 # pdfminer's matrix leaves the rise to the box
                    m = (m[0], m[1], m[2], m[3], m[4], m[5] - m[3] * rise)
                top = height - y1
                char = copy()
                char["matrix"] = m
                char["adv"] = width * fontsize * scaling
                char["upright"] = upright
                char["x0"] = x0
                char["y0"] = y0
                char["x1"] = x1
                char["y1"] = y1
                char["width"] = x1 - x0
                char["height"] = y1 - y0
                char["size"] = size
                char["text"] = glyph_text
                char["top"] = top
                char["bottom"] = height - y0
                char["doctop"] = doctop + top
                append(char)
                if "char" not in objects:
                    objects["char"] = chars
                pos += disp * fontsize * scaling
        if text._next_glyph_offset is None:
            text._next_glyph_offset = (pos, y)

    def visit(content) -> None:
        """``playa.miner.extract_page``'s walk, handing each object over as it is made, while the
        graphics state is still the one it was drawn with."""
        kind = type(content).__name__
        if kind == "TextObject":
            text_chars(content)
        elif kind == "XObjectObject":
            for child in content:
                visit(child)
        else:
            walk(playa.miner.process_object(content))

    try:
        for content in playa_page:
            visit(content)
    except _NotExact:
        return None
    finally:
        # walk and visit call themselves: a cycle that would keep their closures (the page's
        # objects) alive until the cyclic garbage collector runs, after the page is let go
        walk = visit = text_chars = None  # noqa: F841  (empties the closure cells)
    return objects
