"""The public API as a user writes it, checked by mypy (never executed by the test suite)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, assert_type

import aftersales_crm as crm
from aftersales_crm.errors import AftersalesError, InvalidValue
from aftersales_crm.records import Customer, RepairOrder, redacted
from aftersales_crm.values import GeoPoint, Mileage, Money, ServiceKind, national_id, phone, vin
from aftersales_crm.values.types import PhoneNumber, Vin

price = Money.parse("¥1,234.50")
assert_type(price, Money)
assert_type(price + Money.from_minor(50, "CNY"), Money)
assert_type(price * 3, Money)
assert_type(price.amount, Decimal)
assert_type(price.to_minor(), int)
assert_type(price.allocate(3), tuple[Money, ...])
assert_type(sum([price, price], Money.zero("CNY")), Money)

assert_type(vin.validate("LSVAU218XN2183294"), str)
assert_type(vin.is_valid(None), bool)
assert_type(national_id.birth_date("11010519491231002X"), date)
assert_type(phone.mask("13812345678"), str)

here = GeoPoint(39.9, 116.4)
assert_type(here.distance_km(GeoPoint(31.2, 121.5)), float)
assert_type(Mileage(12_480), Mileage)
assert_type(ServiceKind.MAINTENANCE.label("zh"), str)

book = crm.synthetic.book(n_customers=10, seed=1)
assert_type(book, crm.Book)
assert_type(book.orders_of("C0000001"), tuple[RepairOrder, ...])
assert_type(book.owner_of("LSVAU218XN2183294", on=date(2026, 1, 1)), Customer | None)
customer = next(iter(book.customers.values()))
assert_type(redacted(customer), Customer)

vin_field: Vin = "LSVAU218XN2183294"
phone_field: PhoneNumber = "+8613812345678"

try:
    vin.validate("LSVAU2180N2183294")
except InvalidValue as err:
    assert_type(err.code, str)
except AftersalesError:
    pass

# Features and policies, as a notebook user writes them.
from aftersales_crm import features, policies, synthetic  # noqa: E402
from aftersales_crm.features import FeatureTable  # noqa: E402
from aftersales_crm.tables import Tables  # noqa: E402

tables = synthetic.tables(100, seed=1)
assert_type(tables, Tables)
feats = features.compute(tables, as_of=date(2026, 6, 30))
assert_type(feats, FeatureTable)
assert_type(features.profile(tables, "C0000001", as_of=date(2026, 6, 30)), FeatureTable)
model = features.MileageModel(min_model_vehicles=3).fit(tables, as_of="2026-06-30")
assert_type(model, features.MileageModel)
assert_type(features.compute(tables, as_of="2026-06-30", mileage=model), FeatureTable)
mine = FeatureTable.from_columns({"spend_fen": [1, 2]}, as_of=date(2026, 6, 30))
assert_type(mine.with_columns(big=[False, True]), FeatureTable)
from aftersales_crm.loyalty import LoyaltyValueMatrix, MatrixSummary  # noqa: E402
from aftersales_crm.segmentation import ParetoABC, ParetoReport  # noqa: E402

# A built-in name gives its class; any other name gives the protocol.
assert_type(policies.get_policy("abc"), ParetoABC)
assert_type(policies.get_policy("pareto_abc").fit(feats).report(), ParetoReport)
assert_type(policies.get_policy("matrix").fit(feats).matrix(feats), MatrixSummary)
assert_type(policies.get_policy("matrix"), LoyaltyValueMatrix)
configured: str = "Pareto-ABC"
assert_type(policies.get_policy(configured), policies.Policy)
assert_type(policies.get_policy(configured).fit(feats).assign(feats), policies.Labels)
assert_type(policies.get_policy("rfm").fit(feats).score(feats), policies.Scores)
assert_type(policies.policy_kind("tier"), policies.PolicyKindSpec)
assert_type(policies.validate_params(policies.get_policy("rfm")), dict[str, Any])

# Calendars: one date gives a date, a column gives a column.
import numpy as np  # noqa: E402
from numpy.typing import NDArray  # noqa: E402

from aftersales_crm import calendars  # noqa: E402

weekends = calendars.WeekendCalendar(holidays=[date(2026, 10, 1)])
assert_type(calendars.add_business_days(date(2026, 3, 7), 3, calendar=weekends), date)
assert_type(calendars.next_business_day("2026-03-07"), date)
due = calendars.add_business_days(np.array(["2026-03-07"], "datetime64[D]"), [3])
assert_type(due, NDArray[np.datetime64])
assert_type(calendars.days_off(date(2026, 3, 1), date(2026, 3, 31)), NDArray[np.bool_])
assert_type(calendars.solar_to_lunar(date(2026, 2, 17)), calendars.LunarDate)
assert_type(calendars.LunarDate(2020, 4, 8, leap=True).in_year(2021), date)
births = calendars.lunar_dates(["1990-01-26"])
assert_type(
    calendars.lunar_birthdays(births.month, births.day, births.leap, 2026), NDArray[np.datetime64]
)
assert_type(calendars.festivals(2026), tuple[tuple[calendars.Festival, date], ...])
calendar: calendars.HolidayCalendar = weekends
assert_type(calendar.name(date(2026, 10, 1)), str | None)

# Results in a notebook: labels know their rows and name; money in yuan on request.
tiers = policies.get_policy("pareto_abc").fit(feats).assign(feats)
assert_type(tiers.name, str | None)
assert_type(tiers.ids, NDArray[np.str_] | None)
assert_type(tiers.label_names("zh"), tuple[str, ...])
tiers.to_pandas(lang="zh")
feats.to_pandas(money="major")
assert_type(tiers._repr_html_(), str)
assert_type(ParetoABC.short_name, str)
