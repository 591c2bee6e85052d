"""Vehicles and who owned them when, with their kinds."""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Annotated, Any, ClassVar, Self

import numpy as np
from numpy.typing import NDArray
from pydantic import StringConstraints, model_validator

from aftersales_crm.errors import RowProblem
from aftersales_crm.records import _schema as s
from aftersales_crm.records._base import Id, Name, NotPersonal, Record, stripped_name
from aftersales_crm.records._kinds import STRATEGIES, SYNTHETIC, FactKind
from aftersales_crm.records._schema import Column, TableSchema
from aftersales_crm.values import BodyType, FuelType, Mileage, plate, vin
from aftersales_crm.values.types import Date, Plate, Vin

__all__ = ["OWNERSHIPS", "VEHICLES", "Ownership", "Vehicle"]

K = s.ColumnKind

Text = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class Vehicle(Record):
    """A vehicle (车辆), identified by its VIN.

    Attributes:
        vin: vehicle identification number (ISO 3779; check digit enforced for North
            American and Chinese VINs).
        plate: Chinese licence plate (车牌号).
        brand: the vehicle brand (车辆品牌), free text such as ``"上汽大众"``; white space
            around it is stripped and something must remain. 《汽车售后客户关系管理》 lists
            it first among the vehicle facts: "车辆品牌、型号、颜色、购买日期".
        model: the model name.
        body_type: sedan, SUV, MPV, sports car, …
        colour: body colour.
        fuel: fuel type; ``fuel.is_new_energy`` tells new-energy vehicles.
        purchase_date: first purchase date (首次购车日期).
        sold_here: whether this dealer network sold it; a vehicle bought elsewhere gets its
            full record at its first visit.
        selling_dealer_id: the dealer that sold it, when known.
        first_visit_date: first visit to the workshop (首次来厂日期); not before the purchase.
        first_visit_mileage: odometer at the first visit (首次来厂里程).

    Examples:
        >>> car = Vehicle(vin="LSVAU218XN2183294", plate="京A12345", brand=" 上汽大众 ",
        ...               model="Lavida", purchase_date="2022-05-20")
        >>> car.key, car.brand, car.fuel.value
        ('LSVAU218XN2183294', '上汽大众', 'petrol')
    """

    key_field: ClassVar[str] = "vin"

    vin: Vin
    plate: Plate | None = None
    brand: Annotated[Name | None, NotPersonal("a vehicle brand")] = None
    model: Annotated[Text, NotPersonal("a vehicle model")]
    body_type: BodyType | None = None
    colour: Annotated[Text | None, NotPersonal("a body colour")] = None
    fuel: FuelType = FuelType.PETROL
    purchase_date: Date | None = None
    sold_here: bool = True
    selling_dealer_id: Id | None = None
    first_visit_date: Date | None = None
    first_visit_mileage: Mileage | None = None

    @model_validator(mode="after")
    def _check_dates(self) -> Self:
        if (
            self.purchase_date is not None
            and self.first_visit_date is not None
            and self.first_visit_date < self.purchase_date
        ):
            msg = (
                f"first_visit_date {self.first_visit_date.isoformat()} is before "
                f"purchase_date {self.purchase_date.isoformat()}"
            )
            raise ValueError(msg)
        return self


def _first_visit_after_purchase(columns: Mapping[str, NDArray[Any]]) -> list[RowProblem]:
    """The first visit is not before the purchase, as [`Vehicle`][aftersales_crm.records.Vehicle] requires."""
    return s.not_before(columns, "first_visit_date", "purchase_date", "before_purchase")


VEHICLES = FactKind(
    name="vehicles",
    record=Vehicle,
    noun="vehicle",
    table=TableSchema(
        "vehicles",
        (
            Column("vin", K.ID, check=vin.validate, check_array=vin.is_valid_array),
            Column("plate", K.TEXT, nullable=True, check=plate.validate),
            Column("brand", K.LABEL, nullable=True, check=stripped_name, max_length=s.SHORT_TEXT),
            Column("model", K.LABEL, max_length=s.SHORT_TEXT),
            Column("body_type", K.CATEGORY, nullable=True, enum=BodyType),
            s.text("colour", max_length=s.SHORT_TEXT),
            Column("fuel", K.CATEGORY, enum=FuelType),
            Column("purchase_date", K.DATE, nullable=True),
            Column("sold_here", K.BOOL),
            s.ref("selling_dealer", "selling_dealer_id", "dealers", nullable=True),
            Column("first_visit_date", K.DATE, nullable=True),
            s.mileage("first_visit_mileage"),
        ),
        Vehicle,
        checks=(_first_visit_after_purchase,),
    ),
    strategy=f"{STRATEGIES}:vehicle_part",
    synthetic=f"{SYNTHETIC}._draws:draw_vehicles",
)
"""Vehicles: the ``vehicles`` table, keyed by VIN."""


class Ownership(Record):
    """A customer owned a vehicle from a date, until a date or still.

    The period is half-open: the owner of ``vin`` on day *d* is ``customer_id`` when
    ``start <= d`` and (``end is None`` or ``d < end``). A vehicle changes hands; a customer
    has several vehicles.

    Attributes:
        id: the ownership's id.
        customer_id: the owner.
        vin: the vehicle.
        start: first day of ownership.
        end: first day the customer no longer owned it; None while current.

    Examples:
        >>> from datetime import date
        >>> o = Ownership(id="O1", customer_id="C1", vin="LSVAU218XN2183294", start="2022-05-20")
        >>> o.covers(date(2026, 1, 1)), o.covers(date(2021, 1, 1))
        (True, False)
    """

    id: Id
    customer_id: Id
    vin: Vin
    start: Date
    end: Date | None = None

    @model_validator(mode="after")
    def _check_period(self) -> Self:
        if self.end is not None and self.end <= self.start:
            msg = f"ownership ends {self.end.isoformat()}, not after it starts {self.start.isoformat()}"
            raise ValueError(msg)
        return self

    def covers(self, day: date) -> bool:
        """Tell whether the customer owned the vehicle on a day.

        Args:
            day: the day asked about.

        Returns:
            True when ``start <= day`` and the ownership had not ended by then.

        Examples:
            >>> from datetime import date
            >>> o = Ownership(id="O1", customer_id="C1", vin="LSVAU218XN2183294",
            ...               start="2022-05-20", end="2024-01-01")
            >>> o.covers(date(2024, 1, 1))
            False
        """
        return self.start <= day and (self.end is None or day < self.end)


def _periods_do_not_overlap(
    fresh: Sequence[Ownership], book: Mapping[str, Mapping[str, Record]]
) -> list[str]:
    """No vehicle has two owners on one day: each new period against every period of its VIN."""
    touched = {o.vin for o in fresh}
    by_vin: dict[str, list[Ownership]] = defaultdict(list)
    for ownership in book["ownerships"].values():
        if isinstance(ownership, Ownership) and ownership.vin in touched:
            by_vin[ownership.vin].append(ownership)
    problems: list[str] = []
    for number in sorted(by_vin):
        periods = sorted(by_vin[number], key=lambda o: (o.start, o.id))
        for before, after in itertools.pairwise(periods):
            if before.end is None or before.end > after.start:
                problems.append(
                    f"ownership {after.key!r}: vehicle {number!r} is still owned under "
                    f"{before.key!r} on {after.start.isoformat()}"
                )
    return problems


def _ends_after_start(columns: Mapping[str, NDArray[Any]]) -> list[RowProblem]:
    """An ownership ends after it starts, as [`Ownership`][aftersales_crm.records.Ownership] requires."""
    start, end = columns["start"], columns["end"]
    return s.problems(
        np.flatnonzero(end <= start),
        "end",
        "ends_before_start",
        lambda r: f"ownership ends {end[r]}, not after it starts {start[r]}",
    )


OWNERSHIPS = FactKind(
    name="ownerships",
    record=Ownership,
    noun="ownership",
    table=TableSchema(
        "ownerships",
        (
            Column("id", K.ID),
            s.ref("customer", "customer_id", "customers"),
            s.ref("vehicle", "vin", "vehicles"),
            Column("start", K.DATE),
            Column("end", K.DATE, nullable=True),
        ),
        Ownership,
        checks=(_ends_after_start,),
    ),
    checks=(_periods_do_not_overlap,),
    strategy=f"{STRATEGIES}:ownership_part",
    synthetic=f"{SYNTHETIC}._draws:draw_vehicles",
)
"""Ownerships: the ``ownerships`` table; a vehicle's periods do not overlap."""
