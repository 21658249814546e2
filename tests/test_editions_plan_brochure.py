"""Random editions of the plan brochure, printed from its answer key and read back exactly.

Each edition (``variants.plan_brochure.edition_from_key``) prints every indicator of the key in ruled
boxes with its own fonts, sizes, page orientation, columns, mirrored margins, column widths (so names,
values and headers wrap elsewhere), header wording and value-column order, boxes broken across pages
with or without their header drawn again.  Read back through the real layout reader and ``tidy``, every
key value must come back exactly (value, unit, years, direction, status), with no extra value and no
two rows for one key, each under the section of its policy.  Seeds are fixed (CI sees the same editions); ``MUNIPLAN_MORE_EDITIONS=1`` reads
many more.
"""
from __future__ import annotations

import os
import random
import pdfplumber
import pytest

from edition_check import mismatches
from golden import key_rows, norm
from pipeline.layouts.plan_brochure import LAYOUT
from pipeline.sources import Source
from pipeline.tidy import observations
from variants.plan_brochure import build, edition_from_key

DOCUMENT = "isehara_plan6_overview"
SEEDS = range(40) if os.environ.get("MUNIPLAN_MORE_EDITIONS") == "1" else range(4)


def read_edition(tmp_path, seed: int):
    edition = edition_from_key(key_rows(DOCUMENT), random.Random(seed))
    path = build(tmp_path / f"brochure_{seed}.pdf", edition)
    with pdfplumber.open(path) as pdf:
        doc = LAYOUT.read(pdf, Source(file=path.name, path=path, municipality="どこか市"))
    return edition, doc, observations(doc)


@pytest.mark.parametrize("seed", SEEDS)
def test_a_random_edition_reads_back_exactly(tmp_path, seed):
    edition, doc, rows = read_edition(tmp_path, seed)
    assert (mismatches(DOCUMENT, rows), doc.problems) == ([], []), edition
    # a box continued on the next page or column keeps the section it started under
    policy_of = {norm(line): f"{p.number}{p.name}" for p in edition.policies for r in p.rows for line in r.name[:1]}
    policy_of.update({norm(c.name): f"{g.label}{g.number}{g.name}" for g in edition.goals for c in g.cards})
    assert {c.indicator: norm(c.section) for c in doc.cells} == {c.indicator: policy_of[norm(c.indicator)]
                                                                  for c in doc.cells}
