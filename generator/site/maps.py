"""The map of places, drawn at build time as SVG: the land from Natural Earth's shapes
(``geoshapes``), one marker per place of the gazetteer that events name, sized by its
events and linking to its page. No tile and no script: every page carries its own map.

One frame serves the whole site, so every map (``/places/``, a place's, an event's) shows
the same region and the land is drawn once per build. The frame is where most places are:
around the places' median, weighted by events; a place far from it (New York on a Korean
timeline) stays a marker at the frame's edge, with an arrow toward it, rather than shrinking
the rest to dots. The projection is equirectangular with its standard parallel at the
frame's middle latitude: over a region this size it keeps shapes and is one line of maths.
"""

from __future__ import annotations

import functools
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from generator.content.model import slugify
from generator.content.places import Place, place_index
from generator.hashing import digest
from generator.site.geoshapes import countries, land_rings

if TYPE_CHECKING:
    from generator.content.loading import Timeline
    from generator.site.plan import PageJob

Rings = tuple[tuple[tuple[tuple[float, float], ...], tuple[float, float, float, float]], ...]
Box = tuple[float, float, float, float]
WIDTH, HEIGHT = 800, 600
"""The map's viewBox; a small map is the same drawing shown smaller, its marks larger."""
CORE_LON, CORE_LAT = 30.0, 20.0
"""How far (degrees) from the weighted median a place may be and still set the frame."""
MIN_SPAN = 8.0
"""The fewest degrees of latitude a frame shows: one place still gets a region around it."""
EDGE = 14.0
"""How far inside the frame an off-map place's marker sits."""
HIT = 30.0
"""The least width and height of a marker's tap area, in units of a full-size map."""


@dataclass(frozen=True)
class Frame:
    """The region a map shows: longitudes from ``west`` eastward (``east`` may pass 180)."""

    west: float
    east: float
    south: float
    north: float

    @property
    def scale(self) -> float:
        """ViewBox units per degree of latitude."""
        return HEIGHT / (self.north - self.south)

    @property
    def squeeze(self) -> float:
        """How much narrower a degree of longitude is at the frame's middle latitude."""
        return math.cos(math.radians((self.north + self.south) / 2))

    def project(self, latitude: float, longitude: float) -> tuple[float, float]:
        """ViewBox (x, y) of a point; outside the viewBox when the point is off the map,
        on whichever side (east or west) it is nearer to."""
        east_of = (longitude - self.west + 180) % 360 - 180
        if east_of < 0 and east_of + 360 - (self.east - self.west) < -east_of:
            east_of += 360
        return self.plain(latitude, self.west + east_of)

    def plain(self, latitude: float, longitude: float) -> tuple[float, float]:
        """ViewBox (x, y) of a point with its longitude taken as it is (no wrapping)."""
        return ((longitude - self.west) * self.squeeze * self.scale,
                (self.north - latitude) * self.scale)


@dataclass(frozen=True)
class Marker:
    """One place on a map: where, how large, and (for an off-map place) its arrow."""

    name: str
    names: tuple[tuple[str, str], ...]
    count: int
    x: float
    y: float
    r: float
    arrow: str = ""
    """'' on the map; else the arrow toward the place (→, ↖ …), the marker at the edge."""

    def text_in(self, language: str, labels: dict[str, str]) -> str:
        """The name a reader of ``language`` sees: the gazetteer's, the site's label, or
        the name as events write it."""
        return dict(self.names).get(language) or labels.get(self.name, self.name)


@dataclass(frozen=True)
class Drawn:
    """A marker as one map draws it: its text and where that goes, in the map's scale."""

    marker: Marker
    text: str
    r: float
    label_x: float
    label_y: float
    anchor: str
    hit: Box = (0.0, 0.0, 0.0, 0.0)
    """(x, y, width, height) of the link's invisible tap area: the circle and its label,
    at least ``HIT`` units each way (24 px where a full-size map is shown 800 px wide)."""


def _median(values: Sequence[tuple[float, int]]) -> float:
    """The weighted median: half the events lie on either side."""
    ordered = sorted(values)
    half, seen = sum(w for _, w in ordered) / 2, 0
    for value, weight in ordered:
        seen += weight
        if seen >= half:
            return value
    return ordered[-1][0]


def _near(points: Sequence[tuple[float, float, int]], lat0: float, lon0: float
          ) -> list[tuple[float, float]]:
    """The points within the core's reach of (lat0, lon0), longitudes taken near lon0."""
    moved = [(lat, lon0 + (lon - lon0 + 180) % 360 - 180) for lat, lon, _ in points]
    return [(lat, lon) for lat, lon in moved
            if abs(lat - lat0) <= CORE_LAT and abs(lon - lon0) <= CORE_LON]


def frame_of(points: Sequence[tuple[float, float, int]]) -> Frame:
    """The frame around the places near the events' weighted median (latitude,
    longitude, events), padded and widened to the map's shape."""
    lat0 = _median([(lat, w) for lat, _, w in points])
    lon0 = _median([(lon, w) for _, lon, w in points])
    near = _near(points, lat0, lon0)
    if not near:  # the medians of scattered places can fall far from every one of them
        lat0, lon0, _ = max(points, key=lambda p: p[2])
        near = _near(points, lat0, lon0)
    south, north = min(lat for lat, _ in near), max(lat for lat, _ in near)
    west, east = min(lon for _, lon in near), max(lon for _, lon in near)
    pad = max(1.5, (north - south) * 0.12, (east - west) * 0.08)
    south, north, west, east = south - pad, north + pad, west - pad, east + pad
    if north - south < MIN_SPAN:
        middle = (north + south) / 2
        south, north = middle - MIN_SPAN / 2, middle + MIN_SPAN / 2
    squeeze = math.cos(math.radians((north + south) / 2))
    wide = (east - west) * squeeze / (WIDTH / HEIGHT)  # the width in degrees of latitude
    if wide > north - south:
        middle = (north + south) / 2
        south, north = middle - wide / 2, middle + wide / 2
    else:
        middle, half = (east + west) / 2, (north - south) * WIDTH / HEIGHT / squeeze / 2
        west, east = middle - half, middle + half
    south, north = max(south, -85.0), min(north, 85.0)
    return Frame(round(west, 4), round(east, 4), round(south, 4), round(north, 4))


def _arrow(x: float, y: float) -> str:
    across = "←" if x < 0 else "→" if x > WIDTH else ""
    down = "↑" if y < 0 else "↓" if y > HEIGHT else ""
    return {("←", "↑"): "↖", ("→", "↑"): "↗", ("←", "↓"): "↙", ("→", "↓"): "↘"}.get(
        (across, down), across or down)


def radius(count: int, most: int) -> float:
    """A marker's radius: its area grows with its events, from 4 to 12 units."""
    return round(4 + 8 * math.sqrt(count / most), 1) if most else 4.0


def markers(places: Sequence[Place], counts: Counter[str], frame: Frame) -> list[Marker]:
    """One marker per located place, biggest first (small ones drawn on top)."""
    most = max((counts[slugify(p.name)] for p in places), default=0)
    found = []
    for place in places:
        assert place.latitude is not None and place.longitude is not None  # noqa: S101
        x, y = frame.project(place.latitude, place.longitude)
        arrow = _arrow(x, y)
        x, y = min(max(x, EDGE), WIDTH - EDGE), min(max(y, EDGE), HEIGHT - EDGE)
        count = counts[slugify(place.name)]
        found.append(Marker(place.name, place.names, count, round(x, 1), round(y, 1),
                            radius(count, most), arrow))
    return sorted(found, key=lambda m: (-m.r, m.name.casefold()))


def land_path(frame: Frame, rings: Rings, step: float = 2.0) -> str:
    """The land inside the frame as one path: points projected, held within a margin of
    the viewBox (what lies beyond is cut off there), and thinned to ``step`` units."""
    margin = 20.0
    low_x, high_x, low_y, high_y = -margin, WIDTH + margin, -margin, HEIGHT + margin
    across, down = frame.squeeze * frame.scale, frame.scale  # units per degree
    parts: list[str] = []
    for ring, (west, east, south, north) in rings:
        if (frame.north - south) * down < low_y or (frame.north - north) * down > high_y \
                or max((east - west) * across, (north - south) * down) < 2 * step:
            continue  # off the map, or an island too small to see
        for shift in (-360, 0, 360):  # a ring may lie a turn of the globe away
            left = frame.west - shift
            if (east - left) * across < low_x or (west - left) * across > high_x:
                continue
            kept: list[tuple[int, int]] = []
            for lon, lat in ring:
                point = (round(min(max((lon - left) * across, low_x), high_x)),
                         round(min(max((frame.north - lat) * down, low_y), high_y)))
                if not kept or abs(point[0] - kept[-1][0]) \
                        + abs(point[1] - kept[-1][1]) >= step:
                    kept.append(point)
            if len(kept) > 2:  # relative steps: short numbers, a smaller page
                steps = " ".join(f"{x - a} {y - b}" for (a, b), (x, y)
                                 in zip(kept, kept[1:], strict=False))
                parts.append(f"M{kept[0][0]} {kept[0][1]}l{steps}z")
    return "".join(parts)


@dataclass(frozen=True)
class SiteMap:
    """What every map of the site shares: its frame, its land and its markers."""

    frame: Frame
    land: str
    markers: tuple[Marker, ...]
    small_land: str = ""
    """The land thinned twice as much, for small maps: shown at half the size, it looks
    the same and weighs half as much on every event page."""
    width: int = WIDTH
    height: int = HEIGHT

    def drawn(self, language: str, labels: dict[str, str], small: bool) -> list[Drawn]:
        """The markers with their labels in ``language``; a small map (shown at about half
        the size) draws them twice as large."""
        grow = 2.0 if small else 1.0
        return layout(self.markers, [m.text_in(language, labels) for m in self.markers],
                      13 * grow, grow)

    def only(self, names: Sequence[str]) -> SiteMap:
        """The same map with the markers of these places alone (a place's, an event's)."""
        wanted = {slugify(name) for name in names}
        return replace(self, markers=tuple(m for m in self.markers
                                           if slugify(m.name) in wanted))


def _width(text: str, size: float) -> float:
    """About how wide a label is: Hangul and Han are square, Latin letters narrower."""
    return sum(size if ord(c) > 0x2E80 else size * 0.6 for c in text)


def _box(x: float, y: float, anchor: str, width: float, size: float) -> Box:
    left = x - (width if anchor == "end" else width / 2 if anchor == "middle" else 0)
    return (left, y - size * 0.5, left + width, y + size * 0.5)


def _overlap(a: Box, b: Box) -> float:
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * \
        max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def _hit(label: Box, marker: Marker, r: float, least: float) -> Box:
    """The tap area around a marker's circle and label, widened to ``least`` each way."""
    left, top = min(label[0], marker.x - r), min(label[1], marker.y - r)
    right, bottom = max(label[2], marker.x + r), max(label[3], marker.y + r)
    width, height = max(right - left, least), max(bottom - top, least)
    middle_x, middle_y = (left + right) / 2, (top + bottom) / 2
    return (round(middle_x - width / 2, 1), round(middle_y - height / 2, 1), round(width, 1),
            round(height, 1))


def layout(markers: Sequence[Marker], texts: Sequence[str], size: float, grow: float
           ) -> list[Drawn]:
    """Put each label where it hides no other label nor marker: beside its marker, right
    or left, then above or below, then further up or down; biggest markers choose first."""
    taken: list[Box] = [(m.x - m.r * grow, m.y - m.r * grow, m.x + m.r * grow,
                         m.y + m.r * grow) for m in markers]
    drawn = []
    for marker, text in zip(markers, texts, strict=True):
        r, width = marker.r * grow, _width(text + marker.arrow, size) + 2
        tries = []
        for lift in (0, -1, 1, -2, 2, -3, 3):
            dy = lift * size * 1.1
            tries += [(marker.x + r + 3, marker.y + dy, "start"),
                      (marker.x - r - 3, marker.y + dy, "end")]
        tries[2:2] = [(marker.x, marker.y - r - size * 0.7, "middle"),
                      (marker.x, marker.y + r + size * 0.9, "middle")]
        boxes = [(x, y, anchor, _box(x, y, anchor, width, size)) for x, y, anchor in tries]
        inside = [t for t in boxes if t[3][0] >= 0 and t[3][2] <= WIDTH and t[3][1] >= 0
                  and t[3][3] <= HEIGHT] or boxes
        # The first place that hides nothing, else the one that hides least.
        x, y, anchor, box = min(inside, key=lambda t: sum(_overlap(t[3], b) for b in taken))
        taken.append(box)
        drawn.append(Drawn(marker, text, round(r, 1), round(x, 1),
                           round(y + size * 0.35, 1), anchor,
                           _hit(box, marker, r, HIT * grow)))
    return drawn


@functools.cache
def _lands(frame: Frame) -> tuple[str, str]:
    """The land of a full-size map and of a small one (decoded once for both)."""
    rings = land_rings(countries())
    return land_path(frame, rings, 2.0), land_path(frame, rings, 4.0)


def site_map(timeline: Timeline) -> SiteMap | None:
    """The site's map, or None when no place that events name has coordinates."""
    counts: Counter[str] = Counter()
    for event in timeline.events:
        counts.update({slugify(name) for name in event.places})
    index = place_index(timeline.places)
    located = [place for slug, place in sorted(index.items())
               if place.located and counts[slug]]
    if not located:
        return None
    frame = frame_of([(p.latitude, p.longitude, counts[slugify(p.name)])  # type: ignore[misc]
                      for p in located])
    land, small_land = _lands(frame)
    return SiteMap(frame, land, tuple(markers(located, counts, frame)), small_land)


def with_maps(jobs: list[PageJob], timeline: Timeline, default: str) -> list[PageJob]:
    """Give ``/places/``, each place's pages and each event page with places their map
    (``place_map`` in the context), and the map's key among their inputs; ``default``: the
    site's first language, whose pages are at the root."""
    drawn = site_map(timeline)
    if drawn is None:
        return jobs
    key = digest(repr(drawn))
    slugs = {event.slug: event for event in timeline.events}
    out = []
    for job in jobs:
        path = job.path.removeprefix(f"{job.language}/") if job.language else job.path
        parts = path.split("/")
        shown: SiteMap | None = None
        if path == "places/index.html":
            shown = drawn
        elif parts[0] == "places" and len(parts) > 2 and job.template == "list.html":
            shown = drawn.only([m.name for m in drawn.markers if slugify(m.name) == parts[1]])
        elif parts[0] == "events" and len(parts) == 3 and parts[1] in slugs:
            shown = drawn.only(slugs[parts[1]].places)
        if shown is None or not shown.markers:
            out.append(job)
            continue
        language = job.language or default
        out.append(replace(job, make_context=functools.partial(
            _with_map, job, shown, language, timeline.labels_in(language),
            path != "places/index.html"), inputs=(*job.inputs, key)))
    return out


def _with_map(job: PageJob, shown: SiteMap, language: str, labels: dict[str, str],
              small: bool) -> dict[str, Any]:
    return {**job.context, "place_map": shown, "map_small": small,
            "map_marks": shown.drawn(language, labels, small)}
