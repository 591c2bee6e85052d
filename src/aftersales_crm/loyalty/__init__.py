"""Loyalty and churn (忠诚度与流失): the loyalty category, loyal / swinging / lost, the matrix.

Every class here is a policy ([`aftersales_crm.policies`][aftersales_crm.policies], ``kind = "loyalty"``) giving
one label per customer row of a [`FeatureTable`][aftersales_crm.features.FeatureTable], in its
order; ``-1`` marks a customer without the data the rule needs.

* [`FirstMaintenanceReturn`][aftersales_crm.loyalty.FirstMaintenanceReturn]: the material's loyalty category (忠诚度类别): after its
  first maintenance, does the vehicle come back to the same dealer for routine
  maintenance or repair?
* [`ServiceIntervalStatus`][aftersales_crm.loyalty.ServiceIntervalStatus]: loyal / swinging / lost per vehicle by how overdue its
  next workshop service is (by time or mileage, whichever first), rolled up to the
  customer; with the presets of the published definitions.
* [`LoyaltyStatus`][aftersales_crm.loyalty.LoyaltyStatus]: the rows of the matrix: the category first, then the interval.
* [`ChurnRisk`][aftersales_crm.loyalty.ChurnRisk]: the same rows from a churn model's probability that the customer
  is still active (P(alive), [`aftersales_crm.clv`][aftersales_crm.clv], the ``clv`` extra).
* [`LoyaltyValueMatrix`][aftersales_crm.loyalty.LoyaltyValueMatrix]: the material's 客户细分矩阵, loyalty rows A / B / C ×
  value columns D / G / S, the cells AD … CS and their [`Strategy`][aftersales_crm.loyalty.Strategy] (策略1/2/3),
  summarised by [`MatrixSummary`][aftersales_crm.loyalty.MatrixSummary].

The rules read the vehicle features and find each vehicle's owner through
``features.vehicles["owner"]``, a row of the customer FeatureTable.

Examples:
    >>> from datetime import date
    >>> from aftersales_crm import features, synthetic
    >>> from aftersales_crm.loyalty import LoyaltyValueMatrix
    >>> feats = features.compute(synthetic.book(30, seed=1), as_of=date(2026, 6, 30))
    >>> print(LoyaltyValueMatrix().fit(feats).matrix(feats))
                D diamond  G gold  S silver
    A loyal             3       6         4
    B swinging          2       1         1
    C lost              1       2         8
"""

from __future__ import annotations

from aftersales_crm.loyalty._churn import ChurnModel, ChurnRisk
from aftersales_crm.loyalty._first_maintenance import FirstMaintenanceReturn
from aftersales_crm.loyalty._interval import ServiceIntervalStatus
from aftersales_crm.loyalty._matrix import LoyaltyValueMatrix, MatrixSummary, Strategy
from aftersales_crm.loyalty._status import LoyaltyStatus

__all__ = [
    "ChurnModel",
    "ChurnRisk",
    "FirstMaintenanceReturn",
    "LoyaltyStatus",
    "LoyaltyValueMatrix",
    "MatrixSummary",
    "ServiceIntervalStatus",
    "Strategy",
]
