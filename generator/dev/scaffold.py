"""``timeline init`` and ``timeline new``: write ready-to-edit files, never overwrite one."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import frontmatter

from generator.config import check_base_url
from generator.content.dates import DateError, EventDate, parse_date, with_end
from generator.content.editorial import NEW_BODY, PLACEHOLDER
from generator.content.model import STATUSES, link_host, safe_url
from generator.content.text import event_stem
from generator.dev.starter import (
    ABOUT_PAGE,
    CONFIG_TEMPLATE,
    EXAMPLE_EVENT,
    NETLIFY,
    SITE_README,
    TEMPLATES_README,
    WORKFLOW,
)
from generator.errors import SiteError


def _toml_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def init_site(folder: Path, title: str = "My timeline", base_url: str = "") -> list[Path]:
    """Create a new site that builds at once with the default theme; return the new files."""
    from generator.site.theme import theme_dir  # only init needs to know where it is

    config = folder / "timeline.toml"
    if config.exists():
        raise SiteError.one(str(config), None, None, "already exists: refusing to overwrite")
    if base_url:
        try:
            base_url = check_base_url(base_url)
        except ValueError as exc:
            raise SiteError.one("--base-url", None, None, str(exc)) from None
    text = CONFIG_TEMPLATE.format(title=_toml_text(title))
    files = {
        config: text.replace('base_url = ""', f'base_url = "{_toml_text(base_url)}"'),
        folder / "README.md": SITE_README.format(title=title),
        folder / "content" / "events" / "2024-01-01-first-event.md":
            EXAMPLE_EVENT.format(date="2024-01-01"),
        folder / "content" / "pages" / "about.md": ABOUT_PAGE,
        folder / "templates" / "README.md":
            TEMPLATES_README.format(theme=theme_dir() / "templates"),
        # Not a README: every file in static/ is published; hidden files are not.
        folder / "static" / ".gitkeep": "",
        folder / ".github" / "workflows" / "timeline.yml": WORKFLOW,
        folder / "netlify.toml": NETLIFY,
        # No trailing slash: a file or a link of that name is ignored too (a contributed
        # link named .timeline-cache must not be committed by `git add -A`).
        folder / ".gitignore": "/site\n/.timeline-cache\n",
    }
    written = []
    for path, text in files.items():
        if path.exists():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
        written.append(path)
    return written


def _texts(values: Sequence[str], option: str) -> list[str]:
    out = list(dict.fromkeys(v.strip() for v in values if v.strip()))
    if len(out) != len([v for v in values if v]) or any(not v.strip() for v in values):
        raise SiteError.one(option, None, option.lstrip("-"), "empty or repeated value")
    return out


def new_event(site: Path, title: str, date: str, source: str | None = None, *,
              end: str | None = None, tags: Sequence[str] = (), places: Sequence[str] = (),
              status: str | None = None, summary: str | None = None) -> Path:
    """Write ``content/events/<date>-<title>.md`` and return its path.

    Without a source URL the event is a draft, so it cannot be published unsourced. Only
    the fields given are written: an empty ``tags: []`` would look like a decision.
    """
    parsed = _date(date, "--date")
    if end is not None:
        try:
            parsed = with_end(parsed, _date(end, "--end"))
        except DateError as exc:
            raise SiteError.one("--end", None, "end", str(exc)) from None
    if not title.strip():
        raise SiteError.one("title", None, "title", "empty: give the event a title")
    if source is not None and safe_url(source) is None:
        raise SiteError.one("--source", None, "url",
                            f"'{source}' is not an http, https or mailto link")
    if status is not None and status not in STATUSES:
        raise SiteError.one("--status", None, "status",
                            f"unknown status '{status}': use one of " + ", ".join(STATUSES))
    tag_list, place_list = _texts(tags, "--tag"), _texts(places, "--place")
    if not (site / "timeline.toml").is_file():
        raise SiteError.one(str(site / "timeline.toml"), None, None,
                            "not found: run `timeline new` inside a site (or pass SITE)")
    name = event_stem(parsed, title)
    folder = site / "content" / "events"
    path = folder / f"{name}.md"
    number = 2
    while path.exists():
        path = folder / f"{name}-{number}.md"
        number += 1
    meta: dict[str, object] = {"title": title.strip()}
    if parsed.start is not None and parsed.end is not None and end is not None:
        meta.update(date=parsed.start.text, end=parsed.end.text)
    else:
        meta["date"] = parsed.text
    meta["status"] = status or "reported"
    if summary and summary.strip():
        meta["summary"] = " ".join(summary.split())
    if tag_list:
        meta["tags"] = tag_list
    if place_list:
        meta["places"] = place_list
    if source:
        host = link_host(source.strip())
        meta["sources"] = [{"publisher": host or source.strip(), "url": source.strip()}]
    else:
        meta["draft"] = True
        meta["sources"] = [{"publisher": f"{PLACEHOLDER} who reported it",
                            "title": f"{PLACEHOLDER} the headline of the report"}]
    post = frontmatter.Post(NEW_BODY + "\n")
    post.metadata.update(meta)
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(frontmatter.dumps(post, sort_keys=False) + "\n", "utf-8")
    return path


def _date(text: str, option: str) -> EventDate:
    try:
        return parse_date(text)
    except DateError as exc:
        raise SiteError.one(option, None, option.lstrip("-"), str(exc)) from None
