"""Columnar kernels over the facts the agenda reads: consent, do-not-contact, complaints, contacts.

Each answers a question for many tasks at once from the tables of a
[`CareInputs`][aftersales_crm.care.CareInputs], counting only facts known by the end of
``as_of``. What they derive from the facts is built once per inputs and shared
([`CareInputs.memo`][aftersales_crm.care.CareInputs.memo]).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from aftersales_crm.care._inputs import CareInputs
from aftersales_crm.records import ConsentPurpose, ContactOutcome
from aftersales_crm.values import ContactChannel, ContactPurpose

__all__ = [
    "CONSENT_PURPOSES",
    "complained",
    "complaint_timeline",
    "consent_purposes",
    "consent_timeline",
    "consented",
    "contact_days",
    "do_not_contact",
    "do_not_contact_table",
    "join",
    "last_complaint",
    "sort_numbers",
    "sort_rows",
    "sort_rows_and_ties",
]

CONSENT_PURPOSES: Final[Mapping[ContactPurpose, ConsentPurpose]] = MappingProxyType(
    {
        ContactPurpose.CARE: ConsentPurpose.MARKETING,
        ContactPurpose.FOLLOW_UP_3D: ConsentPurpose.SURVEY,
        ContactPurpose.FOLLOW_UP_7D: ConsentPurpose.SURVEY,
        ContactPurpose.FOLLOW_UP: ConsentPurpose.SURVEY,
        ContactPurpose.SOLICITATION: ConsentPurpose.MARKETING,
        ContactPurpose.INQUIRY: ConsentPurpose.SERVICE_REMINDER,
        ContactPurpose.APPOINTMENT: ConsentPurpose.SERVICE_REMINDER,
        ContactPurpose.COMPLAINT: ConsentPurpose.SURVEY,
        ContactPurpose.SURVEY: ConsentPurpose.SURVEY,
        ContactPurpose.ACTIVITY_INVITATION: ConsentPurpose.MARKETING,
        ContactPurpose.BIRTHDAY: ConsentPurpose.MARKETING,
        ContactPurpose.REMINDER: ConsentPurpose.SERVICE_REMINDER,
    }
)
"""The consent each contact purpose needs: the library's reading, one table.

Customers consent per [`ConsentPurpose`][aftersales_crm.records.ConsentPurpose] (service
reminders, marketing, surveys), the contacts a dealer makes have a
[`ContactPurpose`][aftersales_crm.values.ContactPurpose]. Reminders, appointments and answers to a
customer's inquiry need consent to service reminders; the follow-up calls (3DC, 7DC), the
calls after a complaint and surveys ask how the service felt, so they need consent to
surveys; care, birthday greetings, solicitations and invitations are marketing. The
material asks for contact "only to customers who agreed" without naming purposes; China's
Personal Information Protection Law (2021, Article 13) makes consent the ordinary basis.

Examples:
    >>> CONSENT_PURPOSES[ContactPurpose.FOLLOW_UP_3D].value
    'survey'
    >>> set(CONSENT_PURPOSES) == set(ContactPurpose)
    True
"""

_PURPOSES: Final = tuple(ContactPurpose)
_CONSENTS: Final = tuple(ConsentPurpose)
_N_CHANNELS: Final = len(ContactChannel)
"""Room for the channel codes (positions in ``list(ContactChannel)``) in a key."""


def _purpose_key(customers: NDArray[Any], purposes: NDArray[Any]) -> NDArray[np.int64]:
    """The key of a customer (row) and consent purpose: ``row * len(ConsentPurpose) + purpose``.

    A fresh int64 array, worked in place (millions of tasks: no chain of temporaries).
    """
    key = customers.astype(np.int64)
    key *= len(_CONSENTS)
    key += purposes
    return key


def _consent_key(
    customers: NDArray[Any], purposes: NDArray[Any], channels: NDArray[Any]
) -> NDArray[np.int64]:
    """The key of a customer (row), consent purpose and channel in the consent timeline."""
    key = _purpose_key(customers, purposes)
    key *= _N_CHANNELS
    key += channels
    return key


_DAY_BITS: Final = 20
"""Bits of the day offset in a (key, day) pair: 2**20 days is almost three thousand years."""
_TO_CONSENT: Final = np.array(
    [_CONSENTS.index(CONSENT_PURPOSES[purpose]) for purpose in _PURPOSES], dtype=np.int64
)
_DO_NOT_CONTACT: Final = list(ContactOutcome).index(ContactOutcome.DO_NOT_CONTACT)
_REACHED: Final = list(ContactOutcome).index(ContactOutcome.REACHED)


def consent_purposes(purposes: NDArray[np.int64]) -> NDArray[np.int64]:
    """The consent purpose (position in ``list(ConsentPurpose)``) of contact purposes (codes).

    Examples:
        >>> codes = np.array([list(ContactPurpose).index(ContactPurpose.REMINDER)])
        >>> [list(ConsentPurpose)[c].value for c in consent_purposes(codes)]
        ['service_reminder']
    """
    return _TO_CONSENT[purposes]


def join(left: NDArray[np.int64], right: NDArray[np.int64]) -> tuple[NDArray[np.intp], ...]:
    """Every pair of positions ``(i, j)`` with ``left[i] == right[j]``: an equi-join of keys.

    Examples:
        >>> i, j = join(np.array([1, 2, 3]), np.array([3, 1, 1]))
        >>> list(zip(i.tolist(), j.tolist()))
        [(0, 1), (0, 2), (2, 0)]
    """
    order = np.argsort(right, kind="stable")
    ordered = right[order]
    low = np.searchsorted(ordered, left, side="left")
    counts = np.searchsorted(ordered, left, side="right") - low
    total = int(counts.sum())
    lefts = np.repeat(np.arange(len(left), dtype=np.intp), counts)
    offsets = np.arange(total, dtype=np.intp) - np.repeat(np.cumsum(counts) - counts, counts)
    rights = order[np.repeat(low, counts) + offsets].astype(np.intp)
    return lefts, rights


def sort_rows(*keys: NDArray[np.int64]) -> NDArray[np.intp]:
    """The rows sorted by ``keys``, the first the most significant, ties in row order.

    ``np.lexsort(keys[::-1])``, made quicker when the keys' ranges fit in one whole number
    with room for the row numbers below them: then the numbers alone are sorted, each
    key packed above its row, which makes every number distinct, so that an unstable sort
    (several times quicker than ``argsort``'s stable one, and needing no index array to
    move) keeps ties in row order. Keys that fit one number without the rows take one
    stable sort; others the lexsort.

    Examples:
        >>> sort_rows(np.array([2, 1, 2, 1]), np.array([0, 5, -1, 5])).tolist()
        [1, 3, 2, 0]
    """
    return sort_rows_and_ties(*keys)[0]


def sort_rows_and_ties(*keys: NDArray[np.int64]) -> tuple[NDArray[np.intp], NDArray[np.bool_]]:
    """``sort_rows``, and whether each row in that order has the keys of the row before it.

    Where the keys were packed into one number, the ties are read from the sorted
    numbers, without taking each key in the new order.

    Examples:
        >>> order, tie = sort_rows_and_ties(np.array([2, 1, 2, 1]), np.array([0, 5, 0, 5]))
        >>> order.tolist(), tie.tolist()
        ([1, 3, 0, 2], [False, True, False, True])
    """
    n = len(keys[0])
    if not n:
        return np.empty(0, dtype=np.intp), np.zeros(0, dtype=bool)
    lows = [int(key.min()) for key in keys]
    spans = [int(key.max()) - low + 1 for key, low in zip(keys, lows, strict=True)]
    room = math.prod(spans)
    if room >= 1 << 62:
        order = np.lexsort(keys[::-1]).astype(np.intp)
        return order, _ties(keys, order)
    packed = np.zeros(n, dtype=np.int64)
    for key, low, span in zip(keys, lows, spans, strict=True):
        packed *= span
        packed += key - low
    order, ordered = sort_numbers(packed, room)
    return order, np.r_[False, ordered[1:] == ordered[:-1]]


def sort_numbers(
    numbers: NDArray[np.int64], room: int
) -> tuple[NDArray[np.intp], NDArray[np.int64]]:
    """The rows of ``numbers`` (whole numbers from 0 below ``room``) sorted, ties in row order, and the numbers in that order.

    When the numbers fit with room for the row numbers below them, they are sorted
    packed above their rows: every number distinct, so an unstable sort (several times
    quicker than ``argsort``'s stable one) keeps ties in row order. Else a stable sort.

    Examples:
        >>> order, ordered = sort_numbers(np.array([3, 1, 3, 0]), 4)
        >>> order.tolist(), ordered.tolist()
        ([3, 1, 0, 2], [0, 1, 3, 3])
    """
    n = len(numbers)
    row_bits = max(n - 1, 0).bit_length()
    if room << row_bits > 1 << 63:
        order = np.argsort(numbers, kind="stable").astype(np.intp)
        return order, numbers[order]
    packed = numbers << row_bits
    packed |= np.arange(n, dtype=np.int64)
    packed.sort()
    rows = packed & ((1 << row_bits) - 1)
    packed >>= row_bits
    return rows.astype(np.intp, copy=False), packed


def _ties(keys: tuple[NDArray[np.int64], ...], order: NDArray[np.intp]) -> NDArray[np.bool_]:
    """Whether each row in ``order`` has the ``keys`` of the row before it."""
    tie: NDArray[np.bool_] = np.r_[False, np.ones(len(order) - 1, dtype=bool)]
    for key in keys:
        ordered = key[order]
        tie[1:] &= ordered[1:] == ordered[:-1]
    return tie


def _by_key(key: NDArray[np.int64], *ties: NDArray[np.generic]) -> NDArray[np.intp]:
    """``np.lexsort((*ties[::-1], key))``: the rows by key, then by ``ties``, then in row order.

    One stable sort by the key (quick on a table's facts, which come nearly in key
    order), then only the rows of keys that several rows share sorted by the ties: few,
    as most keys have one fact.
    """
    order = np.argsort(key, kind="stable").astype(np.intp)
    ordered = key[order]
    same = ordered[1:] == ordered[:-1]  # a row's key is the next row's
    rows = np.flatnonzero(np.r_[same, False] | np.r_[False, same])
    if len(rows):
        some = order[rows]  # by key, then in row order
        order[rows] = some[np.lexsort((*(tie[some] for tie in ties[::-1]), key[some]))]
    return order


def _day_numbers(days: NDArray[np.datetime64]) -> NDArray[np.int64]:
    return days.astype("datetime64[D]").view(np.int64)


class _Timeline:
    """The latest fact at or before a day, per key: facts sorted by (key, instant).

    Keys are whole numbers below ``width``. Asked about a day on or after the day of every
    fact (the planner asks about days from ``as_of`` on, of the facts known by its end),
    a key's latest fact is its last one, read from a table by key: one look-up instead of
    a binary search among all the facts. Earlier days take the search.
    """

    def __init__(
        self,
        keys: NDArray[np.int64],
        days: NDArray[np.int64],
        order: NDArray[np.intp],
        width: int,
    ):
        self.keys = keys[order]
        self.days = days[order]
        self.base = int(days.min()) if len(days) else 0
        self.last_day = int(days.max()) if len(days) else np.iinfo(np.int64).min
        self.width = width

    @functools.cached_property
    def ends(self) -> NDArray[np.intp]:
        """The position of each key's last fact (made when first asked)."""
        keys = self.keys
        return (
            np.flatnonzero(np.r_[keys[1:] != keys[:-1], True])
            if len(keys)
            else np.empty(0, np.intp)
        )

    @functools.cached_property
    def last(self) -> NDArray[np.signedinteger]:
        """The position of each key's last fact, -1 for none, by key (made when first asked)."""
        small = len(self.keys) < 1 << 31
        last: NDArray[np.signedinteger] = np.full(self.width, -1, np.int32 if small else np.int64)
        last[self.keys[self.ends]] = self.ends
        return last

    def latest(self, keys: NDArray[np.int64], days: NDArray[np.int64]) -> NDArray[np.intp]:
        """The position (in the sorted facts) of each key's latest fact on or before each day.

        -1 where there is none.
        """
        at = self.last[keys].astype(np.intp)
        early = np.flatnonzero(days < self.last_day)
        if len(early):
            at[early] = self.search(keys[early], days[early])
        return at

    @functools.cached_property
    def packed(self) -> NDArray[np.int64]:
        """(key, day) of each fact packed into one number, to search (made when first asked)."""
        offset = np.clip(self.days - self.base, 0, (1 << _DAY_BITS) - 1)
        packed: NDArray[np.int64] = (self.keys << _DAY_BITS) | offset
        return packed

    def search(self, keys: NDArray[np.int64], days: NDArray[np.int64]) -> NDArray[np.intp]:
        """``latest`` by a binary search among the facts, for any day."""
        offset = days - self.base
        before = offset < 0
        packed = (keys << _DAY_BITS) | np.clip(offset, 0, (1 << _DAY_BITS) - 1)
        at = np.searchsorted(self.packed, packed, side="right") - 1
        found = (at >= 0) & ~before
        found[found] = self.keys[at[found]] == keys[found]
        return np.where(found, at, -1)


def consent_timeline(
    inputs: CareInputs,
) -> tuple[_Timeline, NDArray[np.bool_], NDArray[np.bool_]]:
    """The consent changes by key (customer, purpose, channel) and instant, and whether each granted.

    And whether the latest change of each key granted: what every day from that change on
    reads, one look-up in a table of one byte per key. Built once per inputs
    ([`CareInputs.memo`][aftersales_crm.care.CareInputs.memo]).

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import synthetic
        >>> inputs = CareInputs.of(synthetic.book(5, seed=1), start=date(2026, 6, 30))
        >>> consent_timeline(inputs) is consent_timeline(inputs)
        True
    """

    def build() -> tuple[_Timeline, NDArray[np.bool_], NDArray[np.bool_]]:
        consents = inputs.tables.consents
        rows = np.flatnonzero(inputs.known("consents", "at"))
        key = _consent_key(
            consents["customer"][rows], consents["purpose"][rows], consents["channel"][rows]
        )
        at = consents["at"][rows].view(np.int64)
        granted = consents["granted"][rows]
        # By key, then instant; at one instant a withdrawal comes last, so it wins.
        order = _by_key(key, at, ~granted)
        days = _day_numbers(inputs.table_days("consents", "at")[rows])
        width = len(inputs.tables.customers) * len(_CONSENTS) * _N_CHANNELS
        timeline = _Timeline(key, days, order, width)
        granted = granted[order]
        latest = np.zeros(width, dtype=bool)
        latest[timeline.keys[timeline.ends]] = granted[timeline.ends]  # each key's last change
        return timeline, granted, latest

    return inputs.memo(("facts", "consents"), build)


def consented(
    inputs: CareInputs,
    customers: NDArray[np.int64],
    consent: NDArray[np.int64],
    channels: NDArray[np.int64],
    days: NDArray[np.datetime64],
) -> NDArray[np.bool_]:
    """Whether each customer (row) had consented to the purpose over the channel on the day.

    The latest consent change for the customer, purpose and channel made by the end of
    the day decides; without one there is no consent. Two changes at the same instant
    that disagree count as a withdrawal (as [`consents_to`][aftersales_crm.records.Book.consents_to]
    reads them). Only changes known by the end of ``as_of`` count.

    Args:
        inputs: the care inputs.
        customers: customer rows.
        consent: consent purposes, positions in ``list(ConsentPurpose)``.
        channels: channels, positions in ``list(ContactChannel)``.
        days: the days asked about (``datetime64[D]``).

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import synthetic
        >>> inputs = CareInputs.of(synthetic.book(20, seed=1), start=date(2026, 6, 30))
        >>> n = len(inputs.customer_ids)
        >>> phone = np.zeros(n, dtype=np.int64)  # ContactChannel.PHONE
        >>> reminders = np.zeros(n, dtype=np.int64)  # ConsentPurpose.SERVICE_REMINDER
        >>> day = np.full(n, np.datetime64("2026-06-30"))
        >>> int(consented(inputs, np.arange(n), reminders, phone, day).sum()) > n // 2
        True
    """
    timeline, granted, latest = consent_timeline(inputs)
    key = _consent_key(customers, consent, channels)
    day = _day_numbers(days)
    out: NDArray[np.bool_] = latest[key]  # on a day from the key's last change on
    early = np.flatnonzero(day < timeline.last_day)
    if len(early):
        at = timeline.search(key[early], day[early])
        out[early] = (at >= 0) & granted[np.maximum(at, 0)] if len(granted) else False
    return out


def do_not_contact(
    inputs: CareInputs, customers: NDArray[np.int64], consent: NDArray[np.int64]
) -> NDArray[np.bool_]:
    """Whether each customer asked not to be contacted for the consent purpose, and still does.

    A contact whose outcome is "asked not to be contacted" (要求勿扰,
    [`DO_NOT_CONTACT`][aftersales_crm.records.ContactOutcome]) stops every contact
    whose purpose needs the same consent ([`CONSENT_PURPOSES`][aftersales_crm.care.CONSENT_PURPOSES]), over every channel,
    until the customer grants that consent again, over any channel, after it. Facts known
    by the end of ``as_of`` count.

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import synthetic
        >>> inputs = CareInputs.of(synthetic.book(5, seed=1), start=date(2026, 6, 30))
        >>> do_not_contact(inputs, np.array([0, 1]), np.array([2, 2])).dtype
        dtype('bool')
    """
    stopped = do_not_contact_table(inputs)
    out: NDArray[np.bool_] = stopped[_purpose_key(customers, consent)]
    return out


def do_not_contact_table(inputs: CareInputs) -> NDArray[np.bool_]:
    """``do_not_contact`` for every customer (row) and consent purpose, at ``row * len(ConsentPurpose) + purpose``.

    Built once per inputs ([`CareInputs.memo`][aftersales_crm.care.CareInputs.memo]).

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import synthetic
        >>> inputs = CareInputs.of(synthetic.book(5, seed=1), start=date(2026, 6, 30))
        >>> rows, survey = np.arange(5), list(ConsentPurpose).index(ConsentPurpose.SURVEY)
        >>> table = do_not_contact_table(inputs)
        >>> bool((table[rows * len(ConsentPurpose) + survey] == do_not_contact(
        ...     inputs, rows, np.full(5, survey))).all()), len(table)
        (True, 15)
    """

    def build() -> NDArray[np.bool_]:
        width = len(inputs.customer_ids) * len(_CONSENTS)
        contacts, consents = inputs.tables.contacts, inputs.tables.consents
        asked = np.flatnonzero(
            inputs.known("contacts", "at") & (contacts["outcome"] == _DO_NOT_CONTACT)
        )
        latest_ask = np.full(width, np.iinfo(np.int64).min, dtype=np.int64)
        key = _purpose_key(contacts["customer"][asked], _TO_CONSENT[contacts["purpose"][asked]])
        np.maximum.at(latest_ask, key, contacts["at"][asked].view(np.int64))
        granted = np.flatnonzero(inputs.known("consents", "at") & consents["granted"])
        latest_grant = np.full(width, np.iinfo(np.int64).min, dtype=np.int64)
        key = _purpose_key(consents["customer"][granted], consents["purpose"][granted])
        np.maximum.at(latest_grant, key, consents["at"][granted].view(np.int64))
        stopped: NDArray[np.bool_] = (latest_ask > np.iinfo(np.int64).min) & (
            latest_grant <= latest_ask
        )
        return stopped

    return inputs.memo(("facts", "do_not_contact"), build)


def complaint_timeline(inputs: CareInputs) -> tuple[_Timeline, NDArray[np.int64]]:
    """The complaints known by the end of ``as_of`` by customer and day, and their days.

    Built once per inputs ([`CareInputs.memo`][aftersales_crm.care.CareInputs.memo]).

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import synthetic
        >>> known = CareInputs.of(synthetic.book(40, seed=1), start=date(2026, 6, 30))
        >>> _, filed = complaint_timeline(known)
        >>> len(filed) <= len(known.tables.complaints), filed.dtype
        (True, dtype('int64'))
    """

    def build() -> tuple[_Timeline, NDArray[np.int64]]:
        complaints = inputs.tables.complaints
        rows = np.flatnonzero(inputs.known("complaints", "at"))
        key = complaints["customer"][rows].astype(np.int64)
        on = _day_numbers(inputs.table_days("complaints", "at")[rows])
        order = _by_key(key, on)
        timeline = _Timeline(key, on, order, len(inputs.tables.customers))
        return timeline, on[order]

    return inputs.memo(("facts", "complaints"), build)


def complained(inputs: CareInputs) -> NDArray[np.bool_]:
    """Whether each customer (row of the customer table) filed a complaint known by the end of ``as_of``.

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import synthetic
        >>> inputs = CareInputs.of(synthetic.book(5, seed=1), start=date(2026, 6, 30))
        >>> complained(inputs).shape
        (5,)
    """
    timeline, _ = complaint_timeline(inputs)
    found: NDArray[np.bool_] = np.greater_equal(timeline.last, 0)
    return found


def last_complaint(
    inputs: CareInputs, customers: NDArray[np.int64], days: NDArray[np.datetime64]
) -> NDArray[np.datetime64]:
    """The day of each customer's latest complaint filed on or before the day (NaT for none).

    Only complaints filed by the end of ``as_of`` count.

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import synthetic
        >>> inputs = CareInputs.of(synthetic.book(5, seed=1), start=date(2026, 6, 30))
        >>> last_complaint(inputs, np.array([0]), np.array(["2026-06-30"], dtype="datetime64[D]")).dtype
        dtype('<M8[D]')
    """
    timeline, filed = complaint_timeline(inputs)
    at = timeline.latest(customers.astype(np.int64, copy=False), _day_numbers(days))
    out = np.full(len(at), np.datetime64("NaT"), dtype="datetime64[D]")
    found = at >= 0
    out[found] = filed[at[found]].astype("datetime64[D]")
    return out


def contact_days(
    inputs: CareInputs, customers: NDArray[np.int64], first: np.int64, *, reached_only: bool
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """The customer rows and day numbers of the contacts made that the cap counts.

    Contacts known by the end of ``as_of`` to the ``customers``, from the Monday of the
    ISO week or the first of the month of day ``first`` (a day number), whichever comes
    first: the contacts that share a week or a month with a task due on or after it.

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import synthetic
        >>> inputs = CareInputs.of(synthetic.book(5, seed=1), start=date(2026, 6, 30))
        >>> who, on = contact_days(inputs, np.arange(5), np.int64(20634), reached_only=False)
        >>> who.dtype, on.dtype
        (dtype('int64'), dtype('int64'))
    """
    contacts = inputs.tables.contacts
    on = inputs.table_days("contacts", "at").view(np.int64)
    monday = first - (first + 3) % 7
    month = np.array([first], dtype=np.int64).view("datetime64[D]").astype("datetime64[M]")
    since = min(int(monday), int(month.astype("datetime64[D]").view(np.int64)[0]))
    wanted = np.zeros(len(inputs.customer_ids), dtype=bool)
    wanted[customers] = True
    who = contacts["customer"].astype(np.int64)
    counted = inputs.known("contacts", "at") & (on >= since) & wanted[who]
    if reached_only:
        counted &= contacts["outcome"] == _REACHED
    return who[counted], on[counted]
