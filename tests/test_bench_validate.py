"""``bench/validate.py``: the scaled inputs it times are the shipped tables repeated under new names."""
from __future__ import annotations

import sys

import pandas as pd
from conftest import ROOT

sys.path.insert(0, str(ROOT))   # bench/ is a top-level package beside pipeline/
from bench.validate import TABLES, scaled  # noqa: E402
from test_validate import LAYOUTS, valid_dataset, write  # noqa: E402


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
