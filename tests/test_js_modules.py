"""The browser's modules (static/assets/): their unit tests under node's own runner
(tests/js/), the strip's layout numbers written by the build and read by the browser, so
overview.py and strip-layout.js cannot disagree, and the size of each module."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from generator.build import build_site
from generator.site import overview, overview_lanes
from generator.site.overview_words import year_label

from conftest import MakeSite, event_file, parse_html

REPO = Path(__file__).resolve().parent.parent
ASSETS = REPO / "static" / "assets"


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is missing: apt-get install nodejs (bash tests/run.sh installs it)")
    return node


def test_the_modules_unit_tests_pass_under_node() -> None:
    done = subprocess.run([_node(), "--test", "--test-reporter=tap", "tests/js/"], cwd=REPO,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    summary = dict(line[2:].split(" ", 1) for line in done.stdout.splitlines()
                   if line.startswith(("# pass ", "# fail ")))
    assert summary["fail"] == "0" and int(summary["pass"]) >= 20, summary


def _layouts(make_site: MakeSite) -> list[dict[str, Any]]:
    site = make_site({"content/events/2017-09-11-a.md": event_file("A", "2017-09-11"),
                      "content/events/2019-03-02-b.md": event_file("B", "2019-03-02")})
    build_site(site, use_cache=False)
    strips = parse_html(site / "site" / "index.html").xpath("//svg[@class='overview-svg']")
    assert len(strips) == 2  # wide, and narrow for phones
    return [json.loads(svg.get("data-layout")) for svg in strips]


def test_each_strip_carries_the_numbers_overview_py_lays_it_out_with(
        make_site: MakeSite) -> None:
    for layout in _layouts(make_site):
        assert layout == {
            "pad": overview.PAD, "radius": overview.RADIUS, "lane": overview.LANE,
            "lanes": overview.MAX_LANES, "eraRow": overview.ERA_ROW,
            "density": overview.DENSITY, "bars": overview.BARS, "axis": overview.AXIS,
            "font": overview.FONT, "target": overview.TARGET, "ticks": list(overview.TICK_STEPS),
            "units": [[name, size] for name, size in overview.BIN_UNITS],
            "laneLabel": overview_lanes.LABEL_ROW}


SPANS = [0.5, 3, 9, 30, 77, 400, 2500, 9000, 60000, 1_234_567]
LANE_CASES = [[(0, 10), (5, 15), (10, 20), (12, 30)], [(0, 5), (6, 9), (7, 8), (7.5, 9)],
              [(x, x + 14) for x in range(0, 60, 2)]]
LABELS = ["Sunshine Policy", "햇볕정책", "Kaesong 개성", ""]
RANGES = [(2001, 2019), (-60, 0), (-501, 1999), (1950, 1953.5), (2016.25, 2020)]
BAND_CASES = [(LANE_CASES[0], [0, 1, 0, 1], 2), (LANE_CASES[1], [2, 2, 0, 2], 3),
              (LANE_CASES[2][:12], [n % 3 for n in range(12)], 3), ([], [], 2)]


def test_the_browser_lays_the_strip_out_as_overview_py_does(make_site: MakeSite) -> None:
    """strip-layout.js, given the numbers the build wrote on the strip, takes the same tick
    steps, axis labels, lanes, label widths and lanes per tag as overview.py."""
    layout = _layouts(make_site)[0]
    script = (ASSETS / "strip-layout.js").as_uri()
    code = f"""
import {{ readLayout, tickStep, ticks, lanes, bands, textWidth }} from {json.dumps(script)};
const layout = readLayout({{ layout: {json.dumps(json.dumps(layout))} }});
const year = (y) => y > 0 ? String(y) : (1 - y) + " BCE";
const out = {{
  steps: {json.dumps(SPANS)}.map((s) => tickStep(layout.ticks, s)),
  lanes: {json.dumps(LANE_CASES)}.map((boxes) => lanes(boxes, layout.lanes)),
  widths: {json.dumps(LABELS)}.map((text) => textWidth(layout, text)),
  bands: {json.dumps(BAND_CASES)}.map(([boxes, groups, count]) =>
    [true, false].map((labelled) => bands(layout, boxes, groups, count, labelled))),
  ticks: {json.dumps(RANGES)}.map(([a, b]) => ticks(layout, a, b, (y) => y * 3, false,
                                                    {{ yearLabel: year }})
    .map((x) => [x.x, x.label, x.minor])),
}};
process.stdout.write(JSON.stringify(out));
"""
    done = subprocess.run([_node(), "--input-type=module", "-e", code], capture_output=True,
                          text=True, check=True, timeout=120)
    found = json.loads(done.stdout)
    assert found["steps"] == [overview._tick_step(s) for s in SPANS]
    # The browser names a mark past the last lane null where overview.py gives up on marks.
    assert [None if None in js else js for js in found["lanes"]] == [
        overview._lanes(boxes, overview.MAX_LANES) for boxes in LANE_CASES]
    assert found["widths"] == [overview._text_width(text) for text in LABELS]
    # Lanes per tag: each mark's row in its lane and each lane's top, as overview_lanes.py.
    for (boxes, groups, count), js in zip(BAND_CASES, found["bands"], strict=True):
        banded = overview_lanes.banded_rows(boxes, groups, count, overview.MAX_LANES,
                                            overview._lanes)
        assert banded is not None
        rows, heights = banded
        for labelled, drawn in zip((True, False), js, strict=True):
            label = overview_lanes.LABEL_ROW if labelled else 0
            assert drawn == {"rows": rows, "label": label, "tops": overview_lanes.lane_tops(
                heights, 0, label, overview.LANE)}
    for (a, b), js in zip(RANGES, found["ticks"], strict=True):
        if b - a <= 2:  # months: the browser's own (every month on a wide strip)
            continue
        py = overview._ticks(a, b, lambda y: y * 3)
        assert [[t.x, t.label, t.minor] for t in py] == js, (a, b)
        assert all(t.label == year_label(round(t.x / 3)) for t in py)


def test_a_home_page_opened_from_disk_shows_every_event_and_runs_no_script(
        browser: Any, make_site: MakeSite) -> None:
    """Module scripts need a server: from file:// the page stays as built, with no error."""
    site = make_site({"content/events/2017-09-11-a.md": event_file("A", "2017-09-11"),
                      "content/events/2019-03-02-b.md": event_file("B", "2019-03-02")})
    build_site(site, use_cache=False)
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto((site / "site" / "index.html").as_uri())
    page.wait_for_load_state("load")
    assert page.eval_on_selector_all("li.event", "els => els.filter(e => e.offsetParent)"
                                     ".length") == 2
    assert page.get_attribute("#controls", "hidden") is not None  # filters need the script
    assert page.locator("#overview svg.overview-svg").count() == 2
    assert errors == []
    context.close()


def test_every_module_of_the_front_end_stays_small() -> None:
    sizes = {p.name: len(p.read_text("utf-8").splitlines()) for p in ASSETS.glob("*.js")}
    assert len(sizes) >= 10
    assert {name: n for name, n in sizes.items() if n > 250} == {}
