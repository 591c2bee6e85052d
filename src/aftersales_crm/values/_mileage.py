"""Odometer readings in whole kilometres.

A repair order records the mileage on the odometer (行驶里程) when the vehicle came in;
master data records the mileage at the first visit (首次来厂里程), and the mileage band is a
dynamic attribute of every vehicle (《信息回访员基础培训分析报告》 lists "首次来厂日期/首次来厂里程"
among the fixed data and "行使里程分类/完成该里程的时间间隔" among the changing data). Odometers show whole kilometres, so a
[`Mileage`][aftersales_crm.values.Mileage] is a non-negative ``int``: never a float, never negative.

Examples:
    >>> from aftersales_crm.values._mileage import Mileage
    >>> Mileage(32_000) - Mileage(15_000)
    Mileage(km=17000)
    >>> Mileage(15_000) < Mileage(32_000)
    True
"""

from __future__ import annotations

import operator
from numbers import Integral
from typing import TYPE_CHECKING, Any, Final

import attrs
from pydantic_core import core_schema

from aftersales_crm.errors import InvalidValue
from aftersales_crm.values._bounds import MAX_KILOMETRES
from aftersales_crm.values._schema import value_object_schema

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler
    from pydantic_core import CoreSchema

__all__ = ["Mileage"]


def _kilometres(value: int) -> int:
    """Check an odometer reading for [`Mileage`][aftersales_crm.values.Mileage] and return it as a plain int."""
    # Typed int for callers; checked as any object, since callers may pass anything.
    candidate: object = value
    if isinstance(candidate, bool) or not isinstance(candidate, Integral):
        raise InvalidValue(
            f"mileage must be a whole number of kilometres (int), got {type(value).__name__} "
            f"{value!r}",
            code="mileage_type",
        )
    km = operator.index(candidate)
    if km < 0:
        raise InvalidValue(f"mileage is {km} km, must be >= 0", code="mileage_negative")
    if km > MAX_KILOMETRES:
        shown = f"{km:,}" if km.bit_length() <= _SHOWN_BITS else f"about 2**{km.bit_length()}"
        raise InvalidValue(
            f"mileage is {shown} km, more than the {MAX_KILOMETRES:,} km an odometer reading "
            "may be (aftersales_crm.values.MAX_KILOMETRES)",
            code="mileage_range",
        )
    return km


_SHOWN_BITS: Final = 128
"""Readings up to this many bits are written out whole in error messages."""


@attrs.frozen(order=True)
class Mileage:
    """An odometer reading, or a distance driven, in whole kilometres.

    Readings compare and sort by distance. The difference of two readings is the distance
    driven between them, and adding a distance to a reading gives a later reading; a
    difference that would be negative raises rather than wrapping round. ``0`` is the
    additive identity, so ``sum()`` of distances works.

    Attributes:
        km: whole kilometres, from 0 to [`MAX_KILOMETRES`][aftersales_crm.values.MAX_KILOMETRES]
            (a billion). Any integral number (``int``, ``numpy.int64``) is accepted and
            stored as ``int``; ``bool`` and ``float`` are not, not even ``15000.0``.

    Raises:
        InvalidValue: with code ``"mileage_type"`` when ``km`` is not an integer,
            ``"mileage_negative"`` when it is negative, and ``"mileage_range"`` when it
            is above [`MAX_KILOMETRES`][aftersales_crm.values.MAX_KILOMETRES].

    Examples:
        >>> Mileage(15_000), int(Mileage(15_000))
        (Mileage(km=15000), 15000)
        >>> sum([Mileage(1_200), Mileage(800)])
        Mileage(km=2000)
        >>> Mileage(15_000.0)
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: mileage must be a whole number ..., got float 15000.0

        In a pydantic model a mileage reads and writes a plain integer:

        >>> from pydantic import BaseModel
        >>> class Visit(BaseModel):
        ...     mileage: Mileage
        >>> visit = Visit.model_validate_json('{"mileage": 15000}')
        >>> visit.mileage, visit.model_dump_json()
        (Mileage(km=15000), '{"mileage":15000}')

    References:
        《信息回访员基础培训分析报告》: "首次来厂里程" (mileage at the first visit) and
        "行使里程分类" (mileage band); whole kilometres because odometers show them.
    """

    km: int = attrs.field(converter=_kilometres)

    def __int__(self) -> int:
        return self.km

    def __add__(self, other: Mileage | int) -> Mileage:
        if isinstance(other, Mileage):
            return Mileage(self.km + other.km)
        if _is_zero(other):
            return self
        return NotImplemented

    def __radd__(self, other: int) -> Mileage:
        return self + other

    def __sub__(self, other: Mileage) -> Mileage:
        if not isinstance(other, Mileage):
            return NotImplemented
        if other.km > self.km:
            raise InvalidValue(
                f"mileage {self.km} km - {other.km} km would be negative: the later reading "
                "must come first",
                code="mileage_negative",
            )
        return Mileage(self.km - other.km)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        """Read and write a mileage as a plain non-negative integer in pydantic models."""
        return value_object_schema(
            cls,
            parse=_from_checked,
            dump=int,
            json_schema=core_schema.int_schema(ge=0, le=MAX_KILOMETRES, strict=True),
            fast=_fast,
        )


_set_km: Final = Mileage.__dict__["km"].__set__
"""The slot's own setter: skips the frozen class's __setattr__, as object.__setattr__ does."""


def _from_checked(km: int) -> Mileage:
    """A mileage from an int the core schema has already checked (strict int, >= 0)."""
    mileage = object.__new__(Mileage)
    _set_km(mileage, km)
    return mileage


def _fast(value: object) -> Mileage | None:
    """The hot path of validating records: a plain non-negative int; None for the rest."""
    if type(value) is int and 0 <= value <= MAX_KILOMETRES:
        return _from_checked(value)
    return None


def _is_zero(value: object) -> bool:
    """Whether ``value`` is the integer 0, the additive identity (``False`` is not)."""
    return isinstance(value, int) and not isinstance(value, bool) and value == 0
