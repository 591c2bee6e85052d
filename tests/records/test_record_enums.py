"""Enumerations of records: the material's words for complaints and hard-to-reach customers."""

from __future__ import annotations

import inspect

import pytest
from pydantic import TypeAdapter

import aftersales_crm.records as records
from aftersales_crm import synthetic
from aftersales_crm.records import ComplaintCategory, ContactOutcome
from aftersales_crm.values import LabelledEnum

#: Every labelled enumeration the records package exports, found rather than listed.
RECORD_ENUMS: list[type[LabelledEnum]] = sorted(
    (
        obj
        for obj in vars(records).values()
        if isinstance(obj, type) and issubclass(obj, LabelledEnum)
    ),
    key=lambda enum: enum.__name__,
)


def test_the_records_package_exports_its_ten_enumerations() -> None:
    assert [enum.__name__ for enum in RECORD_ENUMS] == [
        "ComplaintAction", "ComplaintCategory", "ConsentPurpose", "ContactOutcome",
        "CustomerKind", "CustomerVerdict", "Funder", "LapseReason", "Severity", "StaffRole",
    ]  # fmt: skip


def test_complaints_can_be_about_product_quality_as_the_aftersales_crm_deck_says() -> None:
    # 《汽车售后客户关系管理》: "维修保养服务、产品质量、服务态度".
    assert ComplaintCategory.PRODUCT_QUALITY.label("zh") == "产品质量"
    assert ComplaintCategory.PRODUCT_QUALITY.label("en") == "product quality"
    assert ComplaintCategory.STAFF_ATTITUDE.label("zh") == "服务态度"
    assert ComplaintCategory("product_quality") is ComplaintCategory.PRODUCT_QUALITY


def test_the_older_complaint_categories_keep_their_table_codes() -> None:
    assert [c.value for c in ComplaintCategory] == [
        "repair_quality", "waiting_time", "price", "staff_attitude", "parts", "facility",
        "other", "product_quality",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("outcome", "zh"),
    [
        # 《信息回访员基础培训分析报告》, "描述电话客户会有哪些情况比较难对付?"
        (ContactOutcome.NO_TIME, "没时间"),
        # the deck: "很多电话骚扰,对不熟悉的电话不接"; the label is the customer's behaviour
        (ContactOutcome.IGNORES_UNKNOWN_NUMBERS, "对不熟悉的电话不接"),
        (ContactOutcome.UNSPOKEN_GRIEVANCE, "心存抱怨又不想投诉"),
        (ContactOutcome.SEES_NO_BENEFIT, "觉得回访对自己无益处"),
    ],
)
def test_the_hard_to_reach_outcomes_are_the_follow_up_decks_words(
    outcome: ContactOutcome, zh: str
) -> None:
    assert outcome.label("zh") == zh
    assert outcome.is_hard_to_reach


def test_the_hard_to_reach_outcomes_have_faithful_english_labels() -> None:
    assert [o.label("en") for o in ContactOutcome if o.is_hard_to_reach] == [
        "has no time",
        "does not answer unfamiliar numbers",
        "holds a grievance but does not want to complain",
        "feels the follow-up call does them no good",
    ]


def test_the_plain_call_results_are_not_hard_to_reach_and_keep_their_codes() -> None:
    plain = [o.value for o in ContactOutcome if not o.is_hard_to_reach]
    assert plain == ["reached", "no_answer", "refused", "wrong_number", "do_not_contact"]
    assert list(ContactOutcome)[: len(plain)] == [ContactOutcome(v) for v in plain]


def test_the_outcome_docstring_gives_the_reason_the_deck_puts_first() -> None:
    assert "很多电话骚扰,对不熟悉的电话不接" in (inspect.getdoc(ContactOutcome) or "")


@pytest.mark.parametrize("enum", RECORD_ENUMS, ids=lambda e: e.__name__)
def test_each_record_enum_documents_an_example_and_round_trips_json(
    enum: type[LabelledEnum],
) -> None:
    assert ">>>" in (inspect.getdoc(enum) or "")
    adapter = TypeAdapter(enum)
    for member in enum:
        assert adapter.validate_json(adapter.dump_json(member)) is member
        assert member.label("zh")
        assert member.label("en")


@pytest.mark.parametrize("enum", RECORD_ENUMS, ids=lambda e: e.__name__)
def test_no_record_enum_cites_internal_notes(enum: type[LabelledEnum]) -> None:
    doc = inspect.getdoc(enum) or ""
    assert "DOMAIN.md" not in doc
    assert "automotive.md" not in doc


def test_the_synthetic_dealer_draws_the_new_categories_and_outcomes() -> None:
    book = synthetic.book(800, seed=0)
    categories = {c.category for c in book.complaints.values()}
    outcomes = {c.outcome for c in book.contacts.values()}
    assert ComplaintCategory.PRODUCT_QUALITY in categories
    assert {o for o in ContactOutcome if o.is_hard_to_reach} <= outcomes
