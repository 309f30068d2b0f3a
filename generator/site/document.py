"""An export as a structured document: what comes before the events, one part per event,
what goes between them, and what comes after. Exports return documents and never know
whether a part is made now or reused from an earlier build; the incremental layer may do
either, since a part depends on its event alone."""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.content.model import Event

Piece = bytes | memoryview
Pieces = list[Piece]
"""A file as the pieces it is written from: tens of megabytes are never joined in memory."""


@dataclass(frozen=True)
class Document:
    """``head``, each event's part between ``separator``s, and ``tail``."""

    kind: str
    """Names how parts are made: two documents of one kind have equal parts for an event."""
    head: bytes
    separator: bytes
    tail: bytes
    events: Sequence[Event]
    part: Callable[[Event], bytes]

    def keys(self) -> tuple[str, ...]:
        return tuple(map(_key, self.events))

    def pieces(self, parts: Sequence[Piece] | None = None) -> Pieces:
        """The whole file; ``parts``, when given, are the events' parts in order."""
        items = list(map(self.part, self.events)) if parts is None else list(parts)
        if not items:
            return [self.head, self.tail]
        pieces: Pieces = [b""] * (2 * len(items) + 1)
        pieces[0], pieces[-1] = self.head, self.tail
        pieces[1:-1:2] = items
        pieces[2:-1:2] = [self.separator] * (len(items) - 1)
        return pieces


_key = operator.attrgetter("key")
