"""``bench/validate.py``: the scaled inputs it times are the shipped tables repeated under new names, one
measurement is a real ``validate()`` in a fresh process, and the figures are medians of per-run ratios."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pandas as pd
import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT))   # bench/ is a top-level package beside pipeline/
from bench.validate import LIMIT_S, TABLES, scaled, summary  # noqa: E402
from test_validate import LAYOUTS, LEGEND, valid_dataset, write  # noqa: E402


def test_scaled_tables_repeat_every_row_under_new_document_names(tmp_path):
    folder = write(valid_dataset(), tmp_path / "one")
    out, layouts = scaled(folder, LAYOUTS, 3, tmp_path / "three")
    for table in TABLES:
        one = pd.read_csv(folder / f"{table}.csv", dtype=str, keep_default_na=False)
        three = pd.read_csv(out / f"{table}.csv", dtype=str, keep_default_na=False)
        assert len(three) == 3 * len(one)
        assert three["document"].nunique() == 3 * one["document"].nunique()
        assert three.drop(columns="document").iloc[len(one):2 * len(one)].reset_index(drop=True).equals(
            one.drop(columns="document"))
    assert len(layouts) == 3 * len(LAYOUTS) and layouts[f"{next(iter(LAYOUTS))}~2"] == next(iter(LAYOUTS.values()))


def run(startup: float, work: float) -> dict:
    return {"startup_cpu": startup, "startup_wall": startup, "import_cpu": startup, "context_cpu": 0.0,
            "validate_cpu": work, "validate_wall": work, "work_cpu": work, "work_wall": work, "critical": 0}


def test_figures_are_medians_of_each_runs_own_ratio():
    runs = {1: [run(2.0, 0.4), run(1.0, 0.5), run(1.0, 0.1)],      # ratios 1.2, 1.5, 1.1
            10: [run(1.0, 0.8), run(1.0, 0.8), run(2.0, 0.8)],
            100: [run(1.0, 8.0), run(1.0, 8.0), run(1.0, 8.0)]}
    result = summary(runs, 1000, run(1.0, 0.9))
    first, tenfold, hundredfold = result["scales"]
    assert first["ratio_to_startup"] == pytest.approx(1.2)   # not (median start-up + median work) / start-up = 1.4
    assert first["work_cpu_s"] == pytest.approx(0.4) and first["observation_rows"] == 1000
    assert tenfold["work_vs_first_scale"] == pytest.approx(2.0) and hundredfold["work_vs_first_scale"] == pytest.approx(20.0)
    assert result["marginal_ms_per_1000_rows"] == pytest.approx((8.0 - 0.8) / 90_000 * 1e6, abs=0.1)
    assert result["bound_at_scale_1"] == pytest.approx((1.0 + LIMIT_S) / 1.0)
    assert result["cold_templates"]["ratio_to_startup"] == pytest.approx(1.9)


def test_one_measurement_is_a_real_validation_in_a_fresh_process(tmp_path):
    folder = write(valid_dataset(), tmp_path / "data")
    job = tmp_path / "job.json"
    job.write_text(json.dumps({"data": str(folder), "layouts": LAYOUTS, "thresholds": LEGEND}), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "bench.validate", "--job", str(job)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, check=True,
                          env={**os.environ, "GX_ANALYTICS_ENABLED": "false", "MUNIPLAN_TEMPLATE_CACHE": ""})
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    assert measured["critical"] == 0
    assert measured["startup_cpu"] > measured["context_cpu"] > 0
    assert 0 < measured["work_cpu"] < measured["validate_cpu"]
    assert (folder / "validation" / "data_docs" / "index.html").is_file()   # the whole stage was timed, Data Docs too
