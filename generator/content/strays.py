"""Files in ``content/`` that no build reads, named so that none is left out without a word.

An event saved as ``UPPER.MD``, ``x.markdown`` or ``y.md.txt`` looks like one to its editor;
only ``.md`` files are read, so each other file gets a warning.
"""

from __future__ import annotations

import os
from pathlib import Path

from generator.errors import Problem

READ = {"events": True, "pages": False}
"""The content folders holding one file per entry, and whether their subfolders are read."""

KNOWN = {"content/eras.yaml"}


def stray_files(site: Path) -> list[Problem]:
    """A warning for each visible file in ``content/events`` or ``content/pages`` not read."""
    problems = []
    for name, recursive in READ.items():
        kind = "event" if name == "events" else "page"
        for rel, nested in _unread(site / "content" / name, f"content/{name}/", recursive):
            why = (f"{kind} files are read from content/{name}/ itself, not its subfolders"
                   if nested else f"{kind} files end in .md (lower case)")
            problems.append(Problem(rel, None, None, f"ignored: {why}", "warning"))
    return problems


def _unread(folder: str | Path, prefix: str, recursive: bool, nested: bool = False
            ) -> list[tuple[str, bool]]:
    """Visible files not read, by path from the site, each with whether it is one only
    because it is in a subfolder that is not read (cheap per file: a big site has ten
    thousand, nearly all of them ``.md``)."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return []
    found: list[tuple[str, bool]] = []
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.name.endswith(".md") and not nested:
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                if recursive or nested:
                    found += _unread(entry.path, f"{prefix}{entry.name}/", recursive, nested)
                else:  # pages/sub/x.md is no page: say so, rather than drop it in silence
                    found += _unread(entry.path, f"{prefix}{entry.name}/", False, True)
            elif entry.is_file() and f"{prefix}{entry.name}" not in KNOWN:
                found.append((f"{prefix}{entry.name}", nested))
        except OSError:
            continue
    return found
