"""Public holidays of a country from the ``holidays`` package (the ``holidays`` extra).

The ``holidays`` package keeps every country's holidays as data and code, updated in
frequent releases; for China it holds the statutory holidays and the weekend days that
become working days (调休) under the State Council General Office's notice on each
year's holiday arrangement (国务院办公厅关于某年部分节假日安排的通知). A year's notice
usually comes out in the autumn before it, so a year past the installed release's data
holds the festivals but not yet that arrangement: keep the package up to date.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from aftersales_crm._optional import require
from aftersales_crm.calendars._days import a_day
from aftersales_crm.errors import InvalidValue

__all__ = ["PublicHolidays"]

_CODE = "calendar"


def _text(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value:
        msg = f"{attribute.name} is {value!r:.80}, expected a non-empty string"
        raise InvalidValue(msg, code=_CODE)


def _categories(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        value = (value,)
    if (
        not isinstance(value, tuple | list)
        or not value
        or not all(isinstance(v, str) for v in value)
    ):
        msg = f"categories is {value!r:.80}, expected holiday categories such as ('public',)"
        raise InvalidValue(msg, code=_CODE)
    return tuple(value)


@attrs.frozen
class PublicHolidays:
    """A country's public holidays and working weekend days, as a holiday calendar.

    A day is off when it is a holiday of the ``holidays`` package (with the days off the
    arrangement moves, "observed"), or a weekend day that is not a make-up working day
    (调休: a Saturday or Sunday worked to lengthen a holiday). Needs the ``holidays``
    extra: ``pip install 'aftersales-crm[holidays]'``.

    Attributes:
        country: the ISO 3166-1 code of the country, default ``"CN"`` (China).
        subdivision: a region of the country, if its holidays differ (None: national).
        language: the language of the holiday names, default ``"zh_CN"``; China's are
            also in ``"en_US"``, ``"zh_TW"`` and ``"th"``.
        categories: the categories of holidays counted as days off, default
            ``("public",)`` (China's ``"half_day"`` holidays, such as Women's Day for
            women, are not days off for a dealer).

    Raises:
        MissingDependencyError: the ``holidays`` package is not installed.
        InvalidValue: the package has no such country, subdivision, language or category.

    Examples:
        >>> china = PublicHolidays("CN")
        >>> sunday = dt.date(2024, 2, 4)  # worked, in exchange for a day of Spring Festival
        >>> china.is_day_off(sunday), china.is_day_off(dt.date(2024, 2, 10))
        (False, True)
        >>> china.name(dt.date(2024, 10, 1)), china.name(dt.date(2024, 10, 8))
        ('国庆节', None)
        >>> PublicHolidays("CN", language="en_US").name(dt.date(2024, 2, 10))
        'Chinese New Year (Spring Festival)'
    """

    country: str = attrs.field(default="CN", validator=_text)
    subdivision: str | None = attrs.field(default=None, kw_only=True)
    language: str = attrs.field(default="zh_CN", validator=_text, kw_only=True)
    categories: tuple[str, ...] = attrs.field(
        default=("public",), converter=_categories, kw_only=True
    )
    _holidays: Any = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        package = require("holidays", extra="holidays")
        try:
            known = package.country_holidays(self.country, subdiv=self.subdivision)
        except (NotImplementedError, KeyError, ValueError) as exc:
            msg = f"the holidays package has no calendar for country={self.country!r}, subdivision={self.subdivision!r}: {exc}"
            raise InvalidValue(msg, code=_CODE) from None
        if self.language not in known.supported_languages:
            msg = (
                f"language is {self.language!r}; the holidays of {self.country} come in "
                f"{', '.join(sorted(known.supported_languages))}"
            )
            raise InvalidValue(msg, code=_CODE)
        unknown = set(self.categories) - set(known.supported_categories)
        if unknown:
            msg = (
                f"categories holds {sorted(unknown)[0]!r}; the holidays of {self.country} "
                f"have the categories {', '.join(sorted(known.supported_categories))}"
            )
            raise InvalidValue(msg, code=_CODE)
        calendar = package.country_holidays(
            self.country,
            subdiv=self.subdivision,
            language=self.language,
            categories=self.categories,
        )
        object.__setattr__(self, "_holidays", calendar)

    def is_day_off(self, day: dt.date) -> bool:
        """Whether ``day`` is a holiday, or a weekend day that is not a make-up working day."""
        day = a_day(day)
        if self._holidays.get(day) is not None:  # also loads the year, and its workdays
            return True
        return (
            day.weekday() in self._holidays.weekend and day not in self._holidays.weekend_workdays
        )

    def name(self, day: dt.date) -> str | None:
        """The name of the holiday on ``day`` in ``language``, or None.

        A day off moved by the arrangement has a name saying from which day it moved;
        the Saturdays and Sundays of a holiday week are weekend days, and have none.
        """
        found = self._holidays.get(a_day(day))
        return None if found is None else str(found)
