"""search.json: one document per event, bodies clipped to a budget, bytes stable."""

from __future__ import annotations

import json
from dataclasses import replace

from generator.content.dates import parse_date
from generator.content.loading import Timeline
from generator.content.model import Event, Source
from generator.site.search import BODY_BUDGET, body_limit, search_document, search_json


def event(slug: str, html: str = "<p>Body <b>text</b> &amp; more.</p>") -> Event:
    return Event(slug=slug, path=f"content/events/{slug}.md", title=slug.upper(),
                 date=parse_date("2017-09-11"), status="confirmed", key=f"k-{slug}",
                 sources=(Source(publisher="P", title="T", via="V", quote="Q"), Source("X")),
                 tags=("Trade War", "C++"), places=("Seoul",), html=html, summary="S")


def test_one_document() -> None:
    assert search_document(event("a")) == {
        "id": "a", "url": "events/a/", "title": "A", "date": "11 September 2017",
        "summary": "S", "body": "Body text & more.", "sources": "P T V Q · X",
        "places": "Seoul", "tags": "Trade War C++", "status": "confirmed", "year": 2017,
        "tag_slugs": ["trade-war", "c-plus-plus"], "place_slugs": ["seoul"]}


def test_bodies_are_clipped_at_a_word() -> None:
    long = event("a", "<p>" + "word " * 100 + "</p>")
    assert search_document(long, 22)["body"] == "word word word word …"


def test_body_limit() -> None:
    assert body_limit(0) == BODY_BUDGET
    assert body_limit(100) == BODY_BUDGET // 100
    assert body_limit(100_000) == 300


def test_search_json_is_valid_json_in_timeline_order() -> None:
    events = (event("a"), replace(event("b"), title="Bé"))
    doc = search_json(Timeline(events, (), ()))
    data = json.loads(b"".join(doc.pieces()))
    assert data["version"] == 1 and [d["id"] for d in data["events"]] == ["a", "b"]
    assert "Bé" in b"".join(doc.pieces()).decode()  # not \\u-escaped
    assert doc.kind == f"search-{BODY_BUDGET // 2}"
    assert json.loads(b"".join(search_json(Timeline((), (), ())).pieces())) == {
        "version": 1, "events": []}
