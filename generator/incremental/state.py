"""The one incremental layer: what an earlier build made that this one may reuse.

The pipeline asks it which files must be parsed, which cards and pages must be rendered and
which parts of each export must be made, and tells it what was made. Everything it keeps is
in the site's build state (``store``), keyed by hashes of what produced it; with the cache
off (``--no-cache``) it keeps and offers nothing, and the pipeline runs the same steps.
"""

from __future__ import annotations

import mmap
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.hashing import code_hash, digest, file_digest, text_digest
from generator.incremental.codec import dumped, dumps, loads
from generator.incremental.derived import derived_files
from generator.incremental.inputs import (
    Inputs,
    file_signature,
    forget_result,
    input_key,
    last_result,
    parse_salt,
    remember,
)
from generator.incremental.store import Store, open_store
from generator.output.manifest import Data, Reused, read_manifest, still_there
from generator.parallel import map_spans
from generator.report import BuildResult
from generator.site.document import Document, Export, Gathered, Piece
from generator.site.theme import site_catalogs, template_dirs
from generator.symlinks import read_regular

if TYPE_CHECKING:  # the types only: a build with nothing to do imports none of the stages
    import jinja2

    from generator.config import SiteConfig
    from generator.content.loading import ContentFile, Job, Parsed
    from generator.content.model import Event
    from generator.site.plan import PageJob
    from generator.site.resized import Original
    from generator.site.shareimage import ShareCard

Layout = tuple[str, int, int, tuple[str, ...], tuple[int, ...]]
"""Where each event's part lies in an export as written: (document kind, bytes before the
first part, bytes between two parts, event keys, part sizes)."""

PARALLEL_PARTS = 400
"""Below this many export parts to make, forking workers costs more than it saves."""


class BuildState:
    """One build's view of what earlier builds made (nothing when not ``enabled``); as a
    context manager, its writes are one transaction, committed when the build succeeds."""

    def __init__(self, site: Path, output: Path, drafts: bool, base_url: str | None,
                 today: str, enabled: bool = True) -> None:
        self.site, self.output, self.today = site, output, today
        self.drafts, self.base_url, self.enabled = drafts, base_url, enabled
        self.store = open_store(site) if enabled else Store(None)
        self.inputs: Inputs | None = None
        self.exact = True
        """False when a file changed while this build read it: its result is not kept."""
        self.manifest: dict[str, tuple[str, int]] = {}
        self.page_rows: list[tuple[str, str]] = []
        self.layouts: dict[str, Layout] = {}
        self.theme = self.parts = ""

    def __enter__(self) -> BuildState:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: Any) -> None:
        self.store.close(commit=kind is None)

    def last_build(self) -> BuildResult | None:
        """The last build's result when the site and the output are exactly as it left them."""
        if not self.enabled:
            return None
        self.inputs = input_key(self.site, self.output, self.drafts, self.base_url,
                                self.today, self.store)
        last = last_result(self.store, self.output, self.inputs.key, self.today)
        self.store.commit()  # the file hashes are kept even if the build fails
        return None if last is None else replace(last, written=0, reused=last.pages)

    def parsed(self, files: Sequence[ContentFile],
               parse: Callable[[Sequence[Job]], list[Parsed]], salt: str) -> list[Parsed]:
        """Each file's parse, from the store when its bytes were parsed before with this
        ``salt`` (what parsing depends on besides the file), else by ``parse``."""
        salt = parse_salt(self.store, salt, self.today)
        digests, read = (self.inputs.digests, self.inputs.read) if self.inputs else ({}, {})
        keys = [file.key(digests[file.path]) if file.path in digests else "" for file in files]
        wanted = set(keys)
        results: dict[str, Parsed] = {}
        unwanted = []
        for key, value in self.store.rows("parsed", salt):
            if key not in wanted:
                unwanted.append(key)  # a parse of a file gone or changed
                continue
            try:
                found = loads(value)
            except Exception:  # noqa: BLE001, S112 - a damaged entry is parsed again
                continue
            if isinstance(found, tuple) and len(found) == 2 and isinstance(found[1], list):
                results[key] = found
        todo: list[Job] = []
        for number, file in enumerate(files):
            if keys[number] in results:
                continue
            raw = read.get(file.path)
            if raw is None:
                raw = read_regular(file.path)
            key = file.key(file_digest(raw))
            if keys[number] and key != keys[number]:
                self.exact = False  # changed since the input check: keep nothing of it
            keys[number] = key
            todo.append((file, raw, key))
        fresh = dict(zip((key for *_, key in todo), parse(todo), strict=True))
        results.update(fresh)
        if self.enabled and fresh:
            self.store.replace("parsed", dumped(fresh.items()), salt)
        if self.enabled:
            live = set(keys)
            self.store.replace("parsed", (), salt, remove=[k for k in unwanted if k not in live])
        return [results[key] for key in keys]

    def compiled_templates(self) -> jinja2.BytecodeCache | None:
        """Jinja's compiled templates, kept between builds (compiling costs more than the
        rest of a one-event edit)."""
        from generator.incremental.compiled import compiled_templates

        return compiled_templates(self.site) if self.enabled else None

    def _theme_salt(self, config: SiteConfig) -> str:
        """Hash of what a page depends on besides its own inputs: templates, catalogs and
        labels (each language's environment draws with them), code, config."""
        if not self.theme:
            parts: list[bytes | str] = [self._parts_salt(config)]
            for folder in [*template_dirs(self.site), site_catalogs(self.site)]:
                for path in sorted(folder.rglob("*")):
                    if path.is_file():
                        parts += [path.relative_to(folder).as_posix(), path.read_bytes()]
            self.theme = digest(*parts)
        return self.theme

    def _parts_salt(self, config: SiteConfig) -> str:
        """Hash of what an export's part or a gathered value (a search entry) depends on
        besides its event: code (with the theme's compiled catalogs), config and the tags'
        and places' labels. No template or site catalog draws them, so editing one keeps
        them; what does (``strings.json``, from the site's catalogs) is made every build."""
        if not self.parts:
            parts: list[bytes | str] = [code_hash(), repr(config)]
            for path in sorted((self.site / "content").glob("labels.*.yaml")):
                if path.is_file():
                    parts += [path.name, path.read_bytes()]
            self.parts = digest(*parts)
        return self.parts

    def pages_to_render(self, config: SiteConfig, jobs: Sequence[PageJob]
                        ) -> tuple[list[PageJob], dict[str, Data]]:
        """(the pages that must be rendered, the files kept as the last build wrote them).

        A page is kept when its inputs, the templates, the code and the config hash as when
        it was written, and the file in the output is still the one written then."""
        salt = self._theme_salt(config)
        self.manifest = read_manifest(self.output)
        known = {row[0]: row[1:] for row in self.store.rows("pages", salt)}
        todo: list[PageJob] = []
        kept: dict[str, Data] = {}
        for job in jobs:
            key = text_digest(job.template, repr(job.inputs))
            hit = known.get(job.path)
            if hit and hit[0] == key and self.manifest.get(job.path) == (hit[1], hit[2]) \
                    and still_there(self.output, job.path, hit[2]):
                kept[job.path] = Reused(hit[1], hit[2])
            else:
                todo.append(job)
                self.page_rows.append((job.path, key))
        gone = known.keys() - {job.path for job in jobs}
        self.store.replace("pages", (), salt, remove=gone)
        return todo, kept

    def cards(self, config: SiteConfig, jobs: Sequence[PageJob],
              make: Callable[[Sequence[tuple[Event, str]]], dict[str, str]]
              ) -> dict[str, str]:
        """The cards (and chronology lines) of the events shown on ``jobs``: kept ones, and
        the rest by ``make``."""
        from generator.site.cards import wanted_cards

        salt = self._theme_salt(config)
        wanted = wanted_cards(jobs)
        cards = {key: row[1] for key, row in self.store.many("cards", wanted, salt).items()}
        missing = [card for key, card in wanted.items() if key not in cards]
        made = make(missing) if missing else {}
        cards.update(made)
        if self.enabled and made:
            self.store.replace("cards", made.items(), salt)
        return cards

    def exports(self, config: SiteConfig, made: dict[str, Export]) -> dict[str, Data]:
        """Each export as pieces: the parts of unchanged events as runs cut from the file
        the last build wrote (when it is exactly the file the kept layout describes), the
        rest made anew; gathered files from their events' kept values and new ones."""
        salt = self._parts_salt(config)
        documents: dict[str, Document | bytes] = {}
        for rel, export in made.items():
            if isinstance(export, Gathered):
                documents.update((rel + name, data) for name, data in
                                 export.made(self._gathered(export, salt)).items())
            else:
                documents[rel] = export
        old: dict[str, tuple[memoryview, dict[str, tuple[int, int]], int]] = {}
        parts: dict[str, list[Piece | None]] = {}
        keys = {rel: document.keys() for rel, document in documents.items()
                if isinstance(document, Document)}
        for rel, document in documents.items():
            if isinstance(document, Document):
                found = self._written_layout(rel, document, salt)
                if found is not None:
                    old[rel] = found
                where = found[1] if found else {}
                parts[rel] = [b"" if key in where else None for key in keys[rel]]
        _make_missing(documents, parts)
        files: dict[str, Data] = {}
        for rel, document in documents.items():
            if isinstance(document, bytes):
                files[rel] = document
                continue
            pieces, sizes = _runs(document, keys[rel], parts[rel], old.get(rel))
            files[rel] = pieces
            self.layouts[rel] = (document.kind, len(document.head), len(document.separator),
                                 keys[rel], sizes)
        return files

    def _gathered(self, gathered: Gathered, salt: str) -> list[Any]:
        """Each event's value: kept when the event (by key) was gathered with this kind and
        ``salt`` before, else made (on both cores for many)."""
        prefix = gathered.kind + "\0"
        keys = [prefix + key for key in gathered.keys()]
        values: dict[str, Any] = {}
        for key, row in self.store.many("gathered", keys, salt).items():
            try:
                values[key] = loads(row[1])
            except Exception:  # noqa: BLE001, S112 - a damaged entry is made again
                continue
        todo = [n for n, key in enumerate(keys) if key not in values]
        events = gathered.events

        def batch(numbers: Sequence[int]) -> list[Any]:
            return [gathered.each(events[n]) for n in numbers]

        fresh = [value for part in map_spans(batch, todo, PARALLEL_PARTS) for value in part]
        for number, value in zip(todo, fresh, strict=True):
            values[keys[number]] = value
        if self.enabled:
            self.store.replace("gathered", dumped((keys[n], values[keys[n]]) for n in todo),
                               salt)
            live = set(keys)
            gone = [key for key in self.store.keys("gathered", salt)
                    if key.startswith(prefix) and key not in live]
            self.store.replace("gathered", (), salt, remove=gone)
        return [values[key] for key in keys]

    def _written_layout(self, rel: str, document: Document, salt: str
                        ) -> tuple[memoryview, dict[str, tuple[int, int]], int] | None:
        """(the file as the last build wrote it, where each event's part lies in it, the
        separator's size), when the kept layout describes exactly that file."""
        row = self.store.get("exports", rel, salt)
        record = self.manifest.get(rel)
        if row is None or record is None or row[1] != record[0]:
            return None
        try:
            layout: Layout = loads(row[2])
            signature, (kind, start, separator, keys, sizes) = row[3], layout
            with open(os.path.join(self.output, rel), "rb") as f:
                # The file as it was written (its inode, size and times unmoved; no tool
                # can set a change time back) need not be read through the hash again.
                unmoved = signature == file_signature(os.fstat(f.fileno()))
                # Mapped, not read: its runs go to the writer with no copy of a hundred
                # megabytes made first (the writer replaces the file, never rewrites it).
                data = memoryview(mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ))
        except Exception:  # noqa: BLE001 - damaged, empty or gone: the parts are made anew
            return None
        if kind != document.kind or separator != len(document.separator) \
                or len(keys) != len(sizes) or not unmoved and file_digest(data) != record[0]:
            return None
        starts = accumulate((size + separator for size in sizes), initial=start)  # one more
        return data, dict(zip(keys, zip(starts, sizes, strict=False), strict=True)), separator

    def image_copies(self, originals: Sequence[Original], salt: str) -> dict[str, Data]:
        """Each resized copy of the site's images: the file the last build wrote when the
        output still holds it, else its bytes from the store, else made anew; so a copy is
        made once per image content and ``salt`` (``copies_salt``)."""
        from generator.site.resized import made_copies

        def make(missing: set[str]) -> Iterator[dict[str, bytes]]:
            return (made for _, made in made_copies(
                [o for o in originals if any(c.path in missing for c in o.copies)]))
        return derived_files(self.store, self.output, self.manifest, ("images", "image_data"),
                             [c.path for o in originals for c in o.copies], salt, make)

    def share_images(self, cards: Sequence[ShareCard], salt: str) -> dict[str, Data]:
        """Each share image: the file the last build wrote when the output still holds it,
        else drawn anew (``salt``: ``share_salt``). Their bytes are not stored: ten
        thousand events' images would double the state, and drawing one costs little."""
        from generator.site.shareimage import drawn

        unique = list({card.path: card for card in cards}.values())

        def make(missing: set[str]) -> Iterator[dict[str, bytes]]:
            return (made for _, made in drawn([c for c in unique if c.path in missing]))
        return derived_files(self.store, self.output, self.manifest, ("shares", None),
                             [card.path for card in unique], salt, make)

    def write(self, files: Iterable[tuple[str, Data]], expected_changes: int
              ) -> tuple[int, dict[str, tuple[str, int]]]:
        """Write the build's files into the output (``write_site``)."""
        from generator.output.writer import write_site

        return write_site(self.output, files, expected_changes)

    def remember(self, config: SiteConfig, result: BuildResult,
                 records: dict[str, tuple[str, int]]) -> None:
        """Note what this build wrote, for the next one."""
        if not self.enabled:
            return
        salt = self._theme_salt(config)
        self.store.replace("pages", ((path, key, *records[path]) for path, key in
                                     self.page_rows if path in records), salt)
        self.store.replace("exports", ((rel, records[rel][0], dumps(layout),
                                        _signature_of(self.output, rel))
                                       for rel, layout in self.layouts.items()
                                       if rel in records), self._parts_salt(config))
        if self.inputs is not None and self.exact:
            remember(self.store, self.inputs.key, result, records, self.today)
        else:
            forget_result(self.store)


def _signature_of(output: Path, rel: str) -> str:
    """The stat signature of a file this build has just put in place ('' if it is gone)."""
    try:
        return file_signature(os.stat(os.path.join(output, rel)))
    except OSError:
        return ""


def _runs(document: Document, keys: tuple[str, ...], parts: list[Piece | None],
          old: tuple[memoryview, dict[str, tuple[int, int]], int] | None
          ) -> tuple[list[Piece], tuple[int, ...]]:
    """The document's pieces, with each run of events whose parts lie one after another in
    the old file taken as one slice of it (separators included): an edit writes the old
    file with a few parts replaced, in a handful of pieces."""
    if not document.events:
        return [document.head, document.tail], ()
    view, where, gap = old if old is not None else (memoryview(b""), {}, 0)
    located = list(map(where.get, keys))
    starts = [-1 if at is None else at[0] for at in located]
    ends = [-1 if at is None else at[0] + at[1] for at in located]
    sizes = tuple(len(parts[n] or b"") if at is None else at[1]
                  for n, at in enumerate(located))
    # A run goes on while each part starts right after the one before and its separator.
    breaks = [n for n in range(1, len(located))
              if starts[n] < 0 or ends[n - 1] < 0 or starts[n] != ends[n - 1] + gap]
    pieces: list[Piece] = [document.head]
    for first, last in zip([0, *breaks], [*breaks, len(located)], strict=True):
        if first:
            pieces.append(document.separator)
        if starts[first] < 0:
            made = parts[first]
            assert made is not None  # noqa: S101 - made by _make_missing
            pieces.append(made)
        else:
            pieces.append(view[starts[first]:ends[last - 1]])
    pieces.append(document.tail)
    return pieces, sizes


def _make_missing(documents: dict[str, Document | bytes],
                  parts: dict[str, list[Piece | None]]) -> None:
    """Make every part not reused, on both cores when there are many."""
    todo: list[tuple[str, int]] = [(rel, number) for rel, found in parts.items()
                                   for number, piece in enumerate(found) if piece is None]

    def batch(items: Sequence[tuple[str, int]]) -> list[bytes]:
        made = []
        for rel, number in items:
            document = documents[rel]
            assert isinstance(document, Document)  # noqa: S101 - only documents have parts
            made.append(document.part(document.events[number]))
        return made

    made: Iterable[bytes] = (piece for chunk in map_spans(batch, todo, PARALLEL_PARTS)
                             for piece in chunk)
    for (rel, number), piece in zip(todo, made, strict=True):
        parts[rel][number] = piece
