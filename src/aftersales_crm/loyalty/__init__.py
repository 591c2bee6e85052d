"""Loyalty and churn (忠诚度与流失): the loyalty category, loyal / swinging / lost, the matrix.

Every class here is a policy (:mod:`aftersales_crm.policies`, ``kind = "loyalty"``) giving
one label per customer row of a :class:`~aftersales_crm.features.FeatureTable`, in its
order; ``-1`` marks a customer without the data the rule needs.

* :class:`FirstMaintenanceReturn`: the material's loyalty category, a return after the
  first (free) maintenance.
* :class:`ServiceIntervalStatus`: loyal / swinging / lost per vehicle by how overdue its
  next service is (by time or mileage, whichever first), rolled up to the customer; with
  the presets of the published definitions.
* :class:`LoyaltyValueMatrix`: loyalty rows A / B / C × value columns D / G / S, the
  cells AD … CS and their :class:`Strategy`, summarised by :class:`MatrixSummary`.

:class:`ServiceIntervalStatus` (and so the default matrix) reads the vehicle features and
finds each vehicle's owner through ``features.vehicles["owner"]``, a row of the customer
FeatureTable.

Examples:
    >>> from datetime import date
    >>> from aftersales_crm import features, synthetic
    >>> from aftersales_crm.loyalty import LoyaltyValueMatrix
    >>> feats = features.compute(synthetic.book(30, seed=1), as_of=date(2026, 6, 30))
    >>> print(LoyaltyValueMatrix().fit(feats).matrix(feats))
                D (A)  G (B)  S (C)
    A loyal         3      5      6
    B swinging      2      1      1
    C lost          1      3      6
"""

from __future__ import annotations

from aftersales_crm.loyalty._first_maintenance import FirstMaintenanceReturn
from aftersales_crm.loyalty._interval import ServiceIntervalStatus
from aftersales_crm.loyalty._matrix import LoyaltyValueMatrix, MatrixSummary, Strategy

__all__ = [
    "FirstMaintenanceReturn",
    "LoyaltyValueMatrix",
    "MatrixSummary",
    "ServiceIntervalStatus",
    "Strategy",
]
