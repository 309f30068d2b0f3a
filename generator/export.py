"""Data exports written by every build, for people who reuse the chronology."""

from __future__ import annotations

import csv
import io
import json
from importlib import resources
from typing import Any

from .config import SiteConfig
from .content import Timeline
from .model import Event
from .render import event_path
from .timelinejs import timelinejs_document

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


def events_json(timeline: Timeline, config: SiteConfig) -> bytes:
    """``events.json``: ``{"site": {...}, "events": [...]}``, stable byte for byte."""
    data = {"site": site_record(config),
            "events": [event_record(e, config) for e in timeline.events]}
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n").encode()


def timelinejs_json(timeline: Timeline, config: SiteConfig) -> bytes:
    """``timelinejs.json``: the site in TimelineJS3's format, to embed with TimelineJS as is."""
    urls = {e.slug: (config.base_url or "/") + event_path(e) for e in timeline.events}
    data = timelinejs_document(timeline, config, urls)
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode()


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


def events_csv(timeline: Timeline) -> bytes:
    """``events.csv``: one row per event, which ``timeline import`` reads back."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    writer.writerows(event_row(e) for e in timeline.events)
    return out.getvalue().encode()


def events_schema() -> bytes:
    """``events.schema.json``: the JSON Schema of ``events.json``, shipped in the package."""
    return (resources.files("generator") / "events.schema.json").read_bytes()


def export_files(timeline: Timeline, config: SiteConfig) -> dict[str, bytes]:
    """Every data file a build writes beside the pages."""
    return {"events.json": events_json(timeline, config),
            "events.schema.json": events_schema(),
            "events.csv": events_csv(timeline),
            "timelinejs.json": timelinejs_json(timeline, config)}
