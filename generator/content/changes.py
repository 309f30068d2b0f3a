"""What changed in an event since it was first published: ``updated:`` and ``corrections:``.

Both are days (``2024-03-05``), kept as ISO text: a reader is told the day a correction was
made, and the feed dates an entry by its last change, so nothing coarser than a day will do.
"""

from __future__ import annotations

from generator.content.dates import DateError, iso_day, parse_single
from generator.content.fields import Reader, kind_name
from generator.content.header import Key
from generator.content.model import Event
from generator.errors import day_numbers

CORRECTION_FIELDS = ("date", "text")


def _day(r: Reader, key: Key, today: str) -> str:
    """The day written at ``key`` as ``YYYY-MM-DD``, or '' (with a problem) when it is not
    one known day."""
    text = r.text(key)
    if not text:
        if r.value(key) is not None:
            r.problem(key, "empty: write the day, such as 2024-03-05")
        return ""
    try:
        date = parse_single(text)
    except DateError as exc:
        r.problem(key, str(exc))
        return ""
    if date.precision != "day" or date.approximate or date.uncertain:
        r.problem(key, f"'{text}' is not one day: write the day of the change, such as "
                  "2024-03-05")
        return ""
    if date.earliest() > day_numbers(today):
        r.problem(key, f"{text} is in the future", "warning", until=date.earliest())
    return iso_day(date.earliest())


def read_updated(r: Reader, today: str) -> str:
    """``updated:``, the day the event was last changed in substance ('' if not written)."""
    return _day(r, ("updated",), today)


def read_corrections(r: Reader, today: str) -> tuple[tuple[str, str], ...]:
    """``corrections:``: (day, text) of each correction, in the order of their days."""
    value = r.value(("corrections",))
    if value is None:
        return ()
    if not isinstance(value, list):
        r.problem(("corrections",), "expected a list of corrections (- date: 2024-03-05, "
                  f"text: what was corrected), got {kind_name(value)}")
        return ()
    found = []
    for i, item in enumerate(value):
        key: Key = ("corrections", i)
        if not isinstance(item, dict):
            r.problem(key, f"expected a correction with date and text, got {kind_name(item)}")
            continue
        r.unknown(key, CORRECTION_FIELDS)
        day = _day(r, (*key, "date"), today) if "date" in item else ""
        if "date" not in item:
            r.problem((*key, "date"), "missing: the day of the correction, such as 2024-03-05")
        text = r.visible((*key, "text"), r.text((*key, "text"), required=True))
        if day and text:
            found.append((day, text))
    return tuple(sorted(found, key=lambda c: c[0]))


def last_change(updated: str, corrections: tuple[tuple[str, str], ...]) -> str:
    """The latest of ``updated:`` and the corrections' days ('' when neither is written)."""
    return max((updated, *(day for day, _ in corrections)), default="")


def unrecorded_day(event: Event) -> str:
    """The day an event counts as published when no build has recorded one (a cold build
    from a fresh clone, or the events already there when the record began): the latest
    day a source reported it, else the event's own first day. Content alone decides it, so
    a build without state gives the same bytes every day."""
    reported = [s.published.earliest() for s in event.sources if s.published is not None]
    day = max(reported) if reported else event.date.first.earliest()
    return iso_day(day)
