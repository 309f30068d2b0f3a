"""``timeline sources check``: ask every source link's server how it is, and remember it.

The answers go into ``content/sources.lock.json``; builds read only that file. A link is
called gone only on its own server's answer: when nothing at all can be reached, the
network is down, and nothing is recorded.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import sys
from collections import Counter
from pathlib import Path
from typing import TextIO

from generator.config import load_config
from generator.errors import SiteError
from generator.progress import Progress
from generator.sources.collect import EventFile, Link, collect, say
from generator.sources.fetch import allows_private, polite_client, url_problem
from generator.sources.lock import DEAD, Entry, Lock, lock_key, read_lock, write_lock
from generator.sources.probe import Probe, probe
from generator.toml_tables import SourcesConfig

_AGE = re.compile(r"(\d+(?:\.\d+)?)\s*([smhdw]?)")
_UNITS = {"": 86400, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_age(text: str) -> float:
    """Seconds in ``7d``, ``12h``, ``30m``, ``2w`` or ``0`` (a bare number is days)."""
    match = _AGE.fullmatch(text.strip().lower())
    if not match:
        raise SiteError.one("--older-than", None, None,
                            f"'{text}' is not an age like 7d, 12h, 30m or 0")
    return float(match.group(1)) * _UNITS[match.group(2)]


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _stamp(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _fresh(entry: Entry | None, moment: dt.datetime, older_than: float) -> bool:
    if entry is None or older_than <= 0:
        return False
    try:
        checked = dt.datetime.strptime(entry.checked_at, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return False
    age = (moment - checked.replace(tzinfo=dt.UTC)).total_seconds()
    return 0 <= age < older_than


async def _probe_all(config: SourcesConfig, allow: bool, urls: list[str],
                     progress: Progress, results: dict[str, Probe]) -> None:
    """Check the links; each answer goes into ``results`` as it comes, so that a run
    interrupted half-way, or stopped by its deadline, still has the ones it got."""
    async with polite_client(config, allow) as polite:
        async def one(url: str) -> None:
            results[url] = await probe(polite, url)
            progress.step()

        async with asyncio.timeout_at(polite.until):  # the loop's clock is time.monotonic
            await asyncio.gather(*(one(u) for u in urls))


def _entry(found: Probe, old: Entry | None, moment: dt.datetime) -> Entry:
    since = old.since if old is not None and old.status == found.status and old.since \
        else moment.date().isoformat()
    return Entry(found.status, found.code, _stamp(moment), found.final_url, since,
                 found.detail)


def _describe(link: Link, entry: Entry) -> str | None:
    """The line printed for a link, or None when it is fine."""
    code = f" ({entry.code})" if entry.code is not None else ""
    copy = "" if link.field == "archived" else f"; archived copy: {link.archived or 'none'}"
    if entry.status == "ok":
        return None
    if entry.status == "redirected":
        return f"{link.where}: redirected{code} to {entry.final_url}: adopt the new URL"
    if entry.status == "gone":
        return f"{link.where}: gone{code} since {entry.since}{copy}"
    if entry.status == "soft-404":
        return f"{link.where}: soft 404{code}, {entry.detail}, since {entry.since}{copy}"
    return f"{link.where}: error ({entry.detail or 'unknown'}) since {entry.since}{copy}"


def _summary(lock: Lock, urls: list[str], checked: int, skipped: int) -> str:
    counts = Counter(lock[u].status for u in urls if u in lock)
    names = {"soft-404": "soft 404", "error": "error" if counts["error"] == 1 else "errors"}
    parts = [f"{counts[s]} {names.get(s, s)}"
             for s in ("ok", "redirected", "gone", "soft-404", "error") if counts[s]]
    text = f"{len(urls)} link{'s' * (len(urls) != 1)}: " + (", ".join(parts) or "none")
    text += f" ({checked} checked now"
    return text + (f", {skipped} checked recently and skipped)" if skipped else ")")


def check_sources(site: Path, strict: bool = False, older_than: str = "7d",
                  out: TextIO | None = None) -> int:
    """Check every source link of the site; print what is wrong; 1 under ``strict`` when a
    source without an archived copy is dead, 1 when no host could be reached at all or the
    deadline stopped the run."""
    out, err = out or sys.stdout, sys.stderr
    site = site.absolute()
    config, _ = load_config(site)
    allow = allows_private(config, err)
    age = parse_age(older_than)
    files = collect(site)
    web: list[Link] = []
    for link in (link for f in files for link in f.links):
        malformed = url_problem(link.url) if link.is_web else None
        if not link.is_web:
            say(f"{link.where}: warning: '{link.url}' is not an http(s) link: not checked",
                err)
        elif malformed:
            say(f"{link.where}: warning: '{link.url}' is not a valid URL ({malformed}): "
                "not checked", err)
        else:
            web.append(link)
    lock, problem = read_lock(site)
    if problem is not None:
        say(problem, err)
    urls = list(dict.fromkeys(lock_key(link.url) for link in web))
    if not urls:
        say("no source links to check", out)
        return 0
    moment = now_utc()
    todo = [u for u in urls if not _fresh(lock.get(u), moment, age)]
    progress = Progress(delay=0.5)
    progress.start("checking", len(todo))
    found: dict[str, Probe] = {}
    late = False
    try:
        if todo:
            asyncio.run(_probe_all(config.sources, allow, todo, progress, found))
    except TimeoutError:
        late = True
    except KeyboardInterrupt:
        progress.done()
        if any(p.reached for p in found.values()):
            write_lock(site, _merged(lock, urls, found, moment))
        print(f"interrupted: {len(found)} of {len(todo)} links checked and recorded; run "
              "again to check the others", file=sys.stderr)
        return 130
    progress.done()
    if todo and not late and not any(p.reached for p in found.values()):
        print("no network: no host could be reached (no route or no DNS); nothing recorded",
              file=sys.stderr)
        return 1
    new_lock = _merged(lock, urls, found, moment)
    write_lock(site, new_lock)
    status = _print_report(files, new_lock, urls, len(found), len(urls) - len(todo), strict,
                           out)
    if late:
        say(f"deadline: {len(found)} of {len(todo)} links checked and recorded in "
            f"{config.sources.deadline:g} s ([sources] deadline); run again to check the "
            "others", err)
        return 1
    return status


def _merged(lock: Lock, urls: list[str], found: dict[str, Probe], moment: dt.datetime
            ) -> Lock:
    """The lock with this run's answers; links no longer cited are dropped."""
    merged = {u: lock[u] for u in urls if u in lock}
    for url, result in found.items():
        merged[url] = _entry(result, lock.get(url), moment)
    return merged


def _print_report(files: list[EventFile], lock: Lock, urls: list[str], checked: int,
                  skipped: int, strict: bool, out: TextIO) -> int:
    dead_without_copy = 0
    for file in files:
        for link in file.links:
            entry = lock.get(lock_key(link.url)) if link.is_web else None
            line = _describe(link, entry) if entry is not None else None
            if line:
                say(line, out)
            if entry is not None and entry.status in DEAD and link.field == "url" \
                    and not link.archived:
                dead_without_copy += 1
    say(_summary(lock, urls, checked, skipped), out)
    return 1 if strict and dead_without_copy else 0
