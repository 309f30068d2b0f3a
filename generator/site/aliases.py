"""Redirect pages for ``aliases:``, the old URLs of renamed events and pages.

A static host cannot answer 301, so each alias gets a page with ``<meta http-equiv=refresh>``
and a canonical link to the new URL (as Hugo's aliases do), and, for hosts that read one
(Netlify, Cloudflare Pages), a line of a ``_redirects`` file.
"""

from __future__ import annotations

from functools import partial
from typing import Any
from urllib.parse import quote, urlsplit

from generator.config import SiteConfig, site_languages
from generator.content.loading import Timeline
from generator.content.model import Event, Page, slugify
from generator.content.tagmoves import RENAMED_TAGS
from generator.site.references import page_path

REDIRECTS = "_redirects"
TAG_MOVES = f"content/{RENAMED_TAGS}"
"""Where a renamed tag's redirect comes from (``rename-tag`` writes it)."""


def redirects(timeline: Timeline, languages: tuple[str, ...] = ()
              ) -> list[tuple[str, str, str]]:
    """(alias, target folder, title) for every alias and renamed tag, in a stable order."""
    items: list[Event | Page] = [*timeline.events, *timeline.pages]
    found = [(alias, page_path(item), item.title) for item in items for alias in item.aliases]
    return sorted(found + tag_redirects(timeline, languages))


def tag_redirects(timeline: Timeline, languages: tuple[str, ...] = ()
                  ) -> list[tuple[str, str, str]]:
    """The old page of each renamed tag, in every language, to the new tag's page: only
    where the old tag has no page of its own again and the new one has one (a tag page
    always wins; ``references.renamed_tag_problems`` warns of a redirect to nowhere)."""
    live = {slugify(tag): tag for event in timeline.events for tag in event.tags}
    found = []
    for old, new in timeline.renamed_tags:
        if old in live or new not in live:
            continue
        # Unprefixed: each language's plan makes its own redirect pages, and _redirects
        # gives every language its line (redirect_jobs).
        found.append((f"tags/{old}/", f"tags/{new}/", live[new]))
    return found


def redirect_path(alias: str) -> str:
    """The output file of an alias's redirect page."""
    return alias if alias.endswith((".html", ".htm")) else alias + "index.html"


def _context(alias: str, target: str, title: str) -> dict[str, Any]:
    return {"kind": "redirect", "target": target, "title": title, "alias": alias}


def _redirects_context(lines: list[tuple[str, str]], gone: list[tuple[str, str]]
                       ) -> dict[str, Any]:
    return {"kind": "redirects", "redirects": lines, "gone": gone, "title": REDIRECTS}


def redirect_jobs(timeline: Timeline, config: SiteConfig, job: Any) -> list[Any]:
    """A page job per alias and one for ``_redirects``; ``job`` is ``render.PageJob``."""
    found = redirects(timeline, site_languages(config))
    if not found and not timeline.gone:
        return []
    jobs = []
    items: list[Event | Page] = [*timeline.events, *timeline.pages]
    source = {alias: item.path for item in items for alias in item.aliases}
    for alias, target, title in found:
        jobs.append(job(redirect_path(alias), "redirect.html",
                        partial(_context, alias, target, title),
                        ("redirect.html", alias, target, title),
                        source=source.get(alias, TAG_MOVES)))
    base = urlsplit(config.base_url).path.rstrip("/")
    # Each language's pages keep their old URLs too: /ko/events/<old-slug>/ (its redirect
    # pages come from that language's plan; _redirects is the site's, made once).
    prefixes = ["", *(f"{code}/" for code in site_languages(config)[1:])]
    lines = [(quote(f"{base}/{prefix}{alias}"), quote(f"{base}/{prefix}{target}"))
             for prefix in prefixes for alias, target, _ in found]
    # Taken down on purpose (content/gone.yaml): 410 Gone, with the site's 404 page.
    gone = [(quote(f"{base}/{path}"), quote(f"{base}/404.html")) for path in timeline.gone]
    jobs.append(job(REDIRECTS, "redirects.txt", partial(_redirects_context, lines, gone),
                    ("redirects.txt", tuple(lines), tuple(gone))))
    return jobs
