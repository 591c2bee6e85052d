"""The calendar: business dates in an IANA time zone, calendar months, completed years."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo

import numpy as np
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from aftersales_crm import features, synthetic
from aftersales_crm.errors import InvalidValue
from aftersales_crm.features import add_months, business_date, business_dates
from aftersales_crm.features._calendar import month_numbers

AS_OF = date(2026, 6, 30)

# Instants from 1980 to 2030 (µs since the epoch): Shanghai kept DST from 1986 to 1991.
INSTANTS = st.lists(
    st.integers(315_532_800_000_000, 1_893_456_000_000_000), min_size=1, max_size=40
)


def one_by_one(raw: list[int], zone: str) -> list[date]:
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    tz = zoneinfo.ZoneInfo(zone)
    return [(epoch + timedelta(microseconds=us)).astimezone(tz).date() for us in raw]


@pytest.mark.parametrize(
    "zone",
    [
        "Asia/Shanghai",  # the default: UTC+8, with DST from 1986 to 1991
        "America/New_York",  # two changes a year
        "Australia/Lord_Howe",  # half-hour DST
        "UTC",  # no offset at all
    ],
)
@given(raw=INSTANTS)
def test_business_dates_equal_zoneinfo_instant_by_instant(zone: str, raw: list[int]) -> None:
    instants = np.array(raw, dtype=np.int64).view("datetime64[us]")
    assert business_dates(instants, zone).tolist() == one_by_one(raw, zone)


def test_a_daylight_saving_change_moves_the_business_date() -> None:
    # New York left DST at 06:00 UTC on 2 November 2025 (UTC-4 before, UTC-5 after).
    at = np.array(["2025-11-02T03:30", "2025-11-03T04:30"], dtype="datetime64[us]")
    # 23:30 EDT on 1 November; 23:30 EST on 2 November (it would be 00:30 on the 3rd in EDT)
    assert business_dates(at, "America/New_York").tolist() == [date(2025, 11, 1), date(2025, 11, 2)]


def test_the_default_zone_is_china_standard_time_today() -> None:
    raw = np.array(["2026-02-28T15:59", "2026-02-28T16:00", "NaT"], dtype="datetime64[us]")
    assert business_dates(raw).tolist() == [date(2026, 2, 28), date(2026, 3, 1), None]
    fixed = timezone(features.CHINA_STANDARD_TIME)
    assert business_dates(raw, fixed).tolist() == business_dates(raw).tolist()


def test_one_business_date() -> None:
    assert business_date(datetime(2026, 2, 28, 16, 0, tzinfo=UTC)) == date(2026, 3, 1)
    assert business_date(datetime(2026, 2, 28, 16, 0, tzinfo=UTC), "UTC") == date(2026, 2, 28)
    with pytest.raises(InvalidValue, match="timezone-aware"):
        business_date(datetime(2026, 2, 28, 16, 0))  # noqa: DTZ001


@pytest.mark.parametrize(
    ("zone", "why"),
    [
        ("Asia/Shangai", "not a known IANA time zone"),  # a typo
        ("", "not a known IANA time zone"),  # empty
        (8, "expected an IANA time zone name or a datetime.tzinfo"),  # an offset in hours
        (timedelta(hours=8), "expected an IANA time zone name"),  # the old utc_offset
    ],
)
def test_a_bad_time_zone_is_named(zone: object, why: str) -> None:
    tables = synthetic.columns(5, seed=1).tables()
    with pytest.raises(InvalidValue, match=f"time_zone is .*{why}"):
        features.compute(tables, as_of=AS_OF, time_zone=zone)  # type: ignore[arg-type]


def test_the_features_in_shanghai_time_equal_those_at_a_fixed_utc_plus_8() -> None:
    tables = synthetic.columns(60, seed=5).tables()
    named = features.compute(tables, as_of=AS_OF)
    fixed = features.compute(tables, as_of=AS_OF, time_zone=timezone(timedelta(hours=8)))
    for cid in named.ids:
        assert named.row(cid) == fixed.row(cid)


@given(
    start=st.dates(date(1990, 1, 1), date(2030, 12, 31)),
    months=st.integers(-30, 30),
    missing=st.booleans(),
)
def test_many_dates_over_a_short_span_shift_as_relativedelta_shifts_them(
    start: date, months: int, missing: bool
) -> None:
    # More than 4,096 dates over 60 days take the look-up path, with or without NaT.
    days = np.datetime64(start, "D") + np.arange(5_000) % 60
    if missing:
        days[::97] = np.datetime64("NaT")
    got = add_months(days, months)
    # relativedelta once per distinct day (60 of them), not once per each of the 5,000 dates.
    shifted = {d: d + relativedelta(months=months) for d in set(days.tolist()) - {None}}
    expected = [None if d is None else shifted[d] for d in days.tolist()]
    assert got.tolist() == expected


class FixedEight(tzinfo):
    """A hand-written UTC+8 that cannot be hashed (so it is not cached)."""

    __hash__ = None  # type: ignore[assignment]

    def utcoffset(self, dt: datetime | None) -> timedelta:
        return timedelta(hours=8)

    def dst(self, dt: datetime | None) -> timedelta:
        return timedelta(0)

    def tzname(self, dt: datetime | None) -> str:
        return "CST"


def test_any_tzinfo_will_do_even_one_that_cannot_be_hashed() -> None:
    raw = np.array(["2026-02-28T15:59", "2026-02-28T16:00"], dtype="datetime64[us]")
    assert business_dates(raw, FixedEight()).tolist() == business_dates(raw).tolist()


@given(
    days=st.lists(st.one_of(st.none(), st.integers(-40_000, 60_000)), max_size=60),
    near=st.booleans(),
)
def test_month_numbers_are_numpys_months_with_nat_least(days: list[int | None], near: bool) -> None:
    # Near days take the path reading each day of their span once; far ones numpy's cast.
    values = [None if d is None else (d % 300 if near else d) for d in days]
    array = np.array(
        [np.datetime64("NaT") if v is None else np.datetime64(v, "D") for v in values],
        dtype="datetime64[D]",
    )
    expected = [
        np.iinfo(np.int64).min
        if v is None
        else int(np.datetime64(v, "D").astype("datetime64[M]").astype(np.int64))
        for v in values
    ]
    assert month_numbers(array).tolist() == expected
