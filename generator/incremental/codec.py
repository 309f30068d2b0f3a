"""Values kept in the build state, as JSON: never pickles.

A state file can come from elsewhere (a contributed change, a restored CI cache), and
unpickling runs whatever code the file names. JSON names no code: a kept value is plain data
plus tags for what JSON lacks (tuples, dictionaries with keys that are not text, dates,
paths) and for the few dataclasses of this tool that are kept (events, pages, problems …),
which are made again from their fields alone (in order), as pickle makes them, without
running any ``__init__``. An unknown tag or a field too many or too few is a damaged entry.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePath
from typing import Any

_PLAIN = (str, int, float, bool, type(None))
_SCALARS = frozenset(_PLAIN)


def _light() -> dict[str, type]:
    """What a build with nothing to do reads back (its last result), without importing
    the stages."""
    from generator.errors import Problem
    from generator.report import BuildResult

    return {"Problem": Problem, "BuildResult": BuildResult}


def _all() -> dict[str, type]:
    from generator.content.dates import EventDate, PartialDate
    from generator.content.model import Era, Event, Media, Page, Source, SourceHealth
    from generator.content.translations import Translation

    return {**_light(), **{cls.__name__: cls for cls in (
        Event, Page, Era, Source, SourceHealth, Media, EventDate, PartialDate, Translation)}}


class _Classes:
    """The kept dataclasses by name, and each one's field names; the stages are imported
    only when a value of theirs is met."""

    def __init__(self) -> None:
        self.by_name = _light()
        self.complete = False
        self.fields: dict[type, tuple[str, ...]] = {}

    def get(self, name: str) -> type | None:
        if name not in self.by_name and not self.complete:
            self.by_name, self.complete = _all(), True
        return self.by_name.get(name)

    def names(self, cls: type) -> tuple[str, ...]:
        """The fields of ``cls`` in order: a kept value lists its values in this order."""
        found = self.fields.get(cls)
        if found is None:
            found = self.fields[cls] = tuple(f.name for f in dataclasses.fields(cls))
        return found


_CLASSES = _Classes()


def _plain(value: Any) -> Any:
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is list or kind is tuple:
        # Ten thousand keys of an export's layout: scalars are taken as they are.
        items = list(value) if all(type(v) in _SCALARS for v in value) \
            else [_plain(v) for v in value]
        return items if kind is list else {"~t": items}
    if kind is dict:
        if all(type(k) is str and not k.startswith("~") for k in value):
            return {k: _plain(v) for k, v in value.items()}
        return {"~d": [[_plain(k), _plain(v)] for k, v in value.items()]}
    if kind is datetime.date:
        return {"~date": value.isoformat()}
    if kind is datetime.datetime:
        return {"~datetime": value.isoformat()}
    if isinstance(value, PurePath):
        return {"~path": str(value)}
    if isinstance(value, str):  # Markup and other text types: their text is what counts
        return str(value)
    name = kind.__name__
    if dataclasses.is_dataclass(value) and _CLASSES.get(name) is kind:
        return {"~c": name, "f": [_plain(getattr(value, f)) for f in _CLASSES.names(kind)]}
    raise TypeError(f"the build state keeps no {name}")


def _made(tagged: dict[str, Any]) -> Any:
    """JSON's object hook: a tagged value made again; any other object as it is."""
    # Called for every object of every kept value (170,000 for ten thousand events): the
    # common one-key tags are told apart first.
    if len(tagged) == 1:
        (tag, value), = tagged.items()
        if tag == "~t":
            return tuple(value)
        if tag == "~d":
            return {k: v for k, v in value}
        if tag == "~date":
            return datetime.date.fromisoformat(value)
        if tag == "~datetime":
            return datetime.datetime.fromisoformat(value)
        if tag == "~path":
            return Path(value)
        if tag == "~c":
            raise ValueError("not a value this tool keeps")
        return tagged
    if "~c" in tagged:
        cls = _CLASSES.get(tagged["~c"])
        values = tagged.get("f")
        names = _CLASSES.names(cls) if cls is not None else ()
        if cls is None or type(values) is not list or len(tagged) != 2 \
                or len(values) != len(names):
            raise ValueError("not a value this tool keeps")
        made: Any = object.__new__(cls)
        vars(made).update(zip(names, values, strict=True))  # as unpickling: no __init__
        return made
    return tagged


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_DECODER = json.JSONDecoder(object_hook=_made)
"""One coder each way for every kept value (``json.loads`` with a hook, ``json.dumps``
with options, make one per call)."""


def dumps(value: Any) -> bytes:
    """``value`` as JSON bytes (``TypeError`` for a value of a kind this tool never keeps).
    A value with no tag inside (a tuple of plain data at most) is marked so (``=``, or
    ``(`` for the tuple's items), and is read back without the hook, by orjson."""
    plain = _plain(value)
    if type(value) is tuple and not _tagged(plain["~t"]):
        return b"(" + _ENCODER.encode(plain["~t"]).encode()
    if not _tagged(plain):
        return b"=" + _ENCODER.encode(plain).encode()
    return _ENCODER.encode(plain).encode()


def _tagged(plain: Any) -> bool:
    """Whether ``_plain`` tagged something in this value (a tag is an object's "~" key)."""
    kind = type(plain)
    if kind is list:
        return any(type(v) in _CONTAINERS and _tagged(v) for v in plain)
    if kind is dict:
        return any(k.startswith("~") or type(v) in _CONTAINERS and _tagged(v)
                   for k, v in plain.items())
    return False


_CONTAINERS = (list, dict)
_MARKS = frozenset((b"(", "(", b"=", "="))


def dumped(items: Iterable[tuple[str, Any]]) -> Iterator[tuple[str, bytes]]:
    """(key, ``dumps(value)``) for each value that can be kept; the rest are made again
    by the next build (a front-matter value of a kind JSON cannot tell apart)."""
    for key, value in items:
        try:
            yield key, dumps(value)
        except (TypeError, ValueError, RecursionError):
            continue


def loads(data: bytes | str) -> Any:
    """A value ``dumps`` wrote; ``ValueError`` (or ``TypeError``) for anything else."""
    if isinstance(data, memoryview):
        data = bytes(data)
    mark = data[:1]
    if mark in _MARKS:
        # Imported here: a build with nothing to do reads no plain value, and importing
        # orjson (with uuid) would cost it a sixth of its time.
        import orjson

        found = orjson.loads(data[1:])
        if mark in (b"=", "="):
            return found
        if type(found) is not list:  # a tuple of plain data: ten thousand search entries
            raise ValueError("not a value this tool keeps")
        return tuple(found)
    if isinstance(data, bytes):
        data = data.decode()  # UTF-8, as dumps writes (a damaged entry: UnicodeDecodeError)
    return _DECODER.decode(data)
