"""Turn the timeline into pages: Jinja with autoescape and StrictUndefined; never writes files.

``plan_site`` lists every page with its template and context; ``render_pages`` renders them.
Keeping the two apart lets a build reuse the pages whose inputs did not change.
"""

from __future__ import annotations

import functools
import gc
import html
import json
import operator
import os
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

from generator import hashing as cache
from generator.config import SiteConfig
from generator.content.loading import Timeline, start_worker_process
from generator.content.dates import EventDate, PartialDate, format_day
from generator.errors import Problem, SiteError
from generator.content.model import STATUSES, Event, Source, safe_url, slugify
from generator.site.overview import Overview, draw_overview, plan_overview
from generator.site.theme import template_dirs


@dataclass(slots=True)
class PageJob:
    """One output file: where it goes, which template draws it, and with what.

    The context is made only when the page is rendered: a warm build plans every page but
    renders a handful, and most of a context (neighbours, year groups, the overview) costs
    more to make than its inputs cost to hash."""

    path: str
    template: str
    make_context: Callable[[], dict[str, Any]] = field(compare=False)
    inputs: tuple[Any, ...] = ()
    """What the page shows, as hashable data: equal inputs give an identical page."""
    events: Sequence[Event] = field(default=(), compare=False)
    """The events the page shows as cards."""

    @property
    def context(self) -> dict[str, Any]:
        return self.make_context()


def _fixed(context: dict[str, Any]) -> Callable[[], dict[str, Any]]:
    return partial(dict, context)


def event_path(event: Event) -> str:
    return f"events/{event.slug}/"


def tag_path(tag: str) -> str:
    return f"tags/{slugify(tag)}/"


def place_path(place: str) -> str:
    return f"places/{slugify(place)}/"


def year_of(event: Event) -> int:
    start = event.date.start or event.date.end
    return start.year if start else 0


def _link(context: jinja2.runtime.Context, target: str = "") -> str:
    root: str = context.get("root", "")
    return (root + target) or "./"


def _absolute(config: SiteConfig, target: str = "") -> str:
    return (config.base_url or "/") + target


EMBED_LIMIT = 1000
"""Events on the embed page; longer timelines embed their latest events, and a year each."""


def _embed_base(count: int, year: int) -> str:
    return "embed/" if count <= EMBED_LIMIT else f"embed/years/{year}/"


def embed_snippet(config: SiteConfig, title: str, slug: str = "", base: str = "embed/"
                  ) -> str:
    """The ``<iframe>`` another site pastes to show the compact view (at one event)."""
    src = _absolute(config, base) + (f"#{slug}" if slug else "")
    return (f'<iframe src="{html.escape(src)}" title="{html.escape(title)}" width="100%" '
            'height="480" loading="lazy"></iframe>')


def _reported(source: Source) -> str:
    """'Reported 3 October 2017 by UPI, citing Radio Free Asia': the report, not the event."""
    parts = ["Reported"]
    if source.published is not None:
        when = source.published
        parts.append(format_day(when.earliest()) if when.precision == "day" else when.display())
    if source.publisher:
        parts.append(f"by {source.publisher}")
    text = " ".join(parts)
    if source.via:
        text += f", citing {source.via}"
    return text if len(parts) > 1 or source.via else ""


def atom_date(event: Event) -> str:
    """RFC 3339 timestamp for a feed entry: the event's earliest day (year 1 at the least)."""
    day = event.date.earliest()
    return ("0001-01-01" if day.startswith("-") or day < "0001" else day[:10]) + "T00:00:00Z"


def atom_updated(events: Sequence[Event]) -> str:
    return max((atom_date(e) for e in events), default="1970-01-01T00:00:00Z")


def json_for_html(data: Any) -> str:
    """JSON safe inside a ``<script>`` element: no ``</script>`` or comment can break out."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def make_environment(site: Path, compiled: jinja2.BytecodeCache | None = None,
                     one_build: bool = False) -> jinja2.Environment:
    """A Jinja environment that escapes HTML and XML and fails on any undefined name.

    ``compiled`` keeps compiled templates between builds: compiling them costs more than
    the rest of a one-event edit. ``one_build``: the environment is made for one build and
    dropped, so it need not check each template's file again before every page."""
    env = jinja2.Environment(
        auto_reload=not one_build,
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs(site)]),
        bytecode_cache=compiled,
        autoescape=jinja2.select_autoescape(["html", "xml", "htm"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(
        link=jinja2.pass_context(_link), event_path=event_path, tag_path=tag_path,
        place_path=place_path, reported=_reported, safe_url=safe_url, slugify=slugify,
        format_day=format_day, json_for_html=json_for_html, year_of=year_of,
        atom_date=atom_date, atom_updated=atom_updated,
        event_jsonld=jinja2.pass_context(
            lambda context, event: _event_jsonld(event, context["site"])),
    )
    env.filters["slugify"] = slugify
    return env


def _chunks(items: Sequence[Event], size: int) -> list[Sequence[Event]]:
    return [items[i:i + size] for i in range(0, len(items), size)] or [items[:0]]


def _by_year(events: Iterable[Event]) -> list[tuple[int, list[Event]]]:
    groups: dict[int, list[Event]] = defaultdict(list)
    for event in events:
        groups[year_of(event)].append(event)
    return sorted(groups.items())


def _listing(base: str, events: Sequence[Event], size: int, template: str,
             context: dict[str, Any], extra: tuple[Any, ...] = ()) -> list[PageJob]:
    """Pages for one list; page 1 at ``base``, then ``base/page/N/``, with prev/next links."""
    chunks = _chunks(events, size)
    jobs = []
    fixed = repr(sorted(context.items()))
    for number, chunk in enumerate(chunks, start=1):
        here = base if number == 1 else f"{base}page/{number}/"
        prev_page = None if number == 1 else (base if number == 2 else f"{base}page/{number - 1}/")
        next_page = f"{base}page/{number + 1}/" if number < len(chunks) else None
        pager = {"number": number, "count": len(chunks), "prev": prev_page, "next": next_page}
        jobs.append(PageJob(here + "index.html", template,
                            partial(_list_context, context, chunk, pager, len(events)),
                            (template, here, tuple(map(_key, chunk)), number, len(chunks),
                             len(events), fixed, *extra), chunk))
    return jobs


_key = operator.attrgetter("key")


def _list_context(context: dict[str, Any], chunk: Sequence[Event], pager: dict[str, Any],
                  total: int) -> dict[str, Any]:
    return {**context, "events": chunk, "groups": _by_year(chunk), "pager": pager,
            "total": total}


def _event_jsonld(event: Event, config: SiteConfig) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "Event", "name": event.title,
        "description": event.summary, "startDate": event.date.machine(),
        "url": _absolute(config, event_path(event)),
        "eventStatus": "https://schema.org/EventScheduled",
    }
    if event.date.end is not None:
        data["endDate"] = event.date.end.machine()
    if event.places:
        data["location"] = [{"@type": "Place", "name": p} for p in event.places]
    data["subjectOf"] = [
        {"@type": "CreativeWork", "name": s.title or s.publisher,
         **({"url": s.url} if s.url else {}),
         **({"publisher": {"@type": "Organization", "name": s.publisher}} if s.publisher else {}),
         **({"datePublished": s.published.machine()} if s.published else {})}
        for s in event.sources]
    return data


def plan_site(timeline: Timeline, config: SiteConfig) -> list[PageJob]:
    """List every page of the site with its template, inputs and (lazily) its context."""
    events = timeline.events
    size = config.page_size
    tags: dict[str, list[Event]] = defaultdict(list)
    places: dict[str, list[Event]] = defaultdict(list)
    years: dict[int, list[Event]] = defaultdict(list)
    # "Kaesong" and "kaesong" share one page: the spelling seen first names it.
    spelling: dict[tuple[str, str], str] = {}
    slug_of = functools.cache(slugify)  # a few names, each on thousands of events
    for event in events:
        for kind, names, groups in (("tag", event.tags, tags), ("place", event.places, places)):
            if len(names) == 1:
                groups[spelling.setdefault((kind, slug_of(names[0])), names[0])].append(event)
                continue
            for slug, name in {slug_of(n): n for n in reversed(names)}.items():
                groups[spelling.setdefault((kind, slug), name)].append(event)
        years[year_of(event)].append(event)
    year_list = sorted(years)
    # What every page shows besides its own inputs, hashed once rather than on each page.
    shared = {"years": year_list, "all_pages": timeline.pages, "eras": timeline.eras,
              "event_count": len(events)}
    shared_key = cache.digest(repr((year_list, timeline.pages, timeline.eras, len(events))))
    facets = _facets(events, tags, places)
    overview = plan_overview(events, timeline.eras, event_path, lambda y: f"years/{y}/")
    overview_key = cache.digest(repr(overview))
    home = {"kind": "home", "title": config.title, "facets": facets,
            "embed_snippet": embed_snippet(config, config.title)}
    home_jobs = [_with_overview(job, overview, config)
                 for job in _listing("", events, size, "index.html", home, (overview_key,))]
    jobs = list(home_jobs)
    # The key of an event covers all its page shows; the neighbours show their titles.
    keys = [None, *map(_key, events), None]
    event_jobs = [PageJob(f"events/{event.slug}/index.html", "event.html",
                          partial(_event_context, shared, config, timeline, number),
                          ("event.html", *keys[number:number + 3], shared_key))
                  for number, event in enumerate(events)]
    for kind, groups, path_of in (("tag", tags, tag_path), ("place", places, place_path)):
        for name in sorted(groups, key=str.casefold):
            jobs += _listing(path_of(name), groups[name], size, "list.html",
                             {"kind": kind, "name": name, "title": name})
        terms = [(name, path_of(name), len(groups[name])) for name in
                 sorted(groups, key=str.casefold)]
        jobs.append(PageJob(f"{kind}s/index.html", "terms.html",
                            _fixed({"kind": kind, "terms": terms, "title": f"{kind.title()}s"}),
                            ("terms.html", kind, tuple(terms))))
    for year in year_list:
        eras = [era for era in timeline.eras if _overlaps_year(era.date, year)]
        jobs += _listing(f"years/{year}/", years[year], size, "list.html",
                         {"kind": "year", "name": str(year), "title": str(year),
                          "eras": eras})
    year_terms = [(str(y), f"years/{y}/", len(years[y])) for y in year_list]
    jobs.append(PageJob("years/index.html", "terms.html",
                        _fixed({"kind": "year", "terms": year_terms, "title": "Years"}),
                        ("terms.html", "year", tuple(year_terms))))
    for page in timeline.pages:
        jobs.append(PageJob(f"{page.slug}/index.html", "page.html",
                            _fixed({"kind": "page", "page": page, "title": page.title}),
                            ("page.html", repr(page))))
    jobs.append(PageJob("404.html", "404.html",
                        _fixed({"kind": "404", "title": "Page not found"}), ("404.html",)))
    latest = events[::-1][:50]  # events are in order, and no two share a sort key (slug)
    jobs.append(PageJob("feed.xml", "feed.xml", _fixed({"kind": "feed", "events": latest}),
                        ("feed.xml", tuple(map(_key, latest))), latest))
    html_paths = [job.path for job in jobs[:len(home_jobs)] + event_jobs + jobs[len(home_jobs):]
                  if job.path.endswith(".html") and job.path != "404.html"]
    jobs.append(PageJob("sitemap.xml", "sitemap.xml",
                        _fixed({"kind": "sitemap", "paths": html_paths}),
                        ("sitemap.xml", tuple(html_paths))))
    # Embeds are copies, not in the sitemap. A long timeline embeds its latest events, and
    # each event page embeds its own year, so no embed page grows past a few hundred KB.
    shown = events[-EMBED_LIMIT:]
    jobs.append(PageJob("embed/index.html", "embed.html",
                        partial(_embed_context, shown, config.title, len(events)),
                        ("embed.html", tuple(map(_key, shown)), len(events)), shown))
    if len(events) > EMBED_LIMIT:
        for year in year_list:
            jobs.append(PageJob(f"embed/years/{year}/index.html", "embed.html",
                                partial(_embed_context, years[year], str(year),
                                        len(years[year])),
                                ("embed.html", year, tuple(map(_key, years[year]))),
                                years[year]))
    jobs = [PageJob(j.path, j.template, partial(_shared_context, shared, j.make_context),
                    (*j.inputs, shared_key), j.events) for j in jobs]
    from generator.site.aliases import redirect_jobs  # h-editors: pages for aliases:

    redirected = redirect_jobs(timeline, config, PageJob)
    return jobs[:len(home_jobs)] + event_jobs + jobs[len(home_jobs):] + redirected


def _shared_context(shared: dict[str, Any], make: Callable[[], dict[str, Any]]
                    ) -> dict[str, Any]:
    return {**shared, **make()}


def _event_context(shared: dict[str, Any], config: SiteConfig, timeline: Timeline,
                   number: int) -> dict[str, Any]:
    events = timeline.events
    event = events[number]
    snippet = embed_snippet(config, f"{config.title}: {event.title}", event.slug,
                            _embed_base(len(events), year_of(event)))
    return {**shared, "kind": "event", "event": event,
            "prev_event": events[number - 1] if number else None,
            "next_event": events[number + 1] if number + 1 < len(events) else None,
            "eras": [era for era in timeline.eras if _overlaps(era.date, event.date)],
            "title": event.title, "embed_snippet": snippet}


def _embed_context(events: Sequence[Event], title: str, total: int) -> dict[str, Any]:
    return {"kind": "embed", "events": events, "groups": _by_year(events), "title": title,
            "total": total}


def _facets(events: Sequence[Event], tags: dict[str, list[Event]],
            places: dict[str, list[Event]]) -> dict[str, Any]:
    """The home page's filter choices: (name, slug, count) per tag and place, and statuses."""
    def terms(groups: dict[str, list[Event]]) -> tuple[tuple[str, str, int], ...]:
        return tuple((n, slugify(n), len(groups[n])) for n in sorted(groups, key=str.casefold))
    statuses = Counter(event.status for event in events)
    return {"tags": terms(tags), "places": terms(places),
            "statuses": tuple((s, s, statuses[s]) for s in STATUSES if statuses[s])}


def _with_overview(job: PageJob, overview: Overview | None, config: SiteConfig) -> PageJob:
    """Add the overview strip: marks of events on this page jump to them, others link out.

    The SVG is built from escaped text only, so the template may insert it as it is."""
    return PageJob(job.path, job.template,
                   partial(_overview_context, job, overview, config), job.inputs, job.events)


def _overview_context(job: PageJob, overview: Overview | None, config: SiteConfig
                      ) -> dict[str, Any]:
    context = job.context
    root = _root(job.path, config)
    here = {event_path(e): f"#{e.slug}" for e in job.events}
    svg = "" if overview is None else draw_overview(
        overview, "overview-caption", lambda target: here.get(target, root + target))
    summary = "" if overview is None else overview.summary
    return {**context, "overview": svg, "overview_summary": summary}


def _overlaps(era: EventDate, date: EventDate) -> bool:
    start = era.earliest()
    end = era.latest() or "9999-12-31"
    return start <= (date.latest() or date.earliest()) and date.earliest() <= end


def _overlaps_year(era: EventDate, year: int) -> bool:
    start = era.earliest()
    end = era.latest() or "9999-12-31"
    return start[:4] <= f"{year:04d}" <= end[:4] if year > 0 else False


def _root(path: str, config: SiteConfig) -> str:
    """Relative links work on any host and sub-path; 404.html is served at any depth, so it
    links from the site's root instead."""
    if path == "404.html":
        return urlsplit(config.base_url).path or "/"
    return "../" * path.count("/")


ROOT_MARK = "\ue000root\ue000"
"""Stands for the relative root in a card rendered once, replaced per page (a private-use
character, which front-matter text is stripped of)."""


def make_cards(env: jinja2.Environment, config: SiteConfig,
               cards: dict[str, str] | None = None) -> Callable[..., Markup]:
    """The ``card(e)`` template function: ``_event.html`` rendered once per event, not once
    per list it appears in; a card sees only ``e``, ``site`` and the link helpers."""
    memo = {} if cards is None else cards

    @jinja2.pass_context
    def card(context: jinja2.runtime.Context, event: Event) -> Markup:
        key = event.key or event.slug
        html = memo.get(key)
        if html is None:
            html = memo[key] = render_card(env, config, event)
        # The card is autoescaped template output; only our own root prefix is put in.
        return Markup(html.replace(ROOT_MARK, context.get("root", "")))  # noqa: S704

    return card


Emit = Callable[[str, bytes], None]
"""Takes each page as it is rendered, so a large site is never held in memory whole."""


def render_pages(env: jinja2.Environment, jobs: list[PageJob], config: SiteConfig,
                 progress: Callable[[int], None] | None = None,
                 cards: dict[str, str] | None = None, emit: Emit | None = None
                 ) -> dict[str, bytes]:
    """Render each page; a template error becomes a ``SiteError`` naming template and line.

    With ``emit``, pages go there and the returned dict stays empty."""
    out: dict[str, bytes] = {}
    templates: dict[str, jinja2.Template] = {}
    env.globals["card"] = make_cards(env, config, cards)
    for number, job in enumerate(jobs):
        try:
            template = templates.get(job.template) or env.get_template(job.template)
            templates[job.template] = template
            page_url = _absolute(config, job.path.removesuffix("index.html"))
            text = template.render(site=config, root=_root(job.path, config), path=job.path,
                                   page_url=page_url, **job.context)
        except jinja2.TemplateSyntaxError as exc:
            raise SiteError([Problem(_template_name(env, exc.name or job.template), exc.lineno,
                                     None, f"template error: {exc.message}")]) from None
        except (jinja2.UndefinedError, jinja2.TemplateError, TypeError, ValueError,
                AttributeError) as exc:
            raise SiteError([_runtime_problem(env, job, exc)]) from None
        if emit is None:
            out[job.path] = text.encode("utf-8")
        else:
            emit(job.path, text.encode("utf-8"))
        if progress is not None:
            progress(number)
    return out


PARALLEL_PAGES = 400
"""Below this many pages, forking workers costs more than it saves."""

_WORKER: dict[str, Any] = {}
"""Set in forked worker processes only: the environment and jobs they inherited."""


def _start_worker(env: jinja2.Environment, config: SiteConfig, jobs: list[PageJob],
                  events: list[Event], cards: dict[str, str], sink: Sink | None = None
                  ) -> None:
    start_worker_process()
    _WORKER.update(env=env, config=config, jobs=jobs, events=events, cards=cards, sink=sink)


def render_card(env: jinja2.Environment, config: SiteConfig, event: Event) -> str:
    """``_event.html`` for one event, with ``ROOT_MARK`` where each page puts its root."""
    return env.get_template("_event.html").render(e=event, site=config, root=ROOT_MARK,
                                                  kind="card", path="", full=False)


def _render_cards(span: tuple[int, int]) -> dict[str, str]:
    env, config, events = _WORKER["env"], _WORKER["config"], _WORKER["events"]
    return {e.key or e.slug: render_card(env, config, e) for e in events[span[0]:span[1]]}


@dataclass(frozen=True)
class Sink:
    """Where pages go when they are written as they are rendered, in whichever process
    renders them: ``part()`` gives a worker its own ``emit`` and a ``report`` of what it
    wrote, which the parent hands to ``merge``. Pages then never cross a pipe."""

    part: Callable[[], tuple[Emit, Callable[[], Any]]]
    merge: Callable[[Any], None]


def _render_span(span: tuple[int, int]) -> tuple[dict[str, bytes], Any, int]:
    jobs = _WORKER["jobs"][span[0]:span[1]]
    sink: Sink | None = _WORKER["sink"]
    if sink is None:
        return render_pages(_WORKER["env"], jobs, _WORKER["config"],
                            cards=_WORKER["cards"]), None, len(jobs)
    emit, report = sink.part()
    render_pages(_WORKER["env"], jobs, _WORKER["config"], cards=_WORKER["cards"], emit=emit)
    return {}, report(), len(jobs)


def _spans(count: int, parts: int) -> list[tuple[int, int]]:
    size = max(1, -(-count // parts))
    return [(i, min(i + size, count)) for i in range(0, count, size)]


def render_in_parallel(env: jinja2.Environment, jobs: list[PageJob], config: SiteConfig,
                       progress: Callable[[int], None] | None = None,
                       cards: dict[str, str] | None = None, sink: Sink | None = None
                       ) -> dict[str, bytes]:
    """``render_pages`` on every core: cards first, then pages, in forked workers that
    inherit the timeline instead of receiving it pickled. With a ``sink``, pages are
    written where they are rendered and the returned dict is empty."""
    cards = {} if cards is None else cards
    workers = min(os.cpu_count() or 1, 8)
    if workers < 2 or len(jobs) < PARALLEL_PAGES or threading.active_count() > 1 \
            or not hasattr(os, "fork"):
        if sink is None:
            return render_pages(env, jobs, config, progress, cards)
        emit, report = sink.part()
        render_pages(env, jobs, config, progress, cards, emit)
        sink.merge(report())
        return {}
    import multiprocessing  # here, not at the top: an edit renders a handful of pages

    context = multiprocessing.get_context("fork")
    gc.freeze()  # forked workers then share the parent's objects instead of copying them
    try:
        return _render_forked(env, jobs, config, progress, cards, sink, workers, context)
    finally:
        gc.unfreeze()


def _render_forked(env: jinja2.Environment, jobs: list[PageJob], config: SiteConfig,
                   progress: Callable[[int], None] | None, cards: dict[str, str],
                   sink: Sink | None, workers: int, context: Any) -> dict[str, bytes]:
    from concurrent.futures import ProcessPoolExecutor

    seen: dict[str, Event] = {}
    for job in jobs:
        for event in job.events:
            if (event.key or event.slug) not in cards:
                seen.setdefault(event.key or event.slug, event)
    missing = list(seen.values())
    if missing:
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                                 initargs=(env, config, [], missing, {})) as pool:
            for chunk in pool.map(_render_cards, _spans(len(missing), workers * 4)):
                cards.update(chunk)
    out: dict[str, bytes] = {}
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                             initargs=(env, config, jobs, [], cards, sink)) as pool:
        for rendered, report, count in pool.map(_render_span, _spans(len(jobs), workers * 8)):
            out.update(rendered)
            if sink is not None:
                sink.merge(report)
            if progress is not None:
                for number in range(count):
                    progress(number)
    return out


def _template_name(env: jinja2.Environment, name: str) -> str:
    loader = env.loader
    if isinstance(loader, jinja2.FileSystemLoader):
        for folder in loader.searchpath:
            candidate = Path(folder) / name
            if candidate.is_file():
                return _short(env, candidate)
    return f"templates/{name}"


def _short(env: jinja2.Environment, path: Path) -> str:
    """Name a template as an editor sees it: ``templates/x.html`` in the site, like content."""
    loader = env.loader
    folders = loader.searchpath if isinstance(loader, jinja2.FileSystemLoader) else []
    for number, folder in enumerate(folders):
        try:
            rel = path.resolve().relative_to(Path(folder).resolve()).as_posix()
        except ValueError:
            continue
        return f"templates/{rel}" + (" (default theme)" if number else "")
    return str(path)


def _runtime_problem(env: jinja2.Environment, job: PageJob, exc: Exception) -> Problem:
    """Find the innermost template line in the traceback of an error raised while rendering."""
    tb = exc.__traceback__
    where, line = _template_name(env, job.template), None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".txt", ".json", ".svg")):
            where, line = _short(env, Path(filename)), tb.tb_lineno
        tb = tb.tb_next
    return Problem(where, line, None, f"template error while rendering {job.path}: {exc}")


__all__ = ["PageJob", "plan_site", "render_pages", "make_environment", "PartialDate"]
