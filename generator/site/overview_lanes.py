"""Lanes per tag on the overview strip, as TimelineJS draws groups: which lane each event
goes in, and where each lane lies. ``static/assets/strip-layout.js`` (``bands``) lays out a
zoomed strip the same way, with the numbers the build writes on it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.config import CONFIG_NAME, SiteConfig
from generator.content.model import Event
from generator.errors import Problem, did_you_mean
from generator.toml_tables import key_line

LABEL_ROW = 15
"""Units above a lane's marks for its label (13-unit text, ``.overview text``)."""

Interval = tuple[float, float]


@dataclass(frozen=True)
class Lane:
    """One lane as drawn: its label and its top edge (the label row's), in SVG units."""

    label: str
    y: float


def lane_groups(events: Sequence[Event], tags: Sequence[str]) -> tuple[list[int], list[int]]:
    """Each event's lane, and which lanes are drawn (as indexes into ``tags``, where
    ``len(tags)`` is "Other"). An event goes in the first of ``tags`` it has, in the order
    of ``timeline.toml``; a lane no event goes in is not drawn."""
    raw = [next((i for i, tag in enumerate(tags) if tag in event.tags), len(tags))
           for event in events]
    drawn = sorted(set(raw))
    number = {lane: n for n, lane in enumerate(drawn)}
    return [number[lane] for lane in raw], drawn


def banded_rows(boxes: Sequence[Interval], groups: Sequence[int], count: int,
                max_rows: int, rows_of: Callable[[Sequence[Interval], int], list[int] | None]
                ) -> tuple[list[int], list[int]] | None:
    """Each box's row within its lane (``rows_of``: the greedy rows of one lane) and each
    lane's number of rows, at least one; None when a lane needs more than ``max_rows``."""
    rows = [0] * len(boxes)
    heights = []
    for lane in range(count):
        members = [i for i, g in enumerate(groups) if g == lane]
        found = rows_of([boxes[i] for i in members], max_rows)
        if found is None:
            return None
        for i, row in zip(members, found, strict=True):
            rows[i] = row
        heights.append(max(found, default=0) + 1)
    return rows, heights


def lane_tops(heights: Sequence[int], top: float, label_row: float, lane: float
              ) -> list[float]:
    """The top edge of each lane, the first at ``top``, then one after another; the last
    item is where the marks end."""
    tops = [top]
    for rows in heights:
        tops.append(tops[-1] + label_row + rows * lane)
    return tops


def lane_problems(site: Path, events: Sequence[Event], config: SiteConfig) -> list[Problem]:
    """A warning for each lane of ``[overview] lanes`` whose tag no event has (misspelled,
    or renamed since): that lane is not drawn."""
    used = sorted({tag for event in events for tag in event.tags})
    missing = [tag for tag in config.lanes if tag not in used]
    if not missing:
        return []
    text = (site / CONFIG_NAME).read_text("utf-8", errors="replace")
    line = key_line(text, "lanes", "overview")
    others = [tag for tag in used if tag not in config.lanes]  # not one already chosen
    return [Problem(CONFIG_NAME, line, "overview.lanes", f"no event has the tag '{tag}'"
                    f"{did_you_mean(tag, others)}: its lane is not drawn", "warning")
            for tag in missing]
