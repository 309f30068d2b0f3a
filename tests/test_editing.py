"""The one way an editor's file is rewritten: bytes, BOM and CRLF kept, atomic, and refused
when it changed since it was read, is read-only, belongs to another user or is a link."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator.content import editing
from generator.content.editing import EditError, edit_file
from generator.content.rewrite import rename_tag

from conftest import REPO

TEXT = ("\ufeff---\r\ntitle: A   # the editor's comment\r\ndate: 2017\r\ntags: [alpha, beta]\r\n"
        "sources:\r\n  - {publisher: P, url: https://example.org/}\r\n---\r\nBody.\r\n")


def _rename(text: str) -> str | None:
    return rename_tag(text, "alpha", "gamma")


def test_bom_crlf_and_comments_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(TEXT.encode())
    assert edit_file(path, _rename) is not None
    assert path.read_bytes() == TEXT.replace("alpha", "gamma").encode()
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]  # no temporary file left
    assert edit_file(path, _rename) is None  # nothing to change: nothing written


def test_a_file_saved_meanwhile_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(TEXT.encode())
    saved = TEXT.replace("Body.", "The editor's new sentence.").encode()

    def change(text: str) -> str | None:
        path.write_bytes(saved)  # the editor saves while the command works
        return _rename(text)

    with pytest.raises(EditError) as caught:
        edit_file(path, change, "content/events/a.md")
    assert str(caught.value) == ("content/events/a.md: changed since it was read: not "
                                 "rewritten (run the command again)")
    assert path.read_bytes() == saved
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]


def test_a_full_disk_never_truncates_the_file(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(TEXT.encode())
    real = os.fdopen

    class Full:
        def __init__(self, f: Any) -> None:
            self.f = f

        def __enter__(self) -> Full:
            return self

        def __exit__(self, *args: object) -> None:
            self.f.close()

        def write(self, data: bytes) -> int:
            self.f.write(data[:10])
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(editing.os, "fdopen", lambda fd, mode: Full(real(fd, mode)))
    with pytest.raises(EditError) as caught:
        edit_file(path, _rename, "a.md")
    assert str(caught.value) == ("a.md: not rewritten: no space left on the disk; the file "
                                 "is as it was")
    assert path.read_bytes() == TEXT.encode()
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]


def test_a_file_size_limit_never_truncates_the_file(tmp_path: Path) -> None:
    """A real limit (``ulimit -f``), in a process of its own: 4,439 bytes, limit 2,048."""
    path = tmp_path / "big.md"
    text = TEXT + "x" * (4439 - len(TEXT.encode()))
    path.write_bytes(text.encode())
    assert path.stat().st_size == 4439
    script = ("import resource, sys\nfrom pathlib import Path\n"
              "from generator.content.editing import EditError, edit_file\n"
              "from generator.content.rewrite import rename_tag\n"
              "resource.setrlimit(resource.RLIMIT_FSIZE, (2048, 2048))\n"
              "try:\n    edit_file(Path(sys.argv[1]), lambda t: rename_tag(t, 'alpha', 'g'),"
              " 'big.md')\nexcept EditError as exc:\n    print(exc)\n    sys.exit(1)\n")
    done = subprocess.run([sys.executable, "-c", script, str(path)], cwd=REPO,
                          capture_output=True, text=True, timeout=60, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (
        1, "big.md: not rewritten: the file-size limit is reached; the file is as it was\n",
        "")
    assert path.read_bytes() == text.encode()
    assert [p.name for p in tmp_path.iterdir()] == ["big.md"]


def test_read_only_foreign_and_linked_files_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(TEXT.encode())
    path.chmod(0o444)
    with pytest.raises(EditError) as caught:
        edit_file(path, _rename, "a.md")
    assert str(caught.value) == ("a.md: is read-only: not rewritten (make it writable to let "
                                 "this command change it)")
    assert path.read_bytes() == TEXT.encode() and path.stat().st_mode & 0o777 == 0o444
    path.chmod(0o644)
    if os.geteuid() == 0:  # only root can give a file away
        os.chown(path, 65534, 65534)
        with pytest.raises(EditError) as caught:
            edit_file(path, _rename, "a.md")
        assert str(caught.value) == "a.md: belongs to another user (uid 65534): not rewritten"
        assert path.read_bytes() == TEXT.encode() and path.stat().st_uid == 65534
    link = tmp_path / "b.md"
    link.symlink_to(path)
    with pytest.raises(EditError) as caught:
        edit_file(link, _rename, "b.md")
    assert str(caught.value).startswith("b.md: is a symbolic link: not rewritten")
    assert link.is_symlink()


def test_the_mode_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(TEXT.encode())
    path.chmod(0o640)
    assert edit_file(path, _rename) is not None
    assert path.stat().st_mode & 0o777 == 0o640
