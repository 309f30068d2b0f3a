"""The build state keeps JSON, never pickles: a crafted ``state.sqlite`` (a pickle that runs
code, in ``meta`` or any table) runs nothing and only costs a build from scratch; what is
kept reads back equal to what was stored."""

from __future__ import annotations

import datetime
import os
import pickle
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from generator.build import build_site
from generator.config import parse_config
from generator.content.loading import load_timeline
from generator.errors import Problem
from generator.incremental.codec import dumped, dumps, loads
from generator.incremental.store import CACHE_DIR, SCHEMA, STATE_FILE
from generator.report import BuildResult

from conftest import CONFIG, REPO, MakeSite, event_file, tree_hash


class _Runs:
    """Unpickling this writes a file: the proof that code ran."""

    def __init__(self, mark: Path) -> None:
        self.mark = mark

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (os.system, (f"touch {self.mark}",))


def _state(site: Path) -> Path:
    return site / CACHE_DIR / STATE_FILE


@pytest.mark.parametrize("table", ["meta", "parsed", "gathered", "exports"])
def test_a_crafted_state_with_a_pickle_runs_no_code(make_site: MakeSite, tmp_path: Path,
                                                   table: str) -> None:
    site = make_site({"content/events/a.md": event_file("A", "2017-09-11"),
                      "content/events/b.md": event_file("B", "2018-01-02", tags="[beta]")})
    build_site(site)
    expected = tree_hash(site / "site")
    mark = tmp_path / "code-ran"
    evil = pickle.dumps(_Runs(mark))
    with sqlite3.connect(_state(site)) as db:
        assert db.execute("SELECT value FROM meta WHERE name = 'schema'").fetchone() == (
            SCHEMA,)
        if table == "meta":
            db.execute("UPDATE meta SET value = ? WHERE name = 'last-build'", (evil,))
        elif table == "exports":
            db.execute("UPDATE exports SET layout = ?", (evil,))
        else:  # every kept value of the table
            db.execute(f"UPDATE {table} SET value = ?", (evil,))  # noqa: S608
    (site / "content" / "events" / "b.md").write_text(event_file("B2", "2018-01-02"), "utf-8")
    build_site(site)
    assert not mark.exists()
    cold = tmp_path / "cold"
    build_site(site, cold, use_cache=False)
    assert tree_hash(site / "site") == tree_hash(cold) != expected


def test_a_state_of_the_pickling_version_is_set_aside(make_site: MakeSite,
                                                      tmp_path: Path) -> None:
    site = make_site({"content/events/a.md": event_file("A", "2017-09-11")})
    build_site(site)
    mark = tmp_path / "code-ran"
    with sqlite3.connect(_state(site)) as db:
        db.execute("UPDATE meta SET value = '4' WHERE name = 'schema'")
        db.execute("UPDATE meta SET value = ? WHERE name = 'last-build'",
                   (pickle.dumps(_Runs(mark)),))
    build_site(site)
    assert not mark.exists()
    with sqlite3.connect(_state(site)) as db:
        assert db.execute("SELECT value FROM meta WHERE name = 'schema'").fetchone() == (
            SCHEMA,)


def test_kept_values_read_back_equal(make_site: MakeSite) -> None:
    site = make_site({"content/events/a.md": event_file(
        "A", "2017-09-11", extra="places: [Seoul]\nmedia:\n  - src: https://example.org/a.png"
        "\n    alt: A map\nsummary: One line.\n")})
    config, _ = parse_config(CONFIG)
    timeline, _ = load_timeline(site, config, "2026-12-01")
    event = timeline.events[0]
    assert loads(dumps(event)) == event
    assert loads(dumps(event)).front_matter == event.front_matter
    assert type(loads(dumps(event)).sources) is tuple
    odd = {"when": datetime.date(2017, 9, 11), 3: ("a", [1, 2.5]), "~t": None,
           "at": datetime.datetime(2017, 9, 11, 14, 30)}
    assert loads(dumps(odd)) == odd
    result = BuildResult(1, 2, 1, 1, 0.5, [Problem("a.md", 3, "date", "x", "warning"),
                                           Problem("a.md", 3, "date", "y", "warning",
                                                   (2030, 1, 1))], Path("/tmp/out"))
    assert loads(dumps(result)) == result
    assert list(dumped([("ok", 1), ("no", object())])) == [("ok", b"=1")]


@pytest.mark.parametrize("data", [
    b'{"~c":"Popen","f":[]}', b'{"~c":"Problem","f":["a"]}',
    b'{"~c":"Problem","f":{"path":"a","line":1,"field":null,"message":"m",'
    b'"severity":"error"}}', b'{"~c":"Problem","f":["a",1,null,"m","error",null,1]}',
    b'({"a":1}', b'([1,', b'=NaN', b"(\xff", b"=", pickle.dumps(1)])
def test_anything_else_is_refused(data: bytes) -> None:
    with pytest.raises((ValueError, TypeError)):
        loads(data)


@pytest.mark.parametrize(("value", "mark"), [
    (({"id": "a", "year": 2017, "score": 1.5, "tags": ["x"]}, {"seoul": 3}), b"("),
    ((), b"("), ([1, "a", None], b"="), ({"a": [True, -0.0]}, b"="),
    ((1, (2,)), b"{"), ({"~a": 1}, b"{"), ([("a",)], b"[")])
def test_plain_data_is_marked_and_read_back_equal(value: object, mark: bytes) -> None:
    """A value with no tag inside is read without the hook (a search entry, ten thousand
    of them on each edit): the mark says so, and the value reads back equal, of its type."""
    data = dumps(value)
    assert data[:1] == mark
    assert loads(data) == value and type(loads(data)) is type(value)
    assert loads(data.decode()) == value


def test_a_damaged_search_entry_is_made_again(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site({"content/events/a.md": event_file("A", "2017-09-11"),
                      "content/events/b.md": event_file("B", "2018-01-02", tags="[beta]")})
    build_site(site)
    with sqlite3.connect(_state(site)) as db:
        assert {bytes(row[0][:1]) for row in db.execute("SELECT value FROM gathered")} == {
            b"("}
        db.execute("UPDATE gathered SET value = substr(value, 1, length(value) - 2)")
    (site / "content" / "events" / "b.md").write_text(event_file("B2", "2018-01-02"), "utf-8")
    build_site(site)
    cold = tmp_path / "cold"
    build_site(site, cold, use_cache=False)
    assert tree_hash(site / "site") == tree_hash(cold)


def test_a_build_with_nothing_to_do_imports_no_orjson(make_site: MakeSite) -> None:
    """Its import (with uuid) would cost a no-op build a sixth of its time: only plain
    values (search entries) need it, and a no-op reads only its last result."""
    site = make_site({"content/events/a.md": event_file("A", "2017-09-11")})
    build_site(site)
    code = ("import sys\nfrom pathlib import Path\nfrom generator.build import build_site\n"
            f"result = build_site(Path({str(site)!r}))\n"
            "print(result.written, 'orjson' in sys.modules, 'jinja2' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=REPO)
    assert out.stdout.split() == ["0", "False", "False"]
