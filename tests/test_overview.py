"""The overview strip: a true time axis, one named link per event, bars when marks crowd."""

from __future__ import annotations

import random
import re

import lxml.etree
import pytest

from generator.content.dates import parse_date
from generator.content.model import Era, Event
from generator.site.overview import (
    MAX_LANES,
    MAX_MARKS,
    NARROW,
    PAD,
    RADIUS,
    WIDTH,
    Box,
    Overview,
    _text_width,
    plan_overview,
)
from generator.site.overview_svg import draw_overview, overview_svg
from generator.site.overview_time import extent, moment

SVG = "{http://www.w3.org/2000/svg}"


def event(n: int, date: str, status: str = "confirmed", title: str = "") -> Event:
    return Event(slug=f"e{n}", path=f"content/events/e{n}.md", title=title or f"Event {n}",
                 date=parse_date(date), status=status, sources=())


def timeline(*dates: str) -> list[Event]:
    return sorted((event(n, d) for n, d in enumerate(dates)), key=Event.sort_key)


def plan(events: list[Event], eras: list[Era] | None = None) -> Overview:
    ov = plan_overview(events, eras or [], lambda e: f"#{e.slug}", lambda y: f"years/{y}/")
    assert ov is not None
    return ov


def parse(svg: str) -> lxml.etree._Element:
    """The SVG as XML: well-formed, in the SVG namespace (as an HTML parser places it)."""
    root = lxml.etree.fromstring(svg.replace("<svg ", f'<svg xmlns="{SVG[1:-1]}" ', 1))
    assert root.tag == f"{SVG}svg"
    return root


def centre(box: Box) -> float:
    return box.x + box.width / 2


def axis(ov: Overview, t: float) -> float:
    """Where time ``t`` (a fractional year) falls on the strip."""
    return PAD + (t - ov.start) / (ov.end - ov.start) * (WIDTH - 2 * PAD)


FOURTEEN = ["2016-02-10", "2017-04~", "2017-09-11", "2017-09-28", "2017-10-06",
            "2017-12-22", "2019-12-22", "2020-01-30", "2020-03-05?", "2020-03-12",
            "2020-06-16", "2021-07/2021-12?", "2022-05-12", "2023-08/2023-11"]


def test_one_named_link_per_event_in_date_order_on_a_true_axis() -> None:
    events = timeline(*FOURTEEN)
    ov = plan(events)
    assert not ov.aggregated
    assert ov.start == 2016 and ov.end == 2024
    assert [m.href for m in ov.marks] == [f"#{e.slug}" for e in events]
    fuzzy = {"2017-04~", "2020-03-05?", "2021-07/2021-12?"}
    assert [m.label for m in ov.marks] == [
        f"{e.date.display()}: {e.title} ({e.status})"
        + (" (approximate or uncertain date)" if e.date.text in fuzzy else "")
        for e in events]
    assert ov.marks[0].label == "10 February 2016: Event 0 (confirmed)"
    # Each day's mark is centred where that day falls on a linear axis.
    for mark, day in ((ov.marks[0], (2016, 2, 10)), (ov.marks[2], (2017, 9, 11)),
                      (ov.marks[12], (2022, 5, 12))):
        assert centre(mark) == pytest.approx(axis(ov, moment(day) + 1 / 744), abs=0.01)


def test_marks_in_one_lane_never_overlap_and_stay_inside_the_strip() -> None:
    ov = plan(timeline(*FOURTEEN))
    lanes: dict[float, list[Box]] = {}
    for mark in ov.marks:
        lanes.setdefault(mark.y, []).append(mark)
        assert 0 <= mark.x and mark.x + mark.width <= WIDTH
    assert 1 < len(lanes) <= MAX_LANES
    for marks in lanes.values():
        for a, b in zip(marks, marks[1:], strict=False):
            assert a.x + a.width < b.x


def test_ranges_are_spans_and_approximate_dates_are_fuzzy() -> None:
    events = timeline("2017-09-11", "2018-01/2019-06", "2020-05~", "2021?", "2022/..")
    ov = plan(events)
    assert ov.end == 2023  # an open range still gets a year to reach into
    day, span, approx, uncertain, open_ended = ov.marks
    assert day.width == 2 * RADIUS and "ov-span" not in day.classes
    assert "ov-span" in span.classes and "ov-fuzzy" not in span.classes
    assert span.x == pytest.approx(axis(ov, 2018.0))
    assert span.x + span.width == pytest.approx(axis(ov, 2019.5))
    assert "ov-fuzzy" in approx.classes and "ov-fuzzy" in uncertain.classes
    assert "ov-fuzzy" not in day.classes
    assert "ov-span" in uncertain.classes  # a whole year, so a span
    assert uncertain.x + uncertain.width == pytest.approx(axis(ov, 2022.0))
    assert "ov-open" in open_ended.classes
    assert open_ended.x == pytest.approx(axis(ov, 2022.0))
    assert open_ended.x + open_ended.width == pytest.approx(axis(ov, ov.end))


def test_extent_of_partial_dates() -> None:
    year, months = extent(parse_date("2017")), extent(parse_date("2017-01/2017-12"))
    assert (year.start, year.end) == (months.start, months.end) == (2017.0, 2018.0)
    assert months.is_range and not year.is_range
    assert extent(parse_date("2017-02")).end == pytest.approx(2017 + 2 / 12)
    assert extent(parse_date("2016-02-29")).end == pytest.approx(2016 + 2 / 12)
    assert extent(parse_date("2017-06-29")).end == pytest.approx(moment((2017, 6, 30)))
    month = extent(parse_date("2017-09"))
    assert month.end is not None and month.end - month.start == pytest.approx(1 / 12)
    assert extent(parse_date("2017/..")).end is None
    assert extent(parse_date("2017-09-11~")).fuzzy


def test_eras_are_bands_clipped_to_the_axis() -> None:
    events = timeline("2016-02-10", "2018-05-01", "2020-06-16")
    eras = [Era("Before", parse_date("1990/2017")),
            Era("Window", parse_date("2017-12-22/2019-12-22")),
            Era("Ongoing", parse_date("2020-01-30/..")), Era("Later", parse_date("2030/2031"))]
    ov = plan(events, eras)
    assert [b.bar.label.split(":")[0] for b in ov.eras] == ["Before", "Window", "Ongoing"]
    before, window, ongoing = ov.eras
    assert before.band.x == pytest.approx(axis(ov, ov.start))  # clipped: began long before
    assert before.band.x + before.band.width == pytest.approx(axis(ov, 2018.0))
    assert window.band.x == pytest.approx(axis(ov, moment((2017, 12, 22))))
    assert window.band.x < centre(ov.marks[1]) < window.band.x + window.band.width
    assert ongoing.band.x + ongoing.band.width == pytest.approx(axis(ov, ov.end))
    # Bands sit behind the marks; each era's label has a row of its own above them.
    assert all(b.band.y + 3 <= min(m.y for m in ov.marks) for b in ov.eras)
    assert before.label_y != window.label_y  # overlapping eras get rows of their own
    svg = parse(draw_overview(ov))
    labels = [t.text for t in svg.iter(f"{SVG}text")]
    assert {"Before", "Window", "Ongoing"} <= set(labels)


def test_density_counts_every_event_by_year() -> None:
    ov = plan(timeline("2017-01-01", "2017-05-05", "2017-09-11", "2019-03-03"))
    counts = {b.label.split(":")[0]: int(b.label.split(": ")[1].split()[0]) for b in ov.density}
    assert counts == {"2017": 3, "2019": 1}
    tallest = max(ov.density, key=lambda b: b.height)
    assert tallest.label.startswith("2017")
    assert ov.summary == "4 events from 2017 to 2019; the busiest year is 2017, with 3 events."


def _bars(count: int, seed: int = 5) -> tuple[Overview, list[Event]]:
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    events = timeline(*(f"{rng.randint(1950, 2023)}-{rng.randint(1, 12):02d}-"
                        f"{rng.randint(1, 28):02d}" for _ in range(count)))
    return plan(events), events


def test_ten_thousand_events_become_legible_linked_bars() -> None:
    ov, events = _bars(10_000)
    assert ov.aggregated and ov.unit == "year"
    assert not ov.density
    assert sum(int(b.label.split(": ")[1].split()[0].replace(",", "")) for b in ov.marks) \
        == 10_000
    assert len(ov.marks) == len({e.date.start.year for e in events if e.date.start})
    for a, b in zip(ov.marks, ov.marks[1:], strict=False):
        assert a.x + a.width <= b.x  # side by side, never on top of each other
    assert all(re.fullmatch(r"years/\d{4}/", b.href) for b in ov.marks)
    assert ov.marks[0].label.startswith(ov.marks[0].href[6:10] + ": ")
    svg = draw_overview(ov)
    assert len(svg) < 30_000
    assert len(parse(svg).findall(f".//{SVG}a")) == len(ov.marks)


def test_crowded_marks_become_bars_even_when_few() -> None:
    ov = plan(timeline(*["2017-09-11"] * (MAX_LANES + 1), "2019-01-01"))
    assert ov.aggregated
    assert [b.label for b in ov.marks] == ["September 2017: 6 events", "January 2019: 1 event"]


def test_more_than_max_marks_become_bars() -> None:
    spread = [f"{1800 + n}-06-01" for n in range(MAX_MARKS + 1)]
    assert plan(timeline(*spread[:MAX_MARKS])).aggregated is False
    assert plan(timeline(*spread)).aggregated is True


def test_a_long_span_is_binned_by_decade_or_century() -> None:
    ov = plan(timeline(*[f"{1000 + 3 * n}-01-01" for n in range(300)]))
    assert ov.aggregated and ov.unit == "decade"
    assert ov.marks[0].label == "1000s: 4 events"
    assert all(re.fullmatch(r"years/\d{4}/", b.href) for b in ov.marks)


def test_ticks_are_round_years_and_bce_counts_as_readers_do() -> None:
    ov = plan(timeline(*FOURTEEN))
    assert [t.label for t in ov.ticks] == [str(y) for y in range(2016, 2025)]
    assert all(0 <= t.x <= WIDTH for t in ov.ticks)
    ancient = plan(timeline("-0044-03-15", "0014-08-19"))
    assert [t.label for t in ancient.ticks] == ["40 BCE", "30 BCE", "20 BCE", "10 BCE", "1",
                                                "10"]
    assert ancient.summary.startswith("2 events from 45 BCE to 14;")
    one_year = plan(timeline("2017-03-01", "2017-09-11"))
    assert [t.label for t in one_year.ticks] == ["2017", "Apr", "Jul", "Oct", "2018"]
    assert one_year.summary.startswith("2 events in 2017;")


def test_svg_is_safe_for_the_csp_and_escapes_titles() -> None:
    evil = event(1, "2017-09-11", title='<script>alert("x")</script> & "quotes"')
    svg, summary = overview_svg([evil], [Era('<b>era</b>', parse_date("2017/.."))],
                                lambda e: f"#{e.slug}", lambda y: f"years/{y}/", "cap")
    root = parse(svg)
    assert root.get("aria-labelledby") == "cap" and root.get("role") == "group"
    assert "<script" not in svg and "<b>" not in svg
    assert not [el for el in root.iter() if el.get("style") is not None]
    assert not list(root.iter(f"{SVG}style")) and not list(root.iter(f"{SVG}script"))
    link = root.find(f".//{SVG}a")
    assert link is not None and link.get("href") == "#e1"
    assert link.findtext(f"{SVG}title") == \
        '11 September 2017: <script>alert("x")</script> & "quotes" (confirmed)'
    assert summary.startswith("1 event in 2017")
    # Decorative parts are hidden from screen readers; the marks carry the information.
    assert root.find(f"{SVG}g[@class='ov-axis']").get("aria-hidden") == "true"  # type: ignore[union-attr]


def test_no_events_draw_nothing() -> None:
    assert plan_overview([], [], lambda e: "", lambda y: "") is None
    assert overview_svg([], [], lambda e: "", lambda y: "") == ("", "")


def test_one_plan_is_drawn_with_each_page_own_links() -> None:
    events = timeline("2017-09-11", "2019-01-01")
    ov = plan_overview(events, [], lambda e: f"events/{e.slug}/", lambda y: f"years/{y}/")
    assert ov is not None
    svg = draw_overview(ov, link=lambda target: {"events/e0/": "#e0"}.get(target,
                                                                          "../../" + target))
    hrefs = [a.get("href") for a in parse(svg).iter(f"{SVG}a")]
    assert hrefs == ["#e0", "../../events/e1/"]


@pytest.mark.parametrize("width", [WIDTH, NARROW])
def test_era_labels_never_overlap_and_stay_inside_at_either_width(width: int) -> None:
    events = timeline("2016-02-10", "2017-09-11", "2020-01-30", "2023-11-01")
    eras = [Era("Kaesong Industrial Complex suspended", parse_date("2016-02-10/2023-12-31")),
            Era("Resolution 2397 repatriation window", parse_date("2017-12-22/2019-12-22")),
            Era("Kaesong liaison office closed", parse_date("2020-01-30/2020-06-16")),
            Era("개성공단 가동 중단 기간", parse_date("2019-06/2020-03")),
            Era("A short one", parse_date("2023-06/2023-09"))]
    ov = plan_overview(events, eras, lambda e: f"#{e.slug}", lambda y: f"years/{y}/",
                       width=width)
    assert ov is not None and ov.width == width
    boxes = []
    for band in ov.eras:
        title = band.bar.label.split(": ")[0]
        size = _text_width(title)
        left = band.label_x if band.anchor == "start" else band.label_x - size
        assert 0 <= left and left + size <= width, title
        # A label's row holds its own bar and label; nothing else may cross either.
        boxes.append((band.label_y, min(left, band.bar.x),
                      max(left + size, band.bar.x + band.bar.width)))
    for n, (row, left, right) in enumerate(boxes):
        for other_row, other_left, other_right in boxes[n + 1:]:
            assert row != other_row or right <= other_left or other_right <= left


def test_marks_carry_their_event_and_bars_their_years_for_the_navigator() -> None:
    few = plan(timeline("2016-02-10", "2017-09"))
    # Its first and last day as numbers, for zoom.js to place it on a zoomed axis.
    assert [dict(m.data) for m in few.marks] == [
        {"id": "e0", "year": "2016", "first": "20160210", "last": "20160210"},
        {"id": "e1", "year": "2017", "first": "20170901", "last": "20170930"}]
    root = parse(draw_overview(few))
    links = root.findall(f".//{SVG}a")
    assert [a.get("tabindex") for a in links] == [None, "-1"]  # one Tab stop
    many = plan(timeline(*[f"{1950 + n % 70}-0{1 + n % 9}-01" for n in range(400)]))
    assert many.aggregated
    first = dict(many.marks[0].data)
    assert (first["from"], first["to"]) == ("1950", "1950") and int(first["count"]) > 0
    assert sum(int(dict(b.data)["count"]) for b in many.marks) == 400


def test_marks_are_shaped_by_status() -> None:
    events = sorted([event(0, "2016-02-10", "confirmed"), event(1, "2018-02-10", "reported"),
                     event(2, "2020-02-10", "disputed"), event(3, "2021/2022", "disputed")],
                    key=Event.sort_key)
    root = parse(draw_overview(plan(events)))
    shapes = {a.get("data-id"): a[1] for a in root.findall(f".//{SVG}a")}
    assert shapes["e0"].tag == f"{SVG}rect" and shapes["e0"].get("rx") == "5"  # round
    assert shapes["e1"].tag == f"{SVG}rect" and shapes["e1"].get("rx") is None  # square
    assert shapes["e2"].tag == f"{SVG}polygon"  # a diamond
    assert shapes["e3"].tag == f"{SVG}rect" and shapes["e3"].get("rx") is None  # a span
