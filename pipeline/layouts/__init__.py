"""The registry of report layouts: every module in this package that defines ``LAYOUT``.

In: the modules of this folder. Out: ``all_layouts()`` and ``by_name(name)``.
A sixth layout is a new module here; nothing else changes.
"""
from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

from .base import Layout, describe, recognise  # noqa: F401


@lru_cache(maxsize=1)
def all_layouts() -> tuple[Layout, ...]:
    found = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        layout = getattr(module, "LAYOUT", None)
        if isinstance(layout, Layout):
            found.append(layout)
    return tuple(found)


def by_name(name: str) -> Layout | None:
    return next((layout for layout in all_layouts() if layout.name == name), None)
