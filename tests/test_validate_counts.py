"""Printed indicator counts are read in every layout with one vocabulary (``normalise.counts``), and
only where the words say they count indicators: on the shipped PDFs (real pdfplumber) the counts
read are the ones the answer keys' 総括表 totals give, and none is invented from a label such as
``KPI1`` (the other shipped reports print no count)."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from golden import READ_DOCUMENTS
from pipeline.normalise.counts import counts_for_kinds, read_count_wordings

ANSWERS = Path(__file__).resolve().parent / "answers"


def key_totals(document: str) -> dict[str, int]:
    """The per-kind totals of the answer key's 総括表 (row 合計), empty when the report has none."""
    path = ANSWERS / f"{document}.summary.csv"
    if not path.exists():
        return {}
    with open(path, newline="", encoding="utf-8-sig") as f:
        return {row["kind"]: int(row["count"]) for row in csv.DictReader(f) if row["goal"] == "合計"}


@pytest.mark.parametrize("document", READ_DOCUMENTS)
def test_counts_read_are_the_printed_ones(extraction, document):
    stated = extraction(document).printed_counts
    assert stated == key_totals(document)


@pytest.mark.parametrize("text, expected", [
    ("○数値目標　９本　○重要業績評価指標（ＫＰＩ）　３３本", {"goal": 9, "kpi": 33}),
    ("KPI：12項目", {"kpi": 12}),
    ("ＫＰＩ数\n１２", {"kpi": 12}),
    ("成果指標数：21", {"indicator": 21}),
    ("評価指標 ８指標", {"indicator": 8}),
    ("KPI1 市内の新規創業件数 KPI2 市内事業所の従業者数", {}),      # labels, not counts
    ("数値目標1 人口の社会増", {}),
    ("基本目標1 KPI 3本 … 基本目標2 KPI 5本", {}),                  # per section only: no total
    ("重要業績評価指標（KPI）33本 … 重要業績評価指標（KPI）33本", {"kpi": 33}),
])
def test_count_wordings(text, expected):
    assert read_count_wordings(text) == expected


@pytest.mark.parametrize("stated, kinds, expected", [
    ({"kpi": 10}, {"kpi"}, {"kpi": 10}),
    ({"kpi": 10}, {""}, {"": 10}),                 # a report whose indicators carry no kind
    ({"kpi": 10}, {"goal"}, {}),                   # not comparable: not compared
    ({"goal": 3, "kpi": 10}, {""}, {}),
    ({"indicator": 13, "kpi": 10}, {"goal", "kpi"}, {"kpi": 10, "": 13}),
])
def test_counts_compared_only_with_their_kind(stated, kinds, expected):
    assert counts_for_kinds(stated, kinds) == expected
