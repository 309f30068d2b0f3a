"""Committing a build: the journal a killed build leaves is replayed whole by the next one;
a whole rebuild carries the user's own files over; a swap replaces the folder at once."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from generator.errors import SiteError
from generator.output.journal import (
    carry_over,
    commit_in_place,
    finish_journal,
    journal_path,
    staging_path,
    swap,
)
from generator.output.manifest import MANIFEST


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text("utf-8")
            for p in sorted(folder.rglob("*")) if p.is_file()}


def staged_build(tmp_path: Path) -> tuple[Path, Path]:
    out = tmp_path / "site"
    (out / "old").mkdir(parents=True)
    (out / "old" / "gone.html").write_text("old", "utf-8")
    (out / "a.html").write_text("a1", "utf-8")
    staged = staging_path(out)
    (staged / "new").mkdir(parents=True)
    (staged / "a.html").write_text("a2", "utf-8")
    (staged / "new" / "b.html").write_text("b", "utf-8")
    (staged / MANIFEST).write_text("{}", "utf-8")
    return out, staged


def test_paths_beside_the_output(tmp_path: Path) -> None:
    assert journal_path(tmp_path / "site") == tmp_path / ".site.journal"
    assert staging_path(tmp_path / "site") == tmp_path / ".site.staging"


def test_commit_in_place(tmp_path: Path) -> None:
    out, staged = staged_build(tmp_path)
    commit_in_place(out, staged, ["a.html", "new/b.html"], ["old/gone.html"])
    assert tree(out) == {"a.html": "a2", "new/b.html": "b", MANIFEST: "{}"}
    assert not (out / "old").exists()  # its folder went with its last file
    assert not journal_path(out).exists()


def test_a_journal_left_by_a_killed_build_is_replayed(tmp_path: Path) -> None:
    out, staged = staged_build(tmp_path)
    journal_path(out).write_text(json.dumps({"write": ["a.html", "new/b.html", MANIFEST],
                                             "remove": ["old/gone.html"]}), "utf-8")
    (staged / "a.html").replace(out / "a.html")  # killed after its first move
    finish_journal(out)
    assert tree(out) == {"a.html": "a2", "new/b.html": "b", MANIFEST: "{}"}
    assert not journal_path(out).exists()
    finish_journal(out)  # nothing left to do: a no-op


def test_an_unreadable_journal_is_dropped(tmp_path: Path) -> None:
    out, _ = staged_build(tmp_path)
    journal_path(out).write_text("{not json", "utf-8")
    finish_journal(out)
    assert tree(out) == {"a.html": "a1", "old/gone.html": "old"}
    assert not journal_path(out).exists()


@pytest.mark.parametrize("damaged", ["[]", "{}", '{"write": 3, "remove": []}',
                                     '{"write": ["a.html"], "remove": [null]}',
                                     '{"write": ["../x"], "remove": []}'])
def test_a_journal_of_the_wrong_shape_is_dropped(tmp_path: Path, damaged: str) -> None:
    out, _ = staged_build(tmp_path)
    journal_path(out).write_text(damaged, "utf-8")
    finish_journal(out)
    assert not journal_path(out).exists()
    assert (out / "a.html").read_text("utf-8") in ("a1", "a2")


def test_a_journal_never_removes_through_a_link(tmp_path: Path) -> None:
    out, staged = staged_build(tmp_path)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "keep.txt").write_text("mine", "utf-8")
    os.symlink(tmp_path / "outside", out / "away")
    journal_path(out).write_text(json.dumps({"write": [], "remove": ["away/keep.txt"]}),
                                 "utf-8")
    finish_journal(out, staged)
    assert (tmp_path / "outside" / "keep.txt").read_text("utf-8") == "mine"


def test_commit_refuses_a_path_through_a_link(tmp_path: Path) -> None:
    out, staged = staged_build(tmp_path)
    os.symlink(tmp_path, out / "away")
    with pytest.raises(SiteError) as caught:
        commit_in_place(out, staged, ["away/x.html"], [])
    assert str(caught.value) == ("away/x.html: path: refusing an output path that leads "
                                 "outside the output folder")


def test_carry_over_keeps_the_users_files(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    for rel, text in {"index.html": "ours", MANIFEST: "{}", "CNAME": "x.test",
                      ".git/HEAD": "ref", "events/a/index.html": "ours",
                      "events/a/notes.txt": "mine"}.items():
        (old / rel).parent.mkdir(parents=True, exist_ok=True)
        (old / rel).write_text(text, "utf-8")
    (old / ".git" / "refs" / "tags").mkdir(parents=True)
    os.symlink("CNAME", old / "alias")
    new.mkdir()
    (new / "index.html").write_text("new", "utf-8")
    carry_over(old, new, {"index.html", "events/a/index.html"})
    assert tree(new) == {"index.html": "new", "CNAME": "x.test", ".git/HEAD": "ref",
                         "events/a/notes.txt": "mine", "alias": "x.test"}
    assert (new / ".git" / "refs" / "tags").is_dir()  # an empty folder of the user's
    assert os.readlink(new / "alias") == "CNAME"
    assert os.stat(new / "CNAME").st_ino == os.stat(old / "CNAME").st_ino  # hard-linked


def test_swap(tmp_path: Path) -> None:
    new, out = tmp_path / "new", tmp_path / "site"
    new.mkdir()
    (new / "a").write_text("new", "utf-8")
    swap(new, out)
    assert tree(out) == {"a": "new"}
    again = tmp_path / "again"
    again.mkdir()
    (again / "b").write_text("b", "utf-8")
    swap(again, out)
    assert tree(out) == {"b": "b"}
    file = tmp_path / "file"
    file.write_text("x", "utf-8")
    other = tmp_path / "other"
    other.mkdir()
    with pytest.raises(SiteError) as caught:
        swap(other, file)
    assert str(caught.value) == (f"{file}: output: exists and is not a folder: refusing to "
                                 "replace it")
