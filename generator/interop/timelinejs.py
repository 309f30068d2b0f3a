"""TimelineJS3's JSON format, both ways: its date objects against EDTF, and the whole document.

TimelineJS labels a negative year by its absolute value ("year": -44 shows as "44 BCE"), while
EDTF counts astronomically (-0043 is 44 BCE), so years before 1 CE move by one each way.
TimelineJS has no seasons, decades, qualifiers or open ends: an export spells them out in the
slide's ``display_date`` (and a span of dates), and an import reads them back from it.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from generator.config import SiteConfig
from generator.content.dates import (
    MAX_YEAR_DIGITS,
    DateError,
    EventDate,
    PartialDate,
    parse_date,
    parse_single,
    shorten,
)
from generator.content.loading import Timeline
from generator.content.model import Event, Media, Source, safe_url

META_CLASS = "timeline-meta"
"""Class of the block an export appends to each slide's text: readable sources, plus the
event's status, tags, places, sources and media as JSON in ``data-timeline`` for re-import."""
SUMMARY_CLASS = "timeline-summary"
_PARTS = ("year", "month", "day", "hour", "minute", "second")
_WHOLE = re.compile(r"[+-]?[0-9]+")
_ZONE = re.compile(r" (UTC|[+-][0-9]{2}(?::[0-9]{2})?)$")


def tl_year(year: int) -> int:
    """TimelineJS's year for an astronomical one: 0 is 1 BCE, shown by TimelineJS as -1."""
    return year if year > 0 else year - 1


def edtf_year(year: int) -> int:
    """The astronomical year for a TimelineJS one (its year 0, which it shows as '0', is 1 BCE
    like its -1)."""
    return year + 1 if year < 0 else year


def year_text(year: int) -> str:
    """EDTF spelling of an astronomical year: '2017', '-0043', 'Y-12000'."""
    if abs(year) > 9999:
        return f"Y{year}"
    return f"-{-year:04d}" if year < 0 else f"{year:04d}"


# Export ------------------------------------------------------------------------------------

def tl_date(side: PartialDate, last: bool = False) -> dict[str, int]:
    """A TimelineJS date at the side's own precision; ``last`` takes the end of a season or
    decade instead of its start."""
    y, m, d = side.latest() if last else side.earliest()
    out = {"year": tl_year(y)}
    if side.precision in ("season", "month", "day", "second"):
        out["month"] = m
    if side.precision in ("day", "second"):
        out["day"] = d
    if side.time is not None:
        out.update(hour=int(side.time[:2]), minute=int(side.time[3:5]),
                   second=int(side.time[6:8]))
    return out


def tl_dates(date: EventDate) -> tuple[dict[str, int], dict[str, int] | None]:
    """Start and end for a slide; a season or decade alone becomes the span it covers."""
    if date.start is not None and date.end is not None:
        return tl_date(date.start), tl_date(date.end, last=True)
    side = date.first
    if not date.is_range and side.precision in ("season", "decade", "century"):
        return tl_date(side), tl_date(side, last=True)
    return tl_date(side), None


def _source_html(source: Source, words: SlideWords) -> str:
    label = ": ".join(html.escape(p) for p in (source.publisher, source.title) if p)
    if source.url:
        label = f'<a href="{html.escape(source.url)}">{label}</a>'
    if source.published is not None:
        label += f" ({html.escape(words.published(source.published))})"
    if source.via:  # who the outlet cited, as the event page says it
        label += " — " + html.escape(words.citing.replace("{via}", source.via))
    if source.archived:
        label += f' (<a href="{html.escape(source.archived)}">{html.escape(words.archived)}</a>)'
    if source.quote:
        lang = f' lang="{html.escape(source.language)}"' if source.language else ""
        label += f"<blockquote{lang}>{html.escape(source.quote)}</blockquote>"
    return f"<li>{label}</li>"


@dataclass(frozen=True)
class SlideWords:
    """What a slide says in the export's language: its dates and the sources' heading
    (English by default; ``/ko/timelinejs.json`` says them in Korean)."""

    date: Callable[[EventDate], str] = EventDate.display
    published: Callable[[PartialDate], str] = PartialDate.display
    sources: str = "Sources:"
    citing: str = "Reported, citing {via}"
    archived: str = "archived copy"


ENGLISH = SlideWords()


def _media_url(media: Media, config: SiteConfig) -> str:
    if safe_url(media.src) is not None or not config.base_url:
        return media.src
    return config.base_url + media.src.lstrip("/")


SLIDE_FIELDS = ("title", "date", "end", "summary", "slug", "status", "draft")
"""Front-matter a slide carries in its own fields (headline, dates, summary paragraph,
unique_id); every other field goes into the ``data-timeline`` block."""


def _slide_text(event: Event, config: SiteConfig, page_url: str, words: SlideWords) -> str:
    fm = event.front_matter
    meta: dict[str, Any] = {"status": event.status}
    for key, value in fm.items():  # every field, a new one too, so that an import keeps it
        if key not in SLIDE_FIELDS and value not in (None, "", [], {}):
            meta[key] = value
    data = html.escape(json.dumps(meta, ensure_ascii=False), quote=True)
    parts = []
    if fm.get("summary"):
        parts.append(f'<p class="{SUMMARY_CLASS}">{html.escape(event.summary)}</p>')
    parts.append(event.html.strip())
    parts.append(f'<div class="{META_CLASS}" data-timeline="{data}">')
    listed = "".join(_source_html(s, words) for s in event.sources)
    parts.append(f"<p>{html.escape(words.sources)}</p><ol>{listed}</ol>")
    parts.append(f'<p><a href="{html.escape(page_url)}">{html.escape(config.title)}</a></p>')
    parts.append("</div>")
    return "\n".join(parts)


def event_slide(event: Event, config: SiteConfig, page_url: str, words: SlideWords = ENGLISH
                ) -> dict[str, Any]:
    """One event as a TimelineJS slide: its dates, headline, text with sources, first image,
    in the language of ``words``."""
    start, end = tl_dates(event.date)
    slide: dict[str, Any] = {"start_date": start}
    if end is not None:
        slide["end_date"] = end
    slide["display_date"] = words.date(event.date)
    slide["text"] = {"headline": html.escape(event.title, quote=False),
                     "text": _slide_text(event, config, page_url, words)}
    if event.media:
        first = event.media[0]
        slide["media"] = {"url": _media_url(first, config), "caption": first.caption,
                          "credit": first.credit, "alt": first.alt}
    if event.tags:
        slide["group"] = event.tags[0]
    slide["unique_id"] = event.slug
    return slide


def timelinejs_frame(timeline: Timeline, config: SiteConfig, words: SlideWords = ENGLISH
                     ) -> dict[str, Any]:
    """Everything but the event slides: the title slide, the eras and the scale."""
    intro = html.escape(config.description, quote=False)
    doc: dict[str, Any] = {"title": {"text": {"headline": html.escape(config.title, quote=False),
                                              "text": f"<p>{intro}</p>" if intro else ""}}}
    eras = []
    for era in timeline.eras:
        start, end = tl_dates(era.date)
        if end is None:  # TimelineJS needs an end: an open era runs to the last event
            end = dict(start)
            last = max((side.latest() for e in timeline.events
                        for side in (e.date.start, e.date.end) if side is not None),
                       default=None)
            if last is not None and last > era.date.first.earliest():
                end = {"year": tl_year(last[0]), "month": last[1], "day": last[2]}
        shown: dict[str, Any] = {**start, "display_date": words.date(era.date)}
        eras.append({"start_date": shown, "end_date": end,
                     "text": {"headline": html.escape(era.title, quote=False),
                              "text": html.escape(era.summary, quote=False)}})
    doc["eras"] = eras
    doc["scale"] = timeline_scale(timeline)
    return doc


def timeline_scale(timeline: Timeline) -> str:
    """TimelineJS draws years beyond about 270,000 only on its cosmological scale."""
    lowest = highest = 0
    for event in timeline.events:
        for side in (event.date.start, event.date.end):
            if side is not None:
                lowest, highest = min(lowest, side.year), max(highest, side.year)
    return "cosmological" if max(abs(tl_year(lowest)), highest) > 270_000 else "human"


# Import ------------------------------------------------------------------------------------

class DatePartError(DateError):
    """A TimelineJS date that cannot be read, and the part of it (year, month ...) to fix."""

    def __init__(self, part: str, message: str) -> None:
        super().__init__(message)
        self.part = part


def side_text(value: Any) -> str:
    """EDTF text of one TimelineJS date object; raise ``DatePartError`` naming the bad part."""
    if not isinstance(value, dict):
        raise DatePartError("", 'expected a date like {"year": 1969, "month": 7}')
    nums: dict[str, int] = {}
    for part in _PARTS:
        raw = value.get(part)
        if raw is None or isinstance(raw, bool) or str(raw).strip() == "":
            continue
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        text = re.sub(r"[\s,]", "", str(raw))  # TimelineJS drops thousands separators too
        if not _WHOLE.fullmatch(text):
            raise DatePartError(part, f"'{shorten(str(raw))}' is not a whole number")
        digits = len(text.lstrip("+-"))
        if digits > MAX_YEAR_DIGITS:  # and never a number too long for int() to read
            raise DatePartError(part, f"{digits:,} digits: a {part} may have at most "
                                f"{MAX_YEAR_DIGITS}")
        nums[part] = int(text)
    if "year" not in nums:
        raise DatePartError("year", "missing: every TimelineJS date needs a year")
    text = year_text(edtf_year(nums["year"]))
    if "month" in nums:
        if not 1 <= nums["month"] <= 12:
            raise DatePartError("month", f"no such month {nums['month']}")
        text += f"-{nums['month']:02d}"
        if "day" in nums:
            text += f"-{nums['day']:02d}"
    elif "day" in nums:
        raise DatePartError("month", "missing: a day needs a month")
    if nums.keys() & {"hour", "minute", "second"}:
        if "day" not in nums:
            raise DatePartError("day", "missing: a time needs a month and a day")
        text += "T{:02d}:{:02d}:{:02d}".format(*(nums.get(p, 0) for p in _PARTS[3:]))
    try:
        parse_single(text)
    except DateError as exc:
        raise DatePartError("hour" if "T" in text else "day", str(exc)) from None
    return text


def _variants(text: str, shown: str) -> list[str]:
    """Other EDTF dates that TimelineJS would be given the same fields for."""
    side = parse_single(text)
    if side.time is not None:
        zone = _ZONE.search(shown)
        if zone is None:
            return [text]
        return [text, text + ("Z" if zone.group(1) == "UTC" else zone.group(1))]
    plain = [text]
    if side.precision == "year" and not text.startswith("Y"):
        plain += [text[:-1] + "X", text[:-2] + "XX"]  # decade, century
    out = plain + [v + q for v in plain for q in "~?%"]
    if side.precision == "month":
        out += [f"{text[:-3]}-{season}" for season in (21, 22, 23, 24)]
    return out


def _candidates(start: str, end: str | None, shown: str) -> list[str]:
    starts = _variants(start, shown)
    ends = _variants(end, shown) if end is not None else []
    return (starts + [f"{a}/{b}" for a in starts for b in ends]
            + [f"{a}/{b}" for a in starts for b in ("..", "")]
            + [f"{b}/{a}" for a in (ends or starts) for b in ("..", "")])


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", text))).strip()


def event_date(start: Any, end: Any, shown: str) -> tuple[EventDate, str, list[str]]:
    """The EDTF date for TimelineJS start and end dates, read at their precision.

    ``shown`` (the display date) picks between dates TimelineJS cannot tell apart, such as
    '2017-04' and 'c. April 2017'. Returns the date, the display date when it says more than
    the date does (or ''), and warnings.
    """
    warnings = []
    first = side_text(start)
    last = side_text(end) if isinstance(end, dict) and end.get("year") not in (None, "") \
        else None
    shown = _clean(shown)
    if last is not None and ("T" in first or "T" in last):
        warnings.append(f"times dropped from {first} – {last}: an EDTF range has no time "
                        "of day")
        if not shown:
            a, b = parse_single(first).display(), parse_single(last).display()
            shown = f"{a} – {b.rsplit(', ', 1)[-1] if a[:-6] == b[:-6] else b}"
        first, last = first.split("T")[0], last.split("T")[0]
    if last == first:
        last = None
    base = parse_date(first if last is None else f"{first}/{last}")
    if not shown:
        return base, "", warnings
    for text in _candidates(first, last, shown):
        try:
            candidate = parse_date(text)
        except DateError:
            continue
        if (candidate.display() == shown and candidate.earliest() == base.earliest()
                and candidate.latest() in (base.latest(), "")):
            return candidate, "", warnings
    return base, "" if shown == base.display() else shown, warnings
