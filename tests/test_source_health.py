"""Readers see what the last ``sources check`` found: offline, from the lock file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import jsonschema
import pytest

from generator.cli import main

from conftest import MakeSite, event_file, parse_html

if TYPE_CHECKING:
    from playwright.sync_api import Browser

ARCHIVE = "https://web.archive.org/web/20171003101010/https://example.org/a"


def source(url: str, archived: str = "", published: str = "2017-10-03") -> str:
    text = f"  - publisher: Example News\n    title: A report\n    url: {url}\n"
    text += f"    published: {published}\n" if published else ""
    return text + (f"    archived: {archived}\n" if archived else "")


def lock(links: dict[str, tuple[str, int, str]]) -> str:
    return json.dumps({"version": 1, "links": {
        url: {"status": status, "code": code, "checked_at": f"{since}T08:00:00Z",
              "since": since}
        for url, (status, code, since) in links.items()}})


@pytest.fixture
def health_site(make_site: MakeSite) -> Path:
    return make_site({
        "content/events/a.md": event_file("A", sources="sources:\n" + source(
            "https://example.org/a", ARCHIVE)),
        "content/events/b.md": event_file("B", sources="sources:\n" + source(
            "http://example.org/b", published="")),
        "content/events/c.md": event_file("C", sources="sources:\n" + source(
            "https://example.org/c")),
        "content/sources.lock.json": lock({
            "https://example.org/a": ("gone", 404, "2026-11-30"),
            "http://example.org/b": ("soft-404", 200, "2026-11-02"),
            "https://example.org/c": ("ok", 200, "2026-11-30")}),
    })


def _source_item(site: Path, slug: str) -> object:
    page = parse_html(site / "site/events" / slug / "index.html")
    items = page.cssselect("main ol.sources > li.source")
    assert len(items) == 1
    return items[0]


def test_dead_links_are_shown_with_their_archived_copy_first(
        health_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("a build reached for the network")

    monkeypatch.setattr(httpx.AsyncClient, "__init__", no_network)
    monkeypatch.setattr(httpx.Client, "__init__", no_network)
    assert main(["build", str(health_site), "-q"]) == 0
    a = _source_item(health_site, "a")
    assert "source-dead" in a.get("class").split()
    note = a.cssselect("p.source-health")[0]
    assert note.text_content() == ("Original link dead since November 2026 — archived copy "
                                   "of 3 October 2017")
    links = a.cssselect("a")
    assert [link.get("href") for link in links] == [ARCHIVE, "https://example.org/a"]
    assert "dead-link" in links[1].get("class").split()
    b = _source_item(health_site, "b")
    assert [n.text_content() for n in b.cssselect(".source-health")] == [
        "Link dead since November 2026; no archived copy"]
    c = _source_item(health_site, "c")
    assert "source-dead" not in c.get("class").split()
    assert not c.cssselect(".source-health")
    # The list pages draw the same sources in each card.
    home = parse_html(health_site / "site/index.html")
    assert len(home.cssselect("li.source-dead")) == 2


def test_events_json_carries_each_sources_health(health_site: Path) -> None:
    assert main(["build", str(health_site), "-q"]) == 0
    out = health_site / "site"
    data = json.loads((out / "events.json").read_text("utf-8"))
    jsonschema.validate(data, json.loads((out / "events.schema.json").read_text("utf-8")))
    health = {e["slug"]: e["sources"][0].get("health") for e in data["events"]}
    assert health["a"] == {"status": "gone", "code": 404, "since": "2026-11-30",
                           "checked_at": "2026-11-30T08:00:00Z"}
    assert health["c"]["status"] == "ok"
    assert data["events"][0]["sources"][0]["archived"] == ARCHIVE


def test_a_new_check_result_reaches_the_cached_pages(health_site: Path) -> None:
    assert main(["build", str(health_site), "-q"]) == 0
    (health_site / "content/sources.lock.json").write_text(lock({
        "https://example.org/a": ("ok", 200, "2026-12-01")}), "utf-8")
    assert main(["build", str(health_site), "-q"]) == 0
    assert not _source_item(health_site, "a").cssselect(".source-health")
    data = json.loads((health_site / "site/events.json").read_text("utf-8"))
    assert data["events"][0]["sources"][0]["health"]["status"] == "ok"
    assert "health" not in data["events"][1]["sources"][0]
    (health_site / "content/sources.lock.json").unlink()
    assert main(["build", str(health_site), "-q"]) == 0
    data = json.loads((health_site / "site/events.json").read_text("utf-8"))
    assert all("health" not in e["sources"][0] for e in data["events"])


def test_a_corrupt_lock_is_a_build_warning(health_site: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    (health_site / "content/sources.lock.json").write_text("[1, 2", "utf-8")
    assert main(["build", str(health_site)]) == 0
    assert "content/sources.lock.json:1: warning: is not valid JSON: ignored, and rebuilt " \
        "by `timeline sources check`" in capsys.readouterr().err
    assert not _source_item(health_site, "a").cssselect(".source-health")


def test_check_warns_on_http_undated_and_dead_sources(
        health_site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(health_site)]) == 0
    captured = capsys.readouterr()
    text = captured.err
    assert captured.out == "0 errors, 3 warnings\n"
    assert "content/events/b.md:6: warning: sources[0].accessed: missing: no published " \
        "date: write when it was reported (published:), or for a page without one (a wiki) " \
        "the day you read it (accessed: YYYY-MM-DD), which its citations give" in text
    assert "content/events/b.md:8: warning: sources[0].url: http:// link: cite " \
        "https://example.org/b if the site has it" in text
    assert "content/events/b.md:8: warning: sources[0].url: dead link (soft 404 since " \
        "2026-11-02) and no archived copy: run `timeline sources archive` or add " \
        "archived:" in text
    assert "content/events/a.md" not in text  # dead, but archived
    assert main(["check", str(health_site), "--strict"]) == 1


def test_events_parsed_in_workers_get_their_health_too(make_site: MakeSite) -> None:
    from generator.content.loading import PARALLEL_FROM

    count = PARALLEL_FROM + 10
    files = {f"content/events/e{i:03d}.md": event_file(f"E{i}", sources="sources:\n" + source(
        f"https://example.org/{i}")) for i in range(count)}
    files["content/sources.lock.json"] = lock(
        {f"https://example.org/{i}": ("gone", 410, "2026-11-30") for i in range(count)})
    site = make_site(files)
    assert main(["build", str(site), "-q"]) == 0
    item = _source_item(site, "e007")
    assert item.cssselect(".source-health")[0].text_content() == \
        "Link dead since November 2026; no archived copy"
    cards = parse_html(site / "site/index.html").cssselect("li.event")
    assert len(cards) == count
    assert all(card.cssselect("li.source-dead") for card in cards)
    data = json.loads((site / "site/events.json").read_text("utf-8"))
    assert {e["sources"][0]["health"]["code"] for e in data["events"]} == {410}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_dead_source_notes_pass_axe(health_site: Path, scheme: str, browser: Browser) -> None:
    from conftest import _require
    from test_browser import AXE, AXE_URL, serve

    _require(AXE, "npm ci")
    assert main(["build", str(health_site), "-q"]) == 0
    with serve(health_site / "site") as base:
        page = browser.new_page()  # a context of its own, in the module's one Chromium
        page.route(f"**{AXE_URL}", lambda route: route.fulfill(
            path=AXE, content_type="text/javascript"))
        page.emulate_media(color_scheme=scheme)
        for slug in ("a", "b"):
            page.goto(f"{base}events/{slug}/")
            assert page.locator(".source-health").first.is_visible()
            page.add_script_tag(url=base.rstrip("/") + AXE_URL)
            result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
            assert [v["id"] for v in result["violations"]] == []
            assert len(result["passes"]) > 20
        page.close()
