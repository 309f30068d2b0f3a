"""The real site's Korean edition in Chromium: searching a Korean label finds every event
with it, Korean headlines break between words only, and screenshots of /ko/ (home, a tag
page, an event page and the 404) at 1280 and 375 px go to ``test-artifacts/``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from test_browser import ARTIFACTS, serve, shown


@pytest.fixture(scope="module")
def built(real_site: Path) -> Path:
    return real_site


@pytest.fixture(scope="module")
def base(built: Path) -> Iterator[str]:
    with serve(built) as url:
        yield url


@pytest.fixture
def page(browser: Browser, base: str) -> Iterator[Page]:
    """A fresh page that fails the test on a script error or a request leaving the site."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    errors: list[str] = []
    outside: list[str] = []
    opened.on("pageerror", lambda exc: errors.append(str(exc)))
    opened.on("request", lambda r: None if r.url.startswith((base, "data:"))
              else outside.append(r.url))
    yield opened
    context.close()
    assert errors == [] and outside == []


def test_searching_a_korean_label_finds_every_event_with_it(page: Page, base: str,
                                                             built: Path) -> None:
    """제재 is the Korean label of #sanctions: every event tagged so is found, not only
    those whose text happens to say 제재."""
    docs: list[dict[str, Any]] = json.loads(
        (built / "ko" / "search.json").read_bytes())["events"][::-1]
    tagged = [d["id"] for d in docs if "sanctions" in d["tag_slugs"]]
    saying = [d["id"] for d in docs if "sanctions" in d["tag_slugs"]
              or "제재" in " ".join((d["title"], d["summary"], d["body"], d["sources"]))]
    assert len(tagged) == 6 and set(tagged) <= set(saying)
    page.goto(base + "ko/")
    page.focus("#f-q")
    page.keyboard.type("제재", delay=20)
    page.wait_for_function("() => document.querySelectorAll('li.event:not([hidden])').length "
                           f"== {len(saying)}")
    assert shown(page) == saying


WORD_SPLITS = """() => {
  const split = [];
  for (const heading of document.querySelectorAll('h1, h3')) {
    const text = heading.firstChild;
    if (!text || text.nodeType !== Node.TEXT_NODE) continue;
    const words = [...text.data.matchAll(/[^\\s·,]+/g)];  // a line may break at · too
    for (const word of words) {
      const range = document.createRange();
      range.setStart(text, word.index);
      range.setEnd(text, word.index + word[0].length);
      const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
      if (lines.size > 1) split.push(word[0]);
    }
  }
  return split;
}"""


def test_korean_headlines_break_between_words(page: Page, base: str, built: Path) -> None:
    """At phone width no Korean word of a headline is cut over two lines (word-break:
    keep-all for :lang(ko)); English pages keep the browser's default."""
    page.set_viewport_size({"width": 375, "height": 800})
    events = sorted(p.parent.name for p in (built / "ko" / "events").glob("*/index.html"))
    wrapped = 0
    for slug in events:
        page.goto(f"{base}ko/events/{slug}/")
        assert page.evaluate("getComputedStyle(document.querySelector('h1')).wordBreak") \
            == "keep-all"
        assert page.evaluate(WORD_SPLITS) == [], slug
        wrapped += page.evaluate("document.querySelector('h1').getClientRects().length > 0 && "
                                 "document.querySelector('h1').offsetHeight > 60")
    assert wrapped > 3  # headlines that do wrap, so the check above is not empty
    page.goto(f"{base}events/{events[0]}/")
    assert page.evaluate("getComputedStyle(document.querySelector('h1')).wordBreak") \
        == "normal"


SHOTS = {"home": "ko/", "tag": "ko/tags/sanctions/",
         "event": "ko/events/2017-09-11-resolution-2375/", "404": "ko/404.html"}


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("name", sorted(SHOTS))
def test_korean_edition_screenshots(page: Page, base: str, name: str, width: int) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(base + SHOTS[name])
    assert page.locator("html").get_attribute("lang") == "ko"
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scroll
    target = ARTIFACTS / f"korean-{name}-{width}.png"
    page.screenshot(path=str(target), full_page=True)
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
