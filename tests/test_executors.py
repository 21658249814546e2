"""The Dask executor maps the same per-document function as the process pool, on a real LocalCluster.

Real PDFs, real ``dask.distributed`` clusters (no mocks): the results over Dask must equal the
results of the local process pool, in input order, whether the cluster is started by the executor
or reached by its scheduler address; a bad document is a problem line there too, not a crash.
"""
from __future__ import annotations

import logging

import pytest


pytest.importorskip("dask.distributed")

from pipeline import executors  # noqa: E402
from pipeline.executors import ExecutorError, map_with_dask  # noqa: E402
from pipeline.sources import Source  # noqa: E402
from pipeline.stages.extract import map_documents, process_document  # noqa: E402

DOCUMENTS = ("isehara_kikaku_declaration_h28", "isehara_sousei_kpi_r4")


def settings(**extract) -> dict:
    return {"extract": {"jobs": 2, "max_pages": 300, "time_limit": 300, "executor": "process",
                        "scheduler": "", **extract}}


@pytest.fixture(scope="module")
def two(sources):
    # Reversed from the sorted order, so that "in input order" is not the same as "sorted".
    return [sources[d] for d in reversed(DOCUMENTS)]


@pytest.fixture(scope="module")
def pool_outcomes(two):
    return map_documents(two, settings(executor="process"))


def test_local_cluster_equals_process_pool(two, pool_outcomes):
    outcomes = map_documents(two, settings(executor="dask"))
    assert [o.source.document for o in outcomes] == [s.document for s in two]
    assert all(o.extraction is not None for o in outcomes), [o.problems for o in outcomes]
    assert outcomes == pool_outcomes
    # The readings are real: each document's cells are there, from its own layout.
    assert {o.extraction["layout"] for o in outcomes} == {"kpi_report", "goal_declaration"}
    assert all(len(o.extraction["cells"]) > 10 for o in outcomes)


def test_scheduler_address(two, pool_outcomes):
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=logging.ERROR) as cluster:
        outcomes = map_with_dask(process_document, two, (300, 300), cluster.scheduler_address)
    assert outcomes == pool_outcomes


def test_bad_document_is_a_problem_not_a_crash(tmp_path, two):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog")  # truncated
    bad = Source(file="broken.pdf", path=broken)
    outcomes = map_with_dask(process_document, [bad, two[0]], (300, 300), None, n_workers=1)
    assert outcomes[0].extraction is None
    assert outcomes[0].problems and outcomes[0].problems[0].file == "broken.pdf"
    assert outcomes[0].problems[0].severity == "error"
    assert outcomes[1].extraction is not None and outcomes[1].source == two[0]


def test_nothing_to_do_starts_no_cluster():
    assert map_with_dask(process_document, [], (300, 300), "tcp://127.0.0.1:1") == []


def test_unreachable_scheduler_is_named(two, monkeypatch):
    monkeypatch.setattr(executors, "CONNECT_TIMEOUT", 2)
    with pytest.raises(ExecutorError, match=r"cannot reach the Dask scheduler at 'tcp://127\.0\.0\.1:9'"):
        map_with_dask(process_document, two, (300, 300), "tcp://127.0.0.1:9")


def dies_on_kill(item: str) -> str:
    """Kills its own worker process for 'kill' (as the kernel's OOM killer would)."""
    import os
    import signal

    if item == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    return item.upper()


def test_a_task_whose_worker_dies_is_named_not_raised():
    """Dask retries a task whose worker died on fresh workers, then gives up with KilledWorker: the
    document is named (``Died``), the run goes on. (Tasks queued on the same worker when it died are
    counted against too, by Dask's design, so only the dying task is run here.)"""
    from pipeline.executors import Died

    [result] = map_with_dask(dies_on_kill, ["kill"], (), None, n_workers=1)
    assert isinstance(result, Died) and "KilledWorker" in result.how


def test_a_chunk_whose_worker_dies_is_split_and_only_the_killer_is_named():
    """Items put together in one task (``chunks``): when that task's worker dies, each of its items
    is run alone, so the others get their results and only the one that kills its worker ``Died``."""
    from pipeline.executors import Died, imap_with_dask, in_input_order

    items = ["a", "kill", "b", "c"]
    results = in_input_order(imap_with_dask(dies_on_kill, items, (), None, n_workers=1,
                                            chunks=[[0, 1, 2], [3]]), len(items))
    assert results[0] == "A" and results[2] == "B" and results[3] == "C"
    assert isinstance(results[1], Died) and "KilledWorker" in results[1].how


def test_local_cluster_reads_a_large_document_with_a_helper_and_reads_the_same(sources):
    """On a LocalCluster (one machine) a document over one worker's share is read with the other
    worker's help, largest first; the outcomes equal the one-process outcomes, in input order."""
    pair = [sources["isehara_kikaku_declaration_h28"], sources["isehara_plan6_overview"]]
    outcomes = map_documents(pair, settings(executor="dask"))
    assert [o.source for o in outcomes] == pair
    assert outcomes == map_documents(pair, settings(jobs=1))
