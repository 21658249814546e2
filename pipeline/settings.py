"""params.yaml -> settings with defaults, so every stage reads the same values.

In: the path of params.yaml (missing keys fall back to ``DEFAULTS``). Out: a plain dict.
"""
from __future__ import annotations

import copy
from pathlib import Path

import yaml

DEFAULTS: dict = {
    "extract": {
        "jobs": 0,               # 0 = one worker per core
        "max_pages": 300,        # a document with more pages is refused (one pathological PDF cannot hang a run)
        "time_limit": 300,       # seconds per document
        "max_memory": 0,         # bytes (or 512M, 2G) one document may take; 0 = half the memory / workers
        "executor": "process",   # process | dask
        "scheduler": "",         # dask scheduler address; empty = a LocalCluster
    },
    "grading": {
        "thresholds": {"A": "1.00", "B": "0.80", "C": "0.50"},
        "use_printed_legend": True,
        "direction_overrides": [],
    },
    "run": {"fail_on_document_errors": True},
}


def _merge(base: dict, extra: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in (extra or {}).items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def load_settings(path: Path | str = "params.yaml") -> dict:
    path = Path(path)
    if not path.exists():
        return copy.deepcopy(DEFAULTS)
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return _merge(DEFAULTS, data)
