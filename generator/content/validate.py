"""Events, pages and eras built and validated from parsed front-matter: every problem in a
file is reported, each with its line and field."""


from __future__ import annotations

import difflib
from typing import Any

from generator.content import model
from generator.content.changes import read_corrections, read_updated
from generator.content.dates import (
    DateError,
    parse_date,
    with_end,
)
from generator.content.fields import *  # noqa: F403
from generator.content.fields import (
    Reader,
    check_placeholders,
    kind_name,
    read_aliases,
    read_flag,
    read_media,
    read_slug,
    read_sources,
)
from generator.content.header import FrontMatter, Key
from generator.content.model import EVENT_FIELDS, PAGE_FIELDS, STATUSES, Era, Event, Page
from generator.content.text import (
    CONTROL,
    controls_message,
    strip_controls,
    strip_invisible,
)
from generator.content.text import (
    slugify as slugify,  # where the site's other stages import it from
)
from generator.errors import Problem, day_numbers


def build_event(fm: FrontMatter, default_slug: str, today: str, in_drafts: bool = False
                ) -> tuple[Event | None, list[Problem]]:
    """Validate front-matter into an ``Event``; return every problem found. ``in_drafts``:
    the file is under a ``drafts/`` folder, which makes it a draft."""
    problems: list[Problem] = []
    r = Reader(fm, problems)
    r.unknown((), (*EVENT_FIELDS, *model.NOTE_FIELDS))
    title = r.visible(("title",), r.text(("title",), required=True))
    date = r.date(("date",), required=True)
    end = r.date(("end",))
    if date is not None and end is not None:
        try:
            date = with_end(date, end)
        except DateError as exc:
            r.problem(("end",), str(exc))
    status = r.text(("status",)) or "reported"
    if status not in STATUSES:
        close = difflib.get_close_matches(status, STATUSES, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        r.problem(("status",), f"unknown status '{status}': {hint}use one of "
                  + ", ".join(STATUSES))
    tags = r.texts(("tags",))
    places = r.texts(("places",))
    sources = read_sources(r)
    media = read_media(r)
    draft = read_flag(r, ("draft",))
    if in_drafts and r.value(("draft",)) is False:
        r.problem(("draft",), "false, but the file is in a drafts/ folder, which keeps it a "
                  "draft: move it out of drafts/ to publish it", "warning")
    draft = draft or in_drafts
    featured = read_flag(r, ("featured",))
    summary = r.text(("summary",))
    slug = read_slug(r, default_slug)
    if not tags and r.value(("tags",)) in (None, []):
        r.problem(("tags",), "no tags: readers find events by tag", "warning")
    aliases = read_aliases(r)
    notes = tuple((name, text) for name in model.NOTE_FIELDS if (text := r.text((name,))))
    updated, corrections = read_updated(r, today), read_corrections(r, today)
    if not draft:
        check_placeholders(r, fm)
    if date is not None and date.first.earliest() > day_numbers(today):
        r.problem(("date",), f"{date.text} is in the future", "warning",
                  until=date.first.earliest())
    if any(p.severity == "error" for p in problems) or date is None:
        return None, problems
    known = (*EVENT_FIELDS, *model.NOTE_FIELDS)
    written = {key: value for key, value in fm.data.items() if key in known}  # as exported
    for key in ("date", "end"):
        if key in written:
            written[key] = r.text((key,))
    _as_shown(written, title, tags, places)
    event = Event(slug=slug, path=fm.path, title=title, date=date, status=status,
                  sources=sources, summary=summary, tags=tags, places=places, media=media,
                  draft=draft, featured=featured, body=clean_body(fm, problems), aliases=aliases,
                  notes=notes, updated=updated, corrections=corrections,
                  front_matter=_json_safe(written))
    return event, problems


def clean_body(fm: FrontMatter, problems: list[Problem]) -> str:
    """The Markdown body without control characters, with a warning at the first one."""
    body, controls = strip_controls(fm.body)
    if controls:
        first = CONTROL.search(fm.body)
        line = fm.body_line + fm.body.count("\n", 0, first.start() if first else 0)
        problems.append(Problem(fm.path, line, "body", controls_message(controls), "warning"))
    return body


def _as_shown(written: dict[str, Any], title: str, tags: tuple[str, ...],
              places: tuple[str, ...]) -> None:
    """Exports carry a title, tags and places with invisible characters as the pages show
    them (``strip_invisible``), not as written."""
    if strip_invisible(str(written.get("title", "")))[1]:
        written["title"] = title
    for key, names in (("tags", tags), ("places", places)):
        if isinstance(written.get(key), list) and any(
                strip_invisible(str(n), name=True)[1] for n in written[key]):
            written[key] = list(names)


def build_page(fm: FrontMatter, default_slug: str) -> tuple[Page | None, list[Problem]]:
    """Validate a standalone page's front-matter."""
    problems: list[Problem] = []
    r = Reader(fm, problems)
    r.unknown((), PAGE_FIELDS)
    title = r.visible(("title",), r.text(("title",), required=True))
    order = r.value(("order",))
    if order is not None and (not isinstance(order, int) or isinstance(order, bool)):
        r.problem(("order",), "expected a whole number")
        order = 0
    page = Page(slug=read_slug(r, default_slug), path=fm.path, title=title,
                summary=r.text(("summary",)), body=clean_body(fm, problems),
                draft=read_flag(r, ("draft",)), order=order or 0, aliases=read_aliases(r))
    if any(p.severity == "error" for p in problems):
        return None, problems
    return page, problems


ERA_FIELDS = ("title", "start", "end", "summary")
"""What an era of ``content/eras.yaml`` may carry (the browser editor's form has the same)."""


def build_eras(fm: FrontMatter, items: list[Any]) -> tuple[list[Era], list[Problem]]:
    """Validate the list in ``content/eras.yaml``."""
    problems: list[Problem] = []
    r = Reader(fm, problems)
    eras = []
    for i, item in enumerate(items):
        key: Key = ("eras", i)
        if not isinstance(item, dict):
            r.problem(key, f"expected an era with title, start and end, got {kind_name(item)}")
            continue
        r.unknown(key, ERA_FIELDS)
        title = r.text((*key, "title"), required=True)
        start = r.date((*key, "start"), required=True)
        end = r.date((*key, "end"))
        if start is not None:
            try:
                date = with_end(start, end) if end is not None else parse_date(
                    start.text + "/..")
            except DateError as exc:
                r.problem((*key, "end"), str(exc))
                continue
            if title:
                eras.append(Era(title, date, r.text((*key, "summary"))))
    return eras, problems


def _json_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {strip_controls(str(k))[0]: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    if isinstance(value, str):
        return strip_controls(value)[0]
    if value is None or isinstance(value, bool | int | float):
        return value
    return strip_controls(str(value))[0]
