"""The build cache can only save time: warm builds equal cold ones, and nothing stale survives."""

from __future__ import annotations

import io
import json
import os
import shutil
from pathlib import Path

import pytest

from generator.build import SPARE_OF, build_site, compiled_templates, make_environment
from generator.cli import main
from generator.config import load_config
from generator.content.loading import StoredEvent, load_timeline
from generator.incremental.inputs import today
from generator.output.writer import (
    MANIFEST,
    SPARE_FROM,
    Staging,
    begin,
    finish,
    finish_journal,
    put,
    read_manifest,
    write_site,
)
from generator.progress import Progress
from generator.site.render import PARALLEL_PAGES, plan_site

from conftest import CONFIG, MakeSite, event_file, parse_html, tree_hash


def _site(make_site: MakeSite, count: int = 30, **config: str) -> Path:
    extra = "".join(f"{k} = {v}\n" for k, v in config.items())
    files = {f"content/events/{2000 + i % 7}/e{i:03d}.md":
             event_file(f"Event {i:03d}", f"{2000 + i % 7}-{1 + i % 12:02d}",
                        tags=f"[t{i % 3}]", extra=f"places: [P{i % 4}]\n")
             for i in range(count)}
    return make_site(files, config=CONFIG + extra)


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
    write_site(out, files)
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


def test_cached_events_read_their_text_only_when_used(make_site: MakeSite) -> None:
    site = _site(make_site)
    assert main(["build", str(site), "-q"]) == 0
    config, _ = load_config(site)
    fresh, _ = load_timeline(site, config, today(), use_cache=False)
    cached, _ = load_timeline(site, config, today())
    assert all(isinstance(e, StoredEvent) and "_full" not in e.__dict__
               for e in cached.events)
    # Planning reads only what every page needs; the text is read when it is used.
    plan_site(cached, config)
    assert not any("_full" in e.__dict__ for e in cached.events)
    for stored, parsed in zip(cached.events, fresh.events, strict=True):
        assert (stored.html, stored.sources, stored.front_matter, stored.summary) == \
               (parsed.html, parsed.sources, parsed.front_matter, parsed.summary)
        assert stored.title == parsed.title and stored.date == parsed.date


def test_a_damaged_pack_costs_only_time(make_site: MakeSite) -> None:
    site = _site(make_site, page_size="8")
    assert main(["build", str(site), "-q"]) == 0
    (pack,) = (site / ".timeline-cache").glob("content-*.pack")
    pack.write_bytes(pack.read_bytes()[:100])
    edit = site / "content/events/2003/e010.md"
    edit.write_text(edit.read_text().replace("Event 010", "Renamed"))
    assert main(["build", str(site), "-q"]) == 0
    assert tree_hash(site / "site") == _cold(site, "cold")
    # Damage that keeps the size is found when a text is read: the cache is made anew.
    pack.write_bytes(bytes(len(pack.read_bytes())))
    edit.write_text(edit.read_text().replace("Renamed", "Renamed again"))
    (site / "site" / "events.json").unlink()  # so every event's text is needed again
    assert main(["build", str(site), "-q"]) == 0
    assert tree_hash(site / "site") == _cold(site, "cold2")
    config, _ = load_config(site)
    cached, _ = load_timeline(site, config, today())
    assert all(isinstance(e, StoredEvent) for e in cached.events)
    assert all(e.html.startswith("<p>") for e in cached.events)


def test_spares_of_an_output_folder_that_is_gone_are_removed(make_site: MakeSite,
                                                            tmp_path: Path) -> None:
    site = _site(make_site)
    once, kept = tmp_path / "once", tmp_path / "kept"
    assert main(["build", str(site), "-q"]) == 0
    for out in (once, kept):
        assert main(["build", str(site), "-q", "--output", str(out)]) == 0
    spares = site / ".timeline-cache" / "spare"
    assert len(list(spares.iterdir())) == 3  # site/, once/ and kept/
    shutil.rmtree(once)
    edit = site / "content/events/2003/e010.md"
    edit.write_text(edit.read_text().replace("Event 010", "Renamed"))
    assert main(["build", str(site), "-q", "--output", str(kept)]) == 0
    assert sorted((p / SPARE_OF).read_text() for p in spares.iterdir()) == \
        sorted([str(site / "site"), str(kept)])


def test_cached_events_are_read_in_forked_workers_too(make_site: MakeSite) -> None:
    """A template change re-renders every page, in worker processes when there are many:
    each reads the text of the cached events it shows from the cache itself."""
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


def _stage(out: Path, files: dict[str, bytes], spare: Path) -> Staging:
    staging = begin(out, 1, spare)
    for rel, data in files.items():
        put(staging, rel, data)
    return staging


def test_big_files_are_written_over_the_spare_copy(tmp_path: Path) -> None:
    out, spare = tmp_path / "site", tmp_path / "spare"
    big = SPARE_FROM + 10
    files = {"small.html": b"s1", "data.json": b"a" * big}
    finish(_stage(out, files, spare))  # the first build has no spare to use
    first = (out / "data.json").stat().st_ino
    finish(_stage(out, {**files, "data.json": b"b" * (big + 5)}, spare))
    second = (out / "data.json").stat().st_ino
    # The replaced version was kept aside, and the next change is written over it.
    assert (spare / "data.json").stat().st_ino == first
    staging = _stage(out, {**files, "data.json": b"c" * (big - 7)}, spare)
    assert (out / "data.json").read_bytes() == b"b" * (big + 5)  # nothing changed yet
    finish(staging)
    assert (out / "data.json").stat().st_ino == first
    assert (out / "data.json").read_bytes() == b"c" * (big - 7)
    assert (spare / "data.json").stat().st_ino == second
    assert read_manifest(out)["data.json"][1] == big - 7


def test_a_whole_new_site_keeps_the_replaced_big_file_as_spare(tmp_path: Path) -> None:
    out, spare = tmp_path / "site", tmp_path / "spare"
    big = SPARE_FROM + 3
    finish(_stage(out, {"data.json": b"a" * big, "p.html": b"1"}, spare))
    first = (out / "data.json").stat().st_ino
    staging = begin(out, None, spare)  # no estimate: the whole folder is made anew
    assert staging.whole
    put(staging, "data.json", [b"b" * 5, memoryview(b"c" * big)])  # written from pieces
    put(staging, "p.html", b"2")
    finish(staging)
    assert (out / "data.json").read_bytes() == b"b" * 5 + b"c" * big
    assert (spare / "data.json").stat().st_ino == first
    assert read_manifest(out)["data.json"][1] == big + 5


def test_a_spare_still_in_the_site_is_never_written_over(tmp_path: Path) -> None:
    out, spare = tmp_path / "site", tmp_path / "spare"
    big = SPARE_FROM + 10
    finish(_stage(out, {"data.json": b"a" * big}, spare))
    # What a build killed while keeping the spare leaves: the live file linked there too.
    spare.mkdir(exist_ok=True)
    os.link(out / "data.json", spare / "data.json")
    staging = _stage(out, {"data.json": b"b" * big}, spare)
    assert (out / "data.json").read_bytes() == b"a" * big
    finish(staging)
    assert (out / "data.json").read_bytes() == b"b" * big


def test_killed_commit_keeps_the_spare_and_finishes(tmp_path: Path) -> None:
    out, spare = tmp_path / "site", tmp_path / "spare"
    big = SPARE_FROM + 1
    finish(_stage(out, {"data.json": b"a" * big}, spare))
    old = (out / "data.json").stat().st_ino
    staging = tmp_path / ".site.staging"
    staging.mkdir()
    (staging / "data.json").write_bytes(b"b" * big)
    (tmp_path / ".site.journal").write_text(json.dumps(
        {"write": ["data.json"], "remove": [], "spare": str(spare)}))
    finish_journal(out)
    assert (out / "data.json").read_bytes() == b"b" * big
    assert (spare / "data.json").stat().st_ino == old


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
    first = uptodate.input_key(site, output, False, None)
    again = uptodate.input_key(site, output, False, None)
    assert again.read == {} and again.key == first.key
    assert set(again.digests) == set(first.digests)
    path = site / "content/events/2003/e003.md"
    old = path.stat()
    text = path.read_text()
    path.write_text(text.replace("Event 003", "Event 333"))  # same size
    os.utime(path, ns=(old.st_atime_ns, old.st_mtime_ns))
    assert path.stat().st_size == old.st_size and path.stat().st_mtime_ns == old.st_mtime_ns
    changed = uptodate.input_key(site, output, False, None)
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
    from generator.incremental import inputs as uptodate

    site = _site(make_site, count=5)
    assert main(["build", str(site), "-q"]) == 0
    path = site / "content/events/2001/e001.md"
    path.write_text(path.read_text().replace("Event 001", "Event 101"))
    uptodate.input_key(site, site / "site", False, None)
    again = uptodate.input_key(site, site / "site", False, None)
    assert str(path) in again.read


def test_file_hashes_recorded_by_another_version_of_the_tool_are_not_used(
        make_site: MakeSite, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another version may hash files another way: its table must not be trusted, or every
    content lookup would miss for good."""
    from generator.incremental import inputs as uptodate
    from generator.incremental import store as cache

    site = _site(make_site, count=4)
    monkeypatch.setattr(uptodate, "SETTLED_NS", 0)
    uptodate.input_key(site, site / "site", False, None)
    assert uptodate.input_key(site, site / "site", False, None).read == {}
    monkeypatch.setattr(cache, "code_hash", lambda: "another version")
    again = uptodate.input_key(site, site / "site", False, None)
    assert len(again.read) == len(again.digests) > 4
