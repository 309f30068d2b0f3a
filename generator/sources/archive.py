"""``timeline sources archive``: find (or ask for) an archived copy of every source.

The Wayback Machine's availability API gives the snapshot nearest the day the source was
published (or the event's day); Save Page Now makes one where none exists. Each event file
gets its ``archived:`` line written in place, every other byte kept, and is written on its
own, atomically: a run cut short leaves whole files, and the next run goes on from there.
"""

from __future__ import annotations

import asyncio
import difflib
import hashlib
import json
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urljoin, urlsplit

import httpx

from generator.config import load_config
from generator.content.dates import DateError, parse_date
from generator.content.editing import EditError, read_original, replace_file
from generator.content.header import parse
from generator.content.rewrite import RewriteError, set_source_field
from generator.sources.collect import EventFile, Link, collect, printable, say
from generator.sources.fetch import BODY_LIMIT, Polite, allows_private, polite_client, url_problem
from generator.sources.guard import Refused
from generator.sources.probe import Probe, failure
from generator.toml_tables import SourcesConfig

_SNAPSHOT = re.compile(r"/web/\d{14}")


@dataclass
class Run:
    """State shared by the lookups of one command run."""

    polite: Polite
    config: SourcesConfig
    save: bool
    reached: bool = False
    unreachable: int = 0
    saving: asyncio.Lock = field(default_factory=asyncio.Lock)
    last_save: float = 0.0
    unreached: list[str] = field(default_factory=list)
    """Lines about links whose archive could not be reached: printed only if some archive
    answered (otherwise one line says there is no network)."""


def timestamp(link: Link) -> str:
    """``YYYYMMDD`` of the source's published day, else of the event's first day."""
    for text in (link.published, link.event_date):
        try:
            day = parse_date(text).earliest() if text else ""
        except DateError:
            continue
        if day and not day.startswith("-") and len(day) == 10:
            return day.replace("-", "")
    return ""


def _https(url: str) -> str:
    """Wayback answers with http:// addresses of its own; its https:// ones are the same."""
    return "https://" + url[len("http://"):] if url.startswith("http://web.archive.org/") \
        else url


async def _get(run: Run, url: str) -> tuple[int, httpx.Headers, bytes] | Probe:
    try:
        answer = await run.polite.get("GET", url, read=BODY_LIMIT)
    except Refused as exc:
        run.reached = True
        return Probe("error", None, "", f"refused: the archive is at {exc.address} "
                     "(see [sources] allow_private)")
    except (ValueError, httpx.InvalidURL):
        run.reached = True
        return Probe("error", None, "", "malformed address")
    except (httpx.HTTPError, TimeoutError, OSError) as exc:
        lost = failure(exc)
        run.reached = run.reached or lost.reached
        run.unreachable += not lost.reached
        return lost
    run.reached = True
    return answer.code, answer.headers, answer.body


async def nearest(run: Run, link: Link) -> str | Probe | None:
    """The snapshot nearest the source's day: its address, None if there is none."""
    params = {"url": link.url}
    if timestamp(link):
        params["timestamp"] = timestamp(link)
    got = await _get(run, str(httpx.URL(run.config.availability_url, params=params)))
    if isinstance(got, Probe):
        return got
    code, _, body = got
    if code != 200:
        return Probe("error", code, "", f"availability API answered HTTP {code}")
    try:
        data: Any = json.loads(body)
        closest = data["archived_snapshots"].get("closest") or {}
    except (ValueError, KeyError, TypeError, AttributeError):
        return Probe("error", code, "", "availability API answered something else than JSON")
    url = closest.get("url") if isinstance(closest, dict) else None
    status = str(closest.get("status", "200")) if isinstance(closest, dict) else ""
    if not closest.get("available") or not isinstance(url, str) or not status.startswith("2") \
            or urlsplit(url).scheme not in ("http", "https"):
        return None
    return _https(url)


async def capture(run: Run, link: Link) -> str | Probe | None:
    """Ask Save Page Now for a new capture (one at a time, ``save_delay`` apart)."""
    async with run.saving:
        wait = run.last_save + run.config.save_delay - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        run.last_save = time.monotonic()
        got = await _get(run, run.config.save_url + link.url)
    if isinstance(got, Probe):
        return got
    code, headers, _ = got
    for name in ("content-location", "location"):
        where = headers.get(name, "")
        if _SNAPSHOT.search(where):
            return _https(urljoin(run.config.save_url, where))
    return Probe("error", code, "", f"Save Page Now made no capture (HTTP {code})")


async def find_copy(run: Run, link: Link) -> str | Probe | None:
    found = await nearest(run, link)
    if found is None and run.save:
        found = await capture(run, link)
    return found


def edited(text: str, copies: dict[int, str]) -> str:
    """The file's text with ``archived:`` set on each source in ``copies``; checked by
    reading it back, so a file is never written with a value that reads otherwise."""
    for index, url in sorted(copies.items()):
        text = set_source_field(text, index, "archived", url)
    fm, problems = parse("", text.removeprefix("\ufeff"))
    sources = fm.data.get("sources") if fm is not None else None
    if not isinstance(sources, list) or any(
            not isinstance(sources[i], dict) or sources[i].get("archived") != url
            for i, url in copies.items()):
        raise RewriteError("the edited front-matter does not read back as written")
    return text


def _write(site: Path, file: EventFile, copies: dict[int, str], dry_run: bool,
           out: TextIO) -> bool:
    path = site / file.path
    try:
        original = read_original(path, file.path)
        if hashlib.sha256(original.raw).hexdigest() != file.digest:
            say(f"{file.path}: changed since it was read: skipped (run the command again)",
                sys.stderr)
            return False
        text = original.text()
        new = edited(text, copies)
        if dry_run:
            out.writelines(printable(line) for line in difflib.unified_diff(
                original.raw.decode("utf-8").splitlines(True),
                original.encode(new).decode("utf-8").splitlines(True), f"a/{file.path}",
                f"b/{file.path}"))
            return True
        replace_file(original, original.encode(new))
    except RewriteError as exc:
        say(f"{file.path}: not written: {exc}", sys.stderr)
        return False
    except EditError as exc:
        say(str(exc), sys.stderr)
        return False
    fm, _ = parse(file.path, new.removeprefix("\ufeff"))
    for index, url in sorted(copies.items()):
        line = fm.line(("sources", index, "archived")) if fm is not None else None
        say(f"{file.path}:{line}: sources[{index}].archived: wrote {url}", out)
    return True


async def _archive_file(run: Run, site: Path, file: EventFile, dry_run: bool,
                        out: TextIO) -> bool:
    todo = []
    for link in file.links:
        if link.field != "url" or not link.is_web or link.archived:
            continue
        malformed = url_problem(link.url)
        if malformed:
            say(f"{link.where}: warning: '{link.url}' is not a valid URL ({malformed}): "
                "not archived", sys.stderr)
        else:
            todo.append(link)
    found = await asyncio.gather(*(find_copy(run, link) for link in todo))
    copies: dict[int, str] = {}
    for link, copy in zip(todo, found, strict=True):
        if link.short and isinstance(copy, str):
            say(f"{link.where}: archived copy {copy} not written: this short citation "
                "has no fields; write it as publisher:, url:", sys.stderr)
        elif isinstance(copy, str):
            copies[link.index] = copy
        elif isinstance(copy, Probe) and not copy.reached:
            run.unreached.append(f"{link.where}: not archived: {copy.detail}")
        elif isinstance(copy, Probe):
            say(f"{link.where}: not archived: {copy.detail}", sys.stderr)
        else:
            hint = "" if run.save else " (--save asks Save Page Now for one)"
            say(f"{link.where}: no archived copy found{hint}", out)
    return _write(site, file, copies, dry_run, out) if copies else True


async def _archive_all(config: SourcesConfig, allow: bool, site: Path,
                       files: list[EventFile], save: bool, dry_run: bool, out: TextIO
                       ) -> tuple[Run, bool]:
    async with polite_client(config, allow) as polite:
        run = Run(polite, config, save)
        try:
            async with asyncio.timeout_at(polite.until):  # the loop's clock: monotonic
                done = await asyncio.gather(*(_archive_file(run, site, f, dry_run, out)
                                              for f in files))
        except TimeoutError:
            say(f"deadline: stopped after {config.deadline:g} s ([sources] deadline); the "
                "files written so far are whole; run again to go on", sys.stderr)
            done = [False]
    return run, all(done)


def archive_sources(site: Path, save: bool = False, dry_run: bool = False,
                    out: TextIO | None = None) -> int:
    """Write ``archived:`` for each source that lacks one and has a snapshot; 1 when a file
    could not be written or no archive could be reached."""
    out = out or sys.stdout
    site = site.absolute()
    config, _ = load_config(site)
    allow = allows_private(config, sys.stderr)
    files = [f for f in collect(site)
             if any(k.field == "url" and k.is_web and not k.archived for k in f.links)]
    if not files:
        say("every source with a web link has an archived copy", out)
        return 0
    try:
        run, ok = asyncio.run(_archive_all(config.sources, allow, site, files, save, dry_run,
                                           out))
    except KeyboardInterrupt:
        print("interrupted: the files written so far are whole; run again to go on",
              file=sys.stderr)
        return 130
    if run.unreachable and not run.reached:
        print("no network: the archive could not be reached; nothing written",
              file=sys.stderr)
        return 1
    for line in run.unreached:
        say(line, sys.stderr)
    return 0 if ok else 1
