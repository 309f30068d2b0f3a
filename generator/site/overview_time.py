"""Where events lie in time, as the overview strip and the navigator script measure it:
days as fractional years (month starts on twelfths), each event's extent, and days as one
integer."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from generator.content.dates import EventDate, days_in
from generator.content.model import Event


def moment(ymd: tuple[int, int, int]) -> float:
    """A day as a fractional year: monotonic, and month starts fall on twelfths."""
    y, m, d = ymd
    return y + (m - 1) / 12 + (d - 1) / 372


def day_end(ymd: tuple[int, int, int]) -> float:
    """The moment a day is over: the next month's start after its last day."""
    y, m, d = ymd
    return y + m / 12 if d >= days_in(y, m) else moment(ymd) + 1 / 372


@dataclass(frozen=True)
class Extent:
    """When an event can have happened: ``end`` is None for an open or unknown end."""

    start: float
    end: float | None
    fuzzy: bool
    is_range: bool


def extent(date: EventDate) -> Extent:
    """The span of time an event covers: a range, or the whole month of '2017-09'."""
    sides = [s for s in (date.start, date.end) if s is not None]
    fuzzy = any(s.approximate or s.uncertain for s in sides)
    start, end = span(date)
    return Extent(start, end, fuzzy, date.is_range and date.start is not None)


def span(date: EventDate) -> tuple[float, float | None]:
    """``extent`` without the flags, which only marks need (the bars of ten thousand
    events need only where each one lies)."""
    first = date.first
    if not date.is_range or date.start is None:
        return moment(first.earliest()), day_end(first.latest())
    if date.end is None:
        return moment(first.earliest()), None
    return moment(first.earliest()), day_end(date.end.latest())


def domain(spans: Sequence[tuple[float, float | None]]) -> tuple[float, float]:
    """Whole years around every event, and a year past an open start; at least a year wide."""
    lo = math.floor(min(start for start, _ in spans))
    hi = math.ceil(max(end if end is not None else math.floor(start) + 1
                       for start, end in spans))
    return float(lo), float(max(hi, lo + 1))


Placed = tuple[tuple[int, int, int], tuple[float, float | None], int]
"""Where an event lies, for any drawing: its earliest day, its span (``span``), its year."""


def placements(events: Sequence[Event]) -> list[Placed]:
    """Each event's ``Placed``: worked out once for the strip's two widths."""
    return [(e.date.first.earliest(), span(e.date), e.date.first.year) for e in events]


def day_number(ymd: tuple[int, int, int]) -> int:
    """A day as one integer, year * 10000 + month * 100 + day: 20170301, for the navigator
    script (marks' ``data-first``/``data-last``, nav.json). Before year 1 it stays ordered
    and reads back with floor division (-389699 is 1 March of astronomical year -39)."""
    y, m, d = ymd
    return y * 10000 + m * 100 + d


def days_of(date: EventDate) -> tuple[tuple[str, str], ...]:
    """First and last day as ``day_number`` text; the last is empty for an open end."""
    last = date.end if date.is_range else date.start
    return (("first", str(day_number(date.first.earliest()))),
            ("last", str(day_number(last.latest())) if last is not None else ""))
