"""Walk ``content/`` and return the timeline (events, pages, eras) and every problem found.

Parsing YAML and rendering Markdown is most of a build's work, so each file's result is kept
in the cache under the hash of its bytes, and files not in the cache are parsed on every core.
"""

from __future__ import annotations

import dataclasses
import gc
import operator
import os
import pickle
import signal
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.config import SiteConfig
from generator.content.body import BUDGET_SECONDS, BodyError, first_paragraph, make_renderer
from generator.content.header import decode, parse, parse_document
from generator.content.model import Era, Event, Page, build_eras, build_event, build_page
from generator.errors import DamagedCache, Problem, SiteError
from generator.incremental import store as cache
from generator.symlinks import link_problems

if TYPE_CHECKING:
    from generator.incremental.inputs import Inputs

RESERVED = {"events", "tags", "places", "years", "pages", "static", "search", "embed",
            "404", "feed.xml", "sitemap.xml", "events.json"}
PARALLEL_FROM = 200
"""Below this many files to parse, starting worker processes costs more than it saves."""


@dataclass(frozen=True)
class Timeline:
    """Everything the site shows, in order."""

    events: tuple[Event, ...]
    pages: tuple[Page, ...]
    eras: tuple[Era, ...]


Parsed = tuple[Event | Page | None, list[Problem]]

STORED_LATER = ("summary", "sources", "media", "body", "html", "front_matter")
"""What a cached event reads from the cache only when used: a warm build plans ten
thousand pages from dates, titles, tags and places, but renders a handful."""


class StoredEvent(Event):
    """An event read back from the cache, with its text and sources left in the pack file
    until something uses them; then it reads them, transparently. Used as any event, but
    ``dataclasses.replace`` takes ``complete()``: the fields read later have no setter."""

    @classmethod
    def of(cls, event: Event, where: tuple[str, int, int]) -> StoredEvent:
        stored = object.__new__(cls)
        fields = stored.__dict__  # frozen: filled in as unpickling does
        for f in dataclasses.fields(Event):
            if f.name not in STORED_LATER:
                fields[f.name] = getattr(event, f.name)
        fields["_where"] = where
        fields["_order"] = event.sort_key()
        return stored

    def sort_key(self) -> tuple[Any, ...]:
        """Kept from when the event was parsed: sorting ten thousand events by keys made
        afresh costs more than the rest of loading them."""
        order: tuple[Any, ...] = self.__dict__["_order"]
        return order

    def complete(self) -> Event:
        """The whole event, read from the pack once."""
        full = self.__dict__.get("_full")
        if full is None:
            path, start, size = self.__dict__["_where"]
            try:
                full = pickle.loads(cache.read_record(path, start, size))  # noqa: S301
            except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError,
                    AttributeError, ImportError, IndexError):
                full = None
            if not isinstance(full, Event) or full.key != self.key:
                raise DamagedCache.one(self.path, None, "cache",
                                       f"{cache.CACHE_DIR}/ is damaged")
            self.__dict__["_full"] = full
        return full

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("_full", None)
        return state


def _read_later(name: str) -> property:
    return property(lambda self: getattr(self.complete(), name))


for _name in STORED_LATER:
    setattr(StoredEvent, _name, _read_later(_name))


def _readable(site: Path, salt: str, stored: dict[str, Parsed]) -> dict[str, Parsed]:
    """The entries whose events are all there in the pack: one cut short (by a full disk,
    say) only means parsing those files again."""
    pack = str(cache.pack_path(site, "content", salt))
    try:
        size = os.stat(pack).st_size
    except OSError:
        size = -1
    readable = {}
    for key, entry in stored.items():
        where = entry[0].__dict__.get("_where") if isinstance(entry[0], StoredEvent) else None
        if where is None or where[0] == pack and where[1] + where[2] <= size:
            readable[key] = entry
    return readable


def _stored(site: Path, salt: str, fresh: dict[str, Parsed], start_over: bool
            ) -> dict[str, Parsed]:
    """Cache entries for freshly parsed events: each whole event appended to the pack, and
    a ``StoredEvent`` pointing at it (nothing, if the pack cannot be written)."""
    events = [(key, item, problems) for key, (item, problems) in fresh.items()
              if isinstance(item, Event)]
    records = [pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL) for _, item, _ in events]
    pack = cache.pack_path(site, "content", salt)
    starts = cache.append_records(pack, records, start_over)
    if starts is None:
        return {}
    return {key: (StoredEvent.of(item, (str(pack), start, len(record))), problems)
            for (key, item, problems), start, record in zip(events, starts, records,
                                                              strict=True)}


def parse_file(kind: str, rel: str, raw: bytes, allow_html: bool, today: str,
               render: object = None, budget: float = BUDGET_SECONDS) -> Parsed:
    """Parse, validate and render one event or page file."""
    text, problems = decode(rel, raw)
    if text is None:
        return None, problems
    fm, problems = parse(rel, text)
    if fm is None:
        return None, problems
    stem = Path(rel).stem
    item: Event | Page | None
    if kind == "event":
        item, more = build_event(fm, stem, today)
    else:
        item, more = build_page(fm, stem)
    problems += more
    if item is not None:
        renderer = render if callable(render) else make_renderer(allow_html, budget=budget)
        try:
            rendered = renderer(item.body)
        except BodyError as exc:
            return None, [*problems, Problem(rel, fm.body_line, "body", str(exc))]
        summary = item.summary or first_paragraph(rendered)
        item = replace(item, html=rendered, summary=summary)
    return item, problems


Prepare = Callable[[Event], Any]
"""Work a later stage does on each freshly parsed event, run in the same worker while the
event is at hand (cards, export fragments); a failure there only means doing it later."""


Job = tuple[str, str, bytes, str]
"""(kind, path in the site, bytes, cache key) of one file to parse."""


def _parse_batch(jobs: list[Job], allow_html: bool, today: str,
                 prepare: Prepare | None = None, budget: float = BUDGET_SECONDS
                 ) -> list[tuple[Parsed, Any]]:
    renderer = make_renderer(allow_html, budget=budget)
    out: list[tuple[Parsed, Any]] = []
    for kind, rel, raw, key in jobs:
        parsed = _keyed(parse_file(kind, rel, raw, allow_html, today, renderer), key)
        extra = None
        if prepare is not None and isinstance(parsed[0], Event):
            try:
                extra = prepare(parsed[0])
            except Exception:  # noqa: BLE001 - redone, and reported, by the stage itself
                extra = None
        out.append((parsed, extra))
    return out


def _keyed(parsed: Parsed, key: str) -> Parsed:
    """Stamp an event with the hash of its file, which page caching keys on."""
    item, problems = parsed
    if isinstance(item, Event):
        item = replace(item, key=key)
    return item, problems


def start_worker_process() -> None:
    """Worker start-up: on Linux, end this worker when the build is killed, even by SIGKILL."""
    try:
        import ctypes.util  # here, not at the top: most builds start no worker

        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    gc.enable()  # a forked worker inherits a build's paused collector; it makes garbage
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the serve process's handler


def _parse_all(jobs: list[Job], allow_html: bool, today: str,
               prepare: Prepare | None = None, budget: float = BUDGET_SECONDS
               ) -> list[tuple[Parsed, Any]]:
    workers = min(os.cpu_count() or 1, 8)
    if len(jobs) < PARALLEL_FROM or workers < 2:
        return _parse_batch(jobs, allow_html, today, prepare, budget)
    # Small batches: workers finish together instead of one idling through the other's last.
    size = max(50, len(jobs) // (workers * 20))
    batches = [jobs[i:i + size] for i in range(0, len(jobs), size)]
    from concurrent.futures import ProcessPoolExecutor  # a warm build parses a file or two

    with ProcessPoolExecutor(workers, initializer=start_worker_process) as pool:
        results = pool.map(_parse_batch, batches, [allow_html] * len(batches),
                           [today] * len(batches), [prepare] * len(batches),
                           [budget] * len(batches))
        return [item for batch in results for item in batch]


def _files(folder: Path, recursive: bool) -> list[str]:
    """The ``.md`` files under ``folder`` (relative, in path order), as ``glob("**/*.md")``
    finds them but without a ``Path`` each: symlinked folders are not entered, and a file
    is skipped when it or one of its two parent folders is hidden."""
    if not folder.is_dir():
        return []
    found: list[str] = []
    base = str(folder).split(os.sep)

    def walk(dirpath: str, prefix: str) -> None:
        try:
            entries = list(os.scandir(dirpath))
        except OSError:
            return
        for entry in entries:
            try:
                is_file, is_dir = entry.is_file(), entry.is_dir() and not entry.is_symlink()
            except OSError:
                continue
            rel = prefix + entry.name
            if is_file and entry.name.endswith(".md") \
                    and not any(part.startswith(".") for part in (base + rel.split("/"))[-3:]):
                found.append(rel)
            if recursive and is_dir:
                walk(entry.path, rel + "/")

    walk(str(folder), "")
    return sorted(found, key=lambda rel: rel.split("/"))


def _duplicates(items: Iterable[Event | Page], what: str) -> list[Problem]:
    seen: dict[str, str] = {}
    problems = []
    for item in items:
        if item.slug in seen:
            problems.append(Problem(item.path, None, "slug",
                                    f"'{item.slug}' is also the slug of {seen[item.slug]}: "
                                    f"two {what} cannot share a page"))
        else:
            seen[item.slug] = item.path
    return problems


def load_eras(site: Path) -> tuple[list[Era], list[Problem]]:
    """Read ``content/eras.yaml`` if there is one."""
    path = site / "content" / "eras.yaml"
    if not path.is_file():
        return [], []
    rel = path.relative_to(site).as_posix()
    text, problems = decode(rel, path.read_bytes())
    if text is None:
        return [], problems
    fm, problems = parse_document(rel, text, "eras")
    if fm is None:
        return [], problems
    items = fm.data["eras"]
    if items is None:
        return [], problems
    if not isinstance(items, list):
        return [], [Problem(rel, 1, None, "expected a list of eras (- title: ..., start: ...)")]
    eras, more = build_eras(fm, items)
    return eras, problems + more


def load_timeline(site: Path, config: SiteConfig, today: str, drafts: bool = False,
                  use_cache: bool = True, inputs: Inputs | None = None,
                  prepare: Prepare | None = None, prepared: dict[str, Any] | None = None
                  ) -> tuple[Timeline, list[Problem]]:
    """Read every event and page; return the timeline in order and all problems.

    ``inputs``: the hashes (and some bytes) of the files the build checked already; a file
    found in the cache by its hash is not read at all. ``prepare`` runs on each event
    parsed now (not taken from the cache); its results go into ``prepared``, by event key.
    """
    if not (site / "content").is_dir():  # else an empty site would replace the published one
        raise SiteError.one("content", None, None, f"folder not found in {site}: events go "
                            "in content/events/")
    digests = inputs.digests if inputs else {}
    read = inputs.read if inputs else {}
    files: list[tuple[str, str, str]] = []
    for kind, name, recursive in (("event", "events", True), ("page", "pages", False)):
        folder = site / "content" / name
        for rel in _files(folder, recursive):
            files.append((kind, f"content/{name}/{rel}", os.path.join(folder, rel)))
    salt = cache.digest(cache.code_hash(), str(config.allow_html), today,
                        str(config.markdown_seconds))
    stored: dict[str, Parsed] = _readable(
        site, salt, cache.read_shards(site, "content", salt) if use_cache else {})
    keys: list[str] = []
    missing: list[Job] = []
    for kind, rel, path in files:
        raw = read.get(path)  # its digest was taken from these very bytes
        digest = digests.get(path)
        key = cache.text_digest(kind, rel, digest) if digest else ""
        if key not in stored:
            if raw is None:
                # Hashed from the bytes parsed now, so a file that changed since it was
                # checked is stored under its new content, never the old one's key.
                raw = Path(path).read_bytes()
                key = cache.text_digest(kind, rel, cache.file_digest(raw))
            if key not in stored:
                missing.append((kind, rel, raw, key))
        keys.append(key)
    parsed_all = _parse_all(missing, config.allow_html, today, prepare,
                            config.markdown_seconds)
    fresh: dict[str, Parsed] = {}
    for (*_, key), (parsed, extra) in zip(missing, parsed_all, strict=True):
        fresh[key] = parsed
        if extra is not None and prepared is not None:
            prepared[key] = extra
    results = {key: stored.get(key) or fresh[key] for key in keys}
    if use_cache:
        entries = _stored(site, salt, fresh, not stored) if fresh else {}
        cache.write_shards(site, "content", salt,
                           {key: stored.get(key) or entries.get(key) or fresh[key]
                            for key in keys}, stored)
    events: list[Event] = []
    pages: list[Page] = []
    problems: list[Problem] = []
    for key in keys:
        item, found = results[key]
        problems += found
        if isinstance(item, Event) and (drafts or not item.draft):
            events.append(item)
        elif isinstance(item, Page) and (drafts or not item.draft):
            pages.append(item)
    events.sort(key=operator.methodcaller("sort_key"))  # a cached event's own
    pages.sort(key=lambda p: (p.order, p.title.casefold(), p.slug))
    problems += _duplicates(events, "events") + _duplicates(pages, "pages")
    problems += [Problem(p.path, None, "slug", f"'{p.slug}' is reserved for the site's own "
                         "pages: choose another slug") for p in pages if p.slug in RESERVED]
    problems += link_problems(site, config.untrusted)  # links to nowhere, or out of the site
    eras, era_problems = load_eras(site)
    return Timeline(tuple(events), tuple(pages), tuple(eras)), problems + era_problems
