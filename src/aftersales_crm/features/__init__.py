"""Customer and vehicle features, computed for a whole customer base in a few numpy passes.

[`compute`][aftersales_crm.features.compute] turns [`Tables`][aftersales_crm.tables.Tables] (or a Book) into a
[`FeatureTable`][aftersales_crm.features.FeatureTable] aligned with the customer table, with the vehicle features as
``.vehicles``. [`profile`][aftersales_crm.features.profile] gives one customer's features through the same kernels,
[`dealer_features`][aftersales_crm.features.dealer_features] each dealer's first-time-fix rate, and
[`calibration_holdout`][aftersales_crm.features.calibration_holdout] the features at a split date beside the visits after it.
Only facts up to ``as_of`` count: an order counts from its opening's business date in the
dealer's time zone (``Asia/Shanghai`` by default).

The shared rules live here, each once: the calendar ([`add_months`][aftersales_crm.features.add_months],
[`completed_years`][aftersales_crm.features.completed_years], [`business_dates`][aftersales_crm.features.business_dates]), the km/day estimate
([`MileageModel`][aftersales_crm.features.MileageModel]), the next service due ([`service_due`][aftersales_crm.features.service_due]) and the owner
roll-ups ([`FeatureTable.newest_vehicles`][aftersales_crm.features.FeatureTable.newest_vehicles], [`FeatureTable.per_owner`][aftersales_crm.features.FeatureTable.per_owner]).

The catalogue is on the documentation page *Features*.

Examples:
    >>> from datetime import date
    >>> from aftersales_crm import features, synthetic
    >>> feats = features.compute(synthetic.columns(100, seed=2).tables(), as_of=date(2026, 6, 30))
    >>> sorted(feats)[:3]
    ['activities', 'activities_window', 'age_years']
"""

from __future__ import annotations

from aftersales_crm.features._calendar import (
    CHINA_STANDARD_TIME,
    DEFAULT_TIME_ZONE,
    add_months,
    business_date,
    business_dates,
    completed_years,
)
from aftersales_crm.features._engine import DEFAULT_WINDOW, compute, compute_vehicles
from aftersales_crm.features._holdout import (
    DEFAULT_CENSOR,
    CalibrationHoldout,
    calibration_holdout,
)
from aftersales_crm.features._kernels import Segments, group_order
from aftersales_crm.features._mileage import (
    DEFAULT_KM_PER_DAY,
    MAX_KM_PER_DAY,
    MIN_MODEL_VEHICLES,
    MileageMethod,
    MileageModel,
)
from aftersales_crm.features._profile import model_rates, profile
from aftersales_crm.features._quality import (
    FIRST_TIME_FIX,
    FIRST_TIME_FIX_WINDOW,
    MILEAGE_BAND_EDGES_KM,
    MILEAGE_CLASS,
    dealer_features,
)
from aftersales_crm.features._service import SERVICE_KM, SERVICE_MONTHS, service_due
from aftersales_crm.features._table import FeatureTable
from aftersales_crm.features._vehicles import VEHICLE_TABLE_COLUMNS

__all__ = [
    "CHINA_STANDARD_TIME",
    "DEFAULT_CENSOR",
    "DEFAULT_KM_PER_DAY",
    "DEFAULT_TIME_ZONE",
    "DEFAULT_WINDOW",
    "FIRST_TIME_FIX",
    "FIRST_TIME_FIX_WINDOW",
    "MAX_KM_PER_DAY",
    "MILEAGE_BAND_EDGES_KM",
    "MILEAGE_CLASS",
    "MIN_MODEL_VEHICLES",
    "SERVICE_KM",
    "SERVICE_MONTHS",
    "VEHICLE_TABLE_COLUMNS",
    "CalibrationHoldout",
    "FeatureTable",
    "MileageMethod",
    "MileageModel",
    "Segments",
    "add_months",
    "business_date",
    "business_dates",
    "calibration_holdout",
    "completed_years",
    "compute",
    "compute_vehicles",
    "dealer_features",
    "group_order",
    "model_rates",
    "profile",
    "service_due",
]
