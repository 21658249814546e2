"""GX expectations that read their own arguments once per question instead of once per argument.

In:  Great Expectations' ``Expectation`` class (GX Core, the version pinned in ``constraints.txt``).
Out: ``read_arguments_once()`` replaces three of its methods — ``_get_domain_kwargs``,
     ``_get_success_kwargs`` and ``_get_runtime_kwargs`` — with ones that return the same values.

Why: GX's ``Expectation.configuration`` is a property that dumps the pydantic model and builds a
new ``ExpectationConfiguration`` every time it is read, and these three methods read it once for
*each* key they collect (about ten per call). While GX plans and evaluates the metrics of a suite
they are called several times per expectation: this rebuild was a quarter of the validate stage's
work. Here each call reads the configuration once and looks every key up in it, which is what
the original computes (the configuration does not change while a method runs). The replacement is
made only for the GX version it was written against (``GX_VERSION``); with any other version GX's
own methods stay, and ``tests/test_validate_kwargs.py`` compares both on every committed
expectation.
"""
from __future__ import annotations

import logging
from typing import Any, Optional

GX_VERSION = "1.24.1"
METHODS = ("_get_domain_kwargs", "_get_success_kwargs", "_get_runtime_kwargs")
logger = logging.getLogger(__name__)
_gx_own: dict = {}   # GX's methods, kept when they are replaced


def _filled(expectation, given: dict, keys) -> dict[str, Any]:
    """``keys`` with their values in the configuration's ``given`` arguments, else their defaults."""
    return {key: given.get(key, expectation._get_default_value(key)) for key in keys}


def domain_kwargs(expectation) -> dict[str, Any]:
    """The expectation's domain arguments (column, row condition …), defaults filled in."""
    return _filled(expectation, expectation.configuration.kwargs, expectation.domain_keys)


def success_kwargs(expectation) -> dict[str, Any]:
    """The arguments that decide success (value set, bounds, ``mostly`` …) and the domain ones."""
    given = expectation.configuration.kwargs
    return {**_filled(expectation, given, expectation.success_keys),
            **_filled(expectation, given, expectation.domain_keys)}


def runtime_kwargs(expectation, runtime_configuration: Optional[dict] = None) -> dict[str, Any]:
    """Everything the expectation is evaluated with: the runtime arguments (result format,
    exceptions …) from ``runtime_configuration``, else the configuration, else the field's
    default; then the success and domain arguments; the result format parsed."""
    from great_expectations.expectations.expectation import parse_result_format

    runtime_configuration = runtime_configuration or {}
    given = expectation.configuration.kwargs
    found = {key: runtime_configuration.get(key, _given_or_default(expectation, given, key))
             for key in expectation.runtime_keys}
    found.update(_filled(expectation, given, expectation.success_keys))
    found.update(_filled(expectation, given, expectation.domain_keys))
    found["result_format"] = parse_result_format(found["result_format"])
    return found


def _given_or_default(expectation, given: dict, key: str) -> Any:
    """``Expectation._get_success_kwarg(key)`` on an already built configuration."""
    if key in given:
        return given[key]
    field = expectation.__fields__.get(key)
    if field is not None:
        return field.default if not field.required else None
    logger.warning('_get_success_kwarg called with key "%s", but it is not a known field of %s',
                   key, type(expectation).__name__)
    return None


def read_arguments_once() -> bool:
    """Install the three methods on GX's ``Expectation`` (idempotent); False, and GX left as it
    is, when the installed GX is not ``GX_VERSION``."""
    import great_expectations
    from great_expectations.expectations.expectation import Expectation

    if great_expectations.__version__ != GX_VERSION:
        return False
    if getattr(Expectation, "_muniplan_reads_arguments_once", False):
        return True
    for name in METHODS:
        _gx_own.setdefault(name, Expectation.__dict__[name])
    Expectation._get_domain_kwargs = domain_kwargs
    Expectation._get_success_kwargs = success_kwargs
    Expectation._get_runtime_kwargs = runtime_kwargs
    Expectation._muniplan_reads_arguments_once = True
    return True


def gx_own_methods() -> dict:
    """GX's own three methods by name (the ones replaced, or the ones in place)."""
    from great_expectations.expectations.expectation import Expectation

    return {name: _gx_own.get(name, Expectation.__dict__[name]) for name in METHODS}
