"""Whether a build has anything to do, decided before the pipeline (Jinja, Markdown, YAML)
is even imported: a build with nothing changed must cost little more than reading the files.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from generator.errors import Problem
from generator.incremental import store as cache
from generator.output.writer import intact, read_manifest
from generator.site.theme import template_dirs, theme_dir


@dataclass
class BuildResult:
    """What a build did, for the summary line and for tests."""

    events: int
    pages: int
    written: int
    reused: int
    seconds: float
    warnings: list[Problem] = field(default_factory=list)
    output: Path = Path("site")

    def summary(self) -> str:
        return (f"{self.events} events, {self.pages} files ({self.written} written, "
                f"{self.reused} unchanged) in {self.seconds:.2f} s")


def today() -> str:
    return dt.date.today().isoformat()


def _read(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()


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


def _signature(st: os.stat_result) -> tuple[int, int, int, int, int]:
    """Changes whenever a file's content may have: any write moves its change time (which
    tools cannot set back), a save by renaming a new file over it changes the inode."""
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def input_key(site: Path, output: Path, drafts: bool, base_url: str | None) -> Inputs:
    """Hash of every byte a build reads (and the tool itself): equal keys, equal site.

    A file whose size, inode, modification and change times are as they were when it was
    last hashed (``SETTLED_NS`` ago or more) keeps that hash without being read again, as
    git does: on a large site, reading every file is most of a build with nothing to do.
    """
    started = time.time_ns()
    paths: list[str] = []
    folders = [site / "content", site / "static", theme_dir() / "static", *template_dirs(site)]
    for folder in folders:
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames.sort()
            prefix = os.path.join(dirpath, "")
            paths += [prefix + name for name in sorted(filenames)]
    # Keyed by the tool's own code too: another version may hash files another way.
    table_key = cache.digest(HASHES_VERSION, cache.code_hash())
    known = cache.read(site, "inputs", table_key)
    settled, hashes = known if isinstance(known, tuple) and len(known) == 2 else (0, {})
    digests: dict[str, str] = {}
    read: dict[str, bytes] = {}
    table: dict[str, tuple[tuple[int, int, int, int, int], str]] = {}
    for path in paths:
        try:
            info = os.stat(path)
        except OSError:  # a link to nowhere is no input (generator/symlinks.py warns)
            continue
        if not stat.S_ISREG(info.st_mode):
            continue  # a pipe or device named like content would block the read; no reader
            # of the site (content, static, templates) takes anything but regular files
        signature = _signature(info)
        entry = hashes.get(path)
        if entry is not None and entry[0] == signature \
                and max(signature[3:]) < settled - SETTLED_NS:
            digests[path] = entry[1]
        else:
            data = read[path] = _read(path)
            digests[path] = cache.file_digest(data)
        table[path] = (signature, digests[path])
    if read or table.keys() != hashes.keys():
        cache.write(site, "inputs", table_key, (started, table))
    parts: list[bytes | str] = [cache.code_hash(), str(output), str(drafts), base_url or "",
                                today()]
    for path, digest in digests.items():
        parts += [path, digest]
    config = site / "timeline.toml"
    parts.append(config.read_bytes() if config.is_file() else b"")
    return Inputs(cache.digest(*parts), digests, read)


HASHES_VERSION = "1"
"""Key of the store of file hashes (``inputs``): bump it if what it holds changes."""


def _manifest_key(output: Path, written: dict[str, tuple[str, int]] | None = None
                  ) -> str | None:
    """Hash of what the output holds; ``written`` is what a build just wrote there."""
    if written is not None:
        return cache.digest(repr(sorted(written.items()))) if written else None
    manifest = read_manifest(output)
    if not manifest or not intact(output, manifest):
        return None
    return cache.digest(repr(sorted(manifest.items())))


def last_result(site: Path, output: Path, key: str) -> BuildResult | None:
    """The last build's result when its inputs and its output are exactly as they were."""
    last = cache.read(site, "last-build", key)
    if not isinstance(last, dict) or last.get("manifest") != _manifest_key(output):
        return None
    result = last.get("result")
    return result if isinstance(result, BuildResult) else None


def remember(site: Path, output: Path, key: str, result: BuildResult,
             written: dict[str, tuple[str, int]] | None = None) -> None:
    """Note what this build made from these inputs, for the next one to compare with.

    ``written``: the manifest the build just wrote, so it is not read back from disk."""
    cache.write(site, "last-build", key,
                {"manifest": _manifest_key(output, written), "result": result})


def up_to_date(site: Path, output: Path, drafts: bool, base_url: str | None
               ) -> tuple[BuildResult | None, Inputs]:
    """(the last result if nothing changed, what the build reads)."""
    inputs = input_key(site, output, drafts, base_url)
    last = last_result(site, output, inputs.key)
    if last is None:
        return None, inputs
    return replace(last, written=0, reused=last.pages), inputs
