"""Template helpers for the face of an event (cards and pages): what a date leaves open,
a source's language by name, an image's address."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from babel import UnknownLocaleError

from generator.content.hedges import HEDGES, hedges
from generator.content.model import Event, Media, safe_url
from generator.site.i18n import language_name
from generator.site.surfaced import show_on_card


def readable_language(code: str, language: str) -> str:
    """'Korean' on an English page, '한국어' on a Korean one; the code itself when CLDR does
    not know it (a source's ``language`` is the editor's text)."""
    try:
        return language_name(code, language)
    except (UnknownLocaleError, ValueError, TypeError):
        return code


def is_remote(media: Media) -> bool:
    return safe_url(media.src) is not None


def page_hedges(events: Iterable[Event]) -> tuple[str, ...]:
    """Every way a date among ``events`` is hedged, once each, in ``HEDGES`` order: what a
    page of cards explains in its key."""
    found = {h for event in events for h in hedges(event.date)}
    return tuple(h for h in HEDGES if h in found)


def face_globals(language: str) -> dict[str, Callable[..., Any]]:
    """The helpers ``_event.html``, ``event.html``, ``_date.html`` and ``_sources.html``
    call, for pages in ``language``."""
    return {"hedges": hedges, "is_remote": is_remote, "page_hedges": page_hedges,
            "source_language": lambda code: readable_language(code, language),
            "surfaced_on_card": show_on_card}
