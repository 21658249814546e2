"""Bad input: each kind, made as a real file, gives one clear line naming the file and the problem,
and every good document still reaches extracted/ (issue 8)."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import RAW, read_csv
from pipeline.cli import main

GOOD = "isehara_sousei_kpi_r4.pdf"


def text_pdf(path: Path, lines: list[str], encrypt: str | None = None) -> Path:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiMin-W3"))
    canvas = Canvas(str(path), encrypt=encrypt)
    canvas.setFont("HeiseiMin-W3", 11)
    for i, line in enumerate(lines):
        canvas.drawString(72, 760 - 16 * i, line)
    canvas.save()
    return path


def scanned_pdf(path: Path, page_of: Path) -> Path:
    """A page of a real report as an image only, as a scanner makes it: no text layer."""
    import pypdfium2
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    pdf = pypdfium2.PdfDocument(str(page_of))
    image = pdf[0].render(scale=1).to_pil()
    canvas = Canvas(str(path), pagesize=image.size)
    canvas.drawImage(ImageReader(image), 0, 0, *image.size)
    canvas.save()
    return path


def unreadable_cell_pdf(path: Path) -> Path:
    from variants.kpi_report import Edition, Goal, Indicator, build

    goal = Goal("（１）産業を振興する", goal_indicators=(
        Indicator("1", "市内事業所数", "12,3,4事業所", ("1,150事業所", "1,160事業所"), "1,300事業所", "商工課", "Ｃ"),
        Indicator("2", "市内従業者数", "5,000人", ("5,100人", "5,200人"), "6,000人", "商工課", "Ｂ"),
    ), policies=(("(1)雇用を創出する", (Indicator("1", "創業件数", "10件", ("11件", "12件"), "15件", "商工課", "Ｂ"),)),))
    return build(Edition(("令和5年度", "令和6年度"), "令和6年度", "策定時", (goal,)), path)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    base = tmp_path_factory.mktemp("bad")
    raw, out = base / "raw", base / "out"
    raw.mkdir()
    shutil.copy(RAW / GOOD, raw / GOOD)
    whole = (RAW / GOOD).read_bytes()
    (raw / "truncated.pdf").write_bytes(whole[: len(whole) // 3])
    text_pdf(raw / "encrypted.pdf", ["指標の達成状況"], encrypt="secret")
    scanned_pdf(raw / "scanned.pdf", RAW / GOOD)
    (raw / "empty.pdf").write_bytes(b"")
    (raw / "notes.pdf").write_text("これはPDFではありません\n", encoding="utf-8")
    text_pdf(raw / "no_tables.pdf", ["市民の皆さまへ", "今年度の事業について報告します。"])
    unreadable_cell_pdf(raw / "unreadable_cell.pdf")
    text_pdf(raw / "unlisted.pdf", ["一覧にない"])
    (base / "outside.pdf").write_bytes(whole)
    os.symlink(base / "outside.pdf", raw / "link_out.pdf")
    entries = [GOOD, "truncated.pdf", "encrypted.pdf", "scanned.pdf", "empty.pdf", "notes.pdf",
               "no_tables.pdf", "unreadable_cell.pdf", "missing.pdf", GOOD, "../../etc/passwd",
               "/etc/passwd", "link_out.pdf"]
    (raw / "sources.yaml").write_text("".join(f"- file: {e}\n  municipality: 架空市\n" for e in entries),
                                      encoding="utf-8")
    status = main(["run", "--raw", str(raw), "--out", str(out), "--jobs", "2"])
    problems = {(p["file"], p["severity"]): p["message"] for p in read_csv(out / "problems.csv")}
    return status, problems, out


@pytest.mark.parametrize("file, words", [
    ("truncated.pdf", "damaged or truncated"),
    ("encrypted.pdf", "encrypted"),
    ("scanned.pdf", "OCR"),
    ("empty.pdf", "empty"),
    ("notes.pdf", "not a PDF"),
    ("no_tables.pdf", "not recognised"),
    ("missing.pdf", "not found"),
    ("../../etc/passwd", "outside raw/"),
    ("/etc/passwd", "outside raw/"),
    ("link_out.pdf", "outside raw/"),
])
def test_each_bad_input_is_named_with_its_problem(run, file, words):
    _, problems, _ = run
    assert words in problems[(file, "error")], problems


def test_unlisted_pdf_is_a_warning_and_a_duplicate_entry_an_error_naming_both(run):
    _, problems, _ = run
    assert "not listed" in problems[("unlisted.pdf", "warning")]
    assert f"entry 10 ('{GOOD}') and entry 1 ('{GOOD}')" in problems[(GOOD, "error")]


def test_unreadable_cell_keeps_its_text_and_says_so(run):
    _, problems, out = run
    rows = [r for r in read_csv(out / "observations.csv") if r["document"] == "unreadable_cell"]
    bad = [r for r in rows if r["indicator"] == "市内事業所数" and r["measure"] == "baseline"]
    assert [(r["status"], r["value"], r["text"]) for r in bad] == [("unparsed", "", "12,3,4事業所")]
    assert any(r["value"] == "1160" for r in rows)     # the rest of the document is read
    cells = read_csv(out / "cell_problems.csv")
    assert [c["file"] for c in cells if "12,3,4事業所" in c["message"]] == ["unreadable_cell.pdf"]


def test_good_documents_still_reach_the_dataset_and_the_run_fails(run):
    status, _, out = run
    documents = {r["document"] for r in read_csv(out / "observations.csv")}
    assert documents == {"isehara_sousei_kpi_r4", "unreadable_cell"}
    assert status == 1        # CI must notice that documents were not read


def test_nothing_outside_raw_is_read(run):
    _, _, out = run
    assert sorted(p.name for p in (out / "cells").glob("*.json")) == ["isehara_sousei_kpi_r4.json",
                                                                      "unreadable_cell.json"]


def test_malformed_sources_yaml_is_reported_with_its_line(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "sources.yaml").write_text("- file: a.pdf\n  municipality: [unclosed\n", encoding="utf-8")
    status = main(["run", "--raw", str(raw), "--out", str(tmp_path / "out")])
    problems = read_csv(tmp_path / "out" / "problems.csv")
    assert status == 1
    assert problems[0]["file"] == "sources.yaml" and "malformed YAML at line" in problems[0]["message"]
    assert "sources.yaml" in capsys.readouterr().err
