"""The in-memory incremental layer ``serve`` keeps between builds: after every kind of edit,
the site it holds is byte for byte the site a cold ``build`` writes with the same settings."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from test_cache import counted_chronology_lines

from generator.build import build_site
from generator.content import loading
from generator.dev import first
from generator.dev.first import FirstPages
from generator.errors import SiteError
from generator.incremental import memory
from generator.incremental.memory import MemoryState, Served
from generator.output.manifest import MANIFEST

from conftest import REPO, MakeSite, event_file

BASE = "http://127.0.0.1:8000/"
CONFIG = ('title = "Memory"\nbase_url = "https://m.example/"\nlanguages = ["en", "ko"]\n'
          'description = "Kept in memory."\n')
KO_EVENT = "---\ntitle: 유엔, 섬유 수출 금지\nsummary: 결의 2375호.\n---\n안보리가 조치했다.\n"


def _files(count: int = 6) -> dict[str, str]:
    files = {f"content/events/{2000 + n}/e{n}.md": event_file(
        f"Event {n}", f"{2000 + n}-0{1 + n % 9}-1{n % 9}", tags=f"[t{n % 3}, common]",
        body=f"Body of event {n}, in **neutral** words.") for n in range(count)}
    files["content/events/2000/e0.ko.md"] = KO_EVENT
    files["content/events/2003/draft.md"] = event_file("A draft", "2003", extra="draft: true\n")
    files["content/pages/about.md"] = "---\ntitle: About\n---\nWho we are.\n"
    files["content/labels.ko.yaml"] = "common: 공통\n"
    return files


def _joined(files: Mapping[str, Served]) -> dict[str, bytes]:
    return {rel: data if isinstance(data, bytes) else b"".join(data)
            for rel, data in files.items()}


def served(state: MemoryState) -> dict[str, bytes]:
    return _joined(state.site_files)


def _showing(make_site: MakeSite, shown: str
             ) -> tuple[Path, MemoryState, dict[str, bytes], list[dict[str, bytes]]]:
    """A site built in memory while a browser shows ``shown``: (the site, its state, what
    it serves, and what each rebuild serves early, as it is then)."""
    site = make_site(_files(), CONFIG)
    state = MemoryState(site, site / "out", True, BASE)
    build(site, state)
    previews: list[dict[str, bytes]] = []
    WISHES[state] = ({shown}, lambda: previews.append(_joined(state.serving())))
    return site, state, served(state), previews


WISHES: dict[MemoryState, tuple[set[str], Callable[[], None]]] = {}
"""What ``serve`` would pass to each build of a state: the pages shown, whom to tell."""


def cold(site: Path, output: Path) -> dict[str, bytes]:
    """What ``timeline build`` writes with serve's settings, reusing nothing."""
    if output.exists():
        shutil.rmtree(output)
    build_site(site, output, drafts=True, base_url=BASE, use_cache=False)
    return {p.relative_to(output).as_posix(): p.read_bytes() for p in output.rglob("*")
            if p.is_file() and p.name != MANIFEST}


def build(site: Path, state: MemoryState) -> None:
    """As ``serve`` builds: in memory, with the pages it wants first (``dev/first.py``)."""
    shown, early = WISHES.get(state, (set(), None))
    wishes = FirstPages(state, shown, early)
    build_site(site, state.output, drafts=True, base_url=BASE, state=state, target="memory",
               order=wishes.order, told=wishes.told)


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), "utf-8")


def _template_edit(site: Path) -> None:
    (site / "templates").mkdir(exist_ok=True)
    text = (REPO / "templates" / "_event.html").read_text("utf-8")
    (site / "templates" / "_event.html").write_text(text + "<!-- edited -->\n", "utf-8")


EDITS: list[tuple[str, Callable[[Path], None]]] = [
    ("title", lambda s: _replace(s / "content/events/2002/e2.md", "Event 2", "Edited two")),
    ("body", lambda s: _replace(s / "content/events/2003/e3.md", "Body of", "Changed body of")),
    ("date", lambda s: _replace(s / "content/events/2001/e1.md", "2001-02-11", "2004-07-01")),
    ("tag", lambda s: _replace(s / "content/events/2004/e4.md", "[t1, common]", "[t1, fresh]")),
    ("status", lambda s: _replace(s / "content/events/2005/e5.md", "tags:",
                                  "status: disputed\ntags:")),
    ("added event", lambda s: (s / "content/events/2010").mkdir() or
     (s / "content/events/2010/new.md").write_text(event_file("New one", "2010-05-05"), "utf-8")),
    ("deleted event", lambda s: (s / "content/events/2001/e1.md").unlink()),
    ("template", _template_edit),
    ("config", lambda s: _replace(s / "timeline.toml", 'title = "Memory"', 'title = "Kept"')),
    ("translation", lambda s: _replace(s / "content/events/2000/e0.ko.md", "조치했다",
                                       "다시 조치했다")),
    ("draft published", lambda s: _replace(s / "content/events/2003/draft.md",
                                           "draft: true\n", "")),
    ("page", lambda s: _replace(s / "content/pages/about.md", "Who we are", "Who we were")),
]


def test_served_site_equals_a_cold_build_after_every_kind_of_edit(
        make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site(_files(), CONFIG)
    state = MemoryState(site, site / ".timeline-cache" / "serve", True, BASE)
    build(site, state)
    assert served(state) == cold(site, tmp_path / "cold")
    assert not state.output.exists()  # nothing written to disk
    for name, edit in EDITS:
        before = served(state)
        edit(site)
        build(site, state)
        now = served(state)
        assert now == cold(site, tmp_path / "cold"), name
        assert now != before, name
        assert sorted(state.changed) == sorted(
            rel for rel in now.keys() | before.keys() if now.get(rel) != before.get(rel)), name


def _age(site: Path) -> None:
    """Make every file look written long ago, so its stat can be trusted."""
    past = time.time() - 60
    for path in site.rglob("*"):
        os.utime(path, (past, past))


def test_only_changed_files_are_parsed_again(make_site: MakeSite,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site(_files(), CONFIG)
    _age(site)
    state = MemoryState(site, site / "out", True, BASE)
    build(site, state)
    parsed: list[str] = []
    real = loading.parse_files

    def counting(jobs, *args, **kwargs):  # type: ignore[no-untyped-def]
        parsed.extend(file.rel for file, _, _ in jobs)
        return real(jobs, *args, **kwargs)

    monkeypatch.setattr(loading, "parse_files", counting)
    build(site, state)
    assert parsed == []
    _replace(site / "content/events/2002/e2.md", "Event 2", "Edited two")
    build(site, state)
    assert parsed == ["content/events/2002/e2.md"]


def test_told_what_changed_it_looks_at_nothing_else(make_site: MakeSite, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """``serve``'s watcher names the saved files: the other files are not even stat'ed."""
    site = make_site(_files(), CONFIG)
    monkeypatch.setattr(memory, "RACY_NS", 0)  # as if every file was written long ago
    state = MemoryState(site, site / "out", True, BASE)
    build(site, state)
    looked: list[str] = []
    real = memory._stat
    monkeypatch.setattr(memory, "_stat", lambda path: looked.append(path) or real(path))
    path = site / "content/events/2002/e2.md"
    _replace(path, "Event 2", "Edited two")
    state.notice([path])
    build(site, state)
    assert set(looked) == {str(path)}
    assert served(state) == cold(site, tmp_path / "cold")
    looked.clear()
    build(site, state)  # told nothing since: nothing looked at, nothing changes
    assert looked == []
    assert served(state) == cold(site, tmp_path / "cold")


def test_a_second_save_in_the_same_tick_is_seen(make_site: MakeSite, tmp_path: Path) -> None:
    """Same size, same modification time: only the bytes tell the second save apart."""
    site = make_site(_files(), CONFIG)
    path = site / "content/events/2002/e2.md"
    state = MemoryState(site, site / "out", True, BASE)
    build(site, state)
    stamp = path.stat().st_mtime_ns
    _replace(path, "Event 2", "Event X")
    os.utime(path, ns=(stamp, stamp))
    build(site, state)
    assert served(state) == cold(site, tmp_path / "cold")
    assert b"Event X" in served(state)["events/e2/index.html"]


def test_a_failed_build_keeps_the_last_good_site(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site(_files(), CONFIG)
    state = MemoryState(site, site / "out", True, BASE)
    build(site, state)
    good = served(state)
    path = site / "content/events/2002/e2.md"
    _replace(path, 'date: "2002-03-12"', 'date: "2002-02-30"')
    with pytest.raises(SiteError) as caught:
        build(site, state)
    assert [str(p) for p in caught.value.problems] == [
        "content/events/2002/e2.md:3: date: no such day 2002-02-30"]
    assert served(state) == good
    _replace(path, 'date: "2002-02-30"', 'date: "2002-03-12"')
    _replace(site / "content/events/2003/e3.md", "Body of", "New body of")
    build(site, state)
    assert served(state) == cold(site, tmp_path / "cold")


def test_renamed_file_and_deleted_folder(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site(_files(), CONFIG)
    state = MemoryState(site, site / "out", True, BASE)
    build(site, state)
    events = site / "content" / "events"
    (events / "2004" / "e4.md").rename(events / "2004" / "renamed.md")
    build(site, state)
    assert served(state) == cold(site, tmp_path / "cold")
    assert "events/renamed/index.html" in state.site_files
    assert "events/e4/index.html" not in state.site_files
    shutil.rmtree(events / "2005")
    build(site, state)
    assert served(state) == cold(site, tmp_path / "cold")
    assert not any("events/e5/" in rel for rel in state.site_files)
    fresh = MemoryState(site, site / "out", True, BASE)  # what the site alone needs kept
    build(site, fresh)
    assert set(state.kept_parsed) == set(fresh.kept_parsed)
    assert set(state.signatures) == set(fresh.signatures)
    assert set(state.kept_pages) == set(fresh.kept_pages)
    assert set(state.kept_cards) == set(fresh.kept_cards)
    assert {kind: set(parts) for kind, parts in state.kept_parts.items()} == \
        {kind: set(parts) for kind, parts in fresh.kept_parts.items()}



def test_an_edit_draws_one_chronology_line_per_language(make_site: MakeSite, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    """Serve keeps each chronology line in memory: a title edit draws that event's line once
    per language, and the site equals a cold build."""
    site = make_site(_files(), CONFIG)
    state = MemoryState(site, site / "out", True, BASE)
    drawn = counted_chronology_lines(monkeypatch)
    build(site, state)
    assert {slug for _, slug in drawn} == {f"e{n}" for n in range(6)} | {"draft"}
    assert len(drawn) == 2 * 7
    _replace(site / "content/events/2003/e3.md", "Event 3", "Renamed")
    drawn.clear()
    build(site, state)
    assert sorted(drawn) == [("en", "e3"), ("ko", "e3")]
    assert served(state) == cold(site, tmp_path / "cold")

def test_many_files_changed_at_once(make_site: MakeSite, tmp_path: Path) -> None:
    """A ``git checkout`` that rewrites most files, adds some and removes others."""
    site = make_site(_files(40), CONFIG)
    state = MemoryState(site, site / "out", True, BASE)
    build(site, state)
    for n in range(0, 40, 2):
        _replace(site / f"content/events/{2000 + n}/e{n}.md", f"Event {n}\"",
                 f"Checked out {n}\"")
    for n in range(1, 40, 4):
        (site / f"content/events/{2000 + n}/e{n}.md").unlink()
    for n in range(10):
        (site / f"content/events/2001/more{n}.md").write_text(
            event_file(f"More {n}", f"2001-0{1 + n % 9}"), "utf-8")
    build(site, state)
    assert served(state) == cold(site, tmp_path / "cold")


def test_memory_does_not_grow_from_edit_to_edit(make_site: MakeSite) -> None:
    site = make_site(_files(), CONFIG)
    state = MemoryState(site, site / "out", True, BASE)
    build(site, state)
    sizes = []
    path = site / "content/events/2002/e2.md"
    for n in range(6):
        _replace(path, f"Event {2 if n == 0 else f'v{n - 1}'}\"", f"Event v{n}\"")
        build(site, state)
        sizes.append((len(state.kept_parsed), len(state.kept_cards),
                      sum(map(len, state.kept_parts.values())),
                      len(state.kept_pages), len(state.signatures), len(state.site_files)))
    assert len(set(sizes)) == 1, sizes


def test_the_pages_browsers_show_are_made_first_and_shown_early(
        make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A template edit remakes every page: the open one is served before the others."""
    monkeypatch.setattr(first, "EARLY_FROM", 5)
    shown = "events/e4/index.html"
    site, state, before, previews = _showing(make_site, shown)
    (site / "templates").mkdir()
    (site / "templates" / "_sources.html").write_text(
        (REPO / "templates" / "_sources.html").read_text("utf-8") + "<i>edited</i>", "utf-8")
    build(site, state)
    after = served(state)
    assert after == cold(site, tmp_path / "cold")
    assert len(previews) == 1
    preview = previews[0]
    assert preview[shown] == after[shown] != before[shown]
    assert preview["index.html"] == before["index.html"] != after["index.html"]
    assert state.serving() is state.site_files  # the preview is gone once the build ends


def test_on_a_large_site_an_open_page_is_shown_before_the_exports_are_made(
        make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A title edit remakes a handful of pages: on a large site the open one is served as
    soon as it is made, and the exports (made after every page) follow."""
    monkeypatch.setattr(first, "EARLY_SITE", 10)
    shown = "events/e4/index.html"
    site, state, before, previews = _showing(make_site, shown)
    path = site / "content/events/2004/e4.md"
    _replace(path, "Event 4", "Event four")
    state.notice([path])
    build(site, state)
    after = served(state)
    assert after == cold(site, tmp_path / "cold")
    assert len(previews) == 1
    preview = previews[0]
    assert b"Event four" in preview[shown] and preview[shown] == after[shown]
    # Not made yet when the page was shown: the exports still hold the old title.
    assert b"Event four" not in preview["events.json"]
    assert preview["events.json"] == before["events.json"] != after["events.json"]


def test_on_a_large_site_a_deleted_open_page_is_gone_before_the_exports_are_made(
        make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(first, "EARLY_SITE", 10)
    shown = "events/e4/index.html"
    site, state, before, previews = _showing(make_site, shown)
    path = site / "content/events/2004/e4.md"
    path.unlink()
    state.notice([path])
    build(site, state)
    after = served(state)
    assert after == cold(site, tmp_path / "cold")
    assert len(previews) == 1
    assert shown in before and shown not in previews[0] and shown not in after
    assert previews[0]["events.json"] == before["events.json"] != after["events.json"]


def test_on_a_small_site_an_edit_is_shown_whole(make_site: MakeSite) -> None:
    """Below ``EARLY_SITE`` pages, and with few pages to make, nothing is shown early: the
    whole site changes at once."""
    site = make_site(_files(), CONFIG)
    state = MemoryState(site, site / "out", True, BASE)
    build(site, state)
    previews: list[int] = []
    WISHES[state] = ({"events/e4/index.html"}, lambda: previews.append(1))
    path = site / "content/events/2004/e4.md"
    _replace(path, "Event 4", "Event four")
    state.notice([path])
    build(site, state)
    assert previews == []
    assert b"Event four" in served(state)["events/e4/index.html"]


def test_shown_ahead_an_added_event_has_its_page_and_a_deleted_one_none(
        make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Adding or deleting an event changes every page (they show the count): the added
    event's page, and the deleted one's absence, are served before the rest is made."""
    monkeypatch.setattr(first, "EARLY_FROM", 5)
    site = make_site(_files(), CONFIG)
    state = MemoryState(site, site / "out", True, BASE)
    build(site, state)
    before = served(state)
    previews: list[set[str]] = []
    WISHES[state] = (set(), lambda: previews.append(set(state.serving())))
    (site / "content/events/2001/e1.md").unlink()
    (site / "content/events/2001/added.md").write_text(event_file("Added", "2001-05-05"),
                                                      "utf-8")
    build(site, state)
    assert served(state) == cold(site, tmp_path / "cold")
    assert len(previews) == 1
    assert "events/added/index.html" in previews[0]
    assert "events/e1/index.html" not in previews[0]
    assert "events/e1/index.html" in before
