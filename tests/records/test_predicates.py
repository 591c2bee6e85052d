"""Per-order predicates: one rule for a record and for a whole table."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings

from aftersales_crm.records import (
    Book,
    RepairOrder,
    customer_pay,
    first_maintenance,
    on_time,
    routine_service,
)
from aftersales_crm.tables import Tables
from aftersales_crm.testing import strategies as st_crm
from aftersales_crm.values import ROUTINE_SERVICE_KINDS, PayType, ServiceKind

KINDS = list(ServiceKind)
PAYS = list(PayType)


def test_the_kind_predicates_read_the_service_kinds() -> None:
    codes = np.arange(len(KINDS))
    assert routine_service(codes).tolist() == [k in ROUTINE_SERVICE_KINDS for k in KINDS]
    assert routine_service(codes).tolist() == [k.is_routine for k in KINDS]
    assert first_maintenance(codes).tolist() == [k is ServiceKind.FIRST_MAINTENANCE for k in KINDS]
    assert not routine_service([-1])[0]  # no kind
    assert not first_maintenance([-1])[0]


def test_customer_pay_reads_the_pay_types() -> None:
    codes = np.arange(len(PAYS))
    assert customer_pay(codes).tolist() == [p is PayType.CUSTOMER for p in PAYS]
    assert not customer_pay([-1])[0]


def test_on_time_is_false_where_either_instant_is_missing() -> None:
    closed = np.array(
        ["2026-03-02T15:00", "NaT", "2026-03-02T15:00", "NaT"], dtype="datetime64[us]"
    )
    promised = np.array(
        ["2026-03-02T15:00", "2026-03-02T17:00", "NaT", "NaT"], dtype="datetime64[us]"
    )
    assert on_time(closed, promised).tolist() == [True, False, False, False]


@settings(max_examples=30)
@given(st_crm.books(max_customers=4))
def test_the_record_and_the_table_agree_on_every_order(book: Book) -> None:
    orders = Tables.from_book(book).orders
    table = on_time(orders["closed_at"], orders["promised_at"])
    known = ~np.isnat(orders["closed_at"]) & ~np.isnat(orders["promised_at"])
    for i, order_id in enumerate(orders["id"].tolist()):
        record = book.repair_orders[order_id]
        assert isinstance(record, RepairOrder)
        assert record.on_time == (bool(table[i]) if known[i] else None)


@settings(max_examples=30)
@given(st_crm.repair_orders())
def test_customer_pay_total_counts_the_lines_the_predicate_marks(order: RepairOrder) -> None:
    marked = customer_pay([PAYS.index(line.pay) for line in order.lines]).tolist()
    fen = sum(
        int(line.total.amount * 100) for line, paid in zip(order.lines, marked, strict=True) if paid
    )
    assert int(order.customer_pay_total.amount * 100) == fen
