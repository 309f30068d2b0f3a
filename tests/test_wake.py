"""The watcher's wake-up call: inotify on every watched folder, new ones included."""

from __future__ import annotations

import select
from pathlib import Path

from generator.dev.wake import Wake, open_wake


def _woken(wake: Wake) -> bool:
    ready, _, _ = select.select([wake.fd], [], [], 2)
    return bool(ready) and wake.drain()


def test_a_save_a_new_file_and_a_new_folder_wake_it(tmp_path: Path) -> None:
    content = tmp_path / "content" / "events"
    content.mkdir(parents=True)
    config = tmp_path / "timeline.toml"
    config.write_text("a", "utf-8")
    wake = open_wake([tmp_path / "content", config])
    assert wake is not None
    try:
        assert not wake.drain()  # nothing happened yet
        (content / "a.md").write_text("one", "utf-8")
        assert _woken(wake)
        config.write_text("b", "utf-8")
        assert _woken(wake)
        (content / "2017").mkdir()
        assert _woken(wake)
        wake.watch([tmp_path / "content"])  # as the watcher does after each change
        (content / "2017" / "b.md").write_text("two", "utf-8")
        assert _woken(wake)
        assert not wake.drain()
    finally:
        wake.close()


def test_hidden_folders_are_not_watched(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    wake = open_wake([tmp_path])
    assert wake is not None
    try:
        (tmp_path / ".git" / "index").write_text("x", "utf-8")
        ready, _, _ = select.select([wake.fd], [], [], 0.3)
        assert not ready
    finally:
        wake.close()
