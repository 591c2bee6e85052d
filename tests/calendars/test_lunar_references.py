"""The library's lunar table beside two independent references, installed for the tests only.

The table is computed from astronomy (PyEphem) by tools/generate_lunar_table.py; the
references are ``lunar_python`` (6tail's port of 寿星天文历, its own astronomical
computation) and ``borax`` (a month table of its own). Every lunar new year, leap month and
month length from 1900 to 2100 and every Qingming are compared; where a reference differs,
the month is listed below with the reason, and the test checks that it still differs (so
a fixed reference is noticed).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales_crm.calendars import (
    FIRST_LUNAR_YEAR,
    LAST_LUNAR_YEAR,
    Festival,
    LunarDate,
    lunar_year,
    solar_to_lunar,
)

lunar_python = pytest.importorskip("lunar_python")
borax = pytest.importorskip("borax.calendars.lunardate")

YEARS = range(FIRST_LUNAR_YEAR, LAST_LUNAR_YEAR + 1)
Months = tuple[tuple[int, bool, int], ...]

KNOWN_DIFFERENCES = {
    # (reference, lunar year): why the reference differs from the table
    ("borax", 2089): "the new moon of 4 September 2089 is at 23:57 Beijing time: the 8th "
    "month starts that day (as lunar_python has it); borax starts it on the 5th",
    ("borax", 2097): "the new moon of 7 August 2097 is at 23:59 Beijing time: the 7th "
    "month starts that day (as lunar_python has it); borax starts it on the 8th",
}


def lunar_python_year(year: int) -> tuple[dt.date, Months]:
    months = lunar_python.LunarYear.fromYear(year).getMonthsInYear()
    first = lunar_python.Solar.fromJulianDay(months[0].getFirstJulianDay())
    return (
        dt.date(first.getYear(), first.getMonth(), first.getDay()),
        tuple((abs(m.getMonth()), m.getMonth() < 0, m.getDayCount()) for m in months),
    )


def borax_year(year: int) -> tuple[dt.date, Months]:
    months = borax.LCalendars.iter_year_month(year)
    return (
        borax.LunarDate(year, 1, 1).to_solar_date(),
        tuple((month, bool(leap), days) for month, days, leap in months),
    )


REFERENCES = {"lunar_python": lunar_python_year, "borax": borax_year}


def table_year(year: int) -> tuple[dt.date, Months]:
    found = lunar_year(year)
    return found.new_year, found.months


@pytest.mark.parametrize("reference", sorted(REFERENCES))
def test_every_year_agrees_with_the_reference(reference: str) -> None:
    differ = [year for year in YEARS if table_year(year) != REFERENCES[reference](year)]
    expected = sorted(year for name, year in KNOWN_DIFFERENCES if name == reference)
    assert differ == expected


@pytest.mark.parametrize(("reference", "year"), sorted(KNOWN_DIFFERENCES))
def test_a_known_difference_is_one_day_moved_between_two_months(reference: str, year: int) -> None:
    new_year, months = table_year(year)
    other_new_year, other = REFERENCES[reference](year)
    assert new_year == other_new_year
    changed = [i for i, (a, b) in enumerate(zip(months, other, strict=True)) if a != b]
    assert len(changed) == 2
    assert changed[1] == changed[0] + 1
    assert [months[i][2] - other[i][2] for i in changed] == [-1, 1]


def test_the_references_agree_with_each_other_where_the_table_is_corrected() -> None:
    # tools/generate_lunar_table.py sets two month starts by hand (1906 and 2057), to the
    # calendars in use; both references have them so.
    for year in (1906, 2057):
        assert lunar_python_year(year) == borax_year(year) == table_year(year)


def test_every_qingming_agrees_with_both_references() -> None:
    differ = []
    for year in YEARS:
        term = lunar_python.Lunar.fromYmd(year, 3, 1).getJieQiTable()["清明"]
        theirs = {
            dt.date(term.getYear(), term.getMonth(), term.getDay()),
            borax.TermUtils.nth_term_day(year, term_name="清明"),
        }
        if theirs != {Festival.QINGMING.on(year)}:
            differ.append(year)
    assert differ == []


in_table = st.dates(dt.date(1900, 1, 31), dt.date(2101, 1, 28))


@given(day=in_table)
def test_random_days_convert_as_lunar_python_converts_them(day: dt.date) -> None:
    theirs = lunar_python.Solar.fromYmd(day.year, day.month, day.day).getLunar()
    expected = LunarDate(
        theirs.getYear(), abs(theirs.getMonth()), theirs.getDay(), leap=theirs.getMonth() < 0
    )
    if ("lunar_python", expected.year) in KNOWN_DIFFERENCES:
        return
    assert solar_to_lunar(day) == expected


@given(day=in_table)
def test_random_days_convert_as_borax_converts_them(day: dt.date) -> None:
    theirs = borax.LunarDate.from_solar_date(day.year, day.month, day.day)
    if ("borax", theirs.year) in KNOWN_DIFFERENCES:
        return
    assert solar_to_lunar(day) == LunarDate(
        theirs.year, theirs.month, theirs.day, leap=bool(theirs.leap)
    )


def test_the_shipped_table_is_what_the_generator_computes() -> None:
    pytest.importorskip("ephem")
    import importlib.util

    path = Path(__file__).resolve().parents[2] / "tools" / "generate_lunar_table.py"
    spec = importlib.util.spec_from_file_location("generate_lunar_table", path)
    assert spec is not None
    assert spec.loader is not None
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    assert generator.OUTPUT.read_text(encoding="utf-8") == generator.render()
