"""``timeline import``: TimelineJS3 JSON, the TimelineJS spreadsheet and a plain CSV, through
the command line, then built and read back; and the round trips through our own exports."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator.check import check_site
from generator.cli import main
from generator.content.loading import load_eras
from generator.interop.reading import _item_lines, _time

from conftest import REPO, MakeSite, event_file, parse_html

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"
TIMELINEJS = FIXTURES / "timelinejs.json"
SHEET = FIXTURES / "timelinejs-sheet.csv"
PLAIN = FIXTURES / "plain.csv"
def build(site: Path, out: Path) -> dict[str, dict[str, Any]]:
    """Build through the CLI and return events.json's events by slug."""
    assert main(["build", str(site), "-o", str(out), "--no-cache", "-q"]) == 0
    data = json.loads((out / "events.json").read_text("utf-8"))
    return {e["slug"]: e for e in data["events"]}


def import_into(site: Path, file: Path, *more: str) -> int:
    return main(["import", str(file), str(site), *more])


def event_files(site: Path) -> dict[str, str]:
    folder = site / "content" / "events"
    return {p.name: p.read_text("utf-8") for p in sorted(folder.glob("*.md"))}


def same(a: dict[str, Any], b: dict[str, Any], keys: tuple[str, ...] | None = None
         ) -> dict[str, Any]:
    """The fields in which two events.json records differ, with both values: every field
    either has (but ``url``, which is the site's address, and ``translations``, which live in
    files of their own that no import writes), unless ``keys`` names some.

    ``date: 2017-09`` with ``end: 2017-12`` is the interval ``2017-09/2017-12``: an import
    may write either."""
    def get(record: dict[str, Any], key: str) -> Any:
        if key == "when":
            return record["date"] + (f"/{record['end']}" if record.get("end") else "")
        return record.get(key)
    if keys is None:
        keys = ("when", *sorted((a.keys() | b.keys()) - {"date", "end", "url",
                                                         "translations"}))
    return {k: (get(a, k), get(b, k)) for k in keys if get(a, k) != get(b, k)}


# TimelineJS3 JSON --------------------------------------------------------------------------

def test_timelinejs_json_imports_every_kind_of_date(make_site: MakeSite, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({})
    assert import_into(site, TIMELINEJS) == 1  # two broken slides; the rest imports
    out, err = capsys.readouterr()
    no_alt = "warning: alt: no alt text: describe the image in the written file's media alt"
    assert err.splitlines() == [  # a caption is not alt text: the images get a TODO
        f"{TIMELINEJS}:2: {no_alt}", f"{TIMELINEJS}:82: {no_alt}",
        f"{TIMELINEJS}:82: warning: end_date: times dropped from 1986-04-26T01:23:00 – "
        "1986-04-26T01:24:00: an EDTF range has no time of day",
        f"{TIMELINEJS}:95: start_date.month: no such month 13",
        f"{TIMELINEJS}:99: start_date: missing: every event needs a start date",
    ]
    assert out.splitlines()[-1] == (
        f"{TIMELINEJS}: 8 events written, 0 already there, 0 skipped, 2 failed, 2 eras added, "
        f"title slide in {site / 'content' / 'pages' / 'introduction.md'}")
    assert f"wrote {site / 'content' / 'events' / 'apollo-11.md'}" in out.splitlines()

    events = build(site, tmp_path / "out")
    dates = {slug: (e["date"], e.get("end"), e["precision"], e["display_date"])
             for slug, e in events.items()}
    assert dates == {
        "ides-of-march": ("-0043-03-15", None, "day", "15 March 44 BCE"),  # year -44
        "2560-bce-great-pyramid-of-giza-completed": ("-2559~", None, "year", "c. 2560 BCE"),
        "magna-carta-1215": ("1215-06-15", None, "day", "15 June 1215"),
        "1666-09-02-great-fire-of-london": ("1666-09-02", "1666-09-06", "day",
                                            "2–6 September 1666"),
        "1939-second-world-war": ("1939", "1945", "year", "1939–1945"),
        "apollo-11": ("1969-07-20T20:17:00Z", None, "second", "20 July 1969, 20:17 UTC"),
        "1986-04-26-chernobyl-reactor-4-explodes": ("1986-04-26", None, "day", "26 April 1986"),
        "1989-11-09-the-berlin-wall-opens": ("1989-11-09", None, "day", "9 November 1989"),
    }
    magna = events["magna-carta-1215"]
    assert magna["title"] == "King John seals Magna Carta"  # <i> dropped from the headline
    assert magna["tags"] == ["England"]  # group
    assert magna["sources"] == [{"publisher": "en.wikipedia.org",  # a page as media
                                 "title": "Magna Carta on Wikipedia",
                                 "url": "https://en.wikipedia.org/wiki/Magna_Carta"}]
    apollo = events["apollo-11"]
    assert apollo["sources"] == [  # links in the text, publisher from the domain
        {"publisher": "nasa.gov", "title": "NASA's mission page",
         "url": "https://www.nasa.gov/mission/apollo-11/"},
        {"publisher": "en.wikipedia.org", "url": "https://en.wikipedia.org/wiki/Apollo_11"}]
    assert apollo["media"] == [{"src": "https://example.org/media/apollo11-eagle.jpg",
                                "alt": "The lunar module standing on the grey surface of the "
                                       "Moon",
                                "caption": "The lunar module Eagle",
                                "credit": "Example Photo Desk"}]
    chernobyl = events["1986-04-26-chernobyl-reactor-4-explodes"]
    assert chernobyl["media"][0] == {  # its caption stays a caption; the alt is a TODO
        "src": chernobyl["media"][0]["src"], "caption": "Reactor 4 after the explosion",
        "alt": "TODO: describe the image for readers who cannot see it"}
    assert chernobyl["sources"] == [  # a placeholder, which check warns about
        {"title": "TODO: cite the report this event rests on (none in timelinejs.json)"}]

    page = parse_html(tmp_path / "out" / "events" / "magna-carta-1215" / "index.html")
    assert [li.text_content() for li in page.cssselect(".body li")] == [
        "63 clauses", "Sealed, not signed"]  # HTML list became a Markdown list
    page = parse_html(tmp_path / "out" / "events" / "1989-11-09-the-berlin-wall-opens"
                      / "index.html")
    assert page.cssselect(".body em")[0].text_content() == (
        "Date as given: Night of 9 November 1989")  # a display date the date cannot say
    intro = parse_html(tmp_path / "out" / "introduction" / "index.html")
    assert intro.cssselect("h1")[0].text_content() == "Turning Points"
    assert intro.cssselect(".body strong")[0].text_content() == "TimelineJS3"
    assert intro.cssselect(".body img")[0].get("alt") == (
        "TODO: describe the image for readers who cannot see it")

    eras, problems = load_eras(site)
    assert problems == []
    assert [(e.title, e.date.text, e.date.display(), e.summary) for e in eras] == [
        ("Roman Republic", "-0508/-0026", "509–27 BCE",
         "From the expulsion of the kings to Augustus."),
        ("Cold War", "1947/1991", "1947–1991", "")]


def test_an_event_without_sources_cites_the_file_and_check_warns(
        make_site: MakeSite) -> None:
    site = make_site({})
    import_into(site, TIMELINEJS)
    warnings = [str(p) for p in check_site(site) if "external" in p.message]
    assert "content/events/1939-second-world-war.md:6: warning: sources: no external source: " \
        "link at least one report readers can check" in warnings
    assert len(warnings) == 5  # the five events with neither a link nor a page as media


def test_importing_twice_writes_nothing_new(make_site: MakeSite,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({})
    import_into(site, TIMELINEJS)
    before = event_files(site)
    eras = (site / "content" / "eras.yaml").read_bytes()
    capsys.readouterr()
    import_into(site, TIMELINEJS)
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == (f"{TIMELINEJS}: 0 events written, 8 already there, "
                                    "0 skipped, 2 failed, title slide already there")
    assert event_files(site) == before
    assert (site / "content" / "eras.yaml").read_bytes() == eras


def test_a_clash_is_skipped_or_written_beside(make_site: MakeSite, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    mine = event_file("Our own Apollo event", "1969-07-16")
    site = make_site({"content/events/apollo-11.md": mine})
    import_into(site, TIMELINEJS)
    err = capsys.readouterr().err
    path = site / "content" / "events" / "apollo-11.md"
    assert (f"{TIMELINEJS}:66: warning: slug: {path} already exists for another event: "
            "skipped (--on-conflict rename writes it beside)") in err.splitlines()
    assert path.read_text("utf-8") == mine  # never overwritten

    import_into(site, TIMELINEJS, "--on-conflict", "rename")
    assert "slug: apollo-11-2\n" in (path.parent / "apollo-11-2.md").read_text("utf-8")
    assert path.read_text("utf-8") == mine
    events = build(site, tmp_path / "out")
    assert events["apollo-11"]["title"] == "Our own Apollo event"
    assert events["apollo-11-2"]["title"] == "Apollo 11 lands on the Moon"


def test_json_problems_point_at_the_line_of_each_slide() -> None:
    text = '{"title": {},\n "events": [\n  {"a": [1, {"b": "]"}]},\n\n  {}\n ], "eras": []}'
    assert _item_lines(text) == {"title": [1], "events": [3, 5], "eras": []}
    assert _item_lines('{"events":[{},{},{}]}') == {"events": [1, 1, 1]}


def test_broken_files_fail_with_one_clear_line(make_site: MakeSite, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({})
    bad = tmp_path / "bad.json"
    bad.write_text('{"events": [\n  {"start_date": {"year": 1}}\n  {}\n]}', "utf-8")
    assert import_into(site, bad) == 1
    assert capsys.readouterr().err == f"{bad}:3: invalid JSON: Expecting ',' delimiter\n"
    odd = tmp_path / "odd.csv"
    odd.write_text("when,what\n2017,Something\n", "utf-8")
    assert import_into(site, odd) == 1
    assert capsys.readouterr().err.startswith(f"{odd}:1: unknown columns: expected the "
                                              "TimelineJS template")
    assert not (site / "content" / "events").exists()
    assert main(["import", str(tmp_path / "missing.json"), str(site)]) == 1
    assert "missing.json: not found" in capsys.readouterr().err


# The TimelineJS spreadsheet and the plain CSV --------------------------------------------------

def test_timelinejs_spreadsheet_csv(make_site: MakeSite, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({})
    assert import_into(site, SHEET) == 1
    out, err = capsys.readouterr()
    assert err.splitlines() == [
        f"{SHEET}:2: warning: Alt Text: no alt text: describe the image in the written file's "
        "media alt",  # the title slide's image has a caption only
        f"{SHEET}:4: warning: Background: not imported: an event's page has no background of "
        "its own",
        f"{SHEET}:7: warning: Media Thumbnail: not imported: the site shows the image itself "
        "(Media) on cards",
        f"{SHEET}:10: Month: no such month 13",  # spreadsheet rows, header = row 1
        f"{SHEET}:11: Time: no such time 25:00",
        f"{SHEET}:12: warning: End Year: times dropped from 1986-04-26T01:23:00 – "
        "1986-04-26T01:24:00: an EDTF range has no time of day"]
    assert "6 events written" in out.splitlines()[-1]
    events = build(site, tmp_path / "out")
    dates = {e["title"]: (e["date"], e.get("end"), e["precision"]) for e in events.values()}
    assert dates == {
        "Assassination of Julius Caesar": ("-0043-03-15", None, "day"),
        "Magna Carta": ("1215", None, "year"),
        "Great Fire of London": ("1666-09-02", "1666-09-06", "day"),  # Year "1,666"
        "Apollo 11 lands on the Moon": ("1969-07-20T20:17:00", None, "second"),  # 8:17 PM
        "Second World War": ("1939", "1945", "year"),
        "Chernobyl reactor 4 explodes": ("1986-04-26", None, "day"),
    }
    caesar = events["44-bce-03-15-assassination-of-julius-caesar"]
    assert caesar["tags"] == ["Rome"]
    page = parse_html(tmp_path / "out" / "events" / caesar["slug"] / "index.html")
    assert [p.text_content().replace("“", '"').replace("”", '"')
            for p in page.cssselect(".body p")] == [
        'Caesar is killed in the Senate, and the "Liberators", as they call themselves, flee.',
        "See the account on Wikipedia."]
    apollo = parse_html(tmp_path / "out" / "events" / "1969-07-20-apollo-11-lands-on-the-moon"
                        / "index.html")
    assert apollo.cssselect(".body em") == []  # its Display Date says what the date says
    assert apollo.cssselect(".media img")[0].get("alt") == (
        "The lunar module standing on the grey surface of the Moon")  # Alt Text
    assert events["1215-magna-carta"]["sources"] == [
        {"publisher": "en.wikipedia.org", "title": "Magna Carta, on Wikipedia",
         "url": "https://en.wikipedia.org/wiki/Magna_Carta", "author": "Wikipedia"}]
    assert events["1939-second-world-war"]["sources"] == [  # a placeholder, not the file
        {"title": "TODO: cite the report this event rests on (none in timelinejs-sheet.csv)"}]
    assert [e.title for e in load_eras(site)[0]] == ["Roman Republic", "Cold War"]
    intro = parse_html(tmp_path / "out" / "introduction" / "index.html")
    assert intro.cssselect("h1")[0].text_content() == "Turning Points, kept in a spreadsheet"


def test_plain_csv_with_commas_quotes_and_line_breaks(make_site: MakeSite, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    site = make_site({})
    assert import_into(site, PLAIN) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{PLAIN}:6: date: no such month 1990-13",
        f"{PLAIN}:7: status: unknown status 'rumoured': use one of confirmed, reported, "
        "disputed"]
    events = build(site, tmp_path / "out")
    wall = events["1989-11-09-the-berlin-wall-opens"]
    assert wall["summary"] == 'Crowds cross "the Wall", some with hammers, the same night.'
    assert wall["tags"] == ["cold war", "germany"]  # one per line
    assert wall["places"] == ["Berlin, Germany"]  # a comma stays inside a place
    built = events["1961-08-13-construction-of-the-berlin-wall-begins"]
    assert built["status"] == "confirmed"
    assert built["tags"] == ["cold war", "germany"]  # separated by ';'
    assert built["sources"] == [  # one source per line of the source_ cells
        {"publisher": "Wikipedia", "title": "Berlin Wall",
         "url": "https://en.wikipedia.org/wiki/Berlin_Wall"},
        {"publisher": "Encyclopaedia Britannica", "title": "Berlin Wall",
         "url": "https://www.britannica.com/topic/Berlin-Wall"}]
    cold = events["1947-cold-war"]
    assert (cold["date"], cold["end"], cold["display_date"]) == ("1947~", "1991", "c. 1947 – 1991")
    assert cold["summary"] == "A summary, with a comma; and a line break."
    assert events["1990-10-03-german-reunification"]["sources"] == [
        {"title": "TODO: cite the report this event rests on (none in plain.csv)"}]
    assert len(events) == 4


@pytest.mark.parametrize(("text", "expected"), [
    ("14:30", (14, 30, 0)), ("2:30 PM", (14, 30, 0)), ("12:05 a.m.", (0, 5, 0)),
    ("1430", (14, 30, 0)), ("9", (9, 0, 0)), ("14:30:15.5", (14, 30, 15)),
])
def test_spreadsheet_times(text: str, expected: tuple[int, int, int]) -> None:
    assert tuple(_time(text).values()) == expected


@pytest.mark.parametrize("text", ["25:00", "13:00 PM", "noon", "14:60"])
def test_spreadsheet_times_that_do_not_exist(text: str) -> None:
    with pytest.raises(ValueError, match="time"):
        _time(text)


# Round trips ------------------------------------------------------------------------------------

EVERY_KIND = {  # title: date as written
    "A season": "2017-21", "A decade": "201X", "A century": "19XX", "Approximate and uncertain":
    "2017-04%", "Approximate year": "2017~", "Ides of March": "-0043-03-15",
    "A decade BCE": "-201X", "Open end": "2017/..", "Open start": "../2017",
    "Unknown end": "2016/", "Unknown start": "/2016", "Time in UTC": "2017-09-11T14:30:00Z",
    "Time in Seoul": "2017-09-11T14:30:00+09:00", "Local time": "1999-12-31T23:59:59",
    "Qualified range": "2017-04~/2017-06", "Seasons": "2017-21/2017-23",
    "Decades": "201X/202X", "Year zero": "0000", "Deep past": "Y-12000",
    'AT&T <merger> "quoted"': "2001-05",
}


def every_kind_site(make_site: MakeSite) -> Path:
    files = {f"content/events/e{i}.md": event_file(title.replace('"', '\\"'), date)
             for i, (title, date) in enumerate(EVERY_KIND.items())}
    files["content/events/range.md"] = event_file(
        "Date and end", "2017-09", extra='end: "2017-12?"\nsummary: "Explicit, one line."\n'
                                         "places: [Seoul, \"Pyongyang, DPRK\"]\n"
                                         "media:\n  - src: img/a.jpg\n    alt: First\n"
                                         "    width: 640\n  - src: https://example.org/b.png\n"
                                         "    alt: Second\n    caption: Two\n")
    files["content/eras.yaml"] = ('- title: Open era\n  start: "2016"\n'
                                  '- title: Closed era\n  start: "-0100"\n  end: "0050"\n')
    site = make_site(files)  # a missing local image is an error, one that is no image a warning
    _jpeg(site / "static/img/a.jpg")
    return site


def _jpeg(path: Path) -> None:
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (640, 480)).save(path, "JPEG")


@pytest.mark.parametrize("export", ["timelinejs.json", "events.csv"])
def test_round_trip_of_every_kind_of_date(make_site: MakeSite, tmp_path: Path, export: str,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    site = every_kind_site(make_site)
    original = build(site, tmp_path / "a")
    fresh = make_site({})  # the site's own files travel apart
    _jpeg(fresh / "static/img/a.jpg")
    assert import_into(fresh, tmp_path / "a" / export) == 0
    assert "warning" not in capsys.readouterr().err
    again = build(fresh, tmp_path / "b")
    assert sorted(again) == sorted(original)
    assert {slug: same(original[slug], again[slug]) for slug in original} == {
        slug: {} for slug in original}
    if export == "timelinejs.json":
        eras = [(e.title, e.date.text) for e in load_eras(fresh)[0]]
        assert eras == [("Open era", "2016/.."), ("Closed era", "-0100/0050")]


@pytest.mark.parametrize("export", ["timelinejs.json", "events.csv"])
def test_round_trip_of_this_repository(make_site: MakeSite, tmp_path: Path,
                                       export: str) -> None:
    original = build(REPO, tmp_path / "a")
    fresh = make_site({})
    assert import_into(fresh, tmp_path / "a" / export) == 0
    again = build(fresh, tmp_path / "b")
    assert len(original) == 17
    assert sorted(again) == sorted(original)
    assert {slug: same(original[slug], again[slug]) for slug in original} == {
        slug: {} for slug in original}


def test_round_trip_of_the_imported_fixtures(make_site: MakeSite, tmp_path: Path) -> None:
    first = make_site({})
    import_into(first, TIMELINEJS)
    import_into(first, PLAIN)
    original = build(first, tmp_path / "a")
    for export in ("timelinejs.json", "events.csv"):
        fresh = make_site({})
        assert import_into(fresh, tmp_path / "a" / export) == 0
        again = build(fresh, tmp_path / f"b-{export}")
        assert {slug: same(original[slug], again[slug]) for slug in original} == {
            slug: {} for slug in original}
