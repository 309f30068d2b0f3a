"""One table of every file a build writes: each page (in every language), export, static
file and redirect is registered with its path and what makes it, before anything is written.

Two makers of one path, a file where another's folder goes, or a file inside a folder an
export fills, would silently keep one and lose the other (a page replaced by a redirect, an
event page by a static file); here they stop the build with one line naming both. Two
exports of one ``kind`` with the same events would share their parts in the incremental
layer, so a kind has one maker too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from generator.content.header import field_name
from generator.content.loading import Timeline
from generator.content.model import Event, Page
from generator.errors import Problem
from generator.site.aliases import redirect_path
from generator.site.document import Document, Export, Gathered
from generator.site.plan import PageJob
from generator.site.references import field_line

PAGES = {"index.html": "the home page", "list.html": "a list page", "terms.html": "a list "
         "of terms", "404.html": "the 404 page", "feed.xml": "the feed", "sitemap.xml":
         "the sitemap", "embed.html": "the embed page", "redirects.txt": "_redirects",
         "chronology.html": "the chronology", "recent.html": "the page of recent changes"}
"""What a page without a file of its own is called in a message, by its template."""


class _Table:
    """Paths taken so far, the folders files lie in, and the folders an export fills."""

    def __init__(self) -> None:
        self.files: dict[str, str] = {}
        self.folders: dict[str, str] = {}
        self.filled: dict[str, str] = {}

    def clash(self, path: str) -> str | None:
        """Who already makes ``path``, its folder as a file, or a folder it would replace."""
        if path in self.files:
            return self.files[path]
        if path.endswith("/"):  # a folder an export fills
            inside = next((p for p in self.files if p.startswith(path)), None)
            return self.files[inside] if inside else self.filled.get(path)
        if path + "/" in self.folders:
            return self.folders[path + "/"]
        parts = path.split("/")
        for depth in range(1, len(parts)):
            folder = "/".join(parts[:depth])
            if folder in self.files:
                return self.files[folder]
            if folder + "/" in self.filled:
                return self.filled[folder + "/"]
        return None

    def add(self, path: str, maker: str) -> None:
        if path.endswith("/"):
            self.filled[path] = maker
            return
        self.files[path] = maker
        parts = path.split("/")
        for depth in range(1, len(parts)):
            self.folders.setdefault("/".join(parts[:depth]) + "/", maker)


def _page_maker(job: PageJob) -> str:
    what = job.source or PAGES.get(job.template, job.template)
    return f"{what} ({job.language})" if job.language else what


def output_problems(site: Path, timeline: Timeline, jobs: Sequence[PageJob],
                    exports: Iterable[tuple[str, Export]], statics: Mapping[str, Any]
                    ) -> list[Problem]:
    """Every path made twice (or a file where a folder goes), as one line naming both
    makers; an alias that meets another output, at its own line."""
    table = _Table()
    problems: list[Problem] = []
    own = site / "static"
    for rel in statics:
        table.add(rel, f"static/{rel}" if (own / rel).is_file() else f"the theme's static/{rel}")
    kinds: dict[str, tuple[str, set[str]]] = {}
    for rel, export in exports:
        maker = f"the export {rel}"
        _register(table, problems, rel, maker)
        if isinstance(export, Document | Gathered):
            keys = set(export.keys())
            first = kinds.setdefault(export.kind, (rel, keys))
            if first[0] != rel and first[1] & keys:
                problems.append(Problem(rel, None, "output", f"an export of kind "
                                        f"'{export.kind}' like {first[0]}: each export "
                                        "needs a kind of its own"))
    redirects = [job for job in jobs if job.template == "redirect.html"]
    for job in jobs:
        if job.template != "redirect.html":
            _register(table, problems, job.path, _page_maker(job))
    for job in redirects:
        clash = table.clash(job.path)
        if clash is None:
            table.add(job.path, _page_maker(job))
            continue
        problems.append(_alias_problem(site, timeline, job, clash))
    return problems


def _register(table: _Table, problems: list[Problem], path: str, maker: str) -> None:
    clash = table.clash(path)
    if clash is None:
        table.add(path, maker)
    else:
        problems.append(Problem(path.rstrip("/") or path, None, "output",
                                f"made by both {clash} and {maker}"))


def _alias_problem(site: Path, timeline: Timeline, job: PageJob, clash: str) -> Problem:
    """``path:line: aliases[i]: …`` for the alias whose redirect page is ``job``."""
    items: list[Event | Page] = [*timeline.events, *timeline.pages]
    item = next(i for i in items if i.path == job.source)
    number = next(n for n, alias in enumerate(item.aliases) if redirect_path(alias) == job.path)
    key = ("aliases", number)
    return Problem(item.path, field_line(site, item.path, key), field_name(key),
                   f"'/{item.aliases[number]}' cannot redirect: {clash} is there")
