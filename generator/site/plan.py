"""Plan the site: every page with its template, its inputs and (made only when rendered)
its context. Planning never renders: a build reuses the pages whose inputs did not change.
"""

from __future__ import annotations

import functools
import html
import operator
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from generator.config import SiteConfig, language_prefix
from generator.content.loading import Timeline
from generator.content.model import STATUSES, Event, slugify
from generator.hashing import digest
from generator.site.aliases import redirect_jobs
from generator.site.eras import overlaps, overlaps_year
from generator.site.event_axis import event_axis, window
from generator.site.i18n import overview_words
from generator.site.overview import (
    MAX_MARKS,
    NARROW,
    WIDTH,
    Overview,
    drawn_from,
    plan_overview,
)
from generator.site.overview_svg import draw_overview
from generator.site.overview_time import placements
from generator.site.paging import by_year, ordered, page_path, pager, year_pages
from generator.site.recent import reading_jobs
from generator.site.shareimage import ShareCard, home_card, share_card


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
    card: str = field(default="_event.html", compare=False)
    """The template each of ``events`` is drawn with, once per event: the lists' card, or
    the chronology's line."""
    language: str = field(default="", compare=False)
    """The language of the page ('' for the site's default, at the root)."""
    source: str = field(default="", compare=False)
    """The file that makes this page (an event's, a page's, an alias's), for messages."""
    share: ShareCard | None = field(default=None, compare=False)  # og:image, from its inputs

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
    return event.date.first.year


def absolute_url(config: SiteConfig, target: str = "") -> str:
    return (config.base_url or "/") + target


EMBED_LIMIT = 1000
"""Events on the embed page; longer timelines embed their latest events, and a year each."""


def _embed_base(count: int, year: int) -> str:
    return "embed/" if count <= EMBED_LIMIT else f"embed/years/{year}/"


def embed_snippet(config: SiteConfig, title: str, slug: str = "", base: str = "embed/"
                  ) -> str:
    """The ``<iframe>`` another site pastes to show the compact view (at one event)."""
    src = absolute_url(config, language_prefix(config) + base) + (f"#{slug}" if slug else "")
    return (f'<iframe src="{html.escape(src)}" title="{html.escape(title)}" width="100%" '
            'height="480" loading="lazy"></iframe>')


def _chunks(items: Sequence[Event], size: int) -> list[Sequence[Event]]:
    return [items[i:i + size] for i in range(0, len(items), size)] or [items[:0]]


def _by_year(events: Iterable[Event]) -> list[tuple[int, list[Event]]]:
    groups: dict[int, list[Event]] = defaultdict(list)
    for event in events:
        groups[year_of(event)].append(event)
    return sorted(groups.items())


class _Years(dict[int, int]):
    """Each event's year by the event's ``id``, worked out once per build: a plan asks for
    it about six times per event (every list it is in, and their year strips)."""

    def of(self, event: Event) -> int:
        return self[id(event)]


def _years_of(events: Sequence[Event]) -> _Years:
    return _Years({id(event): year_of(event) for event in events})


def _listing(base: str, events: Sequence[Event], size: int, template: str,
             context: dict[str, Any], known: _Years, extra: tuple[Any, ...] = (),
             order: str = "oldest-first") -> list[PageJob]:
    """Pages for one list in the site's order; page 1 at ``base``, then ``base/page/N/``,
    with a numbered pager and, for the year strip, the page where each year starts."""
    chunks = _chunks(ordered(events, order), size)
    years = {year: page_path(base, number) for year, number in
             year_pages([known[id(e)] for e in chunk] for chunk in chunks).items()}
    # Where each event is listed, for the overview's marks (drawn for short timelines only).
    page_of = {} if len(events) > MAX_MARKS else {
        e.slug: page_path(base, number) for number, c in enumerate(chunks, 1) for e in c}
    jobs = []
    fixed = repr(sorted(context.items()))
    # Every page's year strip and overview marks say where each year and event is listed:
    # an event that moves to another page, or another year, changes them on every page.
    where = (tuple(years.items()), tuple(page_of.items()))
    for number, chunk in enumerate(chunks, start=1):
        here = page_path(base, number)
        pages = {**pager(base, number, len(chunks)), "years": years, "order": order,
                 "here": here, "page_of": page_of}
        jobs.append(PageJob(here + "index.html", template,
                            partial(_list_context, context, chunk, pages, len(events),
                                    known.of),
                            (template, here, tuple(map(_key, chunk)), number, len(chunks),
                             len(events), fixed, order, where, *extra), chunk))
    return jobs


_key = operator.attrgetter("key")


def _list_context(context: dict[str, Any], chunk: Sequence[Event], pages: dict[str, Any],
                  total: int, year_of: Callable[[Event], int] = year_of) -> dict[str, Any]:
    return {**context, "events": chunk, "groups": by_year(chunk, year_of, pages["order"]),
            "pager": pages, "total": total}


def _groups(events: Sequence[Event], names_of: Callable[[Event], Sequence[str]]
            ) -> dict[str, list[Event]]:
    """The events under each tag (or place), in order. "Kaesong" and "kaesong" share one
    page: the spelling seen first names it."""
    groups: dict[str, list[Event]] = {}
    by_slug: dict[str, list[Event]] = {}
    by_name: dict[str, list[Event]] = {}  # a few names, each on thousands of events

    def group_of(name: str) -> list[Event]:
        slug = slugify(name)
        found = by_slug.get(slug)
        if found is None:
            found = by_slug[slug] = groups[name] = []
        by_name[name] = found
        return found

    for event in events:
        names = names_of(event)
        if len(names) == 1:
            (by_name.get(names[0]) or group_of(names[0])).append(event)
            continue
        for name in names:
            found = by_name.get(name) or group_of(name)
            if not found or found[-1] is not event:  # two spellings: listed once
                found.append(event)
    return groups


def plan_site(timeline: Timeline, config: SiteConfig) -> list[PageJob]:
    """List every page of the site with its template, inputs and (lazily) its context."""
    events = timeline.events
    size = config.page_size
    tags = _groups(events, operator.attrgetter("tags"))
    places = _groups(events, operator.attrgetter("places"))
    years: dict[int, list[Event]] = defaultdict(list)
    known = _years_of(events)
    for event in events:
        years[known[id(event)]].append(event)
    year_list = sorted(years)
    # What every page shows besides its own inputs, hashed once rather than on each page.
    shared = {"years": year_list, "all_pages": timeline.pages, "eras": timeline.eras,
              "event_count": len(events)}
    shared_key = digest(repr((year_list, timeline.pages, timeline.eras, len(events))))
    labels = timeline.labels_in(config.language)

    def by_label(name: str) -> tuple[str, str]:
        """Lists go in the order of the names the reader sees."""
        return labels.get(name, name).casefold(), name.casefold()
    facets = _facets(events, tags, places, by_label)

    @functools.cache
    def overviews() -> tuple[Overview | None, Overview | None]:
        """The strip at both widths, made when the first page showing it is rendered."""
        words = overview_words(config.language)
        placed = placements(events)
        wide, narrow = (plan_overview(events, timeline.eras, event_path,
                                      lambda y: f"years/{y}/", words, width, placed, lanes)
                        for width in (WIDTH, NARROW))
        return wide, narrow
    lanes = [(tag, labels.get(tag, tag)) for tag in config.lanes]
    overview_key = digest(config.language, drawn_from(events, timeline.eras, lanes))
    home = {"kind": "home", "title": config.title, "facets": facets, "first_path":
            event_path(events[0]) if events else "",
            "embed_snippet": embed_snippet(config, config.title)}
    home_jobs = [_with_overview(job, overviews, config, home_card(config, year_list))
                 for job in _listing("", events, size, "index.html", home, known,
                                     (overview_key,), config.order)]
    jobs = list(home_jobs)
    # The key of an event covers all its page shows; the neighbours show their titles, and
    # its axis a few more neighbours and its place (number) among them all.
    keys = [None, *map(_key, events), None]
    all_keys = list(map(_key, events))
    event_jobs = [PageJob(f"events/{event.slug}/index.html", "event.html",
                          partial(_event_context, shared, config, timeline, number),
                          ("event.html", *keys[number:number + 3], shared_key, number,
                           tuple(all_keys[_slice(window(len(events), number))])),
                          source=event.path, share=share_card(event, config, year_list))
                  for number, event in enumerate(events)]
    for kind, groups, path_of in (("tag", tags, tag_path), ("place", places, place_path)):
        for name in sorted(groups, key=by_label):
            jobs += _listing(path_of(name), groups[name], size, "list.html",
                             {"kind": kind, "name": name, "title": labels.get(name, name)},
                             known, order=config.order)
        terms = [(name, path_of(name), len(groups[name])) for name in
                 sorted(groups, key=by_label)]
        jobs.append(PageJob(f"{kind}s/index.html", "terms.html",
                            _fixed({"kind": kind, "terms": terms, "title": f"{kind.title()}s"}),
                            ("terms.html", kind, tuple(terms),
                             tuple(labels.get(n, n) for n, _, _ in terms))))
    for year in year_list:
        eras = [era for era in timeline.eras if overlaps_year(era.date, year)]
        jobs += _listing(f"years/{year}/", years[year], size, "list.html",
                         {"kind": "year", "name": str(year), "title": str(year),
                          "eras": eras}, known, order=config.order)
    year_terms = [(str(y), f"years/{y}/", len(years[y])) for y in year_list]
    jobs.append(PageJob("years/index.html", "terms.html",
                        _fixed({"kind": "year", "terms": year_terms, "title": "Years"}),
                        ("terms.html", "year", tuple(year_terms))))
    for page in timeline.pages:
        jobs.append(PageJob(f"{page.slug}/index.html", "page.html",
                            _fixed({"kind": "page", "page": page, "title": page.title}),
                            ("page.html", repr(page)), source=page.path))
    jobs.append(PageJob("404.html", "404.html",
                        _fixed({"kind": "404", "title": "Page not found"}), ("404.html",)))
    jobs += [PageJob(*job[:5], card=job[5])  # feed, recent/, chronology/
             for job in reading_jobs(timeline, config)]
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
    jobs = [replace(j, make_context=partial(_shared_context, shared, j.make_context),
                    inputs=(*j.inputs, shared_key)) for j in jobs]
    redirected = redirect_jobs(timeline, config, PageJob)  # pages for aliases:
    return jobs[:len(home_jobs)] + event_jobs + jobs[len(home_jobs):] + redirected


def _slice(indexes: range) -> slice:
    return slice(indexes.start, indexes.stop)


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
            "eras": [era for era in timeline.eras if overlaps(era.date, event.date)],
            "title": event.title, "embed_snippet": snippet,
            "axis": event_axis(events, number)}


def _embed_context(events: Sequence[Event], title: str, total: int) -> dict[str, Any]:
    return {"kind": "embed", "events": events, "groups": _by_year(events), "title": title,
            "total": total}


def _facets(events: Sequence[Event], tags: dict[str, list[Event]],
            places: dict[str, list[Event]], order: Callable[[str], Any] = str.casefold
            ) -> dict[str, Any]:
    """The home page's filter choices: (name, slug, count) per tag and place in ``order``,
    and statuses."""
    def terms(groups: dict[str, list[Event]]) -> tuple[tuple[str, str, int], ...]:
        return tuple((n, slugify(n), len(groups[n])) for n in sorted(groups, key=order))
    statuses = Counter(event.status for event in events)
    return {"tags": terms(tags), "places": terms(places),
            "statuses": tuple((s, s, statuses[s]) for s in STATUSES if statuses[s])}


Overviews = Callable[[], tuple[Overview | None, Overview | None]]


def _with_overview(job: PageJob, overview: Overviews, config: SiteConfig,
                   share: ShareCard | None) -> PageJob:
    """Add the overview strip (marks of events on this page jump to them, others link out;
    its SVG is escaped text only) and the site's share image."""
    return replace(job, make_context=partial(_overview_context, job, overview, config),
                   share=share)


def _overview_context(job: PageJob, overviews: Overviews, config: SiteConfig
                      ) -> dict[str, Any]:
    context = job.context
    root = root_of(job.path, config)
    pages = context["pager"]

    def locate(target: str) -> str:
        """A mark or bar goes to its event or year in this list, on whichever page."""
        kind, _, name = target.rstrip("/").partition("/")
        page = (pages["page_of"].get(name) if kind == "events" else
                pages["years"].get(int(name)) if kind == "years" else None)
        if page is None:
            return root + target
        anchor = f"#{name}" if kind == "events" else f"#y{name}"
        return anchor if page == pages["here"] else root + page + anchor

    plans = overviews()
    overview, narrow = plans
    svg, small = ("" if ov is None else draw_overview(ov, "overview-caption", locate)
                  for ov in plans)
    summary = "" if overview is None else overview.summary
    return {**context, "overview": svg, "overview_narrow": small, "overview_summary": summary,
            "overview_plan": overview, "overview_narrow_plan": narrow, "peak_of": _peak}


def _peak(ov: Overview) -> int:
    """The largest count among the strip's bars (the legend gives the scale)."""
    return max((int(dict(b.data).get("count", 0)) for b in (*ov.marks, *ov.density)),
               default=0)


def root_of(path: str, config: SiteConfig) -> str:
    """Relative links work on any host and sub-path; 404.html (``ko/404.html``) is served
    at any depth, so it links from the site's root instead."""
    if path == "404.html" or (path.endswith("/404.html") and path.count("/") == 1):
        return urlsplit(config.base_url).path or "/"
    return "../" * path.count("/")
