"""Data exports written by every build, for people who reuse the chronology."""

from __future__ import annotations

import csv
import io
import itertools
import json
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from importlib import resources
from typing import Any

from generator.config import SiteConfig
from generator.content.loading import Timeline
from generator.content.model import Event
from generator.site.render import event_path
from generator.interop.timelinejs import event_slide, timelinejs_frame

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
    if any(s.health for s in event.sources):  # from sources.lock.json (sources check)
        record["sources"] = [{**written, "health": s.health.record()} if s.health
                             else written for written, s in zip(record["sources"],
                                                                event.sources, strict=True)]
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

Piece = bytes | memoryview
Pieces = list[Piece]
"""A file as the pieces it is written from: tens of megabytes are never joined in memory."""


@dataclass(frozen=True)
class Written:
    """An export as the last build wrote it (checked against the manifest), and its layout."""

    data: bytes
    layout: Layout


PATCH_LIMIT = 64
"""Up to this many events changed in place, an export is the old file with their fragments
replaced; past it, it is put together again from every event's fragment."""


def assemble(rel: str, kind: str, head: bytes, separator: bytes, tail: bytes,
             events: Sequence[Event], memo: Fragments | None,
             make: Callable[[Event], bytes], layouts: Layouts | None = None,
             written: dict[str, Written] | None = None) -> Pieces:
    """``head``, each event's fragment between ``separator``s, and ``tail``, as pieces.

    An event's fragment comes from ``memo`` when there, else from ``make``. With
    ``written`` (the last build's file), unchanged runs of events are slices of that file.
    ``layouts`` gets where each fragment lies in the result."""
    keys = tuple(map(_key, events))
    if not keys:
        if layouts is not None:
            layouts[rel] = Layout(kind, len(head), len(separator), (), ())
        return [head, tail]
    old = written.get(rel) if written else None
    patched = None
    if old is not None and all(keys):
        patched = _patched(old, kind, head, separator, tail, events, keys, memo, make)
    if patched is not None:
        pieces, sizes = patched
    else:
        if old is not None and memo is not None and old.layout.kind == kind:
            memo.update(cut(old.data, old.layout))
        items = [fragment(memo, kind, e, partial(make, e)) for e in events]
        sizes = tuple(map(len, items))
        pieces = [b""] * (2 * len(items) + 1)
        pieces[0], pieces[-1] = head, tail
        pieces[1:-1:2] = items
        pieces[2:-1:2] = [separator] * (len(items) - 1)
    if layouts is not None and all(keys):
        layouts[rel] = Layout(kind, len(head), len(separator), keys, sizes)
    return pieces


_key = operator.attrgetter("key")


def _patched(old: Written, kind: str, head: bytes, separator: bytes, tail: bytes,
             events: Sequence[Event], keys: tuple[str, ...], memo: Fragments | None,
             make: Callable[[Event], bytes]) -> tuple[Pieces, tuple[int, ...]] | None:
    """The old file with the fragments of the events whose key changed replaced, when the
    events are as many as before and few changed; None otherwise."""
    layout = old.layout
    count = len(keys)
    if not count or layout.kind != kind or len(layout.keys) != count \
            or layout.separator != len(separator):
        return None
    changed = list(itertools.compress(range(count), map(operator.ne, layout.keys, keys)))
    if len(changed) > PATCH_LIMIT:
        return None
    starts, end = _starts(layout)
    if end > len(old.data):
        return None
    view = memoryview(old.data)
    pieces: Pieces = [head]
    sizes = list(layout.sizes)
    at = layout.start
    for number in changed:
        event = events[number]
        made = fragment(memo, kind, event, partial(make, event))
        pieces += (view[at:starts[number]], made)
        at = starts[number] + layout.sizes[number]
        sizes[number] = len(made)
    pieces += (view[at:end], tail)
    return pieces, tuple(sizes)


def _starts(layout: Layout) -> tuple[list[int], int]:
    """Where each fragment of ``layout`` starts, and where the last one ends."""
    starts = list(itertools.accumulate(
        map(operator.add, layout.sizes, itertools.repeat(layout.separator)),
        initial=layout.start))
    return starts, starts[-1] - (layout.separator if layout.sizes else 0)


def cut(data: bytes, layout: Layout) -> Fragments:
    """The fragments of a file written with ``layout`` (nothing if it does not fit)."""
    starts, end = _starts(layout)
    if end > len(data):
        return {}
    view = memoryview(data)
    return {(layout.kind, key): view[at:at + size]
            for key, size, at in zip(layout.keys, layout.sizes, starts, strict=False)}


_EVENTS = "\x00events\x00"


def fragment(memo: Fragments | None, kind: str, event: Event,
             make: Callable[[], bytes]) -> Piece:
    """Return the memoised fragment, making it when missing."""
    if memo is None or not event.key:
        return make()
    key = (kind, event.key)
    text = memo.get(key)
    if text is None:
        text = memo[key] = make()
    return text


def _frame(data: dict[str, Any], any_events: bool) -> tuple[bytes, bytes]:
    """What comes before the first and after the last event of a JSON export."""
    text = json.dumps({**data, "events": _EVENTS}, ensure_ascii=False, indent=1)
    before, after = text.split(json.dumps(_EVENTS), 1)
    if not any_events:
        return (before + "[]" + after + "\n").encode(), b""
    return (before + "[\n").encode(), ("\n]" + after + "\n").encode()


def _compact(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def events_json(timeline: Timeline, config: SiteConfig, memo: Fragments | None = None,
                layouts: Layouts | None = None, written: dict[str, Written] | None = None
                ) -> Pieces:
    """``events.json``: ``{"site": {...}, "events": [...]}``, stable byte for byte."""
    head, tail = _frame({"site": site_record(config)}, bool(timeline.events))
    return assemble("events.json", "json", head, b",\n", tail, timeline.events, memo,
                    partial(_compact_record, config=config), layouts, written)


def timelinejs_json(timeline: Timeline, config: SiteConfig, memo: Fragments | None = None,
                    layouts: Layouts | None = None, written: dict[str, Written] | None = None
                    ) -> Pieces:
    """``timelinejs.json``: the site in TimelineJS3's format, to embed with TimelineJS as is."""
    head, tail = _frame(timelinejs_frame(timeline, config), bool(timeline.events))
    return assemble("timelinejs.json", "timelinejs", head, b",\n", tail, timeline.events,
                    memo, partial(_compact_slide, config=config), layouts, written)


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
               layouts: Layouts | None = None, written: dict[str, Written] | None = None
               ) -> Pieces:
    """``events.csv``: one row per event, which ``timeline import`` reads back."""
    header = _csv_line(list(CSV_COLUMNS)).encode()
    return assemble("events.csv", "csv", header, b"", b"", timeline.events, memo, _csv_row,
                    layouts, written)


def events_schema() -> bytes:
    """``events.schema.json``: the JSON Schema of ``events.json``, shipped in the package."""
    return (resources.files("generator") / "events.schema.json").read_bytes()


def event_fragments(event: Event, config: SiteConfig) -> dict[str, bytes]:
    """The event's pieces of every export, to make ahead (in a parse worker) and memoise."""
    return {"json": _compact_record(event, config),
            "timelinejs": _compact_slide(event, config),
            "csv": _csv_row(event)}


def export_files(timeline: Timeline, config: SiteConfig, memo: Fragments | None = None,
                 layouts: Layouts | None = None, written: dict[str, Written] | None = None
                 ) -> dict[str, bytes | Pieces]:
    """Every data file a build writes beside the pages; ``layouts`` gets where each event
    lies in them, and ``written`` (the last build's files) gives the unchanged ones."""
    return {"events.json": events_json(timeline, config, memo, layouts, written),
            "events.schema.json": events_schema(),
            "events.csv": events_csv(timeline, memo, layouts, written),
            "timelinejs.json": timelinejs_json(timeline, config, memo, layouts, written)}
