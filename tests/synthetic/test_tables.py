"""synthetic.tables draws seeded, valid, time-consistent dealer data straight into Tables.

The tables are checked against the scalar rules of ``values`` (the vectorised check-digit
code must agree with ``vin.validate`` and ``national_id.validate``), against ``as_of``
(nothing happens after it) and against the model's rhythm. Shares are computed from the
data and checked against wide, documented ranges; no count is copied from a run.
"""

from __future__ import annotations

import itertools
import pickle
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest

from aftersales_crm import features, synthetic
from aftersales_crm.errors import InvalidValue
from aftersales_crm.segmentation import ParetoABC
from aftersales_crm.tables import Tables
from aftersales_crm.values import (
    ContactChannel,
    FuelType,
    Gender,
    PayType,
    ServiceKind,
    national_id,
    phone,
    plate,
    vin,
)

AS_OF = synthetic.DEFAULT_AS_OF


def end_of(day: date) -> np.datetime64:
    """The first second after ``day``, UTC, as the instant columns compare against."""
    return np.datetime64(day + timedelta(days=1), "s")


@pytest.fixture(scope="module")
def drawn() -> Tables:
    return synthetic.tables(n_customers=5000, seed=1)


# ------------------------------------------------------------------ seeds


@pytest.mark.parametrize("seed", [0, 7, 2026])
def test_the_same_seed_gives_identical_columns_in_every_table(seed: int) -> None:
    first = synthetic.tables(n_customers=40, seed=seed)
    again = synthetic.tables(n_customers=40, seed=seed)
    assert first.currency == again.currency
    for a, b in zip(first, again, strict=True):
        assert list(a) == list(b), a.name
        for column in a:
            assert a[column].dtype == b[column].dtype, (a.name, column)
            # NaT and NaN are missing values here; strings have no NaN to compare.
            equal_nan = a[column].dtype.kind in "fmM"
            assert np.array_equal(a[column], b[column], equal_nan=equal_nan), (a.name, column)


def test_a_different_seed_gives_different_data() -> None:
    zero = synthetic.tables(n_customers=40, seed=0)
    one = synthetic.tables(n_customers=40, seed=1)
    for name, column in [("customers", "mobile"), ("customers", "name"), ("vehicles", "vin")]:
        assert not np.array_equal(getattr(zero, name)[column], getattr(one, name)[column]), column


def test_columns_gives_the_tables_of_the_same_arguments_and_the_models_truths() -> None:
    cols = synthetic.columns(n_customers=300, seed=4, as_of=date(2025, 1, 15))
    drawn = cols.tables()
    assert drawn == synthetic.tables(n_customers=300, seed=4, as_of=date(2025, 1, 15))
    assert (cols.n_customers, cols.currency, cols.as_of) == (300, "CNY", date(2025, 1, 15))
    assert cols.km_per_day.shape == (len(drawn.vehicles),)
    assert cols.home_dealer.shape == (len(drawn.customers),)
    assert not cols.km_per_day.flags.writeable
    assert not cols.home_dealer.flags.writeable
    # Orders are served by the home dealer of the vehicle's first owner.
    first_owner = drawn.ownerships["customer"][: len(drawn.vehicles)]
    serving = cols.home_dealer[first_owner][drawn.orders["vehicle"]]
    assert np.array_equal(drawn.orders["dealer"], serving)
    # Odometers grow at each vehicle's own rate, within the model's ±8 % and the jitter
    # of the first visit; the median ratio is close to 1.
    age_days = (
        drawn.orders["opened_at"].astype("datetime64[D]")
        - drawn.vehicles["purchase_date"][drawn.orders["vehicle"]]
    ).astype(np.int64)
    later = age_days > 60
    ratio = drawn.orders["mileage"][later] / (
        age_days[later] * cols.km_per_day[drawn.orders["vehicle"][later]]
    )
    assert 0.95 <= float(np.median(ratio)) <= 1.05


def test_drawn_columns_pickle_to_equal_tables_and_truths() -> None:
    cols = synthetic.columns(n_customers=30, seed=2)
    loaded = pickle.loads(pickle.dumps(cols))
    assert loaded.tables() == cols.tables()
    assert np.array_equal(loaded.km_per_day, cols.km_per_day)
    assert np.array_equal(loaded.home_dealer, cols.home_dealer)
    assert loaded.as_of == cols.as_of


# ------------------------------------------------------------------ identifiers


def test_every_vin_passes_the_scalar_iso_3779_check_and_vins_are_unique(drawn: Tables) -> None:
    vins: list[str] = drawn.vehicles["vin"].tolist()
    assert vins
    assert [vin.validate(v, strict=True) for v in vins] == vins
    assert len(set(vins)) == len(vins)


def test_every_national_id_passes_gb_11643_and_agrees_with_birthday_and_gender(
    drawn: Tables,
) -> None:
    c = drawn.customers
    fleet = c["kind"] == 1
    assert all(number is None for number in c["national_id"][fleet])
    assert np.isnat(c["birthday"][fleet]).all()
    genders = list(Gender)
    individuals = np.flatnonzero(~fleet)
    assert len(individuals) > 0
    for i in individuals:
        number = str(c["national_id"][i])
        assert national_id.validate(number, as_of=AS_OF) == number
        assert national_id.birth_date(number) == c["birthday"][i].item()
        assert Gender(national_id.gender(number)) is genders[int(c["gender"][i])]


def test_a_sample_of_mobiles_are_valid_e164_numbers(drawn: Tables) -> None:
    mobiles = drawn.customers["mobile"]
    sample = np.random.default_rng(0).choice(len(mobiles), 500, replace=False)
    for number in mobiles[sample].tolist():
        assert phone.validate(number) == number


def test_a_sample_of_plates_are_valid_and_new_energy_vehicles_carry_green_plates(
    drawn: Tables,
) -> None:
    v = drawn.vehicles
    fuels = list(FuelType)
    sample = np.random.default_rng(0).choice(len(v["plate"]), 500, replace=False)
    for i in sample:
        number = str(v["plate"][i])
        assert plate.validate(number) == number
        new_energy = fuels[int(v["fuel"][i])].is_new_energy
        assert (plate.kind(number) == "new_energy") is new_energy, number


def test_an_orders_advisor_is_one_of_five_desks_of_its_own_dealer(drawn: Tables) -> None:
    o = drawn.orders
    expected = [f"SA{dealer:04d}{row % 5}" for row, dealer in enumerate(o["dealer"].tolist())]
    assert o["advisor"].tolist() == expected
    # Hand-checked: the first order of a dealer at row 1 is served by desk 0 of SA0001.
    assert f"SA{int(o['dealer'][0]):04d}0" == o["advisor"][0]


# ------------------------------------------------------------------ as_of


@pytest.mark.parametrize(
    "as_of",
    [
        AS_OF,  # the default
        date(2024, 2, 29),  # a leap day, earlier than the default
    ],
)
def test_no_order_is_opened_after_the_end_of_as_of(as_of: date) -> None:
    drawn = synthetic.tables(n_customers=2000, seed=3, as_of=as_of)
    assert len(drawn.orders) > 0
    assert (drawn.orders["opened_at"] < end_of(as_of)).all()
    assert (drawn.vehicles["purchase_date"] <= np.datetime64(as_of)).all()
    assert (drawn.ownerships["start"] <= np.datetime64(as_of)).all()


def test_no_order_is_handed_back_after_as_of(drawn: Tables) -> None:
    late = drawn.orders["id"][drawn.orders["closed_at"] >= end_of(AS_OF)]
    assert late.tolist() == []
    # Not vacuous: the orders of the last day are still open.
    assert np.isnat(drawn.orders["closed_at"]).any()


# ------------------------------------------------------------------ ownership


def test_a_sole_customer_never_sells_a_vehicle_to_themself() -> None:
    drawn = synthetic.tables(n_customers=1, seed=34)
    assert len(drawn.ownerships) == len(drawn.vehicles)


@pytest.mark.parametrize(
    ("n_customers", "seed"),
    [
        pytest.param(300, 0, id="a base of 300"),
    ],
)
def test_a_resold_vehicle_changes_hands(n_customers: int, seed: int) -> None:
    o = synthetic.tables(n_customers=n_customers, seed=seed).ownerships
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
def test_tables_are_read_only_and_of_equal_length(n_customers: int) -> None:
    drawn = synthetic.tables(n_customers=n_customers, seed=0)
    for table in drawn:
        assert len({len(array) for array in table.columns.values()}) == 1, table.name
        for column, array in table.columns.items():
            assert not array.flags.writeable, (table.name, column)
            with pytest.raises(ValueError, match="read-only"):
                array[:1] = array[:1]
        with pytest.raises(TypeError):
            table.columns["extra"] = np.zeros(0)  # type: ignore[index]


def test_rows_refer_to_rows_that_exist(drawn: Tables) -> None:
    references = [
        ("vehicles", "selling_dealer", "dealers"),
        ("ownerships", "customer", "customers"),
        ("ownerships", "vehicle", "vehicles"),
        ("orders", "vehicle", "vehicles"),
        ("orders", "customer", "customers"),
        ("orders", "dealer", "dealers"),
        ("orders", "comeback", "orders"),
        ("lines", "order", "orders"),
    ]
    for name, column, target in references:
        rows = getattr(drawn, name)[column]
        assert ((rows >= -1) & (rows < len(getattr(drawn, target)))).all(), (name, column)
    for name, column in [("orders", "vehicle"), ("orders", "customer"), ("orders", "dealer")]:
        assert (getattr(drawn, name)[column] >= 0).all(), (name, column)  # always known
    # Every order has at least one line, and lines come in order.
    assert np.array_equal(np.unique(drawn.lines["order"]), np.arange(len(drawn.orders)))
    assert (np.diff(drawn.lines["order"]) >= 0).all()
    for name, column in [("customers", "id"), ("ownerships", "id"), ("orders", "id")]:
        ids = getattr(drawn, name)[column]
        assert len(np.unique(ids)) == len(ids), name


def test_money_columns_are_int64_fen_and_never_negative(drawn: Tables) -> None:
    assert drawn.currency == "CNY"
    for column in ("labour_fen", "parts_fen"):
        amounts = drawn.lines[column]
        assert amounts.dtype == np.int64, column
        assert (amounts >= 0).all(), column


def test_tables_of_no_customers_are_empty_but_for_the_dealers_and_their_chapters() -> None:
    drawn = synthetic.tables(0)
    assert len(drawn.dealers) >= 1
    assert len(drawn.chapters) == int(drawn.dealers["full_after_sales"].sum())
    kept = ("dealers", "chapters")
    assert [len(t) for t in drawn if t.name not in kept] == [0] * (len(list(drawn)) - 2)


def test_consents_and_hobbies_are_left_to_the_book() -> None:
    drawn = synthetic.tables(50, seed=2)
    assert len(drawn.consents) == 0
    assert set(drawn.customers["hobbies"].tolist()) == {()}


def test_as_of_may_be_an_iso_date_string() -> None:
    assert synthetic.tables(20, as_of="2025-01-15") == synthetic.tables(20, as_of=date(2025, 1, 15))


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"n_customers": -1}, r"n_customers is -1 \(int\), expected a whole number >= 0"),
        ({"n_customers": "5"}, r"n_customers is '5' \(str\), expected a whole number"),
        ({"n_customers": 2.5}, r"n_customers is 2.5 \(float\)"),
        ({"n_customers": True}, r"n_customers is True \(bool\)"),  # not a count
        ({"seed": -1}, r"seed is -1 \(int\), expected a whole number >= 0"),
        ({"seed": None}, r"seed is None \(NoneType\)"),
        ({"n_dealers": 0}, r"n_dealers is 0 \(int\), expected a whole number >= 1"),  # no workshop
        ({"n_dealers": -3}, r"n_dealers is -3 \(int\), expected a whole number >= 1"),  # nonsense
        ({"as_of": "30/06/2026"}, r"as_of is '30/06/2026' \(str\), expected a datetime.date"),
        (
            {"as_of": datetime(2026, 6, 30, 12, tzinfo=UTC)},
            r"as_of is .* \(datetime\), expected a datetime.date that is not a datetime",
        ),
    ],
)
def test_bad_arguments_are_rejected_naming_the_parameter(
    arguments: dict[str, object], message: str
) -> None:
    with pytest.raises(InvalidValue, match=message):
        synthetic.tables(**{"n_customers": 10, **arguments})  # type: ignore[arg-type]


def test_a_numpy_integer_is_a_whole_number() -> None:
    assert len(synthetic.tables(np.int64(3), seed=np.int64(1)).customers) == 3  # type: ignore[arg-type]


def test_dealer_ids_and_names_are_unique_for_any_number_of_dealers() -> None:
    drawn = synthetic.tables(n_customers=0, n_dealers=10_001)
    assert len(np.unique(drawn.dealers["id"])) == 10_001
    assert len(set(drawn.dealers["name"].tolist())) == 10_001


def test_a_hundred_thousand_customers_draw_three_to_twenty_lines_each() -> None:
    drawn = synthetic.tables(n_customers=100_000, seed=0)
    assert len(drawn.customers) == 100_000
    lines_per_customer = len(drawn.lines) / len(drawn.customers)
    assert 3 <= lines_per_customer <= 20, lines_per_customer
    assert len(np.unique(drawn.vehicles["vin"])) == len(drawn.vehicles)
    assert len(np.unique(drawn.orders["id"])) == len(drawn.orders)
    assert (drawn.orders["opened_at"] < end_of(AS_OF)).all()


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_synthetic_base_follows_the_pareto_rule_as_real_dealer_bases_do(seed: int) -> None:
    # Each customer's spend propensity is drawn so that the top 20% bring 70-80% of spend.
    drawn = synthetic.tables(n_customers=20_000, seed=seed)
    feats = features.compute(drawn, as_of=synthetic.DEFAULT_AS_OF)
    report = ParetoABC().fit(feats).report()
    assert report.follows_rule(), str(report)
    assert 0.71 < report.value_shares[0] < 0.74  # inside 70-80%, not on its edge


def test_the_spend_propensity_scales_what_customers_pay_not_warranty_work() -> None:
    drawn = synthetic.tables(n_customers=3_000, seed=4)
    lines = drawn.lines
    amount = (lines["labour_fen"] + lines["parts_fen"]).astype(np.float64)
    customer = drawn.orders["customer"][lines["order"]]
    spend = np.bincount(customer, weights=amount, minlength=len(drawn.customers))
    big = spend >= np.quantile(spend, 0.8)
    small = spend <= np.quantile(spend, 0.5)
    pays, kinds = list(PayType), list(ServiceKind)

    def mean_ratio(rows: np.ndarray) -> float:
        return float(amount[rows & big[customer]].mean() / amount[rows & small[customer]].mean())

    maintenance = lines["kind"] == kinds.index(ServiceKind.MAINTENANCE)
    customer_pay = lines["pay"] == pays.index(PayType.CUSTOMER)
    first = lines["kind"] == kinds.index(ServiceKind.FIRST_MAINTENANCE)
    warranty = lines["pay"] == pays.index(PayType.WARRANTY)
    # Big spenders pay several times more for the same routine service ...
    assert mean_ratio(maintenance & customer_pay) > 2
    # ... while the maker's warranty work on a first maintenance costs alike for everyone.
    assert 0.8 < mean_ratio(first & warranty) < 1.25


def test_preferences_come_from_their_own_stream_and_change_no_other_column(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from aftersales_crm.synthetic import _world

    drawn = synthetic.tables(n_customers=2_000, seed=5)
    monkeypatch.setattr(_world, "PREFERENCE_STREAM", 99)
    other = synthetic.tables(n_customers=2_000, seed=5)
    new = {"lunar_birthday", "preferred_channel"}
    for table in drawn:
        for name, column in table.columns.items():
            if table.name == "customers" and name in new:
                continue
            assert np.array_equal(
                column, other[table.name][name], equal_nan=column.dtype.kind in "fmM"
            ), (table.name, name)
    assert not np.array_equal(
        drawn.customers["preferred_channel"], other.customers["preferred_channel"]
    )


def test_a_small_share_of_owners_prefer_the_lunar_birthday_and_a_channel() -> None:
    customers = synthetic.tables(n_customers=20_000, seed=2).customers
    lunar = customers["lunar_birthday"]
    individual = customers["kind"] == 0
    assert not lunar[~individual].any()  # a company has no birthday
    assert 0.08 < lunar[individual].mean() < 0.12  # the share, 0.1
    preferred = customers["preferred_channel"]
    assert 0.18 < (preferred >= 0).mean() < 0.22  # the share, 0.2
    channels = list(ContactChannel)
    named = {channels[c] for c in preferred[preferred >= 0].tolist()}
    assert named == {ContactChannel.PHONE, ContactChannel.SMS, ContactChannel.MESSAGING_APP}
