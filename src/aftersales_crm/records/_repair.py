"""Repair orders (工单): the service events dynamic data is derived from, with their kind."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Self

import numpy as np
from numpy.typing import NDArray
from pydantic import Field, StringConstraints, field_validator, model_validator

from aftersales_crm.errors import RowProblem
from aftersales_crm.records import _schema as s
from aftersales_crm.records._base import Id, Name, NotPersonal, Record, stripped_name
from aftersales_crm.records._kinds import STRATEGIES, SYNTHETIC, Child, FactKind
from aftersales_crm.records._predicates import customer_pay, on_time
from aftersales_crm.records._schema import Column, TableSchema
from aftersales_crm.records._vehicle import Vehicle
from aftersales_crm.values import NONE_CODE, Mileage, Money, PayType, ServiceKind
from aftersales_crm.values.types import Amount, Instant, Vin

__all__ = ["REPAIR_ORDERS", "RepairLine", "RepairOrder"]

K = s.ColumnKind

Text = Annotated[str, StringConstraints(min_length=1, max_length=200)]

_PAYS = list(PayType)


def _utc(moment: dt.datetime) -> np.datetime64:
    """An aware instant as a UTC ``datetime64[us]``, as the tables store it."""
    return np.datetime64(moment.astimezone(dt.UTC).replace(tzinfo=None), "us")


class RepairLine(Record):
    """One line of a repair order: a kind of service, who pays, and what it cost.

    Attributes:
        kind: the service kind (first maintenance, maintenance, warranty claim, …).
        pay: who pays (customer, warranty, insurance, internal, goodwill, recall).
        labour: labour amount, not negative.
        parts: parts amount, not negative, in the same currency as labour.
        description: what was done.
        parts_replaced: the parts replaced (更换零部件), by part number or name, each
            stripped of surrounding white space and not empty; none by default.
            《汽车售后客户关系管理》 keeps them in the repair history: "维修时间、维修项目、
            更换零部件、维修费用". The ``parts`` amount is what they cost.

    Examples:
        >>> from aftersales_crm.values import Money
        >>> line = RepairLine(kind="maintenance", pay="customer",
        ...                   labour=Money.parse("180", "CNY"), parts=Money.parse("420.50", "CNY"))
        >>> line.total
        Money('600.50', 'CNY')
        >>> RepairLine(kind="maintenance", pay="customer", labour=Money.parse("180", "CNY"),
        ...            parts=Money.parse("60", "CNY"), parts_replaced=[" 机油滤清器 "]).parts_replaced
        ('机油滤清器',)
    """

    kind: ServiceKind
    pay: PayType
    labour: Amount
    parts: Amount
    description: Text | None = None
    parts_replaced: Annotated[tuple[Name, ...], NotPersonal("part numbers and names")] = ()

    @field_validator("labour", "parts")
    @classmethod
    def _not_negative(cls, value: Money) -> Money:
        if value.amount < 0:
            msg = f"amount {value.amount} {value.currency} is negative; amounts must be >= 0"
            raise ValueError(msg)
        return value

    @model_validator(mode="after")
    def _one_currency(self) -> Self:
        if self.labour.currency != self.parts.currency:
            msg = f"labour is in {self.labour.currency} but parts in {self.parts.currency}"
            raise ValueError(msg)
        return self

    @property
    def total(self) -> Money:
        """Labour plus parts.

        Examples:
            >>> from aftersales_crm.values import Money
            >>> RepairLine(kind="minor_repair", pay="warranty", labour=Money.parse("1", "CNY"),
            ...            parts=Money.parse("2", "CNY")).total
            Money('3', 'CNY')
        """
        return self.labour + self.parts


class RepairOrder(Record):
    """A repair order (工单): one visit of one vehicle to one dealer.

    Totals are derived from the lines, never stored. All lines share one currency.

    Attributes:
        id: the order number.
        dealer_id: the dealer that opened the order.
        vin: the vehicle serviced; None for an order that names no vehicle (a plain
            transaction log, a parts-counter sale): such an order counts in every
            customer feature and in no vehicle feature.
        customer_id: the customer who brought it (the owner, or a fleet's driver).
        advisor: the service advisor (服务顾问), a staff id.
        opened_at: when the order was opened, timezone-aware.
        closed_at: when the vehicle was handed back; not before ``opened_at``.
        promised_at: the delivery time promised; not before ``opened_at``.
        mileage: odometer reading at the visit; given exactly when ``vin`` is (an
            odometer belongs to a vehicle).
        by_appointment: whether the visit was booked ahead (预约).
        comeback_of: the id of an earlier order for the same fault: this order is a repeat
            repair (返修), the first-time-fix measure.
        lines: at least one line.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from aftersales_crm.values import Money
        >>> cny = lambda s: Money.parse(s, "CNY")
        >>> ro = RepairOrder(
        ...     id="RO1", dealer_id="D1", vin="LSVAU218XN2183294", customer_id="C1",
        ...     opened_at=datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc),
        ...     closed_at=datetime(2026, 3, 2, 15, 0, tzinfo=timezone.utc),
        ...     promised_at=datetime(2026, 3, 2, 17, 0, tzinfo=timezone.utc),
        ...     mileage=12_480,
        ...     lines=[RepairLine(kind="maintenance", pay="customer", labour=cny("180"), parts=cny("420.50")),
        ...            RepairLine(kind="warranty_claim", pay="warranty", labour=cny("300"), parts=cny("0"))],
        ... )
        >>> ro.total, ro.customer_pay_total, ro.on_time
        (Money('900.50', 'CNY'), Money('600.50', 'CNY'), True)
    """

    id: Id
    dealer_id: Id
    vin: Vin | None = None
    customer_id: Id
    advisor: Id | None = None
    opened_at: Instant
    closed_at: Instant | None = None
    promised_at: Instant | None = None
    mileage: Mileage | None = None
    by_appointment: bool = False
    comeback_of: Id | None = None
    lines: tuple[RepairLine, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _check_order(self) -> Self:
        opened = self.opened_at
        for name, moment in (("closed_at", self.closed_at), ("promised_at", self.promised_at)):
            if moment is not None and moment < opened:
                msg = f"{name} {moment.isoformat()} is before opened_at {opened.isoformat()}"
                raise ValueError(msg)
        lines = self.lines
        if len(lines) > 1:
            currency = lines[0].labour.currency
            for line in lines:
                if line.labour.currency != currency:
                    currencies = {line.labour.currency for line in lines}
                    msg = f"lines mix currencies {sorted(currencies)}; one order has one currency"
                    raise ValueError(msg)
        if self.vin is not None and self.mileage is None:
            msg = f"order {self.id} names vehicle {self.vin} but no mileage; give its odometer reading"
            raise ValueError(msg)
        if self.vin is None and self.mileage is not None:
            msg = f"order {self.id} has a mileage but no vehicle; an odometer belongs to a vehicle"
            raise ValueError(msg)
        if self.comeback_of is not None and self.comeback_of == self.id:
            msg = f"order {self.id} cannot be a comeback of itself"
            raise ValueError(msg)
        return self

    @property
    def currency(self) -> str:
        """The currency of every line."""
        return self.lines[0].labour.currency

    @property
    def labour(self) -> Money:
        """Labour over all lines."""
        return sum((line.labour for line in self.lines), Money.zero(self.currency))

    @property
    def parts(self) -> Money:
        """Parts over all lines."""
        return sum((line.parts for line in self.lines), Money.zero(self.currency))

    @property
    def total(self) -> Money:
        """Labour and parts over all lines."""
        return self.labour + self.parts

    @property
    def customer_pay_total(self) -> Money:
        """What the customer paid: the lines with pay type ``customer``."""
        pays = customer_pay([_PAYS.index(line.pay) for line in self.lines])
        return sum(
            (line.total for line, paid in zip(self.lines, pays.tolist(), strict=True) if paid),
            Money.zero(self.currency),
        )

    @property
    def kinds(self) -> frozenset[ServiceKind]:
        """The service kinds on the order."""
        return frozenset(line.kind for line in self.lines)

    @property
    def on_time(self) -> bool | None:
        """Whether the vehicle was handed back by the promised time; None when unknown.

        The rule is ``on_time``, applied to this one order.
        """
        if self.closed_at is None or self.promised_at is None:
            return None
        return bool(on_time([_utc(self.closed_at)], [_utc(self.promised_at)])[0])


def _orders_agree_with_their_vehicle_and_comeback(
    fresh: Sequence[RepairOrder], book: Mapping[str, Mapping[str, Record]]
) -> list[str]:
    """An order's mileage is not below its vehicle's first visit; a comeback follows its order."""
    problems: list[str] = []
    for order in fresh:
        vehicle = None if order.vin is None else book["vehicles"].get(order.vin)
        if (
            isinstance(vehicle, Vehicle)
            and vehicle.first_visit_mileage is not None
            and order.mileage is not None
            and order.mileage < vehicle.first_visit_mileage
        ):
            problems.append(
                f"repair order {order.key!r}: mileage {int(order.mileage)} km is below the "
                f"vehicle's first visit mileage {int(vehicle.first_visit_mileage)} km"
            )
        earlier = book["repair_orders"].get(order.comeback_of or "")
        if isinstance(earlier, RepairOrder) and earlier.opened_at > order.opened_at:
            problems.append(
                f"repair order {order.key!r}: comeback_of {earlier.id!r} was opened later, "
                f"at {earlier.opened_at.isoformat()}"
            )
    return problems


def _order_rows_agree(columns: Mapping[str, NDArray[Any]]) -> list[RowProblem]:
    """Closed and promised not before opened, a mileage exactly with a vehicle, and no comeback of itself, as [`RepairOrder`][aftersales_crm.records.RepairOrder] requires."""
    out = [
        *s.not_before(columns, "closed_at", "opened_at", "before_opened"),
        *s.not_before(columns, "promised_at", "opened_at", "before_opened"),
    ]
    vehicle, mileage = columns["vehicle"], columns["mileage"]
    out += s.problems(
        np.flatnonzero((vehicle != NONE_CODE) & (mileage == NONE_CODE)),
        "mileage",
        "missing_value",
        lambda r: "mileage is required for an order with a vehicle",
    )
    out += s.problems(
        np.flatnonzero((vehicle == NONE_CODE) & (mileage != NONE_CODE)),
        "vin",
        "mileage_without_vehicle",
        lambda r: "vin is missing but mileage is given; an odometer belongs to a vehicle",
    )
    itself = np.flatnonzero(columns["comeback"] == np.arange(len(columns["opened_at"])))
    return out + s.problems(
        itself,
        "comeback_of",
        "comeback_of_itself",
        lambda r: "an order cannot be a comeback of itself",
    )


REPAIR_ORDERS = FactKind(
    name="repair_orders",
    record=RepairOrder,
    noun="repair order",
    table=TableSchema(
        "orders",
        (
            Column("id", K.ID),
            s.ref("dealer", "dealer_id", "dealers"),
            s.ref("vehicle", "vin", "vehicles", nullable=True),
            s.ref("customer", "customer_id", "customers"),
            s.id_text("advisor"),
            Column("opened_at", K.INSTANT),
            Column("closed_at", K.INSTANT, nullable=True),
            Column("promised_at", K.INSTANT, nullable=True),
            s.mileage("mileage"),
            Column("by_appointment", K.BOOL),
            s.ref("comeback", "comeback_of", "orders", nullable=True),
        ),
        RepairOrder,
        checks=(_order_rows_agree,),
    ),
    children=(
        Child(
            field="lines",
            table=TableSchema(
                "lines",
                (
                    s.ref("order", "order_id", "orders"),
                    Column("kind", K.CATEGORY, enum=ServiceKind),
                    Column("pay", K.CATEGORY, enum=PayType),
                    Column("labour_fen", K.MONEY, field="labour"),
                    Column("parts_fen", K.MONEY, field="parts"),
                    s.text("description", max_length=s.SHORT_TEXT),
                    Column("parts_replaced", K.TEXTS, check=stripped_name, max_length=s.SHORT_TEXT),
                ),
                RepairLine,
            ),
            parent="order",
            required=True,
        ),
    ),
    checks=(_orders_agree_with_their_vehicle_and_comeback,),
    strategy=f"{STRATEGIES}:repair_order_part",
    synthetic=f"{SYNTHETIC}._draws:draw_orders",
)
"""Repair orders: the ``orders`` table and the ``lines`` table of their lines."""
