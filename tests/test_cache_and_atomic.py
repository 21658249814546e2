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


def test_a_write_that_fails_on_the_disk_leaves_the_old_file(tmp_path, monkeypatch):
    """The disk fills while the data is flushed: a writer that opened the target itself would have
    truncated it; the atomic one leaves it whole and no temporary file behind."""
    import errno
    import os

    target = tmp_path / "observations.csv"
    write_csv(target, [{"a": "1"}], ["a"])

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError):
        write_csv(target, [{"a": "2"}], ["a"])
    assert read_csv(target) == [{"a": "1"}]
    assert [p.name for p in tmp_path.iterdir()] == ["observations.csv"]


def test_a_folder_is_replaced_whole_or_not_at_all(tmp_path):
    from pipeline.io import replaced_folder

    folder = tmp_path / "validation"
    with replaced_folder(folder) as new:
        (new / "outcome.json").write_text("old")
    with pytest.raises(RuntimeError):
        with replaced_folder(folder) as new:
            (new / "outcome.json").write_text("half")
            raise RuntimeError("killed half-way")
    assert [p.name for p in folder.iterdir()] == ["outcome.json"]
    assert (folder / "outcome.json").read_text() == "old"
    with replaced_folder(folder) as new:
        (new / "results.json").write_text("new")
    assert [p.name for p in folder.iterdir()] == ["results.json"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["validation"]     # nothing left beside it


SMALL = "isehara_kikaku_declaration_h28"


@pytest.fixture
def small(tmp_path):
    """raw/ with one small document, extracted once; (raw, out, settings, cache file, its text)."""
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    shutil.copy(RAW / f"{SMALL}.pdf", raw)
    (raw / "sources.yaml").write_text(f"- file: {SMALL}.pdf\n  municipality: 伊勢原市\n", encoding="utf-8")
    settings = load_settings(tmp_path / "absent.yaml")
    settings["extract"]["jobs"] = 1
    assert extract.run(raw, out, settings) == []
    cache = out / "cells" / f"{SMALL}.json"
    return raw, out, settings, cache, cache.read_text(encoding="utf-8")


def tamper_value(text: str) -> str:
    import json
    data = json.loads(text)
    data["extraction"]["cells"][0]["text"] = "999,999"
    return json.dumps(data, ensure_ascii=False)


def drop_cells(text: str) -> str:
    import json
    data = json.loads(text)
    del data["extraction"]["cells"]
    return json.dumps(data, ensure_ascii=False)


def empty_extraction(text: str) -> str:
    import json
    data = json.loads(text)
    data["extraction"] = {}
    return json.dumps(data, ensure_ascii=False)


@pytest.mark.parametrize("damage, why", [
    (tamper_value, "was changed or damaged after it was written"),
    (drop_cells, "was changed or damaged after it was written"),
    (empty_extraction, "was changed or damaged after it was written"),
    (lambda text: text[: len(text) // 2], "cannot be read"),
    (lambda text: "\x00\x01 not json", "cannot be read"),
])
def test_a_damaged_cache_entry_is_read_again_with_a_warning(small, damage, why):
    raw, out, settings, cache, original = small
    cache.write_text(damage(original), encoding="utf-8")
    problems = extract.run(raw, out, settings)
    assert [(p.file, p.severity) for p in problems] == [(f"{SMALL}.pdf", "warning")]
    assert why in problems[0].message and f"cells/{SMALL}.json" in problems[0].message
    assert cache.read_text(encoding="utf-8") == original      # read again from the PDF: the same extraction
    assert extract.run(raw, out, settings) == []              # and trusted from then on


@pytest.mark.parametrize("listing, words", [
    ("", "lists no documents"),
    ("# nothing listed yet\n\n", "lists no documents"),
    ("[]\n", "lists no documents"),
    ("- file: a.pdf\n  municipality: [unclosed\n", "malformed YAML at line"),
])
def test_an_unusable_listing_is_an_error_and_leaves_the_cache(small, listing, words):
    from pipeline.cli import main

    raw, out, settings, cache, original = small
    (raw / "sources.yaml").write_text(listing, encoding="utf-8")
    status = main(["run", "--raw", str(raw), "--out", str(out), "--jobs", "1"])
    assert status == 1
    [problem] = read_csv(out / "problems.csv")
    assert (problem["file"], problem["severity"]) == ("sources.yaml", "error") and words in problem["message"]
    assert cache.read_text(encoding="utf-8") == original


def test_a_document_no_longer_listed_is_retired_not_deleted(small):
    raw, out, settings, cache, original = small
    shutil.copy(RAW / "isehara_sousei_kpi_r4.pdf", raw)
    (raw / "sources.yaml").write_text("- file: isehara_sousei_kpi_r4.pdf\n", encoding="utf-8")
    extract.run(raw, out, settings)
    assert sorted(p.name for p in (out / "cells").glob("*.json")) == ["isehara_sousei_kpi_r4.json"]
    assert (out / "cells" / "retired" / cache.name).read_text(encoding="utf-8") == original
    (raw / "sources.yaml").write_text(f"- file: {SMALL}.pdf\n  municipality: 伊勢原市\n"
                                      "- file: isehara_sousei_kpi_r4.pdf\n", encoding="utf-8")
    before = (out / "cells" / "retired" / cache.name).stat().st_mtime_ns
    assert extract.run(raw, out, settings) == []
    assert cache.stat().st_mtime_ns == before                 # taken back, not read again
