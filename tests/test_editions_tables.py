"""Random editions of the table layouts, printed from their answer keys and read back exactly.

``variants.kpi_report.edition_from_key`` prints every indicator of the KPI report's key with its own
font and size, page orientation, column widths (so names and values wrap elsewhere), header wording
(当初値/基準値/現状値…, 実績/実績値, 目標/目標値, 指標/指標名/事業指標) and year forms, the target column
before or after the actuals, tables broken across pages with or without the header drawn again, and
goal cells merged over several rows.  Read back through the real recognition, extraction and ``tidy``,
every key value must come back exactly, nothing extra, no key twice, and grading the observations must
give the key's recomputed grades and rates.  Seeds are fixed; ``MUNIPLAN_MORE_EDITIONS=1`` reads more.
"""
from __future__ import annotations

import os
import random

import pytest

from conftest import ANSWERS, read_csv
from edition_check import grade_mismatches, mismatches
from golden import key_rows
from pipeline.extract.document import extract_document
from pipeline.sources import Source
from pipeline.tidy import observations

MORE = os.environ.get("MUNIPLAN_MORE_EDITIONS") == "1"
SEEDS = range(30) if MORE else range(3)


def read_back(tmp_path, module, document: str, seed: int):
    grades = read_csv(ANSWERS / f"{document}.grades.csv")
    edition = module.edition_from_key(key_rows(document), grades, random.Random(seed))
    path = module.build(edition, tmp_path / f"{document}_{seed}.pdf")
    doc = extract_document(Source(file=path.name, path=path, municipality="どこか市"))   # no layout hint
    return edition, doc, observations(doc)


@pytest.mark.parametrize("seed", SEEDS)
def test_a_random_kpi_report_edition_reads_back_exactly(tmp_path, seed):
    from variants import kpi_report
    edition, doc, rows = read_back(tmp_path, kpi_report, "isehara_sousei_kpi_r4", seed)
    assert doc.problems == []
    assert mismatches("isehara_sousei_kpi_r4", rows) == [], edition
    assert grade_mismatches("isehara_sousei_kpi_r4", rows) == [], edition
