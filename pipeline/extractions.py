"""The stored extractions: extracted/cells/<document>.json -> ``DocumentExtraction``s.

In: the cells folder the extract stage writes (each file holds a ``stamp`` — the digests the extract
stage verifies — and the ``extraction``). Out: the documents' extractions in file-name order, for the
stages after extraction (tidy reads the cells: ``load_extractions``; grade only the printed legends:
``load_legends``, which builds no cell records). Writing and verifying the cache is the extract
stage's; this only reads what it wrote.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

from .records import DocumentExtraction


def stored(cells_dir: Path) -> Iterator[dict]:
    """Each stored extraction as its JSON mapping, in file-name order."""
    for path in sorted(Path(cells_dir).glob("*.json")):
        yield json.loads(path.read_text(encoding="utf-8"))["extraction"]


def load_extractions(cells_dir: Path) -> list[DocumentExtraction]:
    return [DocumentExtraction.from_dict(data) for data in stored(cells_dir)]


def load_legends(cells_dir: Path) -> dict[str, dict[str, str]]:
    """document -> the legend it prints (grade -> printed rule; empty when it prints none)."""
    return {data["document"]: data.get("legend") or {} for data in stored(cells_dir)}
