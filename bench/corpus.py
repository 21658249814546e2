"""Corpora of copies of the shipped PDFs, to show time linear in pages and memory flat across documents.

In: the raw folder and a number of copies. Out: a temporary raw folder holding ``copies`` copies of
each listed PDF (hard links where the file system allows, else file copies) and a sources.yaml
listing each copy as its own document (``<name>__<k>.pdf``), with the original entry's fields.
Built in a temporary directory; never committed.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import yaml


def build_corpus(raw: Path, copies: int, into: Path) -> Path:
    """``into``/raw with ``copies`` copies of every PDF listed in ``raw``/sources.yaml."""
    from pipeline.sources import load_sources

    listing = load_sources(raw)
    errors = [p for p in listing.problems if p.severity == "error"]    # an unlisted PDF is only a warning
    if errors:
        raise ValueError("; ".join(str(p) for p in errors))
    target = Path(into) / "raw"
    target.mkdir(parents=True, exist_ok=True)
    entries = []
    for k in range(copies):
        for source in listing.sources:
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
