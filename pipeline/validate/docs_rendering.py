"""Data Docs rendered without work that is thrown away.

In:  Great Expectations' Jinja views (``DefaultJinjaView``) and a context's validation result store.
Out: ``share_compiled_templates()``: every view compiles its templates through one
     ``TemplateCache``, in memory and on disk between runs (``template_cache_dir()``);
     ``keep_results_in_store(context)``: the result store keeps the result objects it is given;
     ``warm_template_cache()`` compiles every template into the cache ahead (``warm_templates``).

Why: GX builds a new Jinja environment for every page it renders, so each run parsed and compiled
the same templates again for every page (about half of the Data Docs build), and its in-memory
result store turned each result into a JSON string and back in the same process. The pages are
the same bytes either way (``tests/test_validate_docs_rendering.py``).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from jinja2 import BytecodeCache, FileSystemBytecodeCache


def template_cache_dir() -> Path | None:
    """Where compiled Data Docs templates are kept between runs: ``$MUNIPLAN_TEMPLATE_CACHE``, else
    ``$XDG_CACHE_HOME/muniplan`` (``~/.cache/muniplan``), in a folder per GX and Python version;
    ``None`` (keep them for this process only) when ``MUNIPLAN_TEMPLATE_CACHE`` is empty."""
    import great_expectations

    chosen = os.environ.get("MUNIPLAN_TEMPLATE_CACHE")
    if chosen == "":
        return None
    try:
        base = Path(chosen) if chosen else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "muniplan"
    except (RuntimeError, KeyError):   # no home folder to be found
        return None
    return base / f"gx-{great_expectations.__version__}-py{sys.version_info[0]}.{sys.version_info[1]}-templates"


class TemplateCache(BytecodeCache):
    """Jinja bytecode kept in memory for the process and, when a folder is given, on disk between
    runs, so that each template is compiled once per machine. Jinja checks each entry against its
    template's source; an entry that cannot be read is compiled again, and a folder that cannot be
    written only costs the compilation."""

    def __init__(self, folder: Path | None) -> None:
        self._code: dict[str, bytes] = {}
        self._disk = None
        if folder is not None:
            try:
                folder.mkdir(parents=True, exist_ok=True)
                self._disk = FileSystemBytecodeCache(str(folder))
            except OSError:
                self._disk = None

    def load_bytecode(self, bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)
            return
        if self._disk is not None:
            try:
                self._disk.load_bytecode(bucket)
            except Exception:   # a damaged entry (truncated, another format): compile again
                bucket.reset()
            if bucket.code is not None:
                self._code[bucket.key] = bucket.bytecode_to_string()

    def dump_bytecode(self, bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()
        if self._disk is not None:
            try:
                self._disk.dump_bytecode(bucket)
            except OSError:
                self._disk = None

    def clear(self) -> None:
        self._code.clear()


def share_compiled_templates() -> None:
    """Give every GX Jinja view one bytecode cache (``TemplateCache``; idempotent). The
    templates and their output are GX's own; only their compilation is shared."""
    from great_expectations.render.view.view import DefaultJinjaView

    if getattr(DefaultJinjaView, "_muniplan_cache", None) is not None:
        return
    cache = TemplateCache(template_cache_dir())
    original = DefaultJinjaView.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        self.env.bytecode_cache = cache

    DefaultJinjaView.__init__ = init
    DefaultJinjaView._muniplan_cache = cache


def keep_results_in_store(context) -> None:
    """Make the context's result store keep the result objects given to it: GX's in-memory store
    serialises every result to a JSON string when it is filed and parses it back when the Data
    Docs read it, in the same process, only to hand the renderers the same object again. (The
    suite store keeps GX's way: rebuilding a suite from its JSON is cheaper than copying its
    expectations, which GX requires of a suite built from another's.)"""
    results = context.validation_results_store
    results.serialize = _same
    results.deserialize = _same


def _same(value: Any) -> Any:
    return value


def warm_template_cache() -> int:
    """Compile every template of GX's Data Docs views into the template cache now (at set-up), so
    that the first run on a machine does not; the number of templates compiled or found."""
    from jinja2 import TemplateError
    from great_expectations.render.view.view import DefaultJinjaView

    share_compiled_templates()
    env = DefaultJinjaView().env
    done = 0
    for name in env.list_templates(extensions=["j2"]):
        try:
            env.get_template(name)
            done += 1
        except TemplateError:   # a template GX ships but does not compile is GX's to report when used
            continue
    return done

