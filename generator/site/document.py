"""An export as a structured document: what comes before the events, one part per event,
what goes between them, and what comes after. Exports return documents and never know
whether a part is made now or reused from an earlier build; the incremental layer may do
either, since a part depends on its event alone."""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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


@dataclass(frozen=True)
class Gathered:
    """Files made from one value per event (a search index): ``each`` makes an event's value
    from that event alone, so the incremental layer may keep it; ``files`` makes the files,
    named under the export's folder, from all the values in timeline order."""

    kind: str
    """Names how values are made: two of one kind give an event the same value."""
    events: Sequence[Event]
    each: Callable[[Event], Any]
    files: Callable[[list[Any]], dict[str, bytes]]

    def keys(self) -> tuple[str, ...]:
        return tuple(map(_key, self.events))

    def made(self, values: list[Any] | None = None) -> dict[str, bytes]:
        """The files; ``values``, when given, are the events' values in order."""
        return self.files(list(map(self.each, self.events)) if values is None else values)


Export = Document | Gathered | bytes
"""What an export step returns for a path: a document, a folder of gathered files, or bytes."""


_key = operator.attrgetter("key")
