"""raw/sources.yaml -> the checked list of documents to read.

In: the raw folder. Out: ``Source`` entries for the PDFs that may be read, and one problem
line per entry (or file) that may not: malformed YAML, missing file, duplicate entry, a path
that leaves raw/ (``../``, absolute, a symlink pointing outside), a PDF that is not listed.
Nothing outside raw/ is ever opened.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .layouts.base import Problem


@dataclass(frozen=True)
class Source:
    file: str                       # name inside raw/
    path: Path                      # resolved path inside raw/
    municipality: str = ""
    title: str = ""
    published: str = ""
    url: str = ""
    layout: str = ""                # optional hint

    @property
    def document(self) -> str:
        return Path(self.file).stem


@dataclass
class SourceList:
    sources: list[Source] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _inside(raw: Path, file: str) -> Path | None:
    """The resolved path of ``file`` if it stays inside ``raw`` (symlinks followed), else None."""
    if not file or Path(file).is_absolute():
        return None
    candidate = (raw / file)
    resolved = candidate.resolve()
    try:
        resolved.relative_to(raw.resolve())
    except ValueError:
        return None
    return resolved


def load_sources(raw: Path, listing: str = "sources.yaml") -> SourceList:
    raw = Path(raw)
    result = SourceList()
    path = raw / listing
    if not path.exists():
        result.problems.append(Problem(listing, "sources", "error", f"{path} does not exist"))
        return result
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        result.problems.append(Problem(listing, "sources", "error", f"malformed YAML{where}: {getattr(err, 'problem', err)}"))
        return result
    if not isinstance(entries, list):
        result.problems.append(Problem(listing, "sources", "error", "expected a list of entries (- file: ...)"))
        return result
    seen: set[str] = set()
    for i, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or not entry.get("file"):
            result.problems.append(Problem(listing, "sources", "error", f"entry {i} has no 'file'"))
            continue
        file = str(entry["file"])
        if file in seen:
            result.problems.append(Problem(file, "sources", "warning",
                                           f"listed twice in {listing}; the first entry is used"))
            continue
        seen.add(file)
        resolved = _inside(raw, file)
        if resolved is None:
            result.problems.append(Problem(file, "sources", "error", "points outside raw/; refused, not read"))
            continue
        if not resolved.is_file():
            result.problems.append(Problem(file, "sources", "error", f"listed in {listing} but not found in raw/"))
            continue
        result.sources.append(Source(
            file=file, path=resolved,
            municipality=str(entry.get("municipality") or ""), title=str(entry.get("title") or ""),
            published=str(entry.get("published") or ""), url=str(entry.get("url") or ""),
            layout=str(entry.get("layout") or "")))
    for pdf in sorted(raw.glob("*.pdf")):
        if pdf.name not in seen:
            result.problems.append(Problem(pdf.name, "sources", "warning",
                                           f"in raw/ but not listed in {listing}; not read (add an entry to read it)"))
    return result
