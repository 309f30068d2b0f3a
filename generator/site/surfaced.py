"""When a claim surfaced: the first report of an event, said beside its date.

"c. April 2017?" tells a reader little until it says the claim was first reported on
3 October 2017 by UPI citing Radio Free Asia: a date known only from a later report is a
different kind of fact from one seen as it happened.
"""

from __future__ import annotations

from collections.abc import Callable

from babel.support import Translations

from generator.content.model import Event, Source
from generator.site.datetext import day_text, partial_text

HEDGED = ("approximate", "uncertain")
"""The hedges that make a card say when the claim surfaced."""


def first_source(event: Event) -> Source | None:
    """The source with the earliest ``published`` day (the first written, on a tie)."""
    dated = [s for s in event.sources if s.published is not None]
    return min(dated, key=lambda s: s.published.earliest() if s.published else (0, 0, 0),
               default=None)


def surfaced_late(event: Event) -> bool:
    """The first report came more than a month after the latest day the event can have
    begun: the date was learnt afterwards."""
    first = first_source(event)
    if first is None or first.published is None:
        return False
    y, m, d = event.date.first.latest()
    month_later = (y + m // 12, m % 12 + 1, d)
    return first.published.earliest() > month_later


def show_on_card(event: Event) -> bool:
    """A card says when the claim surfaced only where that changes how to read its date:
    a date hedged as approximate or uncertain, or first reported more than a month later."""
    from generator.content.hedges import hedges

    if first_source(event) is None:
        return False
    return any(h in HEDGED for h in hedges(event.date)) or surfaced_late(event)


def first_reported(event: Event, language: str, catalog: Translations) -> str:
    """'First reported 3 October 2017 (UPI, citing Radio Free Asia)', or '' when no source
    says when it was published."""
    source = first_source(event)
    if source is None or source.published is None:
        return ""
    p = source.published
    when = (day_text(p.earliest(), language, catalog) if p.precision == "day"
            else partial_text(p, language, catalog))
    who, via = source.publisher, source.via
    messages: dict[tuple[bool, bool], Callable[[], str]] = {
        (True, True): lambda: catalog.gettext("First reported {when} ({who}, citing {via})"),
        (True, False): lambda: catalog.gettext("First reported {when} ({who})"),
        (False, True): lambda: catalog.gettext("First reported {when} (citing {via})"),
        (False, False): lambda: catalog.gettext("First reported {when}"),
    }
    return messages[(bool(who), bool(via))]().format(when=when, who=who, via=via)


def said_day(iso: str, language: str, catalog: Translations) -> str:
    """'5 March 2024' / '2024년 3월 5일' for a ``YYYY-MM-DD`` day (``updated:``, corrections)."""
    year, month, day = iso.removeprefix("-").split("-")
    sign = -1 if iso.startswith("-") else 1
    return day_text((sign * int(year), int(month), int(day)), language, catalog)
