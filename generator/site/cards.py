"""Which cards a site's pages show: an event's card on the lists, or its line on the
chronology, each drawn once and kept by ``card_key`` (the incremental layer's key)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from generator.content.model import Event

if TYPE_CHECKING:
    from generator.site.plan import PageJob

CARD = "_event.html"
"""The template of an event's card on the lists."""


def card_key(event: Event, template: str = CARD) -> str:
    """Where an event's card (or the chronology's line, ``template``) is kept: by the
    event's key, which changes with its content and language."""
    key = event.key or event.slug
    return key if template == CARD else f"{key}\0{template}"


def card_event(key: str) -> str:
    """The event key a card's key (``card_key``) was made from."""
    return key.partition("\0")[0]


def wanted_cards(jobs: Sequence[PageJob]) -> dict[str, tuple[Event, str]]:
    """(event, template) of each card the pages of ``jobs`` show, by its ``card_key``."""
    wanted: dict[str, tuple[Event, str]] = {}
    for job in jobs:
        for event in job.events:
            wanted.setdefault(card_key(event, job.card), (event, job.card))
    return wanted
