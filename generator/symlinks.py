"""Symbolic links in the folders a build reads: ``content/``, ``static/`` and ``templates/``.

A link that leads nowhere (an Emacs lock file ``.#x.md`` points at ``user@host.1:1``) or in
a circle is not a file: it is skipped, with a warning naming it unless it is a lock file. In
untrusted mode (a CI build of contributed content), a link that leads out of the site folder
is an error: ``static/env -> /proc/self/environ`` would publish the build's environment.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from generator.errors import Problem

FOLDERS = ("content", "static", "templates")
INPUT_LIMIT = 100_000_000
"""The most bytes a build reads of any one file (static hosts refuse larger files)."""
LOCK_PREFIX = ".#"
"""Emacs's lock files: links to ``user@host.pid:boot``, made and removed as files are edited."""


def _inside(real: str, root: str) -> bool:
    return real == root or real.startswith(root + os.sep)


def _resolved(path: str) -> str | None:
    """Where a link finally leads; None if nowhere (missing target, or a loop)."""
    try:
        return os.path.realpath(path, strict=True)
    except (OSError, RuntimeError):
        return None


def link_problems(site: Path, untrusted: bool = False) -> list[Problem]:
    """Warnings for links that lead nowhere; with ``untrusted``, errors for links (or files
    reached through links) outside the site folder. Links are not followed unless
    ``untrusted``, where every file a reader could reach through one is checked."""
    root = os.path.realpath(site)
    problems: list[Problem] = []
    seen: set[str] = set()

    def name(path: str) -> str:
        return Path(os.path.relpath(path, site)).as_posix()

    def check(path: str, entry: str, is_link: bool | None = None) -> bool:
        """Whether ``path`` may be read; reports why not. ``is_link``: already known from
        the folder listing (no system call per file for the common case, a plain file)."""
        if not (os.path.islink(path) if is_link is None else is_link):
            return True
        target = os.readlink(path)
        real = _resolved(path)
        if entry.startswith(LOCK_PREFIX) and real is None:
            return False
        if real is None:
            try:
                os.stat(path)
                why = "leads nowhere"
            except OSError as exc:
                why = "loops back on itself" if exc.errno == errno.ELOOP else "leads nowhere"
            problems.append(Problem(name(path), None, None, f"symbolic link to '{target}' "
                                    f"{why}: skipped", "warning"))
            return False
        if untrusted and not _inside(real, root):
            problems.append(Problem(name(path), None, None, f"symbolic link to '{target}' "
                                    "leads out of the site folder: refused in untrusted mode"))
            return False
        return True

    def walk(folder: str) -> None:
        real_dir = os.path.realpath(folder)
        if real_dir in seen:  # a folder linked twice, or a link back up: once is enough
            return
        seen.add(real_dir)
        if untrusted and not _inside(real_dir, root):
            return  # reported where the link that leads here is
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            return
        for entry in entries:
            link = entry.is_symlink()
            if not check(entry.path, entry.name, link):
                continue
            try:
                is_dir = entry.is_dir(follow_symlinks=untrusted)
            except OSError:
                continue
            if is_dir and (untrusted or not link):
                walk(entry.path)

    for folder in FOLDERS:
        top = str(site / folder)
        if os.path.lexists(top) and check(top, folder):
            walk(top)
    return problems


def read_regular(path: str | Path, limit: int = INPUT_LIMIT) -> bytes:
    """A file's bytes, at most ``limit`` + 1 of them (so a caller sees that it is too long);
    ``OSError`` unless it is a regular file: a link to ``/dev/zero`` or a FIFO named like an
    input would be read for ever, or block the build."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO opens at once, and is refused
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        return f.read(limit + 1)


def too_big(path: str, data: bytes, limit: int = INPUT_LIMIT) -> Problem | None:
    """The error for a file read by ``read_regular`` past ``limit``, or None."""
    if len(data) <= limit:
        return None
    return Problem(path, None, None, f"file is over {limit // 1_000_000} MB: refused")
