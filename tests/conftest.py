"""Shared fixtures: the shipped PDFs, their sources entries and the answer keys."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "raw"
ANSWERS = Path(__file__).resolve().parent / "answers"


def read_csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="session")
def sources():
    from pipeline.sources import load_sources
    return {s.document: s for s in load_sources(RAW).sources}


@pytest.fixture(scope="session")
def extraction(sources):
    """Read a shipped PDF with its layout once per session: ``extraction('isehara_sousei_kpi_r4')``."""
    from pipeline.layouts.reading import extract_document
    cache = {}

    def get(document: str):
        if document not in cache:
            cache[document] = extract_document(sources[document])
        return cache[document]
    return get
