"""Every URL a build published is remembered: a page that goes without an alias or a gone
entry is a warning on every build, check and deploy, never only once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.check import check_site
from generator.cli import main

from conftest import MakeSite, event_file

LOST = ("warning: aliases: /events/{0}/ was published by an earlier build and no page has "
        "it now: ")


def _build(site: Path, capsys: pytest.CaptureFixture[str], *flags: str) -> list[str]:
    """A build that succeeds, and the warnings it printed."""
    capsys.readouterr()
    assert main(["build", str(site), "-q", *flags]) == 0
    return [line for line in capsys.readouterr().err.splitlines() if "aliases:" in line]


def test_a_renamed_event_warns_on_every_build_until_an_alias_says_so(
        make_site: MakeSite, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({"content/events/old.md": event_file("Renamed"),
                      "content/events/other.md": event_file("Other", "2018")})
    assert _build(site, capsys) == []
    (site / "content/events/old.md").rename(site / "content/events/new.md")
    said = ("content/events/new.md: " + LOST.format("old") + "if this event was "
            "/events/old/, add aliases: [/events/old/]")
    assert _build(site, capsys) == [said]
    assert _build(site, capsys) == [said]  # the manifest no longer has it: still said
    assert _build(site, capsys, "--no-cache") == [said]
    (site / ".timeline-cache" / "state.sqlite").unlink()  # a cache thrown away forgets nothing
    assert _build(site, capsys) == [said]
    assert [str(p) for p in check_site(site)] == [said]
    (site / "content/events/new.md").write_text(
        event_file("Renamed", extra="aliases: [/events/old/]\n"), "utf-8")
    assert _build(site, capsys) == []
    assert check_site(site) == []
    record = json.loads((site / ".timeline-cache/published/pages.json").read_text("utf-8"))
    assert {url: rec[:2] for url, rec in record["pages"].items()} == {
        "events/new/": ["content/events/new.md", "Renamed"],
        "events/old/": ["content/events/old.md", "Renamed"],
        "events/other/": ["content/events/other.md", "Other"]}
    # (first, last) generation: a build that published another set of pages is a new one
    assert [record["pages"][url][3] for url in ("events/old/", "events/new/")] == [1, 2]


def test_a_removed_event_never_suggests_an_unrelated_new_one(
        make_site: MakeSite, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({"content/events/a.md": event_file("Factory opens", "2017-09-11")})
    assert _build(site, capsys) == []
    (site / "content/events/a.md").unlink()  # one gone, one new, the same day: unrelated
    (site / "content/events/b.md").write_text(event_file("Port closes", "2017-09-11"), "utf-8")
    expected = ["content/events/a.md: " + LOST.format("a") + "add aliases: [/events/a/] to "
                "the event or page that took its place, or list it in content/gone.yaml if "
                "it is gone for good"]
    assert [str(p) for p in check_site(site)] == expected
    assert _build(site, capsys) == expected


def test_an_event_keeping_its_file_is_named_whatever_its_title(
        make_site: MakeSite, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({"content/events/a.md": event_file("First title")})
    assert _build(site, capsys) == []
    (site / "content/events/a.md").write_text(
        event_file("Second title", extra="slug: second\n"), "utf-8")
    assert _build(site, capsys)[0].startswith("content/events/a.md: " + LOST.format("a")
                                              + "if this event was /events/a/")


def test_gone_yaml_ends_the_warning_and_answers_410(
        make_site: MakeSite, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({"content/events/a.md": event_file("A"),
                      "content/events/hoax.md": event_file("Hoax", "2018")},
                     'title = "T"\nbase_url = "https://t.example.net/tl/"\n')
    assert _build(site, capsys) == []
    (site / "content/events/hoax.md").unlink()
    assert len(_build(site, capsys)) == 1
    (site / "content/gone.yaml").write_text("# taken down\n- /events/hoax/\n", "utf-8")
    assert _build(site, capsys) == []
    assert check_site(site) == []
    lines = (site / "site/_redirects").read_text("utf-8").splitlines()
    assert [line.split() for line in lines if not line.startswith("#")] == [
        ["/tl/events/hoax/", "/tl/404.html", "410"]]
    assert not (site / "site/events/hoax").exists()


@pytest.mark.parametrize(("gone", "message"), [
    ("- /events/a/\n", "content/gone.yaml:1: gone: '/events/a/' is not gone: "
     "content/events/a.md has it; take it off this list"),
    ("- events/x/\n", "content/gone.yaml:1: gone[0]: 'events/x/' must start with '/': an "
     "alias is a path from the site's root, like /events/old-slug/"),
    ("x: 1\n", "content/gone.yaml:1: gone: expected a list of old URLs (- /events/slug/)")])
def test_a_wrong_gone_entry_is_an_error(make_site: MakeSite, gone: str, message: str) -> None:
    site = make_site({"content/events/a.md": event_file("A"), "content/gone.yaml": gone})
    assert [str(p) for p in check_site(site)] == [message]
    assert main(["build", str(site), "-q"]) == 1


def test_a_translation_s_page_is_remembered_and_one_alias_keeps_every_language(
        make_site: MakeSite, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({"content/events/a.md": event_file("A"),
                      "content/events/a.ko.md": "---\ntitle: 가\n---\n본문\n"},
                     'title = "T"\nlanguages = ["en", "ko"]\n')
    assert _build(site, capsys) == []
    record = json.loads((site / ".timeline-cache/published/pages.json").read_text("utf-8"))
    assert sorted(record["pages"]) == ["events/a/", "ko/events/a/"]
    for name in ("a.md", "a.ko.md"):
        (site / "content/events" / name).rename(site / "content/events" / name.replace("a", "b"))
    assert len(_build(site, capsys)) == 1  # one warning for the page in both languages
    (site / "content/events/b.md").write_text(
        event_file("A", extra="aliases: [/events/a/]\n"), "utf-8")
    assert _build(site, capsys) == []


def test_a_drafts_build_records_nothing(make_site: MakeSite,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({"content/events/a.md": event_file("A", extra="draft: true\n")})
    assert _build(site, capsys, "--drafts") == []
    (site / "content/events/a.md").unlink()
    (site / "content/events/b.md").write_text(event_file("B"), "utf-8")
    assert _build(site, capsys) == []


def test_the_record_keeps_one_value_a_line_with_any_title(
        make_site: MakeSite, capsys: pytest.CaptureFixture[str]) -> None:
    """The record is written as ``json.dumps(..., indent=0)`` would (one value a line, so a
    reader's diff shows what changed), quotes and Korean included."""
    site = make_site({"content/events/a.md": event_file('Quote \\" and 한국 here'),
                      "content/events/b.md": event_file("Other", "2018")})
    assert _build(site, capsys) == []
    text = (site / ".timeline-cache/published/pages.json").read_text("utf-8")
    record = json.loads(text)
    assert record["pages"]["events/a/"][1] == 'Quote " and 한국 here'
    assert text == json.dumps(record, ensure_ascii=False, indent=0) + "\n"
