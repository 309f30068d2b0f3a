"""Redirect pages for ``aliases:``, the old URLs of renamed events and pages.

A static host cannot answer 301, so each alias gets a page with ``<meta http-equiv=refresh>``
and a canonical link to the new URL (as Hugo's aliases do), and, for hosts that read one
(Netlify, Cloudflare Pages), a line of a ``_redirects`` file.
"""

from __future__ import annotations

from functools import partial
from typing import Any
from urllib.parse import quote, urlsplit

from generator.config import SiteConfig
from generator.content.loading import Timeline
from generator.content.model import Event, Page
from generator.site.references import page_path

REDIRECTS = "_redirects"


def redirects(timeline: Timeline) -> list[tuple[str, str, str]]:
    """(alias, target folder, title) for every alias, in a stable order."""
    items: list[Event | Page] = [*timeline.events, *timeline.pages]
    found = [(alias, page_path(item), item.title) for item in items for alias in item.aliases]
    return sorted(found)


def redirect_path(alias: str) -> str:
    """The output file of an alias's redirect page."""
    return alias if alias.endswith((".html", ".htm")) else alias + "index.html"


def _context(alias: str, target: str, title: str) -> dict[str, Any]:
    return {"kind": "redirect", "target": target, "title": title, "alias": alias}


def _redirects_context(lines: list[tuple[str, str]]) -> dict[str, Any]:
    return {"kind": "redirects", "redirects": lines, "title": REDIRECTS}


def redirect_jobs(timeline: Timeline, config: SiteConfig, job: Any) -> list[Any]:
    """A page job per alias and one for ``_redirects``; ``job`` is ``render.PageJob``."""
    found = redirects(timeline)
    if not found:
        return []
    jobs = []
    items: list[Event | Page] = [*timeline.events, *timeline.pages]
    source = {alias: item.path for item in items for alias in item.aliases}
    for alias, target, title in found:
        jobs.append(job(redirect_path(alias), "redirect.html",
                        partial(_context, alias, target, title),
                        ("redirect.html", alias, target, title), source=source[alias]))
    base = urlsplit(config.base_url).path.rstrip("/")
    lines = [(quote(f"{base}/{alias}"), quote(f"{base}/{target}")) for alias, target, _ in found]
    jobs.append(job(REDIRECTS, "redirects.txt", partial(_redirects_context, lines),
                    ("redirects.txt", tuple(lines))))
    return jobs
