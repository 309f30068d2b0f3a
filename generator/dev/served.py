"""Where ``serve`` finds a requested file: in the site a build left in memory, or in a folder.

Both answer the same question (``Lookup``), so the app that adds the dev client and the
overlay does not care whether the site was ever written to disk.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

Body = bytes | list[bytes | memoryview]
"""A file's bytes, or the pieces of a large export (sent one after another, never joined)."""


@dataclass(frozen=True)
class Found:
    """What a URL path leads to: a file (``body``, named ``name``), a folder that wants its
    trailing slash (``redirect``), or nothing (``body`` None; ``built``: whether there is a
    site at all, for the overlay of a first build that failed)."""

    body: Body | None = None
    name: str = ""
    rel: str = ""
    """The file's path in the site (from the memory only)."""
    redirect: bool = False
    forbidden: bool = False
    built: bool = True


Lookup = Callable[[str], Found]

NOT_FOUND = (b"<!doctype html><html><head><title>Not found</title></head><body>Not found"
             b"</body></html>")


def url_parts(url_path: str) -> list[str] | None:
    """The path's parts; None for anything that could leave the site."""
    if "\x00" in url_path or "\\" in url_path:
        return None
    parts = [p for p in url_path.split("/") if p]
    return None if any(p in ("..", ".") for p in parts) else parts


def memory_lookup(files: Callable[[], Mapping[str, Body]]) -> Lookup:
    """Find files in the mapping ``files()`` returns (the last good build's site)."""

    def lookup(url_path: str) -> Found:
        parts = url_parts(url_path)
        if parts is None:
            return Found(forbidden=True)
        site = files()
        rel = "/".join(parts)
        if rel and rel in site:
            return Found(site[rel], parts[-1], rel)
        index = f"{rel}/index.html" if rel else "index.html"
        if index in site:
            if rel and not url_path.endswith("/"):
                return Found(redirect=True)
            return Found(site[index], "index.html", index)
        missing = site.get("404.html")
        return Found(built=bool(site)) if missing is None else _MissingWith(page=missing)

    return lookup


@dataclass(frozen=True)
class _MissingWith(Found):
    """Nothing there, and the site's own 404 page to say so."""

    page: Body = b""


def missing_page(found: Found) -> bytes:
    """The body of a 404 answer: the site's own page when it has one."""
    page = found.page if isinstance(found, _MissingWith) else NOT_FOUND
    return page if isinstance(page, bytes) else b"".join(page)


def folder_lookup(root: Path) -> Lookup:
    """Find files in the folder ``root`` (an output written to disk)."""

    def lookup(url_path: str) -> Found:
        target = resolve(root, url_path)
        if target is None:
            return Found(forbidden=True)
        try:
            is_dir = target.is_dir()
        except OSError:  # a name too long for the file system, say: no such page
            is_dir = False
        if is_dir:
            if not url_path.endswith("/"):
                return Found(redirect=True)
            target = target / "index.html"
        try:
            return Found(target.read_bytes(), target.name)
        except OSError:  # missing, or removed by a rebuild since resolve()
            if not root.is_dir():
                return Found(built=False)
            try:
                return _MissingWith(page=(root / "404.html").read_bytes())
            except OSError:
                return Found()

    return lookup


def resolve(root: Path, url_path: str) -> Path | None:
    """Map a decoded URL path to a file inside ``root``; None for anything that leaves it."""
    parts = url_parts(url_path)
    if parts is None:
        return None
    target = root.joinpath(*parts) if parts else root
    real_root = os.path.realpath(root)
    real = os.path.realpath(target)  # follows symlinks, so one pointing out is caught here
    if real != real_root and not real.startswith(real_root + os.sep):
        return None
    return Path(real)
