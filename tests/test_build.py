"""End to end: build real sites in temporary folders and read the output back."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import lxml.etree
import pytest

from generator.cli import main

from conftest import REPO, MakeSite, event_file, parse_html, tree_hash, write_site

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


FILES = {
    "content/events/2017/2017-09-11-resolution.md": event_file(
        "Resolution adopted", "2017-09-11",
        extra="status: confirmed\nplaces: [New York]\nsummary: The council acts.\n",
        sources=("sources:\n  - publisher: United Nations\n    title: Press release\n"
                 "    url: https://un.example/pr\n    published: 2017-09-12\n"
                 "    archived: https://web.archive.org/web/2017/https://un.example/pr\n"
                 "  - publisher: UPI\n    title: Report on it\n    url: https://upi.example/r\n"
                 "    published: 2017-10-03\n    via: Radio Free Asia\n"
                 "    quote: a short excerpt\n")),
    "content/events/2017/2017-month.md": event_file("Month only", "2017-09"),
    "content/events/2017/year.md": event_file("Year only", "2017"),
    "content/events/approx.md": event_file("Approximate year", "2016~"),
    "content/events/uncertain.md": event_file("Uncertain month", "2016-04?"),
    "content/events/range.md": event_file("A range", "2018-01-05",
                                          extra='end: "2018-03-02"\n'),
    "content/events/open.md": event_file("Open ended", "2019/.."),
    "content/events/draft.md": event_file("Draft event", "2019-05-01", extra="draft: true\n"),
    "content/events/custom.md": event_file("Custom slug", "2015-06-01",
                                           extra="slug: my-own-slug\n", tags="[beta, alpha]"),
    "content/pages/about.md": "---\ntitle: About us\n---\nWho we are.\n",
}
"""A small site with every kind of date and page, built once per module (``built``) for the
tests that only read it; a test that builds it again or elsewhere takes ``own_built``."""


def _built(site: Path) -> Path:
    assert main(["build", str(site), "-q"]) == 0
    return site / "site"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _built(write_site(tmp_path_factory.mktemp("built") / "site", FILES))


@pytest.fixture
def own_built(make_site: MakeSite) -> Path:
    return _built(make_site(FILES))


def _titles(doc: lxml.html.HtmlElement) -> list[str]:
    return [t.text_content().strip() for t in doc.cssselect(".event-title")]


def test_home_orders_events_by_earliest_date_then_precision(built: Path) -> None:
    doc = parse_html(built / "index.html")
    # Newest first (the default order): the same order read backwards.
    assert _titles(doc)[::-1] == ["Custom slug", "Approximate year", "Uncertain month",
                                  "Year only", "Month only", "Resolution adopted", "A range",
                                  "Open ended"]
    years = [h.text_content().strip() for h in doc.cssselect("section.year h2")]
    assert years == ["2019", "2018", "2017", "2016", "2015"]
    strip = [a.text_content() for a in doc.cssselect("nav.year-strip a")]
    assert strip == years
    assert doc.cssselect("a.skip-link")[0].get("href") == "#timeline"


def test_dates_keep_their_precision(built: Path) -> None:
    doc = parse_html(built / "index.html")
    shown = {li.get("id"): (li.cssselect("time")[0].get("datetime"),
                            li.cssselect("time")[0].text_content())
             for li in doc.cssselect("li.event")}
    assert shown["2017-09-11-resolution"] == ("2017-09-11", "11 September 2017")
    assert shown["2017-month"] == ("2017-09", "September 2017")
    assert shown["year"] == ("2017", "2017")
    assert shown["approx"] == ("2016", "c. 2016")
    assert shown["uncertain"] == ("2016-04", "April 2016?")
    assert shown["range"] == ("2018-01-05", "5 January\u2009–\u20092 March 2018")
    assert shown["open"] == ("2019", "2019 onwards")


def test_event_page_has_body_sources_and_links(built: Path) -> None:
    page = built / "events" / "2017-09-11-resolution" / "index.html"
    doc = parse_html(page)
    assert doc.cssselect("h1")[0].text_content() == "Resolution adopted"
    assert "Confirmed" in doc.cssselect(".event-status")[0].text_content()
    sources = doc.cssselect(".sources-section li.source")
    assert len(sources) == 2
    first = sources[0].cssselect("a.source-link")[0]
    assert first.get("href") == "https://un.example/pr"
    assert "noopener" in first.get("rel")
    assert sources[0].cssselect("a.archived")[0].get("href").startswith("https://web.archive")
    assert sources[1].cssselect(".source-meta")[0].text_content().strip() == \
        "Reported 3 October 2017 by UPI, citing Radio Free Asia"
    assert sources[1].cssselect("blockquote")[0].text_content().strip() == "a short excerpt"
    assert [a.get("href") for a in doc.cssselect(".terms-section a")] == [
        "../../tags/alpha/", "../../places/new-york/"]
    prev = doc.cssselect(".prev-next a[rel=prev]")[0]
    nxt = doc.cssselect(".prev-next a[rel=next]")[0]
    assert prev.get("href") == "../../events/2017-month/"
    assert nxt.get("href") == "../../events/range/"
    assert doc.cssselect("link[rel=canonical]")[0].get("href") == \
        "https://example.org/tl/events/2017-09-11-resolution/"
    assert doc.cssselect("meta[property='og:title']")[0].get("content") == "Resolution adopted"
    ld = json.loads(doc.cssselect("script[type='application/ld+json']")[0].text)
    assert ld["@type"] == "Event" and ld["startDate"] == "2017-09-11"
    assert ld["location"][0]["name"] == "New York"
    assert "eventStatus" not in ld  # a past event is not "scheduled"


def test_tag_place_year_and_standalone_pages(built: Path) -> None:
    tag = parse_html(built / "tags" / "alpha" / "index.html")
    assert len(tag.cssselect("li.event")) == 8
    beta = parse_html(built / "tags" / "beta" / "index.html")
    assert _titles(beta) == ["Custom slug"]
    place = parse_html(built / "places" / "new-york" / "index.html")
    assert _titles(place) == ["Resolution adopted"]
    year = parse_html(built / "years" / "2017" / "index.html")
    assert _titles(year) == ["Resolution adopted", "Month only", "Year only"]
    terms = parse_html(built / "tags" / "index.html")
    assert [a.text_content() for a in terms.cssselect(".term-list a")] == ["#alpha", "#beta"]
    about = parse_html(built / "about" / "index.html")
    assert about.cssselect("h1")[0].text_content() == "About us"
    missing = parse_html(built / "404.html")
    assert missing.cssselect("a")[1].get("href").startswith("/tl/")


def test_drafts_are_left_out_unless_asked(own_built: Path) -> None:
    built = own_built
    assert not (built / "events" / "draft").exists()
    site = built.parent
    assert main(["build", str(site), "-q", "--drafts", "--output", str(site / "d")]) == 0
    doc = parse_html(site / "d" / "events" / "draft" / "index.html")
    assert doc.cssselect(".status-draft")[0].text_content() == "Draft"


def test_feed_sitemap_and_json(built: Path) -> None:
    feed = lxml.etree.parse(str(built / "feed.xml")).getroot()
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 8
    assert entries[0].findtext(f"{ATOM}title") == "Open ended"
    assert entries[0].find(f"{ATOM}link").get("href") == "https://example.org/tl/events/open/"
    # Without a record of publication days, an entry is dated by its latest report.
    assert feed.findtext(f"{ATOM}updated") == "2017-10-03T00:00:00Z"
    sitemap = lxml.etree.parse(str(built / "sitemap.xml")).getroot()
    locs = [u.findtext(f"{SITEMAP}loc") for u in sitemap]
    assert "https://example.org/tl/" in locs
    assert "https://example.org/tl/events/my-own-slug/" in locs
    assert all(loc.startswith("https://example.org/tl/") for loc in locs)
    data = json.loads((built / "events.json").read_text())
    assert data["site"]["title"] == "Test timeline"
    by_slug = {e["slug"]: e for e in data["events"]}
    assert by_slug["uncertain"]["date"] == "2016-04?"
    assert by_slug["uncertain"]["precision"] == "month"
    assert by_slug["uncertain"]["earliest"] == "2016-04-01"
    assert by_slug["uncertain"]["latest"] == "2016-04-30"
    assert by_slug["range"]["end"] == "2018-03-02"
    assert by_slug["my-own-slug"]["url"] == "https://example.org/tl/events/my-own-slug/"
    assert by_slug["2017-09-11-resolution"]["sources"][1]["via"] == "Radio Free Asia"


def test_two_builds_are_byte_identical(own_built: Path) -> None:
    built = own_built
    site = built.parent
    first = tree_hash(built)
    assert main(["build", str(site), "-q", "--no-cache", "--output", str(site / "again")]) == 0
    assert tree_hash(site / "again") == first
    assert main(["build", str(site), "-q"]) == 0
    assert tree_hash(built) == first


def test_real_site_builds(real_site: Path) -> None:
    """The session's build of the real site (conftest.py), shared with the tests that read it."""
    out = real_site
    doc = parse_html(out / "index.html")
    events = doc.cssselect("li.event")
    assert len(events) >= 14
    for li in events:
        assert li.cssselect("time[datetime]") and li.cssselect(".sources a[href^='http']")
    assert (out / "about" / "index.html").is_file()


def test_new_event_with_source_builds_at_once(make_site: MakeSite,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({})
    assert main(["new", "Factory opens: a test", "--date", "2020-05", "--source",
                 "https://www.example.com/story", str(site)]) == 0
    path = Path(capsys.readouterr().out.strip())
    assert path.name == "2020-05-factory-opens-a-test.md"
    assert main(["build", str(site), "-q"]) == 0
    doc = parse_html(site / "site" / "events" / path.stem / "index.html")
    assert doc.cssselect("h1")[0].text_content() == "Factory opens: a test"
    assert doc.cssselect(".sources a")[0].get("href") == "https://www.example.com/story"


def test_new_event_without_source_is_a_draft(make_site: MakeSite,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({})
    assert main(["new", "Unsourced", "--date", "2020", str(site)]) == 0
    path = Path(capsys.readouterr().out.strip())
    assert main(["build", str(site), "-q"]) == 0
    assert not (site / "site" / "events" / path.stem).exists()
    assert "no external source" in capsys.readouterr().err
    assert main(["new", "Bad date", "--date", "2020-13", str(site)]) == 1
    assert capsys.readouterr().err.strip() == "--date: date: no such month 2020-13"


def test_init_after_plain_install(tmp_path: Path) -> None:
    """A non-editable install, no repository around: init, then build with the packaged theme."""
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True, system_site_packages=False)
    python = env_dir / "bin" / "python"
    wheel_dir = tmp_path / "wheels"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                    str(wheel_dir), str(REPO)], check=True, env=env, timeout=300)
    wheel = next(wheel_dir.glob("*.whl"))
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True,
                   env=env, timeout=600)
    work = tmp_path / "elsewhere"
    work.mkdir()
    timeline = env_dir / "bin" / "timeline"
    subprocess.run([str(timeline), "init", "mysite"], cwd=work, check=True, env=env,
                   timeout=60)
    result = subprocess.run([str(timeline), "build", "mysite"], cwd=work, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("1 events, ")
    doc = parse_html(work / "mysite" / "site" / "index.html")
    assert _titles(doc) == ["The first event of this timeline"]
    assert (work / "mysite" / "site" / "assets" / "timeline.css").is_file()


def test_tags_and_places_differing_in_case_share_one_page(make_site: MakeSite) -> None:
    site = make_site({
        "content/events/a.md": event_file("First", "2017-01-01", tags="[Kaesong]",
                                          extra="places: [New York]\n"),
        "content/events/b.md": event_file("Second", "2017-01-02", tags="[kaesong, KAESONG]",
                                          extra="places: [new york]\n"),
    })
    assert main(["build", str(site), "-q"]) == 0
    tag = parse_html(site / "site" / "tags" / "kaesong" / "index.html")
    assert _titles(tag) == ["Second", "First"]
    assert tag.cssselect("h1")[0].text_content() == "#Kaesong"
    place = parse_html(site / "site" / "places" / "new-york" / "index.html")
    assert _titles(place) == ["Second", "First"]
    terms = parse_html(site / "site" / "tags" / "index.html")
    assert [a.text_content() for a in terms.cssselect(".term-list a")] == ["#Kaesong"]


def test_unwritable_output_is_one_line(make_site: MakeSite, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({"content/events/a.md": event_file()})

    def full_disk(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device", str(site / "site"))

    monkeypatch.setattr("generator.output.writer.finish", full_disk)
    assert main(["build", str(site)]) == 1
    assert capsys.readouterr().err.strip() == f"{site / 'site'}: No space left on device"
    assert not (site / "site").exists()
