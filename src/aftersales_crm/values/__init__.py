"""Exact value types: money, identifiers, mileage, places, and the domain's enumerations.

* [`Money`][aftersales_crm.values.Money]: a ``Decimal`` amount in an ISO 4217 currency; never float.
* Identifier modules with one set of verbs (``compact``, ``validate``, ``is_valid``,
  ``format``, ``calc_check_digit``): [`vin`][aftersales_crm.values.vin] (ISO 3779),
  [`national_id`][aftersales_crm.values.national_id] (GB 11643),
  [`phone`][aftersales_crm.values.phone] (E.164 through phonenumbers) and
  [`plate`][aftersales_crm.values.plate] (Chinese licence plates, GA 36).
* [`Mileage`][aftersales_crm.values.Mileage] and [`GeoPoint`][aftersales_crm.values.GeoPoint] (WGS-84 distances, bearings, compass sectors).
* Enumerations with stable English values and Chinese/English labels.
* [`Material`][aftersales_crm.values.Material] and [`Quote`][aftersales_crm.values.Quote]: the dealer training material and its own words.
* [`types`][aftersales_crm.values.types]: ``Annotated`` field types for pydantic models.

Examples:
    >>> from aftersales_crm.values import Money, ServiceKind, vin
    >>> Money.parse("¥1,234.50") + Money.parse("0.50", "CNY")
    Money('1235.00', 'CNY')
    >>> vin.is_valid("LSVAU218XN2183294"), ServiceKind.FIRST_MAINTENANCE.label("zh")
    (True, '首保')
"""

from __future__ import annotations

from aftersales_crm.values import national_id, phone, plate, types, vin
from aftersales_crm.values._bounds import (
    EARLIEST_DATE,
    EARLIEST_INSTANT,
    LATEST_DATE,
    LATEST_INSTANT,
    MAX_KILOMETRES,
    MAX_MINOR_UNITS,
    MAX_SUMMED_ROWS,
    normalise_id,
    normalise_ids,
    normalise_postcode,
)
from aftersales_crm.values._codes import NONE_CODE
from aftersales_crm.values._enums import (
    FOLLOW_UP_DAYS,
    ROUTINE_SERVICE_KINDS,
    BodyType,
    CompassSector,
    ContactChannel,
    ContactPurpose,
    FuelType,
    Gender,
    LabelledEnum,
    Lang,
    PayType,
    ServiceKind,
)
from aftersales_crm.values._geo import (
    EARTH_MEAN_RADIUS_KM,
    MISSING_SECTOR_CODE,
    GeoPoint,
    Winds,
    bearing_deg,
    haversine_km,
    sector_codes,
)
from aftersales_crm.values._identifier import IdentifierModule
from aftersales_crm.values._material import Material, Quote
from aftersales_crm.values._mileage import Mileage
from aftersales_crm.values._money import CURRENCY_EXPONENTS, Money, currency_exponent

__all__ = [
    "CURRENCY_EXPONENTS",
    "EARLIEST_DATE",
    "EARLIEST_INSTANT",
    "EARTH_MEAN_RADIUS_KM",
    "FOLLOW_UP_DAYS",
    "LATEST_DATE",
    "LATEST_INSTANT",
    "MAX_KILOMETRES",
    "MAX_MINOR_UNITS",
    "MAX_SUMMED_ROWS",
    "MISSING_SECTOR_CODE",
    "NONE_CODE",
    "ROUTINE_SERVICE_KINDS",
    "BodyType",
    "CompassSector",
    "ContactChannel",
    "ContactPurpose",
    "FuelType",
    "Gender",
    "GeoPoint",
    "IdentifierModule",
    "LabelledEnum",
    "Lang",
    "Material",
    "Mileage",
    "Money",
    "PayType",
    "Quote",
    "ServiceKind",
    "Winds",
    "bearing_deg",
    "currency_exponent",
    "haversine_km",
    "national_id",
    "normalise_id",
    "normalise_ids",
    "normalise_postcode",
    "phone",
    "plate",
    "sector_codes",
    "types",
    "vin",
]
