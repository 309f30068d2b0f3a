"""What a date leaves open (generator/content/hedges.py), named for the page to explain."""

from __future__ import annotations

import pytest

from generator.content.dates import parse_date, with_end
from generator.content.hedges import HEDGES, hedges


@pytest.mark.parametrize(("written", "expected"), [
    ("2017-09-11", ()),
    ("2017-09", ()),
    ("2017", ()),
    ("2017-04~", ("approximate",)),
    ("2017-04?", ("uncertain",)),
    ("2017-04%", ("approximate", "uncertain")),
    ("2017-21", ("season",)),
    ("201X", ("decade",)),
    ("20XX", ("century",)),
    ("2017-09-11/2017-09-22", ("span",)),
    ("2017~/2019", ("approximate", "span")),
    ("2017/..", ("open-end",)),
    ("2017/", ("unknown-end",)),
    ("../2017", ("open-start",)),
    ("/2017", ("unknown-start",)),
    ("2016-02-10?/..", ("uncertain", "open-end")),
])
def test_each_kind_of_hedge_is_named(written: str, expected: tuple[str, ...]) -> None:
    assert hedges(parse_date(written)) == expected


def test_an_end_written_apart_is_a_span_and_its_hedges_count() -> None:
    date = with_end(parse_date("2017-09"), parse_date("2017-12?"))
    assert hedges(date) == ("uncertain", "span")


def test_a_range_that_begins_and_ends_on_one_day_is_not_a_span() -> None:
    assert hedges(parse_date("2017-09-11/2017-09-11")) == ()


def test_names_come_in_the_documented_order_and_are_all_known() -> None:
    found = hedges(parse_date("2017-21/2018~"))
    assert found == ("approximate", "season", "span")
    assert list(found) == sorted(found, key=HEDGES.index)
    assert set(found) <= set(HEDGES)
