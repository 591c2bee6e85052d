"""The report's blocks: one table gives the text report's lines and the HTML report's table."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales_crm._cli._blocks import Grid, Pre, html_blocks, text_lines

GRID = Grid(("class", "customers", "share"), [("A类", "400", "20%"), ("B类", "<600>", "30%")],
            widths=(8, 11, 7))  # fmt: skip


def test_a_grid_lays_out_its_text_by_width_and_side() -> None:
    assert GRID.lines() == (
        "    class     customers  share",
        "    A类             400    20%",  # a wide character takes two columns
        "    B类           <600>    30%",
    )


def test_a_grid_is_an_html_table_with_escaped_cells_and_numbers_right_aligned(
    table_cells: Callable[[str], Any],
) -> None:
    table = GRID.html()
    assert "&lt;600&gt;" in table
    assert "<600>" not in table
    found = table_cells(table)
    assert found.rows == [
        ["class", "customers", "share"],
        ["A类", "400", "20%"],
        ["B类", "<600>", "30%"],
    ]
    assert found.classes[1] == [None, "num", "num"]


def test_text_given_to_a_grid_is_the_text_report_and_its_cells_the_html(
    table_cells: Callable[[str], Any],
) -> None:
    grid = Grid(("", "D"), [("A", "1")], text=("    laid out by the library",))
    assert text_lines(["heading", grid]) == ("heading", "    laid out by the library")
    assert table_cells(grid.html()).rows == [["", "D"], ["A", "1"]]


@pytest.mark.parametrize(
    ("grid", "message"),
    [
        (lambda: Grid(("a", "b"), [("1",)], widths=(3, 3)), "row 0 of a report table has 1 cells"),
        (lambda: Grid(("a", "b"), [], widths=(3,)), "a report table of 2 columns has 1 widths"),
        (lambda: Grid(("a", "b"), [], widths=(3, 3), align="lx"), "is aligned 'lx'"),
    ],
)
def test_a_malformed_grid_says_what_does_not_fit(grid: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        grid()  # type: ignore[operator]


def test_prose_keeps_its_depth_and_a_report_stays_preformatted() -> None:
    out = html_blocks(["Heading", "  under it", "", "      deep <b>", Pre(["  a  b", "  1  2"])])
    assert out == [
        "<p>Heading</p>",
        '<p class="i1">under it</p>',
        '<p class="i3">deep &lt;b&gt;</p>',
        "<pre>  a  b\n  1  2</pre>",
    ]


@given(
    st.lists(
        st.one_of(
            st.text(max_size=12),
            st.lists(st.text(max_size=6), max_size=3).map(Pre),
            st.lists(st.tuples(st.text(max_size=5), st.text(max_size=5)), max_size=3).map(
                lambda rows: Grid(("k", "n"), rows, widths=(6, 6))
            ),
        ),
        max_size=6,
    )
)
def test_the_text_of_blocks_is_each_blocks_lines_in_order(blocks: list[str | Grid | Pre]) -> None:
    expected = [
        line
        for block in blocks
        for line in (
            [block]
            if isinstance(block, str)
            else block.lines()
            if isinstance(block, Grid)
            else block.lines
        )
    ]
    assert list(text_lines(blocks)) == expected
    assert len(html_blocks(blocks)) == sum(1 for b in blocks if not isinstance(b, str) or b.strip())
