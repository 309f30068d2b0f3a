"""Walk ``content/`` and return the timeline (events, pages, eras) and every problem found.

Parsing YAML and rendering Markdown is most of a build's work, so many files are parsed on
every core. Which files need parsing at all is the incremental layer's business, not this
module's: it parses what it is given.
"""

from __future__ import annotations

import operator
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, NamedTuple

from generator.config import SiteConfig, site_languages
from generator.content.body import BUDGET_SECONDS, BodyError, first_paragraph, make_renderer
from generator.content.editorial import alias_problem, normal_alias
from generator.content.header import FrontMatter, decode, parse, parse_document
from generator.content.images import with_image_sizes
from generator.content.model import Era, Event, Page
from generator.content.places import Place, load_places
from generator.content.tagmoves import load_renamed_tags
from generator.content.translations import (
    Translation,
    build_translation,
    load_era_texts,
    load_labels,
    pair,
    translation_of,
)
from generator.content.validate import build_eras, build_event, build_page
from generator.errors import Problem, SiteError, day_numbers
from generator.hashing import file_digest, text_digest
from generator.parallel import map_spans
from generator.symlinks import link_problems, read_regular

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
    translations: tuple[Translation, ...] = ()
    """Each translation paired with its original event or page (``content/translations``)."""
    labels: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
    """(language, ((tag or place as written, its label), ...)) from ``labels.<lang>.yaml``
    for each other language of the site."""
    era_texts: tuple[tuple[str, tuple[tuple[str, str, str], ...]], ...] = ()
    """(language, ((era title, its title, its summary), ...)) from ``eras.<lang>.yaml``."""
    gone: tuple[str, ...] = ()
    """Old URLs taken down on purpose (``content/gone.yaml``), as aliases are written."""
    renamed_tags: tuple[tuple[str, str], ...] = ()
    """(old slug, new slug) of each tag ``rename-tag`` renamed (``content/tagmoves``)."""
    published_days: tuple[tuple[str, str], ...] = ()
    """(event slug, day a build first published it) from the build's record
    (``incremental/days.py``); empty where no record was read (``check``, tests)."""
    places: tuple[Place, ...] = ()
    """The gazetteer, ``content/places.yaml`` (``content/places.py``)."""

    def labels_in(self, language: str) -> dict[str, str]:
        """``{tag or place as written: label}`` in ``language`` (empty where none)."""
        return next((dict(found) for code, found in self.labels if code == language), {})


Parsed = tuple[Event | Page | Translation | None, list[Problem]]


class ContentFile(NamedTuple):
    """One event or page file: what it is, its path as messages name it, where it is."""

    kind: str
    """``event`` or ``page``."""
    rel: str
    path: str

    def key(self, digest: str) -> str:
        """The key of this file with this content: what pages made from it are keyed by."""
        return text_digest(self.kind, self.rel, digest)


Job = tuple[ContentFile, bytes, str]
"""A file to parse, its bytes and its key."""


def read_job(file: ContentFile) -> Job:
    """A file's bytes and its key, hashed from the very bytes that are parsed."""
    raw = read_regular(file.path)
    return file, raw, file.key(file_digest(raw))


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
    item: Event | Page | Translation | None
    translated = translation_of(rel)
    if translated is not None:
        item, more = build_translation(fm, rel, *translated)
    elif kind == "event":
        item, more = build_event(fm, stem, today, in_drafts=in_drafts_folder(rel))
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


def in_drafts_folder(rel: str) -> bool:
    """Whether a file lies under a folder named ``drafts`` (any case): its event is a draft,
    as an editor who put it there means, whatever its front-matter says."""
    return any(part.lower() == "drafts" for part in rel.split("/")[2:-1])


def _files(folder: Path, recursive: bool) -> list[str]:
    """The ``.md`` files (``.MD`` too) under ``folder`` (relative, in path order), as
    ``glob("**/*.md")``
    finds them but without a ``Path`` each: symlinked folders are not entered, and hidden
    files and folders (``.drafts/``, ``.git/``, an editor's ``.#x.md``) are skipped at any
    depth, as ``sources check`` and ``import`` skip them."""
    if not folder.is_dir():
        return []
    found: list[str] = []

    def walk(dirpath: str, prefix: str) -> None:
        try:
            entries = list(os.scandir(dirpath))
        except OSError:
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                is_file, is_dir = entry.is_file(), entry.is_dir() and not entry.is_symlink()
            except OSError:
                continue
            rel = prefix + entry.name
            if is_file and entry.name.lower().endswith(".md"):  # x.MD is an event too
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


def _listed(site: Path, name: str, field: str | None, expected: str
            ) -> tuple[FrontMatter | None, list[Any], list[Problem]]:
    """The list ``content/NAME.yaml`` holds (eras, gone), read as a regular file: its
    front-matter for line numbers, its items, and its problems (no file: nothing)."""
    path = site / "content" / f"{name}.yaml"
    if not path.is_file():
        return None, [], []
    rel = path.relative_to(site).as_posix()
    text, problems = decode(rel, read_regular(path))
    if text is None:
        return None, [], problems
    fm, problems = parse_document(rel, text, name)
    if fm is None or fm.data[name] is None:
        return None, [], problems
    if not isinstance(fm.data[name], list):
        return None, [], [Problem(rel, 1, field, f"expected a list of {expected}")]
    return fm, fm.data[name], problems


def load_eras(site: Path) -> tuple[list[Era], list[Problem]]:
    """Read ``content/eras.yaml`` if there is one."""
    fm, items, problems = _listed(site, "eras", None, "eras (- title: ..., start: ...)")
    if fm is None:
        return [], problems
    eras, more = build_eras(fm, items)
    return eras, problems + more


def load_gone(site: Path) -> tuple[list[tuple[str, int | None]], list[Problem]]:
    """Read ``content/gone.yaml``, a list of old URLs of pages removed on purpose: each
    as an alias is written ('events/old/'), with its line."""
    fm, items, problems = _listed(site, "gone", "gone", "old URLs (- /events/slug/)")
    if fm is None:
        return [], problems
    rel = fm.path
    gone = []
    for number, item in enumerate(items):
        why = alias_problem(item) if isinstance(item, str) else "expected a URL path, like " \
            "/events/old-slug/"
        if why:
            problems.append(Problem(rel, fm.line(("gone", number)), f"gone[{number}]", why))
        else:
            gone.append((normal_alias(item), fm.line(("gone", number))))
    return gone, problems


def _parse_batch(jobs: Sequence[Job], allow_html: bool, today: str, budget: float
                 ) -> list[Parsed]:
    renderer = make_renderer(allow_html, budget=budget)
    out: list[Parsed] = []
    for file, raw, key in jobs:
        item, problems = parse_file(file.kind, file.rel, raw, allow_html, today, renderer)
        if isinstance(item, Event):
            item = replace(item, key=key)  # pages made from the event are keyed by it
        out.append((item, problems))
    return out


def parse_files(jobs: Sequence[Job], allow_html: bool, today: str,
                budget: float = BUDGET_SECONDS) -> list[Parsed]:
    """Parse each file, on every core when there are many; ``budget``: the seconds one
    body may take to render."""
    def batch(part: Sequence[Job]) -> list[Parsed]:
        return _parse_batch(part, allow_html, today, budget)
    return [parsed for part in map_spans(batch, jobs, PARALLEL_FROM, per_worker=20,
                                         with_threads=True) for parsed in part]


Reuse = Callable[[Sequence[ContentFile], Callable[[Sequence[Job]], list[Parsed]], str],
                 list[Parsed]]
"""The incremental layer's ``parsed``: each file's parse, kept or made by the function."""


def parser(config: SiteConfig, today: str) -> tuple[Callable[[Sequence[Job]], list[Parsed]],
                                                    str]:
    """How this site's files are parsed, and what that depends on besides each file's bytes
    (the incremental layer keeps each parse under it). Not the day: a parse holds on any
    later day once its warnings about future days are asked again (``Problem.holds_on``);
    the layer parses again only when the clock went back."""
    def parse(jobs: Sequence[Job]) -> list[Parsed]:
        return parse_files(jobs, config.allow_html, today, config.markdown_seconds)
    return parse, f"{config.allow_html}:{config.markdown_seconds}"


def content_files(site: Path) -> list[ContentFile]:
    """Every event file, then every page file, in path order."""
    if not (site / "content").is_dir():  # else an empty site would replace the published one
        raise SiteError.one("content", None, None, f"folder not found in {site}: events go "
                            "in content/events/")
    files: list[ContentFile] = []
    for kind, name, recursive in (("event", "events", True), ("page", "pages", False)):
        folder = site / "content" / name
        base = os.path.join(folder, "")
        files += [ContentFile(kind, f"content/{name}/{rel}", base + rel)
                  for rel in _files(folder, recursive)]
    return files


def make_timeline(site: Path, parsed: Iterable[Parsed], drafts: bool = False,
                  untrusted: bool = False, languages: Sequence[str] = ()
                  ) -> tuple[Timeline, list[Problem]]:
    """The parsed files in order (drafts left out unless asked for), and all problems;
    ``untrusted``: a link leading out of the site is an error, not only a warning;
    ``languages``: the site's (``site_languages``), which translations must be in."""
    events: list[Event] = []
    pages: list[Page] = []
    problems: list[Problem] = []
    translations: list[Translation] = []
    left_out: set[str] = set()  # drafts: their translations wait with them
    for item, found in parsed:
        problems += found
        if isinstance(item, Translation):
            translations.append(item)
        elif isinstance(item, Event) and (drafts or not item.draft):
            events.append(item)
        elif isinstance(item, Page) and (drafts or not item.draft):
            pages.append(item)
        elif item is not None:
            left_out.add(item.path)
    events.sort(key=operator.methodcaller("sort_key"))
    events, sized = with_image_sizes(site, events)  # each local image's width and height
    problems += sized
    pages.sort(key=lambda p: (p.order, p.title.casefold(), p.slug))
    problems += _duplicates(events, "events") + _duplicates(pages, "pages")
    problems += [Problem(p.path, None, "slug", f"'{p.slug}' is reserved for the site's own "
                         "pages: choose another slug") for p in pages if p.slug in RESERVED]
    problems += link_problems(site, untrusted)  # links to nowhere, or out of the site
    eras, era_problems = load_eras(site)
    renamed, gone_problems = load_renamed_tags(site)
    gone, more_gone = load_gone(site)
    gone_problems += more_gone
    live = {f"events/{e.slug}/": e.path for e in events} | {f"{p.slug}/": p.path for p in pages}
    owners: list[Event | Page] = [*events, *pages]
    live.update((alias, item.path) for item in owners for alias in item.aliases)
    gone_problems += [Problem("content/gone.yaml", line, "gone", f"'/{url}' is not gone: "
                              f"{live[url]} has it; take it off this list")
                      for url, line in gone if url in live]
    translations = [tr for tr in translations if tr.original not in left_out]
    paired, more = pair(events, pages, translations, languages) if translations else ((), [])
    labels, era_texts = [], []
    for language in languages[1:]:
        named, bad = load_labels(site, language)
        texts, wrong = load_era_texts(site, language, [era.title for era in eras])
        labels.append((language, tuple(sorted(named.items()))))
        era_texts.append((language, tuple((k, *v) for k, v in texts.items())))
        more += bad + wrong
    places, more_places = load_places(site)
    return (Timeline(tuple(events), tuple(pages), tuple(eras), paired, tuple(labels),
                     tuple(era_texts), tuple(url for url, _ in gone), renamed,
                     places=places),
            problems + era_problems + gone_problems + more + more_places)


def load_timeline(site: Path, config: SiteConfig, today: str, drafts: bool = False,
                  parsed: Reuse | None = None) -> tuple[Timeline, list[Problem]]:
    """The content stage: every event and page parsed, by ``parsed`` (the incremental
    layer's, which may reuse an earlier parse) or all afresh, then the timeline."""
    files = content_files(site)
    parse, salt = parser(config, today)
    results = parsed(files, parse, salt) if parsed is not None \
        else parse([read_job(file) for file in files])
    day = day_numbers(today)
    results = [(item, [p for p in found if p.holds_on(day)] if found else found)
               for item, found in results]
    return make_timeline(site, results, drafts, config.untrusted, site_languages(config))
