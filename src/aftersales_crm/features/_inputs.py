"""The inputs every feature entry point shares: the customer base and the threads."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from aftersales_crm._args import ARGUMENT_CODE, whole_number
from aftersales_crm.errors import InvalidValue
from aftersales_crm.records import Book
from aftersales_crm.tables import Tables

__all__ = ["as_tables", "mapped", "threads_of"]

T = TypeVar("T")
R = TypeVar("R")


def as_tables(data: object) -> Tables:
    """``data`` as Tables: Tables as they are, a Book converted.

    Raises:
        InvalidValue: ``data`` is neither.

    Examples:
        >>> as_tables([1, 2])
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: data is [1, 2] (list), expected Tables or a Book
    """
    if isinstance(data, Tables):
        return data
    if isinstance(data, Book):
        return Tables.from_book(data)
    msg = f"data is {data!r:.80} ({type(data).__name__}), expected Tables or a Book"
    raise InvalidValue(msg, code=ARGUMENT_CODE)


def threads_of(threads: object) -> int:
    """The number of threads to use: ``threads``, or one per CPU when None.

    Raises:
        InvalidValue: ``threads`` is not None nor a whole number >= 1.

    Examples:
        >>> threads_of(2), threads_of(None) >= 1
        (2, True)
    """
    if threads is None:
        return max(1, os.cpu_count() or 1)
    return whole_number(threads, parameter="threads", minimum=1)


def mapped(work: Callable[[T], R], items: Iterable[T], threads: int) -> list[R]:
    """``work`` on each item, in order, side by side on up to ``threads`` threads.

    For numpy work, which runs without the interpreter lock; one thread runs it on the
    calling thread. The first error in the order of the items is raised.

    Examples:
        >>> mapped(len, ["a", "bc"], 2), mapped(len, [], 1)
        ([1, 2], [])
    """
    if threads <= 1:
        return [work(item) for item in items]
    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(work, items))
