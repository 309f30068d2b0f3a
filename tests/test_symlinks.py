"""Links that lead nowhere are skipped with a warning; links out of the site are refused only
in untrusted mode; Emacs lock files pass in silence."""

from __future__ import annotations

import os
from pathlib import Path

from generator.symlinks import link_problems


def site_with(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "content" / "events").mkdir(parents=True)
    (site / "static").mkdir()
    return site


def test_dangling_loop_and_lock_file(tmp_path: Path) -> None:
    site = site_with(tmp_path)
    events = site / "content" / "events"
    os.symlink("missing.md", events / "gone.md")
    os.symlink("loop.md", events / "loop.md")
    os.symlink("user@host.1:1", events / ".#a.md")
    assert [str(p) for p in link_problems(site)] == [
        "content/events/gone.md: warning: symbolic link to 'missing.md' leads nowhere: "
        "skipped",
        "content/events/loop.md: warning: symbolic link to 'loop.md' loops back on itself: "
        "skipped",
    ]


def test_a_link_out_of_the_site_is_refused_only_when_untrusted(tmp_path: Path) -> None:
    site = site_with(tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text("x", "utf-8")
    os.symlink(secret, site / "static" / "env")
    assert link_problems(site) == []
    assert [str(p) for p in link_problems(site, untrusted=True)] == [
        f"static/env: symbolic link to '{secret}' leads out of the site folder: "
        "refused in untrusted mode"]


def test_a_link_inside_the_site_is_fine_and_read_once(tmp_path: Path) -> None:
    site = site_with(tmp_path)
    (site / "content" / "shared").mkdir()
    os.symlink("../shared", site / "content" / "events" / "shared")
    os.symlink("..", site / "content" / "events" / "up")  # a link back up: no endless walk
    assert link_problems(site, untrusted=True) == []


def test_a_linked_top_folder_is_checked(tmp_path: Path) -> None:
    site = site_with(tmp_path)
    os.symlink(tmp_path / "nowhere", site / "templates")
    assert [str(p) for p in link_problems(site)] == [
        f"templates: warning: symbolic link to '{tmp_path / 'nowhere'}' leads nowhere: "
        "skipped"]
