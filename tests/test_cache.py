"""The build cache can only save time: warm builds equal cold ones, and nothing stale survives."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from generator.build import build_site
from generator.cli import main
from generator.config import today
from generator.incremental import state as state_module
from generator.incremental.compiled import compiled_templates
from generator.incremental.inputs import Inputs, input_key
from generator.incremental.store import open_store
from generator.output.journal import finish_journal
from generator.output.manifest import MANIFEST
from generator.output.writer import write_site
from generator.progress import Progress
from generator.site.cards import CARD
from generator.site.pages import PARALLEL_PAGES, make_environment

from conftest import CONFIG, MakeSite, event_file, parse_html, tree_hash


def _site(make_site: MakeSite, count: int = 30, **config: str) -> Path:
    extra = "".join(f"{k} = {v}\n" for k, v in config.items())
    files = {f"content/events/{2000 + i % 7}/e{i:03d}.md":
             event_file(f"Event {i:03d}", f"{2000 + i % 7}-{1 + i % 12:02d}",
                        tags=f"[t{i % 3}]", extra=f"places: [P{i % 4}]\n")
             for i in range(count)}
    return make_site(files, config=CONFIG + extra)


def _inputs(site: Path, output: Path) -> Inputs:
    """What a build's input check finds, committed as a build would."""
    store = open_store(site)
    try:
        return input_key(site, output, False, None, today(), store)
    finally:
        store.close()


def _cold(site: Path, name: str) -> dict[str, str]:
    out = site / name
    assert main(["build", str(site), "-q", "--no-cache", "--output", str(out)]) == 0
    return tree_hash(out)


def test_warm_builds_equal_cold_builds_after_each_kind_of_change(make_site: MakeSite) -> None:
    site = _site(make_site, page_size="8")
    assert main(["build", str(site), "-q"]) == 0
    assert tree_hash(site / "site") == _cold(site, "cold0")
    edits = [
        ("content/events/2003/e010.md", lambda t: t.replace("Event 010", "Renamed")),
        ("content/events/2001/e001.md", lambda t: t.replace('date: "2001-02"', 'date: "1999"')),
        ("content/events/2002/e002.md", lambda t: t.replace("[t2]", "[t2, fresh]")),
        ("content/events/2004/e004.md", lambda t: t.replace("What happened", "Changed body")),
    ]
    for number, (rel, edit) in enumerate(edits, start=1):
        path = site / rel
        path.write_text(edit(path.read_text()))
        assert main(["build", str(site), "-q"]) == 0
        assert tree_hash(site / "site") == _cold(site, f"cold{number}"), rel
    (site / "content/events/2005/e005.md").unlink()
    assert main(["build", str(site), "-q"]) == 0
    assert tree_hash(site / "site") == _cold(site, "cold-deleted")
    assert not (site / "site/events/e005").exists()


@pytest.mark.parametrize("change", ["template", "config"])
def test_template_or_config_change_rerenders_everything(change: str, make_site: MakeSite
                                                        ) -> None:
    site = _site(make_site)
    assert main(["build", str(site), "-q"]) == 0
    if change == "template":
        (site / "templates").mkdir()
        (site / "templates" / "_status.html").write_text("<b class=\"mine\">{{ e.status }}</b>")
    else:
        text = (site / "timeline.toml").read_text().replace("Test timeline", "Renamed site")
        (site / "timeline.toml").write_text(text)
    result = build_site(site)
    assert result.written > 30
    assert tree_hash(site / "site") == _cold(site, "cold")
    page = parse_html(site / "site" / "events" / "e000" / "index.html")
    if change == "template":
        assert page.cssselect("b.mine")[0].text_content() == "reported"
    else:
        assert page.cssselect(".site-title")[0].text_content() == "Renamed site"


def test_a_template_edit_keeps_every_export_part_and_search_entry(
        make_site: MakeSite, monkeypatch: pytest.MonkeyPatch) -> None:
    """No export or search entry is drawn by a template: after a template edit the pages
    are rendered again, each export's parts and each language's search entries are kept,
    and the site equals a cold build. A label edit still makes that language's again."""
    site = _site(make_site, languages='["en", "ko"]')
    (site / "content" / "labels.ko.yaml").write_text("t1: 태그\n", "utf-8")
    made: list[int] = []
    real = state_module.map_spans

    def counted(fn: Any, items: Sequence[Any], *args: Any, **kw: Any) -> Iterator[Any]:
        made.append(len(items))
        return real(fn, items, *args, **kw)

    monkeypatch.setattr(state_module, "map_spans", counted)
    assert main(["build", str(site), "-q"]) == 0
    assert sum(made) >= 30 * 2 * 5  # parts and entries of every event, in both languages
    (site / "templates").mkdir()
    (site / "templates" / "_status.html").write_text('<b class="mine">{{ e.status }}</b>')
    made.clear()
    result = build_site(site)
    assert result.written > 30 * 2  # every event page, in both languages
    assert sum(made) == 0
    assert tree_hash(site / "site") == _cold(site, "cold")
    ko = parse_html(site / "site" / "ko" / "events" / "e000" / "index.html")
    assert ko.cssselect("b.mine")
    (site / "content" / "labels.ko.yaml").write_text("t1: 다른 태그\n", "utf-8")
    made.clear()
    assert main(["build", str(site), "-q"]) == 0
    assert sum(made) > 0
    assert tree_hash(site / "site") == _cold(site, "cold-labels")
    index = json.loads((site / "site" / "ko" / "search.json").read_text("utf-8"))
    assert {e["tags"] for e in index["events"]} >= {"다른 태그"}


def test_no_op_build_writes_nothing_and_repairs_hand_deletions(make_site: MakeSite) -> None:
    site = _site(make_site)
    first = build_site(site)
    again = build_site(site)
    assert again.written == 0 and again.pages == first.pages
    (site / "site" / "events" / "e003" / "index.html").unlink()
    repaired = build_site(site)
    assert repaired.written >= 1
    assert tree_hash(site / "site") == _cold(site, "cold")


def test_killed_commit_is_finished_by_the_next_build(tmp_path: Path) -> None:
    out = tmp_path / "site"
    files = {f"p{i}/index.html": f"v1 {i}".encode() for i in range(5)}
    write_site(out, files.items(), len(files))
    # What a kill between the journal and the renames leaves behind:
    staging = tmp_path / ".site.staging"
    (staging / "p1").mkdir(parents=True)
    (staging / "p1" / "index.html").write_bytes(b"v2 1")
    manifest = json.loads((out / MANIFEST).read_text())
    manifest["files"]["p1/index.html"] = ["x", 4]
    (staging / MANIFEST).write_text(json.dumps(manifest))
    (tmp_path / ".site.journal").write_text(json.dumps(
        {"write": ["p1/index.html", MANIFEST], "remove": ["p4/index.html"]}))
    finish_journal(out)
    assert (out / "p1" / "index.html").read_bytes() == b"v2 1"
    assert not (out / "p4").exists()
    assert not (tmp_path / ".site.journal").exists()


def test_many_pages_rendered_on_every_core_equal_a_cold_build(make_site: MakeSite) -> None:
    """A template change re-renders every page, in worker processes when there are many."""
    site = _site(make_site, count=450)
    assert main(["build", str(site), "-q"]) == 0
    (site / "templates").mkdir()
    (site / "templates" / "_status.html").write_text('<b class="mine">{{ e.status }}</b>')
    result = build_site(site)
    assert result.written > PARALLEL_PAGES
    assert tree_hash(site / "site") == _cold(site, "cold")
    page = parse_html(site / "site" / "events" / "e123" / "index.html")
    assert page.cssselect("b.mine") and "What happened" in page.text_content()


def test_exports_are_cut_from_the_written_files_only_when_intact(make_site: MakeSite
                                                                 ) -> None:
    site = _site(make_site)
    assert main(["build", str(site), "-q"]) == 0
    csv_file = site / "site" / "events.csv"
    data = bytearray(csv_file.read_bytes())
    at = data.index(b"What happened")
    data[at:at + 4] = b"Xhat"  # same size, other bytes: the manifest's hash tells
    csv_file.write_bytes(bytes(data))
    edit = site / "content/events/2003/e010.md"
    edit.write_text(edit.read_text().replace("Event 010", "Renamed"))
    assert main(["build", str(site), "-q"]) == 0
    assert tree_hash(site / "site") == _cold(site, "cold")
    assert b"Xhat" not in csv_file.read_bytes()


def test_long_lists_paginate_with_working_links(make_site: MakeSite) -> None:
    site = _site(make_site, count=30, page_size="4")
    assert main(["build", str(site), "-q"]) == 0
    out = site / "site"
    pages = [out / "index.html"] + [out / "page" / str(n) / "index.html" for n in range(2, 9)]
    seen = []
    for number, page in enumerate(pages, start=1):
        doc = parse_html(page)
        seen += [li.get("id") for li in doc.cssselect("li.event")]
        nav = doc.cssselect("nav.pager")[0]
        assert f"Page {number} of 8" in nav.text_content()
        for link in nav.cssselect("a"):
            target = (page.parent / link.get("href")).resolve() / "index.html"
            assert target.is_file(), link.get("href")
    assert len(seen) == 30 and len(set(seen)) == 30
    assert not (out / "page" / "9").exists()


def test_progress_is_quiet_off_a_terminal() -> None:
    stream = io.StringIO()
    progress = Progress(stream, delay=0)
    progress.start("rendering", 3)
    for _ in range(3):
        progress.step()
    progress.done()
    assert stream.getvalue() == ""


def test_summary_line(make_site: MakeSite, capsys: pytest.CaptureFixture[str]) -> None:
    site = _site(make_site, count=5)
    assert main(["build", str(site)]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith("5 events, ") and " written, " in line and line.endswith(" s")
    assert os.path.isdir(site / ".timeline-cache")


def test_template_edited_in_place_is_compiled_again(make_site: MakeSite) -> None:
    site = _site(make_site)
    (site / "templates").mkdir()
    status = site / "templates" / "_status.html"
    stale = site / ".timeline-cache" / "templates" / "0000-from-another-version.cache"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"not a template")
    for word in ("first", "second"):
        status.write_text(f'<b class="mine">{word} {{{{ e.status }}}}</b>')
        assert main(["build", str(site), "-q"]) == 0
        page = parse_html(site / "site" / "events" / "e000" / "index.html")
        assert page.cssselect("b.mine")[0].text_content() == f"{word} reported"
        assert tree_hash(site / "site") == _cold(site, f"cold-{word}")
    assert not stale.exists()
    assert list(stale.parent.glob("*.cache"))  # compiled templates are kept for next time


def test_event_files_found_as_before(make_site: MakeSite) -> None:
    """Nested folders are read; hidden files, hidden folders and symlinked folders are not."""
    site = make_site({
        "content/events/2001/b.md": event_file("B", "2001"),
        "content/events/2001/a.md": event_file("A", "2001"),
        "content/events/2001-x/c.md": event_file("C", "2001"),
        "content/events/deep/er/d.md": event_file("D", "2002"),
        "content/events/2001/.e.md": event_file("Hidden file", "2003"),
        "content/events/.drafts/f.md": event_file("Hidden folder", "2003"),
        "content/events/2001/notes.txt": "not an event",
    })
    (site / "content" / "events" / "linked").symlink_to(site / "content" / "events" / "2001")
    assert main(["build", str(site), "-q"]) == 0
    data = json.loads((site / "site" / "events.json").read_text())
    assert [e["slug"] for e in data["events"]] == ["a", "b", "c", "d"]


def test_unusable_template_cache_only_costs_speed(make_site: MakeSite) -> None:
    site = _site(make_site, count=2)
    compiled = compiled_templates(site)
    assert compiled is not None
    folder = site / ".timeline-cache" / "templates"
    folder.rmdir()
    folder.write_text("a file where the folder was")
    # Reading and then storing the compiled template both fail on the file; neither raises.
    assert make_environment(site, compiled).get_template("404.html").name == "404.html"


def test_settled_files_are_not_read_again_and_any_rewrite_is_seen(
        make_site: MakeSite, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file keeps its recorded hash only while size, inode and both times are unchanged;
    a rewrite of the same size with its old modification time put back is still seen."""
    from generator.incremental import inputs as uptodate

    site = _site(make_site, count=12)
    assert main(["build", str(site), "-q"]) == 0
    output = site / "site"
    monkeypatch.setattr(uptodate, "SETTLED_NS", 0)  # no need to wait for files to settle
    first = _inputs(site, output)
    again = _inputs(site, output)
    assert again.read == {} and again.key == first.key
    assert set(again.digests) == set(first.digests)
    path = site / "content/events/2003/e003.md"
    old = path.stat()
    text = path.read_text()
    path.write_text(text.replace("Event 003", "Event 333"))  # same size
    os.utime(path, ns=(old.st_atime_ns, old.st_mtime_ns))
    assert path.stat().st_size == old.st_size and path.stat().st_mtime_ns == old.st_mtime_ns
    changed = _inputs(site, output)
    assert list(changed.read) == [str(path)]
    assert changed.key != first.key
    assert main(["build", str(site), "-q"]) == 0
    page = parse_html(output / "events" / "e003" / "index.html")
    assert page.cssselect("h1")[0].text_content().strip() == "Event 333"
    assert tree_hash(output) == _cold(site, "cold")


def test_a_file_written_just_before_its_hash_was_taken_is_read_again(
        make_site: MakeSite) -> None:
    """Within ``SETTLED_NS`` of the last check a file is always read: a second write in
    the same timestamp tick cannot hide behind an unchanged signature."""

    site = _site(make_site, count=5)
    assert main(["build", str(site), "-q"]) == 0
    path = site / "content/events/2001/e001.md"
    path.write_text(path.read_text().replace("Event 001", "Event 101"))
    _inputs(site, site / "site")
    again = _inputs(site, site / "site")
    assert str(path) in again.read


def test_file_hashes_recorded_by_another_version_of_the_tool_are_not_used(
        make_site: MakeSite, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another version may hash files another way: its table must not be trusted, or every
    content lookup would miss for good."""
    from generator.incremental import inputs as uptodate

    site = _site(make_site, count=4)
    monkeypatch.setattr(uptodate, "SETTLED_NS", 0)
    _inputs(site, site / "site")
    assert _inputs(site, site / "site").read == {}
    monkeypatch.setattr(uptodate, "code_hash", lambda: "another version")
    again = _inputs(site, site / "site")
    assert len(again.read) == len(again.digests) > 4


def counted_chronology_lines(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """(language, event slug) of each chronology line rendered from now on."""
    from generator.site import pages

    drawn: list[tuple[str, str]] = []
    real = pages.render_card

    def counted(env: Any, config: Any, event: Any, template: str = CARD) -> str:
        if template == "_chronology_line.html":
            drawn.append((config.language, event.slug))
        return real(env, config, event, template)

    monkeypatch.setattr(pages, "render_card", counted)
    return drawn


def test_an_edit_renders_one_chronology_line_per_language(
        make_site: MakeSite, monkeypatch: pytest.MonkeyPatch) -> None:
    """The chronology's lines are kept per event like the lists' cards: after one title
    edit a warm build draws that event's line once in each language, and equals a cold
    build."""
    site = _site(make_site, languages='["en", "ko"]')
    drawn = counted_chronology_lines(monkeypatch)
    assert main(["build", str(site), "-q"]) == 0
    assert sorted(drawn) == sorted((language, f"e{i:03d}") for i in range(30)
                                   for language in ("en", "ko"))
    path = site / "content/events/2003/e010.md"
    path.write_text(path.read_text("utf-8").replace("Event 010", "Renamed"), "utf-8")
    drawn.clear()
    assert main(["build", str(site), "-q"]) == 0
    assert sorted(drawn) == [("en", "e010"), ("ko", "e010")]
    assert tree_hash(site / "site") == _cold(site, "cold")
    for page in ("chronology", "ko/chronology"):
        lines = parse_html(site / "site" / page / "index.html").cssselect("ol.chronology li")
        assert len(lines) == 30
        renamed = [li for li in lines if li.get("id") == "e010"]
        assert renamed[0].cssselect("a.chrono-title")[0].text == "Renamed"


def test_a_title_edit_that_reorders_one_date_keeps_the_other_home_pages(
        make_site: MakeSite, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past MAX_MARKS the home pages' strip counts dates only: a title edit that moves an
    event among those of its date re-renders the page holding it, not every home page."""
    site = _site(make_site, count=160, page_size="40")  # 160 > MAX_MARKS: bars
    for name, date in (("e010", "2003"), ("e094", "2003~")):  # one day first, two texts
        path = site / f"content/events/2003/{name}.md"
        path.write_text(path.read_text().replace('date: "2003-11"', f'date: "{date}"'))
    assert main(["build", str(site), "-q"]) == 0
    rendered: list[str] = []
    real = state_module.BuildState.pages_to_render

    def counted(self: Any, config: Any, jobs: Any) -> Any:
        todo, kept = real(self, config, jobs)
        rendered.extend(job.path for job in todo)
        return todo, kept
    monkeypatch.setattr(state_module.BuildState, "pages_to_render", counted)
    path = site / "content/events/2003/e010.md"  # now after e094
    path.write_text(path.read_text().replace("Event 010", "Renamed"))
    assert main(["build", str(site), "-q"]) == 0
    home = [p for p in rendered if p == "index.html" or p.startswith("page/")]
    assert tree_hash(site / "site") == _cold(site, "cold")
    assert len(home) == 1, home  # e010 and e094 are on one page of four
    holder = parse_html(site / "site" / home[0])
    assert {"e010", "e094"} <= {li.get("id") for li in holder.cssselect("li.event")}
