"""params.yaml -> settings with defaults, so every stage reads the same values.

In: the path of params.yaml (missing keys fall back to ``DEFAULTS``). Out: a plain dict, or
``SettingsError`` (one line naming the file and the problem) for a file that is not a YAML mapping
or an ``extract`` limit that is not a number or size.
"""
from __future__ import annotations

import copy
import re
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


class SettingsError(ValueError):
    """params.yaml cannot be used: one line naming the file and the problem."""


_UNITS = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}


def parse_size(value) -> int:
    """Bytes from ``extract.max_memory``: a number of bytes or ``512M``, ``2G``, ``1.5g``; 0 = automatic.

    >>> [parse_size(v) for v in (0, "", 1024, "512M", "2G", "1.5g", "300 MB")]
    [0, 0, 1024, 536870912, 2147483648, 1610612736, 314572800]
    >>> parse_size("lots")
    Traceback (most recent call last):
    pipeline.settings.SettingsError: extract.max_memory: 'lots' is not a size (use bytes, or e.g. 512M, 2G)
    """
    if value in (None, "", 0):
        return 0
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value)
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*", str(value).lower())
    if not match:
        raise SettingsError(f"extract.max_memory: {value!r} is not a size (use bytes, or e.g. 512M, 2G)")
    return int(float(match.group(1)) * _UNITS[match.group(2)])


def _merge(base: dict, extra: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in (extra or {}).items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def extract_problem(extract: dict) -> str | None:
    """What is wrong with the ``extract`` limits, or None.

    >>> extract_problem({"max_pages": 300, "time_limit": 300, "jobs": 0, "max_memory": "2G"}) is None
    True
    >>> extract_problem({"max_pages": "many"})
    "extract.max_pages must be a number of 0 or more, not 'many'"
    """
    for key in ("max_pages", "time_limit", "jobs"):
        value = extract.get(key)
        try:
            ok = value is None or (not isinstance(value, bool) and float(value) >= 0)
        except (TypeError, ValueError):
            ok = False
        if not ok:
            return f"extract.{key} must be a number of 0 or more, not {value!r}"
    try:
        parse_size(extract.get("max_memory"))
    except SettingsError as err:
        return str(err)
    return None


def load_settings(path: Path | str = "params.yaml") -> dict:
    path = Path(path)
    if not path.exists():
        return copy.deepcopy(DEFAULTS)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as err:
        raise SettingsError(f"{path}: not readable YAML ({str(err).splitlines()[0]})") from None
    if not isinstance(data, dict) or not all(isinstance(data.get(k, {}), dict) for k in DEFAULTS):
        raise SettingsError(f"{path}: expected a mapping with the sections {', '.join(DEFAULTS)}")
    settings = _merge(DEFAULTS, data)
    problem = extract_problem(settings["extract"])
    if problem:
        raise SettingsError(f"{path}: {problem}")
    return settings
