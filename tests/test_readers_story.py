"""Readers 3 in the browser: story mode visible (the hint where scripts run, Earlier and
Later, reading from the first event), tap targets of 24 px on a phone, and the new pages
(chronology, recent changes, corrections) clean under axe and the Nu HTML checker.

Drives Debian's Chromium over the real site and a small site with corrections, as
test_readers_event.py does (fails, never skips, without Chromium, Java or the npm tools).
"""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from test_readers_changes import BILINGUAL, FILES

from generator.cli import main

from conftest import REPO
from test_browser import AXE, AXE_URL, VNU, _require, serve

ARTIFACTS = REPO / "test-artifacts"
HEDGED = "events/2017-04-kaesong-garment-factories-restarted/"
"""A real event dated 'c. April 2017?', first reported by UPI citing Radio Free Asia."""
PHONE = {"width": 375, "height": 812}


@pytest.fixture(scope="module")
def real(real_site: Path) -> Iterator[str]:
    with serve(real_site) as url:
        yield url


@pytest.fixture(scope="module")
def changes_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("story-changes")
    for rel, text in {**FILES, "timeline.toml": BILINGUAL,
                      "content/labels.ko.yaml": "kaesong: 개성\nalpha: 알파\n"}.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text, "utf-8")
    assert main(["build", str(folder), "-q"]) == 0
    return folder / "site"


@pytest.fixture(scope="module")
def small(changes_site: Path) -> Iterator[str]:
    with serve(changes_site) as url:
        yield url


def _page(browser: Browser, javascript: bool = True, phone: bool = False) -> Page:
    context = browser.new_context(viewport=PHONE if phone else {"width": 1280, "height": 900},
                                  has_touch=phone, is_mobile=phone,
                                  java_script_enabled=javascript)
    page = context.new_page()
    page.route(f"**{AXE_URL}", lambda route: route.fulfill(path=AXE,
                                                           content_type="text/javascript"))
    return page


SMALL_TARGETS = """() => [...document.querySelectorAll('a[href], button, summary, input, select')]
  .filter(e => getComputedStyle(e).visibility !== 'hidden' && e.getClientRects().length)
  .map(e => { const r = e.getBoundingClientRect();
              return [e.getAttribute('class') || e.tagName, (e.textContent || '').trim()
                      .slice(0, 40), Math.round(r.width * 10) / 10,
                      Math.round(r.height * 10) / 10]; })
  .filter(t => t[2] < 24 || t[3] < 24)"""


@pytest.mark.parametrize("rel", ["", HEDGED, "chronology/", "ko/", "ko/" + HEDGED,
                                 "ko/chronology/", "places/", "ko/places/", "places/kaesong/",
                                 "tags/", "ko/tags/", "years/", "recent/", "ko/recent/"])
def test_every_tap_target_is_at_least_24_px_on_a_phone(browser: Browser, real: str,
                                                       rel: str) -> None:
    """Links and buttons, the overview's and the axis's marks among them, measured."""
    page = _page(browser, phone=True)
    page.goto(real + rel)
    assert page.evaluate("document.querySelectorAll('a[href], button').length") > 10
    assert page.evaluate(SMALL_TARGETS) == []
    page.context.close()


def test_the_story_hint_shows_only_where_scripts_run(browser: Browser, real: str) -> None:
    page = _page(browser)
    page.goto(real + HEDGED)
    hint = page.locator("#story-hint")
    assert hint.is_visible()
    assert hint.text_content() == ("Press ← or →, or swipe sideways, to read the earlier or "
                                   "the later event.")
    page.keyboard.press("ArrowRight")  # what it says is so
    page.wait_for_url("**/events/2017-09-11-resolution-2375/")
    page.context.close()
    off = _page(browser, javascript=False)
    off.goto(real + HEDGED)
    assert not off.locator("#story-hint").is_visible()
    assert off.locator(".prev-next a[rel=next]").is_visible()  # the links work without it
    off.context.close()


def test_read_from_the_first_event_walks_the_story_without_javascript(browser: Browser,
                                                                      real: str) -> None:
    page = _page(browser, javascript=False)
    page.goto(real)
    page.locator(".read-first a").click()
    page.wait_for_url("**/events/2016-02-10-kaesong-complex-suspended/")
    assert page.locator(".prev-next a").all_text_contents()[0].startswith("Later →")
    assert page.locator(".prev-next a[rel=prev]").count() == 0  # nothing earlier
    page.locator(".prev-next a[rel=next]").click()
    assert page.locator(".prev-next a[rel=prev] .pn-word").text_content() == "← Earlier"
    page.context.close()


def test_the_real_hedged_event_says_when_it_surfaced(real_site: Path) -> None:
    import lxml.html

    doc = lxml.html.fromstring((real_site / HEDGED / "index.html").read_bytes())
    assert doc.xpath("//header//span[@class='first-report']/text()") == [
        "First reported 3 October 2017 (UPI, citing Radio Free Asia)"]


def test_the_home_page_stays_under_100_kb_gzipped(real_site: Path) -> None:
    home = (real_site / "index.html").read_bytes()
    assert len(gzip.compress(home, 9)) < 100_000


AUDITED = {"chronology": ("real", "chronology/"), "ko-chronology": ("real", "ko/chronology/"),
           "recent": ("small", "recent/"), "ko-recent": ("small", "ko/recent/"),
           "corrected": ("small", "events/changed/"), "hedged": ("real", HEDGED),
           "home": ("real", "")}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", AUDITED)
def test_axe_finds_no_violations(browser: Browser, real: str, small: str, name: str,
                                 scheme: str) -> None:
    _require(AXE, "npm ci")
    page = _page(browser)
    page.emulate_media(color_scheme=scheme)
    which, rel = AUDITED[name]
    base = real if which == "real" else small
    response = page.goto(base + rel)
    assert response is not None and response.status == 200
    page.add_script_tag(url=base.rstrip("/") + AXE_URL)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]] == []
    assert len(result["passes"]) > 15
    page.context.close()


def test_nu_html_checker_finds_no_errors_on_the_new_pages(changes_site: Path,
                                                          real_site: Path) -> None:
    _require(VNU, "npm ci")
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is missing: apt-get install default-jre-headless")
    pages = [changes_site / rel / "index.html" for rel in (
        "recent", "ko/recent", "chronology", "ko/chronology", "events/changed",
        "ko/events/changed", "events/hedged", "")] + [
        real_site / rel / "index.html" for rel in ("chronology", HEDGED, "")]
    run = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "json",
                          *map(str, pages)],
                         capture_output=True, text=True, timeout=300, check=False)
    messages = json.loads(run.stderr or run.stdout)["messages"]
    assert [(m.get("url", ""), m.get("lastLine"), m["message"]) for m in messages] == []
    assert run.returncode == 0


def test_chronology_screenshots_for_screen_and_print(browser: Browser, real: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for media, name in (("screen", "chronology-screen.png"), ("print", "chronology-print.png")):
        page = _page(browser)
        page.emulate_media(media=media)  # type: ignore[arg-type]
        page.goto(real + "chronology/")
        rows = page.locator("ol.chronology > li")
        assert rows.count() >= 17
        nav_shown = page.locator(".site-nav").is_visible()
        assert nav_shown == (media == "screen")  # print leaves the chrome out
        page.screenshot(path=str(ARTIFACTS / name), full_page=True)
        page.context.close()


def test_touch_screens_see_the_drag_hint_in_their_own_words(browser: Browser, real: str
                                                            ) -> None:
    shown = "el => [...el.querySelectorAll(SEL)].filter(e => e.getClientRects().length)" \
        ".map(e => e.textContent.trim())"
    for phone, javascript, mouse, touch in ((True, True, 0, 1), (False, True, 1, 0),
                                           (False, False, 0, 0), (True, False, 0, 0)):
        page = _page(browser, javascript=javascript, phone=phone)
        page.goto(real)
        overview = page.locator("#overview")
        assert len(overview.evaluate(shown.replace("SEL", "'.overview-how'"))) == mouse
        words = overview.evaluate(shown.replace("SEL", "'.overview-how-touch'"))
        assert len(words) == touch, (phone, javascript)
        if touch:
            assert words[0].startswith("Drag a finger sideways across the strip")
        page.context.close()
