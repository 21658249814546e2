"""``python -m bench``: time the pipeline against reference readers and write bench/metrics.json.

In: ``--raw`` (default raw/; the five shipped PDFs of it unless ``--all-documents``) and options
(``--rounds``, ``--slow-rounds``, ``--scale 100``, ``--quick``, ``--parts``, ``--pages 10000``).
Out: bench/metrics.json (or ``--out``: the few headline figures ``dvc metrics show`` prints),
bench/details.json (every figure, one section per part) and a table on stdout. The parts, each also
a script of its own: ``readers`` (this file: the pipeline against pdfplumber, camelot and pypdfium2,
linearity in pages, memory), ``pdfium_route`` (the floor of page-object reading),
``parallel`` (one process, the pool, Dask; ``--pages`` adds a corpus of copies and its memory),
``whole_run`` (``dvc repro --force`` against extraction + GX start-up; later stages at 1x/10x/100x
rows) and ``validate`` (the validate stage beyond GX's start-up). See bench/__init__.py.
"""
from __future__ import annotations

import argparse
import contextlib
import gc
import io
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FAST = ("pipeline", "pipeline_parallel", "pdfplumber", "camelot_vector", "pypdfium2_text")
SLOW = ("pipeline_pdfminer", "camelot_default")   # timed in --slow-rounds rounds only


def _rss_mb() -> float:
    """Current resident set of this process, MB (Linux /proc; peak where that is missing)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return _peak_mb()


def _peak_mb() -> float:
    """Peak resident set of this process, MB. Linux: VmHWM of /proc/self/status, which starts
    afresh with the process image (``ru_maxrss`` carries the parent's peak across fork and exec)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 2**10
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def _sources(raw: Path):
    from pipeline.sources import load_sources

    listing = load_sources(raw)
    if listing.problems:
        raise SystemExit("; ".join(str(p) for p in listing.problems))
    return listing.sources


@contextlib.contextmanager
def _pdfminer_route():
    """The pipeline as it read before playa: every page through pdfminer."""
    from pipeline.extract import pdf

    before, pdf.USE_PLAYA = pdf.USE_PLAYA, False
    try:
        yield
    finally:
        pdf.USE_PLAYA = before


def run_named(name: str, sources) -> int:
    from bench.readers import run_reader

    if name == "pipeline_pdfminer":
        with _pdfminer_route():
            return run_reader("pipeline", sources)
    return run_reader(name, sources)


def timed(name: str, sources) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds of this process, pages) of one run."""
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    pages = run_named(name, sources)
    return time.perf_counter() - wall, time.process_time() - cpu, pages


def rounds(names: list[str], sources, n: int, slow_rounds: int, say) -> dict[str, list[dict]]:
    """Interleaved rounds (the order rotates each round), after one warm-up run per reader."""
    small = [min(sources, key=lambda s: s.path.stat().st_size)]
    for name in names:
        timed(name, small)        # imports, font and CMap caches, pools: not what is compared
    results: dict[str, list[dict]] = {name: [] for name in names}
    for r in range(n):
        order = names[r % len(names):] + names[:r % len(names)]
        for name in order:
            if name in SLOW and r >= slow_rounds:
                continue
            wall, cpu, pages = timed(name, sources)
            results[name].append({"round": r, "wall": wall, "cpu": cpu, "pages": pages})
            say(f"  round {r + 1}/{n} {name:18s} {pages / wall:7.1f} pages/s")
    return results


def paired_ratio(results: dict, reference: str, name: str, key: str = "wall") -> float | None:
    """Median over rounds of reference time / ``name`` time in the same round (>1: ``name`` is faster)."""
    ref = {run["round"]: run[key] for run in results.get(reference, [])}
    ratios = [ref[run["round"]] / run[key] for run in results.get(name, [])
              if run["round"] in ref and run[key] > 0]
    return round(statistics.median(ratios), 3) if ratios else None


def pages_per_second(results: dict, name: str) -> float | None:
    runs = results.get(name) or []
    if not runs:
        return None
    return round(runs[0]["pages"] / statistics.median(run["wall"] for run in runs), 2)


def _child(*args: str) -> dict:
    """Run ``python -m bench`` with a child option in a fresh process; its JSON answer."""
    proc = subprocess.run([sys.executable, "-m", "bench", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    if proc.returncode:
        raise RuntimeError(f"bench child {args} failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def child_memory(name: str, raw: Path) -> dict:
    """In a fresh process: the peak resident set after importing, and after reading the corpus once."""
    import bench.readers  # noqa: F401
    base = _peak_mb()
    pages = run_named(name, _sources(raw))
    return {"reader": name, "pages": pages, "peak_mb": round(_peak_mb(), 1), "start_mb": round(base, 1)}


def child_scaling(raw: Path, scales: list[int], repeats: int) -> dict:
    """In a fresh process: the pipeline, one document after another, over 1x, 10x (...) copies.

    Per scale: pages per second (1x: median of ``repeats`` runs); over the largest corpus: the
    resident set after each document, to show memory flat across documents.
    """
    from bench.corpus import build_corpus
    from bench.readers import pipeline

    out: dict = {}
    with tempfile.TemporaryDirectory(prefix="muniplan-bench-") as tmp:
        pipeline(_sources(raw)[:1])     # warm-up
        for scale in scales:
            sources = _sources(build_corpus(raw, scale, Path(tmp) / f"x{scale}"))
            walls, rss = [], []
            for _ in range(repeats if scale == 1 else 1):
                gc.collect()
                start, pages = time.perf_counter(), 0
                for source in sources:
                    pages += pipeline([source])
                    rss.append(_rss_mb())
                walls.append(time.perf_counter() - start)
            out[f"copies_{scale}"] = {"documents": len(sources), "pages": pages,
                                      "pages_per_second": round(pages / statistics.median(walls), 2)}
            if scale == max(scales):
                # Flat: the second half of the documents needs no more memory than the first half
                # (a leak grows with every document; the first copy only fills the caches).
                first, half = len(_sources(raw)), len(rss) // 2
                out["rss_mb_after_first_copy"] = round(max(rss[:first]), 1)
                out["rss_mb_max_first_half"] = round(max(rss[:half]), 1)
                out["rss_mb_max_second_half"] = round(max(rss[half:]), 1)
                out["rss_growth"] = round(max(rss[half:]) / max(rss[:half]), 3)
    return out


def reading_check(raw: Path) -> dict:
    """Does it read them right? The answer-key score of extract + tidy, and the playa route's
    extractions equal to the pdfminer route's, document by document."""
    import importlib.util

    from pipeline.settings import load_settings
    from pipeline.stages import extract, tidy
    from pipeline.stages.extract import process_document

    result: dict = {}
    with tempfile.TemporaryDirectory(prefix="muniplan-bench-") as tmp:
        settings = load_settings(ROOT / "params.yaml")
        extract.run(raw, Path(tmp), settings)
        tidy.run(Path(tmp))
        spec = importlib.util.spec_from_file_location("score", ROOT / "tests" / "score.py")
        answers = ROOT / "tests" / "answers"
        if spec and spec.loader and answers.is_dir():
            score = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(score)
            with contextlib.redirect_stdout(io.StringIO()):
                summary = score.main([str(answers), tmp])
            result.update({"value_recall": summary["value_recall"], "values_wrong": summary["wrong"],
                           "values_missing": summary["missing"], "values_extra": summary["extra"]})
    same = True
    for source in _sources(raw):
        fast = process_document(source)
        with _pdfminer_route():
            slow = process_document(source)
        same &= fast.extraction == slow.extraction and fast.extraction is not None
    result["identical_to_pdfminer_route"] = same
    return result


def headline(metrics: dict) -> dict:
    """The few figures ``dvc metrics show`` prints as one short row (every figure is in details.json);
    a part that was not run gives None.

    >>> headline({"readers": {"pages_per_second": {"pipeline": 59.4}, "speed_vs_pypdfium2_text": {"pipeline": 0.05},
    ...           "peak_rss_mb": {}, "reading": {"value_recall": 1.0}},
    ...           "parallel": {"shipped": {"speedup": {"pool": 1.8, "dask": 1.5}}}})
    ... # doctest: +NORMALIZE_WHITESPACE
    {'pages_per_s': 59.4, 'x_pypdfium2': 20.0, 'pool_x': 1.8, 'dask_x': 1.5, 'run_over_bound': None,
     'validate_ratio': None, 'peak_mb': None, 'key_recall': 1.0}
    """
    readers = metrics.get("readers") or {}
    speed = (readers.get("speed_vs_pypdfium2_text") or {}).get("pipeline")
    shipped = ((metrics.get("parallel") or {}).get("shipped") or {}).get("speedup") or {}
    whole = (metrics.get("whole_run") or {}).get("whole_run") or {}
    validate = ((metrics.get("validate") or {}).get("scales") or [{}])[0]
    return {
        "pages_per_s": (readers.get("pages_per_second") or {}).get("pipeline"),
        "x_pypdfium2": round(1 / speed, 2) if speed else None,
        "pool_x": shipped.get("pool"),
        "dask_x": shipped.get("dask"),
        "run_over_bound": whole.get("ratio_to_bound"),
        "validate_ratio": validate.get("ratio_to_startup"),
        "peak_mb": (readers.get("peak_rss_mb") or {}).get("pipeline"),
        "key_recall": (readers.get("reading") or {}).get("value_recall"),
    }


def write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


PARTS = ("readers", "pdfium_route", "parallel", "whole_run", "validate")


def readers_part(raw: Path, args, say) -> dict:
    """The pipeline against the reference readers on ``raw``; linearity in pages; memory; and the
    reading check on ``args.raw`` itself (the answer keys name its documents)."""
    scales = sorted({1, 10, *(args.scale or [])})
    sources = _sources(raw)
    names = list(FAST) + (list(SLOW) if args.slow_rounds else [])
    say(f"bench readers: {len(sources)} documents, {args.rounds} rounds ({args.slow_rounds} with the slow readers)")
    results = rounds(names, sources, args.rounds, args.slow_rounds, say)
    pages = {runs[0]["pages"] for runs in results.values() if runs}
    if len(pages) != 1:
        raise SystemExit(f"the readers did not go through the same pages: {pages}")

    say("bench readers: peak memory (each reader in a fresh process)")
    memory = {} if args.quick else {name: _child("--raw", str(raw), "--child-memory", name)
                                    for name in names if name != "pipeline_parallel"}
    say(f"bench readers: linearity over {', '.join(f'{s}x' for s in scales)} copies (one document after another)")
    scaling = _child("--raw", str(raw), "--child-scaling", ",".join(map(str, scales)))
    first, last = scaling["copies_1"]["pages_per_second"], scaling[f"copies_{max(scales)}"]["pages_per_second"]
    scaling["time_per_page_largest_over_1x"] = round(first / last, 3)
    say("bench readers: reading check (answer keys; playa route == pdfminer route)")
    reading = reading_check(args.raw.resolve())

    names_timed = [n for n in names if results.get(n)]
    metrics = {
        "corpus": {"documents": len(sources), "pages": pages.pop(), "rounds": args.rounds,
                   "slow_rounds": args.slow_rounds, "cores": os.cpu_count() or 1,
                   "python": platform.python_version()},
        "pages_per_second": {n: pages_per_second(results, n) for n in names_timed},
        "speed_vs_pdfplumber": {n: paired_ratio(results, "pdfplumber", n) for n in names_timed},
        "speed_vs_camelot_vector": {n: paired_ratio(results, "camelot_vector", n) for n in names_timed},
        "cpu_speed_vs_pdfplumber": {n: paired_ratio(results, "pdfplumber", n, "cpu")
                                    for n in names_timed if n != "pipeline_parallel"},
        "speed_vs_pypdfium2_text": {n: paired_ratio(results, "pypdfium2_text", n) for n in names_timed},
        "peak_rss_mb": {n: m["peak_mb"] for n, m in memory.items()},
        "scaling": scaling,
        "reading": reading,
    }
    metrics["targets"] = {
        "time_linear_in_pages": abs(scaling["time_per_page_largest_over_1x"] - 1) <= 0.25,
        "memory_flat_across_documents": scaling["rss_growth"] <= 1.1,
        "reads_right": bool(reading.get("identical_to_pdfminer_route")),
    }
    return metrics


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, default=ROOT / "raw")
    parser.add_argument("--all-documents", action="store_true",
                        help="time every document of --raw (default: its five shipped PDFs, 80 pages)")
    parser.add_argument("--parts", default=",".join(PARTS), help=f"which parts to run (default: {','.join(PARTS)})")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "metrics.json",
                        help="the few headline figures dvc metrics show prints")
    parser.add_argument("--details", type=Path, default=None,
                        help="every figure (default: details.json beside --out)")
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds of the fast readers")
    parser.add_argument("--slow-rounds", type=int, default=1,
                        help="rounds that also time camelot's default engine and the pdfminer route")
    parser.add_argument("--scale", type=int, action="append", default=None,
                        help="copies for the linearity run (default 1 and 10; add --scale 100)")
    parser.add_argument("--pages", type=int, default=int(os.environ.get("MUNIPLAN_BENCH_PAGES") or 0),
                        help="parallel part: also a corpus of copies of at least this many pages (10000 for "
                             "issue 19: several minutes per executor); env MUNIPLAN_BENCH_PAGES")
    parser.add_argument("--quick", action="store_true", help="2 rounds, no slow readers, no memory children")
    parser.add_argument("--child-memory", help=argparse.SUPPRESS)
    parser.add_argument("--child-scaling", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))

    if args.child_memory:
        print(json.dumps(child_memory(args.child_memory, args.raw)))
        return 0
    if args.child_scaling:
        scales = [int(s) for s in args.child_scaling.split(",")]
        print(json.dumps(child_scaling(args.raw, scales, repeats=3)))
        return 0

    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    parts = [p.strip() for p in args.parts.split(",") if p.strip()]
    unknown = sorted(set(parts) - set(PARTS))
    if unknown:
        parser.error(f"unknown part(s) {', '.join(unknown)} (known: {', '.join(PARTS)})")
    if args.quick:
        args.rounds, args.slow_rounds = min(args.rounds, 2), 0
    details = args.details or args.out.with_name("details.json")
    metrics: dict = {"cores": os.cpu_count() or 1, "python": platform.python_version()}
    with tempfile.TemporaryDirectory(prefix="muniplan-bench-") as tmp:
        from bench.parallel import shipped_raw

        raw = args.raw.resolve() if args.all_documents else shipped_raw(args.raw.resolve(), Path(tmp) / "shipped")
        if "readers" in parts:
            metrics["readers"] = readers_part(raw, args, say)
        if "pdfium_route" in parts:
            from bench.pdfium_route import timings

            say("bench pdfium_route: page objects and extraction against pypdfium2's bare text")
            metrics["pdfium_route"] = timings(_sources(raw), args.rounds)
        if "parallel" in parts:
            from bench.parallel import measure as parallel

            metrics["parallel"] = parallel(args.raw.resolve(), args.pages or None, args.rounds, say)
        if "whole_run" in parts:
            from bench.whole_run import measure as whole_run

            metrics["whole_run"] = whole_run(raw, rounds=min(args.rounds, 3), say=say)
        if "validate" in parts:
            from bench.validate import measure as validate

            say("bench validate: the validate stage beyond GX's start-up, fresh processes")
            metrics["validate"] = validate(raw, [1, 10, 100], repeat=1 if args.quick else 3)
    whole = metrics.get("whole_run") or {}
    if {"whole_run", "linearity"} <= set(whole) and "validate" in metrics:
        from bench.whole_run import floor

        at_1x = whole["linearity"]["scales"][0]
        whole["whole_run"].update(floor(whole["whole_run"], at_1x["seconds"],
                                        metrics["validate"]["scales"][0]["work_wall_s"]))
    write_json(details, metrics)
    write_json(args.out, headline(metrics))

    if "readers" in metrics:
        readers = metrics["readers"]
        speed = readers["speed_vs_pdfplumber"]
        print(f"{'reader':20s} {'pages/s':>8s} {'vs pdfplumber':>14s} {'vs camelot vector':>18s} "
              f"{'vs pypdfium2':>13s} {'peak MB':>8s}")
        for n in readers["pages_per_second"]:
            print(f"{n:20s} {readers['pages_per_second'][n] or 0:8.1f} {speed[n] or 0:14.2f}"
                  f" {readers['speed_vs_camelot_vector'][n] or 0:18.2f}"
                  f" {readers['speed_vs_pypdfium2_text'][n] or 0:13.3f} {readers['peak_rss_mb'].get(n, 0):8.0f}")
        scaling = readers["scaling"]
        largest = max(int(k.split("_")[1]) for k in scaling if k.startswith("copies_") and k[7:].isdigit())
        print(f"linearity: time per page at {largest}x / 1x = {scaling['time_per_page_largest_over_1x']}; "
              f"memory growth over {scaling[f'copies_{largest}']['documents']} documents = {scaling['rss_growth']}")
        print(f"reading: {readers['reading']}")
    for part in ("pdfium_route", "parallel", "whole_run", "validate"):
        if part in metrics:
            figures = metrics[part]
            print(f"{part}: " + json.dumps(figures.get("targets") or figures, ensure_ascii=False)[:400])
    print(f"headline: {headline(metrics)}")
    print(f"written: {args.out} (headline), {details} (every figure)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
