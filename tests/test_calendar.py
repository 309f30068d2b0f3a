"""``events.ics``: the events known to the day as all-day entries, one file per language,
read back with icalendar."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import lxml.html

from generator.cli import main

from conftest import MakeSite, event_file

CONFIG = 'title = "T"\nbase_url = "https://t.example.net/tl/"\nlanguages = ["en", "ko"]\n'
KO = "---\ntitle: 유엔, 섬유 수출 금지\nsummary: 결의 2375호.\n---\n안보리가 조치했다.\n"


def entries(path: Path) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    assert calendar["version"] == "2.0"
    return {str(e["uid"]): e for e in calendar.walk("VEVENT")}


def test_days_and_ranges_are_all_day_entries_and_the_rest_left_out(
        make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site({
        "content/events/un.md": event_file("UN bans textiles", "2017-09-11",
                                           extra="summary: Resolution 2375.\n"
                                                 "places: [New York]\n"),
        "content/events/un.ko.md": KO,
        "content/events/talks.md": event_file("Talks", "2018-02-27",
                                              extra='end: "2018-03-02"\n'),
        "content/events/timed.md": event_file("Launch", "2017-11-29T03:17:00"),
        "content/events/month.md": event_file("A month", "2018-05"),
        "content/events/open.md": event_file("Ongoing", "2019-01-01/.."),
        "content/events/vague.md": event_file("Until spring", "2019-01-01",
                                              extra='end: "2019-04"\n'),
        "content/events/old.md": event_file("Caesar", "-0043-03-15"),
    }, CONFIG)
    out = tmp_path / "out"
    assert main(["build", str(site), "-o", str(out), "--no-cache", "-q"]) == 0
    english = entries(out / "events.ics")
    assert sorted(english) == ["talks@t.example.net", "timed@t.example.net",
                               "un@t.example.net"]
    un = english["un@t.example.net"]
    assert (un.decoded("dtstart"), un.decoded("dtend")) == (dt.date(2017, 9, 11),
                                                             dt.date(2017, 9, 12))
    assert (str(un["summary"]), str(un["description"]), str(un["location"])) == (
        "UN bans textiles", "Resolution 2375.", "New York")
    assert str(un["url"]) == "https://t.example.net/tl/events/un/"
    assert un["categories"].cats == ["alpha"]
    talks = english["talks@t.example.net"]  # 27 February to 2 March: DTEND is exclusive
    assert (talks.decoded("dtstart"), talks.decoded("dtend")) == (dt.date(2018, 2, 27),
                                                                   dt.date(2018, 3, 3))
    timed = english["timed@t.example.net"]
    assert (timed.decoded("dtstart"), timed.decoded("dtend")) == (dt.date(2017, 11, 29),
                                                                   dt.date(2017, 11, 30))
    korean = entries(out / "ko" / "events.ics")
    assert sorted(korean) == sorted(english)
    assert str(korean["un@t.example.net"]["summary"]) == "유엔, 섬유 수출 금지"
    assert str(korean["un@t.example.net"]["url"]) == "https://t.example.net/tl/ko/events/un/"
    again = tmp_path / "again"
    assert main(["build", str(site), "-o", str(again), "--no-cache", "-q"]) == 0
    assert (again / "events.ics").read_bytes() == (out / "events.ics").read_bytes()


def test_every_page_links_the_calendar_of_its_language(make_site: MakeSite,
                                                       tmp_path: Path) -> None:
    site = make_site({"content/events/un.md": event_file("UN bans textiles"),
                      "content/events/un.ko.md": KO}, CONFIG)
    out = tmp_path / "out"
    assert main(["build", str(site), "-o", str(out), "--no-cache", "-q"]) == 0
    english, korean = "UN bans textiles", "유엔, 섬유 수출 금지"
    for page, calendar, title in (("index.html", "events.ics", english),
                                  ("events/un/index.html", "events.ics", english),
                                  ("ko/index.html", "ko/events.ics", korean),
                                  ("ko/events/un/index.html", "ko/events.ics", korean)):
        html = lxml.html.fromstring((out / page).read_bytes())
        links = html.xpath("//footer//p[@class='data-links']/a[@type='text/calendar']/@href")
        assert len(links) == 1
        target = (out / page).parent / links[0]
        assert target.resolve() == (out / calendar).resolve(), page
        assert [str(e["summary"]) for e in entries(target).values()] == [title]
