"""Files in ``content/`` that no build reads, named so that none is left out without a word.

An event saved as ``x.markdown`` or ``y.md.txt`` looks like one to its editor: such a
near miss is an error naming the name to give it, so that it never drops off the site with
exit 0; any other file gets a warning. ``.md`` is read in any case (``UPPER.MD``).
"""

from __future__ import annotations

import os
from pathlib import Path

from generator.errors import Problem

READ = {"events": True, "pages": False}
"""The content folders holding one file per entry, and whether their subfolders are read."""

KNOWN = {"content/eras.yaml"}

NEAR_MISSES = (".markdown", ".mdown", ".mkdn", ".mkd", ".mdwn", ".mdtext", ".mdtxt", ".md.txt")
"""Other names of Markdown files (any case): an editor who saved one meant an entry."""


def stray_files(site: Path) -> list[Problem]:
    """A warning for each visible file in ``content/events`` or ``content/pages`` not read."""
    problems = []
    for name, recursive in READ.items():
        kind = "event" if name == "events" else "page"
        for rel, nested in _unread(site / "content" / name, f"content/{name}/", recursive):
            file = rel.rsplit("/", 1)[-1]
            miss = next((e for e in NEAR_MISSES if file.lower().endswith(e)), "")
            if nested:
                problems.append(Problem(rel, None, None, f"ignored: {kind} files are read "
                                        f"from content/{name}/ itself, not its subfolders",
                                        "warning"))
            elif miss:
                problems.append(Problem(rel, None, None, f"not read: {kind} files end in "
                                        f".md: rename it {file[:-len(miss)]}.md"))
            else:
                problems.append(Problem(rel, None, None, f"ignored: {kind} files end in .md",
                                        "warning"))
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
        if entry.name.lower().endswith(".md") and not nested:
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
