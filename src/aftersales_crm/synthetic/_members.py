"""The owners' club, drawn as columns: chapters and each member's life.

Every dealer with the full after-sales function fronts one chapter, as the enrolment rate
of the training material counts them. Individual owners served by such a dealer apply to
its chapter some time after their first purchase (never before the club opened); most
join, a few applications are withdrawn; some members move once to another chapter, some
lapse and a quarter of those come back. Every number is in ``._world``.

Each member has at most one fact of each kind, on distinct days in business hours, Beijing
time, so that every life is one the rules of [`aftersales_crm.membership`][aftersales_crm.membership] allow.
The draw reads its own random stream, so the other tables of a seed are the same with or
without it.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from aftersales_crm.records import CustomerKind, LapseReason
from aftersales_crm.synthetic import _world as w
from aftersales_crm.synthetic._draws import Columns
from aftersales_crm.synthetic._identifiers import digits

__all__ = ["Club", "draw_club"]

_US_PER_SECOND = 1_000_000
_SECONDS_PER_DAY = 86_400
_INDIVIDUAL = list(CustomerKind).index(CustomerKind.INDIVIDUAL)
_REASONS = list(LapseReason)


class Club(NamedTuple):
    """The club's tables' columns: chapters and the five kinds of member fact."""

    chapters: Columns
    members: Columns
    joins: Columns
    transfers: Columns
    lapses: Columns
    reactivations: Columns


def _instants(rng: np.random.Generator, days: NDArray[np.int64]) -> NDArray[np.datetime64]:
    """A moment in business hours, Beijing time, on each day, as UTC ``datetime64[us]``."""
    first, last = w.CLUB_HOURS
    seconds = rng.integers(first * 3_600, last * 3_600, len(days))
    local = days * _SECONDS_PER_DAY + seconds - w.UTC_OFFSET_S
    return (local * _US_PER_SECOND).astype("datetime64[us]")


def _later(
    rng: np.random.Generator, days: NDArray[np.int64], span: tuple[int, int]
) -> NDArray[np.int64]:
    return days + rng.integers(span[0], span[1], len(days))


def draw_club(
    rng: np.random.Generator,
    dealers: Columns,
    customers: Columns,
    home_dealer: NDArray[np.int64],
    ownerships: Columns,
    end: np.int64,
) -> Club:
    """The chapters and the member facts of the synthetic club, up to ``end``.

    Args:
        rng: the club's own random stream.
        dealers: the dealers table's columns.
        customers: the customers table's columns.
        home_dealer: int64 array of shape (n_customers,), each customer's home dealer row.
        ownerships: the ownerships table's columns (the first purchase opens the way in).
        end: ``as_of`` as a day number since 1970; nothing happens after it.

    Returns:
        The columns of the ``chapters``, ``members``, ``member_joins``,
        ``member_transfers``, ``member_lapses`` and ``member_reactivations`` tables.
    """
    full = np.flatnonzero(dealers["full_after_sales"])
    chapter_of_dealer = np.full(len(dealers["id"]), -1, dtype=np.int64)
    chapter_of_dealer[full] = np.arange(len(full))
    chapters: Columns = {
        "id": np.char.add("CH", dealers["id"][full]),
        "dealer": full.astype(np.int64),
        "name": np.array(
            [f"{name}车友会" for name in dealers["name"][full].tolist()], dtype=object
        ),
        "founded_on": np.full(len(full), np.datetime64("NaT"), dtype="datetime64[D]"),
    }
    n = len(home_dealer)
    first_purchase = np.full(n, end + 1, dtype=np.int64)
    np.minimum.at(first_purchase, ownerships["customer"], ownerships["start"].astype(np.int64))
    chapter = chapter_of_dealer[home_dealer]
    may = (customers["kind"] == _INDIVIDUAL) & (chapter >= 0) & (first_purchase <= end)
    applies = may & (rng.random(n) < w.APPLY_SHARE)
    who = np.flatnonzero(applies)
    m = len(who)
    opened = end - w.CLUB_OPEN_DAYS
    applied = np.maximum(first_purchase[who], opened) + rng.exponential(
        w.APPLY_MEAN_DAYS, m
    ).astype(np.int64)
    keep = applied <= end
    who, applied = who[keep], applied[keep]
    m = len(who)
    member_chapter = chapter[who]
    referred_by = np.full(m, -1, dtype=np.int64)
    by_day = np.argsort(applied, kind="stable")
    rank = np.empty(m, dtype=np.int64)
    rank[by_day] = np.arange(m)
    referred = (rng.random(m) < w.REFERRED_SHARE) & (rank > 0)
    earlier = np.floor(rng.random(m) * rank).astype(np.int64)
    referred_by[referred] = by_day[earlier[referred]]
    members: Columns = {
        "id": _ids(who, max(7, len(str(max(n - 1, 0)))), "M"),
        "customer": who.astype(np.int64),
        "chapter": member_chapter,
        "at": _instants(rng, applied),
        "referred_by": referred_by,
    }
    # Joining, or withdrawing the application.
    joins_now = rng.random(m) < w.JOIN_SHARE
    joined = _later(rng, applied, w.JOIN_DAYS)
    is_joined = joins_now & (joined <= end)
    withdrawn = _later(rng, applied, w.WITHDRAW_DAYS)
    is_withdrawn = ~joins_now & (rng.random(m) < w.WITHDRAW_SHARE) & (withdrawn <= end)
    # Moving once to another chapter.
    n_chapters = len(full)
    transferred = _later(rng, joined, w.TRANSFER_DAYS)
    is_transferred = (
        is_joined & (rng.random(m) < w.TRANSFER_SHARE) & (transferred <= end) & (n_chapters > 1)
    )
    step = rng.integers(1, max(n_chapters, 2), m)  # another chapter: a non-zero step round
    to_chapter = (member_chapter + step) % max(n_chapters, 1)
    # Lapsing after the last step, and coming back.
    last_step = np.where(is_transferred, transferred, joined)
    lapsed = _later(rng, last_step, w.LAPSE_DAYS)
    is_lapsed = is_joined & (rng.random(m) < w.LAPSE_SHARE) & (lapsed <= end)
    shares = np.array(list(w.LAPSE_REASONS.values()))
    reason_of = np.array([_REASONS.index(LapseReason(r)) for r in w.LAPSE_REASONS], dtype=np.int8)
    reason = reason_of[rng.choice(len(shares), m, p=shares / shares.sum())]
    back = _later(rng, lapsed, w.REACTIVATE_DAYS)
    is_back = is_lapsed & (rng.random(m) < w.REACTIVATE_SHARE) & (back <= end)
    lapse_rows = np.flatnonzero(is_lapsed | is_withdrawn)
    lapse_day = np.where(is_lapsed, lapsed, withdrawn)[lapse_rows]
    lapse_reason = np.where(
        is_lapsed[lapse_rows], reason[lapse_rows], _REASONS.index(LapseReason.WITHDRAWN)
    ).astype(np.int8)
    width = len(members["id"][0]) - 1 if m else 7
    return Club(
        chapters=chapters,
        members=members,
        joins=_facts(rng, "J", who, is_joined, joined, width),
        transfers=_with(
            _facts(rng, "T", who, is_transferred, transferred, width),
            "to_chapter",
            to_chapter[is_transferred],
        ),
        lapses={
            "id": _ids(who[lapse_rows], width, "L"),
            "member": lapse_rows.astype(np.int64),
            "at": _instants(rng, lapse_day),
            "reason": lapse_reason,
        },
        reactivations=_facts(rng, "V", who, is_back, back, width),
    )


def _facts(
    rng: np.random.Generator,
    prefix: str,
    who: NDArray[np.int64],
    happens: NDArray[np.bool_],
    day: NDArray[np.int64],
    width: int,
) -> dict[str, NDArray[Any]]:
    """The id, member and instant columns of one kind of fact, for the members it happens to."""
    rows = np.flatnonzero(happens)
    return {
        "id": _ids(who[rows], width, prefix),
        "member": rows.astype(np.int64),
        "at": _instants(rng, day[rows]),
    }


def _with(columns: Columns, name: str, values: NDArray[Any]) -> Columns:
    """``columns`` with one more column, put before the instant as the schema has it."""
    at = columns.pop("at")
    return {**columns, name: values, "at": at}


def _ids(rows: NDArray[np.int64], width: int, prefix: str) -> NDArray[np.str_]:
    """Ids of ``prefix`` and the customer's row; an empty column is as narrow as the ingest's."""
    return digits(rows, width, prefix) if len(rows) else np.empty(0, dtype="<U1")
