"""The benchmark's machinery: corpora of copies, readers over the same pages, paired ratios, metrics.

No test here asserts a time: only that the benchmark measures what it says (every reader goes
through the same pages; ratios are paired per round; the metrics file has what dvc.yaml declares).
"""
from __future__ import annotations

import json
from pathlib import Path
import shutil
import sys

import pytest
import yaml

from conftest import RAW, ROOT
from pipeline.sources import load_sources

sys.path.insert(0, str(ROOT))   # bench/ is a top-level package beside pipeline/

from bench.__main__ import main, paired_ratio, pages_per_second  # noqa: E402
from bench.corpus import build_corpus  # noqa: E402
from bench.readers import READERS, run_reader  # noqa: E402

SMALL = ("isehara_kikaku_declaration_h28", "isehara_sousei_kpi_r4")   # 3 + 6 pages


@pytest.fixture()
def small_raw(tmp_path):
    """A raw folder holding only the two smallest shipped PDFs and their sources entries."""
    raw = tmp_path / "raw"
    raw.mkdir()
    entries = [e for e in yaml.safe_load((RAW / "sources.yaml").read_text(encoding="utf-8"))
               if e["file"][:-4] in SMALL]
    for entry in entries:
        shutil.copy(RAW / entry["file"], raw / entry["file"])
    (raw / "sources.yaml").write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
    return raw


def test_corpus_of_copies(tmp_path):
    raw = build_corpus(RAW, 3, tmp_path)
    listing = load_sources(raw)
    originals = load_sources(RAW).sources
    assert not listing.problems
    assert len(listing.sources) == 3 * len(originals)
    assert len({s.document for s in listing.sources}) == len(listing.sources)
    for original in originals:
        copies = [s for s in listing.sources if s.document.startswith(original.document + "__")]
        assert len(copies) == 3
        assert all(c.path.read_bytes() == original.path.read_bytes() for c in copies)
        assert all(c.municipality == original.municipality and c.layout == original.layout for c in copies)
    assert tmp_path in raw.parents and not (ROOT / "raw" / f"{originals[0].document}__000.pdf").exists()


@pytest.mark.parametrize("name", ["pipeline", "pdfplumber", "camelot_vector", "pypdfium2_text"])
def test_every_reader_goes_through_every_page(name, sources):
    two = [sources[d] for d in SMALL]
    assert run_reader(name, two) == 3 + 6


def test_camelot_default_engine_goes_through_every_page(sources):
    assert run_reader("camelot_default", [sources["isehara_kikaku_declaration_h28"]]) == 3


def test_readers_are_described():
    assert {"pipeline", "pipeline_parallel", "pdfplumber", "camelot_vector", "camelot_default",
            "pypdfium2_text"} <= set(READERS)


def test_paired_ratio_is_a_median_of_same_round_ratios():
    results = {
        "pdfplumber": [{"round": 0, "wall": 10.0, "pages": 80}, {"round": 1, "wall": 20.0, "pages": 80},
                       {"round": 2, "wall": 12.0, "pages": 80}],
        # a noisy round 1 slows both alike: the paired ratios are 2, 2, 3
        "pipeline": [{"round": 0, "wall": 5.0, "pages": 80}, {"round": 1, "wall": 10.0, "pages": 80},
                     {"round": 2, "wall": 4.0, "pages": 80}],
        "slow": [{"round": 0, "wall": 40.0, "pages": 80}],
    }
    assert paired_ratio(results, "pdfplumber", "pipeline") == 2.0
    assert paired_ratio(results, "pdfplumber", "slow") == 0.25
    assert paired_ratio(results, "pdfplumber", "pdfplumber") == 1.0
    assert paired_ratio(results, "pdfplumber", "absent") is None
    assert pages_per_second(results, "pipeline") == 16.0      # 80 pages / median 5 s


def test_quick_run_writes_the_declared_metrics(small_raw, tmp_path, capsys):
    out = tmp_path / "metrics.json"
    assert main(["--quick", "--rounds", "1", "--raw", str(small_raw), "--all-documents", "--parts", "readers",
                 "--out", str(out)]) == 0
    details = json.loads((tmp_path / "details.json").read_text(encoding="utf-8"))
    assert set(details) == {"cores", "python", "readers"}, "only the part asked for"
    metrics = details["readers"]
    shown = json.loads(out.read_text(encoding="utf-8"))
    assert len(shown) <= 8 and all(not isinstance(v, (dict, list)) for v in shown.values()), "a few flat figures"
    assert shown["pages_per_s"] == metrics["pages_per_second"]["pipeline"]
    assert shown["x_pypdfium2"] == round(1 / metrics["speed_vs_pypdfium2_text"]["pipeline"], 2)
    assert shown["pool_x"] is None and shown["run_over_bound"] is None, "parts not run give no figure"
    assert metrics["corpus"]["pages"] == 9 and metrics["corpus"]["documents"] == 2
    for reader in ("pipeline", "pdfplumber", "camelot_vector", "pypdfium2_text"):
        assert metrics["pages_per_second"][reader] > 0
        assert metrics["speed_vs_pdfplumber"][reader] > 0
    assert metrics["speed_vs_pdfplumber"]["pdfplumber"] == 1.0
    assert metrics["speed_vs_pypdfium2_text"]["pypdfium2_text"] == 1.0
    scaling = metrics["scaling"]
    assert scaling["copies_1"]["pages"] == 9 and scaling["copies_10"]["pages"] == 90
    assert scaling["copies_10"]["documents"] == 20
    assert metrics["reading"]["identical_to_pdfminer_route"] is True
    assert set(metrics["targets"]) == {"time_linear_in_pages", "memory_flat_across_documents", "reads_right"}
    assert all(isinstance(v, bool) for v in metrics["targets"].values())
    assert "written:" in capsys.readouterr().out


def test_an_unknown_part_is_refused(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--parts", "readers,speed"])
    assert stop.value.code == 2
    assert "unknown part(s) speed" in capsys.readouterr().err


def test_dvc_declares_the_metrics_file():
    dvc = yaml.safe_load((ROOT / "dvc.yaml").read_text(encoding="utf-8"))
    assert "bench/metrics.json" in dvc.get("metrics", [])
    assert not any("bench" in str(stage.get("cmd", "")) for stage in dvc["stages"].values())


def test_dvc_metrics_show_reads_as_a_small_table():
    """The real ``dvc metrics show`` on the committed benchmark metrics: one short row of named figures.
    (The grade counts, extracted/grade_summary.json, are metrics too once the pipeline has run.)"""
    import subprocess
    import sys

    result = subprocess.run([str(Path(sys.executable).with_name("dvc")), "metrics", "show", "bench/metrics.json"], cwd=ROOT,
                            capture_output=True, text=True, timeout=300,
                            env={**__import__("os").environ, "DVC_NO_ANALYTICS": "1"})
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    rows = [line.split()[0] for line in lines[1:]]
    # the benchmark's row, and the grade counts of the last run when extracted/ has them
    assert "bench/metrics.json" in rows and set(rows) <= {"bench/metrics.json", "extracted/grade_summary.json"}
    bench_columns = {"pages_per_s", "x_pypdfium2", "pool_x", "dask_x", "run_over_bound", "validate_ratio", "peak_mb",
                     "key_recall"}
    assert bench_columns <= set(lines[0].split())
    assert len(lines[0].split()) <= 1 + len(bench_columns) + 8, "a few named columns"
