"""Survey responses as columns: one row per response, and the long table of their answers.

[`Responses`][aftersales_crm.satisfaction.Responses] is the scorers' input, read from the ``surveys``, ``survey_answers`` and
``survey_importance`` tables ([`Responses.from_tables`][aftersales_crm.satisfaction.Responses.from_tables]) or from
[`SurveyAnswered`][aftersales_crm.records.SurveyAnswered] records ([`Responses.from_records`][aftersales_crm.satisfaction.Responses.from_records]).
Staff's answers about what customers expect read the same way
([`Responses.from_staff_tables`][aftersales_crm.satisfaction.Responses.from_staff_tables], [`Responses.from_staff_records`][aftersales_crm.satisfaction.Responses.from_staff_records]), so that both
sides of gap 1 are checked against the instrument by one rule.
Repeated texts (instruments, dealers, advisors, items, factors) are kept as codes into
their distinct values, so that aggregating a million responses groups integers.

The instrument check lives here ([`Responses.ratings`][aftersales_crm.satisfaction.Responses.ratings]): an answer to an item the
instrument does not have, a rating outside its item's scale, a rating the item does not
ask for, or a second answer to the same item is an error naming the response, the item,
the value and the scale.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import Any, Final

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm._args import positions, tuple_of
from aftersales_crm.errors import InvalidType, InvalidValue
from aftersales_crm.records import StaffRole, StaffSurveyAnswered, SurveyAnswered
from aftersales_crm.satisfaction._columns import Kind, frozen, text_tuple
from aftersales_crm.satisfaction._instruments import Instrument, Scale
from aftersales_crm.tables import Tables
from aftersales_crm.values import NONE_CODE

__all__ = ["Ratings", "Responses"]

_SHOWN: Final = 3
"""How many offending answers an error message names before counting the rest."""

CUSTOMERS: Final = "survey response"
STAFF: Final = "staff survey response"
"""What a response is called in messages: a customer's, or a staff member's."""

_CHUNK: Final = 1 << 16
"""Values checked at a time by a whole-column test: 512 KiB of float64, held in cache."""


_KINDS: Final[dict[str, Kind]] = {
    "ids": "o",
    "instrument": "i",
    "customer": "o",
    "order": "o",
    "dealer": "i",
    "advisor": "i",
    "at": "M",
    "recommend": "f",
    "answer_of": "i",
    "item": "i",
    "perception": "f",
    "expectation": "f",
    "importance_of": "i",
    "factor": "i",
    "points": "f",
}
"""The kind of each column of [`Responses`][aftersales_crm.satisfaction.Responses]; the other fields are tuples of texts."""


def _within(name: str, codes: NDArray[np.int64], low: int, count: int) -> None:
    """Raise unless every code lies in ``low .. count - 1``."""
    if len(codes) and (int(codes.min()) < low or int(codes.max()) >= count):
        msg = f"Responses: {name} holds codes outside {low}..{count - 1}"
        raise InvalidValue(msg, code="invalid_responses")


def _codes(values: Sequence[str | None]) -> tuple[NDArray[np.int64], tuple[str, ...]]:
    """Texts as int64 codes into their distinct values in order of first appearance; None is -1."""
    names: dict[str, int] = {}
    codes = np.fromiter(
        (NONE_CODE if v is None else names.setdefault(v, len(names)) for v in values),
        dtype=np.int64,
        count=len(values),
    )
    return codes, tuple(names)


def _text_of(codes: NDArray[Any], names: tuple[str, ...]) -> NDArray[np.object_]:
    table = np.asarray([*names, None], dtype=object)
    out: NDArray[np.object_] = table[np.where(codes < 0, len(names), codes)]
    return out


def _floats(values: Sequence[int | None]) -> NDArray[np.float64]:
    return np.array([np.nan if v is None else v for v in values], dtype=np.float64)


def _utc(instants: Sequence[dt.datetime]) -> NDArray[np.datetime64]:
    return np.array(
        [at.astimezone(dt.UTC).replace(tzinfo=None) for at in instants], dtype="datetime64[us]"
    )


def _ints_or_nan(column: NDArray[Any]) -> NDArray[np.float64]:
    out = column.astype(np.float64)
    out[column == NONE_CODE] = np.nan
    return out


def _instrument_codes(table: Any) -> tuple[NDArray[np.int64], tuple[str, ...]]:
    """Each row's code into the distinct ``"<id>@<version>"`` keys of a table's label columns."""
    instrument_codes = np.asarray(table["instrument"])
    version_codes = np.asarray(table["version"])
    pairs = (
        np.stack([instrument_codes, version_codes], axis=1)
        if len(instrument_codes)
        else np.zeros((0, 2))
    )
    distinct, inverse = np.unique(pairs, axis=0, return_inverse=True)
    instrument_names, version_names = table.labels["instrument"], table.labels["version"]
    keys = tuple(
        f"{instrument_names[int(a)]}@{version_names[int(b)]}" for a, b in distinct.tolist()
    )
    return inverse.reshape(-1).astype(np.int64), keys


def _checked_tables(tables: object) -> Tables:
    if not isinstance(tables, Tables):
        msg = f"tables: expected Tables, got {type(tables).__name__}"
        raise InvalidType(msg)
    return tables


def _read(tables: Tables, responses: Any, answers: Any, *, parent: str) -> dict[str, Any]:
    """The columns customers' and staff's response tables share, and their answers' rows."""
    instrument, keys = _instrument_codes(responses)
    return {
        "ids": np.asarray(responses["id"], dtype=object),
        "instrument": instrument,
        "instruments": keys,
        "dealer": np.asarray(responses["dealer"]).astype(np.int64),
        "dealers": tuple(str(d) for d in np.asarray(tables.dealers["id"]).tolist()),
        "at": np.asarray(responses["at"], dtype="datetime64[us]"),
        "answer_of": np.asarray(answers[parent]).astype(np.int64),
        "item": np.asarray(answers["item"]).astype(np.int64),
        "items": tuple(answers.labels["item"]),
    }


def _roles(roles: object) -> tuple[StaffRole, ...] | None:
    """The staff roles asked for, checked; None for every role."""
    if roles is None:
        return None
    wanted = tuple_of(roles, parameter="roles")
    out = []
    for role in wanted:
        try:
            out.append(StaffRole(role))
        except ValueError:
            msg = f"roles names {role!r:.40}, not a staff role; the roles are {[r.value for r in StaffRole]}"
            raise InvalidValue(msg, code="invalid_argument") from None
    return tuple(out)


def _gather(
    owner: NDArray[np.int64], n_old: int, rows: NDArray[np.intp]
) -> tuple[NDArray[np.intp], NDArray[np.int64]]:
    """The long-table rows of responses ``rows`` (in their order) and their new owners."""
    order = np.argsort(owner, kind="stable")
    counts = np.bincount(owner, minlength=n_old)
    starts = np.cumsum(counts) - counts
    taken = counts[rows]
    total = int(taken.sum())
    offsets = np.cumsum(taken) - taken
    within = np.arange(total) - np.repeat(offsets, taken)
    picked = order[np.repeat(starts[rows], taken) + within]
    new_owner = np.repeat(np.arange(len(rows), dtype=np.int64), taken)
    return picked, new_owner


def _ascending(chunks: Iterable[NDArray[np.int64]]) -> bool:
    """Whether cells given chunk after chunk ascend, so that none repeats.

    They do when the answers are stored response by response, item by item.
    """
    last = -1
    for chunk in chunks:
        if chunk[0] <= last or not bool((chunk[1:] > chunk[:-1]).all()):
            return False
        last = int(chunk[-1])
    return True


def _whole(values: NDArray[np.float64]) -> bool:
    """Whether every finite value is a whole number (NaN is none), a cache-sized chunk at a time."""
    for start in range(0, len(values), _CHUNK):
        chunk = values[start : start + _CHUNK]
        if np.fmax.reduce(chunk - np.floor(chunk)) > 0:
            return False
    return True


@attrs.frozen(eq=False)
class Ratings:
    """The answers of responses to one instrument as matrices, reverse-scored items turned.

    Attributes:
        instrument: the instrument.
        perception: float64 array of shape (n_responses, n_items): each item's perception
            (``NaN`` when not answered), reverse-scored items already reversed.
        expectation: the same for expectations.
        importance: float64 array of shape (n_responses, n_factors): each respondent's
            importance points divided by their sum (``NaN`` for a respondent who gave none).

    Examples:
        >>> from aftersales_crm.satisfaction import SERVQUAL_1988
        >>> from datetime import datetime, timezone
        >>> from aftersales_crm.records import Answer, SurveyAnswered
        >>> r = SurveyAnswered(id="S1", instrument="servqual", version="1988", customer_id="C1",
        ...     dealer_id="D1", at=datetime(2026, 3, 1, tzinfo=timezone.utc),
        ...     answers=[Answer(item="sq10", perception=2, expectation=1)])
        >>> ratings = Responses.from_records([r]).ratings(SERVQUAL_1988)
        >>> ratings.perception[0, 9], ratings.expectation[0, 9]  # 8 − 2 and 8 − 1
        (np.float64(6.0), np.float64(7.0))
    """

    instrument: Instrument
    perception: NDArray[np.float64]
    expectation: NDArray[np.float64]
    importance: NDArray[np.float64]

    def __attrs_post_init__(self) -> None:
        given: object = self.instrument
        if not isinstance(given, Instrument):
            msg = f"Ratings: instrument is {given!r:.60}, expected an Instrument"
            raise InvalidType(msg)
        n_items, n_factors = len(self.instrument.items), len(self.instrument.factors)
        for name, width in (
            ("perception", n_items),
            ("expectation", n_items),
            ("importance", n_factors),
        ):
            matrix = frozen("Ratings", name, getattr(self, name), "f", ndim=2)
            if matrix.shape[1] != width or matrix.shape[0] != len(self.perception):
                msg = f"Ratings: {name} has shape {matrix.shape}, expected (n, {width})"
                raise InvalidValue(msg, code="invalid_argument")
            object.__setattr__(self, name, matrix)


@attrs.frozen(eq=False)
class Responses:
    """Survey responses in columns: one row per response, answers and importance in long tables.

    Texts that repeat are codes into tuples of their distinct values (``-1`` for none).
    Build them with [`from_tables`][aftersales_crm.satisfaction.Responses.from_tables] or [`from_records`][aftersales_crm.satisfaction.Responses.from_records]; [`take`][aftersales_crm.satisfaction.Responses.take] and [`of`][aftersales_crm.satisfaction.Responses.of]
    select responses.

    Attributes:
        ids: object array of shape (n,): each response's id.
        instrument: int64 codes into ``instruments``, each ``"<id>@<version>"``.
        instruments: the instrument keys.
        customer: object array of shape (n,): each respondent's customer id.
        order: object array of shape (n,): the repair order surveyed, or None.
        dealer: int64 codes into ``dealers``.
        dealers: the dealer ids.
        advisor: int64 codes into ``advisors`` (``-1`` for none).
        advisors: the service advisors' staff ids.
        at: ``datetime64[us]`` array of shape (n,): when each response was given, in UTC.
        recommend: float64 array of shape (n,): the 0–10 recommend score, ``NaN`` for none.
        answer_of: int64 array of shape (m,): the response row of each answer.
        item: int64 codes into ``items``: the item each answer answers.
        items: the item ids.
        perception: float64 array of shape (m,): each answer's perception, ``NaN`` for none.
        expectation: float64 array of shape (m,): each answer's expectation, ``NaN`` for none.
        importance_of: int64 array of shape (k,): the response row of each allocation.
        factor: int64 codes into ``factors``.
        factors: the factor ids.
        points: float64 array of shape (k,): each allocation's importance points.
        noun: what a response is called in messages: ``"survey response"`` for customers'
            answers, ``"staff survey response"`` for staff's (whose ``advisor`` is the
            staff member who answered and whose answers hold expectations only).

    Examples:
        >>> from aftersales_crm import synthetic
        >>> responses = Responses.from_tables(Tables.from_book(synthetic.book(30, seed=2)))
        >>> len(responses) > 0, responses.instruments
        (True, ('china_csi@2015', 'servqual@1991'))
    """

    ids: NDArray[np.object_]
    instrument: NDArray[np.int64]
    instruments: tuple[str, ...]
    customer: NDArray[np.object_]
    order: NDArray[np.object_]
    dealer: NDArray[np.int64]
    dealers: tuple[str, ...]
    advisor: NDArray[np.int64]
    advisors: tuple[str, ...]
    at: NDArray[np.datetime64]
    recommend: NDArray[np.float64]
    answer_of: NDArray[np.int64]
    item: NDArray[np.int64]
    items: tuple[str, ...]
    perception: NDArray[np.float64]
    expectation: NDArray[np.float64]
    importance_of: NDArray[np.int64]
    factor: NDArray[np.int64]
    factors: tuple[str, ...]
    points: NDArray[np.float64]
    noun: str = CUSTOMERS

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.noun, str) or self.noun not in (CUSTOMERS, STAFF):
            msg = f"Responses: noun is {self.noun!r:.60}, expected {CUSTOMERS!r} or {STAFF!r}"
            raise InvalidValue(msg, code="invalid_responses")
        for field in attrs.fields(Responses):
            if field.name == "noun":
                continue
            value = getattr(self, field.name)
            kind = _KINDS.get(field.name)
            checked = (
                text_tuple("Responses", field.name, value)
                if kind is None
                else frozen("Responses", field.name, value, kind)
            )
            object.__setattr__(self, field.name, checked)
        n = len(self.ids)
        for name in ("instrument", "customer", "order", "dealer", "advisor", "at", "recommend"):
            if len(getattr(self, name)) != n:
                msg = f"Responses: {name} has {len(getattr(self, name))} rows for {n} responses"
                raise InvalidValue(msg, code="invalid_responses")
        for owner, columns in (
            ("answer_of", ("item", "perception", "expectation")),
            ("importance_of", ("factor", "points")),
        ):
            rows = getattr(self, owner)
            if any(len(getattr(self, name)) != len(rows) for name in columns):
                msg = f"Responses: the columns of {owner} differ in length"
                raise InvalidValue(msg, code="invalid_responses")
            _within(owner, rows, 0, n)
        for codes, known, low in (
            ("instrument", "instruments", 0),
            ("dealer", "dealers", 0),
            ("advisor", "advisors", NONE_CODE),
            ("item", "items", 0),
            ("factor", "factors", 0),
        ):
            _within(codes, getattr(self, codes), low, len(getattr(self, known)))

    def __len__(self) -> int:
        """The number of responses."""
        return len(self.ids)

    def __eq__(self, other: object) -> bool:
        """Equal columns and names (``NaN`` equals ``NaN``)."""
        if not isinstance(other, Responses):
            return NotImplemented
        for field in attrs.fields(Responses):
            a, b = getattr(self, field.name), getattr(other, field.name)
            if isinstance(a, tuple | str):
                if a != b:
                    return False
            elif a.shape != b.shape or not (
                np.array_equal(a, b, equal_nan=True)
                if a.dtype.kind == "f"
                else np.array_equal(a, b)
            ):
                return False
        return True

    __hash__ = None  # type: ignore[assignment]  # mutable-looking arrays: not hashable

    # -- building ------------------------------------------------------------------------

    @classmethod
    def from_records(cls, records: Iterable[SurveyAnswered]) -> Responses:
        """Responses from [`SurveyAnswered`][aftersales_crm.records.SurveyAnswered] records, in order.

        Raises:
            InvalidType: an item is not a SurveyAnswered.

        Examples:
            >>> from datetime import datetime, timezone
            >>> from aftersales_crm.records import Answer, SurveyAnswered
            >>> r = SurveyAnswered(id="S1", instrument="nps", version="1", customer_id="C1",
            ...     dealer_id="D1", at=datetime(2026, 3, 1, tzinfo=timezone.utc),
            ...     answers=[Answer(item="recommend", perception=9)])
            >>> Responses.from_records([r]).perception.tolist()
            [9.0]
        """
        found = tuple_of(records, parameter="records")
        wrong = [type(r).__name__ for r in found if not isinstance(r, SurveyAnswered)]
        if wrong:
            msg = f"records: expected SurveyAnswered records, got {sorted(set(wrong))}"
            raise InvalidType(msg)
        instrument, instruments = _codes([f"{r.instrument}@{r.version}" for r in found])
        dealer, dealers = _codes([r.dealer_id for r in found])
        advisor, advisors = _codes([r.advisor for r in found])
        answers = [(i, a) for i, r in enumerate(found) for a in r.answers]
        allocations = [(i, p) for i, r in enumerate(found) for p in r.importance]
        item, items = _codes([a.item for _, a in answers])
        factor, factors = _codes([p.factor for _, p in allocations])
        return cls(
            ids=np.array([r.id for r in found], dtype=object),
            instrument=instrument,
            instruments=instruments,
            customer=np.array([r.customer_id for r in found], dtype=object),
            order=np.array([r.repair_order_id for r in found], dtype=object),
            dealer=dealer,
            dealers=dealers,
            advisor=advisor,
            advisors=advisors,
            at=_utc([r.at for r in found]),
            recommend=_floats([r.recommend for r in found]),
            answer_of=np.array([i for i, _ in answers], dtype=np.int64),
            item=item,
            items=items,
            perception=_floats([a.perception for _, a in answers]),
            expectation=_floats([a.expectation for _, a in answers]),
            importance_of=np.array([i for i, _ in allocations], dtype=np.int64),
            factor=factor,
            factors=factors,
            points=_floats([p.points for _, p in allocations]),
        )

    @classmethod
    def from_tables(cls, tables: Tables) -> Responses:
        """The responses of ``tables``: its ``surveys``, ``survey_answers`` and ``survey_importance``.

        Columnar throughout: references and labels stay codes.

        Raises:
            InvalidType: ``tables`` is not a [`Tables`][aftersales_crm.tables.Tables].

        Examples:
            >>> from aftersales_crm import synthetic
            >>> tables = Tables.from_book(synthetic.book(30, seed=2))
            >>> len(Responses.from_tables(tables)) == len(tables.surveys)
            True
        """
        tables = _checked_tables(tables)
        surveys, answers, importance = (
            tables.surveys,
            tables.survey_answers,
            tables.survey_importance,
        )
        customers = np.asarray(tables.customers["id"], dtype=object)
        orders = np.asarray(tables.orders["id"], dtype=object)
        advisor, advisors = _codes(list(surveys["advisor"]))
        order_rows = np.asarray(surveys["order"])
        order = np.full(len(order_rows), None, dtype=object)
        order[order_rows >= 0] = orders[order_rows[order_rows >= 0]]
        return cls(
            **_read(tables, surveys, answers, parent="survey"),
            customer=customers[np.asarray(surveys["customer"])],
            order=order,
            advisor=advisor,
            advisors=advisors,
            recommend=_ints_or_nan(np.asarray(surveys["recommend"])),
            perception=_ints_or_nan(np.asarray(answers["perception"])),
            expectation=_ints_or_nan(np.asarray(answers["expectation"])),
            importance_of=np.asarray(importance["survey"]).astype(np.int64),
            factor=np.asarray(importance["factor"]).astype(np.int64),
            factors=tuple(importance.labels["factor"]),
            points=np.asarray(importance["points"]).astype(np.float64),
        )

    @classmethod
    def from_staff_tables(
        cls, tables: Tables, *, roles: Collection[StaffRole | str] | None = None
    ) -> Responses:
        """Staff's beliefs of customers' expectations: the ``staff_surveys`` and ``staff_survey_answers`` of ``tables``.

        Each staff response becomes a response with no customer, order, recommend score
        or importance points; ``advisor`` holds the staff member who answered, and
        each answer its expectation (perceptions are NaN). Columnar throughout.

        Args:
            tables: the tables.
            roles: the staff roles to read (such as ``["manager"]``); every role by default.

        Raises:
            InvalidType: ``tables`` is not a [`Tables`][aftersales_crm.tables.Tables].
            InvalidValue: ``roles`` names something that is not a
                [`StaffRole`][aftersales_crm.records.StaffRole].

        Examples:
            >>> from aftersales_crm import synthetic
            >>> tables = Tables.from_book(synthetic.book(30, seed=2))
            >>> staff = Responses.from_staff_tables(tables, roles=["manager"])
            >>> staff.noun, len(staff) == len(tables.dealers), staff.instruments
            ('staff survey response', True, ('servqual@1991',))
        """
        tables = _checked_tables(tables)
        wanted = _roles(roles)
        staff, answers = tables.staff_surveys, tables.staff_survey_answers
        who, whos = _codes(list(staff["staff"]))
        out = cls._of_staff(
            **_read(tables, staff, answers, parent="staff_survey"),
            advisor=who,
            advisors=whos,
            expectation=np.asarray(answers["expectation"]).astype(np.float64),
        )
        if wanted is None:
            return out
        codes = [list(StaffRole).index(role) for role in wanted]
        return out.take(np.flatnonzero(np.isin(np.asarray(staff["role"]), codes)))

    @classmethod
    def from_staff_records(
        cls,
        records: Iterable[StaffSurveyAnswered],
        *,
        roles: Collection[StaffRole | str] | None = None,
    ) -> Responses:
        """Staff's beliefs of customers' expectations from [`StaffSurveyAnswered`][aftersales_crm.records.StaffSurveyAnswered] records, in order.

        Read as [`from_staff_tables`][aftersales_crm.satisfaction.Responses.from_staff_tables] reads the tables.

        Raises:
            InvalidType: an item is not a StaffSurveyAnswered.
            InvalidValue: ``roles`` names something that is not a staff role.

        Examples:
            >>> from datetime import datetime, timezone
            >>> from aftersales_crm.records import StaffAnswer, StaffSurveyAnswered
            >>> r = StaffSurveyAnswered(id="SS1", instrument="servqual", version="1991",
            ...     dealer_id="D1", staff="SM1", role="manager",
            ...     at=datetime(2026, 3, 1, tzinfo=timezone.utc),
            ...     answers=[StaffAnswer(item="sq01", expectation=6)])
            >>> staff = Responses.from_staff_records([r])
            >>> staff.expectation.tolist(), staff.perception.tolist(), staff.advisors
            ([6.0], [nan], ('SM1',))
        """
        found = tuple_of(records, parameter="records")
        wrong = [type(r).__name__ for r in found if not isinstance(r, StaffSurveyAnswered)]
        if wrong:
            msg = f"records: expected StaffSurveyAnswered records, got {sorted(set(wrong))}"
            raise InvalidType(msg)
        wanted = _roles(roles)
        kept = [r for r in found if wanted is None or r.role in wanted]
        instrument, instruments = _codes([f"{r.instrument}@{r.version}" for r in kept])
        dealer, dealers = _codes([r.dealer_id for r in kept])
        who, whos = _codes([r.staff for r in kept])
        answers = [(i, a) for i, r in enumerate(kept) for a in r.answers]
        item, items = _codes([a.item for _, a in answers])
        return cls._of_staff(
            ids=np.array([r.id for r in kept], dtype=object),
            instrument=instrument,
            instruments=instruments,
            dealer=dealer,
            dealers=dealers,
            advisor=who,
            advisors=whos,
            at=_utc([r.at for r in kept]),
            answer_of=np.array([i for i, _ in answers], dtype=np.int64),
            item=item,
            items=items,
            expectation=_floats([a.expectation for _, a in answers]),
        )

    @classmethod
    def _of_staff(
        cls, *, ids: NDArray[np.object_], answer_of: NDArray[np.int64], **columns: Any
    ) -> Responses:
        """Staff responses: no customer, order, recommend score, perception or importance."""
        n, m = len(ids), len(answer_of)
        return cls(
            ids=ids,
            customer=np.full(n, None, dtype=object),
            order=np.full(n, None, dtype=object),
            recommend=np.full(n, np.nan),
            answer_of=answer_of,
            perception=np.full(m, np.nan),
            importance_of=np.zeros(0, dtype=np.int64),
            factor=np.zeros(0, dtype=np.int64),
            factors=(),
            points=np.zeros(0),
            noun=STAFF,
            **columns,
        )

    # -- selecting -----------------------------------------------------------------------

    def take(self, rows: NDArray[np.intp]) -> Responses:
        """The responses at ``rows`` (positions, in that order), with their answers.

        Examples:
            >>> from aftersales_crm import synthetic
            >>> responses = Responses.from_tables(Tables.from_book(synthetic.book(30, seed=2)))
            >>> two = responses.take(np.array([1, 0]))
            >>> two.ids.tolist() == responses.ids[[1, 0]].tolist(), int(two.answer_of.max())
            (True, 1)
        """
        n = len(self)
        rows = positions(rows, n)
        picked, owner = _gather(self.answer_of, n, rows)
        allocated, allocation_owner = _gather(self.importance_of, n, rows)
        return attrs.evolve(
            self,
            ids=self.ids[rows],
            instrument=self.instrument[rows],
            customer=self.customer[rows],
            order=self.order[rows],
            dealer=self.dealer[rows],
            advisor=self.advisor[rows],
            at=self.at[rows],
            recommend=self.recommend[rows],
            answer_of=owner,
            item=self.item[picked],
            perception=self.perception[picked],
            expectation=self.expectation[picked],
            importance_of=allocation_owner,
            factor=self.factor[allocated],
            points=self.points[allocated],
        )

    def of(self, instrument: str | Instrument) -> Responses:
        """The responses to one instrument: by its id (any version) or its key ``"<id>@<version>"``.

        Examples:
            >>> from aftersales_crm import synthetic
            >>> responses = Responses.from_tables(Tables.from_book(synthetic.book(30, seed=2)))
            >>> csi, servqual = responses.of("china_csi"), responses.of("servqual@1991")
            >>> len(csi) + len(servqual) == len(responses), len(responses.of("nps@1"))
            (True, 0)
        """
        given: object = instrument
        if not isinstance(given, str | Instrument):
            msg = f"instrument is {given!r:.60}, expected an Instrument, its id or its key"
            raise InvalidType(msg)
        wanted = instrument.id if isinstance(instrument, Instrument) else instrument
        keys = [key == wanted or key.partition("@")[0] == wanted for key in self.instruments]
        hit = np.asarray(keys, dtype=bool)
        rows = np.flatnonzero(hit[self.instrument] if len(hit) else np.zeros(len(self), bool))
        return self.take(rows)

    def without_answers(self, rows: NDArray[np.intp]) -> Responses:
        """The same responses with those at ``rows`` stripped of every answer, allocation and recommend score.

        Examples:
            >>> from aftersales_crm import synthetic
            >>> responses = Responses.from_tables(Tables.from_book(synthetic.book(30, seed=2)))
            >>> stripped = responses.without_answers(np.array([0]))
            >>> bool((stripped.answer_of == 0).any()), bool(np.isnan(stripped.recommend[0]))
            (False, True)
        """
        gone = np.zeros(len(self), dtype=bool)
        gone[positions(rows, len(self))] = True
        kept = ~gone[self.answer_of]
        allocated = ~gone[self.importance_of]
        return attrs.evolve(
            self,
            recommend=np.where(gone, np.nan, self.recommend),
            answer_of=self.answer_of[kept],
            item=self.item[kept],
            perception=self.perception[kept],
            expectation=self.expectation[kept],
            importance_of=self.importance_of[allocated],
            factor=self.factor[allocated],
            points=self.points[allocated],
        )

    def instrument_keys(self) -> NDArray[np.object_]:
        """The instrument key of each response.

        Examples:
            >>> from aftersales_crm import synthetic
            >>> Responses.from_tables(Tables.from_book(synthetic.book(30, seed=2))).instrument_keys()[0]
            'china_csi@2015'
        """
        return _text_of(self.instrument, self.instruments)

    # -- the instrument check --------------------------------------------------------------

    def ratings(self, instrument: Instrument) -> Ratings:
        """The answers as matrices over ``instrument``'s items, checked against it.

        Args:
            instrument: the instrument every response answers (its id; any version whose
                answers fit its items).

        Returns:
            The [`Ratings`][aftersales_crm.satisfaction.Ratings]: perceptions and expectations by response and item, with
            reverse-scored items reversed, and the normalised importance points.

        Raises:
            InvalidValue: a response answers another instrument; an answer is to an item
                the instrument does not have, outside its item's scale, a rating the item
                does not ask for, or a second answer to the same item; importance points go
                to a factor the instrument does not have. The message names the response,
                the item, the value and the scale, and counts the others.

        Examples:
            >>> from datetime import datetime, timezone
            >>> from aftersales_crm.records import Answer, SurveyAnswered
            >>> from aftersales_crm.satisfaction import SERVQUAL
            >>> r = SurveyAnswered(id="S7", instrument="servqual", version="1991", customer_id="C1",
            ...     dealer_id="D1", at=datetime(2026, 3, 1, tzinfo=timezone.utc),
            ...     answers=[Answer(item="sq03", perception=9, expectation=7)])
            >>> Responses.from_records([r]).ratings(SERVQUAL)
            Traceback (most recent call last):
            ...
            aftersales_crm.errors.InvalidValue: an answer breaks instrument servqual@1991: survey response S7, item sq03: perception 9 is outside the item's scale 1–7
        """
        given: object = instrument
        if not isinstance(given, Instrument):
            msg = f"instrument is {given!r:.60}, expected an Instrument"
            raise InvalidType(msg)
        n, items = len(self), instrument.items
        self._check_instrument(instrument)
        if self.items == instrument.item_ids[: len(self.items)]:  # the codes are the positions
            where = self.item.astype(np.intp, copy=False)
        else:
            position = {item_id: j for j, item_id in enumerate(instrument.item_ids)}
            known = np.array([position.get(i, -1) for i in self.items] + [-1], dtype=np.intp)
            where = known[self.item] if len(self.item) else np.zeros(0, dtype=np.intp)
        if not self._fits(instrument, where):
            self._explain(instrument, where)
        perception = np.full((n, len(items)), np.nan)
        expectation = np.full((n, len(items)), np.nan)
        expected = len(where) > 0 and not np.isnan(np.fmax.reduce(self.expectation))
        for part, cells in self._cells(where, len(items)):
            perception.reshape(-1)[cells] = self.perception[part]
            if expected:
                expectation.reshape(-1)[cells] = self.expectation[part]
        for j, item in enumerate(items):
            if item.reverse:
                perception[:, j] = item.scale.reverse(perception[:, j])
                expectation[:, j] = item.scale.reverse(expectation[:, j])
        return Ratings(instrument, perception, expectation, self._importance(instrument))

    def _cells(
        self, where: NDArray[np.intp], width: int
    ) -> Iterator[tuple[slice, NDArray[np.int64]]]:
        """Each answer's cell in the (response, item) matrices, row after row, by chunks."""
        for start in range(0, len(where), _CHUNK):
            part = slice(start, start + _CHUNK)
            yield part, self.answer_of[part] * width + where[part]

    def _fits(self, instrument: Instrument, where: NDArray[np.intp]) -> bool:
        """Whether every answer plainly fits ``instrument``: the quick proof before ``_explain``.

        True when every item is known, no cell is answered twice, and the perceptions and
        expectations lie on the one scale all the items share, where asked for. False
        when it cannot tell so at a glance (items on different scales, some asking for
        expectations and some not): ``_explain`` then checks answer by answer.
        """
        if not len(where):
            return True
        if int(where.min()) < 0:
            return False
        width = len(instrument.items)
        if not _ascending(cells for _, cells in self._cells(where, width)):
            counts = np.bincount(self.answer_of * width + where, minlength=len(self) * width)
            if int(counts.max()) > 1:  # a cell answered twice
                return False
        items = instrument.items
        if len({item.scale for item in items}) > 1:
            return False
        scale = items[0].scale
        for values, asks in (
            (self.perception, {item.asks.perception for item in items}),
            (self.expectation, {item.asks.expectation for item in items}),
        ):
            low, high = np.fmin.reduce(values), np.fmax.reduce(values)  # NaN: none given
            if np.isnan(low):
                continue
            if asks != {True} or not (scale.low <= low and high <= scale.high):
                return False
            if not _whole(values):
                return False
        return True

    def _explain(self, instrument: Instrument, where: NDArray[np.intp]) -> None:
        """Check the answers one by one and refuse the first rule broken, naming its answers."""
        n, items = len(self), instrument.items
        unknown = np.flatnonzero(where < 0)
        if len(unknown):
            self._refuse(
                instrument,
                unknown,
                lambda k: (
                    f"item {self.items[self.item[k]]} is not an item of the instrument"
                    f" (its items: {', '.join(instrument.item_ids[:4])}…)"
                ),
            )
        # A cell written twice keeps the later answer's position: the earlier one is a repeat.
        order = np.arange(len(where), dtype=np.float64)
        cells = np.full((n, len(items)), np.nan)
        cells[self.answer_of, where] = order
        twice = np.flatnonzero(cells[self.answer_of, where] != order)
        if len(twice):
            self._refuse(
                instrument, twice, lambda k: f"item {items[where[k]].id} is answered twice"
            )
        lows = np.array([i.scale.low for i in items], dtype=np.float64)[where]
        highs = np.array([i.scale.high for i in items], dtype=np.float64)[where]
        for name, values, allowed in (
            ("perception", self.perception, np.array([i.asks.perception for i in items], bool)),
            ("expectation", self.expectation, np.array([i.asks.expectation for i in items], bool)),
        ):
            given = ~np.isnan(values)
            extra = np.flatnonzero(given & ~allowed[where])
            if len(extra):
                self._refuse(
                    instrument,
                    extra,
                    lambda k, name=name, values=values: (
                        f"item {items[where[k]].id} asks for no {name}, got {values[k]:g}"
                    ),
                )
            with np.errstate(invalid="ignore"):
                outside = given & (
                    (values < lows) | (values > highs) | (values != np.floor(values))
                )
            bad = np.flatnonzero(outside)
            if len(bad):
                self._refuse(
                    instrument,
                    bad,
                    lambda k, name=name, values=values: (
                        f"item {items[where[k]].id}: {name} {values[k]:g} is outside the item's"
                        f" scale {items[where[k]].scale.name}"
                    ),
                )

    def _check_instrument(self, instrument: Instrument) -> None:
        other = [
            j for j, key in enumerate(self.instruments) if key.partition("@")[0] != instrument.id
        ]
        if not other:
            return
        rows = np.flatnonzero(np.isin(self.instrument, other))
        if not len(rows):
            return
        first = int(rows[0])
        msg = (
            f"{len(rows)} responses answer another instrument than {instrument.id}; the first:"
            f" {self.noun} {self.ids[first]} answers {self.instruments[self.instrument[first]]}."
            f" Select the responses of one instrument with Responses.of({instrument.id!r})"
        )
        raise InvalidValue(msg, code="other_instrument")

    def _refuse(self, instrument: Instrument, answers: NDArray[np.intp], what: Any) -> None:
        shown = "; ".join(
            f"{self.noun} {self.ids[self.answer_of[k]]}, {what(int(k))}"
            for k in answers[:_SHOWN].tolist()
        )
        more = f" (and {len(answers) - _SHOWN} more)" if len(answers) > _SHOWN else ""
        noun = "an answer breaks" if len(answers) == 1 else f"{len(answers)} answers break"
        msg = f"{noun} instrument {instrument.key}: {shown}{more}"
        raise InvalidValue(msg, code="survey_answer")

    def _importance(self, instrument: Instrument) -> NDArray[np.float64]:
        n, factors = len(self), instrument.factor_ids
        position = {factor_id: f for f, factor_id in enumerate(factors)}
        known = np.array([position.get(name, -1) for name in self.factors] + [-1], dtype=np.intp)
        where = known[self.factor] if len(self.factor) else np.zeros(0, dtype=np.intp)
        unknown = np.flatnonzero(where < 0)
        if len(unknown):
            k = int(unknown[0])
            msg = (
                f"{self.noun} {self.ids[self.importance_of[k]]} gives importance points to"
                f" factor {self.factors[self.factor[k]]}, which instrument {instrument.key} does"
                f" not have; its factors are {list(factors)}"
            )
            raise InvalidValue(msg, code="survey_answer")
        if not len(where):
            return np.full((n, len(factors)), np.nan)
        # Each respondent's points by factor, summed in the order given (as np.add.at does).
        cells = self.importance_of * len(factors) + where
        points = np.bincount(cells, weights=self.points, minlength=n * len(factors))
        points = points.reshape(n, len(factors))
        total = points.sum(axis=1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            out: NDArray[np.float64] = np.where(total > 0, points / total, np.nan)
        return out


def scale_bounds(scales: Sequence[Scale]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The lows and highs of ``scales``, as float arrays.

    Examples:
        >>> from aftersales_crm.satisfaction import SEVEN_POINT, TEN_POINT
        >>> [a.tolist() for a in scale_bounds([SEVEN_POINT, TEN_POINT])]
        [[1.0, 1.0], [7.0, 10.0]]
    """
    return (
        np.array([s.low for s in scales], dtype=np.float64),
        np.array([s.high for s in scales], dtype=np.float64),
    )
