"""The order documents are handed to the workers, and which documents have their pages read ahead.

In: each PDF's bytes (or its size and estimated pages) and the number of workers. Out: a ``Plan``:
the documents' positions, largest first (so that the workers end together: the small ones fill the
gaps at the end), and the documents larger than one worker's share of the corpus, whose pages other
workers read ahead for their reader (``page_ranges``), so that one large document never leaves a
core idle.

Pages are estimated from the file's bytes without parsing them (the parent process must never be
stopped by a damaged or hostile file): the page objects (``/Type /Page``), else the largest
``/Count`` (a page tree's size; pages kept in compressed object streams show neither). A file whose
pages cannot be seen counts its bytes at the corpus's bytes per page. The estimate only orders and
splits the work: no record depends on it.

Where each task costs the executor something of its own (a Dask cluster: some milliseconds of CPU
for the scheduler, the transfers and the workers' event loops), ``chunks`` puts small documents
together into one task.
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from pathlib import Path

_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z0-9])")
# Estimated pages of a task of small documents put together (``chunks``): some tens of pages are
# about a second of reading, against the 5-10 ms of CPU a Dask task costs the cluster.
CHUNK_PAGES = 40
_COUNT = re.compile(rb"/Count\s+(\d{1,9})(?![\d.])")


def estimated_pages(data: bytes) -> int | None:
    """The pages a PDF's bytes show (page objects, else the largest page-tree count); None when unseen.

    >>> estimated_pages(b"1 0 obj <</Type /Pages /Count 2 /Kids [2 0 R 3 0 R]>> 2 0 obj <</Type/Page>> "
    ...                 b"3 0 obj <</Type /Page /Parent 1 0 R>>")
    2
    >>> estimated_pages(b"<</Type /Pages /Count 12>>")       # the page objects are compressed
    12
    >>> estimated_pages(b"%PDF-1.7 stream ... endstream") is None
    True
    """
    pages = len(_PAGE.findall(data))
    if pages:
        return pages
    counts = [int(n) for n in _COUNT.findall(data)]
    return max(counts) if counts and max(counts) > 0 else None


def document_size(path: Path) -> tuple[int | None, int]:
    """(estimated pages, bytes) of the file at ``path``; (None, 0) when it cannot be read (the
    worker reading it names the problem)."""
    try:
        data = Path(path).read_bytes()
    except OSError:
        return None, 0
    return estimated_pages(data), len(data)


@dataclass(frozen=True)
class Plan:
    order: list[int]            # positions of the documents, the largest first
    read_ahead: set[int]        # positions of the documents whose pages other workers read ahead
    costs: list[float]          # each document's estimated pages


def costs(sizes: list[tuple[int | None, int]]) -> list[float]:
    """Each document's estimated pages; a document whose pages are unseen counts its bytes at the
    median bytes per page of the others (one page per file when none shows its pages).

    >>> costs([(10, 100_000), (None, 50_000), (2, 20_000)])
    [10, 5.0, 2]
    >>> costs([(None, 5), (None, 0)])
    [1.0, 1.0]
    """
    known = [size / pages for pages, size in sizes if pages and size]
    per_page = statistics.median(known) if known else None
    return [pages if pages else (max(size / per_page, 1.0) if per_page else 1.0) for pages, size in sizes]


def plan(sizes: list[tuple[int | None, int]], workers: int) -> Plan:
    """Largest first (ties in input order); with more than one worker, a document of more than one
    worker's share of the corpus's pages (and of more than one page) has its pages read ahead.

    >>> plan([(6, 1), (33, 1), (28, 1), (10, 1), (3, 1)], workers=2)
    Plan(order=[1, 2, 3, 0, 4], read_ahead=set(), costs=[6, 33, 28, 10, 3])
    >>> plan([(300, 1), (5, 1), (5, 1)], workers=2).read_ahead
    {0}
    >>> plan([(300, 1)], workers=1).read_ahead
    set()
    """
    estimated = costs(sizes)
    order = sorted(range(len(sizes)), key=lambda i: (-estimated[i], i))
    share = sum(estimated) / max(workers, 1)
    split = {i for i, cost in enumerate(estimated) if workers > 1 and cost > share and cost > 1}
    return Plan(order, split, estimated)


def chunks(schedule: Plan, workers: int, pages: float = CHUNK_PAGES) -> list[list[int]]:
    """The plan's order cut into tasks: documents in order put together until a task holds ``pages``
    estimated pages, or an eighth of one worker's share of what is left if that is less (so the
    tasks shrink towards the end, and the workers still finish together); a document whose pages
    are read ahead is a task of its own (its helpers run beside it).

    >>> chunks(plan([(6, 1), (33, 1), (28, 1), (10, 1), (3, 1), (2, 1), (2, 1)], workers=1), 1, pages=8)
    [[1], [2], [3], [0], [4], [5], [6]]
    >>> chunks(plan([(3, 1)] * 40, workers=1), 1, pages=8)[:3]
    [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    >>> chunks(plan([(300, 1), (5, 1), (5, 1), (4, 1)], workers=2), 2, pages=40)
    [[0], [1], [2], [3]]
    """
    left = sum(schedule.costs)
    cut: list[list[int]] = []
    held, current = 0.0, []
    for i in schedule.order:
        if i in schedule.read_ahead:
            cut += [current, [i]] if current else [[i]]
            left -= held + schedule.costs[i]
            held, current = 0.0, []
            continue
        current.append(i)
        held += schedule.costs[i]
        if held >= min(pages, left / (8 * max(workers, 1))):
            cut.append(current)
            left -= held
            held, current = 0.0, []
    return cut + [current] if current else cut
