"""The build state's store: damaged or foreign files are made anew, salts empty a table,
rows are replaced, removed and read back."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from generator.incremental.codec import dumps, loads
from generator.incremental.store import (
    CACHE_DIR,
    SCAN_FROM,
    SCHEMA,
    STATE_FILE,
    open_store,
)


def state(site: Path) -> Path:
    return site / CACHE_DIR / STATE_FILE


def test_replace_get_many_keys_rows(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    store.replace("cards", [("k1", "<a>"), ("k2", "<b>")], salt="s1")
    assert store.get("cards", "k1") == ("k1", "<a>")
    assert store.get("cards", "k1", salt="s1") == ("k1", "<a>")
    assert store.get("cards", "k1", salt="other") is None
    assert store.get("cards", "nope") is None
    assert store.many("cards", ["k2", "k3", "k1"], "s1") == {"k1": ("k1", "<a>"),
                                                           "k2": ("k2", "<b>")}
    assert store.many("cards", [], "s1") == {}
    assert sorted(store.keys("cards", "s1")) == ["k1", "k2"]
    assert store.keys("cards", "other") == []
    assert sorted(store.rows("cards", "s1")) == [("k1", "<a>"), ("k2", "<b>")]
    assert list(store.rows("cards", "other")) == []
    store.replace("cards", [("k3", "<c>")], salt="s1", remove=["k1"])
    assert sorted(store.keys("cards", "s1")) == ["k2", "k3"]
    store.close()
    again = open_store(tmp_path)
    assert sorted(again.keys("cards", "s1")) == ["k2", "k3"]  # committed on close
    again.close()


def test_many_reads_past_sqlites_variable_limit(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    store.replace("cards", [(f"k{i}", str(i)) for i in range(1200)], salt="s")
    found = store.many("cards", [f"k{i}" for i in range(1300)], "s")
    assert len(found) == 1200 and found["k1199"] == ("k1199", "1199")
    store.close()


@pytest.mark.parametrize("asked", [10, SCAN_FROM + 1, 3 * SCAN_FROM])
def test_many_finds_exactly_the_rows_asked_for(tmp_path: Path, asked: int) -> None:
    """Few keys are looked up, many read the table: either way the rows of the keys asked
    that are there (keys with a NUL, as gathered values have, too)."""
    store = open_store(tmp_path)
    store.replace("gathered", [(f"kind\0k{i}", str(i)) for i in range(0, 4 * SCAN_FROM, 2)],
                  salt="s")
    keys = [f"kind\0k{i}" for i in range(asked)]
    found = store.many("gathered", keys, "s")
    assert found == {key: store.get("gathered", key) for key in keys[::2]}
    assert store.many("gathered", keys, "other salt") == {}
    store.close()


def test_a_new_salt_empties_the_table(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    store.replace("gathered", [("a", dumps([1]))], salt="v1")
    store.replace("cards", [("c", "x")], salt="v1")
    store.replace("gathered", [("b", dumps([2]))], salt="v2")
    assert store.keys("gathered", "v2") == ["b"]
    assert loads(store.get("gathered", "b")[1]) == [2]  # type: ignore[index]
    assert store.keys("cards", "v1") == ["c"]  # other tables keep theirs
    store.close()


def test_without_commit_nothing_is_kept(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    store.replace("cards", [("k", "x")], salt="s")
    store.close(commit=False)
    assert open_store(tmp_path).keys("cards", "s") == []


@pytest.mark.parametrize("content", [b"not a database at all" * 100, b"",
                                     b"SQLite format 3\x00" + b"\xff" * 200])
def test_a_damaged_file_is_made_anew(tmp_path: Path, content: bytes) -> None:
    state(tmp_path).parent.mkdir()
    state(tmp_path).write_bytes(content)
    store = open_store(tmp_path)
    assert store.db is not None
    store.replace("cards", [("k", "x")], salt="s")
    assert store.keys("cards", "s") == ["k"]
    store.close()


def test_another_versions_file_is_made_anew(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    store.replace("cards", [("k", "x")], salt="s")
    assert store.db is not None
    store.db.execute("UPDATE meta SET value = 'other' WHERE name = 'schema'")
    store.close()
    store = open_store(tmp_path)
    assert store.keys("cards", "s") == []
    assert store.db is not None
    assert store.db.execute("SELECT value FROM meta").fetchall() == [(SCHEMA,)]
    store.close()


def test_a_foreign_database_with_our_table_names(tmp_path: Path) -> None:
    state(tmp_path).parent.mkdir()
    db = sqlite3.connect(state(tmp_path))
    db.execute("CREATE TABLE meta (x INTEGER)")
    db.commit()
    db.close()
    store = open_store(tmp_path)
    assert store.db is not None
    assert store.db.execute("SELECT value FROM meta WHERE name = 'schema'").fetchone() == (
        SCHEMA,)
    store.close()


def test_a_table_of_another_shape_only_costs_time(tmp_path: Path) -> None:
    state(tmp_path).parent.mkdir()
    db = sqlite3.connect(state(tmp_path))
    db.execute("CREATE TABLE cards (key TEXT PRIMARY KEY)")  # one column, not two
    db.commit()
    db.close()
    store = open_store(tmp_path)
    store.replace("cards", [("k", "x")], salt="s")  # fails: the store turns itself off
    assert store.db is None
    assert store.keys("cards", "s") == [] and store.get("cards", "k") is None
    store.commit()
    store.close()


def test_old_cache_files_are_removed(tmp_path: Path) -> None:
    folder = tmp_path / CACHE_DIR
    (folder / "spare").mkdir(parents=True)
    (folder / "parsed-0001.pickle").write_bytes(b"x")
    (folder / "x.tmp").write_bytes(b"")
    (folder / "locks").mkdir()  # the output locks' folder: held by builds under way
    (folder / "locks" / "a.lock").write_bytes(b"")
    open_store(tmp_path).close()
    assert sorted(p.name for p in folder.iterdir() if not p.name.endswith("-journal")) == [
        "locks", STATE_FILE]
    assert (folder / "locks" / "a.lock").is_file()


def test_an_unwritable_site_gets_no_store(tmp_path: Path) -> None:
    (tmp_path / CACHE_DIR).write_text("a file where the folder goes", "utf-8")
    store = open_store(tmp_path)
    assert store.db is None
    store.replace("cards", [("k", "x")])
    assert list(store.rows("cards")) == [] and store.many("cards", ["k"], "s") == {}


def test_a_new_state_file_is_made_in_one_transaction(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Its tables and schema are written together: a statement on its own is a transaction
    of its own, synced to disk (a quarter second for a new site's first build)."""
    outside: list[str] = []
    connect = sqlite3.connect

    def traced(*args: object, **kwargs: object) -> sqlite3.Connection:
        db = connect(*args, **kwargs)  # type: ignore[arg-type]
        db.set_trace_callback(lambda sql: None if db.in_transaction or not sql.startswith(
            ("CREATE", "INSERT")) else outside.append(sql))
        return db

    monkeypatch.setattr(sqlite3, "connect", traced)
    open_store(tmp_path).close()
    monkeypatch.undo()
    with sqlite3.connect(state(tmp_path)) as db:
        assert db.execute("SELECT value FROM meta WHERE name = 'schema'").fetchone() == (SCHEMA,)
        assert {row[0] for row in db.execute("SELECT name FROM sqlite_master")} >= {
            "meta", "salts", "files", "cards"}
    assert outside == []
