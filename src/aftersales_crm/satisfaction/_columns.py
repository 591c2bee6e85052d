"""Checked, read-only numpy columns for the satisfaction results (one rule, one home)."""

from __future__ import annotations

from typing import Any, Final, Literal

import numpy as np
from numpy.typing import NDArray

from aftersales_crm._args import number_array
from aftersales_crm.errors import AftersalesError, InvalidType, InvalidValue

__all__ = ["Kind", "frozen", "read_only", "text_tuple"]

Kind = Literal["f", "i", "o", "M", "b"]
"""float64, int64, object (ids, keys), datetime64[us] (UTC instants), bool."""

_EXPECTED: Final = {
    "f": "numbers",
    "i": "whole numbers",
    "o": "ids or texts",
    "M": "instants (datetime64)",
    "b": "booleans",
}


def read_only(array: NDArray[Any]) -> NDArray[Any]:
    """A read-only view of ``array``.

    Examples:
        >>> read_only(np.zeros(2)).flags.writeable
        False
    """
    out = array.view()
    out.flags.writeable = False
    return out


def _convert(value: Any, kind: Kind, what: str) -> NDArray[Any]:
    if kind in "fi":
        return number_array(value, parameter=what, dtype="float64" if kind == "f" else "int64")
    if isinstance(value, str | bytes | dict | set) or value is None:
        raise InvalidType(what)
    if kind == "o":
        return np.asarray(value, dtype=object)
    if kind == "b":
        array = np.asarray(value)
        if array.dtype.kind != "b":
            raise InvalidType(what)
        return array
    array = np.asarray(value)
    if array.dtype.kind != "M":
        raise InvalidType(what)
    return array.astype("datetime64[us]")


def frozen(owner: str, name: str, value: Any, kind: Kind, ndim: int = 1) -> NDArray[Any]:
    """``value`` as a read-only array of ``kind`` with ``ndim`` dimensions, or the library's error.

    Raises:
        InvalidType: ``value`` is not such an array; the message names ``owner`` and ``name``.

    Examples:
        >>> frozen("Scores", "values", [1, 2], "f").tolist()
        [1.0, 2.0]
        >>> frozen("Scores", "values", None, "f")
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidType: Scores: values is None, expected an array of numbers with 1 dimension
    """
    try:
        array = _convert(value, kind, f"{owner}: {name}")
    except (AftersalesError, TypeError, ValueError, OverflowError):
        array = None
    if array is None or array.ndim != ndim:
        # The message is written only when needed: the repr of a large array is not free.
        expected = f"{owner}: {name} is {value!r:.60}, expected an array of {_EXPECTED[kind]} with {ndim} dimension{'s' * (ndim > 1)}"
        raise InvalidType(expected)
    return read_only(array)


def text_tuple(owner: str, name: str, value: Any) -> tuple[str, ...]:
    """``value`` as a tuple of texts, or the library's error.

    Examples:
        >>> text_tuple("Responses", "items", ["sq01"])
        ('sq01',)
    """
    if isinstance(value, str | bytes | dict) or not isinstance(value, tuple | list):
        msg = f"{owner}: {name} is {value!r:.60}, expected a tuple of texts"
        raise InvalidType(msg)
    if not all(isinstance(v, str) for v in value):
        msg = f"{owner}: {name} holds {value!r:.60}, expected texts only"
        raise InvalidValue(msg, code="invalid_argument")
    return tuple(value)
