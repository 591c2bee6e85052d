"""synthetic.tables draws the club activities customers attended, on its own random stream.

The activities table is checked against ``as_of`` and membership (nothing after ``as_of``,
nothing before the customer first bought a vehicle), against the rest of the tables (the
other tables are the same with or without it), against the Book (which takes its
attendances from the tables) and against the generator's documented shape: most
customers attend nothing, a few attend often, visitors attend more. Shares are checked
against wide ranges; no count is copied from a run.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from aftersales_crm import features, synthetic
from aftersales_crm.records import ActivityAttended
from aftersales_crm.segmentation import MemberValue
from aftersales_crm.tables import Tables

AS_OF = synthetic.DEFAULT_AS_OF
#: The generator's window (``_world.ACTIVITY_DAYS_AGO``): 1 to 699 days before as_of.
FIRST_DAYS_AGO, LAST_DAYS_AGO = 1, 699
#: The most activities a club holds in a year (``_world.ACTIVITIES_PER_YEAR``, 12 + 5 + 1).
HELD_PER_YEAR = 18


@pytest.fixture(scope="module")
def drawn() -> Tables:
    return synthetic.tables(n_customers=5000, seed=1)


def customer_days(drawn: Tables) -> tuple[np.ndarray, np.ndarray]:
    """Each attendance's customer row and day number."""
    a = drawn.activities
    return a["customer"], a["on"].astype(np.int64)


# ------------------------------------------------------------------ the table


def test_the_tables_carry_activity_attendances(drawn: Tables) -> None:
    # Before, only the Book drew activities: the tables' activities table was empty.
    assert len(drawn.activities) > 0
    assert drawn.activities["feedback"].tolist() == [None] * len(drawn.activities)


@pytest.mark.parametrize("seed", [0, 7])
def test_the_same_seed_gives_equal_activities(seed: int) -> None:
    first = synthetic.tables(n_customers=1000, seed=seed).activities
    again = synthetic.tables(n_customers=1000, seed=seed).activities
    assert len(first) > 0
    assert first == again
    assert first.labels == again.labels


def test_a_different_seed_gives_different_activities() -> None:
    zero = synthetic.tables(n_customers=1000, seed=0).activities
    one = synthetic.tables(n_customers=1000, seed=1).activities
    assert zero != one


@pytest.mark.parametrize(
    "as_of",
    [
        AS_OF,  # the default
        date(2024, 2, 29),  # a leap day, earlier than the default
        date(2021, 1, 1),  # a new year: the window spans three calendar years
    ],
)
def test_activities_fall_in_the_two_years_before_as_of_and_never_on_or_after_it(
    as_of: date,
) -> None:
    drawn = synthetic.tables(n_customers=2000, seed=3, as_of=as_of)
    on = drawn.activities["on"]
    assert len(on) > 0
    assert on.max() <= np.datetime64(as_of - timedelta(days=FIRST_DAYS_AGO))
    assert on.min() >= np.datetime64(as_of - timedelta(days=LAST_DAYS_AGO))


def test_a_customer_attends_only_after_first_buying_a_vehicle(drawn: Tables) -> None:
    customer, day = customer_days(drawn)
    o = drawn.ownerships
    member_since = np.full(len(drawn.customers), np.iinfo(np.int64).max)
    np.minimum.at(member_since, o["customer"], o["start"].astype(np.int64))
    assert (day >= member_since[customer]).all()
    # Not vacuous: some customers bought inside the window and attended after.
    window_start = np.datetime64(AS_OF - timedelta(days=LAST_DAYS_AGO)).astype(np.int64)
    assert (member_since[customer] > window_start).any()


def test_every_attendance_is_of_an_existing_customer_and_ids_are_unique(drawn: Tables) -> None:
    a = drawn.activities
    assert ((a["customer"] >= 0) & (a["customer"] < len(drawn.customers))).all()
    assert len(np.unique(a["id"])) == len(a)
    # The id names the customer: A, the customer's id, a dash and a number.
    ids = drawn.customers["id"][a["customer"]]
    assert all(
        attendance.startswith(f"A{customer}-")
        for attendance, customer in zip(a["id"].tolist(), ids.tolist(), strict=True)
    )


def test_the_activity_id_is_the_month_of_the_day(drawn: Tables) -> None:
    a = drawn.activities
    expected = [f"EV{day:%Y%m}" for day in a["on"].tolist()]
    assert a.label_texts("activity_id").tolist() == expected
    # One label per month of the window, in order, without repeats.
    labels = a.labels["activity_id"]
    assert list(labels) == sorted(set(labels))
    assert set(expected) <= set(labels)


def test_rows_come_in_customer_then_day_order(drawn: Tables) -> None:
    customer, day = customer_days(drawn)
    key = customer * 100_000 + (day - day.min())
    assert (np.diff(key) >= 0).all()


def test_a_base_of_no_customers_has_no_activities() -> None:
    assert len(synthetic.tables(0).activities) == 0


# ------------------------------------------------------------------ the other tables


def test_the_activity_stream_leaves_every_other_table_as_it_was(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from aftersales_crm.synthetic import _world

    before = synthetic.tables(n_customers=600, seed=5)
    monkeypatch.setattr(_world, "ACTIVITY_STREAM", 99)
    other = synthetic.tables(n_customers=600, seed=5)
    assert other.activities != before.activities
    for table in before:
        if table.name != "activities":
            assert table == getattr(other, table.name), table.name


def test_drawing_activities_consumes_nothing_of_the_main_stream(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without the activity draw at all, every other table is the same as with it."""
    from aftersales_crm.synthetic._activities import draw_activities as real

    def no_activities(
        rng: np.random.Generator,
        customer_ids: np.ndarray,
        ownerships: dict[str, np.ndarray],
        orders: dict[str, np.ndarray],
        end: np.int64,
    ) -> object:
        def empty(columns: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
            return {name: column[:0] for name, column in columns.items()}

        return real(rng, customer_ids[:0], empty(ownerships), empty(orders), end)

    with_them = synthetic.tables(n_customers=600, seed=6)
    monkeypatch.setattr("aftersales_crm.synthetic._tables.draw_activities", no_activities)
    without = synthetic.tables(n_customers=600, seed=6)
    assert len(with_them.activities) > 0
    assert len(without.activities) == 0
    for table in with_them:
        if table.name != "activities":
            assert table == getattr(without, table.name), table.name


# ------------------------------------------------------------------ the Book


def test_the_book_takes_its_activities_from_the_tables() -> None:
    drawn = synthetic.tables(n_customers=400, seed=2)
    book = synthetic.book(n_customers=400, seed=2)
    from_tables = [r for r in drawn.to_records() if isinstance(r, ActivityAttended)]
    assert from_tables
    assert list(book.activities.values()) == from_tables
    assert Tables.from_book(book).activities == drawn.activities


# ------------------------------------------------------------------ the shape of participation


@pytest.mark.parametrize("seed", [0, 1])
def test_about_one_customer_in_five_attends_and_a_few_attend_often(seed: int) -> None:
    """The generator's documented shape (``_world.ACTIVITY_PROPENSITY_SHAPE`` and friends)."""
    drawn = synthetic.tables(n_customers=20_000, seed=seed)
    n = len(drawn.customers)
    count = np.bincount(drawn.activities["customer"], minlength=n)
    # About one in five attends at least once in the two years; the band is wide on purpose.
    assert 0.12 <= float((count > 0).mean()) <= 0.30
    # Heavy-tailed: the busiest tenth of the attendees bring over a third of the attendances.
    attendees = np.sort(count[count > 0])[::-1]
    assert attendees[: len(attendees) // 10].sum() > attendees.sum() / 3
    # A few come often, and nobody comes more often than the club holds activities.
    assert (count >= 10).any()
    assert count.max() <= np.ceil(HELD_PER_YEAR * LAST_DAYS_AGO / 365.25)


def test_customers_who_visit_more_attend_more() -> None:
    drawn = synthetic.tables(n_customers=20_000, seed=2)
    n = len(drawn.customers)
    count = np.bincount(drawn.activities["customer"], minlength=n)
    visit_day = drawn.orders["opened_at"].astype("datetime64[D]")
    recent = visit_day >= np.datetime64(AS_OF - timedelta(days=LAST_DAYS_AGO))
    visits = np.bincount(drawn.orders["customer"][recent], minlength=n)
    assert count[visits >= 4].mean() > 2 * count[visits == 0].mean()


def test_activity_participation_now_separates_customers_in_member_value() -> None:
    # Before, every customer of the tables had no activity: the activity part of the
    # default MemberValue ranked everyone alike and moved nobody's level.
    feats = features.compute(synthetic.tables(2000, seed=1), as_of=AS_OF)
    activity_only = MemberValue(material=(), loyalty=()).fit(feats).score(feats)
    assert len(np.unique(activity_only)) > 2
    attended = feats["activities_window"]
    # More activities in the window, a higher activity rank.
    order = np.argsort(attended, kind="stable")
    assert (np.diff(activity_only[order]) >= 0).all()
    assert activity_only[attended > 0].min() > activity_only[attended == 0].max()
    with_activity = MemberValue().fit(feats).assign(feats).codes
    without = MemberValue(activity=()).fit(feats).assign(feats).codes
    assert (with_activity != without).any()
