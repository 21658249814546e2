"""CSV-shaped rows (dicts of strings) -> a typed Parquet file.

In: rows as the CSV writers get them and their ``Table`` (``pipeline.export.schema``). Out: the
Parquet bytes, written atomically: integers as int32, numbers as exact decimal128 (scale = the
most decimals in the column), booleans as bool, empty cells as null, strings as they are.
The columns become Arrow arrays through ``pipeline.export.arrow`` (no pandas import).
"""
from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

from ..io import write_bytes
from .arrow import column_array
from .schema import Column, Table

MAX_SCALE = 18


def scale_of(values: list[Decimal]) -> int:
    """The most decimal places among ``values`` (for decimal128's scale).

    >>> scale_of([Decimal("1.5"), Decimal("236654000000"), Decimal("0.9542")])
    4
    >>> scale_of([])
    0
    """
    return min(MAX_SCALE, max([max(0, -v.as_tuple().exponent) for v in values if v.is_finite()] + [0]))


def typed(column: Column | None, cells: list[str]):
    """A column of CSV strings -> (pyarrow type, Python values)."""
    import pyarrow as pa

    kind = column.type if column else "string"
    if kind == "integer":
        return pa.int32(), [int(c) if c else None for c in cells]
    if kind == "boolean":
        return pa.bool_(), [None if not c else c == "true" for c in cells]
    if kind == "number":
        values = [Decimal(c) if c else None for c in cells]
        scale = scale_of([v for v in values if v is not None])
        digits = max([len(v.quantize(Decimal(1).scaleb(-scale)).as_tuple().digits) for v in values if v is not None]
                     + [1])
        return pa.decimal128(max(digits, scale + 1, 10), scale), [
            None if v is None else v.quantize(Decimal(1).scaleb(-scale)) for v in values]
    if column and column.key_part:
        return pa.string(), list(cells)
    return pa.string(), [c if c else None for c in cells]


def parquet_bytes(rows: list[dict[str, str]], table: Table) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrays, fields = [], []
    for name in table.columns:
        kind, values = typed(table.fields.get(name), [row.get(name, "") or "" for row in rows])
        arrays.append(column_array(kind, values))
        fields.append(pa.field(name, kind))
    buffer = io.BytesIO()
    pq.write_table(pa.Table.from_arrays(arrays, schema=pa.schema(fields)), buffer)
    return buffer.getvalue()


def write_parquet(path: Path, rows: list[dict[str, str]], table: Table) -> None:
    write_bytes(path, parquet_bytes(rows, table))
