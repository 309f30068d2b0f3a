"""The build pipeline, the only place that knows the order of the steps:

config → content → plan → render → exports → write, each one call. What may be reused from
an earlier build is decided by the incremental layer (``BuildState``), which every step
asks and tells; with ``--no-cache`` it offers nothing and the steps are the same.
"""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING

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
from generator.output.manifest import Data, Reused, check_output
from generator.output.writer import output_lock
from generator.report import BuildResult

if TYPE_CHECKING:
    from generator.content.loading import Timeline
    from generator.progress import Progress
    from generator.site.document import Export
    from generator.site.plan import PageJob


def build_site(site: Path, output: Path | None = None, drafts: bool = False,
               base_url: str | None = None, use_cache: bool = True,
               progress: Progress | None = None, state: BuildState | None = None
               ) -> BuildResult:
    """Build the site in ``site`` into ``output`` (default ``site/site``); ``state``: an
    incremental layer kept alive between builds (``serve``'s, which keeps the site in
    memory instead of writing it)."""
    started = time.perf_counter()
    site, output = site.absolute(), (output or site / "site").absolute()
    check_output(output, site, [])
    with output_lock(output, site / CACHE_DIR / "locks", _say_waiting(output)), \
            collector_paused(), \
            state or BuildState(site, output, drafts, base_url, today(), use_cache) as state:
        last = state.last_build()
        if last is not None:
            return replace(last, seconds=time.perf_counter() - started)
        # Imported only when there is something to build: a no-op build does not pay for
        # Jinja, Markdown and YAML.
        from generator.content.loading import content_files, make_timeline, parser
        from generator.incremental.days import record_days, with_days
        from generator.incremental.published import record_published
        from generator.site.languages import plan_languages
        from generator.site.pages import environments, make_language_cards, render_pages
        from generator.site.resized import copies_salt, originals
        from generator.site.theme import static_files
        from generator.sources.lock import with_lock

        config, problems = _config(site, base_url)
        day = today()
        parsed = state.parsed(content_files(site), *parser(config, day))
        timeline, more = make_timeline(site, parsed, drafts, config.untrusted,
                                       site_languages(config))
        timeline, health = with_lock(site, timeline)  # each source's last check, offline
        timeline = with_days(site, timeline, day)  # when each event was first published
        languages = site_languages(config)
        problems = _site_checks(site, timeline, config, problems + more + health)
        envs, labels = environments(site, config, state.compiled_templates())
        jobs, exports, statics = plan_languages(timeline, config), \
            _exports(site, timeline, config), static_files(site)
        problems = _stop_on_errors(problems + _output_problems(
            site, timeline, jobs, exports, statics)) + labels
        documents = dict(exports)
        todo, kept = state.pages_to_render(config, jobs)
        cards = state.cards(config, todo,
                            lambda events: make_language_cards(envs, config, events))
        copies = state.image_copies(originals(site, timeline.events), copies_salt())
        files = _counted(progress, len(todo), chain(
            statics.items(), copies.items(), kept.items(),
            *(render_pages(env, [j for j in todo if (j.language or config.language) == code],
                           in_language(config, code), cards) for code, env in envs.items()),
            _made_last(lambda: state.exports(config, documents))))
        made = sum(not isinstance(data, Reused) for data in copies.values())
        written, records = state.write(files, len(todo) + len(statics) + len(documents)
                                       + made)
        result = _result(timeline, records, written, problems, output, started)
        state.remember(config, result, records)
        if not drafts:  # a preview with drafts publishes nothing
            record_published(site, timeline, languages, records)
            record_days(site, timeline, records)
        return result


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
    from generator.site.references import reference_problems

    problems = _stop_on_errors(problems + stray_files(site) + reference_problems(site, timeline)
                               + large_images(site, timeline.events, config.large_image_mb))
    return problems + lost_pages(site, timeline, site_languages(config))


def _exports(site: Path, timeline: Timeline, config: SiteConfig) -> list[tuple[str, Export]]:
    """Every export of every language, by path (a path twice is the output table's to tell)."""
    from generator.site.exports import export_documents
    from generator.site.i18n import date_teller
    from generator.site.languages import language_files
    from generator.site.navdata import nav_files
    from generator.site.search import search_exports

    say_date = date_teller(config.language)
    return [*export_documents(timeline, config).items(),
            *search_exports(timeline, say_date).items(),
            *nav_files(timeline, config, say_date).items(),
            *language_files(site, timeline, config).items()]


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


def load_site(site: Path, drafts: bool = False, base_url: str | None = None
              ) -> tuple[SiteConfig, Timeline, list[Problem]]:
    """Read and validate everything a build reads, reusing nothing; raise ``SiteError`` on
    any error (for ``check``, ``list`` and other commands that do not write a site)."""
    from generator.content.loading import load_timeline
    from generator.sources.lock import with_lock

    config, problems = _config(site, base_url)
    timeline, more = load_timeline(site, config, today(), drafts=drafts)
    timeline, health = with_lock(site, timeline)  # each source's last check, offline
    return config, timeline, _site_checks(site, timeline, config, problems + more + health)


def render_site(site: Path, config: SiteConfig, timeline: Timeline) -> dict[str, Data]:
    """Every output file, rendered in memory and reusing nothing (for ``check`` and tests)."""
    from generator.site.document import Gathered
    from generator.site.languages import plan_languages
    from generator.site.pages import environments, make_language_cards, render_pages
    from generator.site.resized import made_copies, originals
    from generator.site.theme import static_files

    envs, _ = environments(site, config)
    statics, jobs, exports = static_files(site), plan_languages(timeline, config), \
        _exports(site, timeline, config)
    _stop_on_errors(_output_problems(site, timeline, jobs, exports, statics))
    files: dict[str, Data] = dict(statics)
    for _, copies in made_copies(originals(site, timeline.events)):
        files.update(copies)
    events = [event for job in jobs for event in job.events]
    cards = make_language_cards(envs, config, list({e.key or e.slug: e for e in events}
                                                   .values()))
    for code, env in envs.items():
        files.update(render_pages(env, [j for j in jobs if (j.language or config.language)
                                        == code], in_language(config, code), cards))
    for rel, document in exports:
        if isinstance(document, Gathered):
            files.update((rel + name, data) for name, data in document.made().items())
        else:
            files[rel] = document if isinstance(document, bytes) else document.pieces()
    return files
