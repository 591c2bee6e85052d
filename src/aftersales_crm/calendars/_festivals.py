"""The festivals of the greeting calendar: their names and the rule that dates them.

Greetings follow the festival, not the day off: Mid-Autumn is the 15th of the 8th lunar
month whatever the holiday arrangement of that year. The lunar festivals are dated by
the library's lunar table ([`lunar_to_solar`][aftersales_crm.calendars.lunar_to_solar]), Qingming by
the solar term tabulated beside it, and the others by their fixed Gregorian dates.
"""

from __future__ import annotations

import datetime as dt
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal, Self

from aftersales_crm.calendars._lunar import _QINGMING, _year, lunar_to_solar
from aftersales_crm.values import LabelledEnum

__all__ = ["Festival", "festivals"]

Rule = Literal["solar", "lunar", "lunar_eve", "solar_term"]


class Festival(LabelledEnum):
    """A festival customers are greeted on (节日), with its English and Chinese name.

    Each member carries its rule ([`rule`][aftersales_crm.calendars.Festival.rule], [`month`][aftersales_crm.calendars.Festival.month], [`day`][aftersales_crm.calendars.Festival.day]):

    * ``"solar"``: a fixed Gregorian date (元旦 1 January, 劳动节 1 May, 国庆节 1 October);
    * ``"lunar"``: a day of the lunar year that starts in the Gregorian year asked for
      (春节 1/1, 元宵 1/15, 端午 5/5, 七夕 7/7, 中秋 8/15, 重阳 9/9);
    * ``"lunar_eve"``: 除夕, the last day of the lunar year, the eve of Spring Festival:
      the 30th of the 12th month, or the 29th when that month has 29 days;
    * ``"solar_term"``: 清明, the day the Sun reaches 15° of ecliptic longitude (4 to 6
      April), tabulated with the lunar table.

    The lunar rules follow GB/T 33661-2017 《农历的编算和颁行》; the festivals are the
    traditional ones of the national holiday regulations (《全国年节及纪念日放假办法》),
    with 七夕 and 重阳 added as greeting days.

    Examples:
        >>> Festival.MID_AUTUMN.label("zh"), Festival.MID_AUTUMN.on(2024)
        ('中秋节', datetime.date(2024, 9, 17))
        >>> Festival.NEW_YEARS_EVE.on(2026)  # the 12th month of 2025 has 29 days
        datetime.date(2026, 2, 16)
        >>> Festival.QINGMING.rule, Festival.QINGMING.on(2024)
        ('solar_term', datetime.date(2024, 4, 4))
    """

    _rule: tuple[Rule, int, int]

    if TYPE_CHECKING:

        def __new__(cls, value: str) -> Self: ...

    else:

        def __new__(cls, value: str, en: str, zh: str, rule: Rule, month: int, day: int) -> Self:
            member = str.__new__(cls, value)
            member._value_ = value
            member._labels = MappingProxyType({"en": en, "zh": zh})
            member._rule = (rule, month, day)
            return member

    NEW_YEAR = "new_year", "New Year's Day", "元旦", "solar", 1, 1
    NEW_YEARS_EVE = "new_years_eve", "Chinese New Year's Eve", "除夕", "lunar_eve", 12, 30
    SPRING_FESTIVAL = "spring_festival", "Spring Festival", "春节", "lunar", 1, 1
    LANTERN = "lantern", "Lantern Festival", "元宵节", "lunar", 1, 15
    QINGMING = "qingming", "Qingming Festival", "清明节", "solar_term", 4, 0
    LABOUR_DAY = "labour_day", "Labour Day", "劳动节", "solar", 5, 1
    DRAGON_BOAT = "dragon_boat", "Dragon Boat Festival", "端午节", "lunar", 5, 5
    QIXI = "qixi", "Qixi Festival", "七夕节", "lunar", 7, 7
    MID_AUTUMN = "mid_autumn", "Mid-Autumn Festival", "中秋节", "lunar", 8, 15
    NATIONAL_DAY = "national_day", "National Day", "国庆节", "solar", 10, 1
    DOUBLE_NINTH = "double_ninth", "Double Ninth Festival", "重阳节", "lunar", 9, 9

    @property
    def rule(self) -> Rule:
        """How the festival is dated: ``"solar"``, ``"lunar"``, ``"lunar_eve"`` or ``"solar_term"``."""
        return self._rule[0]

    @property
    def month(self) -> int:
        """The Gregorian or lunar month of the rule (4 for Qingming, 12 for the eve)."""
        return self._rule[1]

    @property
    def day(self) -> int:
        """The Gregorian or lunar day of the rule (0 for Qingming, whose day varies)."""
        return self._rule[2]

    def on(self, year: int) -> dt.date:
        """The festival's date in the Gregorian year ``year``, 1900 to 2100.

        Raises:
            InvalidValue: the year is outside the lunar table (code ``"lunar_range"``).

        Examples:
            >>> Festival.SPRING_FESTIVAL.on(2027), Festival.NATIONAL_DAY.on(2027)
            (datetime.date(2027, 2, 6), datetime.date(2027, 10, 1))
        """
        year = _year(year)
        rule, month, day = self._rule
        if rule == "solar":
            return dt.date(year, month, day)
        if rule == "solar_term":
            return dt.date(year, month, _QINGMING[year])
        if rule == "lunar_eve":
            return lunar_to_solar(year, 1, 1) - dt.timedelta(days=1)
        return lunar_to_solar(year, month, day)


def festivals(year: int) -> tuple[tuple[Festival, dt.date], ...]:
    """Every [`Festival`][aftersales_crm.calendars.Festival] of the Gregorian year ``year`` with its date, in date order.

    Raises:
        InvalidValue: the year is outside 1900 to 2100 (code ``"lunar_range"``).

    Examples:
        >>> for festival, day in festivals(2024)[:4]:
        ...     print(day, festival.label("zh"), festival.label("en"))
        2024-01-01 元旦 New Year's Day
        2024-02-09 除夕 Chinese New Year's Eve
        2024-02-10 春节 Spring Festival
        2024-02-24 元宵节 Lantern Festival
    """
    return tuple(sorted(((f, f.on(year)) for f in Festival), key=lambda pair: pair[1]))
