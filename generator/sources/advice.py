"""What ``timeline check`` says about sources: offline, from the files and the lock."""

from __future__ import annotations

from pathlib import Path

from generator.content.model import split_url
from generator.errors import Problem
from generator.sources.collect import Link, collect
from generator.sources.lock import DEAD, Lock, lock_key, read_lock


def _http(link: Link, lock: Lock) -> Problem | None:
    parts = split_url(link.url)  # None for a host urllib cannot read: the build says so
    if parts is None or parts.scheme.lower() != "http":
        return None
    secure = "https://" + link.url.split("://", 1)[1]
    entry = lock.get(lock_key(link.url))
    if entry is not None and entry.final_url.startswith("https://"):
        message = f"http:// link: it redirects to {entry.final_url}; cite that"
    else:
        message = f"http:// link: cite {secure} if the site has it"
    return Problem(link.path, link.line, f"sources[{link.index}].url", message, "warning")


def _dead(link: Link, lock: Lock) -> Problem | None:
    entry = lock.get(lock_key(link.url))
    if entry is None or entry.status not in DEAD or link.archived:
        return None
    what = f"gone ({entry.code})" if entry.status == "gone" else "soft 404"
    since = entry.since or entry.checked_at[:10]  # a lock written without 'since'
    return Problem(link.path, link.line, f"sources[{link.index}].url",
                   f"dead link ({what} since {since}) and no archived copy: "
                   "run `timeline sources archive` or add archived:", "warning")


ACCESSED_MISSING = ("missing: no published date: write when it was reported (published:), or "
                    "for a page without one (a wiki) the day you read it (accessed: "
                    "YYYY-MM-DD), which its citations give")


def source_warnings(site: Path) -> list[Problem]:
    """http:// links, sources with neither a published nor an accessed date, and (from the
    lock) dead links without an archived copy. A lock that cannot be read is reported too."""
    lock, problem = read_lock(site)
    problems = [problem] if problem else []
    for file in collect(site):
        for index, line in file.undated:
            problems.append(Problem(file.path, line, f"sources[{index}].accessed",
                                    ACCESSED_MISSING, "warning"))
        for link in file.links:
            if link.field != "url":
                continue
            problems += [p for p in (_http(link, lock), _dead(link, lock)) if p]
    return problems
