"""Readers 3, the markup half: when a claim surfaced (its first report beside its date),
what changed since (``updated:``, ``corrections:``, a feed dated by the last change, the page
of recent changes) and the compact chronology. Sites are built in tmp_path and parsed back.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import lxml.etree
import lxml.html
import pytest

from generator.cli import main
from generator.config import today

from conftest import REPO, MakeSite, event_file, parse_html, tree_hash

ATOM = "{http://www.w3.org/2005/Atom}"
BILINGUAL = ('title = "T"\nbase_url = "https://t.example.net/"\n'
             'languages = ["en", "ko"]\n')
HEDGED = event_file(
    "Garment factories restarted", "2017-04%", tags="[kaesong]",
    sources="sources:\n  - publisher: UPI\n    title: A report\n"
            "    url: https://example.org/upi\n    published: 2017-10-03\n"
            "    via: Radio Free Asia\n"
            "  - publisher: Later News\n    url: https://example.org/later\n"
            "    published: 2018-02-01\n")
SOON = event_file("Reported soon", "2017-09-11")  # reported 2017-10-03: within a month
LATE = event_file("Reported late", "2017-06-01")  # reported 2017-10-03: months later
CHANGED = event_file(
    "Corrected event", "2016-02-10", tags="[kaesong]",
    extra="updated: 2024-03-05\ncorrections:\n"
          "  - date: 2024-03-01\n    text: The place was Kaesong, not Sinuiju.\n"
          "  - date: 2023-11-20\n    text: The day was 10 February, not 11.\n",
    sources="sources:\n  - publisher: Yonhap\n    url: https://example.org/yonhap\n"
            "    published: 2016-02-11\n")
FILES = {"content/events/hedged.md": HEDGED, "content/events/soon.md": SOON,
         "content/events/late.md": LATE, "content/events/changed.md": CHANGED}


def _page(site: Path, rel: str) -> lxml.html.HtmlElement:
    return parse_html(site / "site" / rel / "index.html")


def _card(doc: lxml.html.HtmlElement, slug: str) -> lxml.html.HtmlElement:
    (card,) = doc.xpath(f"//li[@id='{slug}']")
    return card


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("changes")
    for rel, text in {**FILES, "timeline.toml": BILINGUAL,
                      "content/labels.ko.yaml": "kaesong: 개성\nalpha: 알파\n"}.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text, "utf-8")
    assert main(["build", str(folder), "-q"]) == 0
    return folder


# When a claim surfaced ----------------------------------------------------------------------

def test_the_event_page_says_when_the_claim_was_first_reported(site: Path) -> None:
    (line,) = _page(site, "events/hedged").xpath("//header/p[@class='event-date']"
                                                 "/span[@class='first-report']")
    assert line.text_content() == "First reported 3 October 2017 (UPI, citing Radio Free Asia)"
    (ko,) = _page(site, "ko/events/hedged").xpath("//header//span[@class='first-report']")
    assert ko.text_content() == "2017년 10월 3일 첫 보도 (UPI, Radio Free Asia 인용)"
    (soon,) = _page(site, "events/soon").xpath("//header//span[@class='first-report']")
    assert soon.text_content() == "First reported 3 October 2017 (Example News)"


def test_a_card_says_it_only_for_a_hedged_date_or_a_report_a_month_late(site: Path) -> None:
    home = parse_html(site / "site" / "index.html")
    said = {slug: [s.text_content() for s in _card(home, slug).xpath(
        ".//p[@class='event-date']/span[@class='first-report']")]
        for slug in ("hedged", "soon", "late", "changed")}
    assert said == {"hedged": ["First reported 3 October 2017 (UPI, citing Radio Free Asia)"],
                    "soon": [], "changed": [],  # 22 days and 1 day after a known day
                    "late": ["First reported 3 October 2017 (Example News)"]}


# What changed ------------------------------------------------------------------------------

def test_updated_and_corrections_are_shown_newest_first_and_exported(site: Path) -> None:
    page = _page(site, "events/changed")
    (updated,) = page.xpath("//header/p[@class='event-updated']")
    assert updated.text_content() == "Updated 5 March 2024"
    assert updated.xpath("time/@datetime") == ["2024-03-05"]
    (section,) = page.xpath("//section[@class='corrections']")
    assert section.xpath("h2/text()") == ["Corrections"]
    assert [li.text_content() for li in section.xpath("ul/li")] == [
        "Corrected 1 March 2024: The place was Kaesong, not Sinuiju.",
        "Corrected 20 November 2023: The day was 10 February, not 11."]
    ko = _page(site, "ko/events/changed").xpath("//section[@class='corrections']/ul/li")
    assert ko[0].text_content().startswith("2024년 3월 1일 정정:")
    data = json.loads((site / "site" / "events.json").read_text("utf-8"))
    jsonschema.validate(data, json.loads((REPO / "generator/events.schema.json").read_text()))
    (event,) = [e for e in data["events"] if e["slug"] == "changed"]
    assert event["updated"] == "2024-03-05"
    assert event["corrections"][0] == {"date": "2024-03-01",
                                       "text": "The place was Kaesong, not Sinuiju."}


@pytest.mark.parametrize(("extra", "message"), [
    ("updated: 2024-03\n", "content/events/e.md:5: updated: '2024-03' is not one day: write "
     "the day of the change, such as 2024-03-05"),
    ("updated: 2024-02-30\n", "content/events/e.md:5: updated: no such day 2024-02-30"),
    ("corrections: fixed a typo\n", "content/events/e.md:5: corrections: expected a list of "
     "corrections (- date: 2024-03-05, text: what was corrected), got text"),
    ("corrections:\n  - text: fixed\n", "content/events/e.md:6: corrections[0].date: missing: "
     "the day of the correction, such as 2024-03-05"),
    ("corrections:\n  - date: 2024-03-01\n", "content/events/e.md:6: corrections[0].text: "
     "missing: this field is required"),
    ("corrections:\n  - 2024-03-01\n", "content/events/e.md:6: corrections[0]: expected a "
     "correction with date and text, got text"),
])
def test_a_bad_change_is_one_line_and_keeps_the_site(make_site: MakeSite, extra: str,
                                                     message: str,
                                                     capsys: pytest.CaptureFixture[str]
                                                     ) -> None:
    site = make_site({"content/events/e.md": event_file()})
    assert main(["build", str(site), "-q"]) == 0
    before = tree_hash(site / "site")
    capsys.readouterr()
    (site / "content/events/e.md").write_text(event_file(extra=extra), "utf-8")
    assert main(["build", str(site), "-q"]) == 1
    err = capsys.readouterr().err
    assert message in err.splitlines(), err
    assert "Traceback" not in err
    assert tree_hash(site / "site") == before


def _feed(site: Path, rel: str = "feed.xml") -> lxml.etree._Element:
    return lxml.etree.parse(str(site / "site" / rel)).getroot()


def _entries(feed: lxml.etree._Element) -> dict[str, lxml.etree._Element]:
    return {e.findtext(f"{ATOM}title"): e for e in feed.findall(f"{ATOM}entry")}


def test_the_feed_dates_each_entry_by_its_last_change(make_site: MakeSite) -> None:
    """A cold build dates an entry by its latest report; a new event, by the day of the build
    that first published it; ``updated:`` or a correction, when later, by that day."""
    site = make_site(dict(FILES))
    assert main(["build", str(site), "-q"]) == 0
    entries = _entries(_feed(site))
    assert {t: e.findtext(f"{ATOM}updated") for t, e in entries.items()} == {
        "Garment factories restarted": "2018-02-01T00:00:00Z",  # its latest report
        "Reported soon": "2017-10-03T00:00:00Z", "Reported late": "2017-10-03T00:00:00Z",
        "Corrected event": "2024-03-05T00:00:00Z"}  # updated:, later than its correction
    (site / "content/events/new.md").write_text(event_file("About 2013", "2013"), "utf-8")
    assert main(["build", str(site), "-q"]) == 0
    feed = _feed(site)
    first = feed.findall(f"{ATOM}entry")[0]
    assert first.findtext(f"{ATOM}title") == "About 2013"  # added today, though about 2013
    assert first.findtext(f"{ATOM}updated") == f"{today()}T00:00:00Z"
    assert feed.findtext(f"{ATOM}updated") == f"{today()}T00:00:00Z"
    # The events there when the record began keep the cold build's days.
    assert _entries(feed)["Reported late"].findtext(f"{ATOM}updated") == \
        "2017-10-03T00:00:00Z"


def test_feed_entries_carry_their_sources_and_absolute_ids(make_site: MakeSite) -> None:
    site = make_site(dict(FILES))
    assert main(["build", str(site), "-q"]) == 0
    entry = _entries(_feed(site))["Garment factories restarted"]
    assert entry.findtext(f"{ATOM}id") == "https://example.org/tl/events/hedged/"
    related = [(link.get("href"), link.get("title"))
               for link in entry.findall(f"{ATOM}link[@rel='related']")]
    assert related == [("https://example.org/upi", "UPI"),
                       ("https://example.org/later", "Later News")]
    content = lxml.html.fromstring(entry.findtext(f"{ATOM}content"))
    assert [li.text_content() for li in content.xpath("//ol[@class='sources']/li")] == [
        "UPI: A report. Reported 3 October 2017 by UPI, citing Radio Free Asia",
        "Later News. Reported 1 February 2018 by Later News"]
    corrected = lxml.html.fromstring(_entries(_feed(site))["Corrected event"]
                                     .findtext(f"{ATOM}content"))
    assert corrected.xpath("//ul[@class='corrections']/li[1]")[0].text_content() == \
        "Corrected 1 March 2024: The place was Kaesong, not Sinuiju."
    bare = make_site(dict(FILES), config='title = "No address"\n')
    assert main(["build", str(bare), "-q"]) == 0
    ids = [e.findtext(f"{ATOM}id") for e in _feed(bare).iter(f"{ATOM}entry")]
    assert ids and all(i.startswith("urn:uuid:") for i in ids) and len(set(ids)) == len(ids)


def test_the_same_content_and_record_give_the_same_bytes(make_site: MakeSite,
                                                         tmp_path: Path) -> None:
    site = make_site(dict(FILES))
    assert main(["build", str(site), "-q"]) == 0
    (site / "content/events/new.md").write_text(event_file("New", "2013"), "utf-8")
    assert main(["build", str(site), "-q"]) == 0
    record = site / ".timeline-cache" / "published" / "days.json"
    kept = record.read_bytes()
    again = tmp_path / "again"
    assert main(["build", str(site), "-q", "--no-cache", "--output", str(again)]) == 0
    for rel in ("feed.xml", "recent/index.html", "chronology/index.html", "index.html"):
        assert (again / rel).read_bytes() == (site / "site" / rel).read_bytes(), rel
    assert record.read_bytes() == kept
    # A fresh clone (no record at all) dates every event by its content alone, every day.
    cold = make_site(dict(FILES))
    shutil.copy(site / "content/events/new.md", cold / "content/events/new.md")
    assert main(["build", str(cold), "-q", "--no-cache"]) == 0
    shutil.rmtree(cold / ".timeline-cache")
    first = (cold / "site" / "feed.xml").read_bytes()
    assert main(["build", str(cold), "-q", "--no-cache", "--output", str(tmp_path / "c2")]) == 0
    assert (tmp_path / "c2" / "feed.xml").read_bytes() == first
    assert _entries(_feed(cold))["New"].findtext(f"{ATOM}updated") == "2017-10-03T00:00:00Z"


def test_the_recent_page_lists_what_changed_last_in_both_languages(site: Path) -> None:
    page = _page(site, "recent")
    assert page.xpath("//h1/text()") == ["Recently added or changed"]
    items = [li.text_content().split() for li in page.xpath("//ol[@class='recent']/li")]
    assert items[0][:4] == ["Changed", "5", "March", "2024"]  # updated: of 'Corrected event'
    assert page.xpath("//ol[@class='recent']/li[1]/a/@href") == ["../events/changed/"]
    assert len(items) == 4
    ko = _page(site, "ko/recent")
    assert ko.xpath("//h1/text()") == ["최근 추가·변경"]
    assert ko.xpath("//ol[@class='recent']/li[1]/span[@class='recent-when']")[0] \
        .text_content() == "2024년 3월 5일 변경"
    for rel, prefix in (("index.html", ""), ("ko/events/hedged/index.html", "../../../ko/")):
        footer = parse_html(site / "site" / rel).xpath("//footer//p[@class='more-views']/a")
        assert [a.get("href") for a in footer] == [prefix + "chronology/", prefix + "recent/"]


# The chronology ----------------------------------------------------------------------------

def test_the_chronology_is_one_line_per_event_in_both_languages(site: Path) -> None:
    page = _page(site, "chronology")
    assert page.xpath("//h1/text()") == ["Chronology"]
    rows = page.xpath("//main/ol[@class='chronology']/li")
    assert [li.get("id") for li in rows] == ["changed", "hedged", "late", "soon"]
    hedged = rows[1]
    assert hedged.text_content() == ("c. April 2017? Garment factories restarted · Reported · "
                                     "First reported 3 October 2017 (UPI, citing Radio Free "
                                     "Asia)")
    assert hedged.xpath("time/@datetime") == ["2017-04"]
    assert hedged.xpath("time/text()") == ["c. April 2017?"]
    assert hedged.xpath("a/@href") == ["../events/hedged/"]
    assert hedged.xpath("span[contains(@class, 'chrono-status')]")[0].text_content() == \
        "Reported"
    assert hedged.xpath("span[@class='first-report']/text()") == [
        "First reported 3 October 2017 (UPI, citing Radio Free Asia)"]
    ko = _page(site, "ko/chronology")
    assert ko.xpath("//h1/text()") == ["연표"] and ko.get("lang") == "ko"
    assert ko.xpath("//ol[@class='chronology']/li[2]/time/text()") == ["2017년 4월경?"]
    sitemap = (site / "site" / "sitemap.xml").read_text("utf-8")
    assert "https://t.example.net/chronology/" in sitemap
    assert "https://t.example.net/ko/recent/" in sitemap


def test_the_chronology_and_recent_page_are_in_the_output_table(make_site: MakeSite,
                                                                capsys: pytest.CaptureFixture
                                                                [str]) -> None:
    site = make_site({**FILES, "static/chronology/index.html": "<p>mine</p>"})
    assert main(["build", str(site), "-q"]) == 1
    assert "chronology/index.html: output: made by both static/chronology/index.html and " \
        "the chronology" in capsys.readouterr().err


# Story mode, in the markup -----------------------------------------------------------------

def test_earlier_and_later_are_named_and_the_home_page_reads_from_the_first(site: Path
                                                                           ) -> None:
    page = _page(site, "events/hedged")
    links = page.xpath("//nav[@class='prev-next']/a")
    assert [(a.get("rel"), a.xpath("span[@class='pn-word']/text()")) for a in links] == [
        ("prev", ["← Earlier"]), ("next", ["Later →"])]
    assert page.xpath("//p[@id='story-hint']/text()") == [
        "Press ← or →, or swipe sideways, to read the earlier or the later event."]
    ko = _page(site, "ko/events/hedged").xpath("//nav[@class='prev-next']//span"
                                               "[@class='pn-word']/text()")
    assert ko == ["← 이전", "이후 →"]
    for rel, word, target in (
            ("index.html", "Read from the first event", "events/changed/"),
            ("ko/index.html", "첫 사건부터 읽기", "../ko/events/changed/")):
        (link,) = parse_html(site / "site" / rel).xpath("//p[@class='read-first']/a")
        assert link.text_content().startswith(word)
        assert link.get("href") == target  # the earliest event, 10 February 2016
    first = _page(site, "events/changed")
    assert [a.get("rel") for a in first.xpath("//nav[@class='prev-next']/a")] == ["next"]


def test_the_feed_and_the_recent_page_hold_the_50_changed_last(make_site: MakeSite) -> None:
    files = {f"content/events/e{n:02d}.md": event_file(f"Event {n:02d}", f"20{n:02d}")
             for n in range(52)}
    files["content/events/e00.md"] = event_file("Event 00", "2000", extra="updated: 2024-01-02\n")
    site = make_site(files)
    assert main(["build", str(site), "-q"]) == 0
    titles = [e.findtext(f"{ATOM}title") for e in _feed(site).findall(f"{ATOM}entry")]
    assert len(titles) == 50
    # The corrected one first; then, all reported the same day, the latest events first.
    assert titles[:3] == ["Event 00", "Event 51", "Event 50"]
    assert "Event 01" not in titles and "Event 02" not in titles
    recent = _page(site, "recent").xpath("//ol[@class='recent']/li/a/text()")
    assert recent == titles
