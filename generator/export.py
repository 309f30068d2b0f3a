"""Data exports written by every build, for people who reuse the chronology."""

from __future__ import annotations

import csv
import io
import json
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
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


Fragments = dict[tuple[str, str], bytes | memoryview]
"""Each event's piece of each export, serialised and encoded, keyed by (export, event key):
an edit re-serialises one event, not ten thousand, and the files are joined as bytes."""


@dataclass(frozen=True)
class Layout:
    """Where each event's fragment lies in an export as written, so that the next build
    can cut the unchanged ones out of the file instead of making or storing them again."""

    kind: str
    start: int
    """Bytes before the first fragment."""
    separator: int
    """Bytes between two fragments."""
    keys: tuple[str, ...]
    sizes: tuple[int, ...]


Layouts = dict[str, Layout]
"""By export file."""


def laid_out(layouts: Layouts | None, rel: str, kind: str, start: int, separator: bytes,
             events: Sequence[Event], items: list[bytes | memoryview]) -> None:
    if layouts is None:
        return
    keys = tuple(map(operator.attrgetter("key"), events))
    if all(keys):
        layouts[rel] = Layout(kind, start, len(separator), keys, tuple(map(len, items)))


def joined(head: bytes, items: list[bytes | memoryview], separator: bytes, tail: bytes
           ) -> bytes:
    """``head + separator.join(items) + tail`` in one copy: the exports run to tens of MB."""
    if not items:
        return head + tail
    pieces: list[bytes | memoryview] = [b""] * (2 * len(items) + 1)
    pieces[0], pieces[-1] = head, tail
    pieces[1:-1:2] = items
    pieces[2:-1:2] = [separator] * (len(items) - 1)
    return b"".join(pieces)


def cut(data: bytes, layout: Layout) -> Fragments:
    """The fragments of a file written with ``layout`` (nothing if it does not fit)."""
    end = layout.start + sum(layout.sizes) + layout.separator * max(len(layout.sizes) - 1, 0)
    if end > len(data):
        return {}
    view = memoryview(data)
    out: Fragments = {}
    at = layout.start
    for key, size in zip(layout.keys, layout.sizes, strict=True):
        out[(layout.kind, key)] = view[at:at + size]
        at += size + layout.separator
    return out

_EVENTS = "\x00events\x00"


def fragment(memo: Fragments | None, kind: str, event: Event,
             make: Callable[[], bytes]) -> bytes | memoryview:
    """Return the memoised fragment, making it when missing."""
    if memo is None or not event.key:
        return make()
    key = (kind, event.key)
    text = memo.get(key)
    if text is None:
        text = memo[key] = make()
    return text


def splice_events(data: dict[str, Any], items: list[bytes | memoryview]) -> bytes:
    """JSON of ``data`` whose "events" list holds ``items``, one serialised event a line."""
    return _splice(data, items)[0]


def _splice(data: dict[str, Any], items: list[bytes | memoryview]) -> tuple[bytes, int]:
    """``splice_events`` and where its first item starts."""
    head = json.dumps({**data, "events": _EVENTS}, ensure_ascii=False, indent=1)
    before, after = head.split(json.dumps(_EVENTS), 1)
    if not items:
        return (before + "[]" + after + "\n").encode(), 0
    start = (before + "[\n").encode()
    return joined(start, items, b",\n", ("\n]" + after + "\n").encode()), len(start)


def _compact(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def events_json(timeline: Timeline, config: SiteConfig, memo: Fragments | None = None,
                layouts: Layouts | None = None) -> bytes:
    """``events.json``: ``{"site": {...}, "events": [...]}``, stable byte for byte."""
    items = [fragment(memo, "json", e, partial(_compact_record, e, config))
             for e in timeline.events]
    data, start = _splice({"site": site_record(config)}, items)
    laid_out(layouts, "events.json", "json", start, b",\n", timeline.events, items)
    return data


def timelinejs_json(timeline: Timeline, config: SiteConfig, memo: Fragments | None = None,
                    layouts: Layouts | None = None) -> bytes:
    """``timelinejs.json``: the site in TimelineJS3's format, to embed with TimelineJS as is."""
    items = [fragment(memo, "timelinejs", e, partial(_compact_slide, e, config))
             for e in timeline.events]
    data, start = _splice(timelinejs_frame(timeline, config), items)
    laid_out(layouts, "timelinejs.json", "timelinejs", start, b",\n", timeline.events,
              items)
    return data


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


def events_csv(timeline: Timeline, memo: Fragments | None = None,
               layouts: Layouts | None = None) -> bytes:
    """``events.csv``: one row per event, which ``timeline import`` reads back."""
    header = _csv_line(list(CSV_COLUMNS)).encode()
    rows = [fragment(memo, "csv", e, partial(_csv_row, e)) for e in timeline.events]
    laid_out(layouts, "events.csv", "csv", len(header), b"", timeline.events, rows)
    return joined(header, rows, b"", b"")


def events_schema() -> bytes:
    """``events.schema.json``: the JSON Schema of ``events.json``, shipped in the package."""
    return (resources.files("generator") / "events.schema.json").read_bytes()


def event_fragments(event: Event, config: SiteConfig) -> dict[str, bytes]:
    """The event's pieces of every export, to make ahead (in a parse worker) and memoise."""
    return {"json": _compact_record(event, config),
            "timelinejs": _compact_slide(event, config),
            "csv": _csv_row(event)}


def export_files(timeline: Timeline, config: SiteConfig, memo: Fragments | None = None,
                 layouts: Layouts | None = None) -> dict[str, bytes]:
    """Every data file a build writes beside the pages; ``layouts`` gets where each event
    lies in them."""
    return {"events.json": events_json(timeline, config, memo, layouts),
            "events.schema.json": events_schema(),
            "events.csv": events_csv(timeline, memo, layouts),
            "timelinejs.json": timelinejs_json(timeline, config, memo, layouts)}
