"""``pipeline.validate.expectation_kwargs``: GX's expectations read their arguments once per call and
get exactly what GX's own methods give, for every expectation of the committed suites (real GX objects)."""
from __future__ import annotations

import json

import pytest

from test_validate import EXPECTATIONS
from pipeline.validate import expectation_kwargs
from pipeline.validate.suites import combine, load_suites

RUNTIME_CONFIGURATIONS = [None, {}, {"result_format": "BOOLEAN_ONLY"},
                          {"result_format": {"result_format": "SUMMARY", "partial_unexpected_count": 20,
                                             "unexpected_index_column_names": ["document"]}},
                          {"result_format": "COMPLETE", "catch_exceptions": False}]


def committed_expectations():
    """Every expectation of the committed suites as GX builds it (layout suites with their row condition)."""
    from great_expectations.core.expectation_suite import ExpectationSuite

    for suite in combine(load_suites(EXPECTATIONS)):
        yield from ExpectationSuite(**json.loads(json.dumps(suite.config))).expectations


def test_same_arguments_as_gx():
    gx = expectation_kwargs.gx_own_methods()
    domain, success, runtime = gx["_get_domain_kwargs"], gx["_get_success_kwargs"], gx["_get_runtime_kwargs"]
    checked = 0
    for expectation in committed_expectations():
        assert expectation_kwargs.domain_kwargs(expectation) == domain(expectation)
        assert expectation_kwargs.success_kwargs(expectation) == success(expectation)
        for configuration in RUNTIME_CONFIGURATIONS:
            assert expectation_kwargs.runtime_kwargs(expectation, configuration) == runtime(expectation, configuration)
        checked += 1
    assert checked >= 60


def test_the_configuration_is_built_once_per_call(monkeypatch):
    """What the replacement exists for: GX builds the configuration once per key (a dozen times per call)."""
    from great_expectations.expectations.expectation import Expectation

    assert expectation_kwargs.read_arguments_once()
    built = []
    original = Expectation.configuration

    def counted(self):
        built.append(1)
        return original.fget(self)
    monkeypatch.setattr(Expectation, "configuration", property(counted))
    expectation = next(e for e in committed_expectations() if e.expectation_type == "expect_column_values_to_be_between")
    built.clear()
    expectation._get_runtime_kwargs({"result_format": "BOOLEAN_ONLY"})
    assert len(built) == 1
    built.clear()
    expectation._get_success_kwargs()
    assert len(built) == 1


def test_another_gx_version_keeps_gx_methods(monkeypatch):
    import great_expectations
    from great_expectations.expectations.expectation import Expectation

    monkeypatch.setattr(Expectation, "_muniplan_reads_arguments_once", False, raising=False)
    monkeypatch.setattr(great_expectations, "__version__", "0.0.0")
    before = Expectation.__dict__["_get_runtime_kwargs"]
    assert expectation_kwargs.read_arguments_once() is False
    assert Expectation.__dict__["_get_runtime_kwargs"] is before
