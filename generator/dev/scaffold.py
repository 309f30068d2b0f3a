"""``timeline init`` and ``timeline new``: write ready-to-edit files, never overwrite one."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import frontmatter

from generator.content.dates import DateError, parse_date
from generator.content.model import safe_url, slugify
from generator.errors import SiteError

CONFIG_TEMPLATE = '''# Settings for this timeline. Every key is documented in README.md.
title = "{title}"
description = "A dated, sourced chronology."
base_url = "https://example.org/"
language = "en"
author = ""
'''

EXAMPLE_EVENT = '''---
title: The first event of this timeline
date: "{date}"
status: confirmed
summary: One sentence for lists, feeds and link previews.
tags: [example]
places: [Somewhere]
sources:
  - publisher: Example Publisher
    title: The report this event rests on
    url: https://example.org/report
    published: "{date}"
---
Write a neutral account of what happened here, in Markdown.
'''

ABOUT_PAGE = '''---
title: About this timeline
---
What this timeline covers, how events are sourced, and how claims are graded:
**confirmed**, **reported** (one outlet or unnamed sources) or **disputed**.
'''


def init_site(folder: Path, title: str = "My timeline") -> list[Path]:
    """Create a new site that builds at once with the default theme; return the new files."""
    config = folder / "timeline.toml"
    if config.exists():
        raise SiteError.one(str(config), None, None, "already exists: refusing to overwrite")
    files = {
        config: CONFIG_TEMPLATE.format(title=title.replace("\\", "\\\\").replace('"', '\\"')),
        folder / "content" / "events" / "2024-01-01-first-event.md":
            EXAMPLE_EVENT.format(date="2024-01-01"),
        folder / "content" / "pages" / "about.md": ABOUT_PAGE,
        folder / "templates" / "README.md":
            "Templates here override the default theme's files of the same name.\n",
        folder / "static" / "README.md":
            "Files here are copied to the site as they are (images, CNAME, ...).\n",
        folder / ".gitignore": "site/\n.timeline-cache/\n",
    }
    written = []
    for path, text in files.items():
        if path.exists():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
        written.append(path)
    return written


def new_event(site: Path, title: str, date: str, source: str | None = None) -> Path:
    """Write ``content/events/<date>-<title>.md`` and return its path.

    Without a source URL the event is a draft, so it cannot be published unsourced.
    """
    try:
        parsed = parse_date(date)
    except DateError as exc:
        raise SiteError.one("--date", None, "date", str(exc)) from None
    if not title.strip():
        raise SiteError.one("title", None, "title", "empty: give the event a title")
    if source is not None and safe_url(source) is None:
        raise SiteError.one("--source", None, "url",
                            f"'{source}' is not an http, https or mailto link")
    if not (site / "timeline.toml").is_file():
        raise SiteError.one(str(site / "timeline.toml"), None, None,
                            "not found: run `timeline new` inside a site (or pass SITE)")
    side = parsed.start or parsed.end
    stem = re.sub(r"[^0-9-]", "", side.text if side else "")[:10].strip("-")
    name = f"{stem}-{slugify(title)}"[:80].strip("-") or "event"
    folder = site / "content" / "events"
    path = folder / f"{name}.md"
    number = 2
    while path.exists():
        path = folder / f"{name}-{number}.md"
        number += 1
    meta: dict[str, object] = {"title": title.strip(), "date": parsed.text, "status": "reported",
                               "summary": "", "tags": [], "places": []}
    if source:
        host = (urlsplit(source.strip()).hostname or "").removeprefix("www.")
        meta["sources"] = [{"publisher": host or source.strip(), "url": source.strip()}]
    else:
        meta["draft"] = True
        meta["sources"] = [{"publisher": "TODO: who reported it",
                            "title": "TODO: the headline of the report"}]
    post = frontmatter.Post("Write a neutral account of what happened here.\n")
    post.metadata.update(meta)
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(frontmatter.dumps(post, sort_keys=False) + "\n", "utf-8")
    return path

