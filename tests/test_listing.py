"""``timeline list``: one line per event, in date order, without building anything."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from generator.cli import main

from conftest import MakeSite, event_file


@pytest.fixture
def site(make_site: MakeSite) -> Path:
    return make_site({
        "content/events/b.md": event_file("Second, later", "2018-03", tags="[border]"),
        "content/events/a.md": event_file("First", "2017-09-11", tags="[Border, trade]",
                                          extra="status: confirmed\nfeatured: true\n"
                                                "places: [Kaesong, \"Seoul, ROK\"]\n"),
        "content/events/sub/c.md": event_file("A draft", "2017", extra="draft: true\n"),
    })


def run(site: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    capsys.readouterr()
    assert main(["list", str(site), *args]) == 0
    return capsys.readouterr().out


def test_table_in_date_order_without_building(site: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    out = run(site, capsys)
    assert out.splitlines() == [
        "DATE        STATUS                SLUG  TITLE          TAGS           PLACES"
        "               PATH",
        "2017-09-11  confirmed (featured)  a     First          Border; trade  Kaesong; "
        "Seoul, ROK  content/events/a.md",
        "2018-03     reported              b     Second, later  border                  "
        "            content/events/b.md"]
    assert not (site / "site").exists() and not (site / ".timeline-cache").exists()


def test_drafts_tag_and_status_filters(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = json.loads(run(site, capsys, "--drafts", "--format", "json"))
    assert [(r["date"], r["slug"], r["draft"]) for r in rows] == [
        ("2017", "c", True), ("2017-09-11", "a", False), ("2018-03", "b", False)]
    assert set(rows[0]) == {"date", "status", "slug", "title", "tags", "places", "path",
                            "featured", "draft"}
    assert (rows[1]["tags"], rows[1]["places"], rows[1]["featured"]) == (
        ["Border", "trade"], ["Kaesong", "Seoul, ROK"], True)
    tagged = list(csv.DictReader(io.StringIO(run(site, capsys, "--tag", "border",
                                                 "--format", "csv"))))
    assert [r["title"] for r in tagged] == ["First", "Second, later"]  # any spelling
    assert [(r["tags"], r["places"], r["featured"]) for r in tagged] == [
        ("Border; trade", "Kaesong; Seoul, ROK", "true"), ("border", "", "")]
    assert [r["slug"] for r in json.loads(run(site, capsys, "--status", "confirmed",
                                              "--format", "json"))] == ["a"]
    assert "(draft)" in run(site, capsys, "--drafts").splitlines()[1]


def test_list_of_a_broken_site_names_the_error(make_site: MakeSite,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({"content/events/x.md": event_file("X", "2017-02-30")})
    assert main(["list", str(site)]) == 1
    assert capsys.readouterr().err.strip() == "content/events/x.md:3: date: no such day " \
        "2017-02-30"


def test_list_reads_a_builds_cache_and_needs_none_of_its_packs(
        site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fresh = run(site, capsys)
    assert main(["build", str(site), "-q"]) == 0
    assert run(site, capsys) == fresh
    for pack in (site / ".timeline-cache").rglob("*"):
        if pack.is_file() and pack.stat().st_size > 1000:
            pack.write_bytes(b"\0" * pack.stat().st_size)  # damaged, same size: unread
    assert run(site, capsys) == fresh


# Unit tests of generator/dev/listing.py, called directly.

def test_list_events_filters_and_writes_nothing(site: Path) -> None:
    from generator.build import load_site
    from generator.dev.listing import Row, list_events
    rows, problems = list_events(site, load_site, drafts=True)
    assert problems == []
    assert [(r.date, r.slug, r.draft) for r in rows] == [
        ("2017", "c", True), ("2017-09-11", "a", False), ("2018-03", "b", False)]
    assert list_events(site, load_site, tag="BORDER")[0] == [
        Row("2017-09-11", "confirmed", "a", "First", "content/events/a.md", False,
            ("Border", "trade"), ("Kaesong", "Seoul, ROK"), True),
        Row("2018-03", "reported", "b", "Second, later", "content/events/b.md", False,
            ("border",))]
    assert [r.slug for r in list_events(site, load_site, status="confirmed")[0]] == ["a"]
    assert not (site / ".timeline-cache").exists() and not (site / "site").exists()


def test_list_events_stops_on_errors(make_site: MakeSite) -> None:
    from generator.build import load_site
    from generator.dev.listing import list_events
    from generator.errors import SiteError
    site = make_site({"content/events/a.md": event_file("A", "2017-02-30")})
    with pytest.raises(SiteError) as caught:
        list_events(site, load_site)
    assert str(caught.value) == "content/events/a.md:3: date: no such day 2017-02-30"


def test_format_rows() -> None:
    from generator.dev.listing import Row, format_rows
    rows = [Row("2017", "reported", "c", "A, \"quoted\"", "content/events/c.md", True),
            Row("2017-09-11", "confirmed", "a", "First", "content/events/a.md", False)]
    assert format_rows(rows, "table") == (
        "DATE        STATUS            SLUG  TITLE        TAGS  PLACES  PATH\n"
        "2017        reported (draft)  c     A, \"quoted\"                content/events/c.md\n"
        "2017-09-11  confirmed         a     First                      content/events/a.md\n")
    assert format_rows(rows, "csv").splitlines() == [
        "date,status,slug,title,tags,places,path,featured,draft",
        '2017,reported,c,"A, ""quoted""",,,content/events/c.md,,true',
        "2017-09-11,confirmed,a,First,,,content/events/a.md,,"]
    assert json.loads(format_rows(rows, "json"))[0] == {
        "date": "2017", "status": "reported", "slug": "c", "title": "A, \"quoted\"",
        "tags": [], "places": [], "path": "content/events/c.md", "featured": False,
        "draft": True}
    assert format_rows([], "table") == "DATE  STATUS  SLUG  TITLE  TAGS  PLACES  PATH\n"


def test_table_shows_what_a_terminal_would_act_on_as_escapes(
        make_site: MakeSite, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({"content/events/\x1b[2J\x1b]0;owned\x07.md": event_file(
        "Good\\rEvil \\u2067exe.gnp\\u2069", "2017-09-11")})
    out = run(site, capsys)
    assert not [c for c in out if c < " " and c != "\n" or "\x7f" <= c <= "\x9f"
                or "\u202a" <= c <= "\u202e" or "\u2066" <= c <= "\u2069"]
    (row,) = out.splitlines()[1:]
    assert "  Good\\rEvil \\u2067exe.gnp\\u2069  " in row
    assert row.endswith("  content/events/\\x1b[2J\\x1b]0;owned\\x07.md")
