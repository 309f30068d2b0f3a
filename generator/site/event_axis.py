"""Where an event sits in time, for its own page: its place on the whole timeline, and its
nearest neighbours around it. Geometry only; ``_axis.html`` draws it as inline SVG."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from generator.content.model import Event

WIDTH = 400
LEFT, RIGHT = 52.0, 348.0
"""Ends of both lines in SVG units, leaving room for a year label at each end."""
NEAR = 3
"""Neighbours shown on each side of the event."""


@dataclass(frozen=True)
class AxisMark:
    x: float
    event: Event
    current: bool


@dataclass(frozen=True)
class EventAxis:
    """The event's place: ``position`` on the line of the whole timeline (``first_year`` to
    ``last_year``), and ``marks``: it and its neighbours on a line of their own span."""

    number: int
    """The event's place in the timeline, from 1."""
    count: int
    first_year: int
    last_year: int
    position: float
    marks: tuple[AxisMark, ...]
    near_first: int
    """Year of the first and last neighbour shown, the ends of the second line."""
    near_last: int


def _day(ymd: tuple[int, int, int]) -> int:
    """A day as a number that grows with time (months as 31 days: close enough to place
    a mark, and defined for any year, BCE and past 9999 too)."""
    year, month, day = ymd
    return (year * 12 + month - 1) * 31 + day - 1


def _scale(value: float, low: float, high: float) -> float:
    return 0.5 if high <= low else (value - low) / (high - low)


def window(count: int, number: int, near: int = NEAR) -> range:
    """Indexes of the events the axis shows around event ``number`` (from 0): ``near`` on
    each side, more on one side when the other runs out."""
    size = min(count, 2 * near + 1)
    start = min(max(0, number - near), count - size)
    return range(start, start + size)


def event_axis(events: Sequence[Event], number: int, near: int = NEAR) -> EventAxis:
    """The axis of ``events[number]``; ``events`` in timeline order."""
    first_year = events[0].date.first.year
    last_year = events[-1].date.first.year
    low = _day((first_year, 1, 1))
    high = _day((last_year, 12, 31))
    here = events[number]
    position = LEFT + _scale(_day(here.date.first.earliest()), low, high) * (RIGHT - LEFT)
    shown = window(len(events), number, near)
    days = [_day(events[i].date.first.earliest()) for i in shown]
    marks = []
    for rank, (i, day) in enumerate(zip(shown, days, strict=True)):
        # Half by time, half by rank: the gaps show time, and no two marks hide each other.
        by_time = _scale(day, days[0], days[-1])
        by_rank = _scale(rank, 0, len(days) - 1)
        x = LEFT + (by_time + by_rank) / 2 * (RIGHT - LEFT)
        marks.append(AxisMark(round(x, 1), events[i], i == number))
    return EventAxis(number + 1, len(events), first_year, last_year, round(position, 1),
                     tuple(marks), events[shown[0]].date.first.year,
                     events[shown[-1]].date.first.year)
