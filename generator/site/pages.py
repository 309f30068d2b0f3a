"""Render planned pages with Jinja (autoescape, StrictUndefined); never writes files.

Each event's card (and chronology line) is rendered once per build, not once per list it
appears in, and the pages of a large site are rendered on both cores.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from generator.config import SiteConfig, in_language, language_prefix, site_languages
from generator.content.dates import format_day
from generator.content.model import Event, safe_url, slugify
from generator.content.text import MARK
from generator.errors import Problem, SiteError
from generator.parallel import map_spans
from generator.site.cards import CARD, card_key
from generator.site.citations import event_citations
from generator.site.citefiles import download_links
from generator.site.face import face_globals
from generator.site.folding import FoldedStrings
from generator.site.i18n import install, own_name
from generator.site.languages import og_locale, page_languages
from generator.site.plan import (
    PageJob,
    absolute_url,
    event_path,
    place_path,
    root_of,
    tag_path,
    year_of,
)
from generator.site.recent import atom_day, entry_id
from generator.site.sandbox import make_jinja
from generator.site.theme import template_dirs

LANGUAGE_FILES = ("feed.xml", "search.json", "timelinejs.json", "strings.json", "nav.json",
                  "events.ics")
"""Files made once per language (under ``ko/``); every other file is the site's, shared."""


def _link(context: jinja2.runtime.Context, target: str = "") -> str:
    """A relative link: to a page (a folder URL) or a language file in the page's language,
    to any other file (assets, images, events.json) at the site's root."""
    root: str = context.get("root", "")
    if target == "" or target.endswith("/") or target in LANGUAGE_FILES:
        root += context.get("prefix", "")
    return (root + target) or "./"


def atom_date(event: Event) -> str:
    """RFC 3339 timestamp for a feed entry: the event's earliest day (year 1 at the least)."""
    day = event.date.earliest()
    return ("0001-01-01" if day.startswith("-") or day < "0001" else day[:10]) + "T00:00:00Z"


def atom_updated(events: Sequence[Event]) -> str:
    return max((atom_date(e) for e in events), default="1970-01-01T00:00:00Z")


def json_for_html(data: Any) -> str:
    """JSON safe inside a ``<script>`` element: no ``</script>`` or comment can break out."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def make_environment(site: Path, compiled: jinja2.BytecodeCache | None = None,
                     one_build: bool = False, language: str = "en", default: str = "",
                     labels: Mapping[str, str] | None = None) -> jinja2.Environment:
    """A Jinja environment that escapes HTML and XML and fails on any undefined name.

    ``compiled`` keeps compiled templates between builds: compiling them costs more than
    the rest of a one-event edit. ``one_build``: the environment is made for one build and
    dropped, so it need not check each template's file again before every page.
    ``language``: the pages' language (``default``, the site's first, lives at the root)."""
    env = make_jinja(  # the sandbox in untrusted mode (generator/site/sandbox.py)
        site,
        auto_reload=not one_build,
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs(site)]),
        bytecode_cache=compiled,
        autoescape=jinja2.select_autoescape(["html", "xml", "htm"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n", FoldedStrings],
    )
    default = default or language
    install(env, site, language, default, labels or {})
    env.globals.update(face_globals(language))  # hedged dates, language names (face.py)
    env.globals["prefix"] = "" if language == default else f"{language}/"
    env.globals["strings_path"] = "strings.json"
    env.globals.update(
        link=jinja2.pass_context(_link), og_locale=og_locale, event_path=event_path,
        tag_path=tag_path, place_path=place_path, safe_url=safe_url, slugify=slugify,
        format_day=format_day, json_for_html=json_for_html, year_of=year_of,
        atom_date=atom_date, atom_updated=atom_updated, atom_day=atom_day, entry_id=entry_id,
        citations=jinja2.pass_context(  # the Cite block (_cite.html)
            lambda context, event: event_citations(event, context["site"])),
        citation_downloads=jinja2.pass_context(  # its downloads, as data: links
            lambda context, event: download_links(event, context["site"])),
        event_jsonld=jinja2.pass_context(
            lambda context, event: _event_jsonld(event, context["site"], context["label"])),
    )
    env.filters["slugify"] = slugify
    return env


def environments(site: Path, config: SiteConfig,
                 compiled: jinja2.BytecodeCache | None = None
                 ) -> tuple[dict[str, jinja2.Environment], list[Problem]]:
    """One environment per language of the site, each with its catalog and labels."""
    from generator.content.translations import load_labels

    languages = site_languages(config)
    envs: dict[str, jinja2.Environment] = {}
    problems: list[Problem] = []
    for language in languages:
        labels, more = load_labels(site, language) if language != languages[0] else ({}, [])
        problems += more
        envs[language] = make_environment(site, compiled, one_build=True, language=language,
                                          default=languages[0], labels=labels)
    if any(p.severity == "error" for p in problems):
        raise SiteError(problems)
    return envs, problems


def _event_jsonld(event: Event, config: SiteConfig,
                  label: Callable[[str], str] = str) -> dict[str, Any]:
    """schema.org's Event for the page in ``config.language``: its URL, its places' labels."""
    data: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "Event", "name": event.title,
        "description": event.summary, "startDate": event.date.machine(),
        "url": absolute_url(config, language_prefix(config) + event_path(event)),
    }  # no eventStatus: schema.org's statuses say whether a coming event is still on
    if event.date.end is not None:
        data["endDate"] = event.date.end.machine()
    if event.places:
        data["location"] = [{"@type": "Place", "name": label(p)} for p in event.places]
    data["subjectOf"] = [
        {"@type": "CreativeWork", "name": s.title or s.publisher,
         **({"url": s.url} if s.url else {}),
         **({"publisher": {"@type": "Organization", "name": s.publisher}} if s.publisher else {}),
         **({"datePublished": s.published.machine()} if s.published else {})}
        for s in event.sources]
    return data


ROOT_MARK = f"{MARK}root{MARK}"
"""Stands for the relative root in a card rendered once, replaced per page (a private-use
character, which front-matter text is stripped of)."""


def make_language_cards(envs: Mapping[str, jinja2.Environment], config: SiteConfig,
                        wanted: Sequence[tuple[Event, str]]) -> dict[str, str]:
    """Cards (event, template) of several languages, each drawn by its language's
    environment, by ``card_key``."""
    default = site_languages(config)[0]
    cards: dict[str, str] = {}
    for language, env in envs.items():
        mine = [(e, t) for e, t in wanted if (e.language or default) == language]
        if mine:
            cards.update(make_cards(env, in_language(config, language), mine))
    return cards


def make_cards(env: jinja2.Environment, config: SiteConfig,
               wanted: Sequence[tuple[Event, str]]) -> dict[str, str]:
    """Each (event, template)'s card, by ``card_key``, on both cores for many events."""
    def batch(part: Sequence[tuple[Event, str]]) -> dict[str, str]:
        made = {}
        for event, template in part:
            with _reported_as_problems(env, template, event_path(event) + "index.html"):
                made[card_key(event, template)] = render_card(env, config, event, template)
        return made
    cards: dict[str, str] = {}
    for made in map_spans(batch, wanted, PARALLEL_PAGES, per_worker=4):
        cards.update(made)
    return cards


def _card_functions(env: jinja2.Environment, config: SiteConfig, cards: Mapping[str, str]
                    ) -> tuple[Callable[..., Markup], Callable[..., Markup]]:
    """The ``card(e)`` template function: ``_event.html`` (or ``card(e, template)``, as the
    chronology's line) rendered once per event, not once per page or list it appears in; a
    card sees only ``e``, ``site`` and the link helpers. And ``cards(events)``: the cards
    of many events (``cards(events, template)``), each after ``before`` and before
    ``after``, joined in one call: a list of ten thousand is not ten thousand steps of a
    template."""
    made: dict[str, str] = {}

    def html_of(event: Event, template: str) -> str:
        key = card_key(event, template)
        html = cards.get(key) or made.get(key)
        if html is None:
            html = made[key] = render_card(env, config, event, template)
        return html

    @jinja2.pass_context
    def card(context: jinja2.runtime.Context, event: Event, template: str = CARD) -> Markup:
        # The card is autoescaped template output; only our own root prefix is put in.
        return Markup(  # noqa: S704
            html_of(event, template).replace(ROOT_MARK, context.get("root", "")))

    @jinja2.pass_context
    def many(context: jinja2.runtime.Context, events: Sequence[Event], template: str = CARD,
             before: str = "", after: str = "") -> Markup:
        # Cards, as card(e), between the template's own literals (escaped here).
        before, after = str(escape(before)), str(escape(after))
        joined = "".join([before + html_of(event, template) + after for event in events])
        return Markup(joined.replace(ROOT_MARK, context.get("root", "")))  # noqa: S704

    return card, many


PARALLEL_PAGES = 400
"""Below this many pages (or cards), forking workers costs more than it saves."""


def render_pages(env: jinja2.Environment, jobs: Sequence[PageJob], config: SiteConfig,
                 cards: Mapping[str, str]) -> Iterator[tuple[str, bytes]]:
    """Render each page, on both cores when there are many; yield (path, bytes) in order,
    so a large site is never held in memory whole. ``cards``: events' cards by key (a
    missing one is rendered here). A template error is a ``SiteError`` naming template
    and line."""
    if len(jobs) < PARALLEL_PAGES:  # each page as soon as it is made (serve shows it)
        yield from _rendered(env, jobs, config, cards)
        return

    def batch(part: Sequence[PageJob]) -> list[tuple[str, bytes]]:
        return list(_rendered(env, part, config, cards))
    for rendered in map_spans(batch, jobs, PARALLEL_PAGES):
        yield from rendered


def _rendered(env: jinja2.Environment, jobs: Sequence[PageJob], config: SiteConfig,
              cards: Mapping[str, str]) -> Iterator[tuple[str, bytes]]:
    templates: dict[str, jinja2.Template] = {}
    env.globals["card"], env.globals["cards"] = _card_functions(env, config, cards)
    names = {code: own_name(code) for code in site_languages(config)}
    for job in jobs:
        with _reported_as_problems(env, job.template, job.path):
            template = templates.get(job.template) or env.get_template(job.template)
            templates[job.template] = template
            page_url = absolute_url(config, job.path.removesuffix("index.html"))
            text = template.render(site=config, root=root_of(job.path, config), path=job.path,
                                   page_url=page_url, **page_languages(config, job.path, names),
                                   share=job.share, **job.context)
        yield job.path, text.encode("utf-8")


@contextmanager
def _reported_as_problems(env: jinja2.Environment, template: str, path: str
                          ) -> Iterator[None]:
    """A template error while rendering ``path`` becomes a ``SiteError`` naming the
    template and its line, as content errors name their file and line."""
    try:
        yield
    except jinja2.TemplateSyntaxError as exc:
        raise SiteError([Problem(template_name(env, exc.name or template), exc.lineno,
                                 None, f"template error: {exc.message}")]) from None
    except (jinja2.UndefinedError, jinja2.TemplateError, TypeError, ValueError,
            AttributeError) as exc:
        raise SiteError([_runtime_problem(env, template, path, exc)]) from None


def render_card(env: jinja2.Environment, config: SiteConfig, event: Event,
                template: str = CARD) -> str:
    """``template`` (the card, ``_event.html``) for one event, with ``ROOT_MARK`` where each
    page puts its root."""
    return env.get_template(template).render(e=event, site=config, root=ROOT_MARK,
                                             kind="card", path="", full=False)


def template_name(env: jinja2.Environment, name: str) -> str:
    loader = env.loader
    if isinstance(loader, jinja2.FileSystemLoader):
        for folder in loader.searchpath:
            candidate = Path(folder) / name
            if candidate.is_file():
                return _short(env, candidate)
    return f"templates/{name}"


def _short(env: jinja2.Environment, path: Path) -> str:
    """Name a template as an editor sees it: ``templates/x.html`` in the site, like content."""
    loader = env.loader
    folders = loader.searchpath if isinstance(loader, jinja2.FileSystemLoader) else []
    for number, folder in enumerate(folders):
        try:
            rel = path.resolve().relative_to(Path(folder).resolve()).as_posix()
        except ValueError:
            continue
        return f"templates/{rel}" + (" (default theme)" if number else "")
    return str(path)


def _runtime_problem(env: jinja2.Environment, template: str, path: str, exc: Exception
                     ) -> Problem:
    """Find the innermost template line in the traceback of an error raised while rendering."""
    tb = exc.__traceback__
    where, line = template_name(env, template), None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".txt", ".json", ".svg")):
            where, line = _short(env, Path(filename)), tb.tb_lineno
        tb = tb.tb_next
    return Problem(where, line, None, f"template error while rendering {path}: {exc}")
