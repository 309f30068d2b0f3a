"""``nav.json`` as an export document: one row per event that depends on the event alone,
the page size in its head, and rows kept across builds equal to rows made afresh."""

from __future__ import annotations

import json
from pathlib import Path

from generator.build import build_site

from conftest import MakeSite, event_file

CONFIG = 'title = "T"\nbase_url = "https://example.org/"\npage_size = 2\n'


def _site(make_site: MakeSite, count: int) -> Path:
    return make_site({f"content/events/e{n:02}.md": event_file(f"Event {n}", f"{2000 + n}-01-01")
                      for n in range(count)}, CONFIG)


def _rows(site: Path) -> tuple[int, list[list[object]]]:
    data = json.loads((site / "site" / "nav.json").read_bytes())
    return data["size"], data["events"]


def test_rows_follow_the_list_and_an_insert_moves_every_later_page(make_site: MakeSite
                                                                    ) -> None:
    site = _site(make_site, 5)
    build_site(site)
    size, rows = _rows(site)
    assert size == 2 and [r[0] for r in rows] == ["e04", "e03", "e02", "e01", "e00"]
    assert rows[0][1:] == [2004, "reported", ["alpha"], [], "1 January 2004", "Event 4",
                           20040101, 20040101]
    (site / "content/events/e10.md").write_text(event_file("Event 10", "2003-06-01"), "utf-8")
    build_site(site)  # rows kept from the last file, one made anew
    _, kept = _rows(site)
    fresh = json.loads(json.dumps(kept))
    build_site(site, use_cache=False)
    assert _rows(site)[1] == fresh
    assert [r[0] for r in kept] == ["e04", "e10", "e03", "e02", "e01", "e00"]
