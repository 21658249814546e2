"""Row conditions as derived columns (``pipeline.validate.conditions``) judge exactly as GX's own row
conditions: every conditioned expectation of the committed suites is evaluated both ways by real
Great Expectations, on the correct dataset (from the answer keys) and on copies with planted errors
inside and outside the conditions' rows, and must give the same success and unexpected count."""
from __future__ import annotations

import json

import pandas as pd
import pytest
from great_expectations.core.run_identifier import RunIdentifier

from test_validate import EXPECTATIONS, LAYOUTS, LEGEND, valid_dataset, write
from pipeline.validate import conditions
from pipeline.validate.run import _run, as_legend, build_frames, condition_text, make_context
from pipeline.validate.suites import combine, load_suites


def conditioned_suites(frames):
    present = {table: set(frame["layout"].dropna()) for table, frame in frames.items() if "layout" in frame}
    for suite in combine(load_suites(EXPECTATIONS), present):
        kept = [e for e in suite.config["expectations"]
                if (e.get("kwargs") or {}).get("row_condition") and e["type"] not in conditions.ROWLESS]
        if kept:
            yield suite, {**suite.config, "expectations": kept}


def planted(frame: pd.DataFrame, step: int) -> pd.DataFrame:
    """Every ``step``-th row emptied, the next one given out-of-range numbers (rows of every
    status, layout and percent kind are hit, inside and outside each condition)."""
    frame = frame.copy()
    rows = frame.index[::step]
    for column in ("reading", "unit", "fiscal_year", "value", "recomputed_grade", "target"):
        if column in frame:
            frame.loc[rows, column] = None
    after = frame.index[1::step]
    if "value" in frame:
        frame["value"] = frame["value"].astype(object)
        frame.loc[after, "value"] = 5000.0
    return frame


@pytest.fixture(scope="module")
def frames(tmp_path_factory):
    folder = write(valid_dataset(), tmp_path_factory.mktemp("conditions") / "extracted")
    built, problems, letters = build_frames(folder, as_legend(LEGEND), layouts=LAYOUTS)
    assert not problems
    return built, {"grade_letters": letters}


@pytest.mark.parametrize("step", [0, 5, 3])
def test_derived_columns_judge_like_row_conditions(frames, step):
    frames, parameters = frames
    context = make_context(None)
    run_id = RunIdentifier(run_name="test")
    compared = failed = 0
    for suite, config in conditioned_suites(frames):
        frame = frames[suite.table] if step == 0 else planted(frames[suite.table], step)
        plain, derived_frame = conditions.unconditioned(json.loads(json.dumps(config)), frame, condition_text)
        assert all("row_condition" not in e["kwargs"] for e in plain["expectations"])
        fmt = {"result_format": "SUMMARY"}
        name = f"{suite.table}-{step}"
        expected, _ = _run(context, f"{name}-gx", {**config, "name": f"{name}-gx"}, suite, frame, parameters, fmt, run_id)
        got, _ = _run(context, f"{name}-derived", {**plain, "name": f"{name}-derived"}, suite, derived_frame, parameters, fmt, run_id)
        by_position = {r.expectation_config.meta["position"]: r for r in got.results}
        assert len(by_position) == len(expected.results)
        for want in expected.results:
            have = by_position[want.expectation_config.meta["position"]]
            label = want.expectation_config.description
            assert have.success == want.success, label
            assert have.result.get("unexpected_count") == want.result.get("unexpected_count"), label
            compared += 1
            failed += not want.success
    assert compared >= 10
    assert (failed > 0) == (step > 0)   # the planted errors are caught (and nothing on correct data)


def test_the_suite_given_is_left_as_it_is(frames):
    """``unconditioned`` returns a new configuration (the validate stage hands it the combined suite
    itself, without copying it first): the suite it was given, ROWLESS expectations included, keeps
    every row condition, and validating twice rewrites alike."""
    frames, _ = frames
    present = {table: set(frame["layout"].dropna()) for table, frame in frames.items() if "layout" in frame}
    rewritten = 0
    for suite in combine(load_suites(EXPECTATIONS), present):
        before = json.loads(json.dumps(suite.config))
        first, _ = conditions.unconditioned(suite.config, frames[suite.table], condition_text)
        assert suite.config == before
        second, _ = conditions.unconditioned(suite.config, frames[suite.table], condition_text)
        assert first == second
        rewritten += sum(a != b for a, b in zip(first["expectations"], before["expectations"]))
    assert rewritten >= 5
