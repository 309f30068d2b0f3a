"""Pages for reading the timeline another way: the Atom feed and the page of recent
changes (dated by each event's last change, not by the event), and the compact chronology
(one line per event, for print and for screen readers).

``plan_site`` makes each into a ``PageJob`` from the tuples given here (this module comes
before ``plan`` and does not import it).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from generator.config import SiteConfig
from generator.content.changes import last_change, unrecorded_day
from generator.content.loading import Timeline
from generator.content.model import Event

RECENT = 50
"""Entries of the feed and of the recent page: the events changed last."""

Job = tuple[str, str, Callable[[], dict[str, Any]], tuple[Any, ...], Sequence[Event], str]
"""(path, template, context, inputs, events shown as cards, their card's template) of a
``PageJob``."""


def _days(event: Event, days: dict[str, str]) -> tuple[str, str]:
    """(the day it was first published, the day of its last edit or '')."""
    published = days.get(event.slug) or unrecorded_day(event)
    return published, last_change(event.updated, event.corrections)


def entry_day(event: Event, days: dict[str, str]) -> str:
    """The day of an event's last change: the latest of ``updated:``, its corrections and
    the day it was first published (``days``, from the build's record; without one, the day
    content alone gives, ``unrecorded_day``)."""
    return max(_days(event, days))


def recently_changed(events: Sequence[Event], days: dict[str, str]
                     ) -> list[tuple[Event, str, bool]]:
    """(event, day, changed) of the ``RECENT`` events changed last, latest first (then in
    reverse timeline order); ``changed``: the day is an edit's, not the first publication's."""
    dated = []
    for number, event in enumerate(events):
        published, edited = _days(event, days)
        dated.append((max(published, edited), number, edited > published, event))
    dated.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return [(event, day, changed) for day, _, changed, event in dated[:RECENT]]


def atom_day(day: str) -> str:
    """RFC 3339 for a ``YYYY-MM-DD`` day (year 1 at the least)."""
    return ("0001-01-01" if day.startswith("-") or day < "0001" else day) + "T00:00:00Z"


def entry_id(config: SiteConfig, target: str) -> str:
    """An entry's (or the feed's) id, an absolute URI: its page's URL, or, on a site without
    ``base_url``, a name-based UUID of the site's title and the page's path."""
    if config.base_url:
        return config.base_url + target
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"{config.title}\n{target}"))


def _recent_context(events: Sequence[Event], days: dict[str, str], kind: str, title: str
                    ) -> dict[str, Any]:
    entries = recently_changed(events, days)
    return {"kind": kind, "title": title, "entries": entries,
            "events": [event for event, _, _ in entries]}


def reading_jobs(timeline: Timeline, config: SiteConfig) -> list[Job]:
    """The feed, ``recent/`` and ``chronology/`` of one language."""
    events = timeline.events
    days = dict(timeline.published_days)
    listed = recently_changed(events, days)
    shown = [event for event, _, _ in listed]
    changes = tuple((event.key, day, changed) for event, day, changed in listed)
    return [
        ("feed.xml", "feed.xml", partial(_recent_context, events, days, "feed", ""),
         ("feed.xml", changes), shown, "_event.html"),
        ("recent/index.html", "recent.html",
         partial(_recent_context, events, days, "recent", "Recently added or changed"),
         ("recent.html", changes), (), "_event.html"),
        ("chronology/index.html", "chronology.html",
         partial(dict, kind="chronology", title="Chronology", events=events),
         ("chronology.html", tuple(event.key for event in events)), events,
         "_chronology_line.html"),  # each line made once per event, kept by the build state
    ]
