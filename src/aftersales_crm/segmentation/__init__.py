"""Customer segmentation (客户分类): value tiers, dimensions and cross-tabulation.

Every class here is a policy ([`aftersales_crm.policies`][aftersales_crm.policies]): keyword-only parameters
with the domain's numbers as defaults, ``fit`` for the population-relative ones, and
``assign(features)`` giving one label per row of a
[`FeatureTable`][aftersales_crm.features.FeatureTable], in its order; ``-1`` marks a customer
without the data the policy needs.

* Value tiers (``kind = "tier"``): [`ParetoABC`][aftersales_crm.segmentation.ParetoABC] (A/B/C by cumulative customer
  share), [`ThresholdTiers`][aftersales_crm.segmentation.ThresholdTiers] and [`QuantileTiers`][aftersales_crm.segmentation.QuantileTiers] (diamond … silver),
  [`RFMScore`][aftersales_crm.segmentation.RFMScore] (recency, frequency, monetary scores and segments) and
  [`MemberValue`][aftersales_crm.segmentation.MemberValue] (member levels from material value, loyalty and activity).
* Dimensions (``kind = "dimension"``): [`VehicleAgeBand`][aftersales_crm.segmentation.VehicleAgeBand] (with its
  [`VehicleAgeReport`][aftersales_crm.segmentation.VehicleAgeReport]), [`RegionRing`][aftersales_crm.segmentation.RegionRing],
  [`Sector`][aftersales_crm.segmentation.Sector], [`OwnerAgeBand`][aftersales_crm.segmentation.OwnerAgeBand], [`GenderDimension`][aftersales_crm.segmentation.GenderDimension], [`Hobby`][aftersales_crm.segmentation.Hobby],
  [`BodyTypeDimension`][aftersales_crm.segmentation.BodyTypeDimension], [`UsageHabit`][aftersales_crm.segmentation.UsageHabit], [`MileageBand`][aftersales_crm.segmentation.MileageBand],
  [`ConsumptionLevel`][aftersales_crm.segmentation.ConsumptionLevel] and
  [`NewOrReturning`][aftersales_crm.segmentation.NewOrReturning].
* [`crosstab`][aftersales_crm.segmentation.crosstab] counts customers and sums value over any of them.

Ties are broken by the value and then the customer id, never by row order: permuting the
rows permutes the labels the same way.

The dimensions read from vehicles ([`VehicleAgeBand`][aftersales_crm.segmentation.VehicleAgeBand], [`BodyTypeDimension`][aftersales_crm.segmentation.BodyTypeDimension],
[`UsageHabit`][aftersales_crm.segmentation.UsageHabit], [`MileageBand`][aftersales_crm.segmentation.MileageBand]) find each vehicle's owner through ``features.vehicles["owner"]``, a
row of the customer FeatureTable (kept so by [`take`][aftersales_crm.features.FeatureTable.take]
and [`profile`][aftersales_crm.features.profile]). A hand-built table whose owner rows visibly
do not match its rows (a customer owning more vehicles than their ``vehicles_owned``) is
refused with ``InvalidValue`` code ``"vehicles_not_aligned"``.

Examples:
    >>> from datetime import date
    >>> from aftersales_crm import features, synthetic
    >>> from aftersales_crm.segmentation import ParetoABC, RegionRing, crosstab
    >>> feats = features.compute(synthetic.book(30, seed=1), as_of=date(2026, 6, 30))
    >>> abc = ParetoABC().fit(feats)
    >>> abc.assign(feats).counts()
    {'A': 6, 'B': 9, 'C': 15}
    >>> crosstab(feats, abc, RegionRing()).counts.sum()
    np.int64(30)
"""

from __future__ import annotations

from aftersales_crm.segmentation._crosstab import Crosstab, crosstab
from aftersales_crm.segmentation._dimensions import (
    ConsumptionLevel,
    GenderDimension,
    Hobby,
    NewOrReturning,
    OwnerAgeBand,
    RegionRing,
    Sector,
)
from aftersales_crm.segmentation._member import MemberValue
from aftersales_crm.segmentation._mileage import MileageBand
from aftersales_crm.segmentation._pareto import ParetoABC, ParetoReport
from aftersales_crm.segmentation._rfm import RFMScore
from aftersales_crm.segmentation._tiers import QuantileTiers, ThresholdTiers
from aftersales_crm.segmentation._vehicles import (
    BodyTypeDimension,
    UsageHabit,
    VehicleAgeBand,
    VehicleAgeReport,
)

__all__ = [
    "BodyTypeDimension",
    "ConsumptionLevel",
    "Crosstab",
    "GenderDimension",
    "Hobby",
    "MemberValue",
    "MileageBand",
    "NewOrReturning",
    "OwnerAgeBand",
    "ParetoABC",
    "ParetoReport",
    "QuantileTiers",
    "RFMScore",
    "RegionRing",
    "Sector",
    "ThresholdTiers",
    "UsageHabit",
    "VehicleAgeBand",
    "VehicleAgeReport",
    "crosstab",
]
