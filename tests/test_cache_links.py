"""Safety 3, item 1: a ``.timeline-cache`` (or a part of it, or the output) that is a
symbolic link never makes a build delete or write through it: the build stops with one line,
and what the link leads to is as it was."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from generator.cli import main
from generator.dev.scaffold import init_site

from conftest import MakeSite, event_file, tree_hash

EVENTS = {f"content/events/2017/2017-0{n}-01-event-{n}.md": event_file(f"Event {n}",
                                                                      f"2017-0{n}-01")
          for n in range(1, 5)}


def _err(capsys: pytest.CaptureFixture[str]) -> list[str]:
    return capsys.readouterr().err.splitlines()


def _one_line(capsys: pytest.CaptureFixture[str], expected: str) -> None:
    lines = _err(capsys)
    assert lines == [expected]


@pytest.mark.parametrize("command", [["build"], ["build", "--no-cache"]])
def test_a_cache_linked_to_content_deletes_nothing(make_site: MakeSite, command: list[str],
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site(EVENTS)
    folder = site / "content" / "events" / "2017"
    # A stray file a state of an earlier version could have left, and the content itself.
    (folder / "notes.pickle").write_text("an editor's file that only looks like a shard")
    before = tree_hash(folder)
    (site / ".timeline-cache").symlink_to("content/events/2017", target_is_directory=True)
    assert main([*command, str(site), "--quiet"]) == 1
    _one_line(capsys, ".timeline-cache: cache: a symbolic link: refusing to write or delete "
                      "through it (remove it; the build makes its own)")
    assert tree_hash(folder) == before
    assert sorted(os.listdir(folder)) == sorted(Path(p).name for p in before)
    assert not (site / "site").exists()  # no shorter site published


def test_a_cache_linked_outside_the_site_loses_nothing(make_site: MakeSite, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    site = make_site(EVENTS)
    outside = tmp_path / "outside"
    outside.mkdir()
    for name in ("a.txt", "b.pack", ".x.abcdefgh", "state.sqlite"):
        (outside / name).write_text(f"kept {name}")
    before = tree_hash(outside)
    (site / ".timeline-cache").symlink_to(outside, target_is_directory=True)
    assert main(["build", str(site), "--quiet"]) == 1
    _one_line(capsys, ".timeline-cache: cache: a symbolic link: refusing to write or delete "
                      "through it (remove it; the build makes its own)")
    assert tree_hash(outside) == before
    assert sorted(os.listdir(outside)) == sorted(before)


@pytest.mark.parametrize("part", ["templates", "locks"])
def test_a_cache_part_linked_outside_is_not_written(make_site: MakeSite, tmp_path: Path,
                                                    part: str,
                                                    capsys: pytest.CaptureFixture[str]
                                                    ) -> None:
    site = make_site(EVENTS)
    outside = tmp_path / "outside"
    outside.mkdir()
    (site / ".timeline-cache").mkdir()
    (site / ".timeline-cache" / part).symlink_to(outside, target_is_directory=True)
    assert main(["build", str(site), "--quiet"]) == 1
    _one_line(capsys, f".timeline-cache/{part}: cache: a symbolic link: refusing to write "
                      "or delete through it (remove it; the build makes its own)")
    assert os.listdir(outside) == []


@pytest.mark.parametrize("name", ["state.sqlite", "state.sqlite-journal"])
def test_a_state_file_linked_elsewhere_is_refused(make_site: MakeSite, name: str,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site(EVENTS)
    target = site / "content" / "events" / "2017" / "2017-01-01-event-1.md"
    before = target.read_bytes()
    (site / ".timeline-cache").mkdir()
    (site / ".timeline-cache" / name).symlink_to(target)
    assert main(["build", str(site), "--quiet"]) == 1
    _one_line(capsys, f".timeline-cache/{name}: cache: a symbolic link: refusing to write "
                      "or delete through it (remove it; the build makes its own)")
    assert target.read_bytes() == before


def test_clean_up_removes_only_old_state_files(make_site: MakeSite) -> None:
    site = make_site(EVENTS)
    cache = site / ".timeline-cache"
    cache.mkdir()
    for name in ("content-0123.pickle", "content-0123.pack", ".content.ab12cd34"):
        (cache / name).write_text("an earlier version's shard")
    (cache / "notes.md").write_text("not the state's")
    assert main(["build", str(site), "--quiet"]) == 0
    assert sorted(p.name for p in cache.iterdir() if p.is_file()
                  and not p.name.startswith("state.sqlite-")) == ["notes.md", "state.sqlite"]


def test_a_linked_output_folder_is_refused(make_site: MakeSite, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site(EVENTS)
    outside = tmp_path / "home"
    outside.mkdir()
    (outside / "private.txt").write_text("not for publishing")
    (site / "site").symlink_to(outside, target_is_directory=True)
    assert main(["build", str(site), "--quiet"]) == 1
    _one_line(capsys, f"{site / 'site'}: output: a symbolic link: refusing to write through "
                      "it (give the folder it leads to)")
    assert os.listdir(outside) == ["private.txt"]


def test_init_gitignore_ignores_a_link_named_like_the_cache(tmp_path: Path) -> None:
    site = tmp_path / "new"
    init_site(site, "A timeline")
    subprocess.run(["git", "init", "-q", str(site)], check=True)
    (site / ".timeline-cache").symlink_to("content", target_is_directory=True)
    (site / "site").write_text("a file named like the output")
    ignored = subprocess.run(["git", "-C", str(site), "check-ignore", ".timeline-cache",
                              "site"], capture_output=True, text=True, check=False)
    assert ignored.stdout.splitlines() == [".timeline-cache", "site"]
    status = subprocess.run(["git", "-C", str(site), "status", "--porcelain",
                             "--untracked-files=all"], capture_output=True, text=True,
                            check=True).stdout
    assert ".timeline-cache" not in status.split()
