"""Files named by what they are made from (resized copies, share images): kept in the
output while the build state says they are as made, else made anew. A name that holds the
content's hash cannot be stale, so the state keeps only each file's hash and size."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from generator.hashing import file_digest
from generator.incremental.store import Store
from generator.output.manifest import Data, Reused, read_manifest, still_there


def derived_files(store: Store, output: Path, manifest: dict[str, tuple[str, int]],
                  tables: tuple[str, str | None], wanted: list[str], salt: str,
                  make: Callable[[set[str]], Iterator[dict[str, bytes]]]) -> dict[str, Data]:
    """Each of ``wanted``: the output's file when the store's row (in ``tables[0]``) says it
    was made with ``salt`` and the output still holds it, else its bytes from the store
    (when ``tables[1]`` names a table for them), else made by ``make`` (given the paths
    missing); the store is told what was made."""
    rows, data = tables
    known = store.many(rows, wanted, salt)
    manifest = manifest or read_manifest(output)
    files: dict[str, Data] = {}
    for path, (_, sha, size) in known.items():
        if manifest.get(path) == (sha, size) and still_there(output, path, size):
            files[path] = Reused(sha, size)
    if data is not None:
        stored = store.many(data, [p for p in known if p not in files], salt)
        files.update((path, bytes(row[1])) for path, row in stored.items())
    fresh: dict[str, bytes] = {}
    missing = {path for path in wanted if path not in files}
    if missing:
        for made in make(missing):
            fresh.update(made)
    files.update(fresh)
    gone = set(store.keys(rows, salt)) - set(wanted)
    store.replace(rows, ((path, file_digest(made), len(made)) for path, made in fresh.items()),
                  salt, remove=gone)
    if data is not None:
        store.replace(data, fresh.items(), salt, remove=gone)
    return {path: files[path] for path in wanted}
