"""One output table: every page (in every language), export, static file and redirect has
one maker; a second maker of a path fails the build (and ``check``) with one line naming
both, and the site already published stays as it was."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from generator.cli import main
from generator.site.document import Document

from conftest import CONFIG, MakeSite, event_file, tree_hash

TWO = CONFIG + 'languages = ["en", "ko"]\n'
A = "content/events/a.md"
B = "content/events/b.md"


def _site(make_site: MakeSite, aliases: str = "", config: str = CONFIG,
          extra: dict[str, str] | None = None) -> Path:
    more = f"aliases: [{aliases}]\n" if aliases else ""
    return make_site({A: event_file("A", "2017-09-11", extra=more),
                      B: event_file("B", "2017-10-01"),
                      "content/pages/about.md": "---\ntitle: About\n---\nUs.\n",
                      **(extra or {})}, config)


def _fails_with(site: Path, capsys: pytest.CaptureFixture[str], line: str) -> None:
    """``build`` and ``check`` both stop with exactly ``line``; the published site stays."""
    before = tree_hash(site / "site") if (site / "site").exists() else None
    capsys.readouterr()
    assert main(["build", str(site), "--quiet"]) == 1
    assert capsys.readouterr().err.splitlines() == [line]
    assert (tree_hash(site / "site") if (site / "site").exists() else None) == before
    assert main(["check", str(site)]) == 1
    assert line in capsys.readouterr().err.splitlines()


def _with_alias(site: Path, alias: str) -> None:
    path = site / A
    text = path.read_text("utf-8").replace("tags:", f"aliases: [{alias}]\ntags:", 1)
    path.write_text(text, "utf-8")


@pytest.mark.parametrize("alias, hint", [("/events/b/index.html", "/events/b/"),
                                         ("/about/index.html", "/about/"),
                                         ("/index.html", "/old-page/")])
def test_an_alias_is_a_path_never_a_file(make_site: MakeSite, alias: str, hint: str,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    site = _site(make_site)
    assert main(["build", str(site), "--quiet"]) == 0
    page = site / "site" / "events" / "b" / "index.html"
    _with_alias(site, alias)
    _fails_with(site, capsys, f"{A}:4: aliases[0]: '{alias}' names a page's file: an alias "
                              f"is a path, like {hint}")
    assert lxml.html.fromstring(page.read_bytes()).xpath("//h1/text()") == ["B"]


def test_an_alias_under_another_language_cannot_take_its_page(
        make_site: MakeSite, capsys: pytest.CaptureFixture[str]) -> None:
    site = _site(make_site, config=TWO)
    assert main(["build", str(site), "--quiet"]) == 0
    korean = site / "site" / "ko" / "events" / "b" / "index.html"
    assert lxml.html.fromstring(korean.read_bytes()).get("lang") == "ko"
    _with_alias(site, "/ko/events/b/")
    _fails_with(site, capsys, f"{A}:4: aliases[0]: '/ko/events/b/' cannot redirect: "
                              f"{B} (ko) is there")
    assert (site / "site" / "_redirects").exists() is False
    assert lxml.html.fromstring(korean.read_bytes()).xpath("//h1/text()") == ["B"]


@pytest.mark.parametrize("alias, maker", [("/ko/search.json/", "the export ko/search.json"),
                                          ("/ko/search/", "the export ko/search/"),
                                          ("/ko/timelinejs.json/",
                                           "the export ko/timelinejs.json")])
def test_an_alias_over_an_export_is_one_line(make_site: MakeSite, alias: str, maker: str,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    site = _site(make_site, config=TWO)
    _with_alias(site, alias)
    _fails_with(site, capsys, f"{A}:4: aliases[0]: '{alias}' cannot redirect: {maker} is "
                              "there")


def test_a_page_named_like_a_language_is_not_replaced_by_its_home(
        make_site: MakeSite, capsys: pytest.CaptureFixture[str]) -> None:
    site = _site(make_site, config=TWO,
                 extra={"content/pages/ko.md": "---\ntitle: Korea\n---\nAbout Korea.\n"})
    _fails_with(site, capsys, "ko/index.html: output: made by both content/pages/ko.md and "
                              "the home page (ko)")
    assert not (site / "site").exists()


def test_a_static_file_over_a_page_is_one_line(make_site: MakeSite,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    site = _site(make_site, extra={"static/feed.xml": "<feed/>",
                                   "static/events/b": "a file where a folder goes"})
    capsys.readouterr()
    assert main(["build", str(site), "--quiet"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "events/b/index.html: output: made by both static/events/b and content/events/"
        "b.md",
        "feed.xml: output: made by both static/feed.xml and the feed"]


def test_an_export_that_reuses_another_kind_is_refused(make_site: MakeSite,
                                                       monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    import generator.site.exports as exports

    made = exports.export_documents

    def more(timeline, config):  # type: ignore[no-untyped-def]
        found = made(timeline, config)
        return {**found, "titles.csv": Document("csv", b"title\n", b"", b"", timeline.events,
                                                lambda e: e.title.encode() + b"\n")}

    monkeypatch.setattr(exports, "export_documents", more)
    site = _site(make_site)
    capsys.readouterr()
    assert main(["build", str(site), "--quiet"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "titles.csv: output: an export of kind 'csv' like events.csv: each export needs a "
        "kind of its own"]


def test_an_export_at_another_export_path_is_refused(make_site: MakeSite,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]
                                                     ) -> None:
    import generator.site.search as search

    made = search.search_exports

    def more(timeline, say_date, prefix="", labels=None):  # type: ignore[no-untyped-def]
        return {**made(timeline, say_date, prefix, labels), "events.csv": b"date\n"}

    monkeypatch.setattr(search, "search_exports", more)
    site = _site(make_site)
    capsys.readouterr()
    assert main(["build", str(site), "--quiet"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "events.csv: output: made by both the export events.csv and the export events.csv"]


def test_every_real_output_has_one_maker(make_site: MakeSite) -> None:
    """Aliases that fit and a bilingual site build as before: the table refuses only
    clashes."""
    site = _site(make_site, aliases="/old/a/, /events/gone.html", config=TWO)
    assert main(["build", str(site), "--quiet"]) == 0
    redirect = lxml.html.fromstring((site / "site" / "old" / "a" / "index.html").read_bytes())
    assert redirect.xpath("//link[@rel='canonical']/@href") == [
        "https://example.org/tl/events/a/"]
    lines = (site / "site" / "_redirects").read_text().splitlines()
    assert [line for line in lines if not line.startswith("#")] == [
        "/tl/events/gone.html /tl/events/a/ 301", "/tl/old/a/ /tl/events/a/ 301",
        "/tl/ko/events/gone.html /tl/ko/events/a/ 301", "/tl/ko/old/a/ /tl/ko/events/a/ 301"]
