"""Data written by every build: events.json against its schema, timelinejs.json, events.csv,
and the compact embed view with the snippet that shows it on other sites."""

from __future__ import annotations

import copy
import csv
import io
import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import lxml.html
import pytest

from generator.cli import main
from generator.incremental.state import _runs
from generator.site.document import Document

from conftest import REPO, MakeSite, event_file, parse_html, write_site

EXPORTS = ("events.json", "events.schema.json", "events.csv", "timelinejs.json")


def build(site: Path, out: Path) -> Path:
    assert main(["build", str(site), "-o", str(out), "--no-cache", "-q"]) == 0
    return out


def load(out: Path, name: str) -> Any:
    return json.loads((out / name).read_text("utf-8"))


SITE = {
    "content/events/ides.md": event_file("Ides of March", "-0043-03-15",
                                         extra="tags: [rome, politics]\n"),
    "content/events/season.md": event_file("A season", "2017-21"),
    "content/events/decade.md": event_file("A decade", "201X"),
    "content/events/moon.md": event_file(
        "Moon landing", "1969-07-20T20:17:00Z",
        extra="media:\n  - src: img/eagle.jpg\n    alt: The lunar module\n"
              "    caption: Eagle\n    credit: Desk\n    width: 640\n"),
    "content/events/range.md": event_file(
        "A range", "2017-09", extra='end: "2017-12?"\nplaces: [Seoul]\n',
        sources='sources:\n  - publisher: Example, "News"\n    title: "Line one"\n'
                '    url: https://example.org/a?b=1&c=2\n    published: "2017-10"\n'
                '  - publisher: Offline Archive\n    title: A printed report\n'),
    "content/eras.yaml": '- title: Open era\n  start: "2016"\n'
                         '- title: Closed era\n  start: "1960"\n  end: "1970"\n',
    "static/img/eagle.jpg": "(an image)",  # a missing local image is an error now
}
"""Dates of several precisions, BCE, a season, a decade, media and an open era."""


@pytest.fixture
def site(make_site: MakeSite) -> Path:
    return make_site(SITE)


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """SITE built once (no cache), for the tests that only read the output."""
    folder = tmp_path_factory.mktemp("exported")
    return build(write_site(folder / "site", SITE), folder / "out")


def test_events_json_follows_its_schema(site: Path, tmp_path: Path) -> None:
    out = build(site, tmp_path / "out")
    schema = load(out, "events.schema.json")
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    data = load(out, "events.json")
    assert list(validator.iter_errors(data)) == []
    assert set(data) == {"site", "events"}  # the shape other tools already read
    repo = build(REPO, tmp_path / "repo")
    assert list(validator.iter_errors(load(repo, "events.json"))) == []

    for path, value in ((("events", 0, "precision"), "fortnight"),
                        (("events", 0, "earliest"), "15 March 44 BCE"),
                        (("events", 0, "sources"), []),
                        (("events", 0, "status"), "rumoured"),
                        (("site", "base_url"), "example.org")):
        broken = copy.deepcopy(data)
        target = broken
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        assert list(validator.iter_errors(broken)), path
    del data["events"][0]["title"]
    assert [e.message for e in validator.iter_errors(data)] == ["'title' is a required property"]


def test_every_export_is_in_every_build_and_byte_identical(site: Path, tmp_path: Path) -> None:
    first = build(site, tmp_path / "one")
    second = build(site, tmp_path / "two")
    for name in EXPORTS:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    packaged = Path(__file__).resolve().parent.parent / "generator" / "events.schema.json"
    assert (first / "events.schema.json").read_bytes() == packaged.read_bytes()


def test_timelinejs_json(exported: Path) -> None:
    doc = load(exported, "timelinejs.json")
    assert doc["title"]["text"]["headline"] == "Test timeline"
    assert doc["scale"] == "human"
    slides = {s["unique_id"]: s for s in doc["events"]}
    ides = slides["ides"]
    assert ides["start_date"] == {"year": -44, "month": 3, "day": 15}  # shown as 44 BCE
    assert ides["display_date"] == "15 March 44 BCE"
    assert ides["group"] == "rome"  # first tag
    assert "end_date" not in ides
    assert slides["season"]["start_date"] == {"year": 2017, "month": 3}
    assert slides["season"]["end_date"] == {"year": 2017, "month": 5}
    assert slides["season"]["display_date"] == "Spring 2017"
    assert (slides["decade"]["start_date"], slides["decade"]["end_date"]) == (
        {"year": 2010}, {"year": 2019})
    moon = slides["moon"]
    assert moon["start_date"] == {"year": 1969, "month": 7, "day": 20, "hour": 20,
                                  "minute": 17, "second": 0}
    assert moon["media"] == {"url": "https://example.org/tl/img/eagle.jpg", "caption": "Eagle",
                             "credit": "Desk", "alt": "The lunar module"}
    assert slides["range"]["end_date"] == {"year": 2017, "month": 12}
    assert slides["range"]["display_date"] == "September 2017 – December 2017?"

    text = lxml.html.fragment_fromstring(slides["range"]["text"]["text"], create_parent="div")
    items = text.cssselect(".timeline-meta li")
    assert [li.text_content() for li in items] == [
        'Example, "News": Line one (October 2017)', "Offline Archive: A printed report"]
    assert items[0].cssselect("a")[0].get("href") == "https://example.org/a?b=1&c=2"
    meta = json.loads(text.cssselect(".timeline-meta")[0].get("data-timeline"))
    assert meta["status"] == "reported" and meta["places"] == ["Seoul"]
    assert text.cssselect(".timeline-meta p a")[-1].get("href") == (
        "https://example.org/tl/events/range/")

    eras = {e["text"]["headline"]: e for e in doc["eras"]}
    assert eras["Closed era"]["end_date"] == {"year": 1970}
    assert eras["Open era"]["start_date"] == {"year": 2016, "display_date": "2016 onwards"}
    assert eras["Open era"]["end_date"] == {"year": 2019, "month": 12, "day": 31}  # 201X ends


def test_events_csv(exported: Path) -> None:
    data = (exported / "events.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbfdate,end,title,")  # the BOM Excel needs for Korean
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert list(rows[0]) == ["date", "end", "title", "summary", "status", "tags", "places",
                             "source_url", "source_publisher", "source_title",
                             "source_published", "slug", "body", "source_language",
                             "source_archived", "source_quote", "source_via", "source_author",
                             "source_accessed", "media", "aliases", "other"]
    by_slug = {r["slug"]: r for r in rows}
    assert [r["slug"] for r in rows] == ["ides", "moon", "decade", "season", "range"]
    assert by_slug["ides"]["date"] == "'-0043-03-15"  # a spreadsheet would compute -0043-03-15
    assert by_slug["ides"]["tags"] == "rome; politics"
    r = by_slug["range"]
    assert (r["date"], r["end"]) == ("2017-09", "2017-12?")
    assert r["source_publisher"].split("\n") == ['Example, "News"', "Offline Archive"]
    assert r["source_url"].split("\n") == ["https://example.org/a?b=1&c=2", ""]
    assert r["source_published"].split("\n") == ["2017-10", ""]
    assert r["body"] == "What happened, in neutral words."


def test_embed_view_and_snippets(exported: Path) -> None:
    out = exported
    embed = parse_html(out / "embed" / "index.html")
    items = embed.cssselect("li.embed-event")
    assert [li.get("id") for li in items] == ["ides", "moon", "decade", "season", "range"]
    link = items[0].cssselect("a")[0]
    assert (link.get("href"), link.get("target")) == ("../events/ides/", "_blank")
    assert items[0].cssselect("time")[0].text_content() == "15 March 44 BCE"
    csp = embed.cssselect('meta[http-equiv="Content-Security-Policy"]')[0].get("content")
    assert "script-src 'none'" in csp
    assert embed.cssselect("script") == [] and embed.cssselect("[style]") == []
    assert embed.cssselect('meta[name="robots"]')[0].get("content") == "noindex"
    assert "embed/" not in (out / "sitemap.xml").read_text("utf-8")
    assert (out / "assets" / "embed.css").is_file()

    def snippet(page: Path) -> lxml.html.HtmlElement:
        code = parse_html(page).cssselect("details.embed-code textarea")[0]
        assert code.get("readonly") is not None
        frame: lxml.html.HtmlElement = lxml.html.fragment_fromstring(code.text_content())
        assert frame.tag == "iframe"
        return frame

    home = snippet(out / "index.html")
    assert (home.get("src"), home.get("title")) == ("https://example.org/tl/embed/",
                                                   "Test timeline")
    one = snippet(out / "events" / "range" / "index.html")
    assert one.get("src") == "https://example.org/tl/embed/#range"
    assert one.get("title") == "Test timeline: A range"


def test_check_warns_when_no_source_has_a_link(make_site: MakeSite,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({"content/events/a.md": event_file(
        "Only on paper", "2017", sources="sources:\n  - publisher: A printed report\n")})
    assert main(["check", str(site)]) == 0
    assert capsys.readouterr().err.splitlines() == [
        "content/events/a.md:5: warning: sources: no external source: link at least one "
        "report readers can check",
        "content/events/a.md:6: warning: sources[0].accessed: missing: no published date: "
        "write when it was reported (published:), or for a page without one (a wiki) the day "
        "you read it (accessed: YYYY-MM-DD), which its citations give"]


@dataclass(frozen=True)
class _Item:
    """Stands for an event: a document's parts read only its key."""

    key: str
    text: str


def _make(item: Any) -> bytes:
    return item.text.encode()


def _where(document: Document, sizes: tuple[int, ...]) -> dict[str, tuple[int, int]]:
    """Where each part lies in the file written for ``document``, as the state finds it."""
    at, found = len(document.head), {}
    for key, size in zip(document.keys(), sizes, strict=True):
        found[key] = (at, size)
        at += size + len(document.separator)
    return found


def test_exports_made_from_the_last_file_equal_exports_made_afresh() -> None:
    """Each build's export is the last one's runs of unchanged parts with the rest made
    anew; after every kind of change it must equal the export made from the events alone."""
    rng = random.Random(7)  # noqa: S311 - a fixed, repeatable sequence of edits
    serial = iter(range(10**6))

    def item() -> _Item:
        number = next(serial)
        return _Item(f"k{number}", f"e{number}" * rng.randint(0, 6))

    items = [item() for _ in range(120)]
    old: tuple[memoryview, dict[str, tuple[int, int]], int] | None = None
    frame = (b"[\n", b",\n", b"\n]\n")
    reused = 0
    for step in range(300):
        change = rng.choice(["edit", "edits", "many", "insert", "delete", "move", "none",
                             "frame"])
        items = list(items)
        if change == "edit" and items:
            items[rng.randrange(len(items))] = item()
        elif change == "edits":
            for _ in range(rng.randint(2, 9)):
                items[rng.randrange(len(items))] = item()
        elif change == "many":
            items = [item() if rng.random() < 0.7 else x for x in items]
        elif change == "insert":
            items.insert(rng.randint(0, len(items)), item())
        elif change == "delete" and len(items) > 1:
            del items[rng.randrange(len(items))]
        elif change == "move" and items:
            items.insert(rng.randint(0, len(items) - 1), items.pop(rng.randrange(len(items))))
        elif change == "frame":  # another separator: nothing of the old file can be used
            frame = rng.choice([(b"[\n", b",\n", b"\n]\n"), (b"h", b"", b""),
                                (b'{"e":[', b",", b"]}")])
            old = None
        head, separator, tail = frame
        document = Document("k", head, separator, tail, items, _make)  # type: ignore[arg-type]
        where = old[1] if old else {}
        parts: list[bytes | memoryview | None] = [
            None if x.key in where else _make(x) for x in items]
        pieces, sizes = _runs(document, document.keys(), parts, old)
        data = b"".join(pieces)
        assert data == b"".join(document.pieces()), (step, change)
        assert data == head + separator.join(_make(x) for x in items) + tail
        if old is not None and len(pieces) < len(items):
            reused += 1
        old = (memoryview(data), _where(document, sizes), len(separator))
    assert reused > 50  # runs of the old file were taken often


def test_events_json_carries_each_events_body_as_markdown(make_site: MakeSite,
                                                         tmp_path: Path) -> None:
    site = make_site({"content/events/a.md": event_file(
        "A", body="The *council* met.\n\n- first\n- second\n")})
    out = build(site, tmp_path / "out")
    data = load(out, "events.json")
    assert data["events"][0]["body"] == "The *council* met.\n\n- first\n- second"
    schema = load(out, "events.schema.json")
    assert "body" in schema["$defs"]["event"]["required"]
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(data)) == []


def test_timelinejs_slides_show_via_archived_copy_and_quote(make_site: MakeSite,
                                                           tmp_path: Path) -> None:
    """What the event page says of a source, a TimelineJS reader sees too, in the export's
    language: whom the outlet cited, the archived copy, the quote (in its own language)."""
    sources = ("sources:\n  - publisher: UPI\n    title: Factories reopen\n"
               "    url: https://www.upi.com/a\n    published: 2017-10-03\n"
               "    via: Radio Free Asia\n    archived: https://web.archive.org/web/1/x\n"
               "    language: en\n    quote: Workers returned in April.\n")
    site = make_site({"content/events/k.md": event_file("Reopened", "2017-04",
                                                        sources=sources)},
                     config='title = "T"\nbase_url = "https://x.test/"\n'
                            'languages = ["en", "ko"]\n')
    out = build(site, tmp_path / "out")
    for name, citing, archived in (
            ("timelinejs.json", "Reported, citing Radio Free Asia", "archived copy"),
            ("ko/timelinejs.json", "Radio Free Asia 인용 보도", "보관본")):
        slide = load(out, name)["events"][0]
        text = lxml.html.fragment_fromstring(slide["text"]["text"], create_parent="div")
        item = text.cssselect(".timeline-meta li")[0]
        assert citing in item.text_content()
        links = {a.text_content(): a.get("href") for a in item.cssselect("a")}
        assert links[archived] == "https://web.archive.org/web/1/x"
        quote = item.cssselect("blockquote")[0]
        assert (quote.text_content(), quote.get("lang")) == ("Workers returned in April.",
                                                             "en")
