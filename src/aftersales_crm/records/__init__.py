"""Records: the validated, immutable nouns and facts of after-sales CRM.

Every record is a frozen pydantic model that forbids unknown fields and round-trips through
JSON exactly. Facts are named as nouns or past participles (``RepairOrder``,
``ContactMade``, ``ComplaintFiled``). Fields holding personal data are marked
:class:`Personal`; :func:`redacted` masks them for display.

Examples:
    >>> from aftersales_crm.records import Customer, redacted
    >>> c = Customer(id="C1", name="王小明", mobile="138 1234 5678")
    >>> c.mobile, redacted(c).mobile
    ('+8613812345678', '138****5678')
"""

from __future__ import annotations

from typing import Any

from aftersales_crm.records._base import (
    Id,
    Personal,
    PersonalKind,
    Record,
    personal_fields,
    redacted,
)
from aftersales_crm.records._book import Book
from aftersales_crm.records._contact import (
    ActivityAttended,
    ComplaintFiled,
    ComplaintUpdated,
    ContactMade,
    ReferralMade,
)
from aftersales_crm.records._enums import (
    ComplaintAction,
    ComplaintCategory,
    ConsentPurpose,
    ContactOutcome,
    CustomerKind,
    CustomerVerdict,
    Severity,
)
from aftersales_crm.records._party import Chapter, ConsentChanged, Customer, Dealer
from aftersales_crm.records._predicates import (
    customer_pay,
    first_maintenance,
    on_time,
    routine_service,
)
from aftersales_crm.records._repair import RepairLine, RepairOrder
from aftersales_crm.records._vehicle import Ownership, Vehicle

__all__ = [
    "RECORD_TYPES",
    "ActivityAttended",
    "Book",
    "Chapter",
    "ComplaintAction",
    "ComplaintCategory",
    "ComplaintFiled",
    "ComplaintUpdated",
    "ConsentChanged",
    "ConsentPurpose",
    "ContactMade",
    "ContactOutcome",
    "Customer",
    "CustomerKind",
    "CustomerVerdict",
    "Dealer",
    "Id",
    "Ownership",
    "Personal",
    "PersonalKind",
    "Record",
    "ReferralMade",
    "RepairLine",
    "RepairOrder",
    "Severity",
    "Vehicle",
    "customer_pay",
    "first_maintenance",
    "json_schema",
    "on_time",
    "personal_fields",
    "redacted",
    "routine_service",
]

RECORD_TYPES: tuple[type[Record], ...] = (
    Dealer,
    Chapter,
    Customer,
    ConsentChanged,
    Vehicle,
    Ownership,
    RepairOrder,
    RepairLine,
    ContactMade,
    ComplaintFiled,
    ComplaintUpdated,
    ReferralMade,
    ActivityAttended,
)
"""Every record class of the library, in dependency order."""


def json_schema() -> dict[str, dict[str, Any]]:
    """Return the JSON schema of every record, by class name.

    Returns:
        A mapping from record class name to its JSON schema (validation mode).

    Examples:
        >>> schemas = json_schema()
        >>> schemas["RepairOrder"]["required"]
        ['id', 'dealer_id', 'vin', 'customer_id', 'opened_at', 'mileage', 'lines']
    """
    return {cls.__name__: cls.model_json_schema() for cls in RECORD_TYPES}
