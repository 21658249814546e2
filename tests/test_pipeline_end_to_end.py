"""The real pipeline, run by the real `dvc repro` on the shipped raw/, in a fresh copy of the project.

Checks the contract's promises end to end: extracted/ equals the answer keys (scored by
tests/score.py, the project's copy of the shared scorer), a second `dvc repro` does no work,
and changing one setting re-runs only the stages that depend on it.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ANSWERS, ROOT, read_csv
from golden import READ_DOCUMENTS

COPY = ("pipeline", "raw", "expectations", "dvc.yaml", "params.yaml", ".dvc/config", ".dvcignore")
# dvc.yaml's commands run `python`: the interpreter running these tests, with the project installed.
ENV = {**os.environ, "DVC_NO_ANALYTICS": "1", "GX_ANALYTICS_ENABLED": "false",
       "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}


def dvc(project: Path, *args: str) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("dvc")
    return subprocess.run([str(exe), *args], cwd=project, env=ENV, capture_output=True, text=True, timeout=1800)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A fresh copy of the project (as a clone would have it, with no extracted/ yet) after `dvc repro`."""
    project = tmp_path_factory.mktemp("clone")
    for name in COPY:
        source = ROOT / name
        target = project / name
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    result = dvc(project, "repro")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return project


def score(project: Path) -> dict:
    result = subprocess.run([sys.executable, str(ROOT / "tests" / "score.py"), str(ANSWERS),
                             str(project / "extracted"), "--json", "--misses=60", "--docs=" + ",".join(READ_DOCUMENTS)],
                            capture_output=True, text=True, check=True)
    line = next(l for l in result.stdout.splitlines() if l.startswith("{"))
    return {**json.loads(line), "report": result.stdout}


def test_dvc_repro_reproduces_the_answer_keys(project):
    s = score(project)
    assert s["wrong"] == 0 and s["missing"] == 0, s["report"]
    assert s["grades_right"] == s["grades"] and s["pub_right"] == s["pub"], s["report"]


def test_every_document_reaches_the_dataset_with_the_contract_columns(project):
    rows = read_csv(project / "extracted" / "observations.csv")
    contract = ["document", "municipality", "section", "indicator_no", "indicator", "component", "measure",
                "fiscal_year", "period_start", "value", "unit", "direction", "status", "text", "page"]
    assert list(rows[0])[:len(contract)] == contract
    documents = {r["document"] for r in rows}
    assert documents == set(READ_DOCUMENTS)
    assert all(r["municipality"] for r in rows)


def test_the_documents_required_to_read_are_the_ones_listed_in_sources_yaml():
    from pipeline.sources import load_sources
    assert {s.document for s in load_sources(ROOT / "raw").sources} == set(READ_DOCUMENTS)


def test_summary_disagreement_is_found(project):
    checks = read_csv(project / "extracted" / "summary_check.csv")
    differing = [c for c in checks if c["status"] != "ok"]
    # The printed 総括表 of the KPI report counts 10 A among its KPIs; its own detail table has 11.
    assert any(c["kind"] == "kpi" and c["column"] == "A" and c["printed"] == "10" and c["published"] == "11"
               for c in differing), differing


def test_the_real_dataset_passes_every_critical_expectation(project):
    outcome = json.loads((project / "extracted" / "validation" / "outcome.json").read_text(encoding="utf-8"))
    assert outcome["passed"] and outcome["critical"] == [], outcome["critical"]
    assert outcome["expectations_run"] > 50
    assert (project / "extracted" / "validation" / "data_docs" / "index.html").exists()


def test_second_repro_does_no_work(project):
    result = dvc(project, "repro")
    assert result.returncode == 0, result.stderr
    assert "Running stage" not in result.stdout, result.stdout


def test_changing_the_grading_legend_reruns_only_grading_and_what_follows(project):
    params = project / "params.yaml"
    original = params.read_text(encoding="utf-8")
    try:
        params.write_text(original.replace('B: "0.80"', 'B: "0.75"'), encoding="utf-8")
        result = dvc(project, "repro")
        ran = {line.split("'")[1] for line in result.stdout.splitlines() if line.startswith("Running stage")}
        assert "extract" not in ran and "tidy" not in ran
        assert "grade" in ran
    finally:
        params.write_text(original, encoding="utf-8")
        dvc(project, "repro")
