"""``nav.json``: what the home page's filters need to count and list every match on every
page, loaded only once a reader filters. An export document like the others (one row per
event, in the list's order), so an edit remakes one row, not ten thousand: a row holds the
event's id, year, status, tag and place slugs, date and title, and its first and last day
as numbers (``day_number``; the last is null for an open end) so the overview's month bars
and its zoomed axis can count by month and day; its page is its place in the list divided
by ``size``, which the head gives."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import partial

from generator.config import SiteConfig
from generator.content.dates import EventDate
from generator.content.loading import Timeline
from generator.content.model import Event, slugify
from generator.site.document import Document
from generator.site.overview_time import day_number
from generator.site.paging import ordered
from generator.site.plan import year_of

NAV_PATH = "nav.json"


def nav_row(event: Event, say_date: Callable[[EventDate], str]) -> bytes:
    date = event.date
    last = date.end if date.is_range else date.start
    return json.dumps([event.slug, year_of(event), event.status,
                       [slugify(t) for t in event.tags], [slugify(p) for p in event.places],
                       say_date(date), event.title, day_number(date.first.earliest()),
                       day_number(last.latest()) if last is not None else None],
                      ensure_ascii=False, separators=(",", ":")).encode()


def nav_files(timeline: Timeline, config: SiteConfig, say_date: Callable[[EventDate], str],
              prefix: str = "") -> dict[str, Document]:
    """``nav.json`` under ``prefix`` (a language's folder), its dates said by ``say_date``."""
    head = b'{"size":%d,"events":[\n' % config.page_size
    return {prefix + NAV_PATH: Document(f"nav-{prefix}", head, b",\n", b"\n]}\n",
                                        ordered(timeline.events, config.order),
                                        partial(nav_row, say_date=say_date))}
