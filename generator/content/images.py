"""Each local image's real width and height, read from its file in ``static/`` at build time,
so a page reserves the image's space before it loads (no jump as a list scrolls), and the
names and sizes of the smaller copies the build makes of it (``site/resized.py``).

A size written in front-matter wins; an image on another host keeps the size its editor
gave, or none, and gets no copies.
"""

from __future__ import annotations

import functools
import os
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import unquote

from generator.content.model import Event, Media, Resized, safe_url, split_url
from generator.errors import Problem
from generator.hashing import file_digest

COPY_WIDTHS = (480, 960, 1600)
"""The widths of the copies, never wider than the original: 480 fills a card's thumbnail
on any screen, 960 and 1600 an event page on a phone and on a wide or sharp screen."""
COPY_FOLDER = "resized"
MAX_PIXELS = 89_478_485
"""Pillow's own limit against decompression bombs: a larger image is shown as it is."""
_TURNED = (5, 6, 7, 8)
"""EXIF orientations that turn the picture a quarter: browsers show it with sides swapped."""


@dataclass(frozen=True)
class _Facts:
    width: int
    height: int
    digest: str
    copied: bool
    """False for an animation (a copy would keep only its first frame) or a huge image:
    those are shown as they are."""


@functools.cache
def _facts(path: str, _stamp: tuple[int, int]) -> _Facts | str | None:
    """What the page needs of an image; None if unreadable; why not, for a header Pillow
    refuses outright (more than twice ``MAX_PIXELS``: a decompression bomb, 50,000 by
    50,000)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with open(path, "rb") as f:
            data = f.read()
        with warnings.catch_warnings():  # a huge image is only measured, never decoded
            warnings.simplefilter("ignore")
            with Image.open(path) as image:
                width, height = image.size
                if image.getexif().get(0x0112) in _TURNED:
                    width, height = height, width
                still = not getattr(image, "is_animated", False)
    except Image.DecompressionBombError:
        limit = 2 * (Image.MAX_IMAGE_PIXELS or 0)
        return (f"has more than {limit:,} pixels, which Pillow refuses to read (a "
                "decompression bomb could): save it at the size a page shows")
    except (OSError, UnidentifiedImageError, ValueError):
        return None
    if width <= 0 or height <= 0:
        return None
    return _Facts(width, height, file_digest(data), still and width * height <= MAX_PIXELS)


def local_file(site: Path, src: str) -> Path | None:
    """The file in ``static/`` that a site-relative ``src`` names, or None if it names none
    there (or a path that would leave it)."""
    if safe_url(src) is not None:
        return None
    parts = split_url(src)
    if parts is None:
        return None
    folder = (site / "static").resolve()
    path = (folder / unquote(parts.path).lstrip("/")).resolve()
    if folder not in path.parents or not path.is_file():
        return None
    return path


def _read(site: Path, src: str) -> _Facts | str | None:
    path = local_file(site, src)
    if path is None:
        return None
    info = os.stat(path)
    return _facts(str(path), (info.st_mtime_ns, info.st_size))


def image_size(site: Path, src: str) -> tuple[int, int] | None:
    """(width, height) in pixels of the local image ``src`` as browsers show it (turned as
    its EXIF orientation says); None if it cannot be read."""
    facts = _read(site, src)
    return None if facts is None or isinstance(facts, str) else (facts.width, facts.height)


def copies_of(facts: _Facts) -> tuple[Resized, ...]:
    """Each of ``COPY_WIDTHS`` narrower than the image, and one at its own width when that
    is below the widest (never enlarged); named by the image's content, so one saved under
    two names is made once, and a changed one gets new names (no stale browser cache)."""
    if not facts.copied:
        return ()
    widest = min(facts.width, COPY_WIDTHS[-1])
    widths = [w for w in COPY_WIDTHS if w < widest] + [widest]
    return tuple(Resized(f"{COPY_FOLDER}/{facts.digest[:16]}-{w}.webp", w,
                         max(1, round(w * facts.height / facts.width))) for w in widths)


def _sized(site: Path, event: Event, problems: list[Problem]) -> Event:
    media: list[Media] = []
    for i, item in enumerate(event.media):
        if local_file(site, item.src) is None:  # remote, or missing: the site check says so
            media.append(item)
            continue
        facts = _read(site, item.src)
        if isinstance(facts, str):
            problems.append(Problem(event.path, item.line, f"media[{i}].src",
                                    f"'{item.src}' {facts}"))
            media.append(item)
            continue
        if facts is None:
            if not (item.width and item.height):
                problems.append(Problem(
                    event.path, item.line, f"media[{i}].src",
                    f"cannot read the size of '{item.src}': the page shows it without width "
                    "and height (add them, or use a PNG, JPEG, GIF or WebP file)", "warning"))
            media.append(item)
            continue
        width, height = facts.width, facts.height
        if item.width and item.height:
            width, height = item.width, item.height
        elif item.width:  # keep the editor's width, at the file's shape
            width, height = item.width, round(item.width * height / width)
        elif item.height:
            width, height = round(item.height * width / height), item.height
        media.append(replace(item, width=width, height=height, copies=copies_of(facts)))
    if tuple(media) == event.media:
        return event
    # The first copy's name holds the file's hash, which decides all its copies.
    sizes = ",".join(f"{m.width}x{m.height}" + (f"@{m.copies[0].path}" if m.copies else "")
                     for m in media)
    # A new image file changes the pages that show it, not only the event's own file.
    return replace(event, media=tuple(media), key=f"{event.key}+{sizes}")


def with_image_sizes(site: Path, events: Sequence[Event]) -> tuple[list[Event], list[Problem]]:
    """``events`` with the width, height and copies of each local image they show, and a
    warning for each image whose size cannot be read (an error for one too large to read)."""
    problems: list[Problem] = []
    return [_sized(site, e, problems) if e.media else e for e in events], problems


def large_images(site: Path, events: Iterable[Event], limit_mb: float) -> list[Problem]:
    """A warning for each local image whose file is over ``limit_mb`` megabytes: pages show
    its copies, but the link to it downloads all of it."""
    problems = []
    for event in events:
        for i, item in enumerate(event.media):
            path = local_file(site, item.src)
            size = path.stat().st_size if path is not None else 0
            if size > limit_mb * 1_000_000:
                problems.append(Problem(
                    event.path, item.line, f"media[{i}].src",
                    f"'{item.src}' is {size / 1_000_000:.1f} MB, over large_image_mb "
                    f"({limit_mb:g} MB): pages show smaller copies, but its link opens all of "
                    "it; save it smaller (2400 px wide is plenty), or raise large_image_mb in "
                    "timeline.toml", "warning"))
    return problems
