"""Importing a file again: what changed in each entry, and rewriting only those fields.

An editor fixes a caption in the Sheet and imports it again; the event's file also holds
fields the editor added by hand. Only the fields the imported file holds are compared and
rewritten, each in place (its lines of the front-matter), so every other field, comment and
blank line stays exactly as the editor left it.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from generator.config import today
from generator.content.dates import DateError, parse_date, with_end
from generator.content.editing import EditError, read_original, replace_file
from generator.content.editorial import normal_alias
from generator.content.header import FrontMatter, parse, split
from generator.content.loading import parse_file
from generator.content.model import Event, slugify
from generator.content.validate import build_event
from generator.interop.cells import NO_ALT
from generator.interop.slides import Batch, Draft


@dataclass(frozen=True)
class Change:
    """One field whose imported value differs from the file's."""

    field: str
    old: Any
    new: Any

    def lines(self) -> list[str]:
        """The diff of this field, one line per value that differs (``media[0].credit``)."""
        if self.field == "body":
            return [f"  ~ body: {len(str(self.old))} → {len(str(self.new))} characters"]
        return [_line(name, old, new) for name, old, new in _leaves(self.field, self.old,
                                                                      self.new)]


_MISSING = object()


def _leaves(name: str, old: Any, new: Any) -> list[tuple[str, Any, Any]]:
    if isinstance(old, dict) and isinstance(new, dict):
        return [leaf for key in dict.fromkeys([*old, *new])
                for leaf in _leaves(f"{name}.{key}", old.get(key, _MISSING),
                                    new.get(key, _MISSING))]
    if isinstance(old, list) and isinstance(new, list) and old and new \
            and all(isinstance(v, dict) for v in [*old, *new]):
        return [leaf for i in range(max(len(old), len(new)))
                for leaf in _leaves(f"{name}[{i}]", old[i] if i < len(old) else _MISSING,
                                    new[i] if i < len(new) else _MISSING)]
    return [] if old == new else [(name, old, new)]


def _line(name: str, old: Any, new: Any) -> str:
    if old is _MISSING or old is None:
        return f"  + {name}: {_short(new)}"
    if new is _MISSING:
        return f"  - {name}: {_short(old)}"
    return f"  ~ {name}: {_short(old)} → {_short(new)}"


def _short(value: Any, width: int = 70) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=False)
    return text if len(text) <= width else text[:width - 1] + "…"


def _as_written(value: Any) -> Any:
    """The value as it reads back from YAML: how the file holds it."""
    return yaml.safe_load(yaml.safe_dump(value, allow_unicode=True, sort_keys=False))


def carried(draft: Draft) -> list[str]:
    """The fields the imported entry holds, in its order (``body`` last, if it has one)."""
    fields = [k for k in draft.meta if k not in draft.assumed]
    return [*fields, "body"] if draft.body.strip() else fields


DERIVED = ("summary", "slug", "status")
"""Fields an export writes for every event, from the file or made from it (a summary from
the first paragraph, a slug from the file name, the default status): an imported value
equal to the one made is no change, and is not frozen into a file that does not hold it."""


def _compared(name: str, value: Any) -> Any:
    """A value as an import can carry it: dates as text, white space collapsed (CSV cells
    hold one line per value), aliases in their one form."""
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, list):
        items = [_compared(name, v) for v in value]
        return [normal_alias(v) for v in items] if name == "aliases" else items
    if isinstance(value, dict):
        return {str(k): _compared(name, v) for k, v in value.items() if v not in (None, "")}
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def _keep_alt(old: Any, new: Any) -> Any:
    """The imported images, with the file's own alt text where the import has none (a
    TimelineJS sheet without Alt Text): an editor's description is never replaced by a
    placeholder."""
    if not isinstance(old, list) or not isinstance(new, list):
        return new
    alts = {str(m.get("src")): m.get("alt") for m in old if isinstance(m, dict)}
    return [{**m, "alt": alts[str(m.get("src"))]}
            if isinstance(m, dict) and m.get("alt") == NO_ALT and alts.get(str(m.get("src")))
            else m for m in new]


def changes(fm: FrontMatter, draft: Draft, made: Event | None = None) -> list[Change]:
    """Each field the entry holds whose value differs from the event file's; ``made``: the
    event as a build makes it, for the fields an export writes though the file may not."""
    found = []
    for name in carried(draft):
        if name == "body":
            if fm.body.strip() != draft.body.strip():
                found.append(Change("body", fm.body.strip(), draft.body.strip()))
            continue
        if name == "media":
            draft.meta[name] = _keep_alt(fm.data.get(name), draft.meta[name])
        new = _as_written(draft.meta[name])
        old = fm.data.get(name)
        if name in ("date", "end") and old is not None:
            old, new = str(old), str(new)
        if name not in fm.data and name in DERIVED and made is not None \
                and _compared(name, new) == _compared(name, getattr(made, name)):
            continue
        if _compared(name, old) != _compared(name, new):
            found.append(Change(name, old, new))
    return found


def _ranges(fm: FrontMatter, lines: list[str], last: int) -> dict[str, range]:
    """The lines (0-based, in ``lines``) of each top-level field of the front-matter."""
    starts = sorted((fm.lines[(k,)] - 1, k) for k in fm.data if (k,) in fm.lines)
    out = {}
    for i, (start, name) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else last
        while end - 1 > start and (not lines[end - 1].strip()
                                   or lines[end - 1].startswith("#")):
            end -= 1  # a comment or blank line before the next field stays where it is
        out[name] = range(start, end)
    return out


def _dump(name: str, value: Any) -> list[str]:
    text = yaml.safe_dump({name: value}, sort_keys=False, allow_unicode=True,
                          default_flow_style=False, width=100)
    return text.rstrip("\n").split("\n")


def apply(path: str, text: str, draft: Draft, found: list[Change]) -> str | None:
    """The file's text with the changed fields rewritten in place; None if it cannot be."""
    fm, _ = parse(path, text)
    parts = split(path, text)
    if fm is None or not isinstance(parts, tuple):
        return None
    body_line = parts[3]
    lines = text.split("\n")
    closer = body_line - 2  # 0-based line of the closing '---'
    ranges = _ranges(fm, lines, closer)
    new_fields = []
    replaced: dict[int, list[str]] = {}
    dropped: set[int] = set()
    for change in found:
        if change.field == "body":
            continue
        if change.field in ranges:
            span = ranges[change.field]
            replaced[span.start] = _dump(change.field, draft.meta[change.field])
            dropped.update(span)
        else:
            new_fields += _dump(change.field, draft.meta[change.field])
    out: list[str] = []
    for number, line in enumerate(lines[:closer]):
        if number in replaced:
            out += replaced[number]
        elif number not in dropped:
            out.append(line)
    out += new_fields
    body = "\n".join(lines[closer + 1:])
    if any(c.field == "body" for c in found):  # the blank lines before it stay
        body = body[:len(body) - len(body.lstrip())] + draft.body.strip() + "\n"
    return "\n".join([*out, lines[closer], body])


# What the site has, and updating it ------------------------------------------------------------

def key_of(title: str, date: str) -> tuple[str, str]:
    return (" ".join(title.split()).casefold(), date)


@dataclass
class Known:
    """What the site already has, to tell an import done before from a clash of names."""

    slugs: dict[str, tuple[tuple[str, str], Path]] = field(default_factory=dict)
    keys: dict[tuple[str, str], Path] = field(default_factory=dict)
    dates: dict[str, list[Path]] = field(default_factory=dict)
    renamed: dict[str, Path] = field(default_factory=dict)
    """An event's former ids, from its ``aliases: [/events/OLD/]``: a sheet made before
    the rename still names it."""

    def add(self, slug: str, title: str, date: str, path: Path,
            aliases: list[str] | None = None) -> None:
        self.slugs[slug] = (key_of(title, date), path)
        self.keys.setdefault(key_of(title, date), path)
        self.dates.setdefault(date, []).append(path)
        for alias in aliases or []:
            parts = normal_alias(alias).rstrip("/").split("/")
            if len(parts) == 2 and parts[0] == "events":
                self.renamed.setdefault(parts[1], path)

    def alike(self, draft: Draft) -> tuple[list[tuple[Path, str]], list[Path]]:
        """For an entry without an id whose title and date match no event: the events of its
        date with the same text or images, or a close title, each with what is alike; and
        every event of that date."""
        found = []
        there = self.dates.get(draft.date, [])
        title = key_of(str(draft.meta.get("title", "")), "")[0]
        new = [m.get("src") for m in draft.meta.get("media") or [] if isinstance(m, dict)]
        for path in there:
            fm = _read(path)
            if fm is None:
                continue
            media = [m.get("src") for m in fm.data.get("media") or [] if isinstance(m, dict)]
            if len(draft.body.strip()) >= TELLING and fm.body.strip() == draft.body.strip():
                found.append((path, "same text"))
            elif media and media == new:
                found.append((path, "same image"))
            elif close_titles(title, key_of(str(fm.data.get("title", "")), "")[0]):
                found.append((path, "close title"))
        return found, there

    def slug_of(self, path: Path) -> str:
        """The id of the event in ``path``."""
        return next((slug for slug, (_, there) in self.slugs.items() if there == path),
                    path.stem)

    def match(self, draft: Draft, by_id: bool = False) -> Path | None:
        """The file this entry was imported into before: with ``by_id``, the one of the same
        id (``unique_id``, ``slug``, or a former one in ``aliases``); else same title and
        date, else same slug with the same title or date (a slug alone may be an editor's
        own event: a clash)."""
        title, date = str(draft.meta.get("title", "")), draft.date
        if by_id and draft.explicit and draft.stem in self.slugs:
            return self.slugs[draft.stem][1]
        if by_id and draft.explicit and draft.stem in self.renamed:
            return self.renamed[draft.stem]
        key = key_of(title, date)
        if key in self.keys:
            return self.keys[key]
        old = self.slugs.get(draft.stem)
        if old is not None and (old[0][0] == key[0] or old[0][1] == key[1]):
            return old[1]
        return None


TELLING = 20
"""Characters a text needs to tell its event from another of the same day ("Body." does not)."""


def close_titles(a: str, b: str) -> bool:
    """Whether two titles (case-folded) read as one headline edited: one holds the other,
    or they differ by a few letters (a typo fixed)."""
    short, long = sorted((a, b), key=len)
    return (len(short) >= 10 and short in long) \
        or difflib.SequenceMatcher(None, a, b).ratio() >= 0.8


def known_events(site: Path) -> Known:
    """Slugs, titles and dates of the events already in ``content/events/``."""
    known = Known()
    folder = site / "content" / "events"
    for path in sorted(folder.glob("**/*.md")) if folder.is_dir() else []:
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        fm = _read(path)
        if fm is None:
            continue
        date = str(fm.data.get("date") or "")
        try:
            parsed = parse_date(date)
            if fm.data.get("end"):
                parsed = with_end(parsed, parse_date(str(fm.data["end"])))
            date = parsed.text
        except DateError:
            pass
        aliases = fm.data.get("aliases")
        known.add(str(fm.data.get("slug") or slugify(path.stem)), str(fm.data.get("title", "")),
                  date, path, [str(a) for a in aliases] if isinstance(aliases, list) else [])
    return known


def _read(path: Path) -> FrontMatter | None:
    try:
        fm, _ = parse(path.name, path.read_text("utf-8-sig"))
    except (OSError, UnicodeDecodeError):
        return None
    return fm


def _made(path: Path, raw: bytes) -> Event | None:
    """The event as a build makes it from the file (its summary, slug and status)."""
    item, _ = parse_file("event", path.name, raw, False, today())
    return item if isinstance(item, Event) else None


def update_event(path: Path, draft: Draft, batch: Batch, update: bool) -> str:
    """Compare an entry imported before with its file; with ``update``, rewrite the fields
    that changed. Return how it is counted: already there, changed, updated or failed."""
    try:
        original = read_original(path)
        text = original.text()
    except EditError:
        text = None
    fm = parse(path.name, text)[0] if text is not None else None
    if fm is None or text is None:  # it read when the site was listed: changed since
        batch.problem(draft.row, None, f"{path} cannot be read any more: fix it, then import "
                      "again")
        return "failed"
    found = changes(fm, draft, _made(path, original.raw))
    if not found:
        return "already there"
    names = ", ".join(c.field for c in found)
    if not update:
        batch.problem(draft.row, None, f"{path} differs in {names}: not changed "
                      "(--update rewrites these fields)", "warning")
        return "changed"
    new = apply(path.name, text, draft, found)
    if new is None:
        batch.problem(draft.row, None, f"{path} cannot be updated in place: edit it by hand")
        return "failed"
    fm_new, problems = parse(path.name, new)
    if fm_new is not None:
        problems += build_event(fm_new, path.stem, today())[1]
    errors = [p for p in problems if p.severity == "error"]
    for p in errors:
        batch.problem(draft.row, p.field, f"{path} would not build once updated: {p.message}")
    if errors:
        return "failed"
    try:
        replace_file(original, original.encode(new))
    except EditError as exc:
        batch.problem(draft.row, None, f"{exc.problem.path} {exc.problem.message}")
        return "failed"
    print(f"updated {path}:")
    for change in found:
        for line in change.lines():
            print(line)
    return "updated"
