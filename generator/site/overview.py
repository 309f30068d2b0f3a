"""The overview strip: a picture of the whole timeline drawn at build time as inline SVG.

A true time axis, one linked mark per event at its date (a span for a range or an imprecise
date, a dashed mark for an approximate or uncertain one), eras as bands, and events per year
underneath. When marks would overlap, events are counted into linked bars instead, so the
strip stays legible from a dozen events to ten thousand. No JavaScript, and no ``style``
attributes (the CSP forbids them): colours come from classes in ``timeline.css``.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from generator.content.model import Era, Event
from generator.site.overview_lanes import LABEL_ROW, Lane, banded_rows, lane_groups, lane_tops
from generator.site.overview_time import (
    Extent,
    Placed,
    days_of,
    domain,
    extent,
    placements,
)
from generator.site.overview_words import ENGLISH, OverviewWords

WIDTH = 800
NARROW = 360
"""The strip drawn again for phones: a 375 px screen shows it at about its own size."""
PAD = 16
"""Room at both ends so the first and last marks are not cut in half."""
RADIUS = 5
LANE = 16
MAX_LANES = 5
MAX_MARKS = 150
"""Beyond this many events, marks become bars even if they fit: each mark is a tab stop."""
ERA_ROW = 21
DENSITY = 26
BARS = 72
AXIS = 26
FONT = 13
"""Font size in SVG units; must match ``.overview text`` in timeline.css for label fitting."""
BIN_UNITS = (("month", 1 / 12), ("year", 1), ("decade", 10), ("century", 100),
             ("millennium", 1000))
TICK_STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000)
TARGET = 26
"""A mark is hit in a square at least this many units wide (24 CSS px on a phone's strip,
drawn at about 0.95 px per unit), invisible, centred on it (timeline.css)."""
LAYOUT = {"pad": PAD, "radius": RADIUS, "lane": LANE, "lanes": MAX_LANES, "eraRow": ERA_ROW,
          "density": DENSITY, "bars": BARS, "axis": AXIS, "font": FONT, "target": TARGET,
          "ticks": list(TICK_STEPS), "units": [list(unit) for unit in BIN_UNITS],
          "laneLabel": LABEL_ROW}
"""The numbers above as the browser's zoomed strip reads them (``data-layout`` on each strip,
read by ``static/assets/strip-layout.js``): written by the build, never copied there."""


@dataclass(frozen=True)
class Box:
    """A rectangle in SVG units; ``href`` makes it a link named by ``label``."""

    x: float
    y: float
    width: float
    height: float
    classes: str
    label: str
    href: str = ""
    data: tuple[tuple[str, str], ...] = ()
    """``data-*`` attributes the navigator script reads (an event's id, a bar's years)."""


@dataclass(frozen=True)
class Tick:
    x: float
    label: str
    minor: bool
    """Minor labels are hidden on narrow screens, where every label gets less room."""


@dataclass(frozen=True)
class Band:
    """An era: a faint band behind the marks and a labelled bar in its own row above."""

    band: Box
    bar: Box
    label_x: float
    label_y: float
    anchor: str


@dataclass(frozen=True)
class Overview:
    """Everything the strip draws, in SVG units; ``draw_overview`` turns it into markup."""

    width: int
    height: int
    start: float
    end: float
    aggregated: bool
    unit: str
    marks: tuple[Box, ...]
    density: tuple[Box, ...]
    eras: tuple[Band, ...]
    ticks: tuple[Tick, ...]
    axis_y: float
    summary: str
    lanes: tuple[Lane, ...] = ()
    """The lanes per tag (``[overview] lanes``), when marks are drawn in them."""


def _unit(start: float, end: float, max_bins: int, smallest: float = 0) -> tuple[str, float]:
    for name, size in BIN_UNITS:
        if size >= smallest and (end - start) / size <= max_bins:
            return name, size
    return BIN_UNITS[-1]


def _bin_of(earliest: tuple[int, int, int], size: float) -> float:
    """The start of the bin an event (its earliest day) is counted in, in years."""
    y, m, _ = earliest
    if size < 1:
        return y + (m - 1) / 12
    return math.floor(y / size) * size


def _bin_name(start: float, size: float, words: OverviewWords = ENGLISH) -> str:
    year = math.floor(start)
    if size < 1:
        return words.month(year, round((start - year) * 12))
    if size == 1:
        return words.year(year)
    if size == 10 and year > 0:
        return words.decade(year)
    return words.years(words.year(year), words.year(year + int(size) - 1))


def _bin_data(start: float, size: float, count: int) -> tuple[tuple[str, str], ...]:
    """What a bar covers, for the navigator to count the events matching the filters:
    first and last year, and for a month's bar its month (1-12)."""
    year = math.floor(start)
    month = (("month", str(round((start - year) * 12) + 1)),) if size < 1 else ()
    last = year if size < 1 else year + int(size) - 1
    return (("from", str(year)), ("to", str(last)), *month, ("count", str(count)))


def _count(n: int, words: OverviewWords = ENGLISH) -> str:
    return words.count(n)


def _tick_step(span: float) -> int:
    """The first round step that cuts ``span`` into at most 8 parts: 1, 2, 5, 10 ... 5000,
    then 10,000, 20,000, 50,000 and so on, so any span of years gets a handful of ticks."""
    step = next((s for s in TICK_STEPS if span / s <= 8), None)
    if step is not None:
        return step
    power = 10_000
    while True:
        for factor in (1, 2, 5):
            if span / (factor * power) <= 8:
                return factor * power
        power *= 10


def _ticks(start: float, end: float, scale: Callable[[float], float],
           words: OverviewWords = ENGLISH) -> list[Tick]:
    span = end - start
    if span <= 2:
        ticks = []
        for quarter in range(round(span * 4) + 1):
            t = start + quarter / 4
            year = math.floor(t + 1e-9)
            month = round((t - year) * 12)
            label = words.year(year) if month == 0 else words.tick_month(month)
            ticks.append(Tick(scale(t), label, month != 0))
        return ticks
    step = _tick_step(span)
    # Round numbers as readers count: 40 BCE is astronomical year -39, and there is no year 0.
    rounds = range(math.ceil(start / step) * step - step, int(end) + step, step)
    years = [r + 1 if r <= 0 and step > 1 else r for r in rounds]
    years = [y for y in years if start <= y <= end]
    return [Tick(scale(y), words.year(y), len(years) > 4 and n % 2 == 1)
            for n, y in enumerate(years)]


def _lanes(boxes: Sequence[tuple[float, float]], max_lanes: int) -> list[int] | None:
    """Greedy lanes for ``(left, right)`` intervals in order; None when they do not fit."""
    rights: list[float] = []
    lanes = []
    for left, right in boxes:
        lane = next((i for i, r in enumerate(rights) if r <= left), None)
        if lane is None:
            if len(rights) == max_lanes:
                return None
            rights.append(right)
            lane = len(rights) - 1
        rights[lane] = right
        lanes.append(lane)
    return lanes


def _mark_box(ext: Extent, end: float, scale: Callable[[float], float]) -> tuple[float, float]:
    """Left edge and width: a circle for a day, a pill for anything longer."""
    x0, x1 = scale(ext.start), scale(ext.end if ext.end is not None else end)
    if x1 - x0 < 2 * RADIUS:
        middle = (x0 + x1) / 2
        return middle - RADIUS, 2 * RADIUS
    return x0, x1 - x0


def _text_width(text: str) -> float:
    """A generous estimate of a label's width: Hangul and other wide scripts take about a
    full em, Latin letters about 0.6 of one."""
    return sum(1.0 if ord(c) >= 0x2E80 else 0.6 for c in text) * FONT


def _labelspan(x0: float, x1: float, title: str, width: float) -> tuple[float, str]:
    """Where an era's label starts, and its anchor: after the bar's start where it fits,
    else ending at the bar's end, else ending at the strip's edge."""
    size = _text_width(title)
    if x0 + size <= width:
        return x0, "start"
    return max(x1, size), "end"


def _era_rows(eras: Sequence[Era], start: float, end: float,
              scale: Callable[[float], float], width: float = WIDTH
              ) -> list[tuple[Era, float, float, int]]:
    """Eras inside the axis, each with its left and right edge and a row where its label
    fits: a row holds a label only where no other bar or label is, so none overlap."""
    visible = []
    for era in eras:
        ext = extent(era.date)
        lo, hi = max(ext.start, start), min(ext.end if ext.end is not None else end, end)
        if hi > lo:
            visible.append((era, scale(lo), scale(hi)))
    spans = []
    for era, x0, x1 in visible:
        x, anchor = _labelspan(x0, x1, era.title, width)
        size = _text_width(era.title)
        left, right = (x, x + size) if anchor == "start" else (x - size, x)
        spans.append((min(left, x0), max(right, x1) + 8))
    order = sorted(range(len(spans)), key=lambda i: spans[i])
    lanes = _lanes([spans[i] for i in order], len(spans)) or list(range(len(spans)))
    rows = [0] * len(spans)
    for i, lane in zip(order, lanes, strict=True):
        rows[i] = lane
    return [(era, x0, x1, row) for (era, x0, x1), row in zip(visible, rows, strict=True)]


def _era_band(era: Era, x0: float, x1: float, row: int, band_top: float,
              band_bottom: float, words: OverviewWords = ENGLISH, width: float = WIDTH
              ) -> Band:
    y = 4 + row * ERA_ROW
    label = f"{era.title}: {words.date(era.date)}"
    x, anchor = _labelspan(x0, x1, era.title, width)
    return Band(Box(x0, band_top, x1 - x0, band_bottom - band_top, "ov-era-band", label,
                    data=days_of(era.date)),
                Box(x0, y + ERA_ROW - 5, x1 - x0, 3, "ov-era-bar", label),
                x, y + ERA_ROW - 8, anchor)


def _mark(event: Event, ext: Extent, x: float, w: float, y: float, href: str,
          words: OverviewWords = ENGLISH) -> Box:
    classes = ["ov-mark", f"ov-{event.status}"]
    if event.featured:  # a key event stands out on the axis too (timeline.css, .ov-featured)
        classes.append("ov-featured")
    if ext.is_range or w > 2 * RADIUS:
        classes.append("ov-span")
    if ext.fuzzy:
        classes.append("ov-fuzzy")
    if ext.end is None:
        classes.append("ov-open")
    how = words.fuzzy if ext.fuzzy else ""
    label = words.mark(words.date(event.date), event.title, words.status(event.status), how)
    return Box(x, y, w, 2 * RADIUS, " ".join(classes), label, href,
               (("id", event.slug), ("year", str(event.date.first.year)), *days_of(event.date)))


def drawn_from(events: Sequence[Event], eras: Sequence[Era],
               lanes: Sequence[tuple[str, str]] = ()) -> str:
    """All ``plan_overview`` reads of the events and eras: the strip is the same while this
    is. Marks show each event; bars count dates only, so a long timeline's strip outlives
    edits of anything but dates, in any order: events of one date reordered by a title edit
    leave it (the timeline sorts by earliest day first, so each bar's first year, the first
    and the last year stay). Cheaper than the plan, made only if a page shows it."""
    if len(events) <= MAX_MARKS:
        shown = [(e.slug, e.date.text or repr(e.date), e.title, e.status, e.featured)
                 for e in events]
        if lanes:
            return repr((shown, eras, lanes, lane_groups(events, [t for t, _ in lanes])))
        return repr((shown, eras))
    return repr((sorted([e.date.text or repr(e.date) for e in events]), eras))


def plan_overview(events: Sequence[Event], eras: Sequence[Era],
                  event_href: Callable[[Event], str],
                  year_href: Callable[[int], str], words: OverviewWords = ENGLISH,
                  width: int = WIDTH, placed: Sequence[Placed] | None = None,
                  lanes: Sequence[tuple[str, str]] = ()) -> Overview | None:
    """Lay out the strip for ``events`` (in order); None when there is nothing to draw.
    ``words``: what it says, in the page's language; ``placed``: the events'
    ``placements``, when they are known already; ``lanes``: (tag, its label) for a lane
    per tag, the marks drawn in them (bars have none)."""
    if not events:
        return None
    if placed is None:
        placed = placements(events)
    marked = len(events) <= MAX_MARKS
    extents = [extent(e.date) for e in events] if marked else []
    start, end = domain([(x.start, x.end) for x in extents] if marked else
                         [span for _, span, _ in placed])
    inner = width - 2 * PAD

    def scale(t: float) -> float:
        return PAD + (t - start) / (end - start) * inner

    boxes: list[tuple[float, float]] = []
    rows: list[int] | None = None
    groups, drawn = lane_groups(events, [t for t, _ in lanes]) if lanes and marked else \
        ([0] * len(events), [])
    heights: list[int] = []
    if marked:
        boxes = [_mark_box(ext, end, scale) for ext in extents]
        banded = banded_rows([(x - 2, x + w + 2) for x, w in boxes], groups,
                             max(len(drawn), 1), MAX_LANES, _lanes)
        rows, heights = banded if banded else (None, [])
    if rows is None:  # bars: whole bins on a whole-bin axis
        unit, size = _unit(start, end, inner // 6)
        if size >= 1:
            start, end = math.floor(start / size) * size, math.ceil(end / size) * size
    else:  # density under the marks: the axis stays as the marks were laid out on it
        unit, size = _unit(start, end, inner // 3, smallest=1)
    era_rows = _era_rows(eras, start, end, scale, width)
    body_top = 4 + (max((r for *_, r in era_rows), default=-1) + 1) * ERA_ROW + (
        6 if era_rows else 0)
    label_row = LABEL_ROW if drawn else 0
    tops = lane_tops(heights, body_top, label_row, LANE)
    bin_of = [_bin_of(earliest, size) for earliest, _, _ in placed]
    counts = Counter(bin_of)
    first_year: dict[float, int] = {}
    for (_, _, year), key in zip(placed, bin_of, strict=True):
        if key not in first_year:
            first_year[key] = year
    peak = max(counts.values())
    bars_height = DENSITY if rows else BARS
    bins_top = tops[-1] + 8 if rows else body_top
    bins = []
    for key in sorted(counts):
        x0, x1 = scale(max(key, start)), scale(min(key + size, end))
        height = max(2.0, bars_height * counts[key] / peak)
        bins.append(Box(x0 + 0.5, bins_top + bars_height - height, max(1.0, x1 - x0 - 1),
                        height, "ov-density" if rows else "ov-bar",
                        f"{_bin_name(key, size, words)}: {_count(counts[key], words)}",
                        "" if rows else year_href(first_year[key]), _bin_data(key, size,
                                                                              counts[key])))
    marks = [_mark(event, ext, x, w, tops[group] + label_row + row * LANE + LANE / 2 - RADIUS,
                   event_href(event), words)
             for event, ext, (x, w), row, group in zip(events, extents, boxes, rows or [],
                                                       groups, strict=False)]
    if drawn and rows:  # the navigator script keeps each mark in its lane when it zooms
        marks = [replace(m, data=(*m.data, ("lane", str(g)))) for m, g in zip(marks, groups,
                                                                              strict=True)]
    labels = [*(label for _, label in lanes), words.other]
    axis_y = bins_top + bars_height + 1
    bands = [_era_band(era, x0, x1, row, body_top - 3, axis_y, words, width)
             for era, x0, x1, row in era_rows]
    busiest = max(sorted(counts), key=lambda k: counts[k])
    first, last = (events[i].date.first.year for i in (0, -1))
    summary = words.summary(_count(len(events), words), words.year(first), words.year(last),
                            words.unit(unit), _bin_name(busiest, size, words),
                            _count(counts[busiest], words))
    return Overview(width, math.ceil(axis_y + AXIS), start, end, rows is None, unit,
                    tuple(marks) if rows else tuple(bins), tuple(bins) if rows else (),
                    tuple(bands), tuple(_ticks(start, end, scale, words)), axis_y, summary,
                    tuple(Lane(labels[k], tops[n]) for n, k in enumerate(drawn)) if rows
                    else ())
