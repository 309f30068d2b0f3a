"""Country shapes for the map: Natural Earth's 1:50m countries (public domain) as the npm
package ``world-atlas`` 2.0.2 ships them (TopoJSON, ISC licence), copied byte for byte into
``mapdata/`` so a tool installed from PyPI alone draws maps (tests/test_maps.py compares the
copy with the package package-lock.json pins).

TopoJSON is decoded here: its arcs are delta-encoded, quantized points that polygons share;
no maintained Python library decodes it without GIS dependencies, and the format is short.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SHAPES = Path(__file__).with_name("mapdata") / "countries-50m.json"
Ring = tuple[tuple[float, float], ...]
"""(longitude, latitude) points, the first repeated last."""


@dataclass(frozen=True)
class Country:
    """One country of Natural Earth: its name there and its polygons (outer ring first)."""

    name: str
    polygons: tuple[tuple[Ring, ...], ...]


def decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """Every arc as degrees: undo the delta encoding, then the quantization transform."""
    transform = topology.get("transform")
    (sx, sy), (tx, ty) = (transform["scale"], transform["translate"]) if transform \
        else ((1, 1), (0, 0))
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = (x + dx, y + dy) if transform else (dx, dy)
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_of(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> Ring:
    """A ring from its arcs: ``~i`` is arc ``i`` reversed; each arc after the first starts
    where the one before ended, so its first point is dropped."""
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[~index][::-1] if index < 0 else arcs[index]
        points += arc[1:] if points else arc
    return tuple(points)


def decode_countries(topology: dict[str, Any]) -> tuple[Country, ...]:
    """The ``countries`` object's geometries as polygons of (longitude, latitude) rings."""
    arcs = decode_arcs(topology)
    countries = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        kind = geometry.get("type")
        polygons = [geometry["arcs"]] if kind == "Polygon" else \
            geometry["arcs"] if kind == "MultiPolygon" else []
        countries.append(Country(
            str(geometry.get("properties", {}).get("name", "")),
            tuple(tuple(ring_of(ring, arcs) for ring in polygon) for polygon in polygons)))
    return tuple(countries)


def countries() -> tuple[Country, ...]:
    """The shipped shapes. Not kept: a few hundred thousand small objects that forked
    workers would inherit, for their collector to walk again and again."""
    return decode_countries(json.loads(SHAPES.read_bytes()))


def unwrapped(ring: Ring) -> Ring:
    """The ring with no jump across the antimeridian (Russia's Chukotka crosses it): each
    longitude moved by 360° to within 180° of the one before."""
    points = list(ring[:1])
    for lon, lat in ring[1:]:
        before = points[-1][0]
        points.append((lon + 360 * round((before - lon) / 360), lat))
    return tuple(points)


def land_rings(shapes: tuple[Country, ...]
               ) -> tuple[tuple[Ring, tuple[float, float, float, float]], ...]:
    """Every ring of every country, unwrapped, with its box (west, east, south, north):
    the map skips the rings it does not show without looking at their points."""
    out = []
    for country in shapes:
        for polygon in country.polygons:
            for ring in map(unwrapped, polygon):
                lons, lats = [lon for lon, _ in ring], [lat for _, lat in ring]
                out.append((ring, (min(lons), max(lons), min(lats), max(lats))))
    return tuple(out)


def _area_centroid(ring: Ring) -> tuple[float, float, float]:
    """Signed area and centroid of a ring in plain degrees (the shoelace formula)."""
    ring = unwrapped(ring)
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    area /= 2
    if area == 0:
        return 0.0, ring[0][0], ring[0][1]
    return area, cx / (6 * area), cy / (6 * area)


@functools.cache
def _country_points() -> dict[str, tuple[float, float]]:
    """(latitude, longitude) of each country by its folded name: the centroid of its
    largest polygon's outer ring, rounded to 0.01°."""
    points = {}
    for country in countries():
        if country.polygons:
            rings = [polygon[0] for polygon in country.polygons]
            area, lon, lat = max((_area_centroid(r) for r in rings), key=lambda a: abs(a[0]))
            points[country.name.casefold()] = (round(lat, 2), round((lon + 180) % 360 - 180, 2))
    return points


def country_point(name: str) -> tuple[float, float] | None:
    """(latitude, longitude) for a country named as Natural Earth names it; None for no
    such country."""
    return _country_points().get(name.casefold())
