"""Safety 2: inputs an attacker (or an accident) can write, each bounded or refused with one
clear line, never a traceback, a hang or an output that grows without bound."""

from __future__ import annotations

import json
import time
from pathlib import Path

import lxml.etree
import pytest

from generator.cli import main
from generator.site.overview import _tick_step

from conftest import MakeSite, event_file, parse_html

GOOD = "content/events/2017-09-11-good.md"


def _err(capsys: pytest.CaptureFixture[str]) -> list[str]:
    return capsys.readouterr().err.splitlines()


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


# 3. Dates far apart ---------------------------------------------------------------------

@pytest.mark.parametrize("span", [1, 3, 9, 17, 4_000, 9_999, 10_001, 10**8, 10**12, 2 * 10**15])
def test_any_span_of_years_gets_a_handful_of_ticks(span: int) -> None:
    assert span / _tick_step(span) <= 8


@pytest.mark.parametrize("far", ["Y100000000", "Y-999999999999999", "Y999999999999999"])
def test_events_ages_apart_draw_a_bounded_strip(far: str, make_site: MakeSite) -> None:
    site = make_site({GOOD: event_file("Now", "2020"),
                      "content/events/far.md": event_file("Far", far)})
    started = time.perf_counter()
    assert main(["build", str(site), "--quiet"]) == 0
    assert time.perf_counter() - started < 10
    index = site / "site" / "index.html"
    assert index.stat().st_size < 100_000
    ticks = parse_html(index).xpath(
        "//*[local-name()='g'][@class='ov-axis']//*[local-name()='text']")
    assert 2 <= len(ticks) <= 10
    assert _size(site / "site") < 1_000_000


@pytest.mark.parametrize("year, digits", [("Y1" + "0" * 300, 301), ("Y1" + "1" * 5001, 5002),
                                          ("Y-1" + "0" * 400, 401)])
@pytest.mark.parametrize("command", [["build"], ["build", "--no-cache"], ["check"]])
def test_a_year_too_long_is_one_line(year: str, digits: int, command: list[str],
                                     make_site: MakeSite,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({GOOD: event_file("Now", "2020"),
                      "content/events/far.md": event_file("Far", year)})
    assert main([*command, str(site)]) == 1
    shown = f"'{year[:40]}… ({len(year):,} characters)'"
    assert (f"content/events/far.md:3: date: {shown} has a year of {digits:,} digits; "
            "a year may have at most 15") in _err(capsys)


def test_a_timelinejs_year_too_long_fails_alone(make_site: MakeSite, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({GOOD: event_file("Now", "2020")})
    file = tmp_path / "tl.json"
    file.write_text(
        '{"events": [\n'
        '{"start_date": {"year": 1e300}, "text": {"headline": "Huge float"}},\n'
        '{"start_date": {"year": ' + "1" * 5001 + '}, "text": {"headline": "Long"}},\n'
        '{"start_date": {"year": 2001}, "text": {"headline": "Fine", "text": "<p>x</p>"}}\n'
        "]}\n", "utf-8")
    assert main(["import", str(file), str(site)]) == 1
    err = _err(capsys)
    assert f"{file}:2: start_date.year: 301 digits: a year may have at most 15" in err
    assert f"{file}:3: start_date.year: 5,001 digits: a year may have at most 15" in err
    assert sorted(p.name for p in (site / "content" / "events").iterdir()) == [
        "2001-fine.md", "2017-09-11-good.md"]


# 4. Nesting ---------------------------------------------------------------------------------

@pytest.mark.parametrize("key", ["deep", "title", "tags", "sources"])
@pytest.mark.parametrize("depth", [22, 500, 5000])
def test_deeply_nested_front_matter_is_one_line(key: str, depth: int, make_site: MakeSite,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    text = event_file("Deep", "2020").replace("---\n", f"---\n{key}: {'[' * depth}{']' * depth}\n",
                                              1)
    site = make_site({GOOD: event_file("Good"), "content/events/deep.md": text})
    assert main(["check", str(site)]) == 1
    err = _err(capsys)
    expected = ("content/events/deep.md:2: invalid YAML: while increasing flow level (line 2): "
                "exceeded maximum nesting depth" if depth > 1000 else
                f"content/events/deep.md:2: {key}: nested more than 20 levels deep")
    assert expected in err
    assert main(["build", str(site)]) == 1
    assert expected in _err(capsys)


def test_block_nesting_is_refused_too(make_site: MakeSite,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    nested = "".join("  " * i + "-\n" for i in range(1, 400))
    text = event_file("Deep", "2020").replace("---\n", f"---\ndeep:\n{nested}", 1)
    site = make_site({"content/events/deep.md": text})
    assert main(["check", str(site)]) == 1
    assert "content/events/deep.md:23: deep: nested more than 20 levels deep" in _err(capsys)


# 9. Tags and places --------------------------------------------------------------------

@pytest.mark.parametrize("field", ["tags", "places"])
def test_tags_and_places_that_name_no_page_are_errors(field: str, make_site: MakeSite,
                                                      capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    what = "a tag" if field == "tags" else "a place"
    names = '["?", "#", "/", "../", "\\0", "' + "x" * 300 + '", fine]'
    text = event_file("Odd", "2020").replace("tags: [alpha]", f"{field}: {names}")
    site = make_site({GOOD: event_file("Good"), "content/events/odd.md": text})
    for command in (["check"], ["build"], ["build", "--no-cache"]):
        assert main([*command, str(site)]) == 1
        err = _err(capsys)
        for i, name in enumerate(["?", "#", "/", "../", ""]):
            assert (f"content/events/odd.md:4: {field}[{i}]: '{name}' has no letter or digit: "
                    f"{what} names a page") in err
        assert f"content/events/odd.md:4: {field}[5]: 300 characters: {what} may have at " \
            "most 100" in err
        assert not (site / "site").exists()


def test_c_cpp_and_csharp_keep_pages_of_their_own(make_site: MakeSite) -> None:
    site = make_site({GOOD: event_file("Languages", tags="[C++, C#, C, F#]")})
    assert main(["build", str(site), "--quiet"]) == 0
    folders = sorted(p.name for p in (site / "site" / "tags").iterdir() if p.is_dir())
    assert folders == ["c", "c-plus-plus", "c-sharp", "f-sharp"]
    heading = parse_html(site / "site" / "tags" / "c-plus-plus" / "index.html")
    assert "C++" in heading.cssselect("h1")[0].text_content()


# 10. Control characters ---------------------------------------------------------------

CONTROLS = '"a\\0\\x01\\x1b\\x7fz"'


def test_control_characters_never_reach_the_feed(make_site: MakeSite,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    fields = {"title": 2, "tags[0]": 5, "summary": 6, "places[0]": 7,
              "sources[0].publisher": 9, "sources[0].title": 10, "sources[0].quote": 12,
              "media[0].alt": 15, "media[0].caption": 16}
    text = ("---\n"
            f"title: {CONTROLS}\ndate: 2020-01-02\nstatus: confirmed\ntags: [{CONTROLS}]\n"
            f"summary: {CONTROLS}\nplaces: [{CONTROLS}]\nsources:\n  - publisher: {CONTROLS}\n"
            f"    title: {CONTROLS}\n    url: https://example.org/r\n    quote: {CONTROLS}\n"
            f"media:\n  - src: https://example.org/i.png\n    alt: {CONTROLS}\n"
            f"    caption: {CONTROLS}\n---\n\nBody a\x00\x01\x1bz.\n")
    site = make_site({"content/events/ctl.md": text})
    assert main(["build", str(site), "--quiet"]) == 0
    err = _err(capsys)
    for field, line in fields.items():
        assert (f"content/events/ctl.md:{line}: warning: {field}: control characters removed "
                "(U+0000, U+0001, U+001B, U+007F): they are not text") in err
    assert ("content/events/ctl.md:19: warning: body: control characters removed "
            "(U+0000, U+0001, U+001B): they are not text") in err
    feed = lxml.etree.parse(str(site / "site" / "feed.xml"))  # raises if not well-formed
    entry = feed.getroot().find("{http://www.w3.org/2005/Atom}entry")
    assert entry is not None
    assert entry.findtext("{http://www.w3.org/2005/Atom}title") == "az"
    for name in ("events.json", "timelinejs.json", "search.json"):
        data = (site / "site" / name).read_text("utf-8")
        assert "\\u0000" not in data and "\\u001b" not in data
        json.loads(data)
    page = parse_html(site / "site" / "events" / "ctl" / "index.html")
    assert page.cssselect("h1")[0].text_content().strip() == "az"


# 11. Tags per event -----------------------------------------------------------------------

def test_ten_thousand_tags_are_refused(make_site: MakeSite,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    tags = "[" + ", ".join(f"t{i}" for i in range(10_000)) + "]"
    site = make_site({GOOD: event_file("Good"),
                      "content/events/many.md": event_file("Many", tags=tags)})
    for command in (["check"], ["build", "--no-cache"]):
        assert main([*command, str(site)]) == 1
        assert ("content/events/many.md:4: tags: 10,000 tags: an event may have at most 50"
                in _err(capsys))


def test_output_stays_bounded_at_the_limit(make_site: MakeSite) -> None:
    """50 tags and 50 places make 100 list pages that show the event: each card shows a
    few of them, so the whole site grows with the number of pages, not its square."""
    tags = "[" + ", ".join(f"tag{i}" for i in range(50)) + "]"
    places = "places: [" + ", ".join(f"place{i}" for i in range(50)) + "]\n"
    site = make_site({GOOD: event_file("Many", tags=tags, extra=places)})
    assert main(["build", str(site), "--quiet"]) == 0
    assert _size(site / "site") < 3_000_000
    card = parse_html(site / "site" / "tags" / "tag7" / "index.html").cssselect(".event-card")[0]
    shown = [a.text_content() for a in card.cssselect(".terms a")]
    assert shown == ["#tag0", "#tag1", "#tag2", "#tag3", "#tag4", "◉ place0", "◉ place1",
                     "◉ place2", "92 more tags and places of Many"]
    page = parse_html(site / "site" / "events" / "2017-09-11-good" / "index.html")
    assert len(page.cssselect(".terms-section a.tag")) == 50
    assert len(page.cssselect(".terms-section a.place")) == 50
