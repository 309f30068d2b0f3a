"""Redirect pages for aliases, and the _redirects file, with the site's sub-path."""

from __future__ import annotations

from generator.config import parse_config
from generator.content.loading import load_timeline
from generator.site.aliases import redirect_jobs, redirects
from generator.site.plan import PageJob

from conftest import CONFIG, MakeSite, event_file


def test_redirects_and_their_jobs(make_site: MakeSite) -> None:
    site = make_site({
        "content/events/a.md": event_file("A", extra="aliases: [/old/a/, /x%y.html]\n"),
        "content/pages/about.md": "---\ntitle: About\naliases: [/about-us]\n---\nUs.\n"})
    config, _ = parse_config(CONFIG)
    timeline, problems = load_timeline(site, config, "2026-12-01")
    assert [p for p in problems if p.severity == "error"] == []
    assert redirects(timeline) == [("about-us/", "about/", "About"),
                                   ("old/a/", "events/a/", "A"), ("x%y.html", "events/a/", "A")]
    jobs = redirect_jobs(timeline, config, PageJob)
    assert [(j.path, j.template) for j in jobs] == [
        ("about-us/index.html", "redirect.html"), ("old/a/index.html", "redirect.html"),
        ("x%y.html", "redirect.html"), ("_redirects", "redirects.txt")]
    assert jobs[1].context == {"kind": "redirect", "target": "events/a/", "title": "A",
                               "alias": "old/a/"}
    assert jobs[-1].context["redirects"] == [("/tl/about-us/", "/tl/about/"),
                                             ("/tl/old/a/", "/tl/events/a/"),
                                             ("/tl/x%25y.html", "/tl/events/a/")]


def test_no_aliases_no_jobs(make_site: MakeSite) -> None:
    site = make_site({"content/events/a.md": event_file("A")})
    config, _ = parse_config(CONFIG)
    timeline, _ = load_timeline(site, config, "2026-12-01")
    assert redirect_jobs(timeline, config, PageJob) == []
