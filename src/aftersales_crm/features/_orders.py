"""Per-order facts: each counted order's lines summed, its kinds, pay types and flags.

The one kernel that packs an order's facts into bits. Each line sets the bit of its
service kind and of its pay type; the order's flags (delivered with a promise, on time,
comeback, by appointment) sit beside them, so counting orders by kind, pay type and flag
for a group of orders is one [`count_bits`][aftersales_crm.features.Segments.count_bits] pass.
The layout never leaves this module: callers ask ``order_counts``,
``first_maintenance_orders``, ``routine_orders``, ``service_orders`` and
``repair_job_orders`` by meaning. The rules themselves (on time, first maintenance,
routine service, repair, customer pay) are the predicates of [`aftersales_crm.records`][aftersales_crm.records].
"""

from __future__ import annotations

from datetime import tzinfo
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from aftersales_crm.features._calendar import NAT, ZoneOffsets
from aftersales_crm.features._kernels import BLOCK_ROWS, Segments, run_blocks
from aftersales_crm.records import (
    customer_pay,
    first_maintenance,
    on_time,
    repair,
    routine_service,
)
from aftersales_crm.tables import Tables
from aftersales_crm.values import PayType, ServiceKind

__all__ = [
    "KINDS",
    "PAYS",
    "first_maintenance_orders",
    "line_counts",
    "order_counts",
    "order_days",
    "order_facts",
    "repair_job_orders",
    "routine_orders",
    "service_orders",
]

KINDS: Final = tuple(ServiceKind)
PAYS: Final = tuple(PayType)
_PAY_SHIFT: Final = len(KINDS)
_KIND_CODES: Final = np.arange(len(KINDS))
_FIRST_MAINTENANCE_BITS: Final = sum(
    1 << int(k) for k in np.flatnonzero(first_maintenance(_KIND_CODES))
)
_ROUTINE_BITS: Final = sum(1 << int(k) for k in np.flatnonzero(routine_service(_KIND_CODES)))
_SERVICE_BITS: Final = _ROUTINE_BITS | _FIRST_MAINTENANCE_BITS
_REPAIR_BITS: Final = sum(1 << int(k) for k in np.flatnonzero(repair(_KIND_CODES)))
# Flags of an order kept beside its service kinds and pay types, counted in one pass.
_PROMISED_BIT: Final = _PAY_SHIFT + len(PAYS)
_ON_TIME_BIT: Final = _PROMISED_BIT + 1
_COMEBACK_BIT: Final = _PROMISED_BIT + 2
_APPOINTMENT_BIT: Final = _PROMISED_BIT + 3
# Whether an order is on a new day among its customer's orders, added by order_counts.
_NEW_DAY_BIT: Final = _PROMISED_BIT + 4
_N_BITS: Final = _NEW_DAY_BIT + 1
_LINE_BITS: Final = np.array(
    [(1 << k) | (1 << (_PAY_SHIFT + p)) for k in range(len(KINDS)) for p in range(len(PAYS))],
    dtype=np.int32,
)  # the bits of a line, by kind * len(PayType) + pay
_LINE_COUNT_SHIFT: Final = 32  # lines and customer-pay lines of an order share one int64


def order_days(tables: Tables, time_zone: str | tzinfo) -> tuple[ZoneOffsets, NDArray[np.int64]]:
    """The offsets of ``time_zone`` over the orders' instants, and each order's business day."""
    o = tables.orders
    opened = o["opened_at"].view(np.int64)
    if not len(opened):
        return ZoneOffsets.between(time_zone, 0, 0), opened.copy()
    high = max(int(opened.max()), int(o["closed_at"].view(np.int64).max()))  # NaT is smallest
    zone = ZoneOffsets.between(time_zone, int(opened.min()), high)
    return zone, zone.days(opened, nullable=False)


def order_facts(
    tables: Tables,
    day: NDArray[np.int64],
    counted: NDArray[np.bool_],
    zone: ZoneOffsets,
    as_of_day: int,
    threads: int,
    *,
    parts: bool = True,
    row: bool = True,
) -> dict[str, NDArray[Any]]:
    """Per counted order: its lines summed, its service and pay bits, flags, business date.

    ``day`` is each order's business day (from ``order_days``), ``counted`` the orders
    opened up to ``as_of``. Closing instants after the opening are validated by the tables,
    so the offsets of ``order_days`` cover them. Keys: ``day`` (business day number),
    ``amount`` and ``customer_pay`` (minor units),
    ``lines`` (packed line counts, read with ``line_counts``), ``bits`` (read with
    ``order_counts`` and friends), and the order's ``customer``, ``vehicle``,
    ``dealer``, ``mileage``, ``comeback`` (the row of the order it comes back to, -1 for
    none), ``row`` (its own row in ``tables.orders``; only when ``row`` is true, as the
    quality columns alone read it), ``parts`` (parts replaced on its lines; only when
    ``parts`` is true: a Python pass over every line's list of parts, the slowest fact,
    read by the ``parts_replaced`` columns alone) and ``time`` (opening, µs).
    """
    o, ln = tables.orders, tables.lines
    order_of_line = ln["order"]
    line = {k: ln[k] for k in ("labour_fen", "parts_fen", "pay", "kind")}
    if len(order_of_line) > 1 and (order_of_line[1:] < order_of_line[:-1]).any():
        by_order = np.argsort(order_of_line, kind="stable")
        line = {k: v[by_order] for k, v in line.items()}
    by_line = Segments.of(order_of_line, len(o))

    def block(first: int, stop: int) -> dict[str, NDArray[Any]]:
        segments = by_line.part(first, stop)
        lo = int(by_line.starts[first]) if first < len(o) else 0
        part = {k: v[lo : lo + int(segments.counts.sum())] for k, v in line.items()}
        amount = part["labour_fen"] + part["parts_fen"]
        paid = customer_pay(part["pay"])
        bits = _LINE_BITS[part["kind"] * np.int8(len(PAYS)) + part["pay"]]
        order_bits = np.zeros(stop - first, dtype=np.int32)
        if len(segments.filled_groups):
            order_bits[segments.filled_groups] = np.bitwise_or.reduceat(
                bits, segments.filled_starts
            )
        closed_at = o["closed_at"][first:stop]
        promised_at = o["promised_at"][first:stop]
        closed = zone.days(closed_at.view(np.int64))
        delivered = (closed <= as_of_day) & (closed != NAT) & (promised_at.view(np.int64) != NAT)
        flags = (
            (delivered.astype(np.int32) << _PROMISED_BIT)
            | ((delivered & on_time(closed_at, promised_at)).astype(np.int32) << _ON_TIME_BIT)
            | ((o["comeback"][first:stop] >= 0).astype(np.int32) << _COMEBACK_BIT)
            | (o["by_appointment"][first:stop].astype(np.int32) << _APPOINTMENT_BIT)
        )
        return {
            "amount": segments.sum(amount),
            "customer_pay": segments.sum(np.where(paid, amount, 0)),
            "lines": (segments.counts << _LINE_COUNT_SHIFT) | segments.count(paid),
            "bits": order_bits | flags,
        }

    # Blocks of BLOCK_ROWS orders (what Segments.blocks gives groups of one row each).
    firsts = range(0, len(o), BLOCK_ROWS)
    blocks = [(lo, min(lo + BLOCK_ROWS, len(o))) for lo in firsts] or [(0, 0)]
    facts = run_blocks(block, blocks, threads)
    if parts:
        facts["parts"] = _parts_per_order(tables)
    facts |= {k: o[k] for k in ("customer", "vehicle", "dealer", "mileage", "comeback")}
    if row:
        facts["row"] = np.arange(len(o))
    facts["time"] = o["opened_at"].view(np.int64)
    facts["day"] = day
    if not counted.all():
        facts = {k: v[counted] for k, v in facts.items()}
    return facts


def _parts_per_order(tables: Tables) -> NDArray[np.int64]:
    """Per order, how many parts its lines replaced (the lengths of ``parts_replaced``)."""
    ln = tables.lines
    replaced = ln["parts_replaced"].tolist()
    lengths = np.fromiter(map(len, replaced), dtype=np.int64, count=len(replaced))
    # Weights as float64 are exact: a count of parts is far below 2**53.
    return np.bincount(ln["order"], weights=lengths, minlength=len(tables.orders)).astype(np.int64)


def order_counts(
    seg: Segments, bits: NDArray[np.int32], new_day: NDArray[np.bool_]
) -> dict[str, NDArray[np.int64]]:
    """Per group of orders: orders by kind, pay type and flag, in one pass.

    ``new_day`` marks an order on a business date the group has not had before. Keys:
    ``visit_days``, ``visits_<kind>``, ``visits_<pay>_pay``, ``promised`` (delivered with
    a promise), ``on_time``, ``comebacks`` and ``appointments``.
    """
    counts = seg.count_bits(bits | (new_day.astype(np.int32) << _NEW_DAY_BIT), _N_BITS)
    out = {f"visits_{kind.value}": counts[:, j] for j, kind in enumerate(KINDS)}
    out |= {f"visits_{pay.value}_pay": counts[:, _PAY_SHIFT + j] for j, pay in enumerate(PAYS)}
    named = {
        "visit_days": _NEW_DAY_BIT,
        "promised": _PROMISED_BIT,
        "on_time": _ON_TIME_BIT,
        "comebacks": _COMEBACK_BIT,
        "appointments": _APPOINTMENT_BIT,
    }
    return out | {name: counts[:, bit] for name, bit in named.items()}


def first_maintenance_orders(bits: NDArray[np.int32]) -> NDArray[np.bool_]:
    """Orders with a first-maintenance line."""
    found: NDArray[np.bool_] = (bits & _FIRST_MAINTENANCE_BITS) != 0
    return found


def routine_orders(bits: NDArray[np.int32]) -> NDArray[np.bool_]:
    """Orders with a routine-service line."""
    found: NDArray[np.bool_] = (bits & _ROUTINE_BITS) != 0
    return found


def service_orders(bits: NDArray[np.int32]) -> NDArray[np.bool_]:
    """Workshop service: orders with a routine-service or a first-maintenance line.

    The visits that reset the service interval: the first maintenance is itself a
    maintenance visit, so it counts beside ``ROUTINE_SERVICE_KINDS``; parts-counter sales,
    accessories, insurance renewal, inspection agency and rescue do not.
    """
    found: NDArray[np.bool_] = (bits & _SERVICE_BITS) != 0
    return found


def repair_job_orders(bits: NDArray[np.int32]) -> NDArray[np.bool_]:
    """Orders with a repair line ([`REPAIR_KINDS`][aftersales_crm.records.REPAIR_KINDS])."""
    found: NDArray[np.bool_] = (bits & _REPAIR_BITS) != 0
    return found


def promise_outcomes(bits: NDArray[np.int32]) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """Orders delivered by ``as_of`` with a promised time, and those of them on time."""
    promised: NDArray[np.bool_] = (bits & (1 << _PROMISED_BIT)) != 0
    kept: NDArray[np.bool_] = (bits & (1 << _ON_TIME_BIT)) != 0
    return promised, kept


def line_counts(
    seg: Segments, packed: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Per group: lines, and customer-pay lines, of its orders' packed ``lines``."""
    both = seg.sum(packed)
    return both >> _LINE_COUNT_SHIFT, both & ((1 << _LINE_COUNT_SHIFT) - 1)
