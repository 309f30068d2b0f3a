"""The only code that writes the output folder.

A build is written into a temporary folder beside the output and put in place at once, so
a failed or interrupted build leaves the published site exactly as it was. Files the
generator did not make (``.git``, ``CNAME``, ``.well-known/``) are carried over. One build
at a time writes a given output folder: a second one waits for the first.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from generator.errors import SiteError
from generator.hashing import file_digest
from generator.output.journal import (
    carry_over,
    commit_in_place,
    finish_journal,
    link_or_copy,
    staging_path,
    swap,
)
from generator.output.manifest import (
    MANIFEST,
    Data,
    Reused,
    check_rel,
    intact,
    manifest_text,
    own_folder,
    read_manifest,
    record,
    still_there,
)

if TYPE_CHECKING:
    from concurrent.futures import Future, ThreadPoolExecutor

IN_PLACE_LIMIT = 200
"""Up to this many changed files, a build commits them one by one instead of re-creating the
whole folder: on a 10,000-event site re-creating it costs more than the rest of an edit."""


@contextmanager
def output_lock(output: Path, folder: Path, waiting: Callable[[], None] | None = None
                ) -> Iterator[None]:
    """Hold the output folder for one build; a second build waits (after ``waiting``).
    The lock file is kept in ``folder`` (``<site>/.timeline-cache/locks``), named after the
    output; that folder and its parent are made here, never through a symbolic link.

    Under the lock, what killed builds left beside the output is finished or removed."""
    output = output.absolute()
    output.parent.mkdir(parents=True, exist_ok=True)
    try:
        own_folder(folder.parent.parent, folder.parent.name, folder.name)
        name = folder / f"{file_digest(str(output).encode())[:16]}.lock"
        lock = os.fdopen(os.open(name, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644), "r+b")
    except OSError:  # a site folder that cannot be written: nothing to share it with
        lock = None
    try:
        if lock is not None:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if waiting is not None:
                    waiting()
                fcntl.flock(lock, fcntl.LOCK_EX)
        finish_journal(output)
        remove_leftovers(output)
        yield
    finally:
        if lock is not None:
            lock.close()  # closing releases the lock


def remove_leftovers(output: Path) -> None:
    """Folders of builds that were killed: whole sites being built, old sites being swapped
    out, staged files of a commit whose journal was never written."""
    prefixes = (f".{output.name}.building-", f".{output.name}.old-")
    for entry in os.scandir(output.parent):
        if entry.name.startswith(prefixes) or entry.name == staging_path(output).name:
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
            elif entry.is_symlink():
                os.unlink(entry.path)


@dataclass
class Staging:
    """A build's files on their way into the output folder, written as they come so that a
    large site never has to be held in memory whole.

    ``whole``: the complete new folder is built beside the output (unchanged files are
    hard-linked) and swapped in with one rename. Otherwise only changed files are staged
    and committed one rename each, after a journal the next build replays if this one is
    killed half-way. Either way nothing in the output changes before ``finish``.
    """

    output: Path
    folder: Path
    whole: bool
    old: dict[str, tuple[str, int]]
    records: dict[str, tuple[str, int]] = field(default_factory=dict)
    changed: list[str] = field(default_factory=list)
    made: set[Path] = field(default_factory=set)
    writing: list[Future[None]] = field(default_factory=list)
    """Big files being hashed and written on a thread of their own (in-place commits only:
    a whole rebuild forks workers, which a running thread forbids)."""
    pool: ThreadPoolExecutor | None = None


def begin(output: Path, expected_changes: int | None = None) -> Staging:
    """Start writing into ``output``; ``expected_changes`` (if known) picks the cheaper way."""
    output = output.absolute()
    output.parent.mkdir(parents=True, exist_ok=True)
    old = {} if not output.is_dir() or output.is_symlink() else read_manifest(output)
    whole = not old or expected_changes is None or expected_changes > IN_PLACE_LIMIT
    folder = output.parent / f".{output.name}.building-{os.getpid()}" if whole \
        else staging_path(output)
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir()
    return Staging(output, folder, whole, old)


def put(st: Staging, rel: str, data: Data) -> None:
    """Add one file; an unchanged one is linked (whole) or left where it is (in place)."""
    if isinstance(data, Reused) and not st.whole \
            and st.old.get(rel) == (data.digest, data.size):
        st.records[rel] = (data.digest, data.size)  # checked in place by the build: the
        return  # common case of an edit, ten thousand times
    check_rel(rel)
    if isinstance(data, list):
        if not st.whole:
            # Hashing and writing tens of megabytes lets go of the GIL: pages are rendered
            # meanwhile.
            from concurrent.futures import ThreadPoolExecutor  # an edit's exports only

            st.pool = st.pool or ThreadPoolExecutor(1)
            st.writing.append(st.pool.submit(_put_pieces, st, rel, coalesce(data)))
            return
        data = coalesce(data)
    _put(st, rel, data)


def _put_pieces(st: Staging, rel: str, data: list[bytes | memoryview]) -> None:
    _put(st, rel, data)


def _put(st: Staging, rel: str, data: Data) -> None:
    now = record(data)
    st.records[rel] = now
    # A Reused file was checked on disk by the build that chose to reuse it.
    same = st.old.get(rel) == now and (isinstance(data, Reused)
                                       or still_there(st.output, rel, now[1]))
    if same and not st.whole:
        return
    if not same and isinstance(data, Reused):
        raise SiteError.one(rel, None, "output",
                            "changed since the last build: rebuild with --no-cache")
    target = st.folder / rel
    if target.parent not in st.made:
        target.parent.mkdir(parents=True, exist_ok=True)
        st.made.add(target.parent)
    if isinstance(data, Reused) or same:
        link_or_copy(st.output / rel, target)
        return
    _write(target, data)
    st.changed.append(rel)


def finish(st: Staging) -> int:
    """Put the staged files in place; return how many were written."""
    try:
        _wait(st)
        removed = sorted(set(st.old) - set(st.records))
        if st.whole:
            (st.folder / MANIFEST).write_text(manifest_text(st.records), "utf-8")
            if st.output.is_dir():
                carry_over(st.output, st.folder, set(st.records) | set(st.old))
            swap(st.folder, st.output)
        elif st.changed or removed or not intact(st.output, st.old):
            (st.folder / MANIFEST).write_text(manifest_text(st.records), "utf-8")
            commit_in_place(st.output, st.folder, st.changed, removed)
    finally:
        abort(st)
    return len(st.changed)


def _wait(st: Staging) -> None:
    if st.pool is not None:
        st.pool.shutdown(wait=True)
        st.pool = None
        for done in st.writing:
            done.result()


def abort(st: Staging) -> None:
    """Drop what was staged; the output folder is as it was."""
    try:
        _wait(st)
    except Exception:  # noqa: BLE001, S110 - dropped anyway
        pass
    if st.folder.exists():
        shutil.rmtree(st.folder, ignore_errors=True)


def write_site(output: Path, files: Iterable[tuple[str, Data]], expected_changes: int
               ) -> tuple[int, dict[str, tuple[str, int]]]:
    """Make ``output`` hold exactly ``files`` (taken one at a time, as they are made).

    Returns how many files were written and the manifest: {path: (hash, size)}."""
    st = begin(output, expected_changes)
    try:
        for rel, data in files:
            put(st, rel, data)
    except BaseException:
        abort(st)
        raise
    return finish(st), st.records


def changes_among(output: Path, files: dict[str, Data]) -> int:
    """How many of ``files`` differ from what the output holds (and how many go)."""
    old = read_manifest(output) if output.is_dir() else {}
    return sum(1 for rel, data in files.items()
               if not isinstance(data, Reused) and old.get(rel) != record(data)) \
        + sum(1 for rel in old if rel not in files)


CHUNK = 1 << 20


def coalesce(pieces: list[bytes | memoryview]) -> list[bytes | memoryview]:
    """Join small pieces into chunks of about a megabyte: a file made of forty thousand
    slices of the last build's export is then hashed and written in a few dozen calls."""
    out: list[bytes | memoryview] = []
    batch: list[bytes | memoryview] = []
    size = 0
    for piece in pieces:
        if len(piece) >= CHUNK:  # a long run of the old file: written as it is
            if batch:
                out.append(b"".join(batch))
                batch, size = [], 0
            out.append(piece)
            continue
        batch.append(piece)
        size += len(piece)
        if size >= CHUNK:
            out.append(b"".join(batch))
            batch, size = [], 0
    if batch:
        out.append(b"".join(batch))
    return out


def _write(path: Path, data: bytes | list[bytes | memoryview]) -> None:
    """Write a file's bytes, or its pieces one after another (never joined in memory)."""
    with open(path, "wb", buffering=0) as f:
        for piece in [data] if isinstance(data, bytes) else data:
            view = memoryview(piece)
            while view:
                view = view[f.write(view):]


def write_files(output: Path, files: dict[str, Data]) -> int:
    """``write_site`` for files all in hand (a tool, a test): picks the cheaper way."""
    return write_site(output, sorted(files.items()), changes_among(output, files))[0]
