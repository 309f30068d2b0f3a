"""Reader features in the built HTML, without a browser: filter form, overview strip, search
documents, sharing, media, landmarks, and the CSP rules every page must keep."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
import pytest

from generator.build import build_site

from conftest import CONFIG, MakeSite, event_file, parse_html, write_site

SVG_NS = "http://www.w3.org/2000/svg"


def event_text(title: str, date: str, *, tags: str = "[alpha]", places: str = "[]",
               status: str = "confirmed", extra: str = "", body: str = "Body text.") -> str:
    return (f'---\ntitle: "{title}"\ndate: "{date}"\nstatus: {status}\ntags: {tags}\n'
            f"places: {places}\n{extra}sources:\n  - publisher: Example News\n"
            f'    title: "Report on {title}"\n    url: https://example.org/{date}\n---\n{body}\n')


EVENTS = {
    "content/events/2016-02-10-first.md": event_text(
        "Complex suspended", "2016-02-10", tags="[kaesong, sanctions]", places="[Kaesong]"),
    "content/events/2017-09-11-second.md": event_text(
        "Textile ban", "2017-09-11", tags="[sanctions]", places="[New York]",
        body="The council **banned** textiles; see the [record](https://example.org/r)."),
    "content/events/2017-10-second-report.md": event_text(
        "Factories restarted", "2017-10~", tags="[kaesong]", places="[Kaesong]",
        status="reported"),
    "content/events/2020-06-16-third.md": event_text(
        "Office blown up", "2020-06-16", tags="[Inter-Korean relations]", status="disputed"),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """EVENTS built once for the tests of this module that only read the output."""
    site = write_site(tmp_path_factory.mktemp("built") / "site", EVENTS)
    build_site(site)
    return site / "site"


def test_home_has_a_labelled_filter_form_revealed_only_by_javascript(built: Path) -> None:
    home = parse_html(built / "index.html")
    form = home.get_element_by_id("controls")
    assert form.get("hidden") is not None
    assert form.get("role") == "search"
    for control in form.xpath(".//input|.//select"):
        assert form.xpath(f".//label[@for='{control.get('id')}']"), control.get("id")
    options = {s.get("name"): [(o.get("value"), o.text_content()) for o in s.xpath("option")]
               for s in form.xpath(".//select")}
    assert options["tag"] == [("", "All tags"),
                              ("inter-korean-relations", "Inter-Korean relations (1)"),
                              ("kaesong", "kaesong (2)"), ("sanctions", "sanctions (2)")]
    assert options["place"] == [("", "All places"), ("kaesong", "Kaesong (2)"),
                                ("new-york", "New York (1)")]
    assert options["status"] == [("", "Any status"), ("confirmed", "Confirmed (2)"),
                                 ("reported", "Reported (1)"), ("disputed", "Disputed (1)")]
    years = [("", "From"), ("2016", "2016"), ("2017", "2017"), ("2020", "2020")]
    assert options["from"] == years and options["to"] == [("", "To"), *years[1:]]
    assert form.xpath(".//button[@type='reset']")
    assert urlsplit(form.get("data-index")).path == "search/"
    assert (built / "search" / "index.json").is_file()
    assert form.get("data-library") == "assets/search.js"
    count = home.get_element_by_id("event-count")
    assert count.get("role") == "status" and count.text_content() == "4 events"


def test_every_event_has_a_stable_anchor_and_filter_data(built: Path) -> None:
    home = parse_html(built / "index.html")
    items = home.xpath("//li[contains(@class, 'event')]")
    assert [li.get("id") for li in items][::-1] == [
        "2016-02-10-first", "2017-09-11-second", "2017-10-second-report", "2020-06-16-third"]
    last = items[0]
    assert last.get("data-tags") == "inter-korean-relations"
    assert (last.get("data-status"), last.get("data-year")) == ("disputed", "2020")
    assert items[-1].get("data-places") == "kaesong"
    # Without JavaScript the same paths exist as pages: tag, place and year.
    for path in ("tags/kaesong", "places/kaesong", "years/2017"):
        assert (built / path / "index.html").is_file()
    event = parse_html(built / "events" / "2017-09-11-second" / "index.html")
    assert event.xpath("//article[@id='2017-09-11-second']")
    back = event.xpath("//nav[@class='breadcrumbs']/a")[0]
    assert back.get("href") == "../../#2017-09-11-second"


def _overview(page: Path) -> lxml.html.HtmlElement:
    svg = parse_html(page).xpath(
        "//figure[@class='overview']/div[@class='overview-wide']/*[local-name()='svg']")
    assert len(svg) == 1
    element: lxml.html.HtmlElement = svg[0]
    return element


def test_overview_strip_links_every_event_with_a_name(built: Path) -> None:
    home = parse_html(built / "index.html")
    svg = _overview(built / "index.html")
    caption = home.xpath("//figure[@class='overview']/figcaption")[0]
    assert svg.get("aria-labelledby") == caption.get("id")
    assert caption.text_content().endswith(
        "4 events from 2016 to 2020; the busiest year is 2017, with 2 events.")
    links = svg.xpath(".//*[local-name()='a']")
    assert [a.get("href") for a in links] == ["#2016-02-10-first", "#2017-09-11-second",
                                              "#2017-10-second-report", "#2020-06-16-third"]
    names = [a.xpath("string(./*[local-name()='title'])") for a in links]
    assert names[1] == "11 September 2017: Textile ban (confirmed)"
    assert names[2] == "c. October 2017: Factories restarted (reported) " \
                       "(approximate or uncertain date)"
    assert "ov-fuzzy" in links[2].get("class").split()
    assert "ov-disputed" in links[3].get("class").split()


def test_overview_on_later_pages_links_out_to_events_elsewhere(make_site: MakeSite) -> None:
    site = make_site(EVENTS, config=CONFIG + "page_size = 3\n")
    build_site(site)
    first = [a.get("href") for a in _overview(site / "site" / "index.html")
             .xpath(".//*[local-name()='a']")]
    # Newest first: page 1 holds the three latest; a mark goes to its event on its page.
    assert first == ["page/2/#2016-02-10-first", "#2017-09-11-second",
                     "#2017-10-second-report", "#2020-06-16-third"]
    second = [a.get("href") for a in _overview(site / "site" / "page" / "2" / "index.html")
              .xpath(".//*[local-name()='a']")]
    assert second == ["#2016-02-10-first", "../../#2017-09-11-second",
                      "../../#2017-10-second-report", "../../#2020-06-16-third"]
    timeline = parse_html(site / "site" / "page" / "2" / "index.html") \
        .get_element_by_id("timeline")
    assert (timeline.get("data-total"), timeline.get("data-pages")) == ("4", "2")


def test_search_documents_hold_every_searchable_field(built: Path) -> None:
    data = json.loads((built / "search.json").read_bytes())
    docs = {d["id"]: d for d in data["events"]}
    assert list(docs) == ["2016-02-10-first", "2017-09-11-second", "2017-10-second-report",
                          "2020-06-16-third"]
    ban = docs["2017-09-11-second"]
    assert ban["body"] == "The council banned textiles; see the record ."
    assert ban["sources"] == "Example News Report on Textile ban"
    assert (ban["places"], ban["place_slugs"], ban["tags"]) == (
        "New York", ["new-york"], "sanctions")
    assert (ban["url"], ban["year"], ban["status"]) == ("events/2017-09-11-second/", 2017,
                                                        "confirmed")
    assert ban["date"] == "11 September 2017"
    assert docs["2020-06-16-third"]["tag_slugs"] == ["inter-korean-relations"]


def test_search_documents_leave_drafts_out(make_site: MakeSite) -> None:
    site = make_site({**EVENTS, "content/events/2021-01-01-draft.md": event_text(
        "Secret draft", "2021-01-01", extra="draft: true\n")})
    build_site(site)
    assert b"Secret draft" not in (site / "site" / "search.json").read_bytes()
    assert b"Secret draft" not in (site / "site" / "index.html").read_bytes()


def test_pages_keep_the_content_security_policy(built: Path) -> None:
    pages = sorted(built.rglob("*.html"))
    assert len(pages) > 10
    for path in pages:
        doc = parse_html(path)
        assert not doc.xpath("//*[@style]"), path
        assert not doc.xpath("//style"), path
        for script in doc.xpath("//script"):
            if script.get("src") is None:
                assert script.get("type") == "application/ld+json", path
            else:
                # A module script is deferred by nature (and may not say defer).
                assert script.get("defer") is not None or script.get("type") == "module"
                assert "//" not in script.get("src")
        csp = doc.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
        assert "unsafe-inline" not in csp and "script-src" in csp and "style-src" in csp
    assert (built / "assets" / "search.js").is_file()
    assert not (built / "assets" / "vendor").exists()  # search needs no third-party code


def test_landmarks_headings_and_skip_link(built: Path) -> None:
    home = parse_html(built / "index.html")
    skip = home.xpath("//a[@class='skip-link']")[0]
    assert (skip.get("href"), skip.text_content()) == ("#timeline", "Skip to timeline")
    assert home.get_element_by_id("timeline").get("tabindex") == "-1"
    for landmark in ("header", "nav", "main", "footer"):
        assert home.xpath(f"//{landmark}"), landmark
    assert len(home.xpath("//h1")) == 1
    assert [h.text_content() for h in home.xpath("//h2[@class='year-heading']")] == [
        "2020", "2017", "2016"]
    assert len(home.xpath("//li[contains(@class,'event')]//h3")) == 4
    status = home.xpath("//li[@id='2020-06-16-third']//a[contains(@class,'status')]")[0]
    assert "Disputed" in status.text_content()  # in words, not only in colour
    print_css = home.xpath("//link[@rel='stylesheet'][@media='print']/@href")
    assert print_css == ["assets/print.css"]


def test_event_page_shares_a_permalink_and_a_copy_button(built: Path) -> None:
    page = parse_html(built / "events" / "2017-09-11-second" / "index.html")
    url = "https://example.org/tl/events/2017-09-11-second/"
    assert page.xpath("//a[@class='permalink']/@href") == [url]
    button = page.xpath("//button[@class='copy-link']")[0]
    assert button.get("hidden") is not None and button.get("data-url") == url
    assert page.xpath("//meta[@property='og:url']/@content") == [url]
    assert page.xpath("//meta[@property='og:title']/@content") == ["Textile ban"]
    assert page.xpath("//link[@rel='canonical']/@href") == [url]


def test_event_media_are_lazy_sized_and_described(make_site: MakeSite) -> None:
    media = ("media:\n  - src: images/plant.jpg\n    alt: A factory gate\n"
             "    caption: The main gate\n    credit: Photo by A. Person\n"
             "    width: 1200\n    height: 800\n"
             "  - src: https://example.org/map.png\n    alt: \"\"\n")
    site = make_site({"content/events/2017-09-11-media.md": event_text(
        "With media", "2017-09-11", extra=media), "static/images/plant.jpg": "not a jpeg"})
    build_site(site)
    page = parse_html(site / "site" / "events" / "2017-09-11-media" / "index.html")
    first, second = page.xpath("//figure[contains(@class,'media')]/img")
    assert first.get("src") == "../../images/plant.jpg"
    assert (first.get("alt"), first.get("width"), first.get("height")) == (
        "A factory gate", "1200", "800")
    # The lead image is near the top: loaded at once; the others as they come into view.
    assert (first.get("loading"), first.get("decoding")) == (None, "async")
    assert (second.get("loading"), second.get("decoding")) == ("lazy", "async")
    caption = page.xpath("//figure[contains(@class,'media')]/figcaption")[0]
    assert caption.text_content().split() == "The main gate Photo by A. Person".split()
    assert second.get("alt") == "" and second.get("src") == "https://example.org/map.png"
    assert page.xpath("//meta[@property='og:image']/@content") == [
        "https://example.org/tl/images/plant.jpg"]
    assert (site / "site" / "images" / "plant.jpg").is_file()


# Unit tests of generator/site/pages.py: the environment, rendering, cards.

def _env_site(make_site: MakeSite, templates: dict[str, str]) -> Path:
    return make_site({"content/events/a.md": event_file("A <b>&", tags="[x]"),
                      **{f"templates/{name}": text for name, text in templates.items()}})


def _jobs(site: Path):  # type: ignore[no-untyped-def]
    from generator.config import load_config
    from generator.content.loading import load_timeline
    from generator.site.plan import plan_site
    config, _ = load_config(site)
    timeline, _ = load_timeline(site, config, "2026-12-01")
    return config, timeline, {job.path: job for job in plan_site(timeline, config)}


def test_environment_escapes_and_refuses_undefined_names(make_site: MakeSite) -> None:
    import jinja2

    from generator.site.pages import make_environment
    env = make_environment(_env_site(make_site, {}))
    assert env.from_string("{{ x }}").render(x="<a href='x'>&") == \
        "&lt;a href=&#39;x&#39;&gt;&amp;"
    with pytest.raises(jinja2.UndefinedError, match="'nope' is undefined"):
        env.from_string("{{ nope }}").render()
    assert env.from_string("{{ 'Trade War' | slugify }}").render() == "trade-war"
    assert env.from_string("{{ json_for_html(d) | safe }}").render(d={"a": "</script>"}) == \
        '{"a":"\\u003c/script\\u003e"}'


def test_a_template_error_names_the_template_and_line(make_site: MakeSite) -> None:
    from generator.errors import SiteError
    from generator.site.pages import make_environment, render_pages
    site = _env_site(make_site, {"404.html": "<p>\n{{ missing_name }}\n</p>\n",
                                 "terms.html": "{% if %}\n"})
    config, _, jobs = _jobs(site)
    env = make_environment(site)
    with pytest.raises(SiteError) as caught:
        list(render_pages(env, [jobs["404.html"]], config, {}))
    assert str(caught.value) == ("templates/404.html:2: template error while rendering "
                                 "404.html: 'missing_name' is undefined")
    with pytest.raises(SiteError) as caught:
        list(render_pages(env, [jobs["tags/index.html"]], config, {}))
    assert str(caught.value) == ("templates/terms.html:1: template error: Expected an "
                                 "expression, got 'end of statement block'")


def test_cards_are_rendered_once_with_the_root_put_in_per_page(make_site: MakeSite) -> None:
    from generator.site.pages import ROOT_MARK, make_cards, make_environment, render_pages
    site = _env_site(make_site, {"_event.html": "<a href='{{ root }}{{ event_path(e) }}'>"
                                 "{{ e.title }}</a>"})
    config, timeline, jobs = _jobs(site)
    env = make_environment(site)
    event = timeline.events[0]
    cards = make_cards(env, config, [(e, "_event.html") for e in timeline.events])
    assert cards == {event.key: f"<a href='{ROOT_MARK}events/a/'>A &lt;b&gt;&amp;</a>"}
    pages = dict(render_pages(env, [jobs["tags/x/index.html"], jobs["index.html"]], config,
                              cards))
    tag_page = lxml.html.fromstring(pages["tags/x/index.html"])
    assert tag_page.xpath("//a[text()='A <b>&']/@href") == ["../../events/a/"]
    home = lxml.html.fromstring(pages["index.html"])
    assert home.xpath("//a[text()='A <b>&']/@href") == ["events/a/"]
    assert "\ue000" not in pages["index.html"].decode()


def test_cards_joins_each_card_as_card_does_in_one_call(make_site: MakeSite) -> None:
    """``cards(events, template, before, after)`` is ``card(e, template)`` of each, between
    the template's literals (escaped unless marked safe), with the page's root put in; a theme's
    ``_groups.html`` may still call ``card(e)`` one by one and gets the same cards."""
    from generator.site.pages import make_environment, render_pages
    site = _env_site(make_site, {
        "_event.html": "<a href='{{ root }}{{ event_path(e) }}'>{{ e.title }}</a>",
        "_groups.html": "{% for year, items in groups %}<p class='one'>{% for e in items %}"
                        "<i>{{ card(e) }}</i>{% endfor %}</p><p class='all'>"
                        "{{ cards(items, '_event.html', '<i>'|safe, '</i>'|safe) }}</p>"
                        "<p class='raw'>{{ cards(items, before='<b>') }}</p>{% endfor %}"})
    config, _, jobs = _jobs(site)
    page = dict(render_pages(make_environment(site), [jobs["tags/x/index.html"]], config, {}))
    tree = lxml.html.fromstring(page["tags/x/index.html"])
    one, every = (lxml.html.tostring(tree.cssselect(f"p.{kind}")[0], encoding=str)
                  for kind in ("one", "all"))
    assert every.replace("class=\"all\"", "") == one.replace("class=\"one\"", "")
    assert tree.xpath("//p[@class='all']/i/a/@href") == ["../../events/a/"]
    assert tree.cssselect("p.raw")[0].text == "<b>"  # a literal, escaped: no element
    assert tree.xpath("//p[@class='raw']/a/text()") == ["A <b>&"]
