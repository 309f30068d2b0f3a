"""Events, sources, media, pages and eras, built and validated from parsed front-matter."""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from generator.content.dates import (
    DateError,
    EventDate,
    PartialDate,
    parse_date,
    parse_single,
    with_end,
)
from generator.content.editorial import (
    alias_problem,
    body_placeholder,
    normal_alias,
    placeholders,
)
from generator.content.header import FrontMatter, Key
from generator.content.text import (
    CONTROL,
    MAX_TERMS,
    controls_message,
    strip_controls,
    term_problem,
)
from generator.content.text import (
    slugify as slugify,  # where the site's other stages import it from
)
from generator.errors import Problem

STATUSES = ("confirmed", "reported", "disputed")
EVENT_FIELDS = ("title", "date", "end", "status", "summary", "tags", "places", "sources",
                "media", "draft", "slug", "aliases")
SOURCE_FIELDS = ("publisher", "title", "url", "published", "language", "archived", "quote",
                 "via", "author")
MEDIA_FIELDS = ("src", "alt", "caption", "credit", "width", "height")
PAGE_FIELDS = ("title", "summary", "slug", "draft", "order", "aliases")
LINK_SCHEMES = ("http", "https", "mailto")
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_YAML11_WORDS = {"yes", "no", "on", "off", "y", "n", "true", "false"}
_BARE_LINK = re.compile(r"(?:www\.[^\s/]+\.[a-z]{2,}(?:/\S*)?|[^\s/:]+\.[a-z]{2,}/\S*)", re.I)
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
    health: SourceHealth | None = None
    """Filled after loading from the lock file, never from front-matter."""


@dataclass(frozen=True)
class Media:
    """An image shown with an event; alt text is required for readers who cannot see it."""

    src: str
    alt: str
    caption: str = ""
    credit: str = ""
    width: int | None = None
    height: int | None = None


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
    body: str = ""
    html: str = ""
    aliases: tuple[str, ...] = ()
    """Old site-relative URLs of this event (``/events/old-slug/``): each gets a redirect."""
    front_matter: dict[str, Any] = field(default_factory=dict, compare=False)
    key: str = field(default="", compare=False)
    """Hash of the file this event was read from: equal keys, equal event."""

    def sort_key(self) -> tuple[Any, ...]:
        """Order by earliest possible day, then precision, then title: deterministic."""
        return (*self.date.sort_key(), self.title.casefold(), self.slug)


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


@dataclass(frozen=True)
class Era:
    """A named period drawn as a band across the timeline."""

    title: str
    date: EventDate
    summary: str = ""


def safe_url(url: str, relative: bool = False) -> str | None:
    """Return the URL if it is http, https or mailto (or relative when allowed), else None.

    Entities, control characters and padding are removed first, as a browser would, so
    ``&#106;avascript:`` and `` JaVaScRiPt:`` are caught.
    """
    cleaned = re.sub(r"[\x00-\x20\x7f]+", "", html.unescape(url))
    parts = urlsplit(cleaned)
    scheme = parts.scheme.lower()
    if scheme in LINK_SCHEMES:
        if scheme != "mailto" and not parts.netloc:
            return None
        return url.strip()
    if relative and not scheme and ":" not in cleaned.split("/", 1)[0]:
        return url.strip()
    return None


class _Reader:
    """Reads typed fields out of front-matter, collecting problems instead of stopping."""

    def __init__(self, fm: FrontMatter, problems: list[Problem]) -> None:
        self.fm = fm
        self.problems = problems

    def problem(self, key: Key, message: str, severity: str = "error") -> None:
        name = "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in key).lstrip(".")
        problem = Problem(self.fm.path, self.fm.line(key), name or None, message,
                          "warning" if severity == "warning" else "error")
        if problem not in self.problems:  # a field read twice is reported once
            self.problems.append(problem)

    def value(self, key: Key) -> Any:
        node: Any = self.fm.data
        for part in key:
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and isinstance(part, int) and part < len(node):
                node = node[part]
            else:
                return None
        return node

    def text(self, key: Key, required: bool = False) -> str:
        value = self.value(key)
        if value is None:
            if required:
                self.problem(key, "missing: this field is required")
            return ""
        if isinstance(value, bool):
            raw = self.fm.raw.get(key, str(value))
            if raw.lower() in _YAML11_WORDS - {"true", "false"}:
                self.problem(key, f"'{raw}' is read by YAML as {str(value).lower()}; "
                             f"quote it (\"{raw}\") to keep the word", "warning")
            return raw
        if isinstance(value, int | float):
            return self.fm.raw.get(key, str(value))
        if not isinstance(value, str):
            self.problem(key, f"expected text, got {_kind(value)}")
            return ""
        value, controls = strip_controls(value)
        if controls:
            self.problem(key, controls_message(controls), "warning")
        if required and not value.strip():
            self.problem(key, "empty: this field is required")
        return value.replace("\ue000", "").strip()  # render.ROOT_MARK is ours alone

    def texts(self, key: Key) -> tuple[str, ...]:
        value = self.value(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            self.problem(key, f"expected a list of text like [a, b], got {_kind(value)}")
            return ()
        if len(value) > MAX_TERMS:
            self.problem(key, f"{len(value):,} {key[-1]}: an event may have at most {MAX_TERMS}")
            return ()
        items = [self.text((*key, i)) for i in range(len(value))]
        for i, item in enumerate(items):
            written = value[i]  # "\0" is no tag: nothing is left of it once cleaned
            if (item or isinstance(written, str) and written.strip()) \
                    and not self.term((*key, i), item):
                items[i] = ""
        return tuple(dict.fromkeys(i for i in items if i))

    def term(self, key: Key, name: str) -> bool:
        """A tag or place names a page: say so if this one cannot."""
        problem = term_problem(name, "a tag" if key[0] == "tags" else "a place")
        if problem:
            self.problem(key, problem)
        return problem is None

    def date(self, key: Key, required: bool = False) -> EventDate | None:
        text = self.text(key, required)
        if not text:
            return None
        try:
            return parse_date(text)
        except DateError as exc:
            self.problem(key, str(exc))
            return None

    def url(self, key: Key, relative: bool = False) -> str:
        text = self.text(key)
        if text and safe_url(text, relative) is None:
            allowed = "http, https, mailto or relative" if relative else "http, https or mailto"
            self.problem(key, f"'{text}' is not an {allowed} link")
            return ""
        return text

    def unknown(self, key: Key, known: tuple[str, ...]) -> None:
        value = self.value(key) if key else self.fm.data
        if not isinstance(value, dict):
            return
        for name in value:
            if name not in known:
                close = difflib.get_close_matches(str(name), known, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                self.problem((*key, name), f"unknown field{hint}", "warning")


def _kind(value: Any) -> str:
    return {list: "a list", dict: "fields", str: "text", bool: "true/false"}.get(
        type(value), type(value).__name__)


def _sources(r: _Reader) -> tuple[Source, ...]:
    value = r.value(("sources",))
    if value is None or value == []:
        what = "missing" if value is None else "empty"
        r.problem(("sources",), f"{what}: every event needs at least one source")
        return ()
    if not isinstance(value, list):
        r.problem(("sources",), f"expected a list of sources, got {_kind(value)}")
        return ()
    sources: list[Source] = []
    where: list[int] = []
    for i, item in enumerate(value):
        key: Key = ("sources", i)
        if isinstance(item, str):  # `- https://…` or `- Publisher name`: short citations
            bare = item.strip()
            host = urlsplit(bare).hostname if "://" in bare else None
            item = {"url": bare, "publisher": host.removeprefix("www.")} if host else \
                {"publisher": bare}
            if not host and _BARE_LINK.fullmatch(bare):
                r.problem(key, f"'{bare}' looks like a link without https://: write "
                          f"https://{bare} (as it is, it is cited as a publisher's name)",
                          "warning")
            r.fm.data["sources"][i] = item
            for name in item:
                r.fm.lines[(*key, name)] = r.fm.line(key) or 0
        if not isinstance(item, dict):
            r.problem(key, f"expected a source with publisher, title, url, got {_kind(item)}")
            continue
        r.unknown(key, SOURCE_FIELDS)
        published = None
        if r.text((*key, "published")):
            try:
                published = parse_single(r.text((*key, "published")))
            except DateError as exc:
                r.problem((*key, "published"), str(exc))
        source = Source(
            publisher=r.text((*key, "publisher")), title=r.text((*key, "title")),
            url=r.url((*key, "url")), published=published,
            language=r.text((*key, "language")), archived=r.url((*key, "archived")),
            quote=r.text((*key, "quote")), via=r.text((*key, "via")),
            author=r.text((*key, "author")))
        if not source.title and not source.publisher:
            r.problem(key, "a source needs a title or a publisher")
        sources.append(source)
        where.append(i)
    if sources and not any(s.url or s.archived for s in sources):  # e.g. an imported file
        r.problem(("sources",), "no external source: link at least one report readers can "
                  "check", "warning")
    else:  # one warning for the event, not one more for each of its sources
        for i, source in zip(where, sources, strict=True):
            if not source.url and not source.archived:
                r.problem(("sources", i), "no url: cite publisher, title and date so readers "
                          "can find it", "warning")
    return tuple(sources)


def _media(r: _Reader) -> tuple[Media, ...]:
    value = r.value(("media",))
    if value is None:
        return ()
    if not isinstance(value, list):
        r.problem(("media",), f"expected a list of images, got {_kind(value)}")
        return ()
    media = []
    for i, item in enumerate(value):
        key: Key = ("media", i)
        if not isinstance(item, dict):
            r.problem(key, f"expected an image with src and alt, got {_kind(item)}")
            continue
        r.unknown(key, MEDIA_FIELDS)
        src = r.url((*key, "src"), relative=True)
        scheme = urlsplit(src).scheme.lower()
        if scheme and scheme != "https":
            r.problem((*key, "src"), f"'{src}' cannot be shown: the pages allow images from "
                      "https:// addresses and the site's own files only (Content-Security-"
                      "Policy img-src 'self' https: data:); use https:// or copy it into "
                      "static/")
            src = ""
        alt = r.text((*key, "alt"))
        if not r.text((*key, "src")):
            r.problem((*key, "src"), "missing: the image file or URL")
        if "alt" not in item:
            r.problem((*key, "alt"), "missing: describe the image for readers who cannot see "
                      "it (alt: \"\" only for decoration)")
        size = []
        for name in ("width", "height"):
            number = item.get(name)
            if number is not None and (not isinstance(number, int) or isinstance(number, bool)
                                       or number < 1):
                r.problem((*key, name), "expected a whole number of pixels")
                number = None
            size.append(number)
        if src:
            media.append(Media(src, alt, r.text((*key, "caption")), r.text((*key, "credit")),
                               size[0], size[1]))
    return tuple(media)


def _aliases(r: _Reader) -> tuple[str, ...]:
    """Old URLs, as site-relative paths ending in ``/`` (or a file name such as ``a.html``)."""
    out = []
    for i, alias in enumerate(r.texts(("aliases",))):
        problem = alias_problem(alias)
        if problem:
            r.problem(("aliases", i), problem)
        else:
            out.append(normal_alias(alias))
    return tuple(dict.fromkeys(out))


def _placeholders(r: _Reader, fm: FrontMatter) -> None:
    for key, message in placeholders(fm.data):
        r.problem(key, message, "warning")
    found = body_placeholder(fm.body)
    if found is not None:
        r.problems.append(Problem(fm.path, fm.body_line + found[0], "body", found[1],
                                  "warning"))


def _flag(r: _Reader, key: Key) -> bool:
    value = r.value(key)
    if value is None:
        return False
    if not isinstance(value, bool):
        r.problem(key, f"expected true or false, got {_kind(value)}")
        return False
    return value


def _slug(r: _Reader, default: str) -> str:
    explicit = r.text(("slug",))
    if explicit:
        if not SLUG.fullmatch(explicit):
            r.problem(("slug",), f"'{explicit}' may only use a-z, 0-9 and single hyphens")
            return ""
        return explicit
    slug = slugify(default)
    if not slug:
        r.problem((), f"the file name gives no usable slug; add slug: to '{default}'")
    return slug


def build_event(fm: FrontMatter, default_slug: str, today: str) -> tuple[Event | None,
                                                                         list[Problem]]:
    """Validate front-matter into an ``Event``; return every problem found."""
    problems: list[Problem] = []
    r = _Reader(fm, problems)
    r.unknown((), EVENT_FIELDS)
    title = r.text(("title",), required=True)
    date = r.date(("date",), required=True)
    end = r.date(("end",))
    if date is not None and end is not None:
        try:
            date = with_end(date, end)
        except DateError as exc:
            r.problem(("end",), str(exc))
    status = r.text(("status",)) or "reported"
    if status not in STATUSES:
        close = difflib.get_close_matches(status, STATUSES, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        r.problem(("status",), f"unknown status '{status}': {hint}use one of "
                  + ", ".join(STATUSES))
    tags = r.texts(("tags",))
    places = r.texts(("places",))
    sources = _sources(r)
    media = _media(r)
    draft = _flag(r, ("draft",))
    summary = r.text(("summary",))
    slug = _slug(r, default_slug)
    if not tags and r.value(("tags",)) in (None, []):
        r.problem(("tags",), "no tags: readers find events by tag", "warning")
    aliases = _aliases(r)
    if not draft:
        _placeholders(r, fm)
    if date is not None and date.earliest() > today:
        r.problem(("date",), f"{date.text} is in the future", "warning")
    if any(p.severity == "error" for p in problems) or date is None:
        return None, problems
    written = dict(fm.data)
    for key in ("date", "end"):
        if key in written:
            written[key] = r.text((key,))
    event = Event(slug=slug, path=fm.path, title=title, date=date, status=status,
                  sources=sources, summary=summary, tags=tags, places=places, media=media,
                  draft=draft, body=clean_body(fm, problems), aliases=aliases,
                  front_matter=_json_safe(written))
    return event, problems


def clean_body(fm: FrontMatter, problems: list[Problem]) -> str:
    """The Markdown body without control characters, with a warning at the first one."""
    body, controls = strip_controls(fm.body)
    if controls:
        first = CONTROL.search(fm.body)
        line = fm.body_line + fm.body.count("\n", 0, first.start() if first else 0)
        problems.append(Problem(fm.path, line, "body", controls_message(controls), "warning"))
    return body


def build_page(fm: FrontMatter, default_slug: str) -> tuple[Page | None, list[Problem]]:
    """Validate a standalone page's front-matter."""
    problems: list[Problem] = []
    r = _Reader(fm, problems)
    r.unknown((), PAGE_FIELDS)
    title = r.text(("title",), required=True)
    order = r.value(("order",))
    if order is not None and (not isinstance(order, int) or isinstance(order, bool)):
        r.problem(("order",), "expected a whole number")
        order = 0
    page = Page(slug=_slug(r, default_slug), path=fm.path, title=title,
                summary=r.text(("summary",)), body=clean_body(fm, problems),
                draft=_flag(r, ("draft",)), order=order or 0, aliases=_aliases(r))
    if any(p.severity == "error" for p in problems):
        return None, problems
    return page, problems


def build_eras(fm: FrontMatter, items: list[Any]) -> tuple[list[Era], list[Problem]]:
    """Validate the list in ``content/eras.yaml``."""
    problems: list[Problem] = []
    r = _Reader(fm, problems)
    eras = []
    for i, item in enumerate(items):
        key: Key = ("eras", i)
        if not isinstance(item, dict):
            r.problem(key, f"expected an era with title, start and end, got {_kind(item)}")
            continue
        r.unknown(key, ("title", "start", "end", "summary"))
        title = r.text((*key, "title"), required=True)
        start = r.date((*key, "start"), required=True)
        end = r.date((*key, "end"))
        if start is not None:
            try:
                date = with_end(start, end) if end is not None else parse_date(
                    start.text + "/..")
            except DateError as exc:
                r.problem((*key, "end"), str(exc))
                continue
            if title:
                eras.append(Era(title, date, r.text((*key, "summary"))))
    return eras, problems


def _json_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {strip_controls(str(k))[0]: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    if isinstance(value, str):
        return strip_controls(value)[0]
    if value is None or isinstance(value, bool | int | float):
        return value
    return strip_controls(str(value))[0]
