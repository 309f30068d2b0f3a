"""What pages point at: images in static/, redirect pages for aliases, the sitemap's
addresses, a source's author; files in content/ that are not read; renamed slugs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import lxml.etree
import lxml.html
import pytest

from generator.check import check_site
from generator.cli import main
from generator.content.editorial import alias_problem
from generator.dev.serve import ServeState, make_app

from conftest import CONFIG, REPO, MakeSite, event_file, parse_html


def test_local_image_in_static_is_shown(make_site: MakeSite) -> None:
    site = make_site({"content/events/a.md": event_file(
        "A", extra="media:\n  - src: /images/gate.jpg\n    alt: The gate\n"),
        "static/images/gate.jpg": "(an image)"})
    assert main(["build", str(site), "-q"]) == 0
    img = parse_html(site / "site/events/a/index.html").cssselect(".media img")[0]
    assert img.get("src") == "../../images/gate.jpg"
    assert (site / "site/events/a" / img.get("src")).resolve().is_file()


def test_sitemap_addresses_are_percent_encoded(make_site: MakeSite) -> None:
    site = make_site({"content/events/개성공단.md": event_file("Kaesong", tags="[공단]")})
    assert main(["build", str(site), "-q"]) == 0
    tree = lxml.etree.parse(str(site / "site/sitemap.xml"))
    locs = tree.xpath("//s:loc/text()", namespaces={"s": "http://www.sitemaps.org/schemas/"
                                                          "sitemap/0.9"})
    assert "https://example.org/tl/events/%EA%B0%9C%EC%84%B1%EA%B3%B5%EB%8B%A8/" in locs
    assert "https://example.org/tl/tags/%EA%B3%B5%EB%8B%A8/" in locs
    assert all(loc.isascii() for loc in locs)


def test_source_author_is_shown_with_its_source(make_site: MakeSite) -> None:
    sources = ("sources:\n  - publisher: Wikimedia Commons\n    title: The park\n"
               "    url: https://commons.wikimedia.org/wiki/File:K.jpg\n"
               "    author: \"Photo: Kim\"\n")
    site = make_site({"content/events/a.md": event_file("A", sources=sources)})
    assert main(["build", str(site), "-q"]) == 0
    for page in ("events/a/index.html", "index.html"):
        source = parse_html(site / "site" / page).cssselect("li.source")[0]
        assert source.cssselect(".source-author")[0].text_content() == "by Photo: Kim"


def test_files_not_read_are_named(make_site: MakeSite,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({"content/events/a.md": event_file(), "content/events/UPPER.MD": "x",
                      "content/events/sub/x.markdown": "x", "content/events/y.md.txt": "x",
                      "content/events/.hidden.txt": "x", "content/pages/about.txt": "x",
                      "content/eras.yaml": ""})
    assert [str(p) for p in check_site(site)] == [
        "content/events/UPPER.MD:1: no front-matter: an event starts with a line '---', then "
        "fields, then '---'",
        "content/events/sub/x.markdown: not read: event files end in .md: rename it "
        "x.md",
        "content/events/y.md.txt: not read: event files end in .md: rename it y.md",
        "content/pages/about.txt: warning: ignored: page files end in .md"]
    assert main(["build", str(site), "-q"]) == 1
    assert "content/events/y.md.txt: not read: event files end in .md: rename it y.md" \
        in capsys.readouterr().err


def test_an_event_saved_as_upper_md_or_markdown_never_drops_off(
        make_site: MakeSite, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({"content/events/a.md": event_file("A"),
                      "content/events/Loud.MD": event_file("Loud", "2018"),
                      "content/events/Loud.ko.MD": "---\ntitle: 큰\n---\n본문\n"},
                     'title = "T"\nlanguages = ["en", "ko"]\n')
    assert main(["build", str(site), "-q"]) == 0
    page = parse_html(site / "site/events/loud/index.html")
    assert page.xpath("//h1/text()") == ["Loud"]
    assert parse_html(site / "site/ko/events/loud/index.html").xpath("//h1/text()") == ["큰"]
    (site / "content/events/late.markdown").write_text(event_file("Late", "2019"), "utf-8")
    before = (site / "site/index.html").read_bytes()
    assert main(["build", str(site), "-q"]) == 1
    assert capsys.readouterr().err.splitlines()[-1].startswith(
        "content/events/late.markdown: not read: event files end in .md: rename it late.md")
    assert (site / "site/index.html").read_bytes() == before


def test_aliases_make_redirect_pages_and_redirects_file(make_site: MakeSite) -> None:
    site = make_site({
        "content/events/new-name.md": event_file(
            "Renamed", extra="aliases: [/events/old-name/, /events/older, /old.html]\n"),
        "content/pages/about.md": "---\ntitle: About\naliases: [/about-us/]\n---\nText\n"})
    assert main(["build", str(site), "-q"]) == 0
    out = site / "site"
    page = parse_html(out / "events/old-name/index.html")
    assert page.xpath("//meta[@http-equiv='refresh']/@content") == [
        "0; url=../../events/new-name/"]
    assert page.xpath("//link[@rel='canonical']/@href") == [
        "https://example.org/tl/events/new-name/"]
    assert page.xpath("//a/@href") == ["../../events/new-name/"]
    assert page.xpath("//meta[@name='robots']/@content") == ["noindex"]
    assert parse_html(out / "events/older/index.html").xpath(
        "//meta[@http-equiv='refresh']/@content") == ["0; url=../../events/new-name/"]
    assert parse_html(out / "old.html").xpath("//meta[@http-equiv='refresh']/@content") == [
        "0; url=events/new-name/"]
    assert (out / "_redirects").read_text("utf-8").splitlines()[1:] == [
        "/tl/about-us/ /tl/about/ 301",
        "/tl/events/old-name/ /tl/events/new-name/ 301",
        "/tl/events/older/ /tl/events/new-name/ 301",
        "/tl/old.html /tl/events/new-name/ 301"]
    assert "old-name" not in (out / "sitemap.xml").read_text("utf-8")


def test_no_redirects_file_without_aliases(make_site: MakeSite) -> None:
    site = make_site({"content/events/a.md": event_file()})
    assert main(["build", str(site), "-q"]) == 0
    assert not (site / "site/_redirects").exists()


def test_an_alias_twice_or_on_a_static_file_is_an_error(make_site: MakeSite) -> None:
    site = make_site({
        "content/events/a.md": event_file("A", extra="aliases: [/events/gone/]\n"),
        "content/events/b.md": event_file("B", extra="aliases:\n  - /events/gone/\n"
                                          "  - /legacy.html\n"),
        "static/legacy.html": "<p>an old page</p>"})
    assert [str(p) for p in check_site(site)] == [
        "content/events/b.md:6: aliases[0]: '/events/gone/' cannot redirect: it is already "
        "an alias of content/events/a.md",
        "content/events/b.md:7: aliases[1]: '/legacy.html' cannot redirect: a file in "
        "static/ is there"]
    assert main(["build", str(site)]) == 1


def test_check_names_the_alias_a_renamed_event_needs(make_site: MakeSite) -> None:
    site = make_site({"content/events/old-slug.md": event_file("Renamed")})
    assert main(["build", str(site), "-q"]) == 0
    shutil.move(site / "content/events/old-slug.md", site / "content/events/new-slug.md")
    assert [str(p) for p in check_site(site)] == [
        "content/events/new-slug.md: warning: aliases: /events/old-slug/ was published by "
        "an earlier build and no page has it now: if this event was /events/old-slug/, add "
        "aliases: [/events/old-slug/]"]
    text = (site / "content/events/new-slug.md").read_text("utf-8")
    (site / "content/events/new-slug.md").write_text(
        text.replace("tags:", "aliases: [/events/old-slug/]\ntags:"), "utf-8")
    assert check_site(site) == []


def test_serve_overlay_shows_errors_first_and_folds_warnings(tmp_path: Path) -> None:
    root = tmp_path / "out"
    root.mkdir()
    (root / "index.html").write_text("<!doctype html><html><head><title>t</title></head>"
                                     "<body><p>hi</p></body></html>", "utf-8")
    state = ServeState()
    state.errors = ["content/events/b.md:3: date: no such day 2017-02-30",
                    "content/events/a.md:2: warning: tags: no tags: readers find events by tag",
                    "content/events/c.md:2: warning: tags: no tags: readers find events by tag"]
    status: dict[str, str] = {}

    def start(code: str, headers: list[tuple[str, str]]) -> None:
        status["code"] = code

    body = b"".join(make_app(root, state)({"REQUEST_METHOD": "GET", "PATH_INFO": "/"}, start))
    assert status["code"] == "200 OK"
    overlay = lxml.html.fromstring(body).xpath('//div[@id="timeline-error-overlay"]')[0]
    assert overlay.xpath("string(h2)") == ("Build failed (1 error): the last good version is "
                                           "shown")
    assert overlay.xpath("pre")[0].text_content() == state.errors[0]
    folded = overlay.xpath("details")[0]
    assert folded.get("open") is None
    assert folded.xpath("string(summary)") == "2 warnings (they do not stop a build)"
    assert folded.xpath("string(pre)").splitlines() == state.errors[1:]


def test_aliases_in_events_json_follow_its_schema(make_site: MakeSite) -> None:
    site = make_site({"content/events/a.md": event_file("A", extra="aliases: [/events/b/]\n")})
    assert main(["build", str(site), "-q"]) == 0
    schema = json.loads((site / "site/events.schema.json").read_text("utf-8"))
    data = json.loads((site / "site/events.json").read_text("utf-8"))
    assert data["events"][0]["aliases"] == ["/events/b/"]
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(data)) == []


@pytest.mark.parametrize(("alias", "message"), [
    ("/events/old/?id=3", "'/events/old/?id=3' has a ? or #: an alias is a path only"),
    ("/events/old/#top", "'/events/old/#top' has a ? or #: an alias is a path only"),
    ("//evil.example/x/", "'//evil.example/x/' is an absolute URL: an alias is a path of this "
                          "site, like /events/old-slug/"),
    ("events/old/", "'events/old/' must start with '/': an alias is a path from the site's "
                    "root, like /events/old-slug/"),
    ("/", "'/' is the home page: it cannot be an alias"),
    ("/events/a b/", "'/events/a b/' may not hold '..', '.', '//', '\\' or spaces"),
])
def test_alias_rules(alias: str, message: str) -> None:
    assert alias_problem(alias) == message


def test_an_alias_on_a_real_page_is_an_error(make_site: MakeSite) -> None:
    site = make_site({"content/events/a.md": event_file("A", extra="aliases: [/events/b/]\n"),
                      "content/events/b.md": event_file("B"),
                      "content/pages/about.md": "---\ntitle: About\naliases: [/about/]\n---\n"})
    assert [str(p) for p in check_site(site)] == [
        "content/events/a.md:5: aliases[0]: '/events/b/' cannot redirect: it is the page of "
        "content/events/b.md",
        "content/pages/about.md:3: aliases[0]: '/about/' cannot redirect: it is the page of "
        "this file itself"]


def test_a_redirects_file_of_the_sites_own_is_not_lost(make_site: MakeSite) -> None:
    site = make_site({"content/events/a.md": event_file("A", extra="aliases: [/events/b/]\n"),
                      "static/_redirects": "/shop https://shop.example.net 302\n"})
    assert [str(p) for p in check_site(site)] == [
        "static/_redirects: the build writes _redirects for aliases: move these lines to the "
        "end of templates/redirects.txt (a copy of the default theme's), and delete this file"]
    (site / "static/_redirects").unlink()
    theme = (REPO / "templates/redirects.txt").read_text("utf-8")
    (site / "templates").mkdir()
    (site / "templates/redirects.txt").write_text(
        theme + "/shop https://shop.example.net 302\n", "utf-8")
    assert main(["build", str(site), "-q"]) == 0
    assert (site / "site/_redirects").read_text("utf-8").splitlines()[1:] == [
        "/tl/events/b/ /tl/events/a/ 301", "/shop https://shop.example.net 302"]


def test_an_alias_cannot_take_the_place_of_a_later_home_page(make_site: MakeSite) -> None:
    # It could: /page/2/ replaced the second page of the home list with a redirect.
    site = make_site({"content/events/a.md": event_file("A", extra="aliases: [/page/2/]\n"),
                      "content/events/b.md": event_file("B", "2018")},
                     config=CONFIG + "page_size = 1\n")
    assert [str(p) for p in check_site(site)] == [
        "content/events/a.md:5: aliases[0]: '/page/2/' cannot redirect: /page/ holds the "
        "site's own pages"]
