"""Importing a file again: what changed in each entry, and rewriting only those fields.

An editor fixes a caption in the Sheet and imports it again; the event's file also holds
fields the editor added by hand. Only the fields the imported file holds are compared and
rewritten, each in place (its lines of the front-matter), so every other field, comment and
blank line stays exactly as the editor left it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import yaml

from generator.content.header import FrontMatter, parse, split
from generator.interop.slides import Draft


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


def changes(fm: FrontMatter, draft: Draft) -> list[Change]:
    """Each field the entry holds whose value differs from the event file's."""
    found = []
    for name in carried(draft):
        if name == "body":
            if fm.body.strip() != draft.body.strip():
                found.append(Change("body", fm.body.strip(), draft.body.strip()))
            continue
        new = _as_written(draft.meta[name])
        old = fm.data.get(name)
        if name in ("date", "end") and old is not None:
            old, new = str(old), str(new)
        if old != new:
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
    if any(c.field == "body" for c in found):
        body = draft.body.strip() + "\n"
    return "\n".join([*out, lines[closer], body])
