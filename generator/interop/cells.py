"""Cells of the plain CSV that hold several values: sources and images, one a line.

Sources are spread over ``source_*`` columns, one source per line, the same line of each
cell. Images are one ``media`` cell, one image per line, fields separated by `` | ``:
``src | alt | caption | credit | WIDTHxHEIGHT`` (trailing fields may be left out, ``640x``
is a width alone; a ``|`` inside a field is written ``\\|``). ``events.csv`` is written
in this form, and read back.
"""

from __future__ import annotations

import re
from typing import Any

from generator.content.editorial import PLACEHOLDER

SOURCE_KEYS = ("publisher", "title", "url", "published", "language", "archived", "quote",
               "via", "author", "accessed")
"""Each a ``source_<key>`` column."""
SOURCE_COLUMNS = tuple(f"source_{k}" for k in SOURCE_KEYS)
MEDIA_COLUMN = "media"
OTHER_COLUMN = "other"
"""Every front-matter field without a column of its own, as one JSON object."""
SHORT_NAMES = {k: f"source_{k}" for k in ("archived", "language", "quote", "via", "author",
                                          "accessed")}
"""Also read without the ``source_`` prefix: a column that only sources have."""
MEDIA_FIELDS = ("src", "alt", "caption", "credit", "size")
NO_ALT = f"{PLACEHOLDER} describe the image for readers who cannot see it"
"""Written when an imported image comes without alt text: ``check`` warns until replaced."""
_SIZE = re.compile(r"([0-9]*)\s*[x×]\s*([0-9]*)")
_FORMULA = re.compile(r"'*(?:[\t\r]|\s*[=+\-@])")
"""A cell a spreadsheet would run as a formula (OWASP's list: ``= + - @``, tab, CR, also
after leading white space that a spreadsheet strips), behind any ``'`` we added before."""


def safe_cell(value: str) -> str:
    """``value`` with a ``'`` in front if a spreadsheet would run it (OWASP's rule); a value
    that already begins with ``'`` and then such a character gets one more, so that
    ``plain_cell`` gives every value back exactly."""
    return "'" + value if _FORMULA.match(value) else value


def plain_cell(cell: str) -> str:
    """The value ``safe_cell`` wrote: one ``'`` before a formula character taken off."""
    return cell[1:] if cell.startswith("'") and _FORMULA.match(cell[1:]) else cell


def sources_from(cells: dict[str, str]) -> list[dict[str, str]]:
    """One source per line, the same line of each ``source_`` cell; empty lines skipped."""
    columns = [cells.get(f"source_{k}", "").split("\n") for k in SOURCE_KEYS]
    count = max(map(len, columns))
    sources = []
    for i in range(count):
        source = {k: c[i].strip() for k, c in zip(SOURCE_KEYS, columns, strict=True)
                  if i < len(c) and c[i].strip()}
        if source:
            sources.append(source)
    return sources


def split_fields(line: str) -> list[str]:
    """``a | b \\| c`` → ``["a", "b | c"]``."""
    parts = re.split(r"(?<!\\)\|", line)
    return [p.replace("\\|", "|").strip() for p in parts]


def media_from(cell: str) -> tuple[list[dict[str, Any]], list[str]]:
    """The images of a ``media`` cell, and a warning for each line that could not be read."""
    media: list[dict[str, Any]] = []
    warnings = []
    for line in cell.split("\n"):
        if not line.strip():
            continue
        fields = split_fields(line)
        if len(fields) > len(MEDIA_FIELDS):
            warnings.append(f"'{line.strip()}' has more than {len(MEDIA_FIELDS)} fields: "
                            "write src | alt | caption | credit | WIDTHxHEIGHT (\\| for a "
                            "'|' inside one)")
            continue
        values = dict(zip(MEDIA_FIELDS, fields, strict=False))
        item: dict[str, Any] = {"src": values["src"]}
        if not values.get("alt"):
            warnings.append(f"'{values['src']}' has no alt text: describe the image in the "
                            "written file's media alt")
        item["alt"] = values.get("alt") or NO_ALT
        for key in ("caption", "credit"):
            if values.get(key):
                item[key] = values[key]
        size = values.get("size", "")
        if size:
            match = _SIZE.fullmatch(size)
            if match is None or not (match[1] or match[2]):
                warnings.append(f"'{size}' is not a size: write WIDTHxHEIGHT, like 640x480 "
                                "(or 640x for a width alone)")
            else:
                item.update({k: int(v) for k, v in (("width", match[1]),
                                                    ("height", match[2])) if v})
        media.append(item)
    return media, warnings


def media_cell(media: list[dict[str, Any]]) -> str:
    """The ``media`` cell for a list of images: the inverse of ``media_from``."""
    lines = []
    for item in media:
        size = f"{item.get('width') or ''}x{item.get('height') or ''}" \
            if item.get("width") or item.get("height") else ""
        fields = [str(item.get(k) or "") for k in MEDIA_FIELDS[:4]] + [size]
        while len(fields) > 2 and not fields[-1]:
            fields.pop()
        lines.append(" | ".join(" ".join(f.split()).replace("|", "\\|") for f in fields))
    return "\n".join(lines)
