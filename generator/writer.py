"""The only code that touches the output folder.

A build is written into a temporary folder beside the output and swapped in with one
rename, so a failed or interrupted build leaves the published site exactly as it was. Files
the generator did not make (``.git``, ``CNAME``, ``.well-known/``) are carried over.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import json
import os
import shutil
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import SiteError

MANIFEST = ".timeline-manifest.json"
"""Lists what the last build wrote; everything else in the output folder belongs to the user."""


def check_output(output: Path, site: Path, protected: list[Path]) -> None:
    """Refuse an output folder that is, contains or lies inside a source folder."""
    out = output.resolve()
    for folder in [site / "content", site / "templates", site / "static", *protected]:
        src = folder.resolve()
        if out == src or src.is_relative_to(out) and out != site.resolve() \
                or out.is_relative_to(src):
            raise SiteError.one(str(output), None, "output",
                                f"refusing to write into {output}: it overlaps {folder}")
    if out == site.resolve() or out in site.resolve().parents:
        raise SiteError.one(str(output), None, "output",
                            f"refusing to write into {output}: it holds the site itself")


def safe_target(root: Path, rel: str) -> Path:
    """Resolve an output path and make sure it stays inside ``root``."""
    if not rel or rel.startswith(("/", "\\")) or "\\" in rel or "\x00" in rel:
        raise SiteError.one(rel or "(empty)", None, "path", "refusing an unsafe output path")
    parts = rel.split("/")
    if any(part in ("", ".", "..") for part in parts[:-1]) or parts[-1] in ("", ".", ".."):
        raise SiteError.one(rel, None, "path", "refusing an output path with '..' or '.'")
    target = root / rel
    if not target.resolve().is_relative_to(root.resolve()):
        raise SiteError.one(rel, None, "path", "refusing an output path outside the output")
    return target


def _read_manifest(output: Path) -> dict[str, list[int | str]]:
    """Map each file the last build wrote to [hash, size]."""
    try:
        data = json.loads((output / MANIFEST).read_text("utf-8"))
        files = data["files"]
        return files if isinstance(files, dict) else {}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _unchanged(old: Path, record: list[int | str] | None, digest: str) -> bool:
    """True when the old file is the one the last build wrote, with the same bytes."""
    if not record or record[0] != digest:
        return False
    try:
        st = old.lstat()
    except OSError:
        return False
    # Size, not mtime: the manifest is part of the site, which must be byte-identical.
    return st.st_size == record[1] and old.is_file() and not old.is_symlink()


def _carry_over(old: Path, new: Path, ours: set[str]) -> None:
    """Hard-link (or copy) into ``new`` every file of ``old`` that the generator did not make."""
    for dirpath, dirnames, filenames in os.walk(old):
        here = Path(dirpath)
        rel_dir = here.relative_to(old)
        for name in filenames:
            rel = (rel_dir / name).as_posix()
            if rel in ours or rel == MANIFEST:
                continue
            dest = new / rel
            if dest.exists():
                continue
            dest.parent.mkdir(parents=True, exist_ok=True)
            src = here / name
            if src.is_symlink():
                os.symlink(os.readlink(src), dest)
            else:
                _link_or_copy(src, dest)
        for name in list(dirnames):
            if (here / name).is_symlink():
                dirnames.remove(name)
                rel = (rel_dir / name).as_posix()
                dest = new / rel
                if not dest.exists():
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    os.symlink(os.readlink(here / name), dest)


def _link_or_copy(src: Path, dest: Path) -> None:
    try:
        os.link(src, dest)
    except OSError:
        shutil.copy2(src, dest)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two folders with renameat2(RENAME_EXCHANGE) where Linux offers it."""
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


@contextmanager
def _no_interrupts() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM during the swap: it must happen whole or not at all."""
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


def write_site(output: Path, files: dict[str, bytes]) -> int:
    """Write ``files`` as the complete new output folder; return how many files were written.

    A file whose bytes equal what the last build wrote is hard-linked from the old folder
    instead of written again, which keeps rebuilds of large sites fast.
    """
    output = output.absolute()
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.parent / f".{output.name}.building-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    written = 0
    try:
        old_files = _read_manifest(output) if output.is_dir() else {}
        made_dirs: set[Path] = set()
        records: dict[str, list[int | str]] = {}
        for rel in sorted(files):
            target = safe_target(tmp, rel)
            if target.parent not in made_dirs:
                target.parent.mkdir(parents=True, exist_ok=True)
                made_dirs.add(target.parent)
            data = files[rel]
            digest = hashlib.blake2b(data, digest_size=16).hexdigest()
            old = output / rel
            if _unchanged(old, old_files.get(rel), digest):
                _link_or_copy(old, target)
            else:
                target.write_bytes(data)
                written += 1
            records[rel] = [digest, len(data)]
        manifest = {"files": records}
        (tmp / MANIFEST).write_text(json.dumps(manifest, separators=(",", ":")), "utf-8")
        if output.is_dir():
            _carry_over(output, tmp, set(files) | set(old_files))
        _swap(tmp, output)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return written


def _swap(new: Path, output: Path) -> None:
    with _no_interrupts():
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
