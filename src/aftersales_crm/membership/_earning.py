"""Points rules: what earns club points, how many, funded by whom, pending and expiring when.

A points rule reads the customer base's tables (repair orders and their lines, club
activities, referrals; answered surveys as a column of their own until the library has
surveys) and returns [`Awards`][aftersales_crm.membership.Awards]: one award per source (a repair order, an activity
attendance, a referral, a survey answer), whatever the order or repetition the facts
arrive in, in whole points, with the instant, funder, dealer, pending-until day and
expiry day of each.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any, ClassVar, Final

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm._args import as_of_date, to_time_zone
from aftersales_crm._display import Displayed
from aftersales_crm._optional import require
from aftersales_crm._params import (
    Constraint,
    OneOf,
    OrNone,
    SubsetOf,
    TimeZone,
    Whole,
    validate_params,
)
from aftersales_crm._params import _Broken as Broken
from aftersales_crm._policy import BasePolicy, PolicyKind
from aftersales_crm.errors import InvalidType, InvalidValue
from aftersales_crm.features import DEFAULT_TIME_ZONE, add_months, business_dates
from aftersales_crm.features._calendar import ZoneOffsets
from aftersales_crm.records import MAX_POINTS, PointsEarned
from aftersales_crm.tables import Tables
from aftersales_crm.values import PayType, ServiceKind, currency_exponent

__all__ = ["SOURCE_KINDS", "Awards", "PointsRule"]

SOURCE_KINDS: Final = ("service", "activity", "referral", "survey")
"""What earns points: a customer-pay repair order, an activity attended, a referral whose
vehicle was delivered, an answered survey. A source id is ``"<kind>:<id>"``."""

_US_PER_DAY: Final = 86_400_000_000
_NAT: Final = np.iinfo(np.int64).min
_FUNDERS: Final = ("hq", "dealer", "partner")
_EXPIRY: Final = ("after_months", "month_end", "year_end", "never")
_PERIODS: Final = ("month", "year")
_PAIR: Final = 2
_SAFE: Final = 1 << 62
"""Products of fen and a rate numerator below this stay exact in int64."""


def _text(values: Any, *, parameter: str) -> NDArray[np.str_]:
    if isinstance(values, str | bytes) or not isinstance(values, np.ndarray | list | tuple):
        msg = f"Awards {parameter}: expected an array of texts, got {type(values).__name__}"
        raise InvalidValue(msg, code="awards_value")
    try:
        out = np.array(values, dtype=np.str_)
    except (TypeError, ValueError) as exc:
        msg = f"Awards {parameter}: {exc}"
        raise InvalidValue(msg, code="awards_value") from None
    if out.ndim != 1:
        msg = f"Awards {parameter}: expected one text per award, got shape {out.shape}"
        raise InvalidValue(msg, code="awards_shape")
    out.flags.writeable = False
    return out


def _frozen(values: Any, dtype: str, parameter: str) -> NDArray[Any]:
    if isinstance(values, str | bytes) or not isinstance(values, np.ndarray | list | tuple):
        msg = f"Awards {parameter}: expected an array, got {type(values).__name__}"
        raise InvalidValue(msg, code="awards_value")
    try:
        out = np.array(values, dtype=dtype)
    except (TypeError, ValueError) as exc:
        msg = f"Awards {parameter}: {exc}"
        raise InvalidValue(msg, code="awards_value") from None
    if out.ndim != 1:
        msg = f"Awards {parameter}: expected one value per award, got shape {out.shape}"
        raise InvalidValue(msg, code="awards_shape")
    out.flags.writeable = False
    return out


def _texts(values: Any) -> NDArray[np.str_]:
    return _text(values, parameter="texts")


def _points(values: Any) -> NDArray[np.int64]:
    return _frozen(values, "int64", "amount")


def _instants_column(values: Any) -> NDArray[np.datetime64]:
    return _frozen(values, "datetime64[us]", "instants")


def _days_column(values: Any) -> NDArray[np.datetime64]:
    return _frozen(values, "datetime64[D]", "expires_on")


_COLUMNS: Final = (
    "member_id",
    "source_id",
    "source_kind",
    "amount",
    "at",
    "funder",
    "dealer_id",
    "pending_until",
    "expires_on",
)


@attrs.frozen(eq=False, repr=False)
class Awards(Displayed):
    """Points awarded: one row per source, in source-id order, as columns.

    The arrays carry the names of the fields of a points-earned entry, so each row
    becomes one entry of a member's ledger.

    Attributes:
        member_id: text array: the member the points go to.
        source_id: text array: ``"<kind>:<id>"`` of what earned them (``"service:RO1"``);
            unique.
        source_kind: text array: ``service``, ``activity``, ``referral`` or ``survey``.
        amount: int64 array: whole points, each above 0.
        at: ``datetime64[us]`` array: the instant earned, in UTC.
        funder: text array: who pays for the points, ``hq``, ``dealer`` or ``partner``.
        dealer_id: text array: the dealer where earned, ``""`` when none (an activity).
        pending_until: ``datetime64[us]`` array: the points are spendable from this
            instant (UTC), NaT when at once.
        expires_on: ``datetime64[D]`` array: the points expire at the end of this day in
            the programme's time zone, NaT when never.

    Examples:
        >>> awards = Awards.from_columns(member_id=["M1"], source_id=["service:RO1"],
        ...     source_kind=["service"], amount=[120], at=["2026-03-01T02:00"],
        ...     funder=["hq"], dealer_id=["D1"], pending_until=["NaT"],
        ...     expires_on=["2027-12-31"])
        >>> len(awards), awards.total(), awards.row(0)["expires_on"]
        (1, 120, datetime.date(2027, 12, 31))
    """

    member_id: NDArray[np.str_] = attrs.field(converter=_texts)
    source_id: NDArray[np.str_] = attrs.field(converter=_texts)
    source_kind: NDArray[np.str_] = attrs.field(converter=_texts)
    amount: NDArray[np.int64] = attrs.field(converter=_points)
    at: NDArray[np.datetime64] = attrs.field(converter=_instants_column)
    funder: NDArray[np.str_] = attrs.field(converter=_texts)
    dealer_id: NDArray[np.str_] = attrs.field(converter=_texts)
    pending_until: NDArray[np.datetime64] = attrs.field(converter=_instants_column)
    expires_on: NDArray[np.datetime64] = attrs.field(converter=_days_column)

    def __attrs_post_init__(self) -> None:
        lengths = {name: len(getattr(self, name)) for name in _COLUMNS}
        if len(set(lengths.values())) > 1:
            msg = f"Awards columns differ in length: {lengths}"
            raise InvalidValue(msg, code="awards_shape")
        if len(self.amount) and int(self.amount.min()) <= 0:
            row = int(np.argmin(self.amount))
            msg = (
                f"Awards row {row} ({self.source_id[row]}): amount is {int(self.amount[row])},"
                " an award is a whole number of points above 0"
            )
            raise InvalidValue(msg, code="awards_amount")
        ids, counts = np.unique(self.source_id, return_counts=True)
        if len(ids) and counts.max() > 1:
            msg = f"Awards: source {str(ids[np.argmax(counts)])!r} is awarded {counts.max()} times; a source earns once"
            raise InvalidValue(msg, code="awards_source")

    @classmethod
    def from_columns(cls, **columns: Any) -> Awards:
        """Awards from one array-like per column (texts, ints, ISO texts or datetime64).

        Raises:
            InvalidValue: a column is missing or unknown, the lengths differ, an amount
                is not above 0 or a source repeats.

        Examples:
            >>> Awards.from_columns(member_id=[])
            Traceback (most recent call last):
            ...
            aftersales_crm.errors.InvalidValue: Awards needs the columns ['source_id', ...
        """
        missing = [name for name in _COLUMNS if name not in columns]
        unknown = sorted(set(columns) - set(_COLUMNS))
        if missing or unknown:
            msg = f"Awards needs the columns {missing}" + (
                f" and has no columns {unknown}" if unknown else ""
            )
            raise InvalidValue(msg, code="awards_columns")
        return cls(**{name: columns[name] for name in _COLUMNS})

    @classmethod
    def empty(cls) -> Awards:
        """No awards.

        Examples:
            >>> len(Awards.empty()), Awards.empty().total()
            (0, 0)
        """
        return cls.from_columns(**{name: [] for name in _COLUMNS})

    def __len__(self) -> int:
        """Number of awards."""
        return len(self.source_id)

    def __eq__(self, other: object) -> bool:
        """Same awards, column by column (NaT equals NaT)."""
        if not isinstance(other, Awards):
            return NotImplemented
        return all(
            np.array_equal(getattr(self, name), getattr(other, name), equal_nan=name in _TIMES)
            for name in _COLUMNS
        )

    def __hash__(self) -> int:
        """Hash by the number of awards and their total."""
        return hash((len(self), self.total()))

    def __repr__(self) -> str:
        """``Awards(3 awards, 420 points)``."""
        return f"Awards({len(self)} awards, {self.total()} points)"

    def total(self) -> int:
        """All points awarded, as a Python int (exact at any size).

        Examples:
            >>> Awards.empty().total()
            0
        """
        return int(self.amount.sum(dtype=np.int64))

    def by(self, column: str) -> dict[str, int]:
        """Points per value of a text column (``"source_kind"``, ``"funder"``, ``"member_id"``…).

        Examples:
            >>> Awards.empty().by("funder")
            {}
        """
        if column not in ("member_id", "source_kind", "funder", "dealer_id", "source_id"):
            msg = f"Awards.by: column {column!r} is not a text column of the awards"
            raise InvalidValue(msg, code="unknown_column")
        keys, where = np.unique(getattr(self, column), return_inverse=True)
        sums = np.zeros(len(keys), dtype=np.int64)
        np.add.at(sums, where, self.amount)
        return {str(k): int(v) for k, v in zip(keys, sums, strict=True)}

    def to_entries(
        self, *, dealer_id: str | Mapping[str, str] | None = None
    ) -> tuple[PointsEarned, ...]:
        """The awards as ledger entries: one ``PointsEarned`` each.

        An entry's id is ``"PE:"`` and the award's source id, so the same source gives the
        same entry however often the awards are made, and a ledger takes it once. An award
        tied to no dealer (an activity, a survey) is booked to ``dealer_id``: one dealer
        for all, or a mapping from member id to dealer (the member's chapter's dealer).

        Args:
            dealer_id: where awards without a dealer are booked.

        Returns:
            The entries, in the order of the awards.

        Raises:
            InvalidValue: an award has no dealer and ``dealer_id`` names none for its
                member, or an entry breaks a rule of ``PointsEarned``.

        Examples:
            >>> from datetime import datetime, timezone
            >>> awards = Awards.from_columns(
            ...     member_id=["M1", "M2"], source_id=["service:RO1", "activity:A1"],
            ...     source_kind=["service", "activity"], amount=[120, 50],
            ...     at=np.array(["2026-03-01T02:00", "2026-03-02T08:00"], "datetime64[us]"),
            ...     funder=["hq", "hq"], dealer_id=["D1", ""],
            ...     pending_until=np.array(["NaT", "NaT"], "datetime64[us]"),
            ...     expires_on=np.array(["2027-12-31", "2027-12-31"], "datetime64[D]"),
            ... )
            >>> [(e.id, e.dealer_id) for e in awards.to_entries(dealer_id={"M2": "D2"})]
            [('PE:service:RO1', 'D1'), ('PE:activity:A1', 'D2')]
        """
        out = []
        for i in range(len(self)):
            row = self.row(i)
            if not row["dealer_id"]:
                where = (
                    dealer_id.get(row["member_id"]) if isinstance(dealer_id, Mapping) else dealer_id
                )
                if not where:
                    msg = (
                        f"award {row['source_id']} of member {row['member_id']} has no dealer: "
                        "give dealer_id, one dealer or one per member"
                    )
                    raise InvalidValue(msg, code="award_dealer")
                row["dealer_id"] = where
            source = row.pop("source_id")
            row.pop("source_kind")
            out.append(PointsEarned(id=f"PE:{source}", source_id=source, **row))
        return tuple(out)

    def row(self, i: int) -> dict[str, Any]:
        """Award ``i`` as plain Python values (dates, aware UTC datetimes, None for NaT).

        Examples:
            >>> Awards.empty().row(0)
            Traceback (most recent call last):
            ...
            aftersales_crm.errors.InvalidValue: row 0 is not one of the 0 awards
        """
        if not isinstance(i, int) or not -len(self) <= i < len(self):
            msg = f"row {i!r} is not one of the {len(self)} awards"
            raise InvalidValue(msg, code="invalid_argument")
        out: dict[str, Any] = {}
        for name in _COLUMNS:
            value = getattr(self, name)[i]
            if name in _TIMES:
                if np.isnat(value):
                    out[name] = None
                elif name == "expires_on":
                    out[name] = value.astype(dt.date)
                else:
                    out[name] = value.astype(dt.datetime).replace(tzinfo=dt.UTC)
            elif name == "amount":
                out[name] = int(value)
            else:
                out[name] = str(value)
        return out

    def take(self, rows: NDArray[np.intp]) -> Awards:
        """The awards of rows ``rows``.

        Examples:
            >>> len(Awards.empty().take(np.arange(0)))
            0
        """
        return Awards(**{name: getattr(self, name)[rows] for name in _COLUMNS})

    def to_pandas(self) -> Any:
        """A pandas DataFrame, one row per award (needs the ``pandas`` extra).

        Examples:
            >>> list(Awards.empty().to_pandas().columns)[:3]
            ['member_id', 'source_id', 'source_kind']
        """
        pd = require("pandas", extra="pandas")
        return pd.DataFrame({name: getattr(self, name) for name in _COLUMNS})


_TIMES: Final = frozenset({"at", "pending_until", "expires_on"})


class _Pairs(Constraint):
    """Pairs ``(name, value)`` (or a mapping) with names from ``options`` and checked values."""

    def __init__(self, options: tuple[str, ...] | None, value: Constraint, what: str) -> None:
        self.options = options
        self.value = value
        self.what = what

    @property
    def rule(self) -> str:
        names = f"names of {self.options}" if self.options else "names"
        return f"expected {self.what}: pairs (or a mapping) of {names} to {self.value.rule[9:]}"

    def check(self, value: Any, params: Mapping[str, Any]) -> dict[str, Any]:
        items = value.items() if isinstance(value, Mapping) else value
        if isinstance(items, str) or not isinstance(items, Sequence | type({}.items())):
            raise Broken(self.rule)
        out: dict[str, Any] = {}
        item: object
        for item in items:
            if not isinstance(item, tuple | list) or len(item) != _PAIR:
                raise Broken(self.rule)
            name, number = item
            if not isinstance(name, str) or (self.options and name not in self.options):
                raise Broken(self.rule)
            out[name] = self.value.check(number, params)
        return out


class _Rate(Constraint):
    """A number of points >= 0 as an exact fraction.

    An int, a Decimal, a Fraction, or a float read as its shortest decimal text (``1.5`` is
    3/2).
    """

    def __init__(self, *, above_zero: bool = False) -> None:
        self.above_zero = above_zero

    @property
    def rule(self) -> str:
        low = "> 0" if self.above_zero else ">= 0"
        return f"expected a number {low} and at most {MAX_POINTS:,} (MAX_POINTS)"

    def check(self, value: Any, params: Mapping[str, Any]) -> Fraction:
        if isinstance(value, bool) or (
            not isinstance(value, int | float | Fraction | np.number)
            and (type(value).__name__ != "Decimal")
        ):
            raise Broken(self.rule)
        if isinstance(value, float | np.floating):
            if not math.isfinite(value):
                raise Broken(self.rule)
            exact = Fraction(repr(float(value)))
        elif type(value).__name__ == "Decimal":
            # NaN and infinities have no ratio; a huge exponent would take ages to expand.
            if not value.is_finite() or value.adjusted() > len(str(MAX_POINTS)):
                raise Broken(self.rule)
            exact = Fraction(value)
        else:
            exact = Fraction(value)
        if exact < 0 or (self.above_zero and exact == 0) or exact > MAX_POINTS:
            raise Broken(self.rule)
        return exact


_KINDS: Final = tuple(kind.value for kind in ServiceKind)
_PAYS: Final = tuple(pay.value for pay in PayType)


@attrs.frozen
class _Candidates:
    """Awards before membership, dedup, multipliers, caps and expiry: one row per fact."""

    customer: NDArray[np.str_]
    source_id: NDArray[np.str_]
    kind: NDArray[np.int8]
    amount: NDArray[np.int64]
    at: NDArray[np.int64]
    dealer_id: NDArray[np.str_]

    @staticmethod
    def join(parts: Sequence[_Candidates]) -> _Candidates:
        return _Candidates(
            *(
                np.concatenate([getattr(p, f.name) for p in parts])
                for f in attrs.fields(_Candidates)
            )
        )

    def take(self, rows: NDArray[Any]) -> _Candidates:
        return _Candidates(*(getattr(self, f.name)[rows] for f in attrs.fields(_Candidates)))


def _day_starts(days: NDArray[np.int64], zone: dt.tzinfo) -> NDArray[np.int64]:
    """The UTC instant (µs) at which each local day (day number) starts in ``zone``."""
    if not len(days):
        return days.astype(np.int64)
    naive = days * _US_PER_DAY
    offsets = ZoneOffsets.between(
        zone, int(naive.min()) - _US_PER_DAY, int(naive.max()) + _US_PER_DAY
    )
    guess = naive - offsets.offsets[0] if len(offsets.offsets) == 1 else naive
    if len(offsets.offsets) > 1:
        which = np.searchsorted(offsets.starts, naive, side="right") - 1
        guess = naive - offsets.offsets[np.maximum(which, 0)]
        which = np.searchsorted(offsets.starts, guess, side="right") - 1
        guess = naive - offsets.offsets[np.maximum(which, 0)]
    return guess


class PointsRule(BasePolicy):
    """Club points for customer-pay service, activities, referrals and answered surveys.

    Earning follows what the owners'-club training gives dealers to set:
    《斯柯达车友汇客户关爱总监培训教材》 lists "积分规则设置 会员积分奖励的设置 与总部进行积分结算"
    (setting the points rules, setting members' points rewards, settling points with HQ)
    and "活动积分奖励操作" (points rewards for activities), and says HQ "积分买单" (pays for
    the points). It names no rates, so every number below is a documented default.

    * **Service**: each closed repair order earns ``points_per_unit`` points per whole
      currency unit (¥1) of its lines paid by a payer in ``pays`` (customer pay only, by
      default: warranty, recall, goodwill, internal and insurance work earn nothing), at
      the rate of the line's service kind (``kind_rates`` overrides it per kind, 0 to
      exclude one), rounded down per order, then times the member's level multiplier
      (``multipliers``), rounded down. The award is dated when the order closed; an open
      order earns nothing yet. Source ``service:<order id>``.
    * **Activity**: ``activity_points`` per attendance (source ``activity:<id>``), dated at
      the start of its day.
    * **Referral**: ``referral_points`` to the referrer once the referred vehicle is
      delivered (source ``referral:<id>``), dated at the start of the delivery day.
    * **Survey**: ``survey_points`` per answered survey, given as the ``surveys`` columns
      of [`award`][aftersales_crm.membership.PointsRule.award] (the library has no survey records yet).

    Each member's points in a calendar ``cap_period`` (in the programme's time zone) are
    capped at ``cap``, awards taken in time order (then by source id); an award the cap
    leaves at 0 points is not made. Points are pending for ``pending_days`` days and expire
    by ``expiry``: ``"after_months"`` (at the end of the day ``expiry_months`` months after
    the day earned), ``"month_end"`` (at the end of the month ``expiry_months`` months
    after the month earned), ``"year_end"`` (at the end of the year after the year earned)
    or ``"never"``. Each award's ``funder`` is ``funders[kind]``, else ``funder``.

    Attributes:
        points_per_unit: points per whole currency unit of eligible spend (default 1).
        pays: the payers whose lines earn (default ``("customer",)``).
        kind_rates: ``(service kind, points per unit)`` pairs overriding the rate.
        multipliers: ``(level, multiplier)`` pairs applied to service points.
        activity_points: points per activity attended (default 100).
        referral_points: points per delivered referral (default 1,000).
        survey_points: points per answered survey (default 50).
        cap: most points per member in a period, or None (default).
        cap_period: ``"month"`` (default) or ``"year"``.
        expiry: ``"year_end"`` (default), ``"after_months"``, ``"month_end"`` or ``"never"``.
        expiry_months: months for ``"after_months"`` and ``"month_end"`` (default 24).
        pending_days: days before points can be spent (default 0: at once).
        funder: who funds the points (default ``"hq"``).
        funders: ``(source kind, funder)`` pairs overriding ``funder``.
        time_zone: the programme's time zone (default ``Asia/Shanghai``).

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import synthetic
        >>> tables = synthetic.columns(50, seed=1).tables()
        >>> awards = PointsRule().award(tables, as_of=date(2026, 6, 30))
        >>> sorted(awards.by("source_kind")), awards.total() > 0
        (['activity', 'service'], True)
        >>> doubled = PointsRule(points_per_unit=2).award(tables, as_of=date(2026, 6, 30))
        >>> doubled.by("source_kind")["service"] >= 2 * awards.by("source_kind")["service"] - len(awards)
        True

    References:
        《斯柯达车友汇客户关爱总监培训教材》 (积分规则设置, 活动积分奖励操作, 积分买单);
        customer pay only: the pay-type exclusion the research on loyalty engines found no
        engine has (warranty and recall work "typically must not" earn). Rates, points,
        cap, pending and expiry are the library's choices, each explained at its class
        attribute.
    """

    kind: ClassVar[PolicyKind] = "points"
    population_relative: ClassVar[bool] = False

    POINTS_PER_UNIT: ClassVar[int] = 1
    """One point per whole yuan of customer-pay service: the library's choice. The material
    gives no rate; one point per currency unit keeps points and spend on one scale, so
    a rule and a member read the same number, and the rate is step-wise (a part yuan earns
    nothing), avoiding the rounding surprises users reported of per-cent rates."""

    PAYS: ClassVar[tuple[str, ...]] = ("customer",)
    """Customer pay only: warranty, recall, goodwill, internal and insurance work is paid by
    someone other than the member and earns nothing (the library's choice, following the
    issue's rule that these "earn nothing by default")."""

    ACTIVITY_POINTS: ClassVar[int] = 100
    """100 points per activity attended: the library's choice (the material names activity
    points rewards, "活动积分奖励操作", without a number): as much as ¥100 of service,
    enough to reward turning up without outweighing service."""

    REFERRAL_POINTS: ClassVar[int] = 1000
    """1,000 points per referral delivered: the library's choice; a referred purchase
    ("推荐购车成功", the material's measure of referrals) is worth more to the dealer
    than any single service visit."""

    SURVEY_POINTS: ClassVar[int] = 50
    """50 points per answered survey: the library's choice, half an activity."""

    EXPIRY: ClassVar[str] = "year_end"
    """Points expire at the end of the year after the year earned: the library's choice
    (the material is silent); a calendar expiry is one of the methods the published
    engines offer (Open Loyalty's wallets: "end of the x-th year"), and it gives every
    point between 12 and 24 months."""

    EXPIRY_MONTHS: ClassVar[int] = 24
    """24 months for the month-based methods: the library's choice, the longest life of
    [`EXPIRY`][aftersales_crm.membership.PointsRule.EXPIRY]."""

    FUNDER: ClassVar[str] = "hq"
    """HQ funds points: "总部为车友汇幕后工作者 … 给予物料、积分买单、合作伙伴资源支持"
    (HQ works behind the scenes … giving materials, paying for points, partner resources;
    《斯柯达车友汇客户关爱总监培训教材》)."""

    parameter_constraints: ClassVar[Mapping[str, Constraint]] = {
        "points_per_unit": _Rate(),
        "pays": SubsetOf(_PAYS, what="pay types"),
        "kind_rates": _Pairs(_KINDS, _Rate(), "service kind rates"),
        "multipliers": _Pairs(None, _Rate(), "level multipliers"),
        "activity_points": Whole(low=0),
        "referral_points": Whole(low=0),
        "survey_points": Whole(low=0),
        "cap": OrNone(Whole(low=1)),
        "cap_period": OneOf(_PERIODS),
        "expiry": OneOf(_EXPIRY),
        "expiry_months": Whole(low=1, high=1200),
        "pending_days": Whole(low=0, high=3660),
        "funder": OneOf(_FUNDERS),
        "funders": _Pairs(SOURCE_KINDS, OneOf(_FUNDERS), "funders by source kind"),
        "time_zone": TimeZone(),
    }
    """Rates and multipliers: numbers >= 0 (exact; floats read as their decimal text); pay
    types and service kinds: values of [`PayType`][aftersales_crm.values.PayType] and
    [`ServiceKind`][aftersales_crm.values.ServiceKind]; fixed points: whole >= 0; cap: whole
    >= 1 or None; expiry one of four methods; funders ``hq``, ``dealer`` or ``partner``."""

    def __init__(
        self,
        *,
        points_per_unit: int | float | Fraction = POINTS_PER_UNIT,
        pays: tuple[str, ...] = PAYS,
        kind_rates: tuple[tuple[str, Any], ...] | Mapping[str, Any] = (),
        multipliers: tuple[tuple[str, Any], ...] | Mapping[str, Any] = (),
        activity_points: int = ACTIVITY_POINTS,
        referral_points: int = REFERRAL_POINTS,
        survey_points: int = SURVEY_POINTS,
        cap: int | None = None,
        cap_period: str = "month",
        expiry: str = EXPIRY,
        expiry_months: int = EXPIRY_MONTHS,
        pending_days: int = 0,
        funder: str = FUNDER,
        funders: tuple[tuple[str, str], ...] | Mapping[str, str] = (),
        time_zone: str = DEFAULT_TIME_ZONE,
    ) -> None:
        self.points_per_unit = points_per_unit
        self.pays = pays
        self.kind_rates = kind_rates
        self.multipliers = multipliers
        self.activity_points = activity_points
        self.referral_points = referral_points
        self.survey_points = survey_points
        self.cap = cap
        self.cap_period = cap_period
        self.expiry = expiry
        self.expiry_months = expiry_months
        self.pending_days = pending_days
        self.funder = funder
        self.funders = funders
        self.time_zone = time_zone

    # ------------------------------------------------------------ the facts that earn

    def _service(self, tables: Tables, params: Mapping[str, Any]) -> _Candidates:
        orders, lines = tables["orders"], tables["lines"]
        dealers, customers = tables["dealers"]["id"], tables["customers"]["id"]
        rates = [params["kind_rates"].get(kind, params["points_per_unit"]) for kind in _KINDS]
        scale = math.lcm(*(rate.denominator for rate in rates))
        numerators = np.array([int(rate * scale) for rate in rates], dtype=np.int64)
        paying = np.zeros(len(_PAYS), dtype=bool)
        paying[[_PAYS.index(pay) for pay in params["pays"]]] = True
        fen = lines["labour_fen"] + lines["parts_fen"]
        earns = paying[lines["pay"]] & (numerators[lines["kind"]] > 0)
        rate = numerators[lines["kind"]]
        per_order: NDArray[Any]
        if len(fen) and int(fen.max(initial=0)) * int(numerators.max()) >= _SAFE:
            per_order = np.zeros(len(orders), dtype=object)  # exact beyond int64
            np.add.at(per_order, lines["order"][earns], fen[earns].astype(object) * rate[earns])
        else:
            per_order = np.zeros(len(orders), dtype=np.int64)
            np.add.at(per_order, lines["order"][earns], fen[earns] * rate[earns])
        unit = scale * 10 ** currency_exponent(tables.currency)
        points = per_order // unit
        closed = orders["closed_at"].view(np.int64)
        keep = (closed != _NAT) & (orders["customer"] >= 0) & (points > 0)
        rows = np.flatnonzero(keep)
        dealer = orders["dealer"][rows]
        return _Candidates(
            customer=customers[orders["customer"][rows]].astype(np.str_),
            source_id=np.char.add("service:", orders["id"][rows].astype(np.str_)),
            kind=np.zeros(len(rows), dtype=np.int8),
            amount=np.asarray(points[rows], dtype=np.int64),
            at=closed[rows],
            dealer_id=np.where(dealer >= 0, dealers[np.maximum(dealer, 0)], "").astype(np.str_)
            if len(dealers)
            else np.full(len(rows), "", dtype=np.str_),
        )

    def _dated(
        self,
        kind: int,
        ids: NDArray[Any],
        customer: NDArray[Any],
        days: NDArray[Any],
        points: int,
        zone: dt.tzinfo,
    ) -> _Candidates:
        raw = days.astype("datetime64[D]").view(np.int64)
        keep = (
            (raw != _NAT) & (np.asarray(customer) != "") if points > 0 else np.zeros(len(ids), bool)
        )
        rows = np.flatnonzero(keep)
        return _Candidates(
            customer=np.asarray(customer, dtype=np.str_)[rows],
            source_id=np.char.add(f"{SOURCE_KINDS[kind]}:", np.asarray(ids, dtype=np.str_)[rows]),
            kind=np.full(len(rows), kind, dtype=np.int8),
            amount=np.full(len(rows), points, dtype=np.int64),
            at=_day_starts(raw[rows], zone),
            dealer_id=np.full(len(rows), "", dtype=np.str_),
        )

    def _activities(
        self, tables: Tables, params: Mapping[str, Any], zone: dt.tzinfo
    ) -> _Candidates:
        table, customers = tables["activities"], tables["customers"]["id"]
        who = (
            np.where(table["customer"] >= 0, customers[np.maximum(table["customer"], 0)], "")
            if len(customers)
            else np.full(len(table), "")
        )
        return self._dated(1, table["id"], who, table["on"], params["activity_points"], zone)

    def _referrals(self, tables: Tables, params: Mapping[str, Any], zone: dt.tzinfo) -> _Candidates:
        table, customers = tables["referrals"], tables["customers"]["id"]
        who = (
            np.where(table["referrer"] >= 0, customers[np.maximum(table["referrer"], 0)], "")
            if len(customers)
            else np.full(len(table), "")
        )
        return self._dated(
            2, table["id"], who, table["delivered_on"], params["referral_points"], zone
        )

    def _surveys(self, surveys: Mapping[str, Any] | None, params: Mapping[str, Any]) -> _Candidates:
        if surveys is None:
            return _no_candidates()
        given: object = surveys
        if not isinstance(given, Mapping):
            msg = f"surveys is a {type(given).__name__}, expected a mapping of columns id, customer_id, answered_at"
            raise InvalidType(msg)
        missing = [c for c in ("id", "customer_id", "answered_at") if c not in surveys]
        if missing:
            msg = f"surveys lacks the columns {missing}; it needs id, customer_id and answered_at"
            raise InvalidValue(msg, code="missing_column")
        ids = np.asarray(surveys["id"], dtype=np.str_)
        customer = np.asarray(surveys["customer_id"], dtype=np.str_)
        at = _instants(surveys["answered_at"])
        if not len(ids) == len(customer) == len(at):
            msg = f"surveys columns differ in length: {len(ids)} ids, {len(customer)} customer_id, {len(at)} answered_at"
            raise InvalidValue(msg, code="column_length")
        points = params["survey_points"]
        keep = np.flatnonzero((at != _NAT) & (customer != "")) if points > 0 else np.arange(0)
        return _Candidates(
            customer=customer[keep],
            source_id=np.char.add("survey:", ids[keep]),
            kind=np.full(len(keep), 3, dtype=np.int8),
            amount=np.full(len(keep), points, dtype=np.int64),
            at=at[keep],
            dealer_id=np.full(len(keep), "", dtype=np.str_),
        )

    # ------------------------------------------------------------ the verb

    def award(
        self,
        tables: Tables | Sequence[Tables],
        *,
        as_of: dt.date | str,
        members: Mapping[str, str] | None = None,
        levels: Mapping[str, str] | None = None,
        surveys: Mapping[str, Any] | None = None,
    ) -> Awards:
        """The points each source earned up to the end of ``as_of``, one award per source.

        Args:
            tables: the customer base, or several deliveries of it (a nightly export each):
                a source found in several deliveries is awarded once.
            as_of: the last day (in the programme's time zone) whose facts count.
            members: customer id → member id of the club's members; customers not in it
                earn nothing. None: every customer is a member under their customer id.
            levels: member id → level name, for ``multipliers`` (a member without a
                level gets no multiplier).
            surveys: answered surveys as columns ``id``, ``customer_id`` and
                ``answered_at`` (aware datetimes or UTC ``datetime64``).

        Returns:
            [`Awards`][aftersales_crm.membership.Awards] in source-id order.

        Raises:
            InvalidValue: a parameter breaks its constraint, ``as_of`` is not a date, or
                one source arrives twice with different awards (naming it and both).
            InvalidType: ``tables`` is not Tables (or a sequence of them).

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import synthetic
            >>> tables = synthetic.columns(20, seed=3).tables()
            >>> once = PointsRule().award(tables, as_of=date(2026, 6, 30))
            >>> once == PointsRule().award([tables, tables], as_of=date(2026, 6, 30))
            True
        """
        params = self._checked()
        day = as_of_date(as_of)
        deliveries = _deliveries(tables)
        zone = to_time_zone(params["time_zone"])
        parts = [self._surveys(surveys, params)]
        for delivery in deliveries:
            parts += [
                self._service(delivery, params),
                self._activities(delivery, params, zone),
                self._referrals(delivery, params, zone),
            ]
        found = _Candidates.join(parts)
        end = int(_day_starts(np.array([_day_number(day) + 1]), zone)[0])
        member = _members(found.customer, members)
        keep = np.flatnonzero((found.at < end) & (member != ""))
        found, member = found.take(keep), member[keep]
        found, member = _once(found, member)
        amount = self._multiplied(found, member, levels, params)
        amount = self._capped(amount, found.at, member, params, zone)
        keep = np.flatnonzero(amount > 0)
        found, member, amount = found.take(keep), member[keep], amount[keep]
        funders = np.array([params["funders"].get(k, params["funder"]) for k in SOURCE_KINDS])
        pending = (
            found.at + params["pending_days"] * _US_PER_DAY
            if params["pending_days"]
            else np.full(len(found.at), _NAT, dtype=np.int64)
        )
        return Awards.from_columns(
            member_id=member,
            source_id=found.source_id,
            source_kind=np.array(SOURCE_KINDS)[found.kind],
            amount=amount,
            at=found.at.view("datetime64[us]"),
            funder=funders[found.kind],
            dealer_id=found.dealer_id,
            pending_until=pending.view("datetime64[us]"),
            expires_on=self._expiry(found.at, params, zone),
        )

    def _checked(self) -> dict[str, Any]:
        return validate_params(self)

    def _multiplied(
        self,
        found: _Candidates,
        member: NDArray[np.str_],
        levels: Mapping[str, str] | None,
        params: Mapping[str, Any],
    ) -> NDArray[np.int64]:
        amount = found.amount.copy()
        multipliers: dict[str, Fraction] = params["multipliers"]
        if not multipliers or levels is None or not len(amount):
            return amount
        given: object = levels
        if not isinstance(given, Mapping):
            msg = f"levels is a {type(given).__name__}, expected a mapping of member id to level"
            raise InvalidType(msg)
        level = _members(member, {str(m): str(lv) for m, lv in levels.items()})
        service = found.kind == 0
        for name, factor in multipliers.items():
            rows = np.flatnonzero((level == name) & service)
            if not len(rows):
                continue
            base = amount[rows]
            if int(base.max()) * factor.numerator < _SAFE:
                amount[rows] = base * factor.numerator // factor.denominator
            else:  # exact beyond int64, then back: a member's points stay within int64
                exact = base.astype(object) * factor.numerator // factor.denominator
                amount[rows] = np.array(exact.tolist(), dtype=np.int64)
        return amount

    def _capped(
        self,
        amount: NDArray[np.int64],
        at: NDArray[np.int64],
        member: NDArray[np.str_],
        params: Mapping[str, Any],
        zone: dt.tzinfo,
    ) -> NDArray[np.int64]:
        cap = params["cap"]
        if cap is None or not len(amount):
            return amount
        days = business_dates(at.view("datetime64[us]"), zone)
        period = days.astype(
            "datetime64[M]" if params["cap_period"] == "month" else "datetime64[Y]"
        ).view(np.int64)
        _, who = np.unique(member, return_inverse=True)  # members as numbers
        order = np.lexsort((np.arange(len(amount)), at, period, who))
        # rows are already unique by source id and sorted by it, so the index breaks ties by id
        sorted_amount = amount[order]
        who, period = who[order], period[order]
        group = np.concatenate(([True], (who[1:] != who[:-1]) | (period[1:] != period[:-1])))
        running = np.cumsum(sorted_amount)
        starts = np.flatnonzero(group)
        before = np.repeat(
            running[starts] - sorted_amount[starts], np.diff(np.append(starts, len(order)))
        )
        used = running - sorted_amount - before  # points of the period before this award
        allowed = np.clip(cap - used, 0, sorted_amount)
        out = np.empty_like(amount)
        out[order] = allowed
        return out

    def _expiry(
        self, at: NDArray[np.int64], params: Mapping[str, Any], zone: dt.tzinfo
    ) -> NDArray[np.datetime64]:
        days = business_dates(at.view("datetime64[us]"), zone)
        method, months = params["expiry"], params["expiry_months"]
        if method == "never":
            return np.full(len(at), np.datetime64("NaT"), dtype="datetime64[D]")
        if method == "after_months":
            return add_months(days, months)
        if method == "month_end":
            month = days.astype("datetime64[M]") + (months + 1)
            ends: NDArray[np.datetime64] = month.astype("datetime64[D]") - 1
            return ends
        year = days.astype("datetime64[Y]") + 2
        out: NDArray[np.datetime64] = year.astype("datetime64[D]") - 1
        return out


def _no_candidates() -> _Candidates:
    empty_text = np.array([], dtype=np.str_)
    return _Candidates(
        customer=empty_text,
        source_id=empty_text,
        kind=np.array([], dtype=np.int8),
        amount=np.array([], dtype=np.int64),
        at=np.array([], dtype=np.int64),
        dealer_id=empty_text,
    )


def _day_number(day: dt.date) -> int:
    return (day - dt.date(1970, 1, 1)).days


def _instants(values: Any) -> NDArray[np.int64]:
    """Aware datetimes or UTC datetime64 as int64 µs (NaT as the int64 minimum)."""
    items = list(values) if not isinstance(values, np.ndarray) else None
    if items is not None and any(isinstance(v, dt.datetime) for v in items):
        out = []
        for v in items:
            if v is None:
                out.append(_NAT)
                continue
            if not isinstance(v, dt.datetime) or v.utcoffset() is None:
                msg = f"surveys answered_at holds {v!r}; expected aware datetimes"
                raise InvalidValue(msg, code="instant")
            moment = np.datetime64(v.astimezone(dt.UTC).replace(tzinfo=None), "us")
            out.append(int(moment.view(np.int64)))
        return np.array(out, dtype=np.int64)
    array = np.asarray(values if items is None else items)
    if array.dtype.kind != "M" and len(array):
        msg = f"surveys answered_at is {array.dtype}; expected aware datetimes or UTC datetime64"
        raise InvalidValue(msg, code="instant")
    return array.astype("datetime64[us]").view(np.int64)


def _deliveries(tables: object) -> tuple[Tables, ...]:
    if isinstance(tables, Tables):
        return (tables,)
    if (
        isinstance(tables, Sequence)
        and not isinstance(tables, str)
        and all(isinstance(t, Tables) for t in tables)
    ):
        currencies = {t.currency for t in tables}
        if len(currencies) > 1:
            msg = f"the deliveries are in several currencies {sorted(currencies)}; points need one"
            raise InvalidValue(msg, code="currency_mismatch")
        return tuple(tables)
    msg = f"tables is a {type(tables).__name__}, expected Tables or a sequence of Tables"
    raise InvalidType(msg)


def _members(customer: NDArray[np.str_], members: Mapping[str, str] | None) -> NDArray[np.str_]:
    """The member id of each customer, ``""`` for customers who are not members."""
    if members is None:
        return customer
    given: object = members
    if not isinstance(given, Mapping):
        msg = f"members is a {type(given).__name__}, expected a mapping of customer id to member id"
        raise InvalidType(msg)
    if not members or not len(customer):
        return np.full(len(customer), "", dtype=np.str_)
    keys = np.array(list(members.keys()), dtype=np.str_)
    values = np.array([str(v) for v in members.values()], dtype=np.str_)
    order = np.argsort(keys, kind="stable")
    keys, values = keys[order], values[order]
    at = np.minimum(np.searchsorted(keys, customer), len(keys) - 1)
    return np.where(keys[at] == customer, values[at], "").astype(np.str_)


def _once(found: _Candidates, member: NDArray[np.str_]) -> tuple[_Candidates, NDArray[np.str_]]:
    """One row per source id, in source-id order; a source found twice must agree."""
    if not len(member):
        return found, member
    order = np.argsort(found.source_id, kind="stable")
    source = found.source_id[order]
    if not (source[1:] == source[:-1]).any():  # no source twice: the common case
        return found.take(order), member[order]
    order = np.lexsort((member, found.amount, found.at, found.source_id))
    found, member = found.take(order), member[order]
    first = np.concatenate(([True], found.source_id[1:] != found.source_id[:-1]))
    starts = np.flatnonzero(first)
    group = np.cumsum(first) - 1
    head = starts[group]
    differ = (
        (found.amount != found.amount[head])
        | (found.at != found.at[head])
        | (member != member[head])
        | (found.dealer_id != found.dealer_id[head])
    )
    if differ.any():
        row = int(np.flatnonzero(differ)[0])
        a, b = int(head[row]), row
        msg = (
            f"source {str(found.source_id[a])!r} arrives twice with different awards:"
            f" {int(found.amount[a])} points to {str(member[a])!r} at"
            f" {found.at[a : a + 1].view('datetime64[us]')[0]} and {int(found.amount[b])} points"
            f" to {str(member[b])!r} at {found.at[b : b + 1].view('datetime64[us]')[0]};"
            " a source earns once, so its deliveries must agree"
        )
        raise InvalidValue(msg, code="conflicting_source")
    return found.take(starts), member[starts]
