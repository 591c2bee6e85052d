"""Calendars: lunar birthdays and business days for many customers at once.

Times, best of a few runs, on seeded random birth dates (1950-2005) and delivery dates
(2024-2026): ``calendars.lunar_dates`` (each birth date to its lunar date) and
``calendars.lunar_birthdays`` (each lunar birthday in lunar year 2026), and
``calendars.add_business_days`` (3 business days after each delivery) on the weekend
calendar and on China's public holidays (``PublicHolidays("CN")``, the ``holidays`` extra).
Floors, timed in the same run: ``borax`` (a lunar calendar library: ``from_solar_date`` then
the birthday's ``to_solar_date``, one customer at a time, on a sample, extrapolated; the
results of the sample must agree) and ``numpy.busday_offset`` (numpy's own business days on
the weekend calendar; the results must agree on days that are business days, where the two
conventions coincide). Timing is never asserted.

    .venv/bin/python benchmarks/bench_calendars.py [--customers 1000000] [--sample 20000]
"""

from __future__ import annotations

import argparse
import contextlib
import time

import numpy as np

from aftersales_crm import calendars
from aftersales_crm.errors import MissingDependencyError
from bench_features import best_seconds  # the same clock for every benchmark

CUSTOMERS = 1_000_000
SAMPLE = 20_000
REPEATS = 3
YEAR = 2026


def borax_birthdays(births: list[object]) -> list[object]:
    """One customer at a time with borax: the lunar birthday in lunar year ``YEAR``."""
    from borax.calendars.lunardate import LCalendars, LunarDate

    leap_month = LCalendars.leap_month(YEAR)
    found = []
    for birth in births:
        lunar = LunarDate.from_solar(birth)
        leap = int(bool(lunar.leap) and lunar.month == leap_month)
        day = min(lunar.day, LCalendars.ndays(YEAR, lunar.month, leap))
        found.append(LunarDate(YEAR, lunar.month, day, leap).to_solar_date())
    return found


def main() -> None:
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--customers", type=int, default=CUSTOMERS)
    parser.add_argument("--sample", type=int, default=SAMPLE, help="customers for borax")
    args = parser.parse_args()
    n = args.customers
    rng = np.random.default_rng(15)
    first, last = np.datetime64("1950-01-01"), np.datetime64("2005-12-31")
    births = first + rng.integers(0, int((last - first).astype(int)) + 1, n).astype(
        "timedelta64[D]"
    )
    delivered = np.datetime64("2024-01-01") + rng.integers(0, 3 * 365, n).astype("timedelta64[D]")

    convert_s, lunar = best_seconds(lambda: calendars.lunar_dates(births), REPEATS)
    birthday_s, days = best_seconds(
        lambda: calendars.lunar_birthdays(lunar.month, lunar.day, lunar.leap, YEAR), REPEATS
    )
    sample = births[: min(args.sample, n)].tolist()
    start = time.perf_counter()
    theirs = borax_birthdays(sample)
    borax_s = (time.perf_counter() - start) * n / max(len(sample), 1)
    same_lunar = theirs == days[: len(sample)].tolist()

    weekend_s, moved = best_seconds(lambda: calendars.add_business_days(delivered, 3), REPEATS)
    numpy_s, floor = best_seconds(lambda: np.busday_offset(delivered, 3, roll="forward"), REPEATS)
    business = np.is_busday(delivered)
    same_weekend = bool(np.array_equal(moved[business], floor[business]))
    china_s = float("nan")
    with contextlib.suppress(MissingDependencyError):  # without the holidays extra
        china = calendars.PublicHolidays("CN")
        china_s, _ = best_seconds(
            lambda: calendars.add_business_days(delivered, 3, calendar=china), REPEATS
        )

    print(f"calendars on {n:,} customers")
    print(f"{'':<58}{'seconds':>9}{'vs floor':>10}")
    total = convert_s + birthday_s
    print(f"{'lunar_dates (birth dates to lunar dates)':<58}{convert_s:>9.3f}")
    print(f"{'lunar_birthdays (each birthday in lunar ' + str(YEAR) + ')':<58}{birthday_s:>9.3f}")
    print(f"{'  both':<58}{total:>9.3f}{borax_s / total:>9.0f}×")
    print(
        f"{f'borax, one customer at a time ({len(sample):,}, scaled)':<58}{borax_s:>9.2f}{1:>9.0f}×"
    )
    print(
        f"{'add_business_days(3), WeekendCalendar':<58}{weekend_s:>9.3f}{numpy_s / weekend_s:>9.2f}×"
    )
    print(
        f"{'add_business_days(3), PublicHolidays(CN)':<58}{china_s:>9.3f}{numpy_s / china_s:>9.2f}×"
    )
    print(f"{'numpy.busday_offset(3), weekends':<58}{numpy_s:>9.3f}{1:>9.2f}×")
    print(f"lunar birthdays equal borax's on the sample: {same_lunar}")
    print(f"business days equal numpy's on business days: {same_weekend}")
    if not (same_lunar and same_weekend):
        raise SystemExit(1)
    print(f"notes: wall time, best of {REPEATS}; numpy {np.__version__}")


if __name__ == "__main__":
    main()
