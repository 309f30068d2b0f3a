"""Putting a staged build in place: a whole new folder swapped in with one rename, or a few
changed files committed one rename each after a journal that the next build replays when
this one is killed half-way. Either way the output is the old site or the new one."""

from __future__ import annotations

import json
import os
import shutil
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.errors import SiteError
from generator.output.manifest import MANIFEST, check_rel, inside, refuse_outside, safe_target


def journal_path(output: Path) -> Path:
    return output.parent / f".{output.name}.journal"


def staging_path(output: Path) -> Path:
    """Where the changed files of an in-place commit wait (one build at a time: see lock)."""
    return output.parent / f".{output.name}.staging"


@contextmanager
def no_interrupts() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM during a commit: it must happen whole or not at all."""
    signals = [signal.SIGINT, signal.SIGTERM]
    try:
        old = signal.pthread_sigmask(signal.SIG_BLOCK, signals)
    except (AttributeError, ValueError, OSError):
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def commit_in_place(output: Path, staged: Path, written: list[str], removed: list[str]
                    ) -> None:
    """Write the journal, then move each staged file into place."""
    for rel in written:
        refuse_outside(output, output / rel)
    journal = journal_path(output)
    tmp = journal.with_suffix(".tmp")
    tmp.write_text(json.dumps({"write": sorted(written) + [MANIFEST], "remove": removed}),
                   "utf-8")
    with no_interrupts():
        os.replace(tmp, journal)
        finish_journal(output, staged)


def finish_journal(output: Path, staged: Path | None = None) -> None:
    """Complete a commit that a killed build left half-done (a no-op when there is none)."""
    journal = journal_path(output)
    if not journal.is_file():
        return
    staged = staged or staging_path(output)
    try:
        plan = json.loads(journal.read_text("utf-8"))
        write, remove = list(plan["write"]), list(plan["remove"])
        if not all(isinstance(rel, str) for rel in write + remove):
            raise TypeError("a path that is not text")
        for rel in write + remove:
            check_rel(rel)
    except (ValueError, KeyError, TypeError, SiteError):  # not ours, or damaged: drop it
        journal.unlink()
        return
    with no_interrupts():
        for rel in write:
            source = staged / rel
            if source.is_file():
                target = safe_target(output, rel)
                target.parent.mkdir(parents=True, exist_ok=True)
                if not inside(output, target):
                    continue  # a folder replaced by a link that leads out: never followed
                if target.is_dir() and not target.is_symlink():
                    shutil.rmtree(target)
                os.replace(source, target)
        for rel in remove:
            target = safe_target(output, rel)
            if not inside(output, target):
                continue  # removing through a link would delete a file outside the site
            if target.is_file() or target.is_symlink():
                target.unlink()
            for parent in target.parents:
                if parent == output or not parent.is_relative_to(output):
                    break
                try:
                    parent.rmdir()
                except OSError:
                    break
        journal.unlink()


def carry_over(old: Path, new: Path, ours: set[str]) -> None:
    """Hard-link (or copy) into ``new`` every file of ``old`` that the generator did not
    make, in folders as they were: a folder of the user's (``.git/refs/tags``,
    ``.well-known``) keeps its mode and is kept even when empty, so a git repository kept
    in the output survives a whole rebuild."""
    generated = {str(Path(rel).parent) for rel in ours}
    generated |= {str(parent) for rel in ours for parent in Path(rel).parents}
    for dirpath, dirnames, filenames in os.walk(old):
        here = Path(dirpath)
        rel_dir = here.relative_to(old)
        target_dir = new / rel_dir
        if str(rel_dir) not in generated:
            target_dir.mkdir(parents=True, exist_ok=True)
            shutil.copymode(here, target_dir)
        for name in filenames:
            rel = (rel_dir / name).as_posix()
            if rel in ours or rel == MANIFEST:
                continue
            dest = new / rel
            if dest.exists() or dest.is_symlink():
                continue
            dest.parent.mkdir(parents=True, exist_ok=True)
            src = here / name
            if src.is_symlink():
                os.symlink(os.readlink(src), dest)
            else:
                link_or_copy(src, dest)
        for name in list(dirnames):
            if (here / name).is_symlink():
                dirnames.remove(name)
                dest = new / rel_dir / name
                if not dest.exists() and not dest.is_symlink():
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    os.symlink(os.readlink(here / name), dest)


def link_or_copy(src: Path, dest: Path) -> None:
    try:
        os.link(src, dest)
    except OSError:
        shutil.copy2(src, dest)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two folders with renameat2(RENAME_EXCHANGE) where Linux offers it."""
    import ctypes.util  # here, not at the top: only a whole-site swap needs it

    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    try:
        libc = ctypes.CDLL(libc_name, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return bool(result == 0)


def swap(new: Path, output: Path) -> None:
    """Put the folder ``new`` in place of ``output`` in one step."""
    with no_interrupts():
        if output.is_dir() and not output.is_symlink():
            if _exchange(new, output):
                return  # ``new`` now holds the old site and is removed by the caller
            old = output.parent / f".{output.name}.old-{os.getpid()}"
            os.rename(output, old)
            os.rename(new, output)
            shutil.rmtree(old, ignore_errors=True)
        elif output.exists() or output.is_symlink():
            raise SiteError.one(str(output), None, "output",
                                "exists and is not a folder: refusing to replace it")
        else:
            os.rename(new, output)
