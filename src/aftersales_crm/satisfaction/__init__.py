"""Satisfaction: the service-quality gap model and what measures it.

* :data:`SERVICE_GAPS`: the five gaps of the gap model, with their causes and remedies in
  the training material's words;
* :func:`delivery_gaps`: gaps 3 and 4 per dealer from the repair orders.
"""

from aftersales_crm.satisfaction._gaps import (
    DELIVERY_STANDARDS,
    SERVICE_GAPS,
    DeliveryStandards,
    ServiceGap,
    delivery_gaps,
)

__all__ = [
    "DELIVERY_STANDARDS",
    "SERVICE_GAPS",
    "DeliveryStandards",
    "ServiceGap",
    "delivery_gaps",
]
