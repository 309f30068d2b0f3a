"""Text that looks other than it is: zero-width characters and unbalanced direction controls
in titles, tags and places are removed with a warning (a balanced isolate around a name in
another script stays in a title), and a tag with a comma is warned about as two tags."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import lxml.etree
import pytest

from generator.cli import main
from generator.content.text import strip_invisible

from conftest import MakeSite, parse_html

RLO, PDF, RLI, PDI, ZWSP = "\u202e", "\u202c", "\u2067", "\u2069", "\u200b"
INVISIBLE = ("invisible characters removed ({}): zero-width characters and unbalanced "
             "direction controls make text look other than it is")


def event(title: str, tags: str, extra: str = "") -> str:
    return (f'---\ntitle: "{title}"\ndate: "2017-09-11"\ntags: {tags}\n{extra}sources:\n'
            "  - publisher: P\n    title: R\n    url: https://example.org/r\n"
            "    published: 2017-10-03\n---\nBody.\n")


@pytest.mark.parametrize("text, name, cleaned, found", [
    (f"Seized {RLO}gnp.exe", False, "Seized gnp.exe", ["U+202E"]),
    (f"{RLO}a{PDF} b{PDF}", False, "a b", ["U+202C", "U+202E"]),
    (f"{PDF}{RLO}a", False, "a", ["U+202C", "U+202E"]),
    (f"Balanced {RLI}عربي{PDI}", False, f"Balanced {RLI}عربي{PDI}", []),
    (f"Balanced {RLI}عربي{PDI}", True, "Balanced عربي", ["U+2067", "U+2069"]),
    (f"sea{ZWSP}food\ufeff\u2060", True, "seafood", ["U+200B", "U+2060", "U+FEFF"]),
    ("Plain", True, "Plain", []),
])
def test_strip_invisible(text: str, name: bool, cleaned: str, found: list[str]) -> None:
    assert strip_invisible(text, name) == (cleaned, found)


@pytest.fixture
def site(make_site: MakeSite) -> Path:
    return make_site({
        "content/events/a.md": event(f"Seized {RLO.encode('unicode_escape').decode()}gnp.exe",
                                     '[seafood, "sea\\u200bfood"]',
                                     'places: ["Seo\\u2066ul", "Pyongyang, DPRK"]\n'),
        "content/events/b.md": event("Balanced \\u2067عربي\\u2069 name",
                                     '["seafood, fisheries", trade]'),
    })


def test_invisible_characters_are_removed_with_a_warning(
        site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["build", str(site), "-q", "-o", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "content/events/a.md:2: warning: title: " + INVISIBLE.format("U+202E"),
        "content/events/a.md:4: warning: tags[1]: " + INVISIBLE.format("U+200B"),
        "content/events/a.md:5: warning: places[0]: " + INVISIBLE.format("U+2066"),
        "content/events/b.md:4: warning: tags[0]: 'seafood, fisheries' looks like 2 tags: "
        "write them as list items (- seafood, - fisheries), or write the tag without a comma",
    ]  # a place may hold a comma: "Pyongyang, DPRK" is one place
    out = tmp_path / "out"
    # One tag page for "seafood", however it was written; none for a look-alike.
    assert sorted(p.name for p in (out / "tags").iterdir() if p.is_dir()) == [
        "seafood", "seafood-fisheries", "trade"]
    listed = parse_html(out / "tags/seafood/index.html").xpath(
        "//main//h3[@class='event-title']/a/text()")
    assert [t.strip() for t in listed] == ["Seized gnp.exe"]
    assert sorted(p.name for p in (out / "places").iterdir() if p.is_dir()) == [
        "pyongyang-dprk", "seoul"]
    # Nothing of the override reaches a page's <title>, the feed, the JSON or the CSV; the
    # balanced isolate around the Arabic name stays where it was written.
    page = parse_html(out / "events/a/index.html")
    assert page.findtext(".//title").startswith("Seized gnp.exe")
    feed = lxml.etree.parse(str(out / "feed.xml"))
    titles = feed.xpath("//a:entry/a:title/text()", namespaces={"a": "http://www.w3.org/2005/Atom"})
    assert sorted(titles) == sorted(["Seized gnp.exe", f"Balanced {RLI}عربي{PDI} name"])
    records = {e["slug"]: e for e in json.loads((out / "events.json").read_text("utf-8"))["events"]}
    assert (records["a"]["title"], records["a"]["tags"], records["a"]["places"]) == (
        "Seized gnp.exe", ["seafood"], ["Seoul", "Pyongyang, DPRK"])
    assert records["b"]["title"] == f"Balanced {RLI}عربي{PDI} name"
    rows = {r["slug"]: r for r in csv.DictReader(io.StringIO(
        (out / "events.csv").read_text("utf-8"), newline=""))}
    assert (rows["a"]["title"], rows["a"]["tags"]) == ("Seized gnp.exe", "seafood")
    for text in ((out / "events.json").read_text("utf-8"), (out / "events.csv").read_text("utf-8"),
                 (out / "feed.xml").read_text("utf-8")):
        assert not any(c in text for c in (RLO, ZWSP, "\u2066"))


def test_check_strict_refuses_them(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["check", str(site)]) == 0
    assert main(["check", str(site), "--strict"]) == 1
    assert "content/events/b.md:4: tags[0]: 'seafood, fisheries' looks like 2 tags" in \
        capsys.readouterr().err
