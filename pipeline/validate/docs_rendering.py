"""Data Docs rendered without work that is thrown away.

In:  Great Expectations' Jinja views (``DefaultJinjaView``) and a context's validation result store.
Out: ``share_compiled_templates()``: every view compiles its templates through one
     ``TemplateCache`` (``pipeline.templates``), in memory and on disk between runs (``template_cache_dir()``);
     ``keep_results_in_store(context)``: the result store keeps the result objects it is given;
     ``warm_template_cache()`` compiles every template into the cache ahead (``muniplan warm-templates``).

Why: GX builds a new Jinja environment for every page it renders, so each run parsed and compiled
the same templates again for every page (about half of the Data Docs build), and its in-memory
result store turned each result into a JSON string and back in the same process. The pages are
the same bytes either way (``tests/test_validate_docs_rendering.py``).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from pipeline.templates import TemplateCache, template_cache_dir as _cache_dir


def template_cache_dir() -> Path | None:
    """Where compiled Data Docs templates are kept between runs (``pipeline.templates.template_cache_dir``):
    a folder per GX and Python version, ``None`` when ``MUNIPLAN_TEMPLATE_CACHE`` is empty."""
    import great_expectations

    return _cache_dir(f"gx-{great_expectations.__version__}")


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

