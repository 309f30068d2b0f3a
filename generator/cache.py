"""The build cache in ``.timeline-cache/``: results keyed by content hashes, never by time.

Every entry is stored under a hash of everything that produced it, so a stale entry can only
miss, never be served. A damaged or foreign cache file is ignored, not trusted.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import tempfile
import zlib
from pathlib import Path
from typing import Any

CACHE_DIR = ".timeline-cache"


def digest(*parts: bytes | str) -> str:
    """Hash the parts unambiguously."""
    h = hashlib.blake2b(digest_size=20)
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


@functools.cache
def code_hash() -> str:
    """Hash the generator's own source, so upgrading the tool invalidates the cache."""
    files = sorted(Path(__file__).parent.rglob("*.py"))
    return digest(*(p.read_bytes() for p in files))


def read(site: Path, name: str, key: str) -> Any:
    """Return the object stored under ``name`` if it was made with ``key``, else None."""
    path = site / CACHE_DIR / f"{name}.pickle"
    try:
        with path.open("rb") as f:
            stored_key, value = pickle.load(f)  # noqa: S301 - our own file, keyed below
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError,
            ImportError, IndexError):
        return None
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


SHARDS = 16
"""A big store is split so that an edit rewrites one sixteenth of it, not all of it."""


def _shard(key: object) -> int:
    return zlib.crc32(repr(key).encode()) % SHARDS


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
    parts: list[dict[Any, Any]] = [{} for _ in range(SHARDS)]
    for item_key, value in data.items():
        parts[_shard(item_key)][item_key] = value
    before: list[dict[Any, Any]] = [{} for _ in range(SHARDS)]
    for item_key, value in old.items():
        before[_shard(item_key)][item_key] = value
    for number, (part, was) in enumerate(zip(parts, before, strict=True)):
        same = part == was if compare_values else part.keys() == was.keys()
        if not same:  # a shard stored under another key reads as empty: ``was`` is {} then
            write(site, f"{name}-{number:02d}", key, part)

