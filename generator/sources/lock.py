"""``content/sources.lock.json``: what the last ``timeline sources check`` found at each link.

Committed with the content, so that a build shows readers which links are dead without
touching the network, and shows the same thing on every machine. Pure: no network here.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from generator.content.dates import DateError, format_day, parse_single
from generator.content.loading import Timeline
from generator.content.model import Event, Source, SourceHealth
from generator.errors import Problem
from generator.hashing import text_digest
from generator.sources.collect import without_credentials
from generator.symlinks import read_regular

LOCK_NAME = "content/sources.lock.json"
LOCK_VERSION = 1
LOCK_LIMIT = 64_000_000
"""Far more than the lock of ten thousand events with a handful of sources each needs."""
STATUSES = ("ok", "redirected", "gone", "soft-404", "error")
DEAD = ("gone", "soft-404")
"""A link that answers, but not with the page cited."""


@dataclass(frozen=True)
class Entry:
    """One link's last check."""

    status: str
    code: int | None
    checked_at: str
    """UTC, ``2026-11-30T08:15:00Z``."""
    final_url: str = ""
    since: str = ""
    """Day of the first check that found this status; kept while the status stays."""
    detail: str = ""
    """What went wrong, for an error: 'timeout', 'DNS failure', 'HTTP 500'…"""


Lock = dict[str, Entry]


def lock_key(url: str) -> str:
    """The key a link has in the lock: its URL without ``user:password@`` (the lock is
    committed and its final URLs published)."""
    return without_credentials(url)


def _entry(value: Any) -> Entry | None:
    if not isinstance(value, dict) or value.get("status") not in STATUSES:
        return None
    code = value.get("code")
    texts = [value.get(k, "") for k in ("checked_at", "final_url", "since", "detail")]
    if (code is not None and (not isinstance(code, int) or isinstance(code, bool))) \
            or not all(isinstance(t, str) for t in texts) or not texts[0]:
        return None
    return Entry(value["status"], code, texts[0], lock_key(texts[1]), *texts[2:])


def read_lock(site: Path) -> tuple[Lock, Problem | None]:
    """The lock's entries, or none and a warning when it cannot be trusted (it is then
    rebuilt by the next check). A site without a lock file has no entries and no warning."""
    path = site / LOCK_NAME
    try:
        raw = read_regular(path, LOCK_LIMIT)
    except FileNotFoundError:
        return {}, None
    except OSError as exc:
        return {}, Problem(LOCK_NAME, None, None, f"cannot be read ({exc.strerror}): "
                           "ignored", "warning")
    if len(raw) > LOCK_LIMIT:
        return {}, Problem(LOCK_NAME, None, None, f"is over {LOCK_LIMIT // 1_000_000} MB: "
                           "ignored, and rebuilt by `timeline sources check`", "warning")
    try:
        data = json.loads(raw.decode("utf-8"))
    except RecursionError:
        return {}, Problem(LOCK_NAME, None, None, "nests too deeply to be a lock file: "
                           "ignored, and rebuilt by `timeline sources check`", "warning")
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        return {}, Problem(LOCK_NAME, line, None, "is not valid JSON: ignored, and rebuilt "
                           "by `timeline sources check`", "warning")
    version = data.get("version") if isinstance(data, dict) else None
    if isinstance(version, int) and not isinstance(version, bool) and version > LOCK_VERSION:
        return {}, Problem(LOCK_NAME, None, "version",
                           f"{version} is from a newer timeline (this one reads "
                           f"{LOCK_VERSION}): ignored, and rebuilt by `timeline sources "
                           "check`", "warning")
    links = data.get("links") if isinstance(data, dict) else None
    if version != LOCK_VERSION or not isinstance(links, dict):
        return {}, Problem(LOCK_NAME, None, None, "is not a sources lock file: ignored, and "
                           "rebuilt by `timeline sources check`", "warning")
    lock: Lock = {}
    for url, value in links.items():
        entry = _entry(value)
        if entry is not None and isinstance(url, str):
            lock[lock_key(url)] = entry  # a lock written before credentials were dropped
    return lock, None


def lock_text(lock: Lock) -> str:
    """The file's text: sorted and indented, so that a check's diff is readable."""
    links = {url: {k: v for k, v in asdict(entry).items() if v not in ("", None)}
             for url, entry in sorted(lock.items())}
    return json.dumps({"version": LOCK_VERSION, "links": links}, ensure_ascii=False,
                      indent=1, sort_keys=True) + "\n"


def write_atomic(path: Path, data: bytes) -> None:
    """Replace the file in one step: a process killed half-way leaves the old file whole."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o777)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_lock(site: Path, lock: Lock) -> None:
    path = site / LOCK_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, lock_text(lock).encode("utf-8"))


_WAYBACK_DAY = re.compile(r"/web/(\d{4})(\d{2})(\d{2})\d*(?:[a-z]{2}_)?/")


def archived_day(archived: str) -> str:
    """'3 October 2017' from a Wayback address (``/web/20171003…/``), else empty."""
    match = _WAYBACK_DAY.search(archived)
    if not match:
        return ""
    try:
        parse_single("-".join(match.groups()))
    except DateError:
        return ""
    y, m, d = (int(g) for g in match.groups())
    return format_day((y, m, d))


def health_of(entry: Entry, archived: str = "") -> SourceHealth:
    """What readers are told of a link, from its entry."""
    dead_since = ""
    if entry.status in DEAD:
        day = entry.since or entry.checked_at[:10]
        try:
            dead_since = parse_single(day[:7]).display()
        except DateError:
            dead_since = day
    return SourceHealth(entry.status, entry.code, entry.checked_at, entry.since or
                        entry.checked_at[:10], entry.final_url, dead_since,
                        archived_day(archived) if archived else "")


def _with_health(source: Source, lock: Lock) -> Source:
    entry = lock.get(lock_key(source.url)) if source.url else None
    if entry is None:
        return source
    return replace(source, health=health_of(entry, source.archived))


def _copy(event: Event, **changes: Any) -> Event:
    """``dataclasses.replace`` without running ``__init__`` again: a build with a lock file
    does this for every event, and an event has many fields."""
    new = object.__new__(type(event))
    new.__dict__.update(event.__dict__, **changes)
    return new


def event_with_health(event: Event, lock: Lock) -> Event:
    """The event with each source's health; its key changes with them, so that pages, cards
    and export fragments cached under the old key are made again."""
    sources = event.sources
    if not any(lock_key(s.url) in lock for s in sources if s.url):
        return event
    healthy = tuple(_with_health(s, lock) for s in sources)
    key = text_digest(event.key, repr([s.health for s in healthy]))
    return _copy(event, sources=healthy, key=key)


def with_lock(site: Path, timeline: Timeline) -> tuple[Timeline, list[Problem]]:
    """The timeline with the lock's health on every source it has checked, and a warning
    if the lock cannot be trusted. Only the lock is read; without one, nothing changes."""
    lock, problem = read_lock(site)
    problems = [problem] if problem else []
    if not lock:
        return timeline, problems
    events = tuple(event_with_health(e, lock) for e in timeline.events)
    return replace(timeline, events=events), problems
