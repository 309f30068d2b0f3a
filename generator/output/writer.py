"""The only code that touches the output folder.

A build is written into a temporary folder beside the output and swapped in with one
rename, so a failed or interrupted build leaves the published site exactly as it was. Files
the generator did not make (``.git``, ``CNAME``, ``.well-known/``) are carried over.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import stat
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from urllib.parse import quote

from generator.errors import SiteError
from generator.hashing import file_digest

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
    check_rel(rel)
    return root / rel


def check_rel(rel: str) -> None:
    """Refuse an output path that could leave the output folder."""
    if not rel or rel.startswith(("/", "\\")) or "\\" in rel or "\x00" in rel:
        raise SiteError.one(rel or "(empty)", None, "path", "refusing an unsafe output path")
    parts = rel.split("/")
    if any(part in ("", ".", "..") for part in parts[:-1]) or parts[-1] in ("", ".", ".."):
        raise SiteError.one(rel, None, "path", "refusing an output path with '..' or '.'")


def _inside(root: Path, target: Path) -> None:
    """Refuse a target whose folder, followed through any symlink, lies outside ``root``."""
    real = os.path.realpath(target.parent)
    base = os.path.realpath(root)
    if real != base and not real.startswith(base + os.sep):
        raise SiteError.one(target.relative_to(root).as_posix(), None, "path",
                            "refusing an output path that leads outside the output folder")


def _is_file_of_size(path: str, size: int) -> bool:
    """True when a regular file (not a link or folder) of ``size`` bytes is at ``path``.

    Size, not mtime: the manifest is part of the site, which must be byte-identical.
    """
    try:
        st = os.lstat(path)
    except OSError:
        return False
    return st.st_size == size and stat.S_ISREG(st.st_mode)


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


Data = bytes | list[bytes | memoryview] | Reused
"""A file to write: its bytes, the pieces they are made of, or the file the last build kept."""


def read_manifest(output: Path) -> dict[str, tuple[str, int]]:
    """What the last build wrote into ``output``: {path: (hash, size)}."""
    try:
        files = json.loads((output / MANIFEST).read_text("utf-8"))["files"]
        return {rel: (str(rec[0]), int(rec[1])) for rel, rec in files.items()
                if isinstance(rec, list) and len(rec) == 2}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def still_there(output: Path, rel: str, size: int) -> bool:
    """True when the file the last build wrote at ``rel`` is still in place, unchanged."""
    return _is_file_of_size(os.path.join(output, rel), size)


def intact(output: Path, old: dict[str, tuple[str, int]]) -> bool:
    """True when every file the last build wrote is still there with its size."""
    base = os.path.join(output, "")
    return all(_is_file_of_size(base + rel, size) for rel, (_, size) in old.items())


IN_PLACE_LIMIT = 200
"""Up to this many changed files, a build commits them one by one instead of re-creating the
whole folder: on a 10,000-event site re-creating it costs more than the rest of an edit."""


SPARE_FROM = 1 << 20
"""Files this big (the data exports) are written over a spare copy instead of as new files."""


@dataclass
class Staging:
    """A build's files on their way into the output folder, written as they are rendered so
    that a large site never has to be held in memory whole.

    ``whole``: the complete new folder is built beside the output (unchanged files are
    hard-linked) and swapped in with one rename. Otherwise only changed files are staged
    and committed one rename each, after a journal the next build replays if this one is
    killed half-way. Either way nothing in the output changes before ``finish``.

    ``spare``: a folder on the output's disk where a big file's replaced version is kept,
    to be overwritten by the next build. Filling a new 30 MB file and freeing the old one
    costs ext4 several times what overwriting the blocks of an old copy does.
    """

    output: Path
    folder: Path
    whole: bool
    old: dict[str, tuple[str, int]]
    spare: Path | None = None
    records: dict[str, tuple[str, int]] = field(default_factory=dict)
    changed: list[str] = field(default_factory=list)
    made: set[Path] = field(default_factory=set)


def begin(output: Path, expected_changes: int | None = None, spare: Path | None = None,
          manifest: dict[str, tuple[str, int]] | None = None) -> Staging:
    """Start writing into ``output``; ``expected_changes`` (if known) picks the cheaper way.

    ``spare``: where replaced big files are kept for reuse, on the same disk as ``output``.
    ``manifest``: ``read_manifest(output)``, if the caller has just read it."""
    output = output.absolute()
    output.parent.mkdir(parents=True, exist_ok=True)
    finish_journal(output)
    old = {} if not output.is_dir() or output.is_symlink() else \
        read_manifest(output) if manifest is None else manifest
    whole = not old or expected_changes is None or expected_changes > IN_PLACE_LIMIT
    folder = output.parent / (f".{output.name}.building-{os.getpid()}" if whole
                              else f".{output.name}.staging")
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir()
    if spare is not None and not _same_disk(spare, folder):
        spare = None
    return Staging(output, folder, whole, old, spare=spare)


def _same_disk(spare: Path, folder: Path) -> bool:
    try:
        spare.mkdir(parents=True, exist_ok=True)
        return spare.stat().st_dev == folder.stat().st_dev
    except OSError:
        return False


def put(st: Staging, rel: str, data: Data) -> None:
    """Add one file; an unchanged one is linked (whole) or left where it is (in place)."""
    check_rel(rel)
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
        _link_or_copy(st.output / rel, target)
        return
    if st.spare is None or now[1] < SPARE_FROM or not _overwrite_spare(st.spare, rel,
                                                                        target, data):
        _write(target, data)
    st.changed.append(rel)


def _spare_name(rel: str) -> str:
    return quote(rel, safe="")


def _overwrite_spare(spare: Path, rel: str, target: Path,
                     data: bytes | list[bytes | memoryview]) -> bool:
    """Move the spare copy of ``rel`` to ``target`` and write ``data`` over it in place.

    Only a copy linked nowhere else is used: one still linked into the output (a build
    killed while keeping it) is never written over."""
    old = spare / _spare_name(rel)
    try:
        info = os.lstat(old)
        if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
            old.unlink()
            return False
        os.rename(old, target)
        _write(target, data, "r+b")
        return True
    except OSError:
        target.unlink(missing_ok=True)
        return False


def _keep_spare(spare: Path | None, rel: str, target: Path) -> None:
    """Before a big file is replaced, keep its old version as the next build's spare."""
    if spare is None:
        return
    try:
        info = os.lstat(target)
        if info.st_size < SPARE_FROM or not stat.S_ISREG(info.st_mode):
            return
        kept = spare / _spare_name(rel)
        kept.unlink(missing_ok=True)
        os.link(target, kept)
    except OSError:
        pass  # only speed is lost


def keep(st: Staging, rel: str, kept: Reused) -> None:
    """``put`` for a file this build checked is still in place as the last build wrote it:
    ten thousand of them in an edit, so the common case is kept short."""
    if not st.whole and st.old.get(rel) == (kept.digest, kept.size):
        st.records[rel] = (kept.digest, kept.size)
    else:
        put(st, rel, kept)


def part(st: Staging) -> tuple[Callable[[str, bytes], None],
                               Callable[[], tuple[dict[str, tuple[str, int]], list[str]]]]:
    """A share of ``st`` for a worker process: its own ``put``, and a report for ``merge``."""
    share = Staging(st.output, st.folder, st.whole, st.old, spare=st.spare)
    return partial(put, share), lambda: (share.records, share.changed)


def merge(st: Staging, report: tuple[dict[str, tuple[str, int]], list[str]]) -> None:
    """Take in what a share wrote."""
    records, changed = report
    st.records.update(records)
    st.changed += changed


def finish(st: Staging) -> int:
    """Put the staged files in place; return how many were written."""
    try:
        removed = sorted(set(st.old) - set(st.records))
        manifest = json.dumps({"files": {rel: list(st.records[rel]) for rel in
                                         sorted(st.records)}}, separators=(",", ":"))
        if st.whole:
            (st.folder / MANIFEST).write_text(manifest, "utf-8")
            if st.output.is_dir():
                _carry_over(st.output, st.folder, set(st.records) | set(st.old))
                for rel in st.changed:
                    _keep_spare(st.spare, rel, st.output / rel)
            _swap(st.folder, st.output)
        elif st.changed or removed or not intact(st.output, st.old):
            for rel in st.changed:
                _inside(st.output, st.output / rel)
            (st.folder / MANIFEST).write_text(manifest, "utf-8")
            plan = {"write": sorted(st.changed) + [MANIFEST], "remove": removed,
                    "spare": None if st.spare is None else str(st.spare)}
            journal = _journal(st.output)
            tmp_journal = journal.with_suffix(".tmp")
            tmp_journal.write_text(json.dumps(plan), "utf-8")
            with _no_interrupts():
                os.replace(tmp_journal, journal)
                finish_journal(st.output)
    finally:
        abort(st)
    return len(st.changed)


def abort(st: Staging) -> None:
    """Drop what was staged; the output folder is as it was."""
    if st.folder.exists():
        shutil.rmtree(st.folder, ignore_errors=True)


def write_site(output: Path, files: Mapping[str, Data]) -> int:
    """Make ``output`` hold exactly ``files``; return how many files were written."""
    output = output.absolute()
    old = read_manifest(output) if output.is_dir() else {}
    expected = sum(1 for rel, data in files.items()
                   if not isinstance(data, Reused) and old.get(rel) != record(data))
    st = begin(output, expected + sum(1 for rel in old if rel not in files))
    try:
        for rel in sorted(files):
            put(st, rel, files[rel])
    except BaseException:
        abort(st)
        raise
    return finish(st)


def _journal(output: Path) -> Path:
    return output.parent / f".{output.name}.journal"


def _staging(output: Path) -> Path:
    return output.parent / f".{output.name}.staging"


def record(data: Data) -> tuple[str, int]:
    """The (hash, size) the manifest keeps for a file."""
    if isinstance(data, Reused):
        return data.digest, data.size
    if isinstance(data, bytes):
        return file_digest(data), len(data)
    whole = hashlib.sha256()
    for piece in data:
        whole.update(piece)
    return whole.hexdigest()[:32], sum(map(len, data))


def _write(path: Path, data: bytes | list[bytes | memoryview], mode: str = "wb") -> None:
    """Write a file's bytes, or its pieces one after another (never joined in memory)."""
    with open(path, mode, buffering=0) as f:
        for piece in [data] if isinstance(data, bytes) else data:
            view = memoryview(piece)
            while view:
                view = view[f.write(view):]
        if mode != "wb":
            f.truncate()


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
    spare = Path(plan["spare"]) if plan.get("spare") else None
    with _no_interrupts():
        for rel in plan["write"]:
            source = staging / rel
            if source.is_file():
                target = safe_target(output, rel)
                target.parent.mkdir(parents=True, exist_ok=True)
                _inside(output, target)
                if target.is_dir() and not target.is_symlink():
                    shutil.rmtree(target)
                _keep_spare(spare, rel, target)
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
