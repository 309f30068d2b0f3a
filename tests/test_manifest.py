"""The manifest of what the last build wrote, and the output paths a build may use."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import SiteError
from generator.hashing import file_digest
from generator.output.manifest import (
    MANIFEST,
    Reused,
    check_output,
    check_rel,
    intact,
    manifest_text,
    read_manifest,
    record,
    refuse_outside,
    still_there,
)


def refused(call: object, *args: object) -> str:
    with pytest.raises(SiteError) as caught:
        call(*args)  # type: ignore[operator]
    return str(caught.value)


def test_record_of_bytes_pieces_and_reused() -> None:
    assert record(b"abc") == (file_digest(b"abc"), 3)
    assert record([b"a", memoryview(b"bc")]) == (file_digest(b"abc"), 3)
    assert record(Reused("h", 9)) == ("h", 9)


def test_manifest_round_trip_and_sorted_text(tmp_path: Path) -> None:
    text = manifest_text({"b.html": ("h2", 2), "a.html": ("h1", 1)})
    assert text == '{"files":{"a.html":["h1",1],"b.html":["h2",2]}}'
    (tmp_path / MANIFEST).write_text(text, "utf-8")
    assert read_manifest(tmp_path) == {"a.html": ("h1", 1), "b.html": ("h2", 2)}


@pytest.mark.parametrize("damaged", [
    "", "{", "[]", '{"files": []}', '{"files": {"a": "x"}}', '"text"', '{"other": 1}',
    '{"files": {"a": ["h", "not a number"]}}'])
def test_a_damaged_manifest_reads_as_nothing_written(tmp_path: Path, damaged: str) -> None:
    (tmp_path / MANIFEST).write_text(damaged, "utf-8")
    assert read_manifest(tmp_path) == {}


def test_a_damaged_entry_is_left_out_and_the_rest_kept(tmp_path: Path) -> None:
    (tmp_path / MANIFEST).write_text('{"files": {"a": ["h", 1], "b": [1], "c": 3}}', "utf-8")
    assert read_manifest(tmp_path) == {"a": ("h", 1)}


def test_no_manifest(tmp_path: Path) -> None:
    assert read_manifest(tmp_path) == {}
    (tmp_path / MANIFEST).write_bytes(b"\xff\xfe")
    assert read_manifest(tmp_path) == {}


def test_still_there_and_intact(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_bytes(b"abc")
    (tmp_path / "dir").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "a.html")
    assert still_there(tmp_path, "a.html", 3)
    assert not still_there(tmp_path, "a.html", 4)
    assert not still_there(tmp_path, "dir", 0)
    assert not still_there(tmp_path, "link", 3)  # a link is not what the build wrote
    assert intact(tmp_path, {"a.html": ("h", 3)})
    assert not intact(tmp_path, {"a.html": ("h", 3), "gone.html": ("h", 1)})


def test_check_output_refusals(tmp_path: Path) -> None:
    site = tmp_path / "site"
    for name in ("content", "templates", "static"):
        (site / name).mkdir(parents=True)
    check_output(site / "site", site, [])  # the default
    check_output(tmp_path / "elsewhere", site, [])
    assert refused(check_output, site / "content", site, []) == (
        f"{site / 'content'}: output: refusing to write into {site / 'content'}: it overlaps "
        f"{site / 'content'}")
    assert refused(check_output, site / "static" / "out", site, []).endswith(
        f"it overlaps {site / 'static'}")
    assert refused(check_output, site, site, []) == (
        f"{site}: output: refusing to write into {site}: it holds the site itself")
    assert refused(check_output, tmp_path, site, []).endswith(  # holds content/ first
        f"it overlaps {site / 'content'}")
    assert refused(check_output, site / "site", site, [site / "site" / "x"]).endswith(
        f"it overlaps {site / 'site' / 'x'}")


@pytest.mark.parametrize(("rel", "message"), [
    ("", "(empty): path: refusing an unsafe output path"),
    ("/etc/passwd", "/etc/passwd: path: refusing an unsafe output path"),
    ("a\\b", "a\\b: path: refusing an unsafe output path"),
    ("a\x00b", "a\x00b: path: refusing an unsafe output path"),
    ("../x", "../x: path: refusing an output path with '..' or '.'"),
    ("a/./b", "a/./b: path: refusing an output path with '..' or '.'"),
    ("a//b", "a//b: path: refusing an output path with '..' or '.'"),
    ("a/", "a/: path: refusing an output path with '..' or '.'"),
    ("a/..", "a/..: path: refusing an output path with '..' or '.'"),
])
def test_check_rel_refusals(rel: str, message: str) -> None:
    assert refused(check_rel, rel) == message


def test_check_rel_accepts_ordinary_paths() -> None:
    for rel in ("index.html", "events/a/index.html", ".timeline-manifest.json", "a..b/c"):
        check_rel(rel)


def test_refuse_outside_through_a_link(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "away").symlink_to(tmp_path)
    refuse_outside(out, out / "a" / "b.html")
    assert refused(refuse_outside, out, out / "away" / "x.html") == (
        "away/x.html: path: refusing an output path that leads outside the output folder")
