"""What ``serve`` wants of a rebuild, handed to the pipeline as its ``order`` and ``told``:
the pages browsers show, and those of the events just edited, are made first; once they
are made, with much of the site still to make, they are served over the last good site and
the browsers told, before the rest is made. The incremental layer (``MemoryState``) only
says what it reparsed and what is gone, and serves what it was told to.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.incremental.memory import MemoryState
    from generator.site.plan import PageJob

EARLY_FROM = 100
"""With this many pages still to make after the ones browsers show, those are shown first."""
EARLY_SITE = 1000
"""On a site of this many pages, the pages browsers show are shown first whatever else is
still to make: its exports (made after every page) alone take longer than those pages."""


class FirstPages:
    """One rebuild's wishes: ``order`` the pages to make, be ``told`` each file made."""

    def __init__(self, memory: MemoryState, shown: Collection[str],
                 early: Callable[[], None] | None) -> None:
        self.memory, self.shown, self.early = memory, frozenset(shown), early
        self.waiting: set[str] = set()
        """The pages to make first that are not made yet."""
        self.ahead = False
        """Whether to show what is made so far once those are made."""
        self.todo: set[str] = set()

    def order(self, todo: list[PageJob]) -> list[PageJob]:
        """The pages to make, those browsers show and the edited events' first."""
        memory = self.memory
        first = {*self.shown, *memory.fresh}
        self.waiting = {job.path for job in todo if job.path in first}
        if self.waiting:
            todo = sorted(todo, key=lambda job: job.path not in self.waiting)  # stable
        # A page a browser shows that is gone (its event deleted): shown gone at once.
        shown_gone = not memory.gone.isdisjoint(self.shown)
        self.ahead = self.early is not None and (bool(self.waiting) or shown_gone) and (
            len(todo) >= len(self.waiting) + EARLY_FROM or len(memory.next_pages) >= EARLY_SITE)
        if not self.ahead:
            self.waiting = set()  # little else to make: the site is shown whole
        memory.cards_as_asked = self.ahead  # a card when a page first shows it, not all first
        self.todo = {job.path for job in todo}
        return todo

    def told(self, rel: str) -> None:
        """A file is in memory: once the pages awaited are, serve them and say so."""
        self.waiting.discard(rel)
        if self.ahead and not self.waiting and rel in self.todo:
            self.ahead = False
            self.memory.show_made_so_far()
            assert self.early is not None  # noqa: S101 - ahead only with early
            self.early()
