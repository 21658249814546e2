"""Shortcuts taken for speed give what the plain formulation gives.

``orientation.dominant_angle`` counts upright glyphs without trigonometry and stops at a majority;
``DocumentExtraction.to_dict`` builds the dict field by field instead of ``dataclasses.asdict``.
Each is checked against the plain formulation (the stdlib's ``asdict``; a ``Counter`` of
``text_angle`` over every character) on every page of the real PDFs in raw/ and on drawn cases.
"""
from __future__ import annotations

import dataclasses
from collections import Counter

import pdfplumber
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import RAW
from pipeline.extract.orientation import MAJORITY, dominant_angle, text_angle
from pipeline.records import CellRecord, DocumentExtraction, SummaryRow
from pipeline.stages.extract import process_document

PDFS = sorted(RAW.glob("*.pdf"))


def plain_dominant_angle(chars: list[dict]) -> int | None:
    """The definition: the most common direction of the visible glyphs, if more than half of them."""
    angles = Counter(text_angle(c["matrix"]) for c in chars if c.get("text", "").strip() and c.get("matrix"))
    if not angles:
        return 0
    angle, count = angles.most_common(1)[0]
    return angle if angle is not None and count > MAJORITY * sum(angles.values()) else None


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.stem)
def test_dominant_angle_on_every_page(path):
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            chars = page.chars
            assert dominant_angle(chars) == plain_dominant_angle(chars), page.page_number


MATRICES = [(9, 0, 0, 9, 0, 0), (9.0, -0.0, 0.0, 9.0, 1, 2), (0, 9, -9, 0, 0, 0), (-9, 0, 0, -9, 0, 0),
            (0, -9, 9, 0, 0, 0), (9, 3, 0, 9, 0, 0), (9, 0, 0, -9, 0, 0), (-9, 0, 0, 9, 0, 0), (0, 0, 0, 0, 0, 0)]
CHAR = st.fixed_dictionaries({"text": st.sampled_from(["a", "目", " ", "", "\n"]),
                              "matrix": st.one_of(st.sampled_from(MATRICES), st.none())})


@settings(max_examples=300, deadline=None)
@given(st.lists(CHAR, max_size=12))
def test_dominant_angle_on_mixed_directions(chars):
    """Upright, turned, upside-down, mirrored, skewed and blank glyphs in any mix and order."""
    assert dominant_angle(chars) == plain_dominant_angle(chars)


def test_a_turned_majority_is_not_cut_short():
    """Upright glyphs first but fewer than half: the early exit must not answer 0."""
    chars = [{"text": "a", "matrix": (9, 0, 0, 9, 0, 0)}] * 4 + [{"text": "b", "matrix": (0, 9, -9, 0, 0, 0)}] * 5
    assert dominant_angle(chars) == 90
    assert dominant_angle(chars[:4] + chars[4:8]) is None


@pytest.fixture(scope="module")
def extractions(sources):
    outcomes = [process_document(sources[p.stem]) for p in PDFS if p.stem in sources]
    return [o for o in outcomes if o.extraction is not None]


def test_to_dict_is_asdict_on_every_document(extractions):
    assert len(extractions) == len(PDFS)
    for outcome in extractions:
        doc = DocumentExtraction.from_dict(outcome.extraction)
        expected = dataclasses.asdict(doc)
        got = doc.to_dict()
        assert got == expected
        assert list(got) == list(expected)                     # the JSON cache keeps the key order
        assert [list(c) for c in got["cells"]] == [list(c) for c in expected["cells"]]
        assert [list(s) for s in got["summary"]] == [list(s) for s in expected["summary"]]


def test_to_dict_copies_what_can_change():
    doc = DocumentExtraction("d", "m", "kpi_report", 1,
                             cells=[CellRecord(1, "x", "actual", "1", bbox=(1.0, 2.0, 3.0, 4.0))],
                             summary=[SummaryRow("g", "kpi", 2, {"A": 1, "B": 1})],
                             printed_counts={"kpi": 2}, legend={"A": "100%以上"}, problems=["p"])
    out = doc.to_dict()
    assert out == dataclasses.asdict(doc) and out["cells"][0]["cell_id"] == "d/0"
    out["summary"][0]["grades"]["A"] = 9
    out["cells"][0]["text"] = "2"
    out["printed_counts"]["kpi"] = 9
    out["legend"].clear()
    out["problems"].append("q")
    assert doc.summary[0].grades == {"A": 1, "B": 1} and doc.cells[0].text == "1"
    assert doc.printed_counts == {"kpi": 2} and doc.legend == {"A": "100%以上"} and doc.problems == ["p"]
