"""A site in several languages: the default at ``/``, each other at ``/<lang>/`` with the
same layout. Each language's pages are planned by ``plan_site`` from that language's
timeline and prefixed here, so they go through the same render, write and reuse path; their
inputs name the language, so the incremental layer keys them apart.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from generator.config import SiteConfig, in_language, site_languages
from generator.content.loading import Timeline
from generator.content.model import Era
from generator.content.translations import Translation, localise_event, localise_page
from generator.errors import Problem
from generator.hashing import text_digest
from generator.site.datetext import N_
from generator.site.maps import with_maps
from generator.site.plan import PageJob, absolute_url, plan_site, root_of

SHARED = ("sitemap.xml", "_redirects")
"""Files made once for the whole site, in the default language. Each language has its own
404 page (``/ko/404.html``) and its own pages for aliases (``/ko/events/<old-slug>/``)."""


def language_timeline(timeline: Timeline, language: str, default: str) -> Timeline:
    """The timeline as the pages of ``language`` show it: every event, translated where a
    translation exists, else in its original language (and marked so)."""
    if language == default:
        return timeline
    found: dict[str, Translation] = {t.original: t for t in timeline.translations
                                     if t.language == language}
    # A card shows its tags' and places' labels: changed labels make it again.
    labelled = text_digest(repr(timeline.labels_in(language)))[:12]
    events = tuple(localise_event(e, language, found.get(e.path), default, labelled)
                   for e in timeline.events)
    pages = tuple(localise_page(p, found.get(p.path), default) for p in timeline.pages)
    texts = next((dict((t, (title, summary)) for t, title, summary in given)
                  for code, given in timeline.era_texts if code == language), {})
    eras = tuple(localise_era(era, texts.get(era.title), language, default)
                 for era in timeline.eras)
    return replace(timeline, events=events, pages=pages, eras=eras)


def localise_era(era: Era, text: tuple[str, str] | None, language: str, default: str
                 ) -> Era:
    """The era in a language: its title and summary from ``eras.<lang>.yaml``, or the
    original's marked as in ``default``."""
    if text is None or not text[0]:
        return replace(era, text_language=default)
    return replace(era, title=text[0], summary=text[1] or era.summary,
                   text_language=language)


def plan_languages(timeline: Timeline, config: SiteConfig) -> list[PageJob]:
    """Every page of every language; a one-language site's pages are ``plan_site``'s."""
    languages = site_languages(config)
    default = languages[0]
    jobs = plan_site(timeline, config)
    if len(languages) == 1:
        return with_maps(jobs, timeline, default)
    paths = {job.path for job in jobs}
    for language in languages[1:]:
        local = language_timeline(timeline, language, default)
        for job in plan_site(local, in_language(config, language)):
            if job.path in SHARED:
                continue
            jobs.append(PageJob(f"{language}/{job.path}", job.template, job.make_context,
                                (*job.inputs, language), job.events, job.card, language=language,
                                source=job.source, share=job.share))
    return [_with_sitemap(job, config, paths) if job.path == "sitemap.xml" else
            _with_elsewhere(job, config) if job.path == "404.html" else job
            for job in with_maps(jobs, timeline, default)]


MISSING = N_("Page not found")
GO = N_('<a href="%(home)s">Go to the timeline</a> or browse by <a href="%(years)s">year</a>, '
        '<a href="%(tags)s">tag</a> or <a href="%(places)s">place</a>.')


def _with_elsewhere(job: PageJob, config: SiteConfig) -> PageJob:
    """The site's 404 page, which a static host serves for a missing page in any language,
    says so in each other language too, linking to that language's pages."""
    from markupsafe import Markup, escape

    from generator.site.i18n import theme_catalog

    make = job.make_context

    def context() -> dict[str, Any]:
        made = make()
        elsewhere = []
        for code in site_languages(config)[1:]:
            catalog, home = theme_catalog(code), root_of(job.path, config) + f"{code}/"
            links = {k: escape(home + v) for k, v in
                     (("home", ""), ("years", "years/"), ("tags", "tags/"),
                      ("places", "places/"))}
            # The theme's own message, trusted as its templates' are; the links escaped.
            elsewhere.append((code, catalog.gettext(MISSING),
                              Markup(catalog.gettext(GO)) % links))  # noqa: S704
        made["elsewhere"] = elsewhere
        return made
    return replace(job, make_context=context, inputs=(*job.inputs, site_languages(config)))


def _with_sitemap(job: PageJob, config: SiteConfig, paths: set[str]) -> PageJob:
    """The sitemap lists each page once, with its counterparts in every language."""
    make = job.make_context

    def context() -> dict[str, Any]:
        made = make()
        own = made["paths"]
        made["paths"] = [*own, *(f"{code}/{p}" for code in site_languages(config)[1:]
                                 for p in own)]
        made["alternates_of"] = {p: alternates(config, p) for p in made["paths"]}
        return made
    return replace(job, make_context=context, inputs=(*job.inputs, site_languages(config)))


def unprefixed(path: str, config: SiteConfig) -> tuple[str, str]:
    """('ko', 'events/x/index.html') for 'ko/events/x/index.html'."""
    head, _, rest = path.partition("/")
    if rest and head in site_languages(config)[1:]:
        return head, rest
    return site_languages(config)[0], path


def _prefix(language: str, config: SiteConfig) -> str:
    return "" if language == site_languages(config)[0] else f"{language}/"


def alternates(config: SiteConfig, path: str) -> list[tuple[str, str]]:
    """(hreflang, absolute URL) of the page at ``path`` in every language, and x-default."""
    languages = site_languages(config)
    _, base = unprefixed(path, config)
    if len(languages) == 1 or not base.endswith("index.html"):
        return []
    base = base.removesuffix("index.html")
    found = [(code, absolute_url(config, _prefix(code, config) + base)) for code in languages]
    return [*found, ("x-default", found[0][1])]


def switcher(config: SiteConfig, path: str, names: dict[str, str]) -> list[tuple[str, str,
                                                                                  str]]:
    """(code, name in itself, relative link) of this page in each language."""
    languages = site_languages(config)
    _, base = unprefixed(path, config)
    if len(languages) == 1 or not base.endswith("index.html") or base == "404.html":
        return []
    root = root_of(path, config)
    base = base.removesuffix("index.html")
    return [(code, names[code], (root + _prefix(code, config) + base) or "./")
            for code in languages]


def page_languages(config: SiteConfig, path: str, names: dict[str, str]
                   ) -> dict[str, Any]:
    """What ``base.html`` needs to link a page to its counterparts."""
    return {"alternates": alternates(config, path),
            "switcher": switcher(config, path, names),
            "og_locales": [og_locale(code) for code in site_languages(config)
                           if code != config.language]}


@functools.cache
def og_locale(code: str) -> str:
    """Open Graph's ``language_TERRITORY`` for a language: 'en_US' for 'en', 'ko_KR' for
    'ko', 'zh_TW' for 'zh-Hant' (CLDR's likely territory when the code names none)."""
    from babel import Locale
    from babel.core import get_global

    locale = Locale.parse(code, sep="-")
    likely = get_global("likely_subtags")
    territory = locale.territory or Locale.parse(
        likely.get(str(locale), likely.get(locale.language, locale.language))).territory
    return f"{locale.language}_{territory}" if territory else locale.language



SCRIPT_MESSAGES = (
    N_("Link copied"),
    N_("Link copied: {url}"),
    N_("Copy link"),
    N_("Copy this link:"),
    N_("Search could not load; filters still work."),
    N_("Text: "),
    N_("Sources: "),
    N_("Searching…"),
    N_("{events} in all; this page shows {shown}"),
    N_("Showing {shown} of {events}"),
    N_("Showing {shown} of {events} on this page"),
    N_(" matching “{query}”"),
    N_("Search and filters reset; {events}."),
    # asked.js: a URL that asks for nothing says so, with the nearest alternatives
    N_("No events in {years}"),
    N_("No events from {year} on"),
    N_("No events up to {year}"),
    N_("No tag “{value}”"),
    N_("No place “{value}”"),
    N_("No status “{value}”"),
    N_("All tags"),
    N_("All places"),
    N_("Any status"),
    # navigator.js: true totals under filters, and the overview's labels
    N_("page {number}"),
    N_("pages {first}–{last}"),
    N_("{matches}, all on this page"),
    N_("{matches}; {here} on this page, {elsewhere} on {pages}"),
    N_("{num} match the filters"),
    N_("hidden by the filters"),
    # zoom.js: the overview zoomed to the year filter, and its legend at that scale
    N_("Show all years"),
    N_("Zoomed to {range}."),
    N_("Each bar counts the events of one {unit} (the tallest: {num}); the dark part, "
       "those matching the filters. Choose a bar to go to its events."),
    N_("grey bars: events per {unit}"),
    N_("week"),
    N_("month"),
    N_("year"),
    N_("decade"),
    N_("century"),
    N_("millennium"),
    N_("{year} BCE"),
    N_("{year}s"),
    N_("{start} – {end}"),
)
"""The strings ``timeline.js`` shows; each page loads its language's ``strings.json``."""


def _matches(catalog: Any) -> Callable[[int], str]:
    def say(count: int) -> str:  # a call pybabel finds, to extract both forms
        return str(catalog.ngettext("%(num)s event matches", "%(num)s events match", count))
    return say


@functools.cache
def _plural_samples(language: str) -> dict[str, int]:
    """The first number (below 1,000) of each CLDR plural category of the language: the
    same in every build, and a thousand rule evaluations each time."""
    from generator.site.datetext import cldr_locale

    rule = cldr_locale(language).plural_form
    samples: dict[str, int] = {}
    for n in range(0, 1000):
        samples.setdefault(rule(n), n)
    return samples


def plural_forms(catalog: Any, language: str,
                 say: Callable[[int], str] | None = None) -> dict[str, str]:
    """'{num} event' for each CLDR plural category of the language ('one', 'other' …), as
    the browser's ``Intl.PluralRules`` names them, each from the catalog's plural form for a
    number of that category."""
    samples = _plural_samples(language)
    if say is None:
        def say(n: int) -> str:
            return str(catalog.ngettext("%(num)s event", "%(num)s events", n))
    return {category: say(n)
            .replace("%(num)s", "{num}") for category, n in sorted(samples.items())}


def language_exports(site: Any, timeline: Timeline, config: SiteConfig, language: str
                     ) -> list[tuple[str, Any]]:
    """The files made once for ``language``, by path, in the order they are made (a path
    twice is the output table's to tell): for the default language every export, at the
    root; for another, under its folder, its ``search.json``, ``nav.json``,
    ``timelinejs.json``, ``events.ics`` and ``events.csl.json`` (the data exports are the
    site's, made once); everywhere its ``strings.json``."""
    from generator.site.citefiles import citation_exports
    from generator.site.exports import export_documents
    from generator.site.i18n import date_teller, load_catalog, script_strings
    from generator.site.navdata import nav_files
    from generator.site.search import search_exports

    languages = site_languages(config)
    default, prefix = language == languages[0], _prefix(language, config)
    local, said = language_timeline(timeline, language, languages[0]), \
        in_language(config, language)
    say_date = date_teller(language)
    documents = export_documents(local, said)
    files: list[tuple[str, Any]] = [*documents.items()] if default else []
    files += search_exports(local, say_date, prefix,
                            None if default else timeline.labels_in(language)).items()
    files += nav_files(local, said, say_date, prefix).items()
    if not default:
        files.append((prefix + "timelinejs.json", documents["timelinejs.json"]))
        files.append((prefix + "events.ics", documents["events.ics"]))
        files += citation_exports(local, said, prefix).items()
    catalog = load_catalog(site, language)
    strings: dict[str, Any] = {m: catalog.gettext(m) for m in SCRIPT_MESSAGES}
    strings["events"] = plural_forms(catalog, language)
    strings["matches"] = plural_forms(catalog, language, _matches(catalog))
    files.append((prefix + "strings.json", script_strings(strings)))
    return files


def unlabelled(site: Any, timeline: Timeline, config: SiteConfig) -> list[Problem]:
    """A warning for each tag, place, era and status shown in another language of the site
    without a name in it: its pages would show the original's words."""
    from babel.support import Translations

    from generator.content.model import STATUSES
    from generator.site.i18n import load_catalog, status_name

    problems: list[Problem] = []
    used = {"tag": sorted({t for e in timeline.events for t in e.tags}),
            "place": sorted({p for e in timeline.events for p in e.places})}
    statuses = [s for s in STATUSES if any(e.status == s for e in timeline.events)]
    for language in site_languages(config)[1:]:
        labels, rel = timeline.labels_in(language), f"content/labels.{language}.yaml"
        for kind, names in used.items():
            problems += [Problem(rel, None, name, f"the {kind} has no {language} label: its "
                                 f"/{language}/ pages show it as written", "warning")
                         for name in names if name not in labels]
        named = {*used["tag"], *used["place"]}
        problems += [Problem(rel, None, name, "no event has this tag or place: a label left "
                             "over (renamed? rename-tag carries it)", "warning")
                     for name in sorted(labels) if name not in named]
        texts = {t for code, given in timeline.era_texts if code == language
                 for t, title, _ in given if title}
        problems += [Problem(f"content/eras.{language}.yaml", None, era.title,
                             f"the era has no {language} title: its /{language}/ pages show "
                             "it as written", "warning")
                     for era in timeline.eras if era.title not in texts]
        # The theme's messages are English: an English edition needs no catalog for them.
        catalog = load_catalog(site, language)
        problems += [Problem(f"locales/{language}/LC_MESSAGES/messages.po", None, "status",
                             f"'{status}' has no {language} name in the catalog", "warning")
                     for status in statuses if language.split("-")[0] != "en"
                     and status_name(status, catalog) == status_name(status, Translations())]
    return problems
