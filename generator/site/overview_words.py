"""What the overview strip says, in one language: its dates, counts and summary. English is
the default, as the strip always said it; ``i18n.overview_words`` makes the others from a
catalog and CLDR."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from generator.content.dates import MONTHS, EventDate


def year_label(year: int) -> str:
    return str(year) if year > 0 else f"{1 - year} BCE"


def _summary(count: str, first: str, last: str, unit: str, busiest: str, most: str) -> str:
    when = f"in {first}" if first == last else f"from {first} to {last}"
    return f"{count} {when}; the busiest {unit} is {busiest}, with {most}."


@dataclass(frozen=True)
class OverviewWords:
    """Each thing the strip says, as a function of its values."""

    date: Callable[[EventDate], str] = EventDate.display
    count: Callable[[int], str] = lambda n: f"{n:,} event{'s' if n != 1 else ''}"
    year: Callable[[int], str] = year_label
    month: Callable[[int, int], str] = lambda y, m: f"{MONTHS[m]} {year_label(y)}"
    """(year, month from 0): 'September 2017'."""
    tick_month: Callable[[int], str] = lambda m: MONTHS[m][:3]
    decade: Callable[[int], str] = lambda y: f"{y}s"
    years: Callable[[str, str], str] = lambda a, b: f"{a}–{b}"
    unit: Callable[[str], str] = lambda name: name
    """'month', 'year', 'decade', 'century', 'millennium' in the language."""
    status: Callable[[str], str] = lambda status: status
    fuzzy: str = " (approximate or uncertain date)"
    other: str = "Other"
    """The label of the lane of events in none of the chosen tags' lanes."""
    mark: Callable[[str, str, str, str], str] = (
        lambda date, title, status, how: f"{date}: {title} ({status}){how}")
    summary: Callable[[str, str, str, str, str, str], str] = _summary
    """(count, first year, last year, unit, busiest bin, its count)."""


ENGLISH = OverviewWords()
