"""Safety 3, item 7: a build reads an input only when it is a regular file, and only so far:
``content/sources.lock.json`` (or an event, the config, labels) as a link to ``/dev/zero``, a
FIFO, or a file far too large costs one line, never a hang or all the memory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from generator.sources.lock import LOCK_LIMIT
from generator.symlinks import INPUT_LIMIT, read_regular

from conftest import REPO, MakeSite, event_file

GOOD = "content/events/2017-09-11-good.md"
LOCK = "content/sources.lock.json"


def _timeline(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The command in a process of its own, so that a read that never ends fails the test
    (by the timeout) instead of hanging the suite."""
    return subprocess.run([sys.executable, "-m", "generator", *args, str(site), "--quiet"],
                          capture_output=True, text=True, timeout=120, cwd=REPO,
                          check=False)


def test_untrusted_build_refuses_a_lock_linked_to_dev_zero(make_site: MakeSite) -> None:
    site = make_site({GOOD: event_file("Good")})
    (site / LOCK).symlink_to("/dev/zero")
    done = _timeline(site, "build", "--untrusted")
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"{LOCK}: warning: cannot be read (not a regular file): ignored",
        f"{LOCK}: symbolic link to '/dev/zero' leads out of the site folder: refused in "
        "untrusted mode"]
    assert not (site / "site").exists()


def test_a_trusted_build_skips_a_lock_that_is_no_file(make_site: MakeSite) -> None:
    site = make_site({GOOD: event_file("Good")})
    (site / LOCK).symlink_to("/dev/zero")
    done = _timeline(site, "build")
    assert done.returncode == 0
    assert done.stderr.splitlines() == [
        f"{LOCK}: warning: cannot be read (not a regular file): ignored"]
    assert (site / "site" / "events" / "2017-09-11-good" / "index.html").is_file()


@pytest.mark.parametrize("rel", [LOCK, "timeline.toml", GOOD, "content/labels.ko.yaml",
                                 "content/eras.yaml"])
def test_a_fifo_named_like_an_input_does_not_block(make_site: MakeSite, rel: str) -> None:
    site = make_site({GOOD: event_file("Good")} if rel != GOOD else {})
    if rel == GOOD:
        (site / "content" / "events").mkdir(parents=True)
    (site / rel).unlink(missing_ok=True)
    os.mkfifo(site / rel)
    done = _timeline(site, "build")  # a blocked read would end in the timeout
    assert "Traceback" not in done.stderr
    if rel == LOCK:
        assert done.stderr.splitlines() == [
            f"{LOCK}: warning: cannot be read (not a regular file): ignored"]
    if rel == "timeline.toml":
        assert done.returncode == 1


def test_read_regular_refuses_what_is_no_file_and_reads_only_so_far(tmp_path: Path) -> None:
    with pytest.raises(OSError, match="not a regular file"):
        read_regular("/dev/zero")
    big = tmp_path / "big"
    with open(big, "wb") as f:
        f.truncate(50)
    assert len(read_regular(big, 10)) == 11  # one past the limit: the caller sees it is over


def test_a_lock_far_too_large_is_ignored_with_one_line(make_site: MakeSite) -> None:
    site = make_site({GOOD: event_file("Good")})
    with open(site / LOCK, "wb") as f:
        f.truncate(LOCK_LIMIT + 10)  # sparse: costs no disk
    done = _timeline(site, "build")
    assert done.returncode == 0
    assert done.stderr.splitlines() == [
        f"{LOCK}: warning: is over {LOCK_LIMIT // 1_000_000} MB: ignored, and rebuilt by "
        "`timeline sources check`"]


def test_an_event_file_far_too_large_is_read_only_so_far(make_site: MakeSite,
                                                         capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    site = make_site({GOOD: event_file("Good")})
    with open(site / "content" / "events" / "huge.md", "wb") as f:
        f.truncate(INPUT_LIMIT * 3)  # sparse: costs no disk, only what is read
    assert main(["build", str(site), "--quiet"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "content/events/huge.md: file is over 100 MB; an event file may be at most 1 MB"]
