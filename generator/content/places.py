"""The gazetteer, ``content/places.yaml``: where each place the events name lies, and its
name in the site's other languages. The map (``generator/site/maps.py``) draws from it.

A list, one entry per place::

    - name: Kaesong          # as events write it in ``places:``
      names: {ko: 개성}       # optional: its name in another language of the site
      latitude: 37.97083     # decimal degrees, north positive
      longitude: 126.55444   # decimal degrees, east positive
      country: KP            # optional: ISO 3166 alpha-2 code

A place may be listed without coordinates (both left out): ``check`` warns and suggests them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.content.header import FrontMatter, decode, parse_document
from generator.content.model import slugify
from generator.errors import Problem, did_you_mean
from generator.symlinks import read_regular

REL = "content/places.yaml"
FIELDS = ("name", "names", "latitude", "longitude", "country")
_COUNTRY = re.compile(r"[A-Z]{2}")


@dataclass(frozen=True)
class Place:
    """One place of the gazetteer; ``latitude`` and ``longitude`` are None together."""

    name: str
    latitude: float | None = None
    longitude: float | None = None
    names: tuple[tuple[str, str], ...] = ()
    """(language, name in it), sorted."""
    country: str = ""
    line: int | None = None

    @property
    def located(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def name_in(self, language: str) -> str:
        """The place's name in ``language``, or '' where the gazetteer gives none."""
        return dict(self.names).get(language, "")


def load_places(site: Path) -> tuple[tuple[Place, ...], list[Problem]]:
    """Read ``content/places.yaml`` if there is one: its places and every problem in it."""
    path = site / REL
    if not path.is_file():
        return (), []
    text, problems = decode(REL, read_regular(path))
    if text is None:
        return (), problems
    fm, problems = parse_document(REL, text, "places")
    if fm is None or fm.data["places"] is None:
        return (), problems
    items = fm.data["places"]
    if not isinstance(items, list):
        return (), [Problem(REL, 1, None, "expected a list of places (- name: ..., "
                            "latitude: ..., longitude: ...)")]
    return build_places(fm, items, problems)


def build_places(fm: FrontMatter, items: Sequence[Any], problems: list[Problem]
                 ) -> tuple[tuple[Place, ...], list[Problem]]:
    """Validate each entry; a place with an error is left out, the others kept."""
    places: list[Place] = []
    seen: dict[str, int | None] = {}
    for number, item in enumerate(items):
        where = fm.line(("places", number))
        if not isinstance(item, dict):
            problems.append(Problem(REL, where, f"places[{number}]", "expected a place "
                                    "(name: ..., latitude: ..., longitude: ...)"))
            continue
        found: list[Problem] = []

        def bad(key: str, message: str, found: list[Problem] = found,
                number: int = number) -> None:
            found.append(Problem(REL, fm.line(("places", number, key)), key, message))

        for key in item:
            if key not in FIELDS:
                bad(str(key), "not a field of a place" + did_you_mean(str(key), FIELDS))
        name = item.get("name")
        if not isinstance(name, str) or not name.strip():
            bad("name", "expected the place's name, as events write it in places:")
            name = ""
        name = name.strip()
        coordinates = [_degrees(item, key, limit, bad) for key, limit in
                       (("latitude", 90), ("longitude", 180))]
        if sum(c is None for c in coordinates) == 1 and not found:
            missing = "longitude" if coordinates[1] is None else "latitude"
            bad(missing, "give latitude and longitude together, or neither")
        names = item.get("names") or {}
        if not isinstance(names, dict) or not all(
                isinstance(k, str) and isinstance(v, str) and v.strip()
                for k, v in names.items()):
            bad("names", "expected a mapping of language to name, like {ko: 개성}")
            names = {}
        country = item.get("country", "")
        if country != "" and (not isinstance(country, str)
                              or not _COUNTRY.fullmatch(country)):
            bad("country", "expected an ISO 3166 two-letter code, like KP")
            country = ""
        slug = slugify(name) if name else ""
        if slug in seen:
            bad("name", f"'{name}' is already listed on line {seen[slug]}: "
                "one entry per place")
        elif slug:
            seen[slug] = fm.line(("places", number, "name"))
        problems += found
        if not found:
            latitude, longitude = coordinates
            places.append(Place(name, latitude, longitude,
                                tuple(sorted((k, v.strip()) for k, v in names.items())),
                                country, where))
    return tuple(places), problems


def _degrees(item: dict[str, Any], key: str, limit: int, bad: Any) -> float | None:
    """A latitude or longitude in decimal degrees, within ±``limit``."""
    value = item.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) \
            or not math.isfinite(value):
        bad(key, f"expected decimal degrees, like {'37.97' if limit == 90 else '126.55'}")
        return None
    if not -limit <= value <= limit:
        bad(key, f"{value} is out of range: from -{limit} to {limit}")
        return None
    return float(value)


def place_index(places: Sequence[Place]) -> dict[str, Place]:
    """Each place by its slug: events' "Kaesong" and "kaesong" are one place, as their
    pages are."""
    return {slugify(place.name): place for place in places}
