"""Every file a build reads, hashed, and whether the last build made the site from exactly
these: decided before the pipeline (Jinja, Markdown, YAML) is even imported, so a build with
nothing changed costs little more than looking at the files.
"""

from __future__ import annotations

import os
import stat
import time
from dataclasses import dataclass
from pathlib import Path

from generator.errors import day_numbers
from generator.hashing import code_hash, digest, file_digest, text_digest
from generator.incremental.codec import dumps, loads
from generator.incremental.store import Store
from generator.output.manifest import intact, read_manifest
from generator.report import BuildResult
from generator.site.theme import site_catalogs, template_dirs, theme_dir
from generator.symlinks import INPUT_LIMIT, read_regular


@dataclass
class Inputs:
    """Every file a build reads: the hash of them all, each file's hash, and the bytes of
    the files that had to be read to know it (the build does not read those again)."""

    key: str
    digests: dict[str, str]
    read: dict[str, bytes]


SETTLED_NS = 2_000_000_000
"""A file's recorded hash is trusted without reading it again only if the file was last
written this long before that hash was taken: a file written again within the same
timestamp tick as the read could otherwise look unchanged (git's "racy clean" files)."""

HASHES_VERSION = "2"
"""Salt of the table of file hashes: bump it if what it holds changes."""


def file_signature(st: os.stat_result) -> str:
    """Changes whenever a file's content may have: any write moves its change time (which
    tools cannot set back), a save by renaming a new file over it changes the inode."""
    return f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}"




def input_files(site: Path) -> list[str]:
    """Every regular file under the folders a build reads, in a stable order."""
    paths: list[str] = []
    folders = [site / "content", site / "static", theme_dir() / "static", *template_dirs(site),
               site_catalogs(site)]
    for folder in folders:
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames.sort()
            prefix = os.path.join(dirpath, "")
            paths += [prefix + name for name in sorted(filenames)]
    return paths


def input_key(site: Path, output: Path, drafts: bool, base_url: str | None, today: str,
              store: Store) -> Inputs:
    """Hash of every byte a build reads (and the tool itself): equal keys, equal site.

    A file whose size, inode, modification and change times are as they were when it was
    last hashed (``SETTLED_NS`` ago or more) keeps that hash without being read again, as
    git does: on a large site, reading every file is most of a build with nothing to do.
    The day counts only with drafts, whose pages are dated by it; a published site's
    warnings about future days are asked of the last result (``last_result``).
    """
    started = time.time_ns()
    salt = digest(HASHES_VERSION, code_hash())
    settled_row = store.get("meta", "files-settled")
    settled = int(settled_row[1]) if settled_row and store.salted("files", salt) else 0
    known = {path: (sig, dig) for path, sig, dig in store.rows("files", salt)}
    settled -= SETTLED_NS
    digests: dict[str, str] = {}
    read: dict[str, bytes] = {}
    table: list[tuple[str, str, str]] = []
    for path in input_files(site):
        try:
            info = os.stat(path)
        except OSError:
            continue  # a dangling or looping link (an editor's lock file): nothing to read
        if not stat.S_ISREG(info.st_mode):
            continue  # a pipe or device named like content would block the read
        signature = file_signature(info)
        entry = known.get(path)
        if entry is not None and entry[0] == signature \
                and max(info.st_mtime_ns, info.st_ctime_ns) < settled:
            digests[path] = entry[1]
        else:
            try:
                data = read_regular(path)
            except OSError:
                continue
            if len(data) > INPUT_LIMIT:  # refused by its reader; hashed by its stat alone
                digests[path] = text_digest("too big", signature)
            else:
                digests[path] = file_digest(data)
                read[path] = data
        table.append((path, signature, digests[path]))
    changed = [row for row in table if known.get(row[0]) != row[1:]]
    if changed or len(table) != len(known):
        store.replace("files", changed, salt, remove=known.keys() - {row[0] for row in table})
    if read:
        store.replace("meta", [("files-settled", str(started))])
    config = site / "timeline.toml"
    # Paths and hashes hold no NUL: joined by one, ten thousand of them hash at once.
    files = text_digest(*(part for item in digests.items() for part in item))
    key = digest(code_hash(), str(output), str(drafts), base_url or "",
                 today if drafts else "", files,
                 config.read_bytes() if config.is_file() else b"")
    return Inputs(key, digests, read)


def parse_salt(store: Store, salt: str, today: str) -> str:
    """What kept parses are stored under: a parse holds on the day it was made and after
    (its warnings about future days are asked again each build), so on a day before the
    latest this store parsed on (the clock went back), every file is parsed again."""
    salt = digest(code_hash(), salt)
    row = store.get("meta", "parsed-day")
    if row is not None and today < str(row[1]):
        return digest(salt, today)
    if row is None or str(row[1]) != today:
        store.replace("meta", [("parsed-day", today)])
    return salt


def _output_key(output: Path, records: dict[str, tuple[str, int]] | None = None) -> str | None:
    """Hash of what the output holds; ``records`` is what a build just wrote there."""
    if records is None:
        records = read_manifest(output)
        if not records or not intact(output, records):
            return None
    return digest(repr(sorted(records.items()))) if records else None


def last_result(store: Store, output: Path, key: str, today: str) -> BuildResult | None:
    """The last build's result when its inputs and its output are exactly as they were, and
    ``today`` is no earlier than its day nor has reached a future day it warned about."""
    row = store.get("meta", "last-build")
    if row is None:
        return None
    try:
        last = loads(row[1])
    except Exception:  # noqa: BLE001 - a damaged entry only means building
        return None
    if not isinstance(last, dict) or last.get("inputs") != key \
            or last.get("output") != _output_key(output):
        return None
    result = last.get("result")
    if not isinstance(result, BuildResult) or str(last.get("day", "")) > today:
        return None
    day = day_numbers(today)
    return result if all(p.holds_on(day) for p in result.warnings) else None


def remember(store: Store, key: str, result: BuildResult,
             records: dict[str, tuple[str, int]], today: str) -> None:
    """Note what this build made from these inputs on ``today``, for the next one."""
    value = {"inputs": key, "output": _output_key(result.output, records), "result": result,
             "day": today}
    store.replace("meta", [("last-build", dumps(value))])


def forget_result(store: Store) -> None:
    """The next build must not take this one's output as up to date."""
    store.replace("meta", [("last-build", dumps(None))])
