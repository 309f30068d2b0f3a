"""TimelineJS dates both ways: years shifted around 1 BCE, precision kept, every date read
back as the one written, every bad part named."""

from __future__ import annotations

import pytest

from generator.content.dates import parse_date
from generator.interop.timelinejs import (
    DatePartError,
    edtf_year,
    event_date,
    side_text,
    tl_date,
    tl_dates,
    tl_year,
    year_text,
)


def test_years_around_the_era() -> None:
    assert [tl_year(y) for y in (2017, 1, 0, -43)] == [2017, 1, -1, -44]
    assert all(edtf_year(tl_year(y)) == y for y in range(-50, 50))
    assert [year_text(y) for y in (2017, 0, -43, 12000, -12000)] == [
        "2017", "0000", "-0043", "Y12000", "Y-12000"]


def test_export_keeps_precision() -> None:
    assert tl_date(parse_date("2017-09-11").first) == {"year": 2017, "month": 9, "day": 11}
    assert tl_date(parse_date("2017-09").first) == {"year": 2017, "month": 9}
    assert tl_date(parse_date("-0043").first) == {"year": -44}
    assert tl_dates(parse_date("2017-21")) == ({"year": 2017, "month": 3},
                                               {"year": 2017, "month": 5})
    assert tl_dates(parse_date("201X")) == ({"year": 2010}, {"year": 2019})
    assert tl_dates(parse_date("2017/2018-02")) == ({"year": 2017},
                                                    {"year": 2018, "month": 2})
    assert tl_dates(parse_date("../2017")) == ({"year": 2017}, None)
    assert tl_dates(parse_date("2017-09-11T08:30:00")) == (
        {"year": 2017, "month": 9, "day": 11, "hour": 8, "minute": 30, "second": 0}, None)


@pytest.mark.parametrize("text", [
    "2017", "2017-09", "2017-09-11", "-0043", "2017~", "2017-09?", "2017-09-11%",
    "201X", "19XX", "2017-21", "2017-24", "2017/2018", "2017-09-11/2017-10",
    "2017/..", "../2017", "2017-09-11T08:30:00"])
def test_a_date_read_back_is_the_one_written(text: str) -> None:
    date = parse_date(text)
    start, end = tl_dates(date)
    back, shown, warnings = event_date(start, end or {}, date.display())
    assert (back.text, shown, warnings) == (date.text, "", [])


def test_a_display_date_that_says_more_is_kept() -> None:
    date, shown, warnings = event_date({"year": 2017}, None, "Early <b>2017</b>")
    assert (date.text, shown, warnings) == ("2017", "Early 2017", [])


def test_times_in_a_range_are_dropped_with_a_warning() -> None:
    date, shown, warnings = event_date(
        {"year": 2017, "month": 9, "day": 11, "hour": 8},
        {"year": 2017, "month": 9, "day": 12, "hour": 9}, "")
    assert date.text == "2017-09-11/2017-09-12"
    assert warnings == ["times dropped from 2017-09-11T08:00:00 – 2017-09-12T09:00:00: an "
                        "EDTF range has no time of day"]
    assert shown != ""


@pytest.mark.parametrize(("value", "part", "message"), [
    (3, "", 'expected a date like {"year": 1969, "month": 7}'),
    ({"month": 2}, "year", "missing: every TimelineJS date needs a year"),
    ({"year": "20x7"}, "year", "'20x7' is not a whole number"),
    ({"year": 2017, "month": 13}, "month", "no such month 13"),
    ({"year": 2017, "day": 3}, "month", "missing: a day needs a month"),
    ({"year": 2017, "month": 2, "hour": 3}, "day", "missing: a time needs a month and a day"),
    ({"year": 2017, "month": 2, "day": 30}, "day", "no such day 2017-02-30"),
])
def test_bad_parts_are_named(value: object, part: str, message: str) -> None:
    with pytest.raises(DatePartError) as caught:
        side_text(value)
    assert (caught.value.part, str(caught.value)) == (part, message)


def test_lenient_numbers() -> None:
    assert side_text({"year": "2,017", "month": 9.0, "day": ""}) == "2017-09"
    assert side_text({"year": -44}) == "-0043"
    assert side_text({"year": True, "month": 1} | {"year": 1}) == "0001-01"
