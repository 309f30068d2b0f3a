"""What events and pages point at inside the site: their images and their old URLs.

A field can be valid on its own and still name a file that is not there, or an old URL that
a real page already has; only the whole site can tell, so these checks run after loading.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import unquote

from generator.content.header import field_name, parse
from generator.content.loading import RESERVED, Timeline
from generator.content.model import Event, Page, slugify, split_url
from generator.content.tagmoves import RENAMED_TAGS
from generator.errors import Problem
from generator.site.theme import theme_dir

Key = tuple[str | int, ...]


def static_paths(site: Path) -> set[str]:
    """Output paths of the static files: the default theme's and the site's own."""
    found: set[str] = set()
    for folder in (theme_dir() / "static", site / "static"):
        if folder.is_dir():
            found.update(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                         if p.is_file() and not p.name.startswith("."))
    return found


def field_line(site: Path, rel: str, key: Key) -> int | None:
    """The line of a field, read again from the file: only ever done for a problem."""
    try:
        fm, _ = parse(rel, (site / rel).read_text("utf-8-sig"))
    except (OSError, UnicodeDecodeError):
        return None
    return fm.line(key) if fm is not None else None


def media_problem(src: str, files: set[str]) -> str | None:
    """Why a local image would be missing from the site, or None (remote images pass)."""
    parts = split_url(src)
    if parts is None or parts.scheme or parts.netloc:
        return None
    path = unquote(parts.path).lstrip("/")
    while path.startswith("./"):
        path = path[2:]
    if path in files:
        return None
    if path.startswith("static/"):
        short = path.removeprefix("static/")
        return (f"'{src}' names the folder static/, whose files are copied to the site's "
                f"root: write src: {short}")
    if ".." in path.split("/"):
        return f"'{src}' leaves the site: put the image in static/ and give its path there"
    return f"'{src}' is not in static/: put the image at static/{path} or fix the path"


def media_problems(site: Path, events: Iterable[Event], files: set[str]) -> list[Problem]:
    """Every local image an event shows that the built site would not have."""
    problems = []
    for event in events:
        for i, media in enumerate(event.media):
            message = media_problem(media.src, files)
            if message:
                key: Key = ("media", i, "src")
                problems.append(Problem(event.path, field_line(site, event.path, key),
                                        field_name(key), message))
    return problems


def page_path(item: Event | Page) -> str:
    """The folder of an event's or page's own page, as aliases are written."""
    return f"events/{item.slug}/" if isinstance(item, Event) else f"{item.slug}/"


def _owners(timeline: Timeline) -> Iterator[Event | Page]:
    yield from timeline.events
    yield from timeline.pages


def alias_problems(site: Path, timeline: Timeline, files: set[str]) -> list[Problem]:
    """An alias may not take the place of a real page, a site folder or another alias."""
    real = {page_path(item): item.path for item in _owners(timeline)}
    taken: dict[str, str] = {}
    problems = []
    for item in _owners(timeline):
        for i, alias in enumerate(item.aliases):
            first = alias.split("/", 1)[0]
            clash = None
            if alias in real:
                clash = "it is the page of " + ("this file itself" if real[alias] == item.path
                                                 else real[alias])
            elif first in RESERVED - {"events"} | {"page"} \
                    or alias in ("index.html", "404.html"):  # page/: the home's later pages
                clash = f"/{first}/ holds the site's own pages"
            elif alias.rstrip("/") in files or alias + "index.html" in files:
                clash = "a file in static/ is there"
            elif alias in taken:
                clash = f"it is already an alias of {taken[alias]}"
            if clash:
                key: Key = ("aliases", i)
                problems.append(Problem(item.path, field_line(site, item.path, key),
                                        field_name(key), f"'/{alias}' cannot redirect: {clash}"))
            else:
                taken[alias] = item.path
    return problems


def renamed_tag_problems(timeline: Timeline) -> list[Problem]:
    """A renamed tag whose new tag has no page: its old page cannot redirect there."""
    live = {slugify(tag) for event in timeline.events for tag in event.tags}
    return [Problem(f"content/{RENAMED_TAGS}", None, old, f"no event has the tag '{new}': "
                    f"/tags/{old}/ is not redirected", "warning")
            for old, new in timeline.renamed_tags if old not in live and new not in live]


def reference_problems(site: Path, timeline: Timeline) -> list[Problem]:
    """Missing local images and clashing aliases, for ``load_site``."""
    files = static_paths(site)
    problems = media_problems(site, timeline.events, files) + alias_problems(site, timeline,
                                                                             files)
    problems += renamed_tag_problems(timeline)
    live = {slugify(tag) for event in timeline.events for tag in event.tags}
    moved = any(old not in live and new in live for old, new in timeline.renamed_tags)
    if "_redirects" in files and (moved or timeline.gone
                                  or any(item.aliases for item in _owners(timeline))):
        problems.append(Problem("static/_redirects", None, None, "the build writes _redirects "
                                "for aliases: move these lines to the end of "
                                "templates/redirects.txt (a copy of the default theme's), "
                                "and delete this file"))
    return problems
