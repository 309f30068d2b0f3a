"""Read ``timeline.toml`` into a frozen, typed ``SiteConfig``; report every problem at once."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from generator.errors import Problem, SiteError, did_you_mean
from generator.symlinks import read_regular
from generator.toml_tables import (
    OVERVIEW,
    SourcesConfig,
    key_line,
    not_absolute,
    overview_lanes,
    sources_config,
)

CONFIG_NAME = "timeline.toml"
CONFIG_LIMIT = 1_000_000


@dataclass(frozen=True)
class SiteConfig:
    """Site-wide settings; YAML/TOML keys match the field names."""

    title: str
    """Site title, shown in the header, feeds and the browser tab."""
    description: str = ""
    """One sentence for the home page, feeds and link previews."""
    base_url: str = ""
    """Absolute URL where the site is published; feeds, sitemap and canonical links need it."""
    language: str = "en"
    """BCP 47 language of the site's text (``<html lang>``); the first of ``languages``."""
    languages: tuple[str, ...] = ()
    """``languages = ["en", "ko"]``: the languages the site is published in, the first at
    ``/`` and each other at ``/<lang>/``; empty for a site in ``language`` alone."""
    translations: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
    """``[translations.ko]``: the site's own text (``title``, ``description``) in each
    other language, as (language, ((key, text), ...)) pairs."""
    author: str = ""
    """Person or organisation responsible for the chronology (feeds, JSON-LD)."""
    allow_html: bool = False
    """Keep raw HTML in event bodies. Only for trusted sites: it is stripped by default."""
    page_size: int = 250
    """Events per list page (home, year, tag, place); longer lists paginate."""
    order: str = "newest-first"
    """``"newest-first"`` (a news chronology: the latest events on page 1) or
    ``"oldest-first"`` (a history read from its start), for every list of events."""
    introduction: str = ""
    """Markdown shown above the timeline on the home page."""
    large_image_mb: float = 2.0
    """An image in ``static/`` over this many megabytes (10⁶ bytes) is a warning."""
    share_images: bool = False
    """Draw each event page's share image (``og:image``, a 1200×630 PNG of its title, date
    and status); off by default: about 12 ms of processor time an image, on a cold build
    of ten thousand events in two languages minutes (then drawn once per content)."""
    sources: SourcesConfig = field(default_factory=SourcesConfig, repr=False, compare=False)
    """``[sources]``: link checking and archiving; no page depends on it (not in repr)."""
    untrusted: bool = False
    """``[safety] untrusted``: content comes from people the site does not trust (a CI build
    of contributions): no symlink may leave the site, templates run sandboxed and timed."""
    markdown_seconds: float = 2.0
    """``[safety] markdown_seconds``: the most one body may take to render; past it the
    event is refused, so no body can stall a build or the dev server."""
    template_seconds: float = 10.0
    """``[safety] template_seconds``: in untrusted mode, the most one page may take to
    render from the templates."""
    lanes: tuple[str, ...] = ()
    """``[overview] lanes``: tags as events write them, one lane of the overview strip each,
    in this order (an event goes in the first lane whose tag it has; the others in "Other")."""


_TYPES: dict[str, type] = {"allow_html": bool, "page_size": int, "large_image_mb": float,
                           "share_images": bool}
SAFETY: dict[str, type] = {"untrusted": bool, "markdown_seconds": float,
                           "template_seconds": float}
"""The keys of the ``[safety]`` table, with their types."""
ORDERS = ("newest-first", "oldest-first")
"""The values of ``order``, the default first."""
UNTRUSTED_ENV = "TIMELINE_UNTRUSTED"
"""Set to 1 by ``timeline build --untrusted``, so every stage and worker process knows."""


def parse_config(text: str, path: str = CONFIG_NAME) -> tuple[SiteConfig, list[Problem]]:
    """Parse TOML; return the config and its warnings, or raise ``SiteError`` with all errors."""
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"at line (\d+)", str(exc))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc)).lower()
        raise SiteError.one(path, int(match.group(1)) if match else None, None,
                            f"invalid TOML: {message}") from None
    except (ValueError, RecursionError):  # a 5,000-digit number; arrays 10,000 deep
        raise SiteError.one(path, None, None, "invalid TOML: too deep or too long") from None
    known = {f.name for f in fields(SiteConfig)}
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    for key, value in data.items():
        line = key_line(text, key)
        if key == "safety":
            problems += _safety(value, text, path, values)
            continue
        if key == "overview":
            values["lanes"] = overview_lanes(value, text, path, problems)
            continue
        if key not in known or key in SAFETY or key in OVERVIEW:
            hint = (" here: it goes in the [overview] table" if key in OVERVIEW else
                    did_you_mean(key, sorted(known)))
            problems.append(Problem(path, line, key, f"unknown setting{hint}", "warning"))
            continue
        if key == "sources":
            values[key] = sources_config(value, text, path, problems)
            continue
        if key in ("languages", "translations"):
            continue  # read with the others below
        expected = _TYPES.get(key, str)
        value = float(value) if expected is float and type(value) is int else value
        if type(value) is not expected:
            problems.append(Problem(path, line, key,
                                    f"expected {expected.__name__}, got {type(value).__name__}"))
            continue
        values[key] = value
    if not str(values.get("title", "")).strip() and "title" not in {p.field for p in problems}:
        problems.append(Problem(path, None, "title", "missing: every site needs a title"))
    if values.get("base_url"):
        try:
            values["base_url"] = check_base_url(values["base_url"])
        except ValueError as exc:
            problems.append(Problem(path, key_line(text, "base_url"), "base_url", str(exc)))
    if "languages" in data:
        problems += _languages(data["languages"], text, path, values)
    if "translations" in data:
        problems += _translations(data["translations"], text, path, values)
    if "page_size" in values and values["page_size"] < 1:
        problems.append(Problem(path, key_line(text, "page_size"), "page_size",
                                "must be 1 or more"))
    if "large_image_mb" in values and not values["large_image_mb"] > 0:
        problems.append(Problem(path, key_line(text, "large_image_mb"), "large_image_mb",
                                "must be more than 0"))
    if values.get("order", ORDERS[0]) not in ORDERS:
        problems.append(Problem(path, key_line(text, "order"), "order",
                                f"'{values.pop('order')}' is not an order: use "
                                + " or ".join(f'"{o}"' for o in ORDERS)))
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise SiteError(errors)
    return SiteConfig(**values), problems


def language_problem(code: str) -> str | None:
    """Why ``code`` is not a language CLDR knows, with the likely one ('kr' is Korea's
    country code: did you mean 'ko'?)."""
    from babel import Locale, UnknownLocaleError, languages

    try:
        Locale.parse(code, sep="-")
        return None
    except (UnknownLocaleError, ValueError, TypeError):
        pass
    spoken = languages.get_official_languages(code.upper()) if code.isalpha() else ()
    hint = f": did you mean '{spoken[0]}'?" if spoken else ""
    return f"'{code}' is not a language code CLDR knows{hint}"


def _languages(value: Any, text: str, path: str, values: dict[str, Any]) -> list[Problem]:
    """Read ``languages`` into ``values`` (and ``language``, its first); return problems."""
    line = key_line(text, "languages")
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        return [Problem(path, line, "languages", 'expected a list of language codes, '
                        'the default first: languages = ["en", "ko"]')]
    problems = [Problem(path, line, "languages", message) for message in
                map(language_problem, value) if message]
    if len(set(value)) != len(value):
        problems.append(Problem(path, line, "languages", "a language is listed twice"))
    if "language" in values and values["language"] != value[0]:
        problems.append(Problem(path, key_line(text, "language"), "language",
                                f"'{values['language']}' is not the first of languages "
                                f"('{value[0]}'): drop language, or list it first"))
    values.pop("languages", None)
    if not problems:
        values["languages"], values["language"] = tuple(value), value[0]
    return problems


TRANSLATED = ("title", "description", "author")
"""The settings a site gives again in each other language, under ``[translations.LANG]``."""


def _translations(value: Any, text: str, path: str, values: dict[str, Any]) -> list[Problem]:
    """Read ``[translations.ko]`` tables: each language must be one of ``languages``."""
    line = key_line(text, "translations") or _table_line(text, "translations")
    if not isinstance(value, dict):
        return [Problem(path, line, "translations", "expected tables: [translations.ko]")]
    problems: list[Problem] = []
    found: list[tuple[str, tuple[tuple[str, str], ...]]] = []
    others = values.get("languages", ())[1:]
    own = values.get("language", "en")
    for code, table in value.items():
        where = _table_line(text, f"translations.{code}") or line
        if code == own and not others:  # left over from when the site had two languages
            problems.append(Problem(path, where, f"translations.{code}", f"unused: '{code}' "
                                    "is the site's only language, whose title and description "
                                    "are the ones above", "warning"))
            continue
        if code not in others:
            listed = ", ".join(f'"{c}"' for c in others) or "none"
            problems.append(Problem(path, where, f"translations.{code}", f"'{code}' is not one "
                                    f"of the other languages in languages ({listed})"))
            continue
        if not isinstance(table, dict):
            problems.append(Problem(path, where, f"translations.{code}", "expected a table"))
            continue
        items = []
        for key, item in table.items():
            if key not in TRANSLATED:
                hint = ", ".join(TRANSLATED)
                problems.append(Problem(path, key_line(text, key) or where,
                                        f"translations.{code}.{key}",
                                        f"not translatable (only {hint})", "warning"))
            elif not isinstance(item, str):
                problems.append(Problem(path, key_line(text, key) or where,
                                        f"translations.{code}.{key}", "expected text"))
            else:
                items.append((key, item))
        found.append((code, tuple(items)))
    values["translations"] = tuple(sorted(found))
    return problems


def _table_line(text: str, name: str) -> int | None:
    match = re.search(rf"^[ \t]*\[{re.escape(name)}\]", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else None


def in_language(config: SiteConfig, language: str) -> SiteConfig:
    """The config as pages in ``language`` show it: that ``language``, and its title and
    description in it where ``[translations.LANG]`` gives them."""
    if language == config.language:
        return config
    texts = {key: text for code, items in config.translations if code == language
             for key, text in items}
    return replace(config, language=language, title=texts.get("title", config.title),
                   description=texts.get("description", config.description),
                   author=texts.get("author", config.author))


def _safety(table: Any, text: str, path: str, values: dict[str, Any]) -> list[Problem]:
    """Read the ``[safety]`` table into ``values``; return its problems."""
    line = key_line(text, "safety")
    if not isinstance(table, dict):
        return [Problem(path, line, "safety", "expected a table: [safety] on a line of its own")]
    problems = []
    for key, value in table.items():
        where = key_line(text, key, "safety") or line
        expected = SAFETY.get(key)
        if expected is None:
            hint = did_you_mean(key, sorted(SAFETY))
            problems.append(Problem(path, where, f"safety.{key}", f"unknown setting{hint}",
                                    "warning"))
        elif expected is float and type(value) in (int, float) and 0 < value < 3600:
            values[key] = float(value)
        elif expected is float:
            problems.append(Problem(path, where, f"safety.{key}",
                                    "expected a number of seconds, more than 0 and below 3600"))
        elif type(value) is not expected:
            problems.append(Problem(path, where, f"safety.{key}",
                                    f"expected {expected.__name__}, got {type(value).__name__}"))
        else:
            values[key] = value
    return problems


def template_budget(site: Path) -> float | None:
    """For stages handed no config (the template environment): ``template_seconds`` when
    the site is built in untrusted mode (``--untrusted`` or ``[safety] untrusted = true``),
    else None."""
    try:
        data = tomllib.loads(read_regular(site / CONFIG_NAME, CONFIG_LIMIT).decode("utf-8"))
    except (OSError, ValueError, RecursionError):  # reported by load_config
        data = {}
    table = data.get("safety")
    table = table if isinstance(table, dict) else {}
    if os.environ.get(UNTRUSTED_ENV) != "1" and table.get("untrusted") is not True:
        return None
    seconds: Any = table.get("template_seconds")
    ok = type(seconds) in (int, float) and 0 < seconds < 3600
    return float(seconds) if ok else SiteConfig.template_seconds


def load_config(site: Path) -> tuple[SiteConfig, list[Problem]]:
    """Read ``SITE/timeline.toml``."""
    path = site / CONFIG_NAME
    if not path.is_file():
        raise SiteError.one(CONFIG_NAME, None, None,
                            f"not found in {site}: is this a timeline site? (`timeline init DIR`)")
    try:
        raw = read_regular(path, CONFIG_LIMIT)
    except OSError as exc:
        raise SiteError.one(CONFIG_NAME, None, None, f"cannot be read ({exc.strerror})"
                            ) from None
    if len(raw) > CONFIG_LIMIT:
        raise SiteError.one(CONFIG_NAME, None, None, "file is over 1 MB: refused")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SiteError.one(CONFIG_NAME, raw.count(b"\n", 0, exc.start) + 1, None,
                            f"not valid UTF-8 (byte {exc.start})") from None
    config, problems = parse_config(text)
    if os.environ.get(UNTRUSTED_ENV) == "1":
        config = replace(config, untrusted=True)
    return config, problems


EXAMPLE_HOSTS = ("example.org", "example.com", "example.net", "example.edu")


def publish_problem(config: SiteConfig) -> str | None:
    """Why ``base_url`` cannot be where the site is published: empty, or an example."""
    if not config.base_url:
        return ("empty: permalinks, the feed, the sitemap and embed codes need the address "
                'where the site is published: set base_url = "https://..."')
    host = (urlsplit(config.base_url).hostname or "").removeprefix("www.")
    if host in EXAMPLE_HOSTS or host.endswith((".example", *(f".{h}" for h in EXAMPLE_HOSTS))):
        return (f"'{config.base_url}' is an example address: set base_url to where the site "
                "is published")
    return None


def base_url_warnings(config: SiteConfig) -> list[Problem]:
    """A site without ``base_url`` builds, but its links to itself have no address: what
    ``build`` and ``check`` both say."""
    if config.base_url:
        return []
    return [Problem(CONFIG_NAME, None, "base_url", "empty: permalinks, the feed, the sitemap "
                    "and embed codes need the address where the site is published", "warning")]


def check_base_url(base_url: str) -> str:
    """Return the URL ending in ``/``, or raise ``ValueError`` if it is not absolute http(s)."""
    if not_absolute(base_url.strip()):
        raise ValueError(f"'{base_url}' is not an absolute http(s) URL")
    url = base_url.strip()
    return url if url.endswith("/") else url + "/"


def with_base_url(config: SiteConfig, base_url: str) -> SiteConfig:
    """Return the config with ``base_url`` replaced (``build --base-url``)."""
    try:
        return replace(config, base_url=check_base_url(base_url))
    except ValueError as exc:
        raise SiteError.one("--base-url", None, None, str(exc)) from None


def today() -> str:
    """The day of this build, as ``YYYY-MM-DD``: it decides which days lie in the future
    (warnings a kept parse asks again each day) and dates a preview's drafts."""
    import datetime as dt

    return dt.date.today().isoformat()

def site_languages(config: SiteConfig) -> tuple[str, ...]:
    """Every language the site is published in, the default (at ``/``) first."""
    return config.languages or (config.language,)


def language_prefix(config: SiteConfig) -> str:
    """Where the pages of ``config.language`` live: '' for the site's first, else 'ko/'."""
    return "" if config.language == site_languages(config)[0] else f"{config.language}/"
