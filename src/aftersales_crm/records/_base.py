"""The record base class, identifiers, and the personal-data marker with its redacted view."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, ClassVar, Final, Literal, TypeVar

import attrs
from pydantic import BaseModel, ConfigDict, StringConstraints

from aftersales_crm.errors import InvalidFormat
from aftersales_crm.values import national_id, phone

__all__ = [
    "Id",
    "Name",
    "Personal",
    "PersonalKind",
    "Record",
    "personal_fields",
    "redacted",
    "stripped_name",
]

Id = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^\S+$")]
"""An identifier of a record: 1 to 64 characters, no white space.

Ids are the caller's own (a dealer management system's keys); the library only requires
them to be unique per kind of record within a `Book`.
"""

NAME_MAX: Final = 200
"""The most characters of a :data:`Name` (a vehicle's texts and a repair line's)."""

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=NAME_MAX)]
"""A short name given as free text (a vehicle brand, a part): white space around it is
stripped, and 1 to 200 characters must remain."""


def stripped_name(value: str) -> str:
    """A :data:`Name` checked as tables check it: stripped, and not empty.

    The table columns holding a :data:`Name` use this as their text rule, so that a table
    and a record accept and normalise the same texts (the length is checked apart).

    Raises:
        InvalidFormat: nothing but white space is left (code ``"blank_text"``).

    Examples:
        >>> stripped_name("  上汽大众 ")
        '上汽大众'
        >>> stripped_name("   ")
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidFormat: '   ' is blank; a name needs a character that is not white space
    """
    name = value.strip()
    if not name:
        msg = f"{value!r} is blank; a name needs a character that is not white space"
        raise InvalidFormat(msg, code="blank_text")
    return name


PersonalKind = Literal[
    "name", "phone", "national_id", "email", "address", "text", "date", "location"
]
"""How a personal field is masked in the redacted view."""


@attrs.frozen
class Personal:
    """Marks a record field as personal data (个人信息), to be masked when shown.

    Put it in the field's ``Annotated`` metadata; :func:`personal_fields` finds the marked
    fields and :func:`redacted` masks them by ``kind``.

    Attributes:
        kind: how to mask the value: ``"name"`` keeps the family name, ``"phone"`` keeps
            the first three and last four digits, ``"national_id"`` keeps the region and the
            check digit, ``"email"`` keeps the first character and the domain,
            ``"address"`` keeps the first six characters, ``"text"`` hides everything,
            ``"date"`` and ``"location"`` drop the value.

    Examples:
        >>> from typing import Annotated
        >>> class Driver(Record):
        ...     name: Annotated[str, Personal("name")]
        >>> personal_fields(Driver)
        ('name',)
    """

    kind: PersonalKind = "text"


class Record(BaseModel):
    """Base class of every record: frozen, no extra fields, exact JSON round trip.

    Examples:
        >>> class Note(Record):
        ...     text: str
        >>> note = Note(text="hello")
        >>> Note.model_validate_json(note.model_dump_json()) == note
        True
        >>> Note(text="hi", colour="red")
        Traceback (most recent call last):
        ...
        pydantic_core._pydantic_core.ValidationError: 1 validation error for Note
        colour
          Extra inputs are not permitted ...
    """

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True)

    key_field: ClassVar[str] = "id"
    """The field that identifies the record within a `Book`."""

    @property
    def key(self) -> str:
        """The record's identity within a `Book` (its ``id`` unless the class says otherwise).

        Examples:
            >>> class Note(Record):
            ...     id: Id
            >>> Note(id="N1").key
            'N1'
        """
        value = getattr(self, self.key_field)
        return str(value)


def personal_fields(model: type[BaseModel] | BaseModel) -> tuple[str, ...]:
    """Name the fields of a record class that hold personal data.

    Args:
        model: a record class or instance.

    Returns:
        The names of the fields marked :class:`Personal`, in declaration order.

    Examples:
        >>> from aftersales_crm.records import Customer
        >>> "mobile" in personal_fields(Customer)
        True
    """
    cls = model if isinstance(model, type) else type(model)
    return tuple(
        name
        for name, info in cls.model_fields.items()
        if any(isinstance(meta, Personal) for meta in info.metadata)
    )


def _mask_name(value: str) -> str:
    # Chinese names keep the family name (one character); Latin names keep the first word.
    if " " in value.strip():
        first, _, rest = value.strip().partition(" ")
        return first + " " + "*" * len(rest.replace(" ", ""))
    return value[:1] + "*" * (len(value) - 1)


def _mask_phone(value: str) -> str:
    return phone.mask(value) if phone.is_valid(value) else _mask_text(value)


def _mask_national_id(value: str) -> str:
    return national_id.mask(value) if national_id.is_valid(value) else _mask_text(value)


def _mask_email(value: str) -> str:
    local, at, domain = value.partition("@")
    return local[:1] + "***" + at + domain if at else _mask_text(value)


#: How many leading characters of an address stay visible (province and city, roughly).
ADDRESS_VISIBLE_CHARS = 6


def _mask_address(value: str) -> str:
    return value[:ADDRESS_VISIBLE_CHARS] + "***"


def _mask_text(value: str) -> str:
    return "***" if value else value


_MASKS: dict[str, Callable[[str], str]] = {
    "name": _mask_name,
    "phone": _mask_phone,
    "national_id": _mask_national_id,
    "email": _mask_email,
    "address": _mask_address,
    "text": _mask_text,
}

R = TypeVar("R", bound=BaseModel)


def _mask_value(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind in ("date", "location"):
        return None
    if isinstance(value, tuple):
        return tuple(_mask_value(kind, item) for item in value)
    return _MASKS[kind](str(value))


def redacted(record: R) -> R:
    """Return a copy of a record with every personal field masked, for display and logs.

    Phones show as ``138****5678``, national IDs keep the region and the check digit, names
    keep the family name, dates of birth are dropped. Nested records are redacted too. The
    copy is for showing, not for storing: masked values are not valid identifiers, so the
    copy is built without validation.

    Args:
        record: any record.

    Returns:
        A record of the same class with the personal fields masked.

    Examples:
        >>> from aftersales_crm.records import Customer
        >>> alice = Customer(id="C1", name="王小明", mobile="13812345678")
        >>> shown = redacted(alice)
        >>> shown.name, shown.mobile
        ('王**', '138****5678')
        >>> alice.mobile
        '+8613812345678'
    """
    update: dict[str, Any] = {}
    personal = {
        name: meta.kind
        for name, info in type(record).model_fields.items()
        for meta in info.metadata
        if isinstance(meta, Personal)
    }
    for name in type(record).model_fields:
        value = getattr(record, name)
        if name in personal:
            update[name] = _mask_value(personal[name], value)
        elif isinstance(value, BaseModel):
            update[name] = redacted(value)
        elif isinstance(value, tuple) and value and isinstance(value[0], BaseModel):
            update[name] = tuple(redacted(item) for item in value)
    return record.model_copy(update=update)
