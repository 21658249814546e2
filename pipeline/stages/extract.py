"""Stage ``extract``: every PDF listed in raw/sources.yaml -> extracted/cells/<document>.json.

In: raw/ (PDFs + sources.yaml) and the extract settings. Out: one JSON per document that could be
read, and extracted/problems.csv with one line per document or entry that could not (named, with
the reason). Documents are read in parallel (a process pool sized to the cores, or a Dask cluster);
a document whose PDF and reader code are unchanged since the last run is not read again.
"""
from __future__ import annotations

import hashlib
import json
import os
import signal
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from ..io import write_csv, write_json
from ..layouts.base import Problem
from ..sources import Source, load_sources

PROBLEM_COLUMNS = ("file", "stage", "severity", "message")
PACKAGE = Path(__file__).resolve().parents[1]


@dataclass
class Outcome:
    """What reading one document gave: its extraction (as a dict) or the problem that stopped it."""

    source: Source
    extraction: dict | None = None
    problems: list[Problem] = field(default_factory=list)


def code_version() -> str:
    """A hash of the reader code, so that cached extractions are redone when a reader changes."""
    digest = hashlib.sha256()
    for folder in ("extract", "layouts"):
        for path in sorted((PACKAGE / folder).glob("*.py")):
            digest.update(path.read_bytes())
    digest.update((PACKAGE / "records.py").read_bytes())
    return digest.hexdigest()[:16]


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class _TimeLimit(BaseException):
    """Raised by the alarm; a BaseException so that no library's ``except Exception`` swallows it."""


def _alarm(signum, frame):
    raise _TimeLimit()


def process_document(source: Source, max_pages: int | None = None, time_limit: float | None = None) -> Outcome:
    """Read one document. Pure: a function of the PDF and its sources entry; never raises."""
    from ..extract.document import extract_document
    from ..extract.errors import DocumentError

    use_alarm = bool(time_limit) and hasattr(signal, "setitimer")
    if use_alarm:
        try:
            previous = signal.signal(signal.SIGALRM, _alarm)
            signal.setitimer(signal.ITIMER_REAL, float(time_limit))
        except ValueError:          # not the main thread (e.g. a Dask thread worker): no alarm there
            use_alarm = False
    try:
        extraction = extract_document(source, max_pages=max_pages)
        return Outcome(source, extraction.to_dict(),
                       [Problem(source.file, "extract", "warning", p) for p in extraction.problems])
    except DocumentError as err:
        return Outcome(source, None, [Problem(err.file, "extract", "error", err.problem)])
    except _TimeLimit:
        return Outcome(source, None, [Problem(source.file, "extract", "error",
                                              f"reading took longer than the limit of {time_limit} s "
                                              "(params.yaml: extract.time_limit)")])
    except Exception as err:   # never let one document stop the others
        return Outcome(source, None, [Problem(source.file, "extract", "error",
                                              f"unexpected {type(err).__name__}: {err}")])
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


def _progress(total: int, desc: str):
    from tqdm import tqdm
    return tqdm(total=total, desc=desc, unit="doc", file=sys.stderr, disable=total < 2 or None)


def map_documents(sources: list[Source], settings: dict) -> list[Outcome]:
    """``process_document`` over ``sources`` with the configured executor, in input order."""
    options = settings["extract"]
    args = (options.get("max_pages"), options.get("time_limit"))
    if not sources:
        return []
    if options.get("executor") == "dask":
        from ..executors import map_with_dask
        return map_with_dask(process_document, sources, args, options.get("scheduler") or None)
    jobs = int(options.get("jobs") or 0) or (os.cpu_count() or 1)
    jobs = min(jobs, len(sources))
    outcomes: dict[int, Outcome] = {}
    with _progress(len(sources), "extract") as bar:
        if jobs == 1:
            for i, source in enumerate(sources):
                outcomes[i] = process_document(source, *args)
                bar.update()
        else:
            with ProcessPoolExecutor(max_workers=jobs) as pool:
                futures = {pool.submit(process_document, s, *args): i for i, s in enumerate(sources)}
                for future in as_completed(futures):
                    outcomes[futures[future]] = future.result()
                    bar.update()
    return [outcomes[i] for i in range(len(sources))]


def _cached(path: Path, stamp: dict) -> list[Problem] | None:
    """The warnings of a cached extraction made from the same PDF by the same code, or None."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if data.get("stamp") != stamp:
        return None
    return [Problem(path.stem, "extract", "warning", p) for p in data["extraction"].get("problems", [])]


def run(raw: Path, out: Path, settings: dict, only: set[str] | None = None,
        stats: dict | None = None) -> list[Problem]:
    """The stage: read what changed, write cells/<doc>.json and problems.csv; return the problems.
    ``stats``, when given, is filled with the counts of documents read, taken from the cache and failed."""
    listing = load_sources(raw)
    problems = list(listing.problems)
    sources = [s for s in listing.sources if not only or s.document in only]
    cells_dir = out / "cells"
    version = code_version()
    todo, stamps = [], {}
    for source in sources:
        stamps[source.document] = {"pdf_sha256": file_hash(source.path), "code": version,
                                   "layout_hint": source.layout, "municipality": source.municipality}
        cached = _cached(cells_dir / f"{source.document}.json", stamps[source.document])
        if cached is None:
            todo.append(source)
        else:
            problems.extend(cached)
    counts = {"read": 0, "cached": len(sources) - len(todo), "failed": 0}
    for outcome in map_documents(todo, settings):
        counts["read" if outcome.extraction is not None else "failed"] += 1
        problems.extend(outcome.problems)
        target = cells_dir / f"{outcome.source.document}.json"
        if outcome.extraction is not None:
            write_json(target, {"stamp": stamps[outcome.source.document], "extraction": outcome.extraction})
        else:
            target.unlink(missing_ok=True)   # a stale extraction of a now-broken file must not linger
    keep = {f"{s.document}.json" for s in sources}
    if not only and cells_dir.exists():
        for old in cells_dir.glob("*.json"):
            if old.name not in keep:
                old.unlink()
    cells_dir.mkdir(parents=True, exist_ok=True)
    write_csv(out / "problems.csv", [p.__dict__ for p in problems], PROBLEM_COLUMNS)
    if stats is not None:
        stats.update(counts)
    return problems
