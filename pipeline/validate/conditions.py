"""Row conditions turned into derived columns, computed once in pandas, so that GX evaluates plain expectations.

In:  a combined suite's JSON (``suites.TableSuite.config``) and the table's frame.
Out: the suite with each ``row_condition`` it can replace removed, and the frame with, per
     (column, condition), a derived column ``<column> | <condition>``: the column's values on the
     rows the condition selects and empty elsewhere (GX's column-map expectations skip empty
     cells, so the check is the same as on the selected rows). ``expect_column_values_to_not_be_null``
     fills the other rows with a marker instead and scales ``mostly`` to the selected rows, so its
     threshold is unchanged. Each rewritten expectation's ``meta`` keeps what it was
     (``condition``, ``columns`` derived -> original, ``rows`` selected) for the failure messages.

Why: GX filters the frame with ``DataFrame.query`` for every conditioned expectation (the
validate stage's largest cost); here each distinct condition is evaluated once. A condition this
module does not understand, or an expectation type it does not know to be row-wise, keeps its
``row_condition`` and GX evaluates it as before.
"""
from __future__ import annotations

import json
from typing import Any, Mapping

import pandas as pd

SEPARATOR = " | "
OUTSIDE = "(row not selected)"   # what a not-null check sees on the rows its condition leaves out

# Column-map expectations: every row is judged on its own and empty cells are skipped.
ROW_WISE = frozenset({
    "expect_column_values_to_be_in_set", "expect_column_values_to_not_be_in_set",
    "expect_column_values_to_be_between", "expect_column_values_to_match_regex",
    "expect_column_values_to_not_match_regex", "expect_column_values_to_be_in_type_list",
    "expect_column_values_to_be_of_type", "expect_column_values_to_be_null",
    "expect_column_values_to_not_be_null",
    "expect_column_pair_values_to_be_equal", "expect_column_pair_values_a_to_be_greater_than_b",
    "expect_compound_columns_to_be_unique",
})
# Rows where every column is empty are ignored by these only when ``ignore_row_if`` says so.
_IGNORES_EMPTY = {"both_values_are_missing", "all_values_are_missing", "any_value_is_missing",
                  "either_value_is_missing"}
# Expectations about the table's columns, not its rows: a row condition changes nothing.
ROWLESS = frozenset({"expect_column_to_exist", "expect_table_columns_to_match_set",
                     "expect_table_columns_to_match_ordered_list"})


class UnknownCondition(ValueError):
    """A row condition this module cannot evaluate (left to GX)."""


def mask(condition: Any, frame: pd.DataFrame) -> pd.Series:
    """The rows ``condition`` (GX's condition JSON) selects, as a boolean Series.

    >>> f = pd.DataFrame({"status": ["ok", "missing", None], "v": [1, None, 3]})
    >>> mask({"type": "comparison", "column": {"name": "status"}, "operator": "IN", "parameter": ["ok"]}, f).tolist()
    [True, False, False]
    >>> mask({"type": "comparison", "column": {"name": "status"}, "operator": "NOT_IN", "parameter": ["ok"]}, f).tolist()
    [False, True, True]
    >>> mask({"type": "and", "conditions": [{"type": "nullity", "column": {"name": "v"}, "is_null": False},
    ...       {"type": "comparison", "column": {"name": "status"}, "operator": "!=", "parameter": "ok"}]}, f).tolist()
    [False, False, True]
    """
    if not isinstance(condition, Mapping):
        raise UnknownCondition(f"not a condition object: {condition!r}")
    kind = condition.get("type")
    if kind in ("and", "or"):
        parts = [mask(c, frame) for c in condition.get("conditions") or []]
        if not parts:
            raise UnknownCondition("an empty and/or")
        combined = parts[0]
        for part in parts[1:]:
            combined = (combined & part) if kind == "and" else (combined | part)
        return combined
    name = (condition.get("column") or {}).get("name")
    if name not in frame.columns:
        raise UnknownCondition(f"column {name!r} missing")
    column = frame[name]
    present = column.notna()
    if kind == "nullity":
        return ~present if condition.get("is_null") else present
    if kind != "comparison":
        raise UnknownCondition(f"condition type {kind!r}")
    operator, parameter = str(condition.get("operator")).upper(), condition.get("parameter")
    if operator in ("IN", "NOT_IN"):
        inside = column.isin(list(parameter or [])) & present
        return ~inside if operator == "NOT_IN" else inside
    compare = {"==": "eq", "!=": "ne", "<": "lt", "<=": "le", ">": "gt", ">=": "ge"}.get(operator)
    if compare is None:
        raise UnknownCondition(f"operator {operator!r}")
    if compare == "ne":
        return ~(column.eq(parameter) & present)
    return getattr(column, compare)(parameter).fillna(False).astype(bool) & present


def _columns(kwargs: Mapping[str, Any]) -> list[str]:
    return [kwargs[k] for k in ("column", "column_A", "column_B") if kwargs.get(k)] + list(kwargs.get("column_list") or [])


def convertible(expectation: Mapping[str, Any]) -> bool:
    """Whether ``expectation``'s row condition can become derived columns.

    >>> convertible({"type": "expect_column_values_to_be_in_set", "kwargs": {"row_condition": {}}})
    True
    >>> convertible({"type": "expect_column_pair_values_to_be_equal", "kwargs": {"ignore_row_if": "neither"}})
    False
    >>> convertible({"type": "expect_column_max_to_be_between", "kwargs": {}})
    False
    """
    kind = expectation.get("type")
    if kind not in ROW_WISE:
        return False
    ignore = (expectation.get("kwargs") or {}).get("ignore_row_if")
    return ignore is None or ignore in _IGNORES_EMPTY


def unconditioned(config: dict, frame: pd.DataFrame, describe) -> tuple[dict, pd.DataFrame]:
    """``config`` and ``frame`` with the row conditions replaced (see the module docstring).
    ``describe(condition)`` names a condition in the derived columns' names. ``config`` is left as
    it is (each rewritten expectation is a new one, the others are shared); the frame is a new one
    when a column was derived."""
    masks: dict[str, pd.Series] = {}
    derived: dict[str, pd.Series] = {}
    expectations = list(config["expectations"])
    for position, expectation in enumerate(expectations):
        kwargs = expectation.get("kwargs") or {}
        condition = kwargs.get("row_condition")
        if condition is None:
            continue
        if expectation.get("type") in ROWLESS:
            _, kwargs = _rewritable(expectations, position)
            kwargs.pop("row_condition")
            kwargs.pop("condition_parser", None)
            continue
        columns = _columns(kwargs)
        if not convertible(expectation) or not columns or any(c not in frame.columns for c in columns):
            continue
        key = json.dumps(condition, sort_keys=True, ensure_ascii=False)
        if key not in masks:
            try:
                masks[key] = mask(condition, frame)
            except UnknownCondition:
                masks[key] = None
        selected = masks[key]
        if selected is None:
            continue
        expectation, kwargs = _rewritable(expectations, position)
        not_null = expectation["type"] == "expect_column_values_to_not_be_null"
        names = {}
        for column in columns:
            name = f"{column}{SEPARATOR}{'not empty where ' if not_null else ''}{describe(condition)}"
            if name not in derived:
                values = frame[column]
                derived[name] = (values.astype(object).where(selected, OUTSIDE) if not_null
                                 else values.where(selected))
            names[column] = name
        for field in ("column", "column_A", "column_B"):
            if kwargs.get(field) in names:
                kwargs[field] = names[kwargs[field]]
        if kwargs.get("column_list"):
            kwargs["column_list"] = [names[c] for c in kwargs["column_list"]]
        rows = int(selected.sum())
        if not_null and kwargs.get("mostly") is not None and len(frame):
            # unexpected <= (1 - mostly) * rows, said over all the frame's rows
            kwargs["mostly"] = 1 - (1 - float(kwargs["mostly"])) * rows / len(frame)
        kwargs.pop("row_condition")
        kwargs.pop("condition_parser", None)
        expectation["meta"] = {**(expectation.get("meta") or {}), "condition": condition, "rows": rows,
                               "columns": {new: old for old, new in names.items()}}
    config = {**config, "expectations": expectations}
    if not derived:
        return config, frame
    return config, pd.concat([frame, pd.DataFrame(derived, index=frame.index)], axis=1)


def _rewritable(expectations: list[dict], position: int) -> tuple[dict, dict]:
    """The expectation at ``position`` replaced by a copy whose ``kwargs`` may be changed (the
    values are replaced, never changed in place): the copy and its kwargs."""
    expectation = {**expectations[position], "kwargs": dict(expectations[position].get("kwargs") or {})}
    expectations[position] = expectation
    return expectation, expectation["kwargs"]
