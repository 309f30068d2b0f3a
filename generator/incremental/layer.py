"""What the pipeline asks of the incremental layer, declared once: ``BuildState`` (the
site's build state in SQLite) and ``MemoryState`` (``serve``'s, kept in memory) both answer
it, and ``build.py`` knows only this. The layer decides what can be reused and where the
files go; what to make first and whom to tell are the pipeline's arguments, not its.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import jinja2

    from generator.config import SiteConfig
    from generator.content.loading import ContentFile, Job, Parsed
    from generator.content.model import Event
    from generator.output.manifest import Data
    from generator.report import BuildResult
    from generator.site.document import Export
    from generator.site.plan import PageJob
    from generator.site.resized import Original
    from generator.site.shareimage import ShareCard


class IncrementalLayer(Protocol):
    """One build's view of what earlier builds made; a context manager around the build."""

    today: str
    """The day of this build (``YYYY-MM-DD``), one for all its stages and its reuse."""

    def __enter__(self) -> IncrementalLayer: ...

    def __exit__(self, kind: type[BaseException] | None, *_: Any) -> None: ...

    def last_build(self) -> BuildResult | None:
        """The last build's result, when nothing changed since (then nothing is built)."""

    def parsed(self, files: Sequence[ContentFile],
               parse: Callable[[Sequence[Job]], list[Parsed]], salt: str) -> list[Parsed]:
        """Each file's parse: kept, or made by ``parse``."""

    def compiled_templates(self) -> jinja2.BytecodeCache | None:
        """Jinja's compiled templates kept between builds, if any."""

    def pages_to_render(self, config: SiteConfig, jobs: Sequence[PageJob]
                        ) -> tuple[list[PageJob], dict[str, Data]]:
        """(the pages to render, in plan order; the files kept as they are)."""

    def cards(self, config: SiteConfig, jobs: Sequence[PageJob],
              make: Callable[[Sequence[tuple[Event, str]]], dict[str, str]]
              ) -> dict[str, str]:
        """The cards of the events shown on ``jobs``, each (event, its card's template):
        kept, or made by ``make``."""

    def image_copies(self, originals: Sequence[Original], salt: str) -> dict[str, Data]:
        """Each resized copy of the site's images: kept, or made."""

    def share_images(self, cards: Sequence[ShareCard], salt: str) -> dict[str, Data]:
        """Each page's share image: kept, or drawn."""

    def exports(self, config: SiteConfig, documents: dict[str, Export]) -> dict[str, Data]:
        """Each export's file, its unchanged parts kept."""

    def write(self, files: Iterable[tuple[str, Data]], expected_changes: int
              ) -> tuple[int, dict[str, tuple[str, int]]]:
        """Put the files where this layer keeps the site: (how many changed, every record)."""

    def remember(self, config: SiteConfig, result: BuildResult,
                 records: dict[str, tuple[str, int]]) -> None:
        """The build succeeded: keep what it made for the next one."""
