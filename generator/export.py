"""Data exports written by every build, for people who reuse the chronology."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from functools import partial
from importlib import resources
from typing import Any

from .config import SiteConfig
from .content import Timeline
from .model import Event
from .render import event_path
from .timelinejs import event_slide, timelinejs_frame

CSV_COLUMNS = ("date", "end", "title", "summary", "status", "tags", "places", "source_url",
               "source_publisher", "source_title", "source_published", "slug", "body")
"""The plain CSV that ``timeline import`` reads, plus the slug and the Markdown body."""


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
    })
    return record


def site_record(config: SiteConfig) -> dict[str, Any]:
    return {"title": config.title, "description": config.description,
            "base_url": config.base_url, "language": config.language, "author": config.author}


Fragments = dict[tuple[str, str], bytes]
"""Each event's piece of each export, serialised and encoded, keyed by (export, event key):
an edit re-serialises one event, not ten thousand, and the files are joined as bytes."""

_EVENTS = "\x00events\x00"


def fragment(memo: Fragments | None, kind: str, event: Event,
             make: Callable[[], bytes]) -> bytes:
    """Return the memoised fragment, making it when missing."""
    if memo is None or not event.key:
        return make()
    key = (kind, event.key)
    text = memo.get(key)
    if text is None:
        text = memo[key] = make()
    return text


def splice_events(data: dict[str, Any], items: list[bytes]) -> bytes:
    """JSON of ``data`` whose "events" list holds ``items``, one serialised event a line."""
    head = json.dumps({**data, "events": _EVENTS}, ensure_ascii=False, indent=1)
    before, after = head.split(json.dumps(_EVENTS), 1)
    if not items:
        return (before + "[]" + after + "\n").encode()
    # Tens of megabytes at 10,000 events: joined once, not copied at each step.
    return b"".join([(before + "[\n").encode(), b",\n".join(items),
                     ("\n]" + after + "\n").encode()])


def _compact(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def events_json(timeline: Timeline, config: SiteConfig, memo: Fragments | None = None
                ) -> bytes:
    """``events.json``: ``{"site": {...}, "events": [...]}``, stable byte for byte."""
    items = [fragment(memo, "json", e, partial(_compact_record, e, config))
             for e in timeline.events]
    return splice_events({"site": site_record(config)}, items)


def timelinejs_json(timeline: Timeline, config: SiteConfig, memo: Fragments | None = None
                    ) -> bytes:
    """``timelinejs.json``: the site in TimelineJS3's format, to embed with TimelineJS as is."""
    items = [fragment(memo, "timelinejs", e, partial(_compact_slide, e, config))
             for e in timeline.events]
    return splice_events(timelinejs_frame(timeline, config), items)


def _compact_record(event: Event, config: SiteConfig) -> bytes:
    return _compact(event_record(event, config))


def _compact_slide(event: Event, config: SiteConfig) -> bytes:
    return _compact(event_slide(event, config, (config.base_url or "/") + event_path(event)))


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
    ]


def _csv_line(values: list[str]) -> str:
    out = io.StringIO(newline="")
    csv.writer(out).writerow(values)
    return out.getvalue()


def _csv_row(event: Event) -> bytes:
    return _csv_line(event_row(event)).encode()


def events_csv(timeline: Timeline, memo: Fragments | None = None) -> bytes:
    """``events.csv``: one row per event, which ``timeline import`` reads back."""
    rows = [_csv_line(list(CSV_COLUMNS)).encode()]
    rows += [fragment(memo, "csv", e, partial(_csv_row, e)) for e in timeline.events]
    return b"".join(rows)


def events_schema() -> bytes:
    """``events.schema.json``: the JSON Schema of ``events.json``, shipped in the package."""
    return (resources.files("generator") / "events.schema.json").read_bytes()


def event_fragments(event: Event, config: SiteConfig) -> dict[str, bytes]:
    """The event's pieces of every export, to make ahead (in a parse worker) and memoise."""
    return {"json": _compact_record(event, config),
            "timelinejs": _compact_slide(event, config),
            "csv": _csv_row(event)}


def export_files(timeline: Timeline, config: SiteConfig, memo: Fragments | None = None
                 ) -> dict[str, bytes]:
    """Every data file a build writes beside the pages."""
    return {"events.json": events_json(timeline, config, memo),
            "events.schema.json": events_schema(),
            "events.csv": events_csv(timeline, memo),
            "timelinejs.json": timelinejs_json(timeline, config, memo)}
