"""The incremental layer (``generator.incremental.state``) and its build state: whatever
happens to it, or to a build half-way, the next build equals a build from nothing."""

from __future__ import annotations

import csv
import io
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.build import build_site
from generator.cli import main
from generator.config import today
from generator.incremental import state as state_module
from generator.incremental.state import BuildState
from generator.incremental.store import CACHE_DIR, SCHEMA, STATE_FILE, open_store

from conftest import CONFIG, REPO, MakeSite, event_file, tree_hash


def _site(make_site: MakeSite, count: int = 24) -> Path:
    files = {f"content/events/{2000 + i % 5}/e{i:03d}.md":
             event_file(f"Event {i:03d}", f"{2000 + i % 5}-{1 + i % 12:02d}",
                        tags=f"[t{i % 3}]")
             for i in range(count)}
    return make_site(files, config=CONFIG + "page_size = 6\n")


def _cold(site: Path, name: str = "cold") -> dict[str, str]:
    out = site.parent / f"{site.name}-{name}"
    assert main(["build", str(site), "-q", "--no-cache", "--output", str(out)]) == 0
    return tree_hash(out)


def _edit(site: Path, number: int, words: str) -> None:
    path = next((site / "content" / "events").rglob(f"e{number:03d}.md"))
    path.write_text(path.read_text().replace("What happened", f"{words}. What happened"))


def _exports_parse(output: Path) -> None:
    for name in ("events.json", "timelinejs.json", "search.json"):
        json.loads((output / name).read_text("utf-8"))
    rows = list(csv.reader(io.StringIO((output / "events.csv").read_text("utf-8"))))
    assert len({len(row) for row in rows}) == 1


def test_a_damaged_state_file_only_costs_time(make_site: MakeSite) -> None:
    site = _site(make_site)
    assert main(["build", str(site), "-q"]) == 0
    state = site / CACHE_DIR / STATE_FILE
    state.write_bytes(b"this is not a database" * 100)
    _edit(site, 3, "Edited")
    assert main(["build", str(site), "-q"]) == 0
    assert tree_hash(site / "site") == _cold(site)
    with sqlite3.connect(state) as db:  # made anew, usable
        assert db.execute("SELECT value FROM meta WHERE name = 'schema'").fetchone()[0] == SCHEMA


def test_a_state_file_of_another_version_is_made_anew(make_site: MakeSite) -> None:
    site = _site(make_site)
    assert main(["build", str(site), "-q"]) == 0
    with sqlite3.connect(site / CACHE_DIR / STATE_FILE) as db:
        db.execute("UPDATE meta SET value = 'from the future' WHERE name = 'schema'")
        db.execute("CREATE TABLE future (x)")
    _edit(site, 4, "Edited")
    assert main(["build", str(site), "-q"]) == 0
    assert tree_hash(site / "site") == _cold(site)
    with sqlite3.connect(site / CACHE_DIR / STATE_FILE) as db:
        names = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    assert "future" not in names


def test_files_of_earlier_versions_are_removed_from_the_cache(make_site: MakeSite) -> None:
    site = _site(make_site, count=3)
    folder = site / CACHE_DIR
    (folder / "spare" / "abc").mkdir(parents=True)
    for name in ("content-03.pickle", "content-0123.pack", ".content-03.tmp1", "inputs.pickle"):
        (folder / name).write_bytes(b"old")
    assert main(["build", str(site), "-q"]) == 0
    assert sorted(p.name for p in folder.iterdir()
                  if not p.name.startswith(f"{STATE_FILE}-")) == ["locks", "published",
                                                                  STATE_FILE, "templates"]


def test_a_build_killed_after_its_commit_leaves_no_stale_layout(make_site: MakeSite,
                                                                monkeypatch: pytest.MonkeyPatch
                                                                ) -> None:
    """The attack: kill a build after the site is in place but before the state is
    committed, then edit another event. The kept layouts describe the files of the build
    before; they must not be applied to the newer files (the exports were left invalid)."""
    site = _site(make_site)
    assert main(["build", str(site), "-q"]) == 0
    _edit(site, 5, "Appended to one")

    def killed(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt  # as a kill, the state's transaction is never committed

    with monkeypatch.context() as patch:
        patch.setattr(BuildState, "remember", killed)
        with pytest.raises(KeyboardInterrupt):
            build_site(site)
    _exports_parse(site / "site")  # the site itself is complete and new
    _edit(site, 11, "Appended to another")
    for _ in range(2):
        assert main(["build", str(site), "-q"]) == 0
        _exports_parse(site / "site")
        assert tree_hash(site / "site") == _cold(site)


def test_an_export_changed_in_place_is_not_cut(make_site: MakeSite) -> None:
    """An export of the same size but other bytes than its kept layout describes (a hand
    edit, a disk fault) is made anew, never cut."""
    site = _site(make_site)
    assert main(["build", str(site), "-q"]) == 0
    path = site / "site" / "timelinejs.json"
    data = bytearray(path.read_bytes())
    data[data.index(b"Event 001")] = ord("X")
    path.write_bytes(bytes(data))
    manifest = json.loads((site / "site" / ".timeline-manifest.json").read_text())
    assert manifest["files"]["timelinejs.json"][1] == len(data)  # the size still matches
    _edit(site, 2, "Edited")
    assert main(["build", str(site), "-q"]) == 0
    assert tree_hash(site / "site") == _cold(site)


@pytest.mark.parametrize("cut", [0, 1, 100])
def test_an_export_emptied_or_cut_short_is_made_anew(make_site: MakeSite, cut: int) -> None:
    """The last file is mapped, not read (an empty file cannot be): an export left empty
    or shorter than its layout says is made anew, and the file the edit writes replaces the
    mapped one, whose runs it is made of."""
    site = _site(make_site)
    assert main(["build", str(site), "-q"]) == 0
    path = site / "site" / "events.json"
    path.write_bytes(path.read_bytes()[:cut])
    _edit(site, 2, "Edited")
    assert main(["build", str(site), "-q"]) == 0
    assert tree_hash(site / "site") == _cold(site)
    _edit(site, 3, "Edited")  # cut again from the file the last edit wrote
    assert main(["build", str(site), "-q"]) == 0
    assert tree_hash(site / "site") == _cold(site)


def test_a_layout_with_a_size_too_few_is_made_anew(make_site: MakeSite) -> None:
    from generator.incremental.codec import dumps, loads

    site = _site(make_site)
    assert main(["build", str(site), "-q"]) == 0
    with sqlite3.connect(site / CACHE_DIR / STATE_FILE) as db:
        for rel, layout in db.execute("SELECT path, layout FROM exports").fetchall():
            kind, start, separator, keys, sizes = loads(layout)
            db.execute("UPDATE exports SET layout = ? WHERE path = ?",
                       (dumps((kind, start, separator, keys, sizes[:-1])), rel))
    _edit(site, 2, "Edited")
    assert main(["build", str(site), "-q"]) == 0
    assert tree_hash(site / "site") == _cold(site)


def test_an_export_left_as_written_is_cut_without_hashing_it_again(
        make_site: MakeSite, monkeypatch: pytest.MonkeyPatch) -> None:
    """Its stat signature is the one recorded when it was put in place: reading tens of
    megabytes through the hash again would be most of an edit's export work."""
    site = _site(make_site)
    assert main(["build", str(site), "-q"]) == 0
    exports = {(site / "site" / rel).stat().st_size
               for rel in ("events.json", "events.csv", "timelinejs.json", "search.json")}
    hashed: list[int] = []
    real = state_module.file_digest
    monkeypatch.setattr(state_module, "file_digest",
                        lambda data: hashed.append(len(data)) or real(data))
    _edit(site, 2, "Edited")
    assert main(["build", str(site), "-q"]) == 0
    assert hashed and not exports & set(hashed)  # only the edited event file was hashed
    assert tree_hash(site / "site") == _cold(site)


def test_a_file_changed_while_it_was_read_is_not_remembered(make_site: MakeSite,
                                                            monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    """The attack: a file changes between the input check and its parse, then changes back.
    The build used the changed text; the next one must not take the site as up to date."""
    from generator.incremental import inputs

    monkeypatch.setattr(inputs, "SETTLED_NS", 0)  # every file's hash is trusted at once
    site = _site(make_site)
    assert main(["build", str(site), "-q"]) == 0
    path = next((site / "content" / "events").rglob("e007.md"))
    original = path.read_text()
    _edit(site, 7, "First edit")
    assert main(["build", str(site), "-q"]) == 0
    time.sleep(0.01)
    assert main(["build", str(site), "-q"]) == 0  # the edited file's hash is trusted now
    with sqlite3.connect(site / CACHE_DIR / STATE_FILE) as db:
        db.execute("DELETE FROM parsed")  # as on the first build of a day: all is parsed
    _edit(site, 8, "Another edit")  # so that this build has something to do
    checked = BuildState.last_build

    def then_typo(self: BuildState) -> object:
        found = checked(self)
        path.write_text(original.replace("What happened", "Typo. What happened"))
        return found

    with monkeypatch.context() as patch:
        patch.setattr(BuildState, "last_build", then_typo)
        assert main(["build", str(site), "-q"]) == 0
    assert "Typo" in (site / "site" / "events" / "e007" / "index.html").read_text()
    path.write_text(original.replace("What happened", "First edit. What happened"))  # undo
    assert main(["build", str(site), "-q"]) == 0
    page = (site / "site" / "events" / "e007" / "index.html").read_text()
    assert "Typo" not in page and "First edit" in page
    assert tree_hash(site / "site") == _cold(site)


def test_leftovers_of_killed_builds_are_removed(make_site: MakeSite) -> None:
    site = _site(make_site, count=3)
    assert main(["build", str(site), "-q"]) == 0
    for name in (".site.building-4242", ".site.old-17", ".site.staging"):
        (site / name / "events").mkdir(parents=True)
        (site / name / "events" / "x.html").write_text("half a build")
    assert main(["build", str(site), "-q", "--no-cache"]) == 0
    assert [p.name for p in site.iterdir() if p.name.startswith(".site.")] == []


def test_two_builds_at_once_both_succeed_and_equal_a_clean_build(make_site: MakeSite) -> None:
    site = _site(make_site, count=300)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "generator", "build", str(site), "-q"]
    builds = [subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
              for _ in range(2)]
    errors = [b.communicate(timeout=120)[1] for b in builds]
    assert [b.returncode for b in builds] == [0, 0], errors
    assert all(line.endswith("another build is writing this folder; waiting for it to "
                             "finish") for e in errors for line in e.splitlines())
    assert tree_hash(site / "site") == _cold(site)


def _kill_at_random(site: Path, rng: random.Random, until: float) -> str:
    """Start a build and SIGKILL it after a random delay up to ``until`` seconds."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    build = subprocess.Popen([sys.executable, "-m", "generator", "build", str(site), "-q"],
                             env=env, stderr=subprocess.DEVNULL)
    time.sleep(rng.uniform(0.05, until))
    finished = build.poll() is not None
    if not finished:
        os.kill(build.pid, signal.SIGKILL)
    build.wait(timeout=60)
    return "finished" if finished else "killed"


KILLS = int(os.environ.get("TIMELINE_KILLS", "4"))
"""Kills in the default suite; ``TIMELINE_KILLS=50`` for the slow run (see README)."""


def test_builds_killed_at_random_points_lose_nothing(make_site: MakeSite) -> None:
    """Kill builds at random moments (during parsing, rendering, the commit, the state's
    transaction); after each, edit and build again: every file equals a clean build."""
    site = _site(make_site, count=400)
    assert main(["build", str(site), "-q"]) == 0
    started = time.perf_counter()
    assert main(["build", str(site), "-q", "--no-cache", "--output",
                 str(site.parent / "timing")]) == 0
    whole = time.perf_counter() - started
    rng = random.Random(1913)  # noqa: S311 - a repeatable sequence of kill times
    outcomes = []
    for number in range(KILLS):
        _edit(site, number % 400, f"Kill {number}")
        if number % 2:  # every other time a template changes too, so every page is rewritten
            (site / "templates").mkdir(exist_ok=True)
            (site / "templates" / "_status.html").write_text(f"<b>{number} {{{{ e.status }}}}</b>")
        outcomes.append(_kill_at_random(site, rng, whole * 1.5))
        _edit(site, (number * 7 + 3) % 400, f"After {number}")
        assert main(["build", str(site), "-q"]) == 0
        _exports_parse(site / "site")
        assert tree_hash(site / "site") == _cold(site, f"cold{number}"), (number, outcomes)
    assert "killed" in outcomes
    print(f"{len(outcomes)} builds: {outcomes.count('killed')} killed, "  # for pytest -s
          f"{outcomes.count('finished')} finished first; every next build equal to a clean one")


def test_dangling_and_looping_links_in_the_site_are_skipped(make_site: MakeSite) -> None:
    """An editor's lock file (``.#x.md`` -> ``user@host.1:1``) and a link to itself, in
    content/, static/ and templates/: a cached build and a no-cache build both succeed."""
    site = _site(make_site, count=3)
    for folder in ("content/events", "static", "templates"):
        (site / folder).mkdir(parents=True, exist_ok=True)
        (site / folder / ".#x.md").symlink_to("user@host.1:1")
        (site / folder / "loop.md").symlink_to(site / folder / "loop.md")
    assert main(["build", str(site), "-q"]) == 0
    assert main(["build", str(site), "-q"]) == 0
    assert tree_hash(site / "site") == _cold(site)


def test_a_git_repository_in_the_output_survives_a_whole_rebuild(make_site: MakeSite) -> None:
    site = _site(make_site, count=3)
    assert main(["build", str(site), "-q"]) == 0
    git = site / "site" / ".git"
    (git / "refs" / "tags").mkdir(parents=True)
    (git / "objects" / "pack").mkdir(parents=True)
    (git / "HEAD").write_text("ref: refs/heads/gh-pages\n")
    os.chmod(git, 0o750)  # noqa: S103 - a mode git itself uses
    (site / "site" / ".well-known").mkdir()
    (site / "site" / ".well-known" / "security.txt").write_text("Contact: x")
    os.chmod(site / "site" / ".well-known", 0o700)
    (site / "templates").mkdir()
    (site / "templates" / "_status.html").write_text("<b>{{ e.status }}</b>")  # all pages
    assert main(["build", str(site), "-q"]) == 0
    assert (git / "refs" / "tags").is_dir() and (git / "objects" / "pack").is_dir()
    assert (git / "HEAD").read_text() == "ref: refs/heads/gh-pages\n"
    assert git.stat().st_mode & 0o777 == 0o750
    assert (site / "site" / ".well-known").stat().st_mode & 0o777 == 0o700


def test_removing_a_stale_page_never_follows_a_link_out_of_the_site(make_site: MakeSite
                                                                    ) -> None:
    site = _site(make_site, count=4)
    assert main(["build", str(site), "-q"]) == 0
    outside = site.parent / "outside"
    outside.mkdir()
    (outside / "index.html").write_text("not the site's")
    page = site / "site" / "events" / "e002"
    for child in page.iterdir():
        child.unlink()
    page.rmdir()
    page.symlink_to(outside, target_is_directory=True)
    next((site / "content" / "events").rglob("e002.md")).unlink()  # its page is now stale
    assert main(["build", str(site), "-q"]) == 0
    assert (outside / "index.html").read_text() == "not the site's"


def test_parsed_files_are_kept_by_content_not_by_name(make_site: MakeSite) -> None:
    """The state keeps one parse per file content; a removed file's entry goes."""
    site = _site(make_site, count=6)
    assert main(["build", str(site), "-q"]) == 0
    next((site / "content" / "events").rglob("e001.md")).unlink()
    assert main(["build", str(site), "-q"]) == 0
    store = open_store(site)
    try:
        with BuildState(site, site / "site", False, None, today()) as state:
            assert state.last_build() is not None
        assert len(list(store.db.execute("SELECT key FROM parsed"))) == 5  # type: ignore[union-attr]
    finally:
        store.close()
    assert state_module.PARALLEL_PARTS > 0
