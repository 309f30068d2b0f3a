"""``timeline check``: the build's own pipeline with nothing written (``target="discard"``),
and what only a check looks at: templates no page uses, and sources' advice."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import jinja2

from generator.build import build_site
from generator.errors import Problem, SiteError
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


def check_site(site: Path, strict: bool = False) -> list[Problem]:
    """Return every problem in the site, sorted; with ``strict`` warnings count as errors."""
    site = site.absolute()
    problems = _template_problems(site)
    try:
        problems += build_site(site, drafts=True, target="discard").warnings
    except SiteError as exc:
        problems += exc.problems
    problems += source_warnings(site)  # links, dates, dead links
    unique = sorted(set(problems), key=Problem.sort_key)
    if strict:
        unique = [replace(p, severity="error") for p in unique]
    return unique
