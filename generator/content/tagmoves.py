"""``content/renamed-tags.yaml``: tags renamed by ``timeline rename-tag``, whose old pages
redirect to the new ones.

A tag is no file of its own that could carry ``aliases:``, so ``rename-tag`` records
``old tag: new tag`` here and the build gives each old tag page a redirect, as an alias.
"""

from __future__ import annotations

from pathlib import Path

from generator.content.header import decode, parse_document
from generator.content.model import slugify
from generator.errors import Problem

RENAMED_TAGS = "renamed-tags.yaml"
RENAMED_TAGS_HEAD = ("# Tags renamed by `timeline rename-tag`, as `old tag: new tag`: each old\n"
                     "# tag page redirects to the new one. Written by the command; a line can\n"
                     "# be removed by hand when the old address no longer matters.\n")


def load_renamed_tags(site: Path) -> tuple[tuple[tuple[str, str], ...], list[Problem]]:
    """(old slug, new slug) for each line of ``content/renamed-tags.yaml``."""
    path = site / "content" / RENAMED_TAGS
    rel = f"content/{RENAMED_TAGS}"
    if not path.is_file():
        return (), []
    text, problems = decode(rel, path.read_bytes())
    if text is None:
        return (), problems
    fm, problems = parse_document(rel, text, "renamed")
    if fm is None:
        return (), problems
    data = fm.data["renamed"]
    if data is None:
        return (), problems
    if not isinstance(data, dict):
        return (), [Problem(rel, 1, None, "expected lines of `old tag: new tag`")]
    found = []
    for old, new in data.items():
        line = fm.line(("renamed", str(old)))
        if not isinstance(old, str) or not isinstance(new, str) or not slugify(old) \
                or not slugify(new):
            problems.append(Problem(rel, line, str(old), "expected `old tag: new tag`, each "
                                    "a tag with a page"))
            continue
        found.append((slugify(old), slugify(new)))
    return tuple(found), problems
