"""``timeline init`` and ``timeline new``: write ready-to-edit files, never overwrite one."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import frontmatter

from generator.config import check_base_url
from generator.content.dates import DateError, EventDate, parse_date, with_end
from generator.content.editorial import NEW_BODY, PLACEHOLDER
from generator.content.model import SLUG, STATUSES, link_host, safe_url
from generator.content.text import event_stem
from generator.dev.pin import INSTALL, pin_tool, python_version
from generator.dev.starter import (
    ABOUT_PAGE,
    CONFIG_TEMPLATE,
    EXAMPLE_EVENT,
    GITIGNORE,
    SITE_README,
    TEMPLATES_README,
    netlify_text,
    workflow_text,
)
from generator.errors import SiteError


def _toml_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def init_site(folder: Path, title: str = "My timeline", base_url: str = "") -> list[Path]:
    """Create a new site that builds at once with the default theme, and carries the tool
    for its CI (``.timeline/``); return the new files."""
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
        folder / "templates" / "README.md": TEMPLATES_README,
        # Not a README: every file in static/ is published; hidden files are not.
        folder / "static" / ".gitkeep": "",
        folder / ".github" / "workflows" / "timeline.yml":
            workflow_text(INSTALL, python_version()),
        folder / "netlify.toml": netlify_text(INSTALL, python_version()),
        folder / ".gitignore": GITIGNORE,
    }
    written = []
    for path, text in files.items():
        if path.exists():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
        written.append(path)
    from generator.config import load_config
    from generator.dev.cms import write_cms

    return written + write_cms(folder, load_config(folder)[0]) + pin_tool(folder)


def _texts(values: Sequence[str], option: str) -> list[str]:
    out = list(dict.fromkeys(v.strip() for v in values if v.strip()))
    if len(out) != len([v for v in values if v]) or any(not v.strip() for v in values):
        raise SiteError.one(option, None, option.lstrip("-"), "empty or repeated value")
    return out


def new_event(site: Path, title: str, date: str, source: str | None = None, *,
              end: str | None = None, tags: Sequence[str] = (), places: Sequence[str] = (),
              status: str | None = None, summary: str | None = None, slug: str | None = None,
              featured: bool = False, draft: bool = False, publisher: str | None = None,
              published: str | None = None, body: str | None = None) -> Path:
    """Write ``content/events/<date>-<title>.md`` (or ``<slug>.md``) and return its path.

    Without a source URL the event is a draft, so it cannot be published unsourced. Only
    the fields given are written: an empty ``tags: []`` or a default ``status:`` would
    look like a decision. A file of that name is never overwritten nor numbered aside: a
    second event of the same title and date is refused, naming the first.
    """
    parsed = _date(date, "--date")
    if end is not None:
        try:  # `--end ..`: still going, as `--date 2017/..` says
            parsed = parse_date(f"{parsed.text}/..") if end.strip() == ".." \
                else with_end(parsed, _date(end, "--end"))
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
    if slug is not None and not SLUG.fullmatch(slug):
        raise SiteError.one("--slug", None, "slug", f"'{slug}' is not a slug: use a-z, 0-9 "
                            "and single hyphens, like kaesong-closes")
    when = _date(published, "--published") if published is not None else None
    tag_list, place_list = _texts(tags, "--tag"), _texts(places, "--place")
    if not (site / "timeline.toml").is_file():
        raise SiteError.one(str(site / "timeline.toml"), None, None,
                            "not found: run `timeline new` inside a site (or pass SITE)")
    name = slug or event_stem(parsed, title)
    folder = site / "content" / "events"
    path = folder / f"{name}.md"
    taken = sorted(p for p in (folder.rglob("*.md") if folder.is_dir() else ())
                   if p.stem == name)
    if taken:
        hint = "choose another --slug" if slug else \
            "give --slug NAME to write another event of this title and date"
        raise SiteError.one(taken[0].relative_to(site).as_posix(), None, None,
                            f"already exists: nothing written ({hint})")
    meta: dict[str, object] = {"title": title.strip()}
    if parsed.start is not None and parsed.end is not None and end is not None \
            and end.strip() != "..":
        meta.update(date=parsed.start.text, end=parsed.end.text)
    else:
        meta["date"] = parsed.text
    if status:
        meta["status"] = status
    if summary and summary.strip():
        meta["summary"] = " ".join(summary.split())
    if tag_list:
        meta["tags"] = tag_list
    if place_list:
        meta["places"] = place_list
    if featured:
        meta["featured"] = True
    if draft or not source:
        meta["draft"] = True
    cited: dict[str, str] = {}
    if source:
        cited["publisher"] = publisher.strip() if publisher and publisher.strip() \
            else link_host(source.strip()) or source.strip()
        cited["url"] = source.strip()
    else:
        cited["publisher"] = publisher.strip() if publisher and publisher.strip() \
            else f"{PLACEHOLDER} who reported it"
        cited["title"] = f"{PLACEHOLDER} the headline of the report"
    if when is not None:
        cited["published"] = when.text
    meta["sources"] = [cited]
    post = frontmatter.Post((body.strip() if body and body.strip() else NEW_BODY) + "\n")
    post.metadata.update(meta)
    folder.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as out:  # never over one written meanwhile
        out.write(frontmatter.dumps(post, sort_keys=False) + "\n")
    return path


def _date(text: str, option: str) -> EventDate:
    try:
        return parse_date(text)
    except DateError as exc:
        raise SiteError.one(option, None, option.lstrip("-"), str(exc)) from None
