"""What the last build wrote into the output folder, and the safe paths it may write to."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from generator.errors import SiteError
from generator.hashing import file_digest

MANIFEST = ".timeline-manifest.json"
"""Lists what the last build wrote; everything else in the output folder belongs to the user."""


@dataclass(frozen=True)
class Reused:
    """A file the last build wrote, with this hash and size, to keep without rendering it."""

    digest: str
    size: int


Data = bytes | list[bytes | memoryview] | Reused
"""A file to write: its bytes, the pieces they are made of, or the file the last build kept."""


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


def read_manifest(output: Path) -> dict[str, tuple[str, int]]:
    """What the last build wrote into ``output``: {path: (hash, size)}."""
    try:
        files = json.loads((output / MANIFEST).read_text("utf-8"))["files"]
        return {rel: (str(rec[0]), int(rec[1])) for rel, rec in files.items()
                if isinstance(rec, list) and len(rec) == 2}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def manifest_text(records: dict[str, tuple[str, int]]) -> str:
    return json.dumps({"files": {rel: list(records[rel]) for rel in sorted(records)}},
                      separators=(",", ":"))


def _is_file_of_size(path: str, size: int) -> bool:
    """True when a regular file (not a link or folder) of ``size`` bytes is at ``path``.

    Size, not mtime: the manifest is part of the site, which must be byte-identical.
    """
    try:
        st = os.lstat(path)
    except OSError:
        return False
    return st.st_size == size and stat.S_ISREG(st.st_mode)


def still_there(output: Path, rel: str, size: int) -> bool:
    """True when the file the last build wrote at ``rel`` is still in place, unchanged."""
    return _is_file_of_size(os.path.join(output, rel), size)


def intact(output: Path, old: dict[str, tuple[str, int]]) -> bool:
    """True when every file the last build wrote is still there with its size."""
    base = os.path.join(output, "")
    return all(_is_file_of_size(base + rel, size) for rel, (_, size) in old.items())


def check_output(output: Path, site: Path, protected: list[Path]) -> None:
    """Refuse an output folder that is, contains or lies inside a source folder, or that
    is a symbolic link (the build would replace or carry over what it leads to)."""
    if output.is_symlink():
        raise SiteError.one(str(output), None, "output", "a symbolic link: refusing to "
                            "write through it (give the folder it leads to)")
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


def own_folder(root: Path, *names: str) -> Path:
    """``root/names...``, each folder made if missing; refused (``SiteError``) when one is
    a symbolic link or not a folder: the build never writes or deletes through a link, which
    a contributed change could point at ``content/`` or outside the site."""
    path = root
    for name in names:
        path = path / name
        with suppress(FileExistsError):
            os.mkdir(path)
        refuse_link(root, path, folder=True)
    return path


def refuse_link(root: Path, path: Path, folder: bool | None = None, field: str = "cache"
                ) -> None:
    """Refuse ``path`` (``SiteError``) when it is a symbolic link; raise ``OSError`` when
    it is there but not a folder (``folder``) or not a regular file (``folder=False``): a
    cache that cannot be used only costs time."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if stat.S_ISLNK(mode):
        name = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        raise SiteError.one(name, None, field, "a symbolic link: refusing to write or "
                            "delete through it (remove it; the build makes its own)")
    if folder is True and not stat.S_ISDIR(mode):
        raise NotADirectoryError(path)
    if folder is False and not stat.S_ISREG(mode):
        raise IsADirectoryError(path) if stat.S_ISDIR(mode) else OSError(f"{path}: not a file")


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


def inside(root: Path, target: Path) -> bool:
    """True when ``target``'s folder, followed through any symlink, lies inside ``root``."""
    real = os.path.realpath(target.parent)
    base = os.path.realpath(root)
    return real == base or real.startswith(base + os.sep)


def refuse_outside(root: Path, target: Path) -> None:
    """Refuse a target whose folder, followed through any symlink, lies outside ``root``."""
    if not inside(root, target):
        raise SiteError.one(target.relative_to(root).as_posix(), None, "path",
                            "refusing an output path that leads outside the output folder")
