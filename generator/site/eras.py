"""Which eras a page names: those whose dates overlap the event's, or the year's."""

from __future__ import annotations

from generator.content.dates import EventDate


def _bounds(date: EventDate) -> tuple[tuple[int, int, int], tuple[int, int, int] | None]:
    """First and last day as numbers (ISO text sorts wrongly before year 1 and after 9999);
    the last is None for an open or unknown end."""
    last = date.end if date.is_range else date.start
    return date.first.earliest(), last.latest() if last is not None else None


def overlaps(era: EventDate, date: EventDate) -> bool:
    """Whether an era and an event's date share a day: the event page names the era."""
    start, end = _bounds(era)
    first, last = _bounds(date)
    return start <= (last or first) and (end is None or first <= end)


def overlaps_year(era: EventDate, year: int) -> bool:
    """Whether an era touches ``year``: the year's page names the era."""
    start, end = _bounds(era)
    return start[0] <= year and (end is None or year <= end[0])
