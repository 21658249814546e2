"""Beyond one machine: map the per-document function over a Dask cluster.

In: a per-document function (``stages.extract.process_document``: a pure function of a ``Source``
and the extract limits), the ``Source`` entries and those limits, and optionally the address of a
running ``dask.distributed`` scheduler. Out: the function's results, one per source, in input
order, with a progress display while the cluster works.

Without an address a ``LocalCluster`` is started on this machine (one worker process per core,
one thread each) and closed at the end. Dask runs tasks in worker threads, where the per-document
time limit's alarm cannot be set: on a cluster ``extract.time_limit`` is not enforced (the page
limit ``extract.max_pages`` is). With an address (``tcp://10.0.0.5:8786``, ``params.yaml: extract.scheduler`` or
``--scheduler``) the documents go to that cluster's workers, which must be able to import
``pipeline`` and to read the PDFs at the same paths (a shared file system). Dask is imported only
here, only when this executor is chosen.
"""
from __future__ import annotations

import logging
import os
import sys
from typing import Any, Callable, Sequence


# Seconds to wait for a scheduler given by address before saying it cannot be reached.
CONNECT_TIMEOUT = 30


class ExecutorError(RuntimeError):
    """The executor cannot run: Dask is not installed, or the scheduler cannot be reached."""


def _local_cluster(n_workers: int):
    from dask.distributed import LocalCluster

    return LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                        dashboard_address=None, silence_logs=logging.ERROR)


def map_with_dask(fn: Callable[..., Any], sources: Sequence, args: tuple = (),
                  scheduler: str | None = None, n_workers: int | None = None) -> list:
    """``[fn(source, *args) for source in sources]`` computed on a Dask cluster, in input order.

    ``scheduler``: the address of a running scheduler; ``None`` or empty starts a ``LocalCluster``
    with ``n_workers`` worker processes (default: one per core, at most one per document).
    ``fn`` is expected never to raise (``process_document`` turns every failure into a problem);
    if a task fails anyway, the error is raised here with the document it belongs to.
    """
    if not sources:
        return []
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
        workers = n_workers or min(os.cpu_count() or 1, len(sources))
        cluster = _local_cluster(workers)
        client = Client(cluster)
    try:
        # pure=False: the same source may legitimately be submitted twice (copies in a benchmark).
        futures = [client.submit(fn, source, *args, pure=False, key=f"document-{i}")
                   for i, source in enumerate(sources)]
        position = {future.key: i for i, future in enumerate(futures)}
        results: list = [None] * len(sources)
        from tqdm import tqdm

        with tqdm(total=len(futures), desc="extract (dask)", unit="doc", file=sys.stderr,
                  disable=len(futures) < 2 or None) as bar:
            for future in as_completed(futures):
                i = position[future.key]
                try:
                    results[i] = future.result()
                except Exception as err:
                    raise RuntimeError(f"{getattr(sources[i], 'file', sources[i])}: the Dask task failed "
                                       f"({type(err).__name__}: {err})") from err
                bar.update()
                future.release()
        return results
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
