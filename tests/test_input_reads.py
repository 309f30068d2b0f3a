"""Safety 3, item 7: a build reads an input only when it is a regular file, and only so far:
``content/sources.lock.json`` (or an event, the config, labels) as a link to ``/dev/zero``, a
FIFO, or a file far too large costs one line, never a hang or all the memory."""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path

import pytest

from generator.cli import main
from generator.sources.lock import LOCK_LIMIT
from generator.symlinks import INPUT_LIMIT, read_regular

from conftest import MakeSite, event_file

GOOD = "content/events/2017-09-11-good.md"
LOCK = "content/sources.lock.json"


def _timeline(site: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """The command's exit code and stderr, run in a thread of this process so that a read
    that never ends fails the test (after a timeout) instead of hanging the suite: a
    process of its own would cost a second of start-up per test."""
    capsys.readouterr()
    done: list[int] = []

    def run() -> None:
        try:
            done.append(main([*args, str(site), "--quiet"]))
        except SystemExit as exc:  # what argparse raises; a process would exit with it
            done.append(int(exc.code or 0))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(120)
    if thread.is_alive():
        for fifo in (p for p in site.rglob("*") if p.is_fifo()):  # let the blocked read end
            with contextlib.suppress(OSError):  # ENXIO: no reader waits on this one
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail(f"timeline {' '.join(args)} still runs after 120 s: a read blocks")
    return done[0], capsys.readouterr().err


def test_untrusted_build_refuses_a_lock_linked_to_dev_zero(
        make_site: MakeSite, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({GOOD: event_file("Good")})
    (site / LOCK).symlink_to("/dev/zero")
    code, err = _timeline(site, capsys, "build", "--untrusted")
    assert code == 1
    assert err.splitlines() == [
        f"{LOCK}: warning: cannot be read (not a regular file): ignored",
        f"{LOCK}: symbolic link to '/dev/zero' leads out of the site folder: refused in "
        "untrusted mode"]
    assert not (site / "site").exists()


def test_a_trusted_build_skips_a_lock_that_is_no_file(
        make_site: MakeSite, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({GOOD: event_file("Good")})
    (site / LOCK).symlink_to("/dev/zero")
    code, err = _timeline(site, capsys, "build")
    assert code == 0
    assert err.splitlines() == [
        f"{LOCK}: warning: cannot be read (not a regular file): ignored"]
    assert (site / "site" / "events" / "2017-09-11-good" / "index.html").is_file()


@pytest.mark.parametrize("rel", [LOCK, "timeline.toml", GOOD, "content/labels.ko.yaml",
                                 "content/eras.yaml"])
def test_a_fifo_named_like_an_input_does_not_block(make_site: MakeSite, rel: str,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({GOOD: event_file("Good")} if rel != GOOD else {})
    if rel == GOOD:
        (site / "content" / "events").mkdir(parents=True)
    (site / rel).unlink(missing_ok=True)
    os.mkfifo(site / rel)
    code, err = _timeline(site, capsys, "build")  # a blocked read would end in the timeout
    assert "Traceback" not in err
    if rel == LOCK:
        assert err.splitlines() == [
            f"{LOCK}: warning: cannot be read (not a regular file): ignored"]
    if rel == "timeline.toml":
        assert code == 1


def test_read_regular_refuses_what_is_no_file_and_reads_only_so_far(tmp_path: Path) -> None:
    with pytest.raises(OSError, match="not a regular file"):
        read_regular("/dev/zero")
    big = tmp_path / "big"
    with open(big, "wb") as f:
        f.truncate(50)
    assert len(read_regular(big, 10)) == 11  # one past the limit: the caller sees it is over


def test_a_lock_far_too_large_is_ignored_with_one_line(
        make_site: MakeSite, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({GOOD: event_file("Good")})
    with open(site / LOCK, "wb") as f:
        f.truncate(LOCK_LIMIT + 10)  # sparse: costs no disk
    code, err = _timeline(site, capsys, "build")
    assert code == 0
    assert err.splitlines() == [
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
