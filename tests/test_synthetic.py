"""synthetic draws seeded, valid, time-consistent dealer data, as columns and as a Book.

The columns are checked against the scalar rules of ``values`` (the vectorised check-digit
code must agree with ``vin.validate`` and ``national_id.validate``), against ``as_of``
(nothing happens after it) and against the domain's rhythm (DOMAIN.md §1–§3: a first
maintenance soon after purchase, odometers that only go up, comebacks after the order they
repeat, owners who drift away). Shares are computed from the data and checked against wide,
documented ranges; no count is copied from a run.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

import numpy as np
import pytest
from numpy.typing import NDArray

from aftersales_crm import synthetic
from aftersales_crm.records import Book, RepairOrder
from aftersales_crm.values import FuelType, Gender, ServiceKind, national_id, phone, plate, vin

TABLES = ("dealers", "customers", "vehicles", "ownerships", "orders", "lines")
AS_OF = synthetic.DEFAULT_AS_OF


def table(cols: synthetic.SyntheticColumns, name: str) -> Mapping[str, NDArray[Any]]:
    columns: Mapping[str, NDArray[Any]] = getattr(cols, name)
    return columns


def end_of(day: date) -> np.datetime64:
    """The first second after ``day``, UTC, as the instant columns compare against."""
    return np.datetime64(day + timedelta(days=1), "s")


def orders_by_vin(book: Book) -> dict[str, list[RepairOrder]]:
    grouped: dict[str, list[RepairOrder]] = defaultdict(list)
    for order in book.repair_orders.values():
        grouped[order.vin].append(order)
    return {
        number: sorted(orders, key=lambda o: (o.opened_at, o.id))
        for number, orders in grouped.items()
    }


@pytest.fixture(scope="module")
def cols() -> synthetic.SyntheticColumns:
    return synthetic.columns(n_customers=5000, seed=1)


@pytest.fixture(scope="module")
def book() -> Book:
    return synthetic.book(n_customers=400, seed=0)


@pytest.fixture(scope="module")
def book_300() -> Book:
    return synthetic.book(n_customers=300, seed=0)


# ------------------------------------------------------------------ seeds


@pytest.mark.parametrize("seed", [0, 7, 2026])
def test_the_same_seed_gives_an_equal_book(seed: int) -> None:
    first = synthetic.book(n_customers=40, seed=seed)
    again = synthetic.book(n_customers=40, seed=seed)
    assert first == again
    assert [r.key for r in first.records()] == [r.key for r in again.records()]


@pytest.mark.parametrize("seed", [0, 7, 2026])
def test_the_same_seed_gives_identical_columns_in_every_table(seed: int) -> None:
    first = synthetic.columns(n_customers=40, seed=seed)
    again = synthetic.columns(n_customers=40, seed=seed)
    assert (first.currency, first.as_of) == (again.currency, again.as_of)
    for name in TABLES:
        a, b = table(first, name), table(again, name)
        assert list(a) == list(b), name
        for column in a:
            assert a[column].dtype == b[column].dtype, (name, column)
            # NaT and NaN are missing values here; strings have no NaN to compare.
            equal_nan = a[column].dtype.kind in "fmM"
            assert np.array_equal(a[column], b[column], equal_nan=equal_nan), (name, column)


def test_a_different_seed_gives_different_data() -> None:
    assert synthetic.book(n_customers=40, seed=0) != synthetic.book(n_customers=40, seed=1)
    zero = synthetic.columns(n_customers=40, seed=0)
    one = synthetic.columns(n_customers=40, seed=1)
    for name, column in [("customers", "mobile"), ("customers", "name"), ("vehicles", "vin")]:
        assert not np.array_equal(table(zero, name)[column], table(one, name)[column]), column


def test_the_book_holds_the_rows_of_the_columns_with_the_same_arguments(book: Book) -> None:
    cols = synthetic.columns(n_customers=400, seed=0)
    assert list(book.customers) == cols.customers["id"].tolist()
    assert list(book.vehicles) == cols.vehicles["vin"].tolist()
    assert list(book.ownerships) == cols.ownerships["id"].tolist()
    assert list(book.repair_orders) == cols.orders["id"].tolist()
    assert sum(len(o.lines) for o in book.repair_orders.values()) == len(cols.lines["order"])


# ------------------------------------------------------------------ identifiers


def test_every_vin_passes_the_scalar_iso_3779_check_and_vins_are_unique(
    cols: synthetic.SyntheticColumns,
) -> None:
    vins: list[str] = cols.vehicles["vin"].tolist()
    assert vins
    assert [vin.validate(v, strict=True) for v in vins] == vins
    assert len(set(vins)) == len(vins)


def test_every_national_id_passes_gb_11643_and_agrees_with_birthday_and_gender(
    cols: synthetic.SyntheticColumns,
) -> None:
    c = cols.customers
    fleet = c["kind"] == 1
    assert (c["national_id"][fleet] == "").all()
    assert np.isnat(c["birthday"][fleet]).all()
    genders = list(Gender)
    individuals = np.flatnonzero(~fleet)
    assert len(individuals) > 0
    for i in individuals:
        number = str(c["national_id"][i])
        assert national_id.validate(number, as_of=cols.as_of) == number
        assert national_id.birth_date(number) == c["birthday"][i].item()
        assert Gender(national_id.gender(number)) is genders[int(c["gender"][i])]


def test_a_sample_of_mobiles_are_valid_e164_numbers(cols: synthetic.SyntheticColumns) -> None:
    mobiles = cols.customers["mobile"]
    sample = np.random.default_rng(0).choice(len(mobiles), 500, replace=False)
    for number in mobiles[sample].tolist():
        assert phone.validate(number) == number


def test_a_sample_of_plates_are_valid_and_new_energy_vehicles_carry_green_plates(
    cols: synthetic.SyntheticColumns,
) -> None:
    v = cols.vehicles
    fuels = list(FuelType)
    sample = np.random.default_rng(0).choice(len(v["plate"]), 500, replace=False)
    for i in sample:
        number = str(v["plate"][i])
        assert plate.validate(number) == number
        new_energy = fuels[int(v["fuel"][i])].is_new_energy
        assert (plate.kind(number) == "new_energy") is new_energy, number


# ------------------------------------------------------------------ as_of


@pytest.mark.parametrize(
    "as_of",
    [
        AS_OF,  # the default
        date(2024, 2, 29),  # a leap day, earlier than the default
    ],
)
def test_no_order_is_opened_after_the_end_of_as_of(as_of: date) -> None:
    cols = synthetic.columns(n_customers=2000, seed=3, as_of=as_of)
    assert cols.as_of == as_of
    assert len(cols.orders["opened_at"]) > 0
    assert (cols.orders["opened_at"] < end_of(as_of)).all()
    assert (cols.vehicles["purchase_date"] <= np.datetime64(as_of)).all()
    assert (cols.ownerships["start"] <= np.datetime64(as_of)).all()


def test_no_contact_complaint_update_referral_or_activity_in_the_book_is_after_as_of(
    book: Book,
) -> None:
    instants = [
        *(c.at for c in book.contacts.values()),
        *(c.at for c in book.complaints.values()),
        *(u.at for u in book.complaint_updates.values()),
    ]
    days = [
        *(r.on for r in book.referrals.values()),
        *(r.delivered_on for r in book.referrals.values() if r.delivered_on is not None),
        *(a.on for a in book.activities.values()),
    ]
    assert instants
    assert days
    assert max(at.date() for at in instants) <= AS_OF
    assert max(days) <= AS_OF


def test_no_consent_change_in_the_book_is_after_as_of(book: Book) -> None:
    late = [change.id for change in book.consents.values() if change.at.date() > AS_OF]
    assert book.consents
    assert late == []


def test_no_order_is_handed_back_after_as_of(
    cols: synthetic.SyntheticColumns,
) -> None:
    late = cols.orders["id"][cols.orders["closed_at"] >= end_of(cols.as_of)]
    assert late.tolist() == []


# ------------------------------------------------------------------ the domain's rhythm


def test_each_vehicles_first_order_is_its_first_maintenance_7_to_180_days_after_purchase(
    book: Book,
) -> None:
    by_vin = orders_by_vin(book)
    assert by_vin
    for number, orders in by_vin.items():
        first = orders[0]
        purchase = book.vehicles[number].purchase_date
        assert purchase is not None
        assert first.comeback_of is None, first.id
        assert ServiceKind.FIRST_MAINTENANCE in first.kinds, first.id
        assert 7 <= (first.opened_at.date() - purchase).days <= 180, first.id
        later = [o.id for o in orders[1:] if ServiceKind.FIRST_MAINTENANCE in o.kinds]
        assert later == [], number


def test_the_vehicle_record_remembers_its_first_visit(book: Book) -> None:
    by_vin = orders_by_vin(book)
    for number, vehicle in book.vehicles.items():
        orders = by_vin.get(number)
        if orders is None:
            assert (vehicle.first_visit_date, vehicle.first_visit_mileage) == (None, None)
        else:
            assert vehicle.first_visit_date == orders[0].opened_at.date()
            assert vehicle.first_visit_mileage == orders[0].mileage


def test_the_odometer_never_goes_back_within_a_vehicle(book: Book) -> None:
    for number, orders in orders_by_vin(book).items():
        readings = [int(o.mileage) for o in orders]
        assert readings == sorted(readings), number


def test_a_comeback_repeats_an_earlier_order_of_the_same_vehicle(book: Book) -> None:
    comebacks = [o for o in book.repair_orders.values() if o.comeback_of is not None]
    assert comebacks
    for order in comebacks:
        assert order.comeback_of is not None
        earlier = book.repair_orders[order.comeback_of]
        assert earlier.vin == order.vin, order.id
        assert earlier.opened_at < order.opened_at, order.id
    # The model makes 4 % of repeat visits come back (synthetic._COMEBACK_SHARE).
    share = len(comebacks) / len(book.repair_orders)
    assert 0.005 <= share <= 0.10, share


def test_a_share_of_long_time_customers_drift_away(book: Book) -> None:
    """Customers who bought over 3 years ago and made no visit in the last 2 years.

    Owners drift after an exponential time with mean 4.5 years, which makes about half of
    them quiet by now; the range is wide on purpose.
    """
    bought_long_ago = AS_OF - timedelta(days=3 * 365)
    recent = AS_OF - timedelta(days=2 * 365)
    first_purchase: dict[str, date] = {}
    for ownership in book.ownerships.values():
        known = first_purchase.get(ownership.customer_id, ownership.start)
        first_purchase[ownership.customer_id] = min(known, ownership.start)
    long_time = [cid for cid, day in first_purchase.items() if day < bought_long_ago]
    drifted = [
        cid for cid in long_time if all(o.opened_at.date() < recent for o in book.orders_of(cid))
    ]
    assert len(long_time) >= 100
    share = len(drifted) / len(long_time)
    assert 0.05 <= share <= 0.60, share


# ------------------------------------------------------------------ ownership


def test_every_order_belongs_to_the_owner_of_the_vehicle_on_its_day(book_300: Book) -> None:
    handover: dict[str, date] = {}  # the day a resold vehicle changed hands
    for ownership in book_300.ownerships.values():
        if ownership.end is not None:
            handover[ownership.vin] = ownership.end
    after_handover = 0
    for order in book_300.repair_orders.values():
        day = order.opened_at.date()
        owner = book_300.owner_of(order.vin, on=day)
        assert owner is not None, order.id
        assert owner.id == order.customer_id, order.id
        after_handover += order.vin in handover and day >= handover[order.vin]
    # Not vacuous: some resold vehicles came back under their new owner.
    assert after_handover > 0


def test_a_sole_customer_never_sells_a_vehicle_to_themself() -> None:
    cols = synthetic.columns(n_customers=1, seed=34)
    assert len(cols.ownerships["id"]) == len(cols.vehicles["vin"])


@pytest.mark.parametrize(
    ("n_customers", "seed"),
    [
        pytest.param(300, 0, id="a base of 300"),
    ],
)
def test_a_resold_vehicle_changes_hands(n_customers: int, seed: int) -> None:
    o = synthetic.columns(n_customers=n_customers, seed=seed).ownerships
    periods: dict[int, list[tuple[np.datetime64, np.datetime64, int]]] = defaultdict(list)
    for vehicle, start, end, customer in zip(
        o["vehicle"].tolist(), o["start"], o["end"], o["customer"].tolist(), strict=True
    ):
        periods[vehicle].append((start, end, customer))
    resold = {vehicle: sorted(p) for vehicle, p in periods.items() if len(p) > 1}
    assert resold
    for vehicle, history in resold.items():
        for (_, end, seller), (start, _, buyer) in itertools.pairwise(history):
            assert end == start, vehicle
            assert buyer != seller, vehicle


# ------------------------------------------------------------------ columns


@pytest.mark.parametrize("n_customers", [0, 1, 300])
def test_columns_are_read_only_tables_of_equal_length(n_customers: int) -> None:
    cols = synthetic.columns(n_customers=n_customers, seed=0)
    for name in TABLES:
        columns = table(cols, name)
        assert len({len(array) for array in columns.values()}) == 1, name
        for column, array in columns.items():
            assert not array.flags.writeable, (name, column)
            with pytest.raises(ValueError, match="read-only"):
                array[:1] = array[:1]
        with pytest.raises(TypeError):
            columns["extra"] = np.zeros(0)  # type: ignore[index]


def test_rows_refer_to_rows_that_exist(cols: synthetic.SyntheticColumns) -> None:
    sizes = {name: len(next(iter(table(cols, name).values()))) for name in TABLES}
    references = [
        ("customers", "dealer", "dealers"),
        ("vehicles", "dealer", "dealers"),
        ("vehicles", "owner", "customers"),
        ("ownerships", "customer", "customers"),
        ("ownerships", "vehicle", "vehicles"),
        ("orders", "vehicle", "vehicles"),
        ("orders", "customer", "customers"),
        ("orders", "dealer", "dealers"),
        ("lines", "order", "orders"),
    ]
    for name, column, target in references:
        rows = table(cols, name)[column]
        assert ((rows >= 0) & (rows < sizes[target])).all(), (name, column)
    # Every order has at least one line, and lines come in order.
    assert np.array_equal(np.unique(cols.lines["order"]), np.arange(sizes["orders"]))
    assert (np.diff(cols.lines["order"]) >= 0).all()
    for name, column in [("customers", "id"), ("ownerships", "id"), ("orders", "id")]:
        ids = table(cols, name)[column]
        assert len(np.unique(ids)) == len(ids), name


def test_money_columns_are_int64_fen_and_never_negative(cols: synthetic.SyntheticColumns) -> None:
    assert cols.currency == "CNY"
    for column in ("labour_fen", "parts_fen"):
        amounts = cols.lines[column]
        assert amounts.dtype == np.int64, column
        assert (amounts >= 0).all(), column


def test_columns_of_no_customers_are_empty_tables_and_the_book_holds_only_dealers() -> None:
    cols = synthetic.columns(0)
    assert cols.n_customers == 0
    assert len(cols.dealers["id"]) >= 1
    for name in TABLES[1:]:
        assert all(len(array) == 0 for array in table(cols, name).values()), name
    book = synthetic.book(0)
    assert book.dealers
    assert (len(book.customers), len(book.vehicles), len(book.repair_orders)) == (0, 0, 0)


def test_a_negative_number_of_customers_is_rejected() -> None:
    with pytest.raises(ValueError, match="n_customers is -1"):
        synthetic.columns(n_customers=-1)


@pytest.mark.parametrize(
    "n_dealers",
    [
        0,  # a network with no workshop
        -3,  # nonsense
    ],
)
def test_a_network_without_dealers_is_rejected(n_dealers: int) -> None:
    with pytest.raises(ValueError, match=f"n_dealers is {n_dealers}"):
        synthetic.columns(n_customers=10, n_dealers=n_dealers)


def test_dealer_ids_and_names_are_unique_for_any_number_of_dealers() -> None:
    cols = synthetic.columns(n_customers=0, n_dealers=10_001)
    assert len(np.unique(cols.dealers["id"])) == 10_001
    assert len(np.unique(cols.dealers["name"])) == 10_001


def test_a_hundred_thousand_customers_draw_three_to_twenty_lines_each() -> None:
    cols = synthetic.columns(n_customers=100_000, seed=0)
    assert cols.n_customers == 100_000
    lines_per_customer = len(cols.lines["order"]) / cols.n_customers
    assert 3 <= lines_per_customer <= 20, lines_per_customer
    assert len(np.unique(cols.vehicles["vin"])) == len(cols.vehicles["vin"])
    assert len(np.unique(cols.orders["id"])) == len(cols.orders["id"])
    assert (cols.orders["opened_at"] < end_of(cols.as_of)).all()


# ------------------------------------------------------------------ book customers


def test_book_customers_have_consent_facts_and_fleets_have_no_national_id(
    book: Book,
) -> None:
    customers = list(book.customers.values())
    fleets = [c for c in customers if c.kind.value == "fleet"]
    individuals = [c for c in customers if c.kind.value == "individual"]
    assert len(fleets) > 0
    assert len(individuals) > len(fleets)
    consenting = {change.customer_id for change in book.consents.values()}
    assert consenting == set(book.customers)  # every customer stated their consent
    assert all(c.national_id is None and c.birthday is None for c in fleets)
    for customer in individuals:
        assert customer.national_id is not None, customer.id
        assert customer.birthday == national_id.birth_date(customer.national_id), customer.id
