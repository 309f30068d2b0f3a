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


def _why(page: Any) -> str:
    page.wait_for_function("() => !document.getElementById('no-match').hidden")
    return " ".join(page.inner_text("#no-match .no-match-why").split())


def test_an_empty_year_says_so_and_links_the_nearest_years(opened: Any, real: str,
                                                            real_dir: Path) -> None:
    years = {r["year"] for r in home._events(real_dir)}
    assert 2018 not in years and {2017, 2019} <= years  # the real site's gap
    page = opened()
    page.goto(f"{real}?from=2018&to=2018&status=confirmed")
    assert page.locator("li.event:not([hidden])").count() == 0
    assert _why(page) == "No events in 2018 · 2017 · 2019"
    assert (page.input_value("#f-from"), page.input_value("#f-to")) == ("2018", "2018")
    links = page.locator("#no-match .no-match-why a")
    assert [_query(links.nth(i).get_attribute("href") or "") for i in range(2)] == [
        {"from": [str(y)], "to": [str(y)], "status": ["confirmed"]} for y in (2017, 2019)]
    links.first.click()
    page.wait_for_url(lambda url: _query(url) == {"from": ["2017"], "to": ["2017"],
                                                  "status": ["confirmed"]})
    shown = page.eval_on_selector_all("li.event:not([hidden])", "els => els.map(li =>"
                                      " [Number(li.dataset.year), li.dataset.status])")
    assert shown and all(y == 2017 and s == "confirmed" for y, s in shown)
    assert page.locator("#no-match").is_hidden()


def test_an_unknown_tag_says_so_and_links_all_tags_in_both_languages(
        opened: Any, real: str, real_dir: Path) -> None:
    total = len(home._events(real_dir))
    page = opened()
    page.goto(f"{real}?tag=nope&from=2017")
    assert _why(page) == "No tag “nope” · All tags"
    page.click("#no-match .no-match-why a")
    page.wait_for_url(lambda url: _query(url) == {"from": ["2017"]})
    assert page.locator("li.event:not([hidden])").count() > 0
    page.goto(f"{real}ko/?from=2018&to=2018")
    assert _why(page) == "2018년: 사건 없음 · 2017년 · 2019년"
    page.goto(f"{real}ko/")
    assert page.locator("li.event:not([hidden])").count() == total


def test_dragging_across_an_empty_year_chooses_it_and_says_so(opened: Any, real: str) -> None:
    page = opened()
    page.goto(real)
    svg = page.locator(".overview-wide svg")
    box = svg.bounding_box()
    assert box is not None
    start, end, pad = (float(svg.get_attribute(f"data-{k}") or "nan")
                       for k in ("start", "end", "pad"))
    width = page.evaluate("document.querySelector('.overview-wide svg').viewBox.baseVal.width")

    def x_of(year: float) -> float:
        return box["x"] + (pad + (year - start) / (end - start) * (width - 2 * pad)) \
            / width * box["width"]

    y = box["y"] + box["height"] - 10
    page.mouse.move(x_of(2018.2), y)
    page.mouse.down()
    page.mouse.move(x_of(2018.8), y, steps=6)
    page.mouse.up()
    page.wait_for_function("() => document.querySelector('.overview-wide svg').dataset.start"
                           " === '2018'")
    assert (page.input_value("#f-from"), page.input_value("#f-to")) == ("2018", "2018")
    assert "from=2018" in page.url and "to=2018" in page.url
    assert page.locator("li.event:not([hidden])").count() == 0
    assert _why(page) == "No events in 2018 · 2017 · 2019"
    assert page.evaluate("document.querySelector('.overview-wide svg').dataset.end") == "2019"


def test_on_a_phone_the_count_comes_into_view_as_a_reader_types(browser: Any,
                                                                real: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True,
                                  is_mobile=True)
    page = context.new_page()
    page.goto(real)
    page.click("#filters-toggle")
    page.locator("#f-q").scroll_into_view_if_needed()
    page.locator("#f-q").type("kaesong", delay=30)
    page.wait_for_function("() => document.getElementById('event-count').textContent"
                           ".includes('matching')")
    page.wait_for_timeout(300)
    inside = """sel => { const r = document.querySelector(sel).getBoundingClientRect();
                         return r.top >= 0 && r.bottom <= innerHeight - 4; }"""
    assert page.evaluate(inside, "#event-count")
    assert page.evaluate(inside, "#f-q")  # the box typed in stays in view too
    assert page.evaluate("document.activeElement.id") == "f-q"
    context.close()
