"""The day a build first published each event, for the feed's "updated" and the page of
recent changes.

Kept in ``.timeline-cache/published/days.json`` beside the record of published URLs
(``published.py``), which outlives the build state for the same reason: it is a record of
what readers were shown, not a cache. An event the record has not seen is dated by the day
of the build that first publishes it; when the record begins (the first build with a cache
folder), every event already there gets ``unrecorded_day`` instead, the day a build without
any record uses, so a cold build from a fresh clone and a warm one agree on every event
that was there before. The same content and record give the same days, and so the same
bytes.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from generator.content.changes import unrecorded_day
from generator.content.loading import Timeline
from generator.errors import SiteError
from generator.incremental.store import CACHE_DIR
from generator.output.manifest import own_folder

FOLDER = "published"
FILE = "days.json"


def _where(site: Path) -> Path:
    return site / CACHE_DIR / FOLDER / FILE


def read_days(site: Path) -> dict[str, str] | None:
    """{event slug: day first published}, or None when there is no record yet."""
    where = _where(site)
    for path in (site / CACHE_DIR, site / CACHE_DIR / FOLDER, where):
        try:
            mode = os.lstat(path).st_mode
        except OSError:
            return None
        if stat.S_ISLNK(mode) or path == where and not stat.S_ISREG(mode):
            raise SiteError.one(path.relative_to(site).as_posix(), None, None,
                                "refusing to use a link or special file here: remove it")
    try:
        data = json.loads(where.read_text("utf-8"))
        return {str(slug): str(day) for slug, day in data["days"].items()}
    except (OSError, ValueError, AttributeError, TypeError, KeyError):
        return None


def publication_days(known: dict[str, str] | None, timeline: Timeline, day: str
                     ) -> dict[str, str]:
    """Every event's day: the record's, else ``day`` (this build's) for an event new since
    the record began, else ``unrecorded_day``."""
    days = {}
    for event in timeline.events:
        if known is not None and event.slug in known:
            days[event.slug] = known[event.slug]
        else:
            days[event.slug] = day if known is not None else unrecorded_day(event)
    return days


def with_days(site: Path, timeline: Timeline, day: str) -> Timeline:
    """``timeline`` carrying each event's publication day, as this build will record it."""
    from dataclasses import replace

    days = publication_days(read_days(site), timeline, day)
    return replace(timeline, published_days=tuple(sorted(days.items())))


def record_days(site: Path, timeline: Timeline, written: Iterable[str]) -> None:
    """Add the days of this build's newly published events (those whose page it wrote);
    the file is written only when something was added."""
    known = read_days(site) or {}
    files = set(written)
    new = {slug: day for slug, day in timeline.published_days
           if slug not in known and f"events/{slug}/index.html" in files}
    if not new and _where(site).is_file():
        return
    known.update(new)
    where = own_folder(site, CACHE_DIR, FOLDER) / FILE  # never made through a link
    temporary = where.with_name(f".{FILE}.{os.getpid()}")
    temporary.write_text(json.dumps({"days": dict(sorted(known.items()))}, indent=0) + "\n",
                         "utf-8")
    os.replace(temporary, where)
