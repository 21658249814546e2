"""Missing, never wrong: the prose reader on declarations written with templates it was not written for.

``variants.goal_declaration.random_row`` writes goals and results in other orders and verbs (the value
before the name, ``…を…とすることを目指します``, ``…は、…となりました``), years in other forms, results in
two parts, and results about something no goal names.  Every number the reader gives must be the one the
row states for the indicator (and component) it names; every value it does not give must be reported
(a result it cannot pair is marked unpaired and listed in the document's problems), never paired by
order.  Many rows are read as text, a few editions through a real PDF.  Seeds are fixed;
``MUNIPLAN_MORE_EDITIONS=1`` reads more.
"""
from __future__ import annotations

import os
import random

import pytest

from golden import norm
from pipeline.layouts.reading import extract_document
from pipeline.layouts.prose_goals import initiative_name, row_entries
from pipeline.normalise import read_cell
from pipeline.sources import Source
from pipeline.tidy import observations
from variants.goal_declaration import Edition, build, random_row

MORE = os.environ.get("MUNIPLAN_MORE_EDITIONS") == "1"
ROWS = 400 if MORE else 60
REPORT_YEAR = "平成２８年度"


def names(indicator: str, component: str, fact: tuple) -> bool:
    """The entry's indicator and component name the fact's."""
    noun, comp = norm(fact[0]), norm(fact[1])
    return noun in norm(indicator) and comp == norm(component)


def judge(entries_or_rows, truth) -> tuple[list, set]:
    """(numbers given that are wrong, facts given right) for (indicator, component, measure, value) tuples."""
    wrong, right = [], set()
    for indicator, component, measure, value in entries_or_rows:
        match = [f for f in truth if f[2] == measure and f[3] == value and names(indicator, component, f)]
        if match:
            right.update(match)
        else:
            wrong.append((indicator, component, measure, value))
    return wrong, right


@pytest.mark.parametrize("seed", range(ROWS))
def test_every_number_the_prose_reader_gives_is_right(seed):
    initiative, truth = random_row(random.Random(seed), seed + 1)
    entries = row_entries(initiative.name, initiative.goal, initiative.state, REPORT_YEAR)
    given = [(e.indicator, e.component, e.measure, int(r.value)) for e in entries if not e.unpaired
             for r in read_cell(e.text) if r.value is not None]
    wrong, right = judge(given, truth)
    assert wrong == [], (initiative, entries)
    # what it does not give is reported: an actual missing was marked unpaired, a target is never missing
    reported = {int(r.value) for e in entries if e.unpaired for r in read_cell(e.text) if r.value is not None}
    missing = [f for f in truth if f not in right]
    assert [f for f in missing if f[2] == "target" or f[3] not in reported] == [], (initiative, entries)


@pytest.mark.parametrize("seed", range(6 if MORE else 2))
def test_a_declaration_edition_with_other_templates_gives_no_wrong_number(tmp_path, seed):
    rng = random.Random(1000 + seed)
    rows = [random_row(rng, n + 1) for n in range(7)]
    edition = Edition("平成２８年度 企画部長の目標宣言 達成状況報告", [r for r, _ in rows], "",
                      widths=tuple(rng.choice([(30, 110, 250, 220, 160), (26, 84, 200, 150, 160)])))
    path = build(edition, tmp_path / f"declaration_{seed}.pdf")
    doc = extract_document(Source(file=path.name, path=path, municipality="どこか市"))
    assert doc.layout == "goal_declaration"
    truth = [f for _, t in rows for f in t]
    given = [(o["indicator"], o["component"], o["measure"], int(o["value"])) for o in observations(doc) if o["value"]]
    wrong, right = judge(given, truth)
    assert wrong == []
    unpaired = [p for p in doc.problems if "not paired" in p]
    assert len(right) + len(unpaired) >= len([f for f in truth if f[2] == "target"]) * 2 - len(unpaired), doc.problems
    assert {initiative_name(r.name)[0] for r, _ in rows} >= {c.group for c in doc.cells}
