"""The parallel benchmark measures what it says: the same stage with each executor, over the same
pages, and the memory of both halves of a corpus of copies. No test here asserts a speed."""
from __future__ import annotations

import sys

import yaml

from conftest import RAW, ROOT

sys.path.insert(0, str(ROOT))   # bench/ is a top-level package beside pipeline/

from bench.parallel import EXECUTORS, SHIPPED, measure, table, tree  # noqa: E402
from test_bench import SMALL, small_raw  # noqa: E402,F401  (the two smallest shipped PDFs: 3 + 6 pages; a fixture)


def test_the_shipped_documents_are_listed_in_raw():
    listed = {e["file"][:-4] for e in yaml.safe_load((RAW / "sources.yaml").read_text(encoding="utf-8"))}
    assert set(SHIPPED) <= listed and len(SHIPPED) == 5


def test_a_process_tree_includes_the_children(tmp_path):
    import os
    import subprocess

    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert tree(os.getpid())[0] == os.getpid() and child.pid in tree(os.getpid())
    finally:
        child.kill()
        child.wait()


def test_measure_times_every_executor_on_the_same_pages(small_raw):
    result = measure(small_raw, pages=20, rounds=1, documents=SMALL)
    shipped = result["shipped"]
    assert shipped["documents"] == 2 and shipped["pages"] == 9
    assert set(shipped["speedup"]) == set(EXECUTORS) and shipped["speedup"]["one_process"] == 1.0
    assert all(s > 0 for s in shipped["speedup"].values())
    assert shipped["speedup_cpu_bound"]["one_process"] == 1.0
    # two workers: the busiest read at least the larger document, so well under 2x (room left for noise)
    assert 0 < shipped["speedup_cpu_bound"]["pool"] < 2.5 and shipped["cores_used"]["pool"] > 0
    corpus = result["corpus"]
    assert corpus["copies"] == 3 and corpus["pages"] == 27 and corpus["documents"] == 6
    for name, run in corpus["runs"].items():
        assert run["read"] == 6 and run["errors"] == 0, name
        assert run["pages"] == 27 and run["wall"] > 0 and run["cpu"] > 0
    # a run this short may be over before a sample of its second half: the halves are there or None
    assert set(result["targets"]) == {"shipped_pool_1_7x", "corpus_pool_1_8x", "corpus_dask_1_8x", "memory_flat"}
    assert "copies 27 pages" in table(result)
