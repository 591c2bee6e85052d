"""Care tasks: who to contact, when, why and how, as columns.

A care rule ([`FollowUpCalls`][aftersales_crm.care.FollowUpCalls], …) turns facts and features into
[`CareTasks`][aftersales_crm.care.CareTasks]: one row per task, each of a [`TaskKind`][aftersales_crm.care.TaskKind] (declared by the rule
that makes it) and with a [`Reason`][aftersales_crm.care.Reason] people can read, in Chinese and in English.
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import string
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Final, Literal

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm._args import (
    ARGUMENT_CODE,
    date_array,
    is_whole,
    language,
    member,
    number_array,
    positions,
    tuple_of,
)
from aftersales_crm._display import Displayed
from aftersales_crm._optional import require
from aftersales_crm.errors import InvalidType, InvalidValue
from aftersales_crm.features._inputs import mapped
from aftersales_crm.records import ContactOutcome
from aftersales_crm.values import ContactChannel, ContactPurpose, Lang

__all__ = [
    "CHANNELS",
    "REACHED_OUTCOMES",
    "REASON_FIELDS",
    "CareTasks",
    "Reason",
    "TaskKind",
    "as_codes",
]

CHANNELS: Final[tuple[ContactChannel, ...]] = tuple(ContactChannel)
"""The channels in code order: a task's ``channel`` is a position in this tuple."""

REACHED_OUTCOMES: Final[frozenset[ContactOutcome]] = frozenset(
    {
        ContactOutcome.REACHED,
        ContactOutcome.REFUSED,
        ContactOutcome.DO_NOT_CONTACT,
        ContactOutcome.NO_TIME,
        ContactOutcome.UNSPOKEN_GRIEVANCE,
        ContactOutcome.SEES_NO_BENEFIT,
    }
)
"""The outcomes of a contact in which the customer was on the line: the library's reading.

A customer who refused, asked not to be called again, had no time, kept a grievance to
themselves or saw no use in the call still answered on the number the dealer keeps: a
contact of one of these outcomes closes the task it was made for, and counts as reaching
the customer in the follow-up KPIs. No answer, a wrong number and a customer who does not
answer unfamiliar numbers (对不熟悉的电话不接, one of the hard-to-reach customers of
《信息回访员基础培训分析报告》) leave the task open, to be tried again. The outcome
``reached`` itself is the call that went as planned; the outcome mix shows it on its own.

Examples:
    >>> ContactOutcome.NO_TIME in REACHED_OUTCOMES, ContactOutcome.NO_ANSWER in REACHED_OUTCOMES
    (True, False)
"""

REASON_FIELDS: Final = ("anchor", "due", "target", "window_end", "detail", "vehicle", "source")
"""The fields a [`Reason`][aftersales_crm.care.Reason] template may name, each filled from the task's row."""

_CLOSES_FROM: Final = ("anchor", "window")
_NAT: Final = np.datetime64("NaT", "D")


def _purposes(values: object) -> tuple[ContactPurpose, ...]:
    return tuple(
        member(ContactPurpose, value, parameter="closed_by")
        for value in tuple_of(values, parameter="closed_by")
    )


def _purpose(value: object) -> ContactPurpose:
    return member(ContactPurpose, value, parameter="purpose")


def _text(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        msg = f"{attribute.name} is {value!r:.80}, expected a non-empty text"
        raise InvalidValue(msg, code="care_task")


@attrs.frozen
class TaskKind:
    """A kind of care task: its name, labels, contact purpose, and what closes it.

    Kinds are declared by the rules that make them (there is no central list): the 3DC
    call by [`FollowUpCalls`][aftersales_crm.care.FollowUpCalls], the maintenance reminder by
    [`MaintenanceDue`][aftersales_crm.care.MaintenanceDue], and a rule of your own declares its own.

    A task is *closed* by a contact with the same customer, of one of the purposes
    ``closed_by``, whose outcome reached the customer ([`REACHED_OUTCOMES`][aftersales_crm.care.REACHED_OUTCOMES]),
    made on or after the task's anchor (``closes_from="anchor"``: any call since the
    delivery counts, even an early one) or on or after the start of its window
    (``closes_from="window"``: each touch of a reminder cadence is closed by a call in its
    own window), and no later than ``as_of``; a contact about another vehicle or another
    repair order does not count. With ``closed_by_visit``, a repair order of the
    customer's opened in that time closes it too.

    Attributes:
        name: lower snake case, unique among the kinds of an agenda.
        en: the kind in English.
        zh: the kind in Chinese.
        purpose: why the customer is contacted ([`ContactPurpose`][aftersales_crm.values.ContactPurpose]);
            the contact rules read consent for it.
        closed_by: the purposes of the contacts that close it (default: its own purpose).
        closes_from: ``"anchor"`` or ``"window"``, see above.
        closed_by_visit: whether a visit to the workshop closes it.

    Examples:
        >>> kind = TaskKind("doc_call", "a call", "电话", purpose="care")
        >>> kind.closed_by, kind.label("zh")
        ((<ContactPurpose.CARE: 'care'>,), '电话')
    """

    name: str
    en: str = attrs.field(validator=_text)
    zh: str = attrs.field(validator=_text)
    purpose: ContactPurpose = attrs.field(converter=_purpose)
    closed_by: tuple[ContactPurpose, ...] = attrs.field(converter=_purposes)
    closes_from: Literal["anchor", "window"] = "anchor"
    closed_by_visit: bool = False

    @closed_by.default
    def _own_purpose(self) -> tuple[ContactPurpose, ...]:
        return (self.purpose,)

    def __attrs_post_init__(self) -> None:
        name: object = self.name
        if not isinstance(name, str) or not name.isidentifier() or name != name.lower():
            msg = f"a task kind's name is lower snake case, not {name!r:.80}"
            raise InvalidValue(msg, code="care_task")
        if self.closes_from not in _CLOSES_FROM:
            msg = f"closes_from is {self.closes_from!r:.80}, expected 'anchor' or 'window'"
            raise InvalidValue(msg, code="care_task")
        visit: object = self.closed_by_visit
        if not isinstance(visit, bool):
            msg = f"closed_by_visit is {visit!r:.80}, expected True or False"
            raise InvalidValue(msg, code="care_task")

    def label(self, lang: Lang = "en") -> str:
        """The kind in ``lang``.

        Examples:
            >>> TaskKind("doc_call", "a call", "电话", purpose="care").label()
            'a call'
        """
        return self.zh if language(lang) == "zh" else self.en


def _fields(template: str) -> set[str]:
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as err:
        msg = f"reason template {template!r:.80} does not parse: {err}"
        raise InvalidValue(msg, code="care_task") from None
    return {name for _, name, _, _ in parsed if name is not None}


@attrs.frozen
class Reason:
    """Why a task was made, in words for people: an English and a Chinese template.

    Templates are ``str.format`` strings that may name the fields of
    ``REASON_FIELDS``, each filled from the task's row: ``{anchor}`` (the day the rule
    counted from), ``{due}``, ``{target}`` (the day the task is about), ``{window_end}``,
    ``{detail}`` (a number: km, months…), ``{vehicle}`` and ``{source}``.

    Examples:
        >>> reason = Reason("service on {anchor}", "{anchor}的服务")
        >>> reason.text("zh", anchor="2026-03-02")
        '2026-03-02的服务'
        >>> Reason("due {when}", "{when}")
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: reason template 'due {when}' names ['when']; the fields are anchor, due, target, window_end, detail, vehicle, source
    """

    en: str = attrs.field(validator=_text)
    zh: str = attrs.field(validator=_text)

    def __attrs_post_init__(self) -> None:
        for template in (self.en, self.zh):
            unknown = sorted(_fields(template) - set(REASON_FIELDS))
            if unknown:
                msg = (
                    f"reason template {template!r:.80} names {unknown}; the fields are"
                    f" {', '.join(REASON_FIELDS)}"
                )
                raise InvalidValue(msg, code="care_task")

    def text(self, lang: Lang = "en", **fields: object) -> str:
        """The reason in ``lang``, its fields filled from ``fields`` (missing ones left blank).

        Examples:
            >>> Reason("every {detail} km", "每{detail}公里").text(detail=5000)
            'every 5000 km'
        """
        template = self.zh if language(lang) == "zh" else self.en
        values = {name: fields.get(name, "") for name in REASON_FIELDS}
        return template.format(**values)


def _as_ids(values: object, name: str) -> NDArray[np.str_]:
    if isinstance(values, str | bytes) or not isinstance(values, np.ndarray | list | tuple):
        msg = f"{name} is {values!r:.80} ({type(values).__name__}), expected an array of ids"
        raise InvalidValue(msg, code=ARGUMENT_CODE)
    array = np.asarray(values)
    if array.ndim != 1 or (len(array) and array.dtype.kind not in "UO"):
        msg = f"{name} holds {array.dtype} values of shape {array.shape}, expected texts"
        raise InvalidValue(msg, code=ARGUMENT_CODE)
    if array.dtype.kind == "O" and not all(isinstance(v, str) for v in array.tolist()):
        msg = f"{name} holds a value that is not a text"
        raise InvalidValue(msg, code=ARGUMENT_CODE)
    out = array.astype(np.str_) if len(array) else np.empty(0, dtype="<U1")
    out.flags.writeable = False
    return out


def _as_dates(values: object, name: str) -> NDArray[np.datetime64]:
    out = np.array(date_array(values, parameter=name), copy=True)
    if out.ndim != 1:
        msg = f"{name} has shape {out.shape}, expected one date per task"
        raise InvalidValue(msg, code=ARGUMENT_CODE)
    out.flags.writeable = False
    return out


def as_codes(values: object, name: str, dtype: str, code: str = ARGUMENT_CODE) -> NDArray[Any]:
    """``values`` as a read-only one-dimensional array of whole numbers of ``dtype``.

    Raises:
        InvalidValue: not whole numbers, not one-dimensional, or beyond ``dtype``; the
            message names ``name``, the error has the code ``code``.

    Examples:
        >>> as_codes([1, -1], "call", "int64").tolist()
        [1, -1]
        >>> as_codes([1.5], "call", "int64")
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: call holds [1.5]…, expected whole numbers
    """
    try:
        return _as_ints(values, name, dtype)
    except InvalidValue as err:
        raise InvalidValue(str(err), code=code) from None


def _as_ints(values: object, name: str, dtype: str = "int64") -> NDArray[Any]:
    if isinstance(values, np.ndarray):
        whole = not values.size or values.dtype.kind in "iu"
    else:
        items = values if isinstance(values, list | tuple) else [values]
        whole = all(is_whole(v) for v in items)
    if not whole:
        given = np.asarray(values, dtype=object)
        msg = f"{name} holds {given.ravel()[:3].tolist()!r:.80}…, expected whole numbers"
        raise InvalidValue(msg, code=ARGUMENT_CODE)
    wide = number_array(values, parameter=name, dtype="int64")
    if wide.ndim != 1:
        msg = f"{name} has shape {wide.shape}, expected one number per task"
        raise InvalidValue(msg, code=ARGUMENT_CODE)
    limits = np.iinfo(dtype)
    if len(wide) and (wide.min() < limits.min or wide.max() > limits.max):
        msg = f"{name} runs from {wide.min()} to {wide.max()}, beyond {dtype}"
        raise InvalidValue(msg, code=ARGUMENT_CODE)
    out = wide.astype(dtype)
    out.flags.writeable = False
    return out


@attrs.frozen(eq=False)
class Texts:
    """A column of texts (ids, VINs) as codes into an array of texts: ``ids[codes]``.

    Rules point into the texts of the tables (every customer's id, every VIN) without
    copying a text per task; the texts themselves are made only when asked for
    ([`values`][aftersales_crm.care.Texts.values]). A code of -1 stands for no text (``""``).

    Attributes:
        codes: int64 array, positions in ``ids``, -1 for none.
        ids: the texts (a str array), as many as you like, in any order.

    Examples:
        >>> Texts(np.array([1, -1, 0]), np.array(["V1", "V2"])).values().tolist()
        ['V2', '', 'V1']
    """

    codes: NDArray[np.int64]
    ids: NDArray[np.str_]

    def __attrs_post_init__(self) -> None:
        codes: object = self.codes
        ids: object = self.ids
        if not isinstance(codes, np.ndarray) or codes.ndim != 1 or codes.dtype != np.int64:
            msg = "Texts codes must be a one-dimensional int64 array"
            raise InvalidValue(msg, code=ARGUMENT_CODE)
        if not isinstance(ids, np.ndarray) or ids.ndim != 1 or (len(ids) and ids.dtype.kind != "U"):
            msg = "Texts ids must be a one-dimensional str array"
            raise InvalidValue(msg, code=ARGUMENT_CODE)
        if len(codes) and (codes.min() < -1 or codes.max() >= len(ids)):
            msg = f"Texts codes must lie in -1..{len(ids) - 1}"
            raise InvalidValue(msg, code=ARGUMENT_CODE)

    @classmethod
    def of(cls, values: object, name: str) -> Texts:
        """Texts as they are given: each one its own code.

        Raises:
            InvalidValue: not one text per row (naming ``name``).

        Examples:
            >>> Texts.of(["C1", "C2"], "customer").codes.tolist()
            [0, 1]
        """
        if isinstance(values, Texts):
            return values
        ids = _as_ids(values, name)
        return cls(np.arange(len(ids), dtype=np.int64), ids)

    def __len__(self) -> int:
        """Number of rows."""
        return len(self.codes)

    def values(self) -> NDArray[np.str_]:
        """The texts, one per row (``""`` for none).

        Examples:
            >>> Texts.of(["a"], "x").values().tolist()
            ['a']
        """
        if not len(self.ids):
            return np.full(len(self.codes), "", dtype="<U1")
        out = self.ids[np.maximum(self.codes, 0)]
        if (self.codes < 0).any():
            out = np.where(self.codes < 0, "", out)
        out.flags.writeable = False
        return out

    def matches(self, text: str) -> NDArray[np.bool_]:
        """Whether each row's text is ``text`` (no text counting as ``""``), without making the texts.

        Examples:
            >>> Texts(np.array([1, -1, 0]), np.array(["V1", "V2"])).matches("V1").tolist()
            [False, False, True]
        """
        if len(self.ids) <= len(self.codes):  # each text compared once
            hits = np.append(self.ids == text, text == "")  # the spare last slot for code -1
            found: NDArray[np.bool_] = hits[self.codes]
            return found
        # Fewer rows than texts (the contacts' repair orders): only the texts used.
        some = np.flatnonzero(self.codes >= 0)
        out = np.full(len(self.codes), text == "")
        out[some] = self.ids[self.codes[some]] == text
        return out

    def take(self, rows: NDArray[np.intp]) -> Texts:
        """The rows at ``rows``, pointing into the same texts.

        Examples:
            >>> Texts.of(["a", "b"], "x").take(np.array([1])).values().tolist()
            ['b']
        """
        return self._taken(positions(rows, len(self)))

    def _taken(self, rows: NDArray[np.intp]) -> Texts:
        """The rows at ``rows``, positions already checked: codes taken from checked codes."""
        return Texts._unchecked(self.codes[rows], self.ids)

    @classmethod
    def _unchecked(cls, codes: NDArray[np.int64], ids: NDArray[np.str_]) -> Texts:
        """Texts of codes known to lie in ``-1 .. len(ids) - 1`` (taken or joined from texts)."""
        out = object.__new__(cls)
        object.__setattr__(out, "codes", codes)
        object.__setattr__(out, "ids", ids)
        return out

    @staticmethod
    def concat(parts: Sequence[Texts]) -> Texts:
        """The rows of every part, in order.

        Parts that point into the same texts keep pointing into them; otherwise only the
        texts the rows use are gathered, so the cost follows the rows, not the texts.

        Raises:
            InvalidType: a part is not [`Texts`][aftersales_crm.care.Texts].
        """
        parts = tuple_of(parts, parameter="parts")
        if not all(isinstance(part, Texts) for part in parts):
            msg = "Texts.concat takes Texts"
            raise InvalidType(msg)
        if not parts:
            return Texts(np.empty(0, dtype=np.int64), np.empty(0, dtype="<U1"))
        ids, recode = _recoding([part.codes for part in parts], [part.ids for part in parts])
        codes = np.empty(sum(map(len, parts)), dtype=np.int64)
        at = 0
        for k, part in enumerate(parts):
            recode(k, part.codes, codes[at : at + len(part)])
            at += len(part)
        return Texts._unchecked(codes, ids)


def _recoding(
    codes: Sequence[NDArray[np.int64]], ids: Sequence[NDArray[np.str_]]
) -> tuple[NDArray[np.str_], Callable[[int, NDArray[np.int64], NDArray[np.int64]], None]]:
    """The texts that rows ``codes[k]`` into ``ids[k]`` use, joined, and how to recode them.

    ``recode(k, some, out)`` writes ``some`` of the codes ``codes[k]`` (all of them, or
    fewer: only texts those use are gathered) into ``out`` as codes into the joined texts,
    in one pass. Parts that point into the same texts keep pointing into them; otherwise
    only the texts the rows use are gathered, so the cost follows the rows, not the texts.
    """
    # Parts without a text in any row ("" throughout, a rule's default) point nowhere
    # (-1) into the texts of the others when those are all the same texts.
    full = [texts for texts in ids if not _blank_only(texts)]
    shared = full[0] if full else ids[0]
    if all(i is shared for i in full):

        def same(k: int, some: NDArray[np.int64], out: NDArray[np.int64]) -> None:
            if ids[k] is shared:
                out[:] = some
            else:
                out.fill(-1)

        return shared, same
    sources: dict[int, NDArray[np.str_]] = {}
    for texts in ids:
        sources.setdefault(id(texts), texts)
    # Per source of texts, the texts some row uses and each one's new position: a table
    # from old code to new with a last slot for -1 (no text), or the sorted codes used.
    tables: dict[int, NDArray[np.int64]] = {}
    sorted_used: dict[int, tuple[NDArray[np.int64], int]] = {}
    gathered = []
    offset = 0
    for key, texts in sources.items():
        pointing = [c for c, i in zip(codes, ids, strict=True) if i is texts]
        if sum(map(len, pointing)) * _FEW_ROWS < len(texts):
            # Few rows into many texts (the calls of a month into every repair order):
            # sort the rows' codes rather than count through every text.
            used = np.sort(np.concatenate(pointing))
            used = used[(used >= 0) & np.r_[True, used[1:] != used[:-1]]]
            sorted_used[key] = (used, offset)
        else:  # a count, not a sort: the cost follows the rows and the texts linearly
            uses = np.zeros(len(texts) + 1, dtype=bool)
            for some in pointing:
                uses[some] = True  # -1 marks the spare last slot
            used = np.flatnonzero(uses[:-1])
            table = np.cumsum(uses, dtype=np.int64)
            table += offset - 1
            table[-1] = -1
            tables[key] = table
        gathered.append(texts[used])
        offset += len(used)

    def recode(k: int, some: NDArray[np.int64], out: NDArray[np.int64]) -> None:
        key = id(ids[k])
        if key in tables:
            np.take(tables[key], some, out=out)  # -1 takes the last slot: -1
            return
        used, first = sorted_used[key]
        out[:] = np.searchsorted(used, some)
        out += first
        out[some < 0] = -1

    return _stacked(gathered) if offset else np.empty(0, dtype="<U1"), recode


def _stacked(pieces: Sequence[NDArray[np.str_]]) -> NDArray[np.str_]:
    """The texts of ``pieces`` one after another, as wide as the widest.

    Each piece's code points are copied into place as whole rows: ``np.concatenate``
    casts text by text to the widest width, several times slower.

    Examples:
        >>> _stacked([np.array(["ab"]), np.array(["c", "def"])]).tolist()
        ['ab', 'c', 'def']
    """
    width = max(piece.dtype.itemsize for piece in pieces) // 4
    out = np.zeros((sum(map(len, pieces)), max(width, 1)), dtype=np.uint32)
    at = 0
    for piece in pieces:
        chars = piece.dtype.itemsize // 4
        if chars:
            native = np.ascontiguousarray(piece, dtype=f"U{chars}")
            out[at : at + len(piece), :chars] = native.view(np.uint32).reshape(len(piece), chars)
        at += len(piece)
    texts: NDArray[np.str_] = out.view(f"U{max(width, 1)}").reshape(-1)
    return texts


_FEW_ROWS: Final = 8
"""Rows fewer than the texts they point into by this factor are sorted, not counted, to
join them (``Texts.concat``)."""


def _blank_only(ids: NDArray[np.str_]) -> bool:
    """Whether every row pointing into ``ids`` is ``""``: no text, or ``[""]`` alone."""
    return (len(ids) == 1 and ids[0] == "") or not len(ids)


def _customer(values: object) -> Texts:
    return Texts.of(values, "customer")


def _vehicle(values: object) -> Texts:
    return Texts.of(values, "vehicle")


def _source(values: object) -> Texts:
    return Texts.of(values, "source")


def _source_table(values: object) -> Texts:
    return Texts.of(values, "source_table")


def _kind(values: object) -> NDArray[np.int16]:
    return _as_ints(values, "kind", "int16")


def _channel(values: object) -> NDArray[np.int8]:
    return _as_ints(values, "channel", "int8")


def _reason(values: object) -> NDArray[np.int16]:
    return _as_ints(values, "reason", "int16")


def _priority(values: object) -> NDArray[np.int64]:
    return _as_ints(values, "priority")


def _detail(values: object) -> NDArray[np.int64]:
    return _as_ints(values, "detail")


def _due(values: object) -> NDArray[np.datetime64]:
    return _as_dates(values, "due")


def _window_start(values: object) -> NDArray[np.datetime64]:
    return _as_dates(values, "window_start")


def _window_end(values: object) -> NDArray[np.datetime64]:
    return _as_dates(values, "window_end")


def _target(values: object) -> NDArray[np.datetime64]:
    return _as_dates(values, "target")


def _anchor(values: object) -> NDArray[np.datetime64]:
    return _as_dates(values, "anchor")


def _kinds(values: object) -> tuple[TaskKind, ...]:
    found = tuple_of(values, parameter="kinds")
    if not all(isinstance(kind, TaskKind) for kind in found):
        msg = f"kinds holds {found!r:.80}, expected TaskKind declarations"
        raise InvalidType(msg)
    names = [kind.name for kind in found]
    if len(set(names)) != len(names):
        msg = f"kinds names a kind twice: {names}"
        raise InvalidValue(msg, code="care_task")
    return found


def _reasons(values: object) -> tuple[Reason, ...]:
    found = tuple_of(values, parameter="reasons")
    if not all(isinstance(reason, Reason) for reason in found):
        msg = f"reasons holds {found!r:.80}, expected Reason templates"
        raise InvalidType(msg)
    return found


_TEXTS: Final = ("customer", "vehicle", "source", "source_table")
"""The columns of texts, held as [`Texts`][aftersales_crm.care.Texts]."""

_COLUMNS: Final = (
    "customer",
    "vehicle",
    "kind",
    "due",
    "window_start",
    "window_end",
    "target",
    "channel",
    "priority",
    "reason",
    "detail",
    "anchor",
    "source",
    "source_table",
)


def _rows_text(rows: NDArray[np.intp]) -> str:
    shown = rows[:5].tolist()
    return f"{len(rows)} rows ({shown}{'…' if len(rows) > len(shown) else ''})"


@attrs.frozen(eq=False, repr=False)
class CareTasks(Displayed):
    """Care tasks as columns: one row per task.

    Attributes:
        customer: str array of shape (n_tasks,), the customer's id.
        vehicle: str array, the VIN the task is about, ``""`` for none.
        kind: int16 array, positions in ``kinds``.
        due: ``datetime64[D]`` array, the day the contact is due.
        window_start: ``datetime64[D]`` array, the first day the contact may be made
            (at most ``due``).
        window_end: ``datetime64[D]`` array, the last day of its window (at least
            ``due``); an open task whose window ended before ``as_of`` is overdue.
        target: ``datetime64[D]`` array, the day the task is about: the service due day a
            reminder points to, the last day of the free first maintenance, or the due
            day itself.
        channel: int8 array, the suggested channel, positions in ``CHANNELS``.
        priority: int64 array, higher first.
        reason: int16 array, positions in ``reasons``.
        detail: int64 array, the number the reason shows (km, months, days…).
        anchor: ``datetime64[D]`` array, the day the rule counted from (NaT for none).
        source: str array, the id of the fact that caused the task (a repair order's id,
            a VIN).
        source_table: str array, the table of that fact (``"orders"``, ``"vehicles"``).
        kinds: the task kinds the codes of ``kind`` point into.
        reasons: the reasons the codes of ``reason`` point into.

    Raises:
        InvalidValue: columns of different lengths, a code outside its tuple, a missing
            due day or window, or a window that does not hold its due day (the message
            names the rows).

    Examples:
        >>> from datetime import date
        >>> call = TaskKind("doc_call", "call", "电话", purpose="care")
        >>> tasks = CareTasks.build(call, Reason("since {anchor}", "自{anchor}"),
        ...     customer=["C1", "C2"], due=["2026-07-01", "2026-07-03"],
        ...     anchor=["2026-06-01", "2026-06-03"], source=["R1", "R2"], source_table="orders")
        >>> len(tasks), tasks.reasons_text("zh").tolist()
        (2, ['自2026-06-01', '自2026-06-03'])
    """

    _customer: Texts = attrs.field(converter=_customer, alias="customer")
    _vehicle: Texts = attrs.field(converter=_vehicle, alias="vehicle")
    kind: NDArray[np.int16] = attrs.field(converter=_kind)
    due: NDArray[np.datetime64] = attrs.field(converter=_due)
    window_start: NDArray[np.datetime64] = attrs.field(converter=_window_start)
    window_end: NDArray[np.datetime64] = attrs.field(converter=_window_end)
    target: NDArray[np.datetime64] = attrs.field(converter=_target)
    channel: NDArray[np.int8] = attrs.field(converter=_channel)
    priority: NDArray[np.int64] = attrs.field(converter=_priority)
    reason: NDArray[np.int16] = attrs.field(converter=_reason)
    detail: NDArray[np.int64] = attrs.field(converter=_detail)
    anchor: NDArray[np.datetime64] = attrs.field(converter=_anchor)
    _source: Texts = attrs.field(converter=_source, alias="source")
    _source_table: Texts = attrs.field(converter=_source_table, alias="source_table")
    kinds: tuple[TaskKind, ...] = attrs.field(converter=_kinds)
    reasons: tuple[Reason, ...] = attrs.field(converter=_reasons)

    @property
    def customer(self) -> NDArray[np.str_]:
        """Str array of shape (n_tasks,): each task's customer id."""
        return self._customer.values()

    @property
    def vehicle(self) -> NDArray[np.str_]:
        """Str array: the VIN each task is about, ``""`` for none."""
        return self._vehicle.values()

    @property
    def source(self) -> NDArray[np.str_]:
        """Str array: the id of the fact that caused each task."""
        return self._source.values()

    @property
    def source_table(self) -> NDArray[np.str_]:
        """Str array: the table of that fact."""
        return self._source_table.values()

    def texts(self, name: str) -> Texts:
        """A text column as codes into texts, without making a text per task.

        ``name`` is ``customer``, ``vehicle``, ``source`` or ``source_table``.

        Examples:
            >>> CareTasks.empty().texts("customer").codes.tolist()
            []
        """
        if name not in _TEXTS:
            msg = f"{name!r} is not a text column; they are {', '.join(_TEXTS)}"
            raise InvalidValue(msg, code=ARGUMENT_CODE)
        found: Texts = getattr(self, _held_as(name))
        return found

    def __attrs_post_init__(self) -> None:
        lengths = {name: len(self._field(name)) for name in _COLUMNS}
        if len(set(lengths.values())) > 1:
            msg = f"care task columns differ in length: {lengths}"
            raise InvalidValue(msg, code="care_task")
        for name, codes, size in (
            ("kind", self.kind, len(self.kinds)),
            ("channel", self.channel, len(CHANNELS)),
            ("reason", self.reason, len(self.reasons)),
        ):
            wrong = np.flatnonzero((codes < 0) | (codes >= size))
            if len(wrong):
                msg = f"{name} codes must lie in 0..{size - 1}: {_rows_text(wrong)} do not"
                raise InvalidValue(msg, code="care_task")
        for name in ("due", "window_start", "window_end", "target"):
            missing = np.flatnonzero(np.isnat(getattr(self, name)))
            if len(missing):
                msg = f"{name} is missing in {_rows_text(missing)}"
                raise InvalidValue(msg, code="care_task")
        outside = np.flatnonzero((self.window_start > self.due) | (self.due > self.window_end))
        if len(outside):
            msg = f"the window does not hold the due day in {_rows_text(outside)}"
            raise InvalidValue(msg, code="care_task")

    @classmethod
    def empty(cls) -> CareTasks:
        """No task.

        Examples:
            >>> len(CareTasks.empty())
            0
        """
        none: list[str] = []
        return cls(**dict.fromkeys(_COLUMNS, none), kinds=(), reasons=())

    @classmethod
    def build(
        cls,
        kind: TaskKind,
        reasons: Reason | Sequence[Reason],
        *,
        customer: Any,
        due: Any,
        reason: Any = 0,
        window_start: Any = None,
        window_end: Any = None,
        target: Any = None,
        vehicle: Any = "",
        channel: ContactChannel | str | Any = ContactChannel.PHONE,
        priority: Any = 0,
        detail: Any = 0,
        anchor: Any = None,
        source: Any = "",
        source_table: Any = "",
    ) -> CareTasks:
        """Tasks of one kind, with scalars broadcast to every row.

        Args:
            kind: the kind of every task.
            reasons: the reason of every task, or the reasons ``reason`` points into.
            customer: the customers' ids, one per task.
            due: the due days.
            reason: position of each task's reason in ``reasons`` (default 0).
            window_start: default the due day.
            window_end: default the due day.
            target: default the due day.
            vehicle: VINs, ``""`` for none.
            channel: a channel (member or value) for every task, or channel codes.
            priority: higher first.
            detail: the number the reason shows.
            anchor: the day the rule counted from (default none).
            source: the id of the fact that caused each task.
            source_table: that fact's table.

        Raises:
            InvalidValue: as [`CareTasks`][aftersales_crm.care.CareTasks] does, or a value that cannot be broadcast.

        Examples:
            >>> call = TaskKind("doc_call", "call", "电话", purpose="care")
            >>> tasks = CareTasks.build(call, Reason("hello", "你好"), customer=["C1"],
            ...                         due=["2026-07-01"], channel="sms")
            >>> CHANNELS[tasks.channel[0]].value, tasks.window_end.tolist()
            ('sms', [datetime.date(2026, 7, 1)])
        """
        given: object = kind  # typed, but callers may pass anything
        if not isinstance(given, TaskKind):
            msg = f"kind is {given!r:.80}, expected a TaskKind"
            raise InvalidType(msg)
        customers = _customer(customer)
        due_days = _due(_broadcast(due, len(customers), "due"))
        return cls(
            **_one_kind(
                customers,
                due_days,
                reason=reason,
                window_start=window_start,
                window_end=window_end,
                target=target,
                vehicle=vehicle,
                channel=channel,
                priority=priority,
                detail=detail,
                anchor=anchor,
                source=source,
                source_table=source_table,
            ),
            kinds=(kind,),
            reasons=(reasons,) if isinstance(reasons, Reason) else reasons,
        )

    @classmethod
    def _trusted(
        cls,
        kind: TaskKind,
        reasons: Reason | Sequence[Reason],
        *,
        customer: Texts,
        due: NDArray[np.datetime64],
        **columns: Any,
    ) -> CareTasks:
        """As [`build`][aftersales_crm.care.CareTasks.build], without its checks: for the rules' own columns.

        The built-in rules derive their columns from tables checked when they were made,
        with the types of the columns (dates as ``datetime64[D]``, whole numbers): checking
        each of their rows again cost more than making them. The checks stay where tasks
        come from outside (``build``, the constructor), and the tests hold every rule's
        tasks to them. The arrays given become the tasks' own, read-only.
        """
        made = _one_kind(customer, due, **{**_BUILD_DEFAULTS, **columns})
        typed = {
            name: value if name in _TEXTS else np.asarray(value, dtype=_DTYPES[name])
            for name, value in made.items()
        }
        kinds = (kind,)
        return cls._unchecked(
            typed, kinds, (reasons,) if isinstance(reasons, Reason) else tuple(reasons)
        )

    @classmethod
    def concat(cls, parts: Iterable[CareTasks]) -> CareTasks:
        """The tasks of every part, in order, with their kinds and reasons merged.

        Raises:
            InvalidValue: two parts declare different kinds under one name.

        Examples:
            >>> call = TaskKind("doc_call", "call", "电话", purpose="care")
            >>> one = CareTasks.build(call, Reason("a", "甲"), customer=["C1"], due=["2026-07-01"])
            >>> two = CareTasks.build(call, Reason("b", "乙"), customer=["C2"], due=["2026-07-02"])
            >>> both = CareTasks.concat([one, two])
            >>> len(both), len(both.kinds), both.reasons_text().tolist()
            (2, 1, ['a', 'b'])
        """
        found = tuple_of(parts, parameter="parts")
        if not all(isinstance(part, CareTasks) for part in found):
            msg = "parts holds a value that is not CareTasks"
            raise InvalidType(msg)
        return cls._joined(found, threads=1)

    @classmethod
    def _joined(
        cls, parts: tuple[CareTasks, ...], threads: int, later: frozenset[str] = frozenset()
    ) -> CareTasks:
        """[`concat`][aftersales_crm.care.CareTasks.concat] of checked parts, a column per thread.

        The columns ``later`` are joined only when first read (once, from any thread); the
        tasks at some rows (``take``) take them from the parts, joining none whole.
        """
        if not parts:
            return cls.empty()
        joined, joined_at, kinds, reasons = _joining(parts)
        now = [name for name in _COLUMNS if name not in later]
        # Each column apart: numpy copies without the interpreter lock.
        columns = dict(zip(now, mapped(joined, now, threads), strict=True))
        if len(now) < len(_COLUMNS):
            return _Lazy.of(joined, columns, kinds, reasons, taking=joined_at)
        # The parts were checked when they were made: their columns need no second look.
        return cls._unchecked(columns, kinds, reasons)

    @classmethod
    def _unchecked(
        cls,
        columns: Mapping[str, Any],
        kinds: tuple[TaskKind, ...],
        reasons: tuple[Reason, ...],
    ) -> CareTasks:
        """Tasks from columns known to be valid (taken from checked tasks), read-only.

        Plain tasks, every column made, when taken from lazy ones.
        """
        out = object.__new__(CareTasks if issubclass(cls, _Lazy) else cls)
        for name in _COLUMNS:
            column = columns[name]
            if name in _TEXTS:
                object.__setattr__(out, _held_as(name), column)
                continue
            column.flags.writeable = False
            object.__setattr__(out, name, column)
        object.__setattr__(out, "kinds", kinds)
        object.__setattr__(out, "reasons", reasons)
        return out

    def _field(self, name: str) -> Any:
        """The column ``name`` as held: an array, or [`Texts`][aftersales_crm.care.Texts]."""
        return getattr(self, _held_as(name))

    def _fields(self) -> dict[str, Any]:
        return {name: self._field(name) for name in _COLUMNS}

    def _replaced(self, **columns: Any) -> CareTasks:
        """The tasks with columns of the right type and length replaced, unchecked."""
        return self._unchecked(self._fields() | columns, self.kinds, self.reasons)

    def __len__(self) -> int:
        """Number of tasks."""
        return len(self._customer)

    def columns(self) -> dict[str, NDArray[Any]]:
        """The columns by name (kind and reason as codes).

        Examples:
            >>> list(CareTasks.empty().columns())[:3]
            ['customer', 'vehicle', 'kind']
        """
        return {name: getattr(self, name) for name in _COLUMNS}

    def take(self, rows: Any) -> CareTasks:
        """The tasks at ``rows``, in that order.

        Examples:
            >>> call = TaskKind("doc_call", "call", "电话", purpose="care")
            >>> tasks = CareTasks.build(call, Reason("a", "甲"), customer=["C1", "C2"],
            ...                         due=["2026-07-01", "2026-07-02"])
            >>> tasks.take([1]).customer.tolist()
            ['C2']
        """
        picked = positions(rows, len(self))
        return self._unchecked(
            # The positions are checked once, here, for every column.
            {name: _at(self._field(name), picked) for name in _COLUMNS},
            self.kinds,
            self.reasons,
        )

    def _taken_lazily(self, rows: NDArray[np.intp], **columns: Any) -> CareTasks:
        """The tasks at ``rows`` (checked positions), each column taken when first read.

        ``columns`` (of the right type and length for ``rows``) are the new tasks' own.
        For a reader of a few of the columns of millions of tasks: a contact rule in
        [`AllOf`][aftersales_crm.care.AllOf] judging the tasks the rules before it allowed.
        """

        def taken(name: str) -> Any:
            return _at(self._field(name), rows)

        return _Lazy.of(taken, columns, self.kinds, self.reasons)

    def with_columns(self, **columns: Any) -> CareTasks:
        """The same tasks with some columns replaced (checked as new tasks are).

        Examples:
            >>> call = TaskKind("doc_call", "call", "电话", purpose="care")
            >>> tasks = CareTasks.build(call, Reason("a", "甲"), customer=["C1"], due=["2026-07-01"])
            >>> tasks.with_columns(priority=[9]).priority.tolist()
            [9]
        """
        unknown = sorted(set(columns) - set(_COLUMNS))
        if unknown:
            msg = f"CareTasks have no columns {unknown}; they have {list(_COLUMNS)}"
            raise InvalidValue(msg, code=ARGUMENT_CODE)
        return attrs.evolve(self, **columns)

    def kind_names(self) -> NDArray[np.str_]:
        """Each task's kind name.

        Examples:
            >>> CareTasks.empty().kind_names().tolist()
            []
        """
        names = np.array([kind.name for kind in self.kinds] or [""], dtype=np.str_)
        return names[self.kind]

    def purposes(self) -> NDArray[np.int64]:
        """Each task's contact purpose, as positions in ``list(ContactPurpose)``.

        Examples:
            >>> CareTasks.empty().purposes().tolist()
            []
        """
        purposes = list(ContactPurpose)
        codes = np.array([purposes.index(kind.purpose) for kind in self.kinds] or [0])
        return codes.astype(np.int64)[self.kind]

    def reasons_text(self, lang: Lang = "en") -> NDArray[np.object_]:
        """Each task's reason in words, its fields filled from its row.

        Examples:
            >>> CareTasks.empty().reasons_text("zh").tolist()
            []
        """
        lang = language(lang)  # type: ignore[assignment]
        out = np.empty(len(self), dtype=object)
        fields = {
            "anchor": self.anchor.astype(str),
            "due": self.due.astype(str),
            "target": self.target.astype(str),
            "window_end": self.window_end.astype(str),
            "detail": self.detail.astype(str),
            "vehicle": self.vehicle,
            "source": self.source,
        }
        for code, reason in enumerate(self.reasons):
            rows = np.flatnonzero(self.reason == code)
            for row in rows.tolist():
                out[row] = reason.text(lang, **{k: v[row] for k, v in fields.items()})
        return out

    def counts(self) -> dict[str, int]:
        """Tasks per kind name, kinds without tasks left out.

        Examples:
            >>> CareTasks.empty().counts()
            {}
        """
        found = np.bincount(self.kind, minlength=len(self.kinds))
        return {kind.name: int(n) for kind, n in zip(self.kinds, found, strict=True) if n}

    def canonical_order(self) -> NDArray[np.intp]:
        """The rows in an order that depends on the tasks only, not on how they arrived.

        By due day, customer, vehicle, kind name, source and every other column, so that
        two task lists holding the same tasks put them in the same order.

        Examples:
            >>> CareTasks.empty().canonical_order().tolist()
            []
        """
        kind_rank = _rank([kind.name for kind in self.kinds])[self.kind]
        reason_rank = _rank([(r.en, r.zh) for r in self.reasons])[self.reason]
        keys = (
            self.detail,
            reason_rank,
            self.priority,
            self.channel,
            self.anchor,
            self.target,
            self.window_end,
            self.window_start,
            self.source,
            self.source_table,
            kind_rank,
            self.vehicle,
            self.customer,
            self.due,
        )
        return np.lexsort(keys).astype(np.intp)

    def __eq__(self, other: object) -> bool:
        """The same tasks, in any order (kinds and reasons compared by value).

        Examples:
            >>> CareTasks.empty() == CareTasks.empty()
            True
        """
        if not isinstance(other, CareTasks):
            return NotImplemented
        if len(self) != len(other):
            return False
        mine, theirs = self._normal(), other._normal()
        return all(np.array_equal(a, b) for a, b in zip(mine, theirs, strict=True))

    def __hash__(self) -> int:
        """Hash by the number of tasks and their kinds."""
        return hash((len(self), frozenset(kind.name for kind in self.kinds)))

    def _normal(self) -> list[NDArray[Any]]:
        order = self.canonical_order()
        kinds = np.array([repr(kind) for kind in self.kinds] or [""], dtype=object)
        reasons = np.array([repr(reason) for reason in self.reasons] or [""], dtype=object)
        out = []
        for name in _COLUMNS:
            column = getattr(self, name)[order]
            if name == "kind":
                column = kinds[column]
            elif name == "reason":
                column = reasons[column]
            out.append(
                column.astype("datetime64[D]").view(np.int64)
                if column.dtype.kind == "M"
                else column
            )
        return out

    def to_pandas(self) -> Any:
        """A DataFrame with one row per task (needs the ``pandas`` extra).

        Examples:
            >>> list(CareTasks.empty().to_pandas())[:4]
            ['customer_id', 'vin', 'kind', 'due']
        """
        pd = require("pandas", extra="pandas")
        return pd.DataFrame(self._frame())

    def _frame(self, lang: Lang = "en") -> dict[str, Any]:
        channels = np.array([c.value for c in CHANNELS], dtype=object)
        return {
            "customer_id": self.customer,
            "vin": self.vehicle,
            "kind": self.kind_names(),
            "due": self.due,
            "window_start": self.window_start,
            "window_end": self.window_end,
            "target": self.target,
            "channel": channels[self.channel],
            "priority": self.priority,
            "reason": self.reasons_text(lang),
            "detail": self.detail,
            "anchor": self.anchor,
            "source": self.source,
            "source_table": self.source_table,
        }


def _at(column: Any, rows: NDArray[np.intp]) -> Any:
    """A column (an array, or [`Texts`][aftersales_crm.care.Texts]) at checked positions ``rows``."""
    return column._taken(rows) if isinstance(column, Texts) else column[rows]


def _held_as(name: str) -> str:
    """The attribute a column is held in: ``_customer`` for a text column, else its name."""
    return f"_{name}" if name in _TEXTS else name


_COLUMN_OF: Final = {_held_as(name): name for name in _COLUMNS}
"""The column each attribute holding one holds."""


def _joining(
    parts: tuple[CareTasks, ...],
) -> tuple[
    Callable[[str], Any],
    Callable[[Sequence[str], NDArray[np.intp]], dict[str, Any]],
    tuple[TaskKind, ...],
    tuple[Reason, ...],
]:
    """How to join the columns of ``parts``: whole, or at some rows.

    Their kinds are merged by name and their reasons by value.

    Raises:
        InvalidValue: two parts declare different kinds under one name.
    """
    kinds: dict[str, TaskKind] = {}
    reasons: dict[Reason, int] = {}
    kind_maps, reason_maps = [], []
    for part in parts:
        kind_map = np.empty(len(part.kinds), dtype=np.int16)
        for i, kind in enumerate(part.kinds):
            known = kinds.setdefault(kind.name, kind)
            if known != kind:
                msg = f"two task kinds are named {kind.name!r}: {known!r} and {kind!r}"
                raise InvalidValue(msg, code="care_task")
            kind_map[i] = list(kinds).index(kind.name)
        kind_maps.append(kind_map)
        reason_maps.append(
            np.array(
                [reasons.setdefault(reason, len(reasons)) for reason in part.reasons],
                dtype=np.int16,
            )
        )

    def values(part: int, name: str, rows: NDArray[np.intp] | None = None) -> Any:
        """The column ``name`` of part ``part`` (at ``rows``), codes into the merged tuples."""
        column = parts[part]._field(name)
        if rows is not None:
            column = _at(column, rows)
        if name in ("kind", "reason"):  # codes into the merged kinds and reasons
            return (kind_maps if name == "kind" else reason_maps)[part][column]
        return column

    def joined(name: str) -> Any:
        pieces = [values(part, name) for part in range(len(parts))]
        return Texts.concat(pieces) if name in _TEXTS else np.concatenate(pieces)

    starts = np.cumsum([0] + [len(part) for part in parts])

    def joined_at(names: Sequence[str], rows: NDArray[np.intp]) -> dict[str, Any]:
        """The columns ``names`` of the joined tasks at ``rows``, taken from each part.

        The rows of a part are taken from it, then put where they go: no column of all the
        tasks is joined only to be taken from.
        """
        part = np.searchsorted(starts, rows, side="right") - 1
        by_part = np.argsort(
            part.astype(np.int16 if len(parts) < 1 << 15 else np.int64), kind="stable"
        )
        local = rows[by_part] - starts[part[by_part]]
        bounds = np.searchsorted(part[by_part], np.arange(len(parts) + 1))
        spans = [(i, bounds[i], bounds[i + 1]) for i in range(len(parts))]
        out: dict[str, Any] = {}
        for name in names:
            if name in _TEXTS:
                pieces = [values(i, name, local[lo:hi]).codes for i, lo, hi in spans]
                ids, recode = _recoding(
                    pieces, [parts[i]._field(name).ids for i in range(len(parts))]
                )
                codes = np.empty(len(rows), dtype=np.int64)
                spare = np.empty(max(hi - lo for _, lo, hi in spans), dtype=np.int64)
                for (i, lo, hi), piece in zip(spans, pieces, strict=True):
                    recode(i, piece, spare[: hi - lo])
                    codes[by_part[lo:hi]] = spare[: hi - lo]
                out[name] = Texts._unchecked(codes, ids)
                continue
            column = None
            for i, lo, hi in spans:  # each part's rows put where they go, no joined copy
                piece = values(i, name, local[lo:hi])
                if column is None:
                    column = np.empty(len(rows), dtype=piece.dtype)
                column[by_part[lo:hi]] = piece
            out[name] = column
        return out

    return joined, joined_at, tuple(kinds.values()), tuple(reasons)


class _Lazy(CareTasks):
    """Tasks whose columns are made the first time they are read, once, from any thread.

    What the library hands on when a reader may need a few columns of millions of tasks:
    the columns given are the tasks' own; each other column comes from ``make`` (from
    the tasks these are taken or joined from) under the tasks' lock, so two threads
    reading it make it once. Everything else is as for
    [`CareTasks`][aftersales_crm.care.CareTasks]: a copy, a pickle or ``attrs.evolve``
    reads every column.
    """

    __slots__ = ("_lock", "_make", "_taking")

    @classmethod
    def of(
        cls,
        make: Callable[[str], Any],
        given: Mapping[str, Any],
        kinds: tuple[TaskKind, ...],
        reasons: tuple[Reason, ...],
        taking: Callable[[Sequence[str], NDArray[np.intp]], dict[str, Any]] | None = None,
    ) -> CareTasks:
        """Tasks with the columns ``given`` (read-only from now on), the others from ``make``.

        ``taking`` gives columns not made yet at some rows without making them whole.
        """
        out = object.__new__(cls)
        object.__setattr__(out, "_make", make)
        object.__setattr__(out, "_taking", taking)
        object.__setattr__(out, "_lock", threading.Lock())
        for name, column in given.items():
            _settle(out, name, column)
        object.__setattr__(out, "kinds", kinds)
        object.__setattr__(out, "reasons", reasons)
        return out

    def __getattr__(self, attribute: str) -> Any:
        # Called only for attributes not set yet: the columns not made yet.
        name = _COLUMN_OF.get(attribute)
        if name is None:
            raise AttributeError(attribute)
        with object.__getattribute__(self, "_lock"):
            try:  # made by another thread while this one waited
                return object.__getattribute__(self, attribute)
            except AttributeError:
                return _settle(self, name, object.__getattribute__(self, "_make")(name))

    def _replaced(self, **columns: Any) -> CareTasks:
        """The tasks with columns replaced, the others still made when first read."""
        return _Lazy.of(self._field, columns, self.kinds, self.reasons)

    def take(self, rows: Any) -> CareTasks:
        """The tasks at ``rows``: plain tasks, the columns not made yet taken without making them whole."""
        taking = getattr(self, "_taking", None)  # unset in unpickled ones
        made = {
            name: object.__getattribute__(self, _held_as(name))
            for name in _COLUMNS
            if _is_set(self, _held_as(name))
        }
        if taking is None or len(made) == len(_COLUMNS):  # unpickled ones have every column
            return super().take(rows)
        picked = positions(rows, len(self))
        columns = {name: _at(column, picked) for name, column in made.items()}
        columns |= taking([name for name in _COLUMNS if name not in made], picked)
        return CareTasks._unchecked(columns, self.kinds, self.reasons)


def _is_set(tasks: CareTasks, attribute: str) -> bool:
    """Whether ``attribute`` of ``tasks`` is set, without making it."""
    try:
        object.__getattribute__(tasks, attribute)
    except AttributeError:
        return False
    return True


def _settle(tasks: CareTasks, name: str, column: Any) -> Any:
    """``column`` set as the column ``name`` of ``tasks`` (read-only if an array); returned."""
    if name not in _TEXTS:
        column.flags.writeable = False
    object.__setattr__(tasks, _held_as(name), column)
    return column


def _one_kind(
    customer: Texts,
    due: NDArray[np.datetime64],
    *,
    reason: Any,
    window_start: Any,
    window_end: Any,
    target: Any,
    vehicle: Any,
    channel: Any,
    priority: Any,
    detail: Any,
    anchor: Any,
    source: Any,
    source_table: Any,
) -> dict[str, Any]:
    """The columns of tasks of one kind, scalars broadcast to every row (see ``build``)."""
    n = len(customer)

    def days(values: Any, name: str) -> Any:
        return due if values is None else _broadcast(values, n, name)

    if isinstance(channel, str):
        channel = CHANNELS.index(member(ContactChannel, channel, parameter="channel"))
    return {
        "customer": customer,
        "vehicle": _broadcast_texts(vehicle, n, "vehicle"),
        "kind": np.zeros(n, dtype=np.int16),
        "due": due,
        "window_start": days(window_start, "window_start"),
        "window_end": days(window_end, "window_end"),
        "target": days(target, "target"),
        "channel": _broadcast(channel, n, "channel"),
        "priority": _broadcast(priority, n, "priority"),
        "reason": _broadcast(reason, n, "reason"),
        "detail": _broadcast(detail, n, "detail"),
        "anchor": np.full(n, _NAT) if anchor is None else _broadcast(anchor, n, "anchor"),
        "source": _broadcast_texts(source, n, "source"),
        "source_table": _broadcast_texts(source_table, n, "source_table"),
    }


_BUILD_DEFAULTS: Final[Mapping[str, Any]] = {
    name: parameter.default
    for name, parameter in inspect.signature(CareTasks.build).parameters.items()
    if parameter.default is not inspect.Parameter.empty
}
"""The defaults of [`build`][aftersales_crm.care.CareTasks.build]'s columns, which ``_trusted`` shares."""

_DTYPES: Final[Mapping[str, Any]] = {
    "kind": np.int16,
    "due": "datetime64[D]",
    "window_start": "datetime64[D]",
    "window_end": "datetime64[D]",
    "target": "datetime64[D]",
    "channel": np.int8,
    "priority": np.int64,
    "reason": np.int16,
    "detail": np.int64,
    "anchor": "datetime64[D]",
}
"""The type of each column that is not texts."""


def _rank(values: Sequence[Any]) -> NDArray[np.int64]:
    """Each value's rank among ``values`` (sorted order), for sorting codes by what they mean."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    out = np.zeros(max(len(values), 1), dtype=np.int64)
    out[order] = np.arange(len(values))
    return out


@functools.lru_cache(maxsize=64)
def _one_text(value: str) -> NDArray[np.str_]:
    """A read-only array of the one text ``value``, the same array each time.

    Columns of that one text then stay codes into one array when put together.
    """
    out = np.array([value])
    out.flags.writeable = False
    return out


def _broadcast_texts(values: Any, n: int, name: str) -> Any:
    """One text for every row as codes into that one text; texts as they are."""
    if isinstance(values, str):
        return Texts(np.zeros(n, dtype=np.int64), _one_text(values))
    return values


def _broadcast(values: Any, n: int, name: str) -> Any:
    """``values`` repeated ``n`` times when it is a scalar, else as it is."""
    if isinstance(values, str | int | np.integer | np.datetime64 | dt.date) or (
        isinstance(values, np.ndarray) and values.ndim == 0
    ):
        return np.full(n, values)
    if isinstance(values, Mapping):
        msg = f"{name} is a mapping, expected one value or one per task"
        raise InvalidValue(msg, code=ARGUMENT_CODE)
    return values
