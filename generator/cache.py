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
