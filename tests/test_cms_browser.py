"""The browser editor end to end: ``timeline serve`` on a bilingual site, Decap CMS at
``/admin/`` in Chromium, an event written through the editor's own form, then edited."""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.conftest import CONFIG, MakeSite, event_file
from tests.test_serve import Serve, h1, overlay_lines, serve, wait_for

__all__ = ["serve"]  # the fixture, used by name

NEW = "content/events/2017-09-11-un-bans-north-korean-textile-exports.md"


def _bilingual(make_site: MakeSite) -> Path:
    site = make_site({"timeline.toml": CONFIG.replace('language = "en"',
                                                      'languages = ["en", "ko"]'),
                      "content/events/2016/kaesong.md": event_file(
                          "Kaesong closed", "2016-02-10", tags="[kaesong, sanctions]")})
    done = subprocess.run([sys.executable, "-m", "generator", "cms", str(site)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return site


def _fill(page: Page, name: str, value: str, nth: int = 0) -> None:
    """The ``nth`` input of field ``name`` in page order (English, then Korean)."""
    page.locator(f'[id^="{name}-field-"]').nth(nth).fill(value)


def _choose(page: Page, name: str, option: str) -> None:
    """A select (react-select): type the option, take it."""
    page.locator(f'[id^="{name}-field-"]').nth(0).focus()
    page.keyboard.type(option)
    page.keyboard.press("Enter")


def _type_body(page: Page, nth: int, text: str) -> None:
    editor = page.locator("[contenteditable=true]").nth(nth)
    editor.click()
    page.keyboard.type(text)


def _publish(page: Page) -> None:
    page.get_by_role("button", name="Publish").first.click()
    page.get_by_text("Publish now", exact=True).click()


def test_an_event_written_and_edited_in_the_browser(make_site: MakeSite, serve: Serve,
                                                     browser: object) -> None:
    site = _bilingual(make_site)
    server = serve(site)
    assert "editor: /admin/" in server.out()
    page = browser.new_page(viewport={"width": 1600, "height": 1200})  # type: ignore[attr-defined]
    base = f"http://127.0.0.1:{server.port}/admin/"
    page.goto(base)
    page.get_by_role("button", name="Login").click()
    page.goto(base + "#/collections/events/new")

    _fill(page, "title", "UN bans North Korean textile exports")
    _fill(page, "date", "2017-09-11")
    _choose(page, "status", "confirmed")
    _choose(page, "tags", "sanctions")
    _fill(page, "summary", "Resolution 2375 bans textile exports.")
    page.get_by_role("button", name="Add sources").click()
    page.get_by_role("button", name="Add sources").click()
    _fill(page, "publisher", "United Nations Security Council", 0)
    _fill(page, "title", "Resolution 2375 (2017)", 1)  # the event's, then the sources'
    _fill(page, "url", "https://example.org/res-2375", 0)
    _fill(page, "published", "2017-09-11", 0)
    _fill(page, "publisher", "Example News", 1)
    _fill(page, "url", "https://example.org/report", 1)
    _type_body(page, 0, "The Security Council adopted Resolution 2375.")
    _fill(page, "title", "유엔, 북한 섬유 수출 금지", 3)  # after the English pane's three
    _fill(page, "summary", "결의 2375호는 섬유 수출을 금지한다.", 1)
    _type_body(page, 1, "안전보장이사회가 결의 2375호를 채택했다.")
    _publish(page)

    new, korean = site / NEW, site / NEW.replace(".md", ".ko.md")
    wait_for(lambda: new.is_file() and korean.is_file(), "the editor's files")
    text = new.read_text("utf-8")
    assert text == (
        "---\n"
        "title: UN bans North Korean textile exports\n"
        "date: 2017-09-11\n"
        "status: confirmed\n"
        "summary: Resolution 2375 bans textile exports.\n"
        "tags:\n"
        "  - sanctions\n"
        "sources:\n"
        "  - publisher: United Nations Security Council\n"
        "    title: Resolution 2375 (2017)\n"
        "    url: https://example.org/res-2375\n"
        "    published: 2017-09-11\n"
        "  - publisher: Example News\n"
        "    url: https://example.org/report\n"
        "---\n"
        "The Security Council adopted Resolution 2375.\n"), text
    assert korean.read_text("utf-8") == (
        "---\n"
        "title: 유엔, 북한 섬유 수출 금지\n"
        "summary: 결의 2375호는 섬유 수출을 금지한다.\n"
        "---\n"
        "안전보장이사회가 결의 2375호를 채택했다.\n")
    assert not (site / NEW.replace(".md", ".en.md")).exists()

    check = subprocess.run([sys.executable, "-m", "generator", "check", str(site)],
                           capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stdout + check.stderr
    slug = "2017-09-11-un-bans-north-korean-textile-exports"
    wait_for(lambda: server.request(f"/events/{slug}/")[0] == 200, "the new page")
    assert h1(server.page(f"/events/{slug}/")) == "UN bans North Korean textile exports"
    assert h1(server.page(f"/ko/events/{slug}/")) == "유엔, 북한 섬유 수출 금지"

    # Edited again in the editor: only the changed line changes.
    page.goto(base + "#/collections/events/entries/" + Path(NEW).stem)
    page.reload()  # a new hash alone keeps the form that was open
    expect(page.locator('[id^="summary-field-"]').nth(0)).to_have_value(
        "Resolution 2375 bans textile exports.", timeout=30_000)
    _fill(page, "summary", "Resolution 2375 bans exports of textiles.")
    _publish(page)
    korean_text = korean.read_text("utf-8")
    wait_for(lambda: new.read_text("utf-8") != text, "the edit")
    assert korean.read_text("utf-8") == korean_text
    assert new.read_text("utf-8") == text.replace(
        "summary: Resolution 2375 bans textile exports.",
        "summary: Resolution 2375 bans exports of textiles.")

    # A file written by hand, never translated: saved from the form, it gets no empty
    # Korean file beside it (check would refuse one without front-matter).
    page.goto(base + "#/collections/events")
    page.reload()
    page.get_by_text("2016-02-10 Kaesong closed").click()  # listed from its year folder
    expect(page.locator('[id^="title-field-"]').nth(0)).to_have_value("Kaesong closed",
                                                                      timeout=30_000)
    _fill(page, "title", "Kaesong complex closed")
    _publish(page)
    old = site / "content/events/2016/kaesong.md"
    wait_for(lambda: "Kaesong complex closed" in old.read_text("utf-8"), "the second edit")
    assert not (site / "content/events/2016/kaesong.ko.md").exists()
    check = subprocess.run([sys.executable, "-m", "generator", "check", str(site)],
                           capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stdout + check.stderr
    page.close()


def test_what_the_form_cannot_see_is_refused_in_the_overlay(
        make_site: MakeSite, serve: Serve) -> None:
    """An interval ending before it starts (the one date the form's pattern lets through)
    and an event without sources, saved as the CMS saves (through serve's proxy), reach the
    overlay with file, line and field."""
    site = _bilingual(make_site)
    server = serve(site)
    # The editor's page: our own script, no reload client (a rebuild must not reload it).
    admin = server.page("/admin/")
    assert admin.xpath("//script/@src") == ["decap-cms.js"]
    status, headers, script = server.request("/admin/decap-cms.js")
    assert status == 200 and headers["Content-Type"] == "text/javascript"
    assert script.startswith(b"/*!") and len(script) > 1_000_000
    saved = {"content/events/b.en.md": "---\ntitle: Backwards\ndate: 2018/2017\nsources:\n"
             "  - publisher: X\n---\nText\n",
             "content/events/c.en.md": "---\ntitle: Unsourced\ndate: 2017\n---\nText\n"}
    for path, raw in saved.items():
        body = json.dumps({"action": "persistEntry", "params": {
            "branch": "main", "entry": {"slug": "x", "path": path, "raw": raw},
            "assets": [], "options": {"commitMessage": "Create", "collectionName": "events",
                                      "useWorkflow": False, "status": "draft"}}})
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        conn.request("POST", "/__timeline__/cms", body, {"Content-Type": "application/json"})
        reply = conn.getresponse()
        assert reply.status == 200, reply.read()
        conn.close()
        assert (site / path.replace(".en.md", ".md")).read_text("utf-8") == raw
    lines = wait_for(lambda: (found := overlay_lines(server.page("/"))) and len(found) > 1
                     and found, "the overlay")
    assert "content/events/b.md:3: date: end 2017 is before start 2018" in lines
    assert "content/events/c.md:2: sources: missing: every event needs at least one source" \
        in lines
