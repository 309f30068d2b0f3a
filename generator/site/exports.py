"""Data exports written by every build, for people who reuse the chronology."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from importlib import resources
from typing import Any

from generator.config import SiteConfig, site_languages
from generator.content.dates import EventDate
from generator.content.loading import Timeline
from generator.content.model import Event
from generator.hashing import text_digest
from generator.interop.cells import MEDIA_COLUMN, OTHER_COLUMN, media_cell, safe_cell
from generator.interop.timelinejs import ENGLISH, SlideWords, event_slide, timelinejs_frame
from generator.site.calendar import events_ics
from generator.site.document import Document, Export
from generator.site.i18n import date_teller, slide_words
from generator.site.plan import event_path

CSV_COLUMNS = ("date", "end", "title", "summary", "status", "tags", "places", "source_url",
               "source_publisher", "source_title", "source_published", "slug", "body",
               "source_language", "source_archived", "source_quote", "source_via",
               "source_author", "source_accessed", MEDIA_COLUMN, "aliases", OTHER_COLUMN)
"""The plain CSV that ``timeline import`` reads back: the first thirteen columns as they
always were, then the rest of each source, the images, the aliases, and every other
front-matter field as JSON (``other``), so that a field added later survives the trip."""

CSV_FIELDS = ("date", "end", "title", "summary", "status", "tags", "places", "sources",
              "media", "aliases", "slug", "draft")
"""Front-matter fields with columns of their own (a draft is never exported)."""


def event_record(event: Event, config: SiteConfig) -> dict[str, Any]:
    """An event's front-matter as written, plus its slug, URL and parsed dates."""
    date = event.date
    record = dict(event.front_matter)
    record.update({
        "slug": event.slug,
        "url": (config.base_url or "/") + event_path(event),
        "earliest": date.earliest(),
        "latest": date.latest() or None,
        "precision": date.precision,
        "display_date": date.display(),
        "status": event.status,
        "summary": event.summary,
        "body": event.body.strip(),  # Markdown, as the translations carry theirs
    })
    if any(s.health for s in event.sources):  # from sources.lock.json (sources check)
        record["sources"] = [{**written, "health": s.health.record()} if s.health
                             else written for written, s in zip(record["sources"],
                                                                event.sources, strict=True)]
    return record


def site_record(config: SiteConfig) -> dict[str, Any]:
    return {"title": config.title, "description": config.description,
            "base_url": config.base_url, "language": config.language, "author": config.author}


_EVENTS = "\x00events\x00"


def _frame(data: dict[str, Any], any_events: bool) -> tuple[bytes, bytes]:
    """What comes before the first and after the last event of a JSON export."""
    text = json.dumps({**data, "events": _EVENTS}, ensure_ascii=False, indent=1)
    before, after = text.split(json.dumps(_EVENTS), 1)
    if not any_events:
        return (before + "[]" + after + "\n").encode(), b""
    return (before + "[\n").encode(), ("\n]" + after + "\n").encode()


def _compact(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def events_json(timeline: Timeline, config: SiteConfig) -> Document:
    """``events.json``: ``{"site": {...}, "events": [...]}``, stable byte for byte; an event
    with translations carries them (and a key that covers them, so a changed translation
    is not a reused part)."""
    head, tail = _frame({"site": site_record(config)}, bool(timeline.events))
    found: dict[str, dict[str, Any]] = {}
    for t in timeline.translations:
        found.setdefault(t.original, {})[t.language] = {
            "title": t.title, "summary": t.summary, "body": t.body.strip(),
            "url": f"{config.base_url or '/'}{t.language}/",
            **({"media": [{"alt": alt, "caption": caption} for alt, caption in t.media]}
               if t.media else {})}
    events = timeline.events
    if found:
        events = tuple(replace(e, key=f"{e.key}+{text_digest(repr(found[e.path]))}")
                       if e.path in found else e for e in events)
    tellers = {code: date_teller(code) for code in {t.language for t in timeline.translations}}
    return Document("json", head, b",\n", tail, events,
                    partial(_compact_record, config=config, translations=found,
                            tellers=tellers))


def timelinejs_json(timeline: Timeline, config: SiteConfig) -> Document:
    """``timelinejs.json``: the site in TimelineJS3's format, to embed with TimelineJS as is;
    in another language than the site's first (``/ko/timelinejs.json``) its dates and words
    are that language's and its slides link to that language's pages."""
    words, prefix = ENGLISH, ""
    if config.language != site_languages(config)[0]:
        words, prefix = slide_words(config.language), f"{config.language}/"
    head, tail = _frame(timelinejs_frame(timeline, config, words), bool(timeline.events))
    return Document("timelinejs", head, b",\n", tail, timeline.events,
                    partial(_compact_slide, config=config, words=words, prefix=prefix))


def _compact_record(event: Event, config: SiteConfig,
                    translations: dict[str, dict[str, Any]],
                    tellers: dict[str, Callable[[EventDate], str]]) -> bytes:
    record = event_record(event, config)
    if event.path in translations:
        record["translations"] = {
            code: {**text, "url": text["url"] + event_path(event),
                   "display_date": tellers[code](event.date)}
            for code, text in sorted(translations[event.path].items())}
    return _compact(record)


def _compact_slide(event: Event, config: SiteConfig, words: SlideWords = ENGLISH,
                   prefix: str = "") -> bytes:
    return _compact(event_slide(event, config,
                                (config.base_url or "/") + prefix + event_path(event), words))


def _cell(values: list[str]) -> str:
    """Several values in one cell, one a line (a line break inside one becomes a space)."""
    return "\n".join(" ".join(v.split()) for v in values)


def event_row(event: Event) -> list[str]:
    """One event as a row of ``CSV_COLUMNS``; a source per line of the source_ cells."""
    fm = event.front_matter
    sources = event.sources
    return [
        str(fm.get("date") or event.date.text), str(fm.get("end") or ""), event.title,
        " ".join(event.summary.split()), event.status, "; ".join(event.tags),
        "; ".join(event.places), _cell([s.url for s in sources]),
        _cell([s.publisher for s in sources]), _cell([s.title for s in sources]),
        _cell([s.published.text if s.published else "" for s in sources]), event.slug,
        event.body.strip(),
        *(_cell([getattr(s, key) or "" for s in sources])
          for key in ("language", "archived", "quote", "via", "author")),
        _cell([s.accessed.text if s.accessed else "" for s in sources]),
        media_cell([m for m in fm.get("media") or [] if isinstance(m, dict)]),
        "; ".join("/" + alias for alias in event.aliases),  # as written: from the root
        _other(fm),
    ]


def _other(fm: dict[str, Any]) -> str:
    """Every front-matter field without a column of its own, as one JSON object."""
    rest = {key: value for key, value in fm.items() if key not in CSV_FIELDS}
    return json.dumps(rest, ensure_ascii=False, sort_keys=True) if rest else ""


def _csv_line(values: list[str]) -> str:
    """One row, each cell a spreadsheet would run as a formula neutralised (``safe_cell``)."""
    out = io.StringIO(newline="")
    csv.writer(out).writerow([safe_cell(v) for v in values])
    return out.getvalue()


def _csv_row(event: Event) -> bytes:
    return _csv_line(event_row(event)).encode()


CSV_BOM = "\ufeff"
"""Leads ``events.csv``: without it, Excel reads UTF-8 as the system's code page and shows
Korean (or any non-Latin text) garbled; ``timeline import`` and Python's ``utf-8-sig``
read it as the mark it is."""


def events_csv(timeline: Timeline) -> Document:
    """``events.csv``: one row per event, which ``timeline import`` reads back."""
    header = (CSV_BOM + _csv_line(list(CSV_COLUMNS))).encode()
    return Document("csv", header, b"", b"", timeline.events, _csv_row)


def events_schema() -> bytes:
    """``events.schema.json``: the JSON Schema of ``events.json``, shipped in the package."""
    return (resources.files("generator") / "events.schema.json").read_bytes()


def export_documents(timeline: Timeline, config: SiteConfig) -> dict[str, Export]:
    """Every data file a build writes beside the pages, by path."""
    from generator.site.citefiles import citation_exports

    return {"events.json": events_json(timeline, config),
            "events.schema.json": events_schema(),
            "events.csv": events_csv(timeline),
            "timelinejs.json": timelinejs_json(timeline, config),
            "events.ics": events_ics(timeline, config),
            **citation_exports(timeline, config)}
