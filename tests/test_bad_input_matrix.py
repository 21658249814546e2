"""The adversarial cases of issue 20 as a matrix: each bad input, made in the test (pypdf,
reportlab, plain bytes; nothing downloaded), has one exact outcome: the problem named (file,
severity, words), the good document unchanged, the exit status.

Listing-level cases (how sources.yaml is saved or attacked) run the extract stage alone; entry-
and document-level cases share one full run of the pipeline.
"""
from __future__ import annotations

import codecs
import json
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import RAW, ROOT, read_csv
from pipeline.cli import main
from pipeline.stages.extract import process_document

GOOD = "isehara_kikaku_declaration_h28"
ENTRY = f"- file: {GOOD}.pdf\n  municipality: 伊勢原市\n"


def good_extraction(sources) -> dict:
    return json.loads(json.dumps(process_document(sources[GOOD]).extraction, ensure_ascii=False))


def raw_with_good(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / f"{GOOD}.pdf").write_bytes((RAW / f"{GOOD}.pdf").read_bytes())
    return raw


# ---- sources.yaml saved in other encodings: read, the municipality intact -------------------

@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le-bom", "utf-16-be-bom", "cp932"])
def test_a_listing_in_a_usual_encoding_is_read(tmp_path, encoding, sources):
    raw = raw_with_good(tmp_path)
    text = "# 伊勢原市の資料\n" + ENTRY
    data = {"utf-16-le-bom": codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
            "utf-16-be-bom": codecs.BOM_UTF16_BE + text.encode("utf-16-be")}.get(encoding) or text.encode(encoding)
    (raw / "sources.yaml").write_bytes(data)
    status = main(["extract", "--raw", str(raw), "--out", str(tmp_path / "out"), "--jobs", "1"])
    assert status == 0 and read_csv(tmp_path / "out" / "problems.csv") == []
    cached = json.loads((tmp_path / "out" / "cells" / f"{GOOD}.json").read_text(encoding="utf-8"))
    assert cached["extraction"] == {**good_extraction(sources), "municipality": "伊勢原市"}


# ---- listings that cannot be used: one error line, nothing read, the cache left alone -------

def alias_bomb() -> bytes:
    """Billion laughs: 12 levels of 12 aliases each, 12**12 strings once expanded."""
    lines = ['- &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 12):
        lines.append(f"- &{chr(97 + i)} [{','.join(['*' + chr(96 + i)] * 12)}]")
    return "\n".join(lines).encode()


@pytest.mark.parametrize("name, data, words", [
    ("undecodable", b"- file: a.pdf\n  municipality: \x82", "is neither UTF-8, UTF-16 nor CP932"),
    ("bad UTF-16", codecs.BOM_UTF16_LE + b"\x00\xd8", "byte order mark but is not valid UTF-16"),
    ("alias bomb", alias_bomb(), "possible alias bomb"),
    ("too large", b"# " + b"x" * (1 << 20) + b"\n", "over the limit of 1048576"),
    ("python object", b"- !!python/object/apply:os.system ['echo hacked']\n", "malformed YAML"),
    ("a mapping", b"file: a.pdf\n", "expected a list of entries"),
])
def test_an_unusable_listing_is_one_error_and_keeps_the_cache(tmp_path, name, data, words):
    raw = raw_with_good(tmp_path)
    out = tmp_path / "out"
    (raw / "sources.yaml").write_text(ENTRY, encoding="utf-8")
    assert main(["extract", "--raw", str(raw), "--out", str(out), "--jobs", "1"]) == 0
    cached = (out / "cells" / f"{GOOD}.json").read_bytes()
    (raw / "sources.yaml").write_bytes(data)
    assert main(["extract", "--raw", str(raw), "--out", str(out), "--jobs", "1"]) == 0
    assert main(["check", "--out", str(out)]) == 1
    [problem] = read_csv(out / "problems.csv")
    assert (problem["file"], problem["severity"]) == ("sources.yaml", "error")
    assert words in problem["message"] and len(problem["message"]) < 200
    assert (out / "cells" / f"{GOOD}.json").read_bytes() == cached


# ---- entries and documents: one full run --------------------------------------------------

def damaged_font(path: Path) -> Path:
    """The good PDF with one byte flipped near the end of a font's compressed character map."""
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=str(RAW / f"{GOOD}.pdf"))
    font = next(f.get_object() for f in writer.pages[0]["/Resources"]["/Font"].values()
                if "/ToUnicode" in f.get_object())
    stream = font["/ToUnicode"].get_object()
    data = bytearray(stream._data)
    data[-40] ^= 0xFF
    stream._data = bytes(data)
    writer.write(path)
    return path


def formula_pdf(path: Path) -> Path:
    from variants.kpi_report import Edition, Goal, Indicator, build

    goal = Goal("（１）産業を振興する", goal_indicators=(
        Indicator("1", '=HYPERLINK("http://example.invalid","x")', "1,000人", ("1,100人", "1,200人"),
                  "1,300人", "@SUM(A1)", "Ｂ"),
        Indicator("2", "市内従業者数", "5,000人", ("5,100人", "5,200人"), "6,000人", "商工課", "Ｂ"),
    ), policies=(("(1)雇用を創出する", (Indicator("1", "創業件数", "10件", ("11件", "12件"), "15件", "商工課", "Ｂ"),)),))
    return build(Edition(("令和5年度", "令和6年度"), "令和6年度", "策定時", (goal,)), path)


@pytest.fixture(scope="module")
def matrix(tmp_path_factory, sources):
    base = tmp_path_factory.mktemp("matrix")
    raw, out = raw_with_good(base), base / "out"
    good = (raw / f"{GOOD}.pdf").read_bytes()
    for folder in ("a", "b"):
        (raw / folder).mkdir()
        (raw / folder / "report.pdf").write_bytes(good)
    (raw / "x.pdf").write_bytes(good)
    (raw / "x.PDF").write_bytes(good)
    os.symlink("loop.pdf", raw / "loop.pdf")
    damaged_font(raw / "damaged_font.pdf")
    formula_pdf(raw / "formula.pdf")
    entries = [
        ENTRY,
        "- file: a/report.pdf\n  municipality: 甲市\n",
        "- file: b/report.pdf\n  municipality: 乙市\n",
        "- file: x.pdf\n  municipality: 伊勢原市\n",
        "- file: x.PDF\n  municipality: 別の市\n",                 # 5: the same name but for case
        "- file: ./x.pdf\n  municipality: 別の市\n",               # 6: the same file again
        "- file: loop.pdf\n",
        '- file: "nul\\0byte.pdf"\n',
        f"- file: {'長' * 100}.pdf\n",                            # 300 bytes in UTF-8 + .pdf
        f"- file: huge.pdf\n  municipality: {'市' * 200_000}\n",
        "- file: damaged_font.pdf\n  municipality: 伊勢原市\n  layuot: goal_declaration\n",
        "- file: formula.pdf\n  municipality: =cmd|' /C calc'!A0\n",
    ]
    (raw / "sources.yaml").write_text("".join(entries), encoding="utf-8")
    status = main(["run", "--raw", str(raw), "--out", str(out), "--jobs", "2"])
    problems = [(p["file"], p["severity"], p["message"]) for p in read_csv(out / "problems.csv")]
    return status, problems, out, good_extraction(sources)


def named(problems, file: str, severity: str) -> str:
    found = [m for f, s, m in problems if f == file and s == severity]
    assert len(found) == 1, (file, severity, problems)
    return found[0]


@pytest.mark.parametrize("file, severity, words", [
    ("x.PDF", "error", "entry 5 ('x.PDF') and entry 4 ('x.pdf') in sources.yaml are"),
    ("./x.pdf", "error", "entry 6 ('./x.pdf') and entry 4 ('x.pdf') in sources.yaml are the same file"),
    ("loop.pdf", "error", "cannot be resolved (a symlink loop?)"),
    ("nul\\x00byte.pdf", "error", "its name holds a control character (U+0000); not read"),
    ("長" * 60 + "…", "error", "a part of its name is 304 bytes long, over the file system limit of 255"),
    ("huge.pdf", "error", "entry 10: 'municipality' is 200000 characters long, over the limit of 2000"),
    ("damaged_font.pdf", "warning", "entry 11 has unknown key(s) 'layuot', ignored"),
    ("damaged_font.pdf", "warning", "the PDF library reported damage (check the values): playa"),
])
def test_each_bad_entry_is_named_with_its_problem(matrix, file, severity, words):
    _, problems, _, _ = matrix
    found = [m for f, s, m in problems if f == file and s == severity and words in m]
    assert found and (len(found) == 1 or "library" in words), (file, words, [p for p in problems if p[0] == file])


def test_nothing_else_is_reported(matrix):
    _, problems, _, _ = matrix
    files = {f for f, _, _ in problems}
    assert files == {"x.PDF", "./x.pdf", "loop.pdf", "nul\\x00byte.pdf", "長" * 60 + "…", "huge.pdf",
                     "damaged_font.pdf"}


def test_documents_in_sub_folders_keep_apart(matrix):
    _, _, out, _ = matrix
    rows = read_csv(out / "observations.csv")
    by_document = {}
    for row in rows:
        by_document.setdefault(row["document"], set()).add(row["municipality"])
    assert by_document["a/report"] == {"甲市"} and by_document["b/report"] == {"乙市"}
    assert by_document["x"] == {"伊勢原市"}                   # the first entry, not the later one
    assert sorted(p.name for p in (out / "cells").glob("*.json")) == sorted(
        ["a%2Freport.json", "b%2Freport.json", "x.json", f"{GOOD}.json", "damaged_font.json", "formula.json"])


def test_the_good_document_is_unchanged(matrix):
    _, _, out, reference = matrix
    cached = json.loads((out / "cells" / f"{GOOD}.json").read_text(encoding="utf-8"))
    assert cached["extraction"] == {**reference, "municipality": "伊勢原市"}


def test_formula_like_text_is_neutralised_in_the_csv_and_numbers_are_not(matrix):
    _, _, out, _ = matrix
    text = (out / "observations.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK(" in text and "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text
    assert ",'=cmd|" in text and ",=cmd|" not in text
    from pipeline.io import read_csv as project_read_csv

    rows = project_read_csv(out / "observations.csv")           # the project's reader gives the text back
    formula = [r for r in rows if r["document"] == "formula"]
    assert {r["indicator"] for r in formula} >= {'=HYPERLINK("http://example.invalid","x")', "市内従業者数"}
    assert {r["municipality"] for r in formula} == {"=cmd|' /C calc'!A0"}
    assert "'-" not in text                                     # no number was touched


def test_the_run_fails_so_ci_notices(matrix):
    status, _, _, _ = matrix
    assert status == 1


# ---- a disk that refuses: one line naming the file, no traceback ----------------------------

def run_limited(out: Path, limit_bytes: int) -> subprocess.CompletedProcess:
    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))

    return subprocess.run([sys.executable, "-m", "pipeline", "extract", "--docs", GOOD, "--out", str(out),
                           "--jobs", "1"], cwd=ROOT, preexec_fn=limit, capture_output=True, text=True, timeout=300)


def test_a_full_disk_ends_in_one_line(tmp_path):
    result = run_limited(tmp_path / "out", 2000)     # no file over 2 KB can be written: a full disk
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1] == (
        f"pipeline: cannot write {tmp_path / 'out' / 'cells' / (GOOD + '.json')}: File too large")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_output_folder_ends_in_one_line(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o500)
    try:
        result = subprocess.run([sys.executable, "-m", "pipeline", "extract", "--docs", GOOD, "--out", str(out),
                                 "--jobs", "1"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    finally:
        out.chmod(0o700)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith(f"pipeline: cannot write {out}")


def test_a_field_of_any_size_is_read_back(tmp_path):
    """The csv module stops at 131,072 characters by default; the project's reader does not."""
    from pipeline.io import read_csv as project_read_csv, write_csv

    huge = "指標" * 150_000
    write_csv(tmp_path / "t.csv", [{"text": huge, "value": "-36"}], ["text", "value"])
    assert project_read_csv(tmp_path / "t.csv") == [{"text": huge, "value": "-36"}]
