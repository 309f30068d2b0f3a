"""The search documents: the text of each event that search looks at, in ``search.json``
(for whoever reuses it) and as the prebuilt index the pages' search reads, split into small
files under ``search/`` (``generator/site/search_index.py``). Nothing is loaded by readers
who never search, and no request leaves the site.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from generator.content.body import plain_text
from generator.content.dates import EventDate
from generator.content.loading import Timeline
from generator.content.model import Event, Source, slugify
from generator.site.document import Document, Export, Gathered
from generator.site.plan import event_path, year_of
from generator.site.search_index import search_files, term_classes

SEARCH_PATH = "search.json"
INDEX_FOLDER = "search/"


def _source_text(source: Source) -> str:
    return " ".join(part for part in (source.publisher, source.title, source.via,
                                      source.author, source.quote) if part)


BODY_BUDGET = 2_000_000
"""Characters of body text in the whole file: full bodies for a few hundred events, the start
of each body for ten thousand, so the first search never downloads tens of megabytes."""


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


def search_document(event: Event, body_limit: int = BODY_BUDGET,
                    say_date: Callable[[EventDate], str] = EventDate.display,
                    labels: Mapping[str, str] | None = None) -> dict[str, Any]:
    """What one event contributes: the fields searched, and the ones filters and links need;
    tags and places as the pages' ``labels`` show them, so search finds what a card says."""
    shown = labels or {}
    return {
        "id": event.slug,
        "url": event_path(event),
        "title": event.title,
        "date": say_date(event.date),
        "summary": event.summary,
        "body": _clip(plain_text(event.html), body_limit),
        "sources": " · ".join(_source_text(s) for s in event.sources),
        "places": " · ".join(shown.get(p, p) for p in event.places),
        "tags": " ".join(shown.get(t, t) for t in event.tags),
        "status": event.status,
        "year": year_of(event),
        "tag_slugs": [slugify(t) for t in event.tags],
        "place_slugs": [slugify(p) for p in event.places],
    }


def _document_json(event: Event, limit: int, say_date: Callable[[EventDate], str],
                   labels: Mapping[str, str] | None = None) -> bytes:
    return json.dumps(search_document(event, limit, say_date, labels), ensure_ascii=False,
                      separators=(",", ":")).encode()


def body_limit(count: int) -> int:
    """Characters of body text each of ``count`` events gets in the search file."""
    return max(300, BODY_BUDGET // max(count, 1))


def search_json(timeline: Timeline,
                say_date: Callable[[EventDate], str] = EventDate.display,
                labels: Mapping[str, str] | None = None) -> Document:
    """``search.json``: every event in timeline order, compact and stable byte for byte;
    ``say_date``: its dates in the pages' language, ``labels``: its tags' and places'."""
    limit = body_limit(len(timeline.events))
    return Document(f"search-{limit}", b'{"version":1,"events":[', b",", b"]}",
                    timeline.events, partial(_document_json, limit=limit, say_date=say_date,
                                             labels=labels))


def search_exports(timeline: Timeline, say_date: Callable[[EventDate], str] = EventDate.display,
                   prefix: str = "", labels: Mapping[str, str] | None = None
                   ) -> dict[str, Export]:
    """``search.json`` and the index files, under ``prefix`` (a language's folder), with
    tags and places as ``labels`` name them in that language."""
    limit = body_limit(len(timeline.events))
    return {prefix + SEARCH_PATH: search_json(timeline, say_date, labels),
            prefix + INDEX_FOLDER: Gathered(f"search-index-{limit}-{prefix}", timeline.events,
                                            partial(index_entry, limit=limit,
                                                    say_date=say_date, labels=labels),
                                            _index_files)}


def index_entry(event: Event, limit: int, say_date: Callable[[EventDate], str],
                labels: Mapping[str, str] | None = None
                ) -> tuple[dict[str, Any], dict[str, int]]:
    """What one event gives the index: its search document and its terms."""
    doc = search_document(event, limit, say_date, labels)
    return doc, term_classes(doc)


def _index_files(entries: list[tuple[dict[str, Any], dict[str, int]]]) -> dict[str, bytes]:
    return dict(sorted(search_files([doc for doc, _ in entries],
                                    [terms for _, terms in entries]).items()))
