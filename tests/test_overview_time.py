"""Where events lie in time for the overview and the navigator: fractional years, extents,
spans, day numbers."""

from __future__ import annotations

from generator.content.dates import parse_date
from generator.content.model import Event
from generator.site.overview_time import (
    day_end,
    day_number,
    days_of,
    domain,
    extent,
    moment,
    placements,
    span,
)


def test_moments_put_month_starts_on_twelfths_and_a_day_ends_at_the_next_start() -> None:
    assert moment((2017, 1, 1)) == 2017.0
    assert moment((2017, 4, 1)) == 2017.25
    assert day_end((2017, 3, 31)) == 2017 + 3 / 12  # the last day of March ends in April
    assert day_end((2017, 3, 10)) == moment((2017, 3, 10)) + 1 / 372
    assert moment((-39, 3, 1)) < moment((1, 1, 1))


def test_an_extent_covers_a_month_a_range_and_says_when_it_is_hedged() -> None:
    month = extent(parse_date("2017-09"))
    assert (month.start, month.end) == (moment((2017, 9, 1)), 2017 + 9 / 12)
    assert not month.fuzzy and not month.is_range
    hedged = extent(parse_date("2017-09~/2018-01"))
    assert hedged.fuzzy and hedged.is_range and hedged.end == 2018 + 1 / 12
    assert extent(parse_date("2017/..")).end is None
    assert span(parse_date("2017-09")) == (month.start, month.end)


def test_the_domain_is_whole_years_at_least_one_wide() -> None:
    assert domain([(2017.5, 2017.6)]) == (2017.0, 2018.0)
    assert domain([(2017.5, None), (2010.2, 2011.0)]) == (2010.0, 2018.0)


def test_day_numbers_keep_order_and_read_back_before_year_one() -> None:
    assert day_number((2017, 3, 1)) == 20170301
    assert day_number((-39, 3, 1)) == -389699
    assert -389699 // 10000 == -39
    assert day_number((-1, 12, 31)) < day_number((0, 1, 1)) < day_number((1, 1, 1))
    assert dict(days_of(parse_date("2017-03/.."))) == {"first": "20170301", "last": ""}
    assert dict(days_of(parse_date("2017-03-05"))) == {"first": "20170305",
                                                        "last": "20170305"}


def test_placements_are_each_events_first_day_span_and_year() -> None:
    events = [Event(slug="a", path="content/events/a.md", title="A",
                    date=parse_date("2017-09"), status="confirmed", sources=())]
    assert placements(events) == [((2017, 9, 1), span(events[0].date), 2017)]
