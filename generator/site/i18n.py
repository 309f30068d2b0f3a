"""The interface language of a page: gettext catalogs (Babel's Translations), installed
into Jinja with ``jinja2.ext.i18n``, and the helpers templates use to say dates, numbers,
language names and tag labels in that language.

The theme's catalogs ship in ``generator/locales/<lang>/LC_MESSAGES/messages.mo``; a site
may add ``locales/<lang>/LC_MESSAGES/messages.po`` for its own templates' strings, which
take precedence.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from pathlib import Path

import jinja2
from babel.dates import get_month_names
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.support import Translations
from markupsafe import Markup

from generator.content.dates import EventDate, PartialDate
from generator.content.model import Era, Event, Source
from generator.errors import SiteError
from generator.interop.timelinejs import SlideWords
from generator.site.datetext import (
    N_,
    cldr_locale,
    date_text,
    day_text,
    format_number,
    partial_text,
    year_text,
)
from generator.site.folding import fold_into
from generator.site.overview_words import OverviewWords
from generator.site.surfaced import first_reported, said_day
from generator.site.theme import site_catalogs
from generator.symlinks import INPUT_LIMIT, read_regular

LOCALES = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"


@functools.cache
def theme_catalog(language: str) -> Translations:
    """The theme's own catalog (English for a language it lacks), for text made outside
    the templates (the dev server's overlay)."""
    catalog = Translations.load(str(LOCALES), [language], DOMAIN)
    return catalog if isinstance(catalog, Translations) else Translations()


def load_catalog(site: Path, language: str) -> Translations:
    """The theme's catalog for ``language``, with the site's own one merged over it."""
    catalog = Translations.load(str(LOCALES), [language], DOMAIN)
    if not isinstance(catalog, Translations):  # no catalog: English as written
        catalog = Translations()
    own = site_catalogs(site) / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if own.is_file():
        try:
            catalog.merge(_compiled(own, own.stat().st_mtime_ns))
        except (PoFileError, ValueError, LookupError, ArithmeticError, RecursionError) as exc:
            rel = own.relative_to(site).as_posix() if own.is_relative_to(site) else str(own)
            line = getattr(exc, "lineno", None)
            why = str(exc).removesuffix(f" on {line}")
            raise SiteError.one(rel, None if line is None else line + 1, None,
                                f"not a catalog gettext can read: {why}") from None
    return catalog


@functools.cache
def _compiled(path: Path, _stamp: int) -> Translations:
    """The site's catalog compiled; Babel's error (with its 0-based line) if it is not one,
    rather than its warnings printed and the rest guessed."""
    import io

    raw = read_regular(path)  # only a regular file: not a FIFO, nor /dev/zero
    if len(raw) > INPUT_LIMIT:
        raise SiteError.one(f"locales/{path.parent.parent.name}/LC_MESSAGES/{path.name}", None,
                            None, f"file is over {INPUT_LIMIT // 1_000_000} MB: refused")
    messages = read_po(io.BytesIO(raw), abort_invalid=True)
    buffer = io.BytesIO()
    write_mo(buffer, messages)
    buffer.seek(0)
    compiled = Translations(buffer, DOMAIN)
    for n in range(200):  # a plural rule that fails on a count (n/0) fails here, once
        compiled.plural(n)
    return compiled


def language_name(code: str, language: str) -> str:
    """'English' on an English page, '영어' on a Korean one."""
    name = cldr_locale(code).get_display_name(cldr_locale(language)) or code
    return name if code != "en" else (cldr_locale("en").get_language_name(
        cldr_locale(language)) or name)


def own_name(code: str) -> str:
    """A language's name in itself, for the switcher: 'English', '한국어'."""
    return language_name(code, code)


def install(env: jinja2.Environment, site: Path, language: str, default: str,
            labels: Mapping[str, str]) -> None:
    """Make ``env`` speak ``language``: its catalog and the helpers that use it."""
    catalog = load_catalog(site, language)
    env.install_gettext_translations(catalog, newstyle=True)  # type: ignore[attr-defined]
    fold_into(env, catalog, language)  # fixed strings are translated when compiled
    # The rest are called on every page: Jinja's newstyle functions, without their second
    # trip through the context to the catalog (and ``_`` is the function, not an alias).
    env.globals.update(_=_gettext(catalog), gettext=_gettext(catalog),
                       ngettext=_ngettext(catalog))

    def text_lang(item: Event | Era) -> Markup:
        # An untranslated event or era keeps its original text, marked as being in that
        # language.
        shown = item.text_language or default
        return Markup(f' lang="{shown}"') if shown != language else Markup("")  # noqa: S704

    def status_label(status: str) -> str:
        return status_name(status, catalog)

    said: dict[EventDate, str] = {}

    def show_date(date: EventDate) -> str:
        # An event's date is said on its card, its page and its neighbours' pages.
        text = said.get(date)
        if text is None:
            text = said[date] = date_text(date, language, catalog)
        return text

    env.globals.update(
        lang=language, default_language=default, show_date=show_date,
        number=functools.lru_cache(maxsize=4096)(lambda n: format_number(n, language)),
        language_name=lambda code: language_name(code, language),
        text_lang=text_lang, status_label=status_label,
        label=lambda name: labels.get(name, name),
        reported=lambda source: reported(source, language, catalog),
        first_reported=lambda event: first_reported(event, language, catalog),
        say_day=lambda iso: said_day(iso, language, catalog),
    )


def _gettext(catalog: Translations) -> Callable[..., str]:
    """``jinja2.ext.i18n``'s newstyle ``gettext``: ``Markup`` where the template escapes,
    always formatted with its values."""
    find = catalog.gettext

    @jinja2.pass_eval_context
    def gettext(eval_ctx: jinja2.nodes.EvalContext, string: str, /, **variables: object
                ) -> str:
        text = find(string)
        # A translation is the theme's own text, trusted as Jinja's i18n trusts it;
        # the variables are escaped by Markup's %.
        return (Markup(text) if eval_ctx.autoescape else text) % variables  # noqa: S704

    return gettext


def _ngettext(catalog: Translations) -> Callable[..., str]:
    """Its newstyle ``ngettext``: the number is ``num`` unless given."""
    find = catalog.ngettext

    @jinja2.pass_eval_context
    def ngettext(eval_ctx: jinja2.nodes.EvalContext, singular: str, plural: str,
                 count: int, /, **variables: object) -> str:
        variables.setdefault("num", count)
        text = find(singular, plural, count)
        # A translation is the theme's own text, trusted as Jinja's i18n trusts it;
        # the variables are escaped by Markup's %.
        return (Markup(text) if eval_ctx.autoescape else text) % variables  # noqa: S704

    return ngettext


def reported(source: Source, language: str, catalog: Translations) -> str:
    """'Reported 3 October 2017 by UPI, citing Radio Free Asia': the report, not the event."""
    when = ""
    if source.published is not None:
        p = source.published
        when = (day_text(p.earliest(), language, catalog) if p.precision == "day"
                else partial_text(p, language, catalog))
    who, via = source.publisher, source.via
    messages: dict[tuple[bool, bool, bool], str] = {
        (True, True, True): catalog.gettext("Reported {when} by {who}, citing {via}"),
        (True, True, False): catalog.gettext("Reported {when} by {who}"),
        (True, False, True): catalog.gettext("Reported {when}, citing {via}"),
        (True, False, False): catalog.gettext("Reported {when}"),
        (False, True, True): catalog.gettext("Reported by {who}, citing {via}"),
        (False, True, False): catalog.gettext("Reported by {who}"),
        (False, False, True): catalog.gettext("Reported, citing {via}"),
    }
    message = messages.get((bool(when), bool(who), bool(via)))
    return message.format(when=when, who=who, via=via) if message else ""


def script_strings(strings: Mapping[str, str]) -> bytes:
    """The strings ``timeline.js`` shows, as the JSON a page loads."""
    import json

    return json.dumps(dict(strings), ensure_ascii=False, sort_keys=True, indent=1).encode() + b"\n"


OVERVIEW_UNITS = {"month": N_("month"), "year": N_("year"), "decade": N_("decade"),
                  "century": N_("century"), "millennium": N_("millennium")}


OVERVIEW_STATUSES = {"confirmed": N_("confirmed"), "reported": N_("reported"),
                     "disputed": N_("disputed")}
"""A status inside a sentence ('… (confirmed)'), lower case in English."""


def status_name(status: str, catalog: Translations) -> str:
    names = {"confirmed": catalog.gettext("Confirmed"),
             "disputed": catalog.gettext("Disputed"),
             "reported": catalog.gettext("Reported")}
    return names.get(status, status.capitalize())


def date_teller(language: str) -> Callable[[EventDate], str]:
    """How pages in ``language`` say a date (for files made outside the templates)."""
    catalog = theme_catalog(language)
    return lambda date: date_text(date, language, catalog)


def slide_words(language: str) -> SlideWords:
    """What ``language``'s TimelineJS export says: its dates and the sources' heading."""
    catalog = theme_catalog(language)

    def published(p: PartialDate) -> str:
        return (day_text(p.earliest(), language, catalog) if p.precision == "day"
                else partial_text(p, language, catalog))
    return SlideWords(date=date_teller(language), published=published,
                      sources=catalog.gettext("Sources: ").strip(),
                      citing=catalog.gettext("Reported, citing {via}"),
                      archived=catalog.gettext("archived copy"))


def overview_words(language: str) -> OverviewWords:
    """What the overview strip says in ``language``: dates by Babel, counts with the
    catalog's plurals, months from CLDR."""
    catalog = theme_catalog(language)
    locale = cldr_locale(language)
    short = get_month_names("abbreviated", locale=locale)

    def count(n: int) -> str:
        return catalog.ngettext("%(num)s event", "%(num)s events", n) % {
            "num": format_number(n, language)}

    def summary(counted: str, first: str, last: str, unit: str, busiest: str,
                most: str) -> str:
        message = (catalog.gettext("{count} in {first}; the busiest {unit} is {busiest}, "
                                   "with {most}.") if first == last else
                   catalog.gettext("{count} from {first} to {last}; the busiest {unit} is "
                                   "{busiest}, with {most}."))
        return message.format(count=counted, first=first, last=last, unit=unit,
                              busiest=busiest, most=most)

    return OverviewWords(
        date=lambda date: date_text(date, language, catalog), count=count,
        year=lambda year: year_text(year, language, catalog),
        month=lambda year, month: partial_text(
            PartialDate(year, month + 1, precision="month"), language, catalog),
        tick_month=lambda month: short[month + 1],
        decade=lambda year: catalog.gettext("{year}s").format(year=year),
        years=lambda a, b: catalog.gettext("{start} – {end}").format(start=a, end=b),
        unit=lambda name: catalog.gettext(OVERVIEW_UNITS.get(name, name)),
        status=lambda status: catalog.gettext(OVERVIEW_STATUSES.get(status, status)),
        fuzzy=catalog.gettext(" (approximate or uncertain date)"), summary=summary,
        other=str(catalog.pgettext("overview lane", "Other")))
