"""Planning the site: the path of every kind of page, pagination, and inputs that change
exactly when what a page shows changes."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from generator.config import SiteConfig, parse_config
from generator.content.loading import Timeline, load_timeline
from generator.site.eras import overlaps, overlaps_year
from generator.site.plan import PageJob, embed_snippet, plan_site, root_of

from conftest import CONFIG, MakeSite, event_file

TODAY = "2026-12-01"
FILES = {
    "content/events/a.md": event_file("A", "2017-09-11", tags="[Trade, border]",
                                      extra="places: [Seoul]\n"),
    "content/events/b.md": event_file("B", "2017-10", tags="[trade]"),
    "content/events/c.md": event_file("C", "2018", tags="[border]",
                                      extra="aliases: [/old/c/]\n"),
    "content/pages/about.md": "---\ntitle: About\n---\nUs.\n",
}


def load(site: Path, config: str = CONFIG) -> tuple[Timeline, SiteConfig]:
    parsed, _ = parse_config(config)
    timeline, problems = load_timeline(site, parsed, TODAY)
    assert [p for p in problems if p.severity == "error"] == []
    return timeline, parsed


def plan(site: Path, config: str = CONFIG) -> dict[str, PageJob]:
    timeline, parsed = load(site, config)
    return {job.path: job for job in plan_site(timeline, parsed)}


def test_paths_of_every_kind_of_page(make_site: MakeSite) -> None:
    jobs = plan(make_site(FILES))
    assert list(jobs) == [
        "index.html", "events/a/index.html", "events/b/index.html", "events/c/index.html",
        "tags/border/index.html", "tags/trade/index.html", "tags/index.html",
        "places/seoul/index.html", "places/index.html",
        "years/2017/index.html", "years/2018/index.html", "years/index.html",
        "about/index.html", "404.html", "feed.xml", "recent/index.html",
        "chronology/index.html", "sitemap.xml", "embed/index.html",
        "old/c/index.html", "_redirects"]
    assert {path: job.template for path, job in jobs.items()}["tags/trade/index.html"] == \
        "list.html"
    assert jobs["tags/trade/index.html"].context["name"] == "Trade"  # first spelling seen
    assert [e.title for e in jobs["tags/trade/index.html"].events] == ["B", "A"]
    assert jobs["tags/index.html"].context["terms"] == [
        ("border", "tags/border/", 2), ("Trade", "tags/trade/", 2)]
    assert jobs["sitemap.xml"].context["paths"] == [
        p for p in jobs if p.endswith(".html")
        and p not in ("404.html", "old/c/index.html", "embed/index.html")]
    event = jobs["events/b/index.html"].context
    assert (event["prev_event"].title, event["next_event"].title) == ("A", "C")
    assert event["years"] == [2017, 2018] and event["event_count"] == 3


def test_pagination(make_site: MakeSite) -> None:
    jobs = plan(make_site(FILES), CONFIG + "page_size = 2\n")
    pagers = {p: j.context["pager"] for p, j in jobs.items() if j.template in ("index.html",
                                                                               "list.html")}
    first, second = pagers["index.html"], pagers["page/2/index.html"]
    assert {k: first[k] for k in ("number", "count", "prev", "next", "first", "last")} == {
        "number": 1, "count": 2, "prev": None, "next": "page/2/", "first": "", "last": "page/2/"}
    assert (second["number"], second["prev"], second["next"]) == (2, "", None)
    assert first["links"] == second["links"] == [(1, ""), (2, "page/2/")]
    # Newest first: the oldest event is on the last page; each year's first page is known.
    assert [e.title for e in jobs["page/2/index.html"].events] == ["A"]
    assert first["years"] == {2018: "", 2017: ""}  # 2017 starts on page 1, ends on 2
    assert jobs["page/2/index.html"].context["total"] == 3
    assert pagers["years/2017/index.html"]["count"] == 1
    assert "years/2017/page/2/index.html" not in jobs


def test_an_empty_list_still_has_its_page(make_site: MakeSite) -> None:
    jobs = plan(make_site({"content/events/.keep": ""}))
    assert jobs["index.html"].context["pager"]["count"] == 1
    assert list(jobs["index.html"].events) == []
    assert "tags/index.html" in jobs and "years/index.html" in jobs


def changed(before: dict[str, PageJob], after: dict[str, PageJob]) -> list[str]:
    assert list(before) == list(after)
    return [p for p in before if before[p].inputs != after[p].inputs]


def test_inputs_change_exactly_when_the_page_does(make_site: MakeSite) -> None:
    site = make_site(FILES)
    before = plan(site)
    assert changed(before, plan(site)) == []  # planning twice: the same inputs
    (site / "content/events/c.md").write_text(
        FILES["content/events/c.md"].replace('"C"', '"C, renamed"'), "utf-8")
    assert changed(before, plan(site)) == [  # b links to c by title, a's axis names c
        "index.html", "events/a/index.html", "events/b/index.html", "events/c/index.html",
        "tags/border/index.html", "years/2018/index.html", "feed.xml",
        "recent/index.html", "chronology/index.html", "embed/index.html",
        "old/c/index.html"]  # the redirect names its target; _redirects holds paths only


def test_a_new_year_changes_every_page(make_site: MakeSite) -> None:
    site = make_site(FILES)
    before = plan(site)
    (site / "content/events/d.md").write_text(event_file("D", "2019", tags="[new]"), "utf-8")
    after = plan(site)
    kept = [p for p in before if p in after and before[p].inputs == after[p].inputs]
    assert kept == ["old/c/index.html", "_redirects"]  # all else lists the years (navigation)


def test_embed_snippet_and_root() -> None:
    config = SiteConfig("T <1>", base_url="https://x.test/tl/")
    assert embed_snippet(config, config.title, "a-b") == (
        '<iframe src="https://x.test/tl/embed/#a-b" title="T &lt;1&gt;" width="100%" '
        'height="480" loading="lazy"></iframe>')
    assert root_of("events/a/index.html", config) == "../../"
    assert root_of("index.html", config) == ""
    assert root_of("404.html", config) == "/tl/"
    assert root_of("404.html", SiteConfig("T")) == "/"


EDITS = {
    "title": ("content/events/b.md", lambda t: t.replace('"B"', '"B, renamed"')),
    "body": ("content/events/b.md", lambda t: t.replace("neutral words", "other words")),
    "tags": ("content/events/b.md", lambda t: t.replace("[trade]", "[trade, new]")),
    "date": ("content/events/b.md", lambda t: t.replace("2017-10", "2018-01")),
    "status": ("content/events/a.md", lambda t: t.replace("places:", "status: disputed\n"
                                                           "places:")),
    "page": ("content/pages/about.md", lambda t: t.replace("About", "About us")),
    "era": ("content/eras.yaml", lambda t: "- title: War\n  start: 2017-09\n  end: 2017-12\n"),
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_a_page_whose_inputs_are_kept_is_byte_identical(make_site: MakeSite, edit: str
                                                        ) -> None:
    """The promise the incremental build rests on: equal inputs, equal bytes."""
    from generator.build import render_site
    site = make_site(FILES)

    def pages() -> tuple[dict[str, PageJob], dict[str, object]]:
        timeline, parsed = load(site)
        return ({j.path: j for j in plan_site(timeline, parsed)},
                render_site(site))
    jobs, before = pages()
    rel, change = EDITS[edit]
    path = site / rel
    path.write_text(change(path.read_text("utf-8") if path.exists() else ""), "utf-8")
    new_jobs, after = pages()
    kept = [p for p in jobs if p in new_jobs and jobs[p].inputs == new_jobs[p].inputs]
    assert kept, edit  # some page is reused for every one of these edits
    assert [p for p in kept if before[p] != after[p]] == []
    # The other way round is allowed: a page whose inputs changed may come out the same
    # (an event page's inputs hold its neighbours' whole keys; it shows only their titles).



def test_eras_before_year_1_and_after_9999_are_shown(make_site: MakeSite) -> None:
    # Both were missed: era and event dates were compared as ISO text, which sorts
    # '-0100' after '-0075' and '12000' before '2017'.
    site = make_site({
        "content/events/ides.md": event_file("Ides", "-0043-03-15"),
        "content/events/far.md": event_file("Far", "Y12000"),
        "content/events/now.md": event_file("Now", "2017"),
        "content/eras.yaml": "- title: Late Republic\n  start: '-0100'\n  end: '-0030'\n"
                             "- title: Far future\n  start: Y11000\n  end: Y13000\n"
                             "- title: Modern\n  start: '1900'\n"})
    jobs = plan(site)
    eras = {path: [era.title for era in jobs[path].context["eras"]]
            for path in ("events/ides/index.html", "events/far/index.html",
                         "events/now/index.html", "years/-43/index.html",
                         "years/12000/index.html", "years/2017/index.html")}
    assert eras == {
        "events/ides/index.html": ["Late Republic"], "events/far/index.html": [
            "Far future", "Modern"], "events/now/index.html": ["Modern"],
        "years/-43/index.html": ["Late Republic"],
        "years/12000/index.html": ["Far future", "Modern"],
        "years/2017/index.html": ["Modern"]}


def test_a_date_edit_that_moves_where_a_year_starts_remakes_every_year_strip(
        make_site: MakeSite, tmp_path: Path) -> None:
    """The home page's year strip links each year to the page where it starts. An event
    that keeps its place but moves to the year before changes that page for every page's
    strip, not only its own: a warm build then equals a cold one. (Over 150 events and
    150 years, the overview counts decades, so it does not change with them.)"""
    from generator.build import build_site

    dates = {"a": "2004-06-01", "b": "2004-01-01", "d": "2003-06-01", "f": "2003-01-01",
             "g": "2002-06-01"}
    dates.update({f"x{n}": f"{1840 + n // 2}-0{1 + n % 2}-01" for n in range(300)})
    site = make_site({f"content/events/{name}.md": event_file(name.upper(), date)
                      for name, date in dates.items()},
                     CONFIG + 'page_size = 2\norder = "newest-first"\n')
    out = tmp_path / "out"
    build_site(site, out)
    path = site / "content/events/b.md"
    path.write_text(path.read_text("utf-8").replace("2004-01-01", "2003-12-31"), "utf-8")
    build_site(site, out)
    cold = tmp_path / "cold"
    build_site(site, cold, use_cache=False)
    for page in ("index.html", "page/2/index.html", "page/3/index.html"):
        assert (out / page).read_bytes() == (cold / page).read_bytes(), page
    strip = lxml.html.fromstring((cold / "page/3/index.html").read_bytes())
    assert strip.xpath('//nav[@id="year-strip"]//li[@data-year="2003"]/a/@href') == \
        ["../../#y2003"]  # 2003 now starts on page 1


@pytest.mark.parametrize(("count", "title_counts"), [(20, True), (160, False)])
def test_the_home_pages_keep_their_overview_through_edits_it_does_not_show(
        make_site: MakeSite, count: int, title_counts: bool) -> None:
    """A short timeline's strip marks each event, so a title edit changes it; a long one's
    bars count dates only, so a title edit leaves every other home page as it was, and a
    date edit still changes them all."""
    files = {f"content/events/e{n:03}.md": event_file(f"E{n}", f"{1900 + n}-05-01")
             for n in range(count)}
    config = CONFIG + "page_size = 10\n"
    before = plan(make_site(files), config)
    last = f"content/events/e{count - 1:03}.md"  # newest: page 1 of the home page
    retitled = plan(make_site({**files, last: event_file("Retitled", f"{1899 + count}-05-01")}),
                    config)
    redated = plan(make_site({**files, last: event_file(f"E{count - 1}",
                                                         f"{1899 + count}-06-01")}), config)
    page = "page/2/index.html"
    assert (retitled[page].inputs != before[page].inputs) is title_counts
    assert redated[page].inputs != before[page].inputs
    assert before[page].context["overview"].startswith("<svg")


def test_an_era_overlaps_the_dates_and_years_it_shares_a_day_with() -> None:
    from generator.content.dates import parse_date

    era = parse_date("2016-02-10/2018")
    assert overlaps(era, parse_date("2017-05"))
    assert overlaps(era, parse_date("2018-12-31")) and overlaps(era, parse_date("2016"))
    assert not overlaps(era, parse_date("2016-02-09")) and not overlaps(era, parse_date("2019"))
    assert [y for y in range(2014, 2021) if overlaps_year(era, y)] == [2016, 2017, 2018]
    assert overlaps(parse_date("2016/.."), parse_date("2030-01-01"))
