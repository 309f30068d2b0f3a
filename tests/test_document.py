"""Documents: head, parts between separators, tail; parts may be given (reused) or made."""

from __future__ import annotations

from generator.content.dates import parse_date
from generator.content.model import Event
from generator.site.document import Document


def event(key: str) -> Event:
    return Event(slug=key, path="p", title=key, date=parse_date("2017"), status="reported",
                 sources=(), key=key)


def doc(*keys: str) -> Document:
    return Document("k", b"[", b",", b"]", [event(k) for k in keys],
                    lambda e: e.title.encode())


def test_pieces_made_or_given() -> None:
    assert b"".join(doc("a", "b", "c").pieces()) == b"[a,b,c]"
    assert doc("a", "b").pieces([b"x", memoryview(b"y")]) == [b"[", b"x", b",", b"y", b"]"]
    assert doc().pieces() == [b"[", b"]"]
    assert b"".join(doc("a").pieces()) == b"[a]"


def test_keys_are_the_events_keys() -> None:
    assert doc("a", "b").keys() == ("a", "b")
