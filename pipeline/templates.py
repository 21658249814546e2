"""Jinja templates compiled once per machine, not once per run.

In:  a Jinja environment's templates; ``MUNIPLAN_TEMPLATE_CACHE`` (the folder, empty: memory only),
     else ``XDG_CACHE_HOME`` or ``~/.cache``.
Out: ``TemplateCache``, a Jinja bytecode cache kept in memory for the process and on disk between
     runs; ``template_cache_dir(tag)``, its folder for one set of templates (``~/.cache/muniplan/
     <tag>-py3.11-templates``); ``compile_options(env)``, what besides a template's source decides
     its compiled code (a cache shared by environments of other options keys entries by it).

Used by the audit page (``pipeline.report.page``) and by the Data Docs (``pipeline.validate.docs_rendering``):
compiling a template costs more than rendering it, and the compiled code is the same on every run.
"""
from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path
from typing import Mapping

from jinja2 import BytecodeCache, Environment, FileSystemBytecodeCache


def template_cache_dir(tag: str, environ: Mapping[str, str] = os.environ) -> Path | None:
    """Where the compiled templates named by ``tag`` are kept between runs: ``$MUNIPLAN_TEMPLATE_CACHE``,
    else ``$XDG_CACHE_HOME/muniplan`` (``~/.cache/muniplan``), in a folder per tag and Python version;
    ``None`` (keep them for this process only) when ``MUNIPLAN_TEMPLATE_CACHE`` is empty or there is
    no home folder.

    >>> python = f"py{sys.version_info[0]}.{sys.version_info[1]}"
    >>> template_cache_dir("report", {"MUNIPLAN_TEMPLATE_CACHE": "/c"}).as_posix() == f"/c/report-{python}-templates"
    True
    >>> template_cache_dir("gx-1.0", {"XDG_CACHE_HOME": "/x"}).as_posix() == f"/x/muniplan/gx-1.0-{python}-templates"
    True
    >>> template_cache_dir("report", {"MUNIPLAN_TEMPLATE_CACHE": ""}) is None
    True
    """
    chosen = environ.get("MUNIPLAN_TEMPLATE_CACHE")
    if chosen == "":
        return None
    try:
        base = Path(chosen) if chosen else Path(environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "muniplan"
    except (RuntimeError, KeyError):   # no home folder to be found
        return None
    return base / f"{tag}-py{sys.version_info[0]}.{sys.version_info[1]}-templates"


def compile_options(env: Environment) -> str:
    """The settings of ``env`` that change a template's compiled code (Jinja's version, its syntax,
    white-space control, autoescaping, extensions), as one string: two environments that differ in
    one of them must not share a compiled template of the same file.

    >>> compile_options(Environment()) == compile_options(Environment())
    True
    >>> compile_options(Environment(trim_blocks=True)) == compile_options(Environment())
    False
    """
    import jinja2

    autoescape = env.autoescape
    if callable(autoescape):   # a function: its name, never its address
        autoescape = f"{getattr(autoescape, '__module__', '')}.{getattr(autoescape, '__qualname__', '')}"
    return repr((jinja2.__version__, env.block_start_string, env.block_end_string, env.variable_start_string,
                 env.variable_end_string, env.comment_start_string, env.comment_end_string,
                 env.line_statement_prefix, env.line_comment_prefix, env.trim_blocks, env.lstrip_blocks,
                 env.newline_sequence, env.keep_trailing_newline, env.optimized, autoescape,
                 sorted(env.extensions)))


class TemplateCache(BytecodeCache):
    """Jinja bytecode kept in memory for the process and, when a folder is given, on disk between
    runs, so that each template is compiled once per machine. Jinja checks each entry against its
    template's source; an entry that cannot be read is compiled again, and a folder that cannot be
    written only costs the compilation. ``salt`` (e.g. ``compile_options(env)``) goes into every
    entry's key, so that environments of other settings never read each other's code."""

    def __init__(self, folder: Path | None, salt: str = "") -> None:
        self._code: dict[str, bytes] = {}
        self._disk = None
        self._salt = salt
        if folder is not None:
            try:
                folder.mkdir(parents=True, exist_ok=True)
                self._disk = FileSystemBytecodeCache(str(folder))
            except OSError:
                self._disk = None

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        key = super().get_cache_key(name, filename)
        return hashlib.sha1(f"{self._salt}|{key}".encode()).hexdigest() if self._salt else key

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
