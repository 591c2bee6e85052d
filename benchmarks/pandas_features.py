"""The customer and vehicle features of ``features.compute``, written the way an analyst would in pandas.

An independent baseline for ``bench_features.py``: the same features, names and meanings as
:func:`aftersales_crm.features.compute`, built from the table columns with DataFrames,
``groupby(...).agg(...)``, ``merge``, ``transform``, ``diff`` and ``median``. Nothing here
calls the library's kernels; it imports only the enums (for their codes) and the Earth's
radius.

    from pandas_features import features
    customers, vehicles = features(tables, as_of=date(2026, 6, 30))

``customers`` has one row per row of ``tables.customers`` (a RangeIndex of row positions),
``vehicles`` one per row of ``tables.vehicles``. Counts and fen are int64, rates and day
counts float64 with NaN for missing, dates ``datetime64`` with NaT, and the two categorical
columns (``sector``, ``km_per_day_method``) pandas ``Categorical``.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Final

import numpy as np
import pandas as pd
from dateutil.relativedelta import relativedelta

from aftersales_crm.features import MileageMethod
from aftersales_crm.records import REPAIR_KINDS
from aftersales_crm.tables import Table, Tables
from aftersales_crm.values import (
    EARTH_MEAN_RADIUS_KM,
    ROUTINE_SERVICE_KINDS,
    BodyType,
    CompassSector,
    FuelType,
    Gender,
    PayType,
    ServiceKind,
)

__all__ = ["features"]

WINDOW: Final = relativedelta(months=12)
UTC_OFFSET: Final = timedelta(hours=8)
DEFAULT_KM_PER_DAY: Final = 15_000 / 365
MAX_KM_PER_DAY: Final = 300.0
MIN_MODEL_VEHICLES: Final = 5
SERVICE_MONTHS: Final = 6
SERVICE_KM: Final = 5_000
MONTH_DAYS: Final = 31
DAYS_PER_YEAR: Final = 365.0
FEBRUARY: Final = 2
LEAP_DAY: Final = 29
FULL_TURN: Final = 360.0

KINDS: Final = [kind.value for kind in ServiceKind]  # a line's kind code is a position here
PAYS: Final = [pay.value for pay in PayType]
CUSTOMER_PAY: Final = PAYS.index(PayType.CUSTOMER.value)
KIND_COLUMNS: Final = [f"visits_{kind}" for kind in KINDS]
PAY_COLUMNS: Final = [f"visits_{pay}_pay" for pay in PAYS]
ROUTINE_COLUMNS: Final = [f"visits_{kind.value}" for kind in ROUTINE_SERVICE_KINDS]
FIRST_MAINTENANCE: Final = f"visits_{ServiceKind.FIRST_MAINTENANCE.value}"
REPAIR_COLUMNS: Final = [f"visits_{kind.value}" for kind in REPAIR_KINDS]
FIX_WINDOW_DAYS: Final = 30
MILEAGE_EDGES: Final = [0, 10_000, 30_000, 60_000, 100_000]
SECTORS: Final = [sector.value for sector in CompassSector]
METHODS: Final = [method.value for method in MileageMethod]
GENDERS: Final = [gender.value for gender in Gender]
BODY_TYPES: Final = [body.value for body in BodyType]
FUELS: Final = [fuel.value for fuel in FuelType]


def features(
    tables: Tables,
    as_of: date,
    *,
    window: relativedelta = WINDOW,
    utc_offset: timedelta = UTC_OFFSET,
    default_km_per_day: float = DEFAULT_KM_PER_DAY,
    max_km_per_day: float = MAX_KM_PER_DAY,
    min_model_vehicles: int = MIN_MODEL_VEHICLES,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The customer features and the vehicle features on ``as_of``, as two DataFrames."""
    today = pd.Timestamp(as_of)
    orders = _orders(tables, today, utc_offset, pd.Timestamp(as_of - window))
    vehicles = _vehicles(
        tables,
        orders,
        today,
        default_km_per_day=default_km_per_day,
        max_km_per_day=max_km_per_day,
        min_model_vehicles=min_model_vehicles,
    )
    customers = _customers(tables, orders, today, vehicles)
    customers = customers.join(_engagement(tables, orders, today, pd.Timestamp(as_of - window)))
    jobs = _first_time_fix(orders, today)
    parts = _parts_per_order(tables, orders)
    customers = customers.join(_quality(jobs, parts, orders, "customer", customers.index))
    vehicles = vehicles.join(_quality(jobs, parts, orders, "vehicle", vehicles.index))
    vehicles = vehicles.join(_brand_and_mileage_band(tables, vehicles))
    return customers, vehicles


def _frame(table: Table, names: list[str]) -> pd.DataFrame:
    """Some columns of a table as a DataFrame, without copying them."""
    return pd.DataFrame({name: table[name] for name in names}, copy=False)


def _orders(
    tables: Tables, today: pd.Timestamp, utc_offset: timedelta, window_start: pd.Timestamp
) -> pd.DataFrame:
    """The orders opened by ``today`` (business date), with their lines summed and flagged.

    One row per order, column ``order`` its row in ``tables.orders``, in order of opening.
    """
    lines = _frame(tables.lines, ["order", "kind", "pay", "labour_fen", "parts_fen"])
    lines["amount"] = lines["labour_fen"] + lines["parts_fen"]
    lines["is_customer_pay"] = lines["pay"] == CUSTOMER_PAY
    lines["customer_pay"] = lines["amount"].where(lines["is_customer_pay"], 0)
    per_order = lines.groupby("order").agg(
        amount=("amount", "sum"),
        customer_pay=("customer_pay", "sum"),
        lines=("amount", "size"),
        customer_pay_lines=("is_customer_pay", "sum"),
    )
    # Which kinds and pay types each order has a line of: one-hot lines, any per order.
    kinds = pd.get_dummies(pd.Categorical.from_codes(lines["kind"], KINDS)).set_axis(
        KIND_COLUMNS, axis=1
    )
    pays = pd.get_dummies(pd.Categorical.from_codes(lines["pay"], PAYS)).set_axis(
        PAY_COLUMNS, axis=1
    )
    has = pd.concat([kinds, pays], axis=1).groupby(lines["order"].to_numpy()).any()

    orders = _frame(
        tables.orders,
        [
            "customer",
            "vehicle",
            "dealer",
            "opened_at",
            "closed_at",
            "promised_at",
            "mileage",
            "by_appointment",
            "comeback",
        ],
    ).rename_axis("order")
    # An order without lines has 0 of everything; reindexing with a fill keeps int64 money.
    orders = orders.join(per_order.reindex(orders.index, fill_value=0))
    orders = orders.join(has.reindex(orders.index, fill_value=False))
    orders["day"] = (orders["opened_at"] + utc_offset).dt.floor("D")
    # In time order (ties in table order), so that groupby's first, last and diff follow time.
    orders = orders[orders["day"] <= today].sort_values("opened_at", kind="stable")

    closed_day = (orders["closed_at"] + utc_offset).dt.floor("D")
    orders["promised"] = (closed_day <= today) & orders["promised_at"].notna()
    orders["on_time"] = orders["promised"] & (orders["closed_at"] <= orders["promised_at"])
    orders["is_comeback"] = orders["comeback"] >= 0
    in_window = orders["day"] > window_start
    orders["in_window"] = in_window
    orders["window_amount"] = orders["amount"].where(in_window, 0)
    orders["window_customer_pay"] = orders["customer_pay"].where(in_window, 0)
    return orders.reset_index()


def _customers(
    tables: Tables, orders: pd.DataFrame, today: pd.Timestamp, vehicles: pd.DataFrame
) -> pd.DataFrame:
    n = len(tables.customers)
    visits = orders
    by_customer = visits.groupby("customer")
    agg = by_customer.agg(
        visits=("order", "size"),
        visit_days=("day", "nunique"),
        first_visit=("day", "min"),
        last_visit=("day", "max"),
        lines=("lines", "sum"),
        customer_pay_lines=("customer_pay_lines", "sum"),
        spend_fen=("amount", "sum"),
        spend_customer_pay_fen=("customer_pay", "sum"),
        spend_window_fen=("window_amount", "sum"),
        spend_window_customer_pay_fen=("window_customer_pay", "sum"),
        promised=("promised", "sum"),
        on_time=("on_time", "sum"),
        comebacks=("is_comeback", "sum"),
        appointments=("by_appointment", "sum"),
        last_dealer=("dealer", "last"),
        visits_window=("in_window", "sum"),
    )
    agg = agg.join(by_customer[KIND_COLUMNS + PAY_COLUMNS].sum())
    recent = visits[visits["in_window"]]
    agg["visit_days_window"] = recent.groupby("customer")["day"].nunique()
    # Gaps between successive distinct visit days.
    days = visits[["customer", "day"]].drop_duplicates()
    gaps = days.groupby("customer")["day"].diff().dt.days
    agg["interval_median_days"] = gaps.groupby(days["customer"]).median()
    # Spend per distinct visit day; the repeat days are all but the first.
    per_day = visits.groupby(["customer", "day"])["amount"].sum()
    by_day = per_day.groupby("customer")
    agg["repeat_spend_fen"] = by_day.sum() - by_day.first()
    # Loyalty widened to any vehicle: the customer's first first-maintenance visit, then
    # their first routine visit on a later day (at that dealer, and anywhere).
    first_visit = visits[visits[FIRST_MAINTENANCE]].groupby("customer")[["day", "dealer"]].first()
    since = first_visit["day"].reindex(visits["customer"]).to_numpy()
    at = first_visit["dealer"].reindex(visits["customer"]).to_numpy()
    later = visits[ROUTINE_COLUMNS].any(axis=1) & (visits["day"] > since)
    agg["any_vehicle_first_maintenance"] = first_visit["day"]
    agg["any_vehicle_return_date"] = (
        visits[later & (visits["dealer"] == at)].groupby("customer")["day"].min()
    )
    agg["any_vehicle_network_return_date"] = visits[later].groupby("customer")["day"].min()
    # The material's category: the owned vehicles that had their first maintenance while
    # their owner had them, earliest first maintenance and returns.
    counted = vehicles[
        (vehicles["owner"] >= 0)
        & vehicles["first_maintenance"].notna()
        & (vehicles["owned_since"] <= vehicles["first_maintenance"])
    ]
    rolled = counted.groupby("owner")[["first_maintenance", "return_date", "network_return_date"]]
    agg = agg.join(rolled.min(), how="outer")

    c = agg.reindex(pd.RangeIndex(n, name="customer"))
    spend = ["spend_fen", "spend_customer_pay_fen"]
    spend += ["spend_window_fen", "spend_window_customer_pay_fen", "repeat_spend_fen"]
    counts = ["visits", "visit_days", "lines", "customer_pay_lines", *spend, "promised"]
    counts += ["on_time", "comebacks", "appointments", *KIND_COLUMNS, *PAY_COLUMNS]
    counts += ["visits_window", "visit_days_window"]
    c[counts] = c[counts].fillna(0).astype(np.int64)

    out = pd.DataFrame(index=c.index)
    out["visits"] = c["visits"]
    out["visit_days"] = c["visit_days"]
    out["first_visit"] = c["first_visit"]
    out["last_visit"] = c["last_visit"]
    out["recency_days"] = (today - c["last_visit"]).dt.days.astype(float)
    out["tenure_days"] = (today - c["first_visit"]).dt.days.astype(float)
    out["span_days"] = (c["last_visit"] - c["first_visit"]).dt.days.astype(float)
    out["frequency"] = (c["visit_days"] - 1).clip(lower=0)
    out[KIND_COLUMNS + PAY_COLUMNS] = c[KIND_COLUMNS + PAY_COLUMNS]
    out["lines"] = c["lines"]
    out[spend] = c[spend]
    out["visits_window"] = c["visits_window"]
    out["visit_days_window"] = c["visit_days_window"]
    out["avg_visit_spend_fen"] = _half_up(c["spend_fen"], c["visits"])
    out["avg_line_spend_fen"] = _half_up(c["spend_fen"], c["lines"])
    out["avg_visit_spend_customer_pay_fen"] = _half_up(
        c["spend_customer_pay_fen"], c[f"visits_{PayType.CUSTOMER.value}_pay"]
    )
    out["avg_line_spend_customer_pay_fen"] = _half_up(
        c["spend_customer_pay_fen"], c["customer_pay_lines"]
    )
    out["avg_repeat_day_spend_fen"] = _half_up(c["repeat_spend_fen"], out["frequency"])
    out["interval_mean_days"] = out["span_days"] / (c["visit_days"] - 1).where(c["visit_days"] > 1)
    out["interval_median_days"] = c["interval_median_days"].astype(float)
    out["any_vehicle_first_maintenance"] = c["any_vehicle_first_maintenance"]
    out["any_vehicle_return_date"] = c["any_vehicle_return_date"]
    out["any_vehicle_network_return_date"] = c["any_vehicle_network_return_date"]
    out["first_maintenance"] = c["first_maintenance"]
    out["returned_after_first_maintenance"] = c["return_date"].notna()
    out["return_date"] = c["return_date"]
    out["network_return_date"] = c["network_return_date"]
    out["on_time_rate"] = c["on_time"] / c["promised"].where(c["promised"] > 0)
    out["comebacks"] = c["comebacks"]
    out["appointment_share"] = c["appointments"] / c["visits"].where(c["visits"] > 0)

    people = _frame(tables.customers, ["birthday", "home_lat", "home_lon"])
    out["age_years"] = _completed_years(people["birthday"], today)
    dealer = c["last_dealer"].fillna(_selling_dealer(tables, today)).fillna(-1).astype(np.int64)
    out["dealer"] = dealer
    dealers = _frame(tables.dealers, ["lat", "lon"])
    where = dealers.reindex(dealer.to_numpy())  # dealer -1 (none) gives NaN
    lat, lon = where["lat"].to_numpy(), where["lon"].to_numpy()
    home_lat, home_lon = people["home_lat"].to_numpy(), people["home_lon"].to_numpy()
    out["distance_km"] = _haversine_km(lat, lon, home_lat, home_lon)
    bearing = _bearing_deg(lat, lon, home_lat, home_lon)
    out["bearing_deg"] = bearing
    out["sector"] = _sector(bearing)
    out["gender"] = pd.Categorical.from_codes(tables.customers["gender"], GENDERS)
    out["hobbies"] = tables.customers["hobbies"]
    owned = _frame(tables.ownerships, ["customer", "vehicle", "start", "end"])
    started = owned[owned["start"] <= today]
    current = started[started["end"].isna() | (started["end"] > today)]
    out["vehicles_owned"] = (
        current["customer"].value_counts().reindex(out.index, fill_value=0).astype(np.int64)
    )
    bought = pd.Series(tables.vehicles["purchase_date"], name="bought")
    first = (
        started.merge(bought, left_on="vehicle", right_index=True)
        .groupby("customer")["bought"]
        .min()
    )
    out["first_purchase"] = first.reindex(out.index)
    return out


def _engagement(
    tables: Tables, orders: pd.DataFrame, today: pd.Timestamp, window_start: pd.Timestamp
) -> pd.DataFrame:
    """On-time arrival, dealers visited and activities attended, per customer."""
    index = pd.RangeIndex(len(tables.customers), name="customer")
    # On-time arrival: each service visit of a vehicle after the customer's previous one of
    # it on an earlier day, on time by 6 months or 5,000 km at the pace between the two.
    service = orders[orders[[*ROUTINE_COLUMNS, FIRST_MAINTENANCE]].any(axis=1)]
    service = service.sort_values(["customer", "vehicle"], kind="stable")
    previous = service.groupby(["customer", "vehicle"])[["day", "mileage"]].shift()
    returns = service[service["day"] > previous["day"]]
    before = previous.loc[returns.index]
    elapsed = (returns["day"] - before["day"]).dt.days
    rate = (returns["mileage"] - before["mileage"]) / elapsed
    by_time = before["day"] + pd.DateOffset(months=SERVICE_MONTHS)
    days = np.ceil(SERVICE_KM / rate.where(rate > 0)).clip(upper=MONTH_DAYS * SERVICE_MONTHS)
    by_km = before["day"] + pd.to_timedelta(days, unit="D")
    due = by_time.where(~(by_km < by_time), by_km)
    out = pd.DataFrame(index=index)
    out["service_returns"] = returns.groupby("customer").size()
    out["on_time_returns"] = returns[returns["day"] <= due].groupby("customer").size()
    # Dealers: visit days at each dealer, and the share at the dealer with the most.
    days_at = orders[["customer", "dealer", "day"]].drop_duplicates()
    per_dealer = days_at.groupby(["customer", "dealer"]).size()
    out["dealers_visited"] = per_dealer.groupby("customer").size()
    most = per_dealer.groupby("customer").max()
    visit_days = orders.groupby("customer")["day"].nunique()
    attended = _frame(tables.activities, ["customer", "on"])
    attended = attended[attended["on"] <= today]
    out["activities"] = attended.groupby("customer").size()
    out["activities_window"] = attended[attended["on"] > window_start].groupby("customer").size()
    counts = ["service_returns", "on_time_returns", "dealers_visited"]
    counts += ["activities", "activities_window"]
    out[counts] = out[counts].fillna(0).astype(np.int64)
    out["on_time_arrival_rate"] = out["on_time_returns"] / out["service_returns"].where(
        out["service_returns"] > 0
    )
    out["main_dealer_share"] = (most / visit_days).reindex(index)
    return out


def _first_time_fix(orders: pd.DataFrame, today: pd.Timestamp) -> pd.DataFrame:
    """The settled repair jobs (a repair line, not a comeback, opened 30+ days before
    ``today``) with ``fixed``: no comeback to them opened within 30 days."""
    window = pd.Timedelta(days=FIX_WINDOW_DAYS)
    is_job = orders[REPAIR_COLUMNS].any(axis=1) & (orders["comeback"] < 0)
    jobs = orders.loc[
        is_job & (orders["day"] + window <= today), ["order", "customer", "vehicle", "day"]
    ]
    backs = orders.loc[orders["comeback"] >= 0, ["comeback", "day"]]
    hits = jobs.merge(backs, left_on="order", right_on="comeback", suffixes=("", "_back"))
    failed = hits.loc[hits["day_back"] - hits["day"] <= window, "order"]
    return jobs.assign(fixed=~jobs["order"].isin(failed))


def _parts_per_order(tables: Tables, orders: pd.DataFrame) -> pd.Series:
    """Parts replaced on the lines of each counted order, aligned with ``orders``."""
    lines = pd.DataFrame(
        {
            "order": tables.lines["order"],
            "parts": pd.Series(tables.lines["parts_replaced"]).map(len),
        }
    )
    per_order = lines.groupby("order")["parts"].sum()
    return per_order.reindex(orders["order"], fill_value=0).set_axis(orders.index).astype(np.int64)


def _quality(
    jobs: pd.DataFrame, parts: pd.Series, orders: pd.DataFrame, key: str, index: pd.Index
) -> pd.DataFrame:
    """First-time fix and parts replaced per ``key`` (customer or vehicle)."""
    by = jobs.groupby(key)["fixed"].agg(["size", "sum"]).reindex(index, fill_value=0)
    out = pd.DataFrame(index=index)
    out["repair_jobs"] = by["size"].astype(np.int64)
    out["fixed_first_time"] = by["sum"].astype(np.int64)
    out["first_time_fix_rate"] = out["fixed_first_time"] / out["repair_jobs"].where(
        out["repair_jobs"] > 0
    )
    out["parts_replaced"] = (
        parts.groupby(orders[key]).sum().reindex(index, fill_value=0).astype(np.int64)
    )
    if key == "customer":
        recent = parts.where(orders["in_window"], 0)
        out["parts_replaced_window"] = (
            recent.groupby(orders[key]).sum().reindex(index, fill_value=0).astype(np.int64)
        )
    return out


def _brand_and_mileage_band(tables: Tables, vehicles: pd.DataFrame) -> pd.DataFrame:
    """The brand as text, the mileage band's lower edge and the days it took to reach it."""
    out = pd.DataFrame(index=vehicles.index)
    names = np.array([*tables.vehicles.labels["brand"], None], dtype=object)
    out["brand"] = names[tables.vehicles["brand"]]  # code -1 picks the None
    edges = [*MILEAGE_EDGES, np.inf]
    lower = pd.cut(vehicles["mileage_at_as_of"], edges, right=False, labels=MILEAGE_EDGES[:])
    edge = lower.astype(float)
    out["mileage_band_km"] = edge.fillna(-1).astype(np.int64)
    rate = vehicles["km_per_day"].where(vehicles["km_per_day"] > 0)
    out["days_to_mileage_band"] = (edge / rate).mask(edge == 0, 0.0)
    return out


def _selling_dealer(tables: Tables, today: pd.Timestamp) -> pd.Series:
    """Per customer, the selling dealer of the vehicle of their earliest started ownership
    that has one (ownerships by start date, then table order)."""
    owned = _frame(tables.ownerships, ["customer", "vehicle", "start"])
    owned["ownership"] = np.arange(len(owned))  # a column: merge drops an empty index's name
    selling = pd.Series(tables.vehicles["selling_dealer"], name="selling_dealer")
    owned = owned.merge(selling, left_on="vehicle", right_index=True)
    owned = owned[(owned["start"] <= today) & (owned["selling_dealer"] >= 0)]
    owned = owned.sort_values(["customer", "start", "ownership"])
    return owned.groupby("customer")["selling_dealer"].first()


def _vehicles(
    tables: Tables,
    orders: pd.DataFrame,
    today: pd.Timestamp,
    *,
    default_km_per_day: float,
    max_km_per_day: float,
    min_model_vehicles: int,
) -> pd.DataFrame:
    n = len(tables.vehicles)
    visits = orders[["vehicle", "day", "mileage"]]
    by_vehicle = visits.groupby("vehicle")
    # Least squares of mileage on days, both from the vehicle's first visit:
    # slope = (k Σty - Σt Σy) / (k Σt² - (Σt)²), in exact integer sums.
    visits["t"] = (visits["day"] - by_vehicle["day"].transform("first")).dt.days
    visits["y"] = visits["mileage"] - by_vehicle["mileage"].transform("first")
    visits["tt"] = visits["t"] * visits["t"]
    visits["ty"] = visits["t"] * visits["y"]
    visits["yy"] = visits["y"] * visits["y"]
    climb = by_vehicle["mileage"].diff()
    elapsed = by_vehicle["day"].diff().dt.days.clip(lower=1)
    visits["odd"] = (climb < 0) | (climb > max_km_per_day * elapsed)
    agg = visits.groupby("vehicle").agg(
        visits=("day", "size"),
        first_visit=("day", "first"),
        last_visit=("day", "last"),
        last_mileage=("mileage", "last"),
        st=("t", "sum"),
        sy=("y", "sum"),
        stt=("tt", "sum"),
        sty=("ty", "sum"),
        syy=("yy", "sum"),
        odometer_anomalies=("odd", "sum"),
    )
    v = agg.reindex(pd.RangeIndex(n, name="vehicle"))
    counts = ["visits", "st", "sy", "stt", "sty", "syy", "odometer_anomalies"]
    v[counts] = v[counts].fillna(0).astype(np.int64)
    k = v["visits"]
    var_t = (k * v["stt"] - v["st"] ** 2).astype(float)
    cov = (k * v["sty"] - v["st"] * v["sy"]).astype(float)
    var_y = (k * v["syy"] - v["sy"] ** 2).astype(float)
    rate = (cov / var_t).where(var_t > 0)
    r2 = (cov * cov / (var_t * var_y)).where(var_y > 0, 1.0)
    span = (v["last_visit"] - v["first_visit"]).dt.days.fillna(0)
    confidence = r2.clip(0.0, 1.0) * (span / DAYS_PER_YEAR).clip(upper=1.0)
    # Only a vehicle whose readings never go backwards or jump gets its own rate.
    trusted = v["odometer_anomalies"] == 0
    fitted = rate.notna() & (rate >= 0) & (rate <= max_km_per_day) & trusted

    cars = _frame(tables.vehicles, ["model", "purchase_date"])
    cars["rate"] = rate
    use = cars[fitted & (cars["model"] >= 0)]
    by_model = use.groupby("model")["rate"].agg(["median", "size"])
    medians = by_model.loc[by_model["size"] >= min_model_vehicles, "median"]
    model_rate = cars["model"].map(medians)
    from_model = ~fitted & model_rate.notna()

    out = pd.DataFrame(index=v.index)
    out["visits"] = v["visits"]
    out["first_visit"] = v["first_visit"]
    out["last_visit"] = v["last_visit"]
    out["km_per_day"] = rate.where(fitted, model_rate.where(from_model, default_km_per_day))
    method = np.select([fitted, from_model], [0, 1], 2)
    out["km_per_day_method"] = pd.Categorical.from_codes(method, METHODS)
    out["km_per_day_confidence"] = confidence.where(fitted, 0.0)
    out["odometer_anomalies"] = v["odometer_anomalies"]
    out["last_mileage"] = v["last_mileage"].astype(float)
    since = v["last_visit"].fillna(cars["purchase_date"])
    elapsed_days = (today - since).dt.days.astype(float)
    elapsed_days = elapsed_days.where(elapsed_days >= 0)
    base = out["last_mileage"].fillna(0.0)
    out["mileage_at_as_of"] = base + out["km_per_day"] * elapsed_days
    out = out.join(_service_history(orders, out.index))
    # Next service: 6 months after the last workshop service at the vehicle's dealer, or
    # when 5,000 more km are driven (with a positive rate, at most 31 days a month later),
    # whichever first.
    by_time = out["last_service"] + pd.DateOffset(months=SERVICE_MONTHS)
    applies = out["last_service_mileage"].notna() & (out["km_per_day"] > 0)
    days = np.ceil(SERVICE_KM / out["km_per_day"].where(applies)).clip(
        upper=MONTH_DAYS * SERVICE_MONTHS
    )
    by_km = out["last_service"] + pd.to_timedelta(days, unit="D")
    out["service_due"] = by_time.where(~(by_km < by_time), by_km)
    out["age_years"] = _completed_years(cars["purchase_date"], today)
    owner, owners, since = _owners(tables, today, out.index)
    out["owner"] = owner
    out["owners"] = owners
    out["owned_since"] = since
    out["body_type"] = pd.Categorical.from_codes(tables.vehicles["body_type"], BODY_TYPES)
    out["fuel"] = pd.Categorical.from_codes(tables.vehicles["fuel"], FUELS)
    out["sold_here"] = tables.vehicles["sold_here"]
    return out


def _service_history(orders: pd.DataFrame, index: pd.Index) -> pd.DataFrame:
    """Per vehicle: first maintenance and its dealer, returns, and the last workshop service."""
    o = orders[["vehicle", "day", "dealer", "mileage"]].copy()
    first = o[orders[FIRST_MAINTENANCE]].groupby("vehicle")[["day", "dealer"]].first()
    routine = orders[ROUTINE_COLUMNS].any(axis=1)
    service = routine | orders[FIRST_MAINTENANCE]
    # reindex, not map: map casts an empty datetime Series to float (a log without vehicles)
    later = routine & (o["day"] > first["day"].reindex(o["vehicle"]).to_numpy())
    same = o["dealer"] == first["dealer"].reindex(o["vehicle"]).to_numpy()
    first_service = o[service].groupby("vehicle")["dealer"].first()
    home = first["dealer"].reindex(index).fillna(first_service.reindex(index))
    at_home = service & (o["dealer"] == o["vehicle"].map(home))
    last_home = o[at_home].groupby("vehicle")[["day", "mileage"]].last()
    last_any = o[service].groupby("vehicle")[["day", "mileage"]].last()
    h = pd.DataFrame(index=index)
    h["first_maintenance"] = first["day"]
    h["first_maintenance_dealer"] = first["dealer"].reindex(index).fillna(-1).astype(np.int64)
    h["return_date"] = o[later & same].groupby("vehicle")["day"].first()
    h["network_return_date"] = o[later].groupby("vehicle")["day"].first()
    h["service_dealer"] = home.fillna(-1).astype(np.int64)
    h["last_service"] = last_home["day"]
    h["last_service_mileage"] = last_home["mileage"].astype(float)
    h["last_network_service"] = last_any["day"]
    h["last_network_service_mileage"] = last_any["mileage"].astype(float)
    return h


def _owners(
    tables: Tables, today: pd.Timestamp, index: pd.Index
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Per vehicle: its owner on ``today`` (-1 for none), how many owners it has had, and
    the day the current ownership started (NaT for none)."""
    owned = _frame(tables.ownerships, ["customer", "vehicle", "start", "end"])
    started = owned[owned["start"] <= today]
    current = started[started["end"].isna() | (started["end"] > today)]
    latest = current.drop_duplicates("vehicle", keep="last").set_index("vehicle")
    owners = started["vehicle"].value_counts()
    return (
        latest["customer"].reindex(index, fill_value=-1).astype(np.int64),
        owners.reindex(index, fill_value=0).astype(np.int64),
        latest["start"].reindex(index),
    )


def _half_up(total: pd.Series, count: pd.Series) -> pd.Series:
    """``total / count`` in whole fen rounded half up, in integers; 0 when count is 0."""
    safe = count.clip(lower=1)
    return ((2 * total + safe) // (2 * safe)).where(count > 0, 0)


def _completed_years(born: pd.Series, today: pd.Timestamp) -> pd.Series:
    """Whole years from each date to ``today``; 29 February's anniversary is 28 February in
    years without one. NaN for missing dates and dates after ``today``."""
    day = born.dt.day
    if not today.is_leap_year:
        day = day.mask((born.dt.month == FEBRUARY) & (day == LEAP_DAY), LEAP_DAY - 1)
    month = born.dt.month
    before = (month > today.month) | ((month == today.month) & (day > today.day))
    years = (today.year - born.dt.year - before).astype(float)
    return years.where(born <= today)


def _haversine_km(
    lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray
) -> np.ndarray:
    phi1, phi2 = np.radians(lat1), np.radians(lat2)
    d_phi, d_lambda = phi2 - phi1, np.radians(lon2 - lon1)
    a = np.sin(d_phi / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(d_lambda / 2) ** 2
    return 2 * EARTH_MEAN_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def _bearing_deg(
    lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray
) -> np.ndarray:
    phi1, phi2 = np.radians(lat1), np.radians(lat2)
    d_lambda = np.radians(lon2) - np.radians(lon1)
    x = np.sin(d_lambda) * np.cos(phi2)
    y = np.cos(phi1) * np.sin(phi2) - np.sin(phi1) * np.cos(phi2) * np.cos(d_lambda)
    return np.degrees(np.arctan2(x, y)) % FULL_TURN


def _sector(bearing: np.ndarray) -> pd.Categorical:
    """Eight compass sectors centred on north, north-east, …: [337.5, 22.5) is north."""
    width = FULL_TURN / len(SECTORS)
    edges = np.arange(len(SECTORS) + 2) * width - width / 2  # -22.5, 22.5, ..., 382.5
    slot = pd.cut(bearing, edges, right=False, labels=False)  # NaN bearing: NaN slot
    codes = np.where(np.isnan(slot), -1, np.nan_to_num(slot) % len(SECTORS)).astype(np.int8)
    return pd.Categorical.from_codes(codes, SECTORS)
