"""Every source link in a site's event files, with the line it is written on.

Read from the files themselves rather than from a build: the commands need the line of each
field, and they must work on a site whose other events do not validate yet.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit, urlunsplit

from generator.content.header import decode, parse


@dataclass(frozen=True)
class Link:
    """One ``url`` or ``archived`` of one source."""

    path: str
    """Relative to the site: ``content/events/2017/x.md``."""
    index: int
    field: str
    """``url`` or ``archived``."""
    line: int | None
    url: str
    archived: str
    """The source's archived copy, if any (for a ``url`` link)."""
    published: str
    event_date: str
    short: bool = False
    """Written as a bare ``- https://…`` (no fields to add ``archived`` to)."""

    @property
    def where(self) -> str:
        line = f":{self.line}" if self.line is not None else ""
        return f"{self.path}{line}: sources[{self.index}].{self.field}"

    @property
    def is_web(self) -> bool:
        try:
            parts = urlsplit(self.url)
        except ValueError:  # 'https://[zz]/': a web link, and a malformed one
            return self.url.lower().startswith(("http://", "https://"))
        return parts.scheme in ("http", "https") and bool(parts.hostname)


def without_credentials(url: str) -> str:
    """The URL without its ``user:password@``: never sent, never written to the lock file or
    published (the event file is where the editor wrote it)."""
    if "@" not in url:  # every build asks this of every source
        return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f"
                          "\u202a-\u202e\u2066-\u2069]|\r(?!\n)")
"""Controls a terminal acts on (escape sequences, a lone carriage return) and the bidi
controls that reorder what is shown; tab and line ends are kept."""


def printable(text: str) -> str:
    """The text with every terminal or bidi control written as an escape (``\\x1b``):
    URLs, titles and addresses come from contributors and remote servers."""
    return _UNPRINTABLE.sub(
        lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def say(text: object, file: TextIO) -> None:
    """Print one line with its terminal and bidi controls escaped."""
    print(printable(str(text)), file=file)


@dataclass(frozen=True)
class EventFile:
    path: str
    digest: str
    """SHA-256 of the bytes read: the file is written only if it still has them."""
    links: tuple[Link, ...]
    undated: tuple[tuple[int, int | None], ...] = ()
    """(index, line) of each source with neither a ``published`` nor an ``accessed`` date."""


def event_paths(site: Path) -> list[Path]:
    """The event files (``content/events/**/*.md``, hidden ones left out), in path order."""
    folder = site / "content" / "events"
    if not folder.is_dir():
        return []
    found = [p for p in folder.rglob("*.md") if p.is_file()
             and not any(part.startswith(".") for part in p.relative_to(folder).parts)]
    return sorted(found, key=lambda p: p.relative_to(folder).parts)


def _text(value: Any) -> str:
    return str(value).strip() if isinstance(value, str | int | float) and \
        not isinstance(value, bool) else ""


def read_event_file(site: Path, path: Path) -> EventFile | None:
    """The file's links, or None if it cannot be parsed (``timeline check`` says why)."""
    rel = path.relative_to(site).as_posix()
    raw = path.read_bytes()
    text, _ = decode(rel, raw)
    fm = parse(rel, text)[0] if text is not None else None
    if fm is None:
        return None
    sources = fm.data.get("sources")
    event_date = _text(fm.data.get("date"))
    links: list[Link] = []
    undated: list[tuple[int, int | None]] = []
    for i, item in enumerate(sources if isinstance(sources, list) else []):
        if not isinstance(item, dict) or not (_text(item.get("published"))
                                              or _text(item.get("accessed"))):
            undated.append((i, fm.line(("sources", i))))
        if isinstance(item, str) and "://" in item:
            links.append(Link(rel, i, "url", fm.line(("sources", i)), item.strip(), "", "",
                              event_date, short=True))
        if not isinstance(item, dict):
            continue
        archived, published = _text(item.get("archived")), _text(item.get("published"))
        for name in ("url", "archived"):
            url = _text(item.get(name))
            if url:
                links.append(Link(rel, i, name, fm.line(("sources", i, name)), url,
                                  archived if name == "url" else "", published, event_date))
    return EventFile(rel, hashlib.sha256(raw).hexdigest(), tuple(links), tuple(undated))


def collect(site: Path) -> list[EventFile]:
    """Every parsable event file of the site, with its links."""
    files = [read_event_file(site, p) for p in event_paths(site)]
    return [f for f in files if f is not None]
