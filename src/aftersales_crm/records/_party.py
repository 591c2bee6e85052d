"""Dealers, club chapters, customers and their consent to be contacted."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Self

from pydantic import AwareDatetime, Field, StringConstraints, model_validator

from aftersales_crm.records._base import Id, Personal, Record
from aftersales_crm.records._enums import ConsentPurpose, CustomerKind
from aftersales_crm.values import ContactChannel, Gender, GeoPoint, national_id
from aftersales_crm.values.types import NationalId, PhoneNumber

__all__ = ["Chapter", "ConsentChanged", "Customer", "Dealer"]

Postcode = Annotated[str, StringConstraints(pattern=r"^\d{6}$")]
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
            club enrolment rate counts only those (DOMAIN.md §4).

    Examples:
        >>> from aftersales_crm.values import GeoPoint
        >>> Dealer(id="D1", name="北京朝阳4S店", location=GeoPoint(39.92, 116.46)).full_after_sales
        True
    """

    id: Id
    name: Text
    location: GeoPoint | None = None
    region: Text | None = None
    full_after_sales: bool = True


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
    name: Text
    founded_on: date | None = None


class ConsentChanged(Record):
    """A customer gave or withdrew consent to be contacted for a purpose over a channel.

    Consent is a history of facts: the latest change at or before a moment decides.

    Attributes:
        purpose: what the contact is for (service reminders, marketing, surveys).
        channel: how the customer may be contacted.
        granted: True when consent was given, False when it was withdrawn.
        at: the instant of the change, timezone-aware.

    Examples:
        >>> from datetime import datetime, timezone
        >>> c = ConsentChanged(purpose="marketing", channel="sms", granted=True,
        ...                    at=datetime(2025, 3, 1, 9, 0, tzinfo=timezone.utc))
        >>> c.purpose.label("zh")
        '营销'
    """

    purpose: ConsentPurpose
    channel: ContactChannel
    granted: bool
    at: AwareDatetime


class Customer(Record):
    """A customer (客户): an owner of one or more vehicles, a person or a company.

    Holds the static data of DOMAIN.md §1. Personal data fields are marked and masked by
    :func:`~aftersales_crm.records.redacted`.

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
        consents: the history of consent changes, oldest first.

    Examples:
        >>> zhang = Customer(id="C1", name="张伟", national_id="11010519491231002X")
        >>> zhang.gender, zhang.birthday
        (<Gender.FEMALE: 'female'>, datetime.date(1949, 12, 31))
    """

    id: Id
    kind: CustomerKind = CustomerKind.INDIVIDUAL
    name: Annotated[Text, Personal("name")]
    gender: Gender = Gender.UNKNOWN
    national_id: Annotated[NationalId | None, Personal("national_id")] = None
    occupation: Text | None = None
    birthday: Annotated[date | None, Personal("date")] = None
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
    consents: tuple[ConsentChanged, ...] = Field(default=())

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
        instants = [c.at for c in self.consents]
        if instants != sorted(instants):
            msg = "consents must be in time order, oldest first"
            raise ValueError(msg)
        return self

    def consents_to(
        self, purpose: ConsentPurpose | str, channel: ContactChannel | str, *, as_of: datetime
    ) -> bool:
        """Tell whether the customer consented to this purpose over this channel at a moment.

        The latest change at or before ``as_of`` decides; with none, there is no consent.

        Args:
            purpose: what the contact is for.
            channel: how the contact would be made.
            as_of: the moment of the contact, timezone-aware.

        Returns:
            True when the latest change for this purpose and channel granted consent.

        Examples:
            >>> from datetime import datetime, timezone
            >>> t = lambda m: datetime(2025, m, 1, tzinfo=timezone.utc)
            >>> c = Customer(id="C1", name="李娜", consents=[
            ...     ConsentChanged(purpose="marketing", channel="sms", granted=True, at=t(1)),
            ...     ConsentChanged(purpose="marketing", channel="sms", granted=False, at=t(6)),
            ... ])
            >>> c.consents_to("marketing", "sms", as_of=t(3)), c.consents_to("marketing", "sms", as_of=t(7))
            (True, False)
        """
        wanted = (ConsentPurpose(purpose), ContactChannel(channel))
        decision = False
        for change in self.consents:
            if change.at > as_of:
                break
            if (change.purpose, change.channel) == wanted:
                decision = change.granted
        return decision
