"""The training material as data: documents by title, quotes kept word for word."""

from __future__ import annotations

import pytest

from aftersales_crm.errors import InvalidValue
from aftersales_crm.values import Material, Quote


def test_every_document_is_cited_by_its_chinese_title_in_title_marks() -> None:
    assert [m.citation for m in Material] == [
        "《客户关系与CSI培训课程(原件无标题)》",
        "《斯柯达车友汇客户关爱总监培训教材》",
        "《汽车售后客户关系管理》",
        "《信息回访员基础培训分析报告》",
        "《客户服务关系管理》",
    ]


def test_a_quote_shows_its_source_and_text_and_translates() -> None:
    quote = Quote(Material.FOLLOW_UP_CALLS, "没时间", "has no time")
    assert str(quote) == "《信息回访员基础培训分析报告》: “没时间”"
    assert (quote.in_("zh"), quote.in_("en")) == ("没时间", "has no time")


@pytest.mark.parametrize(("text", "english"), [("", "x"), ("x", "  "), ("x", None)])
def test_a_quote_needs_both_texts(text: str, english: str) -> None:
    with pytest.raises(InvalidValue, match="expected a non-empty string") as info:
        Quote(Material.CSI_COURSE, text, english)
    assert info.value.code == "invalid_quote"


def test_quotes_are_equal_by_value_and_frozen() -> None:
    a = Quote(Material.CSI_COURSE, "重点抓A类客户", "focus on class A customers")
    assert a == Quote(Material.CSI_COURSE, "重点抓A类客户", "focus on class A customers")
    with pytest.raises(AttributeError):
        a.text = "x"  # type: ignore[misc]
