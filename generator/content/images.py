"""Each local image's real width and height, read from its file in ``static/`` at build time,
so a page reserves the image's space before it loads (no jump as a list scrolls).

Only the file's header is read (Pillow opens lazily). A size written in front-matter wins;
an image on another host keeps the size its editor gave, or none.
"""

from __future__ import annotations

import functools
import os
import warnings
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote

from generator.content.model import Event, Media, safe_url, split_url
from generator.errors import Problem


@functools.cache
def _size(path: str, _stamp: tuple[int, int]) -> tuple[int, int] | str | None:
    """(width, height); None if unreadable; why not, for a header Pillow refuses outright
    (more than twice its ``MAX_IMAGE_PIXELS``: a decompression bomb, 50,000 by 50,000)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():  # a huge image is only measured, never decoded
            warnings.simplefilter("ignore")
            with Image.open(path) as image:
                width, height = image.size
    except Image.DecompressionBombError:
        limit = 2 * (Image.MAX_IMAGE_PIXELS or 0)
        return (f"has more than {limit:,} pixels, which Pillow refuses to read (a "
                "decompression bomb could): save it at the size a page shows")
    except (OSError, UnidentifiedImageError, ValueError):
        return None
    return (width, height) if width > 0 and height > 0 else None


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


def image_size(site: Path, src: str) -> tuple[int, int] | str | None:
    """(width, height) in pixels of the local image ``src``; None if it cannot be read; why
    not, if it must not be."""
    path = local_file(site, src)
    if path is None:
        return None
    info = os.stat(path)
    return _size(str(path), (info.st_mtime_ns, info.st_size))


def _sized(site: Path, event: Event, problems: list[Problem]) -> Event:
    media: list[Media] = []
    for i, item in enumerate(event.media):
        if item.width and item.height or safe_url(item.src) is not None:
            media.append(item)
            continue
        if local_file(site, item.src) is None:  # the build's own check says it is missing
            media.append(item)
            continue
        size = image_size(site, item.src)
        if size is None:
            problems.append(Problem(
                event.path, item.line, f"media[{i}].src",
                f"cannot read the size of '{item.src}': the page shows it without width and "
                "height (add them, or use a PNG, JPEG, GIF or WebP file)", "warning"))
            media.append(item)
            continue
        if isinstance(size, str):
            problems.append(Problem(event.path, item.line, f"media[{i}].src",
                                    f"'{item.src}' {size}"))
            media.append(item)
            continue
        width, height = size
        if item.width and not item.height:  # keep the editor's width, at the file's shape
            width, height = item.width, round(item.width * height / width)
        elif item.height and not item.width:
            width, height = round(item.height * width / height), item.height
        media.append(replace(item, width=width, height=height))
    if tuple(media) == event.media:
        return event
    sizes = ",".join(f"{m.width}x{m.height}" for m in media)
    # A new image file changes the pages that show it, not only the event's own file.
    return replace(event, media=tuple(media), key=f"{event.key}+{sizes}")


def with_image_sizes(site: Path, events: Sequence[Event]) -> tuple[list[Event], list[Problem]]:
    """``events`` with the width and height of each local image they show, and a warning for
    each image whose size cannot be read (an error for one too large to be read)."""
    problems: list[Problem] = []
    return [_sized(site, e, problems) if e.media else e for e in events], problems
