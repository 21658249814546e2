"""Per-document limits (pages, time) and no network anywhere in the pipeline (issue 8)."""
from __future__ import annotations

import socket

import pytest

from conftest import RAW, read_csv
from pipeline.cli import main
from pipeline.sources import load_sources
from pipeline.stages.extract import process_document

KPI = "isehara_sousei_kpi_r4"


@pytest.fixture(scope="module")
def kpi_source():
    return next(s for s in load_sources(RAW).sources if s.document == KPI)


def test_a_document_over_the_page_limit_is_refused_by_name(kpi_source):
    outcome = process_document(kpi_source, max_pages=2)
    assert outcome.extraction is None
    [problem] = outcome.problems
    assert problem.file == f"{KPI}.pdf" and "over the limit of 2" in problem.message


def test_a_document_over_the_time_limit_is_given_up_by_name(kpi_source):
    outcome = process_document(kpi_source, time_limit=0.01)
    assert outcome.extraction is None
    [problem] = outcome.problems
    assert problem.file == f"{KPI}.pdf" and "longer than the limit" in problem.message


def test_within_the_limits_the_document_is_read(kpi_source):
    outcome = process_document(kpi_source, max_pages=50, time_limit=120)
    assert outcome.problems == [] and outcome.extraction["layout"] == "kpi_report"


def test_the_pipeline_never_opens_a_network_connection(tmp_path, monkeypatch):
    attempts = []

    def refuse(self, address, *args):
        attempts.append(address)
        raise OSError(f"network access attempted: {address}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", lambda address, *a, **k: refuse(None, address))
    status = main(["run", "--raw", str(RAW), "--out", str(tmp_path), f"--docs={KPI}", "--jobs", "1"])
    assert attempts == []
    assert status == 0
    assert {r["document"] for r in read_csv(tmp_path / "observations.csv")} == {KPI}


@pytest.mark.parametrize("params, words", [
    ("extract:\n  max_memory: lots\n", "extract.max_memory: 'lots' is not a size"),
    ("extract:\n  max_pages: many\n", "extract.max_pages must be a number of 0 or more, not 'many'"),
    ("extract:\n  time_limit: -1\n", "extract.time_limit must be a number of 0 or more, not -1"),
    ("extract: [1\n", "not readable YAML"),
    ("- a list\n", "expected a mapping with the sections extract, grading, run"),
])
def test_unusable_settings_end_in_one_line_naming_them(tmp_path, params, words):
    import subprocess
    import sys

    from conftest import ROOT

    (tmp_path / "params.yaml").write_text(params, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "pipeline", "extract", "--params", str(tmp_path / "params.yaml"),
                             "--out", str(tmp_path / "out")], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"pipeline: {tmp_path / 'params.yaml'}: ") and words in line
