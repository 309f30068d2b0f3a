"""Writing the output folder: whole rebuilds and in-place commits give the same folder,
reused files are kept or refused, a second build waits for the lock, leftovers go."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import pytest

from generator.errors import SiteError
from generator.hashing import file_digest
from generator.output.manifest import MANIFEST, Reused, read_manifest
from generator.output.writer import (
    CHUNK,
    abort,
    begin,
    changes_among,
    coalesce,
    output_lock,
    remove_leftovers,
    write_files,
    write_site,
)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_first_build_is_whole_and_writes_a_manifest(tmp_path: Path) -> None:
    out = tmp_path / "site"
    written, records = write_site(out, [("a.html", b"a"), ("d/b.html", [b"b", b"c"])], 2)
    assert written == 2
    assert tree(out) == {"a.html": b"a", "d/b.html": b"bc",
                         MANIFEST: json.dumps({"files": {
                             "a.html": [file_digest(b"a"), 1],
                             "d/b.html": [file_digest(b"bc"), 2]}},
                             separators=(",", ":")).encode()}
    assert read_manifest(out) == records


def test_in_place_and_whole_give_the_same_folder(tmp_path: Path) -> None:
    files = {"a.html": b"a", "b.html": b"b", "old/c.html": b"c"}
    for way, expected in (("in place", 1), ("whole", 10_000)):
        out = tmp_path / way.replace(" ", "-")
        write_files(out, files)
        (out / "CNAME").write_bytes(b"x.test")  # the user's: kept either way
        st = begin(out, expected)
        assert st.whole is (way == "whole")
        abort(st)
        written, _ = write_site(out, [("a.html", b"A"), ("b.html", b"b")], expected)
        assert written == 1, way
        assert {k: v for k, v in tree(out).items() if k != MANIFEST} == {
            "a.html": b"A", "b.html": b"b", "CNAME": b"x.test"}, way
        assert not (out / "old").exists()


def test_an_in_place_build_leaves_unchanged_files_alone(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_files(out, {"a.html": b"a", "b.html": b"b"})
    inode = os.stat(out / "b.html").st_ino
    assert write_site(out, [("a.html", b"A"), ("b.html", b"b")], 1)[0] == 1
    assert os.stat(out / "b.html").st_ino == inode
    assert not any(p.name.startswith(".site.") for p in tmp_path.iterdir())


def test_reused_files(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_files(out, {"a.html": b"abc"})
    kept = Reused(file_digest(b"abc"), 3)
    assert write_site(out, [("a.html", kept)], 0)[0] == 0
    assert write_site(out, [("a.html", kept), ("b.html", b"b")], 10_000)[0] == 1
    assert tree(out)["a.html"] == b"abc"
    with pytest.raises(SiteError) as caught:
        write_site(out, [("a.html", Reused("other", 3))], 0)
    assert str(caught.value) == ("a.html: output: changed since the last build: rebuild with "
                                 "--no-cache")
    assert tree(out)["a.html"] == b"abc"  # a failed build changes nothing


def test_a_failed_build_leaves_the_site_as_it_was(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_files(out, {"a.html": b"a"})
    before = tree(out)

    def files():  # type: ignore[no-untyped-def]
        yield "a.html", b"new"
        raise RuntimeError("render failed")
    for expected in (1, 10_000):
        with pytest.raises(RuntimeError):
            write_site(out, files(), expected)
        assert tree(out) == before
    with pytest.raises(SiteError):
        write_site(out, [("../escape", b"x")], 1)
    assert tree(out) == before and not (tmp_path / "escape").exists()


def test_changes_among(tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert changes_among(out, {"a": b"a"}) == 1
    write_files(out, {"a": b"a", "b": b"b"})
    assert changes_among(out, {"a": b"a", "b": Reused("x", 1)}) == 0
    assert changes_among(out, {"a": b"A"}) == 2  # one changed, one gone


def test_coalesce() -> None:
    small = [b"x"] * 10
    assert coalesce(small) == [b"x" * 10]
    big = b"y" * CHUNK
    assert coalesce([b"a", big, b"b"]) == [b"a", big, b"b"]
    assert b"".join(coalesce([b"z" * (CHUNK // 2 + 1)] * 3)) == b"z" * (3 * (CHUNK // 2 + 1))
    assert coalesce([]) == []


def test_remove_leftovers(tmp_path: Path) -> None:
    out = tmp_path / "site"
    for name in (".site.building-123", ".site.old-9", ".site.staging", ".other.building-1"):
        (tmp_path / name).mkdir()
    os.symlink(tmp_path / "nowhere", tmp_path / ".site.old-10")
    (tmp_path / "keep").mkdir()
    remove_leftovers(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.building-1", "keep"]


def test_output_lock_makes_a_second_build_wait(tmp_path: Path) -> None:
    out, cache = tmp_path / "site", tmp_path / ".cache"
    events: list[str] = []
    inside = threading.Event()

    def first() -> None:
        with output_lock(out, cache):
            events.append("first in")
            inside.set()
            time.sleep(0.3)
            events.append("first out")
    thread = threading.Thread(target=first)
    thread.start()
    inside.wait(5)
    with output_lock(out, cache, waiting=lambda: events.append("waiting")):
        events.append("second in")
    thread.join()
    assert events == ["first in", "waiting", "first out", "second in"]


def test_output_lock_finishes_a_killed_commit(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_files(out, {"a.html": b"a"})
    staged = tmp_path / ".site.staging"
    staged.mkdir()
    (staged / "a.html").write_bytes(b"A")
    (tmp_path / ".site.journal").write_text(json.dumps({"write": ["a.html"], "remove": []}),
                                            "utf-8")
    with output_lock(out, tmp_path / ".cache"):
        assert tree(out)["a.html"] == b"A"
        assert not staged.exists()
