"""Corpora of copies of the shipped PDFs, to show time linear in pages and memory flat across documents.

In: the raw folder, a number of copies (and optionally which documents). Out: a temporary raw folder
holding ``copies`` copies of each listed PDF (hard links where the file system allows, else file copies) and a sources.yaml
listing each copy as its own document (``<name>__<k>.pdf``), with the original entry's fields.
Built in a temporary directory; never committed.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Sequence

import yaml


def build_corpus(raw: Path, copies: int, into: Path, only: Sequence[str] | None = None) -> Path:
    """``into``/raw with ``copies`` copies of every PDF listed in ``raw``/sources.yaml (``only``: of
    the documents named there, which must all be listed)."""
    from pipeline.sources import load_sources

    listing = load_sources(raw)
    errors = [p for p in listing.problems if p.severity == "error"]    # an unlisted PDF is only a warning
    if errors:
        raise ValueError("; ".join(str(p) for p in errors))
    sources = listing.sources
    if only is not None:
        missing = set(only) - {s.document for s in sources}
        if missing:
            raise ValueError(f"not listed in {raw}/sources.yaml: {', '.join(sorted(missing))}")
        sources = [s for s in sources if s.document in set(only)]
    target = Path(into) / "raw"
    target.mkdir(parents=True, exist_ok=True)
    entries = []
    for k in range(copies):
        for source in sources:
            name = f"{source.document}__{k:03d}.pdf"
            copy = target / name
            if not copy.exists():
                try:
                    os.link(source.path, copy)
                except OSError:
                    shutil.copyfile(source.path, copy)
            entry = {"file": name, "municipality": source.municipality, "title": source.title,
                     "published": source.published, "url": source.url}
            if source.layout:
                entry["layout"] = source.layout
            entries.append(entry)
    (target / "sources.yaml").write_text(yaml.safe_dump(entries, allow_unicode=True, sort_keys=False),
                                         encoding="utf-8")
    return target
