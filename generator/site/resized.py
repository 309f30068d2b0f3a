"""The resized copies of the site's local images, as WebP files (Pillow).

WebP, whatever the original's format: a photo's copy is a quarter to a third smaller than
the same JPEG would be, a PNG's keeps its transparency, every browser in use shows it
(Safari since 14), and one encoder with fixed options gives the same bytes for any input.
The copies hold no metadata (no EXIF, no times): the picture is turned as its EXIF
orientation says and converted to sRGB from its colour profile, so nothing is lost.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from generator.content.images import local_file
from generator.content.model import Event, Resized
from generator.errors import Problem
from generator.hashing import digest, file_digest

if TYPE_CHECKING:  # Pillow itself is imported only when an image is made
    from PIL import Image

QUALITY = 80
"""Lossy WebP quality: no visible loss at the sizes pages show; the original is linked."""
PARALLEL_IMAGES = 4
"""From this many images to make, both cores make them."""


@dataclass(frozen=True)
class Original:
    """One local image (by content) and the copies pages show of it."""

    file: str
    """Its file in ``static/``: the first of the files with this content."""
    copies: tuple[Resized, ...]
    where: tuple[str, int | None, str, str]
    """(event file, line, field, src) of an image that shows it, for a file Pillow cannot
    decode."""


def originals(site: Path, events: Iterable[Event]) -> list[Original]:
    """Every local image the events show that has copies, once per content."""
    found: dict[str, Original] = {}
    for event in events:
        for i, media in enumerate(event.media):
            if not media.copies or media.copies[0].path in found:
                continue
            path = local_file(site, media.src)
            if path is not None:
                found[media.copies[0].path] = Original(str(path), media.copies, (
                    event.path, media.line, f"media[{i}].src", media.src))
    return list(found.values())


@functools.cache
def copies_salt() -> str:
    """What the copies' bytes depend on besides the image: this module, Pillow, libwebp."""
    import PIL
    from PIL import features

    return digest(Path(__file__).read_bytes(), PIL.__version__,
                  features.version("webp") or "", features.version("littlecms2") or "")


def make_copies(original: Original) -> dict[str, bytes] | Problem:
    """Each copy's bytes by its output path, or the problem of a file Pillow cannot decode."""
    from PIL import Image, ImageOps

    path, line, field, src = original.where
    try:
        with open(original.file, "rb") as f:
            data = f.read()
        # Copies are kept by the name's hash: never the copies of other bytes under it.
        if not PurePosixPath(original.copies[0].path).name.startswith(file_digest(data)[:16]):
            return Problem(path, line, field, f"'{src}' changed while the build read it: "
                           "build again")
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            picture = _in_srgb(ImageOps.exif_transpose(image))
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        return Problem(path, line, field, f"cannot make smaller copies of '{src}': {exc}; "
                       "save the image again (as JPEG, PNG or WebP)")
    made = {}
    for copy in original.copies:
        if max(copy.width, copy.height) > WEBP_MAX:
            return Problem(path, line, field, f"cannot make smaller copies of '{src}': a "
                           f"copy {copy.width}×{copy.height} px is beyond WebP's "
                           f"{WEBP_MAX} px; crop the image or save it less tall or wide")
        small = picture.resize((copy.width, copy.height), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        # Fixed options, and no exif, icc_profile or xmp given: the same bytes every time.
        small.save(out, "WEBP", quality=QUALITY, method=4, lossless=False, exact=False)
        made[copy.path] = out.getvalue()
    return made


WEBP_MAX = 16383
"""The longest side a WebP image may have (libwebp refuses more)."""


def _in_srgb(image: Image.Image) -> Image.Image:
    """RGB (or RGBA, when the image has transparency) in sRGB."""
    from PIL import ImageCms

    alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    mode = "RGBA" if alpha else "RGB"
    profile = image.info.get("icc_profile")
    if profile:
        try:
            if image.mode not in ("RGB", "RGBA", "CMYK", "L"):
                image = image.convert(mode)
            converted = ImageCms.profileToProfile(
                image, ImageCms.ImageCmsProfile(io.BytesIO(profile)),
                ImageCms.createProfile("sRGB"), outputMode=mode)
            if converted is not None:
                return converted
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a damaged profile: the colours as they are
    return image.convert(mode)


def made_copies(todo: Sequence[Original]) -> Iterator[tuple[Original, dict[str, bytes]]]:
    """Make the copies of ``todo`` (on both cores for several); raise ``SiteError`` naming
    every image Pillow cannot decode."""
    from generator.errors import SiteError
    from generator.parallel import map_spans

    def batch(items: Sequence[Original]) -> list[dict[str, bytes] | Problem]:
        return [make_copies(item) for item in items]

    problems: list[Problem] = []
    results = (r for part in map_spans(batch, todo, PARALLEL_IMAGES, per_worker=1)
               for r in part)
    for original, result in zip(todo, results, strict=True):
        if isinstance(result, Problem):
            problems.append(result)
        else:
            yield original, result
    if problems:
        raise SiteError(problems)
