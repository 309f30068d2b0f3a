"""Readers 2, a timeline with a face: key events, images with their real size, dates and
statuses that explain themselves, and an event page that shows where it sits in time.

The built HTML is parsed (lxml); the browser half drives Chromium over the real site and over
a small site with images made here, as test_browser.py does (fails, never skips, without
Chromium, Java or the npm tools).
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Page

from generator.build import build_site
from generator.cli import main

from conftest import CONFIG, REPO, MakeSite, event_file, parse_html
from test_browser import AXE, AXE_URL, VNU, _require, serve

ARTIFACTS = REPO / "test-artifacts"
HEDGED = "events/2017-04-kaesong-garment-factories-restarted/"
"""A real event dated 'c. April 2017?', reported by one outlet."""

KO_SOURCE = ("sources:\n  - publisher: Yonhap\n    title: 개성공단 기사\n"
             "    url: https://example.org/ko\n    published: 2016-02-11\n    language: ko\n")


def _png(path: Path, width: int, height: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (width, height), (90, 110, 140)).save(path)


def _face_files() -> dict[str, str]:
    """Nine events over 2010–2020: one key event with a local image, one with an image on
    another host with its size, one without; hedged dates of every kind."""
    local = ("featured: true\nmedia:\n  - src: img/gate.png\n    alt: The factory gate\n"
             "    caption: The main gate in 2016\n    credit: Photo by A. Tester\n")
    remote = ("media:\n  - src: https://img.example.org/map.png\n    alt: A map\n"
              "    width: 320\n    height: 200\n")
    unsized = "media:\n  - src: https://img.example.org/other.png\n    alt: Other\n"
    events = [("2010-a", "Start", "2010-01-05", "status: confirmed\n"),
              ("2012-b", "Approximate", "2012-03~", ""),
              ("2014-c", "Uncertain", "2014-06-01?", "status: disputed\n"),
              ("2016-d", "Key closure", "2016-02-10", local),
              ("2016-e", "Season", "2016-22", remote),
              ("2017-f", "Open", "2017/..", unsized),
              ("2017-g", "Span", "2017-09-11/2017-09-22", "featured: false\n"),
              ("2020-h", "Decade", "202X", ""),
              ("2020-i", "Last", "2020-12-31", "status: reported\n")]
    files = {f"content/events/{slug}.md": event_file(
        title, date, extra=extra, tags="[alpha, beta]",
        sources=KO_SOURCE if slug == "2016-d" else None) for slug, title, date, extra in events}
    return files


@pytest.fixture(scope="module")
def face_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small site, built once for the module (a bilingual copy: en at /, ko at /ko/)."""
    site = tmp_path_factory.mktemp("face") / "site-src"
    for rel, text in _face_files().items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text, "utf-8")
    (site / "timeline.toml").write_text(CONFIG.replace('language = "en"\n',
                                                       'languages = ["en", "ko"]\n'), "utf-8")
    _png(site / "static/img/gate.png", 640, 427)
    build_site(site, use_cache=False)
    return site / "site"


def _page(site: Path, rel: str) -> lxml.html.HtmlElement:
    return parse_html(site / rel / "index.html")


def _card(doc: lxml.html.HtmlElement, slug: str) -> lxml.html.HtmlElement:
    (card,) = doc.xpath(f"//li[@id='{slug}']")
    return card


# Key events -------------------------------------------------------------------------------

def test_a_key_event_stands_out_on_its_card_its_page_and_the_overview(face_site: Path) -> None:
    home = _page(face_site, ".")
    key = _card(home, "2016-d")
    assert key.get("class").split() == ["event", "event-featured"]
    assert key.xpath(".//*[@class='featured-badge']")[0].text_content().strip() == "★ Key event"
    plain = _card(home, "2017-g")  # featured: false is no key event
    assert plain.get("class") == "event"
    drawings = home.xpath("//svg[@class='overview-svg']")  # wide, and narrow for phones
    assert len(drawings) == 2
    assert [d.xpath(".//a[contains(@class,'ov-featured')]/@href") for d in drawings] == [
        ["#2016-d"], ["#2016-d"]]
    page = _page(face_site, "events/2016-d")
    assert "event-featured" in page.xpath("//article")[0].get("class").split()
    ko = _page(face_site, "ko")
    assert _card(ko, "2016-d").xpath(".//*[@class='featured-badge']")[0].text_content() \
        .strip() == "★ 주요 사건"


def test_every_export_carries_featured_and_an_import_gives_it_back(face_site: Path,
                                                                   make_site: MakeSite) -> None:
    data = json.loads((face_site / "events.json").read_text("utf-8"))["events"]
    assert {e["slug"]: e.get("featured") for e in data if "featured" in e} == {
        "2016-d": True, "2017-g": False}
    rows = {r["slug"]: r for r in csv.DictReader(io.StringIO(
        (face_site / "events.csv").read_text("utf-8")))}
    assert json.loads(rows["2016-d"]["other"]) == {"featured": True}
    slides = {s["unique_id"]: s for s in json.loads(
        (face_site / "timelinejs.json").read_text("utf-8"))["events"]}
    meta = lxml.html.fromstring(slides["2016-d"]["text"]["text"]).xpath(
        "//div[@class='timeline-meta']/@data-timeline")[0]
    assert json.loads(meta)["featured"] is True
    for export in ("events.csv", "timelinejs.json"):
        fresh = make_site({})
        shutil.copytree(face_site / "img", fresh / "static" / "img")
        assert main(["import", str(face_site / export), str(fresh)]) == 0
        assert main(["build", str(fresh), "-q", "--no-cache"]) == 0
        back = json.loads((fresh / "site/events.json").read_text("utf-8"))["events"]
        assert [e["title"] for e in back if e.get("featured")] == ["Key closure"], export


@pytest.mark.parametrize(("written", "kind"), [('"yes"', "text"), ("1", "int"),
                                               ("[true]", "a list")])
def test_a_featured_that_is_not_true_or_false_stops_the_build(
        make_site: MakeSite, capsys: pytest.CaptureFixture[str], written: str,
        kind: str) -> None:
    site = make_site({"content/events/e.md": event_file(extra=f"featured: {written}\n")})
    assert main(["build", str(site), "-q"]) == 1
    assert f"content/events/e.md:5: featured: expected true or false, got {kind}" in \
        capsys.readouterr().err
    assert not (site / "site" / "index.html").exists()


def test_a_translation_may_not_change_featured(make_site: MakeSite,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({"content/events/e.md": event_file(),
                      "content/events/e.ko.md": "---\ntitle: 사건\nfeatured: true\n---\n본문\n"},
                     CONFIG.replace('language = "en"\n', 'languages = ["en", "ko"]\n'))
    assert main(["build", str(site), "-q"]) == 1
    assert ("content/events/e.ko.md:3: featured: differs from content/events/e.md: a "
            "translation may not change featured; leave it out") in capsys.readouterr().err


# Images -----------------------------------------------------------------------------------

def test_cards_show_a_lazy_thumbnail_at_the_image_s_real_size(face_site: Path) -> None:
    home = _page(face_site, ".")
    (thumb,) = _card(home, "2016-d").xpath(".//img")
    assert (thumb.get("class"), thumb.get("alt")) == ("thumb", "The factory gate")
    # The 640 px image's copies, 480 px wide and its own width (test_resized.py: their files).
    assert re.fullmatch(r"resized/[0-9a-f]{16}-480\.webp", thumb.get("src"))
    assert [c.split()[1] for c in thumb.get("srcset").split(", ")] == ["480w", "640w"]
    assert (thumb.get("width"), thumb.get("height")) == ("640", "427")  # from the file
    assert (thumb.get("loading"), thumb.get("decoding")) == ("lazy", "async")
    (remote,) = _card(home, "2016-e").xpath(".//img")
    assert (remote.get("src"), remote.get("width"), remote.get("height")) == (
        "https://img.example.org/map.png", "320", "200")  # as given
    assert _card(home, "2017-f").xpath(".//img") == []  # no size known: no thumbnail
    tag = _page(face_site, "tags/alpha")
    assert _card(tag, "2016-d").xpath(".//img/@src") == ["../../" + thumb.get("src")]


def test_the_event_page_shows_the_image_large_with_caption_and_credit(face_site: Path
                                                                      ) -> None:
    page = _page(face_site, "events/2016-d")
    (figure,) = page.xpath("//figure[contains(@class,'media')]")
    assert figure.get("class") == "media media-lead"
    (link,) = figure.xpath("a[@class='media-original']")
    img = link.xpath("img")[0]
    assert (link.get("href"), img.get("alt"), img.get("width"), img.get("height")) == (
        "../../img/gate.png", "The factory gate", "640", "427")
    assert re.fullmatch(r"\.\./\.\./resized/[0-9a-f]{16}-640\.webp", img.get("src"))
    assert figure.xpath("figcaption")[0].text_content().split() == \
        "The main gate in 2016 Photo by A. Tester".split()
    assert figure.xpath("figcaption/span[@class='credit']/text()") == ["Photo by A. Tester"]


def test_a_new_image_file_renders_the_pages_that_show_it_again(make_site: MakeSite) -> None:
    site = make_site({"content/events/e.md": event_file(
        extra="media:\n  - src: a.png\n    alt: A\n")})
    _png(site / "static/a.png", 100, 50)
    build_site(site)
    _png(site / "static/a.png", 300, 60)
    build_site(site)
    img = parse_html(site / "site/index.html").xpath("//li[@id='e']//img")[0]
    assert (img.get("width"), img.get("height")) == ("300", "60")


# Explanations -----------------------------------------------------------------------------

def _tip(doc: lxml.html.HtmlElement, term: lxml.html.HtmlElement) -> str:
    """The event page's own tip of ``term``: beside it, its description."""
    (tip,) = doc.xpath(f"//*[@id='{term.get('aria-describedby')}']")
    assert tip.get("role") == "tooltip" and tip.getparent() is term.getparent()
    return " ".join(tip.text_content().split())


def _key(doc: lxml.html.HtmlElement, ref: lxml.html.HtmlElement) -> str:
    """What a card's ``ref`` is described by: entries of the page's key, which it links to."""
    ids = ref.get("aria-describedby").split()
    assert ref.get("href") == f"#{ids[0]}"
    entries = [doc.xpath(f"//aside[@class='status-key']//*[@id='{i}']")[0] for i in ids]
    return " ".join(" ".join(e.text_content().split()) for e in entries)


HEDGE_WORDS = [
    ("2012-b", "c. (circa): the date is approximate."),
    ("2014-c", "?: the date is uncertain; the sources disagree or do not say."),
    ("2016-e", "A season: the sources give no closer date."),
    ("2017-f", "Onwards: the event has not ended, as far as the sources say."),
    ("2017-g", "A span: the event lasted from the first date to the second."),
    ("2020-h", "A decade: the sources give no closer date."),
]


@pytest.mark.parametrize(("slug", "expected"), HEDGE_WORDS)
def test_a_hedged_date_explains_itself_where_it_stands(face_site: Path, slug: str,
                                                       expected: str) -> None:
    page = _page(face_site, f"events/{slug}")
    (term,) = page.xpath("//p[@class='event-date']/span/button")
    assert term.get("type") == "button" and term.xpath("time/@datetime")
    assert _tip(page, term) == expected
    for doc in (_page(face_site, "."), _page(face_site, "tags/alpha")):
        (ref,) = _card(doc, slug).xpath(".//p[@class='event-date']/a")
        assert ref.get("class") == "tip-ref date-term" and ref.xpath("time/@datetime")
        assert _key(doc, ref) == expected


def test_the_key_explains_each_hedge_on_its_page_once(face_site: Path) -> None:
    home = _page(face_site, ".")
    assert [li.get("id") for li in home.xpath("//aside[@class='status-key']//li")] == [
        "hedge-approximate", "hedge-uncertain", "hedge-season", "hedge-decade", "hedge-span",
        "hedge-open-end"]
    year = _page(face_site, "years/2016")
    assert [li.get("id") for li in year.xpath("//aside[@class='status-key']//li")] == [
        "hedge-season"]
    assert _page(face_site, "events/2016-d").xpath("//aside[@class='status-key']") == []


def test_a_plain_date_has_nothing_to_explain(face_site: Path) -> None:
    date = _card(_page(face_site, "."), "2010-a").xpath(".//p[@class='event-date']")[0]
    assert date.xpath("a | button") == [] and date.xpath("*/@datetime") == ["2010-01-05"]


def test_every_status_badge_explains_itself_in_both_languages(face_site: Path) -> None:
    home, ko = _page(face_site, "."), _page(face_site, "ko")
    expected = {"2010-a": "Confirmed by official records or several independent outlets",
                "2014-c": "Contested by other sources",
                "2020-i": "Reported by one outlet or unnamed sources; not independently "
                          "confirmed"}
    for slug, text in expected.items():
        (badge,) = _card(home, slug).xpath(".//a[contains(@class,'status')]")
        assert _key(home, badge) == text
        page = _page(face_site, f"events/{slug}")
        (button,) = page.xpath("//button[contains(@class,'status')]")
        assert _tip(page, button) == text
    (badge,) = _card(ko, "2012-b").xpath(".//a[contains(@class,'status')]")
    assert _key(ko, badge) == "한 매체 또는 익명 소식통의 보도로, 독립적으로 확인되지 않음"
    (date,) = _card(ko, "2012-b").xpath(".//a[contains(@class,'date-term')]")
    assert _key(ko, date) == "경: 대략적인 날짜입니다."
    assert ko.xpath("//h2[@id='status-key-h']/text()") == ["상태와 날짜 표기의 뜻"]


# Where the event sits in time -------------------------------------------------------------

def test_the_event_page_axis_marks_the_event_among_its_neighbours(face_site: Path) -> None:
    page = _page(face_site, "events/2016-e")  # the fifth of nine
    (svg,) = page.xpath("//figure[@class='event-axis']/svg")
    assert svg.get("role") == "group"
    caption = page.xpath(f"//*[@id='{svg.get('aria-labelledby')}']")[0]
    assert caption.text_content() == "Event 5 of 9, 2010 to 2020"
    marks = svg.xpath(".//*[contains(@class,'ax-mark')]")
    assert len(marks) == 7
    (current,) = [m for m in marks if "ax-current" in m.get("class").split()]
    assert current.tag == "g" and "Season" in current.xpath("title")[0].text
    links = [m.get("href") for m in marks if m.tag == "a"]
    assert links == [f"../../events/{s}/" for s in
                     ("2012-b", "2014-c", "2016-d", "2017-f", "2017-g", "2020-h")]
    assert all(m.get("tabindex") == "-1" for m in marks if m.tag == "a")
    xs = [float(m.xpath("circle/@cx")[0]) for m in marks]
    assert xs == sorted(xs)
    assert "ax-featured" in marks[2].get("class").split()  # 2016-d, a key event
    whole = float(svg.xpath(".//rect[@class='ax-here']/@x")[0])
    first = float(_page(face_site, "events/2010-a").xpath("//rect[@class='ax-here']/@x")[0])
    last = float(_page(face_site, "events/2020-i").xpath("//rect[@class='ax-here']/@x")[0])
    assert first < whole < last


def test_previous_and_next_follow_the_timeline_order(face_site: Path) -> None:
    page = _page(face_site, "events/2016-e")
    prev, nxt = page.xpath("//nav[@class='prev-next']/a")
    assert (prev.get("rel"), prev.get("href")) == ("prev", "../../events/2016-d/")
    assert (nxt.get("rel"), nxt.get("href")) == ("next", "../../events/2017-f/")
    assert prev.xpath("span[@class='pn-title']/text()") == ["Key closure"]
    assert prev.xpath("span[@class='pn-date']/text()") == ["10 February 2016"]
    first = _page(face_site, "events/2010-a")
    assert [a.get("rel") for a in first.xpath("//nav[@class='prev-next']/a")] == ["next"]


# Details ----------------------------------------------------------------------------------

def test_the_year_page_says_its_year_once(face_site: Path) -> None:
    page = _page(face_site, "years/2016")
    headings = [h.text_content() for h in page.xpath("//main//*[self::h1 or self::h2]")]
    assert headings == ["2016", "2 events", "What the statuses and dates mean"]
    assert [li.get("id") for li in page.xpath("//ol[@class='events']/li")] == [
        "2016-e", "2016-d"]  # newest first, the default order


def test_a_source_language_reads_as_a_name_inline(face_site: Path) -> None:
    for rel, name in (("events/2016-d", "Korean"),):
        (lang,) = _page(face_site, rel).xpath("//span[@class='source-meta']/span[@class='lang']")
        assert lang.text_content() == f"· {name}"
    ko = _page(face_site, "ko/events/2016-d")
    assert ko.xpath("//span[@class='lang']") == []  # a Korean source on a Korean page
    assert "(ko)" not in _page(face_site, "events/2016-d").text_content()


# In the browser ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def real(real_site: Path) -> Iterator[str]:
    with serve(real_site) as url:
        yield url


@pytest.fixture(scope="module")
def small(face_site: Path) -> Iterator[str]:
    with serve(face_site) as url:
        yield url


def _context(browser: Browser, width: int = 1280, touch: bool = False) -> BrowserContext:
    return browser.new_context(viewport={"width": width, "height": 900}, has_touch=touch,
                               is_mobile=touch)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A page that fails the test on a script error or a request leaving 127.0.0.1."""
    context = _context(browser)
    page = context.new_page()
    errors: list[str] = []
    outside: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(
        ("http://127.0.0.1:", "data:")) else None)
    page.route("**/img.example.org/**", lambda route: route.abort())
    page.route(f"**{AXE_URL}", lambda route: route.fulfill(path=AXE,
                                                           content_type="text/javascript"))
    yield page
    context.close()
    assert errors == []
    assert [u for u in outside if "img.example.org" not in u] == []


def test_the_real_site_features_its_key_events(real_site: Path) -> None:
    data = json.loads((real_site / "events.json").read_text("utf-8"))["events"]
    assert [e["slug"] for e in data if e.get("featured")] == [
        "2016-02-10-kaesong-complex-suspended", "2017-09-11-resolution-2375",
        "2017-12-22-resolution-2397"]
    assert not [e["slug"] for e in data if e.get("media")]  # no image without a licence
    home = parse_html(real_site / "index.html")
    assert len(home.xpath("//li[contains(@class,'event-featured')]")) == 3


def _path(page: Page) -> str:
    return "/" + page.url.split("/", 3)[3]


def test_arrow_keys_go_to_the_previous_and_next_event(page: Page, real: str) -> None:
    page.goto(real + HEDGED)
    page.keyboard.press("ArrowRight")
    page.wait_for_url("**/events/2017-09-11-resolution-2375/")
    page.keyboard.press("ArrowLeft")
    page.wait_for_url("**/" + HEDGED)
    page.keyboard.press("Shift+ArrowRight")  # selecting text, not turning the page
    page.keyboard.press("Alt+ArrowLeft")
    page.locator("details.embed-code summary").click()
    page.focus("#embed-snippet")  # in a field, the arrows move the caret
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(300)
    assert _path(page) == "/" + HEDGED


def _swipe(page: Page, dx: int) -> None:
    cdp = page.context.new_cdp_session(page)
    for kind, x in (("touchStart", 200), ("touchMove", 200 + dx // 2), ("touchMove", 200 + dx),
                    ("touchEnd", 200 + dx)):
        points = [] if kind == "touchEnd" else [{"x": x, "y": 500}]
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})


def test_a_swipe_goes_to_the_next_or_previous_event(browser: Browser, real: str) -> None:
    context = _context(browser, 375, touch=True)
    page = context.new_page()
    page.goto(real + HEDGED)
    _swipe(page, -150)  # the finger moves left: the next event comes in from the right
    page.wait_for_url("**/events/2017-09-11-resolution-2375/")
    _swipe(page, 150)
    page.wait_for_url("**/" + HEDGED)
    _swipe(page, 30)  # too short: a scroll or a tap, not a swipe
    page.wait_for_timeout(300)
    assert _path(page) == "/" + HEDGED
    context.close()


def _tip_shown(page: Page, term: str) -> bool:
    shown: bool = page.evaluate(
        """sel => { const t = document.getElementById(
               document.querySelector(sel).getAttribute('aria-describedby'));
             const s = getComputedStyle(t); const r = t.getBoundingClientRect();
             return s.visibility === 'visible' && s.opacity === '1' && r.width > 40; }""",
        term)
    return shown


def test_a_tip_shows_on_focus_and_hides_on_escape(page: Page, real: str) -> None:
    page.goto(real + HEDGED)
    page.emulate_media(reduced_motion="reduce")
    date, status = ".event-page .date-term", ".event-page .status.tip-term"
    assert not _tip_shown(page, date)
    page.keyboard.press("Tab")  # breadcrumbs, then the date: reached by the keyboard
    for _ in range(10):
        if page.evaluate("document.activeElement.classList.contains('date-term')"):
            break
        page.keyboard.press("Tab")
    assert _tip_shown(page, date)
    page.keyboard.press("Escape")
    assert not _tip_shown(page, date)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('status')")
    assert _tip_shown(page, status) and not _tip_shown(page, date)


def _float_shown(page: Page) -> str:
    text: str = page.evaluate("""() => { const t = document.querySelector('.tip-float');
        return t && !t.hidden && t.getBoundingClientRect().width > 40 ? t.textContent : ''; }""")
    return text


def test_a_card_s_tips_show_on_tap_hover_and_focus_and_hide_again(browser: Browser,
                                                                  real: str) -> None:
    context = _context(browser, 375, touch=True)
    page = context.new_page()
    page.goto(real)
    badge = "li.event a.status.tip-ref"
    page.tap(badge)
    assert _float_shown(page) == page.evaluate(
        "document.getElementById(document.querySelector('li.event a.status')"
        ".getAttribute('aria-describedby')).textContent")
    assert urlsplit_hash(page.url) == ""  # shown beside it, not a jump to the key
    page.tap(".site-footer p")  # somewhere else
    assert _float_shown(page) == ""
    date = f"li[id='{HEDGED.split('/')[1]}'] a.date-term"
    page.tap(date)
    assert _float_shown(page) == ("c. (circa): the date is approximate. ?: the date is "
                                  "uncertain; the sources disagree or do not say.")
    page.keyboard.press("Escape")
    assert _float_shown(page) == ""
    context.close()
    context = _context(browser)
    page = context.new_page()
    page.goto(real)
    page.hover(date)
    assert _float_shown(page).startswith("c. (circa)")
    page.mouse.move(1, 1)
    assert _float_shown(page) == ""
    page.focus(badge)
    assert _float_shown(page) != ""
    context.close()


def urlsplit_hash(url: str) -> str:
    return url.partition("#")[2]


@pytest.mark.parametrize("width", [375, 1280])
def test_previous_and_next_never_grow_into_staircases(browser: Browser, real: str,
                                                      width: int) -> None:
    context = _context(browser, width)
    page = context.new_page()
    for rel in (HEDGED, "events/2021-07-workers-in-china-sew-for-south-korean-brands/"):
        page.goto(real + rel)
        boxes = [page.locator(f".prev-next a[rel={r}]").bounding_box() for r in ("prev", "next")]
        assert all(b is not None for b in boxes)
        prev, nxt = boxes[0] or {}, boxes[1] or {}
        assert max(prev["height"], nxt["height"]) <= (96 if width == 375 else 130)
        if width == 375:  # one full-width row each
            assert prev["width"] == nxt["width"] and nxt["y"] >= prev["y"] + prev["height"]
        else:  # side by side, as tall as each other
            assert prev["y"] == nxt["y"] and prev["height"] == nxt["height"]
        assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    context.close()


def test_dates_are_calm_lines_are_about_70_characters_and_the_rail_shows_status(
        page: Page, real: str, small: str) -> None:
    page.goto(real)
    date = page.evaluate("getComputedStyle(document.querySelector('.event-date')).color")
    accent = page.evaluate("getComputedStyle(document.querySelector('.status-disputed'))"
                           ".color")
    assert date == "rgb(61, 79, 99)" and date != accent  # blue-grey, not the alarm red
    rail = page.evaluate("""() => Object.fromEntries(['confirmed', 'reported', 'disputed']
        .map(s => { const d = getComputedStyle(document.querySelector(
          `li.event[data-status=${s}]`), '::before');
          return [s, [d.borderTopStyle, d.borderRadius, d.transform !== 'none']]; }))""")
    assert rail["confirmed"][0] == "solid" and rail["reported"][0] == "dashed"
    assert rail["disputed"][2] and not rail["confirmed"][2]  # a diamond, not a disc
    page.goto(real + HEDGED)
    chars = page.evaluate("""() => { const b = document.querySelector('.body p');
        const probe = document.createElement('span'); probe.textContent = '0'.repeat(70);
        b.appendChild(probe); const w = probe.getBoundingClientRect().width; probe.remove();
        return [b.getBoundingClientRect().width, w]; }""")
    assert chars[0] <= chars[1] + 1  # no wider than 70 zeros (70ch)
    assert page.evaluate("getComputedStyle(document.querySelector('.source-meta .lang'))"
                         ".display") == "inline"


def test_a_tip_shows_on_hover(page: Page, real: str) -> None:
    page.emulate_media(reduced_motion="reduce")
    page.goto(real + HEDGED)
    term = ".event-page .date-term"
    page.hover(term)
    assert _tip_shown(page, term)
    page.mouse.move(5, 5)
    assert not _tip_shown(page, term)


def test_korean_text_is_never_slanted(page: Page, real: str) -> None:
    hangul = """() => { const out = []; const walk = document.createTreeWalker(
        document.body, NodeFilter.SHOW_TEXT);
      while (walk.nextNode()) { const n = walk.currentNode;
        if (/[\\uac00-\\ud7af]/.test(n.data)) { out.push([n.parentElement.tagName,
          getComputedStyle(n.parentElement).fontStyle]); } }
      return out; }"""
    for rel in ("", HEDGED, "ko/", "ko/" + HEDGED, "ko/events/2017-09-11-resolution-2375/"):
        page.goto(real + rel)
        found = page.evaluate(hangul)
        assert found, rel
        assert {style for _, style in found} == {"normal"}, (rel, found)
    page.goto(real + HEDGED)
    assert page.evaluate("getComputedStyle(document.querySelector('cite:not(:lang(ko))'))"
                         ".fontStyle") == "italic"  # Latin titles keep their italics


AUDITED = {"real-hedged": ("real", HEDGED), "real-ko-hedged": ("real", "ko/" + HEDGED),
           "key-event-with-image": ("small", "events/2016-d/"),
           "tag-with-thumbnails": ("small", "tags/alpha/"), "year": ("small", "years/2016/")}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", AUDITED)
def test_axe_finds_no_violations(page: Page, real: str, small: str, name: str,
                                 scheme: str) -> None:
    _require(AXE, "npm ci")
    page.emulate_media(color_scheme=scheme)
    which, rel = AUDITED[name]
    base = real if which == "real" else small
    response = page.goto(base + rel)
    assert response is not None and response.status == 200
    page.add_script_tag(url=base.rstrip("/") + AXE_URL)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]] == []
    assert len(result["passes"]) > 20


def test_nu_html_checker_finds_no_errors_in_the_small_site(face_site: Path) -> None:
    _require(VNU, "npm ci")
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is missing: apt-get install default-jre-headless")
    run = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "json",
                          "--skip-non-html", str(face_site)],
                         capture_output=True, text=True, timeout=300, check=False)
    messages = json.loads(run.stderr or run.stdout)["messages"]
    assert [(m.get("url", "").rsplit("/site/", 1)[-1], m.get("lastLine"), m["message"])
            for m in messages] == []
    assert run.returncode == 0


@pytest.mark.parametrize("width", [1280, 375])
def test_event_page_screenshots(browser: Browser, real: str, width: int) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    context = _context(browser, width)
    page = context.new_page()
    page.goto(real + HEDGED)
    target = ARTIFACTS / f"event-{width}.png"
    page.screenshot(path=str(target), full_page=True)
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with Image.open(target) as shot:
        assert shot.size[0] == width and shot.size[1] > 900
    context.close()
