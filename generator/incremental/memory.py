"""The incremental layer kept in memory between the builds of one ``timeline serve``.

``MemoryState`` answers the pipeline's questions as ``BuildState`` does (which files must be
parsed, which cards, pages and export parts must be made) from what the previous builds of
this process left in memory: parsed files without unpickling them, cards, page keys, every
export part, and the site itself as ``{path: bytes or pieces}``, which the dev server serves
without the site ever being written to disk. Nothing is written to the site's build state.

Each build works on fresh tables that replace the kept ones only when it succeeds, so a
failed build leaves the last good site served and the next build starts from it.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.hashing import code_hash, digest, file_digest
from generator.incremental.state import BuildState
from generator.output.manifest import Data, check_rel
from generator.report import BuildResult
from generator.site.document import Export, Gathered, Piece

if TYPE_CHECKING:
    from generator.config import SiteConfig
    from generator.content.loading import ContentFile, Job, Parsed
    from generator.content.model import Event
    from generator.site.plan import PageJob
    from generator.site.resized import Original
    from generator.site.shareimage import ShareCard

Served = bytes | list[Piece]
"""A served file: its bytes, or the pieces of a large export (never joined in memory)."""

RACY_NS = 2_000_000_000
"""A file written this close to when it was read is read again at the next build: a second
save in the same timestamp tick, of the same size, would otherwise look unchanged."""


_MISSING = object()


class MemoryState(BuildState):
    """``BuildState`` for a long-running process: one object for every build of a site,
    used as the context manager of each build in turn (``build_site(..., state=...)``).
    What to make first and when to show it are ``serve``'s (``dev/first.py``): this layer
    says what it parsed again and what is gone, and serves what it is told to."""

    def __init__(self, site: Path, output: Path, drafts: bool, base_url: str | None) -> None:
        super().__init__(site.absolute(), output.absolute(), drafts, base_url, "",
                         enabled=False)  # the SQLite store stays closed: all is kept here
        self.enabled = True
        self.site_files: dict[str, Served] = {}
        """The last good build's site, as served."""
        self.records: dict[str, tuple[str, int]] = {}
        self.changed: list[str] = []
        """The paths the last good build changed, added or removed in ``site_files``."""
        self.signatures: dict[str, tuple[tuple[int, ...], bool, str]] = {}
        """Each content file's stat, whether it was read while still racy, and its key."""
        self.noticed: set[str] | None = None
        """The files the watcher saw change since the last good build (None: not told)."""
        self.kept_parsed: dict[str, Parsed] = {}
        self.kept_pages: dict[str, tuple[Any, ...]] = {}
        self.kept_cards: dict[str, str] = {}
        self.kept_parts: dict[str, dict[str, bytes]] = {}
        """Each export part by the document's kind and the event's key."""
        self.kept_values: dict[str, dict[str, Any]] = {}
        """Each event's value for gathered files, by their kind and the event's key."""
        self.kept_images: dict[str, bytes] = {}
        """Each resized copy of an image, by its path (named by the image's content)."""
        self.kept_shares: dict[str, bytes] = {}
        """Each share image, by its path (named by what it shows)."""
        self.kept_salts = ("", "", "")
        """What the kept parses, the kept pages and cards, and the kept parts were made with."""
        self.kept_day = ""
        """The day of the last good build: its parses hold on that day and after."""
        self.last: BuildResult | None = None
        self.preview: dict[str, Served] | None = None
        """Meanwhile, the last good site with what this build made so far."""
        self._reset()

    def _reset(self) -> None:
        self.theme = self.parts = ""
        self.parse_salt = self.parts_salt = ""
        self.next_parsed: dict[str, Parsed] = {}
        self.next_pages: dict[str, tuple[Any, ...]] = {}
        self.next_cards: dict[str, str] = {}
        self.next_parts: dict[str, dict[str, bytes]] = {}
        self.next_values: dict[str, dict[str, Any]] = {}
        self.next_files: dict[str, Served] = {}
        self.next_images: dict[str, bytes] = {}
        self.next_shares: dict[str, bytes] = {}
        self.next_records: dict[str, tuple[str, int]] = {}
        self.next_signatures: dict[str, tuple[tuple[int, ...], bool, str]] = {}
        self.next_changed: list[str] = []
        self.result: BuildResult | None = None
        self.cards_as_asked = False
        """Make each card when a page first shows it (while some pages are awaited)."""
        self.gone: set[str] = set()
        """The pages the last good build had and this one has not."""
        self.fresh: set[str] = set()
        """The pages of the events whose files were parsed again."""
        self.preview = None

    def __enter__(self) -> MemoryState:
        from generator.config import today

        self._reset()
        self.today = today()
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: Any) -> None:
        if kind is None and self.result is not None:
            self.kept_parsed, self.kept_pages = self.next_parsed, self.next_pages
            self.kept_cards, self.kept_parts = self.next_cards, self.next_parts
            self.kept_values, self.kept_images = self.next_values, self.next_images
            self.kept_shares = self.next_shares
            self.site_files, self.records = self.next_files, self.next_records
            self.signatures = self.next_signatures
            self.noticed = None if self.noticed is None else set()
            self.changed = self.next_changed
            self.kept_salts = (self.parse_salt, self.theme, self.parts_salt)
            self.kept_day = self.today
            self.last = self.result
        self._reset()

    def last_build(self) -> BuildResult | None:
        """Never: ``serve`` builds only after a change (or at its start)."""
        return None

    def notice(self, paths: Iterable[Path | str]) -> None:
        """Be told which files changed since the last good build (``serve``'s watcher sees
        every save): until a build succeeds, the others are trusted without a stat."""
        if self.noticed is None:
            self.noticed = set()
        self.noticed.update(map(str, paths))

    def parsed(self, files: Sequence[ContentFile],
               parse: Callable[[Sequence[Job]], list[Parsed]], salt: str) -> list[Parsed]:
        """Parse only the files whose stat or bytes changed since they were last read."""
        self.parse_salt = digest(code_hash(), salt)
        same_salt = self.parse_salt == self.kept_salts[0] and self.today >= self.kept_day
        kept = self.kept_parsed if same_salt else {}
        keys: list[str] = []
        todo: list[Job] = []
        for file in files:
            key = self._known_key(file.path) if same_salt else None
            if key is None or key not in kept:
                raw, stamp, racy = _read(file.path)
                key = file.key(file_digest(raw))
                self.next_signatures[file.path] = (stamp, racy, key)
                if key not in kept:
                    todo.append((file, raw, key))
            keys.append(key)
        fresh = dict(zip((key for *_, key in todo), parse(todo), strict=True))
        from generator.content.model import Event
        from generator.site.plan import event_path

        self.fresh = {event_path(item) + "index.html" for item, _ in fresh.values()
                      if isinstance(item, Event)}
        self.next_parsed = {key: fresh[key] if key in fresh else kept[key]
                            for key in keys}
        return [self.next_parsed[key] for key in keys]

    def _known_key(self, path: str) -> str | None:
        """The file's key from its last read, when it is the same file: its stat is the
        same (or the watcher says it did not change), and it was not read so soon after
        being written that a second write could hide."""
        known = self.signatures.get(path)
        if known is None or known[1]:
            return None
        if self.noticed is None or path in self.noticed:
            try:
                if known[0] != _stat(path):
                    return None
            except OSError:
                return None
        self.next_signatures[path] = known
        return known[2]

    def pages_to_render(self, config: SiteConfig, jobs: Sequence[PageJob]
                        ) -> tuple[list[PageJob], dict[str, Data]]:
        """(the pages whose inputs changed, the rest as the last good build served them)."""
        salt = self._theme_salt(config)
        known = self.kept_pages if salt == self.kept_salts[1] else {}
        todo: list[PageJob] = []
        kept: dict[str, Data] = {}
        for job in jobs:
            # Kept as they are, not hashed: an unchanged page's inputs hold the very strings
            # the last plan held (the same events' keys), so comparing them costs little.
            key = self.next_pages[job.path] = (job.template, *job.inputs)
            served = self.site_files.get(job.path)
            if known.get(job.path) == key and isinstance(served, bytes):
                kept[job.path] = served
            else:
                todo.append(job)
        self.gone = set(self.kept_pages) - set(self.next_pages)
        return todo, kept

    def cards(self, config: SiteConfig, jobs: Sequence[PageJob],
              make: Callable[[Sequence[tuple[Event, str]]], dict[str, str]]
              ) -> dict[str, str]:
        """The cards (and chronology lines) of the events shown on ``jobs``, kept or made by
        ``make``: all at once, or, when ``cards_as_asked``, each when a page first shows it."""
        from generator.site.cards import wanted_cards

        salt = self._theme_salt(config)
        known = self.kept_cards if salt == self.kept_salts[1] else {}
        wanted = wanted_cards(jobs)
        # Cards of events no longer in the timeline are dropped once the exports are known.
        self.next_cards = dict(known)
        if self.cards_as_asked:
            return _CardsOnDemand(self.next_cards, wanted, make)
        missing = [card for key, card in wanted.items() if key not in known]
        self.next_cards.update(make(missing) if missing else {})
        return {key: self.next_cards[key] for key in wanted if key in self.next_cards}

    def exports(self, config: SiteConfig, documents: dict[str, Export]) -> dict[str, Data]:
        """Each export as pieces: kept parts of unchanged events, the rest made anew."""
        # Parts are not drawn by templates: a template edit keeps them.
        self.parts_salt = self._parts_salt(config)
        same = self.parts_salt == self.kept_salts[2]
        known = self.kept_parts if same else {}
        files: dict[str, Data] = {}
        live: set[str] = set()
        for rel, document in documents.items():
            if isinstance(document, bytes):
                files[rel] = document
                continue
            if isinstance(document, Gathered):
                kept = self.kept_values.get(document.kind, {}) if same else {}
                values = self.next_values.setdefault(document.kind, {})
                for event in document.events:
                    if event.key not in values:
                        value = kept.get(event.key, _MISSING)
                        values[event.key] = (document.each(event) if value is _MISSING
                                             else value)
                made_files = document.made([values[key] for key in document.keys()])
                files.update((rel + name, data) for name, data in made_files.items())
                continue
            made = self.next_parts.setdefault(document.kind, {})
            old = known.get(document.kind, {})
            keys = document.keys()
            parts = list(map(made.get, keys))
            for number, part in enumerate(parts):
                if part is None:
                    event = document.events[number]
                    part = parts[number] = made[event.key] = \
                        old.get(event.key) or document.part(event)
            files[rel] = document.pieces(parts)  # type: ignore[arg-type]
            live.update(keys)
        if live:
            from generator.site.cards import card_event

            self.next_cards = {key: html for key, html in self.next_cards.items()
                               if card_event(key) in live}
        return files

    def image_copies(self, originals: Sequence[Original], salt: str) -> dict[str, Data]:
        """Each resized copy: kept from the last good build, or made (``salt``, of the code
        and Pillow, does not change while the process runs)."""
        from generator.site.resized import made_copies

        todo = [original for original in originals
                if any(copy.path not in self.kept_images for copy in original.copies)]
        self.next_images = {copy.path: self.kept_images[copy.path] for original in originals
                            for copy in original.copies if copy.path in self.kept_images}
        for _, made in made_copies(todo):
            self.next_images.update(made)
        return {copy.path: self.next_images[copy.path] for original in originals
                for copy in original.copies}

    def share_images(self, cards: Sequence[ShareCard], salt: str) -> dict[str, Data]:
        """Each share image: kept from the last good build, or drawn (``salt``, of the code,
        fonts and Pillow, does not change while the process runs)."""
        from generator.site.shareimage import drawn

        unique = {card.path: card for card in cards}
        self.next_shares = {path: self.kept_shares[path] for path in unique
                            if path in self.kept_shares}
        for _, made in drawn([c for p, c in unique.items() if p not in self.next_shares]):
            self.next_shares.update(made)
        return {path: self.next_shares[path] for path in unique}

    def write(self, files: Iterable[tuple[str, Data]], expected_changes: int
              ) -> tuple[int, dict[str, tuple[str, int]]]:
        """Take the site into memory: nothing is written to disk."""
        written = 0
        for rel, data in files:
            before = self.site_files.get(rel)
            if before is None:
                check_rel(rel)  # a path kept from the last build was checked then
            if not isinstance(data, (bytes, list)):
                raise TypeError(f"{rel}: a file kept on disk cannot be served from memory")
            self.next_files[rel] = data
            if before is data or before == data:
                self.next_files[rel] = before
                self.next_records[rel] = self.records[rel]
                continue
            self.next_records[rel] = ("", _size(data))  # nothing hashes a served file
            self.next_changed.append(rel)
            written += 1
        self.next_changed += [rel for rel in self.site_files if rel not in self.next_files]
        return written, self.next_records

    def show_made_so_far(self) -> None:
        """Serve what this build made so far over the last good site (without its pages
        that are gone), until the build ends."""
        self.preview = {rel: data for rel, data in {**self.site_files, **self.next_files}.items()
                        if rel not in self.gone}

    def serving(self) -> dict[str, Served]:
        """What to serve now: the last good site, or the preview of the one being made."""
        preview = self.preview
        return self.site_files if preview is None else preview

    def remember(self, config: SiteConfig, result: BuildResult,
                 records: dict[str, tuple[str, int]]) -> None:
        """The build succeeded: its tables replace the kept ones when it ends."""
        self.result = result


class _CardsOnDemand(dict[str, str]):
    """Cards made as pages ask for them (``get``, as the renderer does), and kept."""

    def __init__(self, cards: dict[str, str], wanted: dict[str, tuple[Event, str]],
                 make: Callable[[Sequence[tuple[Event, str]]], dict[str, str]]) -> None:
        super().__init__()
        self.cards, self.wanted, self.make = cards, wanted, make

    def get(self, key: str, default: Any = None) -> Any:
        if key not in self.cards and key in self.wanted:
            self.cards.update(self.make([self.wanted[key]]))
        return self.cards.get(key, default)

    def __getitem__(self, key: str) -> str:
        found: str | None = self.get(key)
        if found is None:
            raise KeyError(key)
        return found


def _size(data: Served) -> int:
    return len(data) if isinstance(data, bytes) else sum(map(len, data))


def _stat(path: str) -> tuple[int, ...]:
    st = os.stat(path)
    if not stat.S_ISREG(st.st_mode):
        raise OSError(f"{path}: not a regular file")
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def _read(path: str) -> tuple[bytes, tuple[int, ...], bool]:
    """A file's bytes, its stat before the read, and whether it may change unseen (it was
    written so recently that a second write could keep its stat)."""
    import time

    now = time.time_ns()
    try:
        before = _stat(path)
    except OSError:
        before = ()
    raw = Path(path).read_bytes()
    return raw, before, not before or max(before[3], before[4]) > now - RACY_NS
