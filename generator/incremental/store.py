"""The build cache in ``.timeline-cache/``: results keyed by content hashes, never by time.

Every entry is stored under a hash of everything that produced it, so a stale entry can only
miss, never be served. A damaged or foreign cache file is ignored, not trusted.
"""

from __future__ import annotations

import gc
import os
import pickle
import tempfile
import zlib
from pathlib import Path
from typing import Any

from generator.hashing import code_hash, digest, file_digest, text_digest

__all__ = ["code_hash", "digest", "file_digest", "text_digest"]

CACHE_DIR = ".timeline-cache"


def read(site: Path, name: str, key: str) -> Any:
    """Return the object stored under ``name`` if it was made with ``key``, else None."""
    path = site / CACHE_DIR / f"{name}.pickle"
    collecting = gc.isenabled()
    gc.disable()  # loading makes no cycles; collections while it runs would only cost time
    try:
        with path.open("rb") as f:
            stored_key, value = pickle.load(f)  # noqa: S301 - our own file, keyed below
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError,
            ImportError, IndexError):
        return None
    finally:
        if collecting:
            gc.enable()
    return value if stored_key == key else None


def write(site: Path, name: str, key: str, value: Any) -> None:
    """Store ``value`` atomically; a cache that cannot be written only costs speed."""
    folder = site / CACHE_DIR
    try:
        folder.mkdir(exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.")
        with os.fdopen(fd, "wb") as f:
            pickle.dump((key, value), f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, folder / f"{name}.pickle")
    except OSError:
        pass


SHARDS = 64
"""A big store is split so that an edit rewrites a small part of it, not all of it: at
10,000 events a shard of the content store is under a megabyte."""


def _shard(key: object) -> int:
    return zlib.crc32((key if isinstance(key, str) else repr(key)).encode()) % SHARDS


def read_shards(site: Path, name: str, key: str) -> dict[Any, Any]:
    """Merge the shards of store ``name`` that were made with ``key``."""
    merged: dict[Any, Any] = {}
    for number in range(SHARDS):
        part = read(site, f"{name}-{number:02d}", key)
        if isinstance(part, dict):
            merged.update(part)
    return merged


def write_shards(site: Path, name: str, key: str, data: dict[Any, Any],
                 old: dict[Any, Any], compare_values: bool = False) -> None:
    """Rewrite only the shards whose entries changed since ``old`` was read.

    Content-addressed stores (keys are hashes of the content) compare keys only.
    """
    # A shard stored under another key reads as empty: ``old`` is {} then, and all differ.
    changed = data.keys() ^ old.keys()
    if compare_values:
        changed |= {k for k, value in data.items() if k in old and old[k] != value}
    dirty = {_shard(item_key) for item_key in changed}
    if not dirty:
        return
    parts: dict[int, dict[Any, Any]] = {number: {} for number in dirty}
    keys = list(data)
    # Ten thousand keys in three stores an edit: hashed by C calls, not one Python call each.
    numbers = map(SHARDS.__rmod__, map(zlib.crc32, map(str.encode, keys))) \
        if all(isinstance(k, str) for k in keys) else map(_shard, keys)
    for item_key, number in zip(keys, numbers, strict=True):
        if number in dirty:
            parts[number][item_key] = data[item_key]
    for number, part in sorted(parts.items()):
        write(site, f"{name}-{number:02d}", key, part)



def forget(site: Path, name: str) -> None:
    """Remove every shard and pack of store ``name``."""
    folder = site / CACHE_DIR
    for path in [*folder.glob(f"{name}-*.pickle"), *folder.glob(f"{name}-*.pack")]:
        path.unlink(missing_ok=True)


def pack_path(site: Path, name: str, key: str) -> Path:
    """An append-only file of records made with ``key``, read one record at a time."""
    return site / CACHE_DIR / f"{name}-{key[:20]}.pack"


def append_records(path: Path, records: list[bytes], fresh: bool) -> list[int] | None:
    """Append ``records`` (or start the file over when ``fresh``); return where each starts,
    or None when the file cannot be written. Other packs of the same name are removed:
    they were made with another key."""
    try:
        path.parent.mkdir(exist_ok=True)
        name = path.name.rsplit("-", 1)[0] + "-"
        for old in path.parent.glob(f"{name}*.pack"):
            if old != path and len(old.name) == len(path.name):
                old.unlink(missing_ok=True)
        with path.open("wb" if fresh else "ab") as f:
            at = f.tell()
            starts = []
            for record in records:
                starts.append(at)
                at += f.write(record)
        return starts
    except OSError:
        return None


def read_record(path: str, start: int, size: int) -> bytes:
    """One record of a pack; raises OSError when it is not all there."""
    with open(path, "rb") as f:
        data = os.pread(f.fileno(), size, start)
    if len(data) != size:
        raise OSError(f"{path}: cut short")
    return data
