"""Paging: the site's order, the numbered pager, where each year starts, and the built pages
that show them (both orders, the pager's links without JavaScript, the year strip)."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from generator.build import build_site
from generator.config import parse_config
from generator.errors import SiteError
from generator.site.paging import page_path, pager

from conftest import MakeSite, event_file


def _links(number: int, count: int) -> list[int | None]:
    return [n for n, _ in pager("", number, count)["links"]]


def test_pager_keeps_first_last_and_neighbours_with_gaps_between() -> None:
    assert _links(1, 1) == [1]
    assert _links(1, 3) == [1, 2, 3]
    assert _links(1, 40) == [1, 2, 3, None, 40]
    assert _links(20, 40) == [1, None, 18, 19, 20, 21, 22, None, 40]
    assert _links(40, 40) == [1, None, 38, 39, 40]
    assert _links(4, 40) == [1, 2, 3, 4, 5, 6, None, 40]  # no gap hides a single page
    middle = pager("tags/x/", 2, 3)
    assert (middle["first"], middle["prev"], middle["next"], middle["last"]) == (
        "tags/x/", "tags/x/", "tags/x/page/3/", "tags/x/page/3/")
    assert page_path("years/2017/", 1) == "years/2017/"


def _site(make_site: MakeSite, count: int, config: str = "") -> Path:
    files = {f"content/events/e{n:02d}.md":
             event_file(f"Event {n}", f"{2000 + n // 3}-01-0{1 + n % 3}") for n in range(count)}
    site = make_site(files, config='title = "T"\nbase_url = "https://x.test/"\n' + config)
    build_site(site, use_cache=False)
    return site / "site"


def _page(path: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(path.read_bytes())


def _titles(doc: lxml.html.HtmlElement) -> list[str]:
    return [h.text_content().strip() for h in doc.cssselect("li.event .event-title")]


@pytest.mark.parametrize("order", ["newest-first", "oldest-first", ""])
def test_order_setting_orders_every_list_and_its_years(make_site: MakeSite, order: str
                                                       ) -> None:
    out = _site(make_site, 7, f'order = "{order}"\npage_size = 3\n' if order else
                "page_size = 3\n")
    oldest = [f"Event {n}" for n in range(7)]
    expected = oldest if order == "oldest-first" else oldest[::-1]  # newest-first: default
    pages = [_page(out / "index.html"), _page(out / "page/2/index.html"),
             _page(out / "page/3/index.html")]
    assert [t for doc in pages for t in _titles(doc)] == expected
    years = [h.text_content() for h in pages[0].cssselect("h2.year-heading")]
    assert years == (["2000"] if order == "oldest-first" else ["2002", "2001"])
    assert _titles(_page(out / "years/2001/index.html")) == (
        ["Event 3", "Event 4", "Event 5"] if order == "oldest-first" else
        ["Event 5", "Event 4", "Event 3"])
    # The year strip links every year to the page (and anchor) where it starts.
    strip = {a.text_content(): a.get("href") for a in pages[0].cssselect("#year-strip a")}
    if order == "oldest-first":
        assert strip == {"2000": "#y2000", "2001": "page/2/#y2001", "2002": "page/3/#y2002"}
    else:
        assert strip == {"2002": "#y2002", "2001": "#y2001", "2000": "page/2/#y2000"}
    second = {a.text_content(): a.get("href") for a in pages[1].cssselect("#year-strip a")}
    assert second["2002"] == ("../../page/3/#y2002" if order == "oldest-first" else "../../#y2002")


def test_numbered_pager_links_every_page_without_javascript(make_site: MakeSite) -> None:
    out = _site(make_site, 24, "page_size = 2\n")  # 12 pages
    doc = _page(out / "page/6/index.html")
    items = doc.cssselect("nav.pager li")
    texts = [" ".join(li.text_content().split()) for li in items]
    assert texts == ["« First", "‹ Previous", "Page 1", "…", "Page 4", "Page 5", "Page 6",
                     "Page 7", "Page 8", "…", "Page 12", "Next ›", "Last »"]
    current = doc.cssselect("nav.pager a[aria-current='page']")
    assert [(a.text_content().split()[-1], a.get("href")) for a in current] == [
        ("6", "../../page/6/")]
    hrefs = {" ".join(a.text_content().split()): a.get("href")
             for a in doc.cssselect("nav.pager a")}
    assert (hrefs["« First"], hrefs["‹ Previous"], hrefs["Next ›"], hrefs["Last »"]) == (
        "../../", "../../page/5/", "../../page/7/", "../../page/12/")
    assert doc.cssselect("nav.pager a[rel='prev']")[0].get("href") == "../../page/5/"
    for href in hrefs.values():  # every link leads to a built page
        assert (out / "page/6" / href / "index.html").resolve().is_file(), href
    first = _page(out / "index.html")
    assert [" ".join(li.text_content().split()) for li in first.cssselect("nav.pager li")] == [
        "Page 1", "Page 2", "Page 3", "…", "Page 12", "Next ›", "Last »"]


def test_nav_json_lists_every_event_with_its_page(make_site: MakeSite) -> None:
    import json

    out = _site(make_site, 5, "page_size = 2\n")
    data = json.loads((out / "nav.json").read_bytes())
    rows, size = data["events"], data["size"]
    assert [(r[0], r[1], n // size + 1, r[6]) for n, r in enumerate(rows)] == [
        ("e04", 2001, 1, "Event 4"), ("e03", 2001, 1, "Event 3"), ("e02", 2000, 2, "Event 2"),
        ("e01", 2000, 2, "Event 1"), ("e00", 2000, 3, "Event 0")]


def test_order_must_be_one_of_two(tmp_path: Path) -> None:
    with pytest.raises(SiteError) as caught:
        parse_config('title = "T"\n\norder = "newest"\n')
    assert str(caught.value) == (
        'timeline.toml:3: order: \'newest\' is not an order: use "newest-first" or '
        '"oldest-first"')
    with pytest.raises(SiteError) as caught:
        parse_config('title = "T"\norder = 1\n')
    assert str(caught.value) == "timeline.toml:2: order: expected str, got int"
    assert parse_config('title = "T"\norder = "oldest-first"\n')[0].order == "oldest-first"
    assert parse_config('title = "T"\n')[0].order == "newest-first"
