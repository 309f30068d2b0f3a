"""``timeline check``: everything a build would read and render, validated; nothing written."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import jinja2

from generator.build import load_site, render_site
from generator.content.loading import Timeline
from generator.content.model import Event, Page
from generator.errors import Problem, SiteError
from generator.output.manifest import read_manifest
from generator.site.languages import unlabelled
from generator.site.pages import make_environment, template_name
from generator.sources.advice import source_warnings


def _template_problems(site: Path) -> list[Problem]:
    """Compile every template, so a syntax error in an unused one is found too."""
    env = make_environment(site)
    problems = []
    for name in env.list_templates(extensions=["html", "xml", "txt", "json"]):
        if any(part.startswith(".") for part in name.split("/")):
            continue  # hidden, or an editor's lock file: never a template a page uses
        try:
            env.get_template(name)
        except jinja2.TemplateNotFound:
            continue  # a link to nowhere: generator/symlinks.py warns about it
        except jinja2.TemplateSyntaxError as exc:
            problems.append(Problem(template_name(env, exc.name or name), exc.lineno, None,
                                    f"template error: {exc.message}"))
    return problems


def _renamed(site: Path, timeline: Timeline) -> list[Problem]:
    """Event pages the last build published that no event or alias has now: a renamed slug
    breaks every link to the old URL unless the event keeps it in ``aliases:``."""
    published = {rel.removesuffix("index.html") for rel in read_manifest(site / "site")
                 if rel.startswith("events/") and rel.endswith("/index.html")
                 and rel.count("/") == 2}
    if not published:
        return []
    now = {f"events/{e.slug}/" for e in timeline.events}
    items: list[Event | Page] = [*timeline.events, *timeline.pages]
    kept = {alias for item in items for alias in item.aliases}
    gone = sorted(published - now - kept)
    new = [e for e in timeline.events if f"events/{e.slug}/" not in published]
    problems = []
    for old in gone:
        if len(gone) == 1 and len(new) == 1:  # one page gone, one new: most likely renamed
            where, hint = new[0].path, f"if this event was /{old}, add aliases: [/{old}]"
        else:
            where, hint = "content/events", f"if an event was renamed, add aliases: [/{old}] " \
                "to it"
        problems.append(Problem(where, None, "aliases", f"/{old} was published by the last "
                                f"build and no event has it now: {hint}", "warning"))
    return problems


def check_site(site: Path, strict: bool = False) -> list[Problem]:
    """Return every problem in the site, sorted; with ``strict`` warnings count as errors."""
    site = site.absolute()
    problems = _template_problems(site)
    try:
        config, timeline, found = load_site(site, drafts=True)
        problems += found + _renamed(site, timeline)
        if not problems:
            render_site(site, config, timeline)
        problems += unlabelled(site, timeline, config)  # after: a warning stops no render
    except SiteError as exc:
        problems += exc.problems
    problems += source_warnings(site)  # links, dates, dead links
    unique = sorted(set(problems), key=Problem.sort_key)
    if strict:
        unique = [replace(p, severity="error") for p in unique]
    return unique
