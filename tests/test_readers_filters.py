"""The filters as a reader carries them (static/assets/navigator.js, filters.js): every link
from one view to another keeps the URL's filters (the pager, the year strip, the language
switch, the matches on other pages), and a URL that asks for nothing says so and offers the
nearest alternatives, never silently showing something else. Without JavaScript the links
are the plain ones the build wrote.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import test_readers_home as home

from conftest import parse_html

# The real site and the 10,000-event site, built once for this module as for the home's tests.
real_dir, big_dir, real, big, opened = (home.real_dir, home.big_dir, home.real, home.big,
                                        home.opened)

CARRIED = "nav.pager a, #year-strip a, .language-switcher a, #other-matches a"


def _hrefs(page: Any) -> list[str]:
    return [h for h in page.eval_on_selector_all(
        CARRIED, "els => els.filter(a => !a.closest('[hidden]'))"
        ".map(a => a.getAttribute('href'))") if not h.startswith("#")]


def _query(href: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(href).query)


def test_links_to_other_views_keep_the_filters(opened: Any, big: str, big_dir: Path) -> None:
    rows = home._events(big_dir)
    tag = Counter(t for r in rows for t in r["tags"]).most_common(1)[0][0]
    built = [a.get("href") for a in parse_html(big_dir / "index.html").cssselect(
        "nav.pager a, #year-strip a")]
    assert built and not any("?" in h for h in built)  # without JavaScript: plain links
    page = opened()
    page.goto(f"{big}?tag={tag}&from=2000")
    page.wait_for_function("() => document.querySelectorAll('#other-matches ol a').length > 0")
    hrefs = _hrefs(page)
    kinds = {k: page.locator(f"{k} a").count() for k in ("nav.pager", "#other-matches")}
    assert all(kinds.values()), kinds
    assert hrefs and all(_query(h) == {"tag": [tag], "from": ["2000"]} for h in hrefs), hrefs
    # A change of filters moves every link with it, the others' list included.
    page.select_option("#f-from", "")
    page.wait_for_function("() => !location.search.includes('from=')")
    page.wait_for_function("() => Array.from(document.querySelectorAll('#other-matches ol a'))"
                           ".every(a => !a.getAttribute('href').includes('from='))")
    assert all(_query(h) == {"tag": [tag]} for h in _hrefs(page))
    # The next page opens with the filter on.
    page.click("nav.pager a[rel='next']")
    page.wait_for_url("**/page/2/?tag=*")
    assert page.input_value("#f-tag") == tag
    shown = page.eval_on_selector_all("li.event:not([hidden])",
                                      "els => els.map(li => li.dataset.tags.split(' '))")
    assert shown and all(tag in tags for tags in shown)
    page.select_option("#f-tag", "")
    page.wait_for_function("() => !location.search")
    assert not any("?" in h for h in _hrefs(page))


def test_the_language_switch_keeps_the_filters(opened: Any, real: str) -> None:
    page = opened()
    page.goto(f"{real}?status=confirmed")
    switch = page.locator(".language-switcher a[hreflang='ko']")
    page.wait_for_function("() => document.querySelector(\".language-switcher a[hreflang='ko']\")"
                           ".getAttribute('href').includes('?status=confirmed')")
    switch.click()
    page.wait_for_url("**/ko/?status=confirmed")
    assert page.input_value("#f-status") == "confirmed"
    statuses = page.eval_on_selector_all("li.event:not([hidden])",
                                         "els => els.map(li => li.dataset.status)")
    assert statuses and set(statuses) == {"confirmed"}
    assert page.locator("li.event[hidden]").count() > 0
