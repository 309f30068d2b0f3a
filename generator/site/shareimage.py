"""Share images: the picture a link to an event shows where it is shared (``og:image``), a
1200×630 PNG drawn by Pillow with the event's title, date and status, the site's title and
a small axis placing the event in the timeline's span.

Each image is named after what it shows (``share/<hash>.png``), so the incremental layer
keeps it as it keeps resized copies: drawn once per content, never again while its title,
date, status, site title, language and span stay. Text is set in Noto Sans CJK KR (OFL,
subset to Latin and Hangul by ``tools/subset_fonts.py``, shipped in ``fonts/``): a site
built anywhere draws Korean as Korean, without a font installed or the network.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator.content.dates import EventDate, year_label
from generator.hashing import digest, file_digest

if TYPE_CHECKING:  # Pillow itself is imported only when an image is drawn
    from PIL import Image, ImageDraw, ImageFont

    from generator.config import SiteConfig
    from generator.content.model import Event

WIDTH, HEIGHT = 1200, 630
"""The size link previews show largest (Open Graph's and X's summary_large_image)."""
FOLDER = "share"
FONTS = Path(__file__).parent / "fonts"
REGULAR, BOLD = "NotoSansKR-Regular-subset.otf", "NotoSansKR-Bold-subset.otf"
PARALLEL_IMAGES = 16
"""From this many images to draw, both cores draw them (about 12 ms each)."""

BACKGROUND, INK, MUTED, LINE, ACCENT = "#fdfcfa", "#1b1b1b", "#555555", "#d8d4cc", "#8a1c1c"
STATUS_COLOURS = {"confirmed": "#1d5e2f", "reported": "#6b4a00", "disputed": "#8a1c1c"}
"""The site's light theme (``static/assets/timeline.css``)."""
MARGIN = 80
TITLE_SIZES = (64, 56, 48, 42)
"""The title's sizes, largest first: the first at which it fits in ``TITLE_LINES``."""
TITLE_LINES = 4
"""Lines the title may take, at the smallest size: beyond, it is cut."""


@dataclass(frozen=True)
class ShareCard:
    """What one share image shows; equal cards are one image."""

    title: str
    date: EventDate | None
    """The event's date (None for the home page's card)."""
    status: str
    """The event's status ('' for the home page's card)."""
    site_title: str
    language: str
    span: tuple[int, int]
    """The first and last year of the timeline: the axis's ends."""
    summary: str = ""
    """Text below the title (the home page's: the site's description)."""

    @functools.cached_property
    def path(self) -> str:
        """Its output path, named by what it shows."""
        return f"{FOLDER}/{digest(repr(self))[:20]}.png"


def share_card(event: Event, config: SiteConfig, years: Sequence[int]) -> ShareCard | None:
    """The share image of ``event``'s page in ``config``'s language (None when the site
    draws none); ``years``: the timeline's years, whose span the axis shows."""
    if not config.share_images:
        return None
    return ShareCard(event.title, event.date, event.status, config.title, config.language,
                     (years[0], years[-1]) if years else (0, 0))


def home_card(config: SiteConfig, years: Sequence[int]) -> ShareCard | None:
    """The home page's share image: the site's title and description over its span."""
    if not config.share_images:
        return None
    return ShareCard(config.title, None, "", "", config.language,
                     (years[0], years[-1]) if years else (0, 0), config.description)


@functools.cache
def share_salt() -> str:
    """What an image's bytes depend on besides its card: this module, Pillow, the fonts and
    the theme's catalogs (the date and status in words)."""
    import PIL
    from PIL import features

    from generator.site.i18n import LOCALES

    return digest(Path(__file__).read_bytes(), PIL.__version__,
                  features.version("freetype2") or "", features.version("zlib") or "",
                  *(file_digest((FONTS / name).read_bytes()) for name in (REGULAR, BOLD)),
                  *(file_digest(mo.read_bytes()) for mo in sorted(LOCALES.glob("*/*/*.mo"))))


@functools.cache
def font(name: str, size: int) -> ImageFont.FreeTypeFont:
    """One of the shipped fonts at ``size`` px, laid out by Pillow's own engine (the same
    on every machine, with or without libraqm)."""
    from PIL import ImageFont

    return ImageFont.truetype(str(FONTS / name), size, layout_engine=ImageFont.Layout.BASIC)


def draw_card(card: ShareCard) -> bytes:
    """The card as PNG bytes: the same bytes for the same card, font and Pillow."""
    from PIL import Image, ImageDraw

    from generator.site.i18n import date_teller, status_name, theme_catalog

    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    colour = STATUS_COLOURS.get(card.status, ACCENT)
    draw.rectangle((0, 0, 15, HEIGHT), fill=colour)
    width = WIDTH - 2 * MARGIN
    top = 56
    if card.site_title:
        site = font(REGULAR, 30)
        draw.text((MARGIN, top), _fitted(card.site_title, site, width), font=site, fill=MUTED)
        top += 64
    if card.date is not None:
        when = font(BOLD, 38)
        said = _fitted(date_teller(card.language)(card.date), when, width - 300)
        draw.text((MARGIN, top), said, font=when, fill=ACCENT)
        if card.status:  # beside the date, as on the event's page
            x, middle = MARGIN + when.getlength(said) + 40, top + 27
            name = status_name(card.status, theme_catalog(card.language))
            draw.ellipse((x, middle - 11, x + 22, middle + 11), fill=colour)
            draw.text((x + 34, middle), name, font=font(BOLD, 32), fill=colour, anchor="lm")
        top += 72
    lines, title = _title_lines(card.title, width)
    for line in lines:
        draw.text((MARGIN, top), line, font=title, fill=INK)
        top += round(title.size * 1.25)
    if card.summary:  # the home page's: the site's description, below its title
        words = font(REGULAR, 32)
        lines = _wrapped(card.summary, words, width)
        for number, line in enumerate(lines[:max(0, (500 - top) // 44)]):
            cut = number == (500 - top) // 44 - 1 and number < len(lines) - 1
            draw.text((MARGIN, top + 8), _fitted(line + " …", words, width) if cut else line,
                      font=words, fill=MUTED)
            top += 44
    _axis(draw, card, colour)
    out = io.BytesIO()
    # In the palette of the colours drawn (a third of the bytes, and faster to save than
    # RGB); zlib's level 3 takes a third of the default's time for a fifth more bytes. No
    # pnginfo, no time: Pillow writes only the image's chunks.
    image.quantize(palette=_palette(), dither=Image.Dither.NONE).save(
        out, "PNG", compress_level=3)
    return out.getvalue()


@functools.cache
def _palette() -> Image.Image:
    """The background and 32 steps from it to each colour drawn: every shade a smoothed
    edge of text can take."""
    from PIL import Image, ImageColor

    back = ImageColor.getrgb(BACKGROUND)
    colours = [ImageColor.getrgb(c) for c in (INK, MUTED, LINE, ACCENT,
                                              *STATUS_COLOURS.values())]
    values = list(back) + [round(b + (c - b) * step / 32) for colour in colours
                           for step in range(1, 33) for b, c in zip(back, colour, strict=True)]
    palette = Image.new("P", (1, 1))
    palette.putpalette(values + [0] * (768 - len(values)))
    return palette


def _title_lines(text: str, width: int) -> tuple[list[str], ImageFont.FreeTypeFont]:
    """The title wrapped at the largest size that fits; at the smallest, cut with '…'."""
    for size in TITLE_SIZES:
        face = font(BOLD, size)
        lines = _wrapped(text, face, width)
        if len(lines) <= TITLE_LINES:
            return lines, face
    lines = lines[:TITLE_LINES]
    lines[-1] = _fitted(lines[-1] + " …", face, width)
    return lines, face


def _wrapped(text: str, face: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Lines of ``text`` no wider than ``width``, broken between words (Korean too puts
    spaces between words); a word wider than a line is broken between letters."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if face.getlength(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while face.getlength(word) > width:
            cut = max(1, max(n for n in range(1, len(word) + 1)
                             if face.getlength(word[:n]) <= width or n == 1))
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    return [*lines, line] if line else lines or [""]


def _fitted(text: str, face: ImageFont.FreeTypeFont, width: int) -> str:
    """``text`` cut with '…' to fit in one line of ``width``."""
    if face.getlength(text) <= width:
        return text
    while text and face.getlength(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _axis(draw: ImageDraw.ImageDraw, card: ShareCard, colour: str) -> None:
    """The timeline's span as a line, its first and last year at the ends, and the event on
    it: a dot, or a bar from its start to its end."""
    left, right, y = MARGIN, WIDTH - MARGIN, 560
    first, last = card.span
    years = font(REGULAR, 26)
    draw.line((left, y, right, y), fill=LINE, width=4)
    for x in (left, right):
        draw.line((x, y - 10, x, y + 10), fill=LINE, width=4)
    draw.text((left, y + 18), _year(first), font=years, fill=MUTED)
    draw.text((right, y + 18), _year(last), font=years, fill=MUTED, anchor="ra")
    if card.date is None:
        return
    lo, hi = first, last + 1  # the last year's end
    start, end = _at(card.date, lo, hi)
    if end is not None and end - start > 0.01:
        x0, x1 = left + start * (right - left), left + end * (right - left)
        draw.rounded_rectangle((x0, y - 8, max(x1, x0 + 16), y + 8), radius=8, fill=colour)
    else:
        at = left + start * (right - left)
        draw.ellipse((at - 13, y - 13, at + 13, y + 13), fill=colour, outline=BACKGROUND,
                     width=3)


def _at(date: EventDate, lo: int, hi: int) -> tuple[float, float | None]:
    """Where the event starts (and ends, for a closed range) on an axis from the start of
    year ``lo`` to the start of year ``hi``, from 0 to 1."""
    def place(ymd: tuple[int, int, int]) -> float:
        y, m, d = ymd
        return min(1.0, max(0.0, (y + (m - 1) / 12 + (d - 1) / 372 - lo) / max(1, hi - lo)))
    start = place(date.first.earliest())
    end = date.end.latest() if date.is_range and date.end is not None else None
    return start, None if end is None else place(end)


def _year(year: int) -> str:
    return str(year) if year > 0 else year_label(year)


def drawn(todo: Sequence[ShareCard]) -> Iterator[tuple[ShareCard, dict[str, bytes]]]:
    """Draw the cards of ``todo`` (on both cores for many), each as {its path: its PNG}."""
    from generator.parallel import map_spans

    def batch(cards: Sequence[ShareCard]) -> list[bytes]:
        return [draw_card(card) for card in cards]

    made = (png for part in map_spans(batch, todo, PARALLEL_IMAGES, per_worker=4)
            for png in part)
    for card, png in zip(todo, made, strict=True):
        yield card, {card.path: png}
