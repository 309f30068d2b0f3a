"""The build pipeline, the only place that knows the order of the steps:

config → content → plan → render → exports → write, each one call. Every command that
reads a site runs it, and they differ by ``target`` alone: ``build`` and ``deploy`` write
the site to disk, ``serve`` keeps it in memory, ``check`` discards each file once it is
made (and so validated); ``list`` and the benches run its first stage, ``load_site``.
What may be reused from an earlier build is decided by the incremental layer (an
``IncrementalLayer``), which every step asks and tells; with ``--no-cache`` it offers
nothing and the steps are the same. What to make first and whom to tell when a file is
in place are the caller's wishes, passed in (``serve``'s, from ``dev/``).
"""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import replace
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from generator.config import (
    SiteConfig,
    base_url_warnings,
    in_language,
    load_config,
    site_languages,
    today,
    with_base_url,
)
from generator.errors import Problem, SiteError, errors_only
from generator.incremental.state import BuildState
from generator.incremental.store import CACHE_DIR
from generator.output.manifest import Data, Reused, check_output, check_rel
from generator.output.writer import output_lock
from generator.report import BuildResult

if TYPE_CHECKING:
    from generator.content.loading import Timeline
    from generator.incremental.layer import IncrementalLayer
    from generator.progress import Progress
    from generator.site.document import Export
    from generator.site.plan import PageJob

Target = Literal["disk", "memory", "discard"]
"""Where the made files go: into the output folder; into the incremental layer's memory
(``serve``'s ``MemoryState``, or ``render_site``'s); nowhere, once made (``check``)."""

Order = Callable[[list["PageJob"]], list["PageJob"]]
"""The pages to render, in the order to render them (``serve``: those browsers show first)."""

Refuse = Callable[[SiteConfig, list[Problem]], list[Problem]]
"""What must stop this build before it writes anything, from the config and what loading
found (``build --publish``: what ``deploy`` refuses)."""


class Refused(SiteError):
    """The build stopped on what ``refuse`` found; nothing was written."""


def build_site(site: Path, output: Path | None = None, drafts: bool = False,
               base_url: str | None = None, use_cache: bool = True,
               progress: Progress | None = None, state: IncrementalLayer | None = None,
               target: Target = "disk", order: Order | None = None,
               told: Callable[[str], None] | None = None, refuse: Refuse | None = None
               ) -> BuildResult:
    """Build the site in ``site`` into ``target``: the folder ``output`` (default
    ``site/site``), memory, or nowhere. ``state``: an incremental layer kept alive between
    builds (``serve``'s); ``order``: the order to render the pages in; ``told``: called
    with each file's path once the target has it; ``refuse``: raise ``Refused`` with what
    it finds, before anything is written (asked of the last result when nothing changed)."""
    started = time.perf_counter()
    site, output = site.absolute(), (output or site / "site").absolute()
    writing = target == "disk"
    if writing:
        check_output(output, site, [])
    with output_lock(output, site / CACHE_DIR / "locks", _say_waiting(output)) if writing \
            else nullcontext(), collector_paused(), \
            state or _layer(site, output, drafts, base_url, use_cache, target) as state:
        last = state.last_build()
        if last is not None:
            _refused(refuse, _config(site, base_url)[0], last.warnings)
            return replace(last, seconds=time.perf_counter() - started)
        # Imported only when there is something to build: a no-op build does not pay for
        # Jinja, Markdown and YAML.
        from generator.incremental.days import record_days
        from generator.incremental.published import record_published
        from generator.site.languages import plan_languages, unlabelled
        from generator.site.pages import environments, make_language_cards, render_pages
        from generator.site.resized import copies_salt, originals
        from generator.site.shareimage import share_salt
        from generator.site.theme import static_files

        config, timeline, problems = _load(site, state, drafts, base_url)
        _refused(refuse, config, problems)
        if target == "discard":  # validating only: also what only an editor asks about
            problems += unlabelled(site, timeline, config)
            from generator.site.gazetteer import unplaced
            problems += unplaced(site, timeline)  # places the map cannot draw
        envs, labels = environments(site, config, state.compiled_templates())
        jobs, exports, statics = plan_languages(timeline, config), \
            _exports(site, timeline, config), static_files(site)
        problems = _stop_on_errors(problems + _output_problems(
            site, timeline, jobs, exports, statics)) + labels
        documents = dict(exports)
        todo, kept = state.pages_to_render(config, jobs)
        todo = order(todo) if order is not None else todo
        cards = state.cards(config, todo,
                            lambda wanted: make_language_cards(envs, config, wanted))
        copies = state.image_copies(originals(site, timeline.events), copies_salt())
        shares = [job.share for job in jobs if job.share is not None]
        if shares:  # each page's share image (og:image), drawn once per what it shows
            copies |= state.share_images(shares, share_salt())
        files = _counted(progress, len(todo), chain(
            statics.items(), copies.items(), kept.items(),
            *(render_pages(env, [j for j in todo if (j.language or config.language) == code],
                           in_language(config, code), cards) for code, env in envs.items()),
            _made_last(lambda: state.exports(config, documents))))
        if told is not None:
            files = _telling(files, told)
        made = sum(not isinstance(data, Reused) for data in copies.values())
        written, records = _discarded(files) if target == "discard" else state.write(
            files, len(todo) + len(statics) + len(documents) + made)
        result = _result(timeline, records, written, problems, output, started)
        state.remember(config, result, records)
        if writing and not drafts:  # a preview with drafts publishes nothing
            record_published(site, timeline, site_languages(config), records)
            record_days(site, timeline, records)
        return result


def _refused(refuse: Refuse | None, config: SiteConfig, problems: list[Problem]) -> None:
    errors = [] if refuse is None else errors_only(refuse(config, problems))
    if errors:
        raise Refused(errors)


def load_site(site: Path, drafts: bool = False, base_url: str | None = None,
              use_cache: bool = False) -> tuple[SiteConfig, Timeline, list[Problem]]:
    """The pipeline's first stage alone: config and content read and validated as a build
    reads them (``list``, benches and tests, which need the events and no page); raise
    ``SiteError`` on any error. ``use_cache``: reuse (and keep) the build state's parses."""
    site = site.absolute()
    with BuildState(site, site / "site", drafts, base_url, today(), use_cache) as state:
        return _load(site, state, drafts, base_url)


def render_site(site: Path, drafts: bool = False, base_url: str | None = None
                ) -> dict[str, bytes]:
    """Every output file, as ``build_site`` makes it, kept in memory and reusing nothing
    but compiled templates, as ``serve`` (for tests and benches that need no folder)."""
    from generator.incremental.memory import MemoryState

    site = site.absolute()
    kept = MemoryState(site, site / "site", drafts, base_url)
    build_site(site, drafts=drafts, base_url=base_url, state=kept, target="memory")
    return {rel: data if isinstance(data, bytes) else b"".join(data)
            for rel, data in kept.site_files.items()}


def _layer(site: Path, output: Path, drafts: bool, base_url: str | None, use_cache: bool,
           target: Target) -> IncrementalLayer:
    """The incremental layer of one build: the site's build state (none when nothing is
    written: a check keeps nothing), or a fresh memory."""
    if target == "memory":
        from generator.incremental.memory import MemoryState

        return MemoryState(site, output, drafts, base_url)
    return BuildState(site, output, drafts, base_url, today(), use_cache and target == "disk")


def _load(site: Path, state: IncrementalLayer, drafts: bool, base_url: str | None
          ) -> tuple[SiteConfig, Timeline, list[Problem]]:
    """Config and content, each file's parse asked of ``state``; raise on an error."""
    from generator.content.loading import load_timeline
    from generator.incremental.days import with_days
    from generator.sources.lock import with_lock

    config, problems = _config(site, base_url)
    day = state.today
    timeline, more = load_timeline(site, config, day, drafts, state.parsed)
    timeline, health = with_lock(site, timeline)  # each source's last check, offline
    timeline = with_days(site, timeline, day)  # when each event was first published
    return config, timeline, _site_checks(site, timeline, config, problems + more + health)


def _config(site: Path, base_url: str | None) -> tuple[SiteConfig, list[Problem]]:
    config, problems = load_config(site)
    config = with_base_url(config, base_url) if base_url else config
    return config, problems + base_url_warnings(config)


def _site_checks(site: Path, timeline: Timeline, config: SiteConfig,
                 problems: list[Problem]) -> list[Problem]:
    """``problems`` and what only the whole site can tell: files in content/ that no reader
    takes, images that are not there or too large, aliases that clash; raise on an error.
    Then published pages that are gone: asked only of a site without errors, since an event
    that failed is left out, not gone."""
    from generator.content.images import large_images
    from generator.content.strays import stray_files
    from generator.incremental.published import lost_pages
    from generator.site.overview_lanes import lane_problems
    from generator.site.references import reference_problems

    problems = _stop_on_errors(problems + stray_files(site) + reference_problems(site, timeline)
                               + large_images(site, timeline.events, config.large_image_mb)
                               + lane_problems(site, timeline.events, config))
    return problems + lost_pages(site, timeline, site_languages(config))


def _exports(site: Path, timeline: Timeline, config: SiteConfig) -> list[tuple[str, Export]]:
    """Every export of every language, by path (a path twice is the output table's to tell)."""
    from generator.site.languages import language_exports

    return [item for language in site_languages(config)
            for item in language_exports(site, timeline, config, language)]


def _output_problems(site: Path, timeline: Timeline, jobs: list[PageJob],
                     exports: list[tuple[str, Export]], statics: dict[str, bytes]
                     ) -> list[Problem]:
    """Two makers of one output path (the one output table)."""
    from generator.site.outputs import output_problems

    return output_problems(site, timeline, jobs, exports, statics)


def _stop_on_errors(problems: list[Problem]) -> list[Problem]:
    if errors_only(problems):
        raise SiteError(problems)
    return problems


def _result(timeline: Timeline, records: dict[str, tuple[str, int]], written: int,
            problems: list[Problem], output: Path, started: float) -> BuildResult:
    return BuildResult(events=len(timeline.events), pages=len(records), written=written,
                       reused=len(records) - written, seconds=time.perf_counter() - started,
                       warnings=sorted((p for p in problems if p.severity == "warning"),
                                       key=Problem.sort_key),
                       output=output)


def _discarded(files: Iterator[tuple[str, Data]]) -> tuple[int, dict[str, tuple[str, int]]]:
    """Make every file, keep none (``check``): each is validated as it is made."""
    records: dict[str, tuple[str, int]] = {}
    for rel, data in files:
        check_rel(rel)  # refused as the writer would refuse it
        records[rel] = ("", data.size if isinstance(data, Reused) else
                        len(data) if isinstance(data, bytes) else sum(map(len, data)))
    return len(records), records


def _telling(files: Iterator[tuple[str, Data]], told: Callable[[str], None]
             ) -> Iterator[tuple[str, Data]]:
    """The files, each told to ``told`` once the target took it (when it asks for the
    next), before the next one is made."""
    for rel, data in files:
        yield rel, data
        told(rel)


def _made_last(make: Callable[[], dict[str, Data]]) -> Iterator[tuple[str, Data]]:
    """The exports, made once every page is written: a page a browser waits for is not
    held up by the search index of ten thousand events."""
    yield from make().items()


def _counted(progress: Progress | None, count: int, files: Iterator[tuple[str, Data]]
             ) -> Iterator[tuple[str, Data]]:
    if progress is not None:
        progress.start("writing", count)
    for number, item in enumerate(files):
        if progress is not None:
            progress.step(number)
        yield item
    if progress is not None:
        progress.done()


def _say_waiting(output: Path) -> Callable[[], None]:
    def waiting() -> None:
        print(f"{output}: another build is writing this folder; waiting for it to finish",
              file=sys.stderr)
    return waiting


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector in this process: a build makes almost no cycles, and a
    timeline is millions of objects that the collector would otherwise scan again and
    again, costing more than the rest of an edit. Worker processes collect as usual."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            # Everything made meanwhile is still in the youngest generation: moved to the
            # oldest first, enabling does not start a scan of millions of objects at once.
            gc.freeze()
            gc.unfreeze()
            gc.enable()
