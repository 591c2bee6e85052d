"""Records: the validated, immutable nouns and facts of after-sales CRM.

Every record is a frozen pydantic model that forbids unknown fields and round-trips through
JSON exactly. Facts are named as nouns or past participles (``RepairOrder``,
``ContactMade``, ``ComplaintFiled``). Fields holding personal data are marked
[`Personal`][aftersales_crm.records.Personal], and free text is personal unless marked [`NotPersonal`][aftersales_crm.records.NotPersonal];
[`redacted`][aftersales_crm.records.redacted] masks them for display, in a copy that a [`Book`][aftersales_crm.records.Book] refuses to store.

Each kind of fact is declared once, beside its record, as a [`FactKind`][aftersales_crm.records.FactKind]: its record
class, its table schema (whose reference columns are its references), the noun used in
messages, its cross-record checks and how the test strategies and the synthetic generator
produce it. The [`Book`][aftersales_crm.records.Book], the tables of [`aftersales_crm.tables`][aftersales_crm.tables],
[`RECORD_TYPES`][aftersales_crm.records.RECORD_TYPES], [`json_schema`][aftersales_crm.records.json_schema] and the test strategies are derived from the
registry ([`fact_kinds`][aftersales_crm.records.fact_kinds]); [`register`][aftersales_crm.records.register] adds a kind of your own.

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
    Name,
    NotPersonal,
    Personal,
    PersonalKind,
    Record,
    is_redacted,
    personal_fields,
    personal_kinds,
    redacted,
    refuse_redacted,
)
from aftersales_crm.records._book import Book
from aftersales_crm.records._club import (
    MemberApplied,
    MemberJoined,
    MemberLapsed,
    MemberReactivated,
    MemberTransferred,
)
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
    LapseReason,
    Severity,
    StaffRole,
)
from aftersales_crm.records._kinds import Child, FactKind, IntegrityCheck, load_producer
from aftersales_crm.records._party import Chapter, ConsentChanged, Customer, Dealer
from aftersales_crm.records._points import (
    MAX_POINTS,
    Funder,
    PointsAdjusted,
    PointsEarned,
    PointsExpired,
    PointsRedeemed,
    PointsReversed,
    Share,
)
from aftersales_crm.records._predicates import (
    REPAIR_KINDS,
    customer_pay,
    first_maintenance,
    on_time,
    repair,
    routine_service,
)
from aftersales_crm.records._registry import (
    BUILT_IN_KINDS,
    fact_kind,
    fact_kinds,
    register,
    registered,
    table_schemas,
    unregister,
)
from aftersales_crm.records._repair import RepairLine, RepairOrder
from aftersales_crm.records._schema import Column, ColumnKind, RowCheck, TableSchema
from aftersales_crm.records._survey import (
    IMPORTANCE_POINTS,
    MAX_RATING,
    RECOMMEND_HIGH,
    Answer,
    ImportancePoints,
    StaffAnswer,
    StaffSurveyAnswered,
    SurveyAnswered,
)
from aftersales_crm.records._vehicle import Ownership, Vehicle

__all__ = [
    "BUILT_IN_KINDS",
    "IMPORTANCE_POINTS",
    "MAX_POINTS",
    "MAX_RATING",
    "RECOMMEND_HIGH",
    "RECORD_TYPES",
    "REPAIR_KINDS",
    "ActivityAttended",
    "Answer",
    "Book",
    "Chapter",
    "Child",
    "Column",
    "ColumnKind",
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
    "FactKind",
    "Funder",
    "Id",
    "ImportancePoints",
    "IntegrityCheck",
    "LapseReason",
    "MemberApplied",
    "MemberJoined",
    "MemberLapsed",
    "MemberReactivated",
    "MemberTransferred",
    "Name",
    "NotPersonal",
    "Ownership",
    "Personal",
    "PersonalKind",
    "PointsAdjusted",
    "PointsEarned",
    "PointsExpired",
    "PointsRedeemed",
    "PointsReversed",
    "Record",
    "ReferralMade",
    "RepairLine",
    "RepairOrder",
    "RowCheck",
    "Severity",
    "Share",
    "StaffAnswer",
    "StaffRole",
    "StaffSurveyAnswered",
    "SurveyAnswered",
    "TableSchema",
    "Vehicle",
    "customer_pay",
    "fact_kind",
    "fact_kinds",
    "first_maintenance",
    "is_redacted",
    "json_schema",
    "load_producer",
    "on_time",
    "personal_fields",
    "personal_kinds",
    "redacted",
    "refuse_redacted",
    "register",
    "registered",
    "repair",
    "routine_service",
    "table_schemas",
    "unregister",
]

RECORD_TYPES: tuple[type[Record], ...] = tuple(
    record for kind in BUILT_IN_KINDS for record in kind.record_types
)
"""Every record class of the library's built-in fact kinds (nested ones included), in
dependency order.

Examples:
    >>> [cls.__name__ for cls in RECORD_TYPES][:4]
    ['Dealer', 'Chapter', 'Customer', 'ConsentChanged']
"""


def json_schema() -> dict[str, dict[str, Any]]:
    """Return the JSON schema of every record of every registered fact kind, by class name.

    Returns:
        A mapping from record class name to its JSON schema (validation mode).

    Examples:
        >>> schemas = json_schema()
        >>> schemas["RepairOrder"]["required"]
        ['id', 'dealer_id', 'customer_id', 'opened_at', 'lines']
    """
    return {
        cls.__name__: cls.model_json_schema() for kind in fact_kinds() for cls in kind.record_types
    }
