"""The values: how events order, what links are safe, what events.json says of a link."""

from __future__ import annotations

from generator.content.dates import parse_date
from generator.content.model import Event, SourceHealth, safe_url


def event(title: str, date: str, slug: str = "s") -> Event:
    return Event(slug=slug, path="p", title=title, date=parse_date(date), status="reported",
                 sources=())


def test_events_order_by_day_then_precision_then_title() -> None:
    events = [event("b", "2017-09-11"), event("B", "2017-09"), event("a", "2017-09-11"),
              event("z", "2016"), event("a", "2017-09-11", "r")]
    ordered = sorted(events, key=Event.sort_key)
    assert [(e.title, e.date.text, e.slug) for e in ordered] == [
        ("z", "2016", "s"), ("B", "2017-09", "s"), ("a", "2017-09-11", "r"),
        ("a", "2017-09-11", "s"), ("b", "2017-09-11", "s")]


def test_safe_url() -> None:
    assert safe_url(" https://a.test/x ") == "https://a.test/x"
    assert safe_url("mailto:a@b.test") == "mailto:a@b.test"
    for bad in ("javascript:alert(1)", " JaVaScRiPt:x", "&#106;avascript:x", "java\tscript:x",
                "https:///nohost", "data:text/html,x", "/relative"):
        assert safe_url(bad) is None, bad
    assert safe_url("/images/a.jpg", relative=True) == "/images/a.jpg"
    assert safe_url("a.jpg", relative=True) == "a.jpg"
    assert safe_url("javascript:x", relative=True) is None


def test_source_health_record() -> None:
    health = SourceHealth("gone", 404, "2026-11-01T08:00:00Z", "2026-11-01",
                          dead_since="November 2026")
    assert health.dead
    assert health.record() == {"status": "gone", "checked_at": "2026-11-01T08:00:00Z",
                               "since": "2026-11-01", "code": 404}
    moved = SourceHealth("redirected", final_url="https://b.test/")
    assert not moved.dead
    assert moved.record() == {"status": "redirected", "checked_at": "", "since": "",
                              "final_url": "https://b.test/"}


def test_link_host() -> None:
    from generator.content.model import link_host
    assert link_host("https://www.news.test/a") == "news.test"
    assert link_host("https://WWW.News.test/a") == "news.test"  # hosts are lower case
    assert link_host("mailto:a@b.test") == ""
    assert link_host("not a link") == ""
