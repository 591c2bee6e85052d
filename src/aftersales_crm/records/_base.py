"""The record base class, identifiers, and the personal-data marker with its redacted view.

Which fields are personal data (个人信息) is decided field by field, in this order:

1. a field marked [`Personal`][aftersales_crm.records.Personal] is personal, masked by the marker's kind;
2. a field marked [`NotPersonal`][aftersales_crm.records.NotPersonal] is not (an [`Id`][aftersales_crm.records.Id] carries that mark: ids and
   references are the caller's keys, not facts about a person);
3. a field of a validated identifier type of [`aftersales_crm.values.types`][aftersales_crm.values.types] is what
   its type says: a VIN is not personal (it is the vehicle's key), a phone number, a
   national ID and a plate are, each masked in its own way;
4. any other field holding text (``str``, alone, optional or in a tuple) is free text,
   and **free text is personal by default**, masked whole (``"text"``): notes,
   descriptions, feedback, occupations and hobbies may name or reach a person, and a new
   kind of record is covered without anyone remembering to mark it;
5. every other field (numbers, dates, instants, enums, money) is not personal unless
   marked.
"""

from __future__ import annotations

import types
import typing
import weakref
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Annotated, Any, ClassVar, Final, Literal, TypeVar

import attrs
from pydantic import BaseModel, BeforeValidator, ConfigDict, PrivateAttr, StringConstraints
from pydantic.fields import FieldInfo

from aftersales_crm.errors import InvalidFormat, InvalidType, InvalidValue
from aftersales_crm.values import national_id, normalise_id, phone
from aftersales_crm.values import types as value_types

__all__ = [
    "Id",
    "Name",
    "NotPersonal",
    "Personal",
    "PersonalKind",
    "Record",
    "is_redacted",
    "personal_fields",
    "personal_kinds",
    "redacted",
    "refuse_redacted",
    "stripped_name",
]


@attrs.frozen
class NotPersonal:
    """Marks a text field as not personal data: [`redacted`][aftersales_crm.records.redacted] shows it whole.

    Free text is personal by default (see [`aftersales_crm.records`][aftersales_crm.records]); a text field
    that can hold nothing about a person (a dealer's trading name, a car model, a part)
    says so with this mark, with the reason, in its ``Annotated`` metadata. Every
    [`Id`][aftersales_crm.records.Id] carries it.

    Attributes:
        reason: why the field holds nothing personal.

    Examples:
        >>> from typing import Annotated
        >>> class Part(Record):
        ...     name: Annotated[str, NotPersonal("a part's catalogue name")]
        ...     remark: str | None = None
        >>> personal_fields(Part)
        ('remark',)
    """

    reason: str


def _normal_id(value: object) -> object:
    """An id in its normal form; anything but text is left for the id rule to refuse."""
    return normalise_id(value) if isinstance(value, str) else value


Id = Annotated[
    str,
    StringConstraints(min_length=1, max_length=64, pattern=r"^\S+$"),
    BeforeValidator(_normal_id),
    NotPersonal("an id: the caller's key of a record"),
]
"""An identifier of a record: 1 to 64 characters, no white space.

Ids are the caller's own (a dealer management system's keys); the library only requires
them to be unique per kind of record within a `Book`. An id is normalised before the rule
([`aftersales_crm.values.normalise_id`][aftersales_crm.values.normalise_id]: NFKC, zero-width characters removed, white
space trimmed), so ``"C1"``, ``"Ｃ１"`` and ``"C1\u200b"`` are one id. Every reference
(``customer_id``, ``dealer_id``, …) is an ``Id`` too.
"""

NAME_MAX: Final = 200
"""The most characters of a [`Name`][aftersales_crm.records.Name] (a vehicle's texts and a repair line's)."""

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=NAME_MAX)]
"""A short name given as free text (a vehicle brand, a part): white space around it is
stripped, and 1 to 200 characters must remain."""


def stripped_name(value: str) -> str:
    """A [`Name`][aftersales_crm.records.Name] checked as tables check it: stripped, and not empty.

    The table columns holding a [`Name`][aftersales_crm.records.Name] use this as their text rule, so that a table
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
    "name",
    "phone",
    "national_id",
    "email",
    "address",
    "plate",
    "text",
    "date",
    "location",
    "category",
]
"""How a personal field is masked in the redacted view."""


@attrs.frozen
class Personal:
    """Marks a record field as personal data (个人信息), to be masked when shown.

    Put it in the field's ``Annotated`` metadata; [`personal_fields`][aftersales_crm.records.personal_fields] finds the
    personal fields and [`redacted`][aftersales_crm.records.redacted] masks them by ``kind``. Free text needs no mark:
    it is personal by default, masked whole (see [`aftersales_crm.records`][aftersales_crm.records]).

    Attributes:
        kind: how to mask the value: ``"name"`` keeps the family name, ``"phone"`` keeps
            the first three and last four digits, ``"national_id"`` keeps the region and the
            check digit, ``"email"`` keeps the first character and the domain,
            ``"address"`` keeps the first six characters but never more than half of them,
            ``"plate"`` keeps the province and the issuing office (``京A*****``),
            ``"text"`` hides everything, ``"date"`` and ``"location"`` drop the value, and
            ``"category"`` puts the field's default in its place (a gender becomes
            unknown).

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

    _redacted: bool = PrivateAttr(default=False)
    """Set by [`redacted`][aftersales_crm.records.redacted] on the copies it makes; kept by ``model_copy`` and pickling."""

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


#: The identifier types of [`aftersales_crm.values.types`][aftersales_crm.values.types] and how each is masked
#: (``None``: not personal). A field of one of them needs no mark; each is known by its
#: validator, the first item of its metadata.
_IDENTIFIER_TYPES: Final[tuple[tuple[Any, PersonalKind | None], ...]] = (
    (value_types.Vin, None),
    (value_types.Plate, "plate"),
    (value_types.PhoneNumber, "phone"),
    (value_types.NationalId, "national_id"),
)


def _mark(meta: object) -> Personal | NotPersonal | None:
    """The privacy mark an item of a field's metadata amounts to, if any."""
    if isinstance(meta, Personal | NotPersonal):
        return meta
    for known, kind in _IDENTIFIER_TYPES:
        if meta is known.__metadata__[0]:
            return Personal(kind) if kind else NotPersonal("a validated identifier")
    return None


def _markers(annotation: object) -> tuple[list[Personal | NotPersonal], bool]:
    """The marks inside a field's type, outermost first, and whether it holds free text."""
    if annotation is str:
        return [], True
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is Annotated:
        inner, text = _markers(args[0])
        own = [m for m in map(_mark, annotation.__metadata__) if m is not None]  # type: ignore[attr-defined]
        return own + inner, text
    if origin in (typing.Union, types.UnionType, tuple):
        found: list[Personal | NotPersonal] = []
        text = False
        for arg in args:
            if arg is not Ellipsis:
                marks, holds = _markers(arg)
                found += marks
                text = text or holds
        return found, text
    return [], False


def _personal_kind(info: FieldInfo) -> PersonalKind | None:
    """How a field is masked, or None when it holds no personal data (the module's rules)."""
    inner, text = _markers(info.annotation)
    own = [m for m in map(_mark, info.metadata) if m is not None]
    for mark in [*own, *inner]:
        if isinstance(mark, Personal):
            return mark.kind
        return None
    return "text" if text else None


def _personal(cls: type[BaseModel]) -> dict[str, PersonalKind]:
    """The personal fields of a record class and their kinds, in declaration order."""
    cached = _PERSONAL_CACHE.get(cls)
    if cached is None:
        cached = {}
        for name, info in cls.model_fields.items():
            kind = _personal_kind(info)
            if kind is not None:
                cached[name] = kind
        _PERSONAL_CACHE[cls] = cached
    return cached


_PERSONAL_CACHE: weakref.WeakKeyDictionary[type[BaseModel], dict[str, PersonalKind]] = (
    weakref.WeakKeyDictionary()
)


def personal_fields(model: type[BaseModel] | BaseModel) -> tuple[str, ...]:
    """Name the fields of a record class that hold personal data.

    A field is personal when marked [`Personal`][aftersales_crm.records.Personal], when its type is a personal
    identifier (a phone number, a national ID, a plate), or when it holds free text not
    marked [`NotPersonal`][aftersales_crm.records.NotPersonal] (see [`aftersales_crm.records`][aftersales_crm.records]).

    Args:
        model: a record class or instance.

    Returns:
        The names of the personal fields, in declaration order.

    Raises:
        InvalidType: ``model`` is neither a record class nor a record.

    Examples:
        >>> from aftersales_crm.records import ContactMade, Customer
        >>> "mobile" in personal_fields(Customer), "hobbies" in personal_fields(Customer)
        (True, True)
        >>> personal_fields(ContactMade)
        ('note',)
    """
    return tuple(_personal(_model_class(model)))


def personal_kinds(model: type[BaseModel] | BaseModel) -> Mapping[str, PersonalKind]:
    """How each personal field of a record class is masked, by field name.

    The fields are those of [`personal_fields`][aftersales_crm.records.personal_fields]; a free-text field without a mark
    is masked as ``"text"``.

    Args:
        model: a record class or instance.

    Returns:
        A read-only mapping from field name to [`PersonalKind`][aftersales_crm.records.PersonalKind], in declaration order.

    Raises:
        InvalidType: ``model`` is neither a record class nor a record.

    Examples:
        >>> from aftersales_crm.records import Vehicle
        >>> dict(personal_kinds(Vehicle))
        {'plate': 'plate'}
    """
    return MappingProxyType(_personal(_model_class(model)))


def _model_class(model: object) -> type[BaseModel]:
    """The record class given, or the class of the record given."""
    cls = model if isinstance(model, type) else type(model)
    if not issubclass(cls, BaseModel):
        msg = f"model is a {cls.__name__}, expected a record class or a record"
        raise InvalidType(msg)
    return cls


def _mask_name(value: str) -> str:
    # Chinese names keep the family name (one character); Latin names keep the first word.
    # A name of one character or one word shows nothing whole.
    if " " in value.strip():
        first, _, rest = value.strip().partition(" ")
        return first + " " + "*" * len(rest.replace(" ", ""))
    if len(value) < 2:  # noqa: PLR2004 - a family name alone would be the whole name
        return "*"
    return value[:1] + "*" * (len(value) - 1)


def _mask_phone(value: str) -> str:
    return phone.mask(value) if phone.is_valid(value) else _mask_text(value)


def _mask_national_id(value: str) -> str:
    return national_id.mask(value) if national_id.is_valid(value) else _mask_text(value)


def _mask_email(value: str) -> str:
    local, at, domain = value.partition("@")
    return local[:1] + "***" + at + domain if at else _mask_text(value)


#: How many leading characters of an address stay visible (province and city, roughly);
#: never more than half of the address, so that a short address is not shown whole.
ADDRESS_VISIBLE_CHARS = 6

#: How many leading characters of a plate stay visible: the province and the issuing office.
PLATE_VISIBLE_CHARS = 2


def _mask_address(value: str) -> str:
    return value[: min(ADDRESS_VISIBLE_CHARS, len(value) // 2)] + "***"


def _mask_plate(value: str) -> str:
    return value[:PLATE_VISIBLE_CHARS] + "*" * max(len(value) - PLATE_VISIBLE_CHARS, 1)


def _mask_text(value: str) -> str:
    return "***" if value else value


_MASKS: dict[str, Callable[[str], str]] = {
    "name": _mask_name,
    "phone": _mask_phone,
    "national_id": _mask_national_id,
    "email": _mask_email,
    "address": _mask_address,
    "plate": _mask_plate,
    "text": _mask_text,
}

#: The kinds whose value is dropped: replaced by the field's default (None for most).
_DROPPED: Final = frozenset({"date", "location", "category"})

R = TypeVar("R", bound=BaseModel)


def _mask_value(kind: str, value: Any, info: FieldInfo) -> Any:
    if value is None:
        return None
    if kind in _DROPPED:
        return None if info.is_required() else info.get_default(call_default_factory=True)
    if isinstance(value, tuple):
        return tuple(_MASKS[kind](str(item)) for item in value)
    return _MASKS[kind](str(value))


def redacted(record: R) -> R:
    """Return a copy of a record with every personal field masked, for display and logs.

    Phones show as ``138****5678``, national IDs keep the region and the check digit, names
    keep the family name, plates the province and office (``京A*****``), addresses their
    first characters, dates of birth and homes are dropped, the gender becomes unknown,
    and free text (notes, descriptions, feedback, hobbies, occupation) shows as ``***``.
    Nested records are redacted too. Ids, VINs, enums, amounts and instants are kept.

    The copy is for showing, not for storing: masked values are not valid identifiers, so
    the copy is built without validation, and it carries a mark ([`is_redacted`][aftersales_crm.records.is_redacted],
    kept by ``model_copy`` and pickling, not by JSON) that makes a
    [`Book`][aftersales_crm.records.Book] and [`Tables`][aftersales_crm.tables.Tables]
    refuse it.

    Args:
        record: any record.

    Returns:
        A record of the same class with the personal fields masked.

    Raises:
        InvalidType: ``record`` is not a record.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from aftersales_crm.records import ContactMade, Customer
        >>> alice = Customer(id="C1", name="王小明", mobile="13812345678")
        >>> shown = redacted(alice)
        >>> shown.name, shown.mobile, is_redacted(shown)
        ('王**', '138****5678', True)
        >>> alice.mobile
        '+8613812345678'
        >>> call = ContactMade(id="K1", customer_id="C1", channel="phone", purpose="care",
        ...                    outcome="reached", at=datetime(2026, 3, 5, tzinfo=timezone.utc),
        ...                    note="新手机13987654321")
        >>> redacted(call).note
        '***'
    """
    if not isinstance(record, BaseModel):
        msg = f"record is a {type(record).__name__}, expected a record"  # type: ignore[unreachable]  # junk at run time
        raise InvalidType(msg)
    cls = type(record)
    kinds = _personal(cls)
    update: dict[str, Any] = {}
    for name, info in cls.model_fields.items():
        value = getattr(record, name)
        if name in kinds:
            update[name] = _mask_value(kinds[name], value, info)
        elif isinstance(value, BaseModel):
            update[name] = redacted(value)
        elif isinstance(value, tuple) and value and isinstance(value[0], BaseModel):
            update[name] = tuple(redacted(item) for item in value)
    shown = record.model_copy(update=update)
    if isinstance(shown, Record):
        shown._redacted = True
    return shown


def is_redacted(record: object) -> bool:
    """Tell whether a record is a redacted copy, or holds one among its nested records.

    Args:
        record: any record (anything else is not redacted).

    Returns:
        True for a copy made by [`redacted`][aftersales_crm.records.redacted] (and copies of it).

    Examples:
        >>> from aftersales_crm.records import Customer
        >>> c = Customer(id="C1", name="王小明")
        >>> is_redacted(c), is_redacted(redacted(c)), is_redacted(redacted(c).model_copy())
        (False, True, True)
    """
    if not isinstance(record, BaseModel):
        return False
    if isinstance(record, Record) and record._redacted:
        return True
    # The fields' values (extras live apart, in __pydantic_extra__): only a nested model,
    # alone or in a tuple, can be redacted, so nothing else is looked into.
    for value in record.__dict__.values():
        if isinstance(value, BaseModel):
            if is_redacted(value):
                return True
        elif isinstance(value, tuple) and any(
            isinstance(item, BaseModel) and is_redacted(item) for item in value
        ):
            return True
    return False


def refuse_redacted(records: Iterable[object], *, into: str) -> None:
    """Refuse redacted copies where records are stored, naming each one and why.

    Args:
        records: the records to store.
        into: where they were to go, for the message (``"a Book"``).

    Raises:
        InvalidValue: some records are redacted copies (code ``"redacted_record"``).
        InvalidType: ``records`` is not an iterable of records.

    Examples:
        >>> from aftersales_crm.records import Customer
        >>> c = Customer(id="C1", name="王小明")
        >>> refuse_redacted([c], into="a Book")
        >>> refuse_redacted([c, redacted(c)], into="a Book")
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: a Book cannot take redacted records, whose personal fields are masked for display: Customer 'C1'; store the original records instead
    """
    given: object = records  # callers may pass anything; the annotation is the contract
    if isinstance(given, BaseModel | str | bytes) or not isinstance(given, Iterable):
        msg = f"records is a {type(given).__name__}, expected an iterable of records"
        raise InvalidType(msg)
    shown = [
        f"{type(record).__name__} {_key(record)!r}" for record in records if is_redacted(record)
    ]
    if shown:
        msg = (
            f"{into} cannot take redacted records, whose personal fields are masked for "
            f"display: {', '.join(shown)}; store the original records instead"
        )
        raise InvalidValue(msg, code="redacted_record")


def _key(record: object) -> str:
    return record.key if isinstance(record, Record) else repr(record)
