"""The draws: dealers, customers, vehicles, ownerships, repair orders and their lines.

Each draw returns the columns of its table in the schema of
[`SCHEMAS`][aftersales_crm.tables.SCHEMAS] (names, order and dtypes), ready to become a
[`Table`][aftersales_crm.tables.Table], plus the hidden variables of the model that later
draws read and no table carries (a customer's home dealer, a vehicle's km/day).

The order of the random draws is part of the output: the same seed must give the same
tables, so a draw is never moved, merged or split.
"""

from __future__ import annotations

from typing import Any, Final, NamedTuple

import numpy as np
from numpy.typing import NDArray

from aftersales_crm.synthetic import _world as w
from aftersales_crm.synthetic._identifiers import advisors, digits, ids, national_ids, pick, vins
from aftersales_crm.tables import SCHEMAS
from aftersales_crm.values import BodyType, ContactChannel, FuelType, Gender, PayType, ServiceKind

Columns = dict[str, NDArray[Any]]

_SERVICE_KINDS: Final = list(ServiceKind)
_PAY_TYPES: Final = list(PayType)
_GENDERS: Final = list(Gender)
_BODY_TYPES: Final = list(BodyType)
_FUEL_TYPES: Final = list(FuelType)
_CHANNELS: Final = list(ContactChannel)
_PLATE_ALPHABET: Final = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
#: Days since 1970 fit in 16 bits after this offset (1900-01-01), for compact sort keys.
_DAY_OFFSET: Final = -25_567
#: The customers' text columns the model leaves empty.
_EMPTY_CUSTOMER_TEXTS: Final = (
    "occupation", "home_address", "home_postcode", "work_address", "work_postcode",
    "home_phone", "office_phone", "email", "fax", "income_band", "family_notes",
)  # fmt: skip
_NAT_DAY: Final = np.datetime64("NaT", "D")
#: The brands of the vehicles table, and each model's row among them.
BRANDS: Final = tuple(dict.fromkeys(w.MODEL_BRANDS[m[0]] for m in w.MODELS))
BRAND_OF_MODEL: Final = tuple(BRANDS.index(w.MODEL_BRANDS[m[0]]) for m in w.MODELS)


class Dealers(NamedTuple):
    """The dealers table and each dealer's row in ``CITIES``."""

    columns: Columns
    city: NDArray[np.int64]


class Customers(NamedTuple):
    """The customers table and each customer's home dealer row."""

    columns: Columns
    home_dealer: NDArray[np.int64]


class Vehicles(NamedTuple):
    """The vehicles table (without the first visit, known after the orders) and ownerships.

    ``dealer`` is the home dealer of each vehicle's first owner, where it is serviced.
    """

    columns: Columns
    ownerships: Columns
    dealer: NDArray[np.int64]
    km_per_day: NDArray[np.float64]


def nones(n: int) -> NDArray[np.object_]:
    """An object column of ``n`` Nones."""
    return np.full(n, None, dtype=object)


def _empty_tuples(n: int) -> NDArray[np.object_]:
    out = np.empty(n, dtype=object)
    out.fill(())
    return out


def _in_schema_order(table: str, columns: Columns) -> Columns:
    return {c.name: columns[c.name] for c in SCHEMAS[table].columns}


def _dates(days: NDArray[np.int64]) -> NDArray[np.datetime64]:
    return days.astype("datetime64[D]")


def draw_dealers(rng: np.random.Generator, n: int) -> Dealers:
    """``n`` dealers, spread over the model's cities in turn."""
    city = np.arange(n) % len(w.CITIES)
    lat = np.asarray([c[1] for c in w.CITIES])[city] + rng.normal(0, w.DEALER_SPREAD_DEG, n)
    lon = np.asarray([c[2] for c in w.CITIES])[city] + rng.normal(0, w.DEALER_SPREAD_DEG, n)
    city_names = np.asarray([c[0] for c in w.CITIES])
    names = np.char.add(city_names[city], np.char.add(np.arange(n).astype(str), "号4S店"))
    columns = {
        "id": ids("D", n, 4),
        "name": names.astype(object),
        "lat": lat,
        "lon": lon,
        "region": city_names.astype(object)[city],
        "full_after_sales": rng.random(n) < w.FULL_FUNCTION_SHARE,
    }
    return Dealers(columns, city)


def draw_customers(rng: np.random.Generator, n: int, dealers: Dealers, end: np.int64) -> Customers:
    """``n`` customers, each living a few kilometres from a home dealer."""
    dealer = rng.integers(0, len(dealers.city), n)
    fleet = rng.random(n) < w.FLEET_SHARE
    male = rng.random(n) < w.MALE_SHARE
    gender = np.where(male, _GENDERS.index(Gender.MALE), _GENDERS.index(Gender.FEMALE))
    gender = np.where(fleet, _GENDERS.index(Gender.UNKNOWN), gender)
    age_days = (rng.normal(w.AGE_MEAN, w.AGE_SD, n).clip(w.AGE_MIN, w.AGE_MAX) * 365.25).astype(
        np.int64
    )
    birthday = _dates(end - age_days)
    city = dealers.city[dealer]
    counties = np.asarray([c[4] for c in w.CITIES], dtype=np.int64)[city, rng.integers(0, 4, n)]
    national = national_ids(rng, counties, birthday, gender).astype(object)
    national[fleet] = None
    two_chars = rng.random(n) < w.TWO_CHAR_GIVEN_SHARE
    given = np.char.add(
        pick(rng, w.GIVEN_CHARS, n), np.where(two_chars, pick(rng, w.GIVEN_CHARS, n), "")
    )
    name = np.char.add(pick(rng, w.FAMILY_NAMES, n), given)
    name = np.where(fleet, np.char.add(pick(rng, w.COMPANY_NAMES, n), "有限公司"), name)
    prefixes = np.asarray(w.MOBILE_PREFIXES, dtype=np.int64)
    prefix = prefixes[rng.integers(0, len(w.MOBILE_PREFIXES), n)]
    mobile = digits(prefix * 10**8 + rng.integers(0, 10**8, n), 11, "+86")
    # Home: a lognormal distance in a uniform direction from the home dealer.
    distance = rng.lognormal(np.log(w.HOME_DISTANCE_MEDIAN_KM), w.HOME_DISTANCE_SIGMA, n)
    bearing = rng.uniform(0, 2 * np.pi, n)
    dealer_lat, dealer_lon = dealers.columns["lat"][dealer], dealers.columns["lon"][dealer]
    lat = dealer_lat + distance * np.cos(bearing) / 111.0
    lon = dealer_lon + distance * np.sin(bearing) / (111.0 * np.cos(np.radians(dealer_lat)))
    columns: Columns = {
        "id": ids("C", n),
        "kind": fleet.astype(np.int8),
        "name": name.astype(object),
        "gender": gender.astype(np.int8),
        "national_id": national,
        "birthday": np.where(fleet, _NAT_DAY, birthday),
        "home_lat": lat,
        "home_lon": lon,
        "mobile": mobile.astype(object),
        "hobbies": _empty_tuples(n),  # drawn only for a Book
        "lunar_birthday": np.zeros(n, dtype=bool),  # drawn by draw_preferences
        "preferred_channel": np.full(n, -1, dtype=np.int8),  # drawn by draw_preferences
        "quiet_hours": _empty_tuples(n),  # not drawn
    }
    columns.update({name: nones(n) for name in _EMPTY_CUSTOMER_TEXTS})
    return Customers(_in_schema_order("customers", columns), dealer)


def draw_preferences(rng: np.random.Generator, customers: Customers) -> Customers:
    """``customers`` with their own preferences drawn from ``rng``, a stream of their own.

    A share of the individual owners celebrates the lunar birthday
    (``LUNAR_BIRTHDAY_SHARE``) and a share of all customers names a preferred
    channel (``PREFERRED_CHANNEL_SHARE``, the channels weighted by
    ``PREFERRED_CHANNELS``). Both shares are the library's choice. The stream
    is apart from the main one, so every other column of a seed stays as it was.
    """
    columns = customers.columns
    n = len(columns["id"])
    individual = columns["kind"] == 0  # the kind codes: 0 individual, 1 fleet
    lunar = individual & (rng.random(n) < w.LUNAR_BIRTHDAY_SHARE)
    prefers = rng.random(n) < w.PREFERRED_CHANNEL_SHARE
    weights = np.array(list(w.PREFERRED_CHANNELS.values()))
    codes = np.array([_CHANNELS.index(c) for c in w.PREFERRED_CHANNELS], dtype=np.int8)
    channel = codes[rng.choice(len(codes), size=n, p=weights / weights.sum())]
    preferred = np.where(prefers, channel, -1).astype(np.int8)
    return customers._replace(
        columns={**columns, "lunar_birthday": lunar, "preferred_channel": preferred}
    )


def draw_vehicles(
    rng: np.random.Generator, customers: Customers, dealers: Dealers, end: np.int64
) -> Vehicles:
    """One vehicle per customer, a second for some; a few change hands to another customer."""
    n_customers = len(customers.home_dealer)
    second = np.flatnonzero(rng.random(n_customers) < w.SECOND_VEHICLE_SHARE)
    owner = np.concatenate([np.arange(n_customers), second])
    n = len(owner)
    purchase = end - rng.integers(0, w.HISTORY_YEARS * 365, n)
    model = rng.choice(len(w.MODELS), n, p=[m[3] for m in w.MODELS])
    years = purchase.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    dealer = customers.home_dealer[owner]
    city = dealers.city[dealer]
    fuel = np.asarray([_FUEL_TYPES.index(m[2]) for m in w.MODELS])[model]
    new_energy = np.isin(fuel, [_FUEL_TYPES.index(f) for f in FuelType if f.is_new_energy])
    alphabet = np.asarray(list(_PLATE_ALPHABET))
    tail = np.char.add(
        np.char.add(alphabet[rng.integers(0, 34, n)], alphabet[rng.integers(0, 34, n)]),
        digits(rng.integers(0, 1000, n), 3),
    )
    energy_tail = np.char.add(
        np.char.add("D", alphabet[rng.integers(10, 34, n)]),
        digits(rng.integers(0, 10_000, n), 4),
    )
    plate = np.char.add(
        np.asarray([c[3] for c in w.CITIES])[city], np.where(new_energy, energy_tail, tail)
    )
    number = vins(rng, w.WMIS, years)
    colour = pick(rng, w.COLOURS, n, object)
    sold_here = rng.random(n) >= w.NOT_SOLD_HERE_SHARE
    km_per_day = rng.lognormal(np.log(w.KM_PER_DAY_MEDIAN), w.KM_PER_DAY_SIGMA, n)
    columns: Columns = {
        "vin": number,
        "plate": plate.astype(object),
        "brand": np.asarray(BRAND_OF_MODEL, dtype=np.int32)[model],
        "model": model.astype(np.int32),
        "body_type": np.asarray([_BODY_TYPES.index(m[1]) for m in w.MODELS], dtype=np.int8)[model],
        "colour": colour,
        "fuel": fuel.astype(np.int8),
        "purchase_date": _dates(purchase),
        "sold_here": sold_here,
        "selling_dealer": np.where(sold_here, dealer, -1).astype(np.int64),
    }
    # A few vehicles change hands: the buyer is another customer, from a day after purchase.
    resold = np.flatnonzero(
        (rng.random(n) < w.RESALE_SHARE)
        & (end - purchase > w.MIN_DAYS_BEFORE_RESALE)
        & (n_customers > 1)  # a sole customer has nobody to sell to
    )
    buyer = (owner[resold] + rng.integers(1, max(n_customers, 2), len(resold))) % max(
        n_customers, 1
    )
    handover = purchase[resold] + (
        (end - purchase[resold]) * rng.uniform(*w.RESALE_WINDOW, len(resold))
    ).astype(np.int64)
    first_end = np.full(n, _NAT_DAY)
    first_end[resold] = _dates(handover)
    ownerships = {
        "id": ids("O", n + len(resold)),
        "customer": np.concatenate([owner, buyer]).astype(np.int64),
        "vehicle": np.concatenate([np.arange(n), resold]).astype(np.int64),
        "start": np.concatenate([_dates(purchase), _dates(handover)]),
        "end": np.concatenate([first_end, np.full(len(resold), _NAT_DAY)]),
    }
    return Vehicles(columns, ownerships, dealer, km_per_day)


def draw_orders(
    rng: np.random.Generator, vehicles: Vehicles, n_dealers: int, end: np.int64
) -> tuple[Columns, NDArray[np.int64]]:
    """Every visit of every vehicle up to ``end`` as a repair order, in (vehicle, time) order.

    Returns the orders table and, per order, its visit number: 0 for the first
    maintenance, 1 and up for routine visits, -1 for a comeback.
    """
    n = len(vehicles.km_per_day)
    purchase = vehicles.columns["purchase_date"].astype(np.int64)
    rate = vehicles.km_per_day
    drift = purchase + (rng.exponential(w.MEAN_YEARS_TO_DRIFT, n) * 365.25).astype(np.int64)
    horizon = np.minimum(drift, end)
    # Visit days: the first maintenance, then routine visits, each due by time or distance.
    first_gap = np.minimum(
        rng.integers(*w.FIRST_MAINTENANCE_DAYS, n), w.FIRST_MAINTENANCE_KM / rate
    ).astype(np.int64)
    low, high = w.SERVICE_KM
    km_due = low + (high - low) * rng.random((n, w.MAX_VISITS), dtype=np.float32)
    jitter = rng.integers(
        -w.VISIT_JITTER_DAYS, w.VISIT_JITTER_DAYS + 1, (n, w.MAX_VISITS), dtype=np.int16
    )
    gaps = (
        np.minimum(np.float32(w.SERVICE_DAYS), km_due / rate[:, None].astype(np.float32)) + jitter
    )
    gaps = np.maximum(gaps, w.MIN_GAP_DAYS).astype(np.int32)
    gaps[:, 0] = np.maximum(first_gap, w.MIN_FIRST_MAINTENANCE_DAYS)
    days = purchase[:, None] + np.cumsum(gaps, axis=1, dtype=np.int64)
    keep = days <= horizon[:, None]
    vehicle, visit = np.nonzero(keep)
    day = days[vehicle, visit]
    # Comebacks: a repair visit that returns a few days later for the same fault.
    n_visits = len(day)
    is_comeback_source = (visit > 0) & (rng.random(n_visits) < w.COMEBACK_SHARE)
    back_day = day[is_comeback_source] + rng.integers(
        *w.COMEBACK_DAYS, int(is_comeback_source.sum())
    )
    back_ok = back_day <= end
    source_rows = np.flatnonzero(is_comeback_source)[back_ok]
    vehicle = np.concatenate([vehicle, vehicle[source_rows]])
    visit = np.concatenate([visit, np.full(len(source_rows), -1)])
    day = np.concatenate([day, back_day[back_ok]])
    comeback_of = np.concatenate([np.full(n_visits, -1), source_rows])
    # Rows are already in (vehicle, day) order but for the comebacks appended at the end:
    # one key and a stable sort (timsort merges the two runs in linear time).
    key = (vehicle.astype(np.int64) << 17 | day.astype(np.int64) - _DAY_OFFSET << 1) | (visit == -1)
    order = np.argsort(key, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    vehicle, visit, day = vehicle[order], visit[order], day[order]
    comeback_of = comeback_of[order]
    comeback_of = np.where(comeback_of >= 0, rank[np.maximum(comeback_of, 0)], -1)
    m = len(day)
    # Workshops open orders in the morning, local time.
    start_s, stop_s = (hour * 3600 for hour in w.OPENING_HOURS)
    opened = day * 86_400 - w.UTC_OFFSET_S + rng.integers(start_s, stop_s, m)
    promised = opened + rng.integers(*w.PROMISED_HOURS, m) * 3600
    late = rng.random(m) < w.LATE_SHARE
    closed = np.where(
        late,
        promised + rng.integers(*w.LATE_HOURS, m) * 3600,
        promised - rng.integers(0, w.EARLY_S, m),
    )
    closed = np.maximum(closed, opened + w.MIN_WORKSHOP_S)
    # Orders not handed back by the end of as_of are still open: no closing instant yet.
    end_of_day = (end + 1) * 86_400 - w.UTC_OFFSET_S
    closed = np.where(closed < end_of_day, closed, np.iinfo(np.int64).min)
    mileage = np.floor(
        (day - purchase[vehicle]) * rate[vehicle] * rng.uniform(*w.MILEAGE_SPREAD, m)
    ).astype(np.int64)
    mileage = _monotone_per_vehicle(vehicle, mileage)
    customer = _owner_on(vehicles.ownerships, vehicle, _dates(day))
    dealer = vehicles.dealer[vehicle].astype(np.int64)
    columns = {
        "id": ids("RO", m, 8),
        "dealer": dealer,
        "vehicle": vehicle.astype(np.int64),
        "customer": customer.astype(np.int64),
        "advisor": advisors(dealer, n_dealers),
        "opened_at": _instants(opened),
        "closed_at": _instants(closed),  # NaT while open
        "promised_at": _instants(promised),
        "mileage": mileage,
        "by_appointment": rng.random(m) < w.APPOINTMENT_SHARE,
        "comeback": comeback_of.astype(np.int64),
    }
    return columns, visit


def _instants(seconds: NDArray[np.int64]) -> NDArray[np.datetime64]:
    """Seconds since 1970 (UTC) as instants; the smallest int64 is NaT."""
    return seconds.astype("datetime64[s]").astype("datetime64[us]")


def _monotone_per_vehicle(
    vehicle: NDArray[np.int64], mileage: NDArray[np.int64]
) -> NDArray[np.int64]:
    """Make odometer readings non-decreasing within each vehicle (rows sorted by vehicle)."""
    offset = vehicle.astype(np.int64) * (10**9)
    return np.maximum.accumulate(mileage + offset) - offset


def _owner_on(
    ownerships: Columns, vehicle: NDArray[np.int64], day: NDArray[np.datetime64]
) -> NDArray[np.int64]:
    n_vehicles = int(ownerships["vehicle"].max(initial=-1)) + 1
    first = np.empty(n_vehicles, dtype=np.int64)
    first[ownerships["vehicle"][:n_vehicles]] = ownerships["customer"][:n_vehicles]
    owner = first[vehicle] if len(vehicle) else np.zeros(0, dtype=np.int64)
    resold = ownerships["vehicle"][n_vehicles:]
    if len(resold) and len(vehicle):
        handover = np.full(n_vehicles, _NAT_DAY)
        buyer = np.full(n_vehicles, -1, dtype=np.int64)
        handover[resold] = ownerships["start"][n_vehicles:]
        buyer[resold] = ownerships["customer"][n_vehicles:]
        after = ~np.isnat(handover[vehicle]) & (day >= handover[vehicle])
        owner = np.where(after, buyer[vehicle], owner)
    return owner


def draw_spend_propensity(rng: np.random.Generator, n: int) -> NDArray[np.float64]:
    """Each customer's spend propensity: lognormal with mean 1 (see ``SPEND_PROPENSITY_SIGMA``)."""
    z = rng.standard_normal(n)
    sigma = w.SPEND_PROPENSITY_SIGMA
    return np.exp(sigma * z - sigma * sigma / 2)


def draw_lines(
    rng: np.random.Generator, visit: NDArray[np.int64], propensity: NDArray[np.float64]
) -> Columns:
    """The lines of each order: a head line and a few extra lines.

    The head is the first maintenance, a routine service or, on a comeback, the repeated
    repair. ``propensity`` is the spend propensity of each order's customer: it scales the
    amounts of the lines of ``PROPENSITY_PAYS``.
    """
    m = len(visit)
    extra = np.minimum(rng.poisson(w.EXTRA_LINES_MEAN, m), w.MAX_LINES - 1)
    comeback = visit == -1
    extra = np.where(comeback, 0, extra)
    count = 1 + extra
    order = np.repeat(np.arange(m), count)
    position = np.arange(len(order)) - np.repeat(np.cumsum(count) - count, count)
    table = (w.FIRST_LINE, w.ROUTINE_LINE, *w.EXTRA_LINES)
    weights = np.asarray([spec[2] for spec in w.EXTRA_LINES])
    spec = 2 + rng.choice(len(w.EXTRA_LINES), len(order), p=weights / weights.sum())
    head = position == 0
    spec = np.where(head & (visit[order] == 0), 0, np.where(head & (visit[order] > 0), 1, spec))
    spec = np.where(head & comeback[order], 2, spec)  # a comeback repeats a minor repair
    kinds = np.asarray([_SERVICE_KINDS.index(s[0]) for s in table], dtype=np.int8)
    pays = np.asarray([_PAY_TYPES.index(s[1]) for s in table], dtype=np.int8)
    labour_median = np.asarray([s[3] for s in table], dtype=np.float64)[spec]
    parts_median = np.asarray([s[4] for s in table], dtype=np.float64)[spec]
    n_lines = len(order)
    # A comeback is redone at the dealer's cost: internal pay.
    pay = np.where(comeback[order], _PAY_TYPES.index(PayType.INTERNAL), pays[spec])
    scaled = np.isin(pay, [_PAY_TYPES.index(p) for p in w.PROPENSITY_PAYS])
    labour_median = np.where(scaled, labour_median * propensity[order], labour_median)
    parts_median = np.where(scaled, parts_median * propensity[order], parts_median)
    # Lognormal amounts around each kind's median; labour in whole yuan, parts in fen.
    spread = np.exp(w.AMOUNT_SIGMA * rng.standard_normal((2, n_lines), dtype=np.float32))
    labour = (np.rint(labour_median * spread[0] / 100) * 100).astype(np.int64)
    parts = np.rint(parts_median * spread[1]).astype(np.int64)
    return {
        "order": order.astype(np.int64),
        "kind": kinds[spec],
        "pay": pay.astype(np.int8),
        "labour_fen": labour,
        "parts_fen": parts,
        "description": nones(n_lines),
        "parts_replaced": _empty_tuples(n_lines),  # drawn on their own stream
    }


def draw_parts_replaced(
    rng: np.random.Generator, kind: NDArray[np.int8], parts_fen: NDArray[np.int64]
) -> NDArray[np.object_]:
    """The parts each line replaced: a set of ``PARTS_REPLACED`` for its kind.

    A line without a parts amount replaces nothing. One draw per line, on the caller's
    stream, whatever its kind.
    """
    choice = rng.random(len(kind))
    sets = [w.PARTS_REPLACED.get(k, ((),)) for k in _SERVICE_KINDS]
    offset = np.cumsum([0] + [len(c) for c in sets])[:-1]
    count = np.asarray([len(c) for c in sets])
    flat = np.empty(int(count.sum()) + 1, dtype=object)
    flat[:-1] = [parts for c in sets for parts in c]
    flat[-1] = ()
    pick = offset[kind] + (choice * count[kind]).astype(np.int64)
    pick[parts_fen <= 0] = len(flat) - 1
    out: NDArray[np.object_] = flat[pick]
    return out


def first_visits(n_vehicles: int, orders: Columns) -> Columns:
    """The date and odometer reading of each vehicle's first order (NaT and -1 before any)."""
    vehicle = orders["vehicle"]
    # Orders are sorted by vehicle, then time: a vehicle's first order is where it starts.
    first_row = np.searchsorted(vehicle, np.arange(n_vehicles))
    seen = np.zeros(n_vehicles, dtype=bool)
    inside = first_row < len(vehicle)
    seen[inside] = vehicle[first_row[inside]] == np.arange(n_vehicles)[inside]
    visit_date = np.full(n_vehicles, _NAT_DAY)
    visit_date[seen] = orders["opened_at"][first_row[seen]].astype("datetime64[D]")
    mileage = np.full(n_vehicles, -1, dtype=np.int64)
    mileage[seen] = orders["mileage"][first_row[seen]]
    return {"first_visit_date": visit_date, "first_visit_mileage": mileage}
