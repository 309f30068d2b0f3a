"""The overview zoomed to the year filter (static/assets/zoom.js), as a reader meets it on
the real site, on a 10,000-event site and on a site of month bars: dragging, Shift and
arrows, the filter form and the URL zoom the axis to exactly the chosen years; "Show all
years" and Escape restore it and clear the filter; bars at every scale are as tall as their
events, with the part matching the filters drawn over them; the legend says what is drawn;
axe-core finds nothing in the zoomed state; without JavaScript nothing changes.

Positions are read back from the drawn SVG and checked against the layout overview.py uses
(``moment``/``day_end`` of each event's first and last day over the zoomed years).
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import lxml.html
import pytest
import test_readers_home as home
from playwright.sync_api import Browser, Page

from generator.build import build_site
from generator.content.dates import days_in
from generator.site.overview import PAD, RADIUS
from generator.site.overview_time import day_end, moment

from test_browser import AXE, AXE_URL, _require, serve

# The real site and the 10,000-event site, built once for this module as for the home's tests.
real_dir, big_dir, real, big, opened = (home.real_dir, home.big_dir, home.real, home.big,
                                        home.opened)

SVG_WIDE = ".overview-wide svg"


def _ymd(n: int) -> tuple[int, int, int]:
    y = n // 10000
    rest = n - y * 10000
    return y, rest // 100, rest % 100


def _rows(site: Path, prefix: str = "") -> list[dict[str, Any]]:
    data = json.loads((site / prefix / "nav.json").read_bytes())
    return [{"id": r[0], "year": r[1], "status": r[2], "tags": r[3], "first": r[7],
             "last": r[8]} for r in data["events"]]


def _zoomed(page: Page, start: int, end: int, which: str = SVG_WIDE) -> None:
    """Wait until the strip is drawn for [start, end)."""
    page.wait_for_function(
        "([sel, a, b]) => { const s = document.querySelector(sel);"
        " return s.dataset.zoomed === 'yes' && s.dataset.start === String(a)"
        " && s.dataset.end === String(b); }", arg=[which, start, end])


def _labels(page: Page, which: str = SVG_WIDE) -> list[str]:
    return page.eval_on_selector_all(f"{which} .ov-axis text",  # type: ignore[no-any-return]
                                     "els => els.map(t => t.textContent)")


def _lefts(page: Page) -> dict[str, tuple[float, int, str]]:
    """Each mark's left edge and width as drawn (a diamond's box is one unit inside its
    points), with its first and last day."""
    return {r[0]: (r[1], r[2], r[3]) for r in page.eval_on_selector_all(
        f"{SVG_WIDE} .ov-marks > a", """els => els.map(a => {
          const r = a.querySelector('rect:not(.ov-target)');  // the shape, not the hit area
          let left, width;
          if (r) { left = Number(r.getAttribute('x')); width = Number(r.getAttribute('width')); }
          else { const xs = a.querySelector('polygon').getAttribute('points').split(' ')
                   .map(p => Number(p.split(',')[0]));
                 left = Math.min(...xs) + 1; width = 10; }
          return [a.dataset.id, left, Number(a.dataset.first), a.dataset.last]; })""")}


def _expected_left(first: int, last: str, start: int, end: int, width: int = 800) -> float:
    """Where overview.py's ``_mark_box`` puts a mark on an axis from ``start`` to ``end``."""
    scale = lambda t: PAD + (t - start) / (end - start) * (width - 2 * PAD)  # noqa: E731
    x0 = scale(moment(_ymd(first)))
    x1 = scale(min(day_end(_ymd(int(last))), end) if last else end)
    return (x0 + x1) / 2 - RADIUS if x1 - x0 < 2 * RADIUS else x0


def _check_marks(page: Page, rows: list[dict[str, Any]], start: int, end: int) -> None:
    """The marks drawn are the events of [start, end), each where overview.py would put it
    on that axis: further apart than on the whole strip (2016-2024)."""
    drawn = _lefts(page)
    assert set(drawn) == {r["id"] for r in rows if start <= r["year"] < end}
    for left, first, last in drawn.values():
        assert left == pytest.approx(_expected_left(first, last, start, end), abs=0.1)
    lefts = sorted(left for left, _, _ in drawn.values())
    whole = sorted(_expected_left(f, la, 2016, 2024) for _, f, la in drawn.values())
    assert len(lefts) < 2 or lefts[-1] - lefts[0] > (whole[-1] - whole[0]) * 1.5


def _week(n: int) -> tuple[int, int, int]:
    y, m, d = _ymd(n)
    return y, m, min(3, (d - 1) // 7)


# ---- the real site ------------------------------------------------------------------------

def test_dragging_zooms_the_axis_and_show_all_years_restores_it(opened: Any, real: str,
                                                                real_dir: Path) -> None:
    rows = _rows(real_dir)
    page = opened()
    page.goto(real)
    full = _labels(page)
    assert page.locator(".ov-zoom").is_hidden()
    box = page.locator(SVG_WIDE).bounding_box()
    assert box is not None
    y = box["y"] + box["height"] - 10
    page.mouse.move(box["x"] + box["width"] * 0.30, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.70, y, steps=8)
    page.mouse.up()
    _zoomed(page, 2019, 2022)  # the filter's years, 2019 to 2021
    assert (page.input_value("#f-from"), page.input_value("#f-to")) == ("2019", "2021")
    assert _labels(page) == ["2019", "2020", "2021", "2022"]
    _check_marks(page, rows, 2019, 2022)
    # The density under the marks is by week at this scale, and the legend says so.
    key = " ".join(page.inner_text(".overview-wide .overview-key").split())
    assert "grey bars: events per week" in key and "per year" not in key
    bins = page.eval_on_selector_all(f"{SVG_WIDE} .ov-density > g", "els => els.map(g =>"
                                     " [Number(g.dataset.first), Number(g.dataset.last),"
                                     " Number(g.dataset.count)])")
    inside = [r for r in rows if 2019 <= r["year"] <= 2021]
    assert sum(c for _, _, c in bins) == len(inside)
    for first, last, count in bins:
        assert _week(first) == _week(last)
        assert count == sum(first <= r["first"] <= last for r in inside)
    assert page.inner_text(".ov-zoom span") == "Zoomed to 2019 – 2021."
    # One Tab stop still, and the way back is the next one.
    assert page.locator(f"{SVG_WIDE} a[tabindex='0']").count() == 1
    page.locator(f"{SVG_WIDE} a[tabindex='0']").focus()
    page.keyboard.press("Shift+Tab")  # the strip itself is never a Tab stop
    assert page.evaluate("!(document.activeElement instanceof SVGElement)")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('tabindex')") == "0"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Show all years"
    page.keyboard.press("Enter")
    page.wait_for_function("() => !document.querySelector('.overview-wide svg').dataset.zoomed")
    assert page.evaluate("document.activeElement.closest('.overview-wide .ov-marks') !== null"
                         " && document.activeElement.getAttribute('tabindex') !== '-1'")
    assert (page.input_value("#f-from"), page.input_value("#f-to")) == ("", "")
    assert "from=" not in page.url and _labels(page) == full
    assert page.locator(f"{SVG_WIDE} .ov-marks > a").count() == len(rows)
    assert page.locator(".ov-zoom").is_hidden()
    assert page.locator("li.event:not([hidden])").count() == len(rows)


def test_shift_and_arrows_zoom_when_the_range_is_chosen_and_escape_restores(
        opened: Any, real: str, real_dir: Path) -> None:
    rows = _rows(real_dir)
    page = opened()
    page.goto(real)
    full = _labels(page)
    marks = page.locator(f"{SVG_WIDE} .ov-marks > a")
    marks.first.focus()  # the earliest event, 2016
    page.keyboard.down("Shift")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    page.wait_for_timeout(300)
    assert page.locator(f"{SVG_WIDE}[data-zoomed]").count() == 0  # still choosing
    page.keyboard.up("Shift")
    years = sorted(r["year"] for r in rows)
    start, end = years[0], years[3]
    assert (page.input_value("#f-from"), page.input_value("#f-to")) == (str(start), str(end))
    _zoomed(page, start, end + 1)
    _check_marks(page, rows, start, end + 1)
    # The keyboard stays on the strip: the first mark of the range, one Tab stop.
    assert page.evaluate("document.activeElement === document.querySelector("
                         "'.overview-wide .ov-marks > a')")
    assert page.evaluate("document.activeElement.getAttribute('tabindex')") == "0"
    page.keyboard.press("ArrowRight")
    assert page.inner_text("#overview-tip") == page.evaluate(
        "document.activeElement.querySelector('title').textContent")
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.querySelector('.overview-wide svg').dataset.zoomed")
    assert (page.input_value("#f-from"), page.input_value("#f-to")) == ("", "")
    assert _labels(page) == full


def test_years_set_in_the_form_or_the_url_zoom_and_clearing_them_restores(
        opened: Any, real: str, real_dir: Path) -> None:
    rows = _rows(real_dir)
    page = opened()
    page.goto(real)
    full = _labels(page)
    page.select_option("#f-from", "2017")
    page.select_option("#f-to", "2017")
    _zoomed(page, 2017, 2018)
    months = ["Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    assert _labels(page) == ["2017", *months, "2018"]  # a year: every month on a wide strip
    assert _labels(page, ".overview-narrow svg") == ["2017", "Apr", "Jul", "Oct", "2018"]
    _check_marks(page, rows, 2017, 2018)
    page.select_option("#f-from", "")
    _zoomed(page, 2016, 2018)  # only "to": from the strip's start
    page.select_option("#f-from", "2020")
    page.select_option("#f-to", "")
    _zoomed(page, 2020, 2024)  # only "from": to the strip's end
    _check_marks(page, rows, 2020, 2024)
    page.select_option("#f-from", "")
    page.wait_for_function("() => !document.querySelector('.overview-wide svg').dataset.zoomed")
    assert _labels(page) == full and page.locator(".ov-zoom").is_hidden()
    page.goto(real + "?from=2020&to=2020")
    _zoomed(page, 2020, 2021)
    _check_marks(page, rows, 2020, 2021)


def test_a_korean_zoomed_strip_speaks_korean(opened: Any, real: str, real_dir: Path) -> None:
    page = opened()
    page.goto(real + "ko/?from=2017&to=2017")
    _zoomed(page, 2017, 2018)
    labels = _labels(page)
    assert labels[0] == "2017년" and labels[1] == "2월" and labels[-1] == "2018년"
    assert page.inner_text(".ov-reset") == "모든 연도 보기"
    assert page.inner_text(".ov-zoom span") == "2017년 구간을 확대해 보여 줍니다."
    assert "회색 막대: 주별 사건 수" in page.inner_text(".overview-wide .overview-key")


def test_a_zoomed_strip_fits_a_phone(opened: Any, real: str, big: str) -> None:
    for base in (real, big):
        page = opened("phone")
        page.goto(base + "?from=1990&to=1991" if base == big else base + "?from=2017&to=2019")
        narrow = ".overview-narrow svg"
        page.wait_for_selector(f"{narrow}[data-zoomed]")
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 375
        for selector in (narrow, ".ov-reset"):
            box = page.locator(selector).bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375
        assert page.locator(".ov-reset").is_visible()


# ---- 10,000 events: bars at every scale follow the filters ---------------------------------

def _bars(page: Page, which: str = SVG_WIDE) -> list[list[float]]:
    return page.eval_on_selector_all(  # type: ignore[no-any-return]
        f"{which} .ov-bars > a", "els => els.map(b => [Number(b.dataset.first),"
        " Number(b.dataset.last), Number(b.dataset.count), Number(b.dataset.matching),"
        " Number(b.querySelector('rect').getAttribute('height')),"
        " Number(b.querySelector('.ov-hit').getAttribute('height'))])")


def test_ten_thousand_events_zoom_to_week_bars_that_follow_a_tag(opened: Any, big: str,
                                                                 big_dir: Path) -> None:
    rows = [r for r in _rows(big_dir) if 1990 <= r["year"] <= 1991]
    page = opened()
    page.goto(big + "?from=1990&to=1991")
    _zoomed(page, 1990, 1992)
    assert _labels(page) == ["1990", "Apr", "Jul", "Oct", "1991", "Apr", "Jul", "Oct", "1992"]
    before = _bars(page)
    assert sum(b[2] for b in before) == len(rows)
    peak = max(b[2] for b in before)
    for first, last, count, matching, full, hit in before:
        assert _week(first) == _week(last) and first // 10000 in (1990, 1991)
        assert count == sum(first <= r["first"] <= last for r in rows) == matching
        assert full == pytest.approx(max(2, 72 * count / peak), abs=0.06)
        assert hit == pytest.approx(full, abs=0.06)
    key = " ".join(page.inner_text(".overview-wide .overview-key").split())
    assert f"Each bar counts the events of one week (the tallest: {peak:,})" in key
    page.select_option("#f-tag", "masks")
    page.wait_for_function("() => [...document.querySelectorAll('.overview-wide .ov-bars > a')]"
                           ".some(b => b.dataset.matching !== b.dataset.count)")
    after = _bars(page)
    assert [b[:3] for b in after] == [b[:3] for b in before]  # the same bars, as tall
    for first, last, count, matching, full, hit in after:
        masks = sum(first <= r["first"] <= last and "masks" in r["tags"] for r in rows)
        assert matching == masks
        assert hit == pytest.approx(full * masks / count, abs=0.06)
    assert sum(b[5] for b in after) < sum(b[5] for b in before)
    out = page.eval_on_selector_all(f"{SVG_WIDE} .ov-bars > a.is-out",
                                    "els => els.map(b => Number(b.dataset.matching))")
    assert out and set(out) == {0} and len(out) == sum(b[3] == 0 for b in after)
    # Each bar leads to its first matching event in the list's order (else its first).
    hrefs = page.eval_on_selector_all(f"{SVG_WIDE} .ov-bars > a", "els => els.map(b =>"
                                      " b.getAttribute('href'))")
    for (first, last, *_), href in zip(after, hrefs, strict=True):
        inside = [r for r in rows if first <= r["first"] <= last]
        lead = next((r for r in inside if "masks" in r["tags"]), inside[0])
        assert href.endswith("#" + lead["id"])
    # The narrow strip zooms too, with coarser bins (months) where there is less room.
    narrow = _bars(page, ".overview-narrow svg")
    assert sum(b[2] for b in narrow) == len(rows)
    assert all(_ymd(int(a))[:2] == _ymd(int(b))[:2] and _ymd(int(a))[2] == 1
               for a, b, *_ in narrow)


def test_dragging_on_ten_thousand_events_zooms_to_month_bars(opened: Any, big: str,
                                                             big_dir: Path) -> None:
    page = opened()
    page.goto(big)
    box = page.locator(SVG_WIDE).bounding_box()
    assert box is not None
    start, end = (float(page.get_attribute(SVG_WIDE, n) or 0) for n in ("data-start",
                                                                        "data-end"))
    x = lambda year: box["x"] + box["width"] * (PAD + (year + 0.5 - start)  # noqa: E731
                                                / (end - start) * 768) / 800
    y = box["y"] + box["height"] - 10
    page.mouse.move(x(2000), y)
    page.mouse.down()
    page.mouse.move(x(2004), y, steps=8)
    page.mouse.up()
    _zoomed(page, 2000, 2005)
    assert _labels(page) == ["2000", "2001", "2002", "2003", "2004", "2005"]
    bars = _bars(page)
    rows = [r for r in _rows(big_dir) if 2000 <= r["year"] <= 2004]
    assert sum(b[2] for b in bars) == len(rows) and sum(b[3] for b in bars) == len(rows)
    assert all(_ymd(int(a))[2] == 1 and _ymd(int(b))[2] == days_in(*_ymd(int(b))[:2])
               for a, b, *_ in bars)  # whole months
    key = " ".join(page.inner_text(".overview-wide .overview-key").split())
    assert "Each bar counts the events of one month" in key
    # A bar leads to its first event, on whichever page it is listed.
    target = page.get_attribute(f"{SVG_WIDE} .ov-bars > a", "href") or ""
    assert "#" in target and any(target.endswith("#" + r["id"]) for r in rows)


# ---- a site drawn with month bars: they follow the filters too ------------------------------

@pytest.fixture(scope="module")
def months_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """400 events over 2018-2020: too many for marks, few enough years for month bars; and
    a period in the first half of 2018."""
    folder = tmp_path_factory.mktemp("zoom-months")
    rng = random.Random(7)  # noqa: S311 (fixed content, not secrets)
    (folder / "timeline.toml").write_text('title = "Months"\n', "utf-8")
    events = folder / "content" / "events"
    events.mkdir(parents=True)
    for i in range(400):
        date = f"{rng.randint(2018, 2020)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        tag = rng.choice(["alpha", "beta", "gamma"])
        (events / f"e{i:03d}.md").write_text(
            f'---\ntitle: "Event {i}"\ndate: "{date}"\nstatus: confirmed\ntags: [{tag}]\n'
            "sources:\n  - publisher: Example\n    title: Report\n"
            "    url: https://example.org/r\n---\nText.\n", "utf-8")
    for name, date in (("start", "2018-02-10"), ("end", "2018-05-20")):
        (events / f"{name}.md").write_text(
            f'---\ntitle: "Period {name}"\ndate: "{date}"\nstatus: reported\ntags: [beta]\n'
            "sources:\n  - publisher: Example\n    title: Report\n"
            "    url: https://example.org/r\n---\nText.\n", "utf-8")
    (folder / "content" / "eras.yaml").write_text(
        '- title: Spring period\n  start: "2018-02-10"\n  end: "2018-05-20"\n', "utf-8")
    build_site(folder, folder / "site", use_cache=False)
    with serve(folder / "site") as url:
        yield url, folder / "site"


def test_month_bars_follow_the_filters_before_any_zoom(opened: Any,
                                                       months_site: tuple[str, Path]) -> None:
    url, site = months_site
    rows = _rows(site)
    page = opened()
    page.goto(url + "?tag=alpha")
    page.wait_for_function("() => [...document.querySelectorAll('.overview-wide .ov-bars > a')]"
                           ".some(b => b.dataset.matching)")
    assert page.locator(f"{SVG_WIDE}[data-zoomed]").count() == 0
    bars = page.eval_on_selector_all(
        f"{SVG_WIDE} .ov-bars > a", "els => els.map(b => [Number(b.dataset.from),"
        " Number(b.dataset.month), Number(b.dataset.count), Number(b.dataset.matching),"
        " Number(b.querySelector('rect').getAttribute('height')),"
        " Number(b.querySelector('.ov-hit').getAttribute('height'))])")
    assert len(bars) == 36 and sum(b[2] for b in bars) == len(rows) == 402
    for year, month, count, matching, full, hit in bars:
        here = [r for r in rows if _ymd(r["first"])[:2] == (year, month)]
        assert count == len(here)
        assert matching == sum("alpha" in r["tags"] for r in here)
        assert hit == pytest.approx(full * matching / count, abs=0.01)
    assert any(b[3] < b[2] for b in bars)


def test_the_period_key_shows_only_when_the_zoomed_strip_draws_a_period(
        opened: Any, months_site: tuple[str, Path]) -> None:
    url, _ = months_site
    page = opened()
    page.goto(url)
    assert page.locator(".overview-wide .ov-key-era").is_visible()
    page.goto(url + "?from=2020&to=2020")
    _zoomed(page, 2020, 2021)
    assert page.locator(f"{SVG_WIDE} .ov-era").count() == 0
    assert page.locator(".overview-wide .ov-key-era").is_hidden()
    page.goto(url + "?from=2018&to=2018")
    _zoomed(page, 2018, 2019)
    assert page.locator(".overview-wide .ov-key-era").is_visible()
    band = page.locator(f"{SVG_WIDE} .ov-era-band rect")
    assert page.text_content(f"{SVG_WIDE} .ov-era text") == "Spring period"
    left = PAD + (moment((2018, 2, 10)) - 2018) * 768
    right = PAD + (day_end((2018, 5, 20)) - 2018) * 768
    assert float(band.get_attribute("x") or 0) == pytest.approx(left, abs=0.1)
    assert float(band.get_attribute("width") or 0) == pytest.approx(right - left, abs=0.2)


# ---- audits, and without JavaScript ---------------------------------------------------------

ZOOMED = {"real": "?from=2017&to=2019&status=confirmed", "big": "?from=1990&to=1991&tag=masks"}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("which", ZOOMED)
def test_axe_finds_no_violations_on_a_zoomed_strip(opened: Any, request: Any, which: str,
                                                   scheme: str) -> None:
    _require(AXE, "npm ci")
    base = request.getfixturevalue(which)
    page = opened()
    page.emulate_media(color_scheme=scheme)
    page.goto(base + ZOOMED[which])
    page.wait_for_selector(f"{SVG_WIDE}[data-zoomed]")
    page.wait_for_selector(".ov-reset:visible")
    page.add_script_tag(url=base.rstrip("/") + AXE_URL)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    violations = [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]]
    assert violations == []
    assert len(result["passes"]) > 20


def test_without_javascript_a_year_filter_leaves_the_strip_as_built(browser: Browser,
                                                                    real: str,
                                                                    real_dir: Path) -> None:
    built = lxml.html.fromstring((real_dir / "index.html").read_bytes())
    svg = built.cssselect(".overview-wide svg")[0]
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(real + "?from=2017&to=2017")
        assert page.get_attribute(SVG_WIDE, "data-start") == svg.get("data-start")
        assert page.get_attribute(SVG_WIDE, "data-zoomed") is None
        assert _labels(page) == [t.text_content() for t in svg.cssselect(".ov-axis text")]
        assert page.locator(f"{SVG_WIDE} .ov-marks > a").count() == len(
            svg.cssselect(".ov-marks > a"))
        assert page.locator(".ov-zoom, .ov-reset").count() == 0
    finally:
        context.close()


def test_zoomed_marks_keep_a_tap_target_of_24_px_on_a_phone(browser: Browser, real: str) -> None:
    """Each redrawn mark carries the build's invisible hit area (rect.ov-target), so a tap
    target stays at least 24 CSS px each way after a zoom, as before it."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True,
                                  is_mobile=True)
    page = context.new_page()
    page.goto(real + "?from=2019&to=2021")
    narrow = ".overview-narrow svg"
    _zoomed(page, 2019, 2022, narrow)
    sizes = page.eval_on_selector_all(f"{narrow} .ov-marks > a", "els => els.map(a => {"
                                      " const r = a.getBoundingClientRect();"
                                      " return [a.querySelectorAll('rect.ov-target').length,"
                                      " r.width, r.height]; })")
    assert sizes and all(n == 1 and w >= 24 and h >= 24 for n, w, h in sizes), sizes
    context.close()
