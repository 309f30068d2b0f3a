"""Data exports written by every build, for people who reuse the chronology."""

from __future__ import annotations

import json
from typing import Any

from .config import SiteConfig
from .content import Timeline
from .model import Event
from .render import event_path


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


def export_files(timeline: Timeline, config: SiteConfig) -> dict[str, bytes]:
    """Every data file a build writes beside the pages."""
    return {"events.json": events_json(timeline, config)}
