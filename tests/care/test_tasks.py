"""Care tasks: kinds, reasons and the columns, with errors naming the rows and fields."""

from __future__ import annotations

import pickle
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales_crm.care import CareTasks, Reason, TaskKind, Texts
from aftersales_crm.errors import InvalidType, InvalidValue
from aftersales_crm.values import ContactPurpose

CALL = TaskKind("doc_call", "call", "电话", purpose="care")
OTHER = TaskKind("doc_other", "other", "其他", purpose="reminder")
SINCE = Reason("since {anchor}, due {due}, {detail} km", "自{anchor}起,{due}到期,{detail}公里")


def tasks(**fields: object) -> CareTasks:
    base: dict[str, object] = {
        "customer": ["C2", "C1"],
        "due": ["2026-07-03", "2026-07-01"],
        "anchor": ["2026-06-03", "2026-06-01"],
        "detail": [5000, 3000],
        "source": ["R2", "R1"],
        "source_table": "orders",
    }
    return CareTasks.build(CALL, SINCE, **(base | fields))


def test_a_kind_is_closed_by_its_own_purpose_unless_told() -> None:
    assert CALL.closed_by == (ContactPurpose.CARE,)
    both = TaskKind("doc_x", "x", "x", purpose="reminder", closed_by=("reminder", "appointment"))
    assert both.closed_by == (ContactPurpose.REMINDER, ContactPurpose.APPOINTMENT)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "Doc-Call"}, "lower snake case"),  # not an identifier
        ({"purpose": "gossip"}, "purpose is 'gossip'"),  # no such purpose
        ({"closes_from": "due"}, "closes_from is 'due'"),  # neither anchor nor window
        ({"en": " "}, "en is ' '"),  # empty label
        ({"closed_by_visit": 1}, "closed_by_visit is 1"),  # not a bool
    ],
)
def test_a_kind_refuses_bad_fields_naming_them(fields: dict[str, object], message: str) -> None:
    base: dict[str, object] = {"name": "doc", "en": "a", "zh": "甲", "purpose": "care"}
    with pytest.raises(InvalidValue, match=message):
        TaskKind(**(base | fields))  # type: ignore[arg-type]


def test_a_reason_fills_its_fields_in_either_language() -> None:
    assert SINCE.text("en", anchor="A", due="D", detail=7) == "since A, due D, 7 km"
    assert SINCE.text("zh", anchor="A", due="D", detail=7) == "自A起,D到期,7公里"
    assert Reason("x {due}", "x").text() == "x "  # a field not given is left blank


def test_a_reason_refuses_a_template_that_does_not_parse() -> None:
    with pytest.raises(InvalidValue, match="does not parse"):
        Reason("due {", "x")


def test_reasons_text_fills_each_row_from_its_own_columns() -> None:
    assert tasks().reasons_text().tolist() == [
        "since 2026-06-03, due 2026-07-03, 5000 km",
        "since 2026-06-01, due 2026-07-01, 3000 km",
    ]


def test_build_defaults_the_window_and_target_to_the_due_day() -> None:
    built = tasks()
    assert built.window_start.tolist() == built.due.tolist() == built.window_end.tolist()
    assert built.target.tolist() == built.due.tolist()
    assert built.vehicle.tolist() == ["", ""]


def test_columns_are_read_only() -> None:
    built = tasks()
    with pytest.raises(ValueError, match="read-only"):
        built.priority[0] = 3


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        # the window must hold the due day
        (
            {"window_start": ["2026-07-04", "2026-07-01"]},
            r"does not hold the due day in 1 rows \(\[0\]\)",
        ),
        (
            {"window_end": ["2026-07-03", "2026-06-30"]},
            r"does not hold the due day in 1 rows \(\[1\]\)",
        ),
        ({"due": ["2026-07-03", "NaT"]}, r"due is missing in 1 rows \(\[1\]\)"),
        ({"reason": [0, 1]}, r"reason codes must lie in 0..0: 1 rows \(\[1\]\) do not"),
        ({"channel": 9}, r"channel codes must lie in 0..5"),
        ({"customer": "C1"}, "customer is 'C1'"),  # one text, not one per task
        ({"priority": [1.5, 2]}, "priority"),  # not whole numbers
    ],
)
def test_bad_columns_are_refused_naming_the_rows(fields: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidValue, match=message):
        tasks(**fields)


def test_columns_of_different_lengths_are_refused() -> None:
    with pytest.raises(InvalidValue, match="differ in length"):
        tasks(detail=[1, 2, 3])


def test_build_needs_a_task_kind() -> None:
    with pytest.raises(InvalidType, match="expected a TaskKind"):
        CareTasks.build("doc_call", SINCE, customer=["C1"], due=["2026-07-01"])  # type: ignore[arg-type]


def test_concat_merges_kinds_by_name_and_reasons_by_value() -> None:
    other = CareTasks.build(OTHER, SINCE, customer=["C3"], due=["2026-07-02"])
    again = CareTasks.build(CALL, Reason("b", "乙"), customer=["C4"], due=["2026-07-02"])
    both = CareTasks.concat([tasks(), other, again])
    assert [k.name for k in both.kinds] == ["doc_call", "doc_other"]
    assert len(both.reasons) == 2
    assert both.kind_names().tolist() == ["doc_call", "doc_call", "doc_other", "doc_call"]
    assert both.reasons_text()[2:].tolist() == ["since NaT, due 2026-07-02, 0 km", "b"]
    assert both.counts() == {"doc_call": 3, "doc_other": 1}


def test_concat_refuses_two_kinds_under_one_name() -> None:
    clash = TaskKind("doc_call", "call", "电话", purpose="reminder")
    other = CareTasks.build(clash, SINCE, customer=["C3"], due=["2026-07-02"])
    with pytest.raises(InvalidValue, match="two task kinds are named 'doc_call'"):
        CareTasks.concat([tasks(), other])


def test_equal_tasks_in_any_order_are_equal() -> None:
    built = tasks()
    assert built == built.take([1, 0])
    assert built != built.take([0])
    assert built != tasks(detail=[5000, 3001])
    assert CareTasks.concat([built.take([1]), built.take([0])]) == built


def many(n: int) -> CareTasks:
    """``n`` tasks whose every column differs from row to row."""
    days = np.datetime64("2026-07-01") + np.arange(n)
    return CareTasks.build(
        CALL,
        SINCE,
        customer=[f"C{i}" for i in range(n)],
        vehicle=[f"V{i}" for i in range(n)],
        due=days,
        window_start=days - 1,
        window_end=days + 2,
        target=days + 1,
        anchor=days - 30,
        channel=np.arange(n) % 3,
        priority=np.arange(n) * 7,
        detail=np.arange(n) * 100,
        source=[f"R{i}" for i in range(n)],
        source_table="orders",
    )


@pytest.mark.parametrize("rows", [[], [3], [4, 0, 2], [1, 1, 0]])
def test_tasks_taken_lazily_equal_the_tasks_taken(rows: list[int]) -> None:
    built = many(5)
    picked = np.array(rows, dtype=np.intp)
    lazy = built._taken_lazily(picked, channel=np.full(len(rows), 2, dtype=np.int8))
    taken = built.take(picked)
    assert isinstance(lazy, CareTasks)
    assert len(lazy) == len(taken)
    assert lazy.channel.tolist() == [2] * len(rows)
    for name, column in taken.columns().items():
        if name != "channel":
            assert getattr(lazy, name).tolist() == column.tolist(), name
    assert lazy.take(np.arange(len(rows))[::-1]).due.tolist() == taken.due.tolist()[::-1]
    assert type(lazy.take(np.arange(len(rows)))) is CareTasks  # what comes out is plain
    assert lazy._replaced(channel=taken.channel) == taken
    assert pickle.loads(pickle.dumps(lazy)).columns().keys() == taken.columns().keys()


def test_tasks_taken_lazily_take_a_column_when_first_read_then_keep_it() -> None:
    built = many(4)
    lazy = built._taken_lazily(np.array([2, 0], dtype=np.intp))
    with pytest.raises(AttributeError):
        object.__getattribute__(lazy, "priority")  # not taken: no rule read it yet
    first = lazy.priority
    assert first.tolist() == [14, 0]
    assert lazy.priority is first  # taken once
    with pytest.raises(ValueError, match="read-only"):
        first[0] = 1
    with pytest.raises(AttributeError):
        _ = lazy.no_such_column  # type: ignore[attr-defined]
    replaced = lazy._replaced(priority=np.array([1, 2]))
    with pytest.raises(AttributeError):
        object.__getattribute__(replaced, "detail")  # still taken only when read
    assert replaced.detail.tolist() == [200, 0]
    assert replaced.priority.tolist() == [1, 2]


def test_threads_reading_a_lazy_column_at_once_get_the_one_column_made() -> None:
    built = many(50)
    lazy = built._taken_lazily(np.arange(49, -1, -1, dtype=np.intp))
    with ThreadPoolExecutor(max_workers=8) as pool:
        read = list(pool.map(lambda _: lazy.window_end, range(32)))
    assert all(column is read[0] for column in read)
    assert read[0].tolist() == built.window_end.tolist()[::-1]


def test_columns_joined_later_equal_those_joined_at_once() -> None:
    built = many(6)
    other = CareTasks.build(OTHER, Reason("b", "乙"), customer=["C9"], due=["2026-08-01"])
    parts = (built.take([4, 1]), other, built.take([0, 5, 2]))
    later = CareTasks._joined(parts, threads=2, later=frozenset({"source", "kind"}))
    with pytest.raises(AttributeError):
        object.__getattribute__(later, "_source")  # not joined until read
    assert later.source.tolist() == ["R4", "R1", "", "R0", "R5", "R2"]
    assert later.kind_names().tolist() == ["doc_call"] * 2 + ["doc_other"] + ["doc_call"] * 3
    assert later == CareTasks.concat(parts)
    assert CareTasks._joined(parts, threads=1) == CareTasks.concat(parts)


LATER = frozenset({"vehicle", "target", "reason", "detail", "anchor", "source", "kind"})


@settings(max_examples=40, deadline=None)
@given(
    sizes=st.lists(st.integers(0, 4), min_size=1, max_size=4),
    picks=st.lists(st.integers(0, 10_000), max_size=12),
)
def test_tasks_taken_from_parts_joined_later_equal_those_taken_from_all(
    sizes: list[int], picks: list[int]
) -> None:
    built = many(12)
    other = CareTasks.build(
        OTHER,
        Reason("b {detail}", "乙"),
        customer=["C1", "C7"],
        due=["2026-08-01"] * 2,
        source=["K1", "K2"],
        source_table="complaints",
        detail=[1, 2],
    )
    parts, first = [], 0
    for i, size in enumerate(sizes):  # parts alternate between the two, of other kinds
        source = built if i % 2 == 0 else other
        parts.append(source.take(np.arange(first, first + size) % len(source)))
        first += size
    whole = CareTasks.concat(parts)
    later = CareTasks._joined(tuple(parts), threads=1, later=LATER)
    rows = [pick % len(whole) for pick in picks] if len(whole) else []
    taken = later.take(rows)
    assert type(taken) is CareTasks
    assert taken.columns().keys() == whole.columns().keys()
    for name, column in whole.take(rows).columns().items():
        assert getattr(taken, name).tolist() == column.tolist(), name
    assert taken.reasons_text().tolist() == whole.take(rows).reasons_text().tolist()
    with pytest.raises(AttributeError):
        object.__getattribute__(later, "_source")  # taken at the rows, not joined whole


def test_the_canonical_order_sorts_by_due_day_then_customer() -> None:
    built = tasks(due=["2026-07-01", "2026-07-01"])
    assert built.customer[built.canonical_order()].tolist() == ["C1", "C2"]


def test_to_pandas_gives_one_row_per_task_with_texts() -> None:
    frame = tasks().to_pandas()
    assert frame["kind"].tolist() == ["doc_call", "doc_call"]
    assert frame["channel"].tolist() == ["phone", "phone"]
    assert frame["due"].dt.date.tolist() == [date(2026, 7, 3), date(2026, 7, 1)]


def test_purposes_are_the_kinds_purposes() -> None:
    both = CareTasks.concat(
        [tasks(), CareTasks.build(OTHER, SINCE, customer=["C3"], due=["2026-07-02"])]
    )
    purposes = list(ContactPurpose)
    assert [purposes[p] for p in both.purposes()] == [
        ContactPurpose.CARE,
        ContactPurpose.CARE,
        ContactPurpose.REMINDER,
    ]
    assert np.array_equal(CareTasks.empty().purposes(), np.zeros(0))


@pytest.mark.parametrize(
    ("start", "end"),
    [(date(2026, 6, 1), date(2026, 6, 30)), (date(2025, 1, 1), date(2026, 12, 31))],
)
def test_every_rule_makes_tasks_the_checked_constructor_accepts(start: date, end: date) -> None:
    # The rules build their tasks without build's checks (CareTasks._trusted): the checks
    # must hold of what they make all the same, with the columns' own types.
    from aftersales_crm import synthetic
    from aftersales_crm.care import CareInputs, Planner

    inputs = CareInputs.of(synthetic.book(300, seed=5), start=start, end=end)
    for rule in Planner.RULES:
        made = rule.plan(inputs)
        fields = made._fields()
        checked = CareTasks(**fields, kinds=made.kinds, reasons=made.reasons)
        assert checked == made, type(rule).__name__
        for name, column in fields.items():
            if isinstance(column, np.ndarray):
                assert column.dtype == getattr(checked, name).dtype, (type(rule).__name__, name)
                assert not column.flags.writeable, (type(rule).__name__, name)


TEXT = st.text(st.sampled_from("aZ9-车辆é"), max_size=6)


@settings(max_examples=80, deadline=None)
@given(
    sources=st.lists(st.lists(TEXT, min_size=0, max_size=40), min_size=1, max_size=4),
    parts=st.lists(
        st.tuples(st.integers(0, 3), st.lists(st.integers(-1, 1_000), max_size=12)),
        min_size=1,
        max_size=6,
    ),
)
def test_joined_texts_are_the_texts_of_each_part_in_turn(
    sources: list[list[str]], parts: list[tuple[int, list[int]]]
) -> None:
    # Parts of several widths, into shared or other texts, blank ones, few rows into
    # many texts (sorted) or many into few (counted): the texts come out as they went in.
    ids = [np.array(texts, dtype=str) if texts else np.empty(0, dtype="<U1") for texts in sources]
    given_parts = []
    for which, picks in parts:
        texts = ids[which % len(ids)]
        codes = np.array([p % (len(texts) + 1) - 1 for p in picks], dtype=np.int64)
        given_parts.append(Texts(codes, texts))
    joined = Texts.concat(given_parts)
    expected = [text for part in given_parts for text in part.values().tolist()]
    assert joined.values().tolist() == expected
    assert len(joined.ids) <= sum(len(texts) for texts in ids)
    many = Texts(np.arange(200, dtype=np.int64) % 3, np.array(["ab", "车", ""]))
    few = Texts(np.array([5, -1], dtype=np.int64), np.array([f"k{i}" for i in range(40)]))
    for extra in ([many], [few], [many, few]):
        both = Texts.concat([*given_parts, *extra])
        tail = [text for part in extra for text in part.values().tolist()]
        assert both.values().tolist() == expected + tail


@settings(max_examples=60, deadline=None)
@given(
    texts=st.lists(TEXT, max_size=30),
    picks=st.lists(st.integers(-1, 1_000), max_size=30),
    text=TEXT,
)
def test_matches_is_the_texts_compared_whether_rows_or_texts_are_fewer(
    texts: list[str], picks: list[int], text: str
) -> None:
    ids = np.array(texts, dtype=str) if texts else np.empty(0, dtype="<U1")
    codes = np.array([p % (len(ids) + 1) - 1 for p in picks], dtype=np.int64)
    column = Texts(codes, ids)
    for probe in (text, "", *texts[:2]):
        assert column.matches(probe).tolist() == (column.values() == probe).tolist()
