"""``timeline list``: every event on one line, in date order, without building anything.

For a quick look in the terminal (``table``) and for scripts (``csv``, ``json``); the
build's own first stage reads and validates the events, so what is listed is what a build
would show.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.content.model import Event, slugify
from generator.errors import Problem
from generator.incremental.store import CACHE_DIR
from generator.interop.cells import safe_cell

if TYPE_CHECKING:
    from generator.content.loading import Timeline

COLUMNS = ("date", "status", "slug", "title", "tags", "places", "path")
LISTS = ("tags", "places")
"""Several values: a list in JSON, joined with '; ' in CSV and the table (as events.csv)."""
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""What a terminal would act on rather than show (escape sequences, a carriage return that
overwrites the line, a direction override that reverses it): a file name may hold any."""
FORMATS = ("table", "csv", "json")


@dataclass(frozen=True)
class Row:
    """One listed event."""

    date: str
    status: str
    slug: str
    title: str
    path: str
    draft: bool
    tags: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    featured: bool = False

    def cell(self, column: str) -> str:
        value = getattr(self, column)
        return "; ".join(value) if column in LISTS else str(value)


Load = Callable[..., tuple[Any, "Timeline", list[Problem]]]
"""``load_site``, the pipeline's first stage: handed in by the command line (it sits above)."""


def list_events(site: Path, load: Load, drafts: bool = False, tag: str | None = None,
                status: str | None = None) -> tuple[list[Row], list[Problem]]:
    """The events a build would show (with drafts if asked), filtered, in date order; read
    by the build's own first stage, ``load``, reusing the parses a build keeps where a
    build made them (parsing ten thousand files costs seconds): a listing makes no cache."""
    _, timeline, problems = load(site.absolute(), drafts=drafts,
                                 use_cache=(site / CACHE_DIR).is_dir())
    wanted = slugify(tag) if tag else None
    rows = [_row(e) for e in timeline.events
            if (wanted is None or wanted in {slugify(t) for t in e.tags})
            and (status is None or e.status == status)]
    return rows, problems


def _row(event: Event) -> Row:
    return Row(event.date.text, event.status, event.slug, event.title, event.path, event.draft,
               tuple(event.tags), tuple(event.places), event.featured)


def _shown(cell: str) -> str:
    """The cell with each character a terminal would act on written as its escape."""
    return _UNPRINTABLE.sub(lambda m: repr(m.group())[1:-1] if ord(m.group()) < 0x100
                            else f"\\u{ord(m.group()):04x}", cell)


def format_rows(rows: Sequence[Row], form: str) -> str:
    """The rows as an aligned table, CSV with a header, or a JSON list of objects."""
    if form == "json":
        return json.dumps([{**{c: list(v) if isinstance(v := getattr(r, c), tuple) else v
                               for c in COLUMNS}, "featured": r.featured, "draft": r.draft}
                           for r in rows], ensure_ascii=False, indent=2) + "\n"
    if form == "csv":
        out = io.StringIO(newline="")
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([*COLUMNS, "featured", "draft"])
        for r in rows:
            writer.writerow([*(safe_cell(r.cell(c)) for c in COLUMNS),
                             "true" if r.featured else "", "true" if r.draft else ""])
        return out.getvalue()
    table = [[_shown(r.cell(c)) + "".join(f" ({flag})" for flag in ("featured", "draft")
                                          if c == "status" and getattr(r, flag))
              for c in COLUMNS] for r in rows]
    widths = [max([len(c), *(len(line[i]) for line in table)]) for i, c in enumerate(COLUMNS)]
    lines = [[c.upper() for c in COLUMNS], *table]
    return "".join("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)
                             ).rstrip() + "\n" for line in lines)
