"""Events, sources, media, pages and eras: the plain values every later stage reads."""


from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import SplitResult, urlsplit

from generator.content.dates import (
    EventDate,
    PartialDate,
)
from generator.content.text import (
    slugify as slugify,  # where the site's other stages import it from
)

STATUSES = ("confirmed", "reported", "disputed")
EVENT_FIELDS = ("title", "date", "end", "status", "summary", "tags", "places", "sources",
                "media", "featured", "draft", "slug", "aliases", "updated", "corrections")
NOTE_FIELDS: tuple[str, ...] = ()
"""Optional text fields an event may carry beyond those above, each read and checked like
``summary`` and shown by a template as ``e.note("name")``; every export carries them as it
carries any front-matter. A new one is its name here, the template line that shows it and
its property in ``events.schema.json`` (a test fails until the schema has it)."""
SOURCE_FIELDS = ("publisher", "title", "url", "published", "language", "archived", "quote",
                 "via", "author", "accessed")
MEDIA_FIELDS = ("src", "alt", "caption", "credit", "width", "height")
PAGE_FIELDS = ("title", "summary", "slug", "draft", "order", "aliases")
LINK_SCHEMES = ("http", "https", "mailto")
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
YAML11_WORDS = {"yes", "no", "on", "off", "y", "n", "true", "false"}
BARE_LINK = re.compile(r"(?:www\.[^\s/]+\.[a-z]{2,}(?:/\S*)?|[^\s/:]+\.[a-z]{2,}/\S*)", re.I)
"""``www.yna.co.kr/view/1``: a link written without ``https://``."""


@dataclass(frozen=True)
class SourceHealth:
    """What the last ``timeline sources check`` found at a source's link (from
    ``content/sources.lock.json``): read offline, so builds stay deterministic."""

    status: str
    """ok, redirected, gone, soft-404 or error."""
    code: int | None = None
    checked_at: str = ""
    since: str = ""
    """Day the link was first found in this status."""
    final_url: str = ""
    dead_since: str = ""
    """'November 2026' when the link is dead (gone or soft 404), else empty."""
    archived_on: str = ""
    """'3 October 2017': the day of the archived copy, when its address says it."""

    @property
    def dead(self) -> bool:
        return bool(self.dead_since)

    def record(self) -> dict[str, Any]:
        """As ``events.json`` carries it."""
        record: dict[str, Any] = {"status": self.status, "checked_at": self.checked_at,
                                  "since": self.since}
        if self.code is not None:
            record["code"] = self.code
        if self.final_url:
            record["final_url"] = self.final_url
        return record


@dataclass(frozen=True)
class Source:
    """Where a claim comes from: a report with its own (report) date."""

    publisher: str = ""
    title: str = ""
    url: str = ""
    published: PartialDate | None = None
    language: str = ""
    archived: str = ""
    quote: str = ""
    via: str = ""
    author: str = ""
    accessed: PartialDate | None = None
    """When the editor read it: what a citation of a page without a date gives instead."""
    health: SourceHealth | None = None
    """Filled after loading from the lock file, never from front-matter."""


@dataclass(frozen=True)
class Resized:
    """A smaller copy of a local image that the build makes (``content/images.py`` names
    it after the image's content, ``site/resized.py`` makes it)."""

    path: str
    """Its path in the output: ``resized/<content hash>-<width>.webp``."""
    width: int
    height: int


@dataclass(frozen=True)
class Media:
    """An image shown with an event; alt text is required for readers who cannot see it."""

    src: str
    alt: str
    caption: str = ""
    credit: str = ""
    width: int | None = None
    height: int | None = None
    line: int | None = field(default=None, compare=False)
    """Where ``src`` is written, for a problem found after loading (its size)."""
    copies: tuple[Resized, ...] = ()
    """A local image's resized copies, narrowest first (none for another host's image)."""


@dataclass(frozen=True)
class Event:
    """One dated happening, as the editor wrote it, plus what the site derives from it."""

    slug: str
    path: str
    title: str
    date: EventDate
    status: str
    sources: tuple[Source, ...]
    summary: str = ""
    tags: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    media: tuple[Media, ...] = ()
    draft: bool = False
    featured: bool = False
    """A key event, set apart in lists and on the overview: an editor's choice."""
    body: str = ""
    html: str = ""
    aliases: tuple[str, ...] = ()
    """Old site-relative URLs of this event (``/events/old-slug/``): each gets a redirect."""
    notes: tuple[tuple[str, str], ...] = ()
    """(name, text) of each ``NOTE_FIELDS`` field the event has."""
    updated: str = ""
    """``updated:``, the day the event last changed in substance (``YYYY-MM-DD``) or ''."""
    corrections: tuple[tuple[str, str], ...] = ()
    """(day, text) of each correction, oldest first (``content/changes.py``)."""
    front_matter: dict[str, Any] = field(default_factory=dict, compare=False)
    key: str = field(default="", compare=False)
    language: str = field(default="", compare=False)
    """The language of the pages this copy of the event is for; '' for the default's."""
    text_language: str = field(default="", compare=False)
    """The language its text is in, when that is not the pages' ('' for the default)."""
    """Hash of the file this event was read from: equal keys, equal event."""

    def sort_key(self) -> tuple[Any, ...]:
        """Order by earliest possible day, then precision, then title: deterministic."""
        return (*self.date.sort_key(), self.title.casefold(), self.slug)

    def note(self, name: str) -> str:
        """The text of note field ``name`` ('' when the event has none)."""
        return dict(self.notes).get(name, "")


@dataclass(frozen=True)
class Page:
    """A standalone page such as About or Methodology."""

    slug: str
    path: str
    title: str
    summary: str = ""
    body: str = ""
    html: str = ""
    draft: bool = False
    order: int = 0
    aliases: tuple[str, ...] = ()
    text_language: str = field(default="", compare=False)
    """The language its text is in, when that is not the pages' ('' for the pages')."""


@dataclass(frozen=True)
class Era:
    """A named period drawn as a band across the timeline."""

    title: str
    date: EventDate
    summary: str = ""
    text_language: str = field(default="", compare=False)
    """The language its title is in, when that is not the pages' ('' for the pages')."""


def split_url(url: str) -> SplitResult | None:
    """``urlsplit``, or None for an address whose host or port no one could follow
    (``https://[zz]/``, ``:99999``, ``:abc``), which ``urlsplit`` or ``.port`` raise on."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  # raises on a port that is no port
    except ValueError:
        return None
    return parts


def broken_url(url: str) -> str | None:
    """Why ``split_url`` refuses ``url`` (urllib's words), or None."""
    try:
        urlsplit(url).port  # noqa: B018
    except ValueError as exc:
        return f"'{url}' has no host or port a link can reach ({exc})"
    return None


def safe_url(url: str, relative: bool = False) -> str | None:
    """Return the URL if it is http, https or mailto (or relative when allowed), else None.

    Entities, control characters and padding are removed first, as a browser would, so
    ``&#106;avascript:`` and `` JaVaScRiPt:`` are caught; a host or port no one could
    follow (``https://[zz]/``) is refused, as written and as cleaned.
    """
    cleaned = re.sub(r"[\x00-\x20\x7f]+", "", html.unescape(url))
    parts = split_url(cleaned)
    if parts is None or split_url(url.strip()) is None:
        return None
    scheme = parts.scheme.lower()
    if scheme in LINK_SCHEMES:
        if scheme != "mailto" and not parts.netloc:
            return None
        return url.strip()
    if relative and not scheme and ":" not in cleaned.split("/", 1)[0]:
        return url.strip()
    return None


def link_host(url: str) -> str:
    """The publisher a bare link names: its host without ``www.`` ('' if it has none)."""
    parts = split_url(url)
    return ((parts.hostname if parts else "") or "").removeprefix("www.")
