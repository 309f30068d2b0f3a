"""Lanes per tag on the overview (``[overview] lanes``), as TimelineJS draws groups: built
sites in both languages parsed back (one labelled lane per chosen tag that has events, an
"Other" lane only when some event has none of them, each mark inside its lane's band), the
warning for a tag no event has, and in Chromium the zoomed strip keeping every mark in its
lane, with axe finding nothing. Screenshots go to ``test-artifacts/``."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from playwright.sync_api import Browser, Page

from generator.build import build_site
from generator.content.dates import parse_date
from generator.content.model import Event
from generator.site.overview import MAX_MARKS, plan_overview
from generator.site.overview_lanes import LABEL_ROW, lane_groups

from conftest import MakeSite, event_file, parse_html
from test_browser import ARTIFACTS, AXE, AXE_URL, VNU, _require, serve

CONFIG = ('title = "Lanes"\nbase_url = "https://lanes.example.net/"\nlanguages = ["en", "ko"]'
          '\n\n[overview]\nlanes = ["sanctions", "labour", "munitions"]\n')
EVENTS = {  # slug: (date, tags, the lane it belongs in)
    "2017-03-01-a": ("2017-03-01", "[sanctions]", "sanctions"),
    "2017-03-02-b": ("2017-03-02", "[sanctions, china]", "sanctions"),
    "2018-05-01-c": ("2018-05-01", "[labour, sanctions]", "sanctions"),  # the first listed
    "2019-01-10-d": ("2019-01-10", "[china, labour]", "labour"),
    "2019-06": ("2019-06", "[labour]", "labour"),
    "2020-01-01-e": ("2020-01-01", "[china]", "Other"),
}
KOREAN = {"sanctions": "제재", "labour": "노동", "Other": "기타"}


def _site(make_site: MakeSite, config: str = CONFIG, events: dict[str, Any] | None = None
          ) -> Path:
    files = {f"content/events/{slug}.md": event_file(f"Event {slug}", date, tags=tags)
             for slug, (date, tags, _) in (events or EVENTS).items()}
    files["content/labels.ko.yaml"] = "sanctions: 제재\nlabour: 노동\nchina: 중국\n"
    return make_site(files, config)


def _lanes_of(svg: lxml.html.HtmlElement) -> list[tuple[str, float]]:
    """Each lane's label and the top of its band, as drawn."""
    return [(g.findtext("text"), float(g.find("line").get("y1")))
            for g in svg.xpath(".//g[@class='ov-lanes']/g[@class='ov-lane']")]


def _centre_y(a: lxml.html.HtmlElement) -> float:
    shape = a.xpath("./rect[not(@class='ov-target')] | ./polygon")[0]
    if shape.tag == "polygon":
        ys = [float(p.split(",")[1]) for p in shape.get("points").split()]
        return (min(ys) + max(ys)) / 2
    return float(shape.get("y")) + float(shape.get("height")) / 2


def _lane_of_mark(lanes: list[tuple[str, float]], y: float, bottom: float) -> str:
    """The label of the lane whose band (below its label row) holds height ``y``."""
    tops = [top for _, top in lanes] + [bottom]
    found = [label for (label, _), top, below in zip(lanes, tops, tops[1:], strict=False)
             if top + LABEL_ROW < y < below]
    assert len(found) == 1, (y, lanes)
    return found[0]


def _check_strip(svg: lxml.html.HtmlElement, labels: dict[str, str]) -> None:
    lanes = _lanes_of(svg)
    assert [label for label, _ in lanes] == [labels.get(n, n) for n in
                                             ("sanctions", "labour", "Other")]
    bottom = min(float(r.get("y")) for r in svg.xpath(".//g[@class='ov-density']//rect"))
    marks = svg.xpath(".//g[@class='ov-marks']/a")
    assert len(marks) == len(EVENTS)
    for a in marks:
        slug = a.get("data-id")
        expected = labels.get(EVENTS[slug][2], EVENTS[slug][2])
        assert _lane_of_mark(lanes, _centre_y(a), bottom) == expected, slug
        assert lanes[int(a.get("data-lane"))][0] == expected
        assert f": Event {slug} (" in a.findtext("title")  # its accessible name, kept


def test_each_chosen_tag_gets_a_labelled_lane_in_both_languages(make_site: MakeSite) -> None:
    site = _site(make_site)
    result = build_site(site, use_cache=False)
    for prefix, labels in (("", {}), ("ko/", KOREAN)):
        strips = parse_html(site / "site" / prefix / "index.html").xpath(
            "//svg[@class='overview-svg']")
        assert len(strips) == 2  # the wide strip and the phone's
        for svg in strips:
            _check_strip(svg, labels)
    # Two events on neighbouring days share the sanctions lane in two rows.
    svg = parse_html(site / "site" / "index.html").xpath("//svg[@class='overview-svg']")[0]
    ys = {a.get("data-id"): _centre_y(a) for a in svg.xpath(".//g[@class='ov-marks']/a")}
    assert ys["2017-03-01-a"] != ys["2017-03-02-b"]
    # "munitions" has no event: no lane for it, and a warning naming the line.
    assert [str(w) for w in result.warnings if w.field == "overview.lanes"] == [
        "timeline.toml:6: warning: overview.lanes: no event has the tag 'munitions': its "
        "lane is not drawn"]


def test_the_home_pages_with_lanes_are_valid_html(make_site: MakeSite) -> None:
    _require(VNU, "npm ci")
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is missing: apt-get install default-jre-headless")
    site = _site(make_site)
    build_site(site, use_cache=False)
    pages = [site / "site" / "index.html", site / "site" / "ko" / "index.html"]
    assert all(parse_html(p).xpath("//g[@class='ov-lanes']") for p in pages)
    run = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "json",
                          *map(str, pages)], capture_output=True, text=True, timeout=300,
                         check=False)
    assert json.loads(run.stderr or run.stdout)["messages"] == []
    assert run.returncode == 0


def test_no_other_lane_when_every_event_has_a_chosen_tag(make_site: MakeSite) -> None:
    events = {slug: row for slug, row in EVENTS.items() if row[2] != "Other"}
    site = _site(make_site, CONFIG.replace('"munitions"', '"chinaa"'), events)
    result = build_site(site, use_cache=False)
    svg = parse_html(site / "site" / "index.html").xpath("//svg[@class='overview-svg']")[0]
    assert [label for label, _ in _lanes_of(svg)] == ["sanctions", "labour"]
    assert [w.message for w in result.warnings if w.field == "overview.lanes"] == [
        "no event has the tag 'chinaa' (did you mean 'china'?): its lane is not drawn"]


def test_without_lanes_the_strip_has_none(make_site: MakeSite) -> None:
    site = _site(make_site, CONFIG.split("\n\n[overview]")[0] + "\n")
    build_site(site, use_cache=False)
    svg = parse_html(site / "site" / "index.html").xpath("//svg[@class='overview-svg']")[0]
    assert svg.xpath(".//g[@class='ov-lanes']") == []
    assert svg.xpath(".//*[@data-lane]") == []
    assert len(svg.xpath(".//g[@class='ov-marks']/a")) == len(EVENTS)


def test_bars_have_no_lanes() -> None:
    """Past MAX_MARKS events the strip counts them in bars, which have no lanes."""
    one = Event(slug="e", path="content/events/e.md", title="E", date=parse_date("2017-03-01"),
                status="confirmed", sources=(), tags=("sanctions",))
    ov = plan_overview([one] * (MAX_MARKS + 1), [], lambda e: "", lambda y: "",
                       lanes=[("sanctions", "sanctions")])
    assert ov is not None and ov.aggregated and ov.lanes == ()
    ov = plan_overview([one], [], lambda e: "", lambda y: "", lanes=[("sanctions", "S")])
    assert ov is not None and [lane.label for lane in ov.lanes] == ["S"]


def test_rows_are_counted_per_lane_and_six_in_one_lane_make_bars() -> None:
    """Six events on one day: three rows in each of two lanes fit; six rows in one do not
    (at most MAX_LANES), and the strip counts them in bars, without lanes."""
    def ev(n: int, tag: str) -> Event:
        return Event(slug=f"e{n}", path=f"e{n}.md", title="E", date=parse_date("2017-03-01"),
                     status="confirmed", sources=(), tags=(tag,))
    split = [ev(n, "a" if n % 2 else "b") for n in range(6)]
    lanes = [("a", "A"), ("b", "B")]
    ov = plan_overview(split, [], lambda e: "", lambda y: "", lanes=lanes)
    assert ov is not None and not ov.aggregated and [x.label for x in ov.lanes] == ["A", "B"]
    ov = plan_overview([ev(n, "a") for n in range(6)], [], lambda e: "", lambda y: "",
                       lanes=lanes)
    assert ov is not None and ov.aggregated and ov.lanes == ()


def test_an_event_goes_in_the_first_listed_lane_of_its_tags() -> None:
    def ev(*tags: str) -> Event:
        return Event(slug="e", path="e.md", title="E", date=parse_date("2017"),
                     status="confirmed", sources=(), tags=tags)
    groups, drawn = lane_groups([ev("b", "a"), ev("c"), ev("b"), ev()], ["a", "b", "z"])
    assert (groups, drawn) == ([0, 2, 1, 2], [0, 1, 3])  # lane 3 is Other; z has no event


# ---- in Chromium -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def lanes_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("lanes")
    made = {"timeline.toml": CONFIG, "content/labels.ko.yaml":
            "sanctions: 제재\nlabour: 노동\nchina: 중국\n"}
    made.update({f"content/events/{slug}.md": event_file(f"Event {slug}", date, tags=tags)
                 for slug, (date, tags, _) in EVENTS.items()})
    for rel, text in made.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text, "utf-8")
    build_site(folder, use_cache=False)
    with serve(folder / "site") as url:
        yield url


def _drawn(page: Page) -> dict[str, Any]:
    """The wide strip as the page shows it now: its lanes and each mark's lane and height."""
    return page.eval_on_selector(".overview-wide svg", """svg => ({
      zoomed: svg.dataset.zoomed || '',
      lanes: Array.from(svg.querySelectorAll('.ov-lanes > .ov-lane')).map(g =>
        [g.querySelector('text').textContent, Number(g.querySelector('line').getAttribute('y1'))]),
      bottom: Math.min(...Array.from(svg.querySelectorAll('.ov-density rect'))
        .map(r => Number(r.getAttribute('y')))),
      marks: Array.from(svg.querySelectorAll('.ov-marks > a')).map(a => {
        const b = a.querySelector('rect:not(.ov-target), polygon').getBBox();
        return [a.dataset.id, Number(a.dataset.lane), b.y + b.height / 2,
                a.querySelector('title').textContent]; }) })""")


@pytest.mark.parametrize(("prefix", "labels"), [("", {}), ("ko/", KOREAN)])
def test_zooming_keeps_each_mark_in_its_lane(browser: Browser, lanes_site: str, prefix: str,
                                             labels: dict[str, str]) -> None:
    _require(AXE, "npm ci")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.route(f"**{AXE_URL}", lambda route: route.fulfill(path=AXE,
                                                           content_type="text/javascript"))
    page.goto(lanes_site + prefix)
    whole = _drawn(page)
    names = [labels.get(n, n) for n in ("sanctions", "labour", "Other")]
    assert [label for label, _ in whole["lanes"]] == names
    ARTIFACTS.mkdir(exist_ok=True)
    language = "ko" if prefix else "en"
    page.locator("#overview").screenshot(path=str(ARTIFACTS / f"overview-lanes-{language}.png"))
    page.goto(lanes_site + prefix + "?from=2017&to=2019")
    page.wait_for_function("() => document.querySelector('.overview-wide svg').dataset.zoomed")
    zoomed = _drawn(page)
    # Every lane stays, labelled alike (Other is empty in these years, and still drawn).
    assert [label for label, _ in zoomed["lanes"]] == names
    assert {m[0] for m in zoomed["marks"]} == {s for s in EVENTS if not s.startswith("2020")}
    for slug, lane, y, name in zoomed["marks"]:
        expected = labels.get(EVENTS[slug][2], EVENTS[slug][2])
        assert zoomed["lanes"][lane][0] == expected
        assert _lane_of_mark([tuple(x) for x in zoomed["lanes"]], y, zoomed["bottom"]) == \
            expected, slug
        assert f": Event {slug} (" in name
    # Spread wider than on the whole strip: the zoom really redrew it.
    assert zoomed["lanes"] != whole["lanes"] or zoomed["marks"] != whole["marks"]
    page.locator("#overview").screenshot(
        path=str(ARTIFACTS / f"overview-lanes-{language}-zoomed.png"))
    page.add_script_tag(url=lanes_site.rstrip("/") + AXE_URL)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]] == []
    assert errors == []
    page.context.close()


def test_a_warm_build_redraws_the_lanes_when_tags_labels_or_lanes_change(
        make_site: MakeSite) -> None:
    site = _site(make_site)
    build_site(site, use_cache=True)

    def lanes_now(prefix: str = "") -> dict[str, str]:
        svg = parse_html(site / "site" / prefix / "index.html").xpath(
            "//svg[@class='overview-svg']")[0]
        lanes = _lanes_of(svg)
        return {a.get("data-id"): lanes[int(a.get("data-lane"))][0]
                for a in svg.xpath(".//g[@class='ov-marks']/a")}

    assert lanes_now()["2020-01-01-e"] == "Other"
    path = site / "content" / "events" / "2020-01-01-e.md"
    path.write_text(path.read_text("utf-8").replace("[china]", "[labour]"), "utf-8")
    build_site(site, use_cache=True)
    assert lanes_now()["2020-01-01-e"] == "labour"
    labels = site / "content" / "labels.ko.yaml"
    labels.write_text(labels.read_text("utf-8").replace("노동", "노동자"), "utf-8")
    build_site(site, use_cache=True)
    assert lanes_now("ko/")["2020-01-01-e"] == "노동자"
    config = site / "timeline.toml"
    config.write_text(CONFIG.replace('["sanctions", "labour", "munitions"]',
                                     '["labour", "sanctions"]'), "utf-8")
    build_site(site, use_cache=True)
    assert lanes_now()["2018-05-01-c"] == "labour"  # now the first listed of its tags
