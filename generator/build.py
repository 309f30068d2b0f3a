"""The build pipeline, the only place that knows the order of the steps.

config → content (parse, validate, Markdown) → plan pages → render → exports → write.
"""

from __future__ import annotations

import functools
import gc
import os
import shutil
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

import jinja2

from generator.config import SiteConfig, load_config, with_base_url
from generator.content.loading import Timeline, load_timeline
from generator.content.model import Event
from generator.errors import DamagedCache, Problem, SiteError, errors_only
from generator.hashing import file_digest
from generator.incremental import store as cache
from generator.incremental.inputs import BuildResult, Inputs, remember, today, up_to_date
from generator.output.writer import (
    Data,
    Reused,
    Staging,
    abort,
    begin,
    check_output,
    finish,
    keep,
    merge,
    part,
    put,
    read_manifest,
    still_there,
    write_site,
)
from generator.progress import Progress
from generator.site.exports import Fragments, Layouts, Written, event_fragments, export_files
from generator.site.render import (
    PARALLEL_PAGES,
    Sink,
    make_environment,
    plan_site,
    render_card,
    render_in_parallel,
    render_pages,
)
from generator.site.search import search_files, search_fragment
from generator.site.theme import template_dirs, theme_dir


def static_files(site: Path) -> dict[str, bytes]:
    """The default theme's static files, then the site's own over them, copied as they are."""
    files: dict[str, bytes] = {}
    for folder in (theme_dir() / "static", site / "static"):
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                files[path.relative_to(folder).as_posix()] = path.read_bytes()
    return files


@functools.cache
def _environment(site: Path) -> jinja2.Environment:
    """One Jinja environment per process and site (parse workers render cards with it)."""
    return make_environment(site, compiled_templates(site))


def prepare_event(site: Path, config: SiteConfig, count: int, event: Event
                  ) -> tuple[str, dict[tuple[str, str], bytes]]:
    """An event's card and export fragments, made in the parse worker that read it."""
    fragments = {(kind, event.key): text
                 for kind, text in event_fragments(event, config).items()}
    kind, text = search_fragment(event, count)
    fragments[(kind, event.key)] = text
    return render_card(_environment(site), config, event), fragments


def load_site(site: Path, drafts: bool = False, base_url: str | None = None,
              use_cache: bool = True, inputs: Inputs | None = None,
              prepared: dict[str, Any] | None = None
              ) -> tuple[SiteConfig, Timeline, list[Problem]]:
    """Read and validate everything a build reads; raise ``SiteError`` on any error.

    With ``prepared``, cards and export fragments of freshly parsed events are made in the
    parse workers too and collected there."""
    config, problems = load_config(site)
    if base_url:
        config = with_base_url(config, base_url)
    events = str(site / "content" / "events") + os.sep
    count = sum(1 for name in inputs.digests if name.startswith(events)) if inputs else 0
    prepare = partial(prepare_event, site, config, count) if prepared is not None else None
    timeline, more = load_timeline(site, config, today(), drafts=drafts, use_cache=use_cache,
                                   inputs=inputs, prepare=prepare,
                                   prepared=prepared)
    problems += more
    # Editors' checks that need the whole site (h-editors): stray files, images, aliases.
    from generator.content.strays import stray_files
    from generator.site.references import reference_problems
    problems += stray_files(site) + reference_problems(site, timeline)
    if errors_only(problems):
        raise SiteError(problems)
    return config, timeline, problems


def render_site(site: Path, config: SiteConfig, timeline: Timeline) -> dict[str, Data]:
    """Every output file: pages, data exports and static files (no cache)."""
    env = make_environment(site, one_build=True)
    files: dict[str, Data] = {}
    files.update(static_files(site))
    files.update(render_pages(env, plan_site(timeline, config), config))
    files.update(data_files(timeline, config))
    return files


def data_files(timeline: Timeline, config: SiteConfig, memo: Fragments | None = None,
               layouts: Layouts | None = None, written: dict[str, Written] | None = None
               ) -> dict[str, Data]:
    """Exports and the search index, written beside the pages."""
    files: dict[str, Data] = {}
    files.update(export_files(timeline, config, memo, layouts, written))
    files.update(search_files(timeline, memo, layouts, written))
    return files


def _written_files(output: Path, on_disk: dict[str, tuple[str, int]], layouts: Layouts
                   ) -> dict[str, Written]:
    """The exports the last build wrote, where each is still exactly as written (its hash
    is checked, not only its size): the next ones are made from them."""
    found = {}
    for rel, layout in layouts.items():
        record = on_disk.get(rel)
        if record is None:
            continue
        try:
            data = (output / rel).read_bytes()
        except OSError:
            continue
        if (file_digest(data), len(data)) == record:
            found[rel] = Written(data, layout)
    return found


def compiled_templates(site: Path) -> jinja2.BytecodeCache | None:
    """Jinja's cache of compiled templates in ``.timeline-cache/``, one set per version of
    the code and of Jinja (it checks each template's source itself); others are removed."""
    folder = site / cache.CACHE_DIR / "templates"
    prefix = cache.digest(cache.code_hash(), jinja2.__version__)[:20]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.iterdir():
            if not old.name.startswith(prefix):
                old.unlink(missing_ok=True)
    except OSError:
        return None
    return _CompiledTemplates(str(folder), f"{prefix}-%s.cache")


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """A cache that cannot be read or written only costs speed, as with the rest of the cache."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except OSError:
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def theme_key(site: Path, config: SiteConfig) -> str:
    """Hash of everything a page depends on besides its own inputs: templates, code, config."""
    parts: list[bytes | str] = [cache.code_hash(), repr(config)]
    for folder in template_dirs(site):
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                parts += [path.relative_to(folder).as_posix(), path.read_bytes()]
    return cache.digest(*parts)


def build_cached(site: Path, config: SiteConfig, timeline: Timeline, output: Path,
                 progress: Progress | None = None, prepared: dict[str, Any] | None = None
                 ) -> tuple[int, dict[str, tuple[str, int]]]:
    """Write the site, rendering only the pages whose inputs changed since the last build.

    A page is reused when its inputs, the templates, the code and the config hash the same
    as when it was written, and the file in ``output`` is still the one written then.
    Returns (files written, {path: (hash, size)} of every file in the site).
    """
    salt = theme_key(site, config)
    known: dict[str, tuple[str, str, int]] = cache.read_shards(site, "pages", salt)
    cards: dict[str, str] = cache.read_shards(site, "cards", salt)
    old_cards = dict(cards)
    for key, (card, _) in (prepared or {}).items():
        cards.setdefault(key, card)
    on_disk = read_manifest(output)
    exports = f"exports-{cache.digest(str(output))[:16]}"
    written_with: Layouts = cache.read(site, exports, salt) or {}
    # Read and checked while the pages are planned: hashing lets go of the GIL.
    with ThreadPoolExecutor(1) as pool:
        reading = pool.submit(_written_files, output, on_disk, written_with)
        jobs = plan_site(timeline, config)
        keys = {job.path: cache.text_digest(job.template, repr(job.inputs)) for job in jobs}
        written = reading.result()
    fragments: Fragments = {}
    for _, made in (prepared or {}).values():
        fragments.update(made)
    reused: dict[str, Reused] = {}
    todo = []
    for job in jobs:
        hit = known.get(job.path)
        if hit and hit[0] == keys[job.path] and on_disk.get(job.path) == (hit[1], hit[2]) \
                and still_there(output, job.path, hit[2]):
            reused[job.path] = Reused(hit[1], hit[2])
        else:
            todo.append(job)
    statics = static_files(site)
    spare = _spare_folder(site, output)
    staging = begin(output, len(todo) + len(statics) + DATA_FILES, spare, on_disk)
    try:
        for rel, data in statics.items():
            put(staging, rel, data)
        for rel, kept in reused.items():
            keep(staging, rel, kept)
        if progress is not None:
            progress.start("rendering", len(todo))
        layouts: Layouts = {}
        files = data_files(timeline, config, fragments, layouts, written)
        # Hashing and writing tens of megabytes of data files lets go of the GIL: pages are
        # rendered and cards stored meanwhile. Only pages rendered here, though: no worker
        # is forked while a thread runs.
        with ThreadPoolExecutor(1) as pool:
            alongside = len(todo) < PARALLEL_PAGES
            staged = pool.submit(_put_all, staging, files) if alongside else None
            render_in_parallel(make_environment(site, compiled_templates(site), one_build=True),
                               todo, config,
                               progress.step if progress else None, cards,
                               Sink(partial(part, staging), partial(merge, staging)))
            if staged is None:
                staged = pool.submit(_put_all, staging, files)
            live = {e.key for e in timeline.events}
            cache.write_shards(site, "cards", salt,
                               {k: v for k, v in cards.items() if k in live}, old_cards)
            staged.result()
    except BaseException:
        abort(staging)
        raise
    count = finish(staging)
    cache.write(site, exports, salt, layouts)
    pages = {path: (keys[path], *staging.records[path]) for path in keys}
    cache.write_shards(site, "pages", salt, pages, known, compare_values=True)
    return count, staging.records


SPARE_OF = "%output"
"""In a spare folder, the output folder it serves (spare copies are named ``quote(path)``)."""


def _spare_folder(site: Path, output: Path) -> Path:
    """Where the spare copies of ``output``'s big files are kept. Those of an output folder
    that is gone (a ``--output`` used once) are removed: they are as big as its exports."""
    root = site / cache.CACHE_DIR / "spare"
    here = root / cache.digest(str(output))[:16]
    try:
        for other in root.iterdir() if root.is_dir() else []:
            if other != here and other.is_dir() and not other.is_symlink():
                recorded = other / SPARE_OF  # no spare copy's name can be this one
                if not recorded.is_file() or not Path(recorded.read_text("utf-8")).is_dir():
                    shutil.rmtree(other, ignore_errors=True)
        here.mkdir(parents=True, exist_ok=True)
        (here / SPARE_OF).write_text(str(output), "utf-8")
    except (OSError, ValueError):
        pass  # only speed is lost
    return here


def _put_all(staging: Staging, files: dict[str, Data]) -> None:
    for rel, data in files.items():
        put(staging, rel, data)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector in this process: a build makes almost no cycles, and a
    cached timeline is millions of objects that the collector would otherwise scan again
    and again, costing more than the rest of an edit. Worker processes collect as usual."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


DATA_FILES = 8
"""About how many data files a build writes beside its pages (exports, search index)."""


def build_site(site: Path, output: Path | None = None, drafts: bool = False,
               base_url: str | None = None, use_cache: bool = True,
               progress: Progress | None = None,
               checked: Inputs | None = None) -> BuildResult:
    """Build the site in ``site`` into ``output`` (default ``site/site``).

    ``checked``: what an ``up_to_date`` call that found changes read.
    """
    started = time.perf_counter()
    site = site.absolute()
    output = (output or site / "site").absolute()
    check_output(output, site, [])
    inputs = checked
    if use_cache and inputs is None:
        last, inputs = up_to_date(site, output, drafts, base_url)
        if last is not None:
            return replace(last, seconds=time.perf_counter() - started)
    with collector_paused():
        try:
            return _build(site, output, drafts, base_url, use_cache, progress, started, inputs)
        except DamagedCache:
            # Nothing was written; the events are parsed again and the cache made anew.
            cache.forget(site, "content")
            return _build(site, output, drafts, base_url, use_cache, progress, started, inputs)


def _build(site: Path, output: Path, drafts: bool, base_url: str | None, use_cache: bool,
           progress: Progress | None, started: float, inputs: Inputs | None
           ) -> BuildResult:
    """Load, render and write: ``build_site`` once it knows there is something to do."""
    prepared: dict[str, Any] = {}
    config, timeline, problems = load_site(site, drafts, base_url, use_cache, inputs,
                                           prepared if use_cache else None)
    records: dict[str, tuple[str, int]] | None = None
    if use_cache:
        written, records = build_cached(site, config, timeline, output, progress, prepared)
        total = len(records)
    else:
        files = render_site(site, config, timeline)
        written, total = write_site(output, files), len(files)
    if progress is not None:
        progress.done()
    result = BuildResult(events=len(timeline.events), pages=total, written=written,
                         reused=total - written, seconds=time.perf_counter() - started,
                         warnings=[p for p in problems if p.severity == "warning"],
                         output=output)
    if use_cache and inputs is not None:
        remember(site, output, inputs.key, result, records)
    return result
