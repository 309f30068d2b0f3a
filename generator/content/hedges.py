"""What a date leaves open, named so a page can explain it where the date stands.

A reader meets "c. April 2017?" or "2017 onwards" on a card, not on the About page: the
theme turns each name below into one translated sentence beside the date (``_date.html``).
"""

from __future__ import annotations

from generator.content.dates import EventDate, PartialDate

HEDGES = ("approximate", "uncertain", "season", "decade", "century", "span", "open-end",
          "unknown-end", "open-start", "unknown-start")
"""Every name ``hedges`` may give, in the order a page explains them."""


def _sides(date: EventDate) -> tuple[PartialDate, ...]:
    return tuple(side for side in (date.start, date.end) if side is not None)


def hedges(date: EventDate) -> tuple[str, ...]:
    """The ways ``date`` is less than one known day or month, in ``HEDGES`` order: ``()``
    for '11 September 2017', ``("approximate", "uncertain")`` for 'c. April 2017?'."""
    sides = _sides(date)
    found = set()
    for side in sides:
        if side.approximate:
            found.add("approximate")
        if side.uncertain:
            found.add("uncertain")
        if side.precision in ("season", "decade", "century"):
            found.add(side.precision)
    if date.start is not None and date.end is not None and \
            date.start.earliest() != date.end.earliest():
        found.add("span")
    for where, state in (("end", date.end_open), ("start", date.start_open)):
        if state is not None:
            found.add(f"{'open' if state == 'open' else 'unknown'}-{where}")
    return tuple(name for name in HEDGES if name in found)
