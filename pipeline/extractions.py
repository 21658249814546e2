"""The stored extractions: extracted/cells/<document>.json -> ``DocumentExtraction``s.

In: the cells folder the extract stage writes (each file holds a ``stamp`` — the digests the extract
stage verifies — and the ``extraction``). Out: the documents' extractions in file-name order, for the
stages after extraction (tidy reads the cells, grade the printed legends). Writing and verifying the
cache is the extract stage's; this only reads what it wrote.
"""
from __future__ import annotations

import json
from pathlib import Path

from .records import DocumentExtraction


def load_extractions(cells_dir: Path) -> list[DocumentExtraction]:
    docs = []
    for path in sorted(Path(cells_dir).glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        docs.append(DocumentExtraction.from_dict(data["extraction"]))
    return docs
