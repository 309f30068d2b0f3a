"""``events.ics``: the events known to the day as an iCalendar file (RFC 5545), one per
language, for a calendar application to subscribe to.

Only a day is a calendar entry: an event known to the month or the year, or whose end is
open or known to less than a day, would be a false date in a calendar, so it is left out.
Each entry is all-day (a time of day, written without a zone, is left to the event page);
a range spans its days, its DTEND the day after the last (RFC 5545 3.6.1: exclusive). The
entry's UID is the event's id (its slug) at the site's host, so a calendar keeps one entry
per event across builds; DTSTAMP, required, is the event's first day, so that a build is
the same byte for byte whenever it runs.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from urllib.parse import urlsplit

import icalendar

from generator.config import SiteConfig, site_languages
from generator.content.dates import PartialDate
from generator.content.loading import Timeline
from generator.content.model import Event
from generator.site.document import Document
from generator.site.plan import event_path

END = b"END:VCALENDAR\r\n"


def _day(side: PartialDate | None) -> dt.date | None:
    """The day a side of a date names, if it names one that a calendar can hold."""
    if side is None or side.precision not in ("day", "second") or not 1 <= side.year <= 9999:
        return None
    return dt.date(*side.earliest())


def calendar_days(event: Event) -> tuple[dt.date, dt.date] | None:
    """The first day and the day after the last of an event known to the day, else None."""
    date = event.date
    if not date.is_range:
        first = _day(date.start)
        return (first, first + dt.timedelta(days=1)) if first else None
    first, last = _day(date.start), _day(date.end)
    if first is None or last is None or last < first:
        return None
    return first, last + dt.timedelta(days=1)


def _entry(event: Event, config: SiteConfig, prefix: str, host: str) -> bytes:
    days = calendar_days(event)
    if days is None:
        return b""
    entry = icalendar.Event()
    entry.add("uid", f"{event.slug}@{host}" if host else event.slug)
    entry.add("dtstamp", dt.datetime.combine(days[0], dt.time(), dt.UTC))
    entry.add("dtstart", days[0])
    entry.add("dtend", days[1])
    entry.add("summary", event.title)
    if event.summary:
        entry.add("description", " ".join(event.summary.split()))
    if event.places:
        entry.add("location", "; ".join(event.places))
    if event.tags:
        entry.add("categories", list(event.tags))
    if host:
        entry.add("url", config.base_url + prefix + event_path(event))
    entry.add("transp", "TRANSPARENT")  # a past event does not make anyone busy
    return bytes(entry.to_ical())


def events_ics(timeline: Timeline, config: SiteConfig) -> Document:
    """``events.ics`` (``/ko/events.ics`` in Korean): every event known to the day."""
    prefix = "" if config.language == site_languages(config)[0] else f"{config.language}/"
    host = urlsplit(config.base_url).hostname or "" if "://" in config.base_url else ""
    frame = icalendar.Calendar()
    frame.add("prodid", "-//timeline-generator//events//EN")
    frame.add("version", "2.0")
    frame.add("calscale", "GREGORIAN")
    frame.add("x-wr-calname", config.title)
    text = bytes(frame.to_ical())
    head = text[:-len(END)] if text.endswith(END) else text
    return Document("ics", head, b"", END, timeline.events,
                    partial(_entry, config=config, prefix=prefix, host=host))
