"""Dates as readers of one language read them: CLDR patterns through Babel, never our own
month tables. What CLDR has no pattern for (seasons, "c.", "onwards", BCE, decades) is a
gettext message in the language's catalog, with the CLDR-formatted date put in.

Babel formats the years datetime can hold (1 to 9999); other years (BCE, far future) use
the catalog's year pattern and CLDR's month names, so every date has a form in every
language.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Protocol

from babel import Locale
from babel.dates import (
    PATTERN_CHAR_ORDER,
    DateTimeFormat,
    DateTimePattern,
    format_interval,
    get_date_format,
    get_month_names,
    match_skeleton,
    parse_pattern,
)
from babel.numbers import format_decimal

from generator.content.dates import EventDate, PartialDate


class Catalog(Protocol):
    """What the formatter needs of a gettext catalog (``babel.support.Translations``)."""

    def gettext(self, message: str) -> str: ...
    def pgettext(self, context: str, message: str) -> str | object: ...


def N_(message: str) -> str:  # noqa: N802 (gettext's name for "extract, do not translate")
    """Mark a message for ``pybabel extract -k N_``; it is translated where it is used."""
    return message


SEASONS = {21: N_("Spring {year}"), 22: N_("Summer {year}"), 23: N_("Autumn {year}"),
           24: N_("Winter {year}")}
"""CLDR names no seasons; the catalog says where the year goes ('{year}년 봄')."""

CLDR_LOCALES = {"en": "en_GB"}
"""The CLDR locale for a site language: English is written the British way (11 September
2017), as the chronology always was."""


def cldr_locale(language: str) -> Locale:
    return _locale(CLDR_LOCALES.get(language, language))


@functools.cache
def _locale(code: str) -> Locale:
    return Locale.parse(code.replace("-", "_"))


def format_number(number: int, language: str) -> str:
    """'10,000': grouped as the language groups digits."""
    return format_decimal(number, locale=cldr_locale(language))


def _in_range(year: int) -> bool:
    return 1 <= year <= 9999


def year_text(year: int, language: str, catalog: Catalog) -> str:
    """'2017' / '2017년', '44 BCE' / '기원전 44년' (astronomical year 0 is 1 BCE)."""
    if year <= 0:
        return catalog.gettext("{year} BCE").format(year=1 - year)
    if _in_range(year):
        locale = cldr_locale(language)
        return _pattern(locale, "y").apply(dt.date(year, 1, 1), locale)
    return str(catalog.pgettext("year", "{year}")).format(year=year)


def _plain(date: PartialDate, language: str, catalog: Catalog) -> str:
    locale = cldr_locale(language)
    if date.precision in ("decade", "century"):
        if date.year > 0:
            return catalog.gettext("{year}s").format(year=date.year)
        return catalog.gettext("{start} – {end}").format(
            start=year_text(date.year, language, catalog),
            end=year_text(date.latest()[0], language, catalog))
    if date.season is not None:
        return catalog.gettext(SEASONS[date.season]).format(
            year=_bare_year(date.year, catalog))
    if date.month is None:
        return year_text(date.year, language, catalog)
    if _in_range(date.year):
        day = dt.date(date.year, date.month, date.day or 1)
        out = _pattern(locale, "yMMMM" if date.day is None else "long").apply(day, locale)
    else:
        month = get_month_names("wide", locale=locale)[date.month]
        year = year_text(date.year, language, catalog)
        out = (catalog.gettext("{month} {year}").format(month=month, year=year)
               if date.day is None else
               catalog.gettext("{day} {month} {year}").format(day=date.day, month=month,
                                                              year=year))
    if date.time is not None:
        clock, zone = date.time[:8], date.time[8:]
        shown = clock[:5] if clock.endswith(":00") else clock
        shown += " UTC" if zone == "Z" else f" {zone}" if zone else ""
        out = catalog.gettext("{date}, {time}").format(date=out, time=shown)
    return out


@functools.cache
def _pattern(locale: Locale, form: str) -> DateTimePattern:
    """The pattern Babel's ``format_date`` (form 'long') or ``format_skeleton`` (a skeleton,
    matched fuzzily) formats a date of ``locale`` with, found once: looking it up again
    for each of ten thousand dates costs more than formatting them."""
    if form == "long":
        return parse_pattern(get_date_format("long", locale=locale))
    skeletons = locale.datetime_skeletons
    return parse_pattern(skeletons[form if form in skeletons
                                   else match_skeleton(form, skeletons)])


def _bare_year(year: int, catalog: Catalog) -> str:
    """A year inside a catalog pattern that says the rest ('{year}년 봄')."""
    return str(year) if year > 0 else catalog.gettext("{year} BCE").format(year=1 - year)


def partial_text(date: PartialDate, language: str, catalog: Catalog) -> str:
    """One date with its qualifiers: 'c. 2017' / '2017년경', 'September 2017?'."""
    plain = _plain(date, language, catalog)
    if date.approximate and date.uncertain:
        return catalog.gettext("c. {date}?").format(date=plain)
    if date.approximate:
        return catalog.gettext("c. {date}").format(date=plain)
    if date.uncertain:
        return catalog.gettext("{date}?").format(date=plain)
    return plain


_SKELETONS = {"year": "y", "month": "yMMMM", "day": "yMMMMd"}


def date_text(date: EventDate, language: str, catalog: Catalog) -> str:
    """A date or interval, the shared parts said once through CLDR's interval formats:
    'September – December 2017' / '2017년 9월~12월', '2017 onwards' / '2017년 이후'."""
    s, e = date.start, date.end
    if s is None:
        first = partial_text(date.end, language, catalog) if date.end else ""
        message = N_("until {date}") if date.start_open == "open" else N_("? – {date}")
        return catalog.gettext(message).format(date=first)
    if e is None:
        one = partial_text(s, language, catalog)
        if date.end_open is None:
            return one
        message = N_("{date} onwards") if date.end_open == "open" else N_("{date} – ?")
        return catalog.gettext(message).format(date=one)
    a, b = partial_text(s, language, catalog), partial_text(e, language, catalog)
    if a == b:
        return a
    qualified = s.approximate or s.uncertain or e.approximate or e.uncertain
    skeleton = _SKELETONS.get(s.precision)
    if (not qualified and skeleton and s.precision == e.precision
            and _in_range(s.year) and _in_range(e.year)):
        since, until = dt.date(*s.earliest()), dt.date(*e.earliest())
        return interval(since, until, skeleton, cldr_locale(language))
    # Shortening a qualified side would blur which side the qualifier is on.
    return catalog.gettext("{start} – {end}").format(start=a, end=b)


def interval(since: dt.date, until: dt.date, skeleton: str, locale: Locale) -> str:
    """``format_interval``, with the field widths the skeleton asks for: where the locale
    has no interval pattern for 'yMMMMd' and Babel falls back to 'yMMMd', CLDR (TR35,
    intervalFormats) widens MMM to MMMM; Babel does not, and would say 'Sept'."""
    formats = locale.interval_formats
    best = skeleton if skeleton in formats else match_skeleton(skeleton, formats)
    if not best or since == until:
        return format_interval(since, until, skeleton, locale=locale)
    widen = "MMMM" in skeleton and "MMMM" not in best
    first, last = DateTimeFormat(since, locale=locale), DateTimeFormat(until, locale=locale)
    for letter in PATTERN_CHAR_ORDER:  # the largest field that differs picks the pattern
        if letter in formats[best] and first.extract(letter) != last.extract(letter):
            return "".join(
                parse_pattern(_WIDE.sub("MMMM", pattern) if widen else pattern)
                .apply(instant, locale)
                for pattern, instant in zip(formats[best][letter], (since, until),
                                            strict=True))
    return format_interval(since, until, skeleton, locale=locale)


_WIDE = re.compile(r"(?<!M)MMM(?!M)")


def day_text(ymd: tuple[int, int, int], language: str, catalog: Catalog) -> str:
    """'3 October 2017' / '2017년 10월 3일': a single day (when a source was reported)."""
    y, m, d = ymd
    return partial_text(PartialDate(y, m, d, precision="day"), language, catalog)
