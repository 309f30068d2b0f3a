"""What check says of sources, offline: http:// links, undated sources, dead links without
an archived copy (from the lock)."""

from __future__ import annotations

from generator.sources.advice import source_warnings
from generator.sources.lock import Entry, write_lock

from conftest import MakeSite, event_file

CHECKED = "2026-11-30T08:15:00Z"


def test_source_warnings(make_site: MakeSite) -> None:
    sources = ("sources:\n  - publisher: A\n    url: http://a.test/x\n"
               "  - publisher: B\n    url: http://b.test/y\n    published: 2017-10-03\n"
               "  - publisher: C\n    url: https://c.test/gone\n    published: 2017-10-03\n"
               "  - publisher: D\n    url: https://d.test/gone\n    published: 2017-10-03\n"
               "    archived: https://web.archive.org/web/2017/https://d.test/gone\n")
    site = make_site({"content/events/a.md": event_file("A", sources=sources)})
    write_lock(site, {"http://b.test/y": Entry("redirected", 301, CHECKED, "https://b.test/y"),
                      "https://c.test/gone": Entry("gone", 404, CHECKED),  # no 'since'
                      "https://d.test/gone": Entry("gone", 404, CHECKED, since="2026-01-01")})
    assert [str(p) for p in source_warnings(site)] == [
        "content/events/a.md:6: warning: sources[0].accessed: missing: no published date: "
        "write when it was reported (published:), or for a page without one (a wiki) the day "
        "you read it (accessed: YYYY-MM-DD), which its citations give",
        "content/events/a.md:7: warning: sources[0].url: http:// link: cite https://a.test/x "
        "if the site has it",
        "content/events/a.md:9: warning: sources[1].url: http:// link: it redirects to "
        "https://b.test/y; cite that",
        "content/events/a.md:12: warning: sources[2].url: dead link (gone (404) since "
        "2026-11-30) and no archived copy: run `timeline sources archive` or add archived:",
    ]


def test_an_unreadable_lock_is_reported(make_site: MakeSite) -> None:
    site = make_site({"content/events/a.md": event_file("A"),
                      "content/sources.lock.json": "{"})
    assert [str(p) for p in source_warnings(site)] == [
        "content/sources.lock.json:1: warning: is not valid JSON: ignored, and rebuilt by "
        "`timeline sources check`"]
