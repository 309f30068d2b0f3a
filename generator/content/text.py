"""The text an editor writes, as the site uses it: slugs, characters that are never text, and
how many and how long the tags and places of one event may be (each names a page and a
folder)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from generator.content.dates import EventDate, shorten

_SPELLED = {"+": "-plus-", "#": "-sharp-"}
"""Signs that tell names apart (C, C++ and C#) and so are spelled out in a slug; any other
punctuation separates words, like a space, and case is dropped: 'Trade war', 'trade-war' and
'TRADE, war' share a page ('U.S.' is 'u-s', though, and 'US' is 'us')."""


_SIGNS = re.compile(r"[+#]")
_SEPARATORS = re.compile(r"[^\w]+|_+")


@lru_cache(maxsize=4096)
def slugify(text: str) -> str:
    """Turn a tag, place or file name into a URL part that cannot leave its folder."""
    # Cached: a site of ten thousand events slugifies its dozen tags sixty thousand times.
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _SIGNS.sub(lambda m: _SPELLED[m.group()], text)
    return _SEPARATORS.sub("-", text).strip("-")


MARK = "\ue000"
"""A private-use character the generator keeps for itself (pages.ROOT_MARK is built of it):
front-matter text and summaries are stripped of it, so no editor's text can forge one."""

MAX_TERMS = 50
"""Tags (and places) an event may have: each one is a page that lists the event."""
MAX_TERM_LENGTH = 100
"""Characters in one tag or place: it names a folder, and file names have a length limit."""
MAX_SLUG_BYTES = 200
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
"""Characters XML cannot carry (feed.xml would not parse), plus DEL, C1 controls and lone
surrogates (from YAML escapes such as "\\0", "\\x1b" or "\\ud800"); none is ever text."""


def strip_controls(text: str) -> tuple[str, list[str]]:
    """The text without control characters, and the code points of those removed."""
    found = sorted(set(CONTROL.findall(text)))
    if not found:
        return text, []
    return CONTROL.sub("", text), [f"U+{ord(c):04X}" for c in found]


def controls_message(found: list[str]) -> str:
    shown = ", ".join(found[:5]) + (f" and {len(found) - 5} more" if len(found) > 5 else "")
    return f"control characters removed ({shown}): they are not text"


ZERO_WIDTH = re.compile("[\u200b-\u200d\u2060\ufeff]")
"""Zero-width space, non-joiner, joiner, word joiner and BOM: invisible, so two names that
differ only by one look alike (and would be two tag pages that look the same)."""
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
"""Direction embeddings, overrides (closed by U+202C) and isolates (closed by U+2069)."""
_CLOSES = {**dict.fromkeys("\u202a\u202b\u202d\u202e", "\u202c"),
           **dict.fromkeys("\u2066\u2067\u2068", "\u2069")}


def _balanced(text: str) -> bool:
    """Every direction control closed, in order, within the text."""
    open_: list[str] = []
    for char in BIDI.findall(text):
        if char in _CLOSES:
            open_.append(_CLOSES[char])
        elif not open_ or open_.pop() != char:
            return False
    return not open_


def strip_invisible(text: str, name: bool = False) -> tuple[str, list[str]]:
    """The text without zero-width characters, and without direction controls if they are
    unbalanced (one left open reverses what follows it: the rest of a page's <title>, a
    feed, a CSV row) or if the text is a ``name`` (a tag or place, which sets no direction);
    and the code points removed."""
    found = set(ZERO_WIDTH.findall(text))
    if BIDI.search(text) and (name or not _balanced(text)):
        found |= set(BIDI.findall(text))
    if not found:
        return text, []
    return re.sub("[" + "".join(found) + "]", "", text), [f"U+{ord(c):04X}"
                                                          for c in sorted(found)]


def invisible_message(found: list[str]) -> str:
    return (f"invisible characters removed ({', '.join(found)}): zero-width characters and "
            "unbalanced direction controls make text look other than it is")


def term_problem(name: str, what: str) -> str | None:
    """Why ``name`` cannot be a tag or place (``what``: 'a tag'), or None if it can."""
    if not any(c.isalnum() for c in name):
        return f"'{shorten(name)}' has no letter or digit: {what} names a page"
    if len(name) > MAX_TERM_LENGTH:
        return f"{len(name):,} characters: {what} may have at most {MAX_TERM_LENGTH}"
    size = len(slugify(name).encode())
    if size > MAX_SLUG_BYTES:  # 100 characters of some scripts are 400 bytes
        return (f"too long for a folder name ({size} bytes in UTF-8; at most "
                f"{MAX_SLUG_BYTES}): shorten it")
    return None


def event_stem(date: EventDate, title: str) -> str:
    """An event file's name: '2017-09-11-resolution-2375', '44-bce-03-15-ides-of-march',
    the same for ``timeline new`` and for an import."""
    side = date.first
    parts = [f"{side.year:04d}" if side.year > 0 else f"{1 - side.year}-bce"]
    parts += [f"{n:02d}" for n in (side.season or side.month, side.day) if n]
    return "-".join([*parts, slugify(title)])[:80].strip("-") or "event"
