"""Benchmark of the extraction path: ``python -m bench`` (``make bench``).

In: the shipped PDFs (``raw/`` and its sources.yaml). Out: ``bench/metrics.json`` (declared in
dvc.yaml, so ``dvc metrics show`` displays it) and a short table on stdout.

In one process, over the same pages, it times the pipeline's extraction and normalisation
against reference readers (pdfplumber's bare ``dedupe_chars().extract_tables()``, camelot's
lattice with ``engine="vector"`` and with its default engine, pypdfium2's plain text, the
floor), in interleaved rounds, and reports medians of the per-round ratios (noise on a shared
machine hits a round's runs alike) and pages per second. Peak memory is each reader's peak
resident set in a fresh process. Time linear in pages and memory flat across documents are shown
on corpora of 10x (and with ``--scale 100``, 100x) copies of the shipped PDFs, built in a
temporary folder. Nothing here asserts a time.
"""
