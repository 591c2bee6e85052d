"""The loyalty category of the material: return after the first maintenance (DOMAIN.md §3)."""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from aftersales_crm._policy import BasePolicy, Labels, PolicyKind, feature
from aftersales_crm.features import FeatureTable
from aftersales_crm.segmentation._common import MISSING, labels

__all__ = ["FirstMaintenanceReturn"]


class FirstMaintenanceReturn(BasePolicy):
    """Loyal when the customer came back after the first (free) maintenance (首保后回厂).

    From the features ``first_maintenance`` and ``returned_after_first_maintenance``: a
    customer is "loyal" when, on a later day than their first maintenance, they came back
    for routine maintenance or repair, else "not_loyal". Customers without a first
    maintenance at this dealer (a vehicle bought and first serviced elsewhere, or not yet
    due) get ``-1``: the category asks about a return after it, so it does not apply to
    them. A customer whose first maintenance was last week is "not_loyal" until they come
    back; combine with :class:`ServiceIntervalStatus` to tell "not yet due" from "lost".

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import features, synthetic
        >>> feats = features.compute(synthetic.book(30, seed=1), as_of=date(2026, 6, 30))
        >>> FirstMaintenanceReturn().assign(feats).counts()
        {'loyal': 25, 'not_loyal': 3}

    References:
        DOMAIN.md §3 (loyalty category: after the first free maintenance, does the customer
        come back for routine maintenance and repair?); automotive.md §6.1 and §9 F14 (the
        second-maintenance return R2).
    """

    kind: ClassVar[PolicyKind] = "loyalty"
    population_relative: ClassVar[bool] = False

    NAMES: ClassVar[tuple[str, str]] = ("loyal", "not_loyal")
    """The labels in English."""

    NAMES_ZH: ClassVar[tuple[str, str]] = ("忠诚", "非忠诚")
    """The labels in Chinese (忠诚度类别, DOMAIN.md §3)."""

    def assign(self, features: FeatureTable) -> Labels:
        """Whether each row came back after their first maintenance; ``-1`` without one.

        Args:
            features: the customers.

        Returns:
            Labels aligned with the rows of ``features``: loyal, not_loyal.

        Raises:
            InvalidValue: a feature is missing.

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import features, synthetic
            >>> feats = features.compute(synthetic.book(3, seed=1), as_of=date(2026, 6, 30))
            >>> FirstMaintenanceReturn().assign(feats).values("zh").tolist()
            ['忠诚', '忠诚', '非忠诚']
        """
        first = np.asarray(feature(features, "first_maintenance"), dtype="datetime64[D]")
        returned = np.asarray(feature(features, "returned_after_first_maintenance"), dtype=bool)
        codes = np.where(returned, 0, 1).astype(np.int16)
        codes[np.isnat(first)] = MISSING
        return labels(codes, self.NAMES, self.NAMES_ZH)
