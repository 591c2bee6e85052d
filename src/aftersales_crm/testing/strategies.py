"""Hypothesis strategies for every record, and for consistent Books.

Every strategy draws *valid* data: VINs with their check digit, national IDs with theirs,
real phone numbers and covered plate formats, amounts in fen, timezone-aware instants.
[`books`][aftersales_crm.testing.strategies.books] draws a whole Book whose references all resolve, for property tests of code
that reads Books. It is derived from the registry of fact kinds: each kind's declared
``strategy`` draws its records into the Book drawn so far, so a kind you register with a
strategy is drawn too; [`facts`][aftersales_crm.testing.strategies.facts] draws the records of one kind the same way.

Examples:
    >>> from hypothesis import given
    >>> from aftersales_crm.values import vin
    >>> @given(vins())
    ... def test_every_vin_is_valid(number):
    ...     assert vin.is_valid(number)
    >>> test_every_vin_is_valid()
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Final

from hypothesis import strategies as st

from aftersales_crm._args import as_of_instant, whole_number
from aftersales_crm.errors import InvalidValue
from aftersales_crm.records import (
    ActivityAttended,
    Answer,
    Book,
    Chapter,
    ComplaintAction,
    ComplaintCategory,
    ComplaintFiled,
    ComplaintUpdated,
    ConsentChanged,
    ConsentPurpose,
    ContactMade,
    ContactOutcome,
    Customer,
    CustomerKind,
    CustomerVerdict,
    Dealer,
    FactKind,
    Funder,
    ImportancePoints,
    LapseReason,
    MemberApplied,
    MemberJoined,
    MemberLapsed,
    MemberReactivated,
    MemberTransferred,
    Ownership,
    PointsAdjusted,
    PointsEarned,
    PointsExpired,
    PointsRedeemed,
    PointsReversed,
    Record,
    ReferralMade,
    RepairLine,
    RepairOrder,
    Severity,
    Share,
    StaffAnswer,
    StaffRole,
    StaffSurveyAnswered,
    SurveyAnswered,
    Vehicle,
    fact_kind,
    fact_kinds,
    load_producer,
)
from aftersales_crm.values import (
    BodyType,
    ContactChannel,
    ContactPurpose,
    FuelType,
    GeoPoint,
    Mileage,
    Money,
    PayType,
    ServiceKind,
    national_id,
    plate,
    vin,
)

__all__ = [
    "activities",
    "books",
    "chapters",
    "complaint_updates",
    "complaints",
    "consents",
    "contacts",
    "customers",
    "dealers",
    "facts",
    "geo_points",
    "ids",
    "instants",
    "member_lives",
    "members",
    "money",
    "names",
    "national_ids",
    "ownerships",
    "phones",
    "plates",
    "points_adjusted",
    "points_earned",
    "points_expired",
    "points_redeemed",
    "points_reversed",
    "referrals",
    "repair_lines",
    "repair_orders",
    "staff_surveys",
    "survey_answers",
    "surveys",
    "vehicles",
    "vins",
]

_made_once = functools.lru_cache(maxsize=256)
"""Strategy factories wrapped in this give the same strategy for the same arguments: a
strategy made once is checked once (hypothesis validates each new strategy the first time
it draws), and Books draw these thousands of times. Strategies are immutable."""

_VIN_CHARS = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
_PLATE_CHARS = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
_PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
_MOBILE_PREFIXES = ("134", "135", "136", "138", "139", "150", "158", "177", "186", "188", "199")
_EPOCH = datetime(2015, 1, 1, tzinfo=UTC)
_HORIZON_DAYS = 12 * 365


def _or(
    strategy: st.SearchStrategy[str] | None, default: st.SearchStrategy[str]
) -> st.SearchStrategy[str]:
    return default if strategy is None else strategy


@_made_once
def ids(prefix: str = "X") -> st.SearchStrategy[str]:
    """Record ids: a prefix and a number.

    Args:
        prefix: the id's first characters.

    Returns:
        A strategy of ids such as ``"C17"``.
    """
    return st.integers(0, 10**6).map(lambda n: f"{prefix}{n}")


@_made_once
def names() -> st.SearchStrategy[str]:
    """Short names as [`Name`][aftersales_crm.records.Name] keeps them: stripped, not empty.

    Brands and parts, Chinese or Latin, some with inner spaces or punctuation.

    Examples:
        >>> from hypothesis import given
        >>> @given(names())
        ... def test_names_are_stripped(name):
        ...     assert name == name.strip() and name
        >>> test_names_are_stripped()
    """
    return st.sampled_from(
        ["上汽大众", "一汽-大众", "Volkswagen", "机油滤清器", "06L 115 562 B", "前刹车片"]
    ) | st.text(st.characters(codec="utf-8", categories=("L", "N", "P")), min_size=1, max_size=20)


@_made_once
def vins() -> st.SearchStrategy[str]:
    """Valid VINs, with a correct check digit in position 9.

    Returns:
        A strategy of 17-character VINs.
    """

    def build(chars: str) -> str:
        body = chars[:8] + "0" + chars[8:]
        return body[:8] + vin.calc_check_digit(body) + body[9:]

    return st.text(alphabet=_VIN_CHARS, min_size=16, max_size=16).map(build)


@_made_once
def national_ids() -> st.SearchStrategy[str]:
    """Valid resident identity numbers (GB 11643) born 1930–2005.

    Returns:
        A strategy of 18-character numbers.
    """

    def build(province: str, county: int, born: date, sequence: int) -> str:
        body = f"{province}{county:04d}{born:%Y%m%d}{sequence:03d}"
        return body + national_id.calc_check_digit(body)

    return st.builds(
        build,
        st.sampled_from(sorted(national_id.PROVINCES)),
        st.integers(101, 9999),
        st.dates(date(1930, 1, 1), date(2005, 12, 31)),
        st.integers(0, 999),
    )


@_made_once
def phones() -> st.SearchStrategy[str]:
    """Valid Chinese mobile numbers in E.164.

    Returns:
        A strategy of numbers such as ``"+8613812345678"``.
    """
    return st.builds(
        lambda prefix, rest: f"+86{prefix}{rest:08d}",
        st.sampled_from(_MOBILE_PREFIXES),
        st.integers(0, 10**8 - 1),
    )


@_made_once
def plates() -> st.SearchStrategy[str]:
    """Valid regular licence plates (7 characters), in compact form.

    Returns:
        A strategy of plates such as ``"京A12345"``.
    """
    return st.builds(
        lambda p, office, rest: plate.validate(p + office + rest),
        st.sampled_from(plate.PROVINCES),
        st.sampled_from(_PLATE_LETTERS),
        st.text(alphabet=_PLATE_CHARS.replace("O", "").replace("I", ""), min_size=5, max_size=5),
    )


@_made_once
def money(*, max_fen: int = 10**7, currency: str = "CNY") -> st.SearchStrategy[Money]:
    """Non-negative amounts in whole fen.

    Args:
        max_fen: the largest amount, in minor units.
        currency: the currency.

    Returns:
        A strategy of [`Money`][aftersales_crm.values.Money].
    """
    return st.integers(0, max_fen).map(lambda fen: Money.from_minor(fen, currency))


_MAX_SPAN_DAYS: Final = 100 * 366
"""The longest span [`instants`][aftersales_crm.testing.strategies.instants] draws from: a century keeps every instant in range."""


@_made_once
def instants(*, start: datetime = _EPOCH, days: int = _HORIZON_DAYS) -> st.SearchStrategy[datetime]:
    """Timezone-aware instants, to the second, in UTC.

    Args:
        start: the earliest instant.
        days: how many days after ``start`` the latest instant may fall.

    Returns:
        A strategy of aware datetimes.
    """
    first = as_of_instant(start, parameter="start")
    span = whole_number(days, parameter="days", minimum=0, maximum=_MAX_SPAN_DAYS)
    return st.integers(0, span * 86_400).map(lambda s: first + timedelta(seconds=s))


@_made_once
def geo_points() -> st.SearchStrategy[GeoPoint]:
    """Points in and around mainland China.

    Returns:
        A strategy of [`GeoPoint`][aftersales_crm.values.GeoPoint].
    """
    return st.builds(GeoPoint, st.floats(18.0, 53.0), st.floats(73.0, 135.0))


def consents(
    customer_id: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[ConsentChanged]:
    """Consent changes.

    Args:
        customer_id: a strategy for the customer; ``ids("C")`` by default.

    Returns:
        A strategy of [`ConsentChanged`][aftersales_crm.records.ConsentChanged].
    """
    return st.builds(
        ConsentChanged,
        id=ids("G"),
        customer_id=_or(customer_id, ids("C")),
        purpose=st.sampled_from(ConsentPurpose),
        channel=st.sampled_from(ContactChannel),
        granted=st.booleans(),
        at=instants(),
    )


_NAMES = st.text(alphabet="王李张刘陈杨黄赵吴周伟芳娜敏静强磊军洋", min_size=2, max_size=4)


def dealers(dealer_id: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[Dealer]:
    """Dealers.

    Args:
        dealer_id: a strategy for the id; ``ids("D")`` by default.

    Returns:
        A strategy of [`Dealer`][aftersales_crm.records.Dealer].
    """
    return st.builds(
        Dealer,
        id=_or(dealer_id, ids("D")),
        name=_NAMES.map(lambda n: n + "4S店"),
        location=st.none() | geo_points(),
        full_after_sales=st.booleans(),
    )


def chapters(dealer_id: st.SearchStrategy[str]) -> st.SearchStrategy[Chapter]:
    """Club chapters of the given dealers.

    Args:
        dealer_id: a strategy for the dealer the chapter belongs to.

    Returns:
        A strategy of [`Chapter`][aftersales_crm.records.Chapter].
    """
    return st.builds(
        Chapter, id=ids("CH"), dealer_id=dealer_id, name=_NAMES.map(lambda n: n + "车友会")
    )


def customers(customer_id: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[Customer]:
    """Customers with valid identifiers.

    Args:
        customer_id: a strategy for the id; ``ids("C")`` by default.

    Returns:
        A strategy of [`Customer`][aftersales_crm.records.Customer].
    """
    return st.builds(
        Customer,
        id=_or(customer_id, ids("C")),
        kind=st.sampled_from(CustomerKind),
        name=_NAMES,
        national_id=st.none() | national_ids(),
        mobile=st.none() | phones(),
        office_phone=st.none() | phones(),
        home_location=st.none() | geo_points(),
        email=st.none() | st.sampled_from(["a@example.com", "wang.fang@example.cn"]),
        hobbies=st.lists(st.sampled_from(["自驾", "摄影", "钓鱼"]), max_size=2, unique=True).map(
            tuple
        ),
    )


def vehicles(vin_strategy: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[Vehicle]:
    """Vehicles with valid VINs and plates.

    Args:
        vin_strategy: a strategy for the VIN; [`vins`][aftersales_crm.testing.strategies.vins] by default.

    Returns:
        A strategy of [`Vehicle`][aftersales_crm.records.Vehicle].
    """
    return st.builds(
        Vehicle,
        vin=_or(vin_strategy, vins()),
        plate=st.none() | plates(),
        brand=st.none() | names(),
        model=st.sampled_from(["Lavida", "Passat", "ID.4", "Tiguan L"]),
        body_type=st.none() | st.sampled_from(BodyType),
        fuel=st.sampled_from(FuelType),
        purchase_date=st.none() | st.dates(date(2015, 1, 1), date(2026, 12, 31)),
        sold_here=st.booleans(),
    )


def ownerships(
    customer_id: st.SearchStrategy[str], vin_strategy: st.SearchStrategy[str]
) -> st.SearchStrategy[Ownership]:
    """Ownerships of the given customers and vehicles.

    Args:
        customer_id: a strategy for the owner.
        vin_strategy: a strategy for the vehicle.

    Returns:
        A strategy of [`Ownership`][aftersales_crm.records.Ownership].
    """

    def build(oid: str, cid: str, number: str, start: date, length: int | None) -> Ownership:
        end = None if length is None else start + timedelta(days=length)
        return Ownership(id=oid, customer_id=cid, vin=number, start=start, end=end)

    return st.builds(
        build,
        ids("O"),
        customer_id,
        vin_strategy,
        st.dates(date(2015, 1, 1), date(2026, 12, 31)),
        st.none() | st.integers(1, 3000),
    )


@_made_once
def repair_lines(currency: str = "CNY") -> st.SearchStrategy[RepairLine]:
    """Repair-order lines with non-negative amounts in one currency.

    Args:
        currency: the currency of labour and parts.

    Returns:
        A strategy of [`RepairLine`][aftersales_crm.records.RepairLine].
    """
    return st.builds(
        RepairLine,
        kind=st.sampled_from(ServiceKind),
        pay=st.sampled_from(PayType),
        labour=money(currency=currency),
        parts=money(currency=currency),
        parts_replaced=st.lists(names(), max_size=3).map(tuple),
    )


_LINES: Final = st.lists(repair_lines(), min_size=1, max_size=4)


def repair_orders(
    *,
    dealer_id: st.SearchStrategy[str] | None = None,
    vin_strategy: st.SearchStrategy[str] | None = None,
    customer_id: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[RepairOrder]:
    """Repair orders with one to four lines, closed and promised after they were opened.

    Args:
        dealer_id: a strategy for the dealer; ``ids("D")`` by default.
        vin_strategy: a strategy for the vehicle; [`vins`][aftersales_crm.testing.strategies.vins] by default.
        customer_id: a strategy for the customer; ``ids("C")`` by default.

    Returns:
        A strategy of [`RepairOrder`][aftersales_crm.records.RepairOrder].
    """
    return _repair_order(
        _or(dealer_id, ids("D")), _or(vin_strategy, vins()), _or(customer_id, ids("C"))
    )


_SECONDS_AFTER: Final = st.none() | st.integers(600, 5 * 86_400)
_ADVISORS: Final = st.none() | ids("SA")


@st.composite
def _repair_order(
    draw: st.DrawFn,
    dealer_id: st.SearchStrategy[str],
    vin_strategy: st.SearchStrategy[str],
    customer_id: st.SearchStrategy[str],
) -> RepairOrder:
    # Module level, as every composite here: hypothesis inspects a composite function
    # each time one is made, and a strategy made once is validated once.
    opened = draw(instants())
    closed = draw(_SECONDS_AFTER)
    promised = draw(_SECONDS_AFTER)
    return RepairOrder(
        id=draw(ids("RO")),
        dealer_id=draw(dealer_id),
        vin=draw(vin_strategy),
        customer_id=draw(customer_id),
        advisor=draw(_ADVISORS),
        opened_at=opened,
        closed_at=None if closed is None else opened + timedelta(seconds=closed),
        promised_at=None if promised is None else opened + timedelta(seconds=promised),
        mileage=Mileage(draw(st.integers(0, 400_000))),
        by_appointment=draw(st.booleans()),
        lines=tuple(draw(_LINES)),
    )


SURVEY_ITEMS: Final = tuple(f"Q{n}" for n in range(1, 7))
"""Item ids [`surveys`][aftersales_crm.testing.strategies.surveys] answers: a few, so that two responses share items."""

SURVEY_FACTORS: Final = ("F1", "F2", "F3")
"""Factor ids [`surveys`][aftersales_crm.testing.strategies.surveys] gives importance points to."""


@st.composite
def _importance(draw: st.DrawFn) -> tuple[ImportancePoints, ...]:
    factors = draw(st.lists(st.sampled_from(SURVEY_FACTORS), min_size=1, unique=True))
    cuts = sorted(
        draw(st.lists(st.integers(0, 100), min_size=len(factors) - 1, max_size=len(factors) - 1))
    )
    edges = [0, *cuts, 100]
    return tuple(
        ImportancePoints(factor=factor, points=edges[i + 1] - edges[i])
        for i, factor in enumerate(factors)
    )


def survey_answers() -> st.SearchStrategy[Answer]:
    """Answers to one of [`SURVEY_ITEMS`][aftersales_crm.testing.strategies.SURVEY_ITEMS]: a perception, an expectation or both, 0–10.

    Returns:
        A strategy of [`Answer`][aftersales_crm.records.Answer].
    """
    rating = st.integers(0, 10)
    return st.one_of(
        st.builds(Answer, item=st.sampled_from(SURVEY_ITEMS), perception=rating),
        st.builds(
            Answer, item=st.sampled_from(SURVEY_ITEMS), perception=rating, expectation=rating
        ),
        st.builds(Answer, item=st.sampled_from(SURVEY_ITEMS), expectation=rating),
    )


def surveys(
    *,
    customer_id: st.SearchStrategy[str] | None = None,
    dealer_id: st.SearchStrategy[str] | None = None,
    order: st.SearchStrategy[RepairOrder | None] | None = None,
) -> st.SearchStrategy[SurveyAnswered]:
    """Survey responses: up to six answers (each item once), importance points, a recommend score.

    A response about a repair order drawn from ``order`` has the order's dealer and
    customer and is answered after the order was opened; the others take ``dealer_id`` and
    ``customer_id``.

    Args:
        customer_id: a strategy for the customer; ``ids("C")`` by default.
        dealer_id: a strategy for the dealer; ``ids("D")`` by default.
        order: a strategy for the repair order surveyed, or None; none by default.

    Returns:
        A strategy of [`SurveyAnswered`][aftersales_crm.records.SurveyAnswered].
    """
    return _survey(_or(customer_id, ids("C")), _or(dealer_id, ids("D")), order)


def _item(answer: Answer) -> str:
    return answer.item


_ANSWERS: Final = st.lists(survey_answers(), max_size=6, unique_by=_item)
_IMPORTANCE: Final = st.just(()) | _importance()
_RECOMMEND: Final = st.none() | st.integers(0, 10)


@st.composite
def _survey(
    draw: st.DrawFn,
    customer_id: st.SearchStrategy[str],
    dealer_id: st.SearchStrategy[str],
    order: st.SearchStrategy[RepairOrder | None] | None,
) -> SurveyAnswered:
    about = draw(order) if order is not None else None
    answers = draw(_ANSWERS)
    return SurveyAnswered(
        id=draw(ids("S")),
        instrument=draw(st.sampled_from(("mine", "china_csi"))),
        version=draw(st.sampled_from(("1", "2015"))),
        customer_id=about.customer_id if about else draw(customer_id),
        repair_order_id=about.id if about else None,
        dealer_id=about.dealer_id if about else draw(dealer_id),
        advisor=about.advisor if about else draw(_ADVISORS),
        at=(about.opened_at + timedelta(days=draw(st.integers(0, 30))))
        if about
        else draw(instants()),
        answers=tuple(answers),
        importance=draw(_IMPORTANCE),
        recommend=draw(_RECOMMEND),
    )


def staff_surveys(
    dealer_id: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[StaffSurveyAnswered]:
    """Staff survey responses: one to six believed expectations (each item once), 0–10.

    Args:
        dealer_id: a strategy for the dealer; ``ids("D")`` by default.

    Returns:
        A strategy of [`StaffSurveyAnswered`][aftersales_crm.records.StaffSurveyAnswered].

    Examples:
        >>> from hypothesis import given
        >>> @given(staff_surveys())
        ... def test_staff_answer_no_perception(response):
        ...     assert all(a.expectation <= 10 for a in response.answers)
        >>> test_staff_answer_no_perception()
    """
    answer = st.builds(
        StaffAnswer, item=st.sampled_from(SURVEY_ITEMS), expectation=st.integers(0, 10)
    )
    return st.builds(
        StaffSurveyAnswered,
        id=ids("SS"),
        instrument=st.sampled_from(("mine", "servqual")),
        version=st.sampled_from(("1", "1991")),
        dealer_id=_or(dealer_id, ids("D")),
        staff=ids("SM") | ids("SA"),
        role=st.sampled_from(StaffRole),
        at=instants(),
        answers=st.lists(answer, min_size=1, max_size=6, unique_by=lambda a: a.item).map(tuple),
    )


def contacts(
    customer_id: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[ContactMade]:
    """Contacts with customers.

    Args:
        customer_id: a strategy for the customer; ``ids("C")`` by default.

    Returns:
        A strategy of [`ContactMade`][aftersales_crm.records.ContactMade].
    """
    return st.builds(
        ContactMade,
        id=ids("K"),
        customer_id=_or(customer_id, ids("C")),
        channel=st.sampled_from(ContactChannel),
        purpose=st.sampled_from(ContactPurpose),
        outcome=st.sampled_from(ContactOutcome),
        at=instants(),
    )


def complaints(
    customer_id: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[ComplaintFiled]:
    """Complaints as filed.

    Args:
        customer_id: a strategy for the customer; ``ids("C")`` by default.

    Returns:
        A strategy of [`ComplaintFiled`][aftersales_crm.records.ComplaintFiled].
    """
    return st.builds(
        ComplaintFiled,
        id=ids("Q"),
        customer_id=_or(customer_id, ids("C")),
        at=instants(),
        category=st.sampled_from(ComplaintCategory),
        severity=st.sampled_from(Severity),
        channel=st.sampled_from(ContactChannel),
    )


def complaint_updates(complaint: ComplaintFiled) -> st.SearchStrategy[ComplaintUpdated]:
    """Updates of one complaint, after it was filed; closing carries a verdict.

    Args:
        complaint: the complaint being updated.

    Returns:
        A strategy of [`ComplaintUpdated`][aftersales_crm.records.ComplaintUpdated].
    """
    return _complaint_update(complaint)


@st.composite
def _complaint_update(draw: st.DrawFn, complaint: ComplaintFiled) -> ComplaintUpdated:
    action = draw(st.sampled_from(ComplaintAction))
    verdict = draw(st.sampled_from(CustomerVerdict)) if action is ComplaintAction.CLOSED else None
    return ComplaintUpdated(
        id=draw(ids("U")),
        complaint_id=complaint.id,
        at=draw(instants(start=complaint.at, days=90)),
        action=action,
        verdict=verdict,
    )


def referrals(referrer_id: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[ReferralMade]:
    """Referrals, pending or delivered.

    Args:
        referrer_id: a strategy for the referring customer; ``ids("C")`` by default.

    Returns:
        A strategy of [`ReferralMade`][aftersales_crm.records.ReferralMade].
    """

    def build(rid: str, cid: str, name: str, on: date, after: int | None) -> ReferralMade:
        delivered = None if after is None else on + timedelta(days=after)
        return ReferralMade(
            id=rid, referrer_id=cid, referred_name=name, on=on, delivered_on=delivered
        )

    return st.builds(
        build,
        ids("R"),
        _or(referrer_id, ids("C")),
        _NAMES,
        st.dates(date(2015, 1, 1), date(2026, 12, 31)),
        st.none() | st.integers(0, 120),
    )


def activities(
    customer_id: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[ActivityAttended]:
    """Club activity attendances.

    Args:
        customer_id: a strategy for the customer; ``ids("C")`` by default.

    Returns:
        A strategy of [`ActivityAttended`][aftersales_crm.records.ActivityAttended].
    """
    return st.builds(
        ActivityAttended,
        id=ids("A"),
        activity_id=ids("EV"),
        customer_id=_or(customer_id, ids("C")),
        on=st.dates(date(2015, 1, 1), date(2026, 12, 31)),
    )


def members(
    customer_id: st.SearchStrategy[str] | None = None,
    chapter_id: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[MemberApplied]:
    """Club members as they applied.

    Args:
        customer_id: a strategy for the applying customer; ``ids("C")`` by default.
        chapter_id: a strategy for the chapter applied to; ``ids("CH")`` by default.

    Returns:
        A strategy of [`MemberApplied`][aftersales_crm.records.MemberApplied].
    """
    return st.builds(
        MemberApplied,
        id=ids("M"),
        customer_id=_or(customer_id, ids("C")),
        chapter_id=_or(chapter_id, ids("CH")),
        at=instants(),
    )


#: The longest gap, in seconds, between two steps of a member's life drawn by
#: [`member_lives`][aftersales_crm.testing.strategies.member_lives]: about a year.
_STEP_SECONDS: Final = 366 * 86_400


#: The kinds of member fact in the order a life takes them at one instant.
_LIFE_ORDER: Final = (
    MemberApplied,
    MemberJoined,
    MemberTransferred,
    MemberLapsed,
    MemberReactivated,
)


@st.composite
def member_lives(
    draw: st.DrawFn, applied: MemberApplied, chapter_ids: Sequence[str] = ()
) -> list[Record]:
    """One member's later facts, a possible life after ``applied``: every step is allowed.

    The member may join (or withdraw the application), then move to one of
    ``chapter_ids`` other than the chapter they are in, lapse and come back, a few times
    over. Each step is dated at or after the one before; two steps share an instant only
    when the order the library gives facts of one instant (applied, joined, transferred,
    lapsed, reactivated, then by id) keeps them in the order drawn. The ids are the member
    id, ``-`` and the step's number.

    Args:
        draw: supplied by hypothesis.
        applied: the member's application.
        chapter_ids: the chapters a member may move to; no transfer when there is none
            besides the member's own.

    Returns:
        The facts after the application, in the order they happened.
    """
    out: list[Record] = []
    at, chapter, state = applied.at, applied.chapter_id, "applying"
    before: Record = applied
    for step in range(draw(st.integers(0, 6))):
        fid = f"{applied.id}-{step}"
        fact: Record
        if state == "applying":
            if draw(st.booleans()):
                fact, state = MemberJoined(id=fid, member_id=applied.id, at=at), "active"
            else:
                reason = LapseReason.WITHDRAWN
                fact = MemberLapsed(id=fid, member_id=applied.id, at=at, reason=reason)
                state = "lapsed"
        elif state == "active":
            others = sorted(set(chapter_ids) - {chapter})
            moves: bool = draw(st.booleans()) if others else False
            if moves:
                chapter = draw(st.sampled_from(others))
                fact = MemberTransferred(id=fid, member_id=applied.id, to_chapter_id=chapter, at=at)
            else:
                reason = draw(st.sampled_from(LapseReason))
                fact = MemberLapsed(id=fid, member_id=applied.id, at=at, reason=reason)
                state = "lapsed"
        else:
            fact, state = MemberReactivated(id=fid, member_id=applied.id, at=at), "active"
        # A tie keeps the drawn order only if the kinds' order (then the ids') agrees.
        rank, last = _LIFE_ORDER.index(type(fact)), _LIFE_ORDER.index(type(before))
        least = 0 if (rank, fact.key) > (last, before.key) else 1
        at += timedelta(seconds=draw(st.integers(least, _STEP_SECONDS)))
        fact = fact.model_copy(update={"at": at})
        out.append(fact)
        before = fact
    return out


def points_earned(
    member_id: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[PointsEarned]:
    """Points awards (lots), some pending, some expiring.

    Args:
        member_id: a strategy for the member; ``ids("M")`` by default.

    Returns:
        A strategy of ``PointsEarned``.
    """
    return _points_earned(_or(member_id, ids("M")))


_PENDING_SECONDS: Final = st.none() | st.integers(0, 30 * 86_400)
_EXPIRES_DAYS: Final = st.none() | st.integers(0, 3 * 365)


@st.composite
def _points_earned(draw: st.DrawFn, member_id: st.SearchStrategy[str]) -> PointsEarned:
    at = draw(instants())
    pending = draw(_PENDING_SECONDS)
    expires = draw(_EXPIRES_DAYS)
    return PointsEarned(
        id=draw(ids("PE")),
        member_id=draw(member_id),
        amount=draw(st.integers(1, 5_000)),
        at=at,
        source_id=draw(ids("S")),
        funder=draw(st.sampled_from(Funder)),
        dealer_id=draw(ids("D")),
        pending_until=None if pending is None else at + timedelta(seconds=pending),
        expires_on=None if expires is None else at.date() + timedelta(days=expires),
    )


def points_redeemed(
    member_id: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[PointsRedeemed]:
    """Points redemptions.

    Args:
        member_id: a strategy for the member; ``ids("M")`` by default.

    Returns:
        A strategy of ``PointsRedeemed``.
    """
    return st.builds(
        PointsRedeemed,
        id=ids("PR"),
        member_id=_or(member_id, ids("M")),
        amount=st.integers(1, 5_000),
        at=instants(),
        dealer_id=ids("D"),
        source_id=st.none() | ids("RO"),
    )


def points_expired(
    member_id: st.SearchStrategy[str] | None = None,
    earned_id: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[PointsExpired]:
    """Records of expiry runs.

    Args:
        member_id: a strategy for the member; ``ids("M")`` by default.
        earned_id: a strategy for the award; ``ids("PE")`` by default.

    Returns:
        A strategy of ``PointsExpired``.
    """
    return st.builds(
        PointsExpired,
        id=ids("PX"),
        member_id=_or(member_id, ids("M")),
        amount=st.integers(1, 5_000),
        at=instants(),
        earned_id=_or(earned_id, ids("PE")),
    )


def points_reversed(
    member_id: st.SearchStrategy[str] | None = None,
    earned_id: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[PointsReversed]:
    """Reversals of awards, by amount or by a refunded share.

    Args:
        member_id: a strategy for the member; ``ids("M")`` by default.
        earned_id: a strategy for the award; ``ids("PE")`` by default.

    Returns:
        A strategy of ``PointsReversed``.
    """
    shares = st.integers(1, 1_000).flatmap(
        lambda d: st.builds(Share, numerator=st.integers(1, d), denominator=st.just(d))
    )
    by_amount = st.builds(
        PointsReversed,
        id=ids("PV"),
        member_id=_or(member_id, ids("M")),
        at=instants(),
        earned_id=_or(earned_id, ids("PE")),
        amount=st.integers(1, 5_000),
    )
    by_share = st.builds(
        PointsReversed,
        id=ids("PV"),
        member_id=_or(member_id, ids("M")),
        at=instants(),
        earned_id=_or(earned_id, ids("PE")),
        share=shares,
    )
    return by_amount | by_share


def points_adjusted(
    member_id: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[PointsAdjusted]:
    """Manual adjustments, credits and debits.

    Args:
        member_id: a strategy for the member; ``ids("M")`` by default.

    Returns:
        A strategy of ``PointsAdjusted``.
    """
    return st.builds(
        PointsAdjusted,
        id=ids("PJ"),
        member_id=_or(member_id, ids("M")),
        amount=st.integers(-5_000, 5_000).filter(bool),
        at=instants(),
        reason=st.sampled_from(["correction", "goodwill", "double award"]),
        funder=st.sampled_from(Funder),
    )


def facts(
    kind: str | type[Record] | FactKind, within: Book | None = None, *, size: int = 6
) -> st.SearchStrategy[Sequence[Record]]:
    """Records of one registered fact kind, drawn as [`books`][aftersales_crm.testing.strategies.books] draws them.

    Args:
        kind: the kind, by name, record class or declaration.
        within: the Book the records' references point into; empty by default (kinds
            that refer to others then draw none).
        size: the scale of the draw (the most customers of a Book).

    Returns:
        A strategy of sequences of records with unique keys.

    Raises:
        InvalidValue: the kind declares no strategy, or is not registered.

    Examples:
        >>> from hypothesis import given
        >>> @given(facts("dealers"))
        ... def test_dealers_have_unique_ids(dealers):
        ...     assert len({d.id for d in dealers}) == len(dealers) >= 1
        >>> test_dealers_have_unique_ids()
    """
    declared = kind if isinstance(kind, FactKind) else fact_kind(kind)
    if declared.strategy is None:
        msg = f"fact kind {declared.name!r} declares no strategy"
        raise InvalidValue(msg, code="no_strategy")
    part: st.SearchStrategy[Sequence[Record]] = load_producer(declared.strategy)(
        Book() if within is None else within, size
    )
    return part


@st.composite
def books(draw: st.DrawFn, *, max_customers: int = 6) -> Book:
    """Consistent Books: every reference resolves, ids are unique, ownerships do not overlap.

    Each registered fact kind with a ``strategy`` draws its records in registry order, into
    the Book drawn so far.

    Args:
        draw: supplied by hypothesis.
        max_customers: the most customers a Book holds.

    Returns:
        A [`Book`][aftersales_crm.records.Book].
    """
    book = Book()
    for kind in fact_kinds():
        if kind.strategy is not None:
            book = book.add(*draw(facts(kind, book, size=max_customers)))
    return book
