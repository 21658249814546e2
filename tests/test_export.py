"""The researcher's formats: typed Parquet copies and a Frictionless datapackage.json, on the real
KPI report PDF through the real stages. Values expected come from the answer keys
(tests/answers/); the descriptor is checked by real ``frictionless``, the README's snippet run
by real pandas and DuckDB.
"""
from __future__ import annotations

import contextlib
import copy
import csv
import io
import json
import os
import re
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import ANSWERS, RAW, ROOT, read_csv

from pipeline.export import TABLES
from pipeline.settings import DEFAULTS
from pipeline.stages import extract, grade, tidy

KPI = "isehara_sousei_kpi_r4"


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("export")
    out = project / "extracted"
    settings = copy.deepcopy(DEFAULTS)
    settings["extract"]["jobs"] = 1
    assert not [p for p in extract.run(RAW, out, settings, {KPI}) if p.severity == "error"]
    tidy.run(out)
    grade.run(out, settings)
    return out


def test_parquet_columns_are_typed_and_hold_the_key_values(out):
    table = pq.read_table(out / "observations.parquet")
    schema = table.schema
    assert pa.types.is_decimal(schema.field("value").type)
    assert schema.field("fiscal_year").type == pa.int32() and schema.field("page").type == pa.int32()
    assert schema.field("calendar_year").type == pa.bool_()
    assert table.column_names == list(TABLES["observations"].columns)
    rows = table.to_pylist()
    assert len(rows) == len(read_csv(out / "observations.csv"))
    found = {(r["indicator"], r["component"], r["measure"], r["fiscal_year"]): r["value"] for r in rows}
    keys = read_csv(ANSWERS / f"{KPI}.observations.csv")
    checked = 0
    for k in keys:
        if k["value"] and k["fiscal_year"]:
            got = found[(k["indicator"], k["component"], k["measure"], int(k["fiscal_year"]))]
            assert got == Decimal(k["value"]), k
            checked += 1
    assert checked > 100
    grades = pq.read_table(out / "grades.parquet")
    assert grades.schema.field("agrees").type == pa.bool_()
    assert pa.types.is_decimal(grades.schema.field("achievement_rate").type)
    by_name = {g["indicator"]: g for g in grades.to_pylist()}
    for k in read_csv(ANSWERS / f"{KPI}.grades.csv"):
        g = by_name[k["indicator"]]
        assert g["recomputed_grade"] == k["recomputed_grade"]
        if k["achievement_rate"]:
            assert g["achievement_rate"] == Decimal(k["achievement_rate"])


def test_datapackage_describes_every_column_and_frictionless_validates_it(out):
    from frictionless import validate

    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        fields = resource["schema"]["fields"]
        with open(out / resource["path"], newline="", encoding="utf-8") as f:
            header = next(csv.reader(f))
        assert [fd["name"] for fd in fields] == header
        assert all(fd["description"] for fd in fields), "every column is described"
        assert resource["schema"]["primaryKey"]
    status = next(fd for fd in package["resources"][0]["schema"]["fields"] if fd["name"] == "status")
    assert set(status["constraints"]["enum"]) >= {"ok", "corrected", "qualitative", "not_available"}
    report = validate(out / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_frictionless_catches_a_row_outside_the_description(out, tmp_path):
    from frictionless import validate

    broken = tmp_path / "broken"
    broken.mkdir()
    for name in ("datapackage.json", "grades.csv"):
        (broken / name).write_bytes((out / name).read_bytes())
    text = (out / "observations.csv").read_text(encoding="utf-8")
    (broken / "observations.csv").write_text(text.replace(",ok,", ",fine,", 1), encoding="utf-8")
    report = validate(broken / "datapackage.json")
    assert not report.valid
    assert any(e[1] == "status" for e in report.flatten(["rowNumber", "fieldName"]))


def readme_snippet() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    found = [b for b in blocks if "duckdb" in b and "read_parquet" in b]
    assert len(found) == 1, "the README shows loading the Parquet files in pandas and DuckDB once"
    return found[0]


def test_the_readme_snippet_loads_the_data_in_pandas_and_duckdb(out):
    code = readme_snippet()
    printed = io.StringIO()
    cwd = os.getcwd()
    try:
        os.chdir(out.parent)
        with contextlib.redirect_stdout(printed):
            exec(compile(code, "README.md", "exec"), {})
    finally:
        os.chdir(cwd)
    shown = printed.getvalue()
    differ = [k for k in read_csv(ANSWERS / f"{KPI}.grades.csv")
              if k["published_grade"] and k["published_grade"] != k["recomputed_grade"]]
    assert differ
    for k in differ:
        assert k["indicator"] in shown
    assert "decimal" in shown and "int32" in shown


def test_the_readme_stands_alone_and_describes_every_column():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "../shared" not in text, "the README links nothing outside the repository"
    table = text.split("`observations.csv` columns", 1)[1].split("\n\n", 2)[1]
    described = {name for row in table.splitlines() for name in re.findall(r"`([a-z_]+)`", row.split("|")[1])}
    assert set(TABLES["observations"].columns) <= described
    params = (ROOT / "params.yaml").read_text(encoding="utf-8")
    line = next(l for l in params.splitlines() if "fail_on_document_errors" in l)
    assert "`check`" in line and "`validate`" not in line, "params.yaml says which stage fails"


MESSY_COLUMNS = [
    (pa.string(), ["", None, "市内事業所の従業者数", 'a "quoted", text\nover lines', "=HYPERLINK(x)", "\x00nul"]),
    (pa.int32(), [2021, None, -36, 0, 2147483647, -2147483648]),
    (pa.bool_(), [True, None, False, True, True, False]),
    (pa.decimal128(16, 4), [Decimal("5918000000.0000"), None, Decimal("-0.5000"), Decimal("0.0001"),
                            Decimal("0.0000"), Decimal("-999999999999.9999")]),
    (pa.decimal128(10, 0), [Decimal("1"), Decimal("-36"), None, None, None, Decimal("9999999999")]),
]


@pytest.mark.parametrize("kind,values", MESSY_COLUMNS, ids=[str(k) for k, _ in MESSY_COLUMNS])
def test_columns_built_from_buffers_equal_pyarrows_own_conversion(kind, values):
    from pipeline.export.arrow import column_array

    for part in (values, values[:1], [v for v in values if v is not None], [None] * 3, []):
        built = column_array(kind, part)
        expected = pa.array(part, type=kind)
        assert built.equals(expected), (kind, part, built, expected)
        assert pq_bytes(built) == pq_bytes(expected), "the Parquet bytes do not depend on how the column was built"


def pq_bytes(array) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(pa.table({"c": array}), buffer)
    return buffer.getvalue()


def test_the_parquet_copy_equals_pyarrows_conversion_of_the_same_rows(out):
    """The tables written from buffers are, value for value and byte for byte, what converting the
    typed rows with ``pyarrow.array`` gives."""
    from pipeline.export.parquet import typed

    for table in TABLES.values():
        rows = read_csv(out / table.path)
        arrays = [pa.array(values, type=kind)
                  for kind, values in (typed(table.fields.get(n), [r.get(n, "") or "" for r in rows])
                                       for n in table.columns)]
        expected = pa.Table.from_arrays(arrays, names=list(table.columns))
        buffer = io.BytesIO()
        pq.write_table(expected, buffer)
        written = (out / table.path).with_suffix(".parquet")
        assert pq.read_table(written).equals(expected)
        assert written.read_bytes() == buffer.getvalue()


def test_writing_the_parquet_copies_does_not_import_pandas(out, tmp_path):
    """pyarrow.array imports pandas to ask whether a list is a pandas object; the tidy and grade
    stages use no pandas and must not pay for importing it."""
    import subprocess
    import sys

    code = ("import sys; from pathlib import Path; from pipeline.stages import tidy; "
            f"tidy.run(Path({str(out)!r}));"
            "print('pandas' in sys.modules, 'pyarrow' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["False", "True"], "the Parquet copy is written, without pandas"
