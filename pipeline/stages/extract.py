"""Stage ``extract``: every PDF listed in raw/sources.yaml -> extracted/cells/<document>.json.

In: raw/ (PDFs + sources.yaml) and the extract settings. Out: one JSON per document that could be
read, and extracted/problems.csv with one line per document or entry that could not (named, with
the reason), or that was read with a warning. Documents are read in parallel (a process pool sized
to the cores, or a Dask cluster), each within its page, time and memory limits, the largest first
(``extract.schedule``); a document larger than one worker's share of the corpus has its pages read
ahead by the other workers (``extract.page_ranges``). Each document's cache file is written as soon
as it is read, so the run's memory does not grow with the corpus.

The cache: a document whose PDF, sources entry and reader code (``dependencies.code_version``) are
unchanged since the last run is not read again. Each cache file carries a digest of its own
content; a file that was changed, truncated or cannot be read is read again from the PDF, with a
warning. A listing that cannot be used (missing, empty, malformed) leaves the cache as it is; the
extraction of a document no longer listed is moved to ``cells/retired/`` (out of the dataset; listing
the document again takes it back without reading), never deleted by a run that did not read it.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from ..dependencies import READER, code_version
from ..io import file_sha256, write_csv, write_json
from ..problems import PROBLEM_COLUMNS, Problem
from ..sources import Source, cache_name, load_sources

RETIRED = "retired"        # cells/retired/: extractions of documents no longer listed
CELL_DEPTH = 3             # a cache file's cells (file > extraction > cells > cell) one per line


@dataclass
class Outcome:
    """What reading one document gave: its extraction (as a dict) or the problem that stopped it."""

    source: Source
    extraction: dict | None = None
    problems: list[Problem] = field(default_factory=list)


class _TimeLimit(BaseException):
    """Raised by the alarm; a BaseException so that no library's ``except Exception`` swallows it."""


def _alarm(signum, frame):
    raise _TimeLimit()


@contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    """``_TimeLimit`` is raised in the block after ``seconds`` (None or 0: no limit; none either
    outside the main thread, e.g. in a Dask thread worker, where no alarm can be set)."""
    use_alarm = bool(seconds) and hasattr(signal, "setitimer")
    if use_alarm:
        try:
            previous = signal.signal(signal.SIGALRM, _alarm)
            signal.setitimer(signal.ITIMER_REAL, float(seconds))
        except ValueError:          # not the main thread
            use_alarm = False
    try:
        yield
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


def process_document(source: Source, max_pages: int | None = None, time_limit: float | None = None,
                     max_memory: int = 0, store: str | None = None) -> Outcome:
    """Read one document. Pure: a function of the PDF and its sources entry; never raises.

    What the PDF libraries log meanwhile (a damaged stream or font) becomes a warning on the document.
    ``store``: where other workers put the pages they read ahead (``extract.page_ranges``), or None.
    """
    from ..executors import memory_limit
    from ..layouts.reading import extract_document
    from ..extract.errors import DocumentError
    from ..extract.library_messages import library_messages, summarise
    from ..extract.page_ranges import sharing

    def error(message: str) -> Outcome:
        return Outcome(source, None, [Problem(source.file, "extract", "error", message)])

    messages: list[str] = []
    try:
        with _time_limit(time_limit):
            with library_messages() as messages, memory_limit(max_memory), sharing(store, source.path):
                extraction = extract_document(source, max_pages=max_pages)
            outcome = Outcome(source, extraction.to_dict(),
                              [Problem(source.file, "extract", "warning", p) for p in extraction.problems])
    except DocumentError as err:
        outcome = Outcome(source, None, [Problem(err.file, "extract", "error", err.problem)])
    except _TimeLimit:
        outcome = error(f"reading took longer than the limit of {time_limit} s (params.yaml: extract.time_limit)")
    except RecursionError:
        outcome = error("the PDF nests its objects too deeply to be read (damaged or hostile)")
    except (MemoryError, Exception) as err:   # never let one document stop the others
        if _caused_by(err, MemoryError):
            outcome = error(f"reading needed more memory than the limit of {max_memory // (1 << 20)} MB "
                            "(params.yaml: extract.max_memory)")
        else:
            outcome = error(f"unexpected {type(err).__name__}: {str(err)[:200]}")
    outcome.problems += [Problem(source.file, "extract", "warning",
                                 f"the PDF library reported damage (check the values): {line}")
                         for line in summarise(messages)]
    return outcome


def _caused_by(err: BaseException, kind: type) -> bool:
    """``err`` is, or was raised because of, a ``kind`` (libraries wrap what they catch)."""
    seen = set()
    while err is not None and id(err) not in seen:
        if isinstance(err, kind) or any(isinstance(a, kind) for a in getattr(err, "args", ())):
            return True
        seen.add(id(err))
        err = err.__cause__ or err.__context__
    return False


def _progress(total: int, desc: str):
    from tqdm import tqdm
    return tqdm(total=total, desc=desc, unit="doc", file=sys.stderr, disable=total < 2 or None)


@dataclass(frozen=True)
class ReadAhead:
    """A worker's task helping another read ``source``: its pages read ahead into ``store``."""

    source: Source
    store: str


def run_task(task, max_pages: int | None = None, time_limit: float | None = None, max_memory: int = 0):
    """What a worker runs: ``(source, store)`` is a document to read (an ``Outcome``), a ``ReadAhead``
    helps read one (the number of pages it read ahead; never raises)."""
    if isinstance(task, ReadAhead):
        from ..executors import memory_limit
        from ..extract.page_ranges import read_ahead

        try:        # a page a helper cannot finish must not hold its worker: the reader's limits
            with _time_limit(time_limit), memory_limit(max_memory):
                return read_ahead(task.source.path, task.store, max_pages)
        except (_TimeLimit, MemoryError):
            return 0
    source, store = task
    return process_document(source, max_pages, time_limit, max_memory, store)


def _died(source: Source, how: str, budget: int) -> Outcome:
    return Outcome(source, None, [Problem(source.file, "extract", "error",
                                          f"the process reading it was {how}; not read "
                                          f"(memory limit per document: {budget // (1 << 20)} MB, "
                                          "params.yaml: extract.max_memory)")])


def iter_documents(sources: list[Source], settings: dict) -> Iterator[tuple[int, Outcome]]:
    """``(i, process_document(sources[i]))`` for every source, as each is read, with the configured
    executor: in this process for one job, else largest first (``schedule``) in a process pool or on
    a Dask cluster, a document over one worker's share read with the others' help (``page_ranges``:
    on this machine only, a pool or a local cluster)."""
    from ..executors import Died, imap_with_dask, imap_with_processes, memory_budget
    from ..extract.schedule import chunks, document_size, plan

    options = settings["extract"]
    if not sources:
        return
    workers = int(options.get("jobs") or 0) or (os.cpu_count() or 1)
    dask, scheduler = options.get("executor") == "dask", options.get("scheduler") or None
    schedule = None
    if dask or workers > 1:
        schedule = plan([document_size(s.path) for s in sources], 1 if scheduler else workers)
    # one document alone goes to the pool only if others help read it; else no process is started
    tasks_count = len(sources) + (workers - 1) * len(schedule.read_ahead) if schedule else 1
    jobs = min(workers, tasks_count)
    budget = memory_budget(options.get("max_memory"), jobs)
    args = (options.get("max_pages"), options.get("time_limit"), budget)
    if jobs == 1 and not dask:
        for i, source in enumerate(sources):
            yield i, process_document(source, *args)
        return
    with tempfile.TemporaryDirectory(prefix="muniplan-pages-") as shared:
        tasks, owners, task_chunks = [], [], []
        for chunk in chunks(schedule, jobs) if dask else [[i] for i in schedule.order]:
            task_chunks.append([len(tasks) + k for k in range(len(chunk))])
            for i in chunk:
                store = None
                if i in schedule.read_ahead:
                    store = os.path.join(shared, str(i))
                    os.mkdir(store)
                tasks.append((sources[i], store))
                owners.append(i)
                if store:       # the helpers: each a task of its own, beside the reader's
                    task_chunks += [[len(tasks) + k] for k in range(jobs - 1)]
                    tasks += [ReadAhead(sources[i], store)] * (jobs - 1)
                    owners += [None] * (jobs - 1)
        if dask:
            results = imap_with_dask(run_task, tasks, args, scheduler, None if scheduler else jobs, task_chunks)
        else:
            results = imap_with_processes(run_task, tasks, args, jobs, preload=(READER,))
        for k, result in results:
            i = owners[k]
            if i is None:       # a helper's task: its pages went to the reader
                continue
            if tasks[k][1]:
                shutil.rmtree(tasks[k][1], ignore_errors=True)
            yield i, _died(sources[i], result.how, budget) if isinstance(result, Died) else result


def map_documents(sources: list[Source], settings: dict) -> list[Outcome]:
    """``process_document`` over ``sources`` with the configured executor, in input order."""
    from ..executors import in_input_order

    return in_input_order(iter_documents(sources, settings), len(sources))


def digest(stamp: dict, extraction: dict) -> str:
    """The digest a cache file carries of its own stamp and extraction (canonical JSON)."""
    text = json.dumps([stamp, extraction], ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def cache_entry(stamp: dict, extraction: dict) -> dict:
    return {"stamp": stamp, "extraction": extraction, "digest": digest(stamp, extraction)}


def _cached(path: Path, stamp: dict, source: Source) -> tuple[list[Problem] | None, str]:
    """(the warnings of a valid cached extraction made from the same PDF by the same code, '') or
    (None, why it must be read again: '' when it is simply absent or out of date)."""
    from ..records import DocumentExtraction

    if not path.exists():
        return None, ""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or "stamp" not in data:
            raise ValueError("not a cache entry")
    except (OSError, ValueError) as err:
        return None, f"cannot be read ({type(err).__name__})"
    if data.get("stamp") != stamp:
        return None, ""
    if data.get("digest") != digest(data.get("stamp"), data.get("extraction")):
        return None, "was changed or damaged after it was written (its digest does not match)"
    try:
        extraction = DocumentExtraction.from_dict(data["extraction"])
    except (TypeError, KeyError, AttributeError, ValueError) as err:
        return None, f"does not hold an extraction ({type(err).__name__})"
    if not extraction.cells:
        return None, "holds no cells"
    return [Problem(source.file, "extract", "warning", p) for p in extraction.problems], ""


def _retire(cells_dir: Path, keep: set[str]) -> None:
    """Move the extractions not in ``keep`` to cells/retired/ (out of the dataset, not deleted)."""
    for old in cells_dir.glob("*.json"):
        if old.name not in keep:
            (cells_dir / RETIRED).mkdir(exist_ok=True)
            os.replace(old, cells_dir / RETIRED / old.name)


def _unretire(cells_dir: Path, name: str) -> None:
    """Take a document's extraction back from cells/retired/ when the document is listed again."""
    retired = cells_dir / RETIRED / name
    if retired.exists() and not (cells_dir / name).exists():
        os.replace(retired, cells_dir / name)


def run(raw: Path, out: Path, settings: dict, only: set[str] | None = None,
        stats: dict | None = None) -> list[Problem]:
    """The stage: read what changed, write cells/<doc>.json and problems.csv; return the problems.
    ``stats``, when given, is filled with the counts of documents read, taken from the cache and failed."""
    listing = load_sources(raw)
    problems = list(listing.problems)
    cells_dir = out / "cells"
    if listing.listing_failed:          # no document list: the cache stays as it is
        write_csv(out / "problems.csv", [p.__dict__ for p in problems], PROBLEM_COLUMNS)
        return problems
    sources = [s for s in listing.sources if not only or s.document in only]
    version = code_version()
    todo, stamps = [], {}
    for source in sources:
        name = f"{cache_name(source.document)}.json"
        _unretire(cells_dir, name)
        stamps[source.document] = {"pdf_sha256": file_sha256(source.path), "code": version,
                                   "layout_hint": source.layout, "municipality": source.municipality}
        cached, why = _cached(cells_dir / name, stamps[source.document], source)
        if cached is None:
            todo.append(source)
            if why:
                problems.append(Problem(source.file, "extract", "warning",
                                        f"its cached extraction cells/{name} {why}; read again from the PDF"))
        else:
            problems.extend(cached)
    counts = {"read": 0, "cached": len(sources) - len(todo), "failed": 0}
    read_problems: dict[int, list[Problem]] = {}
    desc = "extract (dask)" if settings["extract"].get("executor") == "dask" else "extract"
    with _progress(len(todo), desc) as bar:
        for i, outcome in iter_documents(todo, settings):     # each written as soon as it is read
            counts["read" if outcome.extraction is not None else "failed"] += 1
            read_problems[i] = outcome.problems
            target = cells_dir / f"{cache_name(outcome.source.document)}.json"
            if outcome.extraction is not None:
                write_json(target, cache_entry(stamps[outcome.source.document], outcome.extraction),
                           flat_below=CELL_DEPTH)
            else:
                target.unlink(missing_ok=True)   # it was read and failed: a stale extraction must not linger
            bar.update()
    problems += [p for i in sorted(read_problems) for p in read_problems[i]]    # in listing order
    cells_dir.mkdir(parents=True, exist_ok=True)
    if not only:
        _retire(cells_dir, {f"{cache_name(s.document)}.json" for s in sources})
    write_csv(out / "problems.csv", [p.__dict__ for p in problems], PROBLEM_COLUMNS)
    if stats is not None:
        stats.update(counts)
    return problems
