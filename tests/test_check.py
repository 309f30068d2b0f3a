"""``check_site``: every problem a build would meet, templates it would not use included,
renamed slugs found from the last build's manifest; nothing written."""

from __future__ import annotations

from generator.check import check_site
from generator.cli import main

from conftest import MakeSite, event_file, tree_hash


def said(problems: list[object]) -> list[str]:
    return [str(p) for p in problems]


def test_a_good_site_has_no_problem_and_nothing_is_written(make_site: MakeSite) -> None:
    site = make_site({"content/events/a.md": event_file("A")})
    before = tree_hash(site)
    assert check_site(site) == []
    assert tree_hash(site) == before


def test_an_unused_template_with_a_syntax_error(make_site: MakeSite) -> None:
    site = make_site({"content/events/a.md": event_file("A"),
                      "templates/unused.html": "{% for %}\n",
                      "templates/.hidden.html": "{% for %}\n"})
    assert said(check_site(site)) == [
        "templates/unused.html:1: template error: Expected an expression, got 'end of "
        "statement block'"]


def test_problems_sorted_and_strict(make_site: MakeSite) -> None:
    site = make_site({"content/events/b.md": event_file("B", date="2017-02-30"),
                      "content/events/a.md": event_file("A", tags="[]")})
    problems = check_site(site)
    assert said(problems) == [
        "content/events/a.md:4: warning: tags: no tags: readers find events by tag",
        "content/events/b.md:3: date: no such day 2017-02-30"]
    assert [p.severity for p in check_site(site, strict=True)] == ["error", "error"]


def test_a_renamed_slug_is_found(make_site: MakeSite) -> None:
    site = make_site({"content/events/old.md": event_file("A")})
    assert main(["build", str(site), "-q"]) == 0
    (site / "content/events/old.md").rename(site / "content/events/new.md")
    assert said(check_site(site)) == [
        "content/events/new.md: warning: aliases: /events/old/ was published by an earlier "
        "build and no page has it now: if this event was /events/old/, add aliases: "
        "[/events/old/]"]
    (site / "content/events/new.md").write_text(
        event_file("A", extra="aliases: [/events/old/]\n"), "utf-8")
    assert check_site(site) == []
