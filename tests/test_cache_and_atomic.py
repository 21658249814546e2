"""Only what changed is read again, and a failed write leaves the previous file whole (issues 2, 8)."""
from __future__ import annotations

import shutil

import pytest

from conftest import RAW, read_csv
from pipeline.io import write_csv
from pipeline.settings import load_settings
from pipeline.stages import extract

DOCS = ("isehara_sousei_kpi_r4", "isehara_kikaku_declaration_h28")


def test_changing_one_pdf_rereads_only_that_pdf(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    for doc in DOCS:
        shutil.copy(RAW / f"{doc}.pdf", raw)
    (raw / "sources.yaml").write_text("".join(f"- file: {d}.pdf\n  municipality: 伊勢原市\n" for d in DOCS),
                                      encoding="utf-8")
    settings = load_settings(tmp_path / "absent.yaml")
    settings["extract"]["jobs"] = 1
    assert extract.run(raw, out, settings) == []
    first = {d: (out / "cells" / f"{d}.json").stat().st_mtime_ns for d in DOCS}

    with open(raw / f"{DOCS[1]}.pdf", "ab") as f:      # a changed file (a comment after %%EOF: still valid)
        f.write(b"\n% edited\n")
    assert extract.run(raw, out, settings) == []
    second = {d: (out / "cells" / f"{d}.json").stat().st_mtime_ns for d in DOCS}
    assert second[DOCS[0]] == first[DOCS[0]]            # unchanged: taken from the cache
    assert second[DOCS[1]] != first[DOCS[1]]            # changed: read again


def test_a_write_that_fails_half_way_leaves_the_old_file(tmp_path):
    target = tmp_path / "observations.csv"
    write_csv(target, [{"a": "1"}], ["a"])

    def rows():
        yield {"a": "2"}
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_csv(target, rows(), ["a"])
    assert read_csv(target) == [{"a": "1"}]
    assert [p.name for p in tmp_path.iterdir()] == ["observations.csv"]   # no temporary file left
