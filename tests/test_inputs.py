"""The input check: every file a build reads is hashed (or trusted once settled), the key
changes with any byte, and the last result is served only when inputs and output match."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from generator.errors import Problem
from generator.incremental import inputs
from generator.incremental.inputs import (
    forget_result,
    input_files,
    input_key,
    last_result,
    remember,
)
from generator.incremental.store import open_store
from generator.output.manifest import read_manifest
from generator.output.writer import write_files
from generator.report import BuildResult
from generator.site.theme import theme_dir

from conftest import MakeSite, event_file

TODAY = "2026-12-01"


def key(site: Path, **changes: object) -> str:
    store = open_store(site)
    args = {"output": site / "site", "drafts": False, "base_url": None, "today": TODAY,
            **changes}
    try:
        return input_key(site, store=store, **args).key  # type: ignore[arg-type]
    finally:
        store.close()


def test_input_files_in_a_stable_order(make_site: MakeSite) -> None:
    site = make_site({"content/events/b.md": "b", "content/events/a/z.md": "z",
                      "static/x.css": "x", "templates/list.html": "t"})
    files = input_files(site)
    ours = [f for f in files if f.startswith(str(site))]
    assert ours == [str(site / p) for p in ("content/events/b.md", "content/events/a/z.md",
                                            "static/x.css", "templates/list.html")]
    assert str(theme_dir() / "templates" / "index.html") in files


def test_the_key_follows_every_input(make_site: MakeSite) -> None:
    site = make_site({"content/events/a.md": event_file("A")})
    first = key(site)
    assert key(site) == first
    assert key(site, drafts=True) != first
    assert key(site, base_url="https://x.test/") != first
    assert key(site, today="2026-12-02") == first  # a published site's pages hold the day
    assert key(site, drafts=True, today="2026-12-02") != key(site, drafts=True)  # a preview's
    assert key(site, output=site / "other") != first
    (site / "timeline.toml").write_text((site / "timeline.toml").read_text() + "#\n", "utf-8")
    second = key(site)
    assert second != first
    (site / "content/events/a.md").write_text(event_file("B"), "utf-8")
    assert key(site) != second
    (site / "static").mkdir()
    (site / "static" / "new.txt").write_text("", "utf-8")
    assert key(site) not in (first, second)


def test_a_settled_file_is_not_read_again(make_site: MakeSite,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site({"content/events/a.md": "text"})
    path = str(site / "content/events/a.md")
    store = open_store(site)
    first = input_key(site, site / "site", False, None, TODAY, store)
    assert path in first.read
    again = input_key(site, site / "site", False, None, TODAY, store)
    assert path in again.read  # written within SETTLED_NS of the last look: read again
    monkeypatch.setattr(inputs, "SETTLED_NS", 0)
    time.sleep(0.01)
    input_key(site, site / "site", False, None, TODAY, store)
    settled = input_key(site, site / "site", False, None, TODAY, store)
    assert path not in settled.read and settled.key == first.key
    with open(path, "a") as f:  # any write moves the change time: read again
        f.write("!")
    changed = input_key(site, site / "site", False, None, TODAY, store)
    assert path in changed.read and changed.key != first.key
    store.close()


def test_a_fifo_is_not_read(make_site: MakeSite) -> None:
    site = make_site({"content/events/a.md": "a"})
    os.mkfifo(site / "content/events/pipe.md")
    store = open_store(site)
    inputs = input_key(site, site / "site", False, None, TODAY, store)
    store.close()
    assert str(site / "content/events/pipe.md") not in inputs.digests


def test_last_result_needs_the_same_inputs_and_output(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_files(out, {"a.html": b"a"})
    records = read_manifest(out)
    store = open_store(tmp_path)
    result = BuildResult(1, 1, 1, 0, 0.1, output=out)
    assert last_result(store, out, "k", TODAY) is None
    remember(store, "k", result, records, TODAY)
    assert last_result(store, out, "k", TODAY) == result
    assert last_result(store, out, "k", "2027-01-01") == result  # nothing it said has aged
    assert last_result(store, out, "k", "2026-11-30") is None  # the clock went back
    assert last_result(store, out, "other", TODAY) is None
    (out / "a.html").write_bytes(b"changed!")  # the output is not what was made
    assert last_result(store, out, "k", TODAY) is None
    (out / "a.html").write_bytes(b"a")
    assert last_result(store, out, "k", TODAY) == result
    forget_result(store)
    assert last_result(store, out, "k", TODAY) is None
    store.close()


def test_last_result_goes_once_a_future_day_it_warned_about_comes(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_files(out, {"a.html": b"a"})
    soon = Problem("e.md", 3, "date", "2026-12-03 is in the future", "warning", (2026, 12, 3))
    result = BuildResult(1, 1, 1, 0, 0.1, warnings=[soon], output=out)
    store = open_store(tmp_path)
    remember(store, "k", result, read_manifest(out), TODAY)
    assert last_result(store, out, "k", "2026-12-02") == result
    assert last_result(store, out, "k", "2026-12-03") is None
    store.close()
