"""Rewriting an editor's file: the one way every command that edits content does it.

``import --update``, ``rename-tag`` and ``sources archive`` change a few fields of files an
editor owns and may have open. So a rewrite keeps every byte it was not asked to change
(the BOM, CRLF line endings, comments, key order), never leaves a half-written file (a
temporary file beside it, fsynced, then ``os.replace``), refuses a file that changed since
it was read (an editor's save in between would be lost), and refuses a file the editor
made read-only or that belongs to someone else, rather than quietly taking it over.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator.errors import Problem

BOM = b"\xef\xbb\xbf"


class EditError(Exception):
    """A file left as it was, with the one line that says why."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))


@dataclass(frozen=True)
class Original:
    """A file as it was read: its bytes and what ``stat`` said, to notice a later save."""

    path: Path
    raw: bytes
    mode: int
    stamp: tuple[int, int, int] | None  # inode, size, mtime in ns; None: not there yet
    name: str  # as messages name it
    owner: int | None = None

    @property
    def bom(self) -> bool:
        return self.raw.startswith(BOM)

    @property
    def crlf(self) -> bool:
        """Every line break is CRLF (a file with mixed breaks is edited as it is)."""
        return b"\r\n" in self.raw and self.raw.count(b"\n") == self.raw.count(b"\r\n")

    def text(self) -> str:
        """The text to edit: without the BOM, and with LF breaks if the file has CRLF."""
        text = self.raw[len(BOM) if self.bom else 0:].decode("utf-8")
        return text.replace("\r\n", "\n") if self.crlf else text

    def encode(self, text: str) -> bytes:
        """Edited text back as bytes in the file's own form (BOM, line breaks)."""
        if self.crlf:
            text = text.replace("\r\n", "\n").replace("\n", "\r\n")
        return (BOM if self.bom else b"") + text.encode("utf-8")


def _stamp(st: os.stat_result) -> tuple[int, int, int]:
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def _refuse(path: Path | str, message: str) -> EditError:
    return EditError(Problem(str(path), None, None, message))


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def read_original(path: Path, name: str | None = None, create: bool = False) -> Original:
    """Read a file to edit (a link or a device is refused); with ``create``, a file not
    there yet reads as empty. Whether it may be written is asked only when it is."""
    name = name or str(path)
    if create and not os.path.lexists(path):
        return Original(path, b"", 0o666 & ~_umask(), None, name)
    try:
        st = path.lstat()
        if stat.S_ISLNK(st.st_mode):
            raise _refuse(name, "is a symbolic link: not rewritten (edit the file it points "
                          "to, or replace the link by the file)")
        if not stat.S_ISREG(st.st_mode):
            raise _refuse(name, "is not a regular file: not rewritten")
        raw = path.read_bytes()
    except OSError as exc:
        raise _refuse(name, f"cannot be read: {exc.strerror or exc}") from None
    original = Original(path, raw, stat.S_IMODE(st.st_mode), _stamp(st), name, st.st_uid)
    try:
        original.text()
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise EditError(Problem(name, line, None, "not valid UTF-8: not rewritten")
                        ) from None
    return original


def _unchanged(original: Original) -> bool:
    if original.stamp is None:
        return not os.path.lexists(original.path)
    try:
        st = original.path.lstat()
        return _stamp(st) == original.stamp and original.path.read_bytes() == original.raw
    except OSError:
        return False


def replace_file(original: Original, data: bytes) -> None:
    """Put ``data`` in place of the file in one step; the original stays whole on any
    failure (a full disk, a file-size limit) and when the file changed since it was read."""
    path, name = original.path, original.name
    if original.stamp is not None and not original.mode & stat.S_IWUSR:
        raise _refuse(name, "is read-only: not rewritten (make it writable to let this "
                      "command change it)")
    if hasattr(os, "geteuid") and original.owner not in (None, os.geteuid()):
        raise _refuse(name, f"belongs to another user (uid {original.owner}): not rewritten")
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                             suffix=".tmp")
    except OSError as exc:
        raise _refuse(name, f"not rewritten: cannot write beside it: {exc.strerror or exc}"
                      ) from None
    try:
        with os.fdopen(handle, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(temporary, original.mode)
        if not _unchanged(original):
            raise _refuse(name, "changed since it was read: not rewritten (run the command "
                          "again)")
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        reason = "no space left on the disk" if exc.errno == errno.ENOSPC else (
            "the file-size limit is reached" if exc.errno == errno.EFBIG
            else exc.strerror or str(exc))
        raise _refuse(name, f"not rewritten: {reason}; the file is as it was") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    with contextlib.suppress(OSError):  # the rename itself survives a power cut
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def edit_file(path: Path, change: Callable[[str], str | None], name: str | None = None,
              create: bool = False) -> str | None:
    """Apply ``change`` to the file's text and write the result the one safe way; return
    the new text (LF breaks, no BOM), or None when ``change`` changes nothing. ``name``:
    the path as messages give it; ``create``: a missing file is made (as if empty)."""
    original = read_original(path, name, create)
    new = change(original.text())
    if new is None or new == original.text():
        return None
    replace_file(original, original.encode(new))
    return new
