"""How the per-document function is mapped: a local process pool that survives a dying worker,
the per-document memory limit, and (beyond one machine) a Dask cluster.

In: a function, the items (handed out in the order given: the caller puts the largest first) and
its extra arguments. Out: ``(index, result)`` pairs as each item finishes (``imap_with_processes``,
``imap_with_dask``: the caller writes each result away at once, so a run's memory does not grow
with the corpus), or all results in input order (``map_with_processes``, ``map_with_dask``).
The pool is made once per call; its workers are forked from the parent, after it has imported
``preload`` (the reading modules), so that no worker pays the imports again.

Process pool (``map_with_processes``): each worker exits when its parent dies (``PR_SET_PDEATHSIG``
on Linux, and a watchdog thread polling the parent's id everywhere), so a killed run leaves no
workers behind. A worker that dies while reading (killed by the kernel, a crash in a library) breaks
the pool: the documents left without a result are read again, each in a process of its own, so the
one that kills its process is named (``Died``) and every other document completes.

Memory (``memory_limit``): while a document is read, its process may grow by at most
``extract.max_memory`` (``RLIMIT_AS``, counted from what the process held before the document):
past that, allocation fails with ``MemoryError`` and the document is reported, not the machine.

Dask: the per-document function (``stages.extract.process_document``: a pure function of a ``Source``
and the extract limits), the ``Source`` entries and those limits, and optionally the address of a
running ``dask.distributed`` scheduler. Out: the function's results, one per source, as each
finishes (the extract stage shows the progress).

Without an address a ``LocalCluster`` is started on this machine (one worker process per core,
one thread each, no Dask memory manager, its dashboard's monitors slowed down) and closed at the
end. The caller may put items together into one task (``chunks``: the extract stage puts small
documents together, a few tens of pages a task), since each task costs the cluster some
milliseconds. Dask runs tasks in worker threads, where the per-document time limit's alarm cannot
be set: on a cluster ``extract.time_limit`` is not enforced (the page
limit ``extract.max_pages`` is). With an address (``tcp://10.0.0.5:8786``, ``params.yaml: extract.scheduler`` or
``--scheduler``) the documents go to that cluster's workers, which must be able to import
``pipeline`` and to read the PDFs at the same paths (a shared file system). Dask is imported only
here, only when this executor is chosen.
"""
from __future__ import annotations

import gc
import importlib
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor, as_completed as futures_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator, Sequence

from .settings import parse_size

try:
    import resource
except ImportError:      # not on POSIX: no memory limit
    resource = None


# Seconds to wait for a scheduler given by address before saying it cannot be reached.
CONNECT_TIMEOUT = 30


class ExecutorError(RuntimeError):
    """The executor cannot run: Dask is not installed, or the scheduler cannot be reached."""


@dataclass(frozen=True)
class Died:
    """The process reading an item ended without a result: ``how`` says why, as far as is known."""

    how: str


def physical_memory() -> int | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return None


def memory_budget(setting, workers: int) -> int:
    """Bytes one document may take: the setting, or (0/empty) half the machine's memory shared by
    the workers that read at the same time. 0 when there is no way to know or to limit."""
    size = parse_size(setting)
    if size:
        return size
    total = physical_memory()
    return total // (2 * max(workers, 1)) if total and resource is not None else 0


def _address_space() -> int | None:
    """Bytes of address space this process uses now (Linux), or None."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


@contextmanager
def memory_limit(budget: int) -> Iterator[None]:
    """While the block runs, this process may grow by at most ``budget`` bytes (``RLIMIT_AS``); the
    previous limit is restored afterwards. No-op for 0, without ``resource`` or ``/proc``."""
    used = _address_space() if budget and resource is not None else None
    if used is None:
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = used + budget
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):
        yield
        return
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _exit_with_parent(parent: int) -> None:
    """Make this worker end when process ``parent`` ends (it would otherwise keep reading, orphaned)."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)        # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:          # the parent died before the signal was armed
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


def _worker_start(parent: int, preload: tuple[str, ...] = ()) -> None:
    _exit_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)      # Ctrl-C is the parent's to handle
    for module in preload:      # forked workers have them already; spawned ones import them once here
        importlib.import_module(module)


def _return_free_memory() -> None:
    """Give the C heap's free pages back to the system (glibc's ``malloc_trim``; nothing elsewhere), so
    that workers forked next allocate fresh pages instead of copying the parent's free ones."""
    try:
        import ctypes

        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _preload(modules: tuple[str, ...]) -> None:
    """Import ``modules`` in this process before workers are forked from it (they inherit them)."""
    if multiprocessing.get_start_method(allow_none=False) == "fork":
        for module in modules:
            importlib.import_module(module)


def _describe_exit(code: int | None) -> str:
    """What a worker's exit code says.

    >>> _describe_exit(-9)
    'killed by SIGKILL (by the system when memory ran out, or by a user)'
    >>> _describe_exit(-11)
    'killed by SIGSEGV (a crash in a PDF library)'
    """
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        why = {"SIGKILL": " (by the system when memory ran out, or by a user)",
               "SIGSEGV": " (a crash in a PDF library)", "SIGABRT": " (a crash in a PDF library)"}.get(name, "")
        return f"killed by {name}{why}"
    return f"ended with exit status {code} without a result"


def _alone_child(connection, fn, item, args, parent) -> None:
    _worker_start(parent)
    connection.send(fn(item, *args))
    connection.close()


def run_alone(fn: Callable[..., Any], item, args: tuple = ()) -> Any:
    """``fn(item, *args)`` in a process of its own: its result, or ``Died`` if the process ended without one."""
    context = multiprocessing.get_context()
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_alone_child, args=(sender, fn, item, args, os.getpid()), daemon=True)
    process.start()
    sender.close()
    try:
        result = receiver.recv()
    except (EOFError, OSError):
        result = None
    finally:
        receiver.close()
        process.join()
    return result if result is not None else Died(_describe_exit(process.exitcode))


def imap_with_processes(fn: Callable[..., Any], items: Sequence, args: tuple = (), workers: int = 1,
                        preload: tuple[str, ...] = ()) -> Iterator[tuple[int, Any]]:
    """``(i, fn(items[i], *args))`` for every item, as each finishes, from a pool of ``workers`` processes
    made once for the call; items are handed out in the order given.

    A worker that dies breaks the pool: the items it left without a result are then run again, each
    in a process of its own (``run_alone``, ``workers`` at a time), so an item that kills its process
    again gets ``Died`` and the others their results. Closing the iterator early cancels what has not started.
    """
    _preload(preload)
    broken: list[int] = []
    gc.freeze()     # the parent's objects out of the collector's sight: forked workers leave their pages shared
    _return_free_memory()
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_worker_start, initargs=(os.getpid(), preload))
    finished = False
    try:
        futures = {pool.submit(fn, item, *args): i for i, item in enumerate(items)}
        for future in futures_completed(futures):
            i = futures.pop(future)         # no reference kept to a result once it is handed on
            try:
                result = future.result()
            except BrokenProcessPool:
                broken.append(i)
                continue
            yield i, result
        finished = True
    finally:
        pool.shutdown(wait=True, cancel_futures=not finished)
        gc.unfreeze()
    if broken:      # each in a process of its own, ``workers`` at a time
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=workers) as threads:
            alone = {threads.submit(run_alone, fn, items[i], args): i for i in sorted(broken)}
            for future in futures_completed(alone):
                yield alone.pop(future), future.result()


def in_input_order(results: Iterable[tuple[int, Any]], count: int) -> list:
    """The ``(i, result)`` pairs of ``imap_with_processes`` / ``imap_with_dask`` as a list in input order."""
    found = dict(results)
    return [found[i] for i in range(count)]


def map_with_processes(fn: Callable[..., Any], items: Sequence, args: tuple = (), workers: int = 1) -> list:
    """``[fn(item, *args) for item in items]`` in a pool of ``workers`` processes, in input order
    (``imap_with_processes``; an item whose process died gets ``Died``)."""
    return in_input_order(imap_with_processes(fn, items, args, workers), len(items))


def _local_cluster(n_workers: int):
    import dask
    from dask.distributed import LocalCluster

    # One task at a time per worker thread (no tasks queued on a worker ahead of time): when a
    # document kills its worker, only that task was on it, so only its documents are blamed
    # (KilledWorker) and the others are not lost with it. No statistical profiler in the workers
    # (it samples every stack every 10 ms and keeps a tree per second of work: memory that grows
    # with the corpus) and short developer logs (each keeps its last messages): memory stays flat.
    # The event-loop watchdog (every 20 ms) and the system monitor (every 0.5 s) only feed Dask's
    # dashboard and warnings; at those rates they woke every process of the cluster ~60 times a
    # second and took ~4 % of a worker's CPU. ``memory_limit=0``: no Dask memory manager (it would
    # pause, spill or restart a worker): a document's memory is bounded by ``memory_limit`` above.
    # A task whose worker died is tried once more (the death may have been another process's doing),
    # then given up (``KilledWorker``), not three times more as by default: each try costs a worker.
    with dask.config.set({"distributed.scheduler.worker-saturation": 1.0,
                          "distributed.scheduler.allowed-failures": 1,
                          "distributed.worker.profile.enabled": False,
                          "distributed.admin.low-level-log-length": 100,
                          "distributed.admin.tick.interval": "2s",
                          "distributed.admin.system-monitor.interval": "10s"}):
        return LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True, memory_limit=0,
                            dashboard_address=None, silence_logs=logging.ERROR)


def _run_chunk(fn: Callable[..., Any], chunk: Sequence, args: tuple) -> list:
    """What one Dask task runs: ``fn(item, *args)`` for each item of a chunk, in order."""
    return [fn(item, *args) for item in chunk]


def imap_with_dask(fn: Callable[..., Any], items: Sequence, args: tuple = (),
                   scheduler: str | None = None, n_workers: int | None = None,
                   chunks: Sequence[Sequence[int]] | None = None) -> Iterator[tuple[int, Any]]:
    """``(i, fn(items[i], *args))`` for every item, as each finishes, computed on a Dask cluster; the
    items are given priorities in the order given (the first runs first).

    ``scheduler``: the address of a running scheduler; ``None`` or empty starts a ``LocalCluster``
    with ``n_workers`` worker processes (default: one per core, at most one per item).
    ``chunks``: how the items are grouped into tasks (lists of indices, in the order they should
    run); by default one item per task. A task costs the cluster some milliseconds of CPU (the
    scheduler, the transfers, the workers' event loops): chunks of small items make that a smaller
    share of the work.
    ``fn`` is expected never to raise (``process_document`` turns every failure into a problem); a
    task that fails anyway (its worker died: ``KilledWorker``) is split, each of its items run in a
    task of its own, so that the item that kills its worker is the only one given ``Died``.
    """
    if not items:
        return
    try:
        from dask.distributed import Client, as_completed
    except ImportError as err:
        raise ExecutorError("extract.executor is 'dask' but dask.distributed is not installed "
                            f"({err}); pip install 'dask[distributed]', or use extract.executor: process") from None

    cluster = None
    if scheduler:
        try:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError, ValueError) as err:
            raise ExecutorError(f"cannot reach the Dask scheduler at {scheduler!r} "
                                f"(params.yaml: extract.scheduler / --scheduler): {err}") from None
    else:
        workers = n_workers or min(os.cpu_count() or 1, len(items))
        cluster = _local_cluster(workers)
        client = Client(cluster)
    if chunks is None:
        chunks = [[i] for i in range(len(items))]
    try:
        position: dict[str, list[int]] = {}

        def submit(chunk: Sequence[int], priority: int):
            # pure=False: the same item may legitimately be submitted twice (copies in a benchmark).
            future = client.submit(_run_chunk, fn, [items[i] for i in chunk], args, pure=False,
                                   key=f"documents-{chunk[0]}-{len(chunk)}", priority=priority)
            position[future.key] = list(chunk)
            return future

        completed = as_completed([submit(chunk, len(chunks) - k) for k, chunk in enumerate(chunks)])
        for future in completed:      # as_completed lets go of each future it hands on
            chunk = position.pop(future.key)
            try:
                results = future.result()
            except Exception as err:      # e.g. KilledWorker: the worker died reading it
                future.release()
                if len(chunk) > 1:        # which of its items killed the worker: each alone
                    for i in chunk:
                        completed.add(submit([i], len(chunks) + 1))
                    continue
                results = [Died(f"lost on the Dask cluster ({type(err).__name__}: {str(err)[:200]})")]
            future.release()
            for i, result in zip(chunk, results):
                yield i, result
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def map_with_dask(fn: Callable[..., Any], sources: Sequence, args: tuple = (),
                  scheduler: str | None = None, n_workers: int | None = None) -> list:
    """``[fn(source, *args) for source in sources]`` computed on a Dask cluster, in input order
    (``imap_with_dask``)."""
    return in_input_order(imap_with_dask(fn, sources, args, scheduler, n_workers), len(sources))
