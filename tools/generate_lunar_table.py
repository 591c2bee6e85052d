"""Generate the Chinese lunar month table of aftersales_crm (1900-2100) from astronomy.

Rerun from the repository root, after ``pip install ephem`` (or the ``dev`` extra)::

    python tools/generate_lunar_table.py          # rewrites src/aftersales_crm/calendars/_lunar_table.py
    python tools/generate_lunar_table.py --check  # exits 1 if the shipped table differs

Source: the positions of the Sun and the Moon computed by PyEphem (``ephem``, the
libastro library of XEphem: VSOP87 for the Sun, the ELP 2000-82 lunar theory), installed
for the generation only; the library itself ships the generated table and needs nothing
at run time. No other lunar calendar library is read, so the tests can cross-check the
table against two of them (``lunar_python`` and ``borax``) as independent references.

The rules are those of the Chinese national standard GB/T 33661-2017 《农历的编算和颁行》
(Calculation and promulgation of the Chinese calendar):

1. A month starts on the day (in Beijing time) of the instant of the new moon (朔).
2. The winter solstice (冬至, the Sun at 270°) always falls in the 11th month.
3. When 13 months start from one 11th month up to (not including) the next, the first
   of them that holds no principal solar term (中气, the Sun at a multiple of 30°) is a
   leap month (闰月) and takes the number of the month before it.

The day of an instant is taken in Beijing time, UTC+8 (the meridian of 120°E) from 1929
on; before 1929 the calendar was computed for the meridian of Beijing itself, 116°25′E,
local mean time UTC+7:45:40 (H. Aslaksen, "The Mathematics of the Chinese Calendar",
2010, §4). Two months are set by hand, where the published calendars differ from the
computation (``CORRECTIONS`` below, each with its reason).

Qingming (清明, the Sun at 15°) of each Gregorian year is tabulated with the same rules:
it is a solar term, and its day moves between 4 and 6 April.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import math
import sys
from pathlib import Path

import ephem

FIRST_YEAR = 1900
LAST_YEAR = 2100
OUTPUT = (
    Path(__file__).resolve().parent.parent
    / "src"
    / "aftersales_crm"
    / "calendars"
    / "_lunar_table.py"
)

TROPICAL_YEAR = 365.2422
"""Days per revolution of the Sun's longitude, for stepping towards a solar term."""

BEIJING_MEAN_TIME = (116 + 25 / 60) / 360
"""UTC offset in days of the local mean time of Beijing (116°25′E), used before 1929."""

CHINA_STANDARD_TIME = 8 / 24
"""UTC offset in days of Beijing time (UTC+8, 120°E), used from 1929."""

STANDARD_TIME_FROM = ephem.Date("1929/1/1")

CORRECTIONS = {
    # month start computed -> month start used, with the reason
    dt.date(1906, 4, 23): (
        dt.date(1906, 4, 24),
        (
            "The new moon fell at 23:52 Beijing mean time on 23 April 1906 (00:06 UTC+8); the"
            " Qing calendar (时宪历) of that year, computed with its own lunar theory, starts"
            " the 4th month on the 24th, and the calendars in use follow it."
        ),
    ),
    dt.date(2057, 9, 28): (
        dt.date(2057, 9, 29),
        (
            "The new moon falls at 23:59:49 UTC+8 on 28 September 2057, eleven seconds before"
            " midnight, closer than the uncertainty of the Earth's rotation (ΔT) that far"
            " ahead; the published conversion tables start the 9th month on the 29th."
        ),
    ),
}


def _sun_longitude(when: float) -> float:
    """The Sun's apparent geocentric ecliptic longitude, in degrees, at ``when``."""
    sun = ephem.Sun(when)
    ecliptic = ephem.Ecliptic(ephem.Equatorial(sun.ra, sun.dec, epoch=when), epoch=when)
    return math.degrees(ecliptic.lon)


def _solar_term(after: float, longitude: float) -> float:
    """The first instant from ``after`` on when the Sun's longitude is ``longitude``."""
    when = after + (longitude - _sun_longitude(after)) % 360 / 360 * TROPICAL_YEAR
    for _ in range(50):
        error = (longitude - _sun_longitude(when) + 180) % 360 - 180
        when += error / 360 * TROPICAL_YEAR
        if abs(error) < 1e-8:  # degrees: about a millisecond of time
            return when
    msg = f"the solar term at {longitude}° after {ephem.Date(after)} did not converge"
    raise RuntimeError(msg)


def _day(instant: float) -> dt.date:
    """The civil day of an instant in the time of the Chinese calendar (see the rules)."""
    offset = BEIJING_MEAN_TIME if instant < STANDARD_TIME_FROM else CHINA_STANDARD_TIME
    day: dt.date = ephem.Date(instant + offset).datetime().date()
    return day


def _new_moons(first: str, last: str) -> list[dt.date]:
    """The days months start, from ``first`` to ``last`` (dates as ephem reads them)."""
    starts = []
    when = ephem.next_new_moon(ephem.Date(first))
    while when < ephem.Date(last):
        computed = _day(when)
        starts.append(CORRECTIONS.get(computed, (computed, ""))[0])
        when = ephem.next_new_moon(when + 1)
    return starts


def _principal_terms(first: str, last: str) -> list[tuple[int, dt.date]]:
    """The principal solar terms (longitude, day) from ``first`` to ``last``."""
    terms = []
    when = ephem.Date(first)
    longitude = math.ceil(_sun_longitude(when) / 30) * 30 % 360
    while when < ephem.Date(last):
        when = _solar_term(when, longitude)
        terms.append((longitude, _day(when)))
        when += 1
        longitude = (longitude + 30) % 360
    return terms


def lunar_years() -> dict[int, tuple[dt.date, int, str]]:
    """Each lunar year's new year, leap month (0 for none) and month lengths (1 = 30 days)."""
    starts = _new_moons("1898/10/1", "2102/4/1")
    terms = _principal_terms("1898/10/1", "2102/4/1")
    term_days = sorted(day for _, day in terms)

    def month_of(day: dt.date) -> int:
        return max(i for i, start in enumerate(starts) if start <= day)

    elevenths = [month_of(day) for longitude, day in terms if longitude == 270]  # 冬至
    numbers: dict[int, tuple[int, bool]] = {}  # month index -> (number, leap)
    for first, following in itertools.pairwise(elevenths):
        leap = None
        if following - first == 13:  # a year of 13 months has a leap month
            leap = next(
                i
                for i in range(first + 1, following)
                if not any(starts[i] <= day < starts[i + 1] for day in term_days)
            )
        number = 11
        for i in range(first, following):
            if i == leap:
                numbers[i] = (numbers[i - 1][0], True)
            else:
                numbers[i] = (number, False)
                number = number % 12 + 1
    years: dict[int, tuple[dt.date, int, str]] = {}
    year = 0
    for i in sorted(numbers):
        number, leap_month = numbers[i]
        if (number, leap_month) == (1, False):
            year = starts[i].year
            years[year] = (starts[i], 0, "")
        if year and i + 1 < len(starts):
            new_year, leap, lengths = years[year]
            long_month = (starts[i + 1] - starts[i]).days == 30
            years[year] = (new_year, number if leap_month else leap, lengths + "01"[long_month])
    return {y: years[y] for y in range(FIRST_YEAR, LAST_YEAR + 1)}


def qingming() -> dict[int, int]:
    """The day of April of Qingming (清明, the Sun at 15°) in each Gregorian year."""
    days = {}
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        day = _day(_solar_term(ephem.Date(f"{year}/3/25"), 15))
        days[year] = day.day
    return days


def render() -> str:
    """The text of the generated module."""
    years = lunar_years()
    april = qingming()
    rows = "\n".join(
        f'    ({year}, "{new_year.isoformat()}", {leap}, "{lengths}", {april[year]}),'
        for year, (new_year, leap, lengths) in years.items()
    )
    corrections = "\n".join(
        f"#   {computed} -> {used}: {reason}" for computed, (used, reason) in CORRECTIONS.items()
    )
    return f'''"""The Chinese lunar calendar from {FIRST_YEAR} to {LAST_YEAR}, one row per lunar year.

Generated by tools/generate_lunar_table.py from astronomy (PyEphem) under the rules of
GB/T 33661-2017; do not edit: rerun the script. Read by ``aftersales_crm.calendars._lunar``.
"""

# Month starts set by hand in the generator, where the calendars in use differ from the
# computation:
{corrections}

from typing import Final

FIRST_YEAR: Final = {FIRST_YEAR}
LAST_YEAR: Final = {LAST_YEAR}

YEARS: Final[tuple[tuple[int, str, int, str, int], ...]] = (
    # lunar year, its new year (Gregorian), leap month (0: none), the months' lengths in
    # order with the leap month after its namesake ("1": 30 days, "0": 29 days), and the
    # day of April of Qingming (清明) in the Gregorian year of the same number.
{rows}
)
'''


def main() -> int:
    """Write the table, or with ``--check`` tell whether the shipped one is up to date."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    text = render()
    if parser.parse_args().check:
        if OUTPUT.read_text(encoding="utf-8") != text:
            sys.stderr.write(f"{OUTPUT} differs from what the generator makes\n")
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
