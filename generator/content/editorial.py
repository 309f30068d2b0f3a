"""What editors write beyond each field's type: placeholders left to replace, old URLs.

``timeline new`` and ``timeline import`` write placeholders (``TODO: …``) where only the
editor can say what belongs; ``check`` warns until they are gone. ``aliases:`` are old
URLs of an event or page, which must stay paths inside the site.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from generator.content.header import Key
from generator.errors import Problem

PLACEHOLDER = "TODO:"
"""Starts every placeholder ``timeline new`` and ``timeline import`` write; ``check`` warns."""
NEW_BODY = "Write a neutral account of what happened here."
"""The body ``timeline new`` writes: a placeholder too, though it does not say TODO."""


def alias_problem(alias: str) -> str | None:
    """Why an alias cannot be a redirect inside the site, or None."""
    try:
        parts = urlsplit(alias)
    except ValueError:  # a host urllib cannot read, `//[zz]/`
        return f"'{alias}' is an absolute URL: an alias is a path of this site, like " \
            "/events/old-slug/"
    if parts.scheme or parts.netloc or alias.startswith("//"):
        return f"'{alias}' is an absolute URL: an alias is a path of this site, like " \
            "/events/old-slug/"
    if not alias.startswith("/"):
        return f"'{alias}' must start with '/': an alias is a path from the site's root, " \
            "like /events/old-slug/"
    if parts.query or parts.fragment or "?" in alias or "#" in alias:
        return f"'{alias}' has a ? or #: an alias is a path only"
    segments = alias.strip("/").split("/")
    if "\\" in alias or any(s in ("..", ".") for s in segments) or "//" in alias \
            or re.search(r"[\x00-\x20\x7f]", alias):
        return f"'{alias}' may not hold '..', '.', '//', '\\' or spaces"
    if alias.strip("/") == "":
        return "'/' is the home page: it cannot be an alias"
    last = segments[-1]
    if last.lower() in ("index.html", "index.htm"):
        folder = "/".join(segments[:-1])
        return f"'{alias}' names a page's file: an alias is a path, like " \
            f"/{folder + '/' if folder else 'old-page/'}"
    if "." in last and not alias.endswith("/") and not last.endswith((".html", ".htm")):
        return f"'{alias}' is not a page's address: an alias is an old URL of a page, like " \
            "/events/old-slug/ or /old-page.html"
    return None


def normal_alias(alias: str) -> str:
    """'/events/old' → 'events/old/': the output path of the folder its redirect fills."""
    path = alias.strip("/")
    last = path.rsplit("/", 1)[-1]
    return path if last.endswith((".html", ".htm")) else path + "/"


def _excerpt(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width].rsplit(" ", 1)[0] + "…"


def placeholders(data: Any, key: Key = ()) -> list[tuple[Key, str]]:
    """Each value ``timeline new`` or an import left for the editor to replace."""
    if isinstance(data, str) and data.strip().startswith(PLACEHOLDER):
        return [(key, f"placeholder '{_excerpt(data)}': replace it before publishing")]
    if isinstance(data, dict):
        return [found for name, item in data.items() for found in placeholders(item,
                                                                               (*key, name))]
    if isinstance(data, list):
        return [found for i, item in enumerate(data) for found in placeholders(item,
                                                                               (*key, i))]
    return []


def is_placeholder(problem: Problem) -> bool:
    """Whether ``problem`` is a placeholder's warning (``placeholders``, ``body_placeholder``):
    what a publish refuses, since it would go out as written."""
    return problem.severity == "warning" and problem.message.startswith("placeholder '")


def body_placeholder(body: str) -> tuple[int, str] | None:
    """The first placeholder line of a body (0-based) and its warning, if there is one."""
    for number, line in enumerate(body.split("\n")):
        if NEW_BODY in line or line.strip().startswith(PLACEHOLDER):
            return number, (f"placeholder '{_excerpt(line)}': write the event's account "
                            "before publishing")
    return None


SHOUTED = re.compile(r"[\W_]*(?:UNVERIFIED|EMBARGOED|DRAFT)\b")
"""A shouted note at the head of a body (``Unverified reports said…`` is an account)."""
DO_NOT_PUBLISH = re.compile(r"(?i)\b(?:do\s+not|don'?t)\s+publish\b"
                            r"|\bnot\s+for\s+publication\b")


def hold_note(body: str) -> tuple[int, str] | None:
    """The body's first line (0-based) and a warning when it is a note that the event must
    not go out yet, which no reader should see published."""
    for number, line in enumerate(body.split("\n")):
        if not line.strip():
            continue
        if SHOUTED.match(line) or DO_NOT_PUBLISH.search(line):
            return number, (f"'{_excerpt(line)}' says not to publish this event: keep it "
                            "a draft (draft: true) until it may be, then remove the note")
        return None
    return None
