"""Where an event sits in time (generator/site/event_axis.py): its place and neighbours."""

from __future__ import annotations

from generator.content.dates import parse_date
from generator.content.model import Event, Source
from generator.site.event_axis import LEFT, RIGHT, event_axis, window


def _events(*dates: str) -> list[Event]:
    return [Event(f"e{i}", f"e{i}.md", f"E{i}", parse_date(d), "confirmed",
                  (Source(publisher="P"),)) for i, d in enumerate(dates)]


def test_the_window_keeps_its_size_at_either_end() -> None:
    assert window(17, 0) == range(0, 7)
    assert window(17, 8) == range(5, 12)
    assert window(17, 16) == range(10, 17)
    assert window(3, 1) == range(0, 3)
    assert window(1, 0) == range(0, 1)


def test_the_event_is_placed_on_the_whole_timeline_by_date() -> None:
    events = _events("2010-01-01", "2015-01-01", "2019-12-31")
    first, middle, last = (event_axis(events, i) for i in range(3))
    assert (first.first_year, first.last_year, first.count) == (2010, 2019, 3)
    assert first.position == LEFT and last.position == RIGHT
    assert LEFT + 0.49 * (RIGHT - LEFT) < middle.position < LEFT + 0.51 * (RIGHT - LEFT)
    assert (middle.number, [m.current for m in middle.marks]) == (2, [False, True, False])


def test_neighbours_are_in_order_apart_and_show_the_gaps_in_time() -> None:
    events = _events("2017-01-01", "2017-01-02", "2017-01-03", "2020-01-01", "2020-01-02")
    axis = event_axis(events, 2, near=2)
    xs = [m.x for m in axis.marks]
    assert xs == sorted(xs) and xs[0] == LEFT and xs[-1] == RIGHT
    gaps = [b - a for a, b in zip(xs, xs[1:], strict=False)]
    assert min(gaps) >= (RIGHT - LEFT) / 4 / 2 - 0.1  # half a rank apart at the least
    assert gaps[2] > 3 * gaps[0]  # three years against one day
    assert (axis.near_first, axis.near_last) == (2017, 2020)


def test_one_day_or_one_event_puts_the_marks_in_the_middle() -> None:
    (only,) = event_axis(_events("2017"), 0).marks
    assert only.x == (LEFT + RIGHT) / 2 and only.current
    same = event_axis(_events("2017-05-05", "2017-05-05"), 0)
    width = RIGHT - LEFT  # same day: spread by rank alone, about the middle
    assert [m.x for m in same.marks] == [LEFT + width / 4, LEFT + 3 * width / 4]
