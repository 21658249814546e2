"""Random editions of the table layouts, printed from their answer keys and read back exactly.

KPI report, project plan and strategy document: ``edition_from_key`` of each builder prints every indicator of the KPI report's key with its own
font and size, page orientation, column widths (so names and values wrap elsewhere), header wording
(当初値/基準値/現状値…, 実績/実績値, 目標/目標値, 指標/指標名/事業指標) and year forms, the target column
before or after the actuals, tables broken across pages with or without the header drawn again, and
goal cells merged over several rows.  Read back through the real recognition, extraction and ``tidy``,
every key value must come back exactly, nothing extra, no key twice, and grading the observations must
give the key's recomputed grades and rates.  Seeds are fixed; ``MUNIPLAN_MORE_EDITIONS=1`` reads more.
"""
from __future__ import annotations

import inspect
import os
import random
import re

import pytest

from conftest import ANSWERS, read_csv
from edition_check import grade_mismatches, mismatches
from golden import key_rows, norm
from pipeline.layouts.reading import extract_document
from pipeline.sources import Source
from pipeline.tidy import observations

MORE = os.environ.get("MUNIPLAN_MORE_EDITIONS") == "1"
SEEDS = range(30) if MORE else range(3)


def read_back(tmp_path, module, document: str, seed: int, **choices):
    key_grades = ANSWERS / f"{document}.grades.csv"
    grades = read_csv(key_grades) if key_grades.exists() else []       # the strategy prints no grades
    edition = module.edition_from_key(key_rows(document), grades, random.Random(seed), **choices)
    path = tmp_path / f"{document}_{seed}.pdf"
    first = next(iter(inspect.signature(module.build).parameters))   # the builders differ in argument order
    module.build(*((path, edition) if first == "path" else (edition, path)))
    doc = extract_document(Source(file=path.name, path=path, municipality="どこか市"))   # no layout hint
    return edition, doc, observations(doc)


@pytest.mark.parametrize("seed", SEEDS)
def test_a_random_kpi_report_edition_reads_back_exactly(tmp_path, seed):
    from variants import kpi_report
    edition, doc, rows = read_back(tmp_path, kpi_report, "isehara_sousei_kpi_r4", seed)
    assert doc.problems == []
    assert mismatches("isehara_sousei_kpi_r4", rows) == [], edition
    assert grade_mismatches("isehara_sousei_kpi_r4", rows) == [], edition
    # a goal printed once (merged, or on its first row only, across a page break) names every row of it
    goal_of = {norm(i.name): norm(re.sub(r"^[（(][0-9０-９]+[)）]", "", g.name))
               for g in edition.goals for i in g.goal_indicators}
    assert [(c.indicator, c.group) for c in doc.cells if c.kind == "goal"
            and goal_of.get(norm(c.indicator), "") not in norm(c.group)] == []


def test_a_kpi_report_with_header_synonyms_is_recognised(tmp_path):
    from variants import kpi_report
    _, doc, _ = read_back(tmp_path, kpi_report, "isehara_sousei_kpi_r4", 0)
    assert doc.layout == "kpi_report"


@pytest.mark.parametrize("seed", SEEDS)
def test_a_random_project_plan_edition_reads_back_exactly(tmp_path, seed):
    # header words drawn from the synonyms (事業番号/番号/No., 主な事業/事業名, 事業指標/指標名/指標, 当初水準/基準値/現状値, …)
    from variants import project_plan
    edition, doc, rows = read_back(tmp_path, project_plan, "isehara_plan5_midterm_r2", seed, synonyms=True)
    assert mismatches("isehara_plan5_midterm_r2", rows) == [], edition
    assert grade_mismatches("isehara_plan5_midterm_r2", rows) == [], edition


def test_a_project_plan_with_a_wrapped_header_cell_is_recognised(tmp_path):
    from variants import project_plan
    _, doc, _ = read_back(tmp_path, project_plan, "isehara_plan5_midterm_r2", 3, synonyms=False)
    assert (doc.layout, doc.problems) == ("project_plan", [])


def test_a_project_plan_with_header_synonyms_reads_back_exactly(tmp_path):
    from variants import project_plan
    edition, doc, rows = read_back(tmp_path, project_plan, "isehara_plan5_midterm_r2", 5, synonyms=True)
    assert mismatches("isehara_plan5_midterm_r2", rows) == [], edition


@pytest.mark.parametrize("seed", SEEDS)
def test_a_random_strategy_document_edition_reads_back_exactly(tmp_path, seed):
    # header words drawn from the synonyms (現状値/基準値/当初値, 中間値/中間目標値, 目標値/目標, 重要業績評価指標/ＫＰＩ)
    from variants import strategy_document
    edition, doc, rows = read_back(tmp_path, strategy_document, "hadano_sousei2_strategy", seed, synonyms=True)
    assert (doc.layout, doc.problems) == ("strategy_document", [])
    assert mismatches("hadano_sousei2_strategy", rows) == [], edition


def test_a_strategy_document_with_a_header_year_over_two_lines_reads_back_exactly(tmp_path):
    from variants import strategy_document
    edition, _, rows = read_back(tmp_path, strategy_document, "hadano_sousei2_strategy", 0, synonyms=False,
                                 split_years=True)
    assert mismatches("hadano_sousei2_strategy", rows) == [], edition


def test_a_strategy_document_with_header_synonyms_reads_back_exactly(tmp_path):
    from variants import strategy_document
    edition, doc, rows = read_back(tmp_path, strategy_document, "hadano_sousei2_strategy", 0, synonyms=True)
    assert doc.layout == "strategy_document"
    assert mismatches("hadano_sousei2_strategy", rows) == [], edition


def test_a_project_plan_continued_without_its_header_keeps_the_indicator_numbers(tmp_path):
    from variants import project_plan
    edition, doc, rows = read_back(tmp_path, project_plan, "isehara_plan5_midterm_r2", 21, synonyms=False)
    assert not edition.repeat_header
    assert grade_mismatches("isehara_plan5_midterm_r2", rows) == [], edition
