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
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
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
    return root / rel


def _inside(root: Path, target: Path) -> None:
    """Refuse a target whose folder, followed through any symlink, lies outside ``root``."""
    real = os.path.realpath(target.parent)
    base = os.path.realpath(root)
    if real != base and not real.startswith(base + os.sep):
        raise SiteError.one(target.relative_to(root).as_posix(), None, "path",
                            "refusing an output path that leads outside the output folder")


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


@dataclass(frozen=True)
class Reused:
    """A file the last build wrote, with this hash and size, to keep without rendering it."""

    digest: str
    size: int


def read_manifest(output: Path) -> dict[str, tuple[str, int]]:
    """What the last build wrote into ``output``: {path: (hash, size)}."""
    return {rel: (str(rec[0]), int(rec[1])) for rel, rec in _read_manifest(output).items()
            if isinstance(rec, list) and len(rec) == 2}


def file_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def still_there(output: Path, rel: str, digest: str, size: int) -> bool:
    """True when the file the last build wrote at ``rel`` is still in place, unchanged."""
    return _unchanged(output / rel, [digest, size], digest)


def _intact(output: Path, old: dict[str, tuple[str, int]]) -> bool:
    """True when every file the last build wrote is still there with its size."""
    return all(_unchanged(output / rel, [digest, size], digest)
               for rel, (digest, size) in old.items())


IN_PLACE_LIMIT = 200
"""Up to this many changed files, a build commits them one by one instead of re-creating the
whole folder: on a 10,000-event site re-creating it costs more than the rest of an edit."""


def write_site(output: Path, files: Mapping[str, bytes | Reused]) -> int:
    """Make ``output`` hold exactly ``files``; return how many files were written.

    Few changes are staged beside the output and committed with one rename per file, after
    a journal that the next build replays if this one is killed half-way. Otherwise the
    whole folder is built beside the output and swapped in with one rename. Either way
    nothing in ``output`` changes until every file is ready.
    """
    output = output.absolute()
    finish_journal(output)
    old = read_manifest(output) if output.is_dir() else {}
    if old and not output.is_symlink():
        changed = {rel: data for rel, data in files.items() if not isinstance(data, Reused)
                   and _differs(output, rel, old.get(rel), record(data))}
        removed = [rel for rel in old if rel not in files]
        reused_ok = all(old.get(rel) == (d.digest, d.size) for rel, d in files.items()
                        if isinstance(d, Reused))
        if reused_ok and not changed and not removed and _intact(output, old):
            return 0
        if reused_ok and len(changed) + len(removed) <= IN_PLACE_LIMIT:
            return _commit_in_place(output, files, changed, removed)
    return _write_whole(output, files)


def _differs(output: Path, rel: str, before: tuple[str, int] | None,
             now: tuple[str, int]) -> bool:
    """True when the file must be written: new bytes, or the old file is gone or edited."""
    return before != now or not still_there(output, rel, *now)


def _journal(output: Path) -> Path:
    return output.parent / f".{output.name}.journal"


def _staging(output: Path) -> Path:
    return output.parent / f".{output.name}.staging"


def _commit_in_place(output: Path, files: Mapping[str, bytes | Reused],
                     changed: Mapping[str, bytes], removed: list[str]) -> int:
    staging = _staging(output)
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir()
    try:
        for rel, data in changed.items():
            target = safe_target(staging, rel)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            _inside(output, output / rel)
        records = {rel: list(record(data)) for rel, data in sorted(files.items())}
        (staging / MANIFEST).write_text(json.dumps({"files": records},
                                                   separators=(",", ":")), "utf-8")
        plan = {"write": sorted(changed) + [MANIFEST], "remove": sorted(removed)}
        journal = _journal(output)
        tmp_journal = journal.with_suffix(".tmp")
        tmp_journal.write_text(json.dumps(plan), "utf-8")
        with _no_interrupts():
            os.replace(tmp_journal, journal)
            finish_journal(output)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return len(changed)


def record(data: bytes | Reused) -> tuple[str, int]:
    """The (hash, size) the manifest keeps for a file."""
    return (data.digest, data.size) if isinstance(data, Reused) else \
        (file_digest(data), len(data))


def finish_journal(output: Path) -> None:
    """Complete a commit that a killed build left half-done (a no-op when there is none)."""
    journal = _journal(output)
    if not journal.is_file():
        return
    staging = _staging(output)
    try:
        plan = json.loads(journal.read_text("utf-8"))
    except ValueError:
        journal.unlink()
        return
    with _no_interrupts():
        for rel in plan["write"]:
            source = staging / rel
            if source.is_file():
                target = safe_target(output, rel)
                target.parent.mkdir(parents=True, exist_ok=True)
                _inside(output, target)
                if target.is_dir() and not target.is_symlink():
                    shutil.rmtree(target)
                os.replace(source, target)
        for rel in plan["remove"]:
            target = safe_target(output, rel)
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


def _write_whole(output: Path, files: Mapping[str, bytes | Reused]) -> int:
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
            old = output / rel
            if isinstance(data, Reused):
                if not _unchanged(old, old_files.get(rel), data.digest):
                    raise SiteError.one(rel, None, "output", "changed since the last build: "
                                        "rebuild with --no-cache")
                _link_or_copy(old, target)
                records[rel] = [data.digest, data.size]
                continue
            digest = file_digest(data)
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
