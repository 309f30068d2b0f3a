"""The build state in ``.timeline-cache/state.sqlite``: what earlier builds made, by key.

Every entry is stored under a hash of everything that produced it, so a stale entry can
only miss, never be served. Each table has a *salt* (the hash of the code, templates and
settings its entries depend on); a table whose salt changed is emptied when it is opened.
A database that is damaged, locked for too long or written by another version of the tool
is set aside and made anew: a cache problem only ever costs time.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import suppress
from pathlib import Path
from typing import Any

from generator.output.manifest import own_folder, refuse_link

CACHE_DIR = ".timeline-cache"
STATE_FILE = "state.sqlite"
STATE_SUFFIXES = ("", "-journal", "-wal", "-shm")
"""The state file and the journal files SQLite keeps beside it."""
OLD_FORMATS = re.compile(r"[\w-]+\.(pickle|pack|tmp)|\.(content|pages|cards|exports|inputs)"
                         r"[\w-]*\.\w+")
"""Names of the files earlier versions kept here: shards, packs and their temporary files."""
SCHEMA = "7"
"""Bump when a table's layout or what its values mean changes: older files are rebuilt."""

TABLES = {
    "meta": "name TEXT PRIMARY KEY, value BLOB",
    "salts": "name TEXT PRIMARY KEY, salt TEXT",
    "files": "path TEXT PRIMARY KEY, signature TEXT, digest TEXT",
    "parsed": "key TEXT PRIMARY KEY, value BLOB",
    "cards": "key TEXT PRIMARY KEY, html TEXT",
    "pages": "path TEXT PRIMARY KEY, key TEXT, digest TEXT, size INTEGER",
    "exports": "path TEXT PRIMARY KEY, digest TEXT, layout BLOB, signature TEXT",
    "gathered": "key TEXT PRIMARY KEY, value BLOB",
    "images": "path TEXT PRIMARY KEY, digest TEXT, size INTEGER",
    "image_data": "path TEXT PRIMARY KEY, data BLOB",
    "shares": "path TEXT PRIMARY KEY, digest TEXT, size INTEGER",
}
"""``files``: what the input check hashed; ``parsed``: events and pages by content key;
``cards``: an event's card or line by ``card_key``; ``pages``: what each output page was made from;
``exports``: where each event's part lies in an export file with that digest, and
the file's stat signature when it was put in place; ``gathered``: an event's value for
gathered files (its search index entry), by kind and event key; ``images``: the hash and
size of each resized copy of an image, by its output path (which holds the image's content
hash and the width), and ``image_data`` its bytes; ``shares``: the hash and size of each
share image, by its output path (named by what it shows)."""



SCAN_FROM = 1000
"""Past this many keys, ``many`` reads the whole table and keeps theirs: looking each key up
costs three times as much a row (an edit asks for every event's search entry)."""


class Store:
    """One build's connection: reads as it goes, writes in one transaction at ``commit``."""

    def __init__(self, connection: sqlite3.Connection | None) -> None:
        self.db = connection

    def rows(self, table: str, salt: str | None = None) -> Iterator[tuple[Any, ...]]:
        """Every row of ``table`` (none when its salt is not ``salt``)."""
        if self.db is None or salt is not None and not self.salted(table, salt):
            return iter(())
        try:
            return iter(self.db.execute(f"SELECT * FROM {table}").fetchall())  # noqa: S608
        except sqlite3.DatabaseError:
            return iter(())

    def keys(self, table: str, salt: str) -> list[str]:
        """The keys of ``table`` (none when its salt is not ``salt``)."""
        if self.db is None or not self.salted(table, salt):
            return []
        column = TABLES[table].split(" ", 1)[0]
        try:
            return [row[0] for row in self.db.execute(f"SELECT {column} FROM {table}")]  # noqa: S608
        except sqlite3.DatabaseError:
            return []

    def get(self, table: str, key: str, salt: str | None = None) -> tuple[Any, ...] | None:
        """One row by its first column."""
        if self.db is None or salt is not None and not self.salted(table, salt):
            return None
        column = TABLES[table].split(" ", 1)[0]
        try:
            row = self.db.execute(f"SELECT * FROM {table} WHERE {column} = ?",  # noqa: S608
                                  (key,)).fetchone()
        except sqlite3.DatabaseError:
            return None
        return tuple(row) if row is not None else None

    def many(self, table: str, keys: Iterable[str], salt: str) -> dict[str, tuple[Any, ...]]:
        """The rows of ``keys`` (by first column) that are there."""
        wanted = list(keys)
        if self.db is None or not wanted or not self.salted(table, salt):
            return {}
        column = TABLES[table].split(" ", 1)[0]
        found: dict[str, tuple[Any, ...]] = {}
        try:
            if len(wanted) > SCAN_FROM:
                keep = set(wanted)
                rows = self.db.execute(f"SELECT * FROM {table}")  # noqa: S608
                return {row[0]: row for row in rows if row[0] in keep}
            for start in range(0, len(wanted), 500):
                chunk = wanted[start:start + 500]
                marks = ",".join("?" * len(chunk))
                query = f"SELECT * FROM {table} WHERE {column} IN ({marks})"  # noqa: S608
                for row in self.db.execute(query, chunk):
                    found[row[0]] = row
        except sqlite3.DatabaseError:
            return {}
        return found

    def salted(self, table: str, salt: str) -> bool:
        """Whether ``table`'s entries were made with ``salt``."""
        assert self.db is not None  # noqa: S101 - callers check
        row = self.db.execute("SELECT salt FROM salts WHERE name = ?", (table,)).fetchone()
        return row is not None and row[0] == salt

    def replace(self, table: str, rows: Iterable[tuple[Any, ...]], salt: str | None = None,
                remove: Iterable[str] = ()) -> None:
        """Write ``rows``; with ``salt``, a table made with another salt is emptied first.
        The rows keyed by ``remove`` go (the store keeps nothing no current file needs)."""
        if self.db is None:
            return
        try:
            if salt is not None and not self.salted(table, salt):
                self.db.execute(f"DELETE FROM {table}")  # noqa: S608
                self.db.execute("INSERT OR REPLACE INTO salts VALUES (?, ?)", (table, salt))
            marks = ",".join("?" * len(TABLES[table].split(",")))
            # Rows are streamed into the table: ten thousand kept events are never all
            # held in memory at once.
            self.db.executemany(f"INSERT OR REPLACE INTO {table} VALUES ({marks})",  # noqa: S608
                                rows)
            column = TABLES[table].split(" ", 1)[0]
            self.db.executemany(f"DELETE FROM {table} WHERE {column} = ?",  # noqa: S608
                                ((key,) for key in remove))
        except sqlite3.DatabaseError:
            self.close(commit=False)

    def commit(self) -> None:
        """End the build's one transaction."""
        if self.db is not None:
            try:
                self.db.commit()
            except sqlite3.DatabaseError:
                pass

    def close(self, commit: bool = True) -> None:
        if self.db is not None:
            if commit:
                self.commit()
            with suppress(sqlite3.DatabaseError):
                self.db.close()
            self.db = None


def open_store(site: Path) -> Store:
    """The site's build state, made anew if it cannot be used as it is; refused
    (``SiteError``) when the folder or a state file is a symbolic link or not a file."""
    try:
        folder = own_folder(site, CACHE_DIR)
        for suffix in STATE_SUFFIXES:
            refuse_link(site, folder / f"{STATE_FILE}{suffix}", folder=False)
        _remove_old_formats(folder)
    except OSError:
        return Store(None)
    path = folder / STATE_FILE
    for _attempt in range(2):
        try:
            db = sqlite3.connect(path, timeout=30, isolation_level="DEFERRED")
            db.execute("PRAGMA journal_mode=TRUNCATE")
            db.execute("PRAGMA synchronous=NORMAL")
            # One transaction for the tables and the schema: each statement on its own
            # would be a transaction, and a new state file would cost a quarter second
            # of syncs.
            db.execute("BEGIN")
            _create(db)
            row = db.execute("SELECT value FROM meta WHERE name = 'schema'").fetchone()
            if row is not None and row[0] != SCHEMA:
                db.close()
                raise sqlite3.DatabaseError("another version's build state")
            if row is None:  # a new state file (a build with nothing to do writes nothing)
                db.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA,))
            db.commit()
            return Store(db)
        except (sqlite3.DatabaseError, OSError):
            _set_aside(path)
    return Store(None)


def _create(db: sqlite3.Connection) -> None:
    for name, columns in TABLES.items():
        db.execute(f"CREATE TABLE IF NOT EXISTS {name} ({columns})")



def _set_aside(path: Path) -> None:
    """Remove a state file that cannot be used (and its journal files), to start over."""
    for suffix in STATE_SUFFIXES:
        with suppress(OSError):
            os.unlink(f"{path}{suffix}")


def _remove_old_formats(folder: Path) -> None:
    """Files of earlier versions of the tool (pickle shards, packs, their temporary files,
    spare copies of exports), by their names: nothing else is removed, and no link is
    followed."""
    for entry in os.scandir(folder):
        if entry.is_file(follow_symlinks=False) and OLD_FORMATS.fullmatch(entry.name):
            with suppress(OSError):
                os.unlink(entry.path)
    spare = folder / "spare"
    if spare.is_dir() and not spare.is_symlink():
        import shutil

        shutil.rmtree(spare, ignore_errors=True)
