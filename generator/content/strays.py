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
        folder = site / "content" / name
        if not folder.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith(".")) \
                if recursive else []
            for filename in sorted(filenames):
                rel = Path(dirpath, filename).relative_to(site).as_posix()
                if filename.startswith(".") or filename.endswith(".md") or rel in KNOWN:
                    continue
                kind = "event" if name == "events" else "page"
                problems.append(Problem(rel, None, None,
                                        f"ignored: {kind} files end in .md (lower case)",
                                        "warning"))
    return problems
