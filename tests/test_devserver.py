"""The watcher half of the dev server: what counts as a change, and what never does."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.dev.devserver import changed_files, ignored, shown_host, snapshot


def write(path: Path, text: str = "x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def test_snapshot_sees_files_and_skips_editor_droppings(tmp_path: Path) -> None:
    event = write(tmp_path / "content" / "events" / "2017" / "a.md")
    config = write(tmp_path / "timeline.toml")
    for name in [".a.md.swp", "a.md~", "#a.md#", ".hidden/b.md", "4913.swx"]:
        write(tmp_path / "content" / name)
    files = snapshot([tmp_path / "content", config, tmp_path / "templates"])  # one missing
    assert sorted(files) == sorted([str(event), str(config)])


def test_changed_files_reports_added_modified_and_removed(tmp_path: Path) -> None:
    a, b = write(tmp_path / "a.md"), write(tmp_path / "b.md")
    before = snapshot([tmp_path])
    assert changed_files(before, snapshot([tmp_path])) == []
    a.write_text("longer", "utf-8")
    b.unlink()
    c = write(tmp_path / "c.md")
    assert changed_files(before, snapshot([tmp_path])) == [a, b, c]


def test_a_same_size_save_is_still_a_change(tmp_path: Path) -> None:
    a = write(tmp_path / "a.md", "one")
    os.utime(a, ns=(1_000_000_000, 1_000_000_000))
    before = snapshot([tmp_path])
    a.write_text("two", "utf-8")
    os.utime(a, ns=(1_000_000_001, 1_000_000_001))  # one nanosecond later, same size
    assert changed_files(before, snapshot([tmp_path])) == [a]


def test_a_save_by_rename_is_a_change(tmp_path: Path) -> None:
    """Editors that write a new file and rename it over the old one change the inode."""
    a = write(tmp_path / "a.md", "one")
    stat = a.stat()
    before = snapshot([tmp_path])
    new = write(tmp_path / "a.md.new", "two")
    os.utime(new, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    new.replace(a)
    assert changed_files(before, snapshot([tmp_path])) == [a]


@pytest.mark.parametrize(("name", "skip"), [
    ("a.md", False), ("eras.yaml", False), (".a.md.swp", True), ("a.md~", True),
    ("#a.md#", True), (".DS_Store", True), ("x.swx", True)])
def test_ignored_names(name: str, skip: bool) -> None:
    assert ignored(name) is skip


@pytest.mark.parametrize(("host", "shown"), [
    ("127.0.0.1", "127.0.0.1"), ("localhost", "localhost"),
    ("0.0.0.0", "127.0.0.1"),  # noqa: S104 - not bound, only named
    ("::", "[::1]"), ("::1", "[::1]"), ("192.168.1.20", "192.168.1.20")])
def test_shown_host_is_what_a_browser_here_can_open(host: str, shown: str) -> None:
    assert shown_host(host) == shown


def test_a_second_save_in_the_same_tick_is_a_change(tmp_path: Path) -> None:
    """Same inode, size and times: a recently written file's bytes tell the saves apart."""
    a = write(tmp_path / "a.md", "one")
    stamp = a.stat().st_mtime_ns
    before = snapshot([tmp_path])
    a.write_text("two", "utf-8")
    os.utime(a, ns=(stamp, stamp))
    assert changed_files(before, snapshot([tmp_path])) == [a]


def test_a_file_growing_old_is_no_change(tmp_path: Path) -> None:
    a = write(tmp_path / "a.md", "one")
    before = snapshot([tmp_path])
    assert before[str(a)][3]  # hashed while recent
    old = {path: (*value[:3], "") for path, value in before.items()}  # as when it is older
    assert changed_files(before, old) == []


def test_release_memory_collects_cycles() -> None:
    import gc
    import weakref

    from generator.dev.devserver import release_memory

    class Node:
        pass

    gc.disable()  # as during a build
    try:
        node = Node()
        node.self = node  # type: ignore[attr-defined]
        gone = weakref.ref(node)
        del node
        assert gone() is not None
        release_memory()
        assert gone() is None
    finally:
        gc.enable()
