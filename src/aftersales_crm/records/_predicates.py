"""Per-order predicates, each written once over columns.

A repair order's record property (``RepairOrder.on_time``) calls these on one row; the
feature engine calls them on whole tables. Service kinds and pay types are given as the
int8 codes the tables store (the position in ``list(ServiceKind)`` / ``list(PayType)``,
``-1`` for none); instants as ``datetime64`` in UTC.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from aftersales_crm._args import instant_array, number_array
from aftersales_crm.errors import InvalidValue
from aftersales_crm.values import ROUTINE_SERVICE_KINDS, PayType, ServiceKind

__all__ = [
    "REPAIR_KINDS",
    "customer_pay",
    "first_maintenance",
    "on_time",
    "repair",
    "routine_service",
]


def _lookup(members: list[Any], chosen: Collection[Any]) -> NDArray[np.bool_]:
    """A table from code to whether the member is ``chosen``; the last slot is code -1."""
    return np.array([m in chosen for m in members] + [False], dtype=np.bool_)


REPAIR_KINDS: Final[frozenset[ServiceKind]] = frozenset(
    {
        ServiceKind.MINOR_REPAIR,
        ServiceKind.MAJOR_REPAIR,
        ServiceKind.WARRANTY_CLAIM,
        ServiceKind.INSURANCE_REPAIR,
        ServiceKind.BODY_PAINT,
    }
)
"""Service kinds that make an order a repair job, the unit of the first-time-fix rate.

The material's dealer course on customer relationships and CSI (untitled; cited as
《客户关系与CSI培训课程(原件无标题)》) names the first-time-fix rate as the mark of
high-quality repair service, "高质量的维修服务(一次修复率)", and says customers expect the
workshop "一次修好车辆" (to fix the vehicle in one go): the work fixes a fault. So a repair job is an order with a line
that repairs something, whoever pays: minor and major repair, warranty claims, insurance
repair and self-pay body and paint (the workshop kinds of
[`ROUTINE_SERVICE_KINDS`][aftersales_crm.values.ROUTINE_SERVICE_KINDS] but maintenance). The library's
choice: maintenance and the first maintenance are left out (scheduled work with no fault to
fix), and so are accessories, parts counter sales, roadside rescue, insurance renewal and
inspection agency (no workshop repair).

Examples:
    >>> sorted(kind.value for kind in REPAIR_KINDS)  # doctest: +NORMALIZE_WHITESPACE
    ['body_paint', 'insurance_repair', 'major_repair', 'minor_repair', 'warranty_claim']
"""

_ROUTINE: Final = _lookup(list(ServiceKind), ROUTINE_SERVICE_KINDS)
_REPAIR: Final = _lookup(list(ServiceKind), REPAIR_KINDS)
_FIRST_MAINTENANCE: Final = list(ServiceKind).index(ServiceKind.FIRST_MAINTENANCE)
_CUSTOMER_PAY: Final = list(PayType).index(PayType.CUSTOMER)
_NAT: Final = np.iinfo(np.int64).min  # NaT seen as int64


def _codes(values: ArrayLike, kind: type[ServiceKind | PayType]) -> NDArray[np.int64]:
    """Codes of an enum column checked: int64, each -1 (none) or a member's position."""
    codes = number_array(values, parameter=f"{kind.__name__} codes", dtype="int64")
    if len(codes) and (codes.min() < -1 or codes.max() >= len(kind)):
        msg = (
            f"{kind.__name__} codes run from {codes.min()} to {codes.max()}; each must be -1 "
            f"(none) or a position in {kind.__name__}, 0 to {len(kind) - 1}"
        )
        raise InvalidValue(msg, code="invalid_argument")
    return codes


def on_time(closed_at: ArrayLike, promised_at: ArrayLike) -> NDArray[np.bool_]:
    """Whether each vehicle was handed back by the promised time.

    False where either instant is missing (NaT): whether it was on time is unknown.

    Args:
        closed_at: ``datetime64`` hand-back instants.
        promised_at: ``datetime64`` promised instants, aligned with ``closed_at``.

    Returns:
        bool array of the shape of ``closed_at``.

    Examples:
        >>> closed = np.array(["2026-03-02T15:00", "2026-03-02T18:00", "NaT"], dtype="datetime64[us]")
        >>> promised = np.array(["2026-03-02T17:00"] * 3, dtype="datetime64[us]")
        >>> on_time(closed, promised).tolist()
        [True, False, False]
    """
    closed = instant_array(closed_at, parameter="closed_at").view(np.int64)
    promised = instant_array(promised_at, parameter="promised_at").view(np.int64)
    if closed.shape != promised.shape:
        msg = f"closed_at has {len(closed)} instants and promised_at {len(promised)}; align them"
        raise InvalidValue(msg, code="invalid_argument")
    # As integers (several times faster than datetime64 comparisons), NaT is the least.
    result: NDArray[np.bool_] = (closed <= promised) & (closed != _NAT) & (promised != _NAT)
    return result


def first_maintenance(kind: ArrayLike) -> NDArray[np.bool_]:
    """Whether each line is a first maintenance (首保), from ``ServiceKind`` codes.

    Examples:
        >>> codes = [list(ServiceKind).index(k) for k in ("first_maintenance", "maintenance")]
        >>> first_maintenance(codes).tolist()
        [True, False]
    """
    result: NDArray[np.bool_] = _codes(kind, ServiceKind) == _FIRST_MAINTENANCE
    return result


def routine_service(kind: ArrayLike) -> NDArray[np.bool_]:
    """Whether each line is routine service ([`ROUTINE_SERVICE_KINDS`][aftersales_crm.values.ROUTINE_SERVICE_KINDS]).

    The services a customer returns for on schedule, from ``ServiceKind`` codes; ``-1``
    (none) is not routine.

    Examples:
        >>> codes = [list(ServiceKind).index(k) for k in ("maintenance", "parts_sale")] + [-1]
        >>> routine_service(codes).tolist()
        [True, False, False]
    """
    found: NDArray[np.bool_] = _ROUTINE[_codes(kind, ServiceKind)]
    return found


def repair(kind: ArrayLike) -> NDArray[np.bool_]:
    """Whether each line is a repair ([`REPAIR_KINDS`][aftersales_crm.records.REPAIR_KINDS]), from ``ServiceKind`` codes.

    An order with such a line is a repair job of the first-time-fix rate; ``-1`` (none) is
    not a repair.

    Examples:
        >>> codes = [list(ServiceKind).index(k) for k in ("minor_repair", "maintenance")] + [-1]
        >>> repair(codes).tolist()
        [True, False, False]
    """
    found: NDArray[np.bool_] = _REPAIR[_codes(kind, ServiceKind)]
    return found


def customer_pay(pay: ArrayLike) -> NDArray[np.bool_]:
    """Whether each line is paid by the customer (客户付费), from ``PayType`` codes.

    Examples:
        >>> customer_pay([list(PayType).index(p) for p in ("customer", "warranty")]).tolist()
        [True, False]
    """
    result: NDArray[np.bool_] = _codes(pay, PayType) == _CUSTOMER_PAY
    return result
