"""Dealers, club chapters, customers and their consent to be contacted, with their kinds."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Self

import numpy as np
from numpy.typing import NDArray
from pydantic import AfterValidator, BeforeValidator, StringConstraints, model_validator

from aftersales_crm.errors import RowProblem
from aftersales_crm.records import _schema as s
from aftersales_crm.records._base import Id, NotPersonal, Personal, Record
from aftersales_crm.records._enums import ConsentPurpose, CustomerKind
from aftersales_crm.records._kinds import STRATEGIES, SYNTHETIC, FactKind
from aftersales_crm.records._schema import Column, TableSchema
from aftersales_crm.values import (
    NONE_CODE,
    ContactChannel,
    Gender,
    GeoPoint,
    national_id,
    normalise_postcode,
)
from aftersales_crm.values._hours import span_text
from aftersales_crm.values.types import Date, Instant, NationalId, PhoneNumber

__all__ = [
    "CHAPTERS",
    "CONSENTS",
    "CUSTOMERS",
    "DEALERS",
    "Chapter",
    "ConsentChanged",
    "Customer",
    "Dealer",
]

K = s.ColumnKind


def _normal_postcode(value: object) -> object:
    """A postcode with ASCII digits; anything but text is left for the rule to refuse."""
    return normalise_postcode(value) if isinstance(value, str) else value


Postcode = Annotated[
    str, StringConstraints(pattern=r"^[0-9]{6}$"), BeforeValidator(_normal_postcode)
]
"""A Chinese postcode (邮政编码): six ASCII digits, once normalised
([`aftersales_crm.values.normalise_postcode`][aftersales_crm.values.normalise_postcode]: full-width and other scripts' digits
become ``0``–``9``, white space around is trimmed)."""
QuietSpan = Annotated[
    str, AfterValidator(span_text), NotPersonal("a contact preference: a span of the day")
]
"""A span of the day ``"HH:MM-HH:MM"`` on the half hour, end excluded, ``"24:00"`` for
midnight, the end after the start: ``"12:00-14:00"``."""
Email = Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=500)]


class Dealer(Record):
    """A dealer (经销商): a workshop where owners bring their cars.

    Attributes:
        id: the dealer's code.
        name: the trading name.
        location: where the workshop is, WGS-84 (convert GCJ-02/BD-09 map coordinates first).
        region: the OEM's sales region, free text.
        full_after_sales: whether the dealer has the full after-sales function; the OEM's
            club enrolment rate counts only those (《斯柯达车友汇客户关爱总监培训教材》:
            "经销商入会率计算公式:截至X月经销商分会/截至X月具备完整售后功能的经销商数量").

    Examples:
        >>> from aftersales_crm.values import GeoPoint
        >>> Dealer(id="D1", name="北京朝阳4S店", location=GeoPoint(39.92, 116.46)).full_after_sales
        True
    """

    id: Id
    name: Annotated[Text, NotPersonal("a dealer's trading name")]
    location: GeoPoint | None = None
    region: Annotated[Text | None, NotPersonal("an OEM sales region")] = None
    full_after_sales: bool = True


DEALERS = FactKind(
    name="dealers",
    record=Dealer,
    noun="dealer",
    table=TableSchema(
        "dealers",
        (
            Column("id", K.ID),
            s.text("name", nullable=False),
            Column("lat", K.FLOAT, field="location.lat", nullable=True, limit=s.LAT),
            Column("lon", K.FLOAT, field="location.lon", nullable=True, limit=s.LON),
            s.text("region"),
            Column("full_after_sales", K.BOOL),
        ),
        Dealer,
        checks=(s.WholeLocation("lat", "lon", "location.lat"),),
    ),
    strategy=f"{STRATEGIES}:dealer_part",
    synthetic=f"{SYNTHETIC}._draws:draw_dealers",
)
"""Dealers: the ``dealers`` table, keyed by id."""


class Chapter(Record):
    """A dealer's chapter of the OEM owners' club (经销商分会).

    Attributes:
        id: the chapter's code.
        dealer_id: the dealer that fronts the chapter.
        name: the chapter's name.
        founded_on: the day the chapter opened.

    Examples:
        >>> Chapter(id="CH1", dealer_id="D1", name="朝阳车友会").dealer_id
        'D1'
    """

    id: Id
    dealer_id: Id
    name: Annotated[Text, NotPersonal("a club chapter's name")]
    founded_on: Date | None = None


CHAPTERS = FactKind(
    name="chapters",
    record=Chapter,
    noun="chapter",
    table=TableSchema(
        "chapters",
        (
            Column("id", K.ID),
            s.ref("dealer", "dealer_id", "dealers"),
            s.text("name", nullable=False),
            Column("founded_on", K.DATE, nullable=True),
        ),
        Chapter,
    ),
    strategy=f"{STRATEGIES}:chapter_part",
    synthetic=f"{SYNTHETIC}._members:draw_club",
)
"""Owners'-club chapters: the ``chapters`` table, each pointing to its dealer."""


class Customer(Record):
    """A customer (客户): an owner of one or more vehicles, a person or a company.

    Holds the owner's fixed data (固定的信息) of 《信息回访员基础培训分析报告》: "姓名/性别/
    身份证号/职业/生日", addresses, postcodes and phones. Personal data fields are marked
    and masked by [`redacted`][aftersales_crm.records.redacted].

    Attributes:
        id: the customer's id in the dealer system.
        kind: individual (个人) or fleet/company (单位).
        name: the customer's name.
        gender: as stated; derived from the national ID when that is given.
        national_id: resident identity number (GB 11643); its birth date and gender must
            agree with ``birthday`` and ``gender`` when those are given.
        occupation: as stated.
        birthday: date of birth.
        home_address: home address.
        home_postcode: six-digit postcode of the home address.
        home_location: where the customer lives, WGS-84, for region rings and sectors.
        work_address: work address.
        work_postcode: six-digit postcode of the work address.
        mobile: mobile phone, stored as E.164.
        home_phone: home phone, stored as E.164.
        office_phone: office phone, stored as E.164.
        email: e-mail address.
        fax: fax number, stored as E.164.
        income_band: income band as the dealer records it.
        hobbies: hobbies (爱好), for segmentation and activities.
        family_notes: family situation, free text.
        lunar_birthday: whether the customer celebrates the lunar birthday (农历生日), so
            that birthday greetings follow the lunar calendar (default False).
        preferred_channel: the channel the customer asked to be contacted on (default
            none); the care planner's ``PreferredChannel`` tries it first, when the
            customer consented to the purpose over it.
        quiet_hours: spans of the day the customer asked not to be called in, local time,
            ``"HH:MM-HH:MM"`` on the half hour (``"12:00-14:00"``; default none); the care
            planner's ``QuietHours`` keeps phone, messaging and SMS contact out of them.

    Examples:
        >>> zhang = Customer(id="C1", name="张伟", national_id="11010519491231002X")
        >>> zhang.gender, zhang.birthday
        (<Gender.FEMALE: 'female'>, datetime.date(1949, 12, 31))
    """

    id: Id
    kind: CustomerKind = CustomerKind.INDIVIDUAL
    name: Annotated[Text, Personal("name")]
    gender: Annotated[Gender, Personal("category")] = Gender.UNKNOWN
    national_id: Annotated[NationalId | None, Personal("national_id")] = None
    occupation: Text | None = None
    birthday: Annotated[Date | None, Personal("date")] = None
    home_address: Annotated[Text | None, Personal("address")] = None
    home_postcode: Annotated[Postcode | None, Personal("text")] = None
    home_location: Annotated[GeoPoint | None, Personal("location")] = None
    work_address: Annotated[Text | None, Personal("address")] = None
    work_postcode: Annotated[Postcode | None, Personal("text")] = None
    mobile: Annotated[PhoneNumber | None, Personal("phone")] = None
    home_phone: Annotated[PhoneNumber | None, Personal("phone")] = None
    office_phone: Annotated[PhoneNumber | None, Personal("phone")] = None
    email: Annotated[Email | None, Personal("email")] = None
    fax: Annotated[PhoneNumber | None, Personal("phone")] = None
    income_band: Annotated[Text | None, Personal("text")] = None
    hobbies: tuple[Text, ...] = ()
    family_notes: Annotated[Text | None, Personal("text")] = None
    lunar_birthday: bool = False
    preferred_channel: ContactChannel | None = None
    quiet_hours: tuple[QuietSpan, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _derive_from_national_id(cls, data: object) -> object:
        # Fill birthday and gender from the ID when the caller left them out.
        if not isinstance(data, dict) or not national_id.is_valid(data.get("national_id")):
            return data
        nid = data["national_id"]
        derived = dict(data)
        derived.setdefault("birthday", national_id.birth_date(nid))
        if derived.get("gender") in (None, Gender.UNKNOWN, Gender.UNKNOWN.value):
            derived["gender"] = national_id.gender(nid)
        return derived

    @model_validator(mode="after")
    def _check_cross_fields(self) -> Self:
        if self.national_id is not None:
            born = national_id.birth_date(self.national_id)
            if self.birthday is not None and self.birthday != born:
                msg = (
                    f"birthday {self.birthday.isoformat()} disagrees with the national ID, "
                    f"which says {born.isoformat()}"
                )
                raise ValueError(msg)
            sex = Gender(national_id.gender(self.national_id))
            if self.gender not in (Gender.UNKNOWN, sex):
                msg = f"gender {self.gender.value} disagrees with the national ID, which says {sex.value}"
                raise ValueError(msg)
        return self


#: Year zero of ``datetime64`` and the months of a year, to build dates from digits.
_EPOCH_YEAR, _MONTHS = 1970, 12
_NONE = NONE_CODE


def _national_id_agrees(columns: Mapping[str, NDArray[Any]]) -> list[RowProblem]:
    """Birthday and gender must agree with the national ID, as [`Customer`][aftersales_crm.records.Customer] requires."""
    numbers, birthday, gender = columns["national_id"], columns["birthday"], columns["gender"]
    given = np.fromiter((isinstance(v, str) for v in numbers), dtype=bool, count=len(numbers))
    if not given.any():
        return []
    # Validated numbers: 17 digits and a check character; YYYYMMDD at 6..13, the sex at 16.
    text = np.asarray(numbers[given].tolist(), dtype=f"U{national_id.LENGTH}")
    digits = text.view(np.uint32).reshape(len(text), -1)[:, :-1].astype(np.int64) - ord("0")
    year, month, day = (
        digits[:, a:b] @ 10 ** np.arange(b - a - 1, -1, -1)
        for a, b in ((6, 10), (10, 12), (12, 14))
    )
    born = np.full(len(numbers), np.datetime64("NaT"), dtype="datetime64[D]")
    born[given] = ((year - _EPOCH_YEAR) * _MONTHS + month - 1).astype("datetime64[M]").astype(
        "datetime64[D]"
    ) + (day - 1)
    wrong_day = np.flatnonzero(given & ~np.isnat(birthday) & (birthday != born))
    out = s.problems(
        wrong_day,
        "birthday",
        "national_id_birthday",
        lambda r: f"birthday {birthday[r]} disagrees with the national ID, which says {born[r]}",
    )
    genders = list(Gender)
    said = np.full(len(numbers), _NONE, dtype=np.int64)
    said[given] = np.where(
        digits[:, 16] % 2 == 1, genders.index(Gender.MALE), genders.index(Gender.FEMALE)
    )
    stated = given & (gender != genders.index(Gender.UNKNOWN)) & (gender != _NONE)
    wrong_sex = np.flatnonzero(stated & (gender != said))
    return out + s.problems(
        wrong_sex,
        "gender",
        "national_id_gender",
        lambda r: (
            f"gender {genders[gender[r]].value} disagrees with the national ID, which says {genders[said[r]].value}"
        ),
    )


CUSTOMERS = FactKind(
    name="customers",
    record=Customer,
    noun="customer",
    table=TableSchema(
        "customers",
        (
            Column("id", K.ID),
            Column("kind", K.CATEGORY, enum=CustomerKind),
            s.text("name", nullable=False),
            Column("gender", K.CATEGORY, enum=Gender),
            Column(
                "national_id",
                K.TEXT,
                nullable=True,
                check=national_id.validate,
                check_array=national_id.is_valid_array,
            ),
            s.text("occupation"),
            Column("birthday", K.DATE, nullable=True),
            s.text("home_address"),
            Column("home_postcode", K.TEXT, nullable=True, check=s.postcode),
            Column("home_lat", K.FLOAT, field="home_location.lat", nullable=True, limit=s.LAT),
            Column("home_lon", K.FLOAT, field="home_location.lon", nullable=True, limit=s.LON),
            s.text("work_address"),
            Column("work_postcode", K.TEXT, nullable=True, check=s.postcode),
            s.phone_column("mobile"),
            s.phone_column("home_phone"),
            s.phone_column("office_phone"),
            Column("email", K.TEXT, nullable=True, check=s.email, max_length=s.EMAIL_MAX),
            s.phone_column("fax"),
            s.text("income_band"),
            Column("hobbies", K.TEXTS),
            s.text("family_notes"),
            Column("lunar_birthday", K.BOOL),
            Column("preferred_channel", K.CATEGORY, nullable=True, enum=ContactChannel),
            Column("quiet_hours", K.TEXTS),
        ),
        Customer,
        checks=(
            s.WholeLocation("home_lat", "home_lon", "home_location.lat"),
            _national_id_agrees,
        ),
    ),
    strategy=f"{STRATEGIES}:customer_part",
    synthetic=f"{SYNTHETIC}._draws:draw_customers",
)
"""Customers: the ``customers`` table, keyed by id."""


class ConsentChanged(Record):
    """A customer gave or withdrew consent to be contacted for a purpose over a channel.

    Consent is a history of facts, each appended on its own: the latest change at or
    before a moment decides ([`Book.consents_to`][aftersales_crm.records.Book.consents_to]); a withdrawal that arrives later is one
    more fact.

    Attributes:
        id: the change's id.
        customer_id: whose consent changed.
        purpose: what the contact is for (service reminders, marketing, surveys).
        channel: how the customer may be contacted.
        granted: True when consent was given, False when it was withdrawn.
        at: the instant of the change, timezone-aware.

    Examples:
        >>> from datetime import datetime, timezone
        >>> c = ConsentChanged(id="CC1", customer_id="C1", purpose="marketing", channel="sms",
        ...                    granted=True, at=datetime(2025, 3, 1, 9, 0, tzinfo=timezone.utc))
        >>> c.purpose.label("zh")
        '营销'
    """

    id: Id
    customer_id: Id
    purpose: ConsentPurpose
    channel: ContactChannel
    granted: bool
    at: Instant


CONSENTS = FactKind(
    name="consents",
    record=ConsentChanged,
    noun="consent change",
    table=TableSchema(
        "consents",
        (
            Column("id", K.ID),
            s.ref("customer", "customer_id", "customers"),
            Column("purpose", K.CATEGORY, enum=ConsentPurpose),
            Column("channel", K.CATEGORY, enum=ContactChannel),
            Column("granted", K.BOOL),
            Column("at", K.INSTANT),
        ),
        ConsentChanged,
    ),
    strategy=f"{STRATEGIES}:consent_part",
    synthetic=f"{SYNTHETIC}._customers:with_consents_and_hobbies",
)
"""Consent changes: the ``consents`` table, each pointing to its customer."""
