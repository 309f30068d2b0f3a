"""Paging for lists of events: the site's order, a numbered pager, and where each year starts.

A reader on page 1 of 40 must be able to reach any page in two steps and to land on any
year from the year strip, whichever page holds it; with ``order = "newest-first"`` the
latest events come first, years and events within them descending.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from generator.content.model import Event

PAGER_SPREAD = 2
"""Page numbers shown on each side of the current page; the rest collapse into an ellipsis."""


def ordered(events: Sequence[Event], order: str) -> Sequence[Event]:
    """``events`` (oldest first, as the timeline keeps them) in the site's order."""
    return events[::-1] if order == "newest-first" else events


def by_year(events: Iterable[Event], year_of: Callable[[Event], int], order: str
            ) -> list[tuple[int, list[Event]]]:
    """Year groups in the order of the list; each keeps its events' order."""
    groups: dict[int, list[Event]] = defaultdict(list)
    for event in events:
        groups[year_of(event)].append(event)
    return sorted(groups.items(), reverse=order == "newest-first")


def page_path(base: str, number: int) -> str:
    """Where page ``number`` (from 1) of the list at ``base`` lives."""
    return base if number == 1 else f"{base}page/{number}/"


def pager(base: str, number: int, count: int) -> dict[str, Any]:
    """What ``_pager.html`` draws: first, previous, numbers with gaps, next, last.

    ``links`` holds ``(number, path)`` pairs and ``(None, "")`` for each gap, so from any
    page the first, the last and the pages next to it are one click away."""
    keep = {1, count, *range(number - PAGER_SPREAD, number + PAGER_SPREAD + 1)}
    items: list[tuple[int | None, str]] = []
    for n in range(1, count + 1):
        if n in keep:
            items.append((n, page_path(base, n)))
        elif items[-1][0] is not None:
            items.append((None, ""))
    return {"number": number, "count": count,
            "prev": page_path(base, number - 1) if number > 1 else None,
            "next": page_path(base, number + 1) if number < count else None,
            "first": page_path(base, 1), "last": page_path(base, count), "links": items}


def year_pages(chunks: Iterable[Iterable[int]]) -> dict[int, int]:
    """The page (from 1) where each year's first event in the list's order is shown, from
    the years of the events on each page."""
    first: dict[int, int] = {}
    for number, years in enumerate(chunks, start=1):
        for year in dict.fromkeys(years):  # a page holds a few years, repeated
            first.setdefault(year, number)
    return first
