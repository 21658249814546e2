"""One document's pages read ahead by other processes, so that one large document keeps every core busy.

In: a store (a folder on this machine shared by the processes working on one document) and the PDF.
Out, helper side (``read_ahead``): the objects of the pages it claimed, each written to the store as a
pickle. Reader side (``sharing`` around the reading, ``shared_pages`` called by ``open_pdf``): the PDF's
pages take their objects from the store where a helper read them, and read them themselves otherwise.

The layout readers carry state from page to page (headings, goals named once for the rows of later
pages, boxes continued on the next page), so one process reads the document; what is pure per page,
reading the page's objects from the PDF (about half of extraction), is shared. Each page is claimed
once, by whoever asks first (a file created exclusively, naming its process): the reader claims pages
as it reaches them, from the first; helpers claim them from the last, so they meet in the middle
without waiting for each other. The reader waits only for a page a helper is reading at that moment
(and reads it itself when that helper has died or gave up on the page). The objects come from the
same code in both processes (``open_pdf``'s route, per-page fallback included), so the records are
those of a one-process reading; a page's objects travel as one pickle (a few ms per page, against
tens of ms to read them). When the reader is done it marks the store, and helpers stop.
"""
from __future__ import annotations

import gc
import os
import pickle
import signal
import time
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Iterator

DONE = "done"            # the reader has finished: helpers stop
WAIT_LIMIT = 60.0        # seconds the reader waits for a page a live helper claimed before reading it itself

# (store, PDF) of the document this thread is reading with helpers, if any
_active: ContextVar[tuple[Path, Path] | None] = ContextVar("muniplan_shared_pages", default=None)


@contextmanager
def _alarm_held() -> Iterator[None]:
    """The time limit's alarm (SIGALRM) held off while the block runs: claiming a page and answering
    it must not be cut in half, or the reader would wait for an answer that never comes."""
    mask = getattr(signal, "pthread_sigmask", None)
    if mask is None:
        yield
        return
    before = mask(signal.SIG_BLOCK, {signal.SIGALRM})
    try:
        yield
    finally:
        mask(signal.SIG_SETMASK, before)      # an alarm that came meanwhile is raised here


def _claim(store: Path, number: int) -> bool:
    """Claim page ``number`` for this process: True when no one had claimed it."""
    try:
        fd = os.open(store / f"claim-{number}", os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return False
    try:
        os.write(fd, str(os.getpid()).encode())
    finally:
        os.close(fd)
    return True


def _claimer(store: Path, number: int) -> int | None:
    try:
        return int((store / f"claim-{number}").read_text() or 0) or None
    except (OSError, ValueError):
        return None


def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _put(store: Path, number: int, objects: dict | None) -> None:
    """Write page ``number``'s objects (None: the helper could not, the reader reads the page) atomically."""
    try:
        data = pickle.dumps(objects, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:        # an object that cannot travel: the reader reads the page itself
        data = pickle.dumps(None)
    tmp = store / f".page-{number}.{os.getpid()}.tmp"
    tmp.write_bytes(data)
    os.replace(tmp, store / f"page-{number}")


def take(store: Path, number: int) -> dict | None:
    """Reader side: page ``number``'s objects read by a helper, or None when this process must read
    the page itself (it claimed it, or the helper that did died or gave up on it)."""
    if _claim(store, number):
        return None
    path = store / f"page-{number}"
    pid, pause, since = _claimer(store, number), 0.0005, time.monotonic()
    while not path.exists():
        if pid is None:
            pid = _claimer(store, number)      # the claim is made before its process id is written
        if (pid is not None and not _alive(pid)) or time.monotonic() - since > WAIT_LIMIT:
            return None
        time.sleep(pause)
        pause = min(pause * 2, 0.01)
    try:
        with path.open("rb") as f:
            objects = pickle.load(f)
        path.unlink()
    except (OSError, EOFError, pickle.UnpicklingError):
        return None
    return objects if isinstance(objects, dict) else None


class _Shared:
    """Mixed into a page's class: its objects come from the store when a helper read them."""

    _base = None

    @property
    def objects(self) -> dict[str, list[dict]]:
        found = self.__dict__.get("_objects")
        if found is not None:
            return found
        store = self.__dict__.get("_muniplan_store")
        found = take(store, self.page_number) if store is not None else None
        if found is None:
            return self._base.objects.fget(self)      # read here, by the page's own route
        self._objects = found
        return found


_classes: dict[type, type] = {}


def _shared_class(base: type) -> type:
    if base not in _classes:
        _classes[base] = type(f"Shared{base.__name__}", (_Shared, base), {"_base": base})
    return _classes[base]


def shared_pages(pdf, path: Path) -> None:
    """``open_pdf``'s hook: when this process is reading ``path`` with helpers (``sharing``), its pages
    take their objects from the store. Nothing otherwise."""
    active = _active.get()
    if active is None or Path(path) != active[1]:
        return
    store = active[0]
    for page in pdf.pages:
        if "_objects" not in page.__dict__:        # not already read (orientation reads rotated pages)
            page.__class__ = _shared_class(type(page))
            page._muniplan_store = store


@contextmanager
def sharing(store: str | Path | None, path: Path) -> Iterator[None]:
    """While the block reads ``path``, its pages are shared through ``store`` (None: not shared); at
    the end the store is marked done, so that helpers stop."""
    if not store:
        yield
        return
    store = Path(store)
    token = _active.set((store, Path(path)))
    try:
        yield
    finally:
        _active.reset(token)
        try:
            (store / DONE).touch()
        except OSError:
            pass


def read_ahead(path: Path, store: str | Path, max_pages: int | None = None) -> int:
    """Helper side: read the objects of the pages no one has claimed, from the last page back, into
    ``store``, until the reader is done or every page is claimed. The number of pages written; never
    raises (the reader reads what a helper did not)."""
    from .pdf import open_pdf

    store, written = Path(store), 0
    held: list[int] = []      # claimed and not yet answered (the time limit may stop the helper anywhere)
    collecting = gc.isenabled()
    gc.disable()        # as while the reader reads: tens of thousands of small dicts, no cycles to find
    try:
        if (store / DONE).exists():
            return 0
        with open_pdf(path, max_pages=max_pages) as pdf:
            for page in reversed(pdf.pages):
                if (store / DONE).exists():
                    break
                number = page.page_number
                with _alarm_held():
                    if not _claim(store, number):
                        continue
                    held.append(number)
                objects = page.objects
                with _alarm_held():
                    _put(store, number, objects)
                    held.remove(number)
                page.__dict__.pop("_objects", None)
                written += 1
    except Exception:
        pass
    finally:                  # a claimed page is always answered, so the reader never waits in vain
        with _alarm_held():
            for number in held:
                try:
                    _put(store, number, None)     # None: the reader reads the page itself
                except OSError:                   # no answer can be written: the reader's wait limit applies
                    pass
        if collecting:
            gc.enable()
    return written
