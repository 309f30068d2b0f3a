"""Walking content/: which files are read and in what order, how the timeline is put
together (order, drafts, duplicates, reserved slugs), and what a file is keyed by."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.config import parse_config
from generator.content.loading import (
    ContentFile,
    content_files,
    load_eras,
    load_timeline,
    make_timeline,
    parse_file,
    parse_files,
    read_job,
)
from generator.errors import SiteError
from generator.hashing import file_digest, text_digest

from conftest import CONFIG, MakeSite, event_file

TODAY = "2026-12-01"


def page_file(title: str, extra: str = "") -> str:
    return f"---\ntitle: {title}\n{extra}---\nText.\n"


def timeline(site: Path, drafts: bool = False):  # type: ignore[no-untyped-def]
    config, _ = parse_config(CONFIG)
    return load_timeline(site, config, TODAY, drafts)


def test_content_files_order_hidden_and_linked_folders(make_site: MakeSite) -> None:
    site = make_site({
        "content/events/b.md": "x", "content/events/a.md": "x", "content/events/a/z.md": "x",
        "content/events/a-b.md": "x", "content/events/.hidden.md": "x",
        "content/events/.drafts/x.md": "x", "content/events/notes.txt": "x",
        "content/events/.trash/2017/09/deep.md": "x",  # was read: only 2 parents were looked at
        "content/pages/about.md": "x", "content/pages/sub/deep.md": "x",
        "elsewhere/linked.md": "x"})
    os.symlink(site / "elsewhere", site / "content" / "events" / "linked")
    files = content_files(site)
    assert [(f.kind, f.rel) for f in files] == [
        ("event", "content/events/a/z.md"), ("event", "content/events/a-b.md"),  # by parts
        ("event", "content/events/a.md"), ("event", "content/events/b.md"),
        ("page", "content/pages/about.md")]
    assert files[2].path == str(site / "content" / "events" / "a.md")


def test_no_content_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SiteError) as caught:
        content_files(tmp_path)
    assert str(caught.value) == (f"content: folder not found in {tmp_path}: events go in "
                                 "content/events/")


def test_read_job_keys_by_kind_path_and_bytes(make_site: MakeSite) -> None:
    site = make_site({"content/events/a.md": "one"})
    file = content_files(site)[0]
    _, raw, key = read_job(file)
    assert raw == b"one"
    assert key == text_digest("event", "content/events/a.md", file_digest(b"one"))
    as_page = ContentFile("page", file.rel, file.path)
    assert read_job(as_page)[2] != key
    (site / "content/events/a.md").write_text("two", "utf-8")
    assert read_job(file)[2] != key


def test_timeline_order_drafts_and_keys(make_site: MakeSite) -> None:
    site = make_site({
        "content/events/late.md": event_file("Late", "2018"),
        "content/events/early.md": event_file("Early", "2017-09-11"),
        "content/events/draft.md": event_file("Draft", "2017", extra="draft: true\n"),
        "content/pages/b.md": page_file("Beta"), "content/pages/a.md": page_file("Alpha"),
        "content/pages/first.md": page_file("Zulu", "order: -1\n"),
        "content/pages/d.md": page_file("Draft page", "draft: true\n")})
    line, problems = timeline(site)
    assert problems == []
    assert [e.title for e in line.events] == ["Early", "Late"]
    assert [p.title for p in line.pages] == ["Zulu", "Alpha", "Beta"]
    assert line.events[0].key == read_job(content_files(site)[1])[2]  # early.md
    assert line.events[0].summary == "What happened, in neutral words."
    assert line.events[0].html == "<p>What happened, in neutral words.</p>"
    with_drafts, _ = timeline(site, drafts=True)
    assert [e.title for e in with_drafts.events] == ["Draft", "Early", "Late"]
    assert len(with_drafts.pages) == 4


def test_duplicate_and_reserved_slugs(make_site: MakeSite) -> None:
    site = make_site({
        "content/events/a.md": event_file("A", extra="slug: same\n"),
        "content/events/b.md": event_file("B", extra="slug: same\n"),
        "content/pages/tags.md": page_file("Tags"),
        "content/pages/x.md": page_file("X", "slug: feed-xml\n")})
    _, problems = timeline(site)
    assert [str(p) for p in problems] == [
        "content/events/b.md: slug: 'same' is also the slug of content/events/a.md: two "
        "events cannot share a page",
        "content/pages/tags.md: slug: 'tags' is reserved for the site's own pages: choose "
        "another slug"]


def test_parse_file_problems() -> None:
    item, problems = parse_file("event", "e.md", b"\xff", False, TODAY)
    assert item is None
    assert [str(p) for p in problems] == ["e.md:1: not valid UTF-8: byte 0xff at offset 0"]
    item, problems = parse_file("page", "content/pages/p.md", b"---\ntitle: P\n---\n<b>x</b>",
                                False, TODAY)
    assert item is not None and problems == []
    assert item.html == "<p>&lt;b&gt;x&lt;/b&gt;</p>"  # raw HTML is text unless allow_html
    assert item.summary == "<b>x</b>"


def test_parse_files_keeps_the_order_on_many_cores(make_site: MakeSite) -> None:
    files = {f"content/events/e{i:03}.md": event_file(f"E{i}", f"{2000 + i % 20}")
             for i in range(210)}
    site = make_site(files)
    jobs = [read_job(f) for f in content_files(site)]
    parsed = parse_files(jobs, False, TODAY)
    assert [item.title for item, _ in parsed] == [f"E{i}" for i in range(210)]  # type: ignore[union-attr]


def test_eras_file(make_site: MakeSite) -> None:
    site = make_site({"content/eras.yaml": "- title: War\n  start: 1950\n  end: 1953\n"})
    eras, problems = load_eras(site)
    assert problems == [] and [(e.title, e.date.text) for e in eras] == [("War", "1950/1953")]
    site = make_site({"content/eras.yaml": "title: War\n"})
    assert [str(p) for p in load_eras(site)[1]] == [
        "content/eras.yaml:1: expected a list of eras (- title: ..., start: ...)"]
    assert load_eras(make_site({"content/eras.yaml": ""})) == ([], [])
    assert load_eras(make_site({})) == ([], [])


def test_eras_written_under_their_name_read_as_the_list(make_site: MakeSite) -> None:
    """``eras:`` then the list, the form the browser editor saves: the same eras, and a
    mistake named at its own line."""
    site = make_site({"content/eras.yaml": "# periods\neras:\n- title: War\n  start: 1950\n"
                      "  end: 1953\n- title: Later\n  start: 19xx\n"})
    eras, problems = load_eras(site)
    assert [(e.title, e.date.text) for e in eras] == [("War", "1950/1953")]
    assert [(p.path, p.line, p.field) for p in problems] == [
        ("content/eras.yaml", 7, "eras[1].start")]
    site = make_site({"content/eras.yaml": "eras:\n"})
    assert load_eras(site) == ([], [])


def test_make_timeline_takes_problems_as_given(make_site: MakeSite) -> None:
    site = make_site({"content/events/a.md": "x"})
    line, problems = make_timeline(site, [(None, [])])
    assert line.events == () and problems == []


def test_an_event_under_a_drafts_folder_is_a_draft(make_site: MakeSite) -> None:
    site = make_site({
        "content/events/a.md": event_file("Published"),
        "content/events/drafts/b.md": event_file("Parked", body="UNVERIFIED - do not publish"),
        "content/events/2017/Drafts/c.md": event_file("Also parked", extra="draft: false\n"),
        "content/events/drafts-2017/d.md": event_file("Not a drafts folder")})
    published, problems = timeline(site)
    assert sorted(e.title for e in published.events) == ["Not a drafts folder", "Published"]
    assert [str(p) for p in problems] == [
        "content/events/2017/Drafts/c.md:5: warning: draft: false, but the file is in a "
        "drafts/ folder, which keeps it a draft: move it out of drafts/ to publish it"]
    shown, _ = timeline(site, drafts=True)  # as serve and build --drafts show them
    assert sorted(e.title for e in shown.events if e.draft) == ["Also parked", "Parked"]
    from generator.build import load_site
    from generator.dev.deploy import _drafts  # what deploy refuses

    assert sorted(_drafts(site, load_site)) == ["content/events/2017/Drafts/c.md",
                                     "content/events/drafts/b.md"]


def test_a_body_that_says_do_not_publish_warns_unless_a_draft(make_site: MakeSite) -> None:
    bodies = {"a": "UNVERIFIED - do not publish", "b": "\n**Not for publication.** Wait.",
              "c": "Unverified reports said the plant closed.",
              "d": "The paper said it would not publish the list.",
              "e": "[DRAFT] Ministry statement"}
    files = {f"content/events/{k}.md": event_file(k.upper(), body=v) for k, v in bodies.items()}
    files["content/events/f.md"] = event_file("F", body="DO NOT PUBLISH", extra="draft: true\n")
    site = make_site(files)
    _, problems = timeline(site, drafts=True)
    assert [str(p) for p in problems] == [
        "content/events/a.md:11: warning: body: 'UNVERIFIED - do not publish' says not to "
        "publish this event: keep it a draft (draft: true) until it may be, then remove the "
        "note",
        "content/events/b.md:12: warning: body: '**Not for publication.** Wait.' says not to "
        "publish this event: keep it a draft (draft: true) until it may be, then remove the "
        "note",
        "content/events/e.md:11: warning: body: '[DRAFT] Ministry statement' says not to "
        "publish this event: keep it a draft (draft: true) until it may be, then remove the "
        "note"]
