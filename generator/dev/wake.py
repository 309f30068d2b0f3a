"""Wake the watcher as soon as a watched folder changes (Linux's inotify, through ctypes).

Only a wake-up call: what changed is still decided by comparing snapshots, so a missed or
spurious event costs at most one poll interval or one look at the files. Where inotify is
not there (another system, a limit reached), ``Wake`` is None and polling alone remains.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
from collections.abc import Iterable
from contextlib import suppress
from pathlib import Path

IN_NONBLOCK = 0o4000
IN_CLOEXEC = 0o2000000
MASK = (0x2 | 0x4 | 0x8 | 0x40 | 0x80 | 0x100 | 0x200 | 0x400 | 0x800)
"""Modify, attrib, close-write, moved from/to, create, delete, delete-self, move-self."""


class Wake:
    """An inotify descriptor watching folders (and the folders of watched files)."""

    def __init__(self, libc: ctypes.CDLL, fd: int) -> None:
        self.libc, self.fd = libc, fd

    def watch(self, paths: Iterable[Path]) -> None:
        """Watch every folder under ``paths`` (again: new folders are added, old ones are
        no-ops)."""
        for root in paths:
            if root.is_file():
                self._add(root.parent)
                continue
            for dirpath, dirnames, _ in os.walk(root):
                dirnames[:] = [d for d in dirnames if not d.startswith(".")]
                self._add(Path(dirpath))

    def _add(self, folder: Path) -> None:
        self.libc.inotify_add_watch(self.fd, os.fsencode(folder), MASK)

    def drain(self) -> bool:
        """Read every pending event; True if there was any."""
        seen = False
        while True:
            try:
                if not os.read(self.fd, 65536):
                    return seen
            except BlockingIOError:
                return seen
            except OSError:
                return seen
            seen = True

    def close(self) -> None:
        with suppress(OSError):
            os.close(self.fd)


def open_wake(paths: Iterable[Path]) -> Wake | None:
    """A ``Wake`` watching ``paths``, or None where inotify cannot be used."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        fd = libc.inotify_init1(IN_NONBLOCK | IN_CLOEXEC)
    except (OSError, AttributeError):
        return None
    if fd < 0:
        return None
    wake = Wake(libc, fd)
    wake.watch(paths)
    return wake
