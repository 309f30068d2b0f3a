"""The home page as a reader meets it, on the real site and on a 10,000-event site, at 1280
and 375 px: a sticky year strip of one line, events in the first screen, honest totals
under filters, a numbered pager, and the overview as the navigator; axe-core and the Nu
HTML Checker on the pages; everything that matters still there with JavaScript off.

Each site is built once for the session (conftest.py); the 10,000 events come from bench/bench.py's
generator with its fixed seed, so every run meets the same site.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from test_browser import ARTIFACTS, AXE, AXE_URL, VNU, _require, serve

SIZES = {"desktop": (1280, 800), "desktop-900": (1280, 900), "phone": (375, 812)}


@pytest.fixture(scope="module")
def real_dir(real_site: Path) -> Path:
    return real_site


@pytest.fixture(scope="module")
def big_dir(big_site: Path) -> Path:
    """conftest's 10,000 events (bench/bench.py), built once for the session."""
    return big_site


@pytest.fixture(scope="module")
def real(real_dir: Path) -> Iterator[str]:
    with serve(real_dir) as url:
        yield url


@pytest.fixture(scope="module")
def big(big_dir: Path) -> Iterator[str]:
    with serve(big_dir) as url:
        yield url


def _open(browser: Browser, size: str = "desktop", **options: Any) -> tuple[BrowserContext,
                                                                            Page, list[str]]:
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height}, **options)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.route(f"**{AXE_URL}", lambda route: route.fulfill(path=AXE,
                                                           content_type="text/javascript"))
    return context, page, errors


@pytest.fixture
def opened(browser: Browser) -> Iterator[Any]:
    """``opened(size, **context options)`` gives a page; every script error fails the test."""
    made: list[tuple[BrowserContext, list[str]]] = []

    def make(size: str = "desktop", **options: Any) -> Page:
        context, page, errors = _open(browser, size, **options)
        made.append((context, errors))
        return page

    yield make
    for context, errors in made:
        context.close()
        assert errors == []


def _events(site: Path) -> list[dict[str, Any]]:
    data = json.loads((site / "nav.json").read_bytes())
    rows: list[list[Any]] = data["events"]
    return [{"id": r[0], "year": r[1], "status": r[2], "tags": r[3],
             "page": n // data["size"] + 1} for n, r in enumerate(rows)]


def _strip_height(page: Page) -> float:
    height: float = page.evaluate(
        "document.getElementById('year-strip').getBoundingClientRect().height")
    return height


# ---- 1. the sticky strip: one line, never more than 64 px --------------------------------

@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("which", ["real", "big"])
def test_sticky_year_strip_is_one_line_of_at_most_64_px(opened: Any, request: Any, size: str,
                                                        which: str) -> None:
    base = request.getfixturevalue(which)
    page = opened(size)
    page.goto(base)
    assert _strip_height(page) <= 64
    tops = page.eval_on_selector_all("#year-strip li", "els => els.map(e => e.offsetTop)")
    assert len(set(tops)) == 1 and len(tops) == (7 if which == "real" else 74)  # no wrapping
    page.mouse.wheel(0, 2500)
    page.wait_for_timeout(300)
    box = page.evaluate("document.getElementById('year-strip').getBoundingClientRect().toJSON()")
    assert box["top"] == 0 and box["height"] <= 64  # stuck at the top, still one line
    # The year being read is the one highlighted.
    reading = page.evaluate("""() => {
        const bottom = document.getElementById('year-strip').getBoundingClientRect().bottom;
        const under = [...document.querySelectorAll('section.year')].filter(
            s => s.getBoundingClientRect().top <= bottom + 48);
        return under[under.length - 1].id.slice(1); }""")
    current = page.eval_on_selector_all("#year-strip a[aria-current]",
                                        "els => els.map(a => a.textContent)")
    assert current == [reading]


def test_a_strip_wider_than_the_screen_scrolls_with_a_visible_cue(opened: Any,
                                                                   big: str) -> None:
    page = opened("phone")
    page.goto(big)
    strip = page.locator("#year-strip ul")
    sizes = strip.evaluate("ul => [ul.scrollWidth, ul.clientWidth, getComputedStyle(ul)"
                           ".overflowX, getComputedStyle(ul).backgroundImage]")
    assert sizes[0] > sizes[1] and sizes[2] == "auto"
    assert sizes[3].count("gradient") == 4  # fading edges and shadows where years are hidden
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 375  # the page does not


def test_year_link_to_another_page_shows_its_heading_below_the_strip(opened: Any,
                                                                     big: str) -> None:
    page = opened("phone")
    page.goto(big + "page/3/")
    page.click("#year-strip a:text-is('1990')")
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)
    assert re.search(r"/page/\d+/#y1990$", page.url)
    heading = page.evaluate("document.getElementById('h-y1990').getBoundingClientRect().top")
    assert _strip_height(page) <= heading < 812 / 2


# ---- 2. events in the first screen ---------------------------------------------------------

@pytest.mark.parametrize("size", ["desktop", "phone"])
@pytest.mark.parametrize("which", ["real", "big"])
def test_first_event_is_in_the_first_screen(opened: Any, request: Any, size: str,
                                            which: str) -> None:
    page = opened(size)
    page.goto(request.getfixturevalue(which))
    page.wait_for_timeout(200)
    title = page.evaluate(
        "document.querySelector('li.event .event-title').getBoundingClientRect().toJSON()")
    card = page.evaluate("document.querySelector('li.event').getBoundingClientRect().top")
    if size == "desktop":
        assert title["bottom"] <= 800  # the whole title, without scrolling
    else:
        assert card <= 812


def test_one_title_one_share_control_and_a_hint_only_with_a_keyboard(opened: Any,
                                                                     real: str) -> None:
    page = opened()
    page.goto(real)
    page.wait_for_timeout(300)
    assert page.eval_on_selector_all("h1", "els => els.map(h => h.textContent)") == [
        "North Korea: Industry, Labour and Sanctions"]
    headers = page.locator("header", has_text="North Korea: Industry, Labour and Sanctions")
    assert headers.count() == 1  # the header's title is the h1, not a second copy
    assert page.locator("button.copy-link:visible").count() == 1
    assert page.locator("li.event button").count() == 0
    assert page.locator("li.event .event-title a").count() == 17  # each keeps its permalink
    assert page.locator(".keys-hint").is_visible()
    phone = opened("phone", has_touch=True, is_mobile=True)
    phone.goto(real)
    phone.click("#filters-toggle")
    assert phone.locator("#controls").is_visible()
    assert not phone.locator(".keys-hint").is_visible()


def test_the_share_control_copies_the_filtered_view(browser: Browser, real: str) -> None:
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(real)
    page.select_option("#f-status", "disputed")
    page.click(".count-line .copy-link")
    assert page.evaluate("navigator.clipboard.readText()") == (
        "https://timeline.example.org/?status=disputed")
    context.close()


def test_korean_totals_come_from_the_catalog(real_dir: Path) -> None:
    strings = json.loads((real_dir / "ko" / "strings.json").read_bytes())
    assert strings["matches"] == {"other": "사건 {num}건 일치"}
    assert strings["{matches}; {here} on this page, {elsewhere} on {pages}"] == (
        "{matches}: 이 페이지에 {here}건, {pages}에 {elsewhere}건")
    assert strings["pages {first}–{last}"] == "{first}–{last}페이지"
    english = json.loads((real_dir / "strings.json").read_bytes())
    assert english["matches"] == {"one": "{num} event matches", "other": "{num} events match"}


def test_filters_fold_behind_one_button_on_a_phone(opened: Any, real: str) -> None:
    page = opened("phone")
    page.goto(real)
    toggle = page.locator("#filters-toggle")
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    assert not page.locator("#controls").is_visible()
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.locator("#f-q").is_visible()
    assert page.evaluate("document.activeElement.id") == "f-q"
    wide = opened()
    wide.goto(real)
    assert not wide.locator("#filters-toggle").is_visible()
    assert wide.locator("#f-q").is_visible()
    filtered = opened("phone")
    filtered.goto(real + "?status=disputed")  # a filtered link opens with its filters shown
    assert filtered.locator("#f-status").is_visible()


@pytest.mark.parametrize("which", ["real", "big"])
def test_at_most_five_tab_stops_from_the_top_to_the_first_event(opened: Any, request: Any,
                                                                which: str) -> None:
    page = opened()
    page.goto(request.getfixturevalue(which))
    first = page.evaluate("document.querySelector('li.event .event-title a').outerHTML")
    stops = 0
    while stops < 20:
        page.keyboard.press("Tab")
        stops += 1
        if page.evaluate("document.activeElement.classList.contains('skip-link')"):
            page.keyboard.press("Enter")  # the skip link a keyboard user meets first
        if page.evaluate("document.activeElement.outerHTML") == first:
            break
    assert stops <= 5
    # Without the skip link, the overview and the year strip are one stop each.
    page.goto(request.getfixturevalue(which))
    for group in (".overview-wide svg a", "#year-strip a"):
        assert page.eval_on_selector_all(
            group, "els => els.filter(a => a.tabIndex >= 0).length") == 1, group
    strip = page.locator("#year-strip a[tabindex='0']")
    assert strip.inner_text() == page.locator("#year-strip a[aria-current]").inner_text()
    strip.focus()
    page.keyboard.press("ArrowRight")
    second = page.locator("#year-strip li a").nth(1)
    assert page.evaluate("document.activeElement.textContent") == second.inner_text()
    assert second.get_attribute("tabindex") == "0"
    page.keyboard.press("End")
    last = page.locator("#year-strip li a").last
    assert page.evaluate("document.activeElement.textContent") == last.inner_text()
    page.keyboard.press("Home")
    assert page.evaluate("document.activeElement.textContent") == strip.inner_text()


# ---- 3. honest totals and every match listed -------------------------------------------

def test_a_filter_gives_the_true_total_and_lists_every_match(opened: Any, big: str,
                                                             big_dir: Path) -> None:
    events = _events(big_dir)
    page = opened()
    page.goto(big + "?status=disputed")
    # Long lists fill in by batches after the first screenful: wait for the whole list.
    page.wait_for_selector("#other-matches:not([hidden]) ol:not([aria-busy]) li")
    matching = [e for e in events if e["status"] == "disputed"]
    here = [e for e in matching if e["page"] == 1]
    elsewhere = sorted({e["page"] for e in matching if e["page"] != 1})
    assert page.inner_text("#event-count") == (
        f"{len(matching):,} events match; {len(here)} on this page, "
        f"{len(matching) - len(here):,} on pages {elsewhere[0]}–{elsewhere[-1]}")
    listed = page.eval_on_selector_all("#other-matches li a",
                                       "els => els.map(a => a.getAttribute('href'))")
    assert len(listed) == len(matching) - len(here) > 200  # never a silent cap
    # Each row links to its card on its page, with the filter (test_readers_filters.py).
    assert listed[0] == f"page/{elsewhere[0]}/?status=disputed#" + next(
        e["id"] for e in matching if e["page"] == elsewhere[0])
    assert len(page.locator("li.event:visible").all()) == len(here)


def test_a_year_filter_with_nothing_on_this_page_names_where_the_matches_are(
        opened: Any, big: str, big_dir: Path) -> None:
    events = _events(big_dir)
    page = opened()
    page.goto(big + "?from=1990&to=1990")
    page.wait_for_selector("#other-matches:not([hidden]) li")
    matching = [e for e in events if e["year"] == 1990]
    pages = sorted({e["page"] for e in matching})
    assert page.inner_text("#event-count") == (
        f"{len(matching)} events match; 0 on this page, {len(matching)} on pages "
        f"{pages[0]}–{pages[-1]}")
    assert page.locator("#no-match").is_hidden()
    # Years no event matches leave the strip.
    assert page.eval_on_selector_all("#year-strip li:not([hidden])",
                                     "els => els.map(li => li.dataset.year)") == ["1990"]


# ---- 4. the overview is the navigator ----------------------------------------------------

def test_a_filter_dims_the_marks_and_counts_per_year_follow_it(opened: Any, real: str,
                                                               real_dir: Path) -> None:
    events = _events(real_dir)
    page = opened()
    page.goto(real + "?status=disputed")
    page.wait_for_selector(".overview-wide a.is-out")
    out = page.eval_on_selector_all(".overview-wide a[data-id].is-out",
                                    "els => els.map(a => a.dataset.id)")
    assert sorted(out) == sorted(e["id"] for e in events if e["status"] != "disputed")
    counts = page.eval_on_selector_all(
        ".overview-wide .ov-density [data-from]",
        "els => Object.fromEntries(els.map(b => [b.dataset.from, Number(b.dataset.matching)]))")
    disputed = Counter(str(e["year"]) for e in events if e["status"] == "disputed")
    assert counts == {y: disputed.get(y, 0) for y in counts} and sum(counts.values()) >= 1


def test_bars_of_ten_thousand_events_follow_the_filters(opened: Any, big: str,
                                                        big_dir: Path) -> None:
    events = _events(big_dir)
    page = opened()
    page.goto(big + "?tag=masks")
    page.wait_for_selector("#other-matches:not([hidden])")
    bars = page.eval_on_selector_all(
        ".overview-wide .ov-bars a", "els => els.map(b => [Number(b.dataset.from),"
        " Number(b.dataset.to), Number(b.dataset.matching), Number(b.dataset.count),"
        " Number(b.querySelector('.ov-hit').getAttribute('height')),"
        " Number(b.querySelector('rect').getAttribute('height'))])")
    for start, end, matching, count, hit, full in bars:
        inside = [e for e in events if start <= e["year"] <= end]
        assert count == len(inside)
        assert matching == sum("masks" in e["tags"] for e in inside)
        assert hit == pytest.approx(full * matching / count, abs=0.01)


def test_decade_bars_count_only_their_own_years_under_a_filter(opened: Any, big: str,
                                                               big_dir: Path) -> None:
    """(A year filter zooms the strip, whose bars zoom.js counts: see
    test_navigator_zoom.py.)"""
    events = _events(big_dir)
    page = opened("phone")  # the narrow strip counts by decade
    page.goto(big + "?tag=masks")
    page.wait_for_selector("#other-matches:not([hidden])")
    bars = page.eval_on_selector_all(
        ".overview-narrow .ov-bars a", "els => els.map(b => [Number(b.dataset.from),"
        " Number(b.dataset.to), Number(b.dataset.matching), b.classList.contains('is-out')])")
    assert bars and all(end - start >= 9 for start, end, _, _ in bars)
    for start, end, matching, out in bars:
        assert matching == sum(start <= e["year"] <= end and "masks" in e["tags"]
                               for e in events)
        assert out == (matching == 0)


def test_overview_is_one_tab_stop_with_arrow_keys_and_labels(opened: Any, real: str) -> None:
    page = opened()
    page.goto(real)
    marks = page.locator(".overview-wide .ov-marks > a")
    marks.first.focus()
    names = page.eval_on_selector_all(".overview-wide .ov-marks > a title",
                                      "els => els.map(t => t.textContent)")
    assert page.inner_text("#overview-tip") == names[0]  # a label on focus
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.dataset.id") == marks.nth(1).get_attribute(
        "data-id")
    assert page.inner_text("#overview-tip") == names[1]
    assert marks.nth(0).get_attribute("tabindex") == "-1"
    assert marks.nth(1).get_attribute("tabindex") == "0"
    page.keyboard.press("End")
    assert page.evaluate("document.activeElement.dataset.id") == marks.last.get_attribute(
        "data-id")
    page.keyboard.press("Home")
    assert page.evaluate("document.activeElement.dataset.id") == marks.first.get_attribute(
        "data-id")
    marks.nth(3).hover()
    assert page.inner_text("#overview-tip") == names[3]  # and on hover
    # Shift and arrows choose a range of years: the year filter.
    marks.first.focus()
    page.keyboard.down("Shift")  # held, as a reader holds it: the strip zooms on release
    page.keyboard.press("ArrowRight")
    page.keyboard.press("End")
    page.keyboard.up("Shift")
    assert (page.input_value("#f-from"), page.input_value("#f-to")) == ("2016", "2023")
    page.keyboard.press("Escape")
    assert (page.input_value("#f-from"), page.input_value("#f-to")) == ("", "")


def test_a_tap_shows_the_label_before_following_the_mark(opened: Any, real: str) -> None:
    page = opened("phone", has_touch=True, is_mobile=True)
    page.goto(real)
    mark = page.locator(".overview-narrow svg a").nth(2)
    mark.tap()
    assert page.inner_text("#overview-tip") == mark.locator("title").text_content()
    assert "#" not in page.url
    mark.tap()
    page.wait_for_timeout(300)
    assert page.url.endswith(mark.get_attribute("href") or "?")


def test_dragging_across_the_axis_sets_the_year_filter(opened: Any, real: str) -> None:
    page = opened()
    page.goto(real)
    box = page.locator(".overview-wide svg").bounding_box()
    assert box is not None
    y = box["y"] + box["height"] - 10
    # The axis runs 2016–2024 over 768 of the strip's 800 units: 30% of the way is in 2018,
    # 70% in 2021. The filter takes the nearest years that have events: 2019 to 2021.
    page.mouse.move(box["x"] + box["width"] * 0.30, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.5, y, steps=5)
    page.mouse.move(box["x"] + box["width"] * 0.70, y, steps=5)
    page.mouse.up()
    page.wait_for_timeout(200)
    start, end = page.input_value("#f-from"), page.input_value("#f-to")
    assert (start, end) == ("2019", "2021")
    assert "from=2019" in page.url and "to=2021" in page.url
    years = page.eval_on_selector_all("li.event:not([hidden])",
                                      "els => els.map(li => Number(li.dataset.year))")
    assert years and all(2019 <= y <= 2021 for y in years)


def test_clicking_a_mark_shows_its_event_below_the_strip(opened: Any, real: str) -> None:
    page = opened("phone")
    page.goto(real)
    mark = page.locator(".overview-narrow .ov-marks > a").last  # the latest, listed first
    target = (mark.get_attribute("href") or "").lstrip("#")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    mark.evaluate("a => a.dispatchEvent(new MouseEvent('click', {bubbles: true, "
                  "cancelable: true}))")
    page.wait_for_timeout(300)
    assert page.url.endswith("#" + target)
    top = page.evaluate(f"document.getElementById('{target}').getBoundingClientRect().top")
    assert _strip_height(page) <= top < 812 / 2


def test_clicking_a_bar_shows_its_year_below_the_strip(opened: Any, big: str) -> None:
    page = opened()
    page.goto(big)
    bar = page.locator(".overview-wide .ov-bars a[data-from='1975']")
    bar.click()
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)
    assert page.url.endswith("#y1975")
    top = page.evaluate("document.getElementById('h-y1975').getBoundingClientRect().top")
    assert _strip_height(page) <= top < 400


@pytest.mark.parametrize("size", ["desktop", "phone"])
@pytest.mark.parametrize("which", ["real", "big"])
def test_overview_fits_the_width_and_era_labels_never_overlap(opened: Any, request: Any,
                                                              size: str, which: str) -> None:
    page = opened(size)
    page.goto(request.getfixturevalue(which))
    width = SIZES[size][0]
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    svg = page.locator(".overview-wide svg" if size == "desktop" else ".overview-narrow svg")
    box = svg.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    labels = svg.evaluate("svg => [...svg.querySelectorAll('.ov-era text')].map(t => {"
                          " const b = t.getBoundingClientRect(); return [b.left, b.top,"
                          " b.right, b.bottom]; })")
    for i, a in enumerate(labels):
        assert a[0] >= box["x"] - 1 and a[2] <= box["x"] + box["width"] + 1
        for b in labels[i + 1:]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)


def test_legend_says_what_is_drawn_at_each_scale(real_dir: Path, big_dir: Path) -> None:
    import lxml.html

    real = lxml.html.fromstring((real_dir / "index.html").read_bytes())
    wide = " ".join(real.cssselect(".overview-wide .overview-key")[0].text_content().split())
    assert "colour and shape give its status: confirmed · reported · disputed" in wide
    assert "grey bars: events per year" in wide and "period" in wide
    big = lxml.html.fromstring((big_dir / "index.html").read_bytes())
    keys = [" ".join(k.text_content().split()) for k in big.cssselect(".overview-key")]
    assert "Each bar counts the events of one year (the tallest: 164)" in keys[0]
    assert "Each bar counts the events of one decade (the tallest: 1,429)" in keys[1]
    assert not big.cssselect(".overview-key .key-fuzzy")  # no mark symbols beside bars


# ---- audits, JavaScript off, screenshots ---------------------------------------------------

AUDITED = {"real-home": ("real", ""), "real-filtered": ("real", "?status=reported&from=2017"),
           "big-home": ("big", ""), "big-filtered": ("big", "?from=1990&to=1991"),
           "big-page": ("big", "page/20/")}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", AUDITED)
def test_axe_finds_no_violations(opened: Any, request: Any, name: str, scheme: str) -> None:
    _require(AXE, "npm ci")
    which, path = AUDITED[name]
    base = request.getfixturevalue(which)
    page = opened()
    page.emulate_media(color_scheme=scheme)
    page.goto(base + path)
    if "filtered" in name:  # dimmed by the filters, or zoomed to their years (zoom.js)
        page.wait_for_selector(".overview-wide .is-out, .overview-wide svg[data-zoomed]")
    page.add_script_tag(url=base.rstrip("/") + AXE_URL)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    violations = [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]]
    assert violations == []
    assert len(result["passes"]) > 20


def test_nu_html_checker_finds_no_errors_in_the_big_site_lists(big_dir: Path,
                                                               tmp_path: Path) -> None:
    _require(VNU, "npm ci")
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is missing: apt-get install default-jre-headless")
    pages = [big_dir / "index.html", big_dir / "page/2/index.html",
             big_dir / "page/40/index.html", big_dir / "years/1990/index.html",
             big_dir / "tags/masks/page/3/index.html"]
    run = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "json",
                          *map(str, pages)], capture_output=True, text=True, timeout=300,
                         check=False)
    messages = json.loads(run.stderr or run.stdout)["messages"]
    assert [(m.get("url", "").rsplit("/site/", 1)[-1], m.get("lastLine"), m["message"])
            for m in messages] == []
    assert run.returncode == 0


def test_without_javascript_the_list_pager_and_year_links_work(opened: Any, big: str) -> None:
    page = opened(java_script_enabled=False)
    page.goto(big)
    assert page.locator("li.event:visible").count() == 250
    assert not page.locator("#controls").is_visible()
    assert not page.locator("#filters-toggle").is_visible()
    page.click("nav.pager a:text-is('Last »')")
    assert page.url.endswith("/page/40/")
    assert page.locator("nav.pager a[aria-current='page']").inner_text().endswith("40")
    page.click("nav.pager a[href$='page/38/']")
    assert page.url.endswith("/page/38/")
    page.click("#year-strip a:text-is('1960')")
    page.wait_for_load_state()  # another page: its heading is there once it has loaded
    assert re.search(r"/page/\d+/#y1960$", page.url)
    page.locator("#h-y1960").wait_for(state="visible", timeout=5000)
    page.click(".overview-wide .ov-bars a[data-from='2001']")
    page.wait_for_load_state()
    assert page.url.endswith("#y2001")
    page.locator("#h-y2001").wait_for(state="visible", timeout=5000)


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("which", ["real", "big"])
def test_home_screenshots(opened: Any, request: Any, which: str, width: int) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page = opened("desktop" if width == 1280 else "phone")
    page.goto(request.getfixturevalue(which))
    page.wait_for_timeout(300)
    target = ARTIFACTS / f"readers-home-{which}-{width}.png"
    page.screenshot(path=str(target))
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
