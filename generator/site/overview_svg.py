"""The overview strip drawn as SVG from its plan: escaped text only, so a template may insert
it as it is."""


from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from html import escape

from generator.content.model import Era, Event
from generator.site.overview import (
    FONT,
    LAYOUT,
    PAD,
    TARGET,
    Box,
    Overview,
    plan_overview,
)
from generator.site.overview_lanes import LABEL_ROW


def _num(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _rect(box: Box, rounded: bool = False) -> str:
    radius = f' rx="{_num(min(box.height, box.width) / 2)}"' if rounded else ""
    return (f'<rect x="{_num(box.x)}" y="{_num(box.y)}" width="{_num(box.width)}" '
            f'height="{_num(box.height)}"{radius}/>')


def draw_overview(ov: Overview, labelledby: str = "",
                  link: Callable[[str], str] | None = None) -> str:
    """The strip as an ``<svg>`` element to place inline in a page; ``link`` rewrites each
    mark's href for the page it is drawn on, so one plan serves every page."""
    e = escape
    named = f' aria-labelledby="{e(labelledby)}"' if labelledby else ""
    out = [f'<svg class="overview-svg" viewBox="0 0 {ov.width} {ov.height}" '
           f'width="{ov.width}" height="{ov.height}" role="group"{named} '
           f'data-start="{_num(ov.start)}" data-end="{_num(ov.end)}" data-pad="{PAD}" '
           f'data-layout="{e(json.dumps(LAYOUT, separators=(",", ":")))}">']
    if ov.eras:
        out.append('<g class="ov-eras">')
        for band in ov.eras:
            out.append(f'<g class="ov-era"{_data(band.band)}><title>{e(band.bar.label)}</title>'
                       f'<g class="ov-era-band">{_rect(band.band)}</g>'
                       f'<g class="ov-era-bar">{_rect(band.bar)}</g>'
                       f'<text x="{_num(band.label_x)}" y="{_num(band.label_y)}"'
                       f' text-anchor="{band.anchor}">{e(band.bar.label.split(": ")[0])}'
                       '</text></g>')
        out.append("</g>")
    out.append('<g class="ov-axis" aria-hidden="true">'
               f'<line x1="{PAD}" x2="{ov.width - PAD}" y1="{_num(ov.axis_y)}" '
               f'y2="{_num(ov.axis_y)}"/>')
    for tick in ov.ticks:
        minor = ' class="ov-minor"' if tick.minor else ""
        half = len(tick.label) * FONT * 0.3
        anchor, x = "middle", tick.x
        if tick.x - half < 0:
            anchor, x = "start", max(0, tick.x - 4)
        elif tick.x + half > ov.width:
            anchor, x = "end", min(ov.width, tick.x + 4)
        out.append(f'<g{minor}><line x1="{_num(tick.x)}" x2="{_num(tick.x)}" '
                   f'y1="{_num(ov.axis_y)}" y2="{_num(ov.axis_y + 5)}"/>'
                   f'<text x="{_num(x)}" y="{_num(ov.axis_y + 18)}" '
                   f'text-anchor="{anchor}">{e(tick.label)}</text></g>')
    out.append("</g>")
    if ov.lanes:  # a rule above each lane and its label: text a screen reader reads too
        out.append('<g class="ov-lanes">')
        out += [f'<g class="ov-lane" data-lane="{n}"><line x1="{PAD}" x2="{ov.width - PAD}" '
                f'y1="{_num(lane.y)}" y2="{_num(lane.y)}"/><text x="{PAD}" '
                f'y="{_num(lane.y + LABEL_ROW - 3)}">{e(lane.label)}</text></g>'
                for n, lane in enumerate(ov.lanes)]
        out.append("</g>")
    if ov.density:
        out.append('<g class="ov-density" aria-hidden="true">')
        out += [f"<g{_data(b)}><title>{e(b.label)}</title>{_shape(b, True)}</g>"
                for b in ov.density]
        out.append("</g>")
    out.append(f'<g class="{"ov-bars" if ov.aggregated else "ov-marks"}">')
    for number, box in enumerate(ov.marks):
        href = link(box.href) if link else box.href
        # One Tab stop for the whole strip: the navigator script moves it with arrow keys.
        roving = "" if number == 0 else ' tabindex="-1"'
        out.append(f'<a href="{e(href)}" class="{box.classes}"{_data(box)}{roving}>'
                   f"<title>{e(box.label)}</title>{_shape(box, ov.aggregated)}"
                   f"{'' if ov.aggregated else _target(box)}</a>")
    out.append("</g></svg>")
    return "".join(out)


def _target(box: Box) -> str:
    width, height = max(box.width, TARGET), max(box.height, TARGET)
    x, y = box.x + box.width / 2 - width / 2, box.y + box.height / 2 - height / 2
    return (f'<rect class="ov-target" x="{_num(x)}" y="{_num(y)}" width="{_num(width)}" '
            f'height="{_num(height)}"/>')


def _data(box: Box) -> str:
    return "".join(f' data-{name}="{escape(value)}"' for name, value in box.data)


def _shape(box: Box, bar: bool) -> str:
    """A bar (its full count, and the part matching the filters drawn over it), or a mark
    shaped by status: round when confirmed, square when reported, a diamond when disputed
    (a span keeps its length, with square ends unless confirmed)."""
    if bar:
        return (f'{_rect(box)}<rect class="ov-hit" x="{_num(box.x)}" y="{_num(box.y)}" '
                f'width="{_num(box.width)}" height="{_num(box.height)}"/>')
    if "ov-disputed" in box.classes and box.width <= box.height + 0.1:
        cx, cy, r = box.x + box.width / 2, box.y + box.height / 2, box.height / 2 + 1
        return (f'<polygon points="{_num(cx)},{_num(cy - r)} {_num(cx + r)},{_num(cy)} '
                f'{_num(cx)},{_num(cy + r)} {_num(cx - r)},{_num(cy)}"/>')
    return _rect(box, rounded="ov-confirmed" in box.classes)


def overview_svg(events: Sequence[Event], eras: Sequence[Era],
                 event_href: Callable[[Event], str], year_href: Callable[[int], str],
                 labelledby: str = "") -> tuple[str, str]:
    """The strip's markup and a one-sentence summary of it; empty strings for no events."""
    ov = plan_overview(events, eras, event_href, year_href)
    if ov is None:
        return "", ""
    return draw_overview(ov, labelledby), ov.summary
