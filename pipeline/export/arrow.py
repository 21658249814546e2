"""Columns of Python values -> Arrow arrays, built from their buffers.

In: an Arrow type (string, int32, bool or decimal128) and the column's Python values (``str``,
``int``, ``bool``, ``Decimal`` quantized to the type's scale, or None for null). Out: the Arrow
array, the same as ``pyarrow.array(values, type)`` gives.

Why not ``pyarrow.array``: before converting a Python list it asks pandas whether the list is a
pandas object, which imports pandas — about as long as the whole rest of the tidy stage, in a stage
that uses no pandas. Building the buffers (validity bitmap, offsets, data) is as fast and needs
only the standard library.
"""
from __future__ import annotations

from array import array
from decimal import Decimal
from itertools import accumulate


def bitmap(flags: list[bool]) -> bytes:
    """Arrow's bit-packed booleans: bit i of the little-endian bytes is ``flags[i]``.

    >>> bitmap([True, False, True]), bitmap([False] * 8 + [True]), bitmap([])
    (b'\\x05', b'\\x00\\x01', b'')
    """
    if not flags:
        return b""
    bits = "".join("1" if flag else "0" for flag in reversed(flags))
    return int(bits, 2).to_bytes((len(flags) + 7) // 8, "little")


def validity(values: list) -> bytes | None:
    """The validity bitmap of a column (None when it has no null, as Arrow writes it then)."""
    if all(v is not None for v in values):
        return None
    return bitmap([v is not None for v in values])


def unscaled(value: Decimal, scale: int) -> int:
    """A decimal's digits as the integer decimal128 stores (``value`` has at most ``scale`` places).

    >>> unscaled(Decimal("-12.5"), 4), unscaled(Decimal("5918000000"), 0)
    (-125000, 5918000000)
    """
    return int(value.scaleb(scale))


def column_array(kind, values: list):
    """``values`` as an Arrow array of type ``kind`` (string, int32, bool or decimal128)."""
    import pyarrow as pa

    py_buffer = pa.py_buffer
    mask = validity(values)
    buffers: list
    if pa.types.is_string(kind):
        data = [b"" if v is None else v.encode("utf-8") for v in values]
        offsets = array("i", accumulate(map(len, data), initial=0))
        buffers = [offsets.tobytes(), b"".join(data)]
    elif pa.types.is_int32(kind):
        buffers = [array("i", [0 if v is None else v for v in values]).tobytes()]
    elif pa.types.is_boolean(kind):
        buffers = [bitmap([bool(v) for v in values])]
    elif pa.types.is_decimal(kind) and kind.bit_width == 128:
        buffers = [b"".join((0 if v is None else unscaled(v, kind.scale)).to_bytes(16, "little", signed=True)
                            for v in values)]
    else:
        raise TypeError(f"no buffer layout for Arrow type {kind}")
    result = pa.Array.from_buffers(kind, len(values), [None if mask is None else py_buffer(mask)]
                                   + [py_buffer(b) for b in buffers])
    result.validate(full=True)
    return result
