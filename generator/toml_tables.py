"""Parts of reading ``timeline.toml`` that stand alone: the line of a key (every problem
names it), and the ``[sources]`` table for ``timeline sources``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from generator.errors import Problem, did_you_mean


def key_line(text: str, key: str, table: str | None = None) -> int | None:
    """The line of ``key = ...``, inside ``[table]`` when given (a key of [sources] may be
    named like a top-level one)."""
    start, end = 0, len(text)
    if table is not None:
        header = re.search(rf"^[ \t]*\[[ \t]*{re.escape(table)}[ \t]*\]", text, re.MULTILINE)
        if header is None:
            return None
        start = header.end()
        following = re.compile(r"^[ \t]*\[", re.MULTILINE).search(text, start)
        end = following.start() if following else len(text)
    match = re.compile(rf"^[ \t]*{re.escape(key)}[ \t]*=", re.MULTILINE).search(text, start, end)
    return text.count("\n", 0, match.start()) + 1 if match else None


def not_absolute(url: str) -> bool:
    """Not an absolute http(s) URL with a host and port urllib can read."""
    try:  # .port raises on a port that is no port (:99999), urlsplit on a host ([zz])
        parts = urlsplit(url)
        return parts.scheme not in ("http", "https") or not parts.netloc or parts.port == -1
    except ValueError:
        return True


@dataclass(frozen=True)
class SourcesConfig:
    """``[sources]``: how ``timeline sources check`` and ``archive`` reach the web.

    Every address is a setting, so that tests (and mirrors) can point them elsewhere."""

    availability_url: str = "https://archive.org/wayback/available"
    """The Wayback Machine's availability API: which snapshot is nearest a date."""
    save_url: str = "https://web.archive.org/save/"
    """Save Page Now: the page's URL is appended to this one to ask for a new capture."""
    concurrency: int = 16
    """Requests under way at once, over all hosts."""
    per_host: int = 2
    """Connections open at once to one host."""
    delay: float = 0.2
    """Seconds between the starts of two requests to one host."""
    timeout: float = 15.0
    """Seconds before a server that does not answer counts as an error."""
    save_delay: float = 10.0
    """Seconds between two Save Page Now requests (it limits anonymous captures)."""
    deadline: float = 900.0
    """Seconds one run may take in all; the links not checked by then wait for the next."""
    allow_private: bool = False
    """Fetch loopback, private and link-local addresses too (an intranet's links). Off by
    default: a contributed link must not make the checker reach inside the network it runs
    in. Ignored in untrusted mode, since timeline.toml is then contributed too."""


_SOURCES_TYPES: dict[str, tuple[type, ...]] = {
    "availability_url": (str,), "save_url": (str,), "concurrency": (int,), "per_host": (int,),
    "delay": (int, float), "timeout": (int, float), "save_delay": (int, float),
    "deadline": (int, float), "allow_private": (bool,)}


def sources_config(value: Any, text: str, path: str, problems: list[Problem]
                    ) -> SourcesConfig:
    """Read the ``[sources]`` table; a wrong value is reported and its default kept."""
    if not isinstance(value, dict):
        problems.append(Problem(path, key_line(text, "sources"), "sources",
                                "expected a table [sources]"))
        return SourcesConfig()
    values: dict[str, Any] = {}
    for key, item in value.items():
        name, line = f"sources.{key}", key_line(text, key, "sources")
        kinds = _SOURCES_TYPES.get(key)
        if kinds is None:
            hint = did_you_mean(key, sorted(_SOURCES_TYPES))
            problems.append(Problem(path, line, name, f"unknown setting{hint}", "warning"))
        elif type(item) not in kinds:
            wanted = "a number" if len(kinds) > 1 else kinds[0].__name__
            problems.append(Problem(path, line, name, f"expected {wanted}, got "
                                    f"{type(item).__name__}"))
        elif key.endswith("_url") and not_absolute(item):
            problems.append(Problem(path, line, name, f"'{item}' is not an absolute http(s) URL"))
        elif kinds == (int,) and item < 1:
            problems.append(Problem(path, line, name, "must be 1 or more"))
        elif key == "deadline" and item <= 0:
            problems.append(Problem(path, line, name, "must be more than 0 seconds"))
        elif item < 0 if not isinstance(item, str | bool) else False:
            problems.append(Problem(path, line, name, "must be 0 or more"))
        else:
            values[key] = float(item) if len(kinds) > 1 else item
    return SourcesConfig(**values)


OVERVIEW = ("lanes",)
"""The keys of the ``[overview]`` table."""
MAX_LANES = 8
"""More lanes than this would make the strip taller than a screen's first view."""


def overview_lanes(value: Any, text: str, path: str, problems: list[Problem]
                   ) -> tuple[str, ...]:
    """Read the ``[overview]`` table: its ``lanes``, tags as events write them."""
    if not isinstance(value, dict):
        problems.append(Problem(path, key_line(text, "overview"), "overview",
                                "expected a table: [overview] on a line of its own"))
        return ()
    for key in value:
        if key not in OVERVIEW:
            problems.append(Problem(path, key_line(text, key, "overview"), f"overview.{key}",
                                    f"unknown setting{did_you_mean(key, OVERVIEW)}",
                                    "warning"))
    lanes = value.get("lanes", [])
    line = key_line(text, "lanes", "overview")
    if not isinstance(lanes, list) or not all(isinstance(t, str) and t.strip()
                                               for t in lanes):
        message = 'expected a list of tags: lanes = ["sanctions", "labour"]'
    elif len(set(lanes)) != len(lanes):
        message = "a tag is listed twice"
    elif len(lanes) > MAX_LANES:
        message = f"{len(lanes)} lanes: at most {MAX_LANES} fit on the strip"
    else:
        return tuple(lanes)
    problems.append(Problem(path, line, "overview.lanes", message))
    return ()
