r"""The loyalty category of the material: the return after the first maintenance (首保后回厂).

《信息回访员基础培训分析报告》: "忠诚度类别:以首保后,日常保养\维修是否来厂为 判断忠诚度依据"
(the loyalty category: whether, after the first maintenance, routine maintenance and
repair come to the workshop is the basis for judging loyalty).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar, Final, Literal

import numpy as np

from aftersales_crm._params import Constraint, OneOf, validate_params
from aftersales_crm._policy import BasePolicy, Labels, PolicyKind, feature
from aftersales_crm.features import FeatureTable
from aftersales_crm.segmentation._common import MISSING, labels
from aftersales_crm.values import Material, Quote

__all__ = ["FirstMaintenanceReturn"]

CATEGORY: Final = Quote(
    Material.FOLLOW_UP_CALLS,
    "忠诚度类别:以首保后,日常保养\\维修是否来厂为 判断忠诚度依据",
    "loyalty category: whether, after the first maintenance, routine maintenance\\repair"
    " come to the workshop is the basis for judging loyalty",
)
"""The material's definition of the loyalty category, as 《信息回访员基础培训分析报告》
has it (the space before
判断 is the document's line break)."""

_COLUMNS: Final[Mapping[tuple[str, str], tuple[str, str]]] = {
    ("same", "same"): ("first_maintenance", "return_date"),
    ("network", "same"): ("first_maintenance", "network_return_date"),
    ("same", "any"): ("any_vehicle_first_maintenance", "any_vehicle_return_date"),
    ("network", "any"): ("any_vehicle_first_maintenance", "any_vehicle_network_return_date"),
}
"""(dealer, vehicle) → the customer features of the first maintenance and the return."""


class FirstMaintenanceReturn(BasePolicy):
    r"""Loyal when the car came back to the workshop after its first maintenance (首保后回厂).

    The loyalty category of 《信息回访员基础培训分析报告》:
    "以首保后,日常保养\维修是否来厂为
    判断忠诚度依据" ([`CATEGORY`][aftersales_crm.loyalty.FirstMaintenanceReturn.CATEGORY]). With the defaults it follows the material: per
    vehicle, after its first maintenance (首保), did it come back on a later day to the
    same dealer (the one that did the first maintenance) for routine maintenance or repair
    (``ROUTINE_SERVICE_KINDS``)? A customer is "loyal" when any vehicle they own on
    ``as_of`` is, "not_loyal" otherwise, and ``-1`` when no vehicle of theirs had its first
    maintenance while they owned it (bought second-hand, or serviced elsewhere): the
    category asks about a return after it. These are the customer features
    ``first_maintenance`` and ``returned_after_first_maintenance``.

    A customer whose first maintenance was last week is "not_loyal" until they come back;
    ``LoyaltyStatus`` tells "not yet due" from "lost".

    Two parameters widen the rule, where a dealer group wants to:

    * ``dealer="network"``: a return to any dealer of the network counts;
    * ``vehicle="any"``: a return with any vehicle counts, read from the customer's own
      repair orders after their first first-maintenance visit (the features
      ``any_vehicle_*``), whoever owns the cars now.

    ``FirstMaintenanceReturn(dealer="network", vehicle="any")`` is the library's rule
    before it followed the material.

    Attributes:
        dealer: ``"same"`` (default, the material's "来厂": the first-maintenance dealer)
            or ``"network"``.
        vehicle: ``"same"`` (default: the vehicle that had the first maintenance) or
            ``"any"``.

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import features, synthetic
        >>> feats = features.compute(synthetic.book(30, seed=1), as_of=date(2026, 6, 30))
        >>> FirstMaintenanceReturn().assign(feats).counts()
        {'loyal': 25, 'not_loyal': 3}
        >>> FirstMaintenanceReturn(dealer="network", vehicle="any").assign(feats).counts()
        {'loyal': 25, 'not_loyal': 3}
    """

    kind: ClassVar[PolicyKind] = "loyalty"
    population_relative: ClassVar[bool] = False

    CATEGORY: ClassVar[Quote] = CATEGORY
    """The material's definition, word for word, with its translation."""

    NAMES: ClassVar[tuple[str, str]] = ("loyal", "not_loyal")
    """The labels in English."""

    NAMES_ZH: ClassVar[tuple[str, str]] = ("忠诚", "非忠诚")
    """The labels in Chinese (the library's words: the material names the category,
    忠诚度类别, not its two values)."""

    parameter_constraints: ClassVar[Mapping[str, Constraint]] = {
        "dealer": OneOf(("same", "network")),
        "vehicle": OneOf(("same", "any")),
    }
    """``dealer`` is "same" or "network"; ``vehicle`` is "same" or "any"."""

    def __init__(
        self,
        *,
        dealer: Literal["same", "network"] = "same",
        vehicle: Literal["same", "any"] = "same",
    ) -> None:
        self.dealer = dealer
        self.vehicle = vehicle

    def columns(self) -> tuple[str, str]:
        """The customer features this rule reads: the first maintenance and the return.

        Raises:
            InvalidValue: a parameter is invalid.

        Examples:
            >>> FirstMaintenanceReturn(dealer="network").columns()
            ('first_maintenance', 'network_return_date')
        """
        p = validate_params(self)
        return _COLUMNS[p["dealer"], p["vehicle"]]

    def assign(self, features: FeatureTable) -> Labels:
        """Whether each row came back after their first maintenance; ``-1`` without one.

        Args:
            features: the customers.

        Returns:
            Labels aligned with the rows of ``features``: loyal, not_loyal.

        Raises:
            InvalidValue: a parameter is invalid or a feature is missing.

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import features, synthetic
            >>> feats = features.compute(synthetic.book(3, seed=1), as_of=date(2026, 6, 30))
            >>> FirstMaintenanceReturn().assign(feats).values("zh").tolist()
            ['忠诚', '忠诚', '非忠诚']
        """
        first_name, return_name = self.columns()
        first = np.asarray(feature(features, first_name), dtype="datetime64[D]")
        back = np.asarray(feature(features, return_name), dtype="datetime64[D]")
        codes = np.where(np.isnat(back), 1, 0).astype(np.int16)
        codes[np.isnat(first)] = MISSING
        return labels(codes, self.NAMES, self.NAMES_ZH)
