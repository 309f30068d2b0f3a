"""Limits on the text an editor writes: characters that are never text, and how many and how
long the tags and places of one event may be (each one names a page and a folder)."""

from __future__ import annotations

import re

MAX_TERMS = 50
"""Tags (and places) an event may have: each one is a page that lists the event."""
MAX_TERM_LENGTH = 100
"""Characters in one tag or place: it names a folder, and file names have a length limit."""
MAX_SLUG_BYTES = 200
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
"""Characters XML cannot carry (feed.xml would not parse), plus DEL, C1 controls and lone
surrogates (from YAML escapes such as "\\0", "\\x1b" or "\\ud800"); none is ever text."""


def strip_controls(text: str) -> tuple[str, list[str]]:
    """The text without control characters, and the code points of those removed."""
    found = sorted(set(CONTROL.findall(text)))
    if not found:
        return text, []
    return CONTROL.sub("", text), [f"U+{ord(c):04X}" for c in found]


def controls_message(found: list[str]) -> str:
    shown = ", ".join(found[:5]) + (f" and {len(found) - 5} more" if len(found) > 5 else "")
    return f"control characters removed ({shown}): they are not text"
