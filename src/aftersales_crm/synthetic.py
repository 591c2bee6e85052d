"""Seeded, realistic synthetic dealer data, for demos, doctests, tests and benchmarks.

One generative model, two outputs:

* :func:`columns` draws the whole customer base as numpy columns (dealers, customers,
  vehicles, ownerships, repair orders and their lines). It builds no Python object per row,
  so a million customers and ten million repair-order lines take seconds.
* :func:`book` draws the same columns for a small base, turns every row into a validated
  record, adds the facts that only records carry (contacts and follow-up calls,
  complaints, referrals, club activities, chapters) and returns a :class:`Book`.

The model follows the domain's rhythms (DOMAIN.md §1–§3): a first maintenance 3–6 months
after purchase (or at about 5,000 km, whichever comes first), then a visit every
6 months or 5,000–10,000 km; each vehicle's odometer grows at its own rate; a share of
owners drifts away and never comes back; some repairs come back for the same fault; some
deliveries are late; a few vehicles change hands. Identifiers are valid: VIN check
digits (ISO 3779), national ID check digits (GB 11643), phone numbers and plates.

Nothing here reads the clock or writes anything. The same ``seed`` gives the same data on
any machine with the same numpy version (numpy guarantees the bit stream of
:class:`numpy.random.Generator`, not every distribution across its own versions).

Examples:
    >>> from aftersales_crm import synthetic
    >>> book = synthetic.book(n_customers=50, seed=42)
    >>> len(book.customers), len(book.vehicles) >= 50
    (50, True)
    >>> cols = synthetic.columns(n_customers=1_000, seed=42)
    >>> cols.customers["id"][:2]
    array(['C0000000', 'C0000001'], dtype='<U8')
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from types import MappingProxyType
from typing import Any, Final

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm._frozen import frozen_reduce
from aftersales_crm.errors import InvalidValue
from aftersales_crm.records import (
    ActivityAttended,
    Book,
    Chapter,
    ComplaintFiled,
    ComplaintUpdated,
    ConsentChanged,
    ContactMade,
    Customer,
    Dealer,
    Ownership,
    Record,
    ReferralMade,
    RepairLine,
    RepairOrder,
    Vehicle,
)
from aftersales_crm.tables import SCHEMAS, Table, Tables
from aftersales_crm.values import (
    BodyType,
    FuelType,
    Gender,
    GeoPoint,
    Money,
    PayType,
    ServiceKind,
    national_id,
    vin,
)

__all__ = ["DEFAULT_AS_OF", "SyntheticColumns", "book", "columns"]

DEFAULT_AS_OF: Final = date(2026, 6, 30)
"""The day the synthetic history ends when no ``as_of`` is given (a fixed date: the library
reads no clock)."""

# ------------------------------------------------------------------ the model's numbers

#: Years of sales history before ``as_of``.
_HISTORY_YEARS = 8
#: Share of customers that are fleets or companies.
_FLEET_SHARE = 0.03
#: Share of customers with a second vehicle.
_SECOND_VEHICLE_SHARE = 0.12
#: Share of vehicles that change hands once (the buyer is another customer of the base).
_RESALE_SHARE = 0.03
#: Share of vehicles that were not sold by the network (full record at first visit).
_NOT_SOLD_HERE_SHARE = 0.15
#: Median and spread (lognormal sigma) of kilometres driven per day.
_KM_PER_DAY_MEDIAN, _KM_PER_DAY_SIGMA = 38.0, 0.45
#: Mean years until an owner drifts away for good (exponential).
_MEAN_YEARS_TO_DRIFT = 4.5
#: First maintenance: 3 to 6 months, or about 5,000 km, whichever comes first (DOMAIN.md §1).
_FIRST_MAINTENANCE_DAYS, _FIRST_MAINTENANCE_KM = (90, 180), 5_000
#: Routine service: every 6 months, or 5,000 to 10,000 km, whichever comes first.
_SERVICE_DAYS, _SERVICE_KM = 182, (5_000, 10_000)
#: Beijing time (UTC+8), in seconds: the synthetic dealers' business hours are local.
_UTC_OFFSET_S = 8 * 3600
#: Days since 1970 fit in 16 bits after this offset (1900-01-01), for compact sort keys.
_DAY_OFFSET = -25_567
#: The shortest gap between two routine visits, and the most visits one vehicle makes.
_MIN_GAP_DAYS, _MAX_VISITS = 30, 50
#: Days of slack, either way, around a due visit.
_VISIT_JITTER_DAYS = 21
#: Share of visits that were booked by appointment.
_APPOINTMENT_SHARE = 0.35
#: Share of repair visits that come back for the same fault, and within how many days.
_COMEBACK_SHARE, _COMEBACK_DAYS = 0.04, (2, 15)
#: Share of orders delivered after the promised time.
_LATE_SHARE = 0.12
#: Extra lines per visit (Poisson mean) and the most lines on one order.
_EXTRA_LINES_MEAN, _MAX_LINES = 0.8, 4

_CITIES: Final = (
    # name, latitude, longitude, plate prefix, national-ID county codes
    ("北京", 39.9042, 116.4074, "京A", ("110101", "110105", "110108", "110106")),
    ("上海", 31.2304, 121.4737, "沪A", ("310101", "310104", "310115", "310112")),
    ("广州", 23.1291, 113.2644, "粤A", ("440103", "440106", "440111", "440113")),
    ("深圳", 22.5431, 114.0579, "粤B", ("440303", "440304", "440305", "440306")),
    ("杭州", 30.2741, 120.1551, "浙A", ("330102", "330106", "330108", "330110")),
    ("南京", 32.0603, 118.7969, "苏A", ("320102", "320104", "320105", "320106")),
    ("成都", 30.5728, 104.0668, "川A", ("510104", "510105", "510106", "510107")),
    ("武汉", 30.5928, 114.3055, "鄂A", ("420102", "420103", "420106", "420111")),
    ("重庆", 29.5630, 106.5516, "渝A", ("500103", "500104", "500105", "500106")),
    ("西安", 34.3416, 108.9398, "陕A", ("610102", "610103", "610104", "610113")),
)
_FAMILY_NAMES: Final = tuple(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
_GIVEN_CHARS: Final = tuple(
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕鑫宇浩然子轩欣怡梓涵晨阳嘉"
)
_COMPANY_NAMES: Final = ("顺达物流", "安捷租车", "华信出行", "恒通快运", "金桥商务")
_MOBILE_PREFIXES: Final = (
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151",
    "152", "153", "155", "156", "157", "158", "159", "166", "173", "175", "176", "177",
    "178", "180", "181", "182", "183", "185", "186", "187", "188", "189", "198", "199",
)  # fmt: skip
_WMIS: Final = ("LSV", "LFV", "LSG", "LVS", "LHG", "LVG", "LBV", "LE4", "LRW", "LGB")
_MODELS: Final = (
    # model, body type, fuel, share
    ("Lavida", BodyType.SEDAN, FuelType.PETROL, 0.22),
    ("Tiguan L", BodyType.SUV, FuelType.PETROL, 0.16),
    ("Passat", BodyType.SEDAN, FuelType.PETROL, 0.12),
    ("Touran", BodyType.MPV, FuelType.PETROL, 0.07),
    ("Sagitar", BodyType.SEDAN, FuelType.PETROL, 0.14),
    ("ID.4", BodyType.SUV, FuelType.BATTERY_ELECTRIC, 0.10),
    ("Magotan PHEV", BodyType.SEDAN, FuelType.PLUG_IN_HYBRID, 0.06),
    ("Golf GTI", BodyType.HATCHBACK, FuelType.PETROL, 0.05),
    ("Teramont", BodyType.SUV, FuelType.DIESEL, 0.05),
    ("Scirocco", BodyType.SPORTS, FuelType.PETROL, 0.03),
)
_COLOURS: Final = ("白", "黑", "银", "灰", "蓝", "红")
_VINS_PER_VDS: Final = 23 * 1_000_000
_VIN_ALPHABET: Final = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
_PLATE_ALPHABET: Final = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
_MODEL_YEAR_CODES: Final = {
    2016: "G", 2017: "H", 2018: "J", 2019: "K", 2020: "L", 2021: "M", 2022: "N",
    2023: "P", 2024: "R", 2025: "S", 2026: "T", 2027: "V", 2028: "W", 2029: "X",
}  # fmt: skip

# Service lines: kind, pay type, weight among extra lines, labour and parts (median fen, sigma).
_FIRST_LINE: Final = (ServiceKind.FIRST_MAINTENANCE, PayType.WARRANTY, 0.0, 15_000, 20_000)
_ROUTINE_LINE: Final = (ServiceKind.MAINTENANCE, PayType.CUSTOMER, 0.0, 25_000, 45_000)
_EXTRA_LINES: Final = (
    (ServiceKind.MINOR_REPAIR, PayType.CUSTOMER, 0.30, 20_000, 35_000),
    (ServiceKind.WARRANTY_CLAIM, PayType.WARRANTY, 0.15, 40_000, 60_000),
    (ServiceKind.MAJOR_REPAIR, PayType.CUSTOMER, 0.05, 150_000, 300_000),
    (ServiceKind.INSURANCE_REPAIR, PayType.INSURANCE, 0.08, 80_000, 160_000),
    (ServiceKind.BODY_PAINT, PayType.CUSTOMER, 0.10, 60_000, 40_000),
    (ServiceKind.ACCESSORIES, PayType.CUSTOMER, 0.12, 5_000, 60_000),
    (ServiceKind.PARTS_SALE, PayType.CUSTOMER, 0.08, 0, 30_000),
    (ServiceKind.INSURANCE_RENEWAL, PayType.CUSTOMER, 0.06, 30_000, 0),  # agency fee
    (ServiceKind.INSPECTION_AGENCY, PayType.CUSTOMER, 0.04, 30_000, 0),
    (ServiceKind.ROADSIDE_RESCUE, PayType.CUSTOMER, 0.02, 50_000, 10_000),
)
_AMOUNT_SIGMA = 0.5
#: Share of individual customers who are men; share of given names with two characters.
_MALE_SHARE, _TWO_CHAR_GIVEN_SHARE = 0.62, 0.7
#: Share of dealers with the full after-sales function (DOMAIN.md §4 counts only those).
_FULL_FUNCTION_SHARE = 0.9
#: Consent given at purchase, per (purpose, channel), and the share who later withdraw marketing.
_CONSENT_SHARES: Final = {
    ("service_reminder", "phone"): 0.9,
    ("marketing", "sms"): 0.6,
    ("survey", "phone"): 0.7,
}
_WITHDRAW_MARKETING_SHARE, _WITHDRAW_AFTER_DAYS = 0.05, 200
#: Vehicles younger than this many days are not resold.
_MIN_DAYS_BEFORE_RESALE = 400
#: Share of follow-up calls made: 3 days and 7 days after delivery (DOMAIN.md §6).
_FOLLOW_UPS: Final = ((3, "follow_up_3d", 0.85), (7, "follow_up_7d", 0.5))
#: Share of orders that draw a complaint: after a late delivery or a comeback, otherwise.
_COMPLAINT_SHARE_TROUBLED, _COMPLAINT_SHARE_NORMAL = 0.08, 0.015
#: Share of customers who refer a buyer, and of referrals that end in a delivery.
_REFERRAL_SHARE, _REFERRAL_SUCCESS_SHARE = 0.04, 0.5
#: Mean number of club activities a customer attended.
_ACTIVITIES_MEAN = 0.25
#: Kinds that count as repairs, which may come back for the same fault.
_REPAIR_KINDS: Final = (
    ServiceKind.MINOR_REPAIR,
    ServiceKind.MAJOR_REPAIR,
    ServiceKind.WARRANTY_CLAIM,
)

_SERVICE_KINDS = list(ServiceKind)
_PAY_TYPES = list(PayType)
_GENDERS = list(Gender)
_BODY_TYPES = list(BodyType)
_FUEL_TYPES = list(FuelType)

Columns = Mapping[str, NDArray[Any]]


@attrs.frozen
class SyntheticColumns:
    """A synthetic customer base as numpy columns, one mapping of equal-length arrays a table.

    Rows refer to each other by position (``customer`` is a row of ``customers``) and by id.
    Money is int64 fen in ``currency``; dates are ``datetime64[D]``; instants are
    ``datetime64[s]`` in UTC. Categorical columns hold the positions of the enum members in
    their declaration order (``list(ServiceKind)``).

    Attributes:
        dealers: ``id``, ``name``, ``lat``, ``lon``, ``full_after_sales``, ``city`` (row
            of the model's city table).
        customers: ``id``, ``kind`` (0 individual, 1 fleet), ``name``, ``gender``,
            ``birthday`` (NaT for fleets), ``national_id`` (empty for fleets), ``mobile``,
            ``lat``, ``lon``, ``dealer`` (home dealer row).
        vehicles: ``vin``, ``plate``, ``model``, ``body_type``, ``fuel``, ``colour``,
            ``purchase_date``, ``sold_here``, ``dealer``, ``first_visit_date`` (NaT before
            any visit), ``first_visit_mileage`` (-1 before any visit), ``km_per_day``,
            ``owner`` (the first owner's customer row).
        ownerships: ``id``, ``customer``, ``vehicle``, ``start``, ``end`` (NaT while current).
        orders: ``id``, ``vehicle``, ``customer``, ``dealer``, ``opened_at``, ``closed_at``
            (NaT while the vehicle is still in the workshop on ``as_of``), ``promised_at``,
            ``mileage``, ``by_appointment``, ``comeback_of`` (-1 for none).
        lines: ``order``, ``kind``, ``pay``, ``labour_fen``, ``parts_fen``.
        currency: ISO 4217 code of every amount.
        as_of: the day the history ends.

    Examples:
        >>> cols = columns(n_customers=200, seed=3)
        >>> cols.n_customers, len(cols.lines["order"]) > len(cols.orders["id"]) > 0
        (200, True)
    """

    dealers: Columns
    customers: Columns
    vehicles: Columns
    ownerships: Columns
    orders: Columns
    lines: Columns
    currency: str
    as_of: date

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle by constructor arguments (a read-only mapping itself cannot be pickled)."""
        return frozen_reduce(self)

    @property
    def n_customers(self) -> int:
        """Number of customers."""
        return len(self.customers["id"])

    def tables(self) -> Tables:
        """These columns as checked-shape :class:`~aftersales_crm.tables.Tables`, no copy of numbers.

        The records :func:`book` draws from the same seed hold the same dealers, vehicles,
        ownerships, repair orders and lines (consents and hobbies are drawn only by
        :func:`book`).

        Examples:
            >>> t = columns(n_customers=50, seed=1).tables()
            >>> len(t.customers), t.lines["kind"].dtype
            (50, dtype('int8'))
        """
        d, c, v, w = self.dealers, self.customers, self.vehicles, self.ownerships
        o, ln = self.orders, self.lines
        n_c, n_o = len(c["id"]), len(o["id"])
        fleet = c["kind"].astype(bool)
        national = c["national_id"].astype(object)
        national[fleet] = None
        advisor = np.char.add(
            np.char.add("SA", np.char.zfill(o["dealer"].astype(str), 4)),
            (np.arange(n_o) % 5).astype(str),
        ).astype(object)
        visited = v["first_visit_mileage"] >= 0
        return Tables(
            currency=self.currency,
            dealers=Table(
                SCHEMAS["dealers"],
                {
                    "id": d["id"],
                    "name": d["name"].astype(object),
                    "lat": d["lat"],
                    "lon": d["lon"],
                    "region": np.array([city[0] for city in _CITIES], dtype=object)[d["city"]],
                    "full_after_sales": d["full_after_sales"],
                },
            ),
            customers=Table(
                SCHEMAS["customers"],
                {
                    "id": c["id"],
                    "kind": c["kind"].astype(np.int8),
                    "name": c["name"].astype(object),
                    "gender": c["gender"].astype(np.int8),
                    "national_id": national,
                    "occupation": _nones(n_c),
                    "birthday": c["birthday"].astype("datetime64[D]"),
                    "home_address": _nones(n_c),
                    "home_postcode": _nones(n_c),
                    "home_lat": c["lat"],
                    "home_lon": c["lon"],
                    "work_address": _nones(n_c),
                    "work_postcode": _nones(n_c),
                    "mobile": c["mobile"].astype(object),
                    "home_phone": _nones(n_c),
                    "office_phone": _nones(n_c),
                    "email": _nones(n_c),
                    "fax": _nones(n_c),
                    "income_band": _nones(n_c),
                    "hobbies": _empty_tuples(n_c),
                    "family_notes": _nones(n_c),
                },
            ),
            vehicles=Table(
                SCHEMAS["vehicles"],
                {
                    "vin": v["vin"],
                    "plate": v["plate"].astype(object),
                    "model": v["model"].astype(np.int32),
                    "body_type": v["body_type"].astype(np.int8),
                    "colour": v["colour"].astype(object),
                    "fuel": v["fuel"].astype(np.int8),
                    "purchase_date": v["purchase_date"],
                    "sold_here": v["sold_here"],
                    "selling_dealer": np.where(v["sold_here"], v["dealer"], -1).astype(np.int64),
                    "first_visit_date": v["first_visit_date"],
                    "first_visit_mileage": np.where(visited, v["first_visit_mileage"], -1).astype(
                        np.int64
                    ),
                },
                {"model": tuple(m[0] for m in _MODELS)},
            ),
            ownerships=Table(
                SCHEMAS["ownerships"],
                {
                    "id": w["id"],
                    "customer": w["customer"].astype(np.int64),
                    "vehicle": w["vehicle"].astype(np.int64),
                    "start": w["start"],
                    "end": w["end"],
                },
            ),
            orders=Table(
                SCHEMAS["orders"],
                {
                    "id": o["id"],
                    "dealer": o["dealer"].astype(np.int64),
                    "vehicle": o["vehicle"].astype(np.int64),
                    "customer": o["customer"].astype(np.int64),
                    "advisor": advisor,
                    "opened_at": o["opened_at"].astype("datetime64[us]"),
                    "closed_at": o["closed_at"].astype("datetime64[us]"),
                    "promised_at": o["promised_at"].astype("datetime64[us]"),
                    "mileage": o["mileage"].astype(np.int64),
                    "by_appointment": o["by_appointment"],
                    "comeback": o["comeback_of"].astype(np.int64),
                },
            ),
            lines=Table(
                SCHEMAS["lines"],
                {
                    "order": ln["order"].astype(np.int64),
                    "kind": ln["kind"].astype(np.int8),
                    "pay": ln["pay"].astype(np.int8),
                    "labour_fen": ln["labour_fen"],
                    "parts_fen": ln["parts_fen"],
                    "description": _nones(len(ln["order"])),
                },
            ),
        )


def _nones(n: int) -> NDArray[np.object_]:
    return np.full(n, None, dtype=object)


def _empty_tuples(n: int) -> NDArray[np.object_]:
    out = np.empty(n, dtype=object)
    out.fill(())
    return out


def _frozen(columns: dict[str, NDArray[Any]]) -> Columns:
    for array in columns.values():
        array.flags.writeable = False
    return MappingProxyType(columns)


#: Code points of "0000" … "9999", to write four digits with one gather.
_FOUR_DIGITS = (np.arange(10_000)[:, None] // np.array([1000, 100, 10, 1]) % 10 + ord("0")).astype(
    np.uint32
)


def _digits(values: NDArray[np.int64], width: int, prefix: str = "") -> NDArray[np.str_]:
    """Zero-padded decimal strings of non-negative ints after a prefix, from code points.

    Four digits at a time through a lookup table: many times faster than ``np.char`` on
    millions of rows.
    """
    rest = np.asarray(values, dtype=np.int64)
    n = len(rest)
    codes = np.empty((n, len(prefix) + width), dtype=np.uint32)
    codes[:, : len(prefix)] = [ord(c) for c in prefix]
    end = len(prefix) + width
    while end > len(prefix):
        take = min(4, end - len(prefix))
        rest, chunk = np.divmod(rest, 10_000)
        codes[:, end - take : end] = _FOUR_DIGITS[chunk, 4 - take :]
        end -= take
    return codes.view(f"U{len(prefix) + width}").reshape(n)


def _ids(prefix: str, n: int, width: int = 7) -> NDArray[np.str_]:
    """Ids ``prefix + zero-padded row number``, at least ``width`` digits, wider if needed."""
    return _digits(np.arange(n), max(width, len(str(max(n - 1, 0)))), prefix)


def _pick(rng: np.random.Generator, options: tuple[str, ...], n: int) -> NDArray[np.str_]:
    return np.asarray(options)[rng.integers(0, len(options), n)]


def _char_matrix(strings: NDArray[np.str_], width: int) -> NDArray[np.str_]:
    return strings.astype(f"U{width}").view("U1").reshape(len(strings), width)


def _vins(rng: np.random.Generator, years: NDArray[np.int64]) -> NDArray[np.str_]:
    n = len(years)
    alphabet = np.asarray(list(_VIN_ALPHABET))
    wmi = _pick(rng, _WMIS, n)
    vds = alphabet[rng.integers(0, len(_VIN_ALPHABET), (n, 5))]
    year_code = np.asarray([_MODEL_YEAR_CODES[int(y)] for y in range(2016, 2030)])[
        np.clip(years - 2016, 0, 13)
    ]
    index = np.arange(n)
    # Serial, plant letter and the last VDS character together number the vehicle: every
    # VIN is unique up to 10^6 × 23 × 33 vehicles.
    plant = alphabet[10 + (index // 1_000_000) % 23]
    vds[:, 4] = np.where(index < _VINS_PER_VDS, vds[:, 4], alphabet[(index // _VINS_PER_VDS) % 33])
    serial = _digits(index % 1_000_000, 6)
    body = np.concatenate(
        [_char_matrix(wmi, 3), vds, np.full((n, 1), "0"), year_code[:, None], plant[:, None],
         _char_matrix(serial, 6)],
        axis=1,
    )  # fmt: skip
    # Position 9 holds "0" until the check characters, computed over the whole column, replace it.
    body[:, vin.CHECK_POSITION] = vin.check_digits(body.view("U17").reshape(n))
    return body.view("U17").reshape(n)


def _national_ids(
    rng: np.random.Generator, counties: NDArray[np.int64], birthdays: NDArray[np.datetime64],
    genders: NDArray[np.int64],
) -> NDArray[np.str_]:  # fmt: skip
    n = len(counties)
    days = birthdays.astype("datetime64[D]")
    months = days.astype("datetime64[M]")
    year = months.astype(np.int64) // 12 + 1970
    ymd = (
        year * 10_000
        + (months.astype(np.int64) % 12 + 1) * 100
        + (days - months).astype(np.int64)
        + 1
    )
    sequence = rng.integers(0, 500, n) * 2 + np.where(genders == _GENDERS.index(Gender.MALE), 1, 0)
    body = _digits(counties * 10**11 + ymd * 1_000 + sequence, 17)
    check = national_id.check_digits(body)
    out = np.empty((n, 18), dtype=np.uint32)
    out[:, :17] = body.view(np.uint32).reshape(n, 17)
    out[:, 17] = check.view(np.uint32) if n else 0
    return out.view("U18").reshape(n)


def _dates(days: NDArray[np.int64]) -> NDArray[np.datetime64]:
    return days.astype("datetime64[D]")


def columns(
    n_customers: int = 1_000,
    *,
    seed: int = 0,
    as_of: date = DEFAULT_AS_OF,
    n_dealers: int | None = None,
    currency: str = "CNY",
) -> SyntheticColumns:
    """Draw a synthetic customer base as numpy columns, fast enough for a million customers.

    Args:
        n_customers: how many customers.
        seed: the seed of the random generator; the same seed gives the same columns.
        as_of: the day the history ends; nothing happens after it.
        n_dealers: how many dealers; by default one per 2,000 customers, at least 2 and at
            most 200.
        currency: the currency of every amount.

    Returns:
        The columns.

    Raises:
        ValueError: ``n_customers`` is negative, or ``n_dealers`` is below 1.

    Examples:
        >>> cols = columns(n_customers=100, seed=1)
        >>> import numpy as np
        >>> bool((cols.orders["opened_at"] <= np.datetime64("2026-06-30T23:59:59")).all())
        True
    """
    if n_customers < 0:
        msg = f"n_customers is {n_customers}, must be >= 0"
        raise InvalidValue(msg, code="synthetic_n_customers")
    if n_dealers is None:
        n_dealers = min(200, max(2, n_customers // 2_000))
    if n_dealers < 1:
        msg = f"n_dealers is {n_dealers}, must be >= 1"
        raise InvalidValue(msg, code="synthetic_n_dealers")
    rng = np.random.default_rng(seed)
    end = np.datetime64(as_of, "D").astype(np.int64)
    dealers = _draw_dealers(rng, n_dealers)
    customers = _draw_customers(rng, n_customers, dealers, end)
    vehicles, ownerships = _draw_vehicles(rng, customers, dealers, end)
    orders, lines = _draw_orders(rng, vehicles, ownerships, end)
    _first_visits(vehicles, orders)
    return SyntheticColumns(
        dealers=_frozen(dealers),
        customers=_frozen(customers),
        vehicles=_frozen(vehicles),
        ownerships=_frozen(ownerships),
        orders=_frozen(orders),
        lines=_frozen(lines),
        currency=currency,
        as_of=as_of,
    )


def _draw_dealers(rng: np.random.Generator, n: int) -> dict[str, NDArray[Any]]:
    city = np.arange(n) % len(_CITIES)
    lat = np.asarray([c[1] for c in _CITIES])[city] + rng.normal(0, 0.08, n)
    lon = np.asarray([c[2] for c in _CITIES])[city] + rng.normal(0, 0.08, n)
    names = np.char.add(
        np.asarray([c[0] for c in _CITIES])[city], np.char.add(np.arange(n).astype(str), "号4S店")
    )
    return {
        "id": _ids("D", n, 4),
        "name": names,
        "lat": lat,
        "lon": lon,
        "full_after_sales": rng.random(n) < _FULL_FUNCTION_SHARE,
        "city": city,
    }


def _draw_customers(
    rng: np.random.Generator, n: int, dealers: dict[str, NDArray[Any]], end: np.int64
) -> dict[str, NDArray[Any]]:
    dealer = rng.integers(0, len(dealers["id"]), n)
    fleet = rng.random(n) < _FLEET_SHARE
    male = rng.random(n) < _MALE_SHARE
    gender = np.where(male, _GENDERS.index(Gender.MALE), _GENDERS.index(Gender.FEMALE))
    gender = np.where(fleet, _GENDERS.index(Gender.UNKNOWN), gender)
    age_days = (rng.normal(41, 10, n).clip(20, 75) * 365.25).astype(np.int64)
    birthday = _dates(end - age_days)
    city = dealers["city"][dealer]
    counties = np.asarray([c[4] for c in _CITIES], dtype=np.int64)[city, rng.integers(0, 4, n)]
    national_id = _national_ids(rng, counties, birthday, gender)
    two_chars = rng.random(n) < _TWO_CHAR_GIVEN_SHARE
    given = np.char.add(
        _pick(rng, _GIVEN_CHARS, n), np.where(two_chars, _pick(rng, _GIVEN_CHARS, n), "")
    )
    name = np.char.add(_pick(rng, _FAMILY_NAMES, n), given)
    name = np.where(fleet, np.char.add(_pick(rng, _COMPANY_NAMES, n), "有限公司"), name)
    prefix = np.asarray(_MOBILE_PREFIXES, dtype=np.int64)[rng.integers(0, len(_MOBILE_PREFIXES), n)]
    mobile = _digits(prefix * 10**8 + rng.integers(0, 10**8, n), 11, "+86")
    # Home: a lognormal distance (median 6 km) in a uniform direction from the home dealer.
    distance = rng.lognormal(np.log(6.0), 0.7, n)
    bearing = rng.uniform(0, 2 * np.pi, n)
    lat = dealers["lat"][dealer] + distance * np.cos(bearing) / 111.0
    lon = dealers["lon"][dealer] + distance * np.sin(bearing) / (
        111.0 * np.cos(np.radians(dealers["lat"][dealer]))
    )
    return {
        "id": _ids("C", n),
        "kind": fleet.astype(np.int8),
        "name": name,
        "gender": gender.astype(np.int8),
        "birthday": np.where(fleet, np.datetime64("NaT"), birthday),
        "national_id": np.where(fleet, "", national_id),
        "mobile": mobile,
        "lat": lat,
        "lon": lon,
        "dealer": dealer,
    }


def _draw_vehicles(
    rng: np.random.Generator,
    customers: dict[str, NDArray[Any]],
    dealers: dict[str, NDArray[Any]],
    end: np.int64,
) -> tuple[dict[str, NDArray[Any]], dict[str, NDArray[Any]]]:
    n_customers = len(customers["id"])
    second = np.flatnonzero(rng.random(n_customers) < _SECOND_VEHICLE_SHARE)
    owner = np.concatenate([np.arange(n_customers), second])
    n = len(owner)
    purchase = end - rng.integers(0, _HISTORY_YEARS * 365, n)
    model = rng.choice(len(_MODELS), n, p=[m[3] for m in _MODELS])
    years = purchase.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    city = dealers["city"][customers["dealer"][owner]]
    fuel = np.asarray([_FUEL_TYPES.index(m[2]) for m in _MODELS])[model]
    new_energy = np.isin(fuel, [_FUEL_TYPES.index(f) for f in FuelType if f.is_new_energy])
    alphabet = np.asarray(list(_PLATE_ALPHABET))
    tail = np.char.add(
        np.char.add(alphabet[rng.integers(0, 34, n)], alphabet[rng.integers(0, 34, n)]),
        _digits(rng.integers(0, 1000, n), 3),
    )
    energy_tail = np.char.add(
        np.char.add("D", alphabet[rng.integers(10, 34, n)]),
        _digits(rng.integers(0, 10_000, n), 4),
    )
    plate = np.char.add(
        np.asarray([c[3] for c in _CITIES])[city], np.where(new_energy, energy_tail, tail)
    )
    vehicles = {
        "vin": _vins(rng, years),
        "plate": plate,
        "model": model.astype(np.int16),
        "body_type": np.asarray([_BODY_TYPES.index(m[1]) for m in _MODELS], dtype=np.int8)[model],
        "fuel": fuel.astype(np.int8),
        "colour": _pick(rng, _COLOURS, n),
        "purchase_date": _dates(purchase),
        "sold_here": rng.random(n) >= _NOT_SOLD_HERE_SHARE,
        "dealer": customers["dealer"][owner],
        "km_per_day": rng.lognormal(np.log(_KM_PER_DAY_MEDIAN), _KM_PER_DAY_SIGMA, n),
        "owner": owner,
    }
    # A few vehicles change hands: the buyer is another customer, from a day after purchase.
    resold = np.flatnonzero(
        (rng.random(n) < _RESALE_SHARE)
        & (end - purchase > _MIN_DAYS_BEFORE_RESALE)
        & (n_customers > 1)  # a sole customer has nobody to sell to
    )
    buyer = (owner[resold] + rng.integers(1, max(n_customers, 2), len(resold))) % max(
        n_customers, 1
    )
    handover = purchase[resold] + (
        (end - purchase[resold]) * rng.uniform(0.3, 0.9, len(resold))
    ).astype(np.int64)
    first_end = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    first_end[resold] = _dates(handover)
    n_own = n + len(resold)
    ownerships = {
        "id": _ids("O", n_own),
        "customer": np.concatenate([owner, buyer]),
        "vehicle": np.concatenate([np.arange(n), resold]),
        "start": np.concatenate([_dates(purchase), _dates(handover)]),
        "end": np.concatenate(
            [first_end, np.full(len(resold), np.datetime64("NaT"), dtype="datetime64[D]")]
        ),
    }
    return vehicles, ownerships


def _draw_orders(
    rng: np.random.Generator,
    vehicles: dict[str, NDArray[Any]],
    ownerships: dict[str, NDArray[Any]],
    end: np.int64,
) -> tuple[dict[str, NDArray[Any]], dict[str, NDArray[Any]]]:
    n = len(vehicles["vin"])
    purchase = vehicles["purchase_date"].astype(np.int64)
    rate = vehicles["km_per_day"]
    drift = purchase + (rng.exponential(_MEAN_YEARS_TO_DRIFT, n) * 365.25).astype(np.int64)
    horizon = np.minimum(drift, end)
    # Visit days: the first maintenance, then routine visits, each due by time or distance.
    first_gap = np.minimum(
        rng.integers(*_FIRST_MAINTENANCE_DAYS, n), _FIRST_MAINTENANCE_KM / rate
    ).astype(np.int64)
    max_visits = _MAX_VISITS
    low, high = _SERVICE_KM
    km_due = low + (high - low) * rng.random((n, max_visits), dtype=np.float32)
    jitter = rng.integers(
        -_VISIT_JITTER_DAYS, _VISIT_JITTER_DAYS + 1, (n, max_visits), dtype=np.int16
    )
    gaps = np.minimum(np.float32(_SERVICE_DAYS), km_due / rate[:, None].astype(np.float32)) + jitter
    gaps = np.maximum(gaps, _MIN_GAP_DAYS).astype(np.int32)
    gaps[:, 0] = np.maximum(first_gap, 7)
    days = purchase[:, None] + np.cumsum(gaps, axis=1, dtype=np.int64)
    keep = days <= horizon[:, None]
    vehicle, visit = np.nonzero(keep)
    day = days[vehicle, visit]
    # Comebacks: a repair visit that returns a few days later for the same fault.
    n_visits = len(day)
    is_comeback_source = (visit > 0) & (rng.random(n_visits) < _COMEBACK_SHARE)
    back_day = day[is_comeback_source] + rng.integers(
        *_COMEBACK_DAYS, int(is_comeback_source.sum())
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
    # Workshops open orders between 08:00 and 11:00 Beijing time (UTC+8).
    opened = day * 86_400 - _UTC_OFFSET_S + rng.integers(8 * 3600, 11 * 3600, m)
    promised = opened + rng.integers(2, 9, m) * 3600
    late = rng.random(m) < _LATE_SHARE
    closed = np.where(
        late, promised + rng.integers(1, 48, m) * 3600, promised - rng.integers(0, 2 * 3600, m)
    )
    closed = np.maximum(closed, opened + 1800)
    # Orders not handed back by the end of as_of are still open: no closing instant yet.
    end_of_day = (end + 1) * 86_400 - _UTC_OFFSET_S
    closed = np.where(closed < end_of_day, closed, np.iinfo(np.int64).min)
    mileage = np.floor(
        (day - purchase[vehicle]) * rate[vehicle] * rng.uniform(0.92, 1.08, m)
    ).astype(np.int64)
    mileage = _monotone_per_vehicle(vehicle, mileage)
    customer = _owner_on(ownerships, vehicle, _dates(day))
    orders = {
        "id": _ids("RO", m, 8),
        "vehicle": vehicle,
        "customer": customer,
        "dealer": vehicles["dealer"][vehicle],
        "opened_at": opened.astype("datetime64[s]"),
        "closed_at": closed.astype("datetime64[s]"),  # NaT while open
        "promised_at": promised.astype("datetime64[s]"),
        "mileage": mileage,
        "by_appointment": rng.random(m) < _APPOINTMENT_SHARE,
        "comeback_of": comeback_of,
    }
    return orders, _draw_lines(rng, visit)


def _monotone_per_vehicle(
    vehicle: NDArray[np.int64], mileage: NDArray[np.int64]
) -> NDArray[np.int64]:
    """Make odometer readings non-decreasing within each vehicle (rows sorted by vehicle)."""
    offset = vehicle.astype(np.int64) * (10**9)
    return np.maximum.accumulate(mileage + offset) - offset


def _owner_on(
    ownerships: dict[str, NDArray[Any]], vehicle: NDArray[np.int64], day: NDArray[np.datetime64]
) -> NDArray[np.int64]:
    n_vehicles = int(ownerships["vehicle"].max(initial=-1)) + 1
    first = np.empty(n_vehicles, dtype=np.int64)
    first[ownerships["vehicle"][:n_vehicles]] = ownerships["customer"][:n_vehicles]
    owner = first[vehicle] if len(vehicle) else np.zeros(0, dtype=np.int64)
    resold = ownerships["vehicle"][n_vehicles:]
    if len(resold) and len(vehicle):
        handover = np.full(n_vehicles, np.datetime64("NaT"), dtype="datetime64[D]")
        buyer = np.full(n_vehicles, -1, dtype=np.int64)
        handover[resold] = ownerships["start"][n_vehicles:]
        buyer[resold] = ownerships["customer"][n_vehicles:]
        after = ~np.isnat(handover[vehicle]) & (day >= handover[vehicle])
        owner = np.where(after, buyer[vehicle], owner)
    return owner


def _draw_lines(rng: np.random.Generator, visit: NDArray[np.int64]) -> dict[str, NDArray[Any]]:
    m = len(visit)
    extra = np.minimum(rng.poisson(_EXTRA_LINES_MEAN, m), _MAX_LINES - 1)
    comeback = visit == -1
    extra = np.where(comeback, 0, extra)
    count = 1 + extra
    order = np.repeat(np.arange(m), count)
    position = np.arange(len(order)) - np.repeat(np.cumsum(count) - count, count)
    table = (_FIRST_LINE, _ROUTINE_LINE, *_EXTRA_LINES)
    weights = np.asarray([spec[2] for spec in _EXTRA_LINES])
    spec = 2 + rng.choice(len(_EXTRA_LINES), len(order), p=weights / weights.sum())
    head = position == 0
    spec = np.where(head & (visit[order] == 0), 0, np.where(head & (visit[order] > 0), 1, spec))
    spec = np.where(head & comeback[order], 2, spec)  # a comeback repeats a minor repair
    kinds = np.asarray([_SERVICE_KINDS.index(s[0]) for s in table], dtype=np.int8)
    pays = np.asarray([_PAY_TYPES.index(s[1]) for s in table], dtype=np.int8)
    labour_median = np.asarray([s[3] for s in table], dtype=np.float64)[spec]
    parts_median = np.asarray([s[4] for s in table], dtype=np.float64)[spec]
    n_lines = len(order)
    # Lognormal amounts around each kind's median; labour in whole yuan, parts in fen.
    spread = np.exp(_AMOUNT_SIGMA * rng.standard_normal((2, n_lines), dtype=np.float32))
    labour = (np.rint(labour_median * spread[0] / 100) * 100).astype(np.int64)
    parts = np.rint(parts_median * spread[1]).astype(np.int64)
    # A comeback is redone at the dealer's cost: internal pay.
    pay = np.where(comeback[order], _PAY_TYPES.index(PayType.INTERNAL), pays[spec])
    return {
        "order": order,
        "kind": kinds[spec],
        "pay": pay.astype(np.int8),
        "labour_fen": labour,
        "parts_fen": parts,
    }


def _first_visits(vehicles: dict[str, NDArray[Any]], orders: dict[str, NDArray[Any]]) -> None:
    n = len(vehicles["vin"])
    # Orders are sorted by vehicle, then time: a vehicle's first order is where it starts.
    first_row = np.searchsorted(orders["vehicle"], np.arange(n))
    seen = np.zeros(n, dtype=bool)
    inside = first_row < len(orders["vehicle"])
    seen[inside] = orders["vehicle"][first_row[inside]] == np.arange(n)[inside]
    visit_date = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    visit_date[seen] = orders["opened_at"][first_row[seen]].astype("datetime64[D]")
    mileage = np.full(n, -1, dtype=np.int64)
    mileage[seen] = orders["mileage"][first_row[seen]]
    vehicles["first_visit_date"] = visit_date
    vehicles["first_visit_mileage"] = mileage


# ------------------------------------------------------------------ records


def _day(value: np.datetime64) -> date:
    return date.fromisoformat(str(value.astype("datetime64[D]")))


def _instant(value: np.datetime64) -> datetime:
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(seconds=int(value.astype(np.int64)))


def _maybe_instant(value: np.datetime64) -> datetime | None:
    return None if np.isnat(value) else _instant(value)


def book(n_customers: int = 200, *, seed: int = 0, as_of: date = DEFAULT_AS_OF) -> Book:
    """Draw a realistic synthetic dealer network as a validated :class:`Book`.

    The customers, vehicles, ownerships and repair orders are the rows of
    :func:`columns` with the same arguments, turned into records. The Book adds consents,
    3-day and 7-day follow-up calls after deliveries, complaints with their updates,
    referrals, club activities and one club chapter per full-function dealer.

    Args:
        n_customers: how many customers; meant for thousands, not millions (use
            :func:`columns` for scale).
        seed: the seed of the random generator; the same seed gives an equal Book.
        as_of: the day the history ends.

    Returns:
        The Book.

    Examples:
        >>> b = book(n_customers=30, seed=5)
        >>> sorted({line.kind.value for o in b.repair_orders.values() for line in o.lines})[:3]
        ['accessories', 'body_paint', 'first_maintenance']
    """
    cols = columns(n_customers, seed=seed, as_of=as_of)
    rng = np.random.default_rng([seed, 1])
    records: list[Record] = []
    records += _dealer_records(cols)
    records += _customer_records(cols, rng)
    records += _vehicle_records(cols)
    records += _ownership_records(cols)
    orders = _order_records(cols)
    records += orders
    records += _contact_records(orders, rng, as_of)
    records += _complaint_records(orders, rng, as_of)
    records += _club_records(cols, rng, as_of)
    return Book.from_records(records)


def _dealer_records(cols: SyntheticColumns) -> list[Record]:
    d = cols.dealers
    out: list[Record] = []
    for i in range(len(d["id"])):
        out.append(
            Dealer(
                id=str(d["id"][i]),
                name=str(d["name"][i]),
                location=GeoPoint(float(d["lat"][i]), float(d["lon"][i])),
                region=_CITIES[int(d["city"][i])][0],
                full_after_sales=bool(d["full_after_sales"][i]),
            )
        )
        if d["full_after_sales"][i]:
            out.append(
                Chapter(
                    id=f"CH{d['id'][i]}", dealer_id=str(d["id"][i]), name=f"{d['name'][i]}车友会"
                )
            )
    return out


def _customer_records(cols: SyntheticColumns, rng: np.random.Generator) -> list[Record]:
    c = cols.customers
    purchase_by_owner: dict[int, date] = {}
    for vehicle, owner in enumerate(cols.vehicles["owner"]):
        purchase_by_owner.setdefault(int(owner), _day(cols.vehicles["purchase_date"][vehicle]))
    out: list[Record] = []
    for i in range(len(c["id"])):
        fleet = bool(c["kind"][i])
        since = purchase_by_owner.get(i, cols.as_of - timedelta(days=30))
        given = datetime(since.year, since.month, since.day, 10, tzinfo=UTC)
        cid = str(c["id"][i])
        consents = [
            ConsentChanged(
                id=f"CS{cid}-{n}",
                customer_id=cid,
                purpose=purpose,
                channel=channel,
                granted=bool(rng.random() < share),
                at=given,
            )
            for n, ((purpose, channel), share) in enumerate(_CONSENT_SHARES.items())
        ]
        withdrawn = given + timedelta(days=_WITHDRAW_AFTER_DAYS)
        if rng.random() < _WITHDRAW_MARKETING_SHARE and withdrawn.date() <= cols.as_of:
            consents.append(
                ConsentChanged(
                    id=f"CS{cid}-{len(consents)}",
                    customer_id=cid,
                    purpose="marketing",
                    channel="sms",
                    granted=False,
                    at=withdrawn,
                )
            )
        out.append(
            Customer(
                id=str(c["id"][i]),
                kind="fleet" if fleet else "individual",
                name=str(c["name"][i]),
                national_id=None if fleet else str(c["national_id"][i]),
                mobile=str(c["mobile"][i]),
                home_location=GeoPoint(float(c["lat"][i]), float(c["lon"][i])),
                hobbies=tuple(
                    sorted(
                        set(
                            _pick(
                                rng,
                                ("自驾", "摄影", "钓鱼", "骑行", "露营", "美食"),
                                int(rng.integers(0, 3)),
                            ).tolist()
                        )
                    )
                ),
            )
        )
        out += consents
    return out


def _vehicle_records(cols: SyntheticColumns) -> list[Record]:
    v = cols.vehicles
    out: list[Record] = []
    for i in range(len(v["vin"])):
        visited = bool(v["first_visit_mileage"][i] >= 0)
        sold_here = bool(v["sold_here"][i])
        out.append(
            Vehicle(
                vin=str(v["vin"][i]),
                plate=str(v["plate"][i]),
                model=_MODELS[int(v["model"][i])][0],
                body_type=_BODY_TYPES[int(v["body_type"][i])],
                colour=str(v["colour"][i]),
                fuel=_FUEL_TYPES[int(v["fuel"][i])],
                purchase_date=_day(v["purchase_date"][i]),
                sold_here=sold_here,
                selling_dealer_id=str(cols.dealers["id"][v["dealer"][i]]) if sold_here else None,
                first_visit_date=_day(v["first_visit_date"][i]) if visited else None,
                first_visit_mileage=int(v["first_visit_mileage"][i]) if visited else None,
            )
        )
    return out


def _ownership_records(cols: SyntheticColumns) -> list[Record]:
    o = cols.ownerships
    return [
        Ownership(
            id=str(o["id"][i]),
            customer_id=str(cols.customers["id"][o["customer"][i]]),
            vin=str(cols.vehicles["vin"][o["vehicle"][i]]),
            start=_day(o["start"][i]),
            end=None if np.isnat(o["end"][i]) else _day(o["end"][i]),
        )
        for i in range(len(o["id"]))
    ]


def _order_records(cols: SyntheticColumns) -> list[RepairOrder]:
    o, ln = cols.orders, cols.lines
    starts = np.searchsorted(ln["order"], np.arange(len(o["id"]) + 1))
    out: list[RepairOrder] = []
    for i in range(len(o["id"])):
        lines = [
            RepairLine(
                kind=_SERVICE_KINDS[int(ln["kind"][j])],
                pay=_PAY_TYPES[int(ln["pay"][j])],
                labour=Money.from_minor(int(ln["labour_fen"][j]), cols.currency),
                parts=Money.from_minor(int(ln["parts_fen"][j]), cols.currency),
            )
            for j in range(starts[i], starts[i + 1])
        ]
        back = int(o["comeback_of"][i])
        out.append(
            RepairOrder(
                id=str(o["id"][i]),
                dealer_id=str(cols.dealers["id"][o["dealer"][i]]),
                vin=str(cols.vehicles["vin"][o["vehicle"][i]]),
                customer_id=str(cols.customers["id"][o["customer"][i]]),
                advisor=f"SA{int(o['dealer'][i]):04d}{i % 5}",
                opened_at=_instant(o["opened_at"][i]),
                closed_at=_maybe_instant(o["closed_at"][i]),
                promised_at=_instant(o["promised_at"][i]),
                mileage=int(o["mileage"][i]),
                by_appointment=bool(o["by_appointment"][i]),
                comeback_of=str(o["id"][back]) if back >= 0 else None,
                lines=lines,
            )
        )
    return out


def _contact_records(
    orders: list[RepairOrder], rng: np.random.Generator, as_of: date
) -> list[Record]:
    outcomes = (
        "reached",
        "reached",
        "reached",
        "no_answer",
        "no_answer",
        "refused",
        "wrong_number",
    )
    out: list[Record] = []
    for order in orders:
        if order.closed_at is None:
            continue  # still in the workshop: no follow-up yet
        for days, purpose, share in _FOLLOW_UPS:
            when = order.closed_at + timedelta(days=days)
            if when.date() <= as_of and rng.random() < share:
                out.append(
                    ContactMade(
                        id=f"K{order.id}-{days}",
                        customer_id=order.customer_id,
                        vin=order.vin,
                        channel="phone",
                        purpose=purpose,
                        outcome=outcomes[int(rng.integers(0, len(outcomes)))],
                        at=when,
                        staff=f"CC{int(rng.integers(1, 6)):02d}",
                        repair_order_id=order.id,
                    )
                )
    return out


def _complaint_records(
    orders: list[RepairOrder], rng: np.random.Generator, as_of: date
) -> list[Record]:
    categories = ("repair_quality", "waiting_time", "price", "staff_attitude", "parts", "facility")
    severities = ("low", "low", "medium", "medium", "high", "critical")
    out: list[Record] = []
    for order in orders:
        late = order.on_time is False
        if rng.random() >= (
            _COMPLAINT_SHARE_TROUBLED if late or order.comeback_of else _COMPLAINT_SHARE_NORMAL
        ):
            continue
        if order.closed_at is None:
            continue
        filed_at = order.closed_at + timedelta(hours=int(rng.integers(2, 72)))
        if filed_at.date() > as_of:
            continue
        qid = f"Q{order.id}"
        category = "waiting_time" if late else categories[int(rng.integers(0, len(categories)))]
        out.append(
            ComplaintFiled(
                id=qid,
                customer_id=order.customer_id,
                at=filed_at,
                category=category,
                severity=severities[int(rng.integers(0, len(severities)))],
                channel="phone",
                repair_order_id=order.id,
            )
        )
        steps = (("acknowledged", 4), ("resolved", 72), ("closed", 120))
        stop = int(rng.integers(1, 4))
        for n, (action, hours) in enumerate(steps[:stop]):
            when = filed_at + timedelta(hours=hours * float(rng.uniform(0.5, 2.0)))
            if when.date() > as_of:
                break
            verdict = (
                ("satisfied", "satisfied", "neutral", "dissatisfied")[int(rng.integers(0, 4))]
                if action == "closed"
                else None
            )
            out.append(
                ComplaintUpdated(
                    id=f"{qid}-{n}", complaint_id=qid, at=when, action=action, verdict=verdict
                )
            )
    return out


def _club_records(cols: SyntheticColumns, rng: np.random.Generator, as_of: date) -> list[Record]:
    out: list[Record] = []
    ids = cols.customers["id"]
    n = len(ids)
    for i in range(n):
        if rng.random() < _REFERRAL_SHARE:
            on = as_of - timedelta(days=int(rng.integers(30, 900)))
            delivered = on + timedelta(days=int(rng.integers(7, 60)))
            name = str(_pick(rng, _FAMILY_NAMES, 1)[0]) + str(_pick(rng, _GIVEN_CHARS, 1)[0])
            out.append(
                ReferralMade(
                    id=f"R{ids[i]}",
                    referrer_id=str(ids[i]),
                    referred_name=name,
                    on=on,
                    delivered_on=delivered
                    if delivered <= as_of and rng.random() < _REFERRAL_SUCCESS_SHARE
                    else None,
                )
            )
        for k in range(int(rng.poisson(_ACTIVITIES_MEAN))):
            on = as_of - timedelta(days=int(rng.integers(1, 700)))
            out.append(
                ActivityAttended(
                    id=f"A{ids[i]}-{k}", activity_id=f"EV{on:%Y%m}", customer_id=str(ids[i]), on=on
                )
            )
    return out
