"""No critical expectation fails on correct output of documents never seen: generated editions of every
layout family (other widths, wordings, fonts, page breaks, other file names) read by the real pipeline
(extract, tidy, grade) and validated with the committed suites.

The editions are the variant builders of the layout tests (``tests/variants/``), whose readings those
tests check exactly; here they are validated together, as one run of a new ``raw/`` folder would be.
"""
from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
import yaml

from pipeline.settings import DEFAULTS
from pipeline.stages import extract, grade, tidy, validate

ROOT = Path(__file__).resolve().parents[1]


def editions(folder: Path) -> list[Path]:
    """One PDF of each variant family, under new file names."""
    from reportlab.lib.pagesizes import A4
    from test_layout_kpi_variant import GOALS as KPI_GOALS
    from test_layout_plan_brochure import EDITIONS as BROCHURES
    from variants import (goal_declaration, kpi_report, kpi_table, outcome_tables, plan_brochure, project_plan,
                          strategy_document, verification_sheet)

    kpi = kpi_report.Edition(("令和5年度", "令和6年度"), "令和7年度", "計画策定時", KPI_GOALS, pagesize=A4,
                             counts={"数値目標": 3, "重要業績評価指標（KPI）": 30})
    return [
        kpi_report.build(kpi, folder / "somewhere_kpi_r6.pdf"),
        kpi_table.build(kpi_table.random_edition(random.Random(0)), folder / "somewhere_kpi_table_r5.pdf"),
        outcome_tables.build(outcome_tables.random_edition(random.Random(0)), folder / "somewhere_outcomes_r5.pdf"),
        verification_sheet.build(verification_sheet.random_edition(0), folder / "somewhere_sheet_r5.pdf"),
        goal_declaration.build(goal_declaration.PORTRAIT, folder / "somewhere_declaration_r1.pdf"),
        plan_brochure.build(folder / "somewhere_brochure.pdf", BROCHURES[sorted(BROCHURES)[0]]),
        project_plan.build(folder / "somewhere_plan_r7.pdf", project_plan.edition()),
        strategy_document.build(folder / "somewhere_strategy_3.pdf", strategy_document.sample_edition()),
    ]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    raw = tmp_path_factory.mktemp("raw")
    out = tmp_path_factory.mktemp("out")
    paths = editions(raw)
    (raw / "sources.yaml").write_text(yaml.safe_dump(
        [{"file": p.name, "municipality": "架空市"} for p in paths], allow_unicode=True), encoding="utf-8")
    settings = json.loads(json.dumps(DEFAULTS))
    problems = extract.run(raw, out, settings)
    tidy.run(out)
    grade.run(out, settings)
    critical, warnings = validate.run(out, ROOT / "expectations", settings)
    return out, paths, problems, critical, warnings


def test_no_critical_failure_on_correct_editions(run):
    out, paths, problems, critical, warnings = run
    read = {json.loads(p.read_text(encoding="utf-8"))["extraction"]["document"] for p in (out / "cells").glob("*.json")}
    assert read == {p.stem for p in paths}, problems
    assert critical == [], "\n".join(critical)


def test_every_edition_gets_its_layout_checks(run):
    out, paths, _, _, warnings = run
    layouts = {json.loads(p.read_text(encoding="utf-8"))["extraction"]["layout"] for p in (out / "cells").glob("*.json")}
    with_suite = {p.name.split(".")[0] for p in (ROOT / "expectations" / "layouts").glob("*.json")}
    assert len(layouts & with_suite) >= 5, layouts
    assert not [w for w in warnings if "layout unknown" in w]
    for layout in sorted(layouts - with_suite):
        assert any(f"layout {layout} has no suite of its own" in w for w in warnings), warnings
