"""``bench/whole_run.py``: the bigger inputs it times are the shipped extractions copied under new
document names, and the later stages treat every copy exactly as the original (so time per row can
be compared across scales). Real PDFs, real stages; the rows of one copy are checked against the
answer key.
"""
from __future__ import annotations

import copy
import json
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ANSWERS, RAW, ROOT, read_csv

from pipeline.settings import DEFAULTS
from pipeline.stages import extract, grade, report, tidy

sys.path.insert(0, str(ROOT))   # bench/ is a top-level package beside pipeline/
from bench.corpus import build_corpus  # noqa: E402
from bench.whole_run import renamed, scaled_cells  # noqa: E402

KPI = "isehara_sousei_kpi_r4"
COPIES = 3


@pytest.fixture(scope="module")
def settings() -> dict:
    settings = copy.deepcopy(DEFAULTS)
    settings["extract"]["jobs"] = 1
    return settings


@pytest.fixture(scope="module")
def copies(tmp_path_factory, settings) -> tuple[Path, Path]:
    """The KPI report extracted once, then its cells copied ``COPIES`` times, tidied and graded."""
    tmp = tmp_path_factory.mktemp("whole-run")
    one = tmp / "one"
    assert not [p for p in extract.run(RAW, one, settings, {KPI}) if p.severity == "error"]
    out = scaled_cells(one / "cells", COPIES, tmp / "many")
    tidy.run(out)
    grade.run(out, settings)
    return one, out


def reading(row: dict) -> tuple:
    """What a value row says, numbers compared as numbers ('12' is '12.0')."""
    return (row["indicator"], row["component"], row["measure"], row["fiscal_year"],
            Decimal(row["value"]) if row["value"] else None)


def without_document(row: dict, document: str) -> dict:
    return {k: v[len(document):] if k in ("cell_id", "document") and v.startswith(document) else v
            for k, v in row.items()}


def test_a_renamed_extraction_keeps_every_cell_under_its_new_name():
    data = {"extraction": {"document": "a", "cells": [{"cell_id": "a/0", "text": "1"}, {"cell_id": "a/1"}],
                           "legend": {"A": "100%以上"}}, "stamp": {"pdf_sha256": "x"}}
    out = renamed(data, "a__007")
    assert out["extraction"]["document"] == "a__007"
    assert [c["cell_id"] for c in out["extraction"]["cells"]] == ["a__007/0", "a__007/1"]
    assert out["extraction"]["legend"] == data["extraction"]["legend"] and out["stamp"] == data["stamp"]
    assert data["extraction"]["cells"][0]["cell_id"] == "a/0", "the original is left as it was"


def test_every_copy_reads_back_as_the_answer_key(copies):
    _, out = copies
    rows = read_csv(out / "observations.csv")
    key = read_csv(ANSWERS / f"{KPI}.observations.csv")
    documents = sorted({r["document"] for r in rows})
    assert documents == [f"{KPI}__{k:03d}" for k in range(COPIES)]
    for document in documents:
        mine = [r for r in rows if r["document"] == document]
        assert len(mine) == len(key)
        assert sorted(map(reading, mine)) == sorted(map(reading, key))
        assert all(r["cell_id"].startswith(document + "/") for r in mine)


def test_copies_are_graded_alike_and_cross_checked_alike(copies):
    _, out = copies
    grades = read_csv(out / "grades.csv")
    key = read_csv(ANSWERS / f"{KPI}.grades.csv")
    by_document: dict[str, list[dict]] = {}
    for row in grades:
        by_document.setdefault(row["document"], []).append(row)
    assert len(by_document) == COPIES
    first, *others = [[without_document(r, d) for r in rows] for d, rows in sorted(by_document.items())]
    assert all(rows == first for rows in others)
    assert sorted((g["indicator"], g["recomputed_grade"]) for g in first) == \
        sorted((k["indicator"], k["recomputed_grade"]) for k in key)
    checks = read_csv(out / "summary_check.csv")
    per_copy = {d: [without_document(r, d) for r in checks if r["document"] == d] for d in by_document}
    assert len({json.dumps(rows, ensure_ascii=False) for rows in per_copy.values()}) == 1
    assert per_copy[f"{KPI}__000"], "the KPI report prints a 総括表: each copy is cross-checked"


def test_the_report_shows_each_copy_with_its_evidence_cut_from_its_pdf_copy(copies, settings, tmp_path):
    """The PDF copies the benchmark lists (bench.corpus) carry the copies' names, so the report finds
    each copy's PDF and cuts its evidence rows, as for the original."""
    _, out = copies
    corpus = build_corpus(RAW, COPIES, tmp_path)
    assert {f"{KPI}__{k:03d}" for k in range(COPIES)} <= {p.stem for p in corpus.glob("*.pdf")}
    page = report.run(out, corpus, settings).read_text(encoding="utf-8")
    for k in range(COPIES):
        assert f"<code>{KPI}__{k:03d}</code>" in page
    differing = sum(r["agrees"] == "false" for r in read_csv(out / "grades.csv"))
    assert differing > 0 and differing % COPIES == 0
    figures = page.split('<figure class="evidence disagreement"')[1:]
    assert len(figures) == differing
    assert all("data:image/png;base64," in figure.split("</figure>")[0] for figure in figures)


def test_the_linearity_measure_times_each_scale_on_that_many_rows(tmp_path):
    """``linearity`` on a one-document raw folder at 1x and 2x: the 2x corpus has twice the
    documents and rows, every later stage is timed, and the ratios are stated per stage."""
    import shutil

    from bench.whole_run import LATER, linearity

    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy2(RAW / f"{KPI}.pdf", raw / f"{KPI}.pdf")
    (raw / "sources.yaml").write_text(f"- file: {KPI}.pdf\n  municipality: 伊勢原市\n", encoding="utf-8")
    result = linearity(raw, [2])
    one, two = result["scales"]
    assert (one["scale"], two["scale"]) == (1, 2)
    assert one["observation_rows"] == len(read_csv(ANSWERS / f"{KPI}.observations.csv"))
    assert two["documents"] == 2 * one["documents"] == 2
    assert two["observation_rows"] == 2 * one["observation_rows"]
    assert two["grade_rows"] == 2 * one["grade_rows"] > 0
    for stage in LATER:
        assert stage in two["cpu_seconds"] and two["per_row_ratio"][stage] > 0
    assert result["largest_per_row_ratio"] == two["per_row_ratio"]
