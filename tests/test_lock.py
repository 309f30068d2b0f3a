"""The sources lock: read back as written, refused with a warning when it cannot be trusted,
and turned into what readers are told of each link."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.content.dates import parse_date
from generator.content.loading import Timeline
from generator.content.model import Event, Source
from generator.sources.lock import (
    LOCK_NAME,
    Entry,
    archived_day,
    event_with_health,
    health_of,
    lock_text,
    read_lock,
    with_lock,
    write_lock,
)

CHECKED = "2026-11-30T08:15:00Z"


def test_written_and_read_back(tmp_path: Path) -> None:
    lock = {"https://b.test/": Entry("gone", 404, CHECKED, since="2026-11-01"),
            "https://a.test/": Entry("redirected", 301, CHECKED, "https://a.test/new")}
    write_lock(tmp_path, lock)
    text = (tmp_path / LOCK_NAME).read_text("utf-8")
    assert text == lock_text(lock)
    assert list(json.loads(text)["links"]) == ["https://a.test/", "https://b.test/"]
    assert "detail" not in text  # empty fields are left out
    assert read_lock(tmp_path) == (lock, None)


@pytest.mark.parametrize(("text", "message"), [
    ("{", "content/sources.lock.json:1: warning: is not valid JSON: ignored, and rebuilt by "
          "`timeline sources check`"),
    ('{"version": 9, "links": {}}', "content/sources.lock.json: warning: version: 9 is from a "
     "newer timeline (this one reads 1): ignored, and rebuilt by `timeline sources check`"),
    ('{"version": 1}', "content/sources.lock.json: warning: is not a sources lock file: "
     "ignored, and rebuilt by `timeline sources check`"),
    ("[]", "content/sources.lock.json: warning: is not a sources lock file: ignored, and "
     "rebuilt by `timeline sources check`"),
])
def test_a_lock_that_cannot_be_trusted(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / LOCK_NAME).write_text(text, "utf-8")
    lock, problem = read_lock(tmp_path)
    assert lock == {} and str(problem) == message


def test_bad_entries_are_left_out(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / LOCK_NAME).write_text(json.dumps({"version": 1, "links": {
        "https://ok.test/": {"status": "ok", "code": 200, "checked_at": CHECKED},
        "https://a.test/": {"status": "fine", "checked_at": CHECKED},
        "https://b.test/": {"status": "ok", "code": True, "checked_at": CHECKED},
        "https://c.test/": {"status": "ok", "checked_at": ""},
        "https://d.test/": {"status": "ok", "checked_at": CHECKED, "detail": 3},
        "https://e.test/": "ok"}}), "utf-8")
    assert read_lock(tmp_path) == ({"https://ok.test/": Entry("ok", 200, CHECKED)}, None)
    assert read_lock(tmp_path / "nowhere") == ({}, None)


def test_archived_day() -> None:
    assert archived_day("https://web.archive.org/web/20171003101010/https://x.test/") == \
        "3 October 2017"
    assert archived_day("https://web.archive.org/web/20171003id_/https://x.test/") == \
        "3 October 2017"
    assert archived_day("https://web.archive.org/web/20170230000000/x") == ""
    assert archived_day("https://archive.ph/abc") == ""


def test_health() -> None:
    gone = health_of(Entry("gone", 404, CHECKED, since="2026-10-05"),
                     "https://web.archive.org/web/20171003101010/https://x.test/")
    assert (gone.dead_since, gone.since, gone.archived_on) == (
        "October 2026", "2026-10-05", "3 October 2017")
    ok = health_of(Entry("ok", 200, CHECKED))
    assert (ok.dead, ok.since) == (False, "2026-11-30")


def test_events_get_health_and_a_new_key(tmp_path: Path) -> None:
    event = Event(slug="a", path="p", title="A", date=parse_date("2017"), status="reported",
                  sources=(Source("P", url="https://a.test/"), Source("Q")), key="k")
    lock = {"https://a.test/": Entry("gone", 410, CHECKED)}
    healthy = event_with_health(event, lock)
    assert healthy.sources[0].health is not None and healthy.sources[0].health.dead
    assert healthy.sources[1].health is None
    assert healthy.key != "k" and healthy.title == "A"
    assert event_with_health(event, {}) is event
    timeline = Timeline((event,), (), ())
    assert with_lock(tmp_path, timeline) == (timeline, [])
    write_lock(tmp_path, lock)
    new, problems = with_lock(tmp_path, timeline)
    assert problems == [] and new.events[0].key == healthy.key
