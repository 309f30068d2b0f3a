"""Events read from imported data, before they are written: TimelineJS slides and their HTML.

TimelineJS text is HTML and its events have no sources: the HTML becomes Markdown, its links
become sources (publisher: the link's domain), a media URL becomes an image or, when it is a
page, a source, and an event left without any cites the imported file itself.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Tag
from markdownify import MarkdownConverter

from generator.content.dates import DateError, EventDate
from generator.content.editorial import PLACEHOLDER
from generator.content.model import SLUG, link_host, safe_url, slugify
from generator.content.text import event_stem
from generator.errors import Problem
from generator.interop.cells import NO_ALT
from generator.interop.timelinejs import (
    META_CLASS,
    SUMMARY_CLASS,
    DatePartError,
    event_date,
    side_text,
)

IMAGE_TYPES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg", ".bmp", ".tif",
               ".tiff")
SHEET_NAMES = {"start_date": "Year", "end_date": "End Year", "display_date": "Display Date",
               "headline": "Headline", "text": "Text", "media": "Media", "group": "Group",
               "alt": "Alt Text", "background": "Background", "thumbnail": "Media Thumbnail"}
"""Spreadsheet columns named in problems instead of the JSON keys they fill."""


@dataclass
class Draft:
    """One entry to write: front-matter in the order editors read it, and its body."""

    row: int
    meta: dict[str, Any]
    body: str = ""
    stem: str = ""
    date: str = ""
    explicit: bool = False
    """The stem is the entry's own id (``unique_id``, ``slug``), not made from its title."""
    assumed: set[str] = field(default_factory=set)
    """Fields written by default, not read from the file: an update leaves them alone."""


@dataclass
class Batch:
    """Everything read from one imported file, and the problems met on the way."""

    name: str
    sheet: bool = False
    title: str = ""
    events: list[Draft] = field(default_factory=list)
    eras: list[Draft] = field(default_factory=list)
    intro: Draft | None = None
    problems: list[Problem] = field(default_factory=list)
    failed: int = 0
    """Entries (or the whole file) left out because of an error."""

    def problem(self, row: int | None, key: str | None, message: str,
                severity: str = "error") -> None:
        name = SHEET_NAMES.get(key or "", key) if self.sheet else key
        self.problems.append(Problem(self.name, row, name, message,
                                     "warning" if severity == "warning" else "error"))

    def self_source(self) -> dict[str, str]:
        """A placeholder for an event the file gives no source for: the file is not one (nor
        is its title a publisher), so ``check`` warns until the editor cites the report."""
        name = self.name if "://" in self.name \
            else self.name.replace("\\", "/").rsplit("/", 1)[-1]
        return {"title": f"{PLACEHOLDER} cite the report this event rests on (none in {name})"}


_CONVERTER = MarkdownConverter(heading_style="ATX", bullets="-", newline_style="backslash")


def clean(text: Any) -> str:
    """Plain text of an HTML fragment, on one line."""
    text = "" if text is None else str(text)
    if "<" in text:  # most headlines are plain: parsing them would be most of an import
        text = BeautifulSoup(text, "html.parser").get_text(" ")
    return " ".join(html.unescape(text).split())


def ascii_slug(text: str) -> str:
    """A slug of only a-z, 0-9 and single hyphens, as an explicit ``slug:`` must be."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def explicit_slug(text: str) -> tuple[str, bool]:
    """File stem for an id, and whether to write it as ``slug:`` (only a-z0-9- may be)."""
    text = text.strip()
    if len(text) > 100:  # a file name has room for 255 bytes at most
        text = ascii_slug(text)[:100].strip("-")
    if SLUG.fullmatch(text):
        return text, True
    if text and slugify(text) == text:  # a slug in another script: keep it as the file name
        return text, False
    slug = ascii_slug(text)
    return slug, bool(slug)


def link_source(url: str, text: str) -> dict[str, str]:
    """A source for a link: publisher from its domain, title from its text."""
    host = link_host(url)
    source = {"publisher": host or url}
    title = re.sub(r"\s+", " ", text).strip()
    if title and title.rstrip("/") not in (url.rstrip("/"), host):
        source["title"] = title
    source["url"] = url
    return source


def read_text(html_text: str) -> tuple[str, list[dict[str, str]], dict[str, Any] | None, str]:
    """Markdown body, sources from its links, and an export's metadata block and summary.

    A file we exported carries its sources in the metadata block, so its links are only links.
    """
    soup = BeautifulSoup(html_text, "html.parser")
    meta: dict[str, Any] | None = None
    block = soup.find(class_=META_CLASS)
    if isinstance(block, Tag):
        try:
            loaded = json.loads(str(block.get("data-timeline") or "{}"))
            meta = loaded if isinstance(loaded, dict) else None
        except (json.JSONDecodeError, RecursionError):  # not ours after all: only a hint
            meta = None
        block.decompose()
    summary = ""
    first = soup.find(class_=SUMMARY_CLASS)
    if isinstance(first, Tag):
        summary = clean(first.get_text(" "))
        first.decompose()
    sources = []
    if meta is None:
        for link in soup.find_all("a", href=True):
            url = str(link["href"]).strip()
            if safe_url(url) and urlsplit(url).scheme in ("http", "https"):
                sources.append(link_source(url, link.get_text(" ")))
    body = _CONVERTER.convert_soup(soup).strip()
    return body, sources, meta, summary


def read_media(media: Any, batch: Batch, row: int
               ) -> tuple[list[dict[str, Any]], list[dict[str, str]], str]:
    """Images, sources and Markdown from a slide's media: an image file is shown, a page or
    video is cited, an embedded quote becomes text."""
    if not isinstance(media, dict) or not str(media.get("url") or "").strip():
        return [], [], ""
    url = str(media["url"]).strip()
    caption, credit = clean(media.get("caption")), clean(media.get("credit"))
    if url.startswith("<"):
        frame = BeautifulSoup(url, "html.parser").find("iframe")
        if not isinstance(frame, Tag):
            return [], [], read_text(url)[0]
        url = str(frame.get("src") or "").strip()
    if url.startswith("//"):  # protocol-relative, as embed codes often are
        url = "https:" + url
    if safe_url(url, relative=True) and urlsplit(url).path.lower().endswith(IMAGE_TYPES) \
            and not description_page(url):
        alt = clean(media.get("alt"))  # a caption says what it shows of, not what it shows
        if not alt:
            batch.problem(row, "alt", "no alt text: describe the image in the written "
                          "file's media alt", "warning")
        item: dict[str, Any] = {"src": url, "alt": alt or NO_ALT}
        item.update((k, v) for k, v in (("caption", caption), ("credit", credit)) if v)
        if safe_url(url) is None:
            batch.problem(row, "media", f"'{url}' is a file of the timeline: copy it into "
                          "static/ so the site can show it", "warning")
        return [item], [], ""
    if safe_url(url) and urlsplit(url).scheme in ("http", "https"):
        source = link_source(url, clean(media.get("title")) or caption)
        if credit:
            source["author"] = credit
        return [], [source], ""
    batch.problem(row, "media", f"'{url}' is neither a web page nor an image: left out",
                  "warning")
    return [], [], ""


def description_page(url: str) -> bool:
    """A wiki's page about a file (``commons.wikimedia.org/wiki/File:X.jpg``): HTML, so a
    source to cite, though its address ends like an image's."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    wiki = host.endswith((".wikimedia.org", ".wikipedia.org")) or host in (
        "wikimedia.org", "wikipedia.org")
    return wiki and parts.path.startswith("/wiki/")


def _unique(sources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: set[str] = set()
    out = []
    for source in sources:
        key = json.dumps(source.get("url") or source, sort_keys=True)
        if key not in seen:
            seen.add(key)
            out.append(source)
    return out


def _part_name(batch: Batch, key: str, part: str) -> str:
    """'start_date.month' in JSON; 'Month' or 'End Time' in the spreadsheet."""
    if not batch.sheet:
        return f"{key}.{part}" if part else key
    column = "Time" if part in ("hour", "minute", "second") else (part or "year").title()
    return ("End " if key == "end_date" else "") + column


def slide_date(slide: dict[str, Any], batch: Batch, row: int
               ) -> tuple[EventDate | None, str]:
    """The slide's date and the display date to keep, or None with the problem reported."""
    end = slide.get("end_date")
    has_end = isinstance(end, dict) and str(end.get("year") or "").strip() != ""
    if slide.get("start_date") is None:
        batch.problem(row, "start_date", "missing: every event needs a start date")
        return None, ""
    for key in ("start_date", "end_date") if has_end else ("start_date",):
        try:
            side_text(slide.get(key))
        except DatePartError as exc:
            batch.problem(row, _part_name(batch, key, exc.part), str(exc))
            return None, ""
    start = slide["start_date"]
    shown = slide.get("display_date") or (
        start.get("display_date") if isinstance(start, dict) and not has_end else "")
    try:
        date, shown, warnings = event_date(start, end if has_end else None, str(shown or ""))
    except DateError as exc:
        batch.problem(row, "end_date", str(exc))
        return None, ""
    for warning in warnings:
        batch.problem(row, "end_date", warning, "warning")
    return date, shown


def _text(slide: dict[str, Any]) -> dict[str, Any]:
    text = slide.get("text")
    return text if isinstance(text, dict) else {}


DROPPED = {"background": "not imported: an event's page has no background of its own",
           "thumbnail": "not imported: the site shows the image itself (Media) on cards"}
"""What TimelineJS has and the site cannot carry (``Type`` is read: title, era, event)."""


def _dropped(slide: dict[str, Any], batch: Batch, row: int) -> None:
    media = slide.get("media")
    for key, value in (("background", slide.get("background")),
                       ("thumbnail", media.get("thumbnail") if isinstance(media, dict)
                        else None)):
        if value not in (None, "", {}):
            batch.problem(row, key, DROPPED[key], "warning")


def slide_draft(slide: Any, batch: Batch, row: int) -> Draft | None:
    """One TimelineJS slide as an event."""
    if not isinstance(slide, dict):
        batch.problem(row, None, "expected an event with start_date and text")
        return None
    date, shown = slide_date(slide, batch, row)
    if date is None:
        return None
    body, sources, meta, summary = read_text(str(_text(slide).get("text") or ""))
    title = clean(_text(slide).get("headline"))
    if not title:
        title = " ".join(clean(_text(slide).get("text")).split()[:12])
        if not title:
            batch.problem(row, "headline", "missing: an event needs a headline")
            return None
        batch.problem(row, "headline", f"missing: titled '{title}' from its text", "warning")
    media, media_sources, quote = read_media(slide.get("media"), batch, row)
    _dropped(slide, batch, row)
    meta = meta or {}
    out: dict[str, Any] = {"title": title, "date": date.text}
    if date.start is not None and date.end is not None:  # as editors write it: date, end
        out.update(date=date.start.text, end=date.end.text)
    out["status"] = meta.get("status") or "reported"
    assumed = set() if meta.get("status") else {"status"}
    if summary:
        out["summary"] = summary
    group = clean(slide.get("group"))
    for key, value in (("tags", meta.get("tags") or ([group] if group else [])),
                       ("places", meta.get("places"))):
        if value:
            out[key] = value
    out["sources"] = meta.get("sources") or _unique(sources + media_sources)
    if meta.get("media") or media:
        out["media"] = meta.get("media") or media
    for key, value in meta.items():  # fields of an export of ours the slide has no place for
        if key not in out and key not in ("status", "tags", "places", "sources", "media"):
            out[key] = value
    stem, write = explicit_slug(str(slide.get("unique_id") or ""))
    if write:
        out["slug"] = stem
    note = f"*Date as given: {shown.replace('*', '')}*" if shown else ""
    body = "\n\n".join(part for part in (note, body, quote) if part)
    return Draft(row, out, body, stem or event_stem(date, title), date.text, bool(stem),
                 assumed)


def era_draft(era: Any, batch: Batch, row: int) -> Draft | None:
    """A TimelineJS era as an entry of ``content/eras.yaml``."""
    if not isinstance(era, dict):
        batch.problem(row, None, "expected an era with start_date and end_date")
        return None
    start = era.get("start_date")
    shown = era.get("display_date") or (start.get("display_date", "")
                                        if isinstance(start, dict) else "")
    date, _ = slide_date({**era, "display_date": shown}, batch, row)
    if date is None:
        return None
    title = clean(_text(era).get("headline"))
    if not title:
        batch.problem(row, "headline", "missing: an era needs a headline")
        return None
    if date.start is None:
        batch.problem(row, "start_date", "an era needs a start")
        return None
    out: dict[str, Any] = {"title": title, "start": date.start.text}
    if date.end is not None:
        out["end"] = date.end.text
    elif not date.is_range:  # one day, month or year long: it ends where it starts
        out["end"] = date.start.text
    summary = clean(_text(era).get("text"))
    if summary:
        out["summary"] = summary
    return Draft(row, out, date=out["start"])


def intro_draft(slide: Any, batch: Batch, row: int) -> Draft | None:
    """The title slide as the page ``content/pages/introduction.md``."""
    if not isinstance(slide, dict):
        return None
    body = read_text(str(_text(slide).get("text") or ""))[0]
    media, sources, quote = read_media(slide.get("media"), batch, row)
    links = [f"![{m['alt']}]({m['src']})" for m in media] + [f"<{s['url']}>" for s in sources]
    body = "\n\n".join(part for part in (body, quote, *links) if part)
    batch.title = clean(_text(slide).get("headline"))
    return Draft(row, {"title": batch.title or "Introduction"}, body, "introduction")
