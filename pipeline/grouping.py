"""Grouping rows by a key (the rows of each document, the problems of each file).

In:  any items and a function giving each item's key. Out: ``group_by``: key -> the items with that
key, groups in the order their first item comes, items in input order (one pass, whatever the
number of groups).
"""
from __future__ import annotations

from typing import Callable, Hashable, Iterable, TypeVar

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)


def group_by(items: Iterable[T], key: Callable[[T], K]) -> dict[K, list[T]]:
    """The items of each key, in input order.

    >>> rows = [{"document": "b", "x": "1"}, {"document": "a"}, {"document": "b", "x": "2"}]
    >>> group_by(rows, lambda row: row["document"])
    {'b': [{'document': 'b', 'x': '1'}, {'document': 'b', 'x': '2'}], 'a': [{'document': 'a'}]}
    >>> group_by(["a.pdf", "b.csv", "c.pdf"], lambda name: name.rsplit(".", 1)[-1])
    {'pdf': ['a.pdf', 'c.pdf'], 'csv': ['b.csv']}
    >>> group_by([], len)
    {}
    """
    groups: dict[K, list[T]] = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    return groups
