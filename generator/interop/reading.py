"""Reading an import file into drafts: TimelineJS3 JSON, the TimelineJS spreadsheet (as CSV)
and a plain CSV of events, each problem with the line or row it comes from."""


from __future__ import annotations

import bisect
import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.content.dates import DateError, parse_date, with_end
from generator.content.model import slugify
from generator.content.text import event_stem
from generator.interop.cells import (
    MEDIA_COLUMN,
    OTHER_COLUMN,
    SHORT_NAMES,
    SOURCE_COLUMNS,
    media_from,
    plain_cell,
    sources_from,
)
from generator.interop.slides import (
    Batch,
    Draft,
    era_draft,
    explicit_slug,
    intro_draft,
    slide_draft,
)

PLAIN_COLUMNS = ("date", "end", "title", "summary", "status", "tags", "places", "source_url",
                 "source_publisher", "source_title", "source_published")
EXTRA_COLUMNS = ("slug", "body", MEDIA_COLUMN, "aliases", OTHER_COLUMN,
                 *(c for c in SOURCE_COLUMNS if c not in PLAIN_COLUMNS))
"""Written by ``events.csv`` so that a site survives the round trip; optional on import.
Formats in ``cells``; ``archived``, ``language``, ``quote``, ``via`` and ``author`` are read
as the ``source_`` column of that name too."""
SHEET_COLUMNS = ("Year", "Month", "Day", "Time", "End Year", "End Month", "End Day",
                 "End Time", "Display Date", "Headline", "Text", "Media", "Media Credit",
                 "Media Caption", "Media Thumbnail", "Type", "Group", "Background", "Alt Text")
ID_COLUMN = "id"
"""The event's id (its slug) in a TimelineJS sheet, a column the template lacks; in the plain
CSV another name of ``slug``."""
_TIME = re.compile(r"([0-9]{1,2})(?:[:.]?([0-9]{2}))?(?:[:.]([0-9]{2})(?:[.,][0-9]+)?)?\s*"
                   r"(?:([AaPp])\.?[Mm]\.?)?")


# Reading --------------------------------------------------------------------------------------

def _number(text: str) -> int | str:
    """A JSON whole number; one too long for ``int`` (4,300 digits) stays text, for the
    entry that holds it to be refused alone rather than the whole document."""
    return int(text) if len(text) <= 100 else text


def _item_lines(text: str) -> dict[str, list[int]]:
    """Line of each item of the top-level arrays (and of ``title``) of a valid JSON object."""
    decoder = json.JSONDecoder(parse_int=_number)
    newlines = [m.start() for m in re.finditer("\n", text)]
    space = re.compile(r"[ \t\n\r]*")

    def skip(pos: int, char: str = "") -> int:
        """Past white space, and past ``char`` and the white space after it if it is next."""
        pos = space.match(text, pos).end()  # type: ignore[union-attr]  # matches empty
        return skip(pos + 1) if char and text.startswith(char, pos) else pos

    out: dict[str, list[int]] = {}
    pos = skip(0, "{")
    while text.startswith('"', pos):
        name, pos = decoder.raw_decode(text, pos)
        pos = skip(pos, ":")
        lines = []
        if text.startswith("[", pos):
            pos = skip(pos, "[")
            while pos < len(text) and not text.startswith("]", pos):
                lines.append(bisect.bisect_right(newlines, pos) + 1)
                pos = skip(decoder.raw_decode(text, pos)[1], ",")
            pos += 1
        else:
            lines.append(bisect.bisect_right(newlines, pos) + 1)
            pos = decoder.raw_decode(text, pos)[1]
        out[str(name)] = lines
        pos = skip(pos, ",")
    return out


def read_timelinejs(text: str, batch: Batch) -> None:
    """Read a TimelineJS3 JSON document: title slide, events and eras."""
    try:
        doc = json.loads(text, parse_int=_number)
    except json.JSONDecodeError as exc:
        batch.problem(exc.lineno, None, f"invalid JSON: {exc.msg}")
        return
    except RecursionError:
        batch.problem(1, None, "invalid JSON: nested too deeply to read")
        return
    if not isinstance(doc, dict) or not isinstance(doc.get("events"), list):
        batch.problem(1, "events", 'not TimelineJS3 JSON: expected {"events": [...]}')
        return
    lines = _item_lines(text)
    if isinstance(doc.get("title"), dict):
        batch.intro = _guarded(intro_draft, doc["title"], batch, lines.get("title", [1])[0])
    for kind, read, into in (("events", slide_draft, batch.events),
                             ("eras", era_draft, batch.eras)):
        items = doc.get(kind)
        rows = lines.get(kind, [])
        for i, item in enumerate(items if isinstance(items, list) else []):
            draft = _guarded(read, item, batch, rows[i] if i < len(rows) else 1)
            if draft is None:
                batch.failed += 1
            else:
                into.append(draft)


def _guarded(read: Callable[[Any, Batch, int], Draft | None], item: Any, batch: Batch,
             row: int) -> Draft | None:
    """``read(item, batch, row)``; an entry whose HTML (or the JSON inside it) nests too
    deeply for the converters, which recurse, is refused alone."""
    try:
        return read(item, batch, row)
    except RecursionError:
        batch.problem(row, None, "nested too deeply to read: simplify its HTML")
        return None


def _time(text: str) -> dict[str, int]:
    """'14:30', '2:30 PM', '1430' or '14:30:15.5' as hour, minute, second (as TimelineJS)."""
    match = _TIME.fullmatch(text.strip())
    if match is None:
        raise DateError(f"'{text.strip()}' is not a time: use 14:30 or 2:30 PM")
    hour, minute, second = int(match[1]), int(match[2] or 0), int(match[3] or 0)
    if match[4]:
        if not 1 <= hour <= 12:
            raise DateError(f"no such time {text.strip()}")
        hour = hour % 12 + (12 if match[4].lower() == "p" else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise DateError(f"no such time {text.strip()}")
    return {"hour": hour, "minute": minute, "second": second}


def sheet_slide(cells: dict[str, str], batch: Batch, row: int) -> dict[str, Any] | None:
    """A row of the TimelineJS spreadsheet template as the slide TimelineJS makes of it."""
    slide: dict[str, Any] = {}
    for key, prefix, column in (("start_date", "", "Time"), ("end_date", "End ", "End Time")):
        date: dict[str, Any] = {p.lower(): cells.get(prefix + p, "")
                                for p in ("Year", "Month", "Day")}
        if cells.get(column, "").strip():
            try:
                date.update(_time(cells[column]))
            except DateError as exc:
                batch.problem(row, column, str(exc))
                return None
        slide[key] = date
    slide["display_date"] = cells.get("Display Date", "")
    slide["text"] = {"headline": cells.get("Headline", ""), "text": cells.get("Text", "")}
    slide["media"] = {"url": cells.get("Media", ""), "credit": cells.get("Media Credit", ""),
                      "caption": cells.get("Media Caption", ""),
                      "alt": cells.get("Alt Text", ""),
                      "thumbnail": cells.get("Media Thumbnail", "")}
    slide["group"] = cells.get("Group", "")
    slide["unique_id"] = cells.get(ID_COLUMN, "")
    slide["background"] = cells.get("Background", "")
    return slide


def _items(cell: str) -> list[str]:
    """Tags or places in one cell, separated by ';' or line breaks (a place may have a comma)."""
    return list(dict.fromkeys(i.strip() for i in re.split(r"[;\n]", cell) if i.strip()))


def plain_draft(cells: dict[str, str], row: int, batch: Batch | None = None) -> Draft:
    """A row of the plain CSV (our own column names) as an event."""
    meta: dict[str, Any] = {"title": " ".join(cells.get("title", "").split()),
                            "date": cells.get("date", "").strip()}
    for key in ("end", "status", "summary"):
        if cells.get(key, "").strip():
            meta[key] = " ".join(cells[key].split())
    for key in ("tags", "places"):
        if _items(cells.get(key, "")):
            meta[key] = _items(cells[key])
    meta["sources"] = sources_from(cells)
    media, warnings = media_from(cells.get(MEDIA_COLUMN, ""))
    if media:
        meta["media"] = media
    if batch is not None:
        for warning in warnings:
            batch.problem(row, MEDIA_COLUMN, warning, "warning")
    aliases = _items(cells.get("aliases", ""))
    if aliases:
        meta["aliases"] = aliases
    meta.update({k: v for k, v in _other(cells, row, batch).items() if k not in meta})
    stem, write = explicit_slug(cells.get("slug", ""))
    if write:
        meta["slug"] = stem
    explicit = bool(stem)
    try:
        date = parse_date(meta["date"])
        if "end" in meta:
            date = with_end(date, parse_date(meta["end"]))
        text = date.text
        stem = stem or event_stem(date, meta["title"])
    except DateError:  # reported by the validation that every draft goes through
        text, stem = meta["date"], stem or slugify(meta["title"]) or "event"
    return Draft(row, meta, cells.get("body", "").strip(), stem, text, explicit)


def _other(cells: dict[str, str], row: int, batch: Batch | None) -> dict[str, Any]:
    """The ``other`` cell: front-matter fields without a column, written as JSON."""
    cell = cells.get(OTHER_COLUMN, "").strip()
    if not cell:
        return {}
    try:
        value = json.loads(cell)
    except (ValueError, RecursionError):
        value = None
    if not isinstance(value, dict):
        if batch is not None:
            batch.problem(row, OTHER_COLUMN, "expected a JSON object of front-matter fields, "
                          'e.g. {"example_note": "..."}')
        return {}
    return value


def read_csv(text: str, batch: Batch) -> None:
    """Read the TimelineJS spreadsheet or a plain CSV of events, told apart by the header."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        rows = list(reader)
    except csv.Error as exc:  # a field over 128 KB (the csv module's limit), a NUL
        batch.problem(reader.line_num or 1, None, f"not CSV that can be read: {exc}")
        return
    header = [h.strip() for h in rows[0]] if rows else []
    lower = [h.casefold() for h in header]
    if "year" in lower and "headline" in lower:
        batch.sheet = True
        names = {h.casefold().replace(" ", ""): h for h in SHEET_COLUMNS}
        header = [names.get(h.replace(" ", ""), h) for h in lower]
        known: tuple[str, ...] = (*SHEET_COLUMNS, ID_COLUMN)
    elif "date" in lower and "title" in lower:
        header = [SHORT_NAMES.get(h, "slug" if h == ID_COLUMN else h) for h in lower]
        known = PLAIN_COLUMNS + EXTRA_COLUMNS
    else:
        batch.problem(1, None, "unknown columns: expected the TimelineJS template (Year, ..., "
                      "Headline, ...) or " + ", ".join(PLAIN_COLUMNS))
        return
    for name in header:
        if name not in known:
            batch.problem(1, name, "unknown column: ignored", "warning")
    for number, values in enumerate(rows[1:], start=2):
        cells = {n: v for n, v in zip(header, values, strict=False) if n in known}
        if not any(v.strip() for v in cells.values()):
            continue
        if not batch.sheet:  # our own CSV: a formula neutralised by events.csv given back
            batch.events.append(plain_draft({n: plain_cell(v) for n, v in cells.items()},
                                            number, batch))
            continue
        kind = cells.get("Type", "").strip().casefold()
        slide = sheet_slide(cells, batch, number)
        if slide is not None and kind == "title" and batch.intro is None:
            batch.intro = _guarded(intro_draft, slide, batch, number)
            continue
        read = era_draft if kind == "era" else slide_draft
        draft = _guarded(read, slide, batch, number) if slide is not None else None
        if draft is None:
            batch.failed += 1
        else:
            (batch.eras if kind == "era" else batch.events).append(draft)


def read_file(file: Path) -> Batch:
    """Read an import file into drafts, with every problem met."""
    return read_data(str(file), file.read_bytes(), file.suffix.lower() == ".json")


def read_data(name: str, raw: bytes, is_json: bool = False) -> Batch:
    """Read the bytes of an import file (or of an address) named ``name`` into drafts."""
    batch = Batch(name)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        batch.problem(raw.count(b"\n", 0, exc.start) + 1, None,
                      f"not valid UTF-8 (byte {exc.start}): save the file as UTF-8")
        return batch
    if is_json or text.lstrip().startswith("{"):
        read_timelinejs(text, batch)
    else:
        read_csv(text, batch)
    for draft in batch.events:
        if not draft.meta["sources"]:
            draft.meta["sources"] = [batch.self_source()]
            draft.assumed.add("sources")
    return batch


# Writing --------------------------------------------------------------------------------------
